"""How long the HTML export takes, how big the file is, and how soon the page draws.

For synthetic stores of 100, 1,000 and 5,000 actors (two events per actor,
hubs by a Zipf-like choice, Arabic labels and evidence sentences), it times:

* ``project``: the store → networkx projection (Oxigraph on disk);
* ``render``: the projection → the HTML file (pyvis records, JSON, template),
  for the whole graph (``max_nodes=0``) and for the default cut (300);
* the file size;
* in headless Debian Chromium with the network blocked, the time from
  navigation start until vis-network has laid out and drawn the graph
  (``window.dgTimings.drawn``, set on the first ``afterDrawing``).

Run: ``.venv/bin/python benchmarks/html_export.py [--sizes 100,1000,5000] [--out benchmarks/RESULTS_html.md]``.
Needs ``chromium`` and the ``playwright`` package for the browser column
(it is left empty without them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from diplograph.extract.model import Document, Entity, Event, Sentence, TimeValue
from diplograph.graph.html import write_html
from diplograph.graph.network import project
from diplograph.graph.rdf import actor_triples, article_triples
from diplograph.graph.store import KnowledgeStore

__all__ = ["synthetic_store", "measure", "main"]

_TYPES = ["MEET", "VISIT", "PHONE_CALL", "NEGOTIATE", "MEDIATE", "PRAISE", "CRITICIZE", "SIGN_AGREEMENT", "AID", "HOST"]
_ENTITY_TYPES = ["Country"] * 5 + ["Person"] * 3 + ["Organization", "GovernmentBody", "City"]
_WORDS = ["الوفد", "المجلس", "الاتحاد", "الهيئة", "الجمهورية", "المملكة", "الحركة", "الوزارة", "اللجنة", "الجبهة"]
_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync"]


def synthetic_store(path: Path, n_actors: int, events_per_actor: int = 2, per_article: int = 10, seed: int = 1) -> int:
    """Write a store of ``n_actors`` actors and ``n_actors * events_per_actor`` events; return the event count."""
    rnd = random.Random(seed)
    entities = [
        Entity(
            f"X:A{i}",
            f"Actor {i}",
            f"{_WORDS[i % len(_WORDS)]} {str(i).translate(_DIGITS)}",
            _ENTITY_TYPES[i % len(_ENTITY_TYPES)],
        )
        for i in range(n_actors)
    ]
    weights = [1 / (i + 1) ** 0.8 for i in range(n_actors)]
    n_events = n_actors * events_per_actor
    with KnowledgeStore(path, create=True) as kg:
        for a_idx in range(0, n_events, per_article):
            sentences, events, text = [], [], ""
            used: dict[str, Entity] = {}
            for k in range(min(per_article, n_events - a_idx)):
                # every actor is an end at least once; the other end favours hubs
                x = entities[(a_idx + k) // events_per_actor]
                y = rnd.choices(entities, weights=weights)[0]
                if y.id == x.id:
                    y = entities[(int(x.id[3:]) + 1) % n_actors]
                s = f"وأكد {x.label_ar} خلال لقائه {y.label_ar} أهمية تعزيز التعاون بين الجانبين في المرحلة المقبلة."
                start = len(text)
                text += s + "\n"
                sentences.append(Sentence(start=start, end=start + len(s), text=s, index=k))
                day = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randrange(540))
                events.append(
                    Event(
                        type=rnd.choice(_TYPES),
                        actor=[x.id],
                        target=[y.id],
                        time=TimeValue(day.isoformat(), raw=""),
                        confidence=round(rnd.uniform(0.3, 1.0), 2),
                        evidence=[(start, start + len(s))],
                        sentence=k,
                        rule_id="synthetic",
                    )
                )
                used[x.id], used[y.id] = x, y
            doc = Document(id=f"syn{a_idx // per_article}", text=text, title=f"خبر {a_idx // per_article}", sentences=sentences,
                           url=f"https://example.org/{a_idx}", published=dt.date(2025, 7, 1))
            doc.entities = used
            doc.events = events
            kg.replace_article(doc.id, article_triples(doc), actor_triples(used.values()))
    return n_events


def _only(url: str) -> Any:
    """A route handler that lets the page itself through and aborts every other request."""

    def handle(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    return handle


def _draw_time(html: Path, repeats: int = 3) -> tuple[float, float] | None:
    """Median milliseconds from navigation start to the first drawing, and to the end of the layout."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    drawn, stable = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=_FLAGS)
        for _ in range(repeats):
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            url = html.resolve().as_uri()
            ctx.route("**/*", _only(url))
            page = ctx.new_page()
            page.goto(url)
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=300_000)
            t = page.evaluate("window.dgTimings")
            drawn.append(t["drawn"])
            stable.append(t.get("stabilized", t["drawn"]))
            ctx.close()
        browser.close()
    return statistics.median(drawn), statistics.median(stable)


def measure(n_actors: int, workdir: Path) -> list[dict[str, Any]]:
    """All the figures for one store size, one row per export variant."""
    store = workdir / f"kg{n_actors}"
    t0 = time.perf_counter()
    n_events = synthetic_store(store, n_actors)
    build_s = time.perf_counter() - t0
    with KnowledgeStore(store) as kg:
        t0 = time.perf_counter()
        g = project(kg)
        project_s = time.perf_counter() - t0
    rows = []
    variants = [("all", 0)] + ([("default cut (300)", 300)] if g.number_of_nodes() > 300 else [])
    for name, max_nodes in variants:
        out = workdir / f"g{n_actors}-{max_nodes}.html"
        t0 = time.perf_counter()
        info = write_html(g, out, max_nodes=max_nodes)
        render_s = time.perf_counter() - t0
        browser = _draw_time(out)
        rows.append(
            {
                "actors": g.number_of_nodes(),
                "events": n_events,
                "export": name,
                "shown": f"{info['nodes']} / {info['edges']}",
                "build_s": build_s,
                "project_s": project_s,
                "render_s": render_s,
                "size_mb": out.stat().st_size / 1e6,
                "drawn_ms": browser[0] if browser else None,
                "layout_ms": browser[1] if browser else None,
            }
        )
        print(rows[-1], file=sys.stderr)
    return rows


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    chromium = ""
    if shutil.which("chromium"):
        chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()}; {chromium}; load average {load} at the end"


def main(argv: list[str] | None = None) -> None:
    """Measure and write the Markdown results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,5000", help="comma-separated actor counts")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS_html.md"))
    args = ap.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="dg-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            rows.extend(measure(n, Path(tmp)))

    def ms(v: float | None) -> str:
        return "n/a" if v is None else f"{v:,.0f}"

    lines = [
        "# HTML export benchmark",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/html_export.py` on {_machine()}.",
        "",
        "Synthetic stores: two events per actor, ten per article, hub actors by a Zipf-like choice, Arabic labels",
        "and evidence. *project*: store → networkx; *render*: networkx → HTML file; *drawn*: headless Chromium,",
        "network blocked, from navigation start to vis-network's first drawing (layout done), median of 3 loads.",
        "On a busy machine repeated runs have differed by up to a third (see the load average).",
        "",
        "| actors | events | export | actors / events shown | build store (s) | project (s) | render (s) | file (MB) | drawn (ms) |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['actors']:,} | {r['events']:,} | {r['export']} | {r['shown']} | {r['build_s']:.1f} | {r['project_s']:.2f} "
            f"| {r['render_s']:.2f} | {r['size_mb']:.2f} | {ms(r['drawn_ms'])} |"
        )
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
