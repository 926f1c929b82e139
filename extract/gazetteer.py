"""The actor dictionary: loaded once, indexed by normalized token sequence.

The data lives in ``data/actors/*.yaml`` (see ``data/actors/README.md``) so an
analyst can extend it without Python.  This module turns it into

* records (:class:`Actor`) for every country, capital, place, organization,
  government body and person, with English and Arabic labels, type, Wikidata
  id, affiliation and dated offices;
* a token-sequence index of every Arabic surface form (names, variants,
  generated nisba adjectives and body names), keyed by the *matching key* of
  each token (normalized, definite article removed) so that one dictionary
  lookup per token finds every candidate and the longest match wins;
* a dated office index answering "who held role R for country C on date D".

Arabic attaches conjunctions, prepositions and the article to the word
(والقاهرة، بقطر، للأمم); :func:`token_keys` lists the keys a text token may
stand for with its proclitics removed, and how many characters they took.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .normalize import normalize, strip_al
from .tokenize import tokenize

__all__ = [
    "Actor",
    "Entry",
    "Gazetteer",
    "Office",
    "Title",
    "DATA_DIR",
    "alias_keys",
    "key_of",
    "load",
    "match_at",
    "match_starts",
    "parse_date",
    "token_keys",
]

#: Where the actor data files live.
DATA_DIR = Path(__file__).parent / "data" / "actors"

# Nisba endings: masculine, feminine (ة → ه after normalization), plural and
# dual, accusative adverbial (عربيا), feminine plural and dual.
_NISBA_SUFFIXES = ("", "ه", "ين", "ون", "ان", "ا", "ات", "تين", "تان")


@dataclass(frozen=True, slots=True)
class Office:
    """One term of office: ``role`` (roles.yaml key) held for ``of`` between two dates."""

    person: str
    role: str
    of: str
    start: dt.date | None = None
    end: dt.date | None = None
    title: str | None = None

    def covers(self, on: dt.date) -> bool:
        """Whether the term includes ``on`` (an open end runs to today)."""
        if self.start is None:
            return False
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(slots=True)
class Actor:
    """A dictionary record; becomes a :class:`~diplograph.extract.model.Entity`."""

    id: str
    label_en: str
    label_ar: str
    type: str
    wikidata: str | None = None
    affiliation: str | None = None
    kind: str = "name"  # country, capital, place, organization, body, person
    aliases: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    not_after: frozenset[str] = frozenset()  # nisba not an actor after these words ("الحدود الغربية")
    prefer: str | None = None  # nisba means this entity when the article names it ("الأوروبية" → EU)
    capital: str | None = None  # for a country: its capital's id
    bodies: dict[str, str] = field(default_factory=dict)  # for a country: body key -> id


@dataclass(frozen=True, slots=True)
class Entry:
    """One indexed surface form: the key sequence and what it names.

    ``form`` says how it names the entity: ``name``, ``nisba`` (an adjective
    of a country or region) or ``weak`` (a name that is also a common word).
    """

    keys: tuple[str, ...]
    id: str
    form: str = "name"
    definite: bool = False  # written with ال: the text must have it too ("القاعدة" ≠ "قاعدة عسكرية")
    generated: bool = False  # from a bodies.yaml template (an explicit entry wins over it)


@dataclass(frozen=True, slots=True)
class Title:
    """A title phrase from roles.yaml."""

    keys: tuple[str, ...]
    roles: tuple[str, ...]
    needs: str
    bare: tuple[str, ...] = ()
    country: str | None = None


@dataclass(slots=True)
class Gazetteer:
    """Everything the linker needs, built once per process by :func:`load`."""

    actors: dict[str, Actor]
    index: dict[str, list[Entry]]
    titles: dict[str, list[Title]]
    role_names: dict[str, str]
    holders: dict[tuple[str, str], list[Office]]
    honorifics: dict[str, list[tuple[str, ...]]]
    country_prefixes: frozenset[str]
    capital_words: frozenset[str]
    place_words: dict[str, str]
    heads: dict[str, list[str]]
    place_names: dict[str, tuple[str, bool]] = field(default_factory=dict)
    compound_starts: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    #: Per-word tests of the linking passes over this dictionary, remembered
    #: while it lives (:class:`~diplograph.extract.wordsets.WordTest`).
    word_tests: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def holder(self, role: str, of: str, on: dt.date | None) -> Office | None:
        """The term of ``role`` for ``of`` in force on ``on``.

        With several candidates the latest start wins (an open end date is
        ended by the successor's start).  Without a date, the current holder:
        the latest term without an end date.  Terms without any date are used
        only when they are the only ones.
        """
        terms = self.holders.get((role, of), [])
        if not terms:
            return None
        if on is None:
            current = [t for t in terms if t.end is None and t.start is not None]
            if current:
                return max(current, key=lambda t: t.start or dt.date.min)
        else:
            covering = [t for t in terms if t.covers(on)]
            if covering:
                return max(covering, key=lambda t: t.start or dt.date.min)
        undated = [t for t in terms if t.start is None]
        if len(undated) == 1 and (on is None or not any(t.start for t in terms)):
            return undated[0]
        return None

    def office_of(self, person: str, on: dt.date | None) -> Office | None:
        """The office ``person`` held on ``on`` (latest one when no date or none then)."""
        actor = self.actors.get(person)
        if actor is None or not actor.offices:
            return None
        if on is not None:
            covering = [o for o in actor.offices if o.covers(on)]
            if covering:
                return max(covering, key=lambda o: o.start or dt.date.min)
            undated = [o for o in actor.offices if o.start is None]
            return undated[-1] if undated else None
        dated = [o for o in actor.offices if o.start is not None]
        if dated:
            return max(dated, key=lambda o: o.start or dt.date.min)
        return actor.offices[-1]

    def last_office(self, person: str, on: dt.date | None) -> Office | None:
        """The office held on ``on`` or else the latest one before it (or any)."""
        now = self.office_of(person, on)
        if now is not None:
            return now
        actor = self.actors.get(person)
        if actor is None or not actor.offices:
            return None
        before = [o for o in actor.offices if o.start is not None and (on is None or o.start <= on)]
        if before:
            return max(before, key=lambda o: o.start or dt.date.min)
        return actor.offices[0]

    def role_title(self, office: Office) -> str:
        """The English name of an office ("President of United States")."""
        if office.title:
            return office.title
        of = self.actors.get(office.of)
        pattern = self.role_names.get(office.role, office.role)
        name = of.label_en if of else office.of
        return pattern.replace("the {of}", name).replace("{of}", _with_article(of) if of else name)


# --------------------------------------------------------------------------- keys


@lru_cache(maxsize=1 << 16)
def key_of(word: str) -> str:
    """The matching key of one word: normalized, leading ال/لل removed (cached: words repeat)."""
    return strip_al(normalize(word))


@lru_cache(maxsize=1 << 16)
def token_keys(norm: str) -> tuple[tuple[str, int], ...]:
    """Keys a normalized text token may stand for once proclitics are removed.

    Returns ``(key, n)`` pairs, the token itself first, where ``n`` is how
    many normalized characters of proclitics (و ف ب ل ك) were removed; the
    definite article is never counted in ``n`` because it belongs to the name.

    >>> token_keys("والقاهره")[:2]
    (('والقاهره', 0), ('قاهره', 1))
    """
    out: list[tuple[str, int]] = []
    seen: set[str] = set()

    def add(key: str, n: int) -> None:
        if len(key) >= 2 and key not in seen:
            seen.add(key)
            out.append((key, n))

    add(strip_al(norm) if norm.startswith(("ال", "لل")) else norm, 0)
    bases = [(norm, 0)]
    if norm[:1] in ("و", "ف") and len(norm) > 3:
        bases.append((norm[1:], 1))
    for base, n in list(bases):
        if base[:1] in ("ب", "ل", "ك") and len(base) > 3:
            bases.append((base[1:], n + 1))
    for base, n in bases:
        if n:
            add(strip_al(base) if base.startswith(("ال", "لل")) else base, n)
    return tuple(out)


def _nisba_forms(nisba: str) -> list[str]:
    """Every written form of a (possibly multi-word) nisba, ال left to the matcher."""
    words = nisba.split()
    return [" ".join(w + suffix for w in words) for suffix in _NISBA_SUFFIXES]


def _feminine_nisba(nisba: str) -> str:
    """The feminine of a nisba, word by word: قطري → قطرية, كوري جنوبي → كورية جنوبية, جنوب أفريقي → جنوب أفريقية."""
    return " ".join(w + "ة" if w.endswith("ي") else w for w in nisba.split())


def _definite_nisba(nisba: str, feminine: bool = False) -> str:
    """A nisba as it follows a definite noun (the label of a body: "الحكومة القطرية").

    An adjective agrees with its noun in definiteness, so every nisba word
    takes ال ("وزارة الخارجية الكورية الجنوبية"); a compound whose first word
    is a noun takes it once ("الحكومة الجنوب أفريقية").

    >>> _definite_nisba("قطري", feminine=True), _definite_nisba("كوري جنوبي", feminine=True)
    ('القطرية', 'الكورية الجنوبية')
    >>> _definite_nisba("جنوب أفريقي", feminine=True), _definite_nisba("قطري")
    ('الجنوب أفريقية', 'القطري')
    """
    words = (_feminine_nisba(nisba) if feminine else nisba).split()
    adjectival = nisba.split()[0].endswith("ي")
    return " ".join("ال" + w if i == 0 or adjectival else w for i, w in enumerate(words))


def alias_keys(alias: str) -> tuple[str, ...]:
    """The key sequence of a dictionary alias (tokenized like the text)."""
    return tuple(key_of(t.text) for t in tokenize(alias) if t.text.strip())


def _variants(alias: str) -> list[str]:
    """Spelling variants of a name: "عبد الله" / "عبدالله", "أبو ظبي" / "أبوظبي"."""
    out = [alias]
    joined = re.sub(r"\b(عبد|أبو|ابو) (ال)", r"\1\2", alias)
    if joined != alias:
        out.append(joined)
    spaced = re.sub(r"\b(عبد|أبو|ابو)(ال)", r"\1 \2", alias)
    if spaced != alias:
        out.append(spaced)
    return out


def parse_date(value: Any, end: bool = False) -> dt.date | None:
    """Parse a data-file date: a YAML date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    A partial date means its first day as a start and its last day as an end,
    so that a term known to the month covers the whole month.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = int(text[:4]), int(text[5:])
        if not end:
            return dt.date(y, m, 1)
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    raise ValueError(f"not a date: {value!r}")


def _with_article(actor: Actor) -> str:
    """English name as it reads after "of": "the United States", "Qatar"."""
    name = actor.label_en
    if name.isupper() or name.startswith("the "):
        return name
    plural = name.endswith("s") and actor.type == "Country" and name not in ("Mauritius", "Barbados", "Cyprus", "Honduras", "Belarus", "Laos")
    if actor.type in ("Organization", "GovernmentBody") or plural or name.split()[0] in (
        "United", "Republic", "Democratic", "State", "Holy", "Central", "Czech", "Dominican", "Federated"
    ):
        return "the " + name
    return name


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _qid(ident: str) -> str | None:
    return ident if re.fullmatch(r"Q\d+", ident) else None


# --------------------------------------------------------------------------- loading


#: libyaml's parser where PyYAML was built with it (the wheels are): the same
#: safe loading, 7x faster (the dictionary's YAML 0.27 -> 0.04 s at start-up).
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=YAML_LOADER) or {}  # noqa: S506 - a safe loader


