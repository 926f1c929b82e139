"""The exported HTML in a real headless Chromium, with every network request blocked.

Debian's ``chromium`` is driven by Playwright (the ``playwright`` wheel, used
only as a driver: no browser download).  Every request other than the page's
own file is aborted and recorded, and the tests assert that none was made.
An article whose names, sentence, title and URL carry ``<img onerror>``,
``</script>`` and ``javascript:`` must run nothing.  A screenshot is saved
to ``tests/artifacts/`` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from diplograph.extract.model import Entity
from diplograph.graph.html import write_html
from diplograph.graph.network import project
from diplograph.graph.store import KnowledgeStore
from tests.test_network import ENTITIES, add_docs, make_doc, small_docs

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-noto-core)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright driver is not installed (pip install playwright)")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EVIL_NAME_EN = "</script><script>window.__pwned=1</script>"
EVIL_NAME_AR = '<img src=x onerror="window.__pwned=2">'
EVIL_SENTENCE = "أشاد <img src=x onerror=alert(1)> بقطر </script><script>window.__pwned=3</script> اليوم."
EVIL_TITLE = "<script>window.__pwned=4</script>"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def evil_doc() -> Any:
    """An article built to break a page that pastes text into HTML."""
    evil = Entity("X:<evil>", EVIL_NAME_EN, EVIL_NAME_AR, "Person")
    return make_doc(
        "evil",
        EVIL_TITLE,
        [EVIL_SENTENCE],
        [("PRAISE", ["X:<evil>"], ["Q846"], [], None, "happened", 0.5, [0])],
        [evil, next(e for e in ENTITIES if e.id == "Q846")],
        url="javascript:window.__pwned=5",
        published=dt.date(2025, 7, 1),
    )


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kg = KnowledgeStore(None)
    add_docs(kg, [*small_docs(), evil_doc()])
    path = tmp_path_factory.mktemp("html") / "graph.html"
    info = write_html(project(kg), path, title="diplograph <test>")
    assert (info["nodes"], info["edges"]) == (9, 8)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Session:
    """A page with every request recorded and everything but the page itself aborted."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.as_uri()
        self.context = browser.new_context(viewport={"width": 1400, "height": 850}, service_workers="block")
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self) -> Any:
        self.page.goto(self.url)
        # a selector, not wait_for_function: the page's CSP forbids the eval that polling a JS string uses
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
        return self.page

    def js(self, expr: str) -> Any:
        return self.page.evaluate(expr)

    def assert_clean(self) -> None:
        assert self.requests == [self.url], f"requests left the page: {self.requests}"
        assert self.blocked == [], f"blocked requests: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.js("window.__pwned") is None

    def click_node(self, node_id: int) -> None:
        """Click a node where it is drawn on the canvas, as a person would."""
        box = self.page.locator("#dg-net canvas").bounding_box()
        pos = self.js(f"(() => {{ const p = dg.network.getPositions([{node_id}])[{node_id}]; return dg.network.canvasToDOM(p); }})()")
        self.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])

    def node_id(self, label_en: str) -> int:
        return self.js(f"dg.nodes.get({{filter: n => n.label_en === {label_en!r}}})[0].id")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Any, page_file: Path) -> Iterator[Session]:
    s = Session(browser, page_file)
    yield s
    s.close()


def test_page_opens_offline_with_every_node_and_arabic_labels(session: Session) -> None:
    page = session.open()
    assert page.locator("#dg-net canvas").count() == 1
    assert session.js("dg.nodes.length") == 9
    assert session.js("dg.nodeView.length") == 9
    assert session.js("dg.network.body.nodeIndices.length") == 9  # all drawn
    assert session.js("dg.edgeView.length") == 8
    labels = session.js("dg.nodes.get().map(n => n.label)")
    assert "قطر" in labels and "محمد بن عبد الرحمن آل ثاني" in labels
    assert page.locator("#dg-net canvas").get_attribute("dir") == "rtl"
    assert session.js("document.fonts.check(\"16px 'Noto Naskh Arabic'\", 'قطر')"), "no Arabic font: apt-get install fonts-noto-core"
    assert page.locator("#dg-count").text_content() == "showing 9 of 9 actors, 8 of 8 events"
    assert page.title() == "diplograph <test>"
    session.click_node(session.node_id("Qatar"))
    panel = page.locator("#dg-details")
    assert panel.locator("h2").first.text_content() == "قطر"
    sentence = panel.locator(".dg-ar", has_text="وتلعب قطر دور وساطة").first
    assert sentence.get_attribute("dir") == "rtl"
    assert sentence.evaluate("e => getComputedStyle(e).direction") == "rtl"
    link = panel.locator("a", has_text="قطر ومصر تستضيفان").first
    assert link.get_attribute("href") == "https://example.org/news/a1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html_view.png"))
    session.assert_clean()


