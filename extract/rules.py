"""Rule-based event extraction: triggers, argument frames, status and time.

Knowledge lives in two data files beside this module, so an analyst can read
and extend it without Python:

* ``data/triggers.tsv`` — the trigger lexicon: words (verbs with their
  agreement and future forms generated, masdars with clitics and possessives
  generated, participles and multi-word phrases) mapped to an event type and
  an argument *frame*;
* ``data/rules.jsonl`` — argument frames, one pattern per line with an id
  (the shape of spaCy's EntityRuler / DependencyMatcher pattern files): for
  each role, the syntactic slots to try in order (subject, object, the
  mention after a preposition, the genitive of a masdar, the parties of
  ``بين ... و``, the subject carried from context ...).

The engine works on the mentions that linking resolved to entities.  Arabic
word order is handled without a parser: a verb's subject is the first actor
after it (VSO) or the nearest before it (SVO); prepositions, separate or
attached as clitics (بالقاهرة، لقطر), mark roles; coordination (قطر ومصر
والولايات المتحدة) fills a role with several entities; a subject left out
("وأكد") is carried from the previous event.  Negation ("لم يلتق"، "نفى")
suppresses an event, modality and the future ("من المقرر أن يزور"، "سيزور")
make it planned, and a question is never an event.  Every event records the
rule that produced it and a confidence that reflects how much of the pattern
matched; the same event stated twice in an article is one event with two
evidence spans.
"""

from __future__ import annotations

import csv
import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from .linking import mentions_in
from .model import EVENT_TYPES, SYMMETRIC_TYPES, Document, Entity, Event, Mention, Sentence, TimeValue, Token
from .normalize import normalize

__all__ = [
    "Trigger",
    "Rule",
    "extract_events",
    "find_triggers",
    "load_rules",
    "load_triggers",
    "TRIGGERS_PATH",
    "RULES_PATH",
]

DATA = Path(__file__).resolve().parent / "data"
TRIGGERS_PATH = DATA / "triggers.tsv"
RULES_PATH = DATA / "rules.jsonl"

PLACE_TYPES = frozenset({"City", "Country", "Region", "Facility"})
ACTOR_TYPES = frozenset({"Person", "Country", "Organization", "GovernmentBody", "City", "Other"})
# Words that cannot start an argument search across them.
_PREPOSITIONS = frozenset(
    {"مع", "الي", "علي", "في", "من", "بين", "لدي", "ضد", "عن", "حول", "بشان", "خلال", "عبر", "نحو", "تجاه", "منذ", "بعد", "قبل", "ب", "ل"}
)
_NEGATIONS = frozenset({"لم", "لن", "لا", "ما", "ليس", "ليست", "غير", "دون", "بدون"})
_DENIALS = frozenset({"نفي", "ينفي", "نفت", "تنفي", "ونفي", "ونفت", "فيما نفي", "نافيا", "نافيه"})
_PLANNED = frozenset(
    {
        "المقرر", "يعتزم", "تعتزم", "عزم", "اعتزام", "سوف", "يرتقب", "المرتقب", "المنتظر", "يتوقع",
        "ينوي", "تنوي", "يستعد", "تستعد", "المزمع", "يزمع", "تزمع", "سيقوم", "ستقوم", "سيجري", "ستجري",
        "ستشهد", "سيشهد", "يعتزمان",
    }
)
_LIGHT_VERBS = frozenset(
    {
        "اجري", "يجري", "قام", "يقوم", "اجرت", "تجري", "قامت", "تقوم", "بدا", "بدات", "يبدا", "تبدا", "اختتم",
        "يختتم", "اختتمت", "عقد", "عقدت", "يعقد", "تعقد", "اجراء", "القيام", "لعب", "لعبت", "يلعب", "تلعب",
        "وجه", "وجهت", "يوجه", "توجه", "اعاد", "اعادت", "يعيد", "تعيد", "اصدر", "اصدرت", "يصدر", "تصدر",
        "ابدي", "ابدت", "يبدي", "تبدي", "اعرب", "اعربت", "يعرب", "تعرب", "جدد", "جددت", "يجدد", "تجدد",
    }
)
_AGREEMENT_WORDS = ("اتفاق", "اتفاقيه", "اتفاقيات", "مذكره", "مذكرات", "معاهده", "اعلان", "وثيقه", "بروتوكول", "ميثاق", "هدنه", "اتفاقا", "صفقه")
_CONJ = frozenset({"و", "،", ","})
_DELEGATION_VERBS = frozenset(
    normalize(w) for w in ("مثل", "يمثل", "مثلت", "تمثل", "ترأس", "يترأس", "ترأست", "تترأس", "رأس", "يرأس", "قاد", "يقود", "ترأسا")
)
_WINDOW = 14


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Trigger:
    """One lexicon entry (a line of ``triggers.tsv``)."""

    id: str
    type: str
    pos: str
    frame: str
    note: str = ""


@dataclass(frozen=True)
class Rule:
    """One argument frame pattern (a line of ``rules.jsonl``)."""

    id: str
    frame: str
    actor: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    confidence: float = 0.7
    split_plural: bool = False
    need_plural: bool = False
    only_if_alone: bool = False


@dataclass
class _Lexicon:
    words: dict[str, list[tuple[Trigger, str]]] = field(default_factory=dict)  # form -> (trigger, tense)
    noun_bases: set[str] = field(default_factory=set)  # nouns as listed (زياره، هدنه), before suffixes
    phrases: list[tuple[Trigger, list[frozenset[str]]]] = field(default_factory=list)


_VERB_CONJ = ("و", "ف", "")
_NOUN_PREP = ("ب", "ل", "ك", "")
_OBJ_SUFFIX = ("", "ه", "ها", "هم", "هما", "هن", "كم", "نا")
_POSS = ("ه", "ها", "هم", "هما", "ي", "نا", "كم")


def _verb_forms(past: str, present: str | None) -> dict[str, str]:
    """Agreement forms of a verb, each tagged with its tense and, for duals and
    plurals, ``_pl``: in verb–subject order Arabic verbs stay singular, so a
    dual or plural verb has its subject inside it ("ودعتا الفصائل": they both
    called on the factions)."""
    forms: dict[str, str] = {}
    stems_past = {past + s: ("past_pl" if s in ("ا", "تا", "وا") else "past") for s in ("", "ت", "ا", "تا", "وا", "ن", "نا", "تم")}
    if past.endswith("ا") or past.endswith("ي"):
        base = past[:-1]
        stems_past[past] = "past"
        for s in ("ت", "تا", "وا", "ي", "يا"):
            stems_past.setdefault(base + s, "past_pl" if s in ("تا", "وا", "يا") else "past")
    for s, tense in stems_past.items():
        for obj in _OBJ_SUFFIX:
            for c in _VERB_CONJ:
                forms.setdefault(c + s + obj, tense)
    if present and present[0] in "يت":
        core = present[1:]
        stems_pres: dict[str, str] = {}
        for p in ("ي", "ت", "ن", "ا"):
            for s in ("", "ان", "ون", "ين", "ا", "وا", "ن"):
                stems_pres.setdefault(p + core + s, "_pl" if s in ("ان", "ون", "ا", "وا") else "")
        if core.endswith(("و", "ي")):
            for p in ("ي", "ت", "ن"):
                for s in ("ان", "ون", "وا"):
                    stems_pres.setdefault(p + core[:-1] + s, "_pl")
        for s, num in stems_pres.items():
            for obj in _OBJ_SUFFIX:
                for c in _VERB_CONJ:
                    forms.setdefault(c + s + obj, "present" + num)
                    forms.setdefault(c + "س" + s + obj, "future" + num)
                    forms.setdefault(c + "ل" + s + obj, "present" + num)  # لـ + subjunctive (ليزور)
    return forms


def _noun_forms(word: str) -> dict[str, str]:
    stems = {word}
    if word.endswith("ه"):
        base = word[:-1]
        stems |= {base + "ت" + p for p in _POSS} | {base + "تا", base + "تان", base + "تين"}
    else:
        stems |= {word + p for p in _POSS} | {word + "ا", word + "ان", word + "ين"}
    forms: dict[str, str] = {}
    for s in stems:
        for c in _VERB_CONJ:
            for p in _NOUN_PREP:
                forms.setdefault(c + p + s, "noun")
                if p == "ل":
                    forms.setdefault(c + "لل" + s, "noun")
                else:
                    forms.setdefault(c + p + "ال" + s, "noun")
    return forms


def _part_forms(word: str) -> dict[str, str]:
    forms: dict[str, str] = {}
    for s in ("", "ا", "ه", "ين", "ون", "ان", "تان", "تين", "ات"):
        for c in _VERB_CONJ:
            forms.setdefault(c + word + s, "participle")
    return forms


