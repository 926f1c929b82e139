"""Export → import round trips through every format, on disk and in memory, and the CLI around them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph import sparql as sq
from diplograph.graph.export import ExportError, export_store, format_for, import_file, imported_graph
from diplograph.graph.store import KnowledgeStore
from diplograph.ontology import ACTORS_GRAPH, article_graph

from .graph_samples import fill_store, sample_documents
from .processes import kill_once_present

QUAD_FORMATS = ["trig", "nquads", "jsonld"]
SUFFIX = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "jsonld": ".jsonld"}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Oxigraph store with the sample articles (4 article graphs and the actors graph)."""
    path = tmp_path_factory.mktemp("src") / "kg"
    with KnowledgeStore(path, create=True) as kg:
        fill_store(kg, sample_documents())
    return path


def _union_triples(kg: KnowledgeStore) -> int:
    return int(next(iter(kg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")))[0])


def _answers(kg: KnowledgeStore, names: tuple[str, ...] = ("visits", "events_by_type", "same_event")) -> list[tuple[str, list[str]]]:
    """Rows of a few library queries, lists made by GROUP_CONCAT (unordered) sorted."""
    out = []
    params = {"visits": {"actor": "X:Hakan_Fidan"}, "pair_events": {"actor": "X:Hakan_Fidan", "other": "X:Ahmed_al-Sharaa"}}
    for name in names:
        q = sq.get(name)
        _, rows = sq.run(kg, q.text, sq.bind_params(q.params, params.get(name, {})))
        canon = [repr([sorted(v.replace(",", " ").split()) if isinstance(v, str) else v for v in r]) for r in rows]
        assert canon, name
        out.append((name, sorted(canon)))
    return out


@pytest.mark.parametrize("fmt", QUAD_FORMATS)
@pytest.mark.parametrize("target", ["oxigraph", "memory"])
def test_round_trip_keeps_quads_and_named_graphs(source: Path, tmp_path: Path, fmt: str, target: str) -> None:
    out = tmp_path / f"kg{SUFFIX[fmt]}"
    with KnowledgeStore(source) as kg:
        n = export_store(kg, out, fmt)
        before_len, before_graphs, before_answers = len(kg), sorted(kg.graphs()), _answers(kg)
    assert n == before_len > 100
    assert out.stat().st_size > 1000
    with KnowledgeStore(tmp_path / "copy" if target == "oxigraph" else None, create=True) as copy:
        counts = import_file(copy, out)
        assert sum(counts.values()) == before_len
        assert len(copy) == before_len
        assert sorted(copy.graphs()) == before_graphs
        assert str(ACTORS_GRAPH) in before_graphs and article_graph("a1") in before_graphs
        assert _answers(copy) == before_answers
        # Importing again replaces the graphs: nothing doubles, blank nodes included.
        import_file(copy, out)
        assert len(copy) == before_len


def test_memory_store_exports_its_named_graphs(tmp_path: Path) -> None:
    with KnowledgeStore(None) as mem:
        fill_store(mem, sample_documents())
        n = export_store(mem, tmp_path / "m.nq", "nquads")
        assert n == len(mem)
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        import_file(kg, tmp_path / "m.nq")
        assert len(kg) == n and len(list(kg.graphs())) == 5


def test_turtle_holds_the_union_and_imports_into_one_graph(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    # Queries that do not count articles as named graphs give the same answers.
    names = ("visits", "pair_events", "sanctions", "actors_by_country")
    with KnowledgeStore(source) as kg:
        n = export_store(kg, out, "turtle")
        union, answers = _union_triples(kg), _answers(kg, names)
    assert n == union
    assert out.read_text(encoding="utf-8").startswith("@prefix")
    with KnowledgeStore(tmp_path / "copy", create=True) as copy:
        counts = import_file(copy, out)
        assert counts == {imported_graph(out): union}
        assert list(copy.graphs()) == [imported_graph(out)]
        assert _answers(copy, names) == answers
        # What Turtle cannot carry: one graph per article, which same_event counts sources by.
        q = sq.get("same_event")
        assert sq.run(copy, q.text, sq.bind_params(q.params, {}))[1] == []


def test_format_from_suffix_and_errors(tmp_path: Path) -> None:
    assert format_for(Path("a.trig")) == "trig"
    assert format_for(Path("a.nq")) == "nquads"
    assert format_for(Path("a.json"), "JSON-LD") == "jsonld"
    with pytest.raises(ExportError, match="cannot tell the format"):
        format_for(Path("a.csv"))
    with pytest.raises(ExportError, match="unknown format"):
        format_for(Path("a.ttl"), "xml")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        fill_store(kg, sample_documents()[:1])
        size = len(kg)
        with pytest.raises(ExportError, match="not valid turtle"):
            import_file(kg, bad)
        assert len(kg) == size


def test_cli_export_import(source: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "kg.trig"
    r = runner.invoke(app, ["export", "--store", str(source), "--format", "trig", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "quads" in r.output and out.exists()
    r = runner.invoke(app, ["import", str(out), "--store", str(tmp_path / "kg2")])
    assert r.exit_code == 0, r.output
    assert "5 graphs" in r.output
    r = runner.invoke(app, ["query", "--store", str(tmp_path / "kg2"), "visits", "--param", "actor=X:Hakan_Fidan", "--format", "csv"])
    assert r.exit_code == 0 and r.output.count("Damascus") == 2, r.output
    r = runner.invoke(app, ["validate", "--store", str(tmp_path / "kg2")])
    assert r.exit_code == 0 and "conforms" in r.output, r.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "--store", "{src}", "-o", "{tmp}/x.csv"], "cannot tell the format"),
        (["export", "--store", "{tmp}/nowhere", "-o", "{tmp}/x.nq"], "no diplograph store"),
        (["export", "--store", "{src}", "-o", "{tmp}/missing/x.nq"], "no such folder"),
        (["import", "{tmp}/none.trig", "--store", "{tmp}/kg3"], "no such file"),
        (["import", "{tmp}/bad.nq", "--store", "{tmp}/kg3"], "not valid nquads"),
        (["import", "{tmp}/bad.nq", "--store", "{tmp}/kg3", "--format", "rdfxml"], "unknown format"),
    ],
)
def test_cli_errors_are_one_line(source: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "bad.nq").write_text("not rdf at all\n", encoding="utf-8")
    argv = [a.format(src=source, tmp=tmp_path) for a in args]
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == 1, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_cli_help_has_examples() -> None:
    for cmd in ("export", "import", "validate"):
        r = CliRunner().invoke(app, [cmd, "--help"])
        assert r.exit_code == 0 and "Example" in r.output and "diplograph " + cmd in r.output


def _big_nquads(path: Path, n: int, bad_at: int | None = None) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            if i == bad_at:
                fh.write("this is not a quad .\n")
            fh.write(f'<http://example.org/s{i}> <http://example.org/p> "قيمة {i}" <http://example.org/g{i % 7}> .\n')
    return path


def test_import_into_an_empty_store_that_fails_midway_leaves_it_empty(tmp_path: Path) -> None:
    """The bulk loader is not transactional: a parse error after 5,000 good quads must still leave nothing."""
    bad = _big_nquads(tmp_path / "bad.nq", 6_000, bad_at=5_000)
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        with pytest.raises(ExportError, match="not valid nquads.*unchanged"):
            import_file(kg, bad)
        assert kg.is_empty()
        good = _big_nquads(tmp_path / "good.nq", 6_000)
        assert sum(import_file(kg, good).values()) == 6_000
        assert len(kg) == 6_000


def test_a_killed_bulk_import_is_undone_at_the_next_open(tmp_path: Path) -> None:
    """kill -9 during a bulk import into an empty store: the next open empties it again (its state before)."""
    import subprocess
    import sys

    big = _big_nquads(tmp_path / "big.nq", 1_500_000)
    store = tmp_path / "kg"
    proc = subprocess.Popen(
        [sys.executable, "-m", "diplograph", "import", str(big), "--store", str(store)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    marker = store / "bulk-load-in-progress"
    kill_once_present(proc, marker, settle=0.5, timeout=60)
    assert marker.exists()
    with KnowledgeStore(store) as kg:
        assert kg.is_empty()
        assert not marker.exists()
