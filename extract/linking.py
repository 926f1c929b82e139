"""Entity linking: every name, title and reference becomes a canonical actor.

:func:`link` runs after tokenization and NER and fills ``doc.mentions`` (each
with ``entity_ids``) and ``doc.entities``.  It works in passes over the
tokens, because each pass needs what the previous ones found:

1. **Dictionary** — the longest match of the actor dictionary at every token
   (:mod:`.gazetteer`), proclitics (و ف ب ل ك) allowed on the first word and
   cut off the mention's span; nisba adjectives (القطري، الأمريكية) name their
   country.  Names that are also common words ("مالي", "فتح") count only when
   the article names the entity unambiguously too or they stand beside another
   entity of the same kind; عمان is Amman beside another city or when written
   with a shadda, Oman otherwise.
2. **Short forms** — once an article names a person in full, the last name
   ("روبيو", "عبد العاطي") names the same person anywhere in that article.
3. **NER** — Stanza's mentions fill what the dictionary lacks: a span the
   dictionary covers is dropped (the dictionary knows better), leading titles
   are cut off, clearly non-entity spans are dropped (generic words, a
   dictionary name plus one stray word, adjectives, plural noun phrases, "و..."
   continuations of a title), and the rest become entities with an id minted
   from the normalized Arabic name (``ar:...``), the same in every article.
   Without NER, a place word names a new place ("مدينة X", "ولاية X",
   "مخيم أبو X"); with NER, the place word types the NER name.
4. **Titles** — "الرئيس الأمريكي", "وزير الخارجية القطري", "أمير دولة قطر",
   "الأمين العام للأمم المتحدة", "المتحدث باسم الخارجية الإيرانية",
   "نظيره الأمريكي", "العاصمة الأردنية": a title followed by a name is that
   person (the mention grows over the title, honorifics included); without a
   name it is whoever held the office on the publication date — preferring a
   person of the article who holds it — unless the title says "السابق" /
   "المكلف" or an unknown first name follows (someone else then).
5. **Coreference** — bare titles ("الوزير", "الرئيس"), plural references
   ("الجانبان", "البلدين", "الوزيران": both referents), "الأخيرة"/"الأخير",
   bare head nouns ("القطاع", "الاتحاد", "المنظمة", "المملكة") and a bare
   "وزارة الخارجية" resolve to the entities they refer to in context
   (``source="coref"``, score 0.8).

Every entity gets its dictionary labels, type and Wikidata id; a person's
``role`` is the office held on the article date (English) and its
``affiliation`` the country or organization of that office; bodies and cities
carry their country as ``affiliation``.

Mentions may nest (a title mention contains its nisba mention); consumers
that want one mention per span take the outermost ones (:func:`mentions_in`).
Every mention's offsets are exact into ``doc.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from .gazetteer import Actor, Entry, Gazetteer, key_of, load, match_at, match_starts
from .model import Document, Entity, Mention
from .normalize import normalize, normalize_with_map, strip_al
from .wordsets import WordTest

# Clitic patterns, compiled once (they run for every token of every article).
_CONJ_DEF = re.compile(r"^[وف](ال|بال|لل)")
_PREP_DEF = re.compile(r"^[وف]?(بال|كال)")
_PROCLITICS_REST = re.compile(r"^([وف]?[بلك]?)(.+)$")
_DEF_PREP = re.compile(r"^(لل|بال|وال|كال)")
_PROCLITICS = re.compile(r"[وف]?[بلك]?")
_DEFINITE = re.compile(r"^[وف]?(ال|بال|لل|كال)")
_CLITIC_DEF_REST = re.compile(r"^([وف]?)(بال|كال|لل|ال)(.+)$")

__all__ = ["link", "mentions_in", "entity_for", "mint_id", "NER_TYPES"]

#: Entity type given to a name the dictionary does not know, by NER label.
#: LOC becomes Region (a place of unknown granularity) unless a place word
#: says otherwise ("مدينة", "مخيم" ...); MISC becomes Other.
NER_TYPES = {"PER": "Person", "ORG": "Organization", "LOC": "Region", "MISC": "Other"}

# Preference among dictionary readings of one span.
_FORM_RANK = {"name": 0, "plural": 1, "nisba": 2, "weak": 3}
_TYPE_RANK = {"Country": 0, "Organization": 1, "GovernmentBody": 2, "Person": 3, "City": 4, "Region": 5,
              "Facility": 6, "Agreement": 7, "Other": 8}

# Plural references and what they refer to.
_PLURAL_ACTORS = {"جانبان", "جانبين", "طرفان", "طرفين"}
_PLURAL_COUNTRIES = {"بلدان", "بلدين", "دولتان", "دولتين"}
_PLURAL_MINISTERS = {"وزيران", "وزيرين"}
_PLURAL_LEADERS = {"زعيمان", "زعيمين", "رئيسان", "رئيسين"}
_COUNTERPARTS = {"نظيره", "نظيرته", "نظيرها", "نظيريه", "نظيرتها", "نظرائه", "نظيرهم"}
_SPOKES_SKIP = {"باسمه", "باسمها", "الرسمي", "الرسميه"}
# "الرئيس الأمريكي السابق", "رئيس الحكومة المكلف": not the holder on the article date.
_NOT_CURRENT = {"السابق", "السابقه", "الاسبق", "الراحل", "الراحله", "المنتخب", "المنتخبه", "المكلف", "المكلفه",
                "المقبل", "المقبله", "الاسبقين", "السابقين"}
_LATTER_F = {"اخيره"}
_LATTER_M = {"اخير"}
_MINISTER_ROLES = {"foreign_minister", "defense_minister", "minister_of_state_foreign"}
_LEADER_ROLES = {"president", "king", "emir", "sultan", "prime_minister", "chancellor", "council_chair",
                 "transitional_leader", "crown_prince"}
# Words that are never an entity on their own when NER tags them.
_STOP = {normalize(w) for w in [
    "في", "من", "إلى", "على", "عن", "مع", "بين", "أن", "إن", "قال", "وقال", "أكد", "الذي", "التي",
    "هذا", "هذه", "ذلك", "تلك", "كان", "كانت", "قد", "لقد", "أمس", "اليوم", "غدا", "يناير",
    "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
    "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
    "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الحكومة", "الدولة",
    "الوزارة", "العاصمة", "المدينة", "البلاد", "المنطقة", "الرئيس", "الوزير", "الملك", "الأمير",
    "الشيخ", "الدكتور", "السيد",
]}
# Generic nouns and references that NER sometimes tags.
_STOP |= {normalize(w) for w in [
    "الخارجية", "الرئاسة", "الجيش", "البرلمان", "المجلس", "الشرطة", "القوات", "الأمن", "الإدارة",
    "السلطات", "الجانبان", "الجانبين", "البلدين", "البلدان", "الطرفين", "الطرفان", "الوزيران",
    "الوزيرين", "المنظمة", "الحركة", "الاتحاد", "الجامعة", "القطاع", "الإقليم", "الولاية",
    "المحافظة", "الشعب", "الأمة", "دولار", "دولارا", "يورو", "ريال", "دينار", "جنيه", "درهم", "ليرة",
    "مليون", "مليار", "ألف",
]}
# Parts of names that are not a name alone.
_NAME_PARTS = {normalize(w) for w in ("أبو", "أم", "بن", "ابن", "عبد", "آل", "بنت")}
_PUNCT = set(".,،؛;:!?؟\"'«»“”‘’()[]{}<>…/\\|*_=+#~^–—-")


@dataclass(slots=True)
class _Cand:
    """A mention being built: token range in a sentence, span, ids."""

    sent: int
    i: int
    j: int
    start: int
    end: int
    ids: list[str]
    source: str = "gazetteer"
    form: str = "name"
    label: str = ""
    keys: tuple[str, ...] = ()
    alive: bool = True
    nested: bool = False


@dataclass(slots=True)
class _State:
    doc: Document
    gaz: Gazetteer
    date: dt.date | None
    norms: list[list[str]]
    cands: list[_Cand] = field(default_factory=list)
    minted: dict[str, Entity] = field(default_factory=dict)
    roles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    by_sent: dict[int, list[_Cand]] = field(default_factory=dict)

    def add(self, cand: _Cand) -> None:
        self.cands.append(cand)
        self.by_sent.setdefault(cand.sent, []).append(cand)

    def alive(self) -> list[_Cand]:
        return sorted((c for c in self.cands if c.alive), key=lambda c: (c.sent, c.i, -c.j))

    def covering(self, s: int, i: int) -> _Cand | None:
        """The outermost live candidate covering token ``i`` of sentence ``s``."""
        best = None
        for c in self.by_sent.get(s, ()):
            if c.alive and c.i <= i < c.j and (best is None or c.j - c.i > best.j - best.i):
                best = c
        return best

    def starting(self, s: int, i: int) -> _Cand | None:
        """The longest live candidate starting at token ``i`` of sentence ``s``."""
        best = None
        for c in self.by_sent.get(s, ()):
            if c.alive and c.i == i and (best is None or c.j > best.j):
                best = c
        return best

    def type_of(self, ident: str) -> str:
        if ident in self.minted:
            return self.minted[ident].type
        a = self.gaz.actors.get(ident)
        return a.type if a else "Other"


def _word_test(gaz: Gazetteer, name: str, test: Callable[[str], Any]) -> WordTest[Any]:
    """The per-word test ``name`` of this dictionary, made on first use (see :mod:`.wordsets`)."""
    found = gaz.word_tests.get(name)
    if found is None:
        found = gaz.word_tests[name] = WordTest(test)
    return found


# --------------------------------------------------------------------------- public


def link(doc: Document) -> None:
    """Link every mention of ``doc`` to canonical entities.

    Parameters
    ----------
    doc : Document
        With ``sentences`` tokenized; ``mentions`` may hold NER mentions (or be
        empty: the dictionary alone then does the work); ``published`` may be
        None (titles then resolve by the date the dates stage infers from the
        text — a dateline — or else to the current office holder).

    Notes
    -----
    Replaces ``doc.mentions`` with the linked mentions sorted by start, each
    with ``entity_ids`` set, and fills ``doc.entities`` with every entity a
    mention or an affiliation refers to.
    """
    gaz = load()
    if not doc.sentences and doc.text.strip():
        from .tokenize import sentences_with_tokens

        doc.sentences = sentences_with_tokens(doc.text)
    st = _State(doc, gaz, doc.published or _inferred_date(doc), [[t.norm for t in s.tokens] for s in doc.sentences])
    _dictionary_pass(st)
    _resolve_weak_and_homographs(st)
    _short_forms(st)
    _ner_pass(st, [m for m in doc.mentions if m.source == "ner"])
    _place_names(st)
    _short_forms(st)
    _extend_prefixes(st)
    _bare_bodies(st)
    _head_nouns(st)
    _titles(st)
    _coreference(st)
    _emit(st)


def _inferred_date(doc: Document) -> dt.date | None:
    """The publication date the dates stage would infer from the text (titles resolve by it).

    ``doc.published`` is left alone: setting it (with its basis) is the dates
    stage's job.  None when the dates module is absent or finds no date.
    """
    try:
        from .dates import infer_published
    except ImportError:
        return None
    try:
        pub, _basis = infer_published(doc.text)
    except Exception:  # a failure there must not stop linking
        return None
    return pub if isinstance(pub, dt.date) else None


def mentions_in(doc: Document, start: int, end: int, nested: bool = False) -> list[Mention]:
    """Linked mentions inside ``[start, end)`` in text order.

    Parameters
    ----------
    doc : Document
        A linked document.
    start, end : int
        Character offsets (a sentence or clause).
    nested : bool
        Also return mentions inside a longer one (the nisba inside
        "الرئيس الأمريكي دونالد ترامب"); by default only the outermost.
    """
    ms = sorted((m for m in doc.mentions if m.entity_ids and start <= m.start and m.end <= end),
                key=lambda m: (m.start, -(m.end - m.start)))
    if nested:
        return ms
    out: list[Mention] = []
    for m in ms:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def mint_id(name: str) -> str:
    """The id of a name the dictionary does not know: ``ar:`` + normalized name.

    Words are joined with ``_``; the same name gives the same id in every
    article (percent-encoding is left to the graph layer).

    >>> mint_id("قاعدة العديد الجوية")
    'ar:قاعده_العديد_الجويه'
    """
    return "ar:" + "_".join(normalize(name).split())


def entity_for(ident: str, on: dt.date | None = None) -> Entity | None:
    """The dictionary entity ``ident`` as of date ``on`` (role and affiliation dated)."""
    gaz = load()
    actor = gaz.actors.get(ident)
    return _entity(gaz, actor, on) if actor else None


# --------------------------------------------------------------------------- passes


def _span(st: _State, s: int, i: int, j: int, clitic: int = 0) -> tuple[int, int]:
    toks = st.doc.sentences[s].tokens
    start = toks[i].start
    if clitic:
        _, offs = normalize_with_map(toks[i].text)
        start += offs[min(clitic, len(offs) - 1)]
    return start, toks[j - 1].end


def _entry_rank(gaz: Gazetteer, e: Entry) -> tuple[int, bool, int]:
    # A body written out in the data beats one generated from a template.
    return _FORM_RANK.get(e.form, 3), e.generated, _TYPE_RANK.get(gaz.actors[e.id].type, 9)


def _choose(entries: list[Entry], gaz: Gazetteer) -> list[Entry]:
    """Order the dictionary readings of one span, best first."""
    return sorted(entries, key=partial(_entry_rank, gaz))


def _dictionary_pass(st: _State) -> None:
    for s, norms in enumerate(st.norms):
        live = match_starts(norms, st.gaz.index)
        i = 0
        while i < len(norms):
            if not live[i]:
                i += 1
                continue
            k, n, entries = match_at(norms, i, st.gaz.index)
            if not k:
                i += 1
                continue
            # A longer match starting inside this one wins ("الشيخ تميم بن حمد آل ثاني").
            if any(live[x] and x + match_at(norms, x, st.gaz.index)[0] > i + k for x in range(i + 1, i + k)):
                i += 1
                continue
            entries = _choose(entries, st.gaz)
            if i > 0:
                prev = key_of(norms[i - 1])
                after_place = any(c.j == i and st.type_of(c.ids[0]) in ("City", "Region", "Country")
                                  for c in st.by_sent.get(s, ()))
                entries = [e for e in entries if prev not in st.gaz.actors[e.id].not_after
                           and not (after_place and e.form == "nisba" and st.gaz.actors[e.id].not_after)]
                if not entries:
                    i += k
                    continue
            best = entries[0]
            start, end = _span(st, s, i, i + k, n)
            ids = [best.id]
            # Keep the other readings of a homograph for the next pass.
            alts = [e.id for e in entries[1:] if e.id != best.id and e.form == best.form]
            st.add(_Cand(s, i, i + k, start, end, ids + alts, "gazetteer", best.form,
                                  st.gaz.actors[best.id].type, best.keys))
            if st.gaz.actors[best.id].type in ("Organization", "GovernmentBody"):
                _inner_names(st, s, i, i + k)
            i += k
    # A region's adjective means an organization the article names ("العقوبات الأوروبية" → EU).
    named = {c.ids[0] for c in st.cands if c.form == "name"}
    for c in st.cands:
        if c.form in ("nisba", "plural"):
            pref = st.gaz.actors[c.ids[0]].prefer
            if pref and pref in named:
                c.ids = [pref]


def _inner_names(st: _State, s: int, i: int, j: int) -> None:
    """Names inside a longer name ("مفوضية [الاتحاد الأفريقي]"), kept as nested mentions."""
    norms = st.norms[s]
    for x in range(i + 1, j):
        k, n, entries = match_at(norms[:j], x, st.gaz.index)
        if not k:
            continue
        good = [e for e in entries if e.form == "name" and st.gaz.actors[e.id].type in (
            "Organization", "Country", "City", "GovernmentBody")]
        if good and x + k == j:
            best = _choose(good, st.gaz)[0]
            start, end = _span(st, s, x, x + k, n)
            st.add(_Cand(s, x, x + k, start, end, [best.id], "gazetteer", "name",
                                  st.gaz.actors[best.id].type, best.keys, nested=True))
            return


def _neighbours(st: _State, c: _Cand, dist: int = 2) -> list[_Cand]:
    out = []
    for o in st.by_sent.get(c.sent, ()):
        if o is c or not o.alive:
            continue
        if 0 <= c.i - o.j <= dist or 0 <= o.i - c.j <= dist:
            out.append(o)
    return out


def _resolve_weak_and_homographs(st: _State) -> None:
    strong = {c.ids[0] for c in st.cands if c.form != "weak"}
    for c in st.cands:
        if len(c.ids) > 1:
            # A country name that is also a capital's (عمان: Oman / Amman).
            types = {i: st.type_of(i) for i in c.ids}
            city = next((i for i, t in types.items() if t == "City"), None)
            if city is not None:
                raw = st.doc.text[c.start:c.end]
                near_city = any(st.type_of(o.ids[0]) == "City" for o in _neighbours(st, c))
                pick = city if ("\u0651" in raw or near_city) else c.ids[0]
                c.ids = [pick]
            else:
                c.ids = c.ids[:1]
        if c.form == "weak" and c.ids[0] not in strong:
            typ = st.type_of(c.ids[0])
            prev = st.norms[c.sent][c.i - 1] if c.i > 0 else ""
            ok = key_of(prev) in st.gaz.country_prefixes or any(
                st.type_of(o.ids[0]) == typ and o.form != "weak" for o in _neighbours(st, c))
            if not ok:
                c.alive = False


def _person_short_forms(st: _State, ident: str) -> set[str]:
    """Short forms of a person: the data's, plus the last name of the label."""
    out: set[str] = set()
    actor = st.gaz.actors.get(ident)
    names: list[str] = []
    if actor is not None:
        out.update(normalize(x) for x in actor.short)
        names = [actor.label_ar, *actor.aliases]
    elif ident in st.minted:
        names = [st.minted[ident].label_ar]
    for name in names:
        words = normalize(name).split()
        if len(words) < 2 or any(w in ("بن", "بنت", "ال", "ابن") for w in words[1:]):
            continue
        if words[-1] in ("الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع"):
            continue
        if len(words) >= 3 and words[-2] in ("عبد", "ابو", "ابي", "بو", "ام"):
            out.add(words[-2] + " " + words[-1])
        elif words[-2] not in ("عبد", "ابو", "ابي", "بو", "ام"):
            out.add(words[-1])
    return {x for x in out if len(x.replace(" ", "")) >= 3}


