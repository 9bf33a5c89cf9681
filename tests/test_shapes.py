"""ontology/shapes.ttl accepts a well-formed graph and rejects each kind of malformed one (pySHACL + ontology)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.vocab import KG, KGR, NIF, SCHEMA, WD, ontology_path, shapes_path

# A plain Namespace: rdflib's XSD warns when pytest probes module attributes such as `_mock_name`.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TEXT = "Rescue crews pulled 14 miners from a flooded shaft near Oruro on Tuesday. The mine's owner said none was hurt."
SENTENCE = TEXT[: TEXT.index(".") + 1]

ARTICLE = KGR["article/miners"]
EVIDENCE = KGR[f"evidence/miners/0-{len(SENTENCE)}"]
RESCUE = KGR["event/miners/ev13"]
STATEMENT = KGR["event/miners/ev91"]
CREWS = KGR["group/miners/rescue_crews"]
MINERS = KGR["group/miners/miners"]
ORURO = KGR["place/Oruro"]
BOLIVIA = KGR["place/Bolivia"]
OWNER = KGR["organization/Andes_Mining"]
CEO = KGR["person/Rosa_Quispe"]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def valid_graph() -> Graph:
    """A small graph that uses every shape: article, evidence, events, entities, groups, relations, occurrence."""
    g = Graph()
    g.add((ARTICLE, RDF.type, KG.Article))
    g.add((ARTICLE, SCHEMA.headline, Literal("Fourteen miners rescued in Bolivia")))
    g.add((ARTICLE, SCHEMA.datePublished, Literal("2025-03-05", datatype=XSD.date)))
    g.add((ARTICLE, SCHEMA.url, URIRef("https://news.example.org/miners")))
    g.add((ARTICLE, KG.sha256, Literal(hashlib.sha256(TEXT.encode()).hexdigest())))

    g.add((EVIDENCE, RDF.type, KG.Evidence))
    g.add((EVIDENCE, NIF.anchorOf, Literal(SENTENCE)))
    g.add((EVIDENCE, NIF.beginIndex, Literal(0)))
    g.add((EVIDENCE, NIF.endIndex, Literal(len(SENTENCE))))
    g.add((EVIDENCE, KG.article, ARTICLE))
    g.add((EVIDENCE, KG.confidence, Literal(Decimal("0.9"))))

    g.add((RESCUE, RDF.type, KG.Rescue))
    g.add((RESCUE, KG.trigger, Literal("pull")))
    g.add((RESCUE, KG.evidence, EVIDENCE))
    g.add((RESCUE, KG.agent, CREWS))
    g.add((RESCUE, KG.patient, MINERS))
    g.add((RESCUE, KG.place, ORURO))
    g.add((RESCUE, KG.date, Literal("2025-03-04", datatype=XSD.date)))
    g.add((RESCUE, KG.timeText, Literal("on Tuesday")))
    g.add((RESCUE, KG.quantity, Literal(14)))
    g.add((RESCUE, KG.negated, Literal(False)))
    g.add((RESCUE, KG.modality, KG.Asserted))
    g.add((RESCUE, KG.reportedBy, OWNER))

    g.add((STATEMENT, RDF.type, KG.Statement))
    g.add((STATEMENT, KG.trigger, Literal("say")))
    g.add((STATEMENT, KG.evidence, EVIDENCE))
    g.add((STATEMENT, KG.agent, OWNER))
    g.add((STATEMENT, KG.about, RESCUE))

    for group, role, size in ((CREWS, "rescue crew", None), (MINERS, "miner", 14)):
        g.add((group, RDF.type, KG.Group))
        g.add((group, RDFS.label, Literal(f"{role}s")))
        g.add((group, KG.role, Literal(role)))
        if size is not None:
            g.add((group, KG.size, Literal(size)))
    g.add((MINERS, KG.nationality, BOLIVIA))

    g.add((ORURO, RDF.type, KG.City))
    g.add((ORURO, RDFS.label, Literal("Oruro")))
    g.add((ORURO, KG.locatedIn, BOLIVIA))
    g.add((BOLIVIA, RDF.type, KG.Country))
    g.add((BOLIVIA, RDFS.label, Literal("Bolivia")))
    g.add((BOLIVIA, SKOS.altLabel, Literal("Plurinational State of Bolivia")))
    g.add((BOLIVIA, OWL.sameAs, WD.Q750))
    g.add((OWNER, RDF.type, KG.Company))
    g.add((OWNER, RDFS.label, Literal("Andes Mining")))
    g.add((OWNER, KG.surfaceForm, Literal("the mine's owner")))
    g.add((OWNER, KG.mentionCount, Literal(2)))
    g.add((OWNER, KG.mentionedIn, ARTICLE))
    g.add((OWNER, KG.partOf, BOLIVIA))
    g.add((CEO, RDF.type, KG.Person))
    g.add((CEO, RDFS.label, Literal("Rosa Quispe")))
    g.add((CEO, KG.leaderOf, OWNER))
    g.add((CEO, KG.position, Literal("chief executive")))
    g.add((CEO, KG.memberOf, OWNER))

    occurrence = KGR["occurrence/miners/Andes_Mining"]
    g.add((occurrence, RDF.type, KG.Occurrence))
    g.add((occurrence, KG.entity, OWNER))
    g.add((occurrence, KG.article, ARTICLE))
    g.add((occurrence, KG.mentionCount, Literal(2)))
    return g


def run(graph: Graph, shapes: Graph, ontology: Graph, inference: str = "none", allow_warnings: bool = False):
    # advanced=True: the evidence-offset check uses a SPARQL target (SHACL Advanced Features).
    conforms, report, text = validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=inference,
        allow_warnings=allow_warnings,
        advanced=True,
    )
    return conforms, report, text


def failing_focus_nodes(report: Graph) -> set:
    return set(report.objects(None, SH.focusNode))


def replace(g: Graph, s, p, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


# Each mutation breaks one rule; the focus node is where pySHACL must report it.
MUTATIONS: dict[str, tuple[Callable[[Graph], None], URIRef | Literal]] = {
    "event without trigger": (lambda g: g.remove((RESCUE, KG.trigger, None)), RESCUE),
    "two triggers": (lambda g: g.add((RESCUE, KG.trigger, Literal("rescue"))), RESCUE),
    "upper-case trigger": (lambda g: replace(g, RESCUE, KG.trigger, Literal("Pull")), RESCUE),
    "empty trigger": (lambda g: replace(g, RESCUE, KG.trigger, Literal("")), RESCUE),
    "trigger with a trailing newline": (lambda g: replace(g, RESCUE, KG.trigger, Literal("pull\n")), RESCUE),
    "trigger with a leading space": (lambda g: replace(g, RESCUE, KG.trigger, Literal(" pull")), RESCUE),
    "trigger with outer space": (lambda g: replace(g, RESCUE, KG.trigger, Literal("pull ")), RESCUE),
    "event without evidence": (lambda g: g.remove((STATEMENT, KG.evidence, None)), STATEMENT),
    "evidence not an Evidence": (lambda g: replace(g, STATEMENT, KG.evidence, ARTICLE), STATEMENT),
    "evidence without anchor": (lambda g: g.remove((EVIDENCE, NIF.anchorOf, None)), EVIDENCE),
    "begin not before end": (lambda g: replace(g, EVIDENCE, NIF.beginIndex, Literal(len(SENTENCE))), EVIDENCE),
    "negative begin": (lambda g: replace(g, EVIDENCE, NIF.beginIndex, Literal(-1)), EVIDENCE),
    "offset as string": (lambda g: replace(g, EVIDENCE, NIF.endIndex, Literal(str(len(SENTENCE)))), EVIDENCE),
    "offsets do not span the anchor": (
        lambda g: replace(g, EVIDENCE, NIF.endIndex, Literal(len(SENTENCE) + 4)),
        EVIDENCE,
    ),
    "evidence without article": (lambda g: g.remove((EVIDENCE, KG.article, None)), EVIDENCE),
    "confidence above 1": (lambda g: replace(g, EVIDENCE, KG.confidence, Literal(Decimal("1.5"))), EVIDENCE),
    "confidence as double": (lambda g: replace(g, EVIDENCE, KG.confidence, Literal(0.5)), EVIDENCE),
    "two confidences": (lambda g: g.add((EVIDENCE, KG.confidence, Literal(Decimal("0.4")))), EVIDENCE),
    "article without headline": (lambda g: g.remove((ARTICLE, SCHEMA.headline, None)), ARTICLE),
    "short sha256": (lambda g: replace(g, ARTICLE, KG.sha256, Literal("abc123")), ARTICLE),
    "upper-case sha256": (lambda g: replace(g, ARTICLE, KG.sha256, Literal("AB" * 32)), ARTICLE),
    "sha256 with a trailing newline": (lambda g: replace(g, ARTICLE, KG.sha256, Literal("ab" * 32 + "\n")), ARTICLE),
    "currency with a trailing newline": (lambda g: g.add((RESCUE, KG.currency, Literal("USD\n"))), RESCUE),
    "publication date as string": (lambda g: replace(g, ARTICLE, SCHEMA.datePublished, Literal("5 March")), ARTICLE),
    "two labels": (lambda g: g.add((ORURO, RDFS.label, Literal("Oruro city"))), ORURO),
    "label with a control character": (lambda g: replace(g, BOLIVIA, RDFS.label, Literal("Bol\x07ivia")), BOLIVIA),
    "empty label": (lambda g: replace(g, CEO, RDFS.label, Literal("")), CEO),
    "alt label with a newline": (lambda g: replace(g, BOLIVIA, SKOS.altLabel, Literal("Bolivia\n")), BOLIVIA),
    "label as IRI": (lambda g: replace(g, CEO, RDFS.label, URIRef("https://example.org/Rosa")), CEO),
    "sameAs outside Wikidata": (lambda g: replace(g, BOLIVIA, OWL.sameAs, URIRef("https://example.org/bo")), BOLIVIA),
    "mention count zero": (lambda g: replace(g, OWNER, KG.mentionCount, Literal(0)), OWNER),
    "negative size": (lambda g: replace(g, MINERS, KG.size, Literal(-14)), MINERS),
    "size as string": (lambda g: replace(g, MINERS, KG.size, Literal("14")), MINERS),
    "size as decimal": (lambda g: replace(g, MINERS, KG.size, Literal(Decimal("14.5"))), MINERS),
    "size on a person": (lambda g: g.add((CEO, KG.size, Literal(1))), CEO),
    "upper-case role": (lambda g: replace(g, MINERS, KG.role, Literal("Miner")), MINERS),
    "date as string": (lambda g: replace(g, RESCUE, KG.date, Literal("2025-03-04")), RESCUE),
    "date as dateTime": (
        lambda g: replace(g, RESCUE, KG.date, Literal("2025-03-04T10:00:00", datatype=XSD.dateTime)),
        RESCUE,
    ),
    "quantity as string": (lambda g: replace(g, RESCUE, KG.quantity, Literal("fourteen")), RESCUE),
    "negative quantity": (lambda g: replace(g, RESCUE, KG.quantity, Literal(-3)), RESCUE),
    "amount as double": (lambda g: g.add((RESCUE, KG.amount, Literal(1e6))), RESCUE),
    "lower-case currency": (lambda g: g.add((RESCUE, KG.currency, Literal("usd"))), RESCUE),
    "negated as string": (lambda g: replace(g, RESCUE, KG.negated, Literal("no")), RESCUE),
    "negated twice": (lambda g: g.add((RESCUE, KG.negated, Literal(True))), RESCUE),
    "unknown modality": (lambda g: replace(g, RESCUE, KG.modality, URIRef(str(KG) + "Likely")), RESCUE),
    "two modalities": (lambda g: g.add((RESCUE, KG.modality, KG.Planned)), RESCUE),
    "place not a Place": (lambda g: replace(g, RESCUE, KG.place, OWNER), RESCUE),
    "agent a literal": (lambda g: replace(g, RESCUE, KG.agent, Literal("rescue crews")), RESCUE),
    "about not an event": (lambda g: replace(g, STATEMENT, KG.about, OWNER), STATEMENT),
    "trigger on an untyped node": (lambda g: g.remove((STATEMENT, RDF.type, KG.Statement)), STATEMENT),
    "nationality not a country": (lambda g: replace(g, MINERS, KG.nationality, ORURO), MINERS),
    "member of a place": (lambda g: replace(g, CEO, KG.memberOf, BOLIVIA), CEO),
    "leader of a group": (lambda g: replace(g, CEO, KG.leaderOf, MINERS), CEO),  # a city or region is allowed
    "part of a city": (lambda g: replace(g, OWNER, KG.partOf, ORURO), OWNER),
    "person located in": (lambda g: g.add((CEO, KG.locatedIn, ORURO)), CEO),
    "position on a company": (lambda g: g.add((OWNER, KG.position, Literal("owner"))), OWNER),
    "occurrence without count": (
        lambda g: g.remove((KGR["occurrence/miners/Andes_Mining"], KG.mentionCount, None)),
        KGR["occurrence/miners/Andes_Mining"],
    ),
}


def test_valid_graph_conforms(shapes, ontology):
    conforms, _, text = run(valid_graph(), shapes, ontology)
    assert conforms, text


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_broken_rule_is_reported(shapes, ontology, name):
    mutate, focus = MUTATIONS[name]
    graph = valid_graph()
    mutate(graph)
    conforms, report, text = run(graph, shapes, ontology)
    assert not conforms
    assert focus in failing_focus_nodes(report), text


@pytest.mark.parametrize(
    "date",
    [
        Literal("2025-03", datatype=XSD.gYearMonth),
        Literal("2025", datatype=XSD.gYear),
        Literal("2025-03-04", datatype=XSD.date),
    ],
)
def test_the_three_date_datatypes_conform(shapes, ontology, date):
    graph = valid_graph()
    replace(graph, RESCUE, KG.date, date)
    assert run(graph, shapes, ontology)[0]


@pytest.mark.parametrize("modality", [KG.Asserted, KG.Hypothetical, KG.Conditional, KG.Planned, KG.Generic])
def test_every_modality_conforms(shapes, ontology, modality):
    graph = valid_graph()
    replace(graph, RESCUE, KG.modality, modality)
    assert run(graph, shapes, ontology)[0]


def test_money_quantity_and_language_tagged_labels_conform(shapes, ontology):
    graph = valid_graph()
    graph.add((RESCUE, KG.amount, Literal(Decimal("2500000"))))
    graph.add((RESCUE, KG.currency, Literal("BOB")))
    replace(graph, RESCUE, KG.quantity, Literal(Decimal("14.0")))
    replace(graph, BOLIVIA, SKOS.altLabel, Literal("Bolivia", lang="es"))
    replace(graph, RESCUE, KG.trigger, Literal("pull out"))
    assert run(graph, shapes, ontology)[0]


def test_subclass_instances_are_targeted_without_inference(shapes, ontology):
    """A kg:Increase (two levels below kg:Event) without a trigger is caught through the ontology's subClassOf."""
    graph = valid_graph()
    rise = KGR["event/miners/rise"]
    graph.add((rise, RDF.type, KG.Increase))
    graph.add((rise, KG.evidence, EVIDENCE))
    conforms, report, _ = run(graph, shapes, ontology)
    assert not conforms and rise in failing_focus_nodes(report)
    # Without the ontology nothing says a kg:Increase is a kg:Event, so the event shape never looks at it.
    _, report, _ = validate(graph, shacl_graph=shapes, inference="none")
    assert rise not in failing_focus_nodes(report)


def test_missing_label_is_a_warning(shapes, ontology):
    graph = valid_graph()
    graph.remove((CEO, RDFS.label, None))
    conforms, report, _ = run(graph, shapes, ontology)
    assert not conforms
    assert set(report.objects(None, SH.resultSeverity)) == {SH.Warning}
    assert run(graph, shapes, ontology, allow_warnings=True)[0]


def test_rdfs_inference_agrees(shapes, ontology):
    assert run(valid_graph(), shapes, ontology, inference="rdfs")[0]
    graph = valid_graph()
    graph.remove((RESCUE, KG.trigger, None))
    assert not run(graph, shapes, ontology, inference="rdfs")[0]


def test_blank_node_evidence_is_checked_too(shapes, ontology):
    """An evidence node reached through kg:evidence is checked even when nobody typed it kg:Evidence."""
    graph = valid_graph()
    loose = BNode()
    graph.add((STATEMENT, KG.evidence, loose))
    graph.add((loose, NIF.anchorOf, Literal("The mine's owner said none was hurt.")))
    conforms, report, _ = run(graph, shapes, ontology)
    assert not conforms and loose in failing_focus_nodes(report)
