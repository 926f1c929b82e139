"""A SPARQL 1.1 Protocol endpoint over a store: the Oxigraph server, not a home-made one.

The ``oxigraph`` package on PyPI ships the Oxigraph server as a binary that
reads the very RocksDB database a :class:`~diplograph.graph.store.KnowledgeStore`
writes (``STORE/oxigraph``), so serving a store copies nothing and answers
with the same engine, the same SPARQL and the same speed as
``diplograph query``.  We only start it with the right arguments, check the
store first, and turn its failures (a store in use, a port taken) into one
clear line.  Why not our own server: Oxigraph's already speaks the whole
SPARQL 1.1 Protocol (GET and POST, content negotiation for JSON, XML, CSV,
TSV results), the Graph Store Protocol and ships the YASGUI query page.

What it serves, at ``http://HOST:PORT``:

* ``/``         the query page (YASGUI) for a browser;
* ``/query``    SPARQL queries, GET ``?query=`` or POST;
* ``/update``   SPARQL updates, only with ``allow_updates`` (else 403);
* ``/store``    the Graph Store Protocol (read-only unless ``allow_updates``).

Queries see the union of all named graphs as their default graph
(``--union-default-graph``), as ``diplograph query`` does.  Unlike
``diplograph query``, the endpoint knows no prefixes: a query must declare
``PREFIX dg: <...>``; :func:`with_prefixes` adds the project's.

Locks
-----
Oxigraph lets one process open a database for writing (RocksDB's ``LOCK``
file).  A read-write server (``allow_updates``) takes that lock, so a
``diplograph build`` or ``query`` on the same store fails with "in use"
while it runs, and it cannot start while another process has the store.
A read-only server (the default) takes no RocksDB lock: several can serve one
store, and it sees the store as it was when it started.  Writing into a store
while a read-only server reads it is undefined behaviour for Oxigraph, so the
server holds a shared lock on ``STORE/serve.lock`` that a writer can check
with :func:`assert_not_served`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

__all__ = [
    "OxigraphServer",
    "ServeError",
    "SERVE_LOCK",
    "assert_not_served",
    "free_port",
    "is_loopback",
    "oxigraph_binary",
    "server_command",
    "serve_lock",
    "with_prefixes",
]

#: The file a serving process holds a shared ``flock`` on, inside the store folder.
SERVE_LOCK = "serve.lock"


class ServeError(Exception):
    """A server that cannot start or answer, said in one line."""


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server binary.

    Looked up in ``$DIPLOGRAPH_OXIGRAPH``, then beside the running Python (the
    virtualenv's ``bin/``, where ``pip install oxigraph`` puts it, even when
    the venv is not activated), then on ``PATH``.

    Raises
    ------
    ServeError
        When no binary is found, saying how to install it.
    """
    env = os.environ.get("DIPLOGRAPH_OXIGRAPH")
    if env:
        if not (Path(env).is_file() and os.access(env, os.X_OK)):
            raise ServeError(f"DIPLOGRAPH_OXIGRAPH={env}: not an executable file")
        return env
    beside = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    found = beside or shutil.which("oxigraph")
    if not found:
        raise ServeError("the Oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> str:
    h = host.strip("[]")
    return f"[{h}]:{port}" if ":" in h else f"{h}:{port}"


def server_command(
    oxigraph_dir: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    allow_updates: bool = False,
    timeout_s: int | None = None,
    cors: bool = False,
) -> list[str]:
    """The ``oxigraph`` command line that serves a database folder.

    ``serve-read-only`` unless ``allow_updates``; always
    ``--union-default-graph`` so the default graph is the union of the named
    graphs, as ``diplograph query`` sees it.
    """
    cmd = [
        oxigraph_binary(),
        "serve" if allow_updates else "serve-read-only",
        "--location",
        str(oxigraph_dir),
        "--bind",
        _bind(host, port),
        "--union-default-graph",
    ]
    if timeout_s:
        cmd += ["--timeout-s", str(int(timeout_s))]
    if cors:
        cmd.append("--cors")
    return cmd


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now (for tests and ``--port 0``)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host.strip("[]"), 0))
        return int(s.getsockname()[1])


def with_prefixes(query: str) -> str:
    """``query`` with ``PREFIX`` lines for the project's prefixes it does not declare.

    ``diplograph query`` binds ``dg:``, ``dgr:``, ``wd:`` ... itself; an HTTP
    endpoint does not, so library queries sent to it need these lines.

    >>> with_prefixes("SELECT * WHERE { ?s a dg:Event }").startswith("PREFIX")
    True
    """
    import re

    from diplograph.ontology import PREFIXES

    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + query


# --------------------------------------------------------------------------- the serve lock
@contextlib.contextmanager
def serve_lock(store: str | Path) -> Iterator[IO[str]]:
    """Hold a shared lock on ``STORE/serve.lock`` while serving.

    Shared, so several read-only servers may serve one store; a writer that
    calls :func:`assert_not_served` asks for it exclusively and is refused.
    The kernel drops the lock when the process ends, however it ends, so a
    crashed server never leaves a stale lock behind.
    """
    path = Path(store) / SERVE_LOCK
    fh = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise ServeError(f"{store}: the store is being written (serve.lock held exclusively); try again") from None
    try:
        yield fh
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def assert_not_served(store: str | Path) -> None:
    """Raise when a ``diplograph serve`` process is serving ``store``.

    For commands that write a store (build, import, merge): a read-only
    Oxigraph server takes no RocksDB lock, so without this check a build
    would write under a server reading the same files.

    Raises
    ------
    ServeError
        Naming the way out: stop the server, or build into another folder.
    """
    path = Path(store) / SERVE_LOCK
    if not path.exists():
        return
    with path.open("a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ServeError(
                f"{store}: the store is being served by 'diplograph serve'; stop the server first "
                "(or build into another folder and serve that)"
            ) from None
        fcntl.flock(fh, fcntl.LOCK_UN)