def _short_forms(st: _State) -> None:
    # A short form two persons share ("فروم") goes to the one named in full
    # most often, then first: an order that does not depend on set hashing,
    # so that a build gives the same graph every time.
    named: dict[str, list[tuple[int, int]]] = {}
    for c in st.cands:
        if c.alive and c.ids and st.type_of(c.ids[0]) == "Person" and c.source in ("gazetteer", "ner") \
                and c.j - c.i >= 2:
            named.setdefault(c.ids[0], []).append((c.sent, c.i))
    persons = sorted(named, key=lambda p: (-len(named[p]), min(named[p])))
    shorts: dict[tuple[str, ...], str] = {}
    for p in persons:
        for form in _person_short_forms(st, p):
            shorts.setdefault(tuple(form.split()), p)
    if not shorts:
        return
    # Indexed by first word: one lookup per token instead of a regex per
    # (token, short form) pair; the forms keep their order, so the same one wins.
    by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
    for rank, (words, p) in enumerate(shorts.items()):
        by_first.setdefault(words[0], []).append((rank, words, p))
    # Every written form a first word can take: itself, or behind proclitics
    # (و ف ب ل, never an added article) that _proclitic_len strips from it.
    # Why: a sentence none of whose words is one of them is passed over by
    # one set test in C instead of a Python step per word (most sentences).
    surface = set(by_first)
    for first in by_first:
        for pre in _PROCLITIC_PREFIXES:
            if _proclitic_len(pre + first) == len(pre):
                surface.add(pre + first)
    for s, norms in enumerate(st.norms):
        if surface.isdisjoint(norms):
            continue
        for i, norm in enumerate(norms):
            if norm not in surface:
                continue
            exact = by_first.get(norm, [])
            n = _proclitic_len(norm) if norm[:1] in _PROCLITIC_LETTERS else 0
            stripped = by_first.get(norm[n:], []) if n else []
            if not exact and not stripped:
                continue
            if st.covering(s, i) is not None:
                continue
            clitic = n if stripped else 0
            cands = sorted([(r, w, p, 0) for r, w, p in exact] + [(r, w, p, clitic) for r, w, p in stripped])
            for _rank, words, p, n in cands:
                k = len(words)
                if i + k > len(norms):
                    continue
                if all(norms[i + x] == words[x] for x in range(1, k)) and all(
                        st.covering(s, i + x) is None for x in range(1, k)):
                    start, end = _span(st, s, i, i + k, n)
                    st.add(_Cand(s, i, i + k, start, end, [p], "gazetteer", "short", "Person",
                                          tuple(words)))
                    break


