"""Projecting the RDF graph into networkx for analysis and pictures.

Actors become nodes (labels in both languages, type, country, Wikidata id);
each event becomes one edge from an actor to a target (or, for a visit with
no target, to the place), carrying type, CAMEO code, date, status,
confidence, evidence and article.  Filters narrow the projection before any
analysis: event types, a time window, actors, a minimum confidence, and
rolling persons and bodies up to the country they act for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

__all__ = ["project"]

_EDGES = """
SELECT DISTINCT ?event ?type ?cameo ?a ?t ?time ?status ?conf ?evidence ?doc ?title ?url WHERE {
  GRAPH ?g {
    ?event a dg:Event ; dg:eventType ?type ; skos:notation ?cameo ; dg:actor ?a ; dg:status ?st ;
           dg:confidence ?conf ; dg:reportedIn ?art ; dg:evidence/dg:text ?evidence .
    ?art dg:id ?doc .
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
        Keep only these event types (``VISIT``, ``MEET`` ...).
    since, until : str, optional
        ISO dates; keep events whose time overlaps the window (events with
        no time are kept only when no window is given).
    actors : iterable of str, optional
        Keep only events with one of these actor IRIs at either end.
    min_confidence : float
        Drop events below this confidence.
    roll_up : bool
        Replace persons and bodies by the country or organization they act for.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by actor IRI; one edge per event (key = event IRI).

    Examples
    --------
    >>> from diplograph.graph.store import KnowledgeStore
    >>> with KnowledgeStore(None) as kg:
    ...     project(kg).number_of_nodes()
    0
    """
    nodes: dict[str, dict[str, Any]] = {}
    for x, eid, typ, en, ar, wd, aff in store.query(_NODES):
        n = nodes.setdefault(str(x), {"id": str(eid), "type": str(typ)})
        if en is not None:
            n["label_en"] = str(en)
        if ar is not None:
            n["label_ar"] = str(ar)
        if wd is not None:
            n["wikidata"] = str(wd)
        if aff is not None:
            n["country"] = str(aff)
    keep_types = {t.upper() for t in types} if types else None
    keep_actors = set(actors) if actors else None
    g = nx.MultiDiGraph()
    for row in store.query(_EDGES):
        typ = str(row.type)
        if keep_types and typ not in keep_types:
            continue
        conf = float(row.conf)
        if conf < min_confidence:
            continue
        time = str(row.time) if row.time is not None else None
        if (since or until) and not _overlaps(time, since, until):
            continue
        a, t = str(row.a), str(row.t)
        if roll_up:
            a = nodes.get(a, {}).get("country", a)
            t = nodes.get(t, {}).get("country", t)
            if a == t:
                continue
        if keep_actors and a not in keep_actors and t not in keep_actors:
            continue
        for n in (a, t):
            if n not in g:
                attrs = dict(nodes.get(n, {"id": n.rsplit("/", 1)[-1], "type": "Other"}))
                attrs.setdefault("label_en", attrs.get("label_ar", attrs["id"]))
                attrs.setdefault("label_ar", attrs.get("label_en", attrs["id"]))
                g.add_node(n, **attrs)
        g.add_edge(
            a,
            t,
            key=str(row.event),
            type=typ,
            cameo=str(row.cameo),
            time=time,
            status=str(row.status),
            confidence=conf,
            evidence=str(row.evidence),
            article=str(row.doc),
            title=str(row.title) if row.title is not None else "",
            url=str(row.url) if row.url is not None else "",
        )
    return g


def _overlaps(time: str | None, since: str | None, until: str | None) -> bool:
    if time is None:
        return False
    begin, end = time.split("/")[0], time.split("/")[-1]
    if since and end < since[: len(end)]:
        return False
    return not (until and begin[: len(until)] > until)