def _add_actor(actors: dict[str, Actor], actor: Actor) -> Actor:
    if actor.id in actors:
        old = actors[actor.id]
        old.aliases.extend(a for a in actor.aliases if a not in old.aliases)
        old.heads.extend(h for h in actor.heads if h not in old.heads)
        return old
    actors[actor.id] = actor
    return actor


@cache
def load() -> Gazetteer:
    """Load and index the dictionary once per process.

    Returns
    -------
    Gazetteer
        Cached: later calls return the same object, so linking an article
        costs only dictionary lookups.
    """
    actors: dict[str, Actor] = {}
    entries: list[Entry] = []

    def index(alias: str, ident: str, form: str = "name", generated: bool = False) -> None:
        for variant in _variants(alias):
            keys = alias_keys(variant)
            if keys:
                entries.append(Entry(keys, ident, form, normalize(variant).startswith("ال"), generated))

    # Countries, their capitals and nisbas.
    countries = _read("countries.yaml")["countries"]
    nisbas: dict[str, dict[str, list[str]]] = {}
    for c in countries:
        cid = c.get("id") or "X:" + _slug(c["en"])
        actor = _add_actor(actors, Actor(cid, c["en"], c["ar"], "Country", _qid(cid), None, "country",
                                         list(c.get("alt", [])), list(c.get("heads", []))))
        for alias in [c["ar"], *c.get("alt", [])]:
            index(alias, cid)
        for alias in c.get("weak", []):
            index(alias, cid, "weak")
        nis = [normalize(n) for n in c.get("nisba", [])]
        nisbas[cid] = {"m": nis, "f": [n + "ه" for n in nis], "name": [c["ar"], *c.get("alt", [])],
                       "demonym": [c.get("demonym") or c["en"]]}
        for n in c.get("nisba", []):
            for form in _nisba_forms(n):
                index(form, cid, "nisba")
        for p in c.get("plural", []):
            index(p, cid, "plural")
        cap = c.get("capital")
        if cap:
            capid = cap.get("id") or "X:" + _slug(cap["en"])
            _add_actor(actors, Actor(capid, cap["en"], cap["ar"], "City", _qid(capid), cid, "capital",
                                     list(cap.get("alt", []))))
            actor.capital = capid
            for alias in [cap["ar"], *cap.get("alt", [])]:
                index(alias, capid)

    # Places, organizations, bodies.
    for p in _read("places.yaml")["places"]:
        a = _add_actor(actors, Actor(p["id"], p["en"], p["ar"], p.get("type", "City"), _qid(p["id"]),
                                     p.get("affiliation"), "place", list(p.get("alt", [])), list(p.get("heads", []))))
        form = "weak" if p.get("weak") else "name"
        a.not_after = frozenset(key_of(w) for w in p.get("not_after", []))
        a.prefer = p.get("prefer")
        for alias in [p["ar"], *p.get("alt", [])]:
            index(alias, a.id, form)
        for n in p.get("nisba", []):
            for f in _nisba_forms(n):
                index(f, a.id, "nisba")
        for n in p.get("plural", []):
            index(n, a.id, "plural")
    for o in _read("organizations.yaml")["organizations"]:
        a = _add_actor(actors, Actor(o["id"], o["en"], o["ar"], o.get("type", "Organization"), _qid(o["id"]),
                                     o.get("affiliation"), "organization", list(o.get("alt", [])),
                                     list(o.get("heads", []))))
        for alias in [o["ar"], *o.get("alt", [])]:
            index(alias, a.id)
        for alias in o.get("weak", []):
            index(alias, a.id, "weak")

    bodies = _read("bodies.yaml")
    overrides = bodies.get("overrides", {}) or {}
    for c in countries:
        cid = c.get("id") or "X:" + _slug(c["en"])
        forms = nisbas[cid]
        for t in bodies["templates"]:
            uses_nisba = any("{nisba" in pat for pat in [t["ar"]])
            if uses_nisba and not forms["m"]:
                continue
            over = (overrides.get(cid) or {}).get(t["key"], {}) or {}
            slug = _slug(c["en"])
            ident = over.get("id") or t["id"].format(slug=slug)
            en = over.get("en") or t["en"].format(en=c["en"], demonym=forms["demonym"][0], slug=slug)
            first = (c.get("nisba") or [""])[0]
            ar = over.get("ar") or t["ar"].format(nisba_m=_definite_nisba(first) if first else "",
                                                  nisba_f=_definite_nisba(first, feminine=True) if first else "",
                                                  name=c["ar"])
            body = actors.get(ident) or _add_actor(actors, Actor(ident, en, ar, t.get("type", "GovernmentBody"),
                                                                 _qid(ident), cid, "body", [], list(t.get("heads", []))))
            actors[cid].bodies[t["key"]] = body.id
            for pat in t["patterns"]:
                if "{nisba" in pat:
                    ms = [n for n in c.get("nisba", [])]
                    for n in ms:
                        index(pat.format(nisba_m=n, nisba_f=_feminine_nisba(n)), body.id, generated=True)
                elif "{name}" in pat:
                    for name in [c["ar"], *c.get("alt", [])]:
                        index(pat.format(name=name), body.id, generated=True)

    # People and their offices.
    holders: dict[tuple[str, str], list[Office]] = defaultdict(list)
    for p in _read("people.yaml")["people"]:
        offices = [Office(p["id"], o["role"], o["of"], parse_date(o.get("start")), parse_date(o.get("end"), end=True),
                          o.get("title")) for o in p.get("offices", [])]
        aff = offices[-1].of if offices else p.get("affiliation")
        a = _add_actor(actors, Actor(p["id"], p["en"], p["ar"], "Person", _qid(p["id"]), aff, "person",
                                     list(p.get("alt", [])), [], list(p.get("short", [])), offices))
        for alias in [p["ar"], *p.get("alt", [])]:
            index(alias, a.id)
            # Egyptian usage writes a foreign g as ج (غوتيريش / جوتيريش).
            if "غ" in alias:
                index(alias.replace("غ", "ج"), a.id)
        for o in offices:
            holders[(o.role, o.of)].append(o)
    # A person's affiliation is the country (or organization) of the latest office.
    for a in actors.values():
        if a.kind == "person" and a.offices:
            dated = [o for o in a.offices if o.start] or a.offices
            a.affiliation = max(dated, key=lambda o: o.start or dt.date.min).of

    idx: dict[str, list[Entry]] = defaultdict(list)
    seen: set[tuple[tuple[str, ...], str, str]] = set()
    for e in sorted(entries, key=lambda e: e.generated):
        if (e.keys, e.id, e.form) in seen:
            continue
        seen.add((e.keys, e.id, e.form))
        idx[e.keys[0]].append(e)
    for lst in idx.values():
        lst.sort(key=lambda e: -len(e.keys))

    roles = _read("roles.yaml")
    titles: dict[str, list[Title]] = defaultdict(list)
    for t in roles["titles"]:
        for phrase in t["ar"]:
            keys = alias_keys(phrase)
            titles[keys[0]].append(Title(keys, tuple(t.get("roles", [])), t.get("needs", "country"),
                                         tuple(t.get("bare", [])), t.get("country")))
    for tlist in titles.values():
        tlist.sort(key=lambda t: -len(t.keys))
    honorifics: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for h in roles.get("honorifics", []):
        keys = alias_keys(h)
        if keys:
            honorifics[keys[0]].append(keys)
    place_words = {key_of(w): typ for typ, ws in roles.get("place_words", {}).items() for w in ws}
    heads: dict[str, list[str]] = defaultdict(list)
    for a in actors.values():
        for h in a.heads:
            heads[key_of(h)].append(a.id)
    return Gazetteer(
        actors=actors,
        index=dict(idx),
        titles=dict(titles),
        role_names={k: v["en"] for k, v in roles["roles"].items()},
        holders=dict(holders),
        honorifics=dict(honorifics),
        country_prefixes=frozenset(key_of(w) for w in roles.get("country_prefixes", [])),
        capital_words=frozenset(key_of(w) for w in roles.get("capital_words", [])),
        place_words=place_words,
        heads=dict(heads),
        place_names={key_of(w): (typ, bool(spec.get("keep_word")))
                     for typ, spec in (roles.get("place_names") or {}).items() for w in spec["words"]},
        compound_starts=frozenset(normalize(w) for w in roles.get("compound_starts", [])),
        first_names=_first_names(roles, actors, honorifics),
    )


