"""Exploration commands: the interactive HTML view, network analytics and Gephi export.

All three read the store through :func:`diplograph.graph.network.project`
with the same filters (``--types``, ``--since``/``--until``,
``--min-confidence``, ``--actor``, ``--roll-up``), so a table, a picture
and a Gephi file of the same filters always show the same network.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from diplograph.cli import StoreOpt, _die, _open_store, console, out

__all__ = ["register", "html", "analyze", "graph_export"]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command()(html)
    app.command()(analyze)
    app.command("graph-export")(graph_export)


# --------------------------------------------------------------------------- shared filters
TypesOpt = Annotated[
    list[str] | None,
    typer.Option("--types", "-t", help="Event types to keep, comma-separated or repeated (e.g. VISIT,MEET). Default: all."),
]
SinceOpt = Annotated[str | None, typer.Option(help="Keep events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option(help="Keep events on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")]
ConfOpt = Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop events below this confidence (0–1).")]
ActorsOpt = Annotated[
    list[str] | None,
    typer.Option("--actor", "-a", help="Keep only events involving this actor (id like Q846, English or Arabic label, or IRI); repeatable."),
]
RollUpOpt = Annotated[bool, typer.Option("--roll-up", help="Show persons, bodies and cities as the country they act for.")]


def _project(
    store: Path,
    types: list[str] | None,
    since: str | None,
    until: str | None,
    min_confidence: float,
    actors: list[str] | None,
    roll_up: bool,
) -> Any:
    """Open the store, project it with the filters, close it; bad filters are one-line errors."""
    from diplograph.graph.network import project

    wanted = [t for item in types or [] for t in item.split(",") if t.strip()]
    kg = _open_store(store)
    try:
        return project(
            kg, types=wanted or None, since=since, until=until, actors=actors, min_confidence=min_confidence, roll_up=roll_up
        )
    except ValueError as exc:
        _die(str(exc))
    finally:
        kg.close()


# --------------------------------------------------------------------------- html
class Lang(StrEnum):
    ar = "ar"
    en = "en"


def html(
    store: StoreOpt = Path("kg"),
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("graph.html"),
    types: TypesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: ConfOpt = 0.0,
    actor: ActorsOpt = None,
    max_nodes: Annotated[
        int, typer.Option(min=0, help="Above this many actors keep the most connected and say what was left out (0: all).")
    ] = 300,
    roll_up: RollUpOpt = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Labels the page opens with: ar (right-to-left) or en; the page has a switch.")] = Lang.ar,
    title: Annotated[str, typer.Option(help="Page title.")] = "diplograph",
) -> None:
    """An interactive, self-contained HTML view of the actor network (opens offline).

    One file with everything inlined: Arabic or English labels, colours by
    entity and event type, the evidence of each event on hover or click,
    and filters and search in the page.

    Examples:
      [bold]diplograph html --store kg -o graph.html[/]
      [bold]diplograph html --store kg --types VISIT,MEET --since 2025-01 --min-confidence 0.6 --roll-up --lang en -o visits.html[/]
    """
    from diplograph.graph.html import write_html

    g = _project(store, types, since, until, min_confidence, actor, roll_up)
    try:
        info = write_html(g, output, max_nodes=max_nodes, title=title, lang=lang.value)
    except OSError as exc:
        _die(f"{output}: cannot write ({exc.strerror or exc})")
        return
    console.print(
        f"wrote {output}: {info['nodes']} actors, {info['edges']} events" + (f" ({info['note']})" if info.get("note") else ""),
        highlight=False,
    )


# --------------------------------------------------------------------------- analyze
class Measure(StrEnum):
    centrality = "centrality"
    communities = "communities"
    ego = "ego"
    timeline = "timeline"
    pairs = "pairs"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _emit(rows: list[dict[str, Any]], columns: list[str], fmt: TableFormat, title: str) -> None:
    """Print rows as a rich table, CSV or JSON (the latter two on stdout, for scripts)."""
    if fmt == TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt == TableFormat.csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        sys.stdout.write(buf.getvalue())
        return
    table = Table(*columns, title=title, show_lines=False)
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    out.print(table)
    console.print(f"{len(rows)} rows", highlight=False)


def analyze(
    measure: Annotated[Measure, typer.Argument(help="centrality, communities, ego, timeline or pairs.")],
    actor_name: Annotated[
        str | None, typer.Argument(metavar="[ACTOR]", help="For ego and timeline: an id (Q846), an English or Arabic label, or an IRI.")
    ] = None,
    store: StoreOpt = Path("kg"),
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, csv or json.")] = TableFormat.table,
    top: Annotated[int, typer.Option(min=0, help="Rows to show for centrality and pairs (0: all).")] = 20,
    radius: Annotated[int, typer.Option(min=1, help="ego: how many steps out from the actor.")] = 1,
    seed: Annotated[int, typer.Option(help="communities: Louvain random seed (same seed, same answer).")] = 42,
    resolution: Annotated[float, typer.Option(help="communities: above 1 gives smaller groups, below 1 larger.")] = 1.0,
    types: TypesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: ConfOpt = 0.0,
    roll_up: RollUpOpt = False,
) -> None:
    """Network analytics as tables: who is central, who groups with whom, an actor's ties and history.

    [bold]centrality[/]   partners, events, degree and betweenness centrality per actor
    [bold]communities[/]  Louvain groups of actors (seeded)
    [bold]ego ACTOR[/]    the actor's partners and the events among them
    [bold]timeline ACTOR[/] the actor's events in date order, with evidence
    [bold]pairs[/]        the pairs of actors with the most events

    Examples:
      [bold]diplograph analyze --store kg centrality --roll-up[/]
      [bold]diplograph analyze --store kg communities --format csv > communities.csv[/]
      [bold]diplograph analyze --store kg ego Q846 --radius 2[/]
      [bold]diplograph analyze --store kg timeline قطر --since 2025-01 --format json[/]
      [bold]diplograph analyze --store kg pairs --types MEET,VISIT --top 10[/]
    """
    from diplograph.graph import analysis as an
    from diplograph.graph.network import actor_label

    if measure in (Measure.ego, Measure.timeline) and not actor_name:
        _die(f"'{measure.value}' needs an actor: diplograph analyze {measure.value} Q846 (an id, a label or an IRI)")
    if measure not in (Measure.ego, Measure.timeline) and actor_name:
        _die(f"'{measure.value}' takes no actor (got '{actor_name}'); did you mean ego or timeline?")
    g = _project(store, types, since, until, min_confidence, None, roll_up)
    limit = top or None
    try:
        if measure == Measure.centrality:
            rows = an.centrality(g, top=limit)
            cols = ["actor", "label_en", "label_ar", "type", "partners", "events", "degree", "betweenness"]
            _emit(rows, cols, format, "Centrality (degree: share of actors dealt with; betweenness: brokerage)")
        elif measure == Measure.communities:
            rows = []
            for i, members in enumerate(an.communities(g, seed=seed, resolution=resolution), start=1):
                for n in members:
                    d = g.nodes[n]
                    rows.append(
                        {
                            "community": i,
                            "size": len(members),
                            "actor": d.get("id", n),
                            "label_en": actor_label(g, n, "en"),
                            "label_ar": actor_label(g, n, "ar"),
                            "type": d.get("type", ""),
                            "events": g.degree(n),
                        }
                    )
            _emit(rows, ["community", "size", "actor", "label_en", "label_ar", "type", "events"], format, "Communities (Louvain)")
        elif measure == Measure.ego:
            assert actor_name is not None
            sub = an.ego_network(g, actor_name, radius=radius)
            rows = [
                {
                    "time": d.get("time") or "",
                    "type": d.get("type", ""),
                    "actor": sub.nodes[a].get("id", a),
                    "actor_label": actor_label(sub, a),
                    "target": sub.nodes[t].get("id", t),
                    "target_label": actor_label(sub, t),
                    "status": d.get("status", ""),
                    "confidence": d.get("confidence", ""),
                    "article": d.get("article", ""),
                }
                for a, t, d in sub.edges(data=True)
            ]
            rows.sort(key=lambda r: (r["time"] == "", r["time"], r["type"], str(r["actor"]), str(r["target"])))
            centre = next(n for n, d in sub.nodes(data=True) if d.get("ego"))
            title = f"Ego network of {actor_label(sub, centre)}: {sub.number_of_nodes()} actors, {sub.number_of_edges()} events"
            cols = ["time", "type", "actor", "actor_label", "target", "target_label", "status", "confidence", "article"]
            _emit(rows, cols, format, title)
        elif measure == Measure.timeline:
            assert actor_name is not None
            rows = an.timeline(g, actor_name)
            cols = ["time", "type", "role", "partner", "partner_en", "partner_ar", "status", "confidence", "evidence", "article"]
            if format == TableFormat.table:
                rows = [{**r, "evidence": _short(r["evidence"])} for r in rows]
            _emit(rows, cols, format, f"Timeline of {actor_name}")
        else:
            rows = an.strongest_pairs(g, top=limit)
            cols = ["a", "label_a", "b", "label_b", "events", "types", "first", "last", "mean_confidence"]
            _emit(rows, cols, format, "Strongest pairs (events in either direction)")
    except KeyError as exc:
        _die(str(exc.args[0]) if exc.args else str(exc))


def _cell(value: Any) -> str:
    """A table cell: floats to three decimals, nothing for missing values."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _short(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- graph-export
class GephiFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"


def graph_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (.gexf or .graphml).")],
    store: StoreOpt = Path("kg"),
    format: Annotated[
        GephiFormat | None, typer.Option("--format", "-f", help="gexf or graphml; default from the file's extension, else gexf.")
    ] = None,
    types: TypesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: ConfOpt = 0.0,
    actor: ActorsOpt = None,
    roll_up: RollUpOpt = False,
) -> None:
    """Write the actor network for Gephi, yEd or Cytoscape (GEXF or GraphML).

    Nodes are actors (id, English and Arabic labels, entity type); edges are
    events (event type, date, status, confidence, evidence, article).

    Examples:
      [bold]diplograph graph-export --store kg -o network.gexf[/]
      [bold]diplograph graph-export --store kg --format graphml --roll-up --since 2025 -o countries.graphml[/]
    """
    from diplograph.graph.network import write_gephi

    fmt = format.value if format else ("graphml" if output.suffix.lower() == ".graphml" else "gexf")
    g = _project(store, types, since, until, min_confidence, actor, roll_up)
    try:
        write_gephi(g, output, fmt)
    except OSError as exc:
        _die(f"{output}: cannot write ({exc.strerror or exc})")
    console.print(f"wrote {output} ({fmt}): {g.number_of_nodes()} actors, {g.number_of_edges()} events", highlight=False)
