"""Store load: how fast triples go into the Oxigraph store, and how big it gets on disk.

Why: issue 11 asks for load time and size on disk per million triples, with a goal of
100,000 triples per second.  Two paths put triples into a store, and both are measured
on the same synthetic graph (``sparql_latency.make_documents``, shaped like ours):

* **build**: ``article_ntriples`` + ``actor_ntriples`` (of actors not written yet) per
  article, then either one atomic Oxigraph transaction per article
  (``KnowledgeStore.replace_article_nt``: an N-Quads load for an article new to the
  store, a drop-and-insert update for a rebuilt one; both are timed; ``build
  --batch-quads 0``) or, as ``build`` does by default, an ``ArticleBatch`` (``KnowledgeStore.write_articles``)
  in batches of ``--batch-quads`` quads (bulk loader with an undo journal);
* **import**: ``diplograph import`` of the store's N-Quads export into an empty store
  (Oxigraph's bulk loader; undone if interrupted) and into a non-empty store (one
  transaction).

Usage::

    .venv/bin/python benchmarks/store_load.py --triples 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from diplograph.graph.export import export_store, import_file
from diplograph.graph.rdf import actor_key, actor_ntriples, article_ntriples
from diplograph.graph.store import DEFAULT_BATCH_QUADS, ArticleBatch, KnowledgeStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sparql_latency import EXTRACTED_AT, make_documents  # noqa: E402  (benchmarks/ is not a package)


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _build(
    kg: KnowledgeStore, docs: list, written: set, batch_quads: int | None = None
) -> tuple[float, float, int]:
    """Write every article as the build does; returns (rdf seconds, store seconds, quads sent).

    ``batch_quads`` None: one transaction per article (``replace_article_nt``);
    a number: an ``ArticleBatch`` of that size, as ``build --batch-quads``.
    """
    rdf_s = store_s = 0.0
    sent = 0
    batch = ArticleBatch(kg, batch_quads) if batch_quads is not None else None
    write = batch.add if batch is not None else kg.replace_article_nt
    for doc in docs:
        t0 = time.perf_counter()
        art = article_ntriples(doc, extracted_at=EXTRACTED_AT, pipeline_version="bench")
        fresh = [e for e in doc.entities.values() if actor_key(e) not in written]
        written.update(actor_key(e) for e in fresh)
        actors = actor_ntriples(fresh)
        t1 = time.perf_counter()
        write(doc.id, art, actors)
        rdf_s += t1 - t0
        store_s += time.perf_counter() - t1
        sent += art.count("\n") + actors.count("\n")
    if batch is not None:
        t0 = time.perf_counter()
        batch.flush()
        store_s += time.perf_counter() - t0
    return rdf_s, store_s, sent


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="target size of the graph")
    ap.add_argument("--rebuild", type=int, default=300, help="articles rebuilt to time the replace path")
    ap.add_argument("--batch-quads", type=int, default=DEFAULT_BATCH_QUADS, help="as build --batch-quads")
    args = ap.parse_args(argv)
    probe = make_documents(50)
    per_article = sum(article_ntriples(d).count("\n") for d in probe) / len(probe)
    docs = make_documents(max(10, int(args.triples / per_article)))
    tmp = Path(tempfile.mkdtemp(prefix="diplograph-load-"))
    rows: list[tuple[str, int, float, str]] = []
    try:
        kg = KnowledgeStore(tmp / "kg", create=True)
        written: set = set()
        rdf_s, store_s, _ = _build(kg, docs, written)
        kg.oxigraph.flush()
        quads = len(kg)
        rows.append(("build, new articles: RDF text + one N-Quads load each", quads, rdf_s + store_s,
                     f"RDF {rdf_s:.1f} s + store {store_s:.1f} s"))
        rows.append(("… the store write alone", quads, store_s, ""))
        size = _du(tmp / "kg")
        kgb = KnowledgeStore(tmp / "kgb", create=True)
        rdf_b, store_b, _ = _build(kgb, docs, set(), args.batch_quads)
        kgb.oxigraph.flush()
        rows.append((f"build, new articles in batches of {args.batch_quads:,} quads (bulk loader + journal, "
                     "as `build` writes them)", quads, rdf_b + store_b, f"RDF {rdf_b:.1f} s + store {store_b:.1f} s"))
        rows.append(("… the store write alone", quads, store_b, ""))
        kgb.close()
        shutil.rmtree(tmp / "kgb", ignore_errors=True)
        again = docs[: args.rebuild]
        rdf2, store2, sent2 = _build(kg, again, written)
        rows.append((f"build, {len(again)} articles rebuilt: drop + insert update each", sent2, rdf2 + store2,
                     f"store alone {sent2 / store2:,.0f} quads/s"))
        dump = tmp / "kg.nq"
        export_store(kg, dump, "nquads")
        kg.close()
        empty = KnowledgeStore(tmp / "kg2", create=True)
        t0 = time.perf_counter()
        n = sum(import_file(empty, dump).values())
        bulk_s = time.perf_counter() - t0
        rows.append(("import N-Quads into an empty store (bulk loader)", n, bulk_s, ""))
        t0 = time.perf_counter()
        n2 = sum(import_file(empty, dump).values())
        txn_s = time.perf_counter() - t0
        rows.append(("import the same file again (non-empty: one transaction)", n2, txn_s, ""))
        empty.oxigraph.flush()
        empty.close()
        size2 = _du(tmp / "kg2")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    print(f"_{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores · {_cpu()} · "
          f"Python {platform.python_version()} · load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}_\n")
    print(f"{len(docs):,} synthetic articles, **{quads:,} quads** (article graphs and the actors graph).\n")
    print("| path | quads | seconds | quads/s | note |\n|---|---:|---:|---:|---|")
    for name, n, secs, note in rows:
        print(f"| {name} | {n:,} | {secs:.1f} | {n / secs:,.0f} | {note} |")
    print(f"\nSize on disk: {size / 2**20:.0f} MiB after the build ({size / 2**20 / quads * 1e6:.0f} MiB per million "
          f"quads), {size2 / 2**20:.0f} MiB after the bulk import and re-import.")


if __name__ == "__main__":
    main()