_PROCLITIC_LETTERS = frozenset("وفبل")  # a word starting otherwise has no proclitic to strip
#: What _proclitic_len can strip: و or ف, then ب or ل.
_PROCLITIC_PREFIXES = ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")


def _proclitic_len(norm: str) -> int:
    """Characters of proclitics (و or ف, then ب or ل) at the start of a word, one letter always left.

    What ``^([وف]?[بل]?)(.+)$`` takes as its first group, without a regex:
    asked of every word of an article that starts with one of those letters.

    >>> _proclitic_len("وبالقاهره"), _proclitic_len("لندن"), _proclitic_len("وب"), _proclitic_len("و")
    (2, 1, 1, 0)
    """
    k = 1 if norm[:1] in ("و", "ف") else 0
    if norm[k : k + 1] in ("ب", "ل"):
        k += 1
    return max(0, min(k, len(norm) - 1))


def _title_at(st: _State, s: int, i: int):
    return match_at(st.norms[s], i, st.gaz.titles)


def _honorific_len(st: _State, s: int, i: int) -> int:
    """Length of the honorific sequence starting at token ``i`` (0 if none)."""
    norms = st.norms[s]
    total = 0
    while i + total < len(norms):
        best = 0
        for key, _n in ((key_of(norms[i + total]), 0),):
            for keys in st.gaz.honorifics.get(key, ()):
                k = len(keys)
                if i + total + k <= len(norms) and all(
                        key_of(norms[i + total + x]) == keys[x] for x in range(k)):
                    best = max(best, k)
        if not best:
            break
        total += best
    return total


