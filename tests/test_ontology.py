"""The ontology and the SHACL shapes: they parse, cover every event type, and catch bad events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from diplograph.extract.model import EVENT_TYPES, Document
from diplograph.graph.store import KnowledgeStore
from diplograph.graph.validate import union_graph, validate
from diplograph.ontology import (
    DG,
    DIRECT_PREDICATES,
    ENTITY_CLASSES,
    EVENT_CLASSES,
    ONTOLOGY_PATH,
    SEM,
    SHAPES_PATH,
)

from .conftest import need_shared
from .graph_samples import fill_store, gold_documents, sample_documents


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def sample_graph() -> Graph:
    with KnowledgeStore(None) as kg:
        fill_store(kg, sample_documents())
        return union_graph(kg)


def test_ontology_and_shapes_parse(onto: Graph) -> None:
    assert (URIRef("https://w3id.org/diplograph/ontology"), RDF.type, OWL.Ontology) in onto
    shapes = Graph().parse(SHAPES_PATH, format="turtle")
    assert len(list(shapes.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))) >= 4


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_type_has_a_class_with_notation_and_both_labels(onto: Graph, event_type: str) -> None:
    cls = DG[EVENT_CLASSES[event_type]]
    assert (cls, RDF.type, OWL.Class) in onto
    assert (cls, RDFS.subClassOf, DG.Event) in onto
    assert str(onto.value(cls, SKOS.notation)) == EVENT_TYPES[event_type]
    assert str(onto.value(cls, DG.typeName)) == event_type
    langs = {lbl.language for lbl in onto.objects(cls, RDFS.label)}
    assert {"en", "ar"} <= langs
    pred = DG[DIRECT_PREDICATES[event_type]]
    assert (pred, RDF.type, OWL.ObjectProperty) in onto
    assert (pred, DG.eventClass, cls) in onto


def test_alignment_to_public_vocabularies(onto: Graph) -> None:
    assert (DG.Event, RDFS.subClassOf, SEM.Event) in onto
    assert (DG.actor, RDFS.subPropertyOf, SEM.hasActor) in onto
    assert (DG.place, RDFS.subPropertyOf, SEM.hasPlace) in onto
    assert (DG.time, RDFS.subPropertyOf, SEM.hasTimeStamp) in onto
    assert (DG.Article, RDFS.subClassOf, URIRef("https://schema.org/NewsArticle")) in onto
    for cls in ENTITY_CLASSES.values():
        assert (DG[cls], RDFS.subClassOf, DG.Actor) in onto


def test_every_term_the_rdf_model_writes_is_declared(onto: Graph, sample_graph: Graph) -> None:
    """A dg: term used by graph/rdf.py but missing from the ontology is a documentation gap."""
    used = {p for p in sample_graph.predicates() if str(p).startswith(str(DG))}
    used |= {o for o in sample_graph.objects(None, RDF.type) if str(o).startswith(str(DG))}
    used |= {o for o in sample_graph.objects(None, DG.status)}
    missing = {u for u in used if (u, RDF.type, None) not in onto}
    assert not missing, sorted(missing)


def test_hand_made_graph_conforms() -> None:
    with KnowledgeStore(None) as kg:
        fill_store(kg, sample_documents())
        conforms, report = validate(kg)
    assert conforms, report


def _one_event(g: Graph) -> URIRef:
    return sorted(g.subjects(RDF.type, DG.Visit))[0]


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("no_actor", "at least one dg:actor"),
        ("two_types", "exactly one dg:eventType"),
        ("unknown_type", "exactly one dg:eventType"),
        ("class_mismatch", "class, dg:eventType and skos:notation disagree"),
        ("code_mismatch", "class, dg:eventType and skos:notation disagree"),
        ("confidence_high", "between 0 and 1"),
        ("confidence_float", "between 0 and 1"),
        ("bad_status", "dg:Happened, dg:Planned or dg:Ongoing"),
        ("no_evidence", "at least one dg:evidence"),
        ("evidence_offsets_swapped", "at least one dg:evidence"),
        ("time_as_string", "dg:time is one"),
        ("half_interval", "dg:timeBegin/dg:timeEnd pair"),
        ("time_and_interval", "dg:timeBegin/dg:timeEnd pair"),
        ("actor_not_in_actors_graph", "an actor of the actors graph"),
        ("no_article", "exactly one dg:Article"),
    ],
)
def test_a_broken_event_does_not_conform(sample_graph: Graph, breakage: str, message: str) -> None:
    g = Graph()
    for t in sample_graph:
        g.add(t)
    ev = _one_event(g)
    if breakage == "no_actor":
        g.remove((ev, DG.actor, None))
    elif breakage == "two_types":
        g.add((ev, DG.eventType, Literal("MEET")))
    elif breakage == "unknown_type":
        g.set((ev, DG.eventType, Literal("PARTY")))
    elif breakage == "class_mismatch":
        g.set((ev, DG.eventType, Literal("MEET")))
    elif breakage == "code_mismatch":
        g.set((ev, SKOS.notation, Literal("036")))  # MEET's code on a visit
    elif breakage == "confidence_high":
        g.set((ev, DG.confidence, Literal("1.5", datatype=XSD.decimal)))
    elif breakage == "confidence_float":
        g.set((ev, DG.confidence, Literal("0.5", datatype=XSD.double)))
    elif breakage == "bad_status":
        g.set((ev, DG.status, DG.Cancelled))
    elif breakage == "no_evidence":
        g.remove((ev, DG.evidence, None))
    elif breakage == "evidence_offsets_swapped":
        span = g.value(ev, DG.evidence)
        start, end = g.value(span, DG.start), g.value(span, DG.end)
        g.set((span, DG.start, end))
        g.set((span, DG.end, start))
    elif breakage == "time_as_string":
        g.set((ev, DG.time, Literal("2024-12-22")))
    elif breakage == "half_interval":
        g.remove((ev, DG.time, None))
        g.add((ev, DG.timeBegin, Literal("2024-12-22", datatype=XSD.date)))
    elif breakage == "time_and_interval":
        g.set((ev, DG.time, Literal("2024-12-22", datatype=XSD.date)))
        g.add((ev, DG.timeBegin, Literal("2024-12-22", datatype=XSD.date)))
        g.add((ev, DG.timeEnd, Literal("2024-12-23", datatype=XSD.date)))
    elif breakage == "actor_not_in_actors_graph":
        g.set((ev, DG.actor, URIRef("https://w3id.org/diplograph/resource/actor/X:Nobody")))
    elif breakage == "no_article":
        g.remove((ev, DG.reportedIn, None))
    conforms, report = validate(g)
    assert not conforms
    assert message in report, report[:2000]


def test_each_event_class_has_a_shape_that_agrees_with_the_ontology(onto: Graph) -> None:
    """The per-class shapes repeat the ontology's dg:typeName and CAMEO code: they must not drift."""
    from diplograph.graph.validate import shapes_graph

    sh = "http://www.w3.org/ns/shacl#"
    shapes = shapes_graph()
    expected = {(cls, str(name), str(onto.value(cls, SKOS.notation))) for cls, name in onto.subject_objects(DG.typeName)}
    found = set()
    for shape, cls in shapes.subject_objects(URIRef(sh + "targetClass")):
        values = {}
        for prop in shapes.objects(shape, URIRef(sh + "property")):
            value = shapes.value(prop, URIRef(sh + "hasValue"))
            if value is not None:
                values[shapes.value(prop, URIRef(sh + "path"))] = str(value)
        if values:
            found.add((cls, values[DG.eventType], values[SKOS.notation]))
    assert len(expected) == len(EVENT_TYPES)
    assert found == expected


