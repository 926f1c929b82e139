"""Every library query gives the exact expected rows, on Oxigraph and on rdflib's memory store.

The store is built from hand-made documents (tests/graph_samples.py) whose
answers are known; a second part runs the queries on the dev articles built
by the real pipeline and checks answers that do not depend on fine details
of extraction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diplograph.extract.model import Document
from diplograph.graph import sparql as sq
from diplograph.graph.merge import merge_records, merged_events, same_event_key
from diplograph.graph.store import KnowledgeStore
from diplograph.ontology import actor_iri

from .conftest import need_shared
from .graph_samples import fill_store, sample_documents

A = actor_iri


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def kg(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeStore]:
    path = tmp_path_factory.mktemp("kg") / "kg" if request.param == "oxigraph" else None
    store = KnowledgeStore(path, create=True)
    fill_store(store, sample_documents())
    yield store
    store.close()


def ask(kg: KnowledgeStore, name: str, **params: str) -> list[dict[str, Any]]:
    """Run a library query by name the way ``diplograph query`` does; rows as dicts."""
    q = sq.get(name)
    header, rows = sq.run(kg, q.text, sq.bind_params(q.params, params))
    return [dict(zip(header, r, strict=True)) for r in rows]


def pick(rows: list[dict[str, Any]], *cols: str, sets: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """The chosen columns of each row; lists joined by GROUP_CONCAT (no order in SPARQL) as sets."""
    out = []
    for r in rows:
        vals = []
        for c in cols:
            v = r[c]
            if c in sets and v is not None:
                v = frozenset(x.strip() for x in str(v).replace(" / ", ",").split(",") if x.strip())
            vals.append(v)
        out.append(tuple(vals))
    return out


def test_the_library_has_the_documented_queries() -> None:
    names = {q.name for q in sq.library()}
    assert {
        "visits", "meetings", "mediators", "negotiations", "sanctions", "recognitions", "partners",
        "pair_events", "events_by_month", "events_by_type", "mentions", "same_event", "actors_by_country",
    } <= names
    for q in sq.library():
        assert q.title, f"{q.name} has no '# title:'"
        comments = [ln for ln in q.text.splitlines() if ln.startswith("#") and "title:" not in ln and "param:" not in ln]
        assert len(comments) >= 3, f"{q.name} is not documented"


def test_visits(kg: KnowledgeStore) -> None:
    rows = ask(kg, "visits", actor="X:Hakan_Fidan")
    assert pick(rows, "destination", "destinationLabel", "place", "placeLabel", "time", "status", "article") == [
        (A("Q858"), "Syria", A("Q3766"), "Damascus", "2024-12-22", "happened", "a1"),
        (A("Q858"), "Syria", A("Q3766"), "Damascus", "2024-12-22", "happened", "a2"),
    ]
    assert rows[0]["evidence"] == "وصل وزير الخارجية التركي هاكان فيدان إلى دمشق أمس."
    assert ask(kg, "visits", actor="X:Hakan_Fidan", since="2024-12-23") == []
    assert len(ask(kg, "visits", actor="X:Hakan_Fidan", until="2024-12-22")) == 2
    # A visit "in May 2025" may fall on or after 20 May: kept.
    trump = ask(kg, "visits", actor="Q22686", since="2025-05-20", until="2025-06-30")
    assert pick(trump, "destinationLabel", "placeLabel", "time") == [("Qatar", "Doha", "2025-05")]
    assert ask(kg, "visits", actor="Q22686", since="2025-06-01") == []


def test_meetings_in_a_period(kg: KnowledgeStore) -> None:
    everything = ask(kg, "meetings")
    assert pick(everything, "type", "side1Label", "side2Label", "time", "article") == [
        ("MEET", "Hakan Fidan", "Ahmed al-Sharaa", "2024-12-22", "a1"),
        ("MEET", "Badr Abdelatty", "Hakan Fidan", "2025-06-01", "a4"),
    ]
    june = ask(kg, "meetings", since="2025-06-01", until="2025-06-30")
    assert pick(june, "side1Label", "side2Label") == [("Badr Abdelatty", "Hakan Fidan")]
    assert ask(kg, "meetings", since="2025-06-02") == []
    with_sharaa = ask(kg, "meetings", actor="X:Ahmed_al-Sharaa")
    assert pick(with_sharaa, "article") == [("a1",)]


def test_mediators(kg: KnowledgeStore) -> None:
    rows = ask(kg, "mediators")
    assert pick(rows, "mediatorLabel", "events", "parties", "first", "last", "articles", sets=("parties",)) == [
        ("Egypt", 1, frozenset({"Hamas", "Israel"}), "2025-06", "2025-06", 1),
        ("Qatar", 1, frozenset({"Hamas", "Israel"}), "2025-05-13/2025-05-16", "2025-05-13/2025-05-16", 1),
    ]
    assert len(ask(kg, "mediators", party="Q801")) == 2
    assert ask(kg, "mediators", party="Q858") == []


def test_negotiations_and_venues(kg: KnowledgeStore) -> None:
    rows = ask(kg, "negotiations")
    assert pick(rows, "party1Label", "party2Label", "venues", "time", "status", "article") == [
        ("Hamas", "Israel", "Doha", "2025-05-14", "happened", "a3")
    ]
    assert ask(kg, "negotiations", actor="Q846") == []


def test_sanctions_timeline(kg: KnowledgeStore) -> None:
    rows = ask(kg, "sanctions")
    assert pick(rows, "time", "imposerLabel", "sanctionedLabel", "status", "article") == [
        ("2024-10-14", "European Union", "Iran", "happened", "a2"),
        ("2025-05-15", "United States", "Iran", "planned", "a3"),
    ]
    assert pick(ask(kg, "sanctions", actor="Q30"), "imposerLabel") == [("United States",)]
    assert len(ask(kg, "sanctions", target="Q794")) == 2
    assert ask(kg, "sanctions", target="Q30") == []


def test_recognitions(kg: KnowledgeStore) -> None:
    rows = ask(kg, "recognitions")
    assert pick(rows, "time", "recognizerLabel", "recognizedLabel", "status", "article") == [
        ("2024-07-30", "France", "Western Sahara", "happened", "a4")
    ]
    assert ask(kg, "recognitions", actor="Q79") == []


def test_partners_ranked(kg: KnowledgeStore) -> None:
    rows = ask(kg, "partners", actor="X:Hakan_Fidan")
    assert pick(rows, "label", "events", "types", sets=("types",)) == [
        ("Ahmed al-Sharaa", 2, frozenset({"MEET", "PRAISE"})),
        ("Syria", 2, frozenset({"VISIT"})),
        ("Badr Abdelatty", 1, frozenset({"MEET"})),
    ]


def test_pair_events_with_evidence(kg: KnowledgeStore) -> None:
    rows = ask(kg, "pair_events", actor="X:Hakan_Fidan", other="X:Ahmed_al-Sharaa")
    assert pick(rows, "type", "direction", "time", "evidence", "article", "published") == [
        ("PRAISE", "actor → other", None, "وأشاد فيدان بالشرع.", "a1", "2024-12-23"),
        ("MEET", "actor → other", "2024-12-22", "والتقى فيدان أحمد الشرع في دمشق.", "a1", "2024-12-23"),
    ]
    doc = sample_documents()[0]
    for r in rows:  # the offsets point at the evidence in the article text
        assert doc.text[r["start"]:r["end"]] == r["evidence"]
    reverse = ask(kg, "pair_events", actor="X:Ahmed_al-Sharaa", other="X:Hakan_Fidan")
    assert {r["direction"] for r in reverse} == {"other → actor"}


def test_events_by_month(kg: KnowledgeStore) -> None:
    rows = ask(kg, "events_by_month")
    assert pick(rows, "month", "type", "events") == [
        ("2024-07", "RECOGNIZE", 1),
        ("2024-10", "SANCTION", 1),
        ("2024-12", "VISIT", 2),
        ("2024-12", "MEET", 1),
        ("2025-05", "MEDIATE", 1),
        ("2025-05", "NEGOTIATE", 1),
        ("2025-05", "SANCTION", 1),
        ("2025-05", "VISIT", 1),
        ("2025-06", "MEDIATE", 1),
        ("2025-06", "MEET", 1),
        ("unknown", "CRITICIZE", 1),  # time "2025": a year, no month
        ("unknown", "PRAISE", 1),  # no time
    ]


def test_events_by_type(kg: KnowledgeStore) -> None:
    rows = ask(kg, "events_by_type")
    assert pick(rows, "type", "cameo", "events", "articles") == [
        ("VISIT", "042", 3, 3),
        ("MEDIATE", "045", 2, 2),
        ("MEET", "040", 2, 2),
        ("SANCTION", "163", 2, 2),
        ("CRITICIZE", "111", 1, 1),
        ("NEGOTIATE", "046", 1, 1),
        ("PRAISE", "051", 1, 1),
        ("RECOGNIZE", "054", 1, 1),
    ]


def test_mentions(kg: KnowledgeStore) -> None:
    rows = ask(kg, "mentions", actor="X:Hakan_Fidan")
    assert pick(rows, "article", "published", "source", "mentions", "events") == [
        ("a4", "2025-06-02", "Agency C", 1, 1),
        ("a2", "2024-12-24", "Agency B", 1, 1),
        ("a1", "2024-12-23", "Agency A", 3, 3),
    ]
    assert rows[0]["title"] == "اعترفت فرنسا بسيادة المغرب على الصحراء الغربية."
    assert ask(kg, "mentions", actor="Q9999999") == []


def test_same_event_across_sources(kg: KnowledgeStore) -> None:
    rows = ask(kg, "same_event")
    assert pick(rows, "type", "time", "sources", "articles", sets=("articles",)) == [
        ("VISIT", "2024-12-22", 2, frozenset({"a1", "a2"}))
    ]
    assert len(rows[0]["nodes"].split()) == 2
    # min=1 lists every dated event once: 12 dated nodes, the two visit reports as one.
    assert len(ask(kg, "same_event", min="1")) == 11


def test_actors_by_country_rolls_up_affiliations(kg: KnowledgeStore) -> None:
    rows = ask(kg, "actors_by_country")
    assert pick(rows, "country", "countryLabel", "participations", "actors", "members", sets=("members",)) == [
        (A("Q43"), None, 4, 1, frozenset({"Hakan Fidan"})),  # Turkey itself is not in the actors graph
        (A("Q79"), "Egypt", 3, 3, frozenset({"Egypt", "Egyptian Ministry of Foreign Affairs", "Badr Abdelatty"})),
        (A("Q30"), "United States", 2, 2, frozenset({"United States", "Donald Trump"})),
        (A("Q458"), "European Union", 1, 1, frozenset({"European Union"})),
        (A("Q142"), "France", 1, 1, frozenset({"France"})),
        (A("X:Hamas"), "Hamas", 1, 1, frozenset({"Hamas"})),
        (A("Q846"), "Qatar", 1, 1, frozenset({"Qatar"})),
    ]


def test_every_query_gives_the_same_rows_on_both_stores(tmp_path: Path) -> None:
    """Oxigraph and rdflib's SPARQL engines agree on every library query."""
    params = {"actor": "X:Hakan_Fidan", "other": "X:Ahmed_al-Sharaa"}
    with KnowledgeStore(tmp_path / "kg", create=True) as ox, KnowledgeStore(None) as mem:
        fill_store(ox, sample_documents())
        fill_store(mem, sample_documents())
        for q in sq.library():
            values = {p.name: params[p.name] for p in q.params if p.default is None}
            b = sq.bind_params(q.params, values)
            a, m = sq.run(ox, q.text, b), sq.run(mem, q.text, b)
            assert a[0] == m[0], q.name
            norm = lambda rows: sorted(  # noqa: E731 - GROUP_CONCAT order is not defined
                tuple(sorted(str(v).replace(" / ", " ").replace(",", " ").split()) if isinstance(v, str) else v for v in r)
                for r in rows
            )
            assert norm(a[1]) == norm(m[1]), q.name
            assert a[1], f"{q.name} returned no rows on the sample store"


