"""A synthetic Arabic diplomatic-news corpus, reproducible by seed, for benchmarks only.

Why: the benchmarks need thousands of articles that look like the news the
pipeline reads (office holders with their Arabic titles, capitals, event
triggers, dates in every form) without shipping or depending on anyone's text.
Every word here comes from diplograph's own data files or from the short
templates below:

* actors from ``extract/data/actors/*.yaml``: countries (name, nisba,
  capital), office holders (name, office, country) with the Arabic title of
  their role from ``roles.yaml``, organizations and places;
* triggers from ``extract/data/triggers.tsv``: verb forms (past and present),
  masdars and multi-word phrases, for all 22 event types;
* dates from ``extract/data/time_lexicon.yaml``: relative days and weekdays,
  Gregorian months in both the Egyptian (مايو) and the Levantine (أيار) series
  and the pair (مايو/ أيار), Hijri dates (tabular Umm al-Qura approximation)
  with هـ, and "الشهر الماضي"-style expressions.

Each article has a title line, a dateline and 5–20 sentences (mean sentence
length close to real news: ~25 tokens), and a ``published`` date between 2017
and 2025.  The text is not meant to be good Arabic prose; it is meant to
exercise every stage the way real articles do.

Usage::

    .venv/bin/python benchmarks/synthetic.py --articles 1000 --seed 1 -o /tmp/syn_1000.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from diplograph import extract

__all__ = ["Lexicon", "generate", "load_lexicon", "main", "to_hijri"]

DATA = Path(extract.__file__).resolve().parent / "data"

#: Frames of triggers.tsv and what the object of the sentence is.
_PLACE_FRAMES = {"visit", "visit_to"}
_PERSON_FRAMES = {"host", "meet", "meet_with", "phone", "mediate", "negotiate", "negotiate_between"}


@dataclass(slots=True)
class Country:
    """A country as the generator writes it."""

    ar: str
    nisba: str | None
    capital: str | None


@dataclass(slots=True)
class Person:
    """An office holder: name and the Arabic phrase of the office (title + nisba)."""

    name: str
    office: str


@dataclass(slots=True)
class Trigger:
    """One trigger line of triggers.tsv."""

    type: str
    pos: str
    forms: list[str]
    frame: str


@dataclass
class Lexicon:
    """Everything the templates draw from, read from diplograph's data files."""

    countries: list[Country]
    people: list[Person]
    orgs: list[str]
    places: list[str]
    triggers: list[Trigger]
    greg_months: dict[int, list[str]]
    hijri_months: dict[int, list[str]]
    weekdays: dict[int, list[str]]
    relative_days: list[str]
    direction: dict[str, list[str]] = field(default_factory=dict)


