"""The scorer follows SCHEMA.md: entity matching, time at gold precision, maximum matching."""

from __future__ import annotations

from typing import Any

from diplograph.evaluate import entity_matches, normalize_ar, score, time_matches

GOLD_ENTS = {
    "Q846": {"id": "Q846", "label_en": "Qatar", "aliases_ar": ["قطر", "القطرية"]},
    "Q30": {"id": "Q30", "label_en": "United States", "aliases_ar": ["واشنطن", "الولايات المتحدة"]},
    "X:Badr": {"id": "X:Badr", "label_en": "Badr Abdelatty", "aliases_ar": ["عبد العاطي"]},
}


def ent(**kw: Any) -> dict[str, Any]:
    return {"iri": "x", "label_en": None, "label_ar": None, "wikidata": None} | kw


def test_normalize_ar_as_the_schema_says() -> None:
    assert normalize_ar("الدَّوْحَة") == "دوحه"
    assert normalize_ar("إسرائيل") == "اسرائيل"


def test_entity_matching_three_ways() -> None:
    assert entity_matches(ent(wikidata="Q846"), "Q846", GOLD_ENTS)
    assert entity_matches(ent(label_en="badr  abdelatty."), "X:Badr", GOLD_ENTS)
    assert entity_matches(ent(label_ar="القطريّة"), "Q846", GOLD_ENTS)
    assert not entity_matches(ent(label_ar="مصر", wikidata="Q79"), "Q846", GOLD_ENTS)


def test_time_inside_gold_precision() -> None:
    assert time_matches("2025-05-13", "2025-05")
    assert time_matches("2025-05-14", "2025-05-13/2025-05-16")
    assert time_matches("2025-05-13/2025-05-16", "2025-05")
    assert not time_matches("2025", "2025-05")
    assert not time_matches(None, "2025")
    assert time_matches(None, None)


def _gold(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"doc_id": "d", "entities": list(GOLD_ENTS.values()), "events": events}]


def g(eid: str, typ: str, actor: list[str], target: list[str], required: bool = True, **kw: Any) -> dict[str, Any]:
    return {"id": eid, "type": typ, "actor": actor, "target": target, "place": [], "time": None, "required": required} | kw


def s(typ: str, actor: list[dict[str, Any]], target: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    return {"doc_id": "d", "type": typ, "actor": actor, "target": target, "place": [], "time": None} | kw


def test_symmetric_types_may_swap_roles() -> None:
    gold = _gold([g("e1", "MEET", ["Q846"], ["Q30"])])
    swapped = [s("MEET", [ent(wikidata="Q30")], [ent(wikidata="Q846")])]
    assert score(gold, swapped, full=False).f1 == 1.0
    gold_visit = _gold([g("e1", "VISIT", ["Q846"], ["Q30"])])
    assert score(gold_visit, [s("VISIT", [ent(wikidata="Q30")], [ent(wikidata="Q846")])], full=False).tp == 0


def test_optional_gold_is_neutral_and_each_side_matches_once() -> None:
    gold = _gold([g("e1", "PRAISE", ["Q30"], ["Q846"]), g("e2", "PRAISE", ["Q30"], ["Q846"], required=False)])
    system = [s("PRAISE", [ent(wikidata="Q30")], [ent(wikidata="Q846")])] * 3
    sc = score(gold, system, full=False)
    # one matches the required event, one the optional (left out), one is a false positive
    assert (sc.tp, sc.system, sc.gold) == (1, 2, 1)
    assert sc.precision == 0.5 and sc.recall == 1.0


def test_full_match_needs_time_and_place() -> None:
    gold = _gold([g("e1", "VISIT", ["Q846"], ["Q30"], time="2025-05", place=["Q30"])])
    right = s("VISIT", [ent(wikidata="Q846")], [ent(wikidata="Q30")], time="2025-05-13", place=[ent(wikidata="Q30")])
    no_place = dict(right, place=[])
    assert score(gold, [right], full=True).tp == 1
    assert score(gold, [no_place], full=True).tp == 0
    assert score(gold, [no_place], full=False).tp == 1
