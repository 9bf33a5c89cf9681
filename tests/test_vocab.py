"""The ontology file and the closed KG namespace hold the same terms; the ontology keeps the vocabulary's contract."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.plugins.sparql import prepareQuery

from kg import records
from kg.iris import BASE, ONTOLOGY
from kg.vocab import KG, KGR, NIF, PROV, SCHEMA, SEM, WD, kg_terms, ontology_path, shapes_path

# Every kg: term /work/shared/design/vocabulary.md names: the contract queries are written against.
VOCABULARY_TERMS = {
    # entity classes
    "Person", "Organization", "GovernmentOrganization", "ArmedForce", "Company", "PoliticalParty",
    "Place", "Country", "City", "Region", "Group",
    # entity properties and relations
    "mentionCount", "mentionedIn", "nationality", "memberOf", "partOf", "leaderOf", "founderOf",
    "position", "locatedIn", "size", "role",
    # events and roles
    "Event", "trigger", "evidence", "agent", "patient", "recipient", "place", "date", "timeText",
    "quantity", "amount", "currency", "negated", "modality", "reportedBy", "about",
    "Asserted", "Hypothetical", "Conditional", "Planned", "Generic",
    "Statement", "Capture", "Attack", "Death", "Injury", "Migration", "Exchange", "Transfer",
    "Deployment", "Meeting", "Agreement", "Questioning", "Acquisition", "Election", "LegalAction",
    "Disaster", "Launch", "Declaration", "Protest",
    # provenance
    "Article", "sha256", "Evidence", "article", "confidence",
}  # fmt: skip

# Terms the builder uses beyond vocabulary.md.
BUILDER_TERMS = {"surfaceForm", "Occurrence", "entity", "Modality"}

REQUIRED_EVENT_CLASSES = {
    "Statement", "Capture", "Attack", "Death", "Injury", "Migration", "Exchange", "Transfer", "Deployment",
    "Meeting", "Agreement", "Questioning", "Acquisition", "Election", "LegalAction", "Disaster", "Launch",
    "Declaration", "Protest",
}  # fmt: skip

DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def local(term: URIRef) -> str:
    return str(term).removeprefix(ONTOLOGY)


def declared_terms(graph: Graph) -> set[URIRef]:
    return {
        s
        for s, o in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY) and o in DECLARATION_TYPES
    }


def subclasses_of(graph: Graph, cls: URIRef) -> set[URIRef]:
    """Every class below `cls` by rdfs:subClassOf chains, `cls` excluded."""
    return set(graph.transitive_subjects(RDFS.subClassOf, cls)) - {cls}


def event_classes(graph: Graph) -> set[URIRef]:
    return subclasses_of(graph, KG.Event)


def test_declared_terms_equal_the_namespace(ontology):
    declared = declared_terms(ontology)
    assert declared - kg_terms() == set(), "declared in newskg.ttl but missing from kg.vocab.KG"
    assert kg_terms() - declared == set(), "in kg.vocab.KG but not declared in newskg.ttl"


def test_every_vocabulary_term_is_declared(ontology):
    declared = {local(t) for t in declared_terms(ontology)}
    assert declared >= VOCABULARY_TERMS | BUILDER_TERMS
    assert all(name in KG for name in VOCABULARY_TERMS | BUILDER_TERMS)


def test_every_kg_iri_used_in_the_ontology_is_declared(ontology):
    """A misspelt kg: name in a domain, range or subclass axiom would otherwise go unnoticed."""
    used = {
        node for triple in ontology for node in triple if isinstance(node, URIRef) and str(node).startswith(ONTOLOGY)
    }
    assert used - declared_terms(ontology) == set()


def test_every_term_has_an_english_label_and_a_comment(ontology):
    for term in declared_terms(ontology):
        labels = list(ontology.objects(term, RDFS.label))
        comments = list(ontology.objects(term, RDFS.comment))
        assert len(labels) == 1 and labels[0].language == "en", term
        assert len(comments) == 1 and len(str(comments[0])) > 10, term


def test_class_labels_are_unique(ontology):
    classes = [t for t in declared_terms(ontology) if (t, RDF.type, OWL.Class) in ontology]
    labels = [str(ontology.value(c, RDFS.label)) for c in classes]
    assert len(labels) == len(set(labels))


def test_ontology_parses_with_rdflib_and_pyoxigraph(ontology):
    store = pyoxigraph.Store()
    store.load(path=str(ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(ontology) > 400


def test_shapes_file_parses_with_rdflib_and_pyoxigraph():
    shapes = Graph().parse(shapes_path(), format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(shapes_path()), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(shapes) > 100


def test_header(ontology):
    header = URIRef(ONTOLOGY.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, DCTERMS.title) is not None
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, RDFS.comment) is not None
    assert ontology.value(header, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_required_event_classes_and_a_documented_set_of_more(ontology):
    names = {local(c) for c in event_classes(ontology)}
    assert names >= REQUIRED_EVENT_CLASSES
    assert 35 <= len(names) <= 60  # issue 14 added the finer classes real news needs (Arrest, Trial, Vote, ...)


def test_every_event_class_is_a_transitive_subclass_of_event(ontology):
    """Everything named like an event class in KG sits below kg:Event, so `a/rdfs:subClassOf* kg:Event` finds it.

    kg:EventInstance is not one: mentions are kg:Events, a real-world event is counted once as an instance.
    """
    not_events = {
        KG[name]
        for name in records.ENTITY_TYPES | {"Article", "Evidence", "Occurrence", "Modality", "Event", "EventInstance"}
    }
    classes = {t for t in kg_terms() if (t, RDF.type, OWL.Class) in ontology}
    assert classes - not_events == event_classes(ontology)
    # Two levels deep: a subclass of a subclass still counts.
    assert {KG.Increase, KG.Decrease, KG.Ruling, KG.Migration} <= event_classes(ontology)
    assert (KG.Increase, RDFS.subClassOf, KG.Event) not in ontology


def test_entity_class_hierarchy(ontology):
    assert subclasses_of(ontology, KG.Organization) == {
        KG.GovernmentOrganization,
        KG.ArmedForce,
        KG.Company,
        KG.PoliticalParty,
    }
    assert subclasses_of(ontology, KG.Place) == {KG.Country, KG.City, KG.Region}


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (KG.Person, SCHEMA.Person),
        (KG.Person, SEM.Actor),
        (KG.Organization, SCHEMA.Organization),
        (KG.Organization, SEM.Actor),
        (KG.GovernmentOrganization, SCHEMA.GovernmentOrganization),
        (KG.Company, SCHEMA.Corporation),
        (KG.Place, SCHEMA.Place),
        (KG.Place, SEM.Place),
        (KG.Country, SCHEMA.Country),
        (KG.Country, SEM.Actor),
        (KG.City, SCHEMA.City),
        (KG.Group, SEM.Actor),
        (KG.Event, SEM.Event),
        (KG.Event, SCHEMA.Event),
        (KG.Article, SCHEMA.NewsArticle),
        (KG.Evidence, PROV.Entity),
    ],
)
def test_class_alignments(ontology, term, parent):
    assert (term, RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (KG.agent, SEM.hasActor),
        (KG.place, SEM.hasPlace),
        (KG.date, SEM.hasTimeStamp),
        (KG.evidence, PROV.wasDerivedFrom),
        (KG.reportedBy, PROV.wasAttributedTo),
    ],
)
def test_property_alignments(ontology, term, parent):
    assert (term, RDFS.subPropertyOf, parent) in ontology


def test_modalities_are_the_five_individuals_of_modality(ontology):
    individuals = set(ontology.subjects(RDF.type, KG.Modality))
    assert individuals == {KG.Asserted, KG.Hypothetical, KG.Conditional, KG.Planned, KG.Generic}
    names = (records.ASSERTED, records.HYPOTHETICAL, records.CONDITIONAL, records.PLANNED, records.GENERIC_MODALITY)
    assert set(names) == {local(i) for i in individuals}
    assert ontology.value(KG.modality, RDFS.range) == KG.Modality


def test_date_range_is_the_union_of_three_datatypes(ontology):
    union = ontology.value(ontology.value(KG.date, RDFS.range), OWL.unionOf)
    members = set(ontology.items(union))
    assert members == {URIRef(f"http://www.w3.org/2001/XMLSchema#{name}") for name in ("date", "gYearMonth", "gYear")}


@pytest.mark.parametrize(
    ("prop", "kind", "domain", "range_"),
    [
        (KG.trigger, OWL.DatatypeProperty, KG.Event, "string"),
        (KG.size, OWL.DatatypeProperty, KG.Group, "integer"),
        (KG.negated, OWL.DatatypeProperty, KG.Event, "boolean"),
        (KG.confidence, OWL.DatatypeProperty, KG.Evidence, "decimal"),
        (KG.quantity, OWL.DatatypeProperty, KG.Event, "decimal"),
        (KG.place, OWL.ObjectProperty, KG.Event, KG.Place),
        (KG.about, OWL.ObjectProperty, KG.Statement, KG.Event),
        (KG.nationality, OWL.ObjectProperty, None, KG.Country),
        (KG.mentionedIn, OWL.ObjectProperty, None, KG.Article),
        (KG.evidence, OWL.ObjectProperty, None, KG.Evidence),
    ],
)
def test_property_kinds_domains_and_ranges(ontology, prop, kind, domain, range_):
    assert (prop, RDF.type, kind) in ontology
    if domain is not None:
        assert ontology.value(prop, RDFS.domain) == domain
    expected = range_ if isinstance(range_, URIRef) else URIRef(f"http://www.w3.org/2001/XMLSchema#{range_}")
    assert ontology.value(prop, RDFS.range) == expected


def test_reused_nif_terms_are_declared(ontology):
    for term in (NIF.anchorOf, NIF.beginIndex, NIF.endIndex):
        assert (term, RDF.type, OWL.DatatypeProperty) in ontology
        assert ontology.value(term, RDFS.label) is not None


def test_record_type_names_are_ontology_classes(ontology):
    for name in records.ENTITY_TYPES:
        assert (KG[name], RDF.type, OWL.Class) in ontology


def test_namespace_is_closed():
    assert KG.Capture == URIRef(ONTOLOGY + "Capture")
    assert KG["Return"] == URIRef(ONTOLOGY + "Return")
    with pytest.raises(AttributeError):
        _ = KG.Captrue
    with pytest.raises(AttributeError):
        _ = KG["capture"]


def test_namespace_objects():
    assert KGR["person/Ada_Lovelace"] == URIRef(BASE + "person/Ada_Lovelace")
    assert str(SCHEMA) == "https://schema.org/"
    assert str(SEM) == "http://semanticweb.cs.vu.nl/2009/11/sem/"
    assert str(PROV) == "http://www.w3.org/ns/prov#"
    assert str(NIF) == "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    assert str(WD.Q1860) == "http://www.wikidata.org/entity/Q1860"


def test_paths_point_at_the_repository_ontology_directory():
    assert ontology_path().is_file() and ontology_path().name == "newskg.ttl"
    assert shapes_path().is_file() and shapes_path().parent == ontology_path().parent
    assert ontology_path().parent.name == "ontology"


def test_labels_are_literals_not_iris(ontology):
    for term in declared_terms(ontology):
        assert isinstance(ontology.value(term, RDFS.label), Literal)


QUERIES = sorted((ontology_path().parent / "queries").glob("*.rq"))
KG_IRI = re.compile(r"kg:([A-Za-z_][A-Za-z0-9_]*)")


def test_there_are_named_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_named_query_is_documented_parses_and_uses_declared_terms(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {path.stem}: ")
    prepareQuery(text)
    list(pyoxigraph.Store().query(text))
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("#", "PREFIX")))
    assert {name for name in KG_IRI.findall(body) if name not in KG} == set()


def test_wheels_carry_every_ontology_file():
    """pyproject.toml maps ontology/ into the package as kg.ontology; every file there must be package data."""
    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    shipped = set()
    for package, folder in config["package-dir"].items():
        assert package in config["packages"]
        for path in (root / folder).iterdir():
            if path.is_file() and any(fnmatch.fnmatch(path.name, p) for p in config["package-data"][package]):
                shipped.add(path.relative_to(root / "ontology"))
    on_disk = {p.relative_to(root / "ontology") for p in (root / "ontology").rglob("*") if p.is_file()}
    assert on_disk and shipped == on_disk
    assert ontology_path().is_file() and shapes_path().is_file()
