"""The knowledge store: rdflib over Oxigraph on disk, one named graph per article.

A store is a folder::

    kg/
      diplograph.json     what this folder is (format version, created)
      oxigraph/           the Oxigraph database (RocksDB), opened through oxrdflib

Writing an article replaces its named graph and adds its actors in **one**
Oxigraph transaction (one N-Quads load for a new article, one SPARQL update
for a rebuilt one), so a failed or interrupted
build leaves the store exactly as it was before that article.  A build writes
new articles in batches (:meth:`KnowledgeStore.write_articles`): a big batch
goes through Oxigraph's bulk loader (some 40 % of the store's CPU time and of
its time on the building thread; not transactional), with a
journal that lists what it adds; a batch that fails is undone at once, one
that a killed process left half-written is undone at the next open, so each
article is still in the store whole or not at all.  Oxigraph locks
its database: a second process that opens the same store gets a clear
:class:`StoreError` instead of corrupting it.

``KnowledgeStore(None)`` gives rdflib's in-memory store for small jobs and
tests where no folder is wanted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from rdflib import Dataset, Graph, URIRef

from diplograph.ontology import ACTORS_GRAPH, PREFIXES, article_graph

__all__ = [
    "KnowledgeStore", "ArticleBatch", "StoreError", "StoreLocked", "STORE_FORMAT", "BULK_MIN_QUADS",
    "DEFAULT_BATCH_QUADS",
]

log = logging.getLogger(__name__)

STORE_FORMAT = 1
_MARKER = "diplograph.json"
#: Present while a bulk load into an empty store runs; found at open, the load is undone.
_BULK_MARKER = "bulk-load-in-progress"
#: Present while a batch of new articles is bulk-loaded: the graphs and actor
#: quads it adds, removed again at the next open if the process died mid-batch.
_BATCH_JOURNAL = "batch-in-progress.json"
_BATCH_SPOOL = "batch-in-progress.nq"  # the batch itself, read by the bulk loader
#: Quads from which a batch of new articles goes through the bulk loader.  Why
#: this low: the loader (spool file and undo journal included) costs less CPU
#: than a transaction from a single article up: 505 quads 8.7 against 11.5 ms,
#: 1,434 quads 14.6 against 20.1 ms, 4,826 quads 36 against 58 ms (session 6).
BULK_MIN_QUADS = 500
# Batches of new articles (RDF this package wrote) are parsed with Oxigraph's
# ``lenient=True``: IRIs and language tags are not validated a second time
# (250,000 quads bulk-loaded: 1.90 -> 1.65 CPU-s, session 7).  Safe because the
# writer never makes an invalid term: tests/test_properties.py parses its output
# strictly for arbitrary ids, titles, paths and text; a syntax error (a broken
# line) is still caught.  Files from elsewhere (``import``,
# KnowledgeStore.bulk_load) are parsed strictly.

# How many quads ``build`` gathers before a bulk load (``--batch-quads``).  Why
# this many: each bulk load sets off RocksDB compactions whose cost hardly
# depends on the batch's size, so fewer, bigger batches cost less CPU; building
# 10,000 synthetic articles with NER, the store's threads took 75.8 CPU-s in
# batches of 100,000 quads, 46.6 in batches of 250,000 and 35.6 in batches of
# 500,000, for a peak RSS of 758, 873 and 1,240 MB (the loader needs ~0.9 KB a
# quad), and a build without NER loads less fast in bigger batches (store alone:
# 150k, 124k, 103k quads/s); ``benchmarks/RESULTS.md``.
DEFAULT_BATCH_QUADS = 250_000


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


def _nt_lines(ntriples: str) -> list[str]:
    """The lines of N-Triples text: split at line feeds (and CR LF) only.

    Why not ``str.splitlines``: it also breaks at U+2028, U+0085, form feeds and
    other separators that N-Triples leaves unescaped inside literals, so an
    article whose title or text holds one (web text does) failed to store.
    """
    return ntriples.replace("\r\n", "\n").split("\n")


def _as_nquads(ntriples: str, graph: str, bnode_prefix: str = "") -> str:
    """N-Triples lines (``s p o .``) as N-Quads in ``graph``.

    ``bnode_prefix`` is put before every blank node label (``_:m0`` becomes
    ``_:a3_m0``): blank nodes are scoped to one document, so articles loaded
    together in one N-Quads document need labels of their own (``_:m0`` of one
    article is not ``_:m0`` of the next).

    Text whose every line ends in `` .`` (what the writer makes) is rewritten
    with a few whole-string operations, all in C; anything else (blank or
    comment lines, CR LF, indented lines) line by line.  Why: the line loop was
    a third of the store's time on the building thread.  Both give the same
    N-Quads (``tests/test_store.py``, ``tests/test_properties.py``): a literal
    never holds a raw line feed, so neither a line's start nor its ending
    `` .`` can be inside one.

    Raises
    ------
    ValueError
        For a line that is not one triple ending in `` .``.
    """
    text = ntriples if ntriples.endswith("\n") else ntriples + "\n"
    if text.count("\n") != text.count(" .\n") or text[:1] in (" ", "\t") or "\n " in text or "\n\t" in text:
        return _as_nquads_by_line(ntriples, graph, bnode_prefix)
    if bnode_prefix and "_:" in text:
        # Replacements without group references: no Python call per blank node.
        text = ("\n" + text).replace("\n_:", f"\n_:{bnode_prefix}")[1:]  # subjects
        text = _BNODE_OBJECT_EOL.sub(f" _:{bnode_prefix}", text)
    return text.replace(" .\n", f" <{graph}> .\n")


# No anchors: a pattern that starts with a literal is searched for in C at memchr speed.
_BNODE_OBJECT_EOL = re.compile(r" _:(?=[A-Za-z0-9_]+ \.\n)")


def _as_nquads_by_line(ntriples: str, graph: str, bnode_prefix: str = "") -> str:
    """:func:`_as_nquads` one line at a time: skips blank and comment lines, names a bad one."""
    out = []
    for line in _nt_lines(ntriples):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.endswith(" ."):
            raise ValueError(f"not an N-Triples line: {line[:80]!r}")
        if bnode_prefix:
            if line.startswith("_:"):
                line = f"_:{bnode_prefix}{line[2:]}"
            # A blank object is the line's last term, never inside a literal.
            line = _BNODE_OBJECT_EOL.sub(f" _:{bnode_prefix}", line + "\n")[:-1]
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
                self._open_oxigraph()
            except OSError as exc:
                msg = str(exc)
                if "lock" in msg.lower():
                    raise StoreLocked(
                        f"{self.path}: the store is in use by another diplograph process (locked); wait for it to finish"
                    ) from None
                raise StoreError(f"{self.path}: cannot open the store ({msg})") from None
            self._ox = self.dataset.store._inner  # type: ignore[attr-defined]
            self._undo_interrupted_bulk_load()
            self._undo_interrupted_batch()
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns)

    def _open_oxigraph(self) -> None:
        """Open the Oxigraph database; on a lock, collect this process's garbage and try once more.

        Why: query results keep Oxigraph's database open after
        :meth:`close`, so a store this same process closed stays locked
        until the last such result is freed, which for objects in reference
        cycles happens only at a garbage collection (seen as a flaky "in use"
        error when one process opens a store again: tests, notebooks).
        """
        assert self.path is not None
        try:
            self.dataset.open(str(self.path / "oxigraph"), create=False)
        except OSError as exc:
            if "lock" not in str(exc).lower():
                raise
            gc.collect()
            self.dataset.open(str(self.path / "oxigraph"), create=False)

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
        new_actor_lines = [ln for ln in _nt_lines(actors_nt) if ln.strip() and ln not in self._actor_lines]
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
        self._written(new_actor_lines, 1)

    def write_articles(self, items: list[tuple[str, str, str]], bulk_min: int = BULK_MIN_QUADS) -> None:
        """Write several articles, each ``(doc_id, article_nt, actors_nt)``: what a build calls.

        An article already in the store is replaced as by :meth:`replace_article_nt`.
        The new ones go in together: below ``bulk_min`` quads in one
        transaction; from there with Oxigraph's bulk loader, which is not atomic
        but costs less: building 2,000 articles with NER, the store took 7.8
        CPU-seconds in batches of 100,000 quads against 19.4 with one
        transaction per article, RocksDB's compactions included, and 5.9 against
        14.1 seconds on the building thread (``benchmarks/RESULTS.md``).  Bigger
        batches mean fewer compactions, and more memory while a batch loads
        (the loader reads it from a file: +82 MB at 100,000 quads, +454 MB at
        500,000; see :data:`DEFAULT_BATCH_QUADS`).  Why that is still safe: a
        journal file lists the batch's graphs and the actor quads that were not
        in the store before it.  If the load fails, they are removed at once;
        if the process dies, at the next open.  Either way every article is in
        the store whole or not at all, as with one transaction each.

        Raises
        ------
        StoreError
            An article whose RDF Oxigraph rejects, named; the articles before
            it in ``items`` are written, it and those after it are not.
        """
        if self._ox is None:
            for doc_id, art, act in items:
                self.replace_article_nt(doc_id, art, act)
            return
        import pyoxigraph as ox

        new: list[tuple[str, str, str]] = []
        for doc_id, art, act in items:
            if self._ox.contains_named_graph(ox.NamedNode(article_graph(doc_id))):
                self.replace_article_nt(doc_id, art, act)
            else:
                new.append((doc_id, art, act))
        if not new:
            return
        quads = sum(art.count("\n") for _, art, _ in new)
        if quads < bulk_min:
            self._load_new_together(new)
        else:
            self._bulk_load_new(new)

    def _batch_quads(self, new: list[tuple[str, str, str]], out: TextIO | None = None) -> tuple[str, list[str]]:
        """N-Quads of new articles and their unseen actor lines, and those actor lines.

        With ``out``, the N-Quads are written there as they are made and ``""``
        is returned in their place: the bulk loader reads a batch from a file
        with less memory than it takes to hand it over as a string (+227 MB
        against +381 MB for 250,000 quads: a string is copied to UTF-8 and
        held whole).
        """
        actor_lines: list[str] = []
        seen: set[str] = set()
        parts: list[str] = []
        emit: Callable[[str], object] = out.write if out is not None else parts.append
        for k, (doc_id, art, act) in enumerate(new):
            emit(_as_nquads(art, article_graph(doc_id), bnode_prefix=f"a{k}_"))
            for ln in _nt_lines(act):
                if ln.strip() and ln not in self._actor_lines and ln not in seen:
                    seen.add(ln)
                    actor_lines.append(ln)
        emit(_as_nquads("\n".join(actor_lines), str(ACTORS_GRAPH)))
        return "".join(parts), actor_lines

    def _load_new_together(self, new: list[tuple[str, str, str]]) -> None:
        """New articles in one transaction; on a parse error, one by one to name the bad one."""
        import pyoxigraph as ox

        try:
            data, actor_lines = self._batch_quads(new)
        except ValueError:
            data = None
        if data is not None:
            try:
                self._ox.load(data, ox.RdfFormat.N_QUADS, lenient=True)  # our own RDF: see the note by BULK_MIN_QUADS
            except (OSError, SyntaxError, ValueError):
                pass  # nothing was written: find the article at fault below
            else:
                self._written(actor_lines, len(new))
                return
        for doc_id, art, act in new:
            self.replace_article_nt(doc_id, art, act)

    def _bulk_load_new(self, new: list[tuple[str, str, str]]) -> None:
        """New articles through the bulk loader, undone if anything goes wrong."""
        import pyoxigraph as ox

        assert self.path is not None
        spool = self.path / _BATCH_SPOOL
        try:
            try:
                with open(spool, "w", encoding="utf-8") as fh:
                    _, actor_lines = self._batch_quads(new, fh)
                fresh_actor_quads = self._absent_actor_quads(actor_lines)
            except (SyntaxError, ValueError, OSError):
                # A malformed line, or no room for the spool file: the slow path
                # writes in transactions and names the article that fails.
                self._load_new_together(new)
                return
            journal = self.path / _BATCH_JOURNAL
            tmp = journal.with_name(f".{journal.name}.tmp")
            tmp.write_text(
                json.dumps({"graphs": [article_graph(d) for d, _, _ in new], "actor_quads": fresh_actor_quads}),
                encoding="utf-8",
            )
            os.replace(tmp, journal)
            try:
                self._ox.bulk_load(path=str(spool), format=ox.RdfFormat.N_QUADS, lenient=True)
                self._ox.flush()
            except (OSError, SyntaxError, ValueError):
                self._undo_interrupted_batch()
                self._load_new_together(new)  # names the bad article, writes those before it
                return
            except BaseException:
                self._undo_interrupted_batch()
                raise
            journal.unlink()
            self._written(actor_lines, len(new))
        finally:
            self._remove_spool()

    def _remove_spool(self) -> None:
        """Delete the bulk loader's input file, if any (a leftover one only takes room)."""
        assert self.path is not None
        try:
            (self.path / _BATCH_SPOOL).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("%s: cannot remove %s (%s)", self.path, _BATCH_SPOOL, exc)

    def _absent_actor_quads(self, actor_lines: list[str]) -> list[str]:
        """The actor lines (as N-Quads) that the store does not hold yet: what undoing a batch removes."""
        import pyoxigraph as ox

        if not actor_lines:
            return []
        graph = ox.NamedNode(str(ACTORS_GRAPH))
        quads = (ox.Quad(t.subject, t.predicate, t.object, graph)
                 for t in ox.parse("\n".join(actor_lines), ox.RdfFormat.N_TRIPLES))
        return [f"{q} ." for q in quads if q not in self._ox]

    def _written(self, actor_lines: list[str], articles: int) -> None:
        """Remember what is now in the store; flush Oxigraph every 100 articles."""
        self._actor_lines.update(actor_lines)
        before = self._writes
        self._writes += articles
        if self._writes // 100 != before // 100:
            self._ox.flush()  # keeps memory flat over long builds

    def _undo_interrupted_batch(self) -> None:
        """Remove what a bulk-loaded batch of new articles added (journal from :meth:`_bulk_load_new`)."""
        import pyoxigraph as ox

        if self.path is None:
            return
        self._remove_spool()  # a killed batch's input: of no use now
        journal = self.path / _BATCH_JOURNAL
        if not journal.exists():
            return
        meta = json.loads(journal.read_text(encoding="utf-8"))
        log.warning("%s: a batch of %d new articles was not finished; removing it", self.path, len(meta["graphs"]))
        for gname in meta["graphs"]:
            self._ox.remove_graph(ox.NamedNode(gname))
        for quad in ox.parse("\n".join(meta["actor_quads"]), ox.RdfFormat.N_QUADS):
            self._ox.remove(quad)
        self._ox.flush()
        journal.unlink()

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


