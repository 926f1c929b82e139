"""Extraction of many articles in parallel: worker processes on one machine, or a Dask cluster.

Extraction is embarrassingly parallel per article and costly (Stanza NER),
while writing is cheap and must be serial (Oxigraph lets one process write a
store).  So workers only *extract*: each returns its article's RDF as
N-Triples text (small, picklable, no rdflib objects crossing processes), and
the driver writes the results to the store in input order with
:func:`write_result`.  The pipeline (and the Stanza model, ~10 s to load) is
built once per worker process and kept in a module-level cache, so a worker
pays it once however many articles it gets.

Three ways to run, one function, identical output
-------------------------------------------------
* ``workers=1`` (default): in this process, no extra processes at all;
* ``workers=N``: a :class:`concurrent.futures.ProcessPoolExecutor` of N
  ``spawn``-ed processes (safe with PyTorch's threads, unlike ``fork``),
  each warming the pipeline in its initializer;
* ``scheduler="local"`` (a Dask ``LocalCluster`` of N worker processes) or
  ``scheduler="tcp://host:8786"`` (an existing Dask cluster: every worker
  needs diplograph and its model installed, the same version as the driver).

Articles travel in batches (``batch_size``, by default 8 to a worker
process and 32 in this process), each run one component at a time as the
serial build runs them.  Results stream back in input order with at most
``max_in_flight`` batches submitted and not yet consumed, so memory stays flat in the number of
articles.  All articles of one run get the same ``extracted_at`` time, which
also makes the output independent of how the work was split.

Usage in the build command (for the robustness engineer)
--------------------------------------------------------
::

    from diplograph.graph.distributed import process_articles, write_result

    docs = read_documents(files, published=pub, errors=errors)
    for res in process_articles(docs, workers=workers, scheduler=scheduler,
                                ner_model=ner_model, use_ner=not no_ner):
        if res.error is not None:
            errors.append(InputError(res.path or res.doc_id, res.error))
            continue
        write_result(kg, res)                # raises StoreError like replace_article
        n_docs += 1; n_sent += res.sentences; n_ent += res.entities; n_ev += res.events

:class:`~diplograph.extract.pipeline.PipelineError` (a model that cannot be
loaded) is raised out of the iterator, from whichever worker met it, as the
serial build raises it; any other exception in one article becomes
``res.error``.  Interrupting the loop (Ctrl-C, ``break``) closes the pool or
the cluster client: wrap the loop in ``try/finally`` as today and call
``.close()`` on the iterator if you leave it early.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from diplograph.extract.model import Document
from diplograph.extract.pipeline import (
    BATCH_SIZE,
    PIPELINE_VERSION,
    Pipeline,
    batches,
    default_pipeline,
    settle_for_long_run,
)

__all__ = ["ArticleResult", "process_article", "process_batch", "process_articles", "result_graphs", "write_result"]

#: Articles per task sent to a worker process: a batch (see
#: :meth:`~diplograph.extract.pipeline.Pipeline.pipe`) small enough that a
#: few dozen articles still spread over the workers.
TASK_BATCH = 8


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """One processed article, as plain picklable data.

    ``article_nt`` is the article's named graph and ``actors_nt`` its triples
    for the shared actors graph, both N-Triples; both are empty and ``error``
    says why when the article failed.
    """

    doc_id: str
    path: str | None
    article_nt: str
    actors_nt: str
    sentences: int = 0
    entities: int = 0
    events: int = 0
    error: str | None = None


# --------------------------------------------------------------------------- per worker
_PIPELINES: dict[tuple[str, bool], Pipeline] = {}


def _pipeline(ner_model: str, use_ner: bool) -> Pipeline:
    """The pipeline of this process, built on first use and kept."""
    key = (ner_model, use_ner)
    if key not in _PIPELINES:
        _PIPELINES[key] = default_pipeline(ner_model=ner_model, use_ner=use_ner)
    return _PIPELINES[key]


def _warm(ner_model: str, use_ner: bool, threads: int | None = None) -> None:
    """Build the pipeline and load its models now (a worker's initializer).

    Running it on one short sentence makes the NER component load Stanza, so
    the load happens in parallel at start-up instead of on each worker's
    first article.  It never raises.  ``threads`` caps PyTorch's threads so N workers do not
    each start one thread per core.
    """
    if threads and use_ner:
        import torch

        torch.set_num_threads(threads)
    try:
        nlp = _pipeline(ner_model, use_ner)
        nlp(Document(id="warm-up", text="زار وزير الخارجية القاهرة."))
        settle_for_long_run()  # as the serial build does once its models are loaded
    except Exception:  # noqa: BLE001 - the first real article raises it again, with its name
        # A failing initializer breaks the whole pool with an opaque
        # BrokenProcessPool; leaving the error to process_article reports it
        # as the serial build does (PipelineError stops, others per article).
        _PIPELINES.pop((ner_model, use_ner), None)


def process_article(
    doc: Document, ner_model: str = "default", use_ner: bool = True, extracted_at: dt.datetime | None = None
) -> ArticleResult:
    """Run the pipeline on one article and serialize its RDF.

    Raises
    ------
    PipelineError
        When the pipeline cannot run at all: stop the whole run, as the
        serial build does.
    """
    return process_batch([doc], ner_model, use_ner, extracted_at)[0]


def process_batch(
    docs: list[Document], ner_model: str = "default", use_ner: bool = True, extracted_at: dt.datetime | None = None
) -> list[ArticleResult]:
    """Run the pipeline on a batch of articles and serialize each one's RDF (what a worker runs).

    The batch goes through :meth:`~diplograph.extract.pipeline.Pipeline.pipe`
    as one batch, one component over all its articles at a time, as the
    serial build runs them; an article that fails gets ``error`` and the
    others go on.

    Returns
    -------
    list of ArticleResult
        One per article, in the order given.

    Raises
    ------
    PipelineError
        When the pipeline cannot run at all: stop the whole run, as the
        serial build does.
    """
    from diplograph.graph.rdf import actor_ntriples, article_ntriples

    nlp = _pipeline(ner_model, use_ner)
    failed: dict[int, str] = {}

    def on_error(doc: Document, exc: Exception) -> None:
        failed[id(doc)] = f"extraction failed: {type(exc).__name__}: {exc}"

    for _ in nlp.pipe(docs, batch_size=max(1, len(docs)), on_error=on_error):
        pass
    out: list[ArticleResult] = []
    for doc in docs:
        if id(doc) not in failed:
            try:
                out.append(
                    ArticleResult(
                        doc.id,
                        doc.path,
                        article_ntriples(
                            doc, extracted_at=extracted_at, pipeline_version=PIPELINE_VERSION, ner_model=nlp.ner_model
                        ),
                        actor_ntriples(doc.entities.values()),
                        len(doc.sentences),
                        len(doc.entities),
                        len(doc.events),
                    )
                )
                continue
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
                on_error(doc, exc)
        out.append(ArticleResult(doc.id, doc.path, "", "", error=failed[id(doc)]))
    return out


# --------------------------------------------------------------------------- the driver
def _ordered(
    tasks: Iterable[list[Document]],
    submit: Callable[[list[Document]], Any],
    result: Callable[[Any], list[ArticleResult]],
    limit: int,
) -> Iterator[ArticleResult]:
    """Submit ahead at most ``limit`` batches, yield their results in input order."""
    pending: deque[Any] = deque()
    for batch in tasks:
        pending.append(submit(batch))
        if len(pending) >= limit:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def _dask_plugin(ner_model: str, use_ner: bool, threads: int | None) -> Any:
    from distributed import WorkerPlugin

    class WarmPipeline(WorkerPlugin):
        """Loads the pipeline when a worker joins (also workers that join later)."""

        name = f"diplograph-pipeline-{ner_model}-{use_ner}"

        def setup(self, worker: Any) -> None:
            _warm(ner_model, use_ner, threads)

    return WarmPipeline()


def process_articles(
    docs: Iterable[Document],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    ner_model: str = "default",
    use_ner: bool = True,
    extracted_at: dt.datetime | None = None,
    max_in_flight: int | None = None,
    batch_size: int | None = None,
) -> Iterator[ArticleResult]:
    """Extract articles, serially or in parallel, yielding results in input order.

    Parameters
    ----------
    docs : iterable of Document
        Articles as read (no NLP done); consumed lazily.
    workers : int
        Worker processes: 1 runs in this process; N > 1 starts a process
        pool (or, with ``scheduler="local"``, a Dask LocalCluster) of N.
    scheduler : str, optional
        ``None`` (no Dask), ``"local"`` (a LocalCluster of ``workers``
        processes, one thread each) or a Dask scheduler address
        ``"tcp://host:8786"`` (its workers must have diplograph installed).
    ner_model, use_ner : str, bool
        As for :func:`~diplograph.extract.pipeline.default_pipeline`.
    extracted_at : datetime, optional
        Provenance time for every article of the run (now by default).
    max_in_flight : int, optional
        Batches submitted ahead of the one being yielded (default
        ``2 × workers``): enough to keep workers busy, bounded for memory.
    batch_size : int, optional
        Articles per batch: :data:`TASK_BATCH` (8) per task for worker
        processes, :data:`~diplograph.extract.pipeline.BATCH_SIZE` (32) in
        this process.

    Yields
    ------
    ArticleResult
        One per article, in input order; ``error`` set for a failed article.

    Raises
    ------
    PipelineError
        A model that cannot load, from any worker.
    ValueError
        For ``workers < 1``, a scheduler that is neither ``local`` nor an
        address, or a scheduler without Dask installed.
    OSError
        When a ``tcp://`` scheduler cannot be reached within 30 s (Dask's
        own ``TimeoutError``/``OSError``).
    """
    if workers < 1:
        raise ValueError(f"workers must be ≥ 1, got {workers}")
    when = extracted_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    limit = max(1, max_in_flight or 2 * workers)
    cores = os.cpu_count() or 1
    threads = max(1, cores // workers) if workers > 1 else None

    if scheduler is None and workers == 1:
        for batch in batches(docs, batch_size or BATCH_SIZE):
            yield from process_batch(batch, ner_model, use_ner, when)
        return
    tasks = batches(docs, batch_size or TASK_BATCH)

    if scheduler is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_warm, initargs=(ner_model, use_ner, threads)) as pool:
            try:
                yield from _ordered(
                    tasks,
                    lambda b: pool.submit(process_batch, b, ner_model, use_ner, when),
                    lambda f: f.result(),
                    limit,
                )
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return

    if scheduler != "local" and "://" not in scheduler:
        raise ValueError(f"scheduler {scheduler!r}: expected 'local' or an address such as tcp://host:8786")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError(
            f"scheduler {scheduler!r} needs Dask distributed: pip install 'dask[distributed]' (or diplograph[cluster])"
        ) from None

    cluster = None
    if scheduler == "local":
        # Everything on loopback; the scheduler's HTTP routes (dashboard,
        # health) on a free port rather than a fixed 8787 that may be taken.
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0", host="127.0.0.1"
        )
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    try:
        # A remote cluster's cores are unknown here: one PyTorch thread per
        # worker process, the fastest setting measured (see docs/SCALEOUT.md).
        client.register_plugin(_dask_plugin(ner_model, use_ner, threads if cluster is not None else 1))
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = max(limit, 2 * n_workers) if max_in_flight is None else limit
        yield from _ordered(
            tasks,
            lambda b: client.submit(process_batch, b, ner_model, use_ner, when, pure=False),
            lambda f: f.result(),
            limit,
        )
    finally:
        client.close()
        if cluster is not None:
            # Workers that loaded PyTorch can take more than the nanny's 4 s
            # to exit; it then kills them, which is fine here (all results are
            # in) but logs a warning an analyst would take for a failure.
            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)
            try:
                cluster.close()
            finally:
                nanny.setLevel(level)


# --------------------------------------------------------------------------- writing
def result_graphs(result: ArticleResult) -> tuple[Any, Any]:
    """The article and actors graphs of a result, parsed back into rdflib."""
    from diplograph.graph.rdf import new_graph

    art = new_graph()
    if result.article_nt:
        art.parse(data=result.article_nt, format="nt")
    actors = new_graph()
    if result.actors_nt:
        actors.parse(data=result.actors_nt, format="nt")
    return art, actors


def write_result(store: Any, result: ArticleResult) -> None:
    """Write one result into an open store, atomically, as a serial build would.

    Uses ``store.replace_article_nt(doc_id, article_nt, actors_nt)`` when the
    store has it (no re-parsing: the N-Triples go straight into the one
    SPARQL update), else parses into rdflib graphs for
    :meth:`~diplograph.graph.store.KnowledgeStore.replace_article`.

    Raises
    ------
    ValueError
        For a result that carries an error instead of RDF.
    StoreError
        As ``replace_article`` does; the store is then unchanged.
    """
    if result.error is not None:
        raise ValueError(f"article '{result.doc_id}' failed ({result.error}); nothing to write")
    fast = getattr(store, "replace_article_nt", None)
    if fast is not None:
        fast(result.doc_id, result.article_nt, result.actors_nt)
        return
    art, actors = result_graphs(result)
    store.replace_article(result.doc_id, art, actors if len(actors) else None)
