"""The build manifest: which articles are in a store, built from what input, by which pipeline.

Incremental builds need to know, for each stored article, a fingerprint of
the input it was built from, the file it came from, the pipeline version and
the NER model.  That record lives **inside the article's own named graph**,
as a few triples on the article node, so it is written in the same Oxigraph
transaction as the article (:meth:`~diplograph.graph.store.KnowledgeStore.replace_article`
is one SPARQL update) and dropped with it: the manifest can never say an
article is stored when it is not, or the other way round, whatever kills a
build.  No separate file can drift from the store.

Triples added to the article graph (``<a>`` is the article node)::

    <a> dg:inputHash "sha256 of the reader's output: id, text, title, dates, url, source" ;
        dg:inputFile "/absolute/path/of/the/file/read" .

The pipeline version, the NER model and the time come from the extraction
activity ``graph/rdf.py`` already writes (``dg:pipelineVersion``,
``dg:nerModel``, ``prov:endedAtTime``).  The absolute path is what lets
``build --prune`` tell that a file is gone whatever folder the build runs
from; it does put a local path into exports, as ``dg:sourceFile`` already
puts a relative one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from diplograph.extract.model import Document
from diplograph.ontology import DG, article_iri

__all__ = [
    "ManifestEntry",
    "input_hash",
    "is_current",
    "manifest_graph",
    "manifest_ntriples",
    "read_manifest",
    "stale_under",
]


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the store knows about how one article was built."""

    doc_id: str
    input_hash: str | None
    input_file: str | None
    pipeline_version: str | None
    ner_model: str | None
    built_at: str | None


def input_hash(doc: Document) -> str:
    """SHA-256 of everything the reader gives the pipeline for ``doc``.

    Covers the text *and* the metadata (title, publication date and its
    basis, url, source), so a changed ``--published`` or JSON field rebuilds
    the article although its text is the same.  Must be taken before the
    pipeline runs (the dates stage may fill in a publication date).
    """
    record = {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "published_basis": doc.published_basis,
        "url": doc.url,
        "source": doc.source,
    }
    blob = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(blob).hexdigest()


def manifest_graph(doc_id: str, fingerprint: str, input_file: str | Path | None) -> Graph:
    """The manifest triples of one article, to be added to its article graph."""
    return Graph().parse(data=manifest_ntriples(doc_id, fingerprint, input_file), format="nt")


def manifest_ntriples(doc_id: str, fingerprint: str, input_file: str | Path | None) -> str:
    """:func:`manifest_graph` as N-Triples text (what the build appends to the article's)."""
    from diplograph.graph.rdf import nt_iri, nt_literal

    art = nt_iri(article_iri(doc_id))
    lines = [f"{art} {nt_iri(str(DG.inputHash))} {nt_literal(fingerprint)} .\n"]
    if input_file is not None:
        lines.append(f"{art} {nt_iri(str(DG.inputFile))} {nt_literal(str(input_file))} .\n")
    return "".join(lines)


_QUERY = """
SELECT ?g ?id ?hash ?file ?ver ?ner ?when WHERE {
  GRAPH ?g {
    ?a a dg:Article ; dg:id ?id .
    OPTIONAL { ?a dg:inputHash ?hash }
    OPTIONAL { ?a dg:inputFile ?file }
    OPTIONAL { ?act prov:used ?a .
               OPTIONAL { ?act dg:pipelineVersion ?ver }
               OPTIONAL { ?act dg:nerModel ?ner }
               OPTIONAL { ?act prov:endedAtTime ?when } }
  }
}
"""


def read_manifest(store: Any) -> dict[str, ManifestEntry]:
    """Every article in ``store`` with what it was built from (one SPARQL query).

    Articles written before the manifest existed have ``input_hash`` None,
    so an incremental build treats them as changed and rebuilds them once.
    """
    out: dict[str, ManifestEntry] = {}
    for row in store.query(_QUERY):
        _, doc_id, fp, path, ver, ner, when = (None if v is None else str(v) for v in row)
        if doc_id is None:
            continue
        out[doc_id] = ManifestEntry(doc_id, fp, path, ver, ner, when)
    return out


def is_current(
    entry: ManifestEntry | None, fingerprint: str, input_file: str | Path | None, pipeline_version: str, ner_model: str
) -> bool:
    """True when a stored article was built from this exact input by this pipeline and model."""
    return (
        entry is not None
        and entry.input_hash == fingerprint
        and entry.pipeline_version == pipeline_version
        and entry.ner_model == ner_model
        and (input_file is None or entry.input_file == str(input_file))
    )


def stale_under(entries: Iterable[ManifestEntry], roots: Iterable[Path]) -> list[ManifestEntry]:
    """Entries whose input file lies under one of ``roots`` (folders or files, absolute)."""
    roots = [Path(r) for r in roots]
    found = []
    for e in entries:
        if not e.input_file:
            continue
        f = Path(e.input_file)
        if any(f == r or r in f.parents for r in roots):
            found.append(e)
    return found