@cache
def load_triggers(path: Path = TRIGGERS_PATH) -> _Lexicon:
    """Read and expand the trigger lexicon (cached per process)."""
    lex = _Lexicon()
    with open(path, encoding="utf-8") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(rows, delimiter="\t")
    stops: set[str] = set()
    for row in reader:
        trig = Trigger(row["id"], row["type"], row["pos"], row["frame"], row.get("note") or "")
        if trig.type not in EVENT_TYPES and trig.pos != "stop":
            raise ValueError(f"{path}: trigger {trig.id}: unknown event type {trig.type}")
        forms = [normalize(f.strip()) for f in row["forms"].split("|") if f.strip()]
        if trig.pos == "phrase":
            for f in forms:
                parts = [frozenset(normalize(a) for a in w.split(",")) for w in f.split()]
                lex.phrases.append((trig, parts))
            continue
        if trig.pos == "stop":
            stops.update(forms)
            continue
        expanded: dict[str, str] = {}
        if trig.pos == "verb":
            past = forms[0]
            present = forms[1] if len(forms) > 1 else None
            expanded = _verb_forms(past, present)
            for extra in forms[2:]:
                expanded.update(_verb_forms(extra, None))
        elif trig.pos == "noun":
            for f in forms:
                expanded.update(_noun_forms(f))
                lex.noun_bases.add(f)
        elif trig.pos == "part":
            for f in forms:
                expanded.update(_part_forms(f))
        else:
            raise ValueError(f"{path}: trigger {trig.id}: unknown pos {trig.pos}")
        for form, tense in expanded.items():
            lex.words.setdefault(form, []).append((trig, tense))
    for stop in stops:
        for c in ("", "و", "ف", "ب", "ل", "وب", "ول"):
            lex.words.pop(c + stop, None)
    lex.phrases.sort(key=lambda tp: -len(tp[1]))
    return lex


@cache
def load_rules(path: Path = RULES_PATH) -> dict[str, list[Rule]]:
    """Read the argument frames, grouped by frame name, in file order."""
    out: dict[str, list[Rule]] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if obj["id"].startswith("_"):
                continue
            try:
                rule = Rule(
                    id=obj["id"],
                    frame=obj["frame"],
                    actor=tuple(obj.get("actor", [])),
                    target=tuple(obj.get("target", [])),
                    place=tuple(obj.get("place", [])),
                    require=tuple(obj.get("require", [])),
                    pos=tuple(obj.get("pos", [])),
                    confidence=float(obj.get("confidence", 0.7)),
                    split_plural=bool(obj.get("split_plural", False)),
                    need_plural=bool(obj.get("need_plural", False)),
                    only_if_alone=bool(obj.get("only_if_alone", False)),
                )
            except KeyError as exc:
                raise ValueError(f"{path}:{lineno}: rule lacks {exc}") from None
            out.setdefault(rule.frame, []).append(rule)
    return out


# --------------------------------------------------------------------------- triggers
@dataclass
class _Hit:
    trigger: Trigger
    tense: str
    first: int  # token index
    last: int  # token index, inclusive
    alts: list[tuple[Trigger, str]] = field(default_factory=list)  # other readings of the same word


def find_triggers(tokens: Sequence[Token]) -> list[_Hit]:
    """Trigger matches in a token list, longest first, not overlapping."""
    lex = load_triggers()
    taken: set[int] = set()
    hits: list[_Hit] = []
    norms = [t.norm for t in tokens]
    # Phrases are looked up by their first word (an index, not a scan of every
    # phrase at every token), then tried in lexicon order as before.
    first = _phrase_index()
    found: set[tuple[int, int]] = set()
    for i, norm in enumerate(norms):  # a plain loop: this runs for every word of every article
        if ks := first.get(norm):
            found.update((k, i) for k in ks)
        if len(norm) > 2 and norm[0] in "وف" and (ks := first.get(norm[1:])):
            found.update((k, i) for k in ks)
    pairs = sorted(found)
    for k, i in pairs:
        trig, parts = lex.phrases[k]
        n = len(parts)
        if i > len(norms) - n or any(j in taken for j in range(i, i + n)):
            continue
        if all(norms[i + m] in parts[m] for m in range(1, n)):
            hits.append(_Hit(trig, "phrase", i, i + n - 1))
            taken.update(range(i, i + n))
    for i, norm in enumerate(norms):
        if i in taken:
            continue
        cands = lex.words.get(norm)
        if cands:
            trig, tense = cands[0]
            if len(cands) > 1 and i > 0 and (norms[i - 1] in _PREPOSITIONS or _is_light(norms[i - 1])):
                # "أعربت عن إدانتها": after a preposition or a light verb, the noun reading.
                trig, tense = next(((t, te) for t, te in cands if te == "noun"), (trig, tense))
            alts = [(t, te) for t, te in cands if t is not trig]
            hits.append(_Hit(trig, tense, i, i, alts))
            taken.add(i)
    hits.sort(key=lambda h: h.first)
    return hits


@cache
def _phrase_index() -> dict[str, list[int]]:
    """First word of each phrase trigger → the phrases' positions in the lexicon."""
    index: dict[str, list[int]] = {}
    for k, (_trig, parts) in enumerate(load_triggers().phrases):
        for word in parts[0]:
            index.setdefault(word, []).append(k)
    return index


def _is_light(norm: str) -> bool:
    """A light verb (أجرى، قام، وجّه ...), with or without a conjunction."""
    return norm in _LIGHT_VERBS or _strip_conj(norm) in _LIGHT_VERBS


def _strip_conj(norm: str) -> str:
    return norm[1:] if len(norm) > 2 and norm[0] in "وف" else norm


# --------------------------------------------------------------------------- context
@dataclass
class _Arg:
    """A noun phrase that names one participant: one or more adjacent mentions.

    "وزير الخارجية التركي هاكان فيدان" arrives as a nisba (Turkey) and a name
    (Fidan); they are one participant, the person first, his country after.
    """

    mentions: list[Mention]
    tok: int  # token index where the phrase starts
    last: int  # token index where it ends
    prep: str | None  # preposition introducing it, if any
    ids: list[str] = field(default_factory=list)

    @property
    def mention(self) -> Mention:
        return self.mentions[0]

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end


@dataclass
class _SentCtx:
    doc: Document
    sent: Sentence
    args: list[_Arg]
    times: list[TimeValue]
    norms: list[str]
    prior: list[Event] = field(default_factory=list)  # events already found in the article
    mention_spans: list[Mention] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)  # who speaks in the first person ("نقدر", "نعمل")
    made_here: int = 0  # events already found in this sentence
    near: dict[tuple[int, int], tuple[list[_Arg], list[_Arg]]] = field(default_factory=dict)  # _slot's, by trigger span


def _token_at(ends: Sequence[int], offset: int) -> int:
    """The token at ``offset`` (or the next one) given the tokens' ends in order: the first ending after it."""
    return min(bisect_right(ends, offset), len(ends) - 1)


def _prep_of(ctx: _SentCtx, m: Mention, tok_i: int) -> str | None:
    tokens = ctx.sent.tokens
    tok = tokens[tok_i]
    text = ctx.doc.text
    if m.start > tok.start:
        prefix = normalize(text[tok.start : m.start])
        prefix = prefix[1:] if prefix[:1] in ("و", "ف") else prefix
        if prefix in ("ب", "ل", "ك", "بال", "لل", "ال"):
            return {"بال": "ب", "لل": "ل", "ال": None}.get(prefix, prefix)
    else:
        # A name whose span kept its clitics: only بال/لل are unambiguous (ولي العهد is not و+لـ).
        mt = normalize(m.text)
        mt = mt[1:] if mt[:1] in ("و", "ف") and mt[1:].startswith(("بال", "لل")) else mt
        if mt.startswith(("بال", "لل")):
            return "ب" if mt.startswith("ب") else "ل"
    # A separate preposition up to two words before (skipping one title word),
    # or a clitic one on the noun the mention modifies ("بالعقوبات الأوروبية").
    for back in (1, 2):
        j = tok_i - back
        if j < 0 or any(o.start <= tokens[j].start < o.end for o in ctx.mention_spans if o is not m):
            break  # the word before belongs to another name: no preposition governs this one
        w = tokens[j].norm
        w = w[1:] if w[:1] in ("و", "ف") and len(w) > 2 else w
        if w in _PREPOSITIONS:
            return w
        clitic = _clitic_prep(w)
        person = any(ctx.doc.entities[i].type == "Person" for i in m.entity_ids if i in ctx.doc.entities)
        if clitic and (back == 1 and _is_nisba(m.text) or not person):
            return clitic
        if back == 1 and w in ("العاصمه", "مدينه", "دوله", "ولايه", "الجمهوريه", "المملكه", "قطاع", "حركه", "حركتا", "جبهه", "حكومه", "مقر"):
            continue
        if back == 1 and _is_nisba(m.text) and w not in _VERB_FORMS() and len(w) > 2:
            # "مع القيادة القطرية", "بمخطط الحكم الذاتي المغربي": the nisba modifies a
            # noun phrase; its preposition is on the phrase's first word.
            for k in range(j, max(-1, j - 5), -1):
                wk = tokens[k].norm
                wk = wk[1:] if wk[:1] in ("و", "ف") and len(wk) > 3 else wk
                if wk in _PREPOSITIONS:
                    return wk
                if _clitic_prep(wk) or (wk[:1] in ("ب", "ل") and len(wk) >= 5 and not wk.startswith(("بين", "بعد", "لكن", "لدي"))):
                    return wk[0]
                if wk in _VERB_FORMS() or any(ch in tokens[k].text for ch in "،,.:؛"):
                    break
            continue
        if back == 1 and not person and w not in _VERB_FORMS() and len(w) > 2 and j > 0 and _clitic_prep(tokens[j - 1].norm):
            continue  # "لطريقة عمل الأمم المتحدة"
        break
    return None


