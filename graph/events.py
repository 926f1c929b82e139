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

from .store import KnowledgeStore

__all__ = ["export_events", "events_to_jsonl", "events_to_csv"]

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

_ROLES = """
SELECT ?ev ?role ?x WHERE {
  GRAPH ?g { ?ev a dg:Event ; ?rp ?x . VALUES (?rp ?role) { (dg:actor "actor") (dg:target "target") (dg:place "place") } }
}
"""

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

_EVIDENCE = """
SELECT ?ev ?text ?start ?end WHERE {
  GRAPH ?g { ?ev a dg:Event ; dg:evidence ?e . ?e dg:text ?text ; dg:start ?start ; dg:end ?end }
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
    actors: dict[str, dict[str, Any]] = {}
    for x, eid, en, ar, wd, aff in store.query(_ACTORS):
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
    for ev, role, x in store.query(_ROLES):
        _add_role(roles[str(ev)][str(role)], str(x), actors, role != "place")
    evidence: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for ev, text, start, end in store.query(_EVIDENCE):
        evidence[str(ev)].append((int(start), int(end), str(text)))

    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in store.query(_EVENTS):
        ev = str(row.ev)
        doc = str(row.doc)
        if ev in seen or (wanted is not None and doc not in wanted):
            continue
        seen.add(ev)
        spans = sorted(set(evidence.get(ev, [])))
        rec: dict[str, Any] = {
            "doc_id": doc,
            "type": str(row.type),
            "cameo": str(row.cameo),
            "actor": list(roles[ev]["actor"].values()),
            "target": list(roles[ev]["target"].values()),
            "place": list(roles[ev]["place"].values()),
            "time": str(row.time) if row.time is not None else None,
            "time_expression": str(row.texpr) if row.texpr is not None else None,
            "status": str(row.status),
            "evidence": spans[0][2] if spans else None,
            "evidence_spans": [[s, e] for s, e, _ in spans],
            "confidence": float(row.conf),
            "rule": str(row.rule),
            "trigger": str(row.trigger) if row.trigger is not None else None,
            "event": ev,
        }
        out.append(rec)
    out.sort(key=lambda r: (r["doc_id"], r["evidence_spans"][0][0] if r["evidence_spans"] else 0, r["type"]))
    return out


def _add_role(slot: dict[str, dict[str, Any]], iri: str, actors: dict[str, dict[str, Any]], roll_up: bool) -> None:
    """Add an entity to a role, then (for actor and target) whom it acts for.

    A minister acts for his country and a capital stands for its government:
    the country follows in the list with ``"via": "affiliation"``, so an
    analyst (and the scorer) can roll persons and bodies up to states.
    """
    info = actors.get(iri, {"iri": iri, "id": iri.rsplit("/", 1)[-1], "label_en": None, "label_ar": None, "wikidata": None})
    if iri not in slot:
        slot[iri] = {k: v for k, v in info.items() if not k.startswith("_")}
    aff = info.get("_aff")
    if roll_up and aff and aff not in slot:
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
