"""Plain frozen dataclasses that flow between the pipeline's stages.

The life of one article::

    ingest   -> Article
    annotate -> (Article, spaCy Doc)
    extract  -> Extraction          (entities, events, relations; character offsets into Article.text)
    resolve  -> ResolvedExtraction  (each local entity key mapped to a stable IRI, canonical label, links)
    mapping  -> RDF quads in the article's named graph

Nothing here imports spaCy or rdflib, so both sides of the pipeline can share these types.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# Entity classes, by their local name in the ontology (kg:Person, kg:Country ...).
PERSON = "Person"
ORGANIZATION = "Organization"
GOVERNMENT_ORGANIZATION = "GovernmentOrganization"
ARMED_FORCE = "ArmedForce"
COMPANY = "Company"
POLITICAL_PARTY = "PoliticalParty"
PLACE = "Place"
COUNTRY = "Country"
CITY = "City"
REGION = "Region"
GROUP = "Group"

ORGANIZATION_TYPES = frozenset({ORGANIZATION, GOVERNMENT_ORGANIZATION, ARMED_FORCE, COMPANY, POLITICAL_PARTY})
PLACE_TYPES = frozenset({PLACE, COUNTRY, CITY, REGION})
ENTITY_TYPES = frozenset({PERSON, GROUP}) | ORGANIZATION_TYPES | PLACE_TYPES

# Mention kinds: only NAME mentions become labels or aliases.
NAME = "name"
DESCRIPTION = "description"
PRONOUN = "pronoun"

# Event modalities, by their local name in the ontology.
ASSERTED = "Asserted"
HYPOTHETICAL = "Hypothetical"
CONDITIONAL = "Conditional"
PLANNED = "Planned"
GENERIC_MODALITY = "Generic"  # what usually holds or what a word means ("takeovers often cut jobs")


def coarse_type(entity_type: str) -> str:
    """Map an entity class name to the coarse kind used in IRIs and merging.

    Takes a class name such as "GovernmentOrganization"; returns "person", "organization",
    "place" or "group", so that a refined type guess never splits one entity into two nodes.
    """
    if entity_type in ORGANIZATION_TYPES:
        return "organization"
    if entity_type in PLACE_TYPES:
        return "place"
    return entity_type.lower()


@dataclass(frozen=True)
class Article:
    """One input document after ingest: cleaned text plus metadata.

    `id` is stable for the same source (given id, else URL, else file path, else content hash);
    `date` is an ISO date string (YYYY-MM-DD) or None; `text` is the cleaned text that every
    character offset downstream points into.
    """

    id: str
    text: str
    title: str = ""
    date: str | None = None
    url: str | None = None
    source: str = ""

    @property
    def sha256(self) -> str:
        """Return the hex SHA-256 of the cleaned text."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """An input that could not become an Article: where it came from and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from: its text, character offsets into Article.text, confidence."""

    sentence: str
    start: int
    end: int
    confidence: float = 0.8


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in the text: span, what kind of mention, and its sentence."""

    start: int
    end: int
    text: str
    kind: str = NAME
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Entity:
    """An entity as one article knows it, identified within the article by `key`.

    `label` is the fullest name the article uses (for a Group, a description such as
    "two North Korean soldiers"); `names` every distinct name form seen (NAME mentions only);
    `size`, `role` and `nationality` (the key of a Country entity) describe Groups.
    `link` is a Wikidata QID when the entity was linked (e.g. "Q423").
    """

    key: str
    type: str
    label: str
    names: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    size: int | None = None
    role: str | None = None
    nationality: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Relation:
    """A fact between two entities, or an entity and a literal (kg:position).

    `predicate` is a local name of the ontology ("leaderOf", "partOf", "position" ...);
    `object` is an entity key, or the literal value when `literal` is true.
    """

    subject: str
    predicate: str
    object: str
    literal: bool = False
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Role:
    """An event's participant: `name` is agent/patient/recipient/place/reportedBy, `entity` a key.

    `start`/`end`/`text` give the argument phrase in the article text when known. An argument
    that is no entity ("the cloud streaming rights") has `entity` None and only the phrase.
    """

    name: str
    entity: str | None
    start: int | None = None
    end: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Event:
    """One event mention, identified within the article by `key`.

    `type` is the ontology class local name ("Capture", "Event" when unknown); `trigger` the
    trigger's lemma, lower case; `date` an ISO date, year-month or year string resolved against
    the article's date; `about` the keys of events a Statement reports.
    """

    key: str
    type: str
    trigger: str
    start: int
    end: int
    evidence: Evidence
    roles: tuple[Role, ...] = ()
    date: str | None = None
    time_text: str | None = None
    quantity: float | int | None = None
    amount: float | int | None = None
    currency: str | None = None
    negated: bool = False
    modality: str = ASSERTED
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything one article yields: the article, its entities, events and relations.

    `dateline_place` is the key of the place entity named by the story's dateline ("SEOUL —"), or None.
    """

    article: Article
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    dateline_place: str | None = None


@dataclass(frozen=True)
class ResolvedEntity:
    """An entity after resolution: its IRI, canonical label, alias names, types and link."""

    key: str
    iri: str
    type: str
    label: str
    names: tuple[str, ...] = ()
    link: str | None = None


@dataclass(frozen=True)
class EventInstance:
    """One real-world event as one article tells of it (kg/resolve/event_instances.py).

    `iri` is the instance's IRI, the same in every article that tells of the event; `type` its class;
    `mentions` the keys of the article's event mentions that denote it; `participants` and `places`
    resolved entity IRIs; `date` the first date the article gives it; `key` the text the IRI was minted from.
    """

    iri: str
    type: str
    mentions: tuple[str, ...]
    participants: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date: str | None = None
    key: str = ""


@dataclass(frozen=True)
class ResolvedExtraction:
    """An Extraction plus, for each entity key, where it lives in the graph, and the event instances it tells of."""

    extraction: Extraction
    entities: dict[str, ResolvedEntity] = field(default_factory=dict)
    instances: tuple[EventInstance, ...] = ()
