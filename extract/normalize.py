"""Arabic normalization for *matching*, never for storage.

Arabic news text varies in ways that carry no meaning for matching: short
vowels and other diacritics, tatweel (ـ) stretching, the hamza forms of alef,
final ya/alef maqsura, ta marbuta/ha, Arabic-Indic and Persian digits,
presentation-form glyphs and invisible bidi controls.  The original text is
never changed: :func:`normalize_with_map` returns the normalized string together
with, for each of its characters, the offset of the original character it came
from, so a match found in the normalized string maps back to exact offsets.

The folding rules match the scorer's (``../shared/eval/SCHEMA.md``): remove
diacritics and tatweel, map أ إ آ to ا, ى to ي, ة to ه.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ARABIC_DIGITS",
    "fold_char",
    "is_arabic",
    "normalize",
    "normalize_one_to_one",
    "normalize_with_map",
    "strip_al",
    "to_latin_digits",
]

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, and the
# small high/low signs: nothing a matcher should see.
_DIACRITICS = set(range(0x0610, 0x061B)) | set(range(0x064B, 0x0660)) | {0x0670}
_DIACRITICS |= set(range(0x06D6, 0x06DD)) | set(range(0x06DF, 0x06E9)) | set(range(0x06EA, 0x06EE))
_TATWEEL = 0x0640
# Bidi controls, zero-width characters and the byte order mark.
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF}
_INVISIBLE |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))

_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",  # Persian ya
    "ک": "ك",  # Persian kaf
}

#: Arabic-Indic (٠-٩) and extended/Persian (۰-۹) digits mapped to ASCII.
ARABIC_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}


def fold_char(ch: str) -> str:
    """Fold one character to its matching form; ``""`` drops it.

    Presentation forms (U+FB50–U+FEFF) are decomposed with NFKC first, which can
    yield more than one character (a lam-alef ligature becomes two letters).
    """
    cp = ord(ch)
    if cp in _DIACRITICS or cp == _TATWEEL or cp in _INVISIBLE:
        return ""
    if ch in ARABIC_DIGITS:
        return ARABIC_DIGITS[ch]
    if 0xFB50 <= cp <= 0xFEFC:
        out = unicodedata.normalize("NFKC", ch)
        if out == ch:  # ﴾ ﴿ and others NFKC keeps as they are
            return ch
        return "".join(fold_char(c) for c in out)
    return _FOLD.get(ch, ch)


# fold_char as tables, for the common text without presentation forms (why: a
# Python call per character was a tenth of the whole build's non-NER time).
_DROPPED = sorted(_DIACRITICS | {_TATWEEL} | _INVISIBLE)
_TABLE = str.maketrans({chr(c): None for c in _DROPPED} | ARABIC_DIGITS | _FOLD)
_PRESENTATION = re.compile("[\uFB50-\uFEFC]")


class _Pieces(dict[str, str]):
    """``fold_char`` memoized: character → its folded string."""

    def __missing__(self, ch: str) -> str:
        self[ch] = folded = fold_char(ch)
        return folded


_PIECES = _Pieces()
_SLOW = re.compile("[\uFB50-\uFEFC" + "".join(re.escape(chr(c)) for c in _DROPPED) + "]")


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalize ``text`` and map every output character to its source offset.

    Parameters
    ----------
    text : str
        Original text.

    Returns
    -------
    (str, list[int])
        The normalized text and, for each of its characters, the index in
        ``text`` of the character it came from.  ``offsets`` has one extra
        final entry, ``len(text)``, so that an end offset maps too.

    Examples
    --------
    >>> norm, offs = normalize_with_map("أَمْسِ")
    >>> norm
    'امس'
    >>> offs
    [0, 2, 4, 6]
    """
    same_length = normalize_one_to_one(text)
    if same_length is not None:
        return same_length, list(range(len(text) + 1))
    # Why by runs: even vocalized text is mostly letters that map one to one, so
    # the runs between dropped or expanded characters are translated whole and
    # their offsets written as ranges; a Python step per character was a tenth
    # of the date stage on news.
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SLOW.finditer(text):
        i = m.start()
        if pos < i:
            parts.append(text[pos:i].translate(_TABLE))
            offsets.extend(range(pos, i))
        piece = _PIECES[text[i]]
        if piece:
            parts.append(piece)
            offsets.extend([i] * len(piece))
        pos = i + 1
    if pos < len(text):
        parts.append(text[pos:].translate(_TABLE))
        offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return "".join(parts), offsets


def normalize(text: str) -> str:
    """The matching form of ``text`` (see module docstring).

    Examples
    --------
    >>> normalize("الدوحــة")
    'الدوحه'
    >>> normalize("١٢ نيسان")
    '12 نيسان'
    """
    if len(text) <= _MEMO_CHARS:
        return _normalize_short(text)
    return _normalize(text)


#: Texts up to this long are remembered: words and the short spans between
#: names, which the later stages normalize again and again (on 300 synthetic
#: articles, 81,000 calls for 9,300 distinct texts).
_MEMO_CHARS = 64


def _normalize(text: str) -> str:
    if not _PRESENTATION.search(text):
        return text.translate(_TABLE)
    return "".join(fold_char(ch) for ch in text)


@lru_cache(maxsize=1 << 15)
def _normalize_short(text: str) -> str:
    return _normalize(text)


def normalize_one_to_one(text: str, start: int = 0, end: int | None = None) -> str | None:
    """``normalize(text[start:end])`` if it keeps one character per character, else ``None``.

    Why: then any slice of the result is the normalized form of the same
    slice of the input, so a tokenizer can normalize a sentence once instead of
    every token (:func:`extract.tokenize.tokenize`).

    Examples
    --------
    >>> normalize_one_to_one("الدوحة ١٢")
    'الدوحه 12'
    >>> normalize_one_to_one("أَمْسِ") is None
    True
    """
    end = len(text) if end is None else end
    if _SLOW.search(text, start, end):
        return None
    return text[start:end].translate(_TABLE)


def to_latin_digits(text: str) -> str:
    """Replace Arabic-Indic and Persian digits with ASCII digits, nothing else."""
    return "".join(ARABIC_DIGITS.get(ch, ch) for ch in text)


_AL = re.compile(r"^(?:ال|لل)(?=..)")


def strip_al(norm: str) -> str:
    """Drop a leading definite article from an already-normalized word.

    >>> strip_al("الدوحه")
    'دوحه'
    """
    return _AL.sub("", norm, count=1)


def is_arabic(text: str, threshold: float = 0.3) -> bool:
    """True when at least ``threshold`` of the letters are Arabic script."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")
    return arabic / len(letters) >= threshold