def _ner_pass(st: _State, ner: list[Mention]) -> None:
    """Merge NER mentions: drop what the dictionary covers, mint the rest."""
    for m in ner:
        s = _sentence_of(st.doc, m.start)
        if s is None:
            continue
        toks = st.doc.sentences[s].tokens
        idx = [k for k, t in enumerate(toks) if t.end > m.start and t.start < m.end]
        if not idx:
            continue
        a, b = idx[0], idx[-1] + 1
        # Trim punctuation at both ends.
        while a < b and toks[a].text in _PUNCT:
            a += 1
        while b > a and toks[b - 1].text in _PUNCT:
            b -= 1
        covered = [st.covering(s, k) for k in range(a, b)]
        if any(c is not None and st.type_of(c.ids[0]) == "Person" for c in covered):
            continue
        # Cut leading titles, honorifics and dictionary words ("وزير الخارجية الموريتاني").
        a0 = a
        while a < b:
            tk, _n, _t = _title_at(st, s, a)
            hk = _honorific_len(st, s, a)
            cov = st.covering(s, a)
            step = max(tk, hk, (cov.j - a) if cov is not None else 0)
            if not step:
                break
            a += step
        if a >= b:
            continue
        if all(st.covering(s, k) is not None for k in range(a, b)):
            continue
        # A dictionary name plus one stray word ("واشنطن تؤكدان") is a boundary error.
        stray = [k for k in range(a, b) if st.covering(s, k) is None]
        if len(stray) == 1 and any(st.covering(s, k) is not None for k in range(idx[0], idx[-1] + 1)):
            continue
        words = [st.norms[s][k] for k in range(a, b)]
        if len(words) == 1 and (strip_al(words[0]) in _STOP or words[0] in _STOP or len(words[0]) < 3
                                or words[0].isdigit() or _looks_adjective(words[0])
                                or words[0] in _NAME_PARTS or words[0].endswith(("ينا", "انا", "هما", "كم", "هم"))):
            continue  # a generic word, or a noun with a possessive ("بلدينا")
        if words[0].startswith("و") and (a > a0 or (m.label == "PER" and words[0] not in st.gaz.first_names
                                                   and words[0][1:] not in st.gaz.first_names)):
            continue  # "and ...": the rest of a title ("وزير الخارجية وشؤون المغتربين"), not a name
        if all(_looks_adjective(w[1:] if w.startswith("و") else w) for w in words):
            continue  # adjectives only ("الإقليميين والدوليين")
        if len(words) > 1 and words[-1].endswith(("يين", "يون", "يتين", "يتان")) and st.covering(s, b - 1) is None:
            continue  # a plural or dual noun phrase ("مسؤولين كرويين"), not a name
        if all(w in _STOP or w.isdigit() or w in _PUNCT for w in words):
            continue
        first = words[0]
        n = 0
        if _CONJ_DEF.match(first):
            n = 1
        if _PREP_DEF.match(first[n:]) and len(first) > 5:
            n += 1
        name_norm = " ".join([first[n:] if not first[n:].startswith("لل") else "ال" + first[n + 2:], *words[1:]])
        typ = NER_TYPES.get(m.label, "Other")
        place = st.gaz.place_words.get(key_of(words[0][n:]))
        if place and m.label in ("LOC", "ORG", "MISC"):
            typ = place
        ident = "ar:" + "_".join(name_norm.split())
        if ident not in st.minted:
            raw = st.doc.text[_span(st, s, a, b, n)[0]:toks[b - 1].end]
            st.minted[ident] = Entity(ident, "", raw, typ, None, None, None, [])
        start, end = _span(st, s, a, b, n)
        st.add(_Cand(s, a, b, start, end, [ident], "ner", "name", m.label, tuple(words)))


def _looks_adjective(norm: str) -> bool:
    """A nisba adjective or plural ("الساحلية", "اللاجئين"), not a place name."""
    return norm.endswith(("يه", "يين", "يون", "يات")) or (norm.startswith("ال") and norm.endswith(("ي", "ين")))


def _place_word(place_names: dict[str, tuple[str, bool]], norm: str) -> tuple[tuple[str, bool], int] | None:
    """A place word ("مدينة", "وولاية") as ((type, keep), proclitic characters), or None."""
    m = _PROCLITICS_REST.match(norm)
    for pre in ((m.group(1), "") if m and m.group(1) else ("",)):
        word = norm[len(pre):]
        if word in place_names:
            return place_names[word], len(pre)
    return None


def _place_names(st: _State) -> None:
    """"مدينة X" / "ولاية X" / "مخيم X" with X unknown: a new place (City, Region, Facility)."""
    places: WordTest[tuple[tuple[str, bool], int]] = _word_test(
        st.gaz, "place_names", partial(_place_word, st.gaz.place_names))
    for s, norms in enumerate(st.norms):
        if not places.any_in(norms[:-1]):
            continue
        for i in range(len(norms) - 1):
            hit = places.get(norms[i])
            if hit is None or st.covering(s, i) is not None:
                continue
            (typ, keep), n = hit
            j = i + 1
            ner = st.covering(s, j)
            if ner is not None and ner.source == "ner" and ner.i == j and ner.ids[0] in st.minted:
                _type_ner_place(st, ner, s, i, n, typ, keep)
                continue
            if st.covering(s, j) is not None or norms[j] in _STOP or norms[j] in _PUNCT or len(norms[j]) < 3:
                continue
            if norms[j][0].isdigit() or _looks_adjective(norms[j]) or _DEF_PREP.match(norms[j]):
                continue
            end = j + 1
            if norms[j] in st.gaz.compound_starts and end < len(norms) and norms[end] not in _PUNCT \
                    and norms[end] not in _STOP:
                inner = st.covering(s, end)
                if inner is None or (inner.form in ("nisba", "plural") and inner.i == end and inner.j == end + 1):
                    if inner is not None:
                        inner.alive = False  # "عين العرب" is a town, not the Arabs
                    end += 1
            name_from = i if keep else j
            words = [norms[x] for x in range(name_from, end)]
            if keep and n:
                words[0] = words[0][n:]
            ident = "ar:" + "_".join(words)
            tokens = st.doc.sentences[s].tokens
            raw_start = _span(st, s, name_from, end, n if keep else 0)[0]
            raw = st.doc.text[raw_start:tokens[end - 1].end]
            aff = None
            # "ولاية راجستان الهندية": the nisba after the name gives the country.
            nxt = st.starting(s, end)
            if nxt is not None and nxt.form == "nisba" and st.type_of(nxt.ids[0]) == "Country":
                aff = nxt.ids[0]
                nxt.nested = True
                end = nxt.j
            if ident not in st.minted:
                st.minted[ident] = Entity(ident, "", raw, typ, None, aff, None, [])
            start, stop = _span(st, s, i, end, n)
            st.add(_Cand(s, i, end, start, stop, [ident], "gazetteer", "name", typ, tuple(words)))


