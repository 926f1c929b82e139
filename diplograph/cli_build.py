"""The build command: articles in, knowledge graph out, incrementally and crash-safe.

Why it is shaped this way:

* **One transaction per article.**  Each article's named graph, its actors
  and its manifest entry (:mod:`diplograph.graph.manifest`) go into the
  store in one Oxigraph update, so Ctrl-C, ``kill -9`` or a power cut leaves
  every stored article complete, and the manifest always matches what is
  stored.
* **Incremental.**  Before any NLP, each article's input fingerprint is
  compared with the manifest: an article built from the same input by the
  same pipeline version and NER model is skipped, so a second build of the
  same folder does no NLP work at all (the pipeline is not even loaded) and
  a re-run after a crash only does the rest.  ``--force`` rebuilds all;
  ``--prune`` removes stored articles whose file under the given inputs is
  gone.
* **One writer.**  Oxigraph locks its database; a second build on the same
  store is refused with a one-line message, or waits for the lock with
  ``--wait``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from diplograph.cli import StoreOpt, _die, _published, console

__all__ = ["register", "build"]

log = logging.getLogger("diplograph.build")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app (build first in --help)."""
    app.registered_commands.insert(0, typer.models.CommandInfo(name="build", callback=build))


def _open_store_waiting(path: Path, wait: bool) -> Any:
    """Open (creating) the store; if another process holds it, refuse or wait for it."""
    from diplograph.graph.store import KnowledgeStore, StoreError, StoreLocked

    said = False
    while True:
        try:
            return KnowledgeStore(path, create=True)
        except StoreError as exc:
            locked = isinstance(exc, StoreLocked)
            if not locked:
                _die(str(exc))
            if not wait:
                _die(f"{exc}, or run with --wait to wait for it")
            if not said:
                console.print(
                    f"[yellow]waiting:[/] {path} is in use by another diplograph process", highlight=False
                )
                said = True
            try:
                time.sleep(0.5)
            except KeyboardInterrupt:
                _die("interrupted while waiting for the store; nothing was written", 130)


