"""What one batch of new articles costs the store, as the store grows to tens of millions of quads.

Why this benchmark: building 10,000 synthetic articles with NER
(``pipeline_stages.py``), the store's background threads (RocksDB's
compactions) went from 0.14 to 0.93 CPU-ms per sentence as the store grew to
4.3 M quads, the one stage whose cost per article was not flat.  Two questions
follow that a 10,000-article run cannot answer: does that cost keep growing
with the store (a build of N articles would then cost more than linear in N),
and what does it cost per batch at the sizes an archive of tens of thousands of
articles reaches?

How: synthetic articles (``sparql_latency.make_documents``, RDF as ``build``
writes it) are written through :meth:`KnowledgeStore.write_articles` -- the
path ``build`` takes, journal included -- in batches of 1 M quads up to each
mark (fast: there the compactions of several batches merge), and the store is
left to settle (no background CPU for 2 s).  Then ``--reps`` batches of
``--probe`` quads, the size ``build`` writes by default, go in one at a time,
each followed by a wait until the store is idle again, and the CPU time of
the building thread and of the store's other threads is recorded per batch.
That is what a batch costs when articles arrive slower than the store
compacts, as they do with NER (one 100,000-quad batch every ~11 s).  ``--probe``
compares batch sizes (``build`` writes 250,000 since session 5).
A compaction does not follow every batch: most batches cost a fraction of a
second, one in a few costs seconds (the mean is what a build pays).

Usage::

    .venv/bin/python benchmarks/store_growth.py --marks 1,3,5,8,11,14,18 --reps 9 \\
        --json /tmp/store_growth.json --plot benchmarks/store_growth.png
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from diplograph.extract.model import Document
from diplograph.graph.rdf import actor_key, actor_ntriples, article_ntriples
from diplograph.graph.store import KnowledgeStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sparql_latency import EXTRACTED_AT, make_documents  # noqa: E402  (benchmarks/ is not a package)

__all__ = ["articles", "measure", "main"]


def articles(chunk: int = 2_000) -> Iterator[Document]:
    """Synthetic articles without end, generated ``chunk`` at a time (not held in memory)."""
    k = 0
    while True:
        for doc in make_documents(chunk, seed=7 + k):
            yield dataclasses.replace(doc, id=f"{doc.id}_{k:04d}")
        k += 1


def _background() -> float:
    """CPU seconds of this process's threads other than the calling one (the store's)."""
    return time.process_time() - time.thread_time()


def _settle(quiet: float = 2.0, threshold: float = 0.05) -> float:
    """Wait until the store's threads have used < ``threshold`` CPU-s over ``quiet`` s; seconds waited."""
    t0 = time.perf_counter()
    last = _background()
    while True:
        time.sleep(quiet)
        now = _background()
        if now - last < threshold:
            return time.perf_counter() - t0
        last = now


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(marks: list[float], probe: int, reps: int, fill_batch: int = 1_000_000) -> list[dict[str, Any]]:
    """One row per mark (millions of quads): the store's size and what a ``probe``-quad batch costs there."""
    docs = articles()
    written: set[Any] = set()
    total = 0

    def item(doc: Document) -> tuple[tuple[str, str, str], int]:
        nonlocal total
        art = article_ntriples(doc, extracted_at=EXTRACTED_AT, pipeline_version="bench")
        fresh = [e for e in doc.entities.values() if actor_key(e) not in written]
        written.update(actor_key(e) for e in fresh)
        n = art.count("\n")
        total += n
        return (doc.id, art, actor_ntriples(fresh)), n

    def take(quads: int) -> list[tuple[str, str, str]]:
        out, got = [], 0
        while got < quads:
            it, n = item(next(docs))
            out.append(it)
            got += n
        return out

    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="store-growth-"))
    try:
        with KnowledgeStore(tmp / "kg", create=True) as kg:
            for mark in marks:
                while total < mark * 1e6:
                    kg.write_articles(take(min(fill_batch, int(mark * 1e6 - total) + 1)), bulk_min=1)
                _settle()
                size = _du(tmp / "kg")
                at = total
                costs = []
                for _ in range(reps):
                    batch = take(probe)
                    b0, m0 = _background(), time.thread_time()
                    kg.write_articles(batch, bulk_min=1)
                    m1 = time.thread_time()
                    _settle()
                    costs.append((m1 - m0, _background() - b0))
                bg = [c[1] for c in costs]
                row = {
                    "store_quads": at,
                    "store_mb": round(size / 1e6),
                    "probe_quads": probe,
                    "reps": reps,
                    "main_cpu_s": round(statistics.mean(c[0] for c in costs), 3),
                    "background_cpu_s_mean": round(statistics.mean(bg), 3),
                    "background_cpu_s_median": round(statistics.median(bg), 3),
                    "background_cpu_s_max": round(max(bg), 3),
                    "background_cpu_s_each": [round(b, 2) for b in bg],
                    "cpu_s_per_mquad": round((statistics.mean(c[0] for c in costs) + statistics.mean(bg)) * 1e6 / probe, 1),
                }
                print(json.dumps(row), flush=True)
                rows.append(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def _plot(rows: list[dict[str, Any]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [r["store_quads"] / 1e6 for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.scatter([xi for xi, r in zip(x, rows, strict=True) for _ in r["background_cpu_s_each"]],
               [b for r in rows for b in r["background_cpu_s_each"]],
               s=12, color="grey", alpha=0.6, label="store's threads, each batch")
    ax.plot(x, [r["background_cpu_s_mean"] for r in rows], "o-", color="black", label="store's threads, mean")
    ax.plot(x, [r["main_cpu_s"] for r in rows], "^-", color="tab:blue", label="building thread, mean")
    ax.set_xlabel("quads already in the store (millions)")
    ax.set_ylabel(f"CPU s per batch of {rows[0]['probe_quads']:,} quads")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("What one batch of new articles costs the store, by store size")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--marks", default="1,3,5,8,11,14,18", help="store sizes, millions of quads")
    ap.add_argument("--probe", type=int, default=100_000, help="quads per measured batch")
    ap.add_argument("--reps", type=int, default=9, help="measured batches per mark")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--plot", type=Path)
    ap.add_argument("--from-json", type=Path, help="only draw --plot from this earlier --json")
    args = ap.parse_args(argv)
    if args.from_json:
        _plot(json.loads(args.from_json.read_text(encoding="utf-8"))["rows"], args.plot)
        return
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": f"{os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "load_average_before": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(meta), flush=True)
    rows = measure([float(m) for m in args.marks.split(",")], args.probe, args.reps)
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    if args.plot:
        _plot(rows, args.plot)


if __name__ == "__main__":
    main()