def _first_names(roles: dict[str, Any], actors: dict[str, Actor],
                 honorifics: dict[str, list[tuple[str, ...]]]) -> frozenset[str]:
    """Normalized first names: roles.yaml's list and the first word of every person's names."""
    out = {normalize(w) for w in roles.get("first_names", []) if " " not in w}
    for a in actors.values():
        if a.kind != "person":
            continue
        for name in [a.label_ar, *a.aliases]:
            words = normalize(name).split()
            if len(words) >= 2 and strip_al(words[0]) not in honorifics and words[0] not in honorifics:
                out.add(words[0])
    return frozenset(w for w in out if len(w) >= 2)


# --------------------------------------------------------------------------- matching


#: Items of one index key split by length: ``(one-word items, {second key: [(position, item)]})``.
_Split = tuple[list[Any], dict[str, list[tuple[int, Any]]]]
_CANDIDATES: dict[int, tuple[dict[str, list[Any]], dict[str, tuple[tuple[int, _Split, bool], ...]]]] = {}
_SPLITS: dict[int, tuple[list[Any], _Split]] = {}


def _split(items: list[Any]) -> _Split:
    """One key's items as one-word items and longer ones by their second key.

    Why: "وزاره" starts 692 dictionary names (a ministry of every country);
    looking the next word up is one dict access where a scan compared it
    with every name.  Positions keep the index order, which decides ties.
    """
    hit = _SPLITS.get(id(items))
    if hit is None or hit[0] is not items:
        ones: list[Any] = []
        by_next: dict[str, list[tuple[int, Any]]] = {}
        for pos, item in enumerate(items):
            if len(item.keys) == 1:
                ones.append(item)
            else:
                by_next.setdefault(item.keys[1], []).append((pos, item))
        hit = _SPLITS[id(items)] = (items, (ones, by_next))
    return hit[1]


