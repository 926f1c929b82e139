"""SPARQL latency of the analyst query library at about a million triples.

Why: analysts run the library queries interactively, so each must answer in
well under a second on a realistic store; the store is Oxigraph because it
should beat rdflib's in-memory store by an order of magnitude.  This script
measures both on the *same* synthetic graph in one run.

The graph is shaped like ours because it is made by our own code: synthetic
:class:`~diplograph.extract.model.Document` objects (articles with sentences,
mentions, entities and events) go through ``graph/rdf.py``'s
``article_ntriples`` / ``actor_ntriples`` and ``KnowledgeStore.replace_article_nt``,
exactly as ``diplograph build`` writes them.  Actor frequencies are skewed
(a few states and ministers appear in most articles, as in real news), times
mix day, month, year and interval precision, and about one event in ten is
re-reported by a later article so ``same_event`` has work to do.

Run by hand (it takes a few minutes; rdflib is the slow part)::

    .venv/bin/python benchmarks/sparql_latency.py --triples 1000000 \\
        --out benchmarks/RESULTS_sparql.md

Outputs a Markdown section (load time, triples/s, size on disk, p50/p95 of
every library query on Oxigraph and on rdflib in memory, and the ratio).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing as mp
import os
import platform
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diplograph.extract.model import Document, Entity, Event, Mention, Sentence, TimeValue
from diplograph.graph import sparql as sq
from diplograph.graph.rdf import actor_ntriples, article_ntriples, article_triples
from diplograph.graph.store import KnowledgeStore

__all__ = ["make_world", "make_documents", "measure", "main"]

EXTRACTED_AT = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)

# Rough shares of event types in diplomatic news (statements and meetings
# dominate; recognitions and ceasefires are rare).
TYPE_WEIGHTS = {
    "STATEMENT": 14, "MEET": 12, "VISIT": 8, "PHONE_CALL": 6, "HOST": 5, "CRITICIZE": 8, "PRAISE": 6,
    "APPEAL": 5, "DEMAND": 4, "INTENT_TO_COOPERATE": 5, "NEGOTIATE": 3, "MEDIATE": 2, "SIGN_AGREEMENT": 3,
    "COOPERATE": 3, "AID": 3, "ATTACK": 4, "SANCTION": 2, "THREATEN": 2, "REJECT": 2, "WITHDRAW": 1,
    "RECOGNIZE": 1, "CEASEFIRE": 1,
}


def make_world(rng: random.Random) -> list[Entity]:
    """About 1,000 actors: states, capitals, ministers, ministries, organizations.

    The first entities are the "big" actors; :func:`make_documents` draws
    with a Zipf-like skew so they dominate, as they do in the news.
    """
    ents: list[Entity] = []
    countries = [Entity(f"Q{100 + i}", f"Country {i}", f"دولة {i}", "Country", wikidata=f"Q{100 + i}") for i in range(200)]
    ents += countries
    for i, c in enumerate(countries):
        ents.append(Entity(f"Q{5000 + i}", f"Capital {i}", f"عاصمة {i}", "City", wikidata=f"Q{5000 + i}", affiliation=c.id))
        ents.append(Entity(f"X:Minister_{i}", f"Minister {i}", f"الوزير {i}", "Person", affiliation=c.id, role="Minister of Foreign Affairs"))
        ents.append(Entity(f"X:Leader_{i}", f"Leader {i}", f"الرئيس {i}", "Person", affiliation=c.id, role="President"))
        if i < 100:
            ents.append(Entity(f"X:MFA_{i}", f"Foreign Ministry {i}", f"وزارة الخارجية {i}", "GovernmentBody", affiliation=c.id))
    for i in range(60):
        ents.append(Entity(f"Q{9000 + i}", f"Organization {i}", f"منظمة {i}", "Organization", wikidata=f"Q{9000 + i}"))
    for i in range(40):
        ents.append(Entity(f"X:Facility_{i}", f"Palace {i}", f"قصر {i}", "Facility", affiliation=countries[i].id))
    return ents


def _skewed(rng: random.Random, items: list[Entity]) -> Entity:
    # Zipf-like: index ~ n * u^2.5 puts most draws on the first items (the
    # busiest actor takes part in about 7% of events, as the busiest state does
    # in diplomatic news).
    return items[min(len(items) - 1, int(len(items) * rng.random() ** 2.5))]


def _time(rng: random.Random, published: dt.date) -> TimeValue | None:
    r = rng.random()
    day = published - dt.timedelta(days=rng.randint(0, 20))
    if r < 0.35:
        return None
    if r < 0.75:
        return TimeValue(day.isoformat(), "أمس")
    if r < 0.88:
        return TimeValue(day.isoformat()[:7], "الشهر الماضي")
    if r < 0.93:
        return TimeValue(day.isoformat()[:4], "هذا العام")
    end = day + dt.timedelta(days=rng.randint(1, 4))
    return TimeValue(f"{day.isoformat()}/{end.isoformat()}", "من ... إلى ...")


def make_documents(n_articles: int, seed: int = 7) -> list[Document]:
    """Synthetic articles, each with 6-12 events among skewed actors."""
    rng = random.Random(seed)
    world = make_world(rng)
    by_type: dict[str, list[Entity]] = {}
    for e in world:
        by_type.setdefault(e.type, []).append(e)
    index = {e.id: e for e in world}
    # Interleave each state with its people and ministry, organizations every
    # tenth slot, so the skewed draw favours a few states *and* their ministers.
    actors: list[Entity] = []
    orgs = iter(by_type["Organization"])
    for i, c in enumerate(by_type["Country"]):
        actors += [e for e in (c, index.get(f"X:Minister_{i}"), index.get(f"X:Leader_{i}"), index.get(f"X:MFA_{i}")) if e]
        if i % 3 == 0:
            actors += [o for o in (next(orgs, None),) if o]
    places = by_type["City"] + by_type["Country"] + by_type["Facility"]
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    start = dt.date(2023, 1, 1)
    docs: list[Document] = []
    recent: list[Event] = []
    filler = "وقال المتحدث إن الجانبين بحثا العلاقات الثنائية والتطورات الإقليمية. "
    for a in range(n_articles):
        published = start + dt.timedelta(days=a * 900 // max(1, n_articles))
        text, sentences, events, mentions = "", [], [], []
        used: dict[str, Entity] = {}
        for k in range(rng.randint(6, 12)):
            if recent and rng.random() < 0.1:
                src = rng.choice(recent)  # the same event reported again by another article
                ev = Event(src.type, list(src.actor), list(src.target), list(src.place), src.time, src.status,
                           rule_id=src.rule_id, confidence=src.confidence, trigger=src.trigger)
            else:
                t = rng.choices(types, weights)[0]
                actor = _skewed(rng, actors)
                target = _skewed(rng, actors)
                while target.id == actor.id:
                    target = _skewed(rng, actors)
                place = [_skewed(rng, places).id] if t in ("VISIT", "MEET", "HOST", "NEGOTIATE", "SIGN_AGREEMENT") or rng.random() < 0.1 else []
                tgt = [target.id] + ([_skewed(rng, actors).id] if t == "MEDIATE" else [])
                tgt = list(dict.fromkeys(x for x in tgt if x != actor.id))
                ev = Event(t, [actor.id], tgt if t != "STATEMENT" or rng.random() < 0.5 else [], place, _time(rng, published),
                           rng.choices(["happened", "planned", "ongoing"], [8, 2, 1])[0],
                           rule_id=f"{t.lower()}.r{rng.randint(1, 9)}", confidence=round(rng.uniform(0.4, 0.95), 2),
                           trigger="زار")
            sentence = f"{filler}جملة الحدث {k} في المقال {a}."
            s0 = len(text)
            text += sentence + "\n"
            sentences.append(Sentence(s0, s0 + len(sentence), sentence, index=k))
            ev.sentence = k
            ev.evidence = [(s0 + len(filler), s0 + len(sentence))]
            events.append(ev)
            for eid in dict.fromkeys(ev.actor + ev.target + ev.place):
                mentions.append(Mention(s0, s0 + 5, sentence[:5], "LOC", "gazetteer", k, [eid]))
                used[eid] = index[eid]
                aff = index[eid].affiliation
                if aff:
                    used[aff] = index[aff]
            recent.append(ev)
        recent = recent[-300:]
        docs.append(Document(id=f"syn_{a:06d}", text=text, title=f"مقال {a}", published=published,
                             source=f"Agency {a % 7}", url=f"https://news.example.org/{a}",
                             sentences=sentences, mentions=mentions, entities=used, events=events))
    return docs


def _load(kg: KnowledgeStore, docs: list[Document]) -> float:
    t0 = time.perf_counter()
    for doc in docs:
        art = article_ntriples(doc, extracted_at=EXTRACTED_AT, pipeline_version="bench")
        kg.replace_article_nt(doc.id, art, actor_ntriples(doc.entities.values()))
    return time.perf_counter() - t0


def _params(kg: KnowledgeStore) -> dict[str, dict[str, str]]:
    """Parameters for each library query, as an analyst would give them.

    The actor is the 5th busiest of the graph (in the top 1% of actors, in
    about a third of the articles; the very busiest is in most articles, and
    listing those is a dump, not a question), the other actor its busiest
    partner, the period one month.
    """
    tops = list(kg.query("SELECT ?a (COUNT(*) AS ?n) WHERE { ?e dg:actor ?a ; dg:eventType ?t } "
                         "GROUP BY ?a ORDER BY DESC(?n) LIMIT 5"))
    top = tops[-1][0]
    other = list(kg.query(sq.inline_bindings(
        "SELECT ?b (COUNT(*) AS ?n) WHERE { ?e dg:actor ?a ; dg:target ?b } GROUP BY ?b ORDER BY DESC(?n) LIMIT 1",
        {"a": top})))[0][0]
    vals = {"actor": str(top), "other": str(other)}
    out: dict[str, dict[str, str]] = {}
    for q in sq.library():
        out[q.name] = {p.name: vals[p.name] for p in q.params if p.default is None and p.name in vals}
    out["meetings"] = {"since": "2024-03-01", "until": "2024-03-31"}
    return out


def measure(fn: Callable[[], Any], runs: int, budget_s: float) -> tuple[list[float], int]:
    """Latencies in ms of ``fn`` (after one warm-up run), stopping early past a time budget."""
    first = time.perf_counter()
    n = fn()
    times = []
    start = time.perf_counter()
    if start - first > budget_s:
        return [(start - first) * 1000], n
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() - start > budget_s:
            break
    return times, n


def measure_forked(fn: Callable[[], Any], runs: int, budget_s: float) -> tuple[list[float], int | None]:
    """Like :func:`measure`, in a forked child that is killed past ``2 * budget_s``.

    rdflib can take minutes on a query Oxigraph answers in milliseconds; the
    child shares the loaded store copy-on-write, and a query that does not
    finish is reported as "more than" the time limit instead of stalling the
    whole benchmark.
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work() -> None:
        child.send(measure(fn, runs, budget_s))

    proc = ctx.Process(target=work)
    proc.start()
    limit = 2 * budget_s
    if parent.poll(limit):
        times, n = parent.recv()
        proc.join()
        return times, n
    proc.kill()
    proc.join()
    return [limit * 1000], None


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> None:
    """Build the synthetic graph, load it into both stores, time every library query."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="target size of the graph")
    ap.add_argument("--runs", type=int, default=30, help="timed runs per query on Oxigraph")
    ap.add_argument("--rdflib-runs", type=int, default=5, help="timed runs per query on rdflib (it is slow)")
    ap.add_argument("--rdflib-budget", type=float, default=60.0, help="seconds per query on rdflib at most")
    ap.add_argument("--only", default="", help="comma-separated query names (default: all)")
    ap.add_argument("--out", type=Path, help="write the Markdown section here")
    args = ap.parse_args(argv)
    from pyoxigraph import __version__ as ox_version
    from rdflib import __version__ as rdflib_version

    per_article = 330  # triples per synthetic article, measured below and corrected
    probe = make_documents(50)
    g = sum(len(article_triples(d, extracted_at=EXTRACTED_AT)) for d in probe)
    per_article = g / len(probe)
    n_articles = max(10, int(args.triples / (per_article + 2)))
    t0 = time.perf_counter()
    docs = make_documents(n_articles)
    gen_s = time.perf_counter() - t0
    n_events = sum(len(d.events) for d in docs)
    print(f"{n_articles} articles, {n_events} events generated in {gen_s:.1f}s", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="diplograph-bench-"))
    try:
        ox = KnowledgeStore(tmp / "kg", create=True)
        ox_load = _load(ox, docs)
        n_triples = len(ox)
        ox._ox.flush()  # noqa: SLF001 - measure what is on disk
        size = _du(tmp / "kg")
        t0 = time.perf_counter()
        ox._ox.optimize()  # noqa: SLF001 - RocksDB compaction, what a long-lived store converges to
        optimize_s = time.perf_counter() - t0
        compact = _du(tmp / "kg")
        print(f"oxigraph: {n_triples} quads in {ox_load:.1f}s ({n_triples / ox_load:,.0f}/s), {size / 2**20:.0f} MiB, "
              f"{compact / 2**20:.0f} MiB after optimize ({optimize_s:.1f}s)", flush=True)
        params = _params(ox)
        wanted = {x for x in args.only.split(",") if x}
        # Parameters bound the way ``diplograph query`` binds them.
        queries = [
            (q.name, sq.inline_bindings(q.text, sq.bind_params(q.params, params.get(q.name, {}))))
            for q in sq.library()
            if not wanted or q.name in wanted
        ]

        def run(kg: KnowledgeStore, text: str) -> int:
            return len(sq.run(kg, text)[1])  # the path `diplograph query` takes

        # Oxigraph first, before rdflib's million Python objects exist: Python's
        # collector would otherwise walk them during the timed runs (a
        # `diplograph query` process holds none).  The generated documents are
        # frozen out of the collector's sight for the same reason.
        gc.collect()
        gc.freeze()
        ox_times = {name: measure(lambda text=text: run(ox, text), args.runs, 30.0) for name, text in queries}
        mem = KnowledgeStore(None)
        mem_load = _load(mem, docs)
        print(f"rdflib memory: loaded in {mem_load:.1f}s", flush=True)
        rows = []
        for name, text in queries:
            ox_t, n_rows = ox_times[name]
            mem_t, n_mem = measure_forked(lambda text=text: run(mem, text), args.rdflib_runs, args.rdflib_budget)
            if n_mem is not None:
                assert n_rows == n_mem, f"{name}: Oxigraph {n_rows} rows, rdflib {n_mem}"
            r = (name, n_rows, _pct(ox_t, 0.5), _pct(ox_t, 0.95), _pct(mem_t, 0.5), _pct(mem_t, 0.95),
                 len(mem_t) if n_mem is not None else 0, min(ox_t))  # fmt: skip
            rows.append(r)
            print(f"{name:20s} rows={n_rows:6d} ox p50={r[2]:8.1f} p95={r[3]:8.1f} min={r[7]:8.1f}  "
                  f"rdflib p50={r[4]:9.1f} ({r[6]} runs)  ratio={r[4] / r[2]:6.1f}x", flush=True)  # fmt: skip
        ox.close()
        mem.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    slowest = max(rows, key=lambda r: r[2])
    load = os.getloadavg()
    lines = [
        "## SPARQL latency of the query library (issue 7)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, 24 GB RAM, Python {platform.python_version()}, "
        f"pyoxigraph {ox_version}, rdflib {rdflib_version}; `benchmarks/sparql_latency.py`.  "
        f"Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(\"min\" is the best of the Oxigraph runs).",
        "",
        f"Synthetic graph made by our own `graph/rdf.py` from {n_articles:,} generated articles "
        f"({n_events:,} events, about 1,000 actors with skewed frequencies, 10% of events re-reported by a later article): "
        f"**{n_triples:,} quads** in {n_articles + 1:,} named graphs.",
        "",
        "| store | load time | quads/s | size on disk |",
        "|---|---:|---:|---:|",
        f"| Oxigraph (oxrdflib, on disk), one transaction per article as `build` writes | {ox_load:.1f} s | "
        f"{n_triples / ox_load:,.0f} | {size / 2**20:.0f} MiB just after loading, "
        f"{compact / 2**20:.0f} MiB after `optimize()` ({optimize_s:.0f} s) |",
        f"| rdflib in memory | {mem_load:.1f} s | {n_triples / mem_load:,.0f} | (RAM) |",
        "",
        f"Latency in ms (one warm-up run, then up to {args.runs} runs on Oxigraph and up to {args.rdflib_runs} on rdflib, "
        "every row fetched through `graph.sparql.run`, as `diplograph query` does, parameters bound as it binds them); "
        "parameters: the 5th busiest actor and its busiest partner, the period 2024-03-01..2024-03-31 for `meetings`, "
        "optional filters left open (whole-store listings).  \"> \" marks an rdflib run stopped at the time limit.",
        "",
        "| query | rows | Oxigraph p50 | Oxigraph p95 | Oxigraph min | rdflib p50 | rdflib p95 | rdflib ÷ Oxigraph (p50) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, n, op50, op95, mp50, mp95, mruns, omin in rows:
        more = "" if mruns else "> "
        lines.append(f"| `{name}` | {n} | {op50:.1f} | {op95:.1f} | {omin:.1f} | {more}{mp50:,.1f} | {more}{mp95:,.1f} "
                     f"| {more}{mp50 / op50:,.0f}× |")
    lines += [
        "",
        f"Slowest on Oxigraph: `{slowest[0]}` at p50 {slowest[2]:.1f} ms, {slowest[4] / slowest[2]:,.0f}× faster than rdflib. "
        f"Goal (every p50 < 50 ms, ≥ 10× rdflib on the slowest): "
        f"{'met' if all(r[2] < 50 for r in rows) and slowest[4] / slowest[2] >= 10 else 'NOT met'}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
