"""The build command: articles in, knowledge graph out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from diplograph.cli import StoreOpt, _die, _open_store, _published, console


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app (build first in --help)."""
    app.registered_commands.insert(0, typer.models.CommandInfo(name="build", callback=build))


def build(
    inputs: Annotated[list[Path], typer.Argument(help="Article files (.txt, .jsonl) or folders (read recursively).")],
    store: StoreOpt = Path("kg"),
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for articles whose metadata gives none.")
    ] = None,
    ner_model: Annotated[
        str, typer.Option("--ner-model", help="NER model: default (shipped), official (Stanza's, needs network), or a path.")
    ] = "default",
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Skip Stanza NER; dictionary-only linking.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Extract events from articles and write them into the knowledge store.

    Each article becomes one named graph; building an article again replaces
    its graph (no duplicates).  A bad article is reported and skipped, the
    others are stored, and the exit status is non-zero.

    Example: [bold]diplograph build examples/articles --store kg[/]
    """
    from diplograph.extract.pipeline import PIPELINE_VERSION, PipelineError, default_pipeline
    from diplograph.extract.reader import InputError, iter_input_files, read_documents
    from diplograph.graph.rdf import actor_triples, article_triples
    from diplograph.graph.store import StoreError

    pub = _published(published)
    try:
        files = list(iter_input_files(inputs))
    except InputError as exc:
        _die(str(exc))
    if not files:
        _die(f"{', '.join(map(str, inputs))}: no .txt or .jsonl articles found")
    kg = _open_store(store, create=True)
    errors: list[InputError] = []
    pipeline = default_pipeline(ner_model=ner_model, use_ner=not no_ner)
    n_docs = n_sent = n_ent = n_ev = 0
    try:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[extra]}"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
            transient=False,
        ) as progress:
            task = progress.add_task("articles", total=None, extra="")
            for doc in read_documents(files, published=pub, errors=errors):
                try:
                    pipeline(doc)
                except PipelineError as exc:
                    _die(str(exc))
                except Exception as exc:  # noqa: BLE001 - one bad article must not stop the build
                    errors.append(InputError(doc.path or doc.id, f"extraction failed: {type(exc).__name__}: {exc}"))
                    continue
                try:
                    kg.replace_article(
                        doc.id,
                        article_triples(doc, pipeline_version=PIPELINE_VERSION, ner_model=pipeline.ner_model),
                        actor_triples(doc.entities.values()),
                    )
                except StoreError as exc:
                    _die(str(exc))
                n_docs += 1
                n_sent += len(doc.sentences)
                n_ent += len(doc.entities)
                n_ev += len(doc.events)
                progress.update(task, advance=1, extra=f"{n_sent} sentences, {n_ev} events")
    except KeyboardInterrupt:
        kg.close()
        console.print("[yellow]interrupted:[/] articles written so far are complete; re-run to finish")
        raise typer.Exit(130) from None
    finally:
        kg.close()
    for err in errors:
        console.print(f"[bold red]error:[/] {err}", highlight=False)
    console.print(
        f"[green]stored[/] {n_docs} articles, {n_sent} sentences, {n_ent} entities, {n_ev} events in {store}",
        highlight=False,
    )
    if errors:
        raise typer.Exit(1)


