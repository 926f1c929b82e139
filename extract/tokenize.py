"""Sentence splitting and tokenization for Arabic news text.

Tokens follow the convention of the NER training data (ANERcorp, AQMAR):
words split on white space with punctuation split off, clitics left attached
(``والكيمياء`` stays one token); the dictionary matcher deals with clitics
itself.  Sentences end at ``.``, ``!``, ``?``, ``؟`` and at line breaks; a
bullet line (– ◄ ❖ • ...) or a title line is a sentence of its own;
abbreviations such as ``د.`` and decimal numbers do not end a sentence; lines
that are page furniture ("مساحة إعلانية", "اقرأ أيضا") are skipped.

Every sentence and token keeps its character offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import Sentence, Token
from .normalize import normalize, normalize_one_to_one

__all__ = ["split_sentences", "tokenize", "sentences_with_tokens", "FURNITURE"]

#: Lines that are page layout, not article text.
FURNITURE = (
    "مساحة إعلانية",
    "مساحة اعلانية",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "اقرأ ايضا",
    "إقرأ أيضا",
    "شارك هذا",
    "تابعونا على",
)

_BULLETS = "–—-◄►❖•·▪●○■□★☆✓✔➢➤"
# A sentence end: terminal punctuation, optionally followed by closing quotes or
# brackets, then white space.
_END = re.compile(r"[.!?؟…]+[\"'»”’)\]]*(?=\s)")
# Abbreviations that end in a dot but not a sentence: a single Arabic letter
# (د. م. أ.), and a few common ones.
_ABBREV = re.compile(r"(?:^|\s)(?:[\u0621-\u064a]|ق\.م|ص\.ب|Dr|Mr|Mrs|St|No)\.$")
_PUNCT = set(".,،؛;:!?؟\"'«»“”‘’()[]{}<>…/\\|*_=+#~^" + _BULLETS)
_NUMBER_INSIDE = re.compile(r"\d[.,:/]\d")
_INNER_SPLIT = re.compile(r"[/\\–—\"«»“”‘’()]")  # split inside a word, numbers aside
_WORD = re.compile(r"\S+")


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    return any(stripped.startswith(f) for f in FURNITURE) and len(stripped) < 60


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return sentence spans ``(start, end)`` over ``text``.

    Parameters
    ----------
    text : str
        The whole article.

    Returns
    -------
    list of (int, int)
        Spans with surrounding white space excluded, in text order.

    Examples
    --------
    >>> t = "زار الوزير الدوحة. وقال إن الزيارة ناجحة."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['زار الوزير الدوحة.', 'وقال إن الزيارة ناجحة.']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start, line_end = pos, pos + len(line)
        pos = line_end
        if not line.strip() or _is_furniture(line):
            continue
        start = line_start
        for m in _END.finditer(line):
            cut = line_start + m.end()
            if _ABBREV.search(text[start:line_start + m.start() + 1]):
                continue
            if text[start:cut].strip():
                _add(spans, _trim(text, start, cut))
            start = cut
        if text[start:line_end].strip():
            _add(spans, _trim(text, start, line_end))
    return spans


def _add(spans: list[tuple[int, int]], span: tuple[int, int]) -> None:
    """Keep a span only if something is left after trimming (a bare bullet line is not a sentence)."""
    if span[0] < span[1]:
        spans.append(span)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # A bullet that opens a line is layout, not part of the sentence.
    while start < end and text[start] in _BULLETS and (end - start == 1 or text[start + 1].isspace()):
        start += 1
        while start < end and text[start].isspace():
            start += 1
    return start, end


def _split_word(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split punctuation off the edges of one white-space word."""
    i, j = start, end
    while i < j and text[i] in _PUNCT:
        yield i, i + 1
        i += 1
    tail: list[tuple[int, int]] = []
    while j > i and text[j - 1] in _PUNCT:
        tail.append((j - 1, j))
        j -= 1
    if i < j:
        # Split inner slashes and dashes between words ("مايو/أيار"), but keep
        # numbers such as 3.5, 12/4 and 10:30 whole.
        k = i
        for m in _INNER_SPLIT.finditer(text, i, j):
            at = m.start()
            if _NUMBER_INSIDE.match(text, at - 1) if at > i else False:
                continue
            if k < at:
                yield k, at
            yield at, at + 1
            k = at + 1
        if k < j:
            yield k, j
    yield from reversed(tail)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokenize ``text[start:end]``; offsets are into the whole ``text``.

    Examples
    --------
    >>> [t.text for t in tokenize("استقبل الوزير، أمس، «نظيره».")]
    ['استقبل', 'الوزير', '،', 'أمس', '،', '«', 'نظيره', '»', '.']
    """
    end = len(text) if end is None else end
    tokens: list[Token] = []
    append = tokens.append
    punct, inner = _PUNCT, _INNER_SPLIT.search
    # Why: normalizing each token on its own was a third of this function's
    # cost.  Where the span has nothing that normalization drops or expands,
    # it maps one character to one, so the whole span is normalized once and a
    # token's norm is its slice of that.
    norm = normalize_one_to_one(text, start, end)
    # A span with no quote, bracket, slash or dash has no word to split inside.
    may_split_inside = inner(text, start, end) is not None
    for m in _WORD.finditer(text, start, end):
        ws, we = m.span()
        # Most words carry no punctuation: one token, no splitting.
        if text[ws] not in punct and text[we - 1] not in punct and not (may_split_inside and inner(text, ws, we)):
            pieces: Iterator[tuple[int, int]] | tuple[tuple[int, int]] = ((ws, we),)
        else:
            pieces = _split_word(text, ws, we)
        for ts, te in pieces:
            piece = text[ts:te]
            append(Token(piece, ts, te, norm[ts - start : te - start] if norm is not None else normalize(piece)))
    return tokens


def sentences_with_tokens(text: str, max_tokens: int = 150) -> list[Sentence]:
    """Split ``text`` into tokenized sentences.

    A sentence longer than ``max_tokens`` tokens (a run-on line with no
    punctuation) is cut at the nearest comma or conjunction, else hard, so that
    no downstream stage sees an unbounded sentence.
    """
    out: list[Sentence] = []
    for s, e in split_sentences(text):
        toks = tokenize(text, s, e)
        while len(toks) > max_tokens:
            cut = _soft_cut(toks, max_tokens)
            head, toks = toks[:cut], toks[cut:]
            out.append(Sentence(head[0].start, head[-1].end, text[head[0].start : head[-1].end], head))
        if toks:
            out.append(Sentence(toks[0].start, toks[-1].end, text[toks[0].start : toks[-1].end], toks))
    for i, sent in enumerate(out):
        sent.index = i
    return out


def _soft_cut(toks: list[Token], limit: int) -> int:
    for k in range(limit, limit // 2, -1):
        if toks[k - 1].text in {"،", ",", "؛", ";"}:
            return k
    return limit
