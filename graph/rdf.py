"""Turning an extracted :class:`~diplograph.extract.model.Document` into RDF.

One article becomes two sets of triples:

* its **article graph** (named ``dgr:graph/article/<id>``): the article and its
  metadata, its sentences, each event as an n-ary node with roles, typed
  time, status, confidence and PROV-O provenance back to the sentence and
  character offsets, the direct ``actor –predicate– target`` triples for
  simple queries, and which actors the article mentions;
* **actor triples** for the shared ``dgr:graph/actors`` graph: labels in both
  languages, type, Wikidata link, affiliation.

The model is described for analysts in ``ontology/README.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from diplograph.extract.model import EVENT_TYPES, Document, Entity, Event
from diplograph.graph.merge import month_key, same_event_key
from diplograph.ontology import (
    DG,
    DIRECT_PREDICATES,
    ENTITY_CLASSES,
    EVENT_CLASSES,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
    actor_iri,
    article_iri,
    event_iri,
    safe_segment,
    sentence_iri,
)

__all__ = [
    "actor_key",
    "actor_ntriples",
    "actor_triples",
    "article_ntriples",
    "article_triples",
    "event_key",
    "new_graph",
    "nt_iri",
    "nt_literal",
    "time_literal",
]

STATUS_IRIS = {"happened": DG.Happened, "planned": DG.Planned, "ongoing": DG.Ongoing}

_XSD_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def new_graph() -> Graph:
    """An empty rdflib graph with diplograph's prefixes bound."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def time_literal(value: str) -> Literal:
    """A typed literal keeping the precision of an ISO 8601 date.

    >>> time_literal("2025").datatype.endswith("gYear")
    True
    >>> time_literal("2025-05").datatype.endswith("gYearMonth")
    True
    """
    return Literal(value, datatype=_XSD_TYPES.get(len(value), XSD.date))


def nt_iri(iri: str) -> str:
    """An IRI as an N-Triples term.

    Our IRIs are built by :mod:`diplograph.ontology` from percent-encoded
    segments, so they never hold ``<>"{}|^`\\`` or spaces; this is checked
    by the store, which refuses an article whose N-Triples do not parse.
    """
    return f"<{iri}>"


_XSD_INTEGER, _XSD_DECIMAL = str(XSD.integer), str(XSD.decimal)


