"""Distributed extraction gives exactly the graph a serial build gives.

Serial in-process, a pool of 2 worker processes and a Dask LocalCluster of 2
worker processes run the real pipeline on the bundled articles; their named
graphs must be isomorphic (blank nodes compared as structure, not labels),
and writing them gives the same store as ``diplograph build``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.extract.reader import read_documents
from diplograph.graph.distributed import ArticleResult, process_articles, result_graphs, write_result
from diplograph.graph.store import KnowledgeStore
from diplograph.ontology import DG, PROV

from .conftest import EXAMPLES

INPUTS = [EXAMPLES / "articles", EXAMPLES / "articles.jsonl", EXAMPLES / "heldout"]
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def run_mode(**kw: object) -> list[ArticleResult]:
    return list(process_articles(read_documents(INPUTS), use_ner=False, extracted_at=WHEN, **kw))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def serial() -> list[ArticleResult]:
    return run_mode(workers=1)


@pytest.fixture(scope="module")
def pooled() -> list[ArticleResult]:
    return run_mode(workers=2, max_in_flight=3, batch_size=2)  # 4 batches over 2 workers


@pytest.fixture(scope="module")
def dask_local() -> list[ArticleResult]:
    pytest.importorskip("distributed")
    return run_mode(workers=2, scheduler="local", max_in_flight=3, batch_size=2)


def assert_same(a: list[ArticleResult], b: list[ArticleResult]) -> None:
    assert [r.doc_id for r in a] == [r.doc_id for r in b], "results come back in input order"
    for x, y in zip(a, b, strict=True):
        assert x.error is None and y.error is None, (x.error, y.error)
        assert (x.sentences, x.entities, x.events) == (y.sentences, y.entities, y.events), x.doc_id
        (ga, aa), (gb, ab) = result_graphs(x), result_graphs(y)
        assert len(ga) == len(gb) and isomorphic(ga, gb), f"article graph of {x.doc_id} differs"
        assert len(aa) == len(ab) and isomorphic(aa, ab), f"actors of {x.doc_id} differ"


def test_serial_results_are_complete(serial: list[ArticleResult]) -> None:
    ids = [r.doc_id for r in serial]
    assert len(ids) == 7 and len(set(ids)) == 7
    assert {"doha_talks", "example-ankara-2024"} <= set(ids)
    assert sum(r.events for r in serial) > 10
    for r in serial:
        g, _ = result_graphs(r)
        # the run's one provenance time, whatever process made the graph
        assert {str(o) for o in g.objects(None, PROV.endedAtTime)} == {"2026-01-02T03:04:05+00:00"}


def test_process_pool_equals_serial(serial: list[ArticleResult], pooled: list[ArticleResult]) -> None:
    assert_same(serial, pooled)


def test_dask_local_cluster_equals_serial(serial: list[ArticleResult], dask_local: list[ArticleResult]) -> None:
    assert_same(serial, dask_local)


def test_existing_cluster_by_address(serial: list[ArticleResult]) -> None:
    """``scheduler="tcp://..."``: the path a real cluster takes (here a cheap in-process one)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0", host="127.0.0.1", protocol="tcp"
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        docs = list(read_documents([EXAMPLES / "articles"]))
        got = list(process_articles(docs, scheduler=cluster.scheduler_address, use_ner=False, extracted_at=WHEN))
    assert_same([r for r in serial if r.doc_id in {d.id for d in docs}], got)


#: Not extraction output: the time of the run, and the build's own bookkeeping
#: (which input file and hash an article came from, for incremental builds).
NOT_EXTRACTED = {PROV.endedAtTime, DG.inputHash, DG.inputFile}


def _graphs(store: Path, ignore: set[URIRef]) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    with KnowledgeStore(store) as kg:
        for name in kg.graphs():
            g = Graph()
            for t in kg.dataset.graph(URIRef(name)):
                if t[1] not in ignore:
                    g.add(t)
            out[name] = g
    return out


def assert_same_store(a: dict[str, Graph], b: dict[str, Graph]) -> None:
    assert sorted(a) == sorted(b)
    assert len(a) == 8  # 7 articles + the actors graph
    for name in a:
        assert len(a[name]) == len(b[name]) and isomorphic(a[name], b[name]), name


def build(store: Path, *extra: str) -> None:
    res = CliRunner().invoke(app, ["build", *map(str, INPUTS), "--store", str(store), "-q", "--no-ner", *extra])
    assert res.exit_code == 0, res.output


def test_written_store_equals_serial_build(dask_local: list[ArticleResult], tmp_path: Path) -> None:
    """Dask results written by the driver = the store ``diplograph build`` writes."""
    built = tmp_path / "built"
    build(built)
    written = tmp_path / "written"
    with KnowledgeStore(written, create=True) as kg:
        for r in dask_local:
            write_result(kg, r)
        write_result(kg, dask_local[0])  # writing again replaces, never duplicates
    assert_same_store(_graphs(built, NOT_EXTRACTED), _graphs(written, NOT_EXTRACTED))


def test_build_with_workers_equals_serial_build(tmp_path: Path) -> None:
    """``diplograph build --workers 2`` stores what the serial build stores (bookkeeping included)."""
    if "--workers" not in CliRunner().invoke(app, ["build", "--help"]).output:
        pytest.skip("the build command has no --workers option yet")
    build(tmp_path / "serial")
    build(tmp_path / "pool", "--workers", "2")
    ignore = {PROV.endedAtTime}
    assert_same_store(_graphs(tmp_path / "serial", ignore), _graphs(tmp_path / "pool", ignore))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="workers"):
        next(process_articles([], workers=0))
    with pytest.raises(ValueError, match="scheduler"):
        next(process_articles([], workers=2, scheduler="nowhere"))


def test_failed_article_is_reported_not_fatal(tmp_path: Path) -> None:
    results = list(process_articles(read_documents([EXAMPLES / "articles"]), use_ner=False, workers=1))
    broken = ArticleResult("x", None, "", "", error="extraction failed: boom")
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        with pytest.raises(ValueError, match="boom"):
            write_result(kg, broken)
        write_result(kg, results[0])
        assert kg.article_ids() == [results[0].doc_id]


@pytest.mark.slow
def test_ner_in_two_workers_equals_serial() -> None:
    """With Stanza on: each worker loads the model once and tags as the driver does."""
    pytest.importorskip("stanza")
    docs = lambda: read_documents([EXAMPLES / "articles"])  # noqa: E731
    serial = list(process_articles(docs(), use_ner=True, extracted_at=WHEN))
    pooled = list(process_articles(docs(), use_ner=True, extracted_at=WHEN, workers=2))
    assert_same(serial, pooled)
    for r in serial:
        g, _ = result_graphs(r)
        assert {str(o) for o in g.objects(None, DG.nerModel)} == {"default"}, "the NER model is in provenance"
