"""The pipeline's batches (``Pipeline.pipe``): the same output as article by article, errors kept per article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from diplograph.extract.model import Document
from diplograph.extract.pipeline import Pipeline, PipelineError, default_pipeline, split
from diplograph.extract.reader import read_documents
from diplograph.graph.rdf import article_ntriples

from .conftest import EXAMPLES

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _articles() -> list[Document]:
    """Our own sample articles, read as ``build`` reads them (JSON Lines and text)."""
    return list(read_documents([EXAMPLES / "articles", EXAMPLES / "articles.jsonl"]))


def test_batches_give_what_one_article_at_a_time_gives() -> None:
    nlp = default_pipeline(use_ner=False)
    one_by_one = [article_ntriples(nlp(d), extracted_at=WHEN) for d in _articles()]
    assert len(one_by_one) >= 4 and all(one_by_one)
    for size in (1, 2, 3, 32):
        batched = [article_ntriples(d, extracted_at=WHEN) for d in nlp.pipe(_articles(), batch_size=size)]
        assert batched == one_by_one, f"batch_size={size}"


def test_an_article_a_component_fails_on_is_reported_and_the_others_go_on() -> None:
    seen: list[str] = []

    def picky(doc: Document) -> None:
        if doc.id.startswith("bad"):
            raise ValueError(f"cannot read {doc.id}")

    def later(doc: Document) -> None:
        seen.append(doc.id)

    nlp = Pipeline([("split", split), ("picky", picky), ("later", later)])
    ids = ["a", "bad1", "b", "c", "bad2", "d", "e"]
    docs = [Document(id=i, text="زار الوزير الدوحة.") for i in ids]
    failed: list[tuple[str, str]] = []
    out = [d.id for d in nlp.pipe(docs, batch_size=3, on_error=lambda d, e: failed.append((d.id, str(e))))]
    good = [i for i in ids if not i.startswith("bad")]
    assert out == good
    assert seen == good  # a failed article skips the components after the one that failed
    assert failed == [("bad1", "cannot read bad1"), ("bad2", "cannot read bad2")]
    with pytest.raises(ValueError, match="cannot read bad1"):  # without a handler it propagates
        list(nlp.pipe([Document(id=i, text="زار الوزير الدوحة.") for i in ids], batch_size=3))


def test_a_pipeline_error_stops_the_run_even_with_a_handler() -> None:
    def broken(doc: Document) -> None:
        raise PipelineError("NER model 'x' cannot be loaded")

    nlp = Pipeline([("split", split), ("ner", broken)])
    handled: list[str] = []
    with pytest.raises(PipelineError, match="cannot be loaded"):
        list(nlp.pipe([Document(id="a", text="نص.")], on_error=lambda d, e: handled.append(d.id)))
    assert handled == []


def test_pipe_reads_lazily_one_batch_ahead() -> None:
    pulled: list[int] = []

    def source() -> Iterator[Document]:
        for k in range(10):
            pulled.append(k)
            yield Document(id=str(k), text="زار الوزير الدوحة.")

    stream = Pipeline([("split", split)]).pipe(source(), batch_size=4)
    first = next(stream)
    assert first.id == "0" and first.sentences
    assert pulled == [0, 1, 2, 3]  # a batch, not the corpus
    assert [d.id for d in stream] == [str(k) for k in range(1, 10)]
    with pytest.raises(ValueError, match="batch_size"):
        next(Pipeline([("split", split)]).pipe([], batch_size=0))



def test_long_articles_close_a_batch_early() -> None:
    """Batches are bounded in characters too, so very long documents are not held 32 at a time."""
    calls: list[tuple[str, str]] = []

    def first(doc: Document) -> None:
        calls.append(("first", doc.id))

    def second(doc: Document) -> None:
        calls.append(("second", doc.id))

    nlp = Pipeline([("first", first), ("second", second)])
    short, long_ = "زار الوزير الدوحة. ", "زار الوزير الدوحة. " * 500
    docs = [Document(id="a", text=short), Document(id="long", text=long_),
            Document(id="b", text=short), Document(id="c", text=short)]
    out = [d.id for d in nlp.pipe(docs, batch_size=32, batch_chars=len(long_))]
    assert out == ["a", "long", "b", "c"]
    # One component over a batch, then the next: the batch closed after the long article.
    assert calls == [("first", "a"), ("first", "long"), ("second", "a"), ("second", "long"),
                     ("first", "b"), ("first", "c"), ("second", "b"), ("second", "c")]
