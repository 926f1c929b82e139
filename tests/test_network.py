"""The networkx projection, its filters and roll-up, the analytics, and the Gephi export.

The store is built by hand from :mod:`diplograph.extract.model` objects, so
every expected value below can be worked out on paper from the table in
:func:`small_store`'s docstring, independently of the extraction rules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from diplograph.extract.model import Document, Entity, Event, Sentence, TimeValue
from diplograph.graph import analysis as an
from diplograph.graph.network import project, resolve_actor, write_gephi
from diplograph.graph.rdf import actor_triples, article_triples
from diplograph.graph.store import KnowledgeStore
from diplograph.ontology import actor_iri

ENTITIES = [
    Entity("Q846", "Qatar", "قطر", "Country", wikidata="Q846"),
    Entity("Q79", "Egypt", "مصر", "Country", wikidata="Q79"),
    Entity("Q30", "United States", "الولايات المتحدة", "Country", wikidata="Q30"),
    Entity("Q801", "Israel", "إسرائيل", "Country", wikidata="Q801"),
    Entity("X:Hamas", "Hamas", "حماس", "Organization"),
    Entity("Q3861", "Doha", "الدوحة", "City", wikidata="Q3861", affiliation="Q846"),
    Entity("X:MBAR", "Mohammed bin Abdulrahman Al Thani", "محمد بن عبد الرحمن آل ثاني", "Person", affiliation="Q846"),
    Entity("X:Egypt_MFA", "Egyptian Ministry of Foreign Affairs", "وزارة الخارجية المصرية", "GovernmentBody", affiliation="Q79"),
    Entity("X:Abdelatty", "Badr Abdelatty", "بدر عبد العاطي", "Person", affiliation="X:Egypt_MFA"),
]


def make_doc(
    doc_id: str,
    title: str,
    sentences: list[str],
    events: list[tuple[str, list[str], list[str], list[str], str | None, str, float, list[int]]],
    entities: list[Entity],
    url: str = "",
    published: dt.date | None = None,
) -> Document:
    """A processed Document: sentences joined by newlines, events as (type, actors, targets, places, time, status, confidence, sentence indexes)."""
    text, sents = "", []
    for i, s in enumerate(sentences):
        start = len(text)
        text += s + "\n"
        sents.append(Sentence(start=start, end=start + len(s), text=s, index=i))
    doc = Document(id=doc_id, text=text, title=title, url=url or None, published=published, sentences=sents)
    doc.entities = {e.id: e for e in entities}
    for typ, actors, targets, places, time, status, conf, idx in events:
        doc.events.append(
            Event(
                type=typ,
                actor=actors,
                target=targets,
                place=places,
                time=TimeValue(time, raw=time) if time else None,
                status=status,
                confidence=conf,
                evidence=[(sents[i].start, sents[i].end) for i in idx],
                sentence=idx[0],
                rule_id="test",
            )
        )
    return doc


def add_docs(kg: KnowledgeStore, docs: list[Document]) -> None:
    """Write documents the way ``diplograph build`` does."""
    for doc in docs:
        kg.replace_article(doc.id, article_triples(doc), actor_triples(doc.entities.values()))


def small_docs() -> list[Document]:
    """Two articles, six events, seven edges.

    ====  ==========  ================================  ======================  =====  ======================  =========
    doc   type        actor                             target (place)          conf   time                    status
    ====  ==========  ================================  ======================  =====  ======================  =========
    a1    MEET        X:MBAR (→ Qatar)                  X:Abdelatty (→ Egypt)   0.90   2025-03-11              happened
    a1    MEDIATE     Q846 Qatar                        Q801 Israel, X:Hamas    0.80   2025-03                 ongoing
    a1    VISIT       Q30 United States                 (Q3861 Doha → Qatar)    0.60   2025-03-19              planned
    a1    CRITICIZE   Q846 Qatar                        Q801 Israel             0.40   (none)                  happened
    a2    PHONE_CALL  Q79 Egypt                         Q30 United States       0.70   2025-06-01              happened
    a2    MEET        Q846 Qatar                        Q79 Egypt               0.95   2025-06-02/2025-06-03   happened
    ====  ==========  ================================  ======================  =====  ======================  =========

    The last event has two evidence sentences.  Affiliations: Doha → Qatar,
    MBAR → Qatar, Abdelatty → Egyptian MFA → Egypt.
    """
    a1 = make_doc(
        "a1",
        "قطر ومصر تستضيفان جولة جديدة من المحادثات",
        [
            "استقبل الشيخ محمد بن عبد الرحمن آل ثاني وزير الخارجية المصري بدر عبد العاطي.",
            "وتلعب قطر دور وساطة بين إسرائيل وحركة حماس.",
            "ومن المقرر أن يزور المبعوث الأمريكي الدوحة.",
            "وأدانت قطر القصف الإسرائيلي.",
        ],
        [
            ("MEET", ["X:MBAR"], ["X:Abdelatty"], [], "2025-03-11", "happened", 0.9, [0]),
            ("MEDIATE", ["Q846"], ["Q801", "X:Hamas"], [], "2025-03", "ongoing", 0.8, [1]),
            ("VISIT", ["Q30"], [], ["Q3861"], "2025-03-19", "planned", 0.6, [2]),
            ("CRITICIZE", ["Q846"], ["Q801"], [], None, "happened", 0.4, [3]),
        ],
        ENTITIES,
        url="https://example.org/news/a1",
        published=dt.date(2025, 3, 12),
    )
    a2 = make_doc(
        "a2",
        "اتصال هاتفي مصري أمريكي",
        [
            "أجرى وزير الخارجية المصري اتصالا هاتفيا مع نظيره الأمريكي.",
            "والتقى وزير الخارجية القطري نظيره المصري في القاهرة.",
            "وأكد الجانبان خلال اللقاء أهمية التنسيق.",
        ],
        [
            ("PHONE_CALL", ["Q79"], ["Q30"], [], "2025-06-01", "happened", 0.7, [0]),
            ("MEET", ["Q846"], ["Q79"], [], "2025-06-02/2025-06-03", "happened", 0.95, [1, 2]),
        ],
        [e for e in ENTITIES if e.id in {"Q846", "Q79", "Q30"}],
        published=dt.date(2025, 6, 3),
    )
    return [a1, a2]


def small_store() -> KnowledgeStore:
    """An in-memory store holding :func:`small_docs`."""
    kg = KnowledgeStore(None)
    add_docs(kg, small_docs())
    return kg


def iri(eid: str) -> str:
    return actor_iri(eid)


def ends(g: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """Edges as sorted (type, actor id, target id)."""
    return sorted((d["type"], g.nodes[a]["id"], g.nodes[t]["id"]) for a, t, d in g.edges(data=True))


@pytest.fixture(scope="module")
def kg() -> KnowledgeStore:
    return small_store()


# --------------------------------------------------------------------------- projection
def test_projection_has_one_edge_per_event_and_pair(kg: KnowledgeStore) -> None:
    g = project(kg)
    assert g.number_of_nodes() == 8
    assert ends(g) == [
        ("CRITICIZE", "Q846", "Q801"),
        ("MEDIATE", "Q846", "Q801"),
        ("MEDIATE", "Q846", "X:Hamas"),
        ("MEET", "Q846", "Q79"),
        ("MEET", "X:MBAR", "X:Abdelatty"),
        ("PHONE_CALL", "Q79", "Q30"),
        ("VISIT", "Q30", "Q3861"),  # no target: the place is the other end
    ]
    assert len({k for _, _, k in g.edges(keys=True)}) == 6  # the two MEDIATE edges are one event
    q = g.nodes[iri("Q846")]
    assert (q["label_en"], q["label_ar"], q["type"], q["wikidata"]) == ("Qatar", "قطر", "Country", "Q846")
    assert g.nodes[iri("X:MBAR")]["country"] == iri("Q846")


def test_edge_attributes_carry_the_evidence(kg: KnowledgeStore) -> None:
    g = project(kg)
    (meet,) = [d for a, t, d in g.edges(data=True) if d["type"] == "MEET" and a == iri("Q846")]
    assert meet["time"] == "2025-06-02/2025-06-03"
    assert meet["status"] == "happened"
    assert meet["confidence"] == pytest.approx(0.95)
    assert meet["cameo"] == "040"
    assert meet["article"] == "a2"
    assert meet["title"] == "اتصال هاتفي مصري أمريكي"
    # two evidence sentences, in text order
    assert meet["evidence"] == "والتقى وزير الخارجية القطري نظيره المصري في القاهرة.\nوأكد الجانبان خلال اللقاء أهمية التنسيق."
    (visit,) = [d for _, _, d in g.edges(data=True) if d["type"] == "VISIT"]
    assert (visit["status"], visit["url"]) == ("planned", "https://example.org/news/a1")
    (crit,) = [d for _, _, d in g.edges(data=True) if d["type"] == "CRITICIZE"]
    assert crit["time"] is None


def test_filter_by_type_any_case(kg: KnowledgeStore) -> None:
    assert ends(project(kg, types=["meet"])) == [("MEET", "Q846", "Q79"), ("MEET", "X:MBAR", "X:Abdelatty")]
    with pytest.raises(ValueError, match="unknown event type.*VISITS"):
        project(kg, types=["VISITS"])


def test_time_window_compares_at_each_precision(kg: KnowledgeStore) -> None:
    # 2025-03 (month) overlaps the window; 2025-03-11 does not; undated CRITICIZE is dropped
    g = project(kg, since="2025-03-15", until="2025-03-31")
    assert ends(g) == [("MEDIATE", "Q846", "Q801"), ("MEDIATE", "Q846", "X:Hamas"), ("VISIT", "Q30", "Q3861")]
    # an interval overlapping the window's start is kept
    assert ends(project(kg, since="2025-06-03")) == [("MEET", "Q846", "Q79")]
    assert ends(project(kg, until="2025-03-11")) == [
        ("MEDIATE", "Q846", "Q801"),
        ("MEDIATE", "Q846", "X:Hamas"),
        ("MEET", "X:MBAR", "X:Abdelatty"),
    ]
    with pytest.raises(ValueError, match="expected YYYY"):
        project(kg, since="March 2025")
    with pytest.raises(ValueError, match="after"):
        project(kg, since="2025-07", until="2025-06")


def test_min_confidence(kg: KnowledgeStore) -> None:
    g = project(kg, min_confidence=0.8)
    assert ends(g) == [
        ("MEDIATE", "Q846", "Q801"),
        ("MEDIATE", "Q846", "X:Hamas"),
        ("MEET", "Q846", "Q79"),
        ("MEET", "X:MBAR", "X:Abdelatty"),
    ]
    assert project(kg, min_confidence=0.96).number_of_nodes() == 0


def test_actor_filter_accepts_ids_labels_and_iris(kg: KnowledgeStore) -> None:
    expected = [("CRITICIZE", "Q846", "Q801"), ("MEDIATE", "Q846", "Q801"), ("MEDIATE", "Q846", "X:Hamas"), ("MEET", "Q846", "Q79")]
    for name in ("Q846", "qatar", "قطر", iri("Q846")):
        assert ends(project(kg, actors=[name])) == expected, name
    # Arabic spelling variants fold: إسرائيل written with a bare alef
    assert ends(project(kg, actors=["اسرائيل"])) == [("CRITICIZE", "Q846", "Q801"), ("MEDIATE", "Q846", "Q801")]
    with pytest.raises(ValueError, match="no such actor"):
        project(kg, actors=["Atlantis"])


def test_roll_up_follows_affiliation_chains(kg: KnowledgeStore) -> None:
    g = project(kg, roll_up=True)
    assert sorted(d["id"] for _, d in g.nodes(data=True)) == ["Q30", "Q79", "Q801", "Q846", "X:Hamas"]
    assert ends(g) == [
        ("CRITICIZE", "Q846", "Q801"),
        ("MEDIATE", "Q846", "Q801"),
        ("MEDIATE", "Q846", "X:Hamas"),
        ("MEET", "Q846", "Q79"),  # the ministers' meeting, rolled up (Abdelatty → MFA → Egypt)
        ("MEET", "Q846", "Q79"),
        ("PHONE_CALL", "Q79", "Q30"),
        ("VISIT", "Q30", "Q846"),  # the visit to Doha counts as a visit to Qatar
    ]
    (ministers,) = [d for _, _, d in g.edges(data=True) if d["type"] == "MEET" and d["article"] == "a1"]
    assert (ministers["actor_orig"], ministers["target_orig"]) == (iri("X:MBAR"), iri("X:Abdelatty"))
    # a person named in the actor filter selects its country's events
    assert ends(project(kg, actors=["Badr Abdelatty"], roll_up=True)) == [
        ("MEET", "Q846", "Q79"),
        ("MEET", "Q846", "Q79"),
        ("PHONE_CALL", "Q79", "Q30"),
    ]


def test_resolve_actor_prefers_ids() -> None:
    nodes = {"x/1": {"id": "Q1", "label_en": "Q2"}, "x/2": {"id": "Q2", "label_en": "Two"}}
    assert resolve_actor(nodes, "Q2") == ["x/2"]
    assert resolve_actor(nodes, "two") == ["x/2"]
    assert resolve_actor(nodes, "  ") == []


# --------------------------------------------------------------------------- analytics
@pytest.fixture(scope="module")
def rolled(kg: KnowledgeStore) -> nx.MultiDiGraph:
    return project(kg, roll_up=True)


def test_degree_and_betweenness_centrality(rolled: nx.MultiDiGraph) -> None:
    deg = {rolled.nodes[n]["id"]: v for n, v in an.degree_centrality(rolled).items()}
    assert deg == {"Q846": 1.0, "Q79": 0.5, "Q30": 0.5, "Q801": 0.25, "X:Hamas": 0.25}
    btw = {rolled.nodes[n]["id"]: v for n, v in an.betweenness_centrality(rolled).items()}
    # Qatar lies on 5 of the 6 shortest paths between the other four (not Egypt–US, which are direct)
    assert btw == pytest.approx({"Q846": 5 / 6, "Q79": 0.0, "Q30": 0.0, "Q801": 0.0, "X:Hamas": 0.0})
    rows = an.centrality(rolled)
    assert [(r["actor"], r["partners"], r["events"]) for r in rows] == [
        ("Q846", 4, 6),
        ("Q79", 2, 3),  # ties on degree and betweenness: more events first
        ("Q30", 2, 2),
        ("Q801", 1, 2),
        ("X:Hamas", 1, 1),
    ]
    assert rows[0]["label_ar"] == "قطر" and rows[0]["betweenness"] == pytest.approx(0.833333)
    assert [r["actor"] for r in an.centrality(rolled, top=2)] == ["Q846", "Q79"]


def test_communities_are_seeded_and_cover_every_actor(rolled: nx.MultiDiGraph) -> None:
    groups = an.communities(rolled)
    ids = [[rolled.nodes[n]["id"] for n in grp] for grp in groups]
    assert ids == [["Q801", "Q846", "X:Hamas"], ["Q30", "Q79"]]
    assert an.communities(rolled) == groups  # same seed, same answer
    assert an.communities(nx.MultiDiGraph()) == []


def test_ego_network(kg: KnowledgeStore) -> None:
    g = project(kg)
    ego = an.ego_network(g, "Egypt")
    assert sorted(d["id"] for _, d in ego.nodes(data=True)) == ["Q30", "Q79", "Q846"]
    assert ego.nodes[iri("Q79")]["ego"] is True
    assert ends(ego) == [("MEET", "Q846", "Q79"), ("PHONE_CALL", "Q79", "Q30")]
    two = an.ego_network(g, "مصر", radius=2)
    assert sorted(d["id"] for _, d in two.nodes(data=True)) == ["Q30", "Q3861", "Q79", "Q801", "Q846", "X:Hamas"]
    with pytest.raises(KeyError, match="not in the graph"):
        an.ego_network(g, "Atlantis")


def test_strongest_pairs(rolled: nx.MultiDiGraph) -> None:
    rows = an.strongest_pairs(rolled, top=3)
    assert [(r["a"], r["b"], r["events"], r["types"], r["first"], r["last"], r["mean_confidence"]) for r in rows] == [
        ("Q79", "Q846", 2, "MEET×2", "2025-03-11", "2025-06-03", 0.925),
        ("Q801", "Q846", 2, "CRITICIZE, MEDIATE", "2025-03", "2025-03", 0.6),
        ("Q30", "Q79", 1, "PHONE_CALL", "2025-06-01", "2025-06-01", 0.7),
    ]


def test_timeline(kg: KnowledgeStore) -> None:
    rows = an.timeline(project(kg), "Qatar")
    assert [(r["time"], r["type"], r["role"], r["partner"]) for r in rows] == [
        ("2025-03", "MEDIATE", "actor", "Q801"),
        ("2025-03", "MEDIATE", "actor", "X:Hamas"),
        ("2025-06-02/2025-06-03", "MEET", "actor", "Q79"),
        ("", "CRITICIZE", "actor", "Q801"),  # undated last
    ]
    us = an.timeline(project(kg), "Q30")
    assert [(r["type"], r["role"], r["partner_en"], r["status"]) for r in us] == [
        ("VISIT", "actor", "Doha", "planned"),
        ("PHONE_CALL", "target", "Egypt", "happened"),
    ]


def test_empty_store_gives_empty_answers() -> None:
    g = project(KnowledgeStore(None))
    assert an.centrality(g) == [] and an.strongest_pairs(g) == [] and an.communities(g) == []


# --------------------------------------------------------------------------- Gephi
@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_gephi_export_round_trips(kg: KnowledgeStore, tmp_path: Path, fmt: str) -> None:
    g = project(kg)
    path = tmp_path / f"g.{fmt}"
    write_gephi(g, path, fmt)
    back = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
    assert back.number_of_nodes() == 8
    assert back.number_of_edges() == 7  # parallel edges survive
    q = back.nodes["Q846"]
    assert (q["label"], q["label_ar"], q["entity_type"], q["iri"]) == ("Qatar", "قطر", "Country", iri("Q846"))
    assert sorted((d["event_type"], d["label"]) for _, _, d in back.edges(data=True))[:2] == [
        ("CRITICIZE", "CRITICIZE"),
        ("MEDIATE", "MEDIATE 2025-03"),
    ]
    assert len({d["event"] for _, _, d in back.edges(data=True)}) == 6
    with pytest.raises(ValueError, match="expected one of"):
        write_gephi(g, tmp_path / "g.dot", "dot")


# --------------------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kg") / "kg"
    with KnowledgeStore(path, create=True) as store:
        add_docs(store, small_docs())
    return path


def run_cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from diplograph.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_cli_analyze_tables_csv_and_json(disk_store: Path) -> None:
    import csv
    import io
    import json

    code, out = run_cli("analyze", "--store", str(disk_store), "centrality", "--roll-up", "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["actor"], r["partners"], r["betweenness"]) for r in rows][:2] == [("Q846", "4", "0.833333"), ("Q79", "2", "0.0")]
    code, out = run_cli("analyze", "timeline", "قطر", "--store", str(disk_store), "--format", "json", "--since", "2025-06")
    assert code == 0, out
    assert [(r["type"], r["partner"]) for r in json.loads(out)] == [("MEET", "Q79")]
    code, out = run_cli("analyze", "--store", str(disk_store), "communities", "--roll-up", "--format", "csv")
    assert [line.split(",")[:3] for line in out.splitlines()[1:]] == [
        ["1", "3", "Q801"], ["1", "3", "Q846"], ["1", "3", "X:Hamas"], ["2", "2", "Q30"], ["2", "2", "Q79"],
    ]
    code, out = run_cli("analyze", "--store", str(disk_store), "ego", "Egypt", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 3  # header + MEET + PHONE_CALL
    code, out = run_cli("analyze", "--store", str(disk_store), "pairs", "--roll-up")
    assert code == 0 and "MEET×2" in out


def test_cli_analyze_errors_are_one_line(disk_store: Path) -> None:
    code, out = run_cli("analyze", "--store", str(disk_store), "timeline")
    assert code == 1 and "needs an actor" in out
    code, out = run_cli("analyze", "--store", str(disk_store), "ego", "Atlantis")
    assert code == 1 and "not in the graph" in out
    code, out = run_cli("analyze", "--store", str(disk_store), "pairs", "--types", "VISITS")
    assert code == 1 and "unknown event type" in out
    code, out = run_cli("analyze", "--store", str(disk_store), "centrality", "--since", "yesterday")
    assert code == 1 and "expected YYYY" in out


def test_cli_html_and_graph_export(disk_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "g.html"
    code, out = run_cli("html", "--store", str(disk_store), "-o", str(page), "--types", "MEET", "--types", "phone_call", "--lang", "en")
    assert code == 0, out
    assert "5 actors, 3 events" in out
    text = page.read_text(encoding="utf-8")
    assert '"lang":"en"' in text and "https://" not in text.split('id="dg-data"')[0]  # nothing remote in the head
    code, out = run_cli("html", "--store", str(disk_store), "-o", str(page), "--max-nodes", "2")
    assert code == 0 and "left out 6 actors" in out
    gexf = tmp_path / "g.gexf"
    code, out = run_cli("graph-export", "--store", str(disk_store), "-o", str(gexf), "--roll-up")
    assert code == 0 and "(gexf): 5 actors, 7 events" in out
    assert nx.read_gexf(gexf).number_of_edges() == 7
    code, out = run_cli("graph-export", "--store", str(disk_store), "-o", str(tmp_path / "g.graphml"), "--actor", "Q30")
    assert code == 0 and "(graphml): 3 actors, 2 events" in out