def test_cells_have_the_same_python_types_on_both_stores(tmp_path: Path) -> None:
    """Numbers come back as numbers, everything else as text, whichever store answers."""
    from rdflib import Graph

    ttl = """@prefix x: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    x:s x:p 3 , -7 , "12"^^xsd:int , "5"^^xsd:long , 0.625 , 2.5e3 , "1.5"^^xsd:float , "ثلاثة"@ar , "text" ,
        "2025-05-13"^^xsd:date , "x1"^^xsd:integer , x:o , [ x:q "b" ] ."""
    graph = Graph().parse(data=ttl, format="turtle")
    query = "SELECT ?o WHERE { <http://example.org/s> <http://example.org/p> ?o FILTER(!isBlank(?o)) } ORDER BY STR(?o)"
    with KnowledgeStore(tmp_path / "kg", create=True) as ox, KnowledgeStore(None) as mem:
        answers = []
        for store in (ox, mem):
            store.load_graph(graph, "http://example.org/g")
            header, rows = sq.run(store, query)
            answers.append(sorted((type(v).__name__, str(v)) for (v,) in rows))
    assert answers[0] == answers[1]
    kinds = dict((v, k) for k, v in answers[0])
    assert kinds["3"] == kinds["-7"] == kinds["12"] == kinds["5"] == "int"
    assert kinds["0.625"] == "Decimal" and kinds["2500.0"] == "float"
    assert kinds["ثلاثة"] == kinds["text"] == kinds["2025-05-13"] == kinds["x1"] == kinds["http://example.org/o"] == "str"


