"""Exploration commands: the interactive HTML view and network analytics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diplograph.cli import StoreOpt, _open_store, console


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command()(html)


def html(
    store: StoreOpt = Path("kg"),
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("graph.html"),
    max_nodes: Annotated[int, typer.Option(help="Keep the strongest part of larger graphs.")] = 300,
    roll_up: Annotated[bool, typer.Option("--roll-up", help="Show persons and bodies as their countries.")] = False,
) -> None:
    """An interactive, self-contained HTML view of the actor network (works offline).

    Example: [bold]diplograph html --store kg -o graph.html[/]
    """
    from diplograph.graph.html import write_html
    from diplograph.graph.network import project

    kg = _open_store(store)
    try:
        g = project(kg, roll_up=roll_up)
    finally:
        kg.close()
    info = write_html(g, output, max_nodes=max_nodes)
    console.print(f"wrote {output}: {info['nodes']} actors, {info['edges']} events" + (f" ({info['note']})" if info.get("note") else ""))