_TYPE_RANK = {"Person": 0, "GovernmentBody": 1, "Organization": 2, "Other": 3, "City": 4, "Country": 5, "Region": 6, "Facility": 7, "Agreement": 8}


def _group_ids(doc: Document, mentions: list[Mention]) -> list[str]:
    ids: list[str] = []
    for m in mentions:
        for i in m.entity_ids:
            if i not in ids:
                ids.append(i)
    if len(ids) < 2:
        return ids
    order = {i: (_TYPE_RANK.get(ent.type, 3) if (ent := doc.entities.get(i)) else 3, n) for n, i in enumerate(ids)}
    return sorted(ids, key=order.__getitem__)


def _joinable(ctx: _SentCtx, group: list[Mention], b: Mention, a_last: int, b_first: int) -> bool:
    """Is ``b`` part of the noun phrase ``group`` (title, nisba, then a name)?

    A phrase ends with its person: what follows a name is a new participant
    ("زار الوزير فيدان العاصمة دمشق").  At most one plain word may stand
    between two parts, and never a conjunction, a preposition or punctuation.
    """
    a = group[-1]
    if set(b.entity_ids) & {i for m in group for i in m.entity_ids}:
        # The same person named twice in one phrase ("وزير الخارجية ... الدكتور بدر عبد العاطي").
        gap = ctx.doc.text[a.end : b.start]
        return b_first - a_last <= 5 and not any(ch in gap for ch in "،,.؛;:()\"«»“”") and not any(
            ctx.norms[k] in _PREPOSITIONS or ctx.norms[k] == "و" for k in range(a_last + 1, b_first)
        )
    if any(ctx.doc.entities[i].type == "Person" for m in group for i in m.entity_ids if i in ctx.doc.entities):
        return False
    if b_first - a_last > 2:
        return False
    gap = ctx.doc.text[a.end : b.start]
    if any(ch in gap for ch in "،,.؛;:()\"«»“”"):
        return False
    for k in range(a_last + 1, b_first + 1):
        n = ctx.norms[k] if k < len(ctx.norms) else ""
        if k == b_first:
            # b itself must not open with a conjunction or a preposition
            head = normalize(ctx.doc.text[ctx.sent.tokens[k].start : b.start])
            if head in ("و", "ف", "ب", "ل", "وب", "ول", "بال", "لل", "وبال", "ولل"):
                return False
            if b.start == ctx.sent.tokens[k].start and normalize(b.text)[:1] == "و" and len(b.text) > 3:
                return False
            continue
        if n in _PREPOSITIONS or n == "و" or n in _ALL_TRIGGER_FORMS():
            return False
        if _clitic_prep(n) and not any(
            ctx.doc.entities[i].type == "Person" for i in b.entity_ids if i in ctx.doc.entities
        ):
            return False
    ta = {ctx.doc.entities[i].type for i in a.entity_ids if i in ctx.doc.entities}
    tb = {ctx.doc.entities[i].type for i in b.entity_ids if i in ctx.doc.entities}
    # The head comes last: a name after its title and nisba ("الوزير التركي
    # هاكان فيدان"), a city after its country's nisba ("العاصمة السورية دمشق").
    return "Person" in tb or ("City" in tb and "Country" in ta)


@cache
def _ALL_TRIGGER_FORMS() -> frozenset[str]:  # noqa: N802 - a cached constant
    return frozenset(load_triggers().words)


@cache
def _VERB_FORMS() -> frozenset[str]:  # noqa: N802 - a cached constant
    return frozenset(f for f, c in load_triggers().words.items() if c[0][1] not in ("noun", "participle"))


_CLAUSE_OPENERS = frozenset({"فيما", "بينما", "حيث", "كما", "وقال", "واكد", "واضاف", "مؤكدا", "مشيرا", "مضيفا", "وفي", "لكن", "غير"})


def _clause_end(ctx: _SentCtx, k: int) -> int:
    """Index of the token that ends the clause starting at ``k`` (exclusive)."""
    n = len(ctx.norms)
    for i in range(k, n):
        t = ctx.sent.tokens[i].text
        if t in (".", "؛", ";", "!", "؟", "?"):
            return i
        if t in ("،", ",") and i + 1 < n:
            nxt = ctx.norms[i + 1]
            starts_arg = any(a.tok == i + 1 for a in ctx.args)
            if nxt in _CLAUSE_OPENERS or (nxt[:1] == "و" and nxt in _VERB_FORMS()):
                return i
            if nxt[:1] == "و" and len(nxt) > 3 and not nxt[1:].startswith("ال") and not starts_arg:
                return i  # "، وكتب ...": a new clause, not another name in a list
    return n


def _is_nisba(text: str) -> bool:
    """An adjective of origin (الفرنسي، الأوروبية، إسرائيليين) rather than a name."""
    w = normalize(text).split()[-1] if text.split() else ""
    w = w[1:] if w[:1] in ("و", "ف") else w
    return w.endswith(("ي", "يه", "يين", "يون", "يان", "يتين")) and len(w) > 3


def _clitic_prep(norm: str) -> str | None:
    """The preposition attached to a definite noun: بالموقف → ب, للسلام → ل."""
    w = norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 4 else norm
    if w.startswith("بال") and len(w) > 4:
        return "ب"
    if w.startswith("لل") and len(w) > 3:
        return "ل"
    return None


_Spanned = TypeVar("_Spanned", Mention, TimeValue)


def _by_sentence(sentences: Sequence[Sentence], items: Sequence[_Spanned]) -> list[list[_Spanned]]:
    """``items`` (mentions, times) by the sentence they start in, each sentence's in their order.

    Why: selecting each sentence's items from the whole article's list was a
    scan per sentence, quadratic in the article's length.
    """
    starts = [s.start for s in sentences]
    out: list[list[_Spanned]] = [[] for _ in sentences]
    for x in items:
        k = bisect_right(starts, x.start) - 1
        if k >= 0 and x.start < sentences[k].end:
            out[k].append(x)
    return out


def _sentence_ctx(doc: Document, sent: Sentence, inside: list[Mention], times: list[TimeValue]) -> _SentCtx:
    """A sentence's arguments: its mentions (``inside``, from :func:`_by_sentence`) grouped, with prepositions."""
    ctx = _SentCtx(doc, sent, [], times, [t.norm for t in sent.tokens])
    ctx.mention_spans = inside
    groups: list[list[tuple[Mention, int, int]]] = []
    ends = [t.end for t in sent.tokens]
    for m in inside:
        first = _token_at(ends, m.start)
        last = _token_at(ends, max(m.start, m.end - 1))
        if groups and _joinable(ctx, [x[0] for x in groups[-1]], m, groups[-1][-1][2], first):
            groups[-1].append((m, first, last))
        else:
            groups.append([(m, first, last)])
    for g in groups:
        ms = [x[0] for x in g]
        arg = _Arg(ms, g[0][1], g[-1][2], None, _group_ids(doc, ms))
        arg.prep = _prep_of(ctx, arg.mention, arg.tok)
        if arg.prep == "في" and len(ms) > 1 and arg.ids and doc.entities.get(arg.ids[0], None) is not None and doc.entities[arg.ids[0]].type == "Person":
            # "وزير الخارجية في الحكومة الانتقالية أسعد الشيباني": في belongs to the title.
            arg.prep = None
        ctx.args.append(arg)
    return ctx


