"""Pushing a store's named graphs to an external triple store over HTTP.

Any SPARQL 1.1 store will do: Apache Jena Fuseki, Oxigraph, GraphDB,
Virtuoso, Stardog.  Each named graph (one per article, the actors graph,
anything imported) is sent on its own, so a failure costs one graph, not the
whole push, and every request is **idempotent**, so pushing again after a
failure (or after a rebuild) converges on the same remote content:

* with a Graph Store Protocol URL (``graph_store``): ``PUT GS?graph=IRI``
  with the graph as N-Triples, which *replaces* that graph;
* otherwise a SPARQL Update to ``endpoint``:
  ``DROP SILENT GRAPH <IRI> ; INSERT DATA { GRAPH <IRI> { ... } }``, one
  request and so one transaction in every store we know.

Connection errors, timeouts, 429 and 5xx answers are retried with
exponential backoff; other 4xx answers (bad credentials, a read-only store,
a wrong URL) are not, since asking again cannot help.  After
``max_consecutive_failures`` failed graphs in a row the push stops and the
rest are reported as not attempted, instead of hammering a dead endpoint
for hours.

HTTP is done with ``requests``: one :class:`requests.Session` keeps the
connection alive across thousands of PUTs (``urllib`` opens a new connection
per request), and it gives timeouts and basic auth without hand-made
headers.  It is already installed with Stanza.

Credentials are read from an environment variable or a file (never from a
command-line value, which ``ps`` and shell history show) and never appear
in reports or messages: URLs are shown with any ``user:password@`` removed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.auth import HTTPBasicAuth

from diplograph.ontology import ACTORS_GRAPH, DGR

__all__ = [
    "GraphPush",
    "PushError",
    "PushReport",
    "PushTarget",
    "graph_kind",
    "iter_store_graphs",
    "push_graph",
    "push_store",
    "read_password",
    "redact",
    "short_name",
]

_ARTICLE_PREFIX = str(DGR["graph/article/"])


class PushError(Exception):
    """A push that cannot start (bad options, unreadable store), said in one line."""


def redact(url: str) -> str:
    """``url`` without any ``user:password@`` part, for messages and reports.

    >>> redact("https://bob:secret@example.org:3030/ds/update")
    'https://example.org:3030/ds/update'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def read_password(env: str | None = None, file: Path | None = None) -> str | None:
    """The password from an environment variable or the first line of a file.

    Raises
    ------
    PushError
        Both or a missing source given; the message names the variable or
        file, never the value.
    """
    import os

    if env and file:
        raise PushError("give --password-env or --password-file, not both")
    if env:
        value = os.environ.get(env)
        if value is None:
            raise PushError(f"--password-env {env}: the environment variable is not set")
        return value
    if file:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise PushError(f"--password-file {file}: cannot read it ({exc.strerror or exc})") from None
        if not lines or not lines[0]:
            raise PushError(f"--password-file {file}: the file is empty")
        return lines[0].rstrip("\r\n")
    return None


@dataclass(frozen=True)
class PushTarget:
    """Where and how to push.

    Parameters
    ----------
    endpoint : str, optional
        SPARQL Update endpoint (Fuseki ``/ds/update``, Oxigraph ``/update``,
        GraphDB ``/repositories/R/statements``).  Used when no graph store
        URL is given.
    graph_store : str, optional
        Graph Store Protocol endpoint (Fuseki ``/ds/data``, Oxigraph
        ``/store``, GraphDB ``/repositories/R/rdf-graphs/service``); when
        given, each graph is sent with one PUT.
    user, password : str, optional
        HTTP basic authentication.
    timeout : float
        Seconds to wait for one request to connect and to answer.
    retries : int
        Extra attempts after a retryable failure.
    backoff : float
        First wait in seconds; doubled at each retry (capped at 30 s).
    max_consecutive_failures : int
        Stop after this many graphs in a row failed (0: never stop).
    """

    endpoint: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    max_consecutive_failures: int = 3

    def __post_init__(self) -> None:
        if not self.endpoint and not self.graph_store:
            raise PushError("give --endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)")
        for name, url in (("--endpoint", self.endpoint), ("--graph-store", self.graph_store)):
            if url and urlsplit(url).scheme not in ("http", "https"):
                raise PushError(f"{name} {redact(url)}: expected an http:// or https:// URL")
        if self.password is not None and not self.user:
            raise PushError("a password needs --user")

    @property
    def method(self) -> str:
        """``gsp-put`` or ``sparql-update``."""
        return "gsp-put" if self.graph_store else "sparql-update"

    @property
    def shown(self) -> str:
        """The URL pushed to, without credentials."""
        return redact(self.graph_store or self.endpoint or "")


