"""Scoring extracted events against gold, by the rules of ``docs/SCHEMA.md``.

Entities match on Wikidata QID, on English label (lower-cased, punctuation
removed) or on the system's Arabic label normalized as the schema says (no
diacritics or tatweel, أ إ آ → ا, ى → ي, ة → ه, leading ال dropped) being
one of the gold aliases.  Events match on type and roles (core), plus time
and place (full).  Each side is used at most once: a maximum bipartite
matching over the required gold events first, then over the optional ones
with the system events left; a system event that only matches an optional
gold event counts neither way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from diplograph.extract.model import SYMMETRIC_TYPES

__all__ = ["score", "normalize_ar", "Scores", "entity_matches", "time_matches"]

_DIAC = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def normalize_ar(text: str) -> str:
    """Normalize Arabic exactly as the scorer of SCHEMA.md does."""
    t = _DIAC.sub("", text.strip())
    t = t.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي").replace("ة", "ه")
    return t[2:] if t.startswith("ال") else t


def _norm_en(text: str) -> str:
    t = "".join(ch for ch in text.lower() if not unicodedata.category(ch).startswith("P"))
    return " ".join(t.split())


def entity_matches(system: dict[str, Any], gold_id: str, gold_entities: dict[str, dict[str, Any]]) -> bool:
    """Does a system entity (export record) match the gold entity ``gold_id``?"""
    gold = gold_entities.get(gold_id, {"id": gold_id})
    wd = system.get("wikidata")
    if wd and gold_id.startswith("Q") and wd == gold_id:
        return True
    en, gen = system.get("label_en"), gold.get("label_en")
    if en and gen and _norm_en(en) == _norm_en(gen):
        return True
    ar = system.get("label_ar")
    if ar:
        nar = normalize_ar(ar)
        if any(nar == normalize_ar(a) for a in gold.get("aliases_ar", [])):
            return True
    return False


def _bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by an ISO date, month, year or interval."""
    if "/" in value:
        a, b = value.split("/", 1)
        return _bounds(a)[0], _bounds(b)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    d = dt.date(parts[0], parts[1], parts[2])
    return d, d


def time_matches(system: str | None, gold: str | None) -> bool:
    """Rule 3 for time: equal, or lying inside the gold value at its precision."""
    if gold is None:
        return True
    if not system:
        return False
    if system == gold:
        return True
    try:
        s0, s1 = _bounds(system)
        g0, g1 = _bounds(gold)
    except (ValueError, IndexError):
        return False
    return g0 <= s0 and s1 <= g1


def _roles_match(sys_ev: dict[str, Any], gold_ev: dict[str, Any], ents: dict[str, dict[str, Any]]) -> bool:
    def role_ok(sys_role: list[dict[str, Any]], gold_ids: list[str]) -> bool:
        if not gold_ids:
            return True
        return any(entity_matches(s, g, ents) for s in sys_role for g in gold_ids)

    straight = role_ok(sys_ev.get("actor", []), gold_ev.get("actor", [])) and role_ok(
        sys_ev.get("target", []), gold_ev.get("target", [])
    )
    if straight:
        return True
    if gold_ev["type"] in SYMMETRIC_TYPES:
        return role_ok(sys_ev.get("target", []), gold_ev.get("actor", [])) and role_ok(
            sys_ev.get("actor", []), gold_ev.get("target", [])
        )
    return False


def _match(sys_ev: dict[str, Any], gold_ev: dict[str, Any], ents: dict[str, dict[str, Any]], full: bool) -> bool:
    if sys_ev["type"] != gold_ev["type"]:
        return False
    if not _roles_match(sys_ev, gold_ev, ents):
        return False
    if not full:
        return True
    if not time_matches(sys_ev.get("time"), gold_ev.get("time")):
        return False
    gold_places = gold_ev.get("place") or []
    if gold_places:
        return any(entity_matches(p, g, ents) for p in sys_ev.get("place", []) for g in gold_places)
    return True


def _max_matching(left: list[int], right: list[int], edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    g = nx.Graph()
    g.add_nodes_from((("s", i) for i in left), bipartite=0)
    g.add_nodes_from((("g", j) for j in right), bipartite=1)
    g.add_edges_from((("s", i), ("g", j)) for i, j in edges)
    m = nx.bipartite.maximum_matching(g, top_nodes=[("s", i) for i in left])
    return {a[1]: b[1] for a, b in m.items() if a[0] == "s"}


@dataclass
class Scores:
    """Precision, recall and F1 with their counts."""

    tp: int = 0
    system: int = 0
    gold: int = 0
    per_type_gold: Counter[str] = field(default_factory=Counter)
    per_type_found: Counter[str] = field(default_factory=Counter)
    missed: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "system": self.system,
            "gold": self.gold,
            "per_type_recall": {
                t: round(self.per_type_found[t] / n, 4) for t, n in sorted(self.per_type_gold.items())
            },
        }


def score(gold_docs: list[dict[str, Any]], system_events: list[dict[str, Any]], full: bool) -> Scores:
    """Score system events (export records) against gold documents.

    Parameters
    ----------
    gold_docs : list of dict
        The gold file's objects (``doc_id``, ``entities``, ``events``).
    system_events : list of dict
        Export records; those whose ``doc_id`` is not in the gold are ignored.
    full : bool
        Full match (time and place too) instead of core.
    """
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in system_events:
        by_doc[ev["doc_id"]].append(ev)
    out = Scores()
    for gdoc in gold_docs:
        ents = {e["id"]: e for e in gdoc.get("entities", [])}
        sys_evs = by_doc.get(gdoc["doc_id"], [])
        req = [g for g in gdoc["events"] if g.get("required", True)]
        opt = [g for g in gdoc["events"] if not g.get("required", True)]
        s_idx = list(range(len(sys_evs)))
        m1 = _max_matching(
            s_idx,
            list(range(len(req))),
            ((i, j) for i in s_idx for j, g in enumerate(req) if _match(sys_evs[i], g, ents, full)),
        )
        rest = [i for i in s_idx if i not in m1]
        m2 = _max_matching(
            rest,
            list(range(len(opt))),
            ((i, j) for i in rest for j, g in enumerate(opt) if _match(sys_evs[i], g, ents, full)),
        )
        out.tp += len(m1)
        out.system += len(sys_evs) - len(m2)
        out.gold += len(req)
        found = set(m1.values())
        for j, g in enumerate(req):
            out.per_type_gold[g["type"]] += 1
            if j in found:
                out.per_type_found[g["type"]] += 1
            else:
                out.missed.append({"doc_id": gdoc["doc_id"], **g})
        for i in s_idx:
            if i not in m1 and i not in m2:
                out.false_positives.append(sys_evs[i])
    return out