def nt_literal(value: object, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal as an N-Triples term, as rdflib would write it.

    ``int`` becomes ``xsd:integer`` and :class:`~decimal.Decimal`
    ``xsd:decimal``; strings are plain unless ``lang`` or ``datatype`` is given.

    >>> nt_literal('say "hi"', lang="en")
    '"say \\\\"hi\\\\""@en'
    >>> nt_literal(3)
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if isinstance(value, bool):
        raise TypeError("booleans are not used in diplograph's graphs")
    if isinstance(value, int):
        body, datatype = '"' + str(value) + '"', _XSD_INTEGER  # digits: nothing to escape
    elif isinstance(value, Decimal):
        body, datatype = '"' + str(value) + '"', _XSD_DECIMAL
    else:
        text = str(value)
        # Why the tests first: most literals need no escape, and four substring
        # searches cost a twentieth of a translate over the whole string.
        if '"' in text or "\\" in text or "\n" in text or "\r" in text:
            text = text.translate(_ESCAPES)
        body = '"' + text + '"'
    if lang:
        return f"{body}@{lang}"
    if datatype:
        return f"{body}^^<{datatype}>"
    return body


def _time_nt(value: str) -> str:
    return nt_literal(value, datatype=str(_XSD_TYPES.get(len(value), XSD.date)))


# Predicates and classes, rendered once.
_T = nt_iri(str(RDF.type))
_P = {name: nt_iri(str(DG[name])) for name in (
    "id", "source", "sourceFile", "publishedBasis", "contentHash", "sentenceCount", "pipelineVersion",
    "nerModel", "mentions", "role", "mentionCount", "mentionedActor", "count", "text", "start", "end",
    "index", "eventType", "actor", "target", "place", "timeExpression", "timeValue", "timeBegin",
    "timeEnd", "time", "status", "confidence", "rule", "trigger", "topic", "reportedIn", "evidence",
    "sameEventKey", "monthKey", "directPredicate", "wikidata", "affiliation",
    "Article", "Sentence", "Event", "Actor",
)}  # fmt: skip
_TITLE, _PART_OF = nt_iri(str(DCTERMS.title)), nt_iri(str(DCTERMS.isPartOf))
_PUBLISHED, _URL = nt_iri(str(SCHEMA.datePublished)), nt_iri(str(SCHEMA.url))
_NEWS, _PROV_ENTITY, _ACTIVITY = (
    nt_iri(str(SCHEMA.NewsArticle)),
    nt_iri(str(PROV.Entity)),
    nt_iri(str(PROV.Activity)),
)
_USED, _ENDED = nt_iri(str(PROV.used)), nt_iri(str(PROV.endedAtTime))
_GENERATED_BY, _DERIVED_FROM = nt_iri(str(PROV.wasGeneratedBy)), nt_iri(str(PROV.wasDerivedFrom))
_NOTATION, _LABEL = nt_iri(str(SKOS.notation)), nt_iri(str(RDFS.label))
_PREF, _ALT, _SAME_AS = nt_iri(str(SKOS.prefLabel)), nt_iri(str(SKOS.altLabel)), nt_iri(str(OWL.sameAs))
_STATUS = {k: nt_iri(str(v)) for k, v in STATUS_IRIS.items()}
_EVENT_CLASS = {t: nt_iri(str(DG[c])) for t, c in EVENT_CLASSES.items()}
_DIRECT = {t: nt_iri(str(DG[p])) for t, p in DIRECT_PREDICATES.items()}
_DATE, _DATETIME, _ANY_URI = str(XSD.date), str(XSD.dateTime), str(XSD.anyURI)


def _graph(ntriples: str) -> Graph:
    g = new_graph()
    if ntriples:
        g.parse(data=ntriples, format="nt")
    return g


def event_key(event: Event) -> str:
    """A key that stays the same when the same article is built again."""
    parts = [
        event.type,
        ",".join(sorted(event.actor)),
        ",".join(sorted(event.target)),
        ",".join(f"{s}-{e}" for s, e in event.evidence[:1]),
    ]
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def actor_key(entity: Entity) -> tuple[object, ...]:
    """Everything :func:`actor_ntriples` writes of an actor, as a key.

    A build writes each actor description once (the actors graph only grows);
    the same id with another affiliation (an office holder at another date)
    is a new key and is written again.
    """
    e = entity
    return (e.id, e.label_en, e.label_ar, e.type, e.wikidata, e.affiliation, tuple(e.aliases_ar))


def actor_ntriples(entities: Iterable[Entity]) -> str:
    """N-Triples describing actors, for the shared actors graph.

    Why text and not an rdflib graph: the store loads N-Triples directly, and
    building rdflib terms and graphs cost more than the store write itself
    (``benchmarks/RESULTS.md``).  :func:`actor_triples` gives the same as a graph.
    """
    out: list[str] = []
    add = out.append
    for ent in entities:
        node = nt_iri(actor_iri(ent.id))
        add(f"{node} {_T} {nt_iri(str(DG[ENTITY_CLASSES.get(ent.type, 'Other')]))} .")
        add(f"{node} {_T} {_P['Actor']} .")
        add(f"{node} {_P['id']} {nt_literal(ent.id)} .")
        if ent.label_en:
            en = nt_literal(ent.label_en, lang="en")
            add(f"{node} {_LABEL} {en} .")
            add(f"{node} {_PREF} {en} .")
        if ent.label_ar:
            ar = nt_literal(ent.label_ar, lang="ar")
            add(f"{node} {_LABEL} {ar} .")
            add(f"{node} {_PREF} {ar} .")
        for alias in dict.fromkeys(ent.aliases_ar):
            if alias != ent.label_ar:
                add(f"{node} {_ALT} {nt_literal(alias, lang='ar')} .")
        if ent.wikidata:
            add(f"{node} {_P['wikidata']} {nt_literal(ent.wikidata)} .")
            add(f"{node} {_SAME_AS} {nt_iri(str(WD[safe_segment(ent.wikidata)]))} .")
        if ent.affiliation:
            add(f"{node} {_P['affiliation']} {nt_iri(actor_iri(ent.affiliation))} .")
    return "\n".join(out) + "\n" if out else ""


def actor_triples(entities: Iterable[Entity]) -> Graph:
    """:func:`actor_ntriples` as an rdflib graph (for in-memory work and tests)."""
    return _graph(actor_ntriples(entities))


def article_ntriples(
    doc: Document,
    extracted_at: dt.datetime | None = None,
    pipeline_version: str = "",
    ner_model: str = "",
) -> str:
    """All triples of one article's named graph, as N-Triples text.

    Parameters
    ----------
    doc : Document
        A document the pipeline has processed.
    extracted_at : datetime, optional
        When the extraction ran (PROV ``endedAtTime``); now by default.
    pipeline_version, ner_model : str
        Recorded on the extraction activity, so an answer can be traced to
        the code and model that produced it.

    Returns
    -------
    str
        One triple a line.  Blank nodes are labelled ``_:m<n>`` (mention
        counts) and ``_:v<n>`` (evidence spans); every load into the store
        makes them fresh, so two articles never share one.

    Examples
    --------
    >>> from diplograph.extract.model import Document
    >>> nt = article_ntriples(Document(id="a1", text="نص"), pipeline_version="x")
    >>> "<https://w3id.org/diplograph/ontology#Article>" in nt
    True
    """
    out: list[str] = []
    add = out.append
    art = nt_iri(article_iri(doc.id))
    add(f"{art} {_T} {_P['Article']} .")
    add(f"{art} {_T} {_NEWS} .")
    add(f"{art} {_T} {_PROV_ENTITY} .")
    add(f"{art} {_P['id']} {nt_literal(doc.id)} .")
    if doc.title:
        add(f"{art} {_TITLE} {nt_literal(doc.title, lang='ar')} .")
    if doc.published:
        add(f"{art} {_PUBLISHED} {nt_literal(doc.published.isoformat(), datatype=_DATE)} .")
    if doc.published_basis:
        add(f"{art} {_P['publishedBasis']} {nt_literal(doc.published_basis)} .")
    if doc.url:
        add(f"{art} {_URL} {nt_literal(doc.url, datatype=_ANY_URI)} .")
    if doc.source:
        add(f"{art} {_P['source']} {nt_literal(doc.source)} .")
    if doc.path:
        add(f"{art} {_P['sourceFile']} {nt_literal(doc.path)} .")
    add(f"{art} {_P['contentHash']} {nt_literal(hashlib.sha256(doc.text.encode('utf-8')).hexdigest())} .")
    add(f"{art} {_P['sentenceCount']} {nt_literal(len(doc.sentences))} .")

    when = extracted_at or dt.datetime.now(dt.UTC)
    act = nt_iri(f"{article_iri(doc.id)}/extraction")
    add(f"{act} {_T} {_ACTIVITY} .")
    add(f"{act} {_USED} {art} .")
    add(f"{act} {_ENDED} {nt_literal(when.isoformat(timespec='seconds'), datatype=_DATETIME)} .")
    if pipeline_version:
        add(f"{act} {_P['pipelineVersion']} {nt_literal(pipeline_version)} .")
    if ner_model:
        add(f"{act} {_P['nerModel']} {nt_literal(ner_model)} .")

    # Which actors the article mentions, and how often.
    counts: dict[str, int] = {}
    for m in doc.mentions:
        for eid in m.entity_ids:
            counts[eid] = counts.get(eid, 0) + 1
    for i, (eid, n) in enumerate(counts.items()):
        node = nt_iri(actor_iri(eid))
        add(f"{art} {_P['mentions']} {node} .")
        ent = doc.entities.get(eid)
        if ent and ent.role:
            # The office a person held when this article was written.
            add(f"{node} {_P['role']} {nt_literal(ent.role, lang='en')} .")
        add(f"{art} {_P['mentionCount']} _:m{i} .")
        add(f"_:m{i} {_P['mentionedActor']} {node} .")
        add(f"_:m{i} {_P['count']} {nt_literal(n)} .")

    used_sentences = {ev.sentence for ev in doc.events}
    for sent in doc.sentences:
        if sent.index not in used_sentences:
            continue
        s = nt_iri(sentence_iri(doc.id, sent.index))
        add(f"{s} {_T} {_P['Sentence']} .")
        add(f"{s} {_P['text']} {nt_literal(sent.text, lang='ar')} .")
        add(f"{s} {_P['start']} {nt_literal(sent.start)} .")
        add(f"{s} {_P['end']} {nt_literal(sent.end)} .")
        add(f"{s} {_P['index']} {nt_literal(sent.index)} .")
        add(f"{s} {_PART_OF} {art} .")

    spans = 0
    seen: set[str] = set()
    for ev in doc.events:
        spans = _event_ntriples(out, seen, doc, ev, art, act, spans)
    return "\n".join(out) + "\n"


def article_triples(
    doc: Document,
    extracted_at: dt.datetime | None = None,
    pipeline_version: str = "",
    ner_model: str = "",
) -> Graph:
    """:func:`article_ntriples` as an rdflib graph (for in-memory work and tests)."""
    return _graph(article_ntriples(doc, extracted_at, pipeline_version, ner_model))


def _event_ntriples(
    out: list[str], seen: set[str], doc: Document, ev: Event, art: str, act: str, spans: int
) -> int:
    """Append one event's triples; returns the number of evidence spans labelled so far."""
    add = out.append
    node = nt_iri(event_iri(doc.id, event_key(ev)))
    first = node not in seen  # two events with one key are one node, as in a graph
    seen.add(node)
    add(f"{node} {_T} {_EVENT_CLASS[ev.type]} .")
    add(f"{node} {_T} {_P['Event']} .")
    add(f"{node} {_P['eventType']} {nt_literal(ev.type)} .")
    add(f"{node} {_NOTATION} {nt_literal(EVENT_TYPES[ev.type])} .")
    for role, ids in (("actor", ev.actor), ("target", ev.target), ("place", ev.place)):
        for eid in ids:
            add(f"{node} {_P[role]} {nt_iri(actor_iri(eid))} .")
    if ev.time is not None:
        add(f"{node} {_P['timeExpression']} {nt_literal(ev.time.raw, lang='ar')} .")
        if ev.time.value:
            add(f"{node} {_P['timeValue']} {nt_literal(ev.time.value)} .")
            if "/" in ev.time.value:
                begin, end = ev.time.value.split("/", 1)
                add(f"{node} {_P['timeBegin']} {_time_nt(begin)} .")
                add(f"{node} {_P['timeEnd']} {_time_nt(end)} .")
            else:
                add(f"{node} {_P['time']} {_time_nt(ev.time.value)} .")
    add(f"{node} {_P['status']} {_STATUS[ev.status]} .")
    add(f"{node} {_P['confidence']} {nt_literal(Decimal(str(round(ev.confidence, 3))))} .")
    add(f"{node} {_P['rule']} {nt_literal(ev.rule_id)} .")
    if ev.trigger:
        add(f"{node} {_P['trigger']} {nt_literal(ev.trigger, lang='ar')} .")
    if ev.topic:
        add(f"{node} {_P['topic']} {nt_literal(ev.topic)} .")
    add(f"{node} {_P['reportedIn']} {art} .")
    add(f"{node} {_GENERATED_BY} {act} .")
    add(f"{node} {_DERIVED_FROM} {nt_iri(sentence_iri(doc.id, ev.sentence))} .")
    if first:
        for start, end in ev.evidence:
            ref = f"_:v{spans}"
            spans += 1
            add(f"{node} {_P['evidence']} {ref} .")
            add(f"{ref} {_P['text']} {nt_literal(doc.text[start:end], lang='ar')} .")
            add(f"{ref} {_P['start']} {nt_literal(start)} .")
            add(f"{ref} {_P['end']} {nt_literal(end)} .")
            add(f"{ref} {_PART_OF} {art} .")
    # Keys the query library groups on: the same event reported by several
    # articles (same_event) and events per month (events_by_month).
    value = ev.time.value if ev.time else None
    key = same_event_key(ev.type, value, [actor_iri(a) for a in ev.actor], [actor_iri(t) for t in ev.target])
    if key:
        add(f"{node} {_P['sameEventKey']} {nt_literal(key)} .")
    month = month_key(EVENT_TYPES[ev.type], value)
    if month:
        add(f"{node} {_P['monthKey']} {nt_literal(month)} .")
    pred = _DIRECT[ev.type]
    add(f"{node} {_P['directPredicate']} {pred} .")
    objects = ev.target or (ev.place if ev.type == "VISIT" else [])
    for a in ev.actor:
        for t in objects:
            if a != t:
                add(f"{nt_iri(actor_iri(a))} {pred} {nt_iri(actor_iri(t))} .")
    return spans