def _preflight(store: Path, allow_updates: bool) -> None:
    """Check the store is one of ours and nobody is writing it, before Oxigraph sees it."""
    from diplograph.graph.store import KnowledgeStore, StoreError

    if not (store / "diplograph.json").exists() or not (store / "oxigraph").is_dir():
        raise ServeError(f"{store}: no diplograph store here (build one with 'diplograph build ... --store {store}')")
    try:
        # Opening read-write is the one reliable test that no other process
        # holds the RocksDB lock (a build, a query, a read-write server).
        KnowledgeStore(store).close()
    except StoreError as exc:
        what = "serve it read-write" if allow_updates else "serve it"
        raise ServeError(f"{exc}; another process has the store open, it must finish before you {what}") from None


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it when ``diplograph serve`` dies.

    Otherwise a killed ``serve`` (kill -9, a closed terminal) would leave an
    orphan server holding the port, without the serve lock that tells
    writers the store is being read.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def _check_port(host: str, port: int) -> None:
    """Fail early and clearly when the port is taken (Oxigraph would only say 'os error 98')."""
    h = host.strip("[]") or "0.0.0.0"
    with socket.socket(socket.AF_INET6 if ":" in h else socket.AF_INET) as s:
        try:
            s.bind((h, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise ServeError(_explain(str(exc) + (" os error 98" if exc.errno == errno.EADDRINUSE else " os error 13"), host, port, Path("."))) from None
            raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None


def _explain(stderr: str, host: str, port: int, store: Path) -> str:
    low = stderr.lower()
    if "address already in use" in low or "os error 98" in low:
        return f"port {port} on {host} is already in use; choose another with --port"
    if "lock" in low:
        return f"{store}: the store is in use by another process (locked); stop it (a build, a query, another server) first"
    if "permission denied" in low or "os error 13" in low:
        return f"cannot listen on {host}:{port} (permission denied); ports below 1024 need root"
    first = next((line for line in stderr.splitlines() if line.strip()), "no message")
    return f"the Oxigraph server stopped: {first.strip()}"


# --------------------------------------------------------------------------- the server
@dataclass
class OxigraphServer:
    """An Oxigraph server over a diplograph store, as a child process.

    Parameters
    ----------
    store : str or Path
        The store folder (``diplograph.json`` + ``oxigraph/``).
    host, port : str, int
        Where to listen; loopback by default.  ``port=0`` picks a free one.
    allow_updates : bool
        Serve read-write (``/update`` and Graph Store writes enabled).
    timeout_s : int, optional
        Per-query time limit, so one runaway query cannot hold the server.

    Examples
    --------
    >>> with OxigraphServer("kg", port=0) as srv:  # doctest: +SKIP
    ...     print(srv.query_url)
    http://127.0.0.1:41231/query
    """

    store: str | Path
    host: str = "127.0.0.1"
    port: int = 7878
    allow_updates: bool = False
    timeout_s: int | None = None
    cors: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, init=False, repr=False)

    @property
    def url(self) -> str:
        """Base URL: the query page for a browser."""
        h = self.host.strip("[]")
        shown = "127.0.0.1" if h in ("0.0.0.0", "") else ("[::1]" if h == "::" else (f"[{h}]" if ":" in h else h))
        return f"http://{shown}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint."""
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint (403 when read-only)."""
        return self.url + "/update"

    @property
    def graph_store_url(self) -> str:
        """The Graph Store Protocol endpoint."""
        return self.url + "/store"

    def start(self, ready_timeout: float = 30.0) -> OxigraphServer:
        """Check the store, start the server and wait until it accepts connections.

        Raises
        ------
        ServeError
            The store is missing or in use, the port is taken, or the server
            did not answer within ``ready_timeout`` seconds.
        """
        store = Path(self.store)
        _preflight(store, self.allow_updates)
        if self.port == 0:
            self.port = free_port(self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1")
        else:
            _check_port(self.host, self.port)
        cmd = server_command(store / "oxigraph", self.host, self.port, self.allow_updates, self.timeout_s, self.cors)
        self._stack.enter_context(serve_lock(store))
        # The log outlives this method (read on failure): the exit stack closes it.
        self._log = self._stack.enter_context(tempfile.TemporaryFile(prefix="diplograph-serve-"))  # noqa: SIM115
        env = dict(os.environ, RUST_BACKTRACE="0")
        self.process = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log, env=env, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + ready_timeout
        probe = "127.0.0.1" if self.host in ("0.0.0.0", "") else ("::1" if self.host == "::" else self.host.strip("[]"))
        while True:
            if self.process.poll() is not None:
                message = _explain(self.log_text(), self.host, self.port, store)
                self._cleanup()
                raise ServeError(message)
            try:
                with socket.create_connection((probe, self.port), timeout=0.5):
                    pass
            except OSError:
                pass
            else:
                if self.process.poll() is None:
                    return self
                continue  # it answered but exited: report why above
            if time.monotonic() > deadline:
                self.stop()
                raise ServeError(f"the Oxigraph server did not answer on {self.url} within {ready_timeout:.0f} s")
            time.sleep(0.05)

    def log_text(self) -> str:
        """What the server wrote to stdout and stderr so far."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def wait(self) -> int:
        """Block until the server exits; its exit status."""
        if self.process is None:
            return 0
        return self.process.wait()

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout`` s); its exit status."""
        rc: int | None = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=timeout)
            rc = self.process.returncode
        self._cleanup()
        return rc

    def _cleanup(self) -> None:
        self._stack.close()  # the serve lock and the log file
        self._log = None

    def __enter__(self) -> OxigraphServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()
