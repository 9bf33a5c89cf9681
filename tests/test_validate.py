"""kg.validate checks the union of a dataset's graphs, with the ontology, against ontology/shapes.ttl."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS

from kg.iris import ENTITIES_GRAPH
from kg.validate import union_graph, validate
from kg.vocab import KG, KGR, NIF, SCHEMA

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TEXT = "Heavy snow closed the port of Narvik on Sunday. Ferries were held back for a day."
SENTENCE = TEXT[: TEXT.index(".") + 1]

ARTICLE = KGR["article/narvik-snow"]
EVIDENCE = KGR[f"evidence/narvik/0-{len(SENTENCE)}"]
STORM = KGR["event/narvik/ev6"]
NARVIK = KGR["place/Narvik"]


def article_graph(ds: Dataset) -> Graph:
    """Fill the article's named graph of `ds`: the article, one evidence sentence, one event at a place."""
    g = ds.graph(ARTICLE)
    g.add((ARTICLE, RDF.type, KG.Article))
    g.add((ARTICLE, SCHEMA.headline, Literal("Snow shuts Narvik port")))
    g.add((ARTICLE, SCHEMA.datePublished, Literal("2025-01-13", datatype=XSD.date)))
    g.add((ARTICLE, KG.sha256, Literal(hashlib.sha256(TEXT.encode()).hexdigest())))
    g.add((EVIDENCE, RDF.type, KG.Evidence))
    g.add((EVIDENCE, NIF.anchorOf, Literal(SENTENCE)))
    g.add((EVIDENCE, NIF.beginIndex, Literal(0)))
    g.add((EVIDENCE, NIF.endIndex, Literal(len(SENTENCE))))
    g.add((EVIDENCE, KG.article, ARTICLE))
    g.add((EVIDENCE, KG.confidence, Literal(Decimal("0.7"))))
    g.add((STORM, RDF.type, KG.Disaster))
    g.add((STORM, KG.trigger, Literal("snow")))
    g.add((STORM, KG.evidence, EVIDENCE))
    g.add((STORM, KG.place, NARVIK))
    g.add((STORM, KG.date, Literal("2025-01-12", datatype=XSD.date)))
    g.add((NARVIK, RDF.type, KG.City))
    g.add((NARVIK, KG.mentionedIn, ARTICLE))
    return g


def built_dataset() -> Dataset:
    """An article graph plus the entities graph holding the place's label, as the builder lays them out."""
    ds = Dataset()
    article_graph(ds)
    ds.graph(KGR[ENTITIES_GRAPH.removeprefix(str(KGR))]).add((NARVIK, RDFS.label, Literal("Narvik")))
    return ds


def test_a_built_dataset_conforms():
    conforms, report = validate(built_dataset())
    assert conforms, report
    assert "Conforms: True" in report


def test_the_union_is_validated_not_each_graph_alone():
    """The label is in the entities graph, the entity in the article graph: together they conform."""
    conforms, report = validate(built_dataset())
    assert conforms and "Warning" not in report
    # The article graph alone lacks the label: reported, as a warning only.
    alone = Dataset()
    article_graph(alone)
    conforms, report = validate(alone)
    assert conforms
    assert "Warning" in report and str(NARVIK) in report


def test_a_second_label_in_another_graph_is_a_violation():
    ds = built_dataset()
    ds.graph(ARTICLE).add((NARVIK, RDFS.label, Literal("Narvik harbour")))
    conforms, report = validate(ds)
    assert not conforms
    assert str(NARVIK) in report and "MaxCount" in report


def test_an_event_subclass_without_trigger_is_rejected():
    ds = built_dataset()
    ds.graph(ARTICLE).remove((STORM, KG.trigger, None))
    conforms, report = validate(ds)
    assert not conforms
    assert str(STORM) in report


def test_a_plain_graph_is_accepted():
    graph = union_graph(built_dataset())
    assert validate(graph)[0]
    graph.set((EVIDENCE, KG.confidence, Literal(Decimal("2"))))
    conforms, report = validate(graph)
    assert not conforms and str(EVIDENCE) in report


def test_union_graph_collects_every_named_graph():
    ds = built_dataset()
    union = union_graph(ds)
    assert len(union) == sum(len(g) for g in ds.graphs())
    assert (NARVIK, RDFS.label, Literal("Narvik")) in union


def test_the_input_is_left_unchanged():
    ds = built_dataset()
    before = sorted(ds.quads((None, None, None, None)))
    validate(ds, inference="rdfs")
    assert sorted(ds.quads((None, None, None, None))) == before


def test_a_dateline_place_on_the_article_and_an_event_conforms_but_must_be_a_place():
    ds = built_dataset()
    g = ds.graph(ARTICLE)
    g.add((ARTICLE, KG.datelinePlace, NARVIK))
    g.add((STORM, KG.datelinePlace, NARVIK))
    conforms, report = validate(ds)
    assert conforms, report
    g.add((ARTICLE, KG.datelinePlace, EVIDENCE))
    conforms, _ = validate(ds)
    assert not conforms
