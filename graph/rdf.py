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

from rdflib import BNode, Graph, Literal, URIRef
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
    sentence_iri,
)

__all__ = ["article_triples", "actor_triples", "event_key", "time_literal", "new_graph"]

STATUS_IRIS = {"happened": DG.Happened, "planned": DG.Planned, "ongoing": DG.Ongoing}


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
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.date)


def event_key(event: Event) -> str:
    """A key that stays the same when the same article is built again."""
    parts = [
        event.type,
        ",".join(sorted(event.actor)),
        ",".join(sorted(event.target)),
        ",".join(f"{s}-{e}" for s, e in event.evidence[:1]),
    ]
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def actor_triples(entities: Iterable[Entity]) -> Graph:
    """Triples describing actors for the shared actors graph."""
    g = new_graph()
    for ent in entities:
        node = URIRef(actor_iri(ent.id))
        g.add((node, RDF.type, DG[ENTITY_CLASSES.get(ent.type, "Other")]))
        g.add((node, RDF.type, DG.Actor))
        g.add((node, DG.id, Literal(ent.id)))
        if ent.label_en:
            g.add((node, RDFS.label, Literal(ent.label_en, lang="en")))
            g.add((node, SKOS.prefLabel, Literal(ent.label_en, lang="en")))
        if ent.label_ar:
            g.add((node, RDFS.label, Literal(ent.label_ar, lang="ar")))
            g.add((node, SKOS.prefLabel, Literal(ent.label_ar, lang="ar")))
        for alias in ent.aliases_ar:
            if alias != ent.label_ar:
                g.add((node, SKOS.altLabel, Literal(alias, lang="ar")))
        if ent.wikidata:
            g.add((node, DG.wikidata, Literal(ent.wikidata)))
            g.add((node, OWL.sameAs, WD[ent.wikidata]))
        if ent.affiliation:
            g.add((node, DG.affiliation, URIRef(actor_iri(ent.affiliation))))
    return g


