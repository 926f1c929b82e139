"""Arabic time expressions, resolved to ISO 8601 against the publication date.

"Trump visits Doha, May" is only useful if May means May 2025.  This module
finds the time expressions of an Arabic news text, resolves each to ISO 8601
at the precision the text gives (``2025``, ``2025-05``, ``2025-05-13`` or an
interval ``2025-05-13/2025-05-16``), and chooses for an event the one that
belongs to it.

Three public functions:

* :func:`find_times` -- every time expression of a span of text, longest
  match, non-overlapping, with exact offsets into the original text;
* :func:`event_time` -- the time that belongs to an event, given its trigger
  word and its sentence (pass ``text=`` the document: the rules read the
  words between trigger and time; pass all the document's times so that a
  sentence continuing the lead event, "وبحث الجانبان ...", can take its date);
* :func:`infer_published` -- a publication date from a dateline in the
  article's header, for texts that come without one.

Matching runs on the normalized text of :func:`~.normalize.normalize_with_map`
(Latin digits, bare alef, no diacritics), so "٣ شعبان ١٤٤٥هـ" and
"أبريل/ نيسان" need no special cases; offsets map back to the original.  The
words themselves (months in three series, Hijri months, weekdays, relative
words ...) live in ``data/time_lexicon.yaml`` so an analyst can extend them.

Resolution rules, chosen to agree with the gold annotations of
``../shared/eval``:

* "مايو الماضي" is the last May *strictly before* the publication month (an
  article of May 2025 that says "مايو الماضي" means May 2024: for its own
  month it would say "الشهر الجاري"); "مايو المقبل" is the first May strictly
  after it; "الجاري"/"الحالي" is the publication year.  A bare month without a
  year is the occurrence nearest the publication month (ties go to the past).
* A bare weekday ("السبت") is the most recent such day up to and including
  publication; "الثلاثاء الماضي" the most recent strictly before it;
  "الثلاثاء المقبل" the first strictly after it; "أمس الثلاثاء" is yesterday.
* A week is Monday to Sunday (ISO 8601): "هذا الأسبوع" in an article of
  Thursday 2025-09-25 is ``2025-09-22/2025-09-28``.
* "مطلع يونيو", "أواخر ديسمبر 2023" keep the month's precision.
* "منذ 7 أكتوبر 2023" is found with "منذ" in its span and the anchor date as
  its value; :func:`is_since` tells such a time apart, and :func:`event_time`
  never gives it to an event (it dates the start of a state).
* Hijri dates (with a Hijri month name, or a year marked "هـ") are converted
  with ``hijridate`` (Umm al-Qura); a Hijri month or year is a Gregorian
  interval.
* "تستغرق يومين" / "استمرت ثلاثة أيام" after a day-precise time of the same
  sentence is an interval starting (ending) on that day.
* With no publication date, anything relative keeps ``value=None`` and its
  ``raw`` text: no date is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from .gazetteer import YAML_LOADER
from .model import TimeValue
from .normalize import fold_char, normalize, normalize_with_map

__all__ = ["event_time", "find_times", "infer_published", "is_since", "load_lexicon"]

# ---------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    """The YAML lexicon, normalized and indexed for token matching."""

    greg_months: dict[Phrase, int]
    ambiguous: frozenset[Phrase]
    hijri_months: dict[Phrase, int]
    hijri_marks: frozenset[str]
    greg_marks: frozenset[str]
    weekdays: dict[str, int]
    day_parts: frozenset[Phrase]
    rel_days: dict[Phrase, int]
    direction: dict[str, str]
    units: dict[str, str]
    part_of_period: frozenset[Phrase]
    ordinals: dict[str, int]
    ordinal_tens: dict[str, int]
    number_words: dict[str, int]
    dur_forward: frozenset[str]
    dur_backward: frozenset[str]
    since: frozenset[str]
    date_preps: frozenset[str]
    event: dict[str, frozenset[Phrase]]
    verbs: frozenset[str]
    range_open: frozenset[str]
    range_join: dict[str, frozenset[str]]
    max_phrase: int


def _phrase(word: str) -> Phrase:
    return tuple(normalize(word).split())


def _index(mapping: dict[Any, list[str]]) -> dict[Phrase, int]:
    out: dict[Phrase, int] = {}
    for key, words in mapping.items():
        for w in words:
            out[_phrase(w)] = int(key)
    return out


@lru_cache(maxsize=1)
def load_lexicon() -> _Lexicon:
    """Load ``data/time_lexicon.yaml`` once and index it by normalized phrase.

    Returns
    -------
    _Lexicon
        Frozen lookup tables; cached, so the file is read once per process.
    """
    text = resources.files("diplograph.extract").joinpath("data/time_lexicon.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
    tables: list[Phrase] = []
    greg = _index(raw["gregorian_months"])
    hijri = _index(raw["hijri_months"])
    rel = _index(raw["relative_days"])
    tables += list(greg) + list(hijri) + list(rel)
    direction = {normalize(w): d for d, words in raw["direction"].items() for w in words}
    units = {normalize(w): u for u, words in raw["units"].items() for w in words}
    parts = frozenset(_phrase(w) for w in raw["part_of_period"])
    day_parts = frozenset(_phrase(w) for w in raw["day_parts"])
    tables += list(parts) + list(day_parts)
    ctx = dict(raw["event_context"])
    verbs = {normalize(w) for w in ctx.pop("verb_forms")}
    for w in ctx.pop("verbs"):
        base = normalize(w)
        verbs |= {base, base + "ت", base + "ا", base + "تا", base + "وا"}
    event = {k: frozenset(_phrase(w) for w in v) for k, v in ctx.items()}
    return _Lexicon(
        greg_months=greg,
        ambiguous=frozenset(_phrase(w) for w in raw["ambiguous_months"]),
        hijri_months=hijri,
        hijri_marks=frozenset(normalize(w) for w in raw["hijri_year_marks"]),
        greg_marks=frozenset(normalize(w) for w in raw["gregorian_year_marks"]),
        weekdays={normalize(w): int(k) for k, ws in raw["weekdays"].items() for w in ws},
        day_parts=day_parts,
        rel_days=rel,
        direction=direction,
        units=units,
        part_of_period=parts,
        ordinals={normalize(w): int(k) for k, ws in raw["ordinal_days"].items() for w in ws},
        ordinal_tens={normalize(w): int(k) for k, ws in raw["ordinal_tens"].items() for w in ws},
        number_words={normalize(w): int(k) for k, ws in raw["number_words"].items() for w in ws},
        dur_forward=frozenset(normalize(w) for w in raw["duration_verbs"]["forward"]),
        dur_backward=frozenset(normalize(w) for w in raw["duration_verbs"]["backward"]),
        since=frozenset(normalize(w) for w in raw["since"]),
        date_preps=frozenset(normalize(w) for w in raw["date_prepositions"]),
        event=event,
        verbs=frozenset(verbs),
        range_open=frozenset(normalize(w) for w in raw["range_open"]),
        range_join={normalize(k): frozenset(normalize(w) for w in v) for k, v in raw["range_join"].items()},
        max_phrase=max(len(p) for p in tables),
    )


# ---------------------------------------------------------------------------
# Tokens over the normalized text
# ---------------------------------------------------------------------------

# Digits, runs of letters, or one other non-space character: "1445هـ" is two
# tokens, "13-16" three.
_TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]", re.UNICODE)
_CLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")
_DASHES = {"-", "–", "—", "ـ"}
_SLASHES = {"/", "\\", "|"}


class _Tok(NamedTuple):
    """A token of the normalized text (a tuple: built for every word of every article)."""

    text: str
    start: int  # offsets into the normalized string
    end: int


def _tokens(norm: str) -> list[_Tok]:
    # tuple.__new__ skips the named tuple's Python-level constructor: one is made per word.
    new = tuple.__new__
    return [new(_Tok, (m.group(), m.start(), m.end())) for m in _TOKEN.finditer(norm)]


def _variants(tok: _Tok) -> tuple[tuple[str, int], ...]:
    """The token and its forms without a leading clitic, with the shift of start."""
    return _text_variants(tok.text)


@lru_cache(maxsize=1 << 15)
def _text_variants(text: str) -> tuple[tuple[str, int], ...]:
    out = [(text, 0)]
    if text[:1].isdigit():
        return tuple(out)
    for c in _CLITICS:
        if text.startswith(c) and len(text) - len(c) >= 2:
            out.append((text[len(c) :], len(c)))
    return tuple(out)


_FIRST_WORDS: dict[int, tuple[object, frozenset[str]]] = {}


def _first_words(table: dict[Phrase, int] | frozenset[Phrase]) -> frozenset[str]:
    """The words the phrases of a lexicon table start with (tables live as long as the lexicon)."""
    hit = _FIRST_WORDS.get(id(table))
    if hit is None or hit[0] is not table:
        hit = (table, frozenset(p[0] for p in table))
        _FIRST_WORDS[id(table)] = hit
    return hit[1]


# ---------------------------------------------------------------------------
# Parsed expressions
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Spec:
    """What an expression says, before it is resolved against a date."""

    calendar: str = "greg"  # "greg" or "hijri"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    direction: str | None = None  # past / current / next (relative to publication)
    rel_days: int | None = None  # days from publication (أمس = -1)
    weekday: int | None = None
    unit: str | None = None  # week / month / year, for "الشهر الماضي"
    unit_offset: int = 0


@dataclass(slots=True)
class _Match:
    start: int  # token indices [start, end)
    end: int
    shift: int  # characters of clitic to skip at the first token
    begin: _Spec
    finish: _Spec | None = None  # a range's second end
    since: bool = False
    alt: _Match | None = None  # the same day in another calendar ("الموافق ...")


@cache
def _starters() -> frozenset[str]:
    """Every word a time expression can start with (digits aside).

    ``find_times`` tries an expression at each token; one set lookup rules out
    almost all of them before any parser runs (dates went 5x faster).
    """
    lex = load_lexicon()
    return _date_starters() | frozenset(lex.since) | frozenset(lex.range_open)


@cache
def _date_starters() -> frozenset[str]:
    """Every word a single date (not a range, not "منذ ...") can start with (digits aside).

    Why apart from :func:`_starters`: "من" opens a range ("من 3 إلى 5 مايو")
    and is a third of all the words that may start an expression in news text,
    but it starts no date itself; the nine date parsers need not try it.
    """
    lex = load_lexicon()
    words: set[str] = set()
    for table in (lex.greg_months, lex.hijri_months, lex.rel_days, lex.part_of_period, lex.day_parts):
        words |= {phrase[0] for phrase in table}
    words |= set(lex.weekdays) | set(lex.ordinals) | set(lex.ordinal_tens) | set(lex.units)
    words |= {"ما", "شهر", "لشهر", "بشهر", "هذا", "هذه", "عام", "العام", "سنه", "السنه", "عامي", "سنتي"}
    return frozenset(words)


@lru_cache(maxsize=1 << 17)
def _may_start(text: str, date_only: bool = False) -> bool:
    """Whether a time expression (or, ``date_only``, a single date) can start at a token (memoized: words repeat)."""
    starters = _date_starters() if date_only else _starters()
    return text[:1].isdigit() or any(form in starters for form, _ in _text_variants(text))


class _Parser:
    """Recursive-descent matcher over the tokens of one normalized span."""

    def __init__(self, toks: list[_Tok], lex: _Lexicon) -> None:
        self.toks = toks
        self.lex = lex

    # -- small helpers ------------------------------------------------------

    def text(self, i: int) -> str:
        return self.toks[i].text if 0 <= i < len(self.toks) else ""

    def phrase(self, i: int, table: dict[Phrase, int] | frozenset[Phrase], first_clitic: bool = False
               ) -> tuple[Phrase, int, int] | None:
        """Longest phrase of ``table`` at token ``i``: (phrase, next index, clitic shift)."""
        if i >= len(self.toks):
            return None
        starts = _first_words(table)
        first_text = self.toks[i].text
        # Most words start no phrase: one set test says so (called ~300 times per article).
        if first_clitic:
            firsts = [f for f in _text_variants(first_text) if f[0] in starts]
            if not firsts:
                return None
        elif first_text in starts:
            firsts = [(first_text, 0)]
        else:
            return None
        for n in range(min(self.lex.max_phrase, len(self.toks) - i), 0, -1):
            rest = tuple(t.text for t in self.toks[i + 1 : i + n])
            for first, shift in firsts:
                key = (first, *rest)
                if key in table:
                    return key, i + n, shift
        return None

    def word(self, i: int, table: dict[str, int] | dict[str, str] | frozenset[str], first_clitic: bool = False
             ) -> tuple[str, int] | None:
        if i >= len(self.toks):
            return None
        for form, shift in (_variants(self.toks[i]) if first_clitic else ((self.toks[i].text, 0),)):
            if form in table:
                return form, shift
        return None

    def number(self, i: int, lo: int, hi: int) -> int | None:
        t = self.text(i)
        if t.isdigit() and len(t) <= 4:
            v = int(t)
            if lo <= v <= hi:
                return v
        return None

    # -- pieces ------------------------------------------------------------

    def month(self, i: int) -> tuple[int, int, int, bool] | None:
        """A Gregorian month name, maybe paired ("مايو/ أيار", "مايو (أيار)").

        Returns (month, next index, clitic shift, ambiguous-alone).
        """
        hit = self.phrase(i, self.lex.greg_months, first_clitic=True)
        if hit is None:
            return None
        key, j, shift = hit
        month = self.lex.greg_months[key]
        ambiguous = key in self.lex.ambiguous
        # A pair partner after a slash, a dash or in brackets.
        k = j
        if self.text(k) in _SLASHES | _DASHES | {"("}:
            partner = self.phrase(k + 1, self.lex.greg_months)
            if partner is not None and self.lex.greg_months[partner[0]] == month:
                j = partner[1]
                ambiguous = False
                if self.text(j) == ")" and self.text(k) == "(":
                    j += 1
        elif self.text(k):
            partner = self.phrase(k, self.lex.greg_months)
            if partner is not None and self.lex.greg_months[partner[0]] == month:
                j, ambiguous = partner[1], False
        return month, j, shift, ambiguous

    def year(self, i: int, hijri_ok: bool = True) -> tuple[int, str, int] | None:
        """A 4-digit year with an optional calendar mark: (year, calendar, next)."""
        t = self.text(i)
        if not (t.isdigit() and len(t) in (3, 4)):
            return None
        y = int(t)
        j = i + 1
        cal = "greg"
        if self.text(j) in self.lex.hijri_marks and hijri_ok:
            cal, j = "hijri", j + 1
        elif self.text(j) in self.lex.greg_marks:
            j += 1
        if cal == "greg" and not 1800 <= y <= 2200:
            if hijri_ok and 1300 <= y <= 1500 and self.text(i + 1) in self.lex.hijri_marks:
                cal = "hijri"
            else:
                return None
        return y, cal, j

    def hijri_year(self, i: int) -> tuple[int, int] | None:
        """A year after a Hijri month: marked or not ("شعبان 1445", "شعبان 1445هـ")."""
        y = self.year(i)
        if y is not None:
            return (y[0], y[2]) if y[1] == "hijri" else None
        t = self.text(i)
        if t.isdigit() and len(t) == 4 and 1300 <= int(t) <= 1500:
            return int(t), i + 1
        return None

    def direction(self, i: int) -> tuple[str, int] | None:
        d = self.lex.direction.get(self.text(i))
        return (d, i + 1) if d else None

    def ordinal(self, i: int) -> tuple[int, int, int] | None:
        """A day written as an ordinal word: "التاسع", "السابع والعشرين", "الحادي عشر"."""
        hit = self.word(i, self.lex.ordinals, first_clitic=True)
        tens_hit = None if hit else self.word(i, self.lex.ordinal_tens, first_clitic=True)
        if hit is None and tens_hit is None:
            return None
        if tens_hit is not None:
            return self.lex.ordinal_tens[tens_hit[0]], i + 1, tens_hit[1]
        assert hit is not None
        units, shift = self.lex.ordinals[hit[0]], hit[1]
        j = i + 1
        if self.text(j) == "عشر":
            return 10 + units, j + 1, shift
        tens = self.word(j, self.lex.ordinal_tens, first_clitic=True)
        if tens is not None and self.text(j).startswith("و"):
            return units + self.lex.ordinal_tens[tens[0]], j + 1, shift
        return units, j, shift

    def day(self, i: int) -> tuple[int, int, int] | None:
        """A day of the month: digits 1-31 or an ordinal word; (day, next, shift)."""
        n = self.number(i, 1, 31)
        if n is not None:
            return n, i + 1, 0
        return self.ordinal(i)

    # -- expressions -------------------------------------------------------

    def date(self, i: int) -> _Match | None:
        """The longest single (non-range) expression at token ``i``."""
        if i >= len(self.toks) or not _may_start(self.toks[i].text, True):
            return None  # "من", or a word after it that starts no date: skip the nine sub-parsers
        best: _Match | None = None
        for fn in (self._day_month, self._part_month, self._month_only, self._year_expr, self._unit_expr,
                   self._relday, self._weekday, self._numeric, self._hijri):
            m = fn(i)
            if m is not None and (best is None or m.end > best.end):
                best = m
        return best

    def _tail(self, j: int, spec: _Spec) -> tuple[_Spec, int]:
        """Year or direction after a Gregorian month."""
        y = self.year(j)
        if y is not None and y[1] == "greg":
            return replace(spec, year=y[0]), y[2]
        d = self.direction(j)
        if d is not None:
            return replace(spec, direction=d[0]), d[1]
        return spec, j

    def _day_month(self, i: int) -> _Match | None:
        """"12 أبريل/ نيسان الجاري", "التاسع من يناير", "الثامن من الشهر الجاري"."""
        d = self.day(i)
        if d is None:
            return None
        day, j, shift = d
        if self.text(j) == "من":
            j += 1
        m = self.month(j)
        if m is not None:
            spec, k = self._tail(m[1], _Spec(month=m[0], day=day))
            return _Match(i, k, shift, spec)
        # "الثامن من الشهر الجاري"
        if self.text(j) in self.lex.units and self.lex.units[self.text(j)] == "month":
            dd = self.direction(j + 1)
            if dd is not None:
                off = {"past": -1, "current": 0, "next": 1}[dd[0]]
                return _Match(i, dd[1], shift, _Spec(day=day, unit="month", unit_offset=off))
        h = self.phrase(j, self.lex.hijri_months)
        if h is not None:
            spec = _Spec(calendar="hijri", month=self.lex.hijri_months[h[0]], day=day)
            k = h[1]
            hy = self.hijri_year(k)
            if hy is not None:
                spec, k = replace(spec, year=hy[0]), hy[1]
            return _Match(i, k, shift, spec)
        return None

    def _part_month(self, i: int) -> _Match | None:
        """"مطلع يونيو المقبل", "أواخر ديسمبر 2023", "منتصف الشهر الماضي"."""
        p = self.phrase(i, self.lex.part_of_period, first_clitic=True)
        if p is None:
            return None
        _, j, shift = p
        if self.text(j) == "من":
            j += 1
        m = self.month(j)
        if m is not None:
            spec, k = self._tail(m[1], _Spec(month=m[0]))
            return _Match(i, k, shift, spec)
        sub = self._year_expr(j) or self._unit_expr(j)
        if sub is not None:
            return _Match(i, sub.end, shift, sub.begin)
        return None

    def _month_only(self, i: int) -> _Match | None:
        """"مايو الماضي", "يناير 2025", "في مارس" (a bare month needs context)."""
        m = self.month(i)
        if m is None:
            return None
        month, j, shift, ambiguous = m
        spec, k = self._tail(j, _Spec(month=month))
        # A bare month: only after a preposition ("في مايو"), or with a clitic
        # preposition ("بمايو") when the name is no ordinary word.
        if k == j and not self._paired(i, j) and self.text(i - 1) not in self.lex.date_preps \
                and (ambiguous or not shift):
            return None
        return _Match(i, k, shift, spec)

    def _paired(self, i: int, j: int) -> bool:
        return j - i > 1 and any(self.text(x) in _SLASHES for x in range(i, j))

    def _year_expr(self, i: int) -> _Match | None:
        """"عام 2018", "العام 2025", "سنة 1445 هـ", "1445هـ", "في 2018"."""
        t = _variants(self.toks[i]) if i < len(self.toks) else []
        for form, shift in t:
            if form in ("عام", "العام", "سنه", "السنه", "عامي", "سنتي"):
                y = self.year(i + 1)
                if y is None:
                    continue
                spec = _Spec(calendar=y[1], year=y[0])
                # "عامي 2018 و2019": the two years, as an interval.
                nxt = self.text(y[2])
                if form in ("عامي", "سنتي") and nxt.startswith("و"):
                    second = nxt[1:] if len(nxt) > 1 else self.text(y[2] + 1)
                    end = y[2] + 1 if len(nxt) > 1 else y[2] + 2
                    if second.isdigit() and len(second) == 4:
                        return _Match(i, end, shift, spec, replace(spec, year=int(second)))
                return _Match(i, y[2], shift, spec)
        y = self.year(i)
        if y is not None and (y[1] == "hijri" or self.text(i - 1) in self.lex.date_preps
                              or self.text(i + 1) in self.lex.greg_marks):
            return _Match(i, y[2], 0, _Spec(calendar=y[1], year=y[0]))
        return None

    def _unit_expr(self, i: int) -> _Match | None:
        """"الشهر الماضي", "هذا الأسبوع", "العام المقبل", "الأسبوع الجاري"."""
        for form, shift in _variants(self.toks[i]) if i < len(self.toks) else []:
            if form in ("هذا", "هذه") and self.text(i + 1) in self.lex.units:
                unit = self.lex.units[self.text(i + 1)]
                return _Match(i, i + 2, shift, _Spec(unit=unit, unit_offset=0))
            if form in self.lex.units:
                d = self.direction(i + 1)
                if d is not None:
                    off = {"past": -1, "current": 0, "next": 1}[d[0]]
                    return _Match(i, d[1], shift, _Spec(unit=self.lex.units[form], unit_offset=off))
        return None

    def _day_part(self, i: int) -> tuple[int, int]:
        """Skip "مساء", "صباح يوم", "يوم" before a day; (next index, clitic shift)."""
        j, shift = i, 0
        for _ in range(2):
            p = self.phrase(j, self.lex.day_parts, first_clitic=(j == i))
            if p is None:
                break
            if j == i:
                shift = p[2]
            j = p[1]
        return j, shift

    def _relday(self, i: int) -> _Match | None:
        """"أمس", "أمس الثلاثاء", "اليوم الأربعاء", "مساء أمس", "يوم غد"."""
        j, shift = self._day_part(i)
        r = self.phrase(j, self.lex.rel_days, first_clitic=(j == i))
        if r is None:
            return None
        key, k, s2 = r
        if j == i:
            shift = s2
        if key == ("اليوم",):
            nxt = self.text(k)
            if nxt.startswith("ال") and nxt not in self.lex.weekdays and nxt != "نفسه":
                return None
            if self.text(i - 1) in ("في", "ذلك", "هذا") and j == i:
                return None
        if key in (("غد",), ("الغد",)) and j == i:
            return None
        spec = _Spec(rel_days=self.lex.rel_days[key])
        if self.text(k) in self.lex.weekdays:
            k += 1
        return _Match(i, k, shift, spec)

    def _weekday(self, i: int) -> _Match | None:
        """"السبت", "الثلاثاء المقبل", "مساء الثلاثاء", "يوم الأحد 12 مايو"."""
        j, shift = self._day_part(i)
        w = self.word(j, self.lex.weekdays, first_clitic=(j == i))
        if w is None:
            return None
        if j == i:
            shift = w[1]
        k = j + 1
        # A weekday that introduces a full date: the date decides.
        nxt = k + 1 if self.text(k) in ("،", ",") or self.text(k) == "الموافق" else k
        if self.text(nxt) == "الموافق":
            nxt += 1
        dm = self._day_month(nxt)
        if dm is not None:
            return _Match(i, dm.end, shift, dm.begin)
        spec = _Spec(weekday=self.lex.weekdays[w[0]])
        d = self.direction(k)
        if d is not None:
            spec, k = replace(spec, direction=d[0]), d[1]
        return _Match(i, k, shift, spec)

    def _numeric(self, i: int) -> _Match | None:
        """"14/5/2025", "14-05-2025", "2025-05-14"."""
        a, b, c = self.text(i), self.text(i + 2), self.text(i + 4)
        sep1, sep2 = self.text(i + 1), self.text(i + 3)
        if not (a.isdigit() and b.isdigit() and c.isdigit()) or sep1 != sep2 or sep1 not in {"/", "-", "."}:
            return None
        # Tokens must touch: "14/5/2025", not "14 / 5 / 2025" across words.
        if any(self.toks[i + n].end != self.toks[i + n + 1].start for n in range(4)):
            return None
        if len(a) == 4:
            y, mo, d = int(a), int(b), int(c)
        elif len(c) == 4:
            d, mo, y = int(a), int(b), int(c)
        else:
            return None
        try:
            dt.date(y, mo, d)
        except ValueError:
            return None
        cal = "hijri" if 1300 <= y <= 1500 else "greg"
        end = i + 5
        if self.text(end) in self.lex.hijri_marks:
            cal, end = "hijri", end + 1
        return _Match(i, end, 0, _Spec(calendar=cal, year=y, month=mo, day=d))

    def _hijri(self, i: int) -> _Match | None:
        """"رمضان 1445هـ", "شهر رمضان 1445" (a Hijri month needs a year here)."""
        j = i + 1 if self.text(i) in ("شهر", "لشهر", "بشهر") else i
        h = self.phrase(j, self.lex.hijri_months, first_clitic=(j == i))
        if h is None:
            return None
        hy = self.hijri_year(h[1])
        if hy is None:
            return None
        spec = _Spec(calendar="hijri", month=self.lex.hijri_months[h[0]], year=hy[0])
        return _Match(i, hy[1], h[2] if j == i else 0, spec)

    # -- ranges, "since", durations -----------------------------------------

    def expression(self, i: int) -> _Match | None:
        """Range, "since" or single expression at ``i`` (longest).

        ``find_times`` calls it only where :func:`_may_start` says an
        expression can start: most words never reach the ten sub-parsers.
        """
        since, j, shift0 = False, i, 0
        for form, shift in _variants(self.toks[i]):
            if form in self.lex.since:
                since, j, shift0 = True, i + 1, shift
                break
        # An opener: "بين ... و ...", "ما بين ...", "من ... إلى/حتى ...".
        opener, k = None, j
        if self.text(k) == "ما" and self.text(k + 1) == "بين":
            opener, k = "بين", k + 2
        elif k < len(self.toks):
            for form, shift in _variants(self.toks[k]):
                if form in self.lex.range_open:
                    opener, k = form, k + 1
                    if not since:
                        shift0 = shift
                    break
        best: _Match | None = None
        if opener is not None:
            best = self._range(k, opener)
            if best is not None:
                best.start = i
        if best is None:
            # No opener: "13-16 مايو" is a range, "13 مايو" a single date.
            rng, single = self._range(j, None), self.date(j)
            best = rng if rng is not None and (single is None or rng.end > single.end) else single
            if best is not None and since:
                best.start = i
        if best is None:
            return None
        if best.start == i and (since or opener is not None):
            best.shift = shift0
        best.since = since
        return best

    def _range(self, i: int, opener: str | None) -> _Match | None:
        """The two ends of a range after its opener (or none: then a dash joins)."""
        left = self.date(i)
        left_day: int | None = None
        if left is None:
            left_day = self.number(i, 1, 31)
            if left_day is None:
                return None
            j = i + 1
        else:
            if left.finish is not None:
                return None
            j = left.end
        join = self.text(j)
        joins = self.lex.range_join.get(opener or "", frozenset())
        if join in _DASHES or join in joins:
            right = self.date(j + 1)
        elif "و" in joins and join.startswith("و") and len(join) > 1:
            right = self._clitic_right(j)  # "و16 مايو" is one token
        else:
            return None
        if right is None or right.finish is not None:
            return None
        return self._combine(i, left, left_day, right)

    def _clitic_right(self, j: int) -> _Match | None:
        tok = self.toks[j]
        if len(tok.text) < 2:
            return None
        sub = _Tok(tok.text[1:], tok.start + 1, tok.end)
        saved = self.toks[j]
        self.toks[j] = sub
        try:
            return self.date(j)
        finally:
            self.toks[j] = saved

    def _combine(self, i: int, left: _Match | None, left_day: int | None, right: _Match) -> _Match | None:
        """Fill what the left end leaves unsaid from the right one ("13 و16 مايو")."""
        r = right.begin
        if left is None:
            if r.day is None or (r.month is None and r.unit != "month"):
                return None
            lspec = replace(r, day=left_day)
        else:
            lspec = left.begin
            if lspec.month is not None and lspec.year is None and lspec.direction is None \
                    and lspec.calendar == r.calendar:
                lspec = replace(lspec, year=r.year, direction=r.direction)
                if r.year is not None and r.month is not None and lspec.month is not None and lspec.month > r.month:
                    lspec = replace(lspec, year=r.year - 1)
            elif lspec.day is not None and lspec.month is None and lspec.unit is None:
                lspec = replace(r, day=lspec.day)
        return _Match(i, right.end, 0, lspec, r)


# ---------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def _month_year(month: int, direction: str | None, pub: dt.date) -> int:
    if direction == "past":
        return pub.year if month < pub.month else pub.year - 1
    if direction == "next":
        return pub.year if month > pub.month else pub.year + 1
    if direction == "current":
        return pub.year
    # Nearest occurrence; ties to the past.
    best = min((pub.year - 1, pub.year, pub.year + 1),
               key=lambda y: (abs((y * 12 + month) - (pub.year * 12 + pub.month)), y))
    return best


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _hijri_to_greg(y: int, m: int, d: int) -> dt.date | None:
    try:
        from hijridate import Hijri

        g = Hijri(y, m, d).to_gregorian()
        return dt.date(g.year, g.month, g.day)
    except (ValueError, OverflowError, ImportError):
        return None


def _hijri_month_len(y: int, m: int) -> int | None:
    try:
        from hijridate import Hijri

        return int(Hijri(y, m, 1).month_length())
    except (ValueError, OverflowError, ImportError):
        return None


def _hijri_year_of(pub: dt.date) -> int | None:
    try:
        from hijridate import Gregorian

        return int(Gregorian(pub.year, pub.month, pub.day).to_hijri().year)
    except (ValueError, OverflowError, ImportError):
        return None


def _resolve_hijri(s: _Spec, pub: dt.date | None) -> tuple[str, str] | None:
    year = s.year
    if year is None:
        if pub is None:
            return None
        year = _hijri_year_of(pub)
        if year is None:
            return None
    if s.month is None:
        a, b = _hijri_to_greg(year, 1, 1), _hijri_to_greg(year + 1, 1, 1)
        if a is None or b is None:
            return None
        return _iso(a), _iso(b - dt.timedelta(days=1))
    if s.day is None:
        a = _hijri_to_greg(year, s.month, 1)
        n = _hijri_month_len(year, s.month)
        if a is None or n is None:
            return None
        return _iso(a), _iso(a + dt.timedelta(days=n - 1))
    g = _hijri_to_greg(year, s.month, s.day)
    return (_iso(g), _iso(g)) if g is not None else None


def _resolve(s: _Spec, pub: dt.date | None) -> tuple[str, str] | None:
    """(first, last) ISO values of a spec at its precision, or None."""
    if s.calendar == "hijri":
        return _resolve_hijri(s, pub)
    if s.rel_days is not None:
        if pub is None:
            return None
        d = pub + dt.timedelta(days=s.rel_days)
        return _iso(d), _iso(d)
    if s.weekday is not None:
        if pub is None:
            return None
        back = (pub.weekday() - s.weekday) % 7
        if s.direction == "next":
            d = pub + dt.timedelta(days=(s.weekday - pub.weekday()) % 7 or 7)
        elif s.direction == "past":
            d = pub - dt.timedelta(days=back or 7)
        else:
            d = pub - dt.timedelta(days=back)
        return _iso(d), _iso(d)
    if s.unit is not None:
        if pub is None:
            return None
        if s.unit == "week":
            monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=s.unit_offset)
            return _iso(monday), _iso(monday + dt.timedelta(days=6))
        if s.unit == "month":
            y, m = _add_months(pub.year, pub.month, s.unit_offset)
            if s.day is not None:
                try:
                    d = dt.date(y, m, s.day)
                except ValueError:
                    return None
                return _iso(d), _iso(d)
            v = f"{y:04d}-{m:02d}"
            return v, v
        y = pub.year + s.unit_offset
        return str(y), str(y)
    if s.month is None:
        if s.year is None:
            return None
        return str(s.year), str(s.year)
    year = s.year
    if year is None:
        if pub is None:
            return None
        year = _month_year(s.month, s.direction, pub)
    if s.day is None:
        v = f"{year:04d}-{s.month:02d}"
        return v, v
    try:
        d = dt.date(year, s.month, s.day)
    except ValueError:
        return None
    return _iso(d), _iso(d)


def _value(m: _Match, pub: dt.date | None) -> str | None:
    a = _resolve(m.begin, pub)
    if a is None:
        return _value(m.alt, pub) if m.alt is not None else None
    if m.finish is None:
        return a[0] if a[0] == a[1] else f"{a[0]}/{a[1]}"
    b = _resolve(m.finish, pub)
    if b is None:
        return None
    first, last = a[0], b[1]
    return first if first == last else f"{first}/{last}"


# ---------------------------------------------------------------------------
# Public: find_times
# ---------------------------------------------------------------------------

_SENT_END = re.compile(r"[.!?؟\n]")


def find_times(text: str, published: dt.date | None, start: int = 0, end: int | None = None
               ) -> list[TimeValue]:
    """Find and resolve the time expressions of ``text[start:end]``.

    Parameters
    ----------
    text : str
        The whole document (offsets are into it).
    published : datetime.date or None
        Publication date that relative expressions are resolved against.  With
        None they keep ``value=None`` (and their ``raw``): no date is invented.
    start, end : int
        The span to search; defaults to the whole text.

    Returns
    -------
    list of TimeValue
        In text order, non-overlapping, each the longest match; ``raw`` is the
        original substring ``text[tv.start:tv.end]`` (a leading clitic such as
        the و of "والسبت" is left out).  A "since" expression ("منذ 7 أكتوبر
        2023") includes منذ and has its anchor as value; see :func:`is_since`.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    segment = text[start:end]
    norm, offs = normalize_with_map(segment)
    toks = _tokens(norm)
    lex = load_lexicon()
    parser = _Parser(toks, lex)
    matches: list[_Match] = []
    i = 0
    while i < len(toks):
        if not _may_start(toks[i].text):
            i += 1  # most words: one cached lookup instead of a parser call
            continue
        try:
            m = parser.expression(i)
        except (IndexError, ValueError, OverflowError):
            m = None
        if m is not None and m.end > i:
            matches.append(m)
            i = m.end
        else:
            i += 1
    matches = _merge_equivalents(matches, toks)
    out: list[TimeValue] = []
    for m in matches:
        ns = toks[m.start].start + m.shift
        ne = toks[m.end - 1].end
        if ns >= ne:
            continue
        s, e = start + offs[ns], start + offs[ne - 1] + 1
        while e < end and fold_char(text[e]) == "" and not text[e].isspace():
            e += 1  # a trailing tatweel or diacritic ("1445هـ") belongs to the word
        try:
            val = _value(m, published)
        except (ValueError, OverflowError):  # a publication date at the ends of the calendar
            val = None
        out.append(TimeValue(val, text[s:e], s, e))
    out = _durations(text, norm, offs, start, toks, parser, out)
    return out


def _merge_equivalents(matches: list[_Match], toks: list[_Tok]) -> list[_Match]:
    """Join "أمس الثلاثاء الموافق 3 شعبان 1445هـ" into one expression.

    Both parts name the same day; the value is the first part's when it
    resolves (a relative day needs the publication date), else the second's.
    """
    out: list[_Match] = []
    for m in matches:
        if out and out[-1].alt is None:
            prev = out[-1]
            between = [t.text for t in toks[prev.end : m.start]]
            if "الموافق" in between and all(w in _EQUIV_GLUE for w in between):
                out[-1] = replace(prev, end=m.end, alt=m)
                continue
        out.append(m)
    return out


_EQUIV_GLUE = frozenset({"الموافق", "ل", "(", "،", ",", "-"})


def _durations(text: str, norm: str, offs: list[int], base: int, toks: list[_Tok], parser: _Parser,
               found: list[TimeValue]) -> list[TimeValue]:
    """Add "تستغرق يومين" / "استمرت ثلاثة أيام" anchored on a day of the same sentence."""
    lex = parser.lex
    out = list(found)
    taken = [(tv.start, tv.end) for tv in found]
    for i, tok in enumerate(toks):
        fwd = tok.text in lex.dur_forward
        bwd = tok.text in lex.dur_backward
        if not (fwd or bwd):
            continue
        n: int | None = None
        j = i + 1
        t = parser.text(j)
        if t in ("يومين", "يومان"):
            n, j = 2, j + 1
        elif t.isdigit() and parser.text(j + 1) in ("ايام", "يوما", "يوم"):
            n, j = int(t), j + 2
        elif t in lex.number_words and parser.text(j + 1) in ("ايام", "يوما", "يوم"):
            n, j = lex.number_words[t], j + 2
        if n is None or not 1 <= n <= 60:
            continue
        # Anchor: the nearest day-precise time before it in the same sentence.
        anchor: TimeValue | None = None
        for tv in found:
            if tv.start >= base + offs[tok.start]:
                break
            gap = norm[_norm_index(offs, tv.end - base) : tok.start]
            if _SENT_END.search(gap):
                anchor = None
                continue
            if tv.value and len(tv.value) == 10 and not is_since(tv):
                anchor = tv
        s, e = base + offs[tok.start], base + offs[toks[j - 1].end - 1] + 1
        if any(a < e and s < b for a, b in taken):
            continue
        value: str | None = None
        if anchor is not None and anchor.value is not None:
            day = dt.date.fromisoformat(anchor.value)
            if fwd:
                first, last = day, day + dt.timedelta(days=n - 1)
            else:
                first, last = day - dt.timedelta(days=n - 1), day
            value = _iso(first) if n == 1 else f"{_iso(first)}/{_iso(last)}"
        elif anchor is None:
            continue
        out.append(TimeValue(value, text[s:e], s, e))
    out.sort(key=lambda tv: tv.start)
    return out


def _norm_index(offs: list[int], orig: int) -> int:
    """First normalized index whose source offset is >= ``orig``."""
    lo, hi = 0, len(offs) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if offs[mid] < orig:
            lo = mid + 1
        else:
            hi = mid
    return lo


def is_since(tv: TimeValue) -> bool:
    """True for a "since" expression ("منذ 7 أكتوبر 2023").

    Its value is the anchor date: the start of a state, not the time of an
    event, so :func:`event_time` never chooses it.
    """
    words = normalize(tv.raw).split()
    return bool(words) and words[0] in load_lexicon().since


# ---------------------------------------------------------------------------
# Public: event_time
# ---------------------------------------------------------------------------

#: How many sentences a lead event's date reaches through "الجانبان ..." anaphora.
INHERIT_SENTENCES = 3
#: How close (in tokens) a relative pronoun must follow the trigger to describe it.
RELATIVE_REACH = 3

_PUNCT_BREAK = {"،", ",", "؛", ";", ":"}


def _words(text: str) -> list[str]:
    return list(_word_tuple(text))


@lru_cache(maxsize=1 << 12)
def _word_tuple(text: str) -> tuple[str, ...]:
    """The normalized words of a span (memoized: :func:`event_time` asks for the same
    stretch of a sentence, before a time say, once for each event of the sentence)."""
    return tuple(m.group() for m in _TOKEN.finditer(normalize(text)))


def _has_phrase(words: list[str], table: frozenset[Phrase]) -> int:
    """Index of the first phrase of ``table`` in ``words`` (a و/ف clitic allowed), or -1."""
    starts = _first_words(table)
    for i, first in enumerate(words):
        bare = first[1:] if first[:1] in "وف" else None
        if first not in starts and bare not in starts:
            continue
        for p in table:
            n = len(p)
            seg = words[i : i + n]
            if len(seg) < n:
                continue
            if tuple(seg) == p or (bare is not None and (bare, *seg[1:]) == p):
                return i
    return -1


def _is_verb(word: str, lex: _Lexicon) -> bool:
    return word in lex.verbs or (word[:1] in "وف" and word[1:] in lex.verbs)


def _coordinated_verb(words: list[str], lex: _Lexicon) -> int:
    """Index of a "و" + verb word (a new coordinated clause), or -1."""
    for i, w in enumerate(words):
        if len(w) > 2 and w[0] in "وف" and w[1:] in lex.verbs:
            return i
    return -1


def _is_dateline(text: str, tv: TimeValue) -> bool:
    """A date heading an article: "القاهرة، 14 مايو 2025 –" or a line of its own."""
    line_start = text.rfind("\n", 0, tv.start) + 1
    if tv.start - line_start > 40:
        return False
    rest = text[tv.end : tv.end + 3].lstrip(" \t")
    return not rest or rest[:1] in "-–—:|\n"


def _fronted(text: str, sent: tuple[int, int], tv: TimeValue) -> bool:
    """A time that sets the scene for the whole sentence.

    Either it opens the sentence ("والسبت، استضافت ...", "ومساء الثلاثاء،
    أعلن ...") or it stands between commas as a parenthesis ("استقبل ...،
    أمس الثلاثاء، ...").
    """
    before = _words(text[sent[0] : tv.start])
    if all(w in ("و", "ف", "في", "يوم", "،", ",", "-", "–", "—") for w in before):
        return True
    prev = text[sent[0] : tv.start].rstrip()
    nxt = text[tv.end : sent[1]].lstrip()
    return prev.endswith(("،", ",")) and nxt.startswith(("،", ","))


def _since_scoped(text: str, sent: tuple[int, int], tv: TimeValue, lex: _Lexicon) -> bool:
    """A time inside a "منذ ..." phrase ("منذ سقوط النظام في الثامن من الشهر")."""
    words = _words(text[sent[0] : tv.start])[-8:]
    for w in reversed(words):
        if w in _PUNCT_BREAK:
            return False
        if w in lex.since or (w[:1] in "وف" and w[1:] in lex.since):
            return True
    return False


def _forward_ok(gap: list[str], lex: _Lexicon, trigger_is_verb: bool = False) -> bool:
    """May a time after the trigger, across ``gap``, belong to it?

    A relative clause may date the trigger only when the trigger is a noun
    right before it ("اتفاق وقف إطلاق النار الذي دخل حيز التنفيذ في ...").
    """
    ev = lex.event
    modal = {p[0] for p in ev["modal_frames"]}
    # "من المقرر أن": drop the أن that introduces the planned event itself.
    gap = [w for i, w in enumerate(gap) if not (w in ("ان", "بان") and i > 0 and gap[i - 1] in modal)]
    for key in ("clause_openers", "relation", "cause", "background"):
        if _has_phrase(gap, ev[key]) >= 0:
            return False
    rel = _has_phrase(gap, ev["relative"])
    if rel >= 0 and (trigger_is_verb or len([w for w in gap[:rel] if w not in _PUNCT_BREAK]) > RELATIVE_REACH):
        return False
    return _coordinated_verb(gap, lex) < 0


def _backward_ok(gap: list[str], fronted: bool, lex: _Lexicon) -> bool:
    """May a time before the trigger, across ``gap``, belong to it?"""
    ev = lex.event
    for key in ("cause", "relative", "background"):
        if _has_phrase(gap, ev[key]) >= 0:
            return False
    if _has_phrase(gap, frozenset({("علي", "ان"), ("الا", "ان"), ("غير", "ان")})) >= 0:
        return False
    if fronted:
        return True
    if _has_phrase(gap, ev["clause_openers"]) >= 0 or _has_phrase(gap, ev["relation"]) >= 0:
        return False
    # A clause-final time reaches past a comma only into a coordinated verb
    # with the same subject ("زار ... في مايو الماضي، وأجرى محادثات") or a
    # purpose phrase ("مطلع يونيو، لترؤس اجتماعات").
    breaks = [i for i, w in enumerate(gap) if w in _PUNCT_BREAK]
    if not breaks:
        return True
    after = gap[breaks[-1] + 1 :]
    if not after:
        return True
    first = after[0]
    if _is_verb(first, lex) and first[:1] in "وف":
        return True
    return first.startswith("ل") and not first.startswith("ال") and len(breaks) == 1


@lru_cache(maxsize=8)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    from .tokenize import split_sentences

    return tuple(split_sentences(text))


def event_time(times: Sequence[TimeValue], trigger: tuple[int, int], clause: tuple[int, int], *,
               text: str | None = None) -> TimeValue | None:
    """Choose the time that belongs to the event whose trigger is at ``trigger``.

    Parameters
    ----------
    times : sequence of TimeValue
        Candidates from :func:`find_times`: the sentence's, or the whole
        document's (those outside ``clause`` are then used only for a lead
        event's date, see below).
    trigger : (int, int)
        Offsets of the trigger word (or of the start of the evidence).
    clause : (int, int)
        The sentence or clause the event is stated in.
    text : str, optional
        The whole document.  Strongly recommended: without it only position
        is used (the time overlapping the trigger, else the nearest one after
        it, else the nearest before); with it the words between the trigger
        and each time decide, as below.

    Returns
    -------
    TimeValue or None
        The chosen time (its ``value`` may be None when it is relative and
        the publication date unknown), or None when no time belongs to it.

    Notes
    -----
    Why these rules: Arabic news puts a sentence's date either first
    ("والسبت، استضافت ...") or right after the verb and subject between commas
    ("استقبل ...، أمس الثلاثاء، ..."); such a *fronted* time covers every event
    of the sentence, through "حيث" and "ثم", but not through a cause or frame
    ("احتجاجا على", "على خلفية", "في إطار") or a relative clause, which tell
    of other, earlier events.  Any other time belongs to its own clause: to an
    event before it unless a new clause opens between them (و + verb, "حيث",
    "فيما", "وقد", a relative pronoun far from the trigger) or the time sits
    in a "منذ/بعد/قبل ..." phrase about another event; to an event after it
    only across a coordinated verb of the same subject or a purpose phrase.
    A "منذ ..." time and a dateline are never chosen.  Among the rest the one
    with the fewest commas between, then the nearest, wins.  A sentence with
    no time of its own whose subject is "الجانبان", "الوزيران" ... near the
    trigger continues the lead event and takes the fronted time of one of
    the :data:`INHERIT_SENTENCES` sentences before it.
    """
    ts, te = trigger
    cs, ce = clause
    own = [t for t in times if t.start < ce and t.end > cs and not is_since(t)]
    for t in own:
        if t.start < te and t.end > ts:
            return t
    if text is None:
        after = [t for t in own if t.start >= te]
        if after:
            return min(after, key=lambda t: t.start)
        before = [t for t in own if t.end <= ts]
        return max(before, key=lambda t: t.end) if before else None
    lex = load_lexicon()
    sent = (cs, ce)
    best: tuple[int, int, TimeValue] | None = None
    for t in own:
        if _is_dateline(text, t) or _since_scoped(text, sent, t, lex):
            continue
        fronted = _fronted(text, sent, t)
        if t.start >= te:
            gap = _words(text[te : t.start])
            trig = _words(text[ts:te])
            if not _forward_ok(gap, lex, bool(trig) and _is_verb(trig[0], lex)):
                continue
        else:
            gap = _words(text[t.end : ts])
            # The trigger word itself counts: "في مايو الماضي، وزيارات ..."
            # starts a new noun phrase, "..., وأجرى" a coordinated verb.
            if not _backward_ok(gap + _words(text[ts:te])[:1], fronted, lex):
                continue
            if fronted and all(w in _PUNCT_BREAK or w in ("و", "ف") for w in gap):
                return t  # "ومساء الثلاثاء، أعلن ..."
            if text[t.start - 1 : t.start] == "ل" and len(gap) > RELATIVE_REACH:
                continue
        if t.start >= te and text[t.start - 1 : t.start] == "ل" and len(gap) > RELATIVE_REACH:
            continue  # "الاتفاق النووي لعام 2015" modifies a noun, not the event
        breaks = sum(1 for w in gap if w in _PUNCT_BREAK)
        key = (breaks, len(gap), t)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is not None:
        return best[2]
    return _inherited(times, trigger, clause, text, lex)


def _inherited(times: Sequence[TimeValue], trigger: tuple[int, int], clause: tuple[int, int], text: str,
               lex: _Lexicon) -> TimeValue | None:
    """The lead event's fronted date, for "وأدان الجانبان ..." (see :func:`event_time`)."""
    cs = clause[0]
    trig = _words(text[trigger[0] : trigger[1]])
    before = _words(text[cs : trigger[0]])
    # "خلال لقائه ...": a possessed event noun right after a frame word.
    framed = bool(trig) and trig[0].endswith(("ه", "ها", "هم", "هما")) and \
        _has_phrase(before[-2:], lex.event["anaphoric_frames"]) >= 0
    # "وأدان الجانبان ...": the subject must come before the trigger or just
    # after it, and the trigger must not be a definite noun ("العمليات").
    head = before + trig + _words(text[trigger[1] : trigger[1] + 40])[:3]
    anaphoric = _has_phrase(head, lex.event["anaphoric_subjects"]) >= 0 and bool(trig) \
        and not trig[0].startswith("ال")
    if not (framed or anaphoric):
        return None
    sents = _sentences(text)
    idx = next((i for i, (a, b) in enumerate(sents) if a <= cs < b or a >= cs), len(sents))
    for k in range(idx - 1, max(-1, idx - 1 - INHERIT_SENTENCES), -1):
        sent = sents[k]
        for t in times:
            if sent[0] <= t.start < sent[1] and not is_since(t) and not _is_dateline(text, t) \
                    and _fronted(text, sent, t) and t.value is not None and len(t.value) >= 10:
                return t
    return None


# ---------------------------------------------------------------------------
# Public: infer_published
# ---------------------------------------------------------------------------

#: How many non-empty lines of the header are searched for a dateline.
HEADER_LINES = 6


def infer_published(text: str) -> tuple[dt.date | None, str | None]:
    """The publication date from a date line in the article's header.

    Parameters
    ----------
    text : str
        The article, title first.

    Returns
    -------
    (datetime.date, str) or (None, None)
        The date and a short basis saying where it came from, e.g.
        ``"dateline: 'القاهرة، 14 مايو/أيار 2025 –'"``; (None, None) when the
        first :data:`HEADER_LINES` lines hold no full date (day, month, year)
        that opens a line, possibly after a place name and a comma, and ends it
        or is followed by a dash or a colon -- a date inside a sentence is not
        a publication date.
    """
    pos = 0
    seen = 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        if not line.strip():
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        for tv in find_times(text, None, line_start, pos):
            if tv.value is None or len(tv.value) != 10 or is_since(tv):
                continue
            lead = text[line_start : tv.start]
            words = _words(lead)
            place_ok = len(words) <= 5 and (not words or words[-1] in ("،", ",", "-", ":", "–")
                                            or all(w not in _PUNCT_BREAK for w in words) and len(words) <= 3)
            if place_ok and _is_dateline(text, tv):
                shown = text[line_start : min(pos, tv.end + 2)].strip()
                kind = "date line" if not text[tv.end : pos].strip() else "dateline"
                return dt.date.fromisoformat(tv.value), f"{kind}: '{shown}'"
    return None, None
