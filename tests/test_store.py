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
