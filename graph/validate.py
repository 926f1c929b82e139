"""Checking the graph against the SHACL shapes of ``ontology/shapes.ttl``.

The shapes say what a valid event and actor look like (one type among the 22,
an actor that is a known dg:Actor, a status, a confidence in [0, 1], evidence
with offsets, time literals of the right datatype...).  An event only becomes
valid in the *union* of its article graph and the shared actors graph (its
actors are typed in the actors graph), so validation always runs over that
union: every named graph of the store merged into one graph.

Validation runs with no inference: the pipeline writes every type an event
needs (``dg:Visit`` *and* ``dg:Event``), so a missing one is a real error,
not something a reasoner should paper over.  The ontology is
merged into the data graph so the shapes can compare an event's class with its
``dg:eventType`` and CAMEO code.

Examples
--------
>>> from diplograph.graph.store import KnowledgeStore
>>> with KnowledgeStore(None) as kg:
...     validate(kg)[0]
True
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from diplograph.ontology import ONTOLOGY_PATH, SHAPES_PATH

__all__ = ["validate", "union_graph", "shapes_graph", "ontology_graph"]


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes (parsed once per process)."""
    return Graph().parse(SHAPES_PATH, format="turtle")


@cache
def ontology_graph() -> Graph:
    """The OWL ontology (parsed once per process)."""
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def _as_written(node: Node) -> Node:
    """A literal as any RDF file would carry it: rebuilt from its lexical form.

    An in-memory graph can hold a literal built from a Python value of
    another type (``Literal(0.9, datatype=XSD.decimal)`` keeps a float);
    pyshacl checks the Python value and would call that ill-typed although
    the RDF (``"0.9"^^xsd:decimal``) is right.  Rebuilding from the lexical
    form validates what a store or a file actually holds.
    """
    if isinstance(node, Literal) and node.datatype is not None:
        if node.datatype == XSD.string:
            # RDF 1.1: "x" and "x"^^xsd:string are the same literal; Oxigraph
            # hands back the explicit form, which rdflib would not match
            # against the shapes' sh:in lists.
            return Literal(str(node))
        return Literal(str(node), datatype=node.datatype)
    return node


def union_graph(source: Any) -> Graph:
    """All triples of a store, dataset or graph as one plain graph.

    Parameters
    ----------
    source : KnowledgeStore or rdflib.Dataset or rdflib.Graph
        A :class:`~diplograph.graph.store.KnowledgeStore` (Oxigraph or in
        memory), a dataset (its named graphs are merged) or a graph (used as
        it is).

    Returns
    -------
    rdflib.Graph
        A new in-memory graph: pyshacl walks it triple by triple, which is
        far faster in memory than through the on-disk store.
    """
    dataset = getattr(source, "dataset", source)
    g = Graph()
    if isinstance(dataset, Dataset):
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            g.add((s, p, _as_written(o)))
    elif isinstance(dataset, Graph):
        for s, p, o in dataset:
            g.add((s, p, _as_written(o)))
    else:
        raise TypeError(f"cannot validate a {type(source).__name__}: give a KnowledgeStore, Dataset or Graph")
    return g


def validate(source: Any) -> tuple[bool, str]:
    """Validate a store (or graph) against the diplograph SHACL shapes.

    Parameters
    ----------
    source : KnowledgeStore or rdflib.Dataset or rdflib.Graph
        What to check; a store is checked as the union of its article graphs
        and the actors graph.

    Returns
    -------
    conforms : bool
        True when there is no violation (warnings, such as an affiliation
        pointing to an actor the actors graph lacks, are reported but do not
        make the graph invalid).
    report : str
        pyshacl's text report: each violation with its focus node, path and
        message.
    """
    from pyshacl import validate as shacl_validate

    data = union_graph(source)
    # The ontology joins the data (pyshacl only mixes ont_graph in when it
    # infers): the shapes compare an event's class with its type and code
    # through the classes' dg:typeName and skos:notation.
    data += ontology_graph()
    conforms, _, text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
    )
    return bool(conforms), str(text)