def test_event_export_and_network_are_the_same_on_both_stores(tmp_path: Path) -> None:
    """The readers behind `events`, merging and the network give Oxigraph's answers and rdflib's alike."""
    from diplograph.graph.events import export_events
    from diplograph.graph.network import project

    with KnowledgeStore(tmp_path / "kg", create=True) as ox, KnowledgeStore(None) as mem:
        answers = []
        for store in (ox, mem):
            fill_store(store, sample_documents())
            g = project(store, roll_up=True)
            answers.append((
                export_events(store),
                merged_events(store),
                sorted(g.nodes(data=True)),
                sorted(g.edges(keys=True, data=True)),
            ))  # fmt: skip
    assert answers[0] == answers[1]
    events, merged, nodes, edges = answers[0]
    assert len(events) == 13 and len(merged) == 12 and edges
    assert all(isinstance(e["confidence"], float) and e["evidence_spans"] for e in events)


def test_merge_view_in_python(kg: KnowledgeStore) -> None:
    merged = merged_events(kg, min_sources=2)
    assert len(merged) == 1
    m = merged[0]
    assert (m.type, m.time, m.articles, m.status) == ("VISIT", "2024-12-22", ["a1", "a2"], "happened")
    assert "Damascus" in [p["label_en"] for p in m.place]
    assert m.confidence == pytest.approx(0.9)
    assert {s["evidence"] for s in m.sources} == {"وصل وزير الخارجية التركي هاكان فيدان إلى دمشق أمس.", "زار فيدان سوريا يوم الأحد."}
    # Everything else stays one event per node: 13 nodes, 12 real events.
    assert len(merged_events(kg)) == 12