def test_filters_and_search_change_what_is_shown(session: Session) -> None:
    page = session.open()
    # hovering an event shows its evidence: the Egypt → US call is the only, straight, edge between them
    mid = session.js(
        "(() => { const e = dg.edges.get({filter: e => e.etype === 'PHONE_CALL'})[0];"
        " const p = dg.network.getPositions([e.from, e.to]);"
        " return dg.network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2}); })()"
    )
    box = page.locator("#dg-net canvas").bounding_box()
    page.mouse.move(box["x"] + mid["x"] - 3, box["y"] + mid["y"] - 3)
    page.mouse.move(box["x"] + mid["x"], box["y"] + mid["y"])
    details = page.locator("#dg-details")
    details.get_by_text("PHONE_CALL (CAMEO 041)").wait_for(timeout=3000)
    assert "أجرى وزير الخارجية المصري اتصالا هاتفيا مع نظيره الأمريكي." in details.text_content()
    assert "date: 2025-06-01 · status: happened · confidence: 0.70" in details.text_content()
    page.locator("#dg-conf").fill("0.85")  # the two MEET events (0.90, 0.95)
    assert (session.js("dg.edgeView.length"), session.js("dg.nodeView.length")) == (2, 4)
    assert session.js("dg.network.body.nodeIndices.length") == 4
    assert page.locator("#dg-count").text_content() == "showing 4 of 9 actors, 2 of 8 events"
    page.locator("#dg-conf").fill("0")
    page.locator("#dg-types summary").click()
    page.locator("input.dg-type[value=MEDIATE]").uncheck()
    page.locator("input.dg-type[value=PRAISE]").uncheck()
    assert session.js("dg.edgeView.length") == 5
    page.locator("#dg-types-all").click()  # some unchecked: all on again
    assert session.js("dg.edgeView.length") == 8
    page.locator("#dg-since").fill("2025-06-01")  # PHONE_CALL, MEET; undated events drop out
    page.locator("#dg-since").dispatch_event("change")
    assert sorted(session.js("dg.edgeView.get().map(e => e.etype)")) == ["MEET", "PHONE_CALL"]
    page.locator("#dg-since").fill("")
    page.locator("#dg-since").dispatch_event("change")
    page.locator("#dg-search").fill("مصر")
    assert page.locator("#dg-hits").text_content() == "1 match"
    assert session.js("dg.network.getSelectedNodes()") == [session.node_id("Egypt")]
    page.locator("#dg-search").fill("MOHAMMED bin")
    assert session.js("dg.network.getSelectedNodes()") == [session.node_id("Mohammed bin Abdulrahman Al Thani")]
    page.locator("#dg-search").fill("اسرائيل")  # hamza folded
    assert page.locator("#dg-hits").text_content() == "1 match"
    page.locator("#dg-lang").select_option("en")
    assert "Qatar" in session.js("dg.nodes.get().map(n => n.label)")
    assert page.locator("#dg-net canvas").get_attribute("dir") == "ltr"
    session.assert_clean()


def test_injected_markup_is_shown_as_text_and_runs_nothing(session: Session) -> None:
    page = session.open()
    evil = session.js(f"dg.nodes.get({{filter: n => n.label_en === {EVIL_NAME_EN!r}}})[0]")
    assert evil["label"] == "\u2066" + EVIL_NAME_AR + "\u2069"  # drawn on the canvas as (left-to-right) text
    session.click_node(evil["id"])
    panel = page.locator("#dg-details")
    text = panel.text_content()
    assert EVIL_NAME_AR in text and EVIL_NAME_EN in text and EVIL_SENTENCE in text and EVIL_TITLE in text
    edge = session.js("dg.edges.get({filter: e => e.etype === 'PRAISE'})[0].id")
    session.js(f"dg.showEdge({edge!r})")
    assert EVIL_SENTENCE in panel.text_content()
    # the javascript: URL is never a link; the only images/scripts are the page's own
    assert panel.locator("a").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 3
    page.locator("#dg-search").fill("<img")
    assert page.locator("#dg-hits").text_content() == "1 match"
    page.wait_for_timeout(200)
    session.assert_clean()


def test_large_graph_keeps_the_strongest_part_and_says_so(browser: Any, tmp_path: Path) -> None:
    kg = KnowledgeStore(None)
    add_docs(kg, small_docs())
    path = tmp_path / "cut.html"
    info = write_html(project(kg), path, max_nodes=3, lang="en")
    assert (info["nodes"], info["left_nodes"]) == (3, 5)
    s = Session(browser, path)
    try:
        page = s.open()
        note = page.locator("#dg-note")
        assert note.is_visible()
        assert "showing the 3 most connected of 8 actors; left out 5 actors and" in note.text_content()
        assert s.js("dg.nodes.length") == 3
        assert "Qatar" in s.js("dg.nodes.get().map(n => n.label)")
        s.assert_clean()
    finally:
        s.close()
