"""Serving and pushing: ``diplograph serve`` (a SPARQL endpoint) and ``diplograph push``.

``serve`` runs the Oxigraph server over the store folder (see
:mod:`diplograph.graph.server`); ``push`` sends the store's named graphs to
another triple store (see :mod:`diplograph.graph.push`).  Both print one
clear line on bad input and exit non-zero.
"""

from __future__ import annotations

import csv
import signal
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store folder (created by [bold]build[/]).")]


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``push`` to the main app."""
    from diplograph.cli import _die, console, out

    @app.command("serve")
    def serve_cmd(
        store: StoreOpt = Path("kg"),
        host: Annotated[str, typer.Option("--host", help="Address to listen on; loopback by default.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", "-p", help="TCP port (0: any free port).")] = 7878,
        open_browser: Annotated[bool, typer.Option("--open", help="Open the query page in the browser.")] = False,
        allow_updates: Annotated[
            bool,
            typer.Option("--allow-updates", help="Serve read-write: /update and Graph Store writes (locks the store)."),
        ] = False,
        timeout: Annotated[
            int | None, typer.Option("--timeout", help="Stop any query after this many seconds.")
        ] = None,
        cors: Annotated[bool, typer.Option("--cors", help="Allow queries from web pages of other origins.")] = False,
    ) -> None:
        """Serve the store as a SPARQL 1.1 endpoint (Oxigraph server) until Ctrl-C.

        Queries at /query (GET and POST; JSON, XML, CSV, TSV results), the
        query page at /, updates at /update only with --allow-updates.  The
        default graph is the union of all graphs, as for [bold]query[/];
        queries must declare their PREFIXes.  Read-only serving takes no
        lock: several servers may serve one store, and it shows the store as
        it was at start (stop it before building into the same folder).

        Example: [bold]diplograph serve --store kg --open[/]
        """
        from diplograph.graph.server import OxigraphServer, ServeError, is_loopback

        if not 0 <= port <= 65535:
            _die(f"--port {port}: expected 0..65535")
        if not is_loopback(host):
            console.print(
                f"[bold yellow]warning:[/] listening on {host}: anyone who can reach this machine can query the store "
                "(the server has no authentication; put a reverse proxy with TLS and a login in front of it)",
                highlight=False,
            )
            if allow_updates:
                console.print("[bold yellow]warning:[/] ...and change it: --allow-updates on a non-loopback address", highlight=False)
        server = OxigraphServer(store, host=host, port=port, allow_updates=allow_updates, timeout_s=timeout, cors=cors)

        def _stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        # SIGTERM (a service manager, a test harness) stops it as Ctrl-C does;
        # installed before the server starts, so no signal finds us unprepared.
        previous = signal.signal(signal.SIGTERM, _stop)
        rc, tail = 0, ""
        try:
            try:
                server.start()
            except ServeError as exc:
                _die(str(exc))
                return
            mode = "read-write" if allow_updates else "read-only"
            console.print(f"[green]serving[/] {store} ({mode}) at [bold]{server.url}[/]", highlight=False)
            out.print(f"query page:  {server.url}/", highlight=False)
            out.print(f"SPARQL:      {server.query_url}", highlight=False)
            out.print(f"updates:     {server.update_url}" + ("" if allow_updates else "  (refused: read-only)"), highlight=False)
            out.print(f"graph store: {server.graph_store_url}", highlight=False)
            console.print("press Ctrl-C to stop", highlight=False)
            if open_browser:
                import webbrowser

                webbrowser.open(server.url + "/")
            rc = server.wait()
            tail = server.log_text()
        except KeyboardInterrupt:
            server.stop()
            console.print("stopped", highlight=False)
            return
        finally:
            server.stop()
            signal.signal(signal.SIGTERM, previous)
        if rc != 0:
            last = next((line for line in tail.splitlines() if line.strip()), "no message")
            _die(f"the Oxigraph server stopped with status {rc}: {last}")

    @app.command("push")
    def push_cmd(
        store: StoreOpt = Path("kg"),
        endpoint: Annotated[
            str | None, typer.Option("--endpoint", "-e", help="SPARQL Update endpoint URL (e.g. Fuseki .../ds/update).")
        ] = None,
        graph_store: Annotated[
            str | None,
            typer.Option("--graph-store", "-g", help="Graph Store Protocol URL (e.g. Fuseki .../ds/data); PUT per graph."),
        ] = None,
        user: Annotated[str | None, typer.Option("--user", "-u", help="User for HTTP basic authentication.")] = None,
        password_env: Annotated[
            str | None, typer.Option("--password-env", help="Name of the environment variable holding the password.")
        ] = None,
        password_file: Annotated[
            Path | None, typer.Option("--password-file", help="File whose first line is the password.")
        ] = None,
        retries: Annotated[int, typer.Option("--retries", help="Retries per graph on connection errors and 5xx.")] = 3,
        backoff: Annotated[float, typer.Option("--backoff", help="First wait between retries, seconds (doubles).")] = 1.0,
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60.0,
        report: Annotated[
            Path | None, typer.Option("--report", help="Also write one CSV row per graph (sent or not) here.")
        ] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Send the store's named graphs to another triple store (Fuseki, Oxigraph, GraphDB, Virtuoso).

        One request per graph (each article, the actors graph), each one
        replacing that graph: pushing again gives the same remote content.
        Failed graphs are retried, then listed; the exit status is 1 when any
        graph did not arrive.  Passwords come from --password-env or
        --password-file, never from the command line.

        Example: [bold]FUSEKI_PW=... diplograph push --store kg --graph-store http://localhost:3030/ds/data --user admin --password-env FUSEKI_PW[/]
        """
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
        from rich.table import Table

        from diplograph.graph.push import PushError, PushTarget, push_store, read_password, short_name

        if retries < 0 or backoff < 0 or timeout <= 0:
            _die("--retries and --backoff must be ≥ 0 and --timeout > 0")
        try:
            password = read_password(password_env, password_file)
            target = PushTarget(
                endpoint=endpoint, graph_store=graph_store, user=user, password=password,
                timeout=timeout, retries=retries, backoff=backoff,
            )
        except PushError as exc:
            _die(str(exc))
            return
        console.print(f"pushing {store} to {target.shown} ({target.method})", highlight=False)
        with Progress(
            TextColumn("[bold]graphs"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[extra]}"),
            console=console, disable=quiet, transient=True,
        ) as progress:
            task = progress.add_task("graphs", total=None, extra="")
            counts = {"sent": 0, "failed": 0}

            def tick(g: object) -> None:
                counts["sent" if getattr(g, "status", "") == "sent" else "failed"] += 1
                progress.update(task, advance=1, extra=f"{counts['sent']} sent, {counts['failed']} failed")

            try:
                result = push_store(store, target, on_graph=tick)
            except PushError as exc:
                _die(str(exc))
                return
        table = Table("graphs", "status", "count", "triples", title=f"push to {result.target}")
        for kind, status, n, triples in result.summary():
            style = "green" if status == "sent" else "red"
            table.add_row(kind, f"[{style}]{status}[/]", str(n), str(triples))
        out.print(table)
        tried = [g for g in result.failed if g.attempts]
        if tried:
            fails = Table("graph", "attempts", "why", title="not pushed")
            for g in tried[:50]:
                fails.add_row(short_name(g.graph), str(g.attempts), g.error or "")
            out.print(fails)
            if len(tried) > 50:
                console.print(f"... and {len(tried) - 50} more failed (see --report)", highlight=False)
        untried = len(result.failed) - len(tried)
        if untried:
            why = next(g.error for g in result.failed if not g.attempts)
            console.print(f"[yellow]{untried} graphs not attempted:[/] {why}", highlight=False)
        if report is not None:
            rows = result.as_rows()
            with report.open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["graph"])
                w.writeheader()
                w.writerows(rows)
        n_sent = len(result.sent)
        triples = sum(g.triples for g in result.sent)
        if result.ok:
            console.print(
                f"[green]pushed[/] {n_sent} graphs, {triples} triples in {result.seconds:.1f} s", highlight=False
            )
            return
        console.print(
            f"[bold red]error:[/] {len(result.failed)} of {len(result.graphs)} graphs not pushed "
            f"({n_sent} sent); fix the cause and run push again (it replaces, so nothing doubles)",
            highlight=False,
        )
        raise typer.Exit(1)


def _main() -> None:
    """``python -m diplograph.cli_serve serve ...``: the app with these commands, mounted or not."""
    from diplograph.cli import app

    if not any(c.name == "serve" for c in app.registered_commands):
        register(app)
    app()


if __name__ == "__main__":
    _main()