def _type_ner_place(st: _State, c: _Cand, s: int, i: int, n: int, typ: str, keep: bool) -> None:
    """NER found the name after a place word ("مخيم [أبو شوك]"): the word types it (and names a facility)."""
    old = st.minted[c.ids[0]]
    words = [st.norms[s][x] for x in range(i if keep else c.i, c.j)]
    if keep and n:
        words[0] = words[0][n:]
    ident = "ar:" + "_".join(words)
    raw_start = _span(st, s, i, c.j, n)[0] if keep else c.start
    if ident not in st.minted:
        st.minted[ident] = Entity(ident, "", st.doc.text[raw_start:c.end], typ, None, old.affiliation, None, [])
    c.ids = [ident]
    c.i, c.start = i, _span(st, s, i, c.j, n)[0]


def _sentence_of(doc: Document, offset: int) -> int | None:
    for k, sent in enumerate(doc.sentences):
        if sent.start <= offset < sent.end:
            return k
    return None


def _extend_prefixes(st: _State) -> None:
    """Grow a country over "دولة/جمهورية ..." and a person over honorifics before it."""
    for c in st.cands:
        if not c.alive:
            continue
        typ = st.type_of(c.ids[0])
        if (typ == "Country" and c.i > 0 and c.form == "name"
                and key_of(st.norms[c.sent][c.i - 1]) in st.gaz.country_prefixes
                and st.covering(c.sent, c.i - 1) is None):
            c.i -= 1
            c.start = st.doc.sentences[c.sent].tokens[c.i].start
        if typ == "Person":
            moved = True
            while moved and c.i > 0:
                moved = False
                for back in (4, 3, 2, 1):
                    a = c.i - back
                    if a < 0 or any(st.covering(c.sent, k) is not None for k in range(a, c.i)):
                        continue
                    if _honorific_len(st, c.sent, a) == back:
                        # A title word as honorific ("الرئيس") only right before a name.
                        c.i = a
                        c.start = st.doc.sentences[c.sent].tokens[a].start
                        moved = True
                        break


# --------------------------------------------------------------------------- context helpers


def _role_of(st: _State, ident: str) -> str | None:
    if ident in st.roles:
        return st.roles[ident][0]
    o = st.gaz.office_of(ident, st.date) if st.date else None
    o = o or st.gaz.last_office(ident, st.date)
    return o.role if o else None


def _roles_of(st: _State, ident: str) -> list[str]:
    """Every role a person holds at the article date (foreign minister first)."""
    if ident in st.roles:
        return [r for r in (st.roles[ident][0],) if r]
    actor = st.gaz.actors.get(ident)
    if actor is None:
        return []
    offices = [o for o in actor.offices if st.date is None or o.covers(st.date)]
    if not offices:
        last = st.gaz.last_office(ident, st.date)
        offices = [last] if last else []
    roles = sorted({o.role for o in offices}, key=lambda r: (r != "foreign_minister", r))
    return roles


def _country_of(st: _State, ident: str) -> str | None:
    """The country (or organization) an entity acts for; itself for a country."""
    if ident in st.roles:
        return st.roles[ident][1]
    a = st.gaz.actors.get(ident)
    if a is None:
        return None
    if a.type == "Country":
        return a.id
    if a.type == "Person":
        o = st.gaz.office_of(ident, st.date) if st.date else None
        o = o or st.gaz.last_office(ident, st.date)
        return o.of if o else a.affiliation
    return a.affiliation


def _before(st: _State, s: int, i: int) -> list[_Cand]:
    """Live candidates that end before token ``i`` of sentence ``s``, nearest first."""
    out = [c for c in st.cands if c.alive and (c.sent < s or (c.sent == s and c.j <= i))]
    out.sort(key=lambda c: (c.sent, c.j, c.i), reverse=True)
    return out


def _holds(st: _State, ident: str, roles: set[str], of: str | None) -> bool:
    """Whether ``ident`` is a person holding one of ``roles`` (any when empty) for ``of`` at the article's date."""
    if st.type_of(ident) != "Person":
        return False
    if ident in st.roles:
        r, o = st.roles[ident]
        return (r in roles or not roles) and (of is None or o == of)
    actor = st.gaz.actors.get(ident)
    if actor is None:
        return False
    for off in actor.offices:
        if off.role in roles and (of is None or off.of == of) and (
                st.date is None or off.start is None or off.covers(st.date)):
            return True
    return False


def _persons_holding(st: _State, roles: Iterable[str], of: str | None, s: int, i: int) -> str | None:
    """The nearest person of the article (before, else after) holding one of ``roles`` for ``of``."""
    wanted = set(roles)
    for c in _before(st, s, i):
        for ident in c.ids:
            if _holds(st, ident, wanted, of):
                return ident
    for c in st.alive():
        if (c.sent, c.i) > (s, i):
            for ident in c.ids:
                if _holds(st, ident, wanted, of):
                    return ident
    return None


def _resolve_pairs(st: _State, pairs: list[tuple[str, str]], s: int, i: int) -> str | None:
    """The first (role, of) office of ``pairs`` that a person of the article or the date fills."""
    for role, of in pairs:
        hit = _persons_holding(st, [role], of, s, i)
        if hit:
            return hit
    for role, of in pairs:
        o = st.gaz.holder(role, of, st.date)
        if o is not None:
            return o.person
    return None


def _resolve_office(st: _State, roles: Iterable[str], of: str, s: int, i: int) -> str | None:
    roles = list(roles)
    hit = _persons_holding(st, roles, of, s, i)
    if hit:
        return hit
    for r in roles:
        o = st.gaz.holder(r, of, st.date)
        if o is not None:
            return o.person
    return None


# --------------------------------------------------------------------------- bodies and head nouns


def _dateline_country(st: _State) -> str | None:
    """The country of the dateline city ("القاهرة، 14 مايو ...") if any."""
    for s in range(min(3, len(st.doc.sentences))):
        c = st.starting(s, 0)
        if c is not None and c.j < len(st.norms[s]) and st.norms[s][c.j] in ("،", ",", "-", "–"):
            return _country_of(st, c.ids[0])
    return None


def _bare_bodies(st: _State) -> None:
    """"وزارة الخارجية" with no country after it: the ministry of the context's country."""
    for s, norms in enumerate(st.norms):
        if not _FOREIGN_TEST.any_in(norms):
            continue
        for i in range(len(norms) - 1):
            # The words first, the candidates' coverage after: most tokens fail the cheap test.
            if key_of(norms[i]) != "وزاره" or key_of(norms[i + 1]) != "خارجيه":
                continue
            if st.covering(s, i) is not None or st.covering(s, i + 1) is not None:
                continue
            country = None
            nxt = st.starting(s, i + 2)
            if nxt is not None and st.type_of(nxt.ids[0]) in ("City", "Country"):
                country = _country_of(st, nxt.ids[0])
            if country is None:
                hit = _persons_holding(st, ("foreign_minister", "mfa_spokesperson"), None, s, i)
                near = [c for c in _before(st, s, i) if c.sent == s and hit in c.ids]
                if near and hit is not None:
                    country = _country_of(st, hit)
            country = country or _dateline_country(st)
            if country is None:
                hit = _persons_holding(st, ("foreign_minister",), None, s, i)
                country = _country_of(st, hit) if hit else None
            actor = st.gaz.actors.get(country or "")
            body = actor.bodies.get("MFA") if actor else None
            if body:
                start, end = _span(st, s, i, i + 2, _clitic_len(norms[i], "وزاره"))
                st.add(_Cand(s, i, i + 2, start, end, [body], "coref", "name", "GovernmentBody"))


