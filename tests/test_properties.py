"""Property tests: arbitrary and Arabic-heavy text never crashes the text stages, offsets stay inside.

Every span the pipeline produces (token, sentence, time expression, event
evidence) is an offset pair into the article text as read, because every
fact must point back to its evidence.  Hypothesis feeds the tokenizer, the
normalizer, the date parser and the rule engine arbitrary Unicode (controls,
surrogate-free astral characters, bidi marks, combining marks) and text built
from real Arabic news vocabulary (triggers, countries, months, numbers,
punctuation, line breaks), so the rules actually fire.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplograph.extract.dates import find_times
from diplograph.extract.model import Document
from diplograph.extract.normalize import normalize, normalize_with_map
from diplograph.extract.pipeline import default_pipeline
from diplograph.extract.rules import extract_events
from diplograph.extract.tokenize import sentences_with_tokens, split_sentences, tokenize

FAST = settings(max_examples=int(os.environ.get("DIPLOGRAPH_EXAMPLES", 200)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=int(os.environ.get("DIPLOGRAPH_EXAMPLES", 200)) // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Words and marks from Arabic diplomatic news: enough for dates and events to be found.
VOCAB = (  # noqa: SIM905 - a readable word list
    "زار استقبل التقى بحث اتصل هاتفيا وقع اتفاقية أدان رفض طالب هدد فرض عقوبات انسحب قصف دعا رحب أشاد "
    "وزير الخارجية القطري المصري الرئيس رئيس الوزراء الشيخ محمد بن عبد الرحمن آل ثاني بدر عبد العاطي "
    "قطر مصر إيران الولايات المتحدة عمان مسقط الدوحة القاهرة غزة طهران واشنطن الاتحاد الأوروبي الأمم المتحدة "
    "أمس اليوم غدا الثلاثاء السبت يوم الأسبوع المقبل الماضي منذ حتى في من إلى مع على عن بين و أن إن لا لم لن "
    "يناير مارس آذار مايو أيار نيسان أبريل رمضان شوال هـ م 2025 2024 1446 12 3 ١٢ ٢٠٢٥ 15/5/2025 "
    "الجانبان البلدين نظيره وساطة محادثات مفاوضات وقف إطلاق النار"
).split() + ["،", ".", "؟", "!", "«", "»", '"', "(", ")", ":", "–", "\n", "\n\n", " ", "د.", "3.5", "ـــ", "\u200f"]

arabic_text = st.lists(st.sampled_from(VOCAB), max_size=80).map(" ".join)
any_text = st.text(max_size=300)
mixed_text = st.lists(st.one_of(st.sampled_from(VOCAB), st.text(max_size=8)), max_size=60).map(" ".join)
texts = st.one_of(any_text, arabic_text, mixed_text)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))


def _inside(text: str, start: int, end: int) -> bool:
    return 0 <= start <= end <= len(text)


@FAST
@given(texts)
def test_tokenizer_offsets_point_into_the_text(text: str) -> None:
    prev_end = 0
    for tok in tokenize(text):
        assert _inside(text, tok.start, tok.end) and tok.start < tok.end
        assert text[tok.start : tok.end] == tok.text
        assert tok.norm == normalize(tok.text)  # a sentence normalized at once must agree
        assert tok.start >= prev_end  # in order, no overlap
        prev_end = tok.end
    for start, end in split_sentences(text):
        assert _inside(text, start, end)
        assert start < end
    for i, sent in enumerate(sentences_with_tokens(text)):
        assert sent.index == i and text[sent.start : sent.end] == sent.text
        assert 0 < len(sent.tokens) <= 150
        assert all(sent.start <= t.start < t.end <= sent.end for t in sent.tokens)


@FAST
@given(st.text(alphabet="وفبلكاهن", min_size=1, max_size=7))
def test_proclitic_length_is_what_the_pattern_takes(word: str) -> None:
    """Linking's regex-free proclitic split agrees with the pattern it replaced."""
    import re

    from diplograph.extract.linking import _proclitic_len

    expected = re.match(r"^([وف]?[بل]?)(.+)$", word)
    assert expected is not None
    assert _proclitic_len(word) == len(expected.group(1))


@FAST
@given(
    st.lists(st.one_of(st.sampled_from(VOCAB), st.just("."), st.just("\n")), max_size=80).map(" ".join),
    st.lists(st.integers(min_value=-5, max_value=900), max_size=40),
)
def test_mentions_by_sentence_are_those_each_sentence_would_filter(text: str, starts: list[int]) -> None:
    """The event rules' one-pass grouping (bisection) picks what a scan per sentence picked, in order."""
    from diplograph.extract.model import Mention
    from diplograph.extract.rules import _by_sentence

    sentences = sentences_with_tokens(text)
    mentions = [Mention(x, x + 1, "x", "PER") for x in starts]
    grouped = _by_sentence(sentences, mentions)
    assert grouped == [[m for m in mentions if s.start <= m.start < s.end] for s in sentences]