# --------------------------------------------------------------------------- slots
def _types(doc: Document, a: _Arg) -> set[str]:
    return {doc.entities[e].type for e in a.ids if e in doc.entities}


def _ok(doc: Document, a: _Arg, kind: str | None) -> bool:
    ts = _types(doc, a)
    if kind == "place":
        return bool(ts & PLACE_TYPES)
    if kind == "actor":
        return bool(ts & ACTOR_TYPES)
    return bool(ts & (ACTOR_TYPES | PLACE_TYPES | {"Agreement"}))


def _coordinated(ctx: _SentCtx, first: _Arg) -> list[_Arg]:
    """``first`` and the mentions joined to it by و or a comma."""
    out = [first]
    idx = ctx.args.index(first)
    text = ctx.doc.text
    for nxt in ctx.args[idx + 1 :]:
        gap = normalize(text[out[-1].end : nxt.start]).replace(" ", "")
        head = normalize(nxt.mention.text)[:1]
        if gap in _CONJ or (gap == "" and head == "و"):
            out.append(nxt)
        else:
            break
    return out


def _slot(ctx: _SentCtx, hit: _Hit, spec: str, subj: list[_Arg] | None, context: list[str]) -> list[_Arg] | list[str]:
    """Fill one slot spec; returns arguments (or entity ids for ``context``)."""
    parts = spec.split(":")
    name, kind = parts[0], None
    arg = None
    if name == "prep":
        arg = parts[1]
        kind = parts[2] if len(parts) > 2 else None
    elif len(parts) > 1:
        kind = parts[1]
    near = ctx.near.get((hit.first, hit.last))
    if near is None:  # the same for every slot of every rule tried on this trigger
        near = ctx.near[hit.first, hit.last] = (
            [a for a in ctx.args if a.tok > hit.last and a.tok - hit.last <= _WINDOW],
            [a for a in ctx.args if a.end <= ctx.sent.tokens[hit.first].start and hit.first - a.last <= 10],
        )
    after, before = near
    doc = ctx.doc
    if name == "subj":
        if hit.trigger.pos not in ("verb", "phrase", "part"):
            return []
        light = _light_verb_subject(ctx, hit, before)
        if light is not None:
            return light
        first_after = next((a for a in after if a.tok - hit.last <= 3), None)
        if first_after is not None and first_after.prep is None and _nominative_dual(first_after):
            # "ودعا الجانبان": a dual in -ان is a subject, whatever came before.
            return [first_after]
        if hit.trigger.pos == "verb" and (_prodrop(ctx, hit) or hit.tense.endswith("_pl")):
            return []
        if _relative(ctx, hit):
            # "مودي، الذي وصل إلى أبوظبي": the subject is what the relative pronoun
            # refers to, the phrase right before it ("الهجوم الذي استهدف" has no agent).
            rel = hit.first - 1
            for a in after:
                # "الذي انسحبت منه الولايات المتحدة": the clause names its own subject.
                if a.tok - hit.last <= 3 and a.prep is None and _ok(doc, a, kind or "actor"):
                    return _coordinated(ctx, a)
                break
            for a in reversed(before):
                if a.last == rel - 1 or (a.last == rel - 2 and ctx.sent.tokens[rel - 1].text in ("،", ",")):
                    return [a] if a.prep is None and _ok(doc, a, kind or "actor") else []
            return []
        adjacent = [a for a in before if a.last == hit.first - 1 and a.prep is None]
        clause_initial = bool(adjacent) and (
            adjacent[-1].tok == 0 or ctx.sent.tokens[adjacent[-1].tok - 1].text in ("،", ",", "–", "-", ":")
        )
        if adjacent and (hit.tense.startswith(("present", "future")) or clause_initial) and _ok(doc, adjacent[-1], kind or "actor"):
            # Headline and SVO order: "عبد العاطي يستقبل الصفدي"، "الجانبان يطالبان".
            return _coordinated_back(ctx, adjacent[-1])
        if hit.first > 0 and ctx.norms[hit.first - 1] == "قد":
            # "وكانت فرنسا قد اعترفت": the subject stands before قد.
            for a in reversed(before):
                if a.prep is None and _ok(doc, a, kind or "actor"):
                    return _coordinated_back(ctx, a)
        for a in after:
            if a.prep is None and _ok(doc, a, kind or "actor"):
                # A subject is near its verb: at most a title or a time between.
                return _coordinated(ctx, a) if a.tok - hit.last <= 8 else []
            break
        if not _verbal(hit, ctx):
            return []  # a noun phrase has no subject before it ("استضافت عمان جولات المحادثات")
        for a in reversed(before):
            if a.prep is None and _ok(doc, a, kind or "actor") and not _crosses_clause(ctx, a.tok, hit.first):
                return _coordinated_back(ctx, a)
        return []
    if name == "obj":
        start_after = subj[-1].last if subj and subj[-1].tok > hit.last else hit.last
        same = _same_side(doc, subj or [])
        gap = 0
        k = start_after + 1
        starts = {a.tok: a for a in ctx.args}
        while k < len(ctx.norms) and gap <= 2:
            cand = starts.get(k)
            if cand is not None:
                if cand.prep is None and set(cand.ids) <= same:
                    k, gap = cand.last + 1, 0  # an apposition to the subject ("محمد بن زايد، رئيس دولة الإمارات")
                    continue
                if cand.prep is None and _ok(doc, cand, kind):
                    return _coordinated(ctx, cand)
                return []
            tok = ctx.sent.tokens[k]
            if _in_time(ctx, tok.start) or tok.text in ("،", ","):
                k += 1
                continue
            if tok.text in (".", "؛", ":") or ctx.norms[k] in ("ان", "انه", "انها", "بان", "الذي", "التي"):
                return []
            gap += 1
            k += 1
        return []
    if name == "prep":
        assert arg is not None
        want = normalize(arg)
        for a in after:
            if a.prep == want and _ok(doc, a, kind):
                return _coordinated(ctx, a)
        return _pronoun_object(ctx, hit, want, before, subj, kind)
    if name == "gen":
        for a in after:
            if a.tok - hit.last <= 2 and a.prep is None and _ok(doc, a, kind):
                return _coordinated(ctx, a)
            break
        return []
    if name == "before":
        is_light = hit.first > 0 and any(
            _is_light(n) for n in ctx.norms[max(0, hit.first - 14) : hit.first]
        )
        if not is_light:
            # Not across a clause: a comma, a full stop or أن/إن between them.
            before = [a for a in before if not _crosses_clause(ctx, a.last, hit.first) and not any(
                ctx.sent.tokens[k].text in ("،", ",", ".", "؛") for k in range(a.last + 1, hit.first)
            )]
        for a in reversed(before):
            if a.prep is None and _ok(doc, a, kind or "actor"):
                nominal = hit.trigger.pos == "noun" or (hit.trigger.pos == "phrase" and not _verbal(hit, ctx))
                if nominal and not is_light and (a.last != hit.first - 1 or _conj_prefixed(ctx.norms[hit.first])):
                    return []
                return _coordinated_back(ctx, a)
        return []
    if name == "eventnoun":
        # "أدانت ... الغارات الإسرائيلية": the nisba after an event noun names who did it.
        start = subj[-1].last if subj and subj[-1].tok > hit.last else hit.last
        starts = {a.tok: a for a in ctx.args}
        for k in range(start + 1, min(len(ctx.norms), start + 7)):
            base = _strip_definite(ctx.norms[k])
            if base in _EVENT_NOUN_FORMS or base in _EVENT_NOUNS:
                nxt = starts.get(k + 1)
                if nxt is not None and _is_nisba(nxt.mention.text):
                    return [nxt]
                # "انتقد ... الاتفاق": the parties of the agreement reported earlier.
                ev = _referred_event(ctx.prior, base, _ids(subj or []) or list(context))
                if ev is None:
                    return []
                return list(dict.fromkeys(ev.actor + (ev.target if ev.type in SYMMETRIC_TYPES else [])))
            if ctx.sent.tokens[k].text in ("،", ",", "."):
                return []
        return []
    if name == "antecedent":
        for a in reversed([a for a in ctx.args if a.last < hit.first]):
            if _ok(doc, a, "actor") and _types(doc, a) & {"Person", "Country", "Organization", "GovernmentBody"}:
                return [a]
        return []
    if name == "next":
        same = _same_side(doc, subj or [])
        start = subj[-1].last if subj and subj[-1].tok > hit.last else hit.last
        end = _clause_end(ctx, start + 1)
        for a in ctx.args:
            if start < a.tok < end and _ok(doc, a, kind or "actor") and not set(a.ids) <= same:
                return [a]
        return []
    if name == "prev":
        same = _same_side(doc, subj or [])
        for a in reversed([a for a in ctx.args if a.last < hit.first]):
            if a.prep not in ("في", "ب", "ل") and not set(a.ids) <= same and _ok(doc, a, kind or "actor"):
                return [a]
        return []
    if name == "after":
        same = _same_side(doc, subj or [])
        if kind == "guest":  # who is received: not the places after في / بـ
            return [a for a in after if a.prep not in ("في", "ب") and _ok(doc, a, "actor") and not set(a.ids) <= same][:6]
        return [a for a in after if _ok(doc, a, kind or "actor") and not set(a.ids) <= same][:6]
    if name == "delegations":
        # "حيث مثّل الجانب الإيراني عباس عراقجي ... فيما ترأس الوفد الأمريكي ستيف ويتكوف"
        out: list[_Arg] = []
        for k in range(hit.last + 1, len(ctx.norms)):
            if _strip_conj(ctx.norms[k]) in _DELEGATION_VERBS:
                for a in ctx.args:
                    if k < a.tok <= k + 12 and a.prep in (None, "ل") and _types(doc, a) & {"Person", "Country", "GovernmentBody", "Organization"}:
                        out.append(a)
                        break
        return out
    if name == "between":
        for k in range(hit.last + 1, min(len(ctx.norms), hit.last + _WINDOW)):
            if _strip_conj(ctx.norms[k]) == "بين" or ctx.norms[k].startswith("بين"):
                cands = [a for a in ctx.args if a.tok >= k and a.tok - k <= 3]
                if cands:
                    return _coordinated(ctx, cands[0])
        # "محادثات إيران وواشنطن": a genitive pair right after the noun.
        if hit.trigger.pos in ("noun", "phrase"):
            for a in after:
                if a.tok - hit.last <= 2 and a.prep is None:
                    co = _coordinated(ctx, a)
                    return co if len(co) > 1 or len(a.ids) > 1 else []
                break
        return []
    if name == "speaker" and _first_person(hit, ctx.norms[hit.first]):
        return list(ctx.speaker)
    if name in ("speaker", "that"):
        that = next(
            (k for k in range(hit.first - 1, max(-1, hit.first - 25), -1) if _strip_conj(ctx.norms[k]) in ("ان", "انه", "انها", "بان")),
            None,
        )
        if that is None:
            return []
        if name == "that":
            return [a for a in ctx.args if that < a.tok < hit.first and _ok(doc, a, "actor")][:3]
        for a in reversed([a for a in ctx.args if a.last < that]):
            if a.prep is None and _types(doc, a) & {"Person", "GovernmentBody", "Organization", "Country"}:
                return [a]
        return list(context)
    if name in ("context", "context!"):
        if hit.tense.endswith("_pl") and len(context) < 2:
            plural = _recent_plural(ctx)
            if plural:
                return plural
        return list(context)
    raise ValueError(f"unknown slot '{spec}'")


