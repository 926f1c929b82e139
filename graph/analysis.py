"""Network analytics over a projection, as plain networkx-style functions.

Every function takes the :class:`networkx.MultiDiGraph` that
:func:`diplograph.graph.network.project` returns (one edge per event) and
returns plain Python values, so a notebook can put them in a DataFrame and
the CLI can print them.  Measures that are about *who is connected to whom*
(centrality, communities) work on the undirected "collapsed" graph from
:func:`collapse`, where two actors share one edge weighted by the number of
events between them: a meeting reported as "A met B" or "B met A" is the
same tie, and ten reports of one visit should not make ten ties.

Results are deterministic: ties are broken by node key and Louvain is
seeded, so the same store gives the same tables in CI and in a notebook.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from diplograph.graph.network import actor_label, resolve_actor

__all__ = [
    "collapse",
    "degree_centrality",
    "betweenness_centrality",
    "centrality",
    "communities",
    "ego_network",
    "strongest_pairs",
    "timeline",
    "find_actor",
]


def find_actor(g: nx.Graph, name: str) -> str:
    """The one node of ``g`` that ``name`` means, or a ``KeyError`` saying why.

    ``name`` is an IRI, an id such as ``Q846``, or an English or Arabic
    label (see :func:`diplograph.graph.network.resolve_actor`).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/diplograph/resource/actor/Q846", id="Q846", label_en="Qatar", label_ar="قطر")
    >>> find_actor(g, "قطر").rsplit("/", 1)[-1]
    'Q846'
    """
    found = resolve_actor(g, name)
    if not found:
        raise KeyError(f"actor '{name}' is not in the graph (give an id like Q846, an English or Arabic label, or an IRI)")
    if len(found) > 1:
        choices = ", ".join(f"{g.nodes[n].get('id', n)} ({actor_label(g, n)})" for n in found)
        raise KeyError(f"actor '{name}' is ambiguous: {choices}; give the id")
    return found[0]


def collapse(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of ties: one edge per pair, ``weight`` = number of events.

    Node attributes are kept; each edge also has ``types``, a
    :class:`collections.Counter` of event types.

    Examples
    --------
    >>> m = nx.MultiDiGraph()
    >>> m.add_edge("a", "b", type="MEET"); m.add_edge("b", "a", type="MEET")
    0
    0
    >>> collapse(m)["a"]["b"]["weight"]
    2
    """
    out = nx.Graph()
    out.add_nodes_from(g.nodes(data=True))
    for a, t, d in g.edges(data=True):
        if out.has_edge(a, t):
            out[a][t]["weight"] += 1
            out[a][t]["types"][d.get("type", "")] += 1
        else:
            out.add_edge(a, t, weight=1, types=Counter({d.get("type", ""): 1}))
    return out


def degree_centrality(g: nx.MultiDiGraph) -> dict[str, float]:
    """Share of the other actors each actor has at least one event with.

    This is :func:`networkx.degree_centrality` on :func:`collapse`\\ (g):
    partners, not events, so one much-reported meeting does not outweigh
    many partners.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.

    Returns
    -------
    dict
        Node key → value in [0, 1].

    Examples
    --------
    >>> m = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("a", "c")])
    >>> degree_centrality(m)
    {'a': 1.0, 'b': 0.5, 'c': 0.5}
    """
    return nx.degree_centrality(collapse(g))


def betweenness_centrality(g: nx.MultiDiGraph, normalized: bool = True) -> dict[str, float]:
    """How often an actor lies on the shortest path between two others (brokers, mediators).

    Computed on :func:`collapse`\\ (g), undirected and unweighted: a mediator
    is a broker whichever way the events are phrased, and event counts are
    not distances.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.
    normalized : bool
        Divide by the number of pairs, ``(n-1)(n-2)/2``, as networkx does.

    Returns
    -------
    dict
        Node key → betweenness.

    Examples
    --------
    >>> m = nx.MultiDiGraph([("a", "q"), ("q", "b")])
    >>> betweenness_centrality(m)["q"]
    1.0
    """
    return nx.betweenness_centrality(collapse(g), normalized=normalized)


def centrality(g: nx.MultiDiGraph, top: int | None = None) -> list[dict[str, Any]]:
    """One row per actor: partners, events, degree and betweenness centrality, most central first.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.
    top : int, optional
        Keep only the first ``top`` rows.

    Returns
    -------
    list of dict
        Keys ``actor`` (id), ``label_en``, ``label_ar``, ``type``,
        ``partners``, ``events``, ``degree``, ``betweenness``; sorted by
        degree, then betweenness, then events (descending), then id.

    Examples
    --------
    >>> m = nx.MultiDiGraph([("a", "q"), ("q", "b")])
    >>> [r["actor"] for r in centrality(m)]
    ['q', 'a', 'b']
    """
    simple = collapse(g)
    deg = nx.degree_centrality(simple)
    btw = nx.betweenness_centrality(simple)
    rows = []
    for n, d in g.nodes(data=True):
        rows.append(
            {
                "actor": d.get("id", n),
                "label_en": actor_label(g, n, "en"),
                "label_ar": actor_label(g, n, "ar"),
                "type": d.get("type", ""),
                "partners": simple.degree(n),
                "events": g.degree(n),
                "degree": round(deg[n], 6),
                "betweenness": round(btw[n], 6),
            }
        )
    rows.sort(key=lambda r: (-r["degree"], -r["betweenness"], -r["events"], str(r["actor"])))
    return rows[:top] if top else rows