class ArticleBatch:
    """Articles waiting to be written together by :meth:`KnowledgeStore.write_articles`.

    What ``build`` (and the benchmarks, to measure what it does) writes
    through.  Why batches: through the bulk loader the store costs less than
    half the CPU time of one transaction per article.  An article counts as
    written, and ``on_written(doc_id, info)`` is called, only once its batch is
    in the store; a batch goes in when it reaches ``max_quads`` quads or has
    waited ``max_seconds`` (so that a slow build still shows progress), and at
    :meth:`flush`.  ``max_quads`` 0 writes every article on its own, in one
    transaction.

    Examples
    --------
    >>> with KnowledgeStore(None) as kg:
    ...     batch = ArticleBatch(kg, max_quads=100)
    ...     batch.add("a1", '<http://example.org/s> <http://example.org/p> "x" .\\n')
    ...     len(kg)  # waiting: not written yet
    ...     batch.flush()
    ...     len(kg)
    0
    1
    """

    def __init__(
        self,
        store: KnowledgeStore,
        max_quads: int,
        on_written: Callable[[str, Any], None] | None = None,
        max_seconds: float = 60.0,
    ) -> None:
        self.store = store
        self.max_quads = max_quads
        self.on_written = on_written
        self.max_seconds = max_seconds
        self.items: list[tuple[str, str, str, Any]] = []
        self.quads = 0
        self.since = 0.0

    def add(self, doc_id: str, article_nt: str, actors_nt: str = "", info: Any = None) -> None:
        """Queue one article; writes the batch when it is full or old enough."""
        if not self.items:
            self.since = time.monotonic()
        self.items.append((doc_id, article_nt, actors_nt, info))
        self.quads += article_nt.count("\n")
        if self.quads >= self.max_quads or time.monotonic() - self.since >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        """Write what waits; raises :class:`StoreError` (naming the article) as the store does."""
        if not self.items:
            return
        items, self.items, self.quads = self.items, [], 0
        # A small batch (the last one, say) goes in as one transaction; one sent
        # early by the clock still goes through the bulk loader if it is big.
        bulk_min = min(self.max_quads, BULK_MIN_QUADS) if self.max_quads else sys.maxsize
        self.store.write_articles([(d, a, act) for d, a, act, _ in items], bulk_min=bulk_min)
        if self.on_written is not None:
            for doc_id, _, _, info in items:
                self.on_written(doc_id, info)
