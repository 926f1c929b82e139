"""A self-contained interactive HTML view of the actor network.

pyvis builds the node and edge records (ids, labels, colours, shapes, sizes,
arrows) from the networkx projection; this module puts them into its own page
template rather than pyvis's, because pyvis's template links Bootstrap and
other files from CDNs and renders tooltips as HTML.  The page:

* works with **no network at all**: vis-network's script (shipped inside the
  pyvis package) and all CSS are inlined; a Content-Security-Policy allows
  only those exact inline scripts (by SHA-256) and no connections, so even a
  mistake in escaping could not run injected code or fetch anything;
* shows Arabic labels right-to-left with a font stack that has Arabic
  glyphs, and switches to English labels;
* colours and shapes nodes by entity type (with a legend), colours edges by
  event type, labels them with type and date, sizes nodes by degree;
* shows the evidence of a hovered or clicked event (type, date, status,
  confidence, the Arabic sentence right-to-left, the article's title and
  link) in a side panel;
* filters in the page by event type, date range and minimum confidence, and
  searches actors by English or Arabic name;
* above ``max_nodes`` keeps the most connected actors and says, on the page,
  how many actors and events it left out and the largest ones.

**Escaping.**  Article text (names, sentences, titles, URLs) is never pasted
into HTML.  All data travels as one JSON document in a
``<script type="application/json">`` element with ``<``, ``>``, ``&`` and
the JavaScript line separators written as ``\\u003c`` etc., so no string can
close the element; the page's script reads it with ``JSON.parse`` and puts
text on the page only through ``textContent`` (and the canvas).  Links are
set only for ``http``/``https`` URLs.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmlmod
import json
import math
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from diplograph.graph.network import actor_label

__all__ = [
    "write_html",
    "render_html",
    "notebook_view",
    "keep_strongest",
    "json_for_script",
    "TYPE_COLOURS",
    "TYPE_SHAPES",
    "EVENT_COLOURS",
    "FONT_STACK",
    "PRELAYOUT_MIN",
    "PRELAYOUT_MAX",
]

TYPE_COLOURS: dict[str, str] = {
    "Person": "#e4572e",
    "Country": "#17a2a0",
    "City": "#76b041",
    "Region": "#9bc53d",
    "Organization": "#e0a800",
    "GovernmentBody": "#f29e4c",
    "Facility": "#8e7dbe",
    "Agreement": "#9a9a9a",
    "Other": "#b0b0b0",
}
#: vis-network shapes that draw the label below the node, so Arabic labels stay readable.
TYPE_SHAPES: dict[str, str] = {
    "Person": "dot",
    "Country": "square",
    "City": "triangle",
    "Region": "triangleDown",
    "Organization": "diamond",
    "GovernmentBody": "hexagon",
    "Facility": "star",
    "Agreement": "square",
    "Other": "dot",
}
EVENT_COLOURS: dict[str, str] = {
    "STATEMENT": "#7f7f7f",
    "APPEAL": "#bcbd22",
    "INTENT_TO_COOPERATE": "#8fbc8f",
    "MEET": "#2ca02c",
    "PHONE_CALL": "#66c2a5",
    "VISIT": "#1f77b4",
    "HOST": "#6baed6",
    "MEDIATE": "#9467bd",
    "NEGOTIATE": "#7b4ea3",
    "PRAISE": "#17becf",
    "RECOGNIZE": "#0e8f9c",
    "SIGN_AGREEMENT": "#3182bd",
    "CEASEFIRE": "#31a354",
    "COOPERATE": "#74c476",
    "AID": "#fd8d3c",
    "DEMAND": "#e6550d",
    "CRITICIZE": "#d62728",
    "REJECT": "#c44e52",
    "THREATEN": "#ff7f7f",
    "SANCTION": "#e377c2",
    "WITHDRAW": "#8c564b",
    "ATTACK": "#8c1c13",
}
#: Arabic-capable fonts first (Debian: fonts-noto-core), then common fallbacks.
FONT_STACK = (
    "'Noto Naskh Arabic','Noto Sans Arabic','Amiri','Scheherazade New','Geeza Pro',"
    "'Segoe UI','Arial Unicode MS',Tahoma,'DejaVu Sans',sans-serif"
)

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element of an HTML page.

    ``<``, ``>``, ``&`` and U+2028/U+2029 are written as ``\\uXXXX`` escapes,
    so ``</script>`` or ``<!--`` in the data cannot end the element, and
    ``JSON.parse`` gives back exactly the original strings.

    >>> json_for_script({"n": "</script><b>&"})
    '{"n":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in _JSON_ESCAPES.items():
        text = text.replace(ch, esc)
    return text


def keep_strongest(g: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, dict[str, Any]]:
    """The ``max_nodes`` most connected actors and the events among them, and what was left out.

    Actors are ranked by degree (number of events), ties by node key, so the
    cut is reproducible.

    Returns
    -------
    (networkx.MultiDiGraph, dict)
        The kept graph and a summary: ``total_nodes``, ``total_edges``,
        ``left_nodes``, ``left_edges`` and ``left_top`` (up to 5 of the most
        connected left-out actors, English and Arabic labels and degree).

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("a", "b"), ("d", "e")])
    >>> sub, info = keep_strongest(g, 2)
    >>> sorted(sub), info["left_nodes"], info["left_edges"]
    (['a', 'b'], 3, 2)
    """
    info: dict[str, Any] = {
        "total_nodes": g.number_of_nodes(),
        "total_edges": g.number_of_edges(),
        "left_nodes": 0,
        "left_edges": 0,
        "left_top": [],
    }
    if max_nodes <= 0 or g.number_of_nodes() <= max_nodes:
        return g, info
    ranked = sorted(g.degree, key=lambda kv: (-kv[1], str(kv[0])))
    sub = g.subgraph([n for n, _ in ranked[:max_nodes]]).copy()
    info["left_nodes"] = g.number_of_nodes() - sub.number_of_nodes()
    info["left_edges"] = g.number_of_edges() - sub.number_of_edges()
    info["left_top"] = [
        {"en": actor_label(g, n, "en"), "ar": actor_label(g, n, "ar"), "degree": d} for n, d in ranked[max_nodes : max_nodes + 5]
    ]
    return sub, info


class _Net(Network):
    """pyvis's Network with O(1) node look-ups (its list scan is quadratic on thousands of edges)."""

    def get_nodes(self) -> Any:  # noqa: D102 - same contract as pyvis: supports ``in``
        return self.node_map


