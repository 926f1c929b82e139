"""Articles per second: serial vs a process pool vs a Dask LocalCluster, and memory per worker.

The bundled example articles are replicated (with distinct ids) to ``--articles``
documents and run through :func:`diplograph.graph.distributed.process_articles`
in each mode; the driver also writes every result into a fresh store through
:class:`~diplograph.graph.store.ArticleBatch` (batches of ``--batch-quads``
quads, ``build``'s default unless told; 0: one transaction per article), as
``build`` would, so the figure is end to end.  A sampler thread reads the resident memory (RSS) of
the driver and of every child process every 0.2 s; the peak of each worker
is reported.  ``--push`` also times ``push`` of such a store into a local
Oxigraph server (Graph Store PUT and SPARQL Update) and the store's size.

Usage::

    .venv/bin/python benchmarks/scaleout.py --articles 40 --out benchmarks/RESULTS_scaleout.md
    .venv/bin/python benchmarks/scaleout.py --articles 40 --no-ner     # rules only
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from diplograph.extract.model import Document
from diplograph.extract.reader import read_documents
from diplograph.graph.distributed import process_articles, write_result
from diplograph.graph.store import DEFAULT_BATCH_QUADS, ArticleBatch, KnowledgeStore

__all__ = ["corpus", "measure", "measure_push", "main"]

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [ROOT / "examples" / "articles", ROOT / "examples" / "articles.jsonl", ROOT / "examples" / "heldout"]


def corpus(n: int) -> list[Document]:
    """``n`` documents: the examples repeated, each copy with its own id."""
    base = list(read_documents(INPUTS))
    return [dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i:04d}") for i in range(n)]


class Sampler(threading.Thread):
    """Peak RSS of this process and of each of its descendants."""

    def __init__(self, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.stop_event = threading.Event()
        self.me = psutil.Process()
        self.peak: dict[int, tuple[int, str]] = {}

    def run(self) -> None:
        while not self.stop_event.is_set():
            for p in [self.me, *self.me.children(recursive=True)]:
                try:
                    rss = p.memory_info().rss
                    cmd = " ".join(p.cmdline())[:160]
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                if rss > self.peak.get(p.pid, (0, ""))[0]:
                    self.peak[p.pid] = (rss, cmd)
            self.stop_event.wait(self.every)

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=5)


def measure(
    n: int,
    use_ner: bool,
    workers: int,
    scheduler: str | None,
    torch_threads: int | None = None,
    batch_quads: int = DEFAULT_BATCH_QUADS,
) -> dict[str, Any]:
    """Run one mode; throughput and memory figures.

    ``torch_threads`` sets PyTorch's threads in this process for a serial
    run (workers always get ``cores // workers``).
    """
    docs = corpus(n)
    saved = None
    if torch_threads and use_ner:
        import torch

        saved = torch.get_num_threads()
        torch.set_num_threads(torch_threads)
    sampler = Sampler()
    sampler.start()
    cpu0 = os.times()
    t0 = time.perf_counter()
    first: float | None = None
    events = 0
    with tempfile.TemporaryDirectory(prefix="scaleout-") as tmp, KnowledgeStore(Path(tmp) / "kg", create=True) as kg:
        batch = ArticleBatch(kg, batch_quads)
        for res in process_articles(docs, workers=workers, scheduler=scheduler, use_ner=use_ner):
            if first is None:
                first = time.perf_counter() - t0
            assert res.error is None, res.error
            batch.add(res.doc_id, res.article_nt, res.actors_nt)
            events += res.events
        batch.flush()
        stored = len(kg.article_ids())
    total = time.perf_counter() - t0
    sampler.stop()
    # CPU seconds of this process and of its reaped children (the pool's and
    # the cluster's workers, which have exited by now): what the work costs,
    # independent of how busy the machine was.
    cpu1 = os.times()
    cpu = sum(getattr(cpu1, f) - getattr(cpu0, f) for f in ("user", "system", "children_user", "children_system"))
    if saved is not None:
        import torch

        torch.set_num_threads(saved)
    me = os.getpid()
    driver = sampler.peak.get(me, (0, ""))[0]
    kids = [(rss, cmd) for pid, (rss, cmd) in sampler.peak.items() if pid != me]
    # Dask's nannies run inside the driver; every child process is a worker.
    workers_rss = sorted((r for r, _ in kids), reverse=True)[: max(workers, 1)]
    if scheduler is None and workers == 1:
        workers_rss = [driver]
    steady = (n - 1) / (total - first) if first is not None and total > first and n > 1 else float("nan")
    return {
        "mode": (f"serial (torch threads {torch_threads or 'default'})" if use_ner else "serial")
        if (workers == 1 and scheduler is None)
        else (f"Dask LocalCluster ×{workers}" if scheduler else f"process pool ×{workers}"),
        "ner": use_ner,
        "articles": n,
        "stored": stored,
        "events": events,
        "seconds": round(total, 2),
        "first_result_s": round(first or 0.0, 2),
        "articles_per_s": round(n / total, 2),
        "steady_articles_per_s": round(steady, 2),
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_article": round(1000 * cpu / n),
        "driver_peak_mib": round(driver / 2**20),
        "worker_peak_mib": [round(r / 2**20) for r in workers_rss],
    }


def measure_push(n: int) -> list[dict[str, Any]]:
    """Build ``n`` articles (rules only), push them to ``oxigraph serve`` on loopback, both ways."""
    import subprocess
    import urllib.request

    from diplograph.graph.push import PushTarget, push_store
    from diplograph.graph.server import free_port, oxigraph_binary

    rows = []
    with tempfile.TemporaryDirectory(prefix="scaleout-push-") as tmp:
        store = Path(tmp) / "kg"
        with KnowledgeStore(store, create=True) as kg:
            for res in process_articles(corpus(n), use_ner=False):
                write_result(kg, res)
            triples = len(kg)
        files = [f for f in (store / "oxigraph").rglob("*") if f.is_file()]
        size = sum(f.stat().st_size for f in files)
        sst = sum(f.stat().st_size for f in files if f.suffix == ".sst")
        for method in ("gsp-put", "sparql-update"):
            port = free_port()
            proc = subprocess.Popen(
                [oxigraph_binary(), "serve", "--location", str(Path(tmp) / f"remote-{method}"), "--bind", f"127.0.0.1:{port}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            try:
                url = f"http://127.0.0.1:{port}"
                for _ in range(300):
                    try:
                        urllib.request.urlopen(url + "/", timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.05)
                target = PushTarget(graph_store=url + "/store") if method == "gsp-put" else PushTarget(endpoint=url + "/update")
                report = push_store(store, target)
                assert report.ok
                rows.append({
                    "push": method, "articles": n, "graphs": len(report.graphs), "triples": triples,
                    "store_mib_on_disk": round(size / 2**20, 1), "sst_mib": round(sst / 2**20, 1),
                    "bytes_per_triple_sst": round(sst / triples), "seconds": round(report.seconds, 2),
                    "graphs_per_s": round(len(report.graphs) / report.seconds, 1),
                    "triples_per_s": round(triples / report.seconds),
                })
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-ner", action="store_true", help="Rules only (no Stanza)")
    ap.add_argument("--both", action="store_true", help="Run with NER and without")
    ap.add_argument("--push", type=int, default=0, metavar="N", help="Also time pushing a store of N articles")
    ap.add_argument("--json", type=Path, help="Also write the rows as JSON")
    ap.add_argument("--batch-quads", type=int, default=DEFAULT_BATCH_QUADS,
                    help="as build --batch-quads: new articles written in batches of this many quads (0: one each)")
    args = ap.parse_args()
    settings = [False, True] if args.both else [not args.no_ner]
    rows = []
    load_before = os.getloadavg()
    for use_ner in settings:
        modes: list[tuple[int, str | None, int | None]] = [(1, None, None)]
        if use_ner:
            modes.append((1, None, 1))
        modes += [(args.workers, None, None), (args.workers, "local", None)]
        for workers, scheduler, threads in modes:
            row = measure(args.articles, use_ner, workers, scheduler, threads, args.batch_quads)
            print(json.dumps(row), flush=True)
            rows.append(row)
    for row in measure_push(args.push) if args.push else []:
        print(json.dumps(row), flush=True)
        rows.append(row)
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "machine": f"{psutil.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB, {platform.platform()}",
        "python": platform.python_version(),
        "batch_quads": args.batch_quads,
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