def test_symmetric_types_merge_when_sides_are_swapped() -> None:
    def rec(doc: str, etype: str, a: str, t: str, time: str | None = "2025-05-13") -> dict[str, Any]:
        return {"doc_id": doc, "event": f"{doc}/e", "type": etype, "time": time, "status": "happened", "confidence": 0.5,
                "evidence": "", "actor": [{"iri": a, "id": a}], "target": [{"iri": t, "id": t}], "place": []}

    assert len(merge_records([rec("x", "MEET", "A", "B"), rec("y", "MEET", "B", "A")], min_sources=2)) == 1
    assert merge_records([rec("x", "VISIT", "A", "B"), rec("y", "VISIT", "B", "A")], min_sources=2) == []
    assert merge_records([rec("x", "MEET", "A", "B", None), rec("y", "MEET", "A", "B", None)], min_sources=2) == []
    assert same_event_key("MEET", "2025", ["A"], ["B"]) == same_event_key("MEET", "2025", ["B"], ["A"])
    assert same_event_key("MEET", "2025", ["A"], ["B"]) != same_event_key("MEET", "2025-05", ["A"], ["B"])


# ---------------------------------------------------------------------------- the dev articles


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeStore]:
    """The dev articles through the real pipeline (dictionary linking, no NER), gold publication dates."""
    gold_path = need_shared("eval", "dev_gold.json")
    corpus = need_shared("corpus", "dev")
    from diplograph.extract.pipeline import PIPELINE_VERSION, default_pipeline
    from diplograph.graph.merge import annotate_query_keys
    from diplograph.graph.rdf import actor_triples, article_triples

    published = {g["doc_id"]: g["published"] for g in json.loads(gold_path.read_text(encoding="utf-8"))}
    pipeline = default_pipeline(use_ner=False)
    store = KnowledgeStore(tmp_path_factory.mktemp("dev") / "kg", create=True)
    for path in sorted(corpus.glob("*.txt")):
        doc = Document(id=path.stem, text=path.read_text(encoding="utf-8"), path=str(path),
                       published=dt.date.fromisoformat(published[path.stem]), published_basis="gold")
        pipeline(doc)
        store.replace_article(doc.id, annotate_query_keys(article_triples(doc, pipeline_version=PIPELINE_VERSION)),
                              actor_triples(doc.entities.values()))
    yield store
    store.close()