@dataclass
class GraphPush:
    """What happened to one named graph."""

    graph: str
    kind: str
    triples: int
    status: str = "not attempted"  # sent | failed | not attempted
    attempts: int = 0
    http_status: int | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class PushReport:
    """All graphs of one push, in the order they were sent."""

    target: str
    method: str
    graphs: list[GraphPush] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def sent(self) -> list[GraphPush]:
        return [g for g in self.graphs if g.status == "sent"]

    @property
    def failed(self) -> list[GraphPush]:
        return [g for g in self.graphs if g.status != "sent"]

    @property
    def ok(self) -> bool:
        """True when every graph arrived."""
        return not self.failed

    def summary(self) -> list[tuple[str, str, int, int]]:
        """Rows (kind, status, graphs, triples) for the report table."""
        acc: dict[tuple[str, str], list[int]] = {}
        for g in self.graphs:
            cell = acc.setdefault((g.kind, g.status), [0, 0])
            cell[0] += 1
            cell[1] += g.triples
        order = {"article": 0, "actors": 1, "other": 2}
        return sorted(((k, s, n, t) for (k, s), (n, t) in acc.items()), key=lambda r: (order.get(r[0], 9), r[1]))

    def as_rows(self) -> list[dict[str, Any]]:
        """One dict per graph (for ``--report`` CSV)."""
        return [
            {
                "graph": g.graph,
                "kind": g.kind,
                "triples": g.triples,
                "status": g.status,
                "attempts": g.attempts,
                "http_status": g.http_status or "",
                "error": g.error or "",
                "seconds": round(g.seconds, 3),
            }
            for g in self.graphs
        ]


def graph_kind(iri: str) -> str:
    """``article``, ``actors`` or ``other``."""
    if iri == str(ACTORS_GRAPH):
        return "actors"
    return "article" if iri.startswith(_ARTICLE_PREFIX) else "other"


def iter_store_graphs(store: Any) -> Iterator[tuple[str, str, int]]:
    """(graph IRI, N-Triples, triple count) for every named graph of an open store.

    Article graphs first (sorted), then the actors graph and any others, one
    graph in memory at a time.
    """
    names = sorted(set(store.graphs()), key=lambda g: (graph_kind(g) != "article", g))
    for name in names:
        if "<" in name or ">" in name or " " in name:
            raise PushError(f"graph name {name!r} is not a valid IRI")
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        g = result.graph
        yield name, g.serialize(format="nt"), len(g)


def _retry_after(resp: requests.Response | None) -> float | None:
    if resp is None:
        return None
    value = resp.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None


def _connection_reason(exc: Exception) -> str:
    """'[Errno 111] Connection refused' out of urllib3's nested exception text."""
    import re

    text = str(exc)
    m = re.search(r"\[Errno -?\d+\] [^'\")\]]+", text)
    if m:
        return m.group(0).strip()
    for word in ("Name or service not known", "timed out", "Connection reset", "Remote end closed"):
        if word.lower() in text.lower():
            return word
    return _short(redact(text), 160)


