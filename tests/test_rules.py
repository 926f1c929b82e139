"""Event rules on sentences written for these tests: every type, and negation,
modality, the future, passives, masdars, coordination and dropped subjects.

The pipeline is the real one (tokenizer, actor dictionary and linking, dates,
rules); NER is left out here to keep these tests fast and focused on the rules
(the NER model has its own tests and the end-to-end test uses it).
"""

from __future__ import annotations

import datetime as dt

import pytest

from diplograph.extract.model import EVENT_TYPES, Document, Event
from diplograph.extract.pipeline import default_pipeline
from diplograph.extract.rules import load_rules, load_triggers

NLP = default_pipeline(use_ner=False)
PUB = dt.date(2025, 3, 12)  # a Wednesday


def extract(text: str, published: dt.date | None = PUB) -> tuple[Document, list[Event]]:
    doc = Document(id="t", text=text, published=published)
    NLP(doc)
    return doc, doc.events


def labels(doc: Document, ids: list[str]) -> set[str]:
    """English labels of the entities and of whom they act for (as the export rolls up)."""
    out = set()
    for i in ids:
        ent = doc.entities.get(i)
        if ent is None:
            continue
        out.add(ent.label_en)
        if ent.affiliation and ent.affiliation in doc.entities:
            out.add(doc.entities[ent.affiliation].label_en)
    return out


def one(text: str, etype: str, published: dt.date | None = PUB) -> tuple[Document, Event]:
    doc, events = extract(text, published)
    found = [e for e in events if e.type == etype]
    assert found, f"no {etype} in {[(e.type, e.actor, e.target) for e in events]}"
    return doc, found[0]


# (sentence, type, actor must include, target must include)
CASES = [
    ("أكد وزير الخارجية القطري دعم بلاده الكامل للشعب الفلسطيني ولدولة فلسطين.", "STATEMENT", "Qatar", "State of Palestine"),
    ("ودعا الأمين العام للأمم المتحدة إسرائيل إلى وقف العمليات العسكرية فورا.", "APPEAL", "United Nations", "Israel"),
    ("واتفقت مصر والأردن على مواصلة التنسيق بين البلدين.", "INTENT_TO_COOPERATE", "Egypt", "Jordan"),
    ("التقى الرئيس الفرنسي نظيره المصري في باريس.", "MEET", "France", "Egypt"),
    ("وأجرى وزير الخارجية السعودي اتصالا هاتفيا مع نظيره الإيراني.", "PHONE_CALL", "Saudi Arabia", "Iran"),
    ("زار الرئيس التركي العاصمة القطرية الدوحة يوم الاثنين.", "VISIT", "Turkey", "Qatar"),
    ("واستقبل أمير قطر في الدوحة رئيس الوزراء الباكستاني.", "HOST", "Qatar", "Pakistan"),
    ("وتتوسط قطر بين إسرائيل وحركة حماس منذ أشهر.", "MEDIATE", "Qatar", "Israel"),
    ("واستضافت سلطنة عمان جولة مفاوضات بين إيران والولايات المتحدة.", "NEGOTIATE", "Iran", "United States"),
    ("ورحبت السعودية بالاتفاق بين أرمينيا وأذربيجان.", "PRAISE", "Saudi Arabia", None),
    ("أعلنت إسبانيا اعترافها بدولة فلسطين رسميا.", "RECOGNIZE", "Spain", "State of Palestine"),
    ("ووقعت الإمارات والهند اتفاقية للتجارة الحرة في أبوظبي.", "SIGN_AGREEMENT", "United Arab Emirates", "India"),
    ("وتعاونت تركيا وأذربيجان في تدريبات عسكرية مشتركة.", "COOPERATE", "Turkey", "Azerbaijan"),
    ("وقدمت الكويت مساعدات إنسانية إلى لبنان.", "AID", "Kuwait", "Lebanon"),
    ("وطالب الاتحاد الأوروبي روسيا بالانسحاب من الأراضي الأوكرانية.", "DEMAND", "European Union", "Russia"),
    ("وأدانت جامعة الدول العربية الغارات الإسرائيلية على سوريا.", "CRITICIZE", "Arab League", "Israel"),
    ("ورفضت إيران المقترح الأمريكي بشأن برنامجها النووي.", "REJECT", "Iran", "United States"),
    ("وهدد الحوثيون الولايات المتحدة بالرد على أي هجوم.", "THREATEN", "Houthis", "United States"),
    ("وفرضت الولايات المتحدة عقوبات جديدة على كوريا الشمالية.", "SANCTION", "United States", "North Korea"),
    ("وانسحبت الولايات المتحدة من اتفاق باريس للمناخ.", "WITHDRAW", "United States", None),
    ("وقصفت إسرائيل مواقع في جنوب لبنان.", "ATTACK", "Israel", None),
]


@pytest.mark.parametrize(("text", "etype", "actor", "target"), CASES, ids=[c[1] for c in CASES])
def test_each_event_type(text: str, etype: str, actor: str, target: str | None) -> None:
    doc, ev = one(text, etype)
    assert ev.cameo == EVENT_TYPES[etype]
    found = labels(doc, ev.actor) | labels(doc, ev.target)
    assert actor in found, (ev.actor, ev.target)
    if target is not None:
        assert target in found, (ev.actor, ev.target)
    assert ev.rule_id and 0 < ev.confidence < 1
    start, end = ev.evidence[0]
    assert 0 <= start < end <= len(doc.text)


