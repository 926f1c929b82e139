"""The extraction pipeline: a Document flows through components in order.

Like a spaCy ``Language``, a :class:`Pipeline` is a list of named components,
each a function that takes a :class:`~diplograph.extract.model.Document` and
fills one more layer of it::

    published date → sentences → ner → linking → dates → events

Components are plain functions, so a notebook can run a prefix of the
pipeline, swap one out, or add its own.  Heavy resources (the Stanza model,
the actor dictionary, the rules) are loaded once per process by the
components themselves.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .model import Document

__all__ = [
    "Component",
    "Pipeline",
    "PipelineError",
    "PIPELINE_VERSION",
    "LONG_RUN_GC_THRESHOLDS",
    "BATCH_SIZE",
    "BATCH_CHARS",
    "batches",
    "split",
    "default_pipeline",
    "settle_for_long_run",
]


class PipelineError(Exception):
    """A component that cannot run at all (a missing model): stop, don't skip articles."""

#: Bumped whenever a change to rules, dictionary or model changes the output;
#: stored with every extraction so incremental builds know what to redo.
PIPELINE_VERSION = "0.1.0"

Component = Callable[[Document], None]

#: Articles per batch in :meth:`Pipeline.pipe`.
BATCH_SIZE = 32
#: A batch closes early once its articles hold this many characters, so that
#: a few very long documents (the reader takes up to 50 MB each) are not held
#: 32 at a time; news articles (~5,000 characters) never reach it.
BATCH_CHARS = 1_000_000


def batches(docs: Iterable[Document], size: int = BATCH_SIZE, chars: int = BATCH_CHARS) -> Iterator[list[Document]]:
    """Consecutive batches of at most ``size`` articles, read lazily.

    A batch also closes once its texts reach ``chars`` characters (a long
    article may make a batch of one).

    Examples
    --------
    >>> docs = [Document(id=str(i), text="x" * n) for i, n in enumerate([10, 50, 10, 10, 10])]
    >>> [[d.id for d in b] for b in batches(docs, size=3, chars=40)]
    [['0', '1'], ['2', '3', '4']]
    """
    if size < 1:
        raise ValueError(f"batch_size must be at least 1, not {size}")
    batch: list[Document] = []
    total = 0
    for doc in docs:
        batch.append(doc)
        total += len(doc.text)
        if len(batch) >= size or total >= chars:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def split(doc: Document) -> None:
    """Sentences and tokens with offsets into the original text."""
    from .tokenize import sentences_with_tokens

    doc.sentences = sentences_with_tokens(doc.text)


def _ner(model: str) -> Component:
    def ner(doc: Document) -> None:
        """Named entities from our Stanza model (or the official one)."""
        try:
            from .ner import ner_mentions
        except ImportError as exc:  # pragma: no cover - the module ships with the package
            raise PipelineError(f"the NER component is not installed ({exc}); run with --no-ner") from None
        try:
            doc.mentions = ner_mentions(doc.sentences, model=model)
        except (FileNotFoundError, OSError) as exc:
            raise PipelineError(f"NER model '{model}' cannot be loaded ({exc}); run with --no-ner") from None

    return ner


def published(doc: Document) -> None:
    """The publication date from the article's dateline when no metadata gave one.

    Runs before linking: "الرئيس الأمريكي" is resolved by the article's date.
    """
    from .dates import infer_published

    if doc.published is None:
        pub, basis = infer_published(doc.text)
        if pub is not None:
            doc.published, doc.published_basis = pub, basis


def link(doc: Document) -> None:
    """Dictionary matches, coreference and canonical actors."""
    from .linking import link as _link

    _link(doc)


def dates(doc: Document) -> None:
    """Every time expression, resolved against the publication date."""
    from .dates import find_times

    doc.times = find_times(doc.text, doc.published)


def events(doc: Document) -> None:
    """Rule-based events from triggers, argument patterns and context."""
    from .rules import extract_events

    doc.events = extract_events(doc)