def short_name(iri: str) -> str:
    """``article/doha_talks`` for an article graph IRI; other IRIs unchanged."""
    base = str(DGR["graph/"])
    return iri[len(base) :] if iri.startswith(base) else iri


def _short(text: str, limit: int = 200) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def push_graph(session: requests.Session, target: PushTarget, iri: str, nt: str, triples: int) -> GraphPush:
    """Send one named graph, retrying what can be retried; never raises for HTTP trouble."""
    res = GraphPush(iri, graph_kind(iri), triples)
    if target.graph_store:
        method, url = "PUT", target.graph_store
        kwargs: dict[str, Any] = {
            "params": {"graph": iri},
            "data": nt.encode("utf-8"),
            "headers": {"Content-Type": "application/n-triples; charset=utf-8"},
        }
    else:
        method, url = "POST", target.endpoint or ""
        update = f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{nt}\n}} }}"
        kwargs = {"data": {"update": update}}
    # UTF-8, not requests' default latin-1: a password may hold any character
    auth = HTTPBasicAuth(target.user.encode(), (target.password or "").encode()) if target.user else None
    start = time.monotonic()
    for attempt in range(target.retries + 1):
        res.attempts = attempt + 1
        resp: requests.Response | None = None
        try:
            resp = session.request(method, url, auth=auth, timeout=target.timeout, **kwargs)
        except requests.Timeout:
            res.http_status, res.error = None, f"no answer within {target.timeout:g} s"
        except requests.ConnectionError as exc:
            res.http_status, res.error = None, "connection failed: " + _connection_reason(exc)
        else:
            res.http_status = resp.status_code
            if resp.status_code < 300:
                res.status, res.error = "sent", None
                break
            body = _short(resp.text or resp.reason or "")
            res.error = f"HTTP {resp.status_code}: {body}" if body else f"HTTP {resp.status_code}"
            if resp.status_code < 500 and resp.status_code != 429:
                res.status = "failed"
                break  # a 4xx will not change by asking again
        res.status = "failed"
        if attempt < target.retries:
            wait = _retry_after(resp) or min(30.0, target.backoff * 2**attempt)
            time.sleep(wait * (0.8 + 0.4 * random.random()))
    res.seconds = time.monotonic() - start
    return res


def push_store(
    store_path: str | Path,
    target: PushTarget,
    on_graph: Callable[[GraphPush], None] | None = None,
) -> PushReport:
    """Push every named graph of a store to ``target``.

    Parameters
    ----------
    store_path : str or Path
        The store folder; opened for the duration of the push.
    target : PushTarget
        Where and how.
    on_graph : callable, optional
        Called after each graph (a progress bar).

    Returns
    -------
    PushReport
        Check :attr:`PushReport.ok`; failures are in the report, not raised.

    Raises
    ------
    PushError
        When the store cannot be opened.
    """
    from diplograph.graph.store import KnowledgeStore, StoreError

    try:
        kg = KnowledgeStore(store_path)
    except StoreError as exc:
        raise PushError(str(exc)) from None
    report = PushReport(target.shown, target.method)
    start = time.monotonic()
    consecutive = 0
    try:
        with requests.Session() as session:
            session.headers["User-Agent"] = "diplograph-push"
            graphs = iter_store_graphs(kg)
            for iri, nt, n in graphs:
                if target.max_consecutive_failures and consecutive >= target.max_consecutive_failures:
                    skipped = GraphPush(iri, graph_kind(iri), n, error=f"stopped after {consecutive} graphs failed in a row")
                    report.graphs.append(skipped)
                    continue
                if n == 0:
                    continue
                res = push_graph(session, target, iri, nt, n)
                report.graphs.append(res)
                consecutive = 0 if res.status == "sent" else consecutive + 1
                if on_graph is not None:
                    on_graph(res)
    finally:
        kg.close()
    report.seconds = time.monotonic() - start
    return report