_PRONOUNS = ("ه", "ها", "هم", "هما")


def _pronoun_object(
    ctx: _SentCtx, hit: _Hit, prep: str, before: list[_Arg], subj: list[_Arg] | None, kind: str | None
) -> list[_Arg]:
    """"انسحبت منه": a preposition with a pronoun points back to the phrase before the verb."""
    base = {"الي": "الي", "علي": "علي", "لدي": "لدي"}.get(prep, prep)
    forms = {base + p for p in _PRONOUNS}
    if base in ("الي", "علي", "لدي"):
        forms |= {base[:-1] + "ي" + p for p in _PRONOUNS}
    for k in range(hit.last + 1, min(len(ctx.norms), hit.last + 4)):
        if ctx.norms[k] in forms:
            skip = set(_ids(subj or []))
            for a in reversed(before):
                if not set(a.ids) & skip and _ok(ctx.doc, a, kind):
                    return [a]
            return []
    return []


def _same_side(doc: Document, args: Sequence[_Arg]) -> set[str]:
    """Ids on the side of ``args``: themselves, whom they act for, and that
    side's other members in the article (its capital, its ministry)."""
    ids = set(_ids(args))
    for i in list(ids):
        ent = doc.entities.get(i)
        if ent and ent.affiliation:
            ids.add(ent.affiliation)
    for eid, ent in doc.entities.items():
        if ent.affiliation in ids and ent.type in ("City", "GovernmentBody"):
            ids.add(eid)
    return ids


def _light_verb_subject(ctx: _SentCtx, hit: _Hit, before: list[_Arg]) -> list[_Arg] | None:
    """The subject of a light verb before a noun-like trigger (أجرى X اتصالا ...)."""
    if hit.trigger.pos == "verb":
        return None
    for k in range(hit.first - 1, max(-1, hit.first - 14), -1):
        if _is_light(ctx.norms[k]):
            between = [a for a in before if a.tok > k and a.prep is None]
            return _coordinated(ctx, between[0]) if between else None
    return None


def _recent_plural(ctx: _SentCtx) -> list[str]:
    """The latest phrase naming two or more actors, in this sentence or the two before."""
    for a in reversed([a for a in ctx.args if a.tok < len(ctx.norms)]):
        if len(a.ids) >= 2 and len({ctx.doc.entities[i].affiliation or i for i in a.ids if i in ctx.doc.entities}) >= 2:
            return list(a.ids)
    for ev in reversed(ctx.prior[-6:]):
        if ev.sentence >= ctx.sent.index - 2 and len(_sides(ctx.doc, ev.actor + ev.target)) >= 2:
            return list(dict.fromkeys(ev.actor + ev.target))
    return []


def _verbal(hit: _Hit, ctx: _SentCtx) -> bool:
    """A verb trigger, or a phrase that opens with a verb (أجرى محادثات)."""
    return hit.trigger.pos == "verb" or (hit.trigger.pos == "phrase" and ctx.norms[hit.first] in _VERB_FORMS_AND_LIGHT())


@cache
def _VERB_FORMS_AND_LIGHT() -> frozenset[str]:  # noqa: N802 - a cached constant
    return _VERB_FORMS() | {c + v for v in _LIGHT_VERBS for c in ("", "و", "ف")}


def _possessed(norm: str) -> bool:
    """A noun with a possessive suffix (زيارته، لقاءاتها، مشاوراتهم)."""
    lex = load_triggers()
    words = lex.words
    base_form = _strip_definite(norm)
    if base_form in lex.noun_bases:
        return False  # a final ه that is the noun's own ta marbuta (هدنه)
    for suf in ("هما", "هم", "ها", "ه"):
        if norm.endswith(suf) and len(norm) - len(suf) >= 3:
            base = norm[: -len(suf)]
            if base in words or (base.endswith("ت") and base[:-1] + "ه" in words):
                return True
    return False


def _conj_prefixed(norm: str) -> bool:
    """Does the word open with the conjunction و/ف (وطالب) rather than a root و (وصل)?"""
    if norm[:1] not in ("و", "ف") or len(norm) < 3:
        return False
    words = load_triggers().words
    return norm[1:] in words or norm not in words


def _first_person(hit: _Hit, norm: str) -> bool:
    """نقدر، نعمل، أؤكد: the speaker is the subject."""
    w = _strip_conj(norm)
    return hit.tense.startswith(("present", "future")) and w[:1] == "ن" and len(w) > 3


def _prodrop(ctx: _SentCtx, hit: _Hit) -> bool:
    """A verb joined by و to an earlier event of the same sentence keeps its subject.

    "وأكد ماكرون ...، وطالب إسرائيل بـ..." — Israel is the object; the subject
    (Macron) is not repeated.
    """
    tok = ctx.norms[hit.first]
    if _first_person(hit, tok):
        return True
    return ctx.made_here > 0 and hit.first > 2 and _conj_prefixed(tok)


_RELATIVES = frozenset({"الذي", "التي", "اللذان", "اللتان", "الذين", "اللذين", "اللتين"})


def _relative(ctx: _SentCtx, hit: _Hit) -> bool:
    return hit.first > 0 and ctx.norms[hit.first - 1] in _RELATIVES


def _dual_subject_follows(ctx: _SentCtx, hit: _Hit) -> bool:
    nxt = next((a for a in ctx.args if 0 < a.tok - hit.last <= 3), None)
    return nxt is not None and nxt.prep is None and _nominative_dual(nxt)


