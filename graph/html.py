"""A self-contained interactive HTML view of the actor network (pyvis).

The page works with no network at all: vis-network's script is inlined and
every remote stylesheet or script pyvis would link is removed.  Arabic labels
are shown right-to-left with a font stack that has Arabic glyphs.  Every
piece of article text is HTML-escaped before it reaches the page, so a name
or sentence containing markup or ``</script>`` is shown, never run.
"""

from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

__all__ = ["write_html", "TYPE_COLOURS", "EVENT_COLOURS"]

TYPE_COLOURS = {
    "Person": "#e4572e",
    "Country": "#17bebb",
    "City": "#76b041",
    "Region": "#9bc53d",
    "Organization": "#ffc914",
    "GovernmentBody": "#f29e4c",
    "Facility": "#8e7dbe",
    "Agreement": "#c5c3c6",
    "Other": "#a0a0a0",
}
EVENT_COLOURS = {
    "VISIT": "#1f77b4",
    "HOST": "#aec7e8",
    "MEET": "#2ca02c",
    "PHONE_CALL": "#98df8a",
    "NEGOTIATE": "#9467bd",
    "MEDIATE": "#c5b0d5",
    "PRAISE": "#17becf",
    "CRITICIZE": "#d62728",
    "THREATEN": "#ff9896",
    "ATTACK": "#8c1c13",
    "SANCTION": "#e377c2",
}

_FONT = "'Noto Naskh Arabic','Noto Sans Arabic','Amiri','Scheherazade New','Arial Unicode MS',Tahoma,sans-serif"


def _esc(text: Any) -> str:
    return htmlmod.escape(str(text), quote=True)


def _strongest(g: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, str]:
    if g.number_of_nodes() <= max_nodes:
        return g, ""
    ranked = sorted(g.degree, key=lambda kv: (-kv[1], str(kv[0])))[:max_nodes]
    sub = g.subgraph([n for n, _ in ranked]).copy()
    left = g.number_of_nodes() - sub.number_of_nodes()
    return sub, f"showing the {max_nodes} most connected actors; {left} others left out"


def write_html(g: nx.MultiDiGraph, path: str | Path, max_nodes: int = 300, title: str = "diplograph") -> dict[str, Any]:
    """Write the network as one offline HTML file.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        From :func:`diplograph.graph.network.project`.
    path : str or Path
        Output file.
    max_nodes : int
        Above this, keep the most connected actors and say what was left out.

    Returns
    -------
    dict
        ``nodes``, ``edges`` and ``note`` (what was left out, if anything).
    """
    g, note = _strongest(g, max_nodes)
    net = Network(height="92vh", width="100%", directed=True, cdn_resources="in_line", heading="")
    deg = dict(g.degree)
    for n, d in g.nodes(data=True):
        label = d.get("label_ar") or d.get("label_en") or d.get("id", n)
        tip = f"{d.get('label_en', '')}\n{d.get('label_ar', '')}\n{d.get('type', '')} {d.get('wikidata', '')}"
        net.add_node(
            n,
            label=_esc(label),
            title=_esc(tip),
            color=TYPE_COLOURS.get(d.get("type", "Other"), "#a0a0a0"),
            size=10 + 4 * min(deg.get(n, 1), 12),
            font={"face": _FONT, "size": 16},
        )
    for a, t, _k, d in g.edges(keys=True, data=True):
        tip = (
            f"{d['type']} ({d['cameo']}) {d.get('time') or ''} · {d['status']} · {d['confidence']:.2f}\n"
            f"{d['evidence']}\n— {d.get('title') or d['article']}"
        )
        net.add_edge(
            a,
            t,
            title=_esc(tip),
            label=_esc(f"{d['type'].lower()} {d.get('time') or ''}".strip()),
            color=EVENT_COLOURS.get(d["type"], "#888888"),
            arrows="to",
        )
    net.set_options('{"physics": {"stabilization": {"iterations": 150}}, "interaction": {"hover": true}}')
    page = net.generate_html(notebook=False)
    # Offline: drop every remote stylesheet and script pyvis links.
    page = re.sub(r"<link[^>]+href=\"https?://[^>]*>", "", page)
    page = re.sub(r"<script[^>]+src=\"https?://[^>]*>\s*</script>", "", page)
    style = (
        f"<style>body{{font-family:{_FONT};margin:0}} .dg-note{{direction:rtl;unicode-bidi:plaintext;padding:4px 8px}}"
        f" div.vis-tooltip{{direction:rtl;unicode-bidi:plaintext;white-space:pre-wrap;max-width:480px;font-family:{_FONT}}}</style>"
    )
    page = page.replace("</head>", f"<meta charset=\"utf-8\">{style}<title>{_esc(title)}</title></head>", 1)
    if note:
        page = page.replace("<body>", f"<body><div class=\"dg-note\">{_esc(note)}</div>", 1)
    Path(path).write_text(page, encoding="utf-8")
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "note": note}
