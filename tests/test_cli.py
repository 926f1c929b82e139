"""The command line end to end on the bundled examples: build, events, query, html, eval, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph.cli import app

from .conftest import EXAMPLES, SHARED, need_shared

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_every_command_has_help_with_an_example() -> None:
    for cmd in ("build", "events", "query", "html", "eval", "export", "import"):
        code, out = run(cmd, "--help")
        if code == 2 and "No such command" in out:
            continue  # commands added by later issues
        assert code == 0, out
        assert "Example" in out or "example" in out.lower(), cmd


def test_build_then_events_jsonl(example_store: Path) -> None:
    code, out = run("events", "--store", str(example_store))
    assert code == 0, out
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert events, "the examples state several events"
    docs = {e["doc_id"] for e in events}
    assert {"doha_talks", "example-ankara-2024"} <= docs
    for e in events:
        assert set(e) >= {"doc_id", "type", "cameo", "actor", "target", "place", "time", "status", "evidence", "confidence"}
        assert e["evidence"]
    # Fidan's visit to Baghdad, yesterday relative to 2024-11-20.
    visits = [e for e in events if e["type"] == "VISIT" and e["doc_id"] == "example-ankara-2024"]
    assert visits and visits[0]["time"] == "2024-11-19"
    assert any(p["label_en"] == "Baghdad" for p in visits[0]["place"])
    # Each role lists whom its entities act for or where they lie, marked as such.
    assert {"label_en": "Iraq", "via": "affiliation"}.items() <= next(p for p in visits[0]["place"] if p.get("via")).items()
    assert [a.get("via") for a in visits[0]["actor"]] == [None, "affiliation"]


def test_events_csv(example_store: Path) -> None:
    code, out = run("events", "--store", str(example_store), "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("doc_id,type,cameo,actor,target")


def test_rebuilding_does_not_duplicate(example_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    for _ in range(2):
        code, out = run("build", str(EXAMPLES / "articles" / "doha_talks.txt"), "--store", str(store), "-q")
        assert code == 0, out
    _, first = run("events", "--store", str(store))
    _, again = run("events", "--store", str(example_store))
    n_one = len(first.splitlines())
    n_all_doha = sum(1 for line in again.splitlines() if '"doc_id": "doha_talks"' in line)
    assert n_one == n_all_doha > 0


def test_build_raises_the_collector_thresholds_once_the_pipeline_is_loaded(tmp_path: Path) -> None:
    """A build tunes the garbage collector for a long run (see ``settle_for_long_run``); a library user keeps the defaults."""
    import gc

    from diplograph.extract.pipeline import LONG_RUN_GC_THRESHOLDS

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        code, out = run("build", str(EXAMPLES / "articles" / "doha_talks.txt"), "--store", str(tmp_path / "kg"),
                        "-q", "--no-ner")
        assert code == 0, out
        assert gc.get_threshold() == LONG_RUN_GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)


def test_query_sparql_and_library(example_store: Path) -> None:
    code, out = run(
        "query", "--store", str(example_store), "--format", "json",
        "SELECT ?t (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e dg:eventType ?t } } GROUP BY ?t",
    )
    assert code == 0, out
    rows = json.loads(out)
    assert rows and all(set(r) == {"t", "n"} for r in rows)
    code, out = run("query", "--store", str(example_store), "--list")
    assert code == 0 and "visits" in out
    code, out = run("query", "--store", str(example_store), "visits", "--param", "actor=X:Hakan_Fidan", "--format", "csv")
    assert code == 0, out
    assert "Baghdad" in out


def test_query_errors_are_one_line(example_store: Path, tmp_path: Path) -> None:
    code, out = run("query", "--store", str(example_store), "SELECT WHERE {")
    assert code == 1 and "the query failed" in out
    code, out = run("query", "--store", str(example_store), "visits")
    assert code == 1 and "missing --param actor" in out
    code, out = run("query", "--store", str(tmp_path / "nowhere"), "SELECT * WHERE { ?s ?p ?o }")
    assert code == 1 and "no diplograph store" in out


def test_html_is_written(example_store: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "g.html"
    code, out = run("html", "--store", str(example_store), "-o", str(out_file))
    assert code == 0, out
    page = out_file.read_text(encoding="utf-8")
    assert "vis-network" in page or "vis.Network" in page
    assert "https://cdnjs" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "missing-folder", "--store", "{tmp}/kg"], "missing-folder: no such file or folder"),
        (["build", "{ex}", "--store", "{tmp}/kg", "--published", "14/05/2025"], "is not a date in the form YYYY-MM-DD"),
        (["build", "{ex}", "--store", "{notstore}"], "is not a diplograph store"),
    ],
)
def test_build_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    notstore = tmp_path / "notes"
    notstore.mkdir()
    (notstore / "todo.txt").write_text("x")
    fill = {"tmp": str(tmp_path), "ex": str(EXAMPLES / "articles"), "notstore": str(notstore)}
    code, out = run(*[a.format(**fill) for a in args])
    assert code == 1
    assert message in out
    assert (notstore / "todo.txt").read_text() == "x"


def test_one_bad_article_among_good_ones(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text((EXAMPLES / "articles" / "oman_iran.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (src / "bad.txt").write_bytes("خبر".encode("cp1256"))
    (src / "empty.txt").write_text("\n\n", encoding="utf-8")
    code, out = run("build", str(src), "--store", str(tmp_path / "kg"), "-q")
    assert code == 1
    assert "bad.txt: not valid UTF-8" in out and "empty.txt: empty article" in out
    assert "stored 1 articles" in out
    code, out = run("events", "--store", str(tmp_path / "kg"))
    assert code == 0 and '"doc_id": "good"' in out


def test_console_script_runs() -> None:
    exe = Path(sys.executable).with_name("diplograph")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "build" in result.stdout


def test_eval_on_the_seeds_prints_scores() -> None:
    gold = need_shared("eval", "seeds_gold.json")
    code, out = run("eval", "--gold", str(gold), "--json")
    assert code == 0, out
    scores = json.loads(out)
    for kind in ("core", "full"):
        assert 0.0 <= scores[kind]["f1"] <= 1.0
        assert scores[kind]["gold"] == 27
    assert SHARED.exists()


def test_eval_bad_gold(tmp_path: Path) -> None:
    code, out = run("eval", "--gold", str(tmp_path / "none.json"))
    assert code == 1 and "no such gold file" in out


def test_build_batches_as_the_store_defines_by_default() -> None:
    """``build --batch-quads`` defaults to the store's DEFAULT_BATCH_QUADS (a literal there: no rdflib at CLI start)."""
    import typer.main

    from diplograph.graph.store import DEFAULT_BATCH_QUADS

    build = typer.main.get_command(app).commands["build"]  # type: ignore[attr-defined]
    (opt,) = [p for p in build.params if p.name == "batch_quads"]
    assert opt.default == DEFAULT_BATCH_QUADS