def _memo(index: dict[str, list[Any]]) -> dict[str, tuple[tuple[int, _Split, bool], ...]]:
    """The per-token memo of :func:`_candidates` for ``index`` (kept while the index lives)."""
    hit = _CANDIDATES.get(id(index))
    if hit is None or hit[0] is not index:
        hit = _CANDIDATES[id(index)] = (index, {})
    return hit[1]


def _candidates(norm: str, index: dict[str, list[Any]]) -> tuple[tuple[int, _Split, bool], ...]:
    """The index entries a token may start, as ``(proclitic chars, items split, definite)``.

    Memoized per index and token (an index is built once, when the dictionary
    loads): most tokens start nothing, and one dict lookup says so.
    """
    memo = _memo(index)
    found = memo.get(norm)
    if found is None:
        found = tuple(
            (n, _split(items), norm[n:].startswith("ال") or norm[max(n - 1, 0) :].startswith("لل"))
            for key, n in token_keys(norm)
            if (items := index.get(key))
        )
        if len(memo) < 1 << 17:
            memo[norm] = found
    return found


def match_starts(norms: Sequence[str], index: dict[str, list[Any]]) -> list[bool]:
    """For each token of a sentence, whether an ``index`` entry may start there.

    Why: a pass asks :func:`match_at` at every token, and nine tokens in ten
    start nothing; one memoized lookup per token says which ones to ask
    (the same answer ``match_at`` would give as "no match", without its call).

    >>> from diplograph.extract.gazetteer import load
    >>> match_starts(["زار", "القاهره"], load().index)
    [False, True]
    """
    memo = _memo(index)
    out = []
    for norm in norms:  # the memo read inline: a call per token here cost linking 6 %
        found = memo.get(norm)
        out.append(bool(found if found is not None else _candidates(norm, index)))
    return out


