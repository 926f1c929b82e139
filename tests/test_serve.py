"""``diplograph serve`` end to end: a real Oxigraph server on a free loopback port.

The library queries answered over HTTP (SPARQLWrapper, GET and POST) must be
the answers ``diplograph query --format json`` gives on the same store;
updates are refused unless enabled; the server stops cleanly on SIGTERM and
SIGINT and leaves the store usable.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from diplograph.cli import app
from diplograph.graph import sparql as sq
from diplograph.graph.server import ServeError, assert_not_served, free_port, is_loopback, with_prefixes

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
pytest.importorskip("diplograph.graph.server").oxigraph_binary()

runner = CliRunner()
NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "decimal", "double", "float", "int", "long")
}
#: Library queries and parameters that return rows on the example store.
CASES: list[tuple[str, dict[str, str]]] = [
    ("events_by_type", {}),
    ("events_by_month", {}),
    ("actors_by_country", {}),
    ("visits", {"actor": "X:Hakan_Fidan"}),
    ("mentions", {"actor": "Q846"}),
    ("partners", {"actor": "X:Hakan_Fidan"}),
    ("meetings", {}),
    ("negotiations", {}),
    ("mediators", {}),
    ("same_event", {"min": "1"}),
]


def serve_cmd() -> list[str]:
    """``diplograph serve`` as a process (through cli_serve until cli.py mounts it)."""
    mounted = any(c.name == "serve" for c in app.registered_commands)
    return [sys.executable, "-m", "diplograph.cli" if mounted else "diplograph.cli_serve", "serve"]


def start(store: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen(
        [*serve_cmd(), "--store", str(store), "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("serve did not answer within 60 s")


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> tuple[int, str]:
    proc.send_signal(sig)
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate(timeout=10)
        raise AssertionError(f"serve did not stop within 20 s: {out}") from None
    return proc.returncode, out


def port_is_free(url: str) -> bool:
    port = urllib.parse.urlsplit(url).port
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port or 0)) != 0


def plain_http(binding: dict[str, Any] | None) -> Any:
    if binding is None:
        return None
    if binding.get("datatype") in NUMERIC:
        return float(binding["value"])
    return binding["value"]


def plain_cli(value: Any) -> Any:
    return float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else value


def canon(rows: list[list[Any]]) -> list[str]:
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)


def query_text(name: str, params: dict[str, str]) -> str:
    lq = sq.get(name)
    text = sq.inline_bindings(lq.text, sq.bind_params(lq.params, params))
    # whole-line comments off: SPARQLWrapper guesses the query form from the text
    return with_prefixes("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))


@pytest.fixture(scope="module")
def answers(example_store: Path) -> dict[str, list[str]]:
    """Every case through SPARQLWrapper, GET and POST; the server is stopped before any CLI query."""
    proc, url = start(example_store)
    got: dict[str, list[str]] = {}
    try:
        for method in ("GET", "POST"):
            for name, params in CASES:
                w = SPARQLWrapper.SPARQLWrapper(url + "/query")
                w.setMethod(method)
                w.setTimeout(30)
                w.setReturnFormat(SPARQLWrapper.JSON)
                w.setQuery(query_text(name, params))
                data = w.queryAndConvert()
                head = data["head"]["vars"]
                rows = [[plain_http(b.get(v)) for v in head] for b in data["results"]["bindings"]]
                got[f"{method} {name}"] = [*head, "|", *canon(rows)]
    finally:
        code, out = stop(proc)
    assert code == 0, out
    assert port_is_free(url)
    return got


@pytest.mark.parametrize(("name", "params"), CASES, ids=[c[0] for c in CASES])
def test_endpoint_answers_as_diplograph_query(
    example_store: Path, answers: dict[str, list[str]], name: str, params: dict[str, str]
) -> None:
    args = ["query", name, "--store", str(example_store), "--format", "json"]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    cli_rows = json.loads(res.stdout)
    head = answers[f"GET {name}"][: answers[f"GET {name}"].index("|")]
    expected = [*head, "|", *canon([[plain_cli(r.get(v)) for v in head] for r in cli_rows])]
    assert answers[f"GET {name}"] == expected
    assert answers[f"POST {name}"] == expected


def test_library_cases_are_not_trivial(answers: dict[str, list[str]]) -> None:
    nonempty = [k for k, v in answers.items() if len(v) > v.index("|") + 1]
    assert len(nonempty) >= 12, f"too few library queries return rows on the examples: {nonempty}"


def test_update_refused_when_read_only(example_store: Path) -> None:
    proc, url = start(example_store)
    try:
        with pytest.raises(ServeError, match="being served"):
            assert_not_served(example_store)  # what a writer checks: no build under a running server
        body = urllib.parse.urlencode({"update": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"}).encode()
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(urllib.request.Request(url + "/update", data=body), timeout=10)
        assert err.value.code == 403
        ask = urllib.parse.urlencode({"query": "ASK { <urn:x:a> ?p ?o }"})
        req = urllib.request.Request(f"{url}/query?{ask}", headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert json.load(r)["boolean"] is False
    finally:
        code, out = stop(proc)
    assert code == 0 and "stopped" in out, out
    assert port_is_free(url)
    assert_not_served(example_store)


def test_read_write_server_locks_the_store(example_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    shutil.copytree(example_store, store)
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open('{opened}', 'w').write(sys.argv[1])\" %s"
    proc, url = start(store, "--allow-updates", "--open", env={**os.environ, "BROWSER": browser})
    try:
        deadline = time.monotonic() + 20
        while not (opened.exists() and opened.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == url + "/", "--open shows the query page"
        body = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } }"}).encode()
        with urllib.request.urlopen(urllib.request.Request(url + "/update", data=body), timeout=10) as r:
            assert r.status in (200, 204)
        # the lock: a query, and a second server, are told clearly
        res = runner.invoke(app, ["query", "events_by_type", "--store", str(store)])
        assert res.exit_code == 1 and "in use" in res.output
        second = subprocess.run(
            [*serve_cmd(), "--store", str(store), "--port", str(free_port()), "--allow-updates"],
            capture_output=True, text=True, timeout=60,
        )
        assert second.returncode == 1 and "in use" in second.stderr, second.stderr
    finally:
        code, out = stop(proc, signal.SIGINT)
    assert code == 0 and "stopped" in out, out
    assert port_is_free(url)
    assert_not_served(store)  # the serve lock went with the server
    res = runner.invoke(app, ["query", "SELECT ?o WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }", "--store", str(store), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == [{"o": 1}], "the update was written and the store opens again"


def test_serve_errors_are_one_clear_line(example_store: Path, tmp_path: Path) -> None:
    res = runner.invoke(app if any(c.name == "serve" for c in app.registered_commands) else _app(), [
        "serve", "--store", str(tmp_path / "nothing"), "--host", "0.0.0.0", "--port", "0"])
    assert res.exit_code == 1
    assert "warning" in res.output and "no diplograph store" in res.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = subprocess.run([*serve_cmd(), "--store", str(example_store), "--port", str(port)],
                             capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "already in use" in res.stderr, res.stderr


def _app() -> Any:
    import typer

    from diplograph import cli_serve

    sub = typer.Typer()
    cli_serve.register(sub)
    return sub


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