def _nominative_dual(a: _Arg) -> bool:
    """الجانبان، الوزيران، البلدان (subject case), not الجانبين (object case)."""
    w = normalize(a.mention.text).split()[-1] if a.mention.text.split() else ""
    return len(a.ids) >= 2 and w.endswith("ان") and len(w) > 4


def _in_time(ctx: _SentCtx, offset: int) -> bool:
    return any(t.start <= offset < t.end for t in ctx.times)


def _coordinated_back(ctx: _SentCtx, last: _Arg) -> list[_Arg]:
    """``last`` and the mentions joined to it from the left (قطر ومصر تؤكدان)."""
    out = [last]
    idx = ctx.args.index(last)
    text = ctx.doc.text
    for prev in reversed(ctx.args[:idx]):
        gap = normalize(text[prev.end : out[0].start]).replace(" ", "")
        head = normalize(out[0].mention.text)[:1]
        if gap in _CONJ or (gap == "" and head == "و"):
            out.insert(0, prev)
        else:
            break
    return out


def _crosses_clause(ctx: _SentCtx, a: int, b: int) -> bool:
    """Is there a clause break (another verb trigger, إن/أن, a full stop) between tokens a and b?"""
    for k in range(a + 1, b):
        n = ctx.norms[k]
        if n in ("ان", "انه", "انها", "بان", "وان", ".", ":", "؛", "الذي", "التي", "حيث"):
            return True
    return False


# --------------------------------------------------------------------------- status
def _negated(ctx: _SentCtx, hit: _Hit) -> bool:
    prev = [_strip_conj(n) for n in ctx.norms[max(0, hit.first - 2) : hit.first]]
    if prev and prev[-1] in _NEGATIONS:
        # ما negates a past verb ("ما زار"); before a present verb it means "what" ("ما ترفضه").
        return prev[-1] != "ما" or hit.tense.startswith("past")
    # A denial covers its own clause: stop at a comma or a full stop.
    for k in range(hit.first - 1, max(-1, hit.first - 12), -1):
        w = ctx.norms[k]
        if w in ("،", ",", ".", "؛", ":"):
            return False
        if w in _DENIALS or _strip_conj(w) in _DENIALS:
            return True
    return False


def _planned(ctx: _SentCtx, hit: _Hit) -> bool:
    if hit.tense.startswith("future"):
        return True
    window = ctx.norms[max(0, hit.first - 6) : hit.first]
    if any(_strip_conj(w) in _PLANNED or w in _PLANNED for w in window):
        return True
    # A future-tense light verb before a masdar: سيجري زيارة
    return any(len(w) > 3 and w.startswith(("سي", "ست")) and _strip_conj(w[1:]) in _LIGHT_VERBS for w in window)


# --------------------------------------------------------------------------- events
def _ids(args: Sequence[_Arg] | Sequence[str]) -> list[str]:
    out: list[str] = []
    for a in args:
        ids = [a] if isinstance(a, str) else a.ids
        for i in ids:
            if i not in out:
                out.append(i)
    return out


def _fill(ctx: _SentCtx, hit: _Hit, rule: Rule, context: list[str]) -> dict[str, Any] | None:
    # The word requirements first: they need no slot filled, and a rule that
    # fails one is dropped before the costlier slot search.
    if not _required_words(ctx, hit, rule):
        return None
    roles: dict[str, list[str]] = {}
    used: dict[str, list[_Arg]] = {}
    subj: list[_Arg] | None = None
    filled_from_context = False
    for role in ("actor", "target", "place"):
        specs = list(getattr(rule, role))
        if role == "actor" and hit.trigger.pos == "part":
            # A circumstantial participle (مشيدا، داعيا) shares the main verb's subject.
            specs = ["context"] + [x for x in specs if not x.startswith(("subj", "before"))]
        elif role == "actor" and hit.trigger.pos == "verb" and _relative(ctx, hit):
            specs = ["subj"]  # the relative pronoun's antecedent or nothing
        elif role == "actor" and _verbal(hit, ctx) and _prodrop(ctx, hit) and not _dual_subject_follows(ctx, hit):
            specs = ["speaker"] if _first_person(hit, ctx.norms[hit.first]) else ["context"]
        elif role == "actor" and hit.trigger.pos == "noun" and _possessed(ctx.norms[hit.first]):
            # "ولقاءاته مع القيادة القطرية": his meetings — whoever "his" refers to.
            specs = ["gen:actor", "antecedent", "context"]
        elif role == "actor" and hit.trigger.pos == "noun":
            # A masdar names its agent (genitive) or follows a light verb; the
            # discourse subject is too weak a guess for a bare noun.
            specs = [x.rstrip("!") for x in specs if not x.startswith("subj") and (x == "context!" or not x.startswith("context"))]
        for spec in specs:
            got = _slot(ctx, hit, spec, subj, context)
            if role == "actor" and spec.startswith("context"):
                got = [g for g in got if isinstance(g, str)]
                if got:
                    filled_from_context = True
            if got:
                ids = _ids(got)
                if role != "actor":
                    ids = [i for i in ids if i not in roles.get("actor", [])]
                if not ids:
                    continue
                roles[role] = ids
                used[role] = [g for g in got if isinstance(g, _Arg)]
                if role == "actor":
                    subj = used[role] or None
                break
        if role == "actor" and not roles.get("actor") and "actor" in rule.require:
            return None  # no actor, no event: the other slots need not be searched
    if rule.split_plural and not roles.get("target") and len(_sides(ctx.doc, roles.get("actor", []))) >= 2:
        sides = _sides(ctx.doc, roles["actor"])
        roles["actor"], roles["target"] = sides[0], [i for side in sides[1:] for i in side]
    for req in rule.require:
        if not req.startswith("word:") and req != "agreement_word" and not any(roles.get(r) for r in req.split("|")):
            return None
    actors = roles.get("actor", [])
    if rule.need_plural and len(actors) < 2:
        return None
    return {"roles": roles, "used": used, "context": filled_from_context}


def _required_words(ctx: _SentCtx, hit: _Hit, rule: Rule) -> bool:
    """Whether the words a rule requires near its trigger are there (``word:...``, ``agreement_word``)."""
    for req in rule.require:
        if req.startswith("word:"):
            words = _word_set(req[5:])
            window = ctx.norms[hit.last + 1 : min(len(ctx.norms), hit.last + 16)]
            if not any(_strip_conj(w) in words or w.removeprefix("ب") in words for w in window):
                return False
        elif req == "agreement_word":
            window = ctx.norms[max(0, hit.first - 3) : min(len(ctx.norms), hit.last + 30)]
            if not any(_agreement_word(w) for w in window):
                return False
    return True


@cache
def _word_set(words: str) -> frozenset[str]:
    """The normalized words of a ``word:a|b|c`` requirement."""
    return frozenset(normalize(w) for w in words.split("|"))


def _agreement_word(norm: str) -> bool:
    w = _strip_conj(norm)
    for pre in ("بال", "لل", "ال", "ب", "ل"):
        if w.startswith(pre) and len(w) - len(pre) >= 4:
            w = w[len(pre) :]
            break
    return any(w.startswith(a) for a in _AGREEMENT_WORDS)


def _entity(doc: Document, eid: str) -> Entity | None:
    return doc.entities.get(eid)


def _shape_roles(doc: Document, etype: str, roles: dict[str, list[str]], split: bool) -> dict[str, list[str]]:
    actor = list(roles.get("actor", []))
    target = list(roles.get("target", []))
    place = list(roles.get("place", []))
    # A visit's target city is the place; the host is its country.
    if etype in ("VISIT",):
        new_target = []
        for t in target:
            ent = _entity(doc, t)
            if ent and ent.type in ("City", "Facility", "Region") and ent.affiliation:
                if t not in place:
                    place.append(t)
                if ent.affiliation not in new_target:
                    new_target.append(ent.affiliation)
            else:
                new_target.append(t)
        target = new_target
        for p in list(place):
            ent = _entity(doc, p)
            if ent and ent.type == "Country" and p not in target and not target:
                target.append(p)
        # A city or site among the targets of a visit is where it happened.
        for t in list(target):
            ent = _entity(doc, t)
            if ent and ent.type in ("City", "Facility") and len(target) > 1:
                target.remove(t)
                if t not in place:
                    place.append(t)
    # Places are places: a Person is never one.
    place = [p for p in place if (e := _entity(doc, p)) is None or e.type in PLACE_TYPES]
    if split and not target and len(actor) >= 2:
        groups = _sides(doc, actor)
        if len(groups) >= 2:
            actor, target = groups[0], [i for g in groups[1:] for i in g]
    return {"actor": actor, "target": target, "place": place}