def _sigterm_as_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def build(
    inputs: Annotated[
        list[Path], typer.Argument(help="Article files (.txt, .html, .jsonl) or folders (read recursively).")
    ],
    store: StoreOpt = Path("kg"),
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for articles whose metadata gives none.")
    ] = None,
    ner_model: Annotated[
        str,
        typer.Option(
            "--ner-model", help="NER model: default (shipped), official (Stanza's, needs network), or a path."
        ),
    ] = "default",
    ner_fallback: Annotated[
        bool,
        typer.Option(
            "--ner-fallback",
            help="If --ner-model official cannot be downloaded, use the shipped model instead of stopping.",
        ),
    ] = False,
    no_ner: Annotated[
        bool, typer.Option("--no-ner", help="Skip Stanza NER; dictionary-only linking.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Rebuild every article, even those unchanged since the last build."),
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Remove stored articles whose file under the given inputs no longer exists."
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="If another build holds the store, wait for it instead of refusing."),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", "-j", min=1, help="Worker processes for extraction.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler: 'local' or tcp://host:port (extraction on a cluster)."
        ),
    ] = None,
    batch_quads: Annotated[
        int,
        typer.Option(
            "--batch-quads",
            min=0,
            help="Write new articles to the store in batches of about this many quads (bulk loader, "
            "journaled: each article is still stored whole or not at all); 0 writes each article on its own. "
            "Bigger batches: less CPU on a big store, ~0.9 KB of memory a quad while one loads.",
        ),
    ] = 250_000,  # graph.store.DEFAULT_BATCH_QUADS (not imported here: the CLI starts without rdflib)
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log each article stored and each file's encoding.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Extract events from articles and write them into the knowledge store.

    Each article becomes one named graph, stored whole or not at all; building
    again skips unchanged articles and replaces changed ones (no duplicates).
    A bad article is reported and skipped, the others are stored, and the
    exit status is non-zero.  An interrupted build loses nothing: run it
    again to finish.

    Example: [bold]diplograph build examples/articles --store kg[/]
    """
    handler: logging.Handler | None = None
    root = logging.getLogger("diplograph")
    old_level = root.level
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    old_term = None
    # SIGTERM (a scheduler stopping the job) ends the build as Ctrl-C does:
    # the store is closed cleanly and the message says to re-run.
    with contextlib.suppress(ValueError):  # not the main thread (embedded use): keep the default
        old_term = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    try:
        if not no_ner:
            ner_model = _usable_ner_model(ner_model, ner_fallback)
        _build(
            inputs, store, published, ner_model, no_ner, force, prune, wait, workers, scheduler, quiet, batch_quads
        )
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        if handler is not None:
            root.removeHandler(handler)
            root.setLevel(old_level)


@dataclasses.dataclass
class _Counts:
    docs: int = 0
    sentences: int = 0
    entities: int = 0
    events: int = 0
    unchanged: int = 0
    pruned: int = 0


def _usable_ner_model(ner_model: str, fallback: bool) -> str:
    """Check the NER model once, before any article: a clear stop instead of one error per article.

    ``official`` is downloaded here (once, before any worker starts); where it
    cannot be, ``--ner-fallback`` switches to the shipped model, so that the
    manifest records the model that really tagged the articles.
    """
    from diplograph.extract.ner import NERModelUnavailable, load_pipeline, model_files

    try:
        if ner_model == "official":
            load_pipeline("official")
        else:
            model_files(ner_model)
    except NERModelUnavailable as exc:
        if ner_model != "official":
            _die(f"--ner-model {ner_model}: {exc}")
        cause = exc.__cause__
        why = f"could not download Stanza's official Arabic model ({type(cause).__name__ if cause else exc})"
        if not fallback:
            _die(f"--ner-model official: {why}; no network? Use --ner-model default, or add --ner-fallback.")
        console.print(
            f"[yellow]warning:[/] --ner-model official: {why}; using the shipped model (--ner-fallback).",
            highlight=False,
        )
        return "default"
    return ner_model


def _build(
    inputs: list[Path],
    store: Path,
    published: str | None,
    ner_model: str,
    no_ner: bool,
    force: bool,
    prune: bool,
    wait: bool,
    workers: int,
    scheduler: str | None,
    quiet: bool,
    batch_quads: int,
) -> None:
    from diplograph.extract.model import Document
    from diplograph.extract.pipeline import (
        PIPELINE_VERSION,
        Pipeline,
        PipelineError,
        default_pipeline,
        settle_for_long_run,
    )
    from diplograph.extract.reader import InputError, InputWarning, iter_input_files, read_path
    from diplograph.graph.manifest import (
        input_hash,
        is_current,
        manifest_ntriples,
        read_manifest,
        stale_under,
    )
    from diplograph.graph.rdf import actor_key, actor_ntriples, article_ntriples
    from diplograph.graph.store import ArticleBatch, StoreError

    pub = _published(published)
    errors: list[InputError] = []
    try:
        files = list(iter_input_files(inputs, errors))
    except InputError as exc:
        _die(str(exc))
    if not files:
        _die(f"{', '.join(map(str, inputs))}: no .txt, .html or .jsonl articles found")
    parallel = workers > 1 or scheduler is not None
    ner_name = "none" if no_ner else ner_model
    kg = _open_store_waiting(store, wait)
    manifest = read_manifest(kg)
    counts = _Counts()
    seen_ids: dict[str, str] = {}
    troubled_files: set[Path] = set()
    pending: dict[str, tuple[str, Path]] = {}  # doc id → (fingerprint, file) of articles sent to extraction
    pipeline: Pipeline | None = None

    def to_extract() -> Iterator[Document]:
        """Read file by file, skipping unchanged articles before any NLP."""
        for path in files:
            real = path.resolve()
            before = len(errors)
            for doc in read_path(path, pub, errors):
                if doc.id in seen_ids:
                    errors.append(
                        InputWarning(
                            doc.path or path,
                            f"duplicate article id '{doc.id}' (first one kept, from {seen_ids[doc.id]})",
                        )
                    )
                    continue
                seen_ids[doc.id] = doc.path or str(path)
                fp = input_hash(doc)
                if not force and is_current(manifest.get(doc.id), fp, real, PIPELINE_VERSION, ner_name):
                    counts.unchanged += 1
                    log.info("unchanged %s", doc.id)
                    continue
                pending[doc.id] = (fp, real)
                yield doc
            if len(errors) > before:
                troubled_files.add(real)

    def stored(doc_id: str, sentences: int, entities: int, events: int) -> None:
        counts.docs += 1
        counts.sentences += sentences
        counts.entities += entities
        counts.events += events
        log.info("stored %s (%d events)", doc_id, events)

    interrupted = False
    gone: list[str] = []
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

            def on_written(doc_id: str, sizes: tuple[int, int, int]) -> None:
                stored(doc_id, *sizes)
                progress.update(task, advance=1, extra=f"{counts.sentences} sentences, {counts.events} events")

            batch = ArticleBatch(kg, batch_quads, on_written)
            if not parallel:
                written: set[tuple[Any, ...]] = set()
                todo = to_extract()
                first = next(todo, None)  # nothing to extract: the pipeline is not even loaded

                def extraction_failed(doc: Document, exc: Exception) -> None:
                    pending.pop(doc.id, None)
                    errors.append(InputError(doc.path or doc.id, f"extraction failed: {type(exc).__name__}: {exc}"))

                if first is not None:
                    pipeline = default_pipeline(ner_model=ner_model, use_ner=not no_ner)
                    settled = False
                    try:
                        # In batches, one component over a batch at a time (see Pipeline.pipe).
                        for doc in pipeline.pipe(itertools.chain([first], todo), on_error=extraction_failed):
                            if not settled:
                                settle_for_long_run()  # the models are loaded now
                                settled = True
                            fp, real = pending.pop(doc.id)
                            try:
                                art = article_ntriples(
                                    doc, pipeline_version=PIPELINE_VERSION, ner_model=pipeline.ner_model
                                )
                                art += manifest_ntriples(doc.id, fp, real)
                                # Each actor description once per build: the actors graph only grows.
                                fresh = [e for e in doc.entities.values() if actor_key(e) not in written]
                                written.update(actor_key(e) for e in fresh)
                                actors = actor_ntriples(fresh)
                            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the build
                                extraction_failed(doc, exc)
                                continue
                            batch.add(doc.id, art, actors, (len(doc.sentences), len(doc.entities), len(doc.events)))
                    except PipelineError as exc:
                        _die(str(exc))
                    except StoreError as exc:
                        _die(str(exc))
                try:
                    batch.flush()
                except StoreError as exc:
                    _die(str(exc))
            else:
                from diplograph.graph.distributed import process_articles

                todo = to_extract()
                first = next(todo, None)  # nothing to extract: start no pool or cluster at all
                results = process_articles(
                    itertools.chain([first], todo) if first is not None else iter(()),
                    workers=workers,
                    scheduler=scheduler,
                    ner_model=ner_model,
                    use_ner=not no_ner,
                )
                try:
                    for res in results:
                        fp, real = pending.pop(res.doc_id)
                        if res.error is not None:
                            errors.append(InputError(res.path or res.doc_id, res.error))
                            continue
                        res = dataclasses.replace(
                            res, article_nt=res.article_nt + manifest_ntriples(res.doc_id, fp, real)
                        )
                        batch.add(res.doc_id, res.article_nt, res.actors_nt, (res.sentences, res.entities, res.events))
                    batch.flush()
                except PipelineError as exc:
                    _die(str(exc))
                except StoreError as exc:
                    _die(str(exc))
                except ValueError as exc:  # a bad --scheduler
                    _die(str(exc))
                finally:
                    results.close()
        gone = _prune_candidates(manifest, inputs, seen_ids, troubled_files, stale_under)
        if prune:
            for doc_id in gone:
                kg.remove_article(doc_id)
                log.info("pruned %s", doc_id)
            counts.pruned = len(gone)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        kg.close()
    if interrupted:
        console.print(
            f"[yellow]interrupted:[/] {counts.docs} articles stored, each complete; run the same build again to finish",
            highlight=False,
        )
        raise typer.Exit(130)
    failed = False
    for err in errors:
        if isinstance(err, InputWarning):
            console.print(f"[yellow]warning:[/] {err}", highlight=False)
        else:
            failed = True
            console.print(f"[bold red]error:[/] {err}", highlight=False)
    summary = (
        f"[green]stored[/] {counts.docs} articles, {counts.sentences} sentences, {counts.entities} entities, "
        f"{counts.events} events in {store}; {counts.unchanged} unchanged"
    )
    if prune:
        summary += f", {counts.pruned} pruned"
    elif gone:
        summary += f"; {len(gone)} stored articles have no input file any more (--prune removes them)"
    console.print(summary, highlight=False)
    if failed:
        raise typer.Exit(1)


def _prune_candidates(
    manifest: dict[str, Any],
    inputs: list[Path],
    seen_ids: dict[str, str],
    troubled: set[Path],
    stale_under: Any,
) -> list[str]:
    """Stored articles from the given inputs whose source is gone.

    An article is gone when its file no longer exists, or when its file was
    read cleanly in this build and no longer holds its id (a line removed
    from a JSON Lines file).  A file that still exists but could not be read
    keeps its article: a broken file is not a deleted one.
    """
    roots = [Path(p).resolve() for p in inputs]
    gone = []
    for entry in stale_under(manifest.values(), roots):
        if entry.doc_id in seen_ids:
            continue
        f = Path(entry.input_file)
        if not f.exists() or f not in troubled:
            gone.append(entry.doc_id)
    return sorted(gone)