def _safe_url(url: str) -> str:
    return url if url.lower().startswith(("http://", "https://")) else ""


#: Between these many actors the layout is computed at export (networkx's dense spring
#: layout, a fraction of a second), so the page only polishes it; smaller graphs are laid out
#: quickly and more neatly by vis-network itself, larger ones would take networkx too long.
PRELAYOUT_MIN, PRELAYOUT_MAX = 100, 500


def _prelayout(g: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Seeded spring-layout positions in vis-network's pixel scale, or nothing for large graphs."""
    n = g.number_of_nodes()
    if not PRELAYOUT_MIN < n <= PRELAYOUT_MAX:
        return {}
    from diplograph.graph.analysis import collapse

    pos = nx.spring_layout(collapse(g), seed=7, iterations=50)
    scale = 45 * math.sqrt(n) + 150
    return {k: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for k, (x, y) in pos.items()}


def _build_data(g: nx.MultiDiGraph, lang: str) -> dict[str, Any]:
    """Node and edge records, built with pyvis, plus the fields the page's panels read."""
    net = _Net(directed=True)
    pos = _prelayout(g)
    deg = dict(g.degree)
    top = max(deg.values(), default=1) or 1
    ids: dict[str, int] = {}
    for i, (n, d) in enumerate(sorted(g.nodes(data=True), key=lambda kv: str(kv[0]))):
        ids[n] = i
        typ = d.get("type", "Other")
        en, ar = actor_label(g, n, "en"), actor_label(g, n, "ar")
        net.add_node(
            i,
            label=ar if lang == "ar" else en,
            shape=TYPE_SHAPES.get(typ, "dot"),
            color=TYPE_COLOURS.get(typ, TYPE_COLOURS["Other"]),
            size=round(8 + 22 * math.sqrt(deg.get(n, 0) / top), 1),
            **({"x": pos[n][0], "y": pos[n][1]} if n in pos else {}),
            # fields the page uses (vis-network ignores them)
            label_en=en,
            label_ar=ar,
            etype=typ,
            eid=str(d.get("id", n)),
            wikidata=str(d.get("wikidata", "")),
            iri=str(n),
            degree=deg.get(n, 0),
        )
    seen_pairs: dict[tuple[int, int], int] = {}
    for j, (a, t, k, d) in enumerate(g.edges(keys=True, data=True)):
        ia, it = ids[a], ids[t]
        pair = (min(ia, it), max(ia, it))
        nth = seen_pairs.get(pair, 0)
        seen_pairs[pair] = nth + 1
        time = d.get("time") or ""
        conf = float(d.get("confidence", 0.0))
        net.add_edge(
            ia,
            it,
            id=f"e{j}",
            # isolated left-to-right, so the date reads the same on a right-to-left canvas
            label="\u2066" + f"{d.get('type', '')} {time}".strip() + "\u2069",
            color=EVENT_COLOURS.get(d.get("type", ""), "#888888"),
            width=round(1 + 2 * conf, 2),
            smooth={"enabled": True, "type": "curvedCW", "roundness": round(min(0.12 * nth, 0.9), 2)},
            # fields the page uses
            etype=str(d.get("type", "")),
            cameo=str(d.get("cameo", "")),
            time=time,
            status=str(d.get("status", "")),
            confidence=round(conf, 3),
            evidence=str(d.get("evidence", "")),
            article=str(d.get("article", "")),
            art_title=str(d.get("title", "")),
            url=_safe_url(str(d.get("url", ""))),
            event=str(k),
        )
    return {"nodes": net.nodes, "edges": net.edges}


def _vis_options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: fewer layout iterations for larger graphs so the page opens quickly."""
    iterations = 150 if n_nodes <= PRELAYOUT_MIN else 40 if n_nodes <= PRELAYOUT_MAX else 80 if n_nodes <= 1500 else 40
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 100, "randomSeed": 7},
        "nodes": {"font": {"face": FONT_STACK, "size": 20, "strokeWidth": 3, "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"face": FONT_STACK, "size": 12, "color": "#444444", "strokeWidth": 2, "align": "top"},
            "selectionWidth": 2,
        },
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "centralGravity": 0.6, "springLength": 110, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50},
        },
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": n_nodes > 500, "multiselect": True},
    }


@cache
def _vis_js() -> str:
    """vis-network's standalone script as shipped inside the pyvis package."""
    return resources.files("pyvis").joinpath("lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _legend_svg(shape: str, colour: str) -> str:
    """A small SVG of a vis-network node shape for the legend (constants only, no data)."""
    c = colour
    body = {
        "dot": f'<circle cx="8" cy="8" r="6" fill="{c}"/>',
        "square": f'<rect x="2" y="2" width="12" height="12" fill="{c}"/>',
        "triangle": f'<polygon points="8,1 15,14 1,14" fill="{c}"/>',
        "triangleDown": f'<polygon points="1,2 15,2 8,15" fill="{c}"/>',
        "diamond": f'<polygon points="8,1 15,8 8,15 1,8" fill="{c}"/>',
        "hexagon": f'<polygon points="4,2 12,2 15,8 12,14 4,14 1,8" fill="{c}"/>',
        "star": f'<polygon points="8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6" fill="{c}"/>',
    }.get(shape, f'<circle cx="8" cy="8" r="6" fill="{c}"/>')
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{body}</svg>'


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;}
body{display:flex;flex-direction:column;font-family:__FONT__;font-size:14px;color:#222;background:#fafafa}
#dg-bar{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;padding:6px 10px;background:#fff;border-bottom:1px solid #ddd}
#dg-bar h1{font-size:16px;margin:0 8px 0 0}
#dg-bar label{white-space:nowrap}
#dg-bar input[type=search]{width:15em}
#dg-bar details{position:relative}
#dg-bar details>div{position:absolute;z-index:10;background:#fff;border:1px solid #ccc;padding:6px;max-height:60vh;overflow:auto;min-width:14em;box-shadow:0 2px 8px rgba(0,0,0,.15)}
#dg-bar details label{display:block}
.dg-swatch{display:inline-block;width:14px;height:4px;vertical-align:middle;margin:0 4px}
#dg-note{padding:4px 10px;background:#fff6d6;border-bottom:1px solid #eed;display:none}
#dg-main{display:flex;flex:1;min-height:0}
#dg-net{flex:1;min-width:0;height:100%;background:#fff}
#dg-side{width:340px;border-left:1px solid #ddd;overflow:auto;padding:8px 10px;background:#fff}
#dg-side h2{font-size:14px;margin:10px 0 4px}
#dg-legend div{margin:2px 0}
#dg-legend svg{vertical-align:middle;margin-right:6px}
.dg-ar{direction:rtl;unicode-bidi:isolate;text-align:right;font-family:__FONT__;font-size:16px;line-height:1.7}
.dg-ev{border-top:1px solid #eee;padding:6px 0}
.dg-meta{color:#555;font-size:12px}
.dg-muted{color:#777}
#dg-count{color:#555}
div.vis-tooltip{position:absolute;visibility:hidden;padding:5px;white-space:pre-wrap;max-width:420px;font-family:__FONT__;
 font-size:13px;color:#000;background:#f5f4ed;border:1px solid #808074;border-radius:3px;box-shadow:3px 3px 10px rgba(0,0,0,.2);
 pointer-events:none;z-index:5;unicode-bidi:plaintext}
"""

# The page's own script.  It reads data only from the JSON element and writes
# text only with textContent / the canvas; it never builds HTML from data.
_APP_JS = r"""
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("dg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  var fold = function (s) {
    return String(s || "").toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647");
  };
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var fullDegree = {};
  DATA.edges.forEach(function (e) { fullDegree[e.from] = (fullDegree[e.from] || 0) + 1; fullDegree[e.to] = (fullDegree[e.to] || 0) + 1; });

  // ---- filters
  var state = { types: null, since: "", until: "", minConf: 0 };
  var visibleNodes = {};
  function overlaps(time) {
    if (!state.since && !state.until) return true;
    if (!time) return false;
    var parts = time.split("/"), begin = parts[0], end = parts[parts.length - 1];
    if (state.since && end < state.since.slice(0, end.length)) return false;
    if (state.until && begin.slice(0, state.until.length) > state.until) return false;
    return true;
  }
  function edgeOk(e) {
    return (!state.types || state.types[e.etype]) && e.confidence >= state.minConf && overlaps(e.time);
  }
  function recompute() {
    visibleNodes = {};
    var active = state.types || state.since || state.until || state.minConf > 0;
    edges.forEach(function (e) { if (edgeOk(e)) { visibleNodes[e.from] = 1; visibleNodes[e.to] = 1; } });
    if (!active) nodes.forEach(function (n) { visibleNodes[n.id] = 1; });
  }
  recompute();
  var edgeView = new vis.DataView(edges, { filter: edgeOk });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !!visibleNodes[n.id]; } });

  var container = $("dg-net");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);
  window.dgTimings = { script: T0, created: performance.now() };
  network.once("afterDrawing", function () {
    window.dgTimings.drawn = performance.now();
    window.dgReady = true;
    document.body.setAttribute("data-ready", "1");
  });
  network.once("stabilizationIterationsDone", function () {
    window.dgTimings.stabilized = performance.now();
    network.setOptions({ physics: { enabled: false } });
  });

  function updateCount() {
    $("dg-count").textContent = "showing " + nodeView.length + " of " + nodes.length + " actors, " +
      edgeView.length + " of " + edges.length + " events";
  }
  function refresh() { recompute(); edgeView.refresh(); nodeView.refresh(); updateCount(); }
  updateCount();

  // event-type checkboxes double as the edge-colour legend
  var typeBox = $("dg-types-list");
  DATA.eventTypes.forEach(function (t) {
    var lab = el("label"), cb = el("input"), sw = el("span", null, "dg-swatch");
    cb.type = "checkbox"; cb.checked = true; cb.value = t.type; cb.className = "dg-type";
    sw.style.background = t.colour;
    lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(document.createTextNode(t.type + " (" + t.count + ")"));
    typeBox.appendChild(lab);
  });
  function readTypes() {
    var boxes = document.querySelectorAll("input.dg-type"), on = {}, all = true;
    boxes.forEach(function (b) { if (b.checked) on[b.value] = 1; else all = false; });
    state.types = all ? null : on;
    refresh();
  }
  typeBox.addEventListener("change", readTypes);
  $("dg-types-all").addEventListener("click", function (ev) {
    ev.preventDefault();
    var boxes = document.querySelectorAll("input.dg-type"), any = false;
    boxes.forEach(function (b) { if (!b.checked) any = true; });
    boxes.forEach(function (b) { b.checked = any; });
    readTypes();
  });
  $("dg-since").addEventListener("change", function () { state.since = this.value; refresh(); });
  $("dg-until").addEventListener("change", function () { state.until = this.value; refresh(); });
  $("dg-conf").addEventListener("input", function () {
    state.minConf = parseFloat(this.value) || 0;
    $("dg-conf-value").textContent = state.minConf.toFixed(2);
    refresh();
  });
  if (DATA.dates.min) { $("dg-since").min = $("dg-until").min = DATA.dates.min; $("dg-since").max = $("dg-until").max = DATA.dates.max; }

  // ---- labels: Arabic (RTL) or English
  // A label in the other script is isolated (U+2066/U+2067 ... U+2069), so an
  // English name keeps its punctuation in place on the right-to-left canvas.
  var ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
  function display(text, lang) {
    var ar = ARABIC.test(text);
    if (lang === "ar" && !ar) return "\u2066" + text + "\u2069";
    if (lang === "en" && ar) return "\u2067" + text + "\u2069";
    return text;
  }
  function setLang(lang) {
    var upd = [];
    nodes.forEach(function (n) { upd.push({ id: n.id, label: display(lang === "ar" ? n.label_ar : n.label_en, lang) }); });
    nodes.update(upd);
    var canvas = container.querySelector("canvas");
    if (canvas) canvas.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    $("dg-lang").value = lang;
    document.body.setAttribute("data-lang", lang);
  }
  $("dg-lang").addEventListener("change", function () { setLang(this.value); });
  setLang(DATA.lang);

  // ---- search in either language
  $("dg-search").addEventListener("input", function () {
    var q = fold(this.value.trim()), hits = [];
    if (q) nodes.forEach(function (n) {
      if (visibleNodes[n.id] && (fold(n.label_ar).indexOf(q) >= 0 || fold(n.label_en).indexOf(q) >= 0 || fold(n.eid) === q)) hits.push(n.id);
    });
    network.selectNodes(hits);
    $("dg-hits").textContent = q ? hits.length + (hits.length === 1 ? " match" : " matches") : "";
    if (hits.length) { network.fit({ nodes: hits, animation: false }); if (hits.length === 1) showNode(hits[0]); }
  });

  // ---- details panel
  var panel = $("dg-details");
  function clear() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function arabic(text, tag) { var e = el(tag || "div", text, "dg-ar"); e.setAttribute("dir", "rtl"); e.setAttribute("lang", "ar"); return e; }
  function eventBlock(e, withEnds) {
    var box = el("div", null, "dg-ev");
    var head = el("div"), b = el("b", e.etype + (e.cameo ? " (CAMEO " + e.cameo + ")" : ""));
    b.style.color = e.color && e.color.color ? e.color.color : e.color;
    head.appendChild(b);
    box.appendChild(head);
    if (withEnds) {
      var ends = el("div");
      ends.appendChild(arabic(byId[e.from].label_ar + " \u2190 " + byId[e.to].label_ar, "span"));
      ends.appendChild(el("div", byId[e.from].label_en + " \u2192 " + byId[e.to].label_en, "dg-meta"));
      box.appendChild(ends);
    }
    box.appendChild(el("div", "date: " + (e.time || "unknown") + " \u00b7 status: " + e.status + " \u00b7 confidence: " + Number(e.confidence).toFixed(2), "dg-meta"));
    e.evidence.split("\n").forEach(function (s) { if (s) box.appendChild(arabic(s)); });
    var src = el("div", null, "dg-meta");
    src.appendChild(document.createTextNode("article: "));
    var t = e.art_title || e.article;
    if (e.url) { var a = el("a", t); a.href = e.url; a.target = "_blank"; a.rel = "noopener noreferrer"; a.setAttribute("dir", "auto"); src.appendChild(a); }
    else { var s2 = el("span", t); s2.setAttribute("dir", "auto"); src.appendChild(s2); }
    if (e.art_title) src.appendChild(document.createTextNode(" [" + e.article + "]"));
    box.appendChild(src);
    return box;
  }
  function showEdge(id) {
    var e = edges.get(id); if (!e) return;
    clear(); panel.appendChild(el("h2", "Event")); panel.appendChild(eventBlock(e, true));
  }
  function showNode(id) {
    var n = nodes.get(id); if (!n) return;
    clear();
    panel.appendChild(arabic(n.label_ar, "h2"));
    panel.appendChild(el("div", n.label_en));
    panel.appendChild(el("div", n.etype + " \u00b7 " + n.eid + (n.wikidata && n.wikidata !== n.eid ? " \u00b7 " + n.wikidata : "") + " \u00b7 " + n.degree + " events", "dg-meta"));
    var list = edgeView.get({ filter: function (e) { return e.from === id || e.to === id; } });
    list.sort(function (a, b) { return (a.time || "~") < (b.time || "~") ? -1 : 1; });
    list.slice(0, 60).forEach(function (e) { panel.appendChild(eventBlock(e, true)); });
    if (list.length > 60) panel.appendChild(el("div", (list.length - 60) + " more events not listed", "dg-muted"));
  }
  var pinned = false;
  network.on("click", function (p) {
    if (p.nodes.length) { pinned = true; showNode(p.nodes[0]); }
    else if (p.edges.length) { pinned = true; showEdge(p.edges[0]); }
    else { pinned = false; }
  });
  network.on("hoverEdge", function (p) { if (!pinned) showEdge(p.edge); });
  network.on("hoverNode", function (p) { if (!pinned) showNode(p.node); });

  // ---- note on what was left out (or that there is nothing to show)
  var info = DATA.cut;
  if (nodes.length === 0) {
    $("dg-note").style.display = "block";
    $("dg-note").textContent = "No events to show: the store has none, or the export's filters left none out of it.";
  }
  if (info.left_nodes > 0) {
    var note = $("dg-note");
    note.style.display = "block";
    note.appendChild(el("b", "Large graph: "));
    note.appendChild(document.createTextNode("showing the " + nodes.length + " most connected of " + info.total_nodes +
      " actors; left out " + info.left_nodes + " actors and " + info.left_edges + " events. Largest left out: "));
    info.left_top.forEach(function (x, i) {
      if (i) note.appendChild(document.createTextNode(", "));
      note.appendChild(document.createTextNode(x.en + " ("));
      note.appendChild(arabic(x.ar, "span"));
      note.appendChild(document.createTextNode(", " + x.degree + ")"));
    });
    note.appendChild(document.createTextNode(". Export with a larger --max-nodes or narrower filters to see them."));
  }

  window.dg = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
                setLang: setLang, showNode: showNode, showEdge: showEdge, state: state, refresh: refresh };
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {script_hashes}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="diplograph (pyvis + vis-network 9.1.2)">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<div id="dg-bar">
  <h1>{title}</h1>
  <label>Labels <select id="dg-lang"><option value="ar">العربية</option><option value="en">English</option></select></label>
  <label>Search <input id="dg-search" type="search" placeholder="actor, English or عربي" autocomplete="off"></label>
  <span id="dg-hits" class="dg-muted"></span>
  <details id="dg-types"><summary>Event types</summary><div><a href="#" id="dg-types-all">all / none</a><div id="dg-types-list"></div></div></details>
  <label>From <input id="dg-since" type="date"></label>
  <label>to <input id="dg-until" type="date"></label>
  <label>Min. confidence <input id="dg-conf" type="range" min="0" max="1" step="0.05" value="0"> <span id="dg-conf-value">0.00</span></label>
  <span id="dg-count"></span>