def _read_yaml(name: str) -> dict:
    with open(DATA / "actors" / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _role_titles() -> dict[str, str]:
    """Role key -> the first Arabic title that denotes it (definite form preferred)."""
    out: dict[str, str] = {}
    for t in _read_yaml("roles.yaml")["titles"]:
        ar = [a for a in t["ar"] if a.startswith("ال")] or t["ar"]
        for role in t.get("roles", []):
            out.setdefault(role, ar[0])
    return out


def _li(name: str) -> str:
    """The preposition ل attached to a name: الأمم المتحدة -> للأمم المتحدة."""
    return "لل" + name[2:] if name.startswith("ال") else "ل" + name


def load_lexicon() -> Lexicon:
    """Read the actor dictionary, the trigger lexicon and the time lexicon."""
    countries: dict[str, Country] = {}
    for c in _read_yaml("countries.yaml")["countries"]:
        nisba = (c.get("nisba") or [None])[0]
        cap = (c.get("capital") or {}).get("ar")
        countries[str(c["id"])] = Country(c["ar"], nisba, cap)
    orgs_raw = _read_yaml("organizations.yaml")["organizations"]
    org_names = {str(o["id"]): o["ar"] for o in orgs_raw}
    titles = _role_titles()
    people: list[Person] = []
    for p in _read_yaml("people.yaml")["people"]:
        offices = p.get("offices") or []
        if not offices:
            continue
        off = offices[-1]
        title = titles.get(off.get("role", ""))
        of = str(off.get("of", ""))
        if title is None:
            office = ""
        elif of in countries and countries[of].nisba:
            office = f"{title} ال{countries[of].nisba}"
        elif of in countries:
            office = f"{title} في {countries[of].ar}"
        elif of in org_names:
            office = f"{title} {_li(org_names[of])}"
        else:
            office = title
        people.append(Person(p["ar"], office))
    places = [p["ar"] for p in _read_yaml("places.yaml")["places"]]
    orgs = [o["ar"] for o in orgs_raw if o.get("type") == "Organization"]

    triggers: list[Trigger] = []
    with open(DATA / "triggers.tsv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "id\t")) or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 5 or cols[2] == "stop":
                continue
            triggers.append(Trigger(cols[1], cols[2], cols[3].split("|"), cols[4]))

    with open(DATA / "time_lexicon.yaml", encoding="utf-8") as fh:
        tl = yaml.safe_load(fh)
    rel = [w for ws in tl["relative_days"].values() for w in ws]
    return Lexicon(
        countries=[c for c in countries.values() if c.capital],
        people=people,
        orgs=orgs,
        places=places,
        triggers=triggers,
        greg_months={int(k): v for k, v in tl["gregorian_months"].items()},
        hijri_months={int(k): v for k, v in tl["hijri_months"].items()},
        weekdays={int(k): v for k, v in tl["weekdays"].items()},
        relative_days=rel,
        # masculine singular only: the units and months they follow are masculine
        direction={k: [w for w in v if not w.endswith(("ة", "ين", "ان"))] for k, v in tl["direction"].items()},
    )


def to_hijri(day: dt.date) -> tuple[int, int, int]:
    """Gregorian -> tabular Islamic (civil) date; within a day or two of Umm al-Qura.

    >>> to_hijri(dt.date(2025, 5, 13))
    (1446, 11, 15)
    """
    jd = day.toordinal() + 1721425  # Julian day number
    n = jd - 1948440 + 10632
    cycles = (n - 1) // 10631
    n = n - 10631 * cycles + 354
    j = ((10985 - n) // 5316) * ((50 * n) // 17719) + (n // 5670) * ((43 * n) // 15238)
    n = n - ((30 - j) // 15) * ((17719 * j) // 50) - (j // 16) * ((15238 * j) // 43) + 29
    month = (24 * n) // 709
    d = n - (709 * month) // 24
    year = 30 * cycles + j - 30
    return year, month, d


# Fillers: the clauses that make sentences as long as real news sentences.
_TOPICS = [
    "سبل تعزيز العلاقات الثنائية بين البلدين في مختلف المجالات",
    "آخر المستجدات الإقليمية والدولية ذات الاهتمام المشترك",
    "الجهود المبذولة لخفض التصعيد وإحلال السلام في المنطقة",
    "فرص التعاون الاقتصادي والاستثماري والتجاري بين الجانبين",
    "الأوضاع الإنسانية وضرورة إيصال المساعدات دون عوائق",
    "التنسيق المشترك إزاء القضايا المطروحة على الساحة الدولية",
    "مجالات التعاون في قطاعات الطاقة والتعليم والصحة والأمن",
]
_REASONS = [
    "في إطار العلاقات الأخوية الوثيقة التي تربط البلدين الشقيقين",
    "وذلك بحضور عدد من كبار المسؤولين من الجانبين",
    "على هامش أعمال الاجتماع الوزاري المنعقد في المنطقة",
    "حيث جرى التأكيد على أهمية مواصلة التشاور والتنسيق",
    "وفق ما أفادت به وكالة الأنباء الرسمية في بيان لها",
    "بحسب ما ذكره بيان صادر عن وزارة الخارجية",
]


class _Writer:
    """Builds one article's sentences with a private random generator."""

    def __init__(self, lex: Lexicon, rng: random.Random, published: dt.date) -> None:
        self.lex = lex
        self.rng = rng
        self.pub = published

    # -- slots -------------------------------------------------------------
    def person(self) -> str:
        p = self.rng.choice(self.lex.people)
        return f"{p.office} {p.name}".strip()

    def country(self) -> Country:
        return self.rng.choice(self.lex.countries)

    def capital_phrase(self) -> str:
        c = self.country()
        if c.nisba and self.rng.random() < 0.5:
            return f"العاصمة ال{c.nisba}ة {c.capital}"
        return str(c.capital)

    def actor(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return self.person()
        if r < 0.8:
            return self.country().ar
        if r < 0.9:
            return str(self.country().capital)
        return self.rng.choice(self.lex.orgs)

    def date(self) -> str:
        """A date expression of one of the forms the time lexicon knows."""
        rng, lex = self.rng, self.lex
        when = self.pub - dt.timedelta(days=rng.randint(-20, 20))
        kind = rng.random()
        g_egy, g_lev = lex.greg_months[when.month][0], lex.greg_months[when.month][1]
        if kind < 0.3:
            rel = rng.choice(lex.relative_days)
            return rng.choice([rel, f"{rel} {rng.choice(lex.weekdays[self.pub.weekday()])}"])
        if kind < 0.4:
            wd = rng.choice(lex.weekdays[rng.randint(0, 6)])
            return f"{rng.choice(['مساء', 'صباح', 'يوم'])} {wd}"
        if kind < 0.55:
            return f"{when.day} {g_egy} {when.year}"
        if kind < 0.65:
            return f"{when.day} {g_lev} {when.year}"
        if kind < 0.75:
            return f"في {when.day} {g_egy}/ {g_lev} {when.year}"
        if kind < 0.85:
            hy, hm, hd = to_hijri(when)
            wd = lex.weekdays[when.weekday()][0]
            return f"{wd} {hd} {lex.hijri_months[hm][0]} {hy} هـ الموافق {when.day} {g_egy} {when.year} م"
        if kind < 0.92:
            unit = rng.choice(["الأسبوع", "الشهر", "العام"])
            return f"{unit} {rng.choice(lex.direction[rng.choice(['past', 'next'])])}"
        return f"مطلع {g_egy} {rng.choice(lex.direction['next'])}"

    def trigger(self, pos: set[str]) -> Trigger:
        return self.rng.choice([t for t in self.lex.triggers if t.pos in pos])

    def phrase(self, t: Trigger) -> str:
        return " ".join(self.rng.choice(w.split(",")) for w in t.forms[0].split(" "))

    def obj(self, t: Trigger) -> str:
        if t.frame == "visit_to":
            return "إلى " + self.capital_phrase()
        if t.frame in _PLACE_FRAMES:
            return self.capital_phrase()
        if t.frame in _PERSON_FRAMES:
            return ("مع " if t.frame.endswith("with") or self.rng.random() < 0.3 else "") + self.person()
        return "ب" + self.rng.choice(["موقف", "جهود", "قرار", "دور"]) + " " + self.country().ar

    # -- sentences ---------------------------------------------------------
    def verb_sentence(self) -> str:
        t = self.trigger({"verb"})
        verb = t.forms[0]
        conj = self.rng.choice(["", "و"])
        s = f"{conj}{verb} {self.actor()} {self.obj(t)} {self.date()}، {self.rng.choice(_REASONS)}"
        if self.rng.random() < 0.6:
            s += f"، وبحث معه {self.rng.choice(_TOPICS)}"
        return s + "."

    def noun_sentence(self) -> str:
        t = self.trigger({"noun"})
        noun = self.rng.choice(t.forms)
        lead = self.rng.choice(["وجاءت", "وتأتي", "وتناولت", "وشهدت"])
        return (
            f"{lead} ال{noun} التي جرت بين {self.country().ar} و{self.country().ar} {self.date()} "
            f"{self.rng.choice(_TOPICS)}، {self.rng.choice(_REASONS)}."
        )

    def phrase_sentence(self) -> str:
        t = self.trigger({"phrase"})
        return f"و{self.phrase(t)} {self.actor()} مع {self.person()} {self.date()} لبحث {self.rng.choice(_TOPICS)}."

    def statement(self) -> str:
        t = self.trigger({"verb"})
        present = t.forms[-1]
        return (
            f"وقال {self.person()} في تصريح صحفي {self.date()} إن {self.country().ar} "
            f"{present} {self.obj(t)}، مشيرا إلى {self.rng.choice(_TOPICS)}."
        )

    def filler(self) -> str:
        return (
            f"وأكد الجانبان {self.rng.choice(_REASONS)} أهمية {self.rng.choice(_TOPICS)}، "
            f"بما في ذلك الأوضاع في {self.rng.choice(self.lex.places)} ودور {self.rng.choice(self.lex.orgs)}."
        )

    def sentence(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.verb_sentence()
        if r < 0.5:
            return self.noun_sentence()
        if r < 0.62:
            return self.phrase_sentence()
        if r < 0.85:
            return self.statement()
        return self.filler()

    def article(self) -> tuple[str, str]:
        p = self.rng.choice(self.lex.people)
        t = self.trigger({"verb"})
        title = f"{p.name.split(' ')[-1]} {t.forms[-1]} {self.capital_phrase()}"
        n = self.rng.randint(5, 20)
        paras: list[str] = [title, ""]
        dateline = f"{self.rng.choice(self.lex.countries).capital} - {self.date()}:"
        para: list[str] = [dateline]
        for _ in range(n):
            para.append(self.sentence())
            if self.rng.random() < 0.3:
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        return title, "\n".join(paras) + "\n"


def generate(n_articles: int, seed: int = 1, lexicon: Lexicon | None = None) -> Iterator[dict]:
    """Yield ``n_articles`` JSON Lines records (``id``, ``published``, ``title``, ``source``, ``text``).

    The same ``seed`` and count give the same articles; article ``i`` of a
    larger set equals article ``i`` of a smaller one (each article draws from
    its own generator seeded by ``(seed, i)``).
    """
    lex = lexicon or load_lexicon()
    start = dt.date(2017, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    for i in range(n_articles):
        rng = random.Random(f"{seed}:{i}")
        pub = dt.date.fromordinal(start + rng.randint(0, span))
        title, text = _Writer(lex, rng, pub).article()
        yield {
            "id": f"syn-{seed}-{i:06d}",
            "published": pub.isoformat(),
            "title": title,
            "source": "diplograph synthetic",
            "text": text,
        }


def write_jsonl(path: Path, n_articles: int, seed: int = 1) -> int:
    """Write a synthetic corpus to ``path``; returns the number of bytes written."""
    with open(path, "w", encoding="utf-8") as fh:
        for rec in generate(n_articles, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    """Command line: write ``--articles`` synthetic articles as JSON Lines."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100, help="number of articles (e.g. 100, 1000, 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--out", default="-", help="output .jsonl ('-' for stdout)")
    args = ap.parse_args(argv)
    if args.out == "-":
        for rec in generate(args.articles, args.seed):
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        size = write_jsonl(Path(args.out), args.articles, args.seed)
        print(f"{args.articles} articles, {size / 1e6:.1f} MB -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