@dataclass
class Pipeline:
    """An ordered list of named components.

    Parameters
    ----------
    components : list of (str, callable)
        Names and functions; each function mutates the document.
    ner_model : str
        Name of the NER model in use, recorded in provenance.

    Examples
    --------
    >>> nlp = Pipeline([("split", split)])
    >>> doc = nlp(Document(id="x", text="زار الوزير الدوحة."))
    >>> len(doc.sentences)
    1
    """

    components: list[tuple[str, Component]] = field(default_factory=list)
    ner_model: str = "none"

    def __call__(self, doc: Document) -> Document:
        for _, component in self.components:
            component(doc)
        return doc

    def pipe(
        self,
        docs: Iterable[Document],
        batch_size: int = BATCH_SIZE,
        on_error: Callable[[Document, Exception], None] | None = None,
        batch_chars: int = BATCH_CHARS,
    ) -> Iterator[Document]:
        """Process documents in batches, one component over the whole batch at a time.

        Why batches: run article by article, every component starts with the
        processor's caches full of the one before (NER's tensors evict the
        dictionary, lexicon and rule tables the later stages walk).  One
        component over 32 articles, then the next, keeps each stage's data
        warm: on 295 synthetic articles with NER, linking + dates + events +
        RDF 0.50 → 0.40 ms per sentence and NER 2.29 → 2.13 ms (2 cores).
        Memory stays flat: a batch is a few dozen articles, read lazily.

        Parameters
        ----------
        docs : iterable of Document
            Consumed lazily, ``batch_size`` at a time.
        batch_size : int
            Articles per batch; 1 is article by article.
        batch_chars : int
            A batch also closes once its texts hold this many characters
            (:func:`batches`), which keeps memory flat with very long documents.
        on_error : callable, optional
            ``on_error(doc, exc)`` is called for an article a component failed
            on; that article skips the remaining components and is not yielded,
            the others go on.  Without it the exception propagates.
            :class:`PipelineError` (the pipeline cannot run at all) always
            propagates.

        Yields
        ------
        Document
            Each processed article, in input order.

        Examples
        --------
        >>> nlp = Pipeline([("split", split)])
        >>> docs = [Document(id=str(i), text="زار الوزير الدوحة. ثم عاد.") for i in range(3)]
        >>> [len(d.sentences) for d in nlp.pipe(docs, batch_size=2)]
        [2, 2, 2]
        """
        for batch in batches(docs, batch_size, batch_chars):
            for _, component in self.components:
                kept: list[Document] = []
                for doc in batch:
                    try:
                        component(doc)
                    except PipelineError:
                        raise
                    except Exception as exc:
                        if on_error is None:
                            raise
                        on_error(doc, exc)
                        continue
                    kept.append(doc)
                batch = kept
            yield from batch

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.components]


def default_pipeline(ner_model: str = "default", use_ner: bool = True) -> Pipeline:
    """The full pipeline: split, NER, linking, dates, events.

    Parameters
    ----------
    ner_model : str
        ``default`` (our shipped Stanza model), ``official`` (Stanza's
        official Arabic model, needs a network the first time) or a path.
    use_ner : bool
        ``False`` runs dictionary-only linking (faster, lower recall for names
        the dictionary lacks).
    """
    comps: list[tuple[str, Component]] = [("published", published), ("split", split)]
    if use_ner:
        comps.append(("ner", _ner(ner_model)))
    comps += [("link", link), ("dates", dates), ("events", events)]
    return Pipeline(comps, ner_model=ner_model if use_ner else "none")


#: The garbage collector's thresholds for a long run (CPython's default is 700, 10, 10).
LONG_RUN_GC_THRESHOLDS = (10_000, 10, 10)


def settle_for_long_run() -> None:
    """Raise Python's garbage-collector thresholds for a build, once the pipeline is loaded.

    Why: CPython collects its youngest generation every 700 net allocations,
    and the pipeline allocates millions of small objects per thousand
    articles (tokens, candidates, RDF strings), so the collector ran five
    times per article, and a full pass now and then walked the NER model's
    and the actor dictionary's ~600,000 objects.  (Stanza's tagged
    sentences, reference cycles, are unlinked by the NER component since
    session 8, which took most of what was left of the collector's work;
    other cycles may still come from elsewhere, so it stays on.)  Measured (1,000
    synthetic articles with NER, 2 cores, after loading): the collector's CPU
    2.2 → 0.8 s (six full passes of ~0.25 s gone), the same peak memory (823
    against 827 MB).  (Freezing the loaded objects with
    ``gc.freeze()`` as well saved nothing more here, and would keep anything
    alive at that moment, an open store included, from ever being collected.)

    Process-wide, so called by ``diplograph build`` and its workers (and the
    benchmarks that measure it), not on import: a notebook keeps Python's
    defaults.
    """
    gc.set_threshold(*LONG_RUN_GC_THRESHOLDS)