def test_all_22_types_are_covered_by_the_lexicon_and_the_cases() -> None:
    lex = load_triggers()
    types = {t.type for cands in lex.words.values() for t, _ in cands} | {t.type for t, _ in lex.phrases}
    assert types == set(EVENT_TYPES)
    assert {c[1] for c in CASES} == set(EVENT_TYPES) - {"CEASEFIRE"}
    frames = {t.frame for cands in lex.words.values() for t, _ in cands} | {t.frame for t, _ in lex.phrases}
    assert frames - {"-"} <= set(load_rules())


def test_ceasefire_with_parties() -> None:
    doc, ev = one("وأعلنت إسرائيل وحركة حماس هدنة في قطاع غزة بوساطة قطرية.", "CEASEFIRE")
    assert {"Israel", "Hamas"} <= labels(doc, ev.actor + ev.target)


def test_negated_event_is_not_extracted() -> None:
    _, events = extract("ولم يلتق وزير الخارجية الأمريكي نظيره الروسي خلال القمة.")
    assert not [e for e in events if e.type == "MEET"]
    _, events = extract("ونفت الخارجية المصرية أن يكون الوزير قد التقى مسؤولين إسرائيليين.")
    assert not [e for e in events if e.type == "MEET"]


def test_questions_are_not_events() -> None:
    _, events = extract("هل زار الرئيس الأمريكي الدوحة الشهر الماضي؟")
    assert events == []


@pytest.mark.parametrize(
    "text",
    [
        "ومن المقرر أن يزور الرئيس الفرنسي الجزائر الشهر المقبل.",
        "وسيزور وزير الخارجية الصيني القاهرة الأسبوع المقبل.",
        "ويعتزم الرئيس التركي إجراء زيارة إلى العراق.",
    ],
)
def test_planned_visits(text: str) -> None:
    _, ev = one(text, "VISIT")
    assert ev.status == "planned"


def test_time_and_place_of_a_visit_are_resolved() -> None:
    doc, ev = one("زار الرئيس التركي رجب طيب أردوغان الدوحة أمس الثلاثاء.", "VISIT")
    assert ev.time is not None and ev.time.value == "2025-03-11"
    assert [doc.entities[t].label_en for t in ev.target] == ["Qatar"]
    assert [doc.entities[p].label_en for p in ev.place] == ["Doha"]
    assert ev.status == "happened"


def test_masdar_chain() -> None:
    doc, ev = one("وجاءت زيارة الرئيس الأمريكي دونالد ترامب إلى الرياض في مايو الماضي.", "VISIT", dt.date(2025, 9, 1))
    assert "Donald Trump" in labels(doc, ev.actor)
    assert labels(doc, ev.target) == {"Saudi Arabia"}
    assert ev.time is not None and ev.time.value == "2025-05"


def test_coordination_gives_every_party() -> None:
    doc, ev = one("وتلعب قطر ومصر والولايات المتحدة دور وساطة لوقف الحرب.", "MEDIATE")
    assert {"Qatar", "Egypt", "United States"} <= labels(doc, ev.actor)


def test_dropped_subject_comes_from_the_previous_sentence() -> None:
    doc, events = extract("استقبل الرئيس المصري عبد الفتاح السيسي وزير الخارجية الأمريكي في القاهرة. وأكد دعم بلاده للحل السياسي في السودان.")
    statements = [e for e in events if e.type == "STATEMENT"]
    assert statements and "Abdel Fattah el-Sisi" in labels(doc, statements[0].actor)


def test_dual_verb_carries_its_subject() -> None:
    doc, events = extract("التقى وزير الخارجية الأردني نظيره العراقي في بغداد، ودعا الجانبان إسرائيل إلى وقف غاراتها على سوريا.")
    meets = [e for e in events if e.type == "MEET"]
    assert meets and {"Jordan", "Iraq"} <= labels(doc, meets[0].actor + meets[0].target)
    appeals = [e for e in events if e.type == "APPEAL"]
    assert appeals and {"Jordan", "Iraq"} <= labels(doc, appeals[0].actor)


def test_the_same_event_twice_is_one_event_with_two_evidence_spans() -> None:
    doc, events = extract("أمير قطر يستقبل الرئيس الإيراني\n\nاستقبل أمير قطر الرئيس الإيراني في الدوحة اليوم.")
    hosts = [e for e in events if e.type == "HOST"]
    assert len(hosts) == 1
    assert len(hosts[0].evidence) == 2


def test_no_publication_date_keeps_relative_time_unresolved() -> None:
    _, ev = one("زار الرئيس التركي الدوحة أمس.", "VISIT", published=None)
    assert ev.time is not None and ev.time.value is None and ev.time.raw == "أمس"


def test_a_ministry_word_is_not_a_visit() -> None:
    # وزارة looks like "and visited him" (و + زار + ه); the lexicon's stop list says otherwise.
    _, events = extract("وقالت وزارة الخارجية القطرية في بيان إن المحادثات مستمرة.")
    assert not [e for e in events if e.type == "VISIT"]