</div>
<div id="dg-note"></div>
<div id="dg-main">
  <div id="dg-net"></div>
  <aside id="dg-side">
    <h2>Actors</h2>
    <div id="dg-legend">{legend}</div>
    <div class="dg-muted">Size: number of events. Edge colour: event type (see “Event types”). Hover or click an actor or an event for its evidence.</div>
    <div id="dg-details"></div>
  </aside>
</div>
<script type="application/json" id="dg-data">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""


def render_html(
    g: nx.MultiDiGraph, max_nodes: int = 300, title: str = "diplograph", lang: str = "ar"
) -> tuple[str, dict[str, Any]]:
    """The page as a string, and a summary of what it shows.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        From :func:`diplograph.graph.network.project`.
    max_nodes : int
        Above this many actors keep the most connected (``0``: no limit).
    title : str
        Page title (escaped).
    lang : {"ar", "en"}
        Which labels the page opens with; the page has a switch.

    Returns
    -------
    (str, dict)
        The HTML and ``{"nodes", "edges", "note", **cut}`` where ``note`` says
        in words what was left out (empty when nothing was).
    """
    if lang not in ("ar", "en"):
        raise ValueError(f"lang '{lang}': expected ar or en")
    g, cut = keep_strongest(g, max_nodes)
    data = _build_data(g, lang)
    etypes: dict[str, int] = {}
    times: list[str] = []
    for _, _, d in g.edges(data=True):
        etypes[d.get("type", "")] = etypes.get(d.get("type", ""), 0) + 1
        if d.get("time"):
            times.extend(p for p in str(d["time"]).split("/") if len(p) == 10)
    data["eventTypes"] = [
        {"type": t, "count": n, "colour": EVENT_COLOURS.get(t, "#888888")} for t, n in sorted(etypes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    data["dates"] = {"min": min(times, default=""), "max": max(times, default="")}
    data["options"] = _vis_options(g.number_of_nodes())
    data["lang"] = lang
    data["cut"] = cut
    present = sorted({d.get("type", "Other") for _, d in g.nodes(data=True)}, key=lambda t: list(TYPE_COLOURS).index(t) if t in TYPE_COLOURS else 99)
    counts = {t: sum(1 for _, d in g.nodes(data=True) if d.get("type", "Other") == t) for t in present}
    legend = "".join(
        f"<div>{_legend_svg(TYPE_SHAPES.get(t, 'dot'), TYPE_COLOURS.get(t, TYPE_COLOURS['Other']))}{htmlmod.escape(t)} ({counts[t]})</div>"
        for t in present
    )
    vis_js, app_js = _vis_js(), _APP_JS
    page = _PAGE.format(
        script_hashes=f"'{_sha256(vis_js)}' '{_sha256(app_js)}'",
        title=htmlmod.escape(title),
        css=_CSS.replace("__FONT__", FONT_STACK),
        legend=legend,
        data=json_for_script(data),
        vis_js=vis_js,
        app_js=app_js,
    )
    note = ""
    if cut["left_nodes"]:
        note = f"showing the {g.number_of_nodes()} most connected actors; left out {cut['left_nodes']} actors and {cut['left_edges']} events"
    return page, {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "note": note, **cut}


def write_html(
    g: nx.MultiDiGraph, path: str | Path, max_nodes: int = 300, title: str = "diplograph", lang: str = "ar"
) -> dict[str, Any]:
    """Write the network as one offline HTML file.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        From :func:`diplograph.graph.network.project`.
    path : str or Path
        Output file.
    max_nodes : int
        Above this, keep the most connected actors and say what was left out.
    title : str
        Page title.
    lang : {"ar", "en"}
        Labels the page opens with.

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``note`` (what was left out, if anything) and
        the counts ``total_nodes``, ``total_edges``, ``left_nodes``,
        ``left_edges``.

    Examples
    --------
    >>> import tempfile, os
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("q", "e", type="MEET", evidence="<img src=x onerror=alert(1)>", confidence=0.9)
    0
    >>> with tempfile.TemporaryDirectory() as d:
    ...     info = write_html(g, os.path.join(d, "g.html"))
    ...     "<img" in open(os.path.join(d, "g.html"), encoding="utf-8").read()
    False
    """
    page, info = render_html(g, max_nodes=max_nodes, title=title, lang=lang)
    Path(path).write_text(page, encoding="utf-8")
    return info


def notebook_view(g: nx.MultiDiGraph, height: int = 650, **kwargs: Any) -> Any:
    """The page inline in Jupyter, as an ``<iframe srcdoc>`` (works offline, no files).

    ``kwargs`` go to :func:`render_html`.  Returns an ``IPython.display.HTML``.
    """
    from IPython.display import HTML

    page, _ = render_html(g, **kwargs)
    # srcdoc keeps the page self-contained in the .ipynb; the sandbox gives it no access to the notebook.
    return HTML(
        f'<div class="diplograph-view"><iframe srcdoc="{htmlmod.escape(page, quote=True)}"'
        f' style="width:100%;height:{int(height)}px;border:1px solid #ddd" sandbox="allow-scripts"></iframe></div>'
    )