def match_at(norms: Sequence[str], i: int, index: dict[str, list[Any]]) -> tuple[int, int, list[Any]]:
    """Longest dictionary match starting at token ``i``.

    Parameters
    ----------
    norms : sequence of str
        The normalized tokens of a sentence.
    i : int
        Where the match must start; the first token may carry proclitics.
    index : dict
        :attr:`Gazetteer.index` or :attr:`Gazetteer.titles` (items have ``keys``).

    Returns
    -------
    (int, int, list)
        Number of tokens matched (0 when nothing), normalized characters of
        proclitics on the first token, and the items matched at that length.
    """
    best_len, best_n, best = 0, 0, []
    n_tok = len(norms)
    for n, (ones, by_next), definite in _candidates(norms[i], index):
        longer: list[tuple[int, Any]] = []
        if by_next and i + 1 < n_tok:
            w = norms[i + 1]
            kw = key_of(w)
            longer = by_next.get(w, [])
            if kw != w and (more := by_next.get(kw)):
                longer = sorted(longer + more, key=lambda pi: pi[0]) if longer else more
        for item in [it for _, it in longer] + ones:  # index order: longest first
            keys = item.keys
            k = len(keys)
            if k < best_len or i + k > n_tok or (getattr(item, "definite", False) and not definite):
                continue
            for j in range(2, k):  # the second word matched already, by the lookup
                w = norms[i + j]
                if w != keys[j] and key_of(w) != keys[j]:
                    break
            else:
                if k > best_len or (k == best_len and n < best_n):
                    best_len, best_n, best = k, n, [item]
                elif k == best_len and n == best_n and item not in best:
                    best.append(item)
    return best_len, best_n, best
