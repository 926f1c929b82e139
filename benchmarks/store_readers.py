"""How long the commands that read a whole store take at about a million triples.

Why: ``diplograph events``, the merge view, the network behind ``html``,
``analyze`` and ``graph-export``, and ``validate`` read every event of the
store, so they grow with the archive; an analyst with a few thousand articles
should not wait minutes.  The store is ``sparql_latency.py``'s synthetic one
(made by our own ``graph/rdf.py``, written as ``build`` writes), on disk.

Run by hand::

    .venv/bin/python benchmarks/store_readers.py [--triples 1000000] [--runs 3] [--validate] [--memory-articles 50]

Prints one Markdown table: each reader's wall time (best and median of the
runs, one process, the store warm) and what it returned.  ``--validate`` adds
SHACL validation of the whole store (about 100 s a million triples, once);
the export and the network are also timed on rdflib's in-memory store of the
first ``--memory-articles`` articles, whose engine joins differently.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from sparql_latency import _load, make_documents  # noqa: E402 - the same synthetic store

from diplograph.graph import sparql as sq  # noqa: E402
from diplograph.graph.events import export_events  # noqa: E402
from diplograph.graph.merge import merged_events  # noqa: E402
from diplograph.graph.network import project  # noqa: E402
from diplograph.graph.rdf import article_triples  # noqa: E402
from diplograph.graph.store import KnowledgeStore  # noqa: E402
from diplograph.graph.validate import validate  # noqa: E402


def _timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    result = fn()  # warm-up, and the answer to describe
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times, result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="target size of the store")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per reader (after one warm-up)")
    ap.add_argument("--validate", action="store_true", help="also validate the whole store (slow, run once)")
    ap.add_argument("--memory-articles", type=int, default=50,
                    help="also time export and network on rdflib's in-memory store of this many articles (0: not)")
    args = ap.parse_args(argv)

    probe = make_documents(50)
    per_article = sum(len(article_triples(d)) for d in probe) / len(probe)
    docs = make_documents(max(10, int(args.triples / (per_article + 2))))
    tmp = Path(tempfile.mkdtemp(prefix="diplograph-readers-"))
    try:
        kg = KnowledgeStore(tmp / "kg", create=True)
        _load(kg, docs)
        quads = len(kg)
        kg._ox.optimize()  # noqa: SLF001 - what a long-lived store converges to
        lib = {q.name: q for q in sq.library()}
        same_event = sq.inline_bindings(lib["same_event"].text, sq.bind_params(lib["same_event"].params, {}))
        meetings = sq.inline_bindings(lib["meetings"].text, sq.bind_params(lib["meetings"].params, {}))
        readers: list[tuple[str, Callable[[], Any], Callable[[Any], str]]] = [
            ("`query same_event` (sparql.run)", lambda: sq.run(kg, same_event), lambda r: f"{len(r[1]):,} rows"),
            ("`query meetings`, all time (sparql.run)", lambda: sq.run(kg, meetings), lambda r: f"{len(r[1]):,} rows"),
            ("`export_events` (`events`)", lambda: export_events(kg), lambda r: f"{len(r):,} events"),
            ("`merged_events` (merge view)", lambda: merged_events(kg), lambda r: f"{len(r):,} merged events"),
            ("`project` (`html`, `analyze`, `graph-export`)", lambda: project(kg),
             lambda g: f"{g.number_of_nodes():,} actors, {g.number_of_edges():,} edges"),
        ]
        rows = []
        for name, fn, describe in readers:
            times, result = _timed(fn, args.runs)
            rows.append((name, min(times), statistics.median(times), describe(result)))
            print(f"{name}: {min(times):.3f} s", flush=True)
        if args.validate:
            t0 = time.perf_counter()
            conforms, _ = validate(kg)
            took = time.perf_counter() - t0
            rows.append(("`validate` (pyshacl, once)", took, took, "conforms" if conforms else "does not conform"))
        kg.close()
        if args.memory_articles:
            # rdflib's engine joins differently (graph/events.py): its store is timed too.
            mem = KnowledgeStore(None)
            _load(mem, docs[: args.memory_articles])
            for name, fn, describe in (
                (f"`export_events`, rdflib in memory, {args.memory_articles} articles", lambda: export_events(mem),
                 lambda r: f"{len(r):,} events"),
                (f"`project`, rdflib in memory, {args.memory_articles} articles", lambda: project(mem),
                 lambda g: f"{g.number_of_nodes():,} actors, {g.number_of_edges():,} edges"),
            ):
                times, result = _timed(fn, args.runs)
                rows.append((name, min(times), statistics.median(times), describe(result)))
                print(f"{name}: {min(times):.3f} s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    load = os.getloadavg()
    print(f"\nRun {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}. "
          f"Store: {len(docs):,} synthetic articles, {quads:,} quads, on disk; wall seconds, best and median of "
          f"{args.runs} runs after a warm-up.\n")
    print("| reader | best (s) | median (s) | answer |")
    print("|---|---:|---:|---|")
    for name, best, med, what in rows:
        print(f"| {name} | {best:.3f} | {med:.3f} | {what} |")


if __name__ == "__main__":
    main()
