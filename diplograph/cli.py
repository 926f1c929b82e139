"""The ``diplograph`` command line, made for analysts.

Every command prints one clear line and exits non-zero on bad input; long
work shows a progress bar; tables are readable in a terminal and available
as CSV or JSON for spreadsheets and scripts.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from diplograph import __version__

app = typer.Typer(
    name="diplograph",
    help="Arabic diplomatic news → a knowledge graph you can query and look at.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _die(message: str, code: int = 1) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from diplograph.extract.reader import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        _die(str(exc))
    return None


StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store folder (created by [bold]build[/]).")]


def _open_store(path: Path, create: bool = False) -> Any:
    from diplograph.graph.store import KnowledgeStore, StoreError

    try:
        return KnowledgeStore(path, create=create)
    except StoreError as exc:
        _die(str(exc))


# --------------------------------------------------------------------------- events
class EventFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def events(
    store: StoreOpt = Path("kg"),
    format: Annotated[EventFormat, typer.Option("--format", "-f", help="jsonl (the SCHEMA.md export) or csv.")] = EventFormat.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")] = None,
) -> None:
    """Every event in the store, one per line.

    Example: [bold]diplograph events --store kg --format csv -o events.csv[/]
    """
    from diplograph.graph.events import events_to_csv, events_to_jsonl, export_events

    kg = _open_store(store)
    try:
        evs = export_events(kg)
    finally:
        kg.close()
    text = events_to_jsonl(evs) if format == EventFormat.jsonl else events_to_csv(evs)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {len(evs)} events to {output}")
    else:
        sys.stdout.write(text)


# --------------------------------------------------------------------------- query
class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def query(
    sparql: Annotated[
        str | None, typer.Argument(help="A SPARQL query, or the name of a library query (see --list).")
    ] = None,
    store: StoreOpt = Path("kg"),
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Library query parameter NAME=VALUE (repeatable).")
    ] = None,
    format: Annotated[QueryFormat, typer.Option("--format", help="table, csv or json.")] = QueryFormat.table,
    list_: Annotated[bool, typer.Option("--list", help="List the library queries and their parameters.")] = False,
) -> None:
    """Ask the graph a question in SPARQL, or run a ready analyst query by name.

    Examples:
      [bold]diplograph query --store kg "SELECT ?t (COUNT(*) AS ?n) WHERE { ?e dg:eventType ?t } GROUP BY ?t"[/]
      [bold]diplograph query --store kg visits --param actor=Q22686[/]
    """
    from diplograph.graph import sparql as sq

    if list_:
        table = Table("name", "parameters", "what it answers")
        for q in sq.library():
            table.add_row(q.name, ", ".join(f"{p.name}" for p in q.params), q.title)
        out.print(table)
        return
    params: dict[str, str] = {}
    for p in param or []:
        if "=" not in p:
            _die(f"--param '{p}': expected NAME=VALUE")
        k, v = p.split("=", 1)
        params[k.strip()] = v.strip()
    try:
        if file is not None:
            if not file.exists():
                _die(f"{file}: no such query file")
            text, bindings = file.read_text(encoding="utf-8"), sq.bind_params(sq.parse_params(file.read_text(encoding="utf-8")), params)
        elif sparql is None:
            _die("give a SPARQL query, a library query name, or --file FILE.rq (see --list)")
            return
        elif sq.is_library_name(sparql):
            lq = sq.get(sparql)
            text, bindings = lq.text, sq.bind_params(lq.params, params)
        else:
            text, bindings = sparql, {}
    except sq.QueryError as exc:
        _die(str(exc))
        return
    kg = _open_store(store)
    try:
        try:
            header, rows = sq.run(kg, text, bindings)
        except sq.QueryError as exc:
            _die(str(exc))
            return
    finally:
        kg.close()
    if format == QueryFormat.csv:
        sys.stdout.write(sq.to_csv(header, rows))
    elif format == QueryFormat.json:
        sys.stdout.write(json.dumps([dict(zip(header, r, strict=False)) for r in rows], ensure_ascii=False, indent=1) + "\n")
    else:
        table = Table(*header, show_lines=False)
        for r in rows:
            table.add_row(*["" if v is None else str(v) for v in r])
        out.print(table)
        console.print(f"{len(rows)} rows")


# --------------------------------------------------------------------------- eval
@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Option("--gold", help="Gold file in the SCHEMA.md format.")],
    corpus_root: Annotated[
        Path | None, typer.Option(help="Folder that gold source_file paths are relative to (default: the gold file's folder's parent).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
    show_errors: Annotated[bool, typer.Option("--errors", help="List missed gold events and false positives.")] = False,
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Skip Stanza NER.")] = False,
) -> None:
    """Build the gold's articles into a temporary store and score the events.

    Precision, recall and F1 for the core match (type and roles) and the full
    match (also time and place), and recall per event type.

    Example: [bold]diplograph eval --gold ../shared/eval/dev_gold.json[/]
    """
    from diplograph.evaluate import score
    from diplograph.extract.model import Document
    from diplograph.extract.pipeline import PIPELINE_VERSION, default_pipeline
    from diplograph.extract.reader import InputError, parse_date
    from diplograph.graph.events import export_events
    from diplograph.graph.rdf import actor_ntriples, article_ntriples
    from diplograph.graph.store import KnowledgeStore

    if not gold.exists():
        _die(f"{gold}: no such gold file")
    try:
        gold_docs = json.loads(gold.read_text(encoding="utf-8"))
    except ValueError as exc:
        _die(f"{gold}: not valid JSON ({exc})")
    root = corpus_root or gold.resolve().parent.parent
    pipeline = default_pipeline(use_ner=not no_ner)
    with tempfile.TemporaryDirectory(prefix="diplograph-eval-") as tmp:
        kg = KnowledgeStore(Path(tmp) / "kg", create=True)
        try:
            for g in gold_docs:
                path = root / g["source_file"]
                try:
                    text = path.read_text(encoding="utf-8")
                except OSError as exc:
                    _die(str(InputError(path, f"cannot read article ({exc.strerror or exc})")))
                title = next((t.strip() for t in text.splitlines() if t.strip()), "")
                doc = Document(
                    id=g["doc_id"], text=text, title=title, path=str(path),
                    published=parse_date(g["published"], where=f"{gold}: published") if g.get("published") else None,
                    published_basis="gold",
                )
                pipeline(doc)
                kg.replace_article_nt(
                    doc.id, article_ntriples(doc, pipeline_version=PIPELINE_VERSION), actor_ntriples(doc.entities.values())
                )
            system = export_events(kg)
        finally:
            kg.close()
    core, full = score(gold_docs, system, full=False), score(gold_docs, system, full=True)
    if as_json:
        sys.stdout.write(json.dumps({"gold": str(gold), "core": core.as_dict(), "full": full.as_dict()}, indent=1) + "\n")
        return
    table = Table("match", "precision", "recall", "F1", "matched", "system", "gold")
    for name, s in (("core", core), ("full", full)):
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.system), str(s.gold))
    out.print(table)
    per = Table("type", "gold", "core recall", "full recall")
    for t, n in sorted(core.per_type_gold.items()):
        per.add_row(t, str(n), f"{core.per_type_found[t] / n:.2f}", f"{full.per_type_found[t] / n:.2f}")
    out.print(per)
    if show_errors:
        out.print("[bold]missed (core):[/]")
        for m in core.missed:
            out.print(f"  {m['doc_id']} {m['type']} {m['actor']} -> {m['target']} | {m['evidence'][:90]}", highlight=False)
        out.print("[bold]false positives (core):[/]")
        for f in core.false_positives:
            names = lambda xs: [x.get("label_en") or x.get("label_ar") for x in xs]  # noqa: E731
            out.print(f"  {f['doc_id']} {f['type']} {names(f['actor'])} -> {names(f['target'])} [{f['rule']}] | {(f['evidence'] or '')[:90]}", highlight=False)
        out.print("[bold]full-only misses:[/]")
        core_missed = {(m['doc_id'], m['id']) for m in core.missed}
        for m in full.missed:
            if (m['doc_id'], m['id']) not in core_missed:
                out.print(f"  {m['doc_id']} {m['type']} time={m['time']} place={m['place']} | {m['evidence'][:80]}", highlight=False)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"diplograph {__version__}")


def _mount() -> None:
    """Commands that live in their own modules (each has ``register(app)``)."""
    from diplograph import cli_build, cli_explore, cli_graph, cli_serve

    cli_build.register(app)
    cli_graph.register(app)
    cli_explore.register(app)
    cli_serve.register(app)
    try:
        from diplograph.cli_ner import app as ner_app
    except ImportError:  # pragma: no cover - the NER module is part of the package
        return
    app.add_typer(ner_app, name="ner", help="Train and evaluate the Stanza NER model.")


if __name__ != "__main__":
    _mount()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    # `python -m diplograph.cli`: run the app of the imported module, whose
    # sub-commands are mounted (this file as __main__ is a second copy).
    from diplograph.cli import main as _main

    _main()
