"""The knowledge store: rdflib over Oxigraph on disk, one named graph per article.

A store is a folder::

    kg/
      diplograph.json     what this folder is (format version, created)
      oxigraph/           the Oxigraph database (RocksDB), opened through oxrdflib

Writing an article replaces its named graph and adds its actors in **one**
Oxigraph transaction (one N-Quads load for a new article, one SPARQL update
for a rebuilt one), so a failed or interrupted
build leaves the store exactly as it was before that article.  Oxigraph locks
its database: a second process that opens the same store gets a clear
:class:`StoreError` instead of corrupting it.

``KnowledgeStore(None)`` gives rdflib's in-memory store for small jobs and
tests where no folder is wanted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from rdflib import Dataset, Graph, URIRef

from diplograph.ontology import ACTORS_GRAPH, PREFIXES, article_graph

__all__ = ["KnowledgeStore", "StoreError", "StoreLocked", "STORE_FORMAT"]

log = logging.getLogger(__name__)

STORE_FORMAT = 1
_MARKER = "diplograph.json"
#: Present while a bulk load into an empty store runs; found at open, the load is undone.
_BULK_MARKER = "bulk-load-in-progress"


class StoreError(Exception):
    """A store that cannot be opened or written, said in one line."""


class StoreLocked(StoreError):
    """Another process holds the store (Oxigraph's lock): wait or give up."""


def _check_folder(path: Path, create: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store folder")
    marker = path / _MARKER
    if path.exists() and any(path.iterdir()) and not marker.exists():
        raise StoreError(
            f"{path}: exists but is not a diplograph store (no {_MARKER}); choose another folder"
        )
    if marker.exists():
        try:
            meta = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{marker}: unreadable store marker ({exc})") from None
        if meta.get("format") != STORE_FORMAT:
            raise StoreError(
                f"{path}: store format {meta.get('format')} is not supported (expected {STORE_FORMAT})"
            )
    elif not create:
        raise StoreError(
            f"{path}: no diplograph store here (build one with 'diplograph build ... --store {path}')"
        )


def _as_nquads(ntriples: str, graph: str) -> str:
    """N-Triples lines (``s p o .``) as N-Quads in ``graph``.

    Raises
    ------
    ValueError
        For a line that is not one triple ending in `` .``.
    """
    out = []
    for line in ntriples.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.endswith(" ."):
            raise ValueError(f"not an N-Triples line: {line[:80]!r}")
        out.append(f"{line[:-1]}<{graph}> .\n")
    return "".join(out)


class KnowledgeStore:
    """An rdflib :class:`~rdflib.Dataset` over Oxigraph, with article-level writes.

    Parameters
    ----------
    path : str or Path or None
        The store folder; ``None`` for rdflib's in-memory store.
    create : bool
        Create the folder if it does not exist (``build`` does; ``query``
        does not, so a typo in ``--store`` is an error, not an empty answer).

    Examples
    --------
    >>> with KnowledgeStore(None) as kg:
    ...     len(kg.article_ids())
    0
    """

    def __init__(self, path: str | Path | None, create: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._ox: Any = None
        self._actor_lines: set[str] = set()
        self._writes = 0
        if self.path is None:
            self.dataset = Dataset(default_union=True)
        else:
            _check_folder(self.path, create)
            if create:
                # A read-only `diplograph serve` holds no Oxigraph lock: refuse to write under it.
                from diplograph.graph.server import ServeError, assert_not_served

                try:
                    assert_not_served(self.path)
                except ServeError as exc:
                    raise StoreError(str(exc)) from None
            self.path.mkdir(parents=True, exist_ok=True)
            marker = self.path / _MARKER
            if not marker.exists():
                # Written to a temporary file and renamed: two first builds racing on
                # a new folder never see a half-written marker.
                meta = {
                    "format": STORE_FORMAT,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                }
                tmp = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps(meta) + "\n", encoding="utf-8")
                os.replace(tmp, marker)
            self.dataset = Dataset(store="Oxigraph", default_union=True)
            try:
                self.dataset.open(str(self.path / "oxigraph"), create=False)
            except OSError as exc:
                msg = str(exc)
                if "lock" in msg.lower():
                    raise StoreLocked(
                        f"{self.path}: the store is in use by another diplograph process (locked); wait for it to finish"
                    ) from None
                raise StoreError(f"{self.path}: cannot open the store ({msg})") from None
            self._ox = self.dataset.store._inner  # type: ignore[attr-defined]
            self._undo_interrupted_bulk_load()
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns)

    @property
    def oxigraph(self) -> Any:
        """The underlying :class:`pyoxigraph.Store` (``None`` for the in-memory store).

        For bulk export and import, which Oxigraph does natively and fast.
        """
        return self._ox

    def is_empty(self) -> bool:
        """Whether the store holds no quad at all (cheap: looks at one quad)."""
        if self._ox is not None:
            return next(iter(self._ox.quads_for_pattern(None, None, None, None)), None) is None
        return len(self.dataset) == 0

    # -- bulk loading ------------------------------------------------------
    def _undo_interrupted_bulk_load(self) -> None:
        """Empty a store whose bulk load was interrupted: it was empty before it."""
        assert self.path is not None
        marker = self.path / _BULK_MARKER
        if marker.exists():
            log.warning(
                "%s: a bulk load was interrupted; undoing it (the store was empty before it)", self.path
            )
            self._ox.clear()
            self._ox.flush()
            marker.unlink()

    def bulk_load(
        self, path: str | Path, rdf_format: Any, to_graph: str | None = None, default_to: str | None = None
    ) -> None:
        """Load a big RDF file into an **empty** Oxigraph store with Oxigraph's bulk loader.

        Why only into an empty store: the bulk loader is about 9x faster than one
        transaction (107k against 12k quads/s at a million quads,
        ``benchmarks/RESULTS.md``) but not atomic.  While it
        runs, a marker file says so; a load that fails, or a process that is
        killed, leaves the marker, and the store is emptied again (its state
        before the load) on failure or at the next open.

        Parameters
        ----------
        path : str or Path
            The file.
        rdf_format : pyoxigraph.RdfFormat
        to_graph : str, optional
            Named graph for a file of triples (Turtle, N-Triples).
        default_to : str, optional
            Named graph that receives what a quad file puts in the default graph.

        Raises
        ------
        StoreError
            The store is not empty.
        SyntaxError, ValueError, OSError
            The file cannot be read or parsed: the store is empty again.
        """
        import pyoxigraph as ox

        if self._ox is None or self.path is None:
            raise StoreError("bulk loading needs an Oxigraph store on disk")
        if not self.is_empty():
            raise StoreError(f"{self.path}: bulk loading needs an empty store")
        marker = self.path / _BULK_MARKER
        marker.write_text(f"{path}\n", encoding="utf-8")
        try:
            kwargs: dict[str, Any] = {"path": str(path), "format": rdf_format}
            if to_graph is not None:
                kwargs["to_graph"] = ox.NamedNode(to_graph)
            self._ox.bulk_load(**kwargs)
            if default_to is not None and next(
                iter(self._ox.quads_for_pattern(None, None, None, ox.DefaultGraph())), None
            ):
                self._ox.update(f"ADD DEFAULT TO <{default_to}> ; DROP SILENT DEFAULT")
            self._ox.flush()
        except BaseException:
            self._undo_interrupted_bulk_load()
            raise
        marker.unlink()

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        if self._ox is not None:
            with contextlib.suppress(Exception):  # flushing is best effort on close
                self._ox.flush()
            self.dataset.close()
            self._ox = None

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- writing ---------------------------------------------------------
    def replace_article(self, doc_id: str, article: Graph, actors: Graph | None = None) -> None:
        """Replace an article's named graph and add its actors, atomically.

        Re-building the same article therefore never duplicates anything.
        """
        if self._ox is not None:
            try:
                body = article.serialize(format="nt")
                extra = actors.serialize(format="nt") if actors is not None and len(actors) else ""
            except Exception as exc:  # noqa: BLE001 - rdflib raises bare Exception for bad IRIs
                raise StoreError(
                    f"{self.path}: article '{doc_id}' has invalid RDF ({exc}); the store is unchanged"
                ) from None
            self.replace_article_nt(doc_id, body, extra)
            return
        gname = article_graph(doc_id)
        ctx = self.dataset.graph(URIRef(gname))
        ctx.remove((None, None, None))
        for t in article:
            ctx.add(t)
        if actors is not None:
            act = self.dataset.graph(ACTORS_GRAPH)
            for t in actors:
                act.add(t)

    def replace_article_nt(self, doc_id: str, article_nt: str, actors_nt: str = "") -> None:
        """:meth:`replace_article` from N-Triples text (what the build writes).

        One Oxigraph transaction either way: an article new to the store is
        loaded as one N-Quads document (its graph and its new actor lines;
        ``Store.load`` is atomic and ~1.5x faster than an update); an article
        already there is replaced by one SPARQL update that drops its graph
        and inserts the new one.
        """
        if self._ox is None:
            from rdflib import Graph as _Graph

            art, act = _Graph(), _Graph()
            art.parse(data=article_nt, format="nt")
            if actors_nt:
                act.parse(data=actors_nt, format="nt")
            self.replace_article(doc_id, art, act)
            return
        import pyoxigraph as ox

        gname = article_graph(doc_id)
        # The actors graph only grows: send only the actor lines this store has
        # not written yet (half of all quads otherwise, re-sent with every article).
        new_actor_lines = [ln for ln in actors_nt.splitlines() if ln.strip() and ln not in self._actor_lines]
        unchanged = f"{self.path}: writing article '{doc_id}' failed"
        try:
            if not self._ox.contains_named_graph(ox.NamedNode(gname)):
                quads = _as_nquads(article_nt, gname) + _as_nquads(
                    "\n".join(new_actor_lines), str(ACTORS_GRAPH)
                )
                self._ox.load(quads, ox.RdfFormat.N_QUADS)
            else:
                update = (
                    f"DROP SILENT GRAPH <{gname}> ;\nINSERT DATA {{\nGRAPH <{gname}> {{\n{article_nt}\n}}\n"
                )
                if new_actor_lines:
                    update += f"GRAPH <{ACTORS_GRAPH}> {{\n" + "\n".join(new_actor_lines) + "\n}\n"
                self._ox.update(update + "}")
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{unchanged} ({exc}); the store is unchanged") from None
        self._actor_lines.update(new_actor_lines)
        self._writes += 1
        if self._writes % 100 == 0:
            self._ox.flush()  # keeps memory flat over long builds

    def remove_article(self, doc_id: str) -> None:
        """Drop an article's named graph (its actors stay)."""
        gname = article_graph(doc_id)
        if self._ox is not None:
            self._ox.update(f"DROP SILENT GRAPH <{gname}>")
        else:
            self.dataset.remove_graph(URIRef(gname))

    def load_graph(self, graph: Graph, graph_name: str) -> None:
        """Add triples to a named graph (used for imports and the ontology)."""
        if self._ox is not None:
            body = graph.serialize(format="nt")
            self._ox.update(f"INSERT DATA {{ GRAPH <{graph_name}> {{\n{body}\n}} }}")
        else:
            ctx = self.dataset.graph(URIRef(graph_name))
            for t in graph:
                ctx.add(t)

    # -- reading ---------------------------------------------------------
    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        """Run a SPARQL query over the union of all graphs.

        ``GRAPH ?g { ... }`` still reaches the named graphs one by one.
        """
        return self.dataset.query(sparql, initBindings=bindings or {})

    def article_ids(self) -> list[str]:
        """Ids of the articles in the store, sorted."""
        rows = self.query("SELECT DISTINCT ?id WHERE { GRAPH ?g { ?a a dg:Article ; dg:id ?id } }")
        return sorted(str(r[0]) for r in rows)

    def __len__(self) -> int:
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0][0])

    def graphs(self) -> Iterator[str]:
        """Names of all named graphs."""
        for row in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield str(row[0])