@FAST
@given(texts)
def test_normalizer_never_crashes_and_maps_back(text: str) -> None:
    norm, offsets = normalize_with_map(text)
    assert norm == normalize(text)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert all(0 <= o < len(text) for o in offsets[:-1])
    assert offsets == sorted(offsets)
    assert normalize(norm) == norm  # idempotent


@FAST
@given(texts, dates)
def test_date_parser_spans_are_the_text_they_claim(text: str, published: dt.date | None) -> None:
    prev_end = 0
    for tv in find_times(text, published):
        assert _inside(text, tv.start, tv.end) and tv.start < tv.end
        assert text[tv.start : tv.end] == tv.raw
        assert tv.start >= prev_end
        prev_end = tv.end
        if published is None:
            assert tv.value is None or tv.value[:1].isdigit()
        if tv.value is not None:
            assert tv.value[:4].isdigit()


@SLOW
@given(texts, dates)
def test_rule_engine_evidence_stays_inside_the_text(text: str, published: dt.date | None) -> None:
    nlp = _pipeline()
    doc = nlp(Document(id="p", text=text, published=published))
    n_sent = len(doc.sentences)
    for ev in doc.events:
        assert 0 <= ev.sentence < n_sent
        assert ev.evidence, ev
        for start, end in ev.evidence:
            assert _inside(text, start, end) and start < end
        assert 0.0 <= ev.confidence <= 1.0
        assert set(ev.actor) | set(ev.target) | set(ev.place) <= set(doc.entities)
        if ev.time is not None and ev.time.start >= 0:
            assert text[ev.time.start : ev.time.end] == ev.time.raw
    assert extract_events(doc) == doc.events  # deterministic on the same document


@SLOW
@given(texts, st.text(min_size=1, max_size=40), st.text(max_size=40), st.text(max_size=60), dates)
def test_the_rdf_of_any_article_is_valid_n_triples(
    text: str, doc_id: str, title: str, path: str, published: dt.date | None
) -> None:
    """What the build writes parses under Oxigraph's strict N-Triples parser, line for line.

    Why this matters: the store hands batches of our own RDF to Oxigraph with
    ``lenient=True`` (IRIs not validated again: ~10 % of the store's CPU), so
    the generator itself must never make an invalid IRI or literal, whatever
    the article's id, title, path or text.
    """
    import pyoxigraph as ox

    from diplograph.graph.manifest import input_hash, manifest_ntriples
    from diplograph.graph.rdf import actor_ntriples, article_ntriples
    from diplograph.graph.store import _as_nquads, _as_nquads_by_line

    doc = _pipeline()(Document(id=doc_id, text=text, title=title, published=published, path=path or None))
    for nt in (
        article_ntriples(doc, pipeline_version="p"),
        manifest_ntriples(doc.id, input_hash(doc), doc.path),
        actor_ntriples(doc.entities.values()),
    ):
        lines = [ln for ln in nt.split("\n") if ln.strip()]  # not splitlines: U+0085 is inside a literal
        assert len(list(ox.parse(nt, ox.RdfFormat.N_TRIPLES))) == len(lines)
        # The store's whole-string N-Quads rewrite agrees with the line-by-line one.
        assert _as_nquads(nt, "urn:g", "a7_") == _as_nquads_by_line(nt, "urn:g", "a7_")


_NLP: list = []


def _pipeline():  # noqa: ANN202 - a Pipeline, built once for the whole module
    if not _NLP:
        _NLP.append(default_pipeline(use_ner=False))
    return _NLP[0]


def test_the_vocabulary_strategy_reaches_the_rules() -> None:
    """The Arabic-heavy strategy is only useful if its text makes events and dates."""
    doc = _pipeline()(Document(id="v", text="زار وزير الخارجية القطري طهران يوم الثلاثاء 12 مارس 2025 ، التقى الرئيس .",
                               published=dt.date(2025, 3, 13)))
    assert doc.events and doc.times
    assert all(w in VOCAB for w in doc.text.split())


def test_a_bullet_alone_on_a_line_is_no_sentence() -> None:
    assert split_sentences("–") == []
    assert split_sentences("خبر\n•\nخبر آخر") == [(0, 3), (6, 13)]
