"""The Oxigraph store on disk: atomic article replacement, locking, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from diplograph.graph.rdf import new_graph
from diplograph.graph.store import KnowledgeStore, StoreError


def _graph(n: int) -> object:
    g = new_graph()
    for i in range(n):
        g.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(f"قيمة {i}")))
    return g


def test_rebuilding_an_article_replaces_it(tmp_path: Path) -> None:
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article("a1", _graph(5))
        kg.replace_article("a1", _graph(3))
        kg.replace_article("a2", _graph(2))
        assert len(kg) == 5
    with KnowledgeStore(tmp_path / "kg") as kg:  # persisted on disk
        assert len(kg) == 5


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article("a1", _graph(4))
        bad = _graph(2)
        bad.add((URIRef("http://example.org/bad iri"), URIRef("http://example.org/p"), Literal("x")))
        with pytest.raises(StoreError, match="store is unchanged"):
            kg.replace_article("a1", bad)
        assert len(kg) == 4


def test_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with KnowledgeStore(tmp_path / "kg", create=True), pytest.raises(StoreError, match="in use"):
        KnowledgeStore(tmp_path / "kg")


def test_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("x")
    with pytest.raises(StoreError, match="not a diplograph store"):
        KnowledgeStore(tmp_path / "docs", create=True)
    with pytest.raises(StoreError, match="no diplograph store"):
        KnowledgeStore(tmp_path / "missing")


def test_memory_store_behaves_the_same() -> None:
    with KnowledgeStore(None) as kg:
        kg.replace_article("a1", _graph(5))
        kg.replace_article("a1", _graph(3))
        assert len(kg) == 3


def test_a_failed_write_of_a_new_article_leaves_nothing(tmp_path: Path) -> None:
    """A new article goes in by one N-Quads load: a bad line anywhere writes none of it."""
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article("a1", _graph(4))
        good = _graph(3).serialize(format="nt")
        actor = '<http://example.org/actor> <http://example.org/label> "x" .\n'
        with pytest.raises(StoreError, match="'a2'.*store is unchanged"):
            kg.replace_article_nt("a2", good + '<http://example.org/s> <http://example.org/p> "open .\n', actor)
        assert len(kg) == 4
        assert [str(g) for g in kg.graphs()] == ["https://w3id.org/diplograph/resource/graph/article/a1"]
        kg.replace_article_nt("a2", good, actor)  # the actor line was not remembered as written
        assert len(kg) == 8


def test_literals_round_trip_through_both_write_paths(tmp_path: Path) -> None:
    """Quotes, backslashes, newlines and bidi marks survive the new-article load and the rebuild update."""
    from diplograph.graph.rdf import nt_iri, nt_literal

    hostile = 'قال "الوزير"\\n\nسطر\r\u200f\\'
    line = f"{nt_iri('http://example.org/s')} {nt_iri('http://example.org/p')} {nt_literal(hostile, lang='ar')} .\n"
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        for _ in range(2):  # first a load into a new graph, then a drop-and-insert update
            kg.replace_article_nt("a1", line)
            rows = list(kg.query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
            assert [(str(r[0]), r[0].language) for r in rows] == [(hostile, "ar")]
