"""Linking benchmark: are the gold entities of each article found and linked right?

For every article of ``../shared/eval/seeds_gold.json`` and ``dev_gold.json``
(text at ``../shared/<source_file>``, ``published`` from the gold), the
article is tokenized, tagged by the NER model when one is installed
(``extract/models/ner/default``; otherwise dictionary only, and the report says
so) and linked.  Then:

**Found and correctly linked** (accuracy), per gold entity: some linked
mention of the article carries an entity that *matches* it by the rules of
``SCHEMA.md``: the same Wikidata QID (or the same id), or English labels equal
after lower-casing and removing punctuation, or the system entity's Arabic
label, normalized (diacritics, tatweel, alef/ya/ta-marbuta folding, leading
ال dropped), equal to one of the gold entity's normalized ``aliases_ar``.
The *strict* figure leaves the Arabic-label rule out (id or English label
only), because an Arabic label can match an entity it is not ("الدوحة" is an
alias of both Doha and Qatar in the gold).

**Wrong links**: an outermost linked mention (what :func:`mentions_in`
returns by default, i.e. what the event rules see) is *judged* when its span
overlaps an occurrence in the text of some gold entity's alias (the gold says
what that span refers to); it is *wrong* when one of its entities (a plural
reference has two) matches no gold entity of the article.  Wrong-link rate = wrong / judged.  Mentions
that overlap no gold alias are not judged (the gold lists the entities of
events, not every name).  A government body of a gold country where the gold
annotates only the country ("الإدارة الأمريكية" linked to the US
administration, the gold has the United States) is a difference of
granularity, not a wrong entity: it is counted and listed apart.

Usage::

    .venv/bin/python benchmarks/linking_accuracy.py [--shared ../shared] [--no-ner] [-v]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

from diplograph.extract.gazetteer import load
from diplograph.extract.linking import link, mentions_in
from diplograph.extract.model import Document, Entity
from diplograph.extract.normalize import normalize
from diplograph.extract.tokenize import sentences_with_tokens

ROOT = Path(__file__).resolve().parent.parent


def _norm_ar(text: str) -> str:
    n = normalize(text).strip()
    return re.sub(r"^ال(?=..)", "", n)


def _norm_en(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def matches(ent: Entity, gold: dict) -> bool:
    """SCHEMA.md's entity match: QID/id, English label, or Arabic label in the aliases."""
    return strict_match(ent, gold) or _norm_ar(ent.label_ar) in {_norm_ar(a) for a in gold["aliases_ar"]}


def strict_match(ent: Entity, gold: dict) -> bool:
    """Same id / QID or same English label."""
    if ent.id == gold["id"] or (ent.wikidata and ent.wikidata == gold["id"]):
        return True
    return bool(ent.label_en) and _norm_en(ent.label_en) == _norm_en(gold["label_en"])


def _ner():
    """The NER function when a trained model is installed, else None (with the reason)."""
    try:
        from diplograph.extract.ner import ner_mentions
    except ImportError as exc:
        return None, f"no NER module ({exc.name})"
    if not (ROOT / "extract" / "models" / "ner" / "default").exists():
        return None, "no NER model in extract/models/ner/default"
    return ner_mentions, "Stanza NER (extract/models/ner/default)"


