"""Projecting the RDF graph into networkx for analysis and pictures.

Actors become nodes (labels in both languages, type, country, Wikidata id);
each event becomes one edge from an actor to a target (or, for a visit with
no target, to the place), carrying type, CAMEO code, date, status,
confidence, evidence and article.  An event with several actors or targets
gives one edge per (actor, target) pair, all keyed by the event's IRI, so
``{k for _, _, k in g.edges(keys=True)}`` counts events, not pairs.

Filters narrow the projection before any analysis: event types, a time
window, actors, a minimum confidence, and rolling persons, bodies and cities
up to the country they act for.  The projection is read with two SPARQL
queries and assembled in Python, because the filters (date precision,
affiliation chains, names in two languages) are easier to get right and to
test here than in SPARQL.

:func:`to_gephi` and :func:`write_gephi` turn the projection into a graph
Gephi can open (GEXF or GraphML), whose formats accept only scalar
attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from .sparql import is_oxigraph, run

__all__ = [
    "project",
    "resolve_actor",
    "actor_label",
    "check_date",
    "to_gephi",
    "write_gephi",
    "GEPHI_FORMATS",
]

#: File formats :func:`write_gephi` writes.
GEPHI_FORMATS = ("gexf", "graphml")

# One row per evidence span.  Two texts, one per engine, as in graph/events.py:
# for Oxigraph one sub-select per property, joined on the event, which it
# hash-joins (a million triples: 2.0 -> 1.2 s); rdflib keeps the flat pattern.
_EDGES_OX = """
SELECT DISTINCT ?event ?type ?cameo ?a ?t ?time ?status ?conf ?evidence ?estart ?doc ?title ?url WHERE {
  { SELECT ?event ?type WHERE { ?event dg:eventType ?type } }
  { SELECT ?event ?a WHERE { ?event dg:actor ?a } }
  { SELECT ?event ?t WHERE { ?event dg:target ?t } }
  UNION { SELECT ?event ?t WHERE { ?event a dg:Visit ; dg:place ?t FILTER NOT EXISTS { ?event dg:target ?x } } }
  FILTER(?a != ?t)
  { SELECT ?event ?cameo WHERE { ?event a dg:Event ; skos:notation ?cameo } }
  { SELECT ?event ?status WHERE { ?event dg:status ?st BIND(STRAFTER(STR(?st), "#") AS ?status) } }
  { SELECT ?event ?conf WHERE { ?event dg:confidence ?conf } }
  { SELECT ?event ?art WHERE { ?event dg:reportedIn ?art } }
  { SELECT ?art ?doc WHERE { ?art a dg:Article ; dg:id ?doc } }
  OPTIONAL { SELECT ?event ?time WHERE { ?event dg:timeValue ?time } }
  OPTIONAL { { SELECT ?event ?ev WHERE { ?event dg:evidence ?ev } } { SELECT ?ev ?evidence WHERE { ?ev dg:text ?evidence } }
             OPTIONAL { SELECT ?ev ?estart WHERE { ?ev dg:start ?estart } } }
  OPTIONAL { SELECT ?art ?title WHERE { ?art <http://purl.org/dc/terms/title> ?title } }
  OPTIONAL { SELECT ?art ?url WHERE { ?art schema:url ?url } }
}
"""

_EDGES = """
SELECT DISTINCT ?event ?type ?cameo ?a ?t ?time ?status ?conf ?evidence ?estart ?doc ?title ?url WHERE {
  GRAPH ?g {
    ?event a dg:Event ; dg:eventType ?type ; skos:notation ?cameo ; dg:actor ?a ; dg:status ?st ;
           dg:confidence ?conf ; dg:reportedIn ?art .
    ?art dg:id ?doc .
    OPTIONAL { ?event dg:evidence ?ev . ?ev dg:text ?evidence . OPTIONAL { ?ev dg:start ?estart } }
    OPTIONAL { ?art <http://purl.org/dc/terms/title> ?title }
    OPTIONAL { ?art schema:url ?url }
    OPTIONAL { ?event dg:timeValue ?time }
    { ?event dg:target ?t } UNION { ?event a dg:Visit ; dg:place ?t FILTER NOT EXISTS { ?event dg:target ?x } }
    BIND(STRAFTER(STR(?st), "#") AS ?status)
  }
  FILTER(?a != ?t)
}
"""

_NODES = """
SELECT ?x ?id ?type ?en ?ar ?wd ?aff WHERE {
  GRAPH <https://w3id.org/diplograph/resource/graph/actors> {
    ?x a dg:Actor ; dg:id ?id ; a ?cls .
    FILTER(?cls != dg:Actor)
    BIND(STRAFTER(STR(?cls), "#") AS ?type)
    OPTIONAL { ?x rdfs:label ?en FILTER(LANG(?en) = "en") }
    OPTIONAL { ?x rdfs:label ?ar FILTER(LANG(?ar) = "ar") }
    OPTIONAL { ?x dg:wikidata ?wd }
    OPTIONAL { ?x dg:affiliation ?aff }
  }
}
"""

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Types that are never rolled up: they are what others roll up to.
_ROLL_UP_ROOTS = frozenset({"Country"})


def check_date(value: str | None, name: str = "date") -> str | None:
    """Return an ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or raise ``ValueError``.

    A window bound is compared at the precision it is given in, so
    ``since="2025-03"`` keeps an event dated ``2025-03-12`` and one dated
    only ``2025``.

    >>> check_date("2025-03")
    '2025-03'
    """
    if value is None or value == "":
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise ValueError(f"{name} '{value}': expected YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _fold(text: str) -> str:
    """A matching form of a name: case-folded, Arabic letters normalized."""
    from diplograph.extract.normalize import normalize

    return " ".join(normalize(text.casefold()).split())


def resolve_actor(nodes: nx.Graph | Mapping[str, Mapping[str, Any]], name: str) -> list[str]:
    """The node keys an analyst means by ``name``.

    ``name`` may be a full IRI, an entity id (``Q846``, ``X:Egypt_MFA``), a
    Wikidata id, or an English or Arabic label (compared case-insensitively,
    with Arabic spelling variants such as hamza forms, diacritics and
    tatweel folded).  Ids win over labels, so ``Q846`` never matches an actor
    merely *named* "Q846".

    Parameters
    ----------
    nodes : networkx graph or mapping
        A projection, or a mapping of node key to attributes.
    name : str
        What the analyst typed.

    Returns
    -------
    list of str
        Matching node keys, sorted; empty when nothing matches.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/diplograph/resource/actor/Q846", id="Q846", label_en="Qatar", label_ar="قطر")
    >>> resolve_actor(g, "qatar") == resolve_actor(g, "قطر") == resolve_actor(g, "Q846")
    True
    """
    attrs: Mapping[str, Mapping[str, Any]] = dict(nodes.nodes(data=True)) if isinstance(nodes, nx.Graph) else nodes
    name = name.strip()
    if not name:
        return []
    if name in attrs:
        return [name]
    exact = sorted(k for k, d in attrs.items() if name in (d.get("id"), d.get("wikidata")) or k.endswith("/" + name))
    if exact:
        return exact
    folded = _fold(name)
    return sorted(
        k
        for k, d in attrs.items()
        if folded in {_fold(str(d[f])) for f in ("label_en", "label_ar") if d.get(f)}
    )


def actor_label(g: nx.Graph, node: str, lang: str = "en") -> str:
    """The node's label in ``lang`` (``en`` or ``ar``), falling back to the other, then its id."""
    d = g.nodes[node] if node in g else {}
    other = "ar" if lang == "en" else "en"
    return str(d.get(f"label_{lang}") or d.get(f"label_{other}") or d.get("id") or node.rsplit("/", 1)[-1])


def _overlaps(time: str | None, since: str | None, until: str | None) -> bool:
    """Whether an ISO date or interval overlaps the window, each at its own precision."""
    if time is None:
        return False
    begin, end = time.split("/")[0], time.split("/")[-1]
    if since and end < since[: len(end)]:
        return False
    return not (until and begin[: len(until)] > until)


def _roll_up_map(nodes: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Each actor → the end of its affiliation chain (person → ministry → country)."""
    out: dict[str, str] = {}
    for start in nodes:
        cur, seen = start, {start}
        while nodes.get(cur, {}).get("type") not in _ROLL_UP_ROOTS:
            nxt = nodes.get(cur, {}).get("country")
            if not nxt or nxt in seen:
                break
            seen.add(nxt)
            cur = nxt
        out[start] = cur
    return out


def _node_attrs(nodes: Mapping[str, Mapping[str, Any]], key: str) -> dict[str, Any]:
    attrs = dict(nodes.get(key, {"id": key.rsplit("/", 1)[-1], "type": "Other"}))
    attrs.setdefault("label_en", attrs.get("label_ar", attrs["id"]))
    attrs.setdefault("label_ar", attrs.get("label_en", attrs["id"]))
    return attrs


def project(
    store: Any,
    types: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    actors: Iterable[str] | None = None,
    min_confidence: float = 0.0,
    roll_up: bool = False,
) -> nx.MultiDiGraph:
    """Build a :class:`networkx.MultiDiGraph` of actors and events.

    Parameters
    ----------
    store : KnowledgeStore
        An open store.
    types : iterable of str, optional
        Keep only these event types (``VISIT``, ``MEET`` ...; any case).
        An unknown type is a ``ValueError``, not an empty graph.
    since, until : str, optional
        ISO dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); keep events
        whose time overlaps the window.  Events with no resolved time are
        dropped when a window is given: we cannot say they fall inside it.
    actors : iterable of str, optional
        Keep only events with one of these actors at either end.  Each may be
        an IRI, an id (``Q846``) or an English or Arabic label; with
        ``roll_up`` a person given here selects the events of the country it
        rolls up to.  A name that matches no actor is a ``ValueError``.
    min_confidence : float
        Drop events below this confidence (0 to 1).
    roll_up : bool
        Replace persons, bodies and cities by the country at the end of their
        affiliation chain (``dg:affiliation``), so a minister's visit counts
        as the country's.  Edges keep the original ends as ``actor_orig`` and
        ``target_orig``; an event that becomes a self-loop is dropped.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by actor IRI with ``id``, ``type``, ``label_en``,
        ``label_ar`` and, where known, ``wikidata`` and ``country`` (the
        affiliation IRI).  One edge per event and (actor, target) pair, key =
        event IRI, with ``type``, ``cameo``, ``time`` (ISO or ``None``),
        ``status``, ``confidence``, ``evidence`` (the sentences, in text
        order, joined by newlines), ``article``, ``title`` and ``url``.

    Examples
    --------
    >>> from diplograph.graph.store import KnowledgeStore
    >>> with KnowledgeStore(None) as kg:
    ...     project(kg).number_of_nodes()
    0
    """
    from diplograph.extract.model import EVENT_TYPES

    since, until = check_date(since, "since"), check_date(until, "until")
    if since and until and since[: len(until)] > until:
        raise ValueError(f"since {since} is after until {until}")
    keep_types: set[str] | None = None
    if types:
        keep_types = {t.strip().upper() for t in types if t.strip()}
        unknown = sorted(keep_types - set(EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event type(s) {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}")

    nodes: dict[str, dict[str, Any]] = {}
    # sparql.run reads Oxigraph's answers as plain values: no rdflib term per
    # cell (a million triples: 5.0 -> 1.4 s for the whole projection).
    for x, eid, typ, en, ar, wd, aff in run(store, _NODES)[1]:
        n = nodes.setdefault(str(x), {"id": str(eid), "type": str(typ)})
        if en is not None:
            n["label_en"] = str(en)
        if ar is not None:
            n["label_ar"] = str(ar)
        if wd is not None:
            n["wikidata"] = str(wd)
        if aff is not None:
            n["country"] = str(aff)
    lift = _roll_up_map(nodes) if roll_up else {}

    keep_actors: set[str] | None = None
    wanted = [a for a in (actors or []) if a.strip()]
    if wanted:
        keep_actors = set()
        for name in wanted:
            found = resolve_actor(nodes, name) or ([name] if "/" in name else [])
            if not found:
                raise ValueError(f"actor '{name}': no such actor in the store (give an id like Q846, a label or an IRI)")
            keep_actors.update(lift.get(f, f) for f in found)

    # Gather rows per (event, actor, target): one row per evidence span.
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    spans: dict[tuple[str, str, str], dict[tuple[int, str], None]] = {}
    rows = run(store, _EDGES_OX if is_oxigraph(store) else _EDGES)[1]
    for event, typ, cameo, a0, t0, time, status, conf, evidence, estart, doc, title, url in rows:
        if keep_types is not None and typ not in keep_types:
            continue
        conf = float(conf)
        if conf < min_confidence:
            continue
        if (since or until) and not _overlaps(time, since, until):
            continue
        a, t = (lift.get(a0, a0), lift.get(t0, t0)) if roll_up else (a0, t0)
        if a == t:
            continue
        if keep_actors is not None and a not in keep_actors and t not in keep_actors:
            continue
        key = (event, a, t)
        if key not in edges:
            edges[key] = {
                "type": typ,
                "cameo": cameo,
                "time": time,
                "status": status.lower(),
                "confidence": conf,
                "article": doc,
                "title": title if title is not None else "",
                "url": url if url is not None else "",
                "actor_orig": set(),
                "target_orig": set(),
            }
            spans[key] = {}
        edges[key]["actor_orig"].add(a0)
        edges[key]["target_orig"].add(t0)
        if evidence is not None:
            spans[key][(estart if estart is not None else 0, evidence)] = None

    g = nx.MultiDiGraph()
    for (event, a, t), data in sorted(edges.items(), key=lambda kv: kv[0]):
        for end in (a, t):
            if end not in g:
                g.add_node(end, **_node_attrs(nodes, end))
        data["evidence"] = "\n".join(text for _, text in sorted(spans[(event, a, t)]))
        if roll_up:
            data["actor_orig"] = " ".join(sorted(data["actor_orig"]))
            data["target_orig"] = " ".join(sorted(data["target_orig"]))
        else:
            del data["actor_orig"], data["target_orig"]
        g.add_edge(a, t, key=event, **data)
    return g


def to_gephi(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a projection that GEXF and GraphML writers accept and Gephi reads well.

    Those formats take only scalar attributes and no ``None``: missing values
    become empty strings.  Nodes are keyed by their entity id (``Q846``,
    readable in Gephi's Id column; the IRI stays as ``iri``) and get a
    ``label`` (English, else Arabic).  ``type`` is renamed ``entity_type`` on
    nodes and ``event_type`` on edges, because GEXF reserves an edge's
    ``type`` for directed/undirected; each edge gets ``event`` (its IRI) and
    a ``label`` (type and date).
    """

    def scalars(d: Mapping[str, Any]) -> dict[str, Any]:
        return {k: ("" if v is None else v) for k, v in d.items() if v is None or isinstance(v, str | int | float | bool)}

    out = nx.MultiDiGraph()
    names: dict[str, str] = {}
    used: set[str] = set()
    for n, d in g.nodes(data=True):
        name = str(d.get("id") or n)
        names[n] = name if name not in used else n
        used.add(names[n])
        attrs = scalars(d)
        attrs.pop("id", None)
        attrs["entity_type"] = attrs.pop("type", "Other")
        attrs["iri"] = n
        attrs["label"] = actor_label(g, n)
        out.add_node(names[n], **attrs)
    for a, t, k, d in g.edges(keys=True, data=True):
        attrs = scalars(d)
        attrs.pop("id", None)
        attrs["event_type"] = attrs.pop("type", "")
        attrs["event"] = str(k)
        attrs["label"] = f"{d.get('type', '')} {d.get('time') or ''}".strip()
        out.add_edge(names[a], names[t], **attrs)
    return out


def write_gephi(g: nx.MultiDiGraph, path: str | Path, format: str = "gexf") -> None:
    """Write a projection as GEXF or GraphML for Gephi, yEd or Cytoscape.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        From :func:`project`.
    path : str or Path
        Output file.
    format : {"gexf", "graphml"}
        GEXF keeps parallel edges (one per event) with their ids; GraphML is
        read by more tools.
    """
    if format not in GEPHI_FORMATS:
        raise ValueError(f"format '{format}': expected one of {', '.join(GEPHI_FORMATS)}")
    clean = to_gephi(g)
    if format == "gexf":
        nx.write_gexf(clean, path, encoding="utf-8")
    else:
        nx.write_graphml(clean, path, encoding="utf-8")