def _sides(doc: Document, ids: list[str]) -> list[list[str]]:
    """Group entity ids by the country they act for (a minister and his country are one side)."""
    sides: list[list[str]] = []
    key_of: dict[str, str] = {}
    for i in ids:
        ent = _entity(doc, i)
        key = (ent.affiliation if ent and ent.affiliation else i) if ent else i
        if key in key_of.values():
            for s in sides:
                if any(key_of.get(x) == key for x in s):
                    s.append(i)
                    break
        else:
            sides.append([i])
        key_of[i] = key
    return sides


def _evidence(ctx: _SentCtx, hit: _Hit, used: dict[str, list[_Arg]]) -> tuple[int, int]:
    toks = ctx.sent.tokens
    start, end = toks[hit.first].start, toks[hit.last].end
    for args in used.values():
        for a in args:
            start, end = min(start, a.start), max(end, a.end)
    # Widen to the clause: up to the next comma or sentence end, at most 12 words on.
    k = hit.last + 1
    while k < len(toks) and k <= hit.last + 12 and toks[k].text not in ("،", ",", ".", "؛", ":"):
        end = max(end, toks[k].end)
        k += 1
    return start, end


def _pick_time(ctx: _SentCtx, hit: _Hit) -> TimeValue | None:
    if not ctx.doc.times:
        return None
    try:
        from .dates import event_time
    except ImportError:  # pragma: no cover - dates is part of the package
        return None
    toks = ctx.sent.tokens
    return event_time(
        ctx.doc.times, (toks[hit.first].start, toks[hit.last].end), (ctx.sent.start, ctx.sent.end), text=ctx.doc.text
    )


def extract_events(doc: Document) -> list[Event]:
    """Events of a processed document (sentences, linked mentions, times).

    Parameters
    ----------
    doc : Document
        After splitting, NER, linking and dates.

    Returns
    -------
    list of Event
        One per event, the same event stated twice merged into one with two
        evidence spans, in text order.
    """
    rules = load_rules()
    mentions = mentions_in(doc, 0, len(doc.text))
    events: list[Event] = []
    context: list[str] = []
    # Triggers and argument contexts are found once per sentence: the search
    # for the article's first speaker reads them before the events are made.
    found = [find_triggers(sent.tokens) if sent.tokens else [] for sent in doc.sentences]
    ctxs: dict[int, _SentCtx] = {}
    in_sentence = _by_sentence(doc.sentences, mentions)
    times_in = _by_sentence(doc.sentences, doc.times)
    speaker: list[str] = _first_speaker(doc, in_sentence, times_in, found, ctxs)
    for k, sent in enumerate(doc.sentences):
        if not sent.tokens:
            continue
        ctx = ctxs.get(k) or _sentence_ctx(doc, sent, in_sentence[k], times_in[k])
        ctx.prior = events
        ctx.speaker = speaker
        question = sent.text.rstrip().endswith(("؟", "?"))
        # A trigger word inside a name is part of the name (مجلس التعاون الخليجي).
        hits = [
            h for h in found[k]
            if not any(m.start <= sent.tokens[h.first].start < m.end for a in ctx.args for m in a.mentions)
        ]
        sent_events: list[Event] = []
        statements: list[Event] = []
        for n, hit in enumerate(hits):
            if question or _negated(ctx, hit):
                continue
            if hit.trigger.type == "PHONE_CALL" and hit.first > 0 and _strip_conj(ctx.norms[hit.first - 1]) in ("في", "خلال", "عبر"):
                # "بحث X مع Y في اتصال هاتفي": the talks just found were by telephone.
                talks = [e for e in sent_events if e.type in ("MEET", "NEGOTIATE", "STATEMENT")]
                if talks:
                    talks[-1].type = "PHONE_CALL"
                    talks[-1].rule_id += "+by_phone"
                    continue
            if hit.trigger.pos == "noun" and n > 0 and hits[n - 1].trigger.type in _CONTENT_TAKING and hit.first - hits[n - 1].last <= 3:
                # What is demanded ("مطالبة بانسحاب إسرائيلي") has not happened; what is
                # rejected or praised ("رفضت الانتقادات الكويتية") is the object, not a new event.
                continue
            made = None
            for trig, tense in [(hit.trigger, hit.tense), *hit.alts]:
                # "محادثات" is talks with someone (MEET) or between parties (NEGOTIATE):
                # the first reading whose pattern matches wins.
                hit.trigger, hit.tense = trig, tense
                for rule in rules.get(trig.frame, []):
                    if rule.pos and trig.pos not in rule.pos:
                        continue
                    filled = _fill(ctx, hit, rule, context)
                    if filled is None:
                        continue
                    made = (rule, filled)
                    break
                if made is not None:
                    break
            if made is None:
                if hit.trigger.type == "STATEMENT":
                    said_by = [a for a in _slot(ctx, hit, "subj", None, context) if isinstance(a, _Arg)]
                    if said_by:
                        context = _ids(said_by)
                        if _types(doc, said_by[0]) & {"Person", "GovernmentBody"}:
                            speaker = _ids(said_by)
                        ctx.made_here += 1
                continue
            rule, filled = made
            etype = hit.trigger.type
            roles = _shape_roles(doc, etype, filled["roles"], rule.split_plural or etype in SYMMETRIC_TYPES)
            if not roles["actor"]:
                continue
            n_roles = sum(1 for r in ("actor", "target", "place") if getattr(rule, r))
            n_filled = sum(1 for r in ("actor", "target", "place") if getattr(rule, r) and roles[r])
            conf = rule.confidence * (0.6 + 0.4 * n_filled / max(1, n_roles))
            if filled["context"]:
                conf *= 0.85
            time = _pick_time(ctx, hit)
            status = "planned" if _planned(ctx, hit) else "happened"
            if status == "happened" and hit.tense.startswith("present") and sent.index > 0 and etype in ("MEDIATE", "COOPERATE", "ATTACK", "REJECT", "NEGOTIATE"):
                status = "ongoing"
            if (
                time is not None and time.begin and doc.published is not None and status == "happened"
                and time.begin > doc.published.isoformat()[: len(time.begin)]
            ):
                status = "planned"  # a date after publication: announced, not yet done
            s, e = _evidence(ctx, hit, filled["used"])
            ev = Event(
                type=etype,
                actor=roles["actor"],
                target=roles["target"],
                place=roles["place"],
                time=time,
                status=status,
                evidence=[(s, e)],
                rule_id=f"{hit.trigger.id}/{rule.id}",
                confidence=round(min(conf, 0.99), 3),
                trigger=doc.text[sent.tokens[hit.first].start : sent.tokens[hit.last].end],
                sentence=sent.index,
            )
            if not ev.target and etype in _ANAPHORIC_TARGET_TYPES:
                ev.target = _event_anaphor(ctx, hit, events + sent_events, ev.actor)
            if not ev.target and etype == "MEDIATE":
                ev.target = _recent_parties(events + sent_events, sent.index, ev.actor)
            if rule.only_if_alone:
                statements.append(ev)
            else:
                sent_events.append(ev)
            ctx.made_here += 1
            if not filled["context"] and filled["roles"].get("actor"):
                context = list(filled["roles"]["actor"])
        if not sent_events:
            sent_events = statements[:1]
        events.extend(sent_events)
        if not sent_events:
            # Carry the sentence's first actor as the discourse subject.
            first = next((a for a in ctx.args if a.prep is None and _ok(doc, a, "actor")), None)
            byline = first is not None and len(sent.tokens) - (first.last - first.tok + 1) <= 1
            if first is not None and not byline and _types(doc, first) & {"Person", "GovernmentBody", "Organization"}:
                context = list(first.ids)
    _places(doc, events)
    return _merge(doc, events)


_ANAPHORIC_TARGET_TYPES = frozenset({"CRITICIZE", "PRAISE", "REJECT", "DEMAND"})
_CONTENT_TAKING = frozenset({"DEMAND", "APPEAL", "THREATEN", "REJECT", "CRITICIZE", "PRAISE"})
#: Nouns that refer back to an earlier event ("أدان الهجوم", "رحب بالإعلان").
_EVENT_NOUNS: dict[str, tuple[str, ...]] = {
    "هجوم": ("ATTACK",), "قصف": ("ATTACK",), "اعتداء": ("ATTACK",), "عدوان": ("ATTACK",), "غاره": ("ATTACK",),
    "اتفاق": ("SIGN_AGREEMENT", "CEASEFIRE"), "اعلان": ("SIGN_AGREEMENT",), "اتفاقيه": ("SIGN_AGREEMENT",),
    "عقوبات": ("SANCTION",), "قرار": ("SANCTION", "WITHDRAW", "RECOGNIZE"), "خطوه": ("RECOGNIZE", "WITHDRAW", "SANCTION"),
    "اعتراف": ("RECOGNIZE",), "انسحاب": ("WITHDRAW",), "زياره": ("VISIT",),
}