def run(shared: Path, use_ner: bool = True, verbose: bool = False) -> dict:
    """Run the benchmark and print the report; returns the figures."""
    golds = []
    for name in ("seeds_gold.json", "dev_gold.json"):
        path = shared / "eval" / name
        if path.exists():
            golds.extend(json.loads(path.read_text(encoding="utf-8")))
    ner, ner_note = _ner() if use_ner else (None, "NER disabled (--no-ner)")
    print(f"NER: {ner_note}" + ("" if ner else " — dictionary only"))
    n_gold = n_found = n_strict = 0
    judged = wrong = 0
    elapsed = 0.0
    misses: list[str] = []
    wrongs: list[str] = []
    coarse: list[str] = []
    by_label: list[str] = []
    load()  # the dictionary is loaded once per process; time the linking alone
    for g in golds:
        text = (shared / g["source_file"]).read_text(encoding="utf-8")
        doc = Document(g["doc_id"], text, published=dt.date.fromisoformat(g["published"]))
        doc.sentences = sentences_with_tokens(text)
        if ner is not None:
            try:
                doc.mentions = ner(doc.sentences)
            except (FileNotFoundError, OSError, RuntimeError) as exc:  # NERModelUnavailable too
                print(f"NER failed ({exc}); dictionary only")
                ner = None
        t0 = time.perf_counter()
        link(doc)
        elapsed += time.perf_counter() - t0
        linked = {i: doc.entities[i] for m in doc.mentions for i in m.entity_ids if i in doc.entities}
        for ge in g["entities"]:
            n_gold += 1
            if any(matches(e, ge) for e in linked.values()):
                n_found += 1
            else:
                misses.append(f"{g['doc_id']}: {ge['id']} {ge['label_en']} ({' / '.join(ge['aliases_ar'][:3])})")
            if any(strict_match(e, ge) for e in linked.values()):
                n_strict += 1
            elif any(matches(e, ge) for e in linked.values()):
                by_label.append(f"{g['doc_id']}: {ge['id']} {ge['label_en']}")
        # Gold alias occurrences (raw substrings, as the gold writes them).
        spans: list[tuple[int, int]] = []
        for ge in g["entities"]:
            for alias in ge["aliases_ar"]:
                for mm in re.finditer(re.escape(alias), text):
                    spans.append((mm.start(), mm.end()))
        for m in mentions_in(doc, 0, len(text)):
            if not any(m.start < e and s < m.end for s, e in spans):
                continue
            judged += 1
            ents = [doc.entities[i] for i in m.entity_ids if i in doc.entities]
            # Every entity of the mention must be right (both referents of "البلدين").
            if ents and all(any(matches(e, ge) for ge in g["entities"]) for e in ents):
                continue
            line = f"{g['doc_id']}: {m.text!r} -> {', '.join(m.entity_ids)} ({m.source})"
            if all(e.type == "GovernmentBody" and e.affiliation and any(
                    ge["id"] == e.affiliation for ge in g["entities"]) for e in ents):
                coarse.append(line)
                continue
            wrong += 1
            wrongs.append(line)
    acc = n_found / n_gold if n_gold else 0.0
    strict = n_strict / n_gold if n_gold else 0.0
    rate = wrong / judged if judged else 0.0
    print(f"articles: {len(golds)}, gold entities: {n_gold}, "
          f"linking time: {elapsed * 1000:.0f} ms in all ({elapsed * 1000 / max(len(golds), 1):.1f} ms per article)")
    print(f"found and correctly linked: {n_found}/{n_gold} = {acc:.1%} (strict, id or English label: {strict:.1%})")
    print(f"wrong links: {wrong}/{judged} judged mentions = {rate:.1%}")
    print(f"found only through the Arabic-label rule ({len(by_label)}):")
    for line in by_label:
        print("  " + line)
    print(f"misses ({len(misses)}):")
    for line in misses:
        print("  " + line)
    print(f"wrong links ({len(wrongs)}):")
    for line in wrongs if verbose or len(wrongs) <= 30 else wrongs[:30]:
        print("  " + line)
    print(f"body of a gold country, gold has the country only (not counted as wrong) ({len(coarse)}):")
    for line in coarse:
        print("  " + line)
    return {"accuracy": acc, "strict": strict, "wrong_rate": rate, "gold": n_gold, "judged": judged}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--no-ner", action="store_true", help="dictionary only")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not (args.shared / "eval").exists():
        print(f"skipped: {args.shared}/eval is absent (the shared gold is needed)")
        return 0
    run(args.shared, use_ner=not args.no_ner, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