def communities(g: nx.MultiDiGraph, seed: int = 42, resolution: float = 1.0) -> list[list[str]]:
    """Groups of actors that deal with each other more than with the rest (Louvain).

    :func:`networkx.community.louvain_communities` on :func:`collapse`\\ (g)
    weighted by event counts, with a fixed ``seed`` so the answer does not
    change between runs.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.
    seed : int
        Random seed of the Louvain method.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.

    Returns
    -------
    list of list of str
        Communities, largest first (ties by first member); members sorted by
        node key.

    Examples
    --------
    >>> m = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> communities(m)
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    simple = collapse(g)
    if simple.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(simple, weight="weight", resolution=resolution, seed=seed)
    groups = [sorted(p) for p in parts]
    groups.sort(key=lambda m: (-len(m), m[0]))
    return groups


def ego_network(g: nx.MultiDiGraph, actor: str, radius: int = 1) -> nx.MultiDiGraph:
    """The actor, everyone within ``radius`` events of it, and all events among them.

    Direction is ignored when walking (an actor who was visited is as close
    as one who visited).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.
    actor : str
        IRI, id (``Q846``) or English or Arabic label.
    radius : int
        How many steps out.

    Returns
    -------
    networkx.MultiDiGraph
        A copy; the centre has the node attribute ``ego=True``.

    Examples
    --------
    >>> m = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(ego_network(m, "b"))
    ['a', 'b', 'c']
    """
    centre = find_actor(g, actor)
    sub = nx.ego_graph(g, centre, radius=radius, undirected=True).copy()
    sub.nodes[centre]["ego"] = True
    return sub


def strongest_pairs(g: nx.MultiDiGraph, top: int | None = 10) -> list[dict[str, Any]]:
    """Pairs of actors with the most events between them, in either direction.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.
    top : int, optional
        How many pairs; ``None`` for all.

    Returns
    -------
    list of dict
        Keys ``a`` and ``b`` (ids, ``a`` the smaller node key), ``label_a``,
        ``label_b`` (English), ``events``, ``types`` (``"MEET×2, VISIT"``),
        ``first`` and ``last`` (ISO dates or ``""``), ``mean_confidence``;
        most events first, then by ids.

    Examples
    --------
    >>> m = nx.MultiDiGraph()
    >>> m.add_edge("a", "b", type="MEET", time="2025-03", confidence=0.8)
    0
    >>> m.add_edge("b", "a", type="MEET", time="2025-01-02", confidence=0.6)
    0
    >>> r = strongest_pairs(m)[0]
    >>> (r["a"], r["b"], r["events"], r["types"], r["first"], r["last"], r["mean_confidence"])
    ('a', 'b', 2, 'MEET×2', '2025-01-02', '2025-03', 0.7)
    """
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a, t, d in g.edges(data=True):
        pairs.setdefault((min(a, t), max(a, t)), []).append(d)
    rows = []
    for (a, b), evs in pairs.items():
        kinds = Counter(e.get("type", "") for e in evs)
        times = sorted(str(e["time"]) for e in evs if e.get("time"))
        confs = [float(e.get("confidence", 0.0)) for e in evs]
        rows.append(
            {
                "a": g.nodes[a].get("id", a),
                "b": g.nodes[b].get("id", b),
                "label_a": actor_label(g, a),
                "label_b": actor_label(g, b),
                "events": len(evs),
                "types": ", ".join(k if n == 1 else f"{k}×{n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
                "first": times[0].split("/")[0] if times else "",
                "last": times[-1].split("/")[-1] if times else "",
                "mean_confidence": round(sum(confs) / len(confs), 3),
            }
        )
    rows.sort(key=lambda r: (-r["events"], str(r["a"]), str(r["b"])))
    return rows[:top] if top else rows


def timeline(g: nx.MultiDiGraph, actor: str) -> list[dict[str, Any]]:
    """An actor's events in date order, each with its partner and evidence.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A projection.
    actor : str
        IRI, id (``Q846``) or English or Arabic label.

    Returns
    -------
    list of dict
        Keys ``time``, ``type``, ``role`` (``actor`` when the actor did it,
        ``target`` when it was done to it), ``partner`` (id),
        ``partner_en``, ``partner_ar``, ``status``, ``confidence``,
        ``evidence``, ``article``, ``event`` (IRI).  Undated events come
        last.  An event with several partners gives one row per partner.

    Examples
    --------
    >>> m = nx.MultiDiGraph()
    >>> m.add_edge("a", "b", key="e2", type="VISIT", time="2025-05")
    'e2'
    >>> m.add_edge("c", "a", key="e1", type="MEET", time="2025-01-03")
    'e1'
    >>> [(r["time"], r["type"], r["role"], r["partner"]) for r in timeline(m, "a")]
    [('2025-01-03', 'MEET', 'target', 'c'), ('2025-05', 'VISIT', 'actor', 'b')]
    """
    centre = find_actor(g, actor)
    rows = []
    edges = [(centre, t, k, d, "actor") for _, t, k, d in g.out_edges(centre, keys=True, data=True)]
    edges += [(centre, a, k, d, "target") for a, _, k, d in g.in_edges(centre, keys=True, data=True)]
    for _, other, key, d, role in edges:
        rows.append(
            {
                "time": d.get("time") or "",
                "type": d.get("type", ""),
                "role": role,
                "partner": g.nodes[other].get("id", other),
                "partner_en": actor_label(g, other, "en"),
                "partner_ar": actor_label(g, other, "ar"),
                "status": d.get("status", ""),
                "confidence": d.get("confidence", ""),
                "evidence": d.get("evidence", ""),
                "article": d.get("article", ""),
                "event": key,
            }
        )
    rows.sort(key=lambda r: (r["time"] == "", r["time"], r["type"], str(r["partner"]), str(r["event"])))
    return rows
