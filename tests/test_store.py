"""The Oxigraph store on disk: atomic article replacement, locking, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from diplograph.graph.rdf import new_graph
from diplograph.graph.store import KnowledgeStore, StoreError, _as_nquads, _as_nquads_by_line

from .processes import kill_once_present


def _graph(n: int) -> object:
    g = new_graph()
    for i in range(n):
        g.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(f"قيمة {i}")))
    return g


_S, _P = "<http://example.org/s>", "<http://example.org/p>"


@pytest.mark.parametrize(
    "nt",
    [
        f'{_S} {_P} "a" .\n_:b0 {_P} _:b1 .\n{_S} {_P} _:b0 .\n',  # the writer's shape: whole-string path
        f'{_S} {_P} "_:x ." .\n{_S} {_P} "end _:y" .',  # blank-node look-alikes inside literals, no final newline
        f'\n# comment\n{_S} {_P} "a" .\r\n\t_:b0 {_P} "b" . \n\n',  # blank, comment, CR LF, tab, trailing space
        "",
    ],
)
def test_nquads_rewrite_is_the_line_by_line_one(nt: str) -> None:
    assert _as_nquads(nt, "urn:g", "a3_") == _as_nquads_by_line(nt, "urn:g", "a3_")


def test_nquads_rewrite_names_a_line_that_is_no_triple() -> None:
    with pytest.raises(ValueError, match="not an N-Triples line"):
        _as_nquads(f'{_S} {_P} "a" .\n{_S} {_P} "open\n', "urn:g")


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


def _article_nt(doc: str, n: int) -> str:
    """An article with ``n`` plain triples and one blank node, labelled as rdf.py labels them (``_:m0``)."""
    lines = [f'<http://example.org/{doc}/s{i}> <http://example.org/p> "قيمة {i}" .' for i in range(n)]
    lines += [f"<http://example.org/{doc}> <http://example.org/count> _:m0 .", f'_:m0 <http://example.org/n> "{doc}" .']
    return "\n".join(lines) + "\n"


_ACTOR = '<http://example.org/actor/qatar> <http://example.org/label> "قطر"@ar .\n'
_ACTOR2 = '<http://example.org/actor/oman> <http://example.org/label> "عمان"@ar .\n'

_BLANKS = """SELECT ?doc (COUNT(DISTINCT ?n) AS ?k) WHERE {
  GRAPH ?g { ?doc <http://example.org/count> ?b . ?b <http://example.org/n> ?n } } GROUP BY ?doc"""


@pytest.mark.parametrize("bulk_min", [1, 10_000], ids=["bulk-loader", "one-transaction"])
def test_a_batch_of_new_articles_keeps_each_article_apart(tmp_path: Path, bulk_min: int) -> None:
    """Blank nodes are per article even when articles go in together; a rebuilt one is replaced."""
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article_nt("a0", _article_nt("a0", 5), _ACTOR)
        items = [(f"a{k}", _article_nt(f"a{k}", 5), _ACTOR + _ACTOR2) for k in range(1, 6)]
        kg.write_articles([("a0", _article_nt("a0", 2), ""), *items], bulk_min=bulk_min)
        assert not (tmp_path / "kg" / "batch-in-progress.json").exists()
        assert not (tmp_path / "kg" / "batch-in-progress.nq").exists()  # the bulk loader's input, gone
        rows = {str(r[0]): int(r[1]) for r in kg.query(_BLANKS)}
        assert rows == {f"http://example.org/a{k}": 1 for k in range(6)}  # one blank node each, not shared
        assert len(kg) == 4 + 5 * 7 + 2  # a0 rebuilt with 2 triples, five new articles, two actor lines


@pytest.mark.parametrize("bulk_min", [1, 10_000], ids=["bulk-loader", "one-transaction"])
def test_a_bad_article_in_a_batch_is_named_and_nothing_of_it_is_written(tmp_path: Path, bulk_min: int) -> None:
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article_nt("a0", _article_nt("a0", 3), _ACTOR)
        before = len(kg)
        bad = _article_nt("a2", 3) + '<http://example.org/s> <http://example.org/p> "open .\n'
        items = [("a1", _article_nt("a1", 3), _ACTOR2), ("a2", bad, ""), ("a3", _article_nt("a3", 3), "")]
        with pytest.raises(StoreError, match="'a2'.*store is unchanged"):
            kg.write_articles(items, bulk_min=bulk_min)
        graphs = sorted(str(g).rsplit("/", 1)[1] for g in kg.graphs())
        assert graphs == ["a0", "a1", "actors"]  # the articles before the bad one, whole; none after
        assert len(kg) == before + 5 + 1
        assert not (tmp_path / "kg" / "batch-in-progress.json").exists()
        assert not (tmp_path / "kg" / "batch-in-progress.nq").exists()


def test_a_batch_cut_short_by_a_killed_process_is_undone_at_the_next_open(tmp_path: Path) -> None:
    """kill -9 during a bulk-loaded batch: the next open removes the batch's articles and only its new actors."""
    import subprocess
    import sys

    store = tmp_path / "kg"
    with KnowledgeStore(store, create=True) as kg:
        kg.replace_article_nt("old", _article_nt("old", 3), _ACTOR)
        before = len(kg)
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from tests.test_store import _article_nt, _ACTOR, _ACTOR2\n"
        "from diplograph.graph.store import KnowledgeStore\n"
        "kg = KnowledgeStore(sys.argv[1])\n"
        "items = [(f'n{k}', _article_nt(f'n{k}', 4000), _ACTOR + _ACTOR2) for k in range(300)]\n"
        "kg.write_articles(items, bulk_min=1)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(store), str(Path(__file__).parent.parent)])
    journal = store / "batch-in-progress.json"
    kill_once_present(proc, journal, settle=0.3)
    assert journal.exists()
    assert (store / "batch-in-progress.nq").exists()  # killed while the bulk loader read it
    with KnowledgeStore(store) as kg:
        assert not journal.exists()
        assert not (store / "batch-in-progress.nq").exists()
        assert len(kg) == before  # the old article and the actor it had; Oman (new in the batch) gone
        assert sorted(str(g).rsplit("/", 1)[1] for g in kg.graphs()) == ["actors", "old"]


def test_a_bad_actor_line_in_a_bulk_batch_is_named_too(tmp_path: Path) -> None:
    """The batch's new actor quads are read before the bulk load; a bad one names its article."""
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        bad_actor = '<http://example.org/actor/x> <http://example.org/label> "open .\n'
        items = [("a1", _article_nt("a1", 3), _ACTOR), ("a2", _article_nt("a2", 3), bad_actor)]
        with pytest.raises(StoreError, match="'a2'.*store is unchanged"):
            kg.write_articles(items, bulk_min=1)
        assert sorted(str(g).rsplit("/", 1)[1] for g in kg.graphs()) == ["a1", "actors"]
        assert not (tmp_path / "kg" / "batch-in-progress.json").exists()


def test_a_store_closed_by_this_process_can_be_opened_again_despite_garbage(tmp_path: Path) -> None:
    """Query results keep Oxigraph open after close(); unreachable ones must not keep the store locked."""
    import gc

    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        kg.replace_article_nt("a1", _article_nt("a1", 2))
        holder: dict = {"rows": kg.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")}
        holder["self"] = holder  # a reference cycle: freed only by a garbage collection
    del holder
    enabled = gc.isenabled()
    gc.disable()
    try:
        with KnowledgeStore(tmp_path / "kg") as again:
            assert len(again) == 4  # two triples and a blank node of two
    finally:
        if enabled:
            gc.enable()


def test_a_batch_that_cannot_spool_to_disk_is_written_in_transactions(tmp_path: Path) -> None:
    """No room for the bulk loader's input file (here: a folder in its place): same articles, slower path."""
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        (tmp_path / "kg" / "batch-in-progress.nq").mkdir()
        items = [(f"a{k}", _article_nt(f"a{k}", 4), _ACTOR) for k in range(3)]
        kg.write_articles(items, bulk_min=1)
        assert sorted(str(g).rsplit("/", 1)[1] for g in kg.graphs()) == ["a0", "a1", "a2", "actors"]
        assert len(kg) == 3 * 6 + 1  # three articles, one actor line
        assert not (tmp_path / "kg" / "batch-in-progress.json").exists()
