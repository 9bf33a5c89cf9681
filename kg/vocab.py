"""The ontology's terms as a closed rdflib namespace, and the namespaces the graph uses.

`KG` is closed: `KG.Capture` works, a misspelt `KG.Captrue` raises AttributeError, so a typo in the
mapping fails at once instead of minting a term nobody declared. tests/test_vocab.py checks that the
attributes below and the terms declared in ontology/newskg.ttl are the same set.
"""

# No `from __future__ import annotations` here: DefinedNamespace reads the annotations below as real types
# (as_jsonld_context checks them against URIRef).
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from kg.iris import BASE, ONTOLOGY

KGR = Namespace(BASE)
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = Namespace("http://www.w3.org/ns/prov#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_IRI = URIRef(ONTOLOGY.rstrip("#"))


def ontology_dir() -> Path:
    """Return the folder holding newskg.ttl, shapes.ttl and queries/.

    An installed wheel carries it as kg/ontology (see pyproject.toml); a source checkout, and the
    editable install `make` does, has it as ontology/ at the top of the repository.
    """
    packaged = Path(__file__).resolve().parent / "ontology"
    return packaged if (packaged / "newskg.ttl").is_file() else Path(__file__).resolve().parent.parent / "ontology"


class KG(DefinedNamespace):
    """Every term of the newskg ontology (https://w3id.org/newskg/ontology#)."""

    _NS = Namespace(ONTOLOGY)
    _fail = True

    # Entity classes
    Person: URIRef
    Organization: URIRef
    GovernmentOrganization: URIRef
    ArmedForce: URIRef
    Company: URIRef
    PoliticalParty: URIRef
    Place: URIRef
    Country: URIRef
    City: URIRef
    Region: URIRef
    Group: URIRef

    # Entity descriptions and relations
    nationality: URIRef
    memberOf: URIRef
    partOf: URIRef
    leaderOf: URIRef
    founderOf: URIRef
    position: URIRef
    locatedIn: URIRef
    size: URIRef
    role: URIRef
    mentionCount: URIRef
    mentionedIn: URIRef
    surfaceForm: URIRef
    Occurrence: URIRef
    entity: URIRef

    # Event classes
    Event: URIRef
    Statement: URIRef
    Capture: URIRef
    Attack: URIRef
    Death: URIRef
    Injury: URIRef
    Movement: URIRef
    Migration: URIRef
    Return: URIRef
    Exchange: URIRef
    Transfer: URIRef
    Release: URIRef
    Deployment: URIRef
    Meeting: URIRef
    Negotiation: URIRef
    Agreement: URIRef
    Cooperation: URIRef
    Questioning: URIRef
    Investigation: URIRef
    Acquisition: URIRef
    Sale: URIRef
    Investment: URIRef
    Production: URIRef
    Change: URIRef
    Increase: URIRef
    Decrease: URIRef
    Appointment: URIRef
    Resignation: URIRef
    Dismissal: URIRef
    Election: URIRef
    Approval: URIRef
    Rejection: URIRef
    Request: URIRef
    Support: URIRef
    Help: URIRef
    Rescue: URIRef
    Threat: URIRef
    Sanction: URIRef
    LegalAction: URIRef
    Ruling: URIRef
    Arrest: URIRef
    Charge: URIRef
    Trial: URIRef
    Sentence: URIRef
    Vote: URIRef
    Contest: URIRef
    Disaster: URIRef
    Damage: URIRef
    Launch: URIRef
    Declaration: URIRef
    Protest: URIRef
    Mourning: URIRef

    # Event roles and attributes
    trigger: URIRef
    agent: URIRef
    patient: URIRef
    recipient: URIRef
    agentText: URIRef
    patientText: URIRef
    recipientText: URIRef
    place: URIRef
    datelinePlace: URIRef
    instrument: URIRef
    date: URIRef
    timeText: URIRef
    quantity: URIRef
    amount: URIRef
    currency: URIRef
    negated: URIRef
    modality: URIRef
    reportedBy: URIRef
    about: URIRef

    # Event instances: one node per real-world event
    EventInstance: URIRef
    instanceOf: URIRef
    denotedBy: URIRef
    eventClass: URIRef
    reportedIn: URIRef
    instanceKey: URIRef
    participant: URIRef
    instancePlace: URIRef
    instanceDate: URIRef

    # Modality and its five individuals
    Modality: URIRef
    Asserted: URIRef
    Hypothetical: URIRef
    Conditional: URIRef
    Planned: URIRef
    Generic: URIRef

    # Provenance
    Article: URIRef
    sha256: URIRef
    Evidence: URIRef
    evidence: URIRef
    article: URIRef
    confidence: URIRef


def kg_terms() -> frozenset[URIRef]:
    """Return every term of the `KG` namespace as a set of full IRIs."""
    return frozenset(dir(KG))


def ontology_path() -> Path:
    """Return the path of ontology/newskg.ttl, the OWL ontology in Turtle."""
    return ontology_dir() / "newskg.ttl"


def shapes_path() -> Path:
    """Return the path of ontology/shapes.ttl, the SHACL shapes the graph is validated against."""
    return ontology_dir() / "shapes.ttl"
