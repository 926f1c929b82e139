"""The same event reported by several articles, merged at query time.

Design: each article keeps its own event nodes in its own named graph, so
re-building one article replaces exactly its graph and never has to touch
another article's.  Merging is therefore a *view*: this module (and the
library query ``same_event``) groups the event nodes that describe the same
real-world event and presents each group as one event with several sources.
Nothing in the store is rewritten, so the merge can never be wrong in a way
that loses data: the view changes as soon as an article is rebuilt.

Two event nodes describe the same event when they have

* the same type,
* the same resolved time (ISO text: ``2025-05-13`` and ``2025-05`` are *not*
  merged, the precision differs; events with no resolved time are never
  merged, because "no time" is not a time),
* the same set of actors and the same set of targets (entity ids); for the
  symmetric types (MEET, NEGOTIATE, SIGN_AGREEMENT, CEASEFIRE, COOPERATE)
  the union of actors and targets is compared, so "A met B" and "B met A"
  merge.

Places are not part of the key (one article says Doha, another Qatar):
the merged event carries the union of them.

For speed, each event node can carry its key as a literal,
``dg:sameEventKey "VISIT|2024-12-22|<hash of the participants>"``
(:func:`same_event_key`, added to an article graph by
:func:`annotate_same_event_keys`): the ``same_event`` library query then
groups one index scan by key instead of comparing every pair of events,
which is what keeps it fast on a million triples.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef

from diplograph.extract.model import SYMMETRIC_TYPES
from diplograph.ontology import DG, RDF, SKOS

from .events import export_events
from .sparql import run
from .store import KnowledgeStore

__all__ = [
    "MergedEvent",
    "merge_key",
    "merge_records",
    "merged_events",
    "same_event_key",
    "month_key",
    "annotate_same_event_keys",
    "annotate_query_keys",
]


@dataclass
class MergedEvent:
    """One real-world event and every article that reports it.

    Attributes
    ----------
    type, time : str
        The event type and its ISO time (the merge key's).
    actor, target, place : list of dict
        Role fillers as in the export format (union over the sources; the
        first source's order first).
    status : str
        The status most sources give (ties: the latest article's), because a
        later report may say a planned visit has happened.
    confidence : float
        The highest confidence of the sources.
    sources : list of dict
        One per event node: ``doc_id``, ``event`` (IRI), ``evidence``,
        ``status``, ``confidence``.
    """

    type: str
    time: str | None
    actor: list[dict[str, Any]] = field(default_factory=list)
    target: list[dict[str, Any]] = field(default_factory=list)
    place: list[dict[str, Any]] = field(default_factory=list)
    status: str = "happened"
    confidence: float = 0.0
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        """Ids of the reporting articles, sorted, each once."""
        return sorted({s["doc_id"] for s in self.sources})


def _ids(items: list[dict[str, Any]]) -> frozenset[str]:
    return frozenset(i.get("id") or i["iri"] for i in items)


def merge_key(record: dict[str, Any]) -> tuple[Any, ...] | None:
    """The key two export records share when they describe the same event.

    Returns ``None`` for an event without a resolved time: it is never merged.

    >>> r = {"type": "MEET", "time": "2025-05-13", "actor": [{"iri": "a", "id": "A"}], "target": [{"iri": "b", "id": "B"}]}
    >>> s = dict(r, actor=r["target"], target=r["actor"])
    >>> merge_key(r) == merge_key(s)
    True
    """
    if not record.get("time"):
        return None
    actors, targets = _ids(record["actor"]), _ids(record["target"])
    if record["type"] in SYMMETRIC_TYPES:
        return (record["type"], record["time"], actors | targets)
    return (record["type"], record["time"], actors, targets)


def _union(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for items in lists:
        for i in items:
            out.setdefault(i["iri"], i)
    return list(out.values())


def merge_records(
    records: list[dict[str, Any]], min_sources: int = 1, keys: dict[str, str] | None = None
) -> list[MergedEvent]:
    """Group export records (``graph.events.export_events``) into merged events.

    Parameters
    ----------
    records : list of dict
        Event records in the export format.
    min_sources : int
        Keep only events reported by at least this many *articles* (2 gives
        the events reported by several sources).
    keys : dict, optional
        Event IRI → its ``dg:sameEventKey`` as stored; used instead of
        :func:`merge_key` where given, so the Python view groups exactly as
        the ``same_event`` query does.

    Returns
    -------
    list of MergedEvent
        Sorted by number of articles (most first), then time and type.
    """
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        key: Any = (keys or {}).get(r["event"]) or merge_key(r)
        groups[key if key is not None else ("unmerged", r["event"])].append(r)
    merged = []
    for rs in groups.values():
        rs = sorted(rs, key=lambda r: (r["doc_id"], r["event"]))
        if len({r["doc_id"] for r in rs}) < min_sources:
            continue
        votes: dict[str, int] = defaultdict(int)
        for r in rs:
            votes[r["status"]] += 1
        best = max(votes.values())
        status = next(r["status"] for r in reversed(rs) if votes[r["status"]] == best)
        merged.append(
            MergedEvent(
                type=rs[0]["type"],
                time=rs[0]["time"],
                actor=_union([r["actor"] for r in rs]),
                target=_union([r["target"] for r in rs]),
                place=_union([r["place"] for r in rs]),
                status=status,
                confidence=max(float(r["confidence"]) for r in rs),
                sources=[
                    {"doc_id": r["doc_id"], "event": r["event"], "evidence": r["evidence"],
                     "status": r["status"], "confidence": r["confidence"]}
                    for r in rs
                ],
            )
        )
    merged.sort(key=lambda m: (-len(m.articles), m.time or "", m.type))
    return merged


def merged_events(store: KnowledgeStore, min_sources: int = 1) -> list[MergedEvent]:
    """Every event of the store, the same event from several articles merged into one.

    Parameters
    ----------
    store : KnowledgeStore
    min_sources : int
        2 to list only the events that several articles report (what the
        ``same_event`` library query shows).
    """
    keys = dict(run(store, "SELECT ?e ?k WHERE { ?e dg:sameEventKey ?k }")[1])
    return merge_records(export_events(store), min_sources=min_sources, keys=keys)


def same_event_key(event_type: str, time: str | None, actors: list[str], targets: list[str]) -> str | None:
    """The ``dg:sameEventKey`` literal of an event: equal exactly when :func:`merge_key` is.

    Parameters
    ----------
    event_type, time : str
        The type name and the ISO time; no key (``None``) without a time.
    actors, targets : list of str
        Actor IRIs (or ids, as long as all keys of a store use the same).

    Returns
    -------
    str or None
        ``TYPE|TIME|`` and 16 hex digits of a SHA-1 of the sorted
        participants: readable, and grouping on it needs no join.

    >>> same_event_key("MEET", "2025-05-13", ["a"], ["b"]) == same_event_key("MEET", "2025-05-13", ["b"], ["a"])
    True
    >>> same_event_key("VISIT", "2025-05-13", ["a"], ["b"]) == same_event_key("VISIT", "2025-05-13", ["b"], ["a"])
    False
    """
    if not time:
        return None
    if event_type in SYMMETRIC_TYPES:
        parts = "+".join(sorted(set(actors) | set(targets)))
    else:
        parts = "+".join(sorted(set(actors))) + ">" + "+".join(sorted(set(targets)))
    digest = hashlib.sha1(parts.encode("utf-8")).hexdigest()[:16]
    return f"{event_type}|{time}|{digest}"


def month_key(cameo: str, time: str | None) -> str | None:
    """The ``dg:monthKey`` literal: CAMEO code and month, ``"042|2025-05"``.

    Only for a time at month precision or finer (an interval counts in the
    month it begins).  At most 12 characters, so Oxigraph stores it inline
    in its index entries: ``events_by_month`` groups one index scan of these
    without reading a string table or joining type and time per event.

    >>> month_key("042", "2025-05-13/2025-05-16"), month_key("042", "2025")
    ('042|2025-05', None)
    """
    if not time or len(time) < 7:
        return None
    return f"{cameo}|{time[:7]}"


def annotate_query_keys(article: Graph) -> Graph:
    """Add the denormalized keys the library queries group on (in place).

    ``dg:sameEventKey`` (see :func:`same_event_key`) and ``dg:monthKey``
    (see :func:`month_key`), computed from the graph's own triples; meant to
    run on what ``graph.rdf.article_triples`` returns, before it is stored.
    """
    annotate_same_event_keys(article)
    for event in set(article.subjects(RDF.type, DG.Event)):
        cameo = article.value(event, SKOS.notation)
        time = article.value(event, DG.timeValue)
        key = month_key(str(cameo), str(time)) if cameo is not None and time is not None else None
        if key:
            article.set((event, DG.monthKey, Literal(key)))
    return article


def annotate_same_event_keys(article: Graph) -> Graph:
    """Add ``dg:sameEventKey`` to every event of an article graph (in place).

    Meant to run on what ``graph.rdf.article_triples`` returns, before the
    graph is stored; the key is computed from the graph's own triples, so it
    always agrees with what queries see.

    Returns
    -------
    rdflib.Graph
        The same graph, for chaining.
    """
    for event in set(article.subjects(RDF.type, DG.Event)):
        etype = article.value(event, DG.eventType)
        time = article.value(event, DG.timeValue)
        if etype is None or time is None or not isinstance(event, URIRef):
            continue
        key = same_event_key(
            str(etype),
            str(time),
            [str(a) for a in article.objects(event, DG.actor)],
            [str(t) for t in article.objects(event, DG.target)],
        )
        if key:
            article.set((event, DG.sameEventKey, Literal(key)))
    return article