_EVENT_NOUN_FORMS = frozenset(
    {"غارات", "غاره", "هجوم", "هجمات", "قصف", "اعتداء", "اعتداءات", "عدوان", "عمليات", "انتهاكات", "ضربات",
     "عقوبات", "اتهامات", "تهديدات", "قرار", "خطوه", "انتقادات", "تصريحات", "موقف"}
)


def _strip_definite(norm: str) -> str:
    w = _strip_conj(norm)
    for pre in ("بال", "لل", "ال"):
        if w.startswith(pre) and len(w) - len(pre) >= 3:
            return w[len(pre) :]
    return w


def _referred_event(prior: list[Event], noun: str, actor: list[str]) -> Event | None:
    """The latest earlier event of another actor that an event noun (الهجوم، الاتفاق) names."""
    types = _EVENT_NOUNS.get(noun, ())
    return next((ev for ev in reversed(prior) if ev.type in types and not set(ev.actor) & set(actor)), None)


def _event_anaphor(ctx: _SentCtx, hit: _Hit, prior: list[Event], actor: list[str]) -> list[str]:
    """The actor of the earlier event a definite noun after the trigger refers to."""
    for k in range(hit.last + 1, min(len(ctx.norms), hit.last + 10)):
        base = _strip_definite(ctx.norms[k])
        if base == _strip_conj(ctx.norms[k]) or base not in _EVENT_NOUNS:
            continue  # only a definite event noun refers back
        ev = _referred_event(prior, base, actor)
        return list(ev.actor) if ev is not None else []
    return []


def _recent_parties(prior: list[Event], sentence: int, exclude: list[str]) -> list[str]:
    """Mediation is between the parties of the talks just reported."""
    for ev in reversed(prior):
        if ev.sentence < sentence - 1:
            break
        if ev.type in ("NEGOTIATE", "SIGN_AGREEMENT", "CEASEFIRE", "MEET"):
            return [i for i in dict.fromkeys(ev.actor + ev.target) if i not in exclude]
    return []


_MEETING_TYPES = frozenset({"MEET", "HOST", "NEGOTIATE", "SIGN_AGREEMENT", "PHONE_CALL", "INTENT_TO_COOPERATE", "STATEMENT", "MEDIATE"})


def _dateline_city(doc: Document) -> str | None:
    """The city of a dateline ("القاهرة، 14 مايو/أيار 2025 –"): where the story was filed."""
    for sent in doc.sentences[:3]:
        for m in doc.mentions:
            if m.start == sent.start and m.entity_ids:
                ent = doc.entities.get(m.entity_ids[0])
                if ent and ent.type == "City" and doc.text[m.end : m.end + 3].lstrip().startswith(("،", ",")):
                    return ent.id
    return None


def _place_earlier_in_sentence(doc: Document, ev: Event) -> list[str]:
    """"خلال اجتماعهم في واشنطن، استعرض ...": a city after في earlier in the sentence."""
    sent = doc.sentences[ev.sentence]
    trig = ev.evidence[0][0] if ev.evidence else sent.end
    for m in reversed(doc.mentions):
        if not (sent.start <= m.start < trig) or not m.entity_ids:
            continue
        ent = doc.entities.get(m.entity_ids[0])
        if ent is None or ent.type != "City":
            continue
        before = normalize(doc.text[max(sent.start, m.start - 6) : m.start]).split()
        if before and before[-1] in ("في", "ب") or normalize(m.text).startswith("بال"):
            return [ent.id]
    return []


def _places(doc: Document, events: list[Event]) -> None:
    """Where meetings happened, when the sentence itself does not say.

    A region after a meeting verb is what was discussed ("بحثا الأوضاع في
    غزة"), not where; a meeting without a place happened where the visit or
    reception just reported did, or, for a reception, in the dateline city
    when that city belongs to the host.
    """
    dateline = _dateline_city(doc)
    recent: Event | None = None
    for ev in events:
        if ev.type == "HOST" and not ev.place:
            # "استضافت مسقط المحادثات": a host city is where it happened.
            ev.place = [a for a in ev.actor if (e := doc.entities.get(a)) is not None and e.type == "City"]
        if ev.type == "ATTACK":
            # What was struck, when it is a place, is also where.
            ev.place += [t for t in ev.target if (e := doc.entities.get(t)) is not None and e.type in ("City", "Facility", "Region") and t not in ev.place]
        if ev.type in _MEETING_TYPES | {"VISIT"} and not ev.place:
            ev.place = _place_earlier_in_sentence(doc, ev)
        if ev.type in _MEETING_TYPES:
            ev.place = [p for p in ev.place if (e := doc.entities.get(p)) is None or e.type != "Region"]
            if not ev.place and recent is not None and ev.sentence - recent.sentence <= 2 and (
                set(ev.actor + ev.target) & set(recent.actor + recent.target)
            ):
                ev.place = list(recent.place)
            if not ev.place and ev.type == "HOST" and dateline:
                city = doc.entities[dateline]
                hosts = {doc.entities[a].affiliation or a for a in ev.actor if a in doc.entities}
                if city.affiliation in hosts or dateline in hosts:
                    ev.place = [dateline]
        if ev.type in ("VISIT", "HOST", "MEET") and any(
            (e := doc.entities.get(p)) is not None and e.type in ("City", "Facility") for p in ev.place
        ):
            recent = ev


def _side_keys(doc: Document, ids: list[str]) -> frozenset[str]:
    """Roll each entity up to the state it acts for (a capital to its country)."""
    keys = set()
    for i in ids:
        ent = doc.entities.get(i)
        keys.add(ent.affiliation if ent is not None and ent.affiliation and ent.type in ("Person", "City", "GovernmentBody") else i)
    return frozenset(keys)


def _compatible(doc: Document, a: list[str], b: list[str]) -> bool:
    """Same participants, or one side named only by states and the other by
    their people ("محادثات أمريكية روسية" = "روبيو ولافروف"), as a headline
    restates its lead."""
    if set(a) == set(b):
        return True
    states = lambda ids: bool(ids) and all((e := doc.entities.get(i)) is not None and e.type == "Country" for i in ids)  # noqa: E731
    return (states(a) and set(a) == _side_keys(doc, b)) or (states(b) and set(b) == _side_keys(doc, a))


def _first_speaker(doc: Document, in_sentence: list[list[Mention]], times_in: list[list[TimeValue]],
                   found: list[list[_Hit]], ctxs: dict[int, _SentCtx]) -> list[str]:
    """Who speaks in the first person before being named: an interview's interviewee.

    The first person or body that is the subject of a speech verb (قال، أكد ...)
    anywhere in the article; "نُقدّر" in a headline bullet is theirs.  ``found``
    holds each sentence's triggers; the contexts built here are left in
    ``ctxs`` (by sentence) for the event search to reuse.
    """
    for k, sent in enumerate(doc.sentences):
        hits = [h for h in found[k] if h.trigger.type == "STATEMENT"]
        if not hits:
            continue
        ctx = ctxs[k] = _sentence_ctx(doc, sent, in_sentence[k], times_in[k])
        for hit in hits:
            said_by = [a for a in _slot(ctx, hit, "subj", None, []) if isinstance(a, _Arg)]
            if said_by and _types(doc, said_by[0]) & {"Person", "GovernmentBody"}:
                return _ids(said_by)
    return []


def _merge(doc: Document, events: list[Event]) -> list[Event]:
    """The same event stated twice in an article is one event with two evidence spans.

    Same type, actors and targets, and times that do not contradict (equal, or
    one of them unknown: a headline restating the lead) make one event; it
    keeps the first known time and place and the highest confidence.
    """
    out: list[Event] = []
    for ev in events:
        twin = next(
            (
                o for o in out
                if o.type == ev.type
                and (
                    (set(o.actor) == set(ev.actor) and set(o.target) == set(ev.target))
                    or (0 in (o.sentence, ev.sentence) and _compatible(doc, o.actor, ev.actor) and _compatible(doc, o.target, ev.target))
                )
                and (o.time is None or ev.time is None or o.time.value == ev.time.value)
            ),
            None,
        )
        if twin is None:
            out.append(ev)
            continue
        twin.evidence.extend(span for span in ev.evidence if span not in twin.evidence)
        twin.confidence = max(twin.confidence, ev.confidence)
        if twin.time is None and ev.time is not None:
            twin.time, twin.status = ev.time, ev.status
        if not twin.place:
            twin.place = ev.place
    return out