def test_an_actor_without_label_does_not_conform(sample_graph: Graph) -> None:
    g = Graph()
    for t in sample_graph:
        g.add(t)
    actor = URIRef("https://w3id.org/diplograph/resource/actor/Q846")
    g.remove((actor, RDFS.label, None))
    conforms, report = validate(g)
    assert not conforms and "at least one rdfs:label" in report


def test_an_untyped_evidence_span_is_still_checked(sample_graph: Graph) -> None:
    """Evidence is a blank node without rdf:type: the event shape reaches it through dg:evidence."""
    g = Graph()
    for t in sample_graph:
        g.add(t)
    ev = _one_event(g)
    bad = BNode()
    g.add((ev, DG.evidence, bad))
    g.add((bad, DG.text, Literal("نص", lang="ar")))
    conforms, report = validate(g)
    assert not conforms and "at least one dg:evidence" in report


def test_gold_dev_articles_conform() -> None:
    """The dev articles, with their gold events written by our RDF model, satisfy the shapes."""
    gold = need_shared("eval", "dev_gold.json")
    docs = gold_documents(gold, gold.parents[1])
    with KnowledgeStore(None) as kg:
        fill_store(kg, docs)
        conforms, report = validate(kg)
    assert sum(len(d.events) for d in docs) > 80
    assert conforms, report


def test_pipeline_built_dev_store_conforms(tmp_path: Path) -> None:
    """What ``diplograph build`` writes for the dev articles (real extraction) conforms, on Oxigraph."""
    gold_path = need_shared("eval", "dev_gold.json")
    corpus = need_shared("corpus", "dev")
    from diplograph.extract.pipeline import PIPELINE_VERSION, default_pipeline
    from diplograph.graph.rdf import actor_triples, article_triples

    pipeline = default_pipeline(use_ner=False)
    published = {g["doc_id"]: g["published"] for g in json.loads(gold_path.read_text(encoding="utf-8"))}
    n_events = 0
    with KnowledgeStore(tmp_path / "kg", create=True) as kg:
        for path in sorted(corpus.glob("*.txt")):
            import datetime as dt

            doc = Document(id=path.stem, text=path.read_text(encoding="utf-8"), path=str(path),
                           published=dt.date.fromisoformat(published[path.stem]), published_basis="gold")
            pipeline(doc)
            n_events += len(doc.events)
            kg.replace_article(doc.id, article_triples(doc, pipeline_version=PIPELINE_VERSION),
                               actor_triples(doc.entities.values()))
        conforms, report = validate(kg)
    assert n_events > 20
    assert conforms, report


def test_query_keys_are_checked(sample_graph: Graph) -> None:
    """The denormalized keys the library queries group on have their documented form."""
    assert validate(sample_graph)[0]
    assert len(list(sample_graph.subject_objects(DG.sameEventKey))) == 12
    g = Graph()
    for t in sample_graph:
        g.add(t)
    g.set((_one_event(g), DG.monthKey, Literal("VISIT 2025-05")))
    conforms, report = validate(g)
    assert not conforms and "dg:monthKey is CAMEO|YYYY-MM" in report
