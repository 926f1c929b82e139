"""Accuracy of event times on the gold events of ``../shared/eval`` (issue 5).

For every gold event of ``seeds_gold.json`` and ``dev_gold.json``:

1. find its ``evidence`` in the article (``source_file`` relative to
   ``/work/shared``; the first occurrence);
2. take the sentence that contains it (:func:`diplograph.extract.tokenize.split_sentences`);
3. run :func:`~diplograph.extract.dates.find_times` over the whole article with
   the gold ``published`` date (the whole article, so that a sentence that
   continues the lead event can take its date);
4. choose with :func:`~diplograph.extract.dates.event_time`, passing the article
   text.  The trigger is the first word of the evidence that starts with one of
   the event type's trigger stems below (a stand-in for the rule engine's
   trigger word); when none does, the evidence's first word;
5. compare to the gold ``time`` by SCHEMA.md's full-match rule: equal, or
   inside the gold value at its precision (``2025-05-13`` is inside
   ``2025-05``).  A gold null is right only when no time is chosen (or the
   chosen one has no value).

Run: ``.venv/bin/python benchmarks/time_accuracy.py [--shared DIR] [--quiet]``.
Prints the accuracy and every miss; exits 0, or 0 with a message when the
shared folder is absent.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import re
import sys
from pathlib import Path

from diplograph.extract.dates import event_time, find_times, infer_published
from diplograph.extract.normalize import normalize
from diplograph.extract.tokenize import split_sentences

__all__ = ["TRIGGER_STEMS", "find_trigger", "inside", "main", "published_agreement", "run"]

GOLD_FILES = ("eval/seeds_gold.json", "eval/dev_gold.json")

#: Normalized stems of trigger words, per event type: what the rule engine's
#: lexicon would fire on.  Only used to place the trigger inside the evidence.
TRIGGER_STEMS: dict[str, tuple[str, ...]] = {
    "STATEMENT": ("اكد", "قال", "اعلن", "اشار", "اضاف", "اوضح", "شدد", "جدد", "نفي", "بيان"),
    "APPEAL": ("دعا", "دعت", "دعو", "داعي", "ناشد", "حث"),
    "INTENT_TO_COOPERATE": ("التزام", "ملتزم", "مواصل", "اتفق", "تعهد", "نعمل", "ستواصل", "استمرار", "اكد", "نؤكد"),
    "MEET": ("اجتماع", "لقاء", "لقائ", "التقي", "يلتقي", "محادثات", "مباحثات", "بحث", "عقد", "لقاءات"),
    "PHONE_CALL": ("اتصال", "هاتفي"),
    "VISIT": ("زيار", "بزيار", "زار", "يزور", "جوله", "وصل", "توجه", "يتوجه"),
    "HOST": ("استقبل", "استضاف", "ستستضيف", "يستقبل"),
    "MEDIATE": ("وساط", "توسط"),
    "NEGOTIATE": ("مفاوضات", "محادثات", "جوله", "جولات", "حوار", "تفاوض"),
    "PRAISE": ("اشاد", "رحب", "مشيد", "نقدر", "يقدر", "ترحيب", "وصف"),
    "RECOGNIZE": ("اعتراف", "اعترف"),
    "SIGN_AGREEMENT": ("وقع", "توقيع", "تبادل", "ابرام", "اتفاقي", "معاهده"),
    "CEASEFIRE": ("هدن", "ابرام", "اتفاق"),
    "COOPERATE": ("تعاون", "نتعاون", "تمرين", "ننسق", "تنسيق"),
    "AID": ("مساعدات", "جسر", "نقل", "خصص"),
    "DEMAND": ("طالب", "مطالب", "يطالب", "تسعي"),
    "CRITICIZE": ("ادان", "ندد", "انتقد", "انتقادات", "نعارض", "اتهم"),
    "REJECT": ("رفض", "ترفض"),
    "THREATEN": ("هدد", "لوح", "ستستخلص"),
    "SANCTION": ("عقوبات", "فرض"),
    "WITHDRAW": ("انسحاب", "انسحب", "سحب", "الغاء", "تتراجع", "تسحب"),
    "ATTACK": ("قصف", "ترتكب", "الحرب", "العمليات", "هجوم"),
}
_CLITICS = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل")


def find_trigger(text: str, ev_start: int, evidence: str, etype: str) -> tuple[int, int]:
    """Offsets of the trigger word inside the evidence (see module docstring)."""
    stems = TRIGGER_STEMS.get(etype, ())
    words = list(re.finditer(r"\S+", evidence))
    for m in words:
        w = normalize(m.group()).strip("«»\"'“”،,.")
        forms = [w] + [w[len(c) :] for c in _CLITICS if w.startswith(c) and len(w) - len(c) >= 2]
        if any(f.startswith(s) for f in forms for s in stems):
            return ev_start + m.start(), ev_start + m.end()
    first = words[0] if words else None
    return (ev_start + first.start(), ev_start + first.end()) if first else (ev_start, ev_start + 1)


def _bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day an ISO value or interval covers."""
    a, _, b = value.partition("/")
    b = b or a

    def first(v: str) -> dt.date:
        parts = [int(x) for x in v.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    def last(v: str) -> dt.date:
        parts = [int(x) for x in v.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return dt.date(parts[0], 12, 31)

    return first(a), last(b)


def inside(system: str | None, gold: str | None) -> bool:
    """SCHEMA.md's rule 3: equal, or inside the gold value at its precision."""
    if gold is None:
        return system is None
    if system is None:
        return False
    if system == gold:
        return True
    s0, s1 = _bounds(system)
    g0, g1 = _bounds(gold)
    return g0 <= s0 and s1 <= g1


def run(shared: Path, trigger: str = "word") -> tuple[int, int, list[str], tuple[int, int]]:
    """Score every gold event.

    ``trigger="word"`` places the trigger with :data:`TRIGGER_STEMS`;
    ``"start"`` uses the evidence's first word (a harder, cruder setting).
    Returns (right, total, miss lines, (right, total) over gold events that
    have a time).
    """
    right = total = dated_right = dated = 0
    misses: list[str] = []
    for gold_file in GOLD_FILES:
        for art in json.loads((shared / gold_file).read_text("utf-8")):
            text = (shared / art["source_file"]).read_text("utf-8")
            pub = dt.date.fromisoformat(art["published"]) if art.get("published") else None
            times = find_times(text, pub)
            sents = split_sentences(text)
            for ev in art["events"]:
                total += 1
                at = text.find(ev["evidence"])
                if at < 0:
                    misses.append(f"{art['doc_id']} {ev['id']}: evidence not found")
                    continue
                sent = next(((a, b) for a, b in sents if a <= at < b), (at, at + len(ev["evidence"])))
                trig = find_trigger(text, at, ev["evidence"], ev["type"] if trigger == "word" else "")
                chosen = event_time(times, trig, sent, text=text)
                got = chosen.value if chosen is not None else None
                dated += ev.get("time") is not None
                if inside(got, ev.get("time")):
                    right += 1
                    dated_right += ev.get("time") is not None
                else:
                    raw = chosen.raw if chosen is not None else None
                    misses.append(f"{art['doc_id']} {ev['id']} {ev['type']}: gold {ev.get('time')} got {got} "
                                  f"({raw!r}); trigger {text[trig[0]:trig[1]]!r}; evidence {ev['evidence'][:70]!r}")
    return right, total, misses, (dated_right, dated)


def published_agreement(shared: Path) -> tuple[int, int, str]:
    """How often :func:`infer_published` finds the gold ``published`` date."""
    agree = have = n = 0
    for gold_file in GOLD_FILES:
        for art in json.loads((shared / gold_file).read_text("utf-8")):
            n += 1
            date, _ = infer_published((shared / art["source_file"]).read_text("utf-8"))
            if date is not None:
                have += 1
                agree += date.isoformat() == art.get("published")
    return agree, have, f"{have}/{n}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: print accuracy and misses."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared"))
    ap.add_argument("--quiet", action="store_true", help="print the accuracy only")
    ap.add_argument("--trigger", choices=("word", "start"), default="word",
                    help="trigger: a trigger-stem word of the evidence (default) or its first word")
    args = ap.parse_args(argv)
    if not all((args.shared / f).is_file() for f in GOLD_FILES):
        print(f"skipped: gold files not found under {args.shared} (needs {', '.join(GOLD_FILES)})")
        return 0
    right, total, misses, (dr, dn) = run(args.shared, args.trigger)
    agree, have, found = published_agreement(args.shared)
    print(f"time accuracy ({args.trigger} trigger): {right}/{total} = {100 * right / max(total, 1):.1f} %"
          f"  (goal >= 95 %); gold events with a time: {dr}/{dn}")
    print(f"infer_published: a header date in {found} of the articles; equal to the gold 'published' in "
          f"{agree}/{have} of those")
    if not args.quiet:
        for line in misses:
            print("  miss", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
