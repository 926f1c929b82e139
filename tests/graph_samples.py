"""Hand-made articles for graph tests: a small world whose query answers are known.

The documents are built directly from :mod:`diplograph.extract.model` objects
(no extraction), so the expected rows of every library query can be written
down exactly and do not move when the rules change.  ``gold_documents``
builds the same kind of documents from the annotated dev articles (gold
entities and events, evidence located in the real text), for tests that need
real Arabic articles without depending on extraction quality.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from diplograph.extract.model import Document, Entity, Event, Mention, Sentence, TimeValue
from diplograph.graph.merge import annotate_query_keys
from diplograph.graph.rdf import actor_triples, article_triples
from diplograph.graph.store import KnowledgeStore

__all__ = ["ENTITIES", "sample_documents", "fill_store", "gold_documents", "EXTRACTED_AT"]

EXTRACTED_AT = dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.UTC)

ENTITIES: dict[str, Entity] = {
    e.id: e
    for e in (
        Entity("Q43", "Turkey", "تركيا", "Country", wikidata="Q43"),
        Entity("Q858", "Syria", "سوريا", "Country", wikidata="Q858"),
        Entity("Q3766", "Damascus", "دمشق", "City", wikidata="Q3766", affiliation="Q858"),
        Entity("X:Hakan_Fidan", "Hakan Fidan", "هاكان فيدان", "Person", affiliation="Q43", role="Minister of Foreign Affairs"),
        Entity("X:Ahmed_al-Sharaa", "Ahmed al-Sharaa", "أحمد الشرع", "Person", affiliation="Q858"),
        Entity("Q846", "Qatar", "قطر", "Country", wikidata="Q846"),
        Entity("Q3861", "Doha", "الدوحة", "City", wikidata="Q3861", affiliation="Q846"),
        Entity("Q30", "United States", "الولايات المتحدة", "Country", wikidata="Q30"),
        Entity("Q22686", "Donald Trump", "دونالد ترامب", "Person", wikidata="Q22686", affiliation="Q30"),
        Entity("Q794", "Iran", "إيران", "Country", wikidata="Q794"),
        Entity("Q458", "European Union", "الاتحاد الأوروبي", "Organization", wikidata="Q458"),
        Entity("Q801", "Israel", "إسرائيل", "Country", wikidata="Q801"),
        Entity("X:Hamas", "Hamas", "حماس", "Organization"),
        Entity("Q79", "Egypt", "مصر", "Country", wikidata="Q79"),
        Entity("X:Egypt_MFA", "Egyptian Ministry of Foreign Affairs", "وزارة الخارجية المصرية", "GovernmentBody", affiliation="Q79"),
        Entity("X:Badr_Abdelatty", "Badr Abdelatty", "بدر عبد العاطي", "Person", affiliation="Q79"),
        Entity("Q142", "France", "فرنسا", "Country", wikidata="Q142"),
        Entity("X:Western_Sahara", "Western Sahara", "الصحراء الغربية", "Region"),
    )
}


def _doc(doc_id: str, published: str, source: str, facts: list[tuple[str, Event]]) -> Document:
    """A document whose text is one sentence per fact, with the event pointing at it.

    Every entity of an event is mentioned once per event (so mention counts
    are predictable) and added to the document's entities.
    """
    text, sentences, events, mentions = "", [], [], []
    entities: dict[str, Entity] = {}
    for i, (sentence, ev) in enumerate(facts):
        start = len(text)
        text += sentence + "\n"
        sentences.append(Sentence(start, start + len(sentence), sentence, index=i))
        ev.sentence = i
        ev.evidence = [(start, start + len(sentence))]
        events.append(ev)
        for eid in dict.fromkeys(ev.actor + ev.target + ev.place):
            mentions.append(Mention(start, start + 1, sentence[:1], "LOC", "gazetteer", i, [eid]))
            entities[eid] = ENTITIES[eid]
    return Document(
        id=doc_id,
        text=text,
        title=facts[0][0],
        published=dt.date.fromisoformat(published),
        source=source,
        url=f"https://news.example.org/{doc_id}",
        sentences=sentences,
        mentions=mentions,
        entities=entities,
        events=events,
    )


def _t(value: str | None, raw: str = "") -> TimeValue:
    return TimeValue(value, raw or (value or "أمس"))


def sample_documents() -> list[Document]:
    """Four articles, thirteen events, two of them the same visit reported twice.

    * ``a1`` (Agency A, 2024-12-23): Fidan visits Syria (Damascus) on 2024-12-22,
      meets al-Sharaa there, praises him.
    * ``a2`` (Agency B, 2024-12-24): the same visit again; the EU sanctions Iran
      on 2024-10-14.
    * ``a3`` (Agency A, 2025-05-20): Trump visits Qatar (Doha) in 2025-05; Qatar
      mediates between Hamas and Israel 13-16 May; Hamas and Israel negotiate in
      Doha on 2025-05-14; the US plans sanctions on Iran on 2025-05-15.
    * ``a4`` (Agency C, 2025-06-02): France recognizes Western Sahara (2024-07-30);
      Abdelatty meets Fidan on 2025-06-01; Egypt mediates between Hamas and
      Israel in 2025-06; the Egyptian foreign ministry criticizes Israel.
    """
    return [
        _doc("a1", "2024-12-23", "Agency A", [
            ("وصل وزير الخارجية التركي هاكان فيدان إلى دمشق أمس.",
             Event("VISIT", ["X:Hakan_Fidan"], ["Q858"], ["Q3766"], _t("2024-12-22"), "happened", rule_id="visit.arrive", confidence=0.9, trigger="وصل")),
            ("والتقى فيدان أحمد الشرع في دمشق.",
             Event("MEET", ["X:Hakan_Fidan"], ["X:Ahmed_al-Sharaa"], ["Q3766"], _t("2024-12-22"), rule_id="meet.met", confidence=0.8)),
            ("وأشاد فيدان بالشرع.",
             Event("PRAISE", ["X:Hakan_Fidan"], ["X:Ahmed_al-Sharaa"], [], None, rule_id="praise.x", confidence=0.7)),
        ]),
        _doc("a2", "2024-12-24", "Agency B", [
            ("زار فيدان سوريا يوم الأحد.",
             Event("VISIT", ["X:Hakan_Fidan"], ["Q858"], ["Q3766"], _t("2024-12-22", "يوم الأحد"), rule_id="visit.visited", confidence=0.85)),
            ("فرض الاتحاد الأوروبي عقوبات على إيران.",
             Event("SANCTION", ["Q458"], ["Q794"], [], _t("2024-10-14"), rule_id="sanction.impose", confidence=0.9)),
        ]),
        _doc("a3", "2025-05-20", "Agency A", [
            ("زار الرئيس دونالد ترامب الدوحة في مايو.",
             Event("VISIT", ["Q22686"], ["Q846"], ["Q3861"], _t("2025-05", "مايو"), rule_id="visit.visited", confidence=0.9)),
            ("تتوسط قطر بين حماس وإسرائيل.",
             Event("MEDIATE", ["Q846"], ["X:Hamas", "Q801"], [], _t("2025-05-13/2025-05-16", "من 13 إلى 16 مايو"), "ongoing", rule_id="mediate.between", confidence=0.8)),
            ("وتفاوضت حماس وإسرائيل في الدوحة.",
             Event("NEGOTIATE", ["X:Hamas"], ["Q801"], ["Q3861"], _t("2025-05-14"), rule_id="negotiate.talks", confidence=0.75)),
            ("وتعتزم الولايات المتحدة فرض عقوبات على إيران.",
             Event("SANCTION", ["Q30"], ["Q794"], [], _t("2025-05-15"), "planned", rule_id="sanction.intend", confidence=0.6)),
        ]),
        _doc("a4", "2025-06-02", "Agency C", [
            ("اعترفت فرنسا بسيادة المغرب على الصحراء الغربية.",
             Event("RECOGNIZE", ["Q142"], ["X:Western_Sahara"], [], _t("2024-07-30"), rule_id="recognize.x", confidence=0.8)),
            ("التقى بدر عبد العاطي هاكان فيدان.",
             Event("MEET", ["X:Badr_Abdelatty"], ["X:Hakan_Fidan"], [], _t("2025-06-01"), rule_id="meet.met", confidence=0.8)),
            ("تتوسط مصر بين حماس وإسرائيل.",
             Event("MEDIATE", ["Q79"], ["X:Hamas", "Q801"], [], _t("2025-06", "يونيو"), "ongoing", rule_id="mediate.between", confidence=0.7)),
            ("انتقدت وزارة الخارجية المصرية إسرائيل.",
             Event("CRITICIZE", ["X:Egypt_MFA"], ["Q801"], [], _t("2025", "هذا العام"), rule_id="criticize.x", confidence=0.65)),
        ]),
    ]


def fill_store(kg: KnowledgeStore, docs: list[Document]) -> None:
    """Write documents into a store the way ``diplograph build`` does.

    The article graphs get their ``dg:sameEventKey`` (graph/merge.py), which
    the ``same_event`` query groups on.
    """
    for doc in docs:
        kg.replace_article(
            doc.id,
            annotate_query_keys(article_triples(doc, extracted_at=EXTRACTED_AT, pipeline_version="test")),
            actor_triples(doc.entities.values()),
        )


def gold_documents(gold_path: Path, corpus_root: Path) -> list[Document]:
    """Documents made from gold annotations: real articles, gold entities and events.

    Each gold event becomes one event whose roles are the gold lists (all of
    the "any of these" alternatives), whose evidence is located in the real
    article text, and whose time and status are the gold ones.
    """
    docs = []
    for g in json.loads(gold_path.read_text(encoding="utf-8")):
        text = (corpus_root / g["source_file"]).read_text(encoding="utf-8")
        entities = {
            e["id"]: Entity(
                e["id"], e.get("label_en") or "", (e.get("aliases_ar") or [""])[0], e["type"],
                wikidata=e["id"] if e["id"].startswith("Q") else None,
                affiliation=e.get("affiliation"), role=e.get("role"),
                aliases_ar=list(e.get("aliases_ar") or []),
            )
            for e in g["entities"]
        }
        sentences: list[Sentence] = []
        events: list[Event] = []
        for ev in g["events"]:
            start = text.find(ev["evidence"])
            assert start >= 0, f"{g['doc_id']}: evidence not in the text: {ev['evidence'][:40]}"
            end = start + len(ev["evidence"])
            sentences.append(Sentence(start, end, ev["evidence"], index=len(sentences)))
            events.append(
                Event(
                    ev["type"], list(ev["actor"]), list(ev["target"]), list(ev["place"]),
                    TimeValue(ev["time"], ev["time"]) if ev.get("time") else None,
                    ev["status"], [(start, end)], rule_id="gold", confidence=1.0,
                    sentence=len(sentences) - 1,
                )
            )
        mentions = [Mention(0, 1, text[:1], "LOC", "gold", 0, [eid]) for eid in entities]
        docs.append(
            Document(
                id=g["doc_id"], text=text, title=text.strip().splitlines()[0],
                published=dt.date.fromisoformat(g["published"]), published_basis="gold",
                sentences=sentences, mentions=mentions, entities=entities, events=events,
            )
        )
    return docs