def _foreign(norm: str) -> bool | None:
    return key_of(norm) == "خارجيه" or None


#: "الخارجية": the word without which no sentence has a bare "وزارة الخارجية".
_FOREIGN_TEST: WordTest[bool] = WordTest(_foreign)


def _clitic_len(norm: str, key: str) -> int:
    """Characters of proclitics before the (article-less) ``key`` in ``norm``."""
    k = norm.find(key)
    if k <= 0:
        return 0
    pre = norm[:k]
    if pre.endswith("ال"):
        pre = pre[:-2]
    return len(pre) if _PROCLITICS.fullmatch(pre) else 0


def _definite(norm: str) -> bool:
    return bool(_DEFINITE.match(norm))


def _head_key(heads: dict[str, list[str]], norm: str) -> str | None:
    """The head noun ("قطاع") a definite word ("والقطاع") is, if any."""
    if not _definite(norm):
        return None
    for k in (key_of(norm), *[x for x, _ in _keys_no_clitic(norm)]):
        if k in heads:
            return k
    return None


def _head_nouns(st: _State) -> None:
    """"القطاع", "الاتحاد", "المنظمة": the last entity named with that head noun."""
    heads: WordTest[str] = _word_test(st.gaz, "heads", partial(_head_key, st.gaz.heads))
    for s, norms in enumerate(st.norms):
        if not heads.any_in(norms):
            continue
        for i, norm in enumerate(norms):
            key = heads.get(norm)
            if key is None or st.covering(s, i) is not None:  # coverage last: the costlier test
                continue
            if i + 1 < len(norms) and _definite(norms[i + 1]) and st.covering(s, i + 1) is None:
                continue  # "المجلس الوطني": an adjective makes it another name
            targets = set(st.gaz.heads[key])
            for c in _before(st, s, i):
                if c.ids and c.ids[0] in targets:
                    start, end = _span(st, s, i, i + 1, _clitic_len(norm, key))
                    st.add(_Cand(s, i, i + 1, start, end, [c.ids[0]], "coref", "name",
                                          st.type_of(c.ids[0])))
                    break


def _keys_no_clitic(norm: str) -> list[tuple[str, int]]:
    m = _CLITIC_DEF_REST.match(norm)
    return [(m.group(3), len(m.group(1)) + 1)] if m else []


# --------------------------------------------------------------------------- titles


def _ref_after(st: _State, s: int, k: int, needs: str) -> _Cand | None:
    """The country / organization / body mention a title governs, at token ``k``."""
    norms = st.norms[s]
    if k >= len(norms):
        return None
    c = st.starting(s, k)
    if c is None and needs in ("org", "body") and norms[k] in ("في", "لدي", "بـ") and k + 1 < len(norms):
        c = st.starting(s, k + 1)
    if c is None or not c.ids:
        return None
    typ = st.type_of(c.ids[0])
    if needs == "country" and (typ == "Country" or (typ == "GovernmentBody" and c.form == "name"
                                                    and _country_of(st, c.ids[0]) is not None)):
        return c
    if needs == "org" and typ in ("Organization", "GovernmentBody", "Country"):
        return c
    if needs == "body" and typ in ("GovernmentBody", "Person", "Organization"):
        return c
    return None


def _spokes_role(st: _State, ref: _Cand) -> list[tuple[str, str]]:
    """The spokesperson offices "المتحدث باسم <ref>" may denote, as (role, of) pairs."""
    ident = ref.ids[0]
    typ = st.type_of(ident)
    if typ == "Person":
        role = _role_of(st, ident)
        of = _country_of(st, ident)
        if of is None:
            return []
        if role == "secretary_general":
            return [("sg_spokesperson", of)]
        if role in _LEADER_ROLES:
            return [("presidential_spokesperson", of)]
        if role == "foreign_minister":
            return [("mfa_spokesperson", of)]
        return []
    actor = st.gaz.actors.get(ident)
    of = actor.affiliation if actor else None
    country = st.gaz.actors.get(of or "")
    if country is not None and country.bodies.get("MFA") == ident:
        return [("mfa_spokesperson", country.id)]
    if country is not None and (country.bodies.get("Presidency") == ident or ident == "X:White_House"):
        return [("presidential_spokesperson", country.id)]
    if country is not None and country.bodies.get("Army") == ident:
        return [("military_spokesperson", country.id)]
    if typ == "Organization":
        pairs = [("sg_spokesperson", ident), ("military_spokesperson", ident)]
        return pairs + ([("military_spokesperson", of)] if of else [])
    return []


def _person_after(st: _State, s: int, k: int) -> _Cand | None:
    norms = st.norms[s]
    while k < len(norms) and norms[k] in _SPOKES_SKIP:
        k += 1
    for at in (k, k + _honorific_len(st, s, k)):
        c = st.starting(s, at)
        if c is not None and c.ids and st.type_of(c.ids[0]) == "Person":
            return c
    return None


def _title_start(gaz: Gazetteer, norm: str) -> tuple[bool] | None:
    """Whether a title, counterpart or capital word may start at a word; with whether a title of the dictionary may."""
    may_title = match_starts((norm,), gaz.titles)[0]
    return (may_title,) if may_title or any(_title_word(gaz.capital_words, norm)) else None


def _titles(st: _State) -> None:
    starts: WordTest[tuple[bool]] = _word_test(st.gaz, "titles", partial(_title_start, st.gaz))
    for s, norms in enumerate(st.norms):
        if not starts.any_in(norms):
            continue
        i = 0
        while i < len(norms):
            # The word tests of _title_here first: most words are no title,
            # counterpart or capital word, and a call per word cost linking 5 %.
            hit = starts.get(norms[i])
            if hit is None:
                i += 1
                continue
            step = _title_here(st, s, i, hit[0])
            i += max(step, 1)


def _title_here(st: _State, s: int, i: int, may_title: bool = True) -> int:
    """Resolve a title, counterpart or capital word at token ``i``; returns the tokens to skip.

    ``may_title`` False says no title of the dictionary starts here
    (:func:`match_starts`), which spares the lookup.
    """
    norms = st.norms[s]
    bare, key, bare_key = _title_keys(norms[i])
    counterpart, capital = _title_word(st.gaz.capital_words, norms[i])
    if not (counterpart or capital or may_title):
        return 1  # nothing can start here (asked before coverage, the costlier test: same steps)
    cov = st.covering(s, i)
    if cov is not None:
        return cov.j - i
    if counterpart or capital:
        k, n, titles = 1, (len(norms[i]) - len(bare) if key != bare_key else 0), []
    else:
        k, n, titles = _title_at(st, s, i)
        if not k:
            return 1
    end = i + k
    # A body that starts inside the title ("وزيرة الخارجية الألمانية") gives its country.
    ref = None
    inner = None
    for x in range(i + 1, end):
        c = st.starting(s, x)
        if c is not None and c.j > end and st.type_of(c.ids[0]) == "GovernmentBody":
            inner = ref = c
            end = c.j
            break
    step = _title_body(st, s, i, k, n, titles, counterpart, capital, ref, end)
    if inner is not None and step >= inner.j - i and _created_over(st, s, i, inner.j):
        # "وزيرة الخارجية الألمانية" names a minister, not the ministry; but
        # "قائد الإدارة السورية الجديدة" still names the administration.
        ministerial = bool(titles) and bool(set(titles[0].roles) & (_MINISTER_ROLES | {"mfa_spokesperson"}))
        if ministerial:
            inner.alive = False
        else:
            inner.nested = True
    return step


