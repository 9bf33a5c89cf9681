"""Mapping a resolved extraction to RDF, checked against a golden graph by isomorphism."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import iris, mapping
from kg.records import (
    CONDITIONAL,
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    Relation,
    ResolvedEntity,
    ResolvedExtraction,
    Role,
)
from kg.vocab import KG

GOLDEN = Path(__file__).parent / "data" / "golden" / "mapping.trig"
TEXT = "Ruritanian police detained two Freedonian sailors in Strelsau on Tuesday, Minister Anna Vex said."


def resolved_example() -> ResolvedExtraction:
    """A small hand-built extraction: a capture reported by a minister, a group, a place, a relation."""
    article = Article(id="ex-1", text=TEXT, title="Sailors detained", date="2024-05-09", url="https://n.example/1")
    sentence = Evidence(TEXT, 0, len(TEXT), 0.9)
    police = Entity(
        "e1",
        "ArmedForce",
        "Ruritanian police",
        ("Ruritanian police",),
        (Mention(0, 17, "Ruritanian police", evidence=sentence),),
    )
    freedonia = Entity("e2", "Country", "Freedonia", ("Freedonia",), ())
    sailors = Entity(
        "g1",
        "Group",
        "two Freedonian sailors",
        (),
        (Mention(27, 49, "two Freedonian sailors", "description", sentence),),
        size=2,
        role="sailor",
        nationality="e2",
    )
    town = Entity("e3", "City", "Strelsau", ("Strelsau",), (Mention(53, 61, "Strelsau", evidence=sentence),))
    vex = Entity("e4", "Person", "Anna Vex", ("Anna Vex",), (Mention(84, 92, "Anna Vex", evidence=sentence),))
    capture = Event(
        "ev18",
        "Capture",
        "detain",
        18,
        26,
        sentence,
        roles=(Role("agent", "e1"), Role("patient", "g1"), Role("place", "e3"), Role("reportedBy", "e4")),
        date="2024-05-07",
        time_text="on Tuesday",
        quantity=2,
        modality=CONDITIONAL,
    )
    said = Event("ev93", "Statement", "say", 93, 97, sentence, roles=(Role("agent", "e4"),), about=("ev18",))
    relation = Relation("e4", "position", "Minister", literal=True)
    extraction = Extraction(article, (police, freedonia, sailors, town, vex), (capture, said), (relation,))
    entities = {
        "e1": ResolvedEntity(
            "e1",
            iris.entity_iri("ArmedForce", "Ruritanian police"),
            "ArmedForce",
            "Ruritanian police",
            ("Ruritanian police",),
        ),
        "e2": ResolvedEntity("e2", iris.entity_iri("Country", "Freedonia"), "Country", "Freedonia", ("Freedonia",)),
        "g1": ResolvedEntity("g1", iris.group_iri("ex-1", "g1"), "Group", "two Freedonian sailors"),
        "e3": ResolvedEntity("e3", iris.entity_iri("City", "Strelsau"), "City", "Strelsau", ("Strelsau",), "Q999999"),
        "e4": ResolvedEntity("e4", iris.entity_iri("Person", "Anna Vex"), "Person", "Anna Vex", ("Anna Vex",)),
    }
    return ResolvedExtraction(extraction, entities)


def test_article_graph_matches_golden():
    graph = mapping.article_graph(resolved_example()).to_rdflib()
    golden = Dataset()
    golden.parse(GOLDEN, format="trig")
    expected = golden.graph(URIRef(iris.article_iri("ex-1")))
    assert len(graph) == len(expected) > 0
    assert isomorphic(graph, expected)


def test_article_graph_is_named_by_the_article():
    graph = mapping.article_graph(resolved_example())
    assert str(graph.identifier) == iris.article_iri("ex-1")


def test_typed_literals():
    graph = mapping.article_graph(resolved_example()).to_rdflib()
    event = URIRef(iris.event_iri("ex-1", "ev18"))
    assert graph.value(event, KG.date).datatype.endswith("#date")
    assert graph.value(event, KG.quantity) == Literal(2)
    assert graph.value(event, KG.modality) == KG.Conditional


def test_summary_has_one_label_and_alt_labels():
    forms = [
        mapping.EntityForms("https://w3id.org/newskg/id/person/Anna_Vex", "Person", (("Anna Vex", 1), ("Vex", 2)), 3)
    ]
    summary = mapping.entity_summary(forms, lambda t, f, link: ("Anna Vex", ("Vex",))).to_rdflib()
    node = URIRef(forms[0].iri)
    assert len(list(summary.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))) == 1
    assert {str(o) for o in summary.objects(node, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))} == {"Vex"}


def test_ntriples_are_sorted_and_parse():
    text = mapping.to_ntriples(mapping.article_graph(resolved_example()))
    lines = text.splitlines()
    assert lines == sorted(lines)
    assert len(Graph().parse(data=text, format="nt")) == len(lines)


def test_control_characters_never_reach_labels():
    summary = mapping.entity_summary(
        [mapping.EntityForms("https://w3id.org/newskg/id/person/X", "Person", (("A\x07B", 1),), 1)],
        lambda t, f, link: ("A\x07B\u202e", ()),
    ).to_rdflib()
    labels = [str(o) for o in summary.objects()]
    assert "A B" in labels


def test_the_dateline_place_goes_on_the_article_and_stays_apart_from_kg_place():
    example = resolved_example()
    extraction = example.extraction
    capture, said = extraction.events
    # A hand-made case: the capture has no stated place, only the dateline's.
    moved = replace(capture, roles=(Role("agent", "e1"), Role("datelinePlace", "e3")))
    extraction = Extraction(extraction.article, extraction.entities, (moved, said), (), dateline_place="e3")
    graph = mapping.article_graph(ResolvedExtraction(extraction, example.entities)).to_rdflib()
    article, town = URIRef(iris.article_iri("ex-1")), URIRef(iris.entity_iri("City", "Strelsau"))
    event = URIRef(iris.event_iri("ex-1", "ev18"))
    assert (article, KG.datelinePlace, town) in graph
    assert (event, KG.datelinePlace, town) in graph
    assert (event, KG.place, None) not in graph
