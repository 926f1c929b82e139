"""The vocabulary that ``extract`` and ``graph`` both speak.

Namespaces, the IRI scheme for resources, and the paths of the OWL ontology
(``diplograph.ttl``) and the SHACL shapes (``shapes.ttl``) shipped beside this
file.  See ``ontology/README.md`` for the model an analyst queries.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from .vocabulary import DIRECT_PREDICATES, ENTITY_TYPES, EVENT_CLASSES, EVENT_TYPES, STATUSES, SYMMETRIC_TYPES

__all__ = [
    "DG",
    "DGR",
    "WD",
    "TIME",
    "SEM",
    "SCHEMA",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "PREFIXES",
    "EVENT_CLASSES",
    "DIRECT_PREDICATES",
    "ENTITY_CLASSES",
    "ENTITY_TYPES",
    "EVENT_TYPES",
    "STATUSES",
    "SYMMETRIC_TYPES",
    "actor_iri",
    "article_iri",
    "article_graph",
    "event_iri",
    "sentence_iri",
    "ACTORS_GRAPH",
    "safe_segment",
]

HERE = Path(__file__).resolve().parent
ONTOLOGY_PATH = HERE / "diplograph.ttl"
SHAPES_PATH = HERE / "shapes.ttl"

DG = Namespace("https://w3id.org/diplograph/ontology#")
DGR = Namespace("https://w3id.org/diplograph/resource/")
WD = Namespace("http://www.wikidata.org/entity/")
TIME = Namespace("http://www.w3.org/2006/time#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "dg": str(DG),
    "dgr": str(DGR),
    "wd": str(WD),
    "time": str(TIME),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

#: Entity type → ontology class local name (the same names).
ENTITY_CLASSES = {t: t for t in ENTITY_TYPES}

ACTORS_GRAPH = DGR["graph/actors"]


@lru_cache(maxsize=1 << 16)
def safe_segment(text: str) -> str:
    """Percent-encode text for one IRI path segment.

    Anything that could break Turtle, N-Quads or SPARQL (quotes, angle
    brackets, spaces, newlines, bidi marks) is encoded; Arabic letters are
    encoded too, so IRIs stay plain ASCII.

    >>> safe_segment('a b"<c>')
    'a%20b%22%3Cc%3E'
    """
    seg = quote(text, safe="-._~:")
    # A segment ending in "." is legal in an IRI, but rdflib cannot read it back
    # from Turtle as a prefixed name (dgr:article\/report\.): encode that dot.
    return seg[:-1] + "%2E" if seg.endswith(".") else seg


@lru_cache(maxsize=1 << 16)
def actor_iri(entity_id: str) -> str:
    """IRI of an entity from its id (``Q846``, ``X:Egypt_MFA``, ``ar:...``; memoized: ids repeat in every article)."""
    return str(DGR["actor/" + safe_segment(entity_id)])


def article_iri(doc_id: str) -> str:
    """IRI of an article from its id."""
    return str(DGR["article/" + safe_segment(doc_id)])


def article_graph(doc_id: str) -> str:
    """IRI of the named graph that holds everything extracted from an article."""
    return str(DGR["graph/article/" + safe_segment(doc_id)])


def sentence_iri(doc_id: str, index: int) -> str:
    """IRI of a sentence of an article."""
    return f"{article_iri(doc_id)}/sentence/{index}"


def event_iri(doc_id: str, key: str) -> str:
    """IRI of an event from its article and a stable key."""
    return f"{article_iri(doc_id)}/event/{safe_segment(key)}"
