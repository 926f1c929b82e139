"""NER throughput: sentences per second of the shipped Stanza model on this machine.

Why: the pipeline tags every sentence of every article, and the issue's goal is
≥ 400 sentences/s on 2 CPU cores.  This measures ``diplograph.extract.ner.tag``
(the same code path as ``ner_mentions``: one cached ``stanza.Pipeline``,
sentences sorted by length, batched, ``torch.inference_mode``) over real news
sentences (ANERcorp test when ``../shared`` is present, else the test sample
repeated) for several torch thread counts and batch sizes, and reports where the
time goes (model load vs tagging).

Usage::

    .venv/bin/python benchmarks/ner_throughput.py [--model default] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from diplograph.extract import ner
from diplograph.extract.ner_training import read_conll

__all__ = ["main", "measure"]

ROOT = Path(__file__).resolve().parents[1]
ANERCORP_TEST = ROOT / ".." / "shared" / "data" / "ner" / "anercorp" / "test.conll"
SAMPLE = ROOT / "tests" / "data" / "ner_sample.conll"


def _sentences() -> tuple[list[list[str]], str]:
    if ANERCORP_TEST.is_file():
        return [[w for w, _ in s] for s in read_conll(ANERCORP_TEST)], "ANERcorp test"
    sents = [[w for w, _ in s] for s in read_conll(SAMPLE)]
    return sents * 200, "tests/data/ner_sample.conll x200"


def measure(model: str, sents: list[list[str]], threads: int, batch_size: int, repeat: int = 2) -> dict:
    """Best of ``repeat`` timed passes over ``sents`` (the pipeline is warmed up first)."""
    torch.set_num_threads(threads)
    ner.tag(sents[:batch_size], model=model, batch_size=batch_size)  # load + warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        ner.tag(sents, model=model, batch_size=batch_size)
        best = min(best, time.perf_counter() - t0)
    n_tok = sum(map(len, sents))
    return {
        "threads": threads,
        "batch_size": batch_size,
        "sentences": len(sents),
        "tokens": n_tok,
        "seconds": round(best, 3),
        "sentences_per_s": round(len(sents) / best, 1),
        "tokens_per_s": round(n_tok / best),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batch-sizes", default="16,32,64,128")
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    args = ap.parse_args()

    sents, source = _sentences()
    t0 = time.perf_counter()
    ner.load_pipeline(args.model, batch_size=128)
    load_s = time.perf_counter() - t0
    rows = [
        measure(args.model, sents, int(t), int(b))
        for t in args.threads.split(",")
        for b in args.batch_sizes.split(",")
    ]
    mean_len = sum(map(len, sents)) / len(sents)
    print(f"model {args.model}; {len(sents)} sentences from {source}, mean {mean_len:.1f} tokens")
    print(f"pipeline load: {load_s:.2f} s (once per process)")
    print(f"{'threads':>7} {'batch':>5} {'sent/s':>8} {'tok/s':>8} {'seconds':>8}")
    for r in rows:
        print(
            f"{r['threads']:>7} {r['batch_size']:>5} {r['sentences_per_s']:>8} {r['tokens_per_s']:>8} {r['seconds']:>8}"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"source": source, "load_seconds": round(load_s, 2), "rows": rows}, indent=2),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
