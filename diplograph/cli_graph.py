"""Graph commands: export and import (the store's RDF in standard formats), validate.

``export`` writes the whole store as Turtle, TriG, N-Quads or JSON-LD;
``import`` loads such a file back (named graphs kept, each replacing the
graph of the same name); ``validate`` checks the store against the SHACL
shapes of ``ontology/shapes.ttl``.  Each prints one line and exits non-zero
on bad input.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register", "ExportFormat"]


StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store folder (created by [bold]build[/]).")]


class ExportFormat(StrEnum):
    """Formats ``export`` writes."""

    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    jsonld = "jsonld"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    from diplograph.cli import _die, _open_store, console

    @app.command("export")
    def export_cmd(
        output: Annotated[Path, typer.Option("--output", "-o", help="File to write (replaced if it exists).")],
        store: StoreOpt = Path("kg"),
        format: Annotated[
            ExportFormat | None,
            typer.Option("--format", "-f", help="turtle, trig, nquads or jsonld (default: from the suffix of -o)."),
        ] = None,
    ) -> None:
        """Write the whole store as RDF: Turtle, TriG, N-Quads or JSON-LD.

        TriG, N-Quads and JSON-LD keep the named graphs (one per article and
        the actors graph); Turtle has none, so it holds the union of all
        graphs, which is what queries see.

        Example: [bold]diplograph export --store kg --format trig -o kg.trig[/]
        """
        from diplograph.graph.export import ExportError, export_store, format_for

        try:
            fmt = format.value if format is not None else format_for(output)
            if fmt == "ntriples":
                _die(f"{output}: export writes turtle, trig, nquads or jsonld; give --format")
        except ExportError as exc:
            _die(str(exc))
            return
        if output.parent and not output.parent.exists():
            _die(f"{output.parent}: no such folder")
        kg = _open_store(store)
        try:
            n = export_store(kg, output, fmt)
        except ExportError as exc:
            _die(str(exc))
            return
        finally:
            kg.close()
        what = "triples (union of all graphs)" if fmt == "turtle" else "quads"
        console.print(f"[green]wrote[/] {n} {what} to {output} ({fmt})", highlight=False)

    @app.command("import")
    def import_cmd(
        file: Annotated[Path, typer.Argument(help="RDF file: .ttl, .trig, .nq, .jsonld (or .nt).")],
        store: StoreOpt = Path("kg"),
        format: Annotated[
            str | None, typer.Option("--format", "-f", help="turtle, trig, nquads, jsonld or ntriples (default: from the suffix).")
        ] = None,
        graph: Annotated[
            str | None,
            typer.Option("--graph", help="Graph IRI for triples outside any named graph (default: dgr:graph/imported/<file name>)."),
        ] = None,
    ) -> None:
        """Load an RDF file into a store (created if needed), keeping its named graphs.

        Each named graph in the file replaces the graph of the same name in
        the store, so importing the same file twice changes nothing; on disk
        the import is one transaction (a bad file leaves the store as it was).

        Example: [bold]diplograph import kg.trig --store kg2[/]
        """
        from diplograph.graph.export import ExportError, format_for, import_file

        if not file.exists():
            _die(f"{file}: no such file")
        try:
            fmt = format_for(file, format)
        except ExportError as exc:
            _die(str(exc))
            return
        if graph is not None and not graph.startswith(("http://", "https://", "urn:")):
            _die(f"--graph {graph}: expected an absolute IRI (http://, https:// or urn:)")
        kg = _open_store(store, create=True)
        try:
            counts = import_file(kg, file, fmt, graph)
        except ExportError as exc:
            _die(str(exc))
            return
        finally:
            kg.close()
        console.print(
            f"[green]imported[/] {sum(counts.values())} quads in {len(counts)} graphs from {file} ({fmt}) into {store}",
            highlight=False,
        )

    @app.command("validate")
    def validate_cmd(
        store: StoreOpt = Path("kg"),
        report: Annotated[bool, typer.Option("--report", help="Print pyshacl's full report.")] = False,
    ) -> None:
        """Check the store against the SHACL shapes (valid events and actors).

        Exits 1 when an event or actor violates a shape and shows the first
        violations (all of them with --report).

        Example: [bold]diplograph validate --store kg[/]
        """
        from diplograph.graph.validate import validate

        kg = _open_store(store)
        try:
            # pyshacl gives no progress to show: a spinner says it is working
            # (about 100 s a million triples on 2 cores, benchmarks/RESULTS.md).
            with console.status(f"validating {store} against the SHACL shapes ...", spinner="dots"):
                conforms, text = validate(kg)
        finally:
            kg.close()
        if report:
            typer.echo(text)
        if conforms:
            console.print(f"[green]conforms[/]: {store} satisfies ontology/shapes.ttl", highlight=False)
            return
        messages = [ln.strip()[len("Message: "):] for ln in text.splitlines() if ln.strip().startswith("Message: ")]
        for m in sorted(set(messages))[:10]:
            console.print(f"  {m}", highlight=False)
        _die(f"{store}: {len(messages)} SHACL results; see --report")
