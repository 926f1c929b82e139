"""Reading events back out of the store, in the JSON Lines export format.

The format is the one of ``docs/SCHEMA.md`` (shared with the gold files and the
scorer): one event per line with ``doc_id``, ``type``, ``cameo``, ``actor``,
``target`` and ``place`` as lists of ``{iri, label_en, label_ar, wikidata}``,
``time``, ``status``, ``evidence`` and ``confidence``; extra fields (``rule``,
``event``, ``time_expression``, ``evidence_spans``) are allowed and given.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .sparql import is_oxigraph, run
from .store import KnowledgeStore

__all__ = ["export_events", "events_to_jsonl", "events_to_csv"]

_ACTORS = """
SELECT ?x ?id ?en ?ar ?wd ?aff WHERE {
  GRAPH <https://w3id.org/diplograph/resource/graph/actors> {
    ?x dg:id ?id .
    OPTIONAL { ?x rdfs:label ?en FILTER(LANG(?en) = "en") }
    OPTIONAL { ?x rdfs:label ?ar FILTER(LANG(?ar) = "ar") }
    OPTIONAL { ?x dg:wikidata ?wd }
    OPTIONAL { ?x dg:affiliation ?aff }
  }
}
"""

# Each reader has two texts that give the same rows: one per engine.  For
# Oxigraph each property is read by a sub-select of its own (one scan of an
# index by predicate) and the scans are joined on the event, which it does
# with hash joins; the flat pattern inside ``GRAPH ?g { }`` made it look up
# every property of every event one by one (a million triples, 23,706 events:
# 2.4 -> 1.3 s for the three).  rdflib joins sub-selects by nested loops
# (50 articles: 1.0 -> 5.4 s), so its store keeps the flat pattern.  Event and
# article IRIs name their article, so joining across graphs joins nothing that
# one graph would not; a test checks both engines give the same export.
_EVENTS = """
SELECT ?ev ?doc ?type ?cameo ?time ?texpr ?status ?conf ?rule ?trigger ?pub WHERE {
  GRAPH ?g {
    ?ev a dg:Event ; dg:eventType ?type ; skos:notation ?cameo ; dg:status ?st ;
        dg:confidence ?conf ; dg:rule ?rule ; dg:reportedIn ?art .
    ?art dg:id ?doc .
    OPTIONAL { ?art schema:datePublished ?pub }
    OPTIONAL { ?ev dg:timeValue ?time }
    OPTIONAL { ?ev dg:timeExpression ?texpr }
    OPTIONAL { ?ev dg:trigger ?trigger }
    BIND(LCASE(STRAFTER(STR(?st), "#")) AS ?status)
  }
}
"""

_EVENTS_OX = """
SELECT ?ev ?doc ?type ?cameo ?time ?texpr ?status ?conf ?rule ?trigger ?pub WHERE {
  { SELECT ?ev ?type WHERE { ?ev a dg:Event ; dg:eventType ?type } }
  { SELECT ?ev ?cameo WHERE { ?ev skos:notation ?cameo } }
  { SELECT ?ev ?status WHERE { ?ev dg:status ?st BIND(LCASE(STRAFTER(STR(?st), "#")) AS ?status) } }
  { SELECT ?ev ?conf WHERE { ?ev dg:confidence ?conf } }
  { SELECT ?ev ?rule WHERE { ?ev dg:rule ?rule } }
  { SELECT ?ev ?art WHERE { ?ev dg:reportedIn ?art } }
  { SELECT ?art ?doc WHERE { ?art a dg:Article ; dg:id ?doc } }
  OPTIONAL { SELECT ?art ?pub WHERE { ?art schema:datePublished ?pub } }
  OPTIONAL { SELECT ?ev ?time WHERE { ?ev dg:timeValue ?time } }
  OPTIONAL { SELECT ?ev ?texpr WHERE { ?ev dg:timeExpression ?texpr } }
  OPTIONAL { SELECT ?ev ?trigger WHERE { ?ev dg:trigger ?trigger } }
}
"""

_ROLES = """
SELECT ?ev ?role ?x WHERE {
  GRAPH ?g { ?ev a dg:Event ; ?rp ?x . VALUES (?rp ?role) { (dg:actor "actor") (dg:target "target") (dg:place "place") } }
}
"""

_ROLES_OX = """
SELECT ?ev ?role ?x WHERE {
  { SELECT ?ev WHERE { ?ev a dg:Event } }
  { SELECT ?ev ?role ?x WHERE { VALUES (?rp ?role) { (dg:actor "actor") (dg:target "target") (dg:place "place") } ?ev ?rp ?x } }
}
"""

_EVIDENCE = """
SELECT ?ev ?text ?start ?end WHERE {
  GRAPH ?g { ?ev a dg:Event ; dg:evidence ?e . ?e dg:text ?text ; dg:start ?start ; dg:end ?end }
}
"""

_EVIDENCE_OX = """
SELECT ?ev ?text ?start ?end WHERE {
  { SELECT ?ev WHERE { ?ev a dg:Event } }
  { SELECT ?ev ?e WHERE { ?ev dg:evidence ?e } }
  { SELECT ?e ?text WHERE { ?e dg:text ?text } }
  { SELECT ?e ?start WHERE { ?e dg:start ?start } }
  { SELECT ?e ?end WHERE { ?e dg:end ?end } }
}
"""


def export_events(store: KnowledgeStore, doc_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """All events in the store as export records, sorted by article and position.

    Parameters
    ----------
    store : KnowledgeStore
    doc_ids : iterable of str, optional
        Only these articles.

    Returns
    -------
    list of dict
        Records in the JSON Lines export format.
    """
    wanted = set(doc_ids) if doc_ids is not None else None
    ox = is_oxigraph(store)
    actors: dict[str, dict[str, Any]] = {}
    # sparql.run reads Oxigraph's answers as plain values, not rdflib terms
    # (a million triples, 23,706 events: 7.2 -> 2.4 s with the queries above).
    for x, eid, en, ar, wd, aff in run(store, _ACTORS)[1]:
        a = actors.setdefault(
            str(x), {"iri": str(x), "id": str(eid), "label_en": None, "label_ar": None, "wikidata": None, "_aff": None}
        )
        if en is not None and a["label_en"] is None:
            a["label_en"] = str(en)
        if ar is not None and a["label_ar"] is None:
            a["label_ar"] = str(ar)
        if wd is not None:
            a["wikidata"] = str(wd)
        if aff is not None:
            a["_aff"] = str(aff)
    roles: dict[str, dict[str, dict[str, dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    # Sorted: SPARQL gives no order, and a role with two entities should list
    # them alike whichever engine answers and however it joins.
    for ev, role, x in sorted(run(store, _ROLES_OX if ox else _ROLES)[1]):
        _add_role(roles[ev][role], x, actors)
    evidence: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for ev, text, start, end in run(store, _EVIDENCE_OX if ox else _EVIDENCE)[1]:
        evidence[ev].append((start, end, text))

    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    rows = run(store, _EVENTS_OX if ox else _EVENTS)[1]
    for ev, doc, typ, cameo, time, texpr, status, conf, rule, trigger, _pub in rows:
        if ev in seen or (wanted is not None and doc not in wanted):
            continue
        seen.add(ev)
        spans = sorted(set(evidence.get(ev, [])))
        rec: dict[str, Any] = {
            "doc_id": doc,
            "type": typ,
            "cameo": cameo,
            "actor": list(roles[ev]["actor"].values()),
            "target": list(roles[ev]["target"].values()),
            "place": list(roles[ev]["place"].values()),
            "time": time,
            "time_expression": texpr,
            "status": status,
            "evidence": spans[0][2] if spans else None,
            "evidence_spans": [[s, e] for s, e, _ in spans],
            "confidence": float(conf),
            "rule": rule,
            "trigger": trigger,
            "event": ev,
        }
        out.append(rec)
    out.sort(key=lambda r: (r["doc_id"], r["evidence_spans"][0][0] if r["evidence_spans"] else 0, r["type"]))
    return out


def _add_role(slot: dict[str, dict[str, Any]], iri: str, actors: dict[str, dict[str, Any]]) -> None:
    """Add an entity to a role, then whom it acts for or where it lies.

    A minister acts for his country, a capital stands for its government and
    a city lies in its country: the affiliation follows in the list with
    ``"via": "affiliation"``, so an analyst (and the scorer, for whom any
    entity of a list may match) can roll persons, bodies and places up to
    states.  (Places have been rolled up since the first export: the test
    ``role != "place"`` meant to spare them compared an rdflib literal with a
    string, which is never equal; the behaviour is kept, now on purpose.)
    """
    info = actors.get(iri, {"iri": iri, "id": iri.rsplit("/", 1)[-1], "label_en": None, "label_ar": None, "wikidata": None})
    if iri not in slot:
        slot[iri] = {k: v for k, v in info.items() if not k.startswith("_")}
    aff = info.get("_aff")
    if aff and aff not in slot:
        up = actors.get(aff, {"iri": aff, "id": aff.rsplit("/", 1)[-1], "label_en": None, "label_ar": None, "wikidata": None})
        slot[aff] = {k: v for k, v in up.items() if not k.startswith("_")} | {"via": "affiliation"}


def events_to_jsonl(events: Iterable[dict[str, Any]]) -> str:
    """JSON Lines, one event per line, Arabic kept readable (not \\u-escaped)."""
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)


def _names(items: list[dict[str, Any]]) -> str:
    return "; ".join(i.get("label_en") or i.get("label_ar") or i["iri"] for i in items)


def events_to_csv(events: Iterable[dict[str, Any]]) -> str:
    """A flat CSV for spreadsheets: one row per event, roles joined by ';'."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["doc_id", "type", "cameo", "actor", "target", "place", "time", "status", "confidence", "rule", "evidence"])
    for e in events:
        w.writerow(
            [
                e["doc_id"],
                e["type"],
                e["cameo"],
                _names(e["actor"]),
                _names(e["target"]),
                _names(e["place"]),
                e["time"] or "",
                e["status"],
                e["confidence"],
                e.get("rule", ""),
                e["evidence"] or "",
            ]
        )
    return buf.getvalue()