def article_triples(
    doc: Document,
    extracted_at: dt.datetime | None = None,
    pipeline_version: str = "",
    ner_model: str = "",
) -> Graph:
    """All triples of one article's named graph.

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
    rdflib.Graph
    """
    g = new_graph()
    art = URIRef(article_iri(doc.id))
    g.add((art, RDF.type, DG.Article))
    g.add((art, RDF.type, SCHEMA.NewsArticle))
    g.add((art, RDF.type, PROV.Entity))
    g.add((art, DG.id, Literal(doc.id)))
    if doc.title:
        g.add((art, DCTERMS.title, Literal(doc.title, lang="ar")))
    if doc.published:
        g.add((art, SCHEMA.datePublished, Literal(doc.published.isoformat(), datatype=XSD.date)))
    if doc.published_basis:
        g.add((art, DG.publishedBasis, Literal(doc.published_basis)))
    if doc.url:
        g.add((art, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.source:
        g.add((art, DG.source, Literal(doc.source)))
    if doc.path:
        g.add((art, DG.sourceFile, Literal(doc.path)))
    g.add((art, DG.contentHash, Literal(hashlib.sha256(doc.text.encode("utf-8")).hexdigest())))
    g.add((art, DG.sentenceCount, Literal(len(doc.sentences))))

    when = extracted_at or dt.datetime.now(dt.UTC)
    act = URIRef(f"{art}/extraction")
    g.add((act, RDF.type, PROV.Activity))
    g.add((act, PROV.used, art))
    g.add((act, PROV.endedAtTime, Literal(when.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    if pipeline_version:
        g.add((act, DG.pipelineVersion, Literal(pipeline_version)))
    if ner_model:
        g.add((act, DG.nerModel, Literal(ner_model)))

    # Which actors the article mentions, and how often.
    counts: dict[str, int] = {}
    for m in doc.mentions:
        for eid in m.entity_ids:
            counts[eid] = counts.get(eid, 0) + 1
    for eid, n in counts.items():
        node = URIRef(actor_iri(eid))
        g.add((art, DG.mentions, node))
        ent = doc.entities.get(eid)
        if ent and ent.role:
            # The office a person held when this article was written.
            g.add((node, DG.role, Literal(ent.role, lang="en")))
        mc = BNode()
        g.add((art, DG.mentionCount, mc))
        g.add((mc, DG.mentionedActor, node))
        g.add((mc, DG["count"], Literal(n)))

    used_sentences = {ev.sentence for ev in doc.events}
    for sent in doc.sentences:
        if sent.index not in used_sentences:
            continue
        s = URIRef(sentence_iri(doc.id, sent.index))
        g.add((s, RDF.type, DG.Sentence))
        g.add((s, DG.text, Literal(sent.text, lang="ar")))
        g.add((s, DG.start, Literal(sent.start)))
        g.add((s, DG.end, Literal(sent.end)))
        g.add((s, DG["index"], Literal(sent.index)))
        g.add((s, DCTERMS.isPartOf, art))

    for ev in doc.events:
        _event_triples(g, doc, ev, art, act)
    return g


def _event_triples(g: Graph, doc: Document, ev: Event, art: URIRef, act: URIRef) -> None:
    node = URIRef(event_iri(doc.id, event_key(ev)))
    g.add((node, RDF.type, DG[EVENT_CLASSES[ev.type]]))
    g.add((node, RDF.type, DG.Event))
    g.add((node, DG.eventType, Literal(ev.type)))
    g.add((node, SKOS.notation, Literal(EVENT_TYPES[ev.type])))
    for role, ids in (("actor", ev.actor), ("target", ev.target), ("place", ev.place)):
        for eid in ids:
            g.add((node, DG[role], URIRef(actor_iri(eid))))
    if ev.time is not None:
        g.add((node, DG.timeExpression, Literal(ev.time.raw, lang="ar")))
        if ev.time.value:
            g.add((node, DG.timeValue, Literal(ev.time.value)))
            if "/" in ev.time.value:
                begin, end = ev.time.value.split("/", 1)
                g.add((node, DG.timeBegin, time_literal(begin)))
                g.add((node, DG.timeEnd, time_literal(end)))
            else:
                g.add((node, DG.time, time_literal(ev.time.value)))
    g.add((node, DG.status, STATUS_IRIS[ev.status]))
    g.add((node, DG.confidence, Literal(Decimal(str(round(ev.confidence, 3))), datatype=XSD.decimal)))
    g.add((node, DG.rule, Literal(ev.rule_id)))
    if ev.trigger:
        g.add((node, DG.trigger, Literal(ev.trigger, lang="ar")))
    if ev.topic:
        g.add((node, DG.topic, Literal(ev.topic)))
    g.add((node, DG.reportedIn, art))
    g.add((node, PROV.wasGeneratedBy, act))
    g.add((node, PROV.wasDerivedFrom, URIRef(sentence_iri(doc.id, ev.sentence))))
    for start, end in ev.evidence:
        ref = BNode()
        g.add((node, DG.evidence, ref))
        g.add((ref, DG.text, Literal(doc.text[start:end], lang="ar")))
        g.add((ref, DG.start, Literal(start)))
        g.add((ref, DG.end, Literal(end)))
        g.add((ref, DCTERMS.isPartOf, art))
    # Keys the query library groups on: the same event reported by several
    # articles (same_event) and events per month (events_by_month).
    value = ev.time.value if ev.time else None
    key = same_event_key(ev.type, value, [actor_iri(a) for a in ev.actor], [actor_iri(t) for t in ev.target])
    if key:
        g.add((node, DG.sameEventKey, Literal(key)))
    month = month_key(EVENT_TYPES[ev.type], value)
    if month:
        g.add((node, DG.monthKey, Literal(month)))
    pred = DG[DIRECT_PREDICATES[ev.type]]
    g.add((node, DG.directPredicate, pred))
    objects = ev.target or (ev.place if ev.type == "VISIT" else [])
    for a in ev.actor:
        for t in objects:
            if a != t:
                g.add((URIRef(actor_iri(a)), pred, URIRef(actor_iri(t))))