def _title_word(capital_words: frozenset[str], norm: str) -> tuple[bool, bool]:
    """Whether a word is a counterpart word ("نظيره") and whether a capital word ("العاصمة")."""
    _, key, bare_key = _title_keys(norm)
    return (key in _COUNTERPARTS or bare_key in _COUNTERPARTS), (key in capital_words or bare_key in capital_words)


@lru_cache(maxsize=1 << 16)
def _title_keys(norm: str) -> tuple[str, str, str]:
    """A token without its leading proclitics, and the matching keys of both (memoized: asked of every token)."""
    bare = _PROCLITICS.sub("", norm, count=1) if len(norm) > 4 else norm  # the pattern always matches at 0
    return bare, key_of(norm), key_of(bare)


def _created_over(st: _State, s: int, i: int, j: int) -> bool:
    """Whether a person mention now spans tokens ``i`` to ``j``."""
    return any(c.alive and c.sent == s and c.i == i and c.j >= j and st.type_of(c.ids[0]) == "Person"
               for c in st.cands)


def _title_body(st: _State, s: int, i: int, k: int, n: int, titles: list, counterpart: bool, capital: bool,
                ref: _Cand | None, end: int) -> int:
    norms = st.norms[s]
    title = titles[0] if titles else None
    needs = "country" if (counterpart or capital or title is None) else title.needs
    if ref is None and needs != "none":
        ref = _ref_after(st, s, end, needs)
    if ref is None and title is not None and end < len(norms) and norms[end] in ("باسمه", "باسمها") and set(
            title.bare) & {"mfa_spokesperson", "sg_spokesperson"}:
        # "المتحدث باسمه": the spokesperson of the person just named.
        prev = next((c for c in _before(st, s, i) if c.ids and st.type_of(c.ids[0]) == "Person"), None)
        spokes = _spokes_role(st, prev) if prev is not None else []
        person = _person_after(st, s, end)
        start, _ = _span(st, s, i, i + 1, n)
        if person is not None:
            person.i, person.start = i, start
            return person.j - i
        pid = _resolve_pairs(st, spokes, s, i) if spokes else None
        if pid is not None:
            _, e = _span(st, s, i, end + 1)
            st.add(_Cand(s, i, end + 1, start, e, [pid], "coref", "title", "Person"))
        return end + 1 - i
    if capital:
        if ref is None:
            return 1
        country = _country_of(st, ref.ids[0])
        nxt = st.starting(s, ref.j)
        if nxt is not None and st.type_of(nxt.ids[0]) == "City":
            nxt.i, nxt.start = i, st.doc.sentences[s].tokens[i].start
            ref.nested = True
            return nxt.j - i
        cap = st.gaz.actors[country].capital if country in st.gaz.actors else None
        if cap:
            start, end2 = _span(st, s, i, ref.j, _clitic_len(norms[i], "عاصمه"))
            st.add(_Cand(s, i, ref.j, start, end2, [cap], "gazetteer", "name", "City"))
            ref.nested = True
        return ref.j - i
    roles: list[str] = list(title.roles) if title else []
    of: str | None = None
    pairs: list[tuple[str, str]] = []
    if ref is not None:
        if needs == "body":
            pairs = _spokes_role(st, ref)
            if pairs:
                roles, of = [pairs[0][0]], pairs[0][1]
        else:
            of = _country_of(st, ref.ids[0]) if st.type_of(ref.ids[0]) != "Organization" else ref.ids[0]
    elif title is not None and title.country:
        of = title.country
    if counterpart:
        subj = next((c.ids[0] for c in _before(st, s, i) if c.ids and st.type_of(c.ids[0]) == "Person"), None)
        roles = _roles_of(st, subj) if subj else []
        roles = roles or ["foreign_minister"]
    if not pairs and of is not None:
        pairs = [(r, of) for r in roles]
    after = ref.j if ref is not None else end
    not_current = after < len(norms) and norms[after] in _NOT_CURRENT
    person = _person_after(st, s, after + not_current)
    if person is None and after + not_current < len(norms) and st.covering(s, after + not_current) is None:
        # An unknown name after the title ("الرئيس الأمريكي جيمي كارتر"): not the date's holder.
        next_word = norms[after + not_current]
        not_current = not_current or next_word in st.gaz.first_names
    start, _ = _span(st, s, i, i + 1, n or _clitic_len(norms[i], key_of(norms[i])))
    if person is not None:
        # Title + name: the person, the mention grows over the title.
        if ref is not None:
            ref.nested = True
        person.i, person.start = i, start
        pid = person.ids[0]
        if pid in st.minted and roles and of and not not_current:
            role_en = st.gaz.role_names.get(roles[0], roles[0]).replace("{of}", _label_en(st, of))
            st.roles[pid] = (roles[0], of)
            st.minted[pid].role, st.minted[pid].affiliation = role_en, of
        return person.j - i
    if not_current:
        return after - i  # a former / designate holder: no date lookup
    if ref is not None and pairs:
        pid = _resolve_pairs(st, pairs, s, i)
        if pid is not None:
            ref.nested = True
            _, e = _span(st, s, i, ref.j)
            st.add(_Cand(s, i, ref.j, start, e, [pid], "gazetteer", "title", "Person"))
            return ref.j - i
        return ref.j - i
    if title is not None and title.country and roles and ref is None:
        pid = _resolve_office(st, roles, title.country, s, i)
        if pid is not None:
            _, e = _span(st, s, i, end)
            st.add(_Cand(s, i, end, start, e, [pid], "gazetteer", "title", "Person"))
        return end - i
    # A bare definite title ("الوزير", "وزير الخارجية", "الرئيس") refers back.
    nxt_adj = end < len(norms) and _definite(norms[end]) and st.covering(s, end) is None
    if i > 0 and end < len(norms) and st.doc.sentences[s].tokens[i - 1].text.endswith("ة") and not _definite(
            norms[end]) and norms[end] not in _STOP and norms[end] not in _PUNCT and st.covering(s, end) is None:
        nxt_adj = True  # "قاعدة الملك خالد": a title in the name of an institution
    if title is not None and title.bare and ref is None and _definite(norms[end - 1]) and not nxt_adj:
        # ("الرئيس التنفيذي", "الوزير المفوض": an adjective makes it another office.)
        pid = _appositive(st, s, end, title.bare) or _persons_holding(st, title.bare, None, s, i)
        if pid is not None:
            _, e = _span(st, s, i, end)
            st.add(_Cand(s, i, end, start, e, [pid], "coref", "title", "Person"))
        return end - i
    return k


def _appositive(st: _State, s: int, k: int, roles: Iterable[str], window: int = 8) -> str | None:
    """A person named a few words after a bare title ("وزير الخارجية والهجرة ... بدر عبد العاطي")."""
    roles = set(roles)
    for x in range(k, min(k + window, len(st.norms[s]))):
        if st.norms[s][x] in _PUNCT:
            return None
        c = st.starting(s, x)
        if c is None:
            continue
        ident = c.ids[0]
        if st.type_of(ident) == "Person":
            return ident if set(_roles_of(st, ident)) & roles else None
    return None


def _label_en(st: _State, ident: str) -> str:
    a = st.gaz.actors.get(ident)
    return a.label_en if a else ident


# --------------------------------------------------------------------------- coreference