def test_dev_fidan_visits_syria(dev_store: KnowledgeStore) -> None:
    rows = ask(dev_store, "visits", actor="X:Hakan_Fidan")
    assert any(r["destination"] == A("Q858") or r["place"] == A("Q3766") for r in rows), rows
    assert all(r["article"] == "dev_06" for r in rows)
    assert any("فيدان" in (r["evidence"] or "") for r in rows)


def test_dev_every_query_runs_and_the_overviews_add_up(dev_store: KnowledgeStore) -> None:
    for q in sq.library():
        values = {p.name: "X:Hakan_Fidan" if p.kind == "actor" else "" for p in q.params if p.default is None}
        if q.name == "pair_events":
            values = {"actor": "X:Hakan_Fidan", "other": "X:Ahmed_al-Sharaa"}
        ask(dev_store, q.name, **values)
    by_type = ask(dev_store, "events_by_type")
    total = sum(r["events"] for r in by_type)
    assert total == sum(r["events"] for r in ask(dev_store, "events_by_month"))
    assert total > 20
    assert {r["type"] for r in by_type} >= {"VISIT", "MEET", "STATEMENT"}
    # Every event has at least one actor, so participations cover every event.
    assert sum(r["participations"] for r in ask(dev_store, "actors_by_country")) >= total


def test_dev_mentions_and_roll_up(dev_store: KnowledgeStore) -> None:
    qatar = {r["article"] for r in ask(dev_store, "mentions", actor="Q846")}
    assert "dev_03" in qatar  # the Indian prime minister's planned trip to Doha
    fidan = ask(dev_store, "mentions", actor="X:Hakan_Fidan")
    assert [r["article"] for r in fidan] == ["dev_06"]
    countries = {r["country"]: r for r in ask(dev_store, "actors_by_country")}
    turkey = countries.get(A("Q43"))
    assert turkey is not None and "Hakan Fidan" in turkey["members"]


def test_dev_recognition_of_moroccan_sovereignty(dev_store: KnowledgeStore) -> None:
    rows = ask(dev_store, "recognitions")
    # France, or Paris standing for it (the gold accepts both).
    assert any(r["recognizer"] in (A("Q142"), A("Q90")) and r["article"] == "dev_02" for r in rows), rows
    countries = {r["country"]: r for r in ask(dev_store, "actors_by_country")}
    assert A("Q90") not in countries, "a capital is counted under its country"


def test_built_articles_carry_the_query_keys() -> None:
    from diplograph.graph.rdf import article_triples
    from diplograph.ontology import DG

    g = article_triples(sample_documents()[0])
    assert len(list(g.subject_objects(DG.sameEventKey))) == 2
    assert len(list(g.subject_objects(DG.monthKey))) == 2
