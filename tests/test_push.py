"""``diplograph push`` against a real Oxigraph server on loopback.

Every named graph arrives with its triple count, pushing again changes
nothing (idempotent), by Graph Store PUT and by SPARQL Update alike; a
failing endpoint gives a report of what failed and a non-zero exit; the
password never shows.
"""

from __future__ import annotations

import csv
import http.server
import json
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from diplograph import cli_serve
from diplograph.cli import app as main_app
from diplograph.graph.push import redact
from diplograph.graph.server import free_port, oxigraph_binary
from diplograph.graph.store import KnowledgeStore

runner = CliRunner()
SECRET = "s3cr3t-Πassword-never-shown"


def cli() -> typer.Typer:
    """The main app when it mounts push, else one with cli_serve's commands."""
    if any(c.name == "push" for c in main_app.registered_commands):
        return main_app
    sub = typer.Typer()
    cli_serve.register(sub)
    return sub


def oxigraph(location: Path | None, read_only: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        cmd += ["--location", str(location)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("oxigraph did not start within 30 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def remote_counts(url: str) -> dict[str, int]:
    q = urllib.parse.urlencode({"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"})
    req = urllib.request.Request(f"{url}/query?{q}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        rows = json.load(r)["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in rows}


@pytest.fixture(scope="module")
def local_counts(example_store: Path) -> dict[str, int]:
    with KnowledgeStore(example_store) as kg:
        rows = kg.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(g): int(n) for g, n in rows}


@pytest.fixture()
def remote(tmp_path: Path) -> Iterator[str]:
    proc, url = oxigraph(tmp_path / "remote")
    try:
        yield url
    finally:
        stop(proc)


def test_push_by_graph_store_protocol_is_idempotent(
    example_store: Path, local_counts: dict[str, int], remote: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUSH_PW", SECRET)
    report = tmp_path / "push.csv"
    args = ["push", "--store", str(example_store), "--graph-store", remote + "/store", "-q",
            "--user", "analyst", "--password-env", "PUSH_PW", "--report", str(report)]
    res = runner.invoke(cli(), args)
    assert res.exit_code == 0, res.output
    assert len(local_counts) >= 3 and any("/graph/actors" in g for g in local_counts)
    assert remote_counts(remote) == local_counts
    assert f"pushed {len(local_counts)} graphs, {sum(local_counts.values())} triples" in res.output
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert {r["graph"] for r in rows} == set(local_counts) and {r["status"] for r in rows} == {"sent"}
    again = runner.invoke(cli(), args)
    assert again.exit_code == 0, again.output
    assert remote_counts(remote) == local_counts, "a second push replaces, it does not add"
    for text in (res.output, again.output, report.read_text(encoding="utf-8")):
        assert SECRET not in text


def test_push_by_sparql_update_is_idempotent(example_store: Path, local_counts: dict[str, int], remote: str) -> None:
    args = ["push", "--store", str(example_store), "--endpoint", remote + "/update", "-q"]
    for _ in range(2):
        res = runner.invoke(cli(), args)
        assert res.exit_code == 0, res.output
        assert remote_counts(remote) == local_counts


def test_failing_endpoints_give_a_report_and_exit_1(example_store: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    res = runner.invoke(cli(), ["push", "--store", str(example_store), "--graph-store", url + "/store",
                                "--retries", "1", "--backoff", "0.01", "--timeout", "5", "-q"])
    assert res.exit_code == 1
    assert "connection failed" in res.output and "not pushed" in res.output
    assert "stopped after 3 graphs failed in a row" in res.output

    # a 403 (read-only store) is not retried: asking again cannot help
    ro = tmp_path / "ro"
    proc, url = oxigraph(ro)
    stop(proc)  # create an (empty) database, then serve it read-only
    proc, url = oxigraph(ro, read_only=True)
    try:
        report = tmp_path / "r.csv"
        res = runner.invoke(cli(), ["push", "--store", str(example_store), "--graph-store", url + "/store",
                                    "--retries", "3", "-q", "--report", str(report)])
    finally:
        stop(proc)
    assert res.exit_code == 1
    assert "HTTP 403" in res.output
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    tried = [r for r in rows if r["attempts"] != "0"]
    assert len(tried) == 3 and all(r["attempts"] == "1" and r["http_status"] == "403" for r in tried), rows
    assert all(r["status"] == "not attempted" for r in rows if r["attempts"] == "0")


class _Flaky(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers 503 to the first request for each graph, then 204."""

    seen: dict[str, int] = {}

    def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n = self.seen[self.path] = self.seen.get(self.path, 0) + 1
        self.send_response(503 if n == 1 else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_server_errors_are_retried(example_store: Path, local_counts: dict[str, int]) -> None:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/store"
        res = runner.invoke(cli(), ["push", "--store", str(example_store), "--graph-store", url,
                                    "--backoff", "0.01", "--timeout", "5", "-q"])
    finally:
        srv.shutdown()
        srv.server_close()
    assert res.exit_code == 0, res.output
    assert len(_Flaky.seen) == len(local_counts) and set(_Flaky.seen.values()) == {2}


def test_options_are_checked(example_store: Path, tmp_path: Path) -> None:
    res = runner.invoke(cli(), ["push", "--store", str(example_store)])
    assert res.exit_code == 1 and "--endpoint" in res.output
    res = runner.invoke(cli(), ["push", "--store", str(example_store), "--endpoint", "http://127.0.0.1:9/u",
                                "--user", "u", "--password-env", "NO_SUCH_VARIABLE_HERE"])
    assert res.exit_code == 1 and "NO_SUCH_VARIABLE_HERE" in res.output
    res = runner.invoke(cli(), ["push", "--store", str(tmp_path / "none"), "--endpoint", "http://127.0.0.1:9/u"])
    assert res.exit_code == 1 and "no diplograph store" in res.output
    assert redact("https://bob:pw@h:3030/ds") == "https://h:3030/ds"