def _distinct(st: _State, s: int, i: int, want, key, window: int = 3) -> list[str]:
    """The two nearest distinct entities before token ``i`` passing ``want``."""
    out: list[str] = []
    seen: set[str] = set()
    for c in _before(st, s, i):
        if s - c.sent > window:
            break
        for ident in c.ids:
            if not want(ident):
                continue
            kk = key(ident)
            if kk is None or kk in seen:
                continue
            seen.add(kk)
            out.append(ident)
            if len(out) == 2:
                return out
    return out


_PARTICLES = {"ان", "لكن", "بينما", "فيما", "حين", "كما", "اما", "لان", "بان", "وان", "فان"}


def _latter_is_subject(prev: str, feminine: bool, raw_prev: str = "") -> bool:
    """"ترفضه الأخيرة" / "عودة الأخير" (the latter) vs "جولته الأخيرة" (his last tour).

    The pronoun reading follows a verb, a particle or a noun in the construct
    state (written with ة: "عودة الأخير" = the latter's return); the adjective
    follows a definite noun or a noun with a possessive pronoun.
    """
    if not prev or prev in _PUNCT or _definite(prev):
        return False
    core = prev[1:] if prev[:1] in ("و", "ف") and len(prev) > 3 else prev
    if core in _PARTICLES or raw_prev.endswith("ة"):
        return True
    if core.endswith(("اته", "اتها", "اتهم", "اتنا")):
        return False
    if feminine:
        return core.startswith(("ت", "ي", "ن")) or core.endswith("ت")
    return not core.endswith(("ه", "ها", "هم")) or core.startswith(("ي", "ت"))


def _is_person(st: _State, x: str) -> bool:
    return st.type_of(x) == "Person"


def _is_actor(st: _State, x: str) -> bool:
    return st.type_of(x) in ("Person", "Country", "GovernmentBody", "Organization")


def _is_country(st: _State, x: str) -> bool:
    return st.type_of(x) == "Country"


def _coreference(st: _State) -> None:
    # Predicates and keys are module functions bound to the state, not
    # closures that call each other: compiled (setup.py), such closures are
    # reference cycles that would keep each article's state until a GC pass.
    is_person = partial(_is_person, st)
    is_actor = partial(_is_actor, st)
    is_country = partial(_is_country, st)
    for s, norms in enumerate(st.norms):
        if not _COREF_TEST.any_in(norms):
            continue
        for i, norm in enumerate(norms):
            keys = _COREF_TEST.get(norm)
            if keys is None or st.covering(s, i) is not None:
                continue
            ids: list[str] = []
            if keys & _PLURAL_MINISTERS:
                ids = _distinct(st, s, i, lambda x: is_person(x) and (_role_of(st, x) in _MINISTER_ROLES),
                                lambda x: x)
            elif keys & _PLURAL_LEADERS:
                ids = _distinct(st, s, i, lambda x: is_person(x) and (_role_of(st, x) in _LEADER_ROLES),
                                lambda x: x)
            elif keys & _PLURAL_ACTORS:
                ids = _distinct(st, s, i, is_person, lambda x: _country_of(st, x) or x)
                if len(ids) < 2:
                    ids = _distinct(st, s, i, is_actor, lambda x: _country_of(st, x) or x)
            elif keys & _PLURAL_COUNTRIES:
                persons = _distinct(st, s, i, is_person, lambda x: _country_of(st, x) or x)
                countries = [_country_of(st, p) for p in persons]
                ids = [c for c in countries if c and is_country(c)]
                if len(ids) < 2:
                    ids = _distinct(st, s, i, lambda x: st.type_of(x) in ("Country", "City"),
                                    lambda x: _country_of(st, x) or x)
                    ids = [x if is_country(x) else (_country_of(st, x) or x) for x in ids]
            elif (keys & _LATTER_F or keys & _LATTER_M) and _definite(norm):
                prev = norms[i - 1] if i > 0 else ""
                raw_prev = st.doc.sentences[s].tokens[i - 1].text if i > 0 else ""
                if not _latter_is_subject(prev, bool(keys & _LATTER_F), raw_prev) or st.covering(s, i - 1) is not None:
                    continue
                want = is_person if keys & _LATTER_M else (lambda x: st.type_of(x) in (
                    "Country", "City", "Organization", "GovernmentBody"))
                ids = _distinct(st, s, i, want, lambda x: x, window=1)[:1]
            if len(ids) >= 1 and (len(ids) == 2 or keys & (_LATTER_F | _LATTER_M)):
                start, end = _span(st, s, i, i + 1, _clitic_len(norm, min(keys)))
                st.add(_Cand(s, i, i + 1, start, end, ids, "coref", "plural", st.type_of(ids[0])))


_COREF_WORDS = frozenset(
    _PLURAL_MINISTERS | _PLURAL_LEADERS | _PLURAL_ACTORS | _PLURAL_COUNTRIES | _LATTER_F | _LATTER_M
)


def _coref_keys(norm: str) -> frozenset[str] | None:
    """The coreference words ("البلدين", "الأخير" ...) a token is, article and clitics aside (None: none)."""
    return frozenset(({key_of(norm)} | {k for k, _ in _keys_no_clitic(norm)}) & _COREF_WORDS) or None


#: Asked of every sentence; almost every word is no coreference word.
_COREF_TEST: WordTest[frozenset[str]] = WordTest(_coref_keys)


# --------------------------------------------------------------------------- output


def _entity(gaz: Gazetteer, actor: Actor, on: dt.date | None) -> Entity:
    role = None
    aff = actor.affiliation
    if actor.type == "Person":
        office = gaz.office_of(actor.id, on) if on else gaz.office_of(actor.id, None)
        if office is not None:
            role, aff = gaz.role_title(office), office.of
        else:
            last = gaz.last_office(actor.id, on)
            aff = last.of if last else aff
    return Entity(actor.id, actor.label_en, actor.label_ar, actor.type, actor.wikidata, aff, role, [])


def _ensure_entity(st: _State, entities: dict[str, Entity], ident: str) -> Entity | None:
    """The entity ``ident`` (and those of its affiliations) added to ``entities`` once.

    A module function, not a recursive closure in :func:`_emit`: such a
    closure is a reference cycle that kept each article's whole linking state
    alive until the garbage collector's next full pass.
    """
    if ident in entities:
        return entities[ident]
    if ident in st.minted:
        ent = st.minted[ident]
    else:
        actor = st.gaz.actors.get(ident)
        if actor is None:
            return None
        ent = _entity(st.gaz, actor, st.date)
    entities[ident] = ent
    if ent.affiliation and ent.affiliation not in entities:
        _ensure_entity(st, entities, ent.affiliation)
    return ent


def _emit(st: _State) -> None:
    doc = st.doc
    mentions: list[Mention] = []
    entities: dict[str, Entity] = {}

    seen: set[tuple[int, int, tuple[str, ...]]] = set()
    for c in st.alive():
        if not c.ids:
            continue
        key = (c.start, c.end, tuple(c.ids))
        if key in seen:
            continue
        seen.add(key)
        ents = [_ensure_entity(st, entities, i) for i in c.ids]
        if any(e is None for e in ents):
            continue
        text = doc.text[c.start:c.end]
        label = c.label if c.source == "ner" else ents[0].type  # type: ignore[union-attr]
        mentions.append(Mention(c.start, c.end, text, label, c.source, doc.sentences[c.sent].index,
                                list(c.ids), 1.0 if c.source != "coref" else 0.8))
        if c.source != "coref":
            for e in ents:
                if e is not None and text not in e.aliases_ar:
                    e.aliases_ar.append(text)
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    doc.mentions = mentions
    doc.entities = entities
