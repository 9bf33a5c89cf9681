"""From a resolved extraction to RDF: the article's named graph and the entity summary rows.

Takes plain records (no spaCy here) and gives triples, following ../shared/design/vocabulary.md
(also the README's "The graph" section). Every term is made by pyoxigraph, which checks IRIs and
escapes literals, and kept as its N-Triples text: building the same triples as rdflib objects
cost as much as a third of the spaCy time (bench/throughput.py), and keeping pyoxigraph Triple
objects in a set cost twice what text lines do. `Triples.to_rdflib()` gives an rdflib Graph for
whoever wants one.

- the article graph (named by the article IRI) holds the kg:Article node, every event mention with
  its roles and evidence, what the article says of the event instances its mentions denote
  (kg:EventInstance, kg:denotedBy / kg:instanceOf, kg:reportedIn, kg:instanceKey, participants, places, dates),
  relations, entity types, kg:surfaceForm / kg:mentionedIn and a kg:Occurrence counting the
  article's mentions of each entity;
- the entity summary (graph/entities) holds, per entity, exactly one rdfs:label, its
  skos:altLabel names, the total kg:mentionCount and owl:sameAs links, computed from every
  article that mentions it, so the answer never depends on the order articles came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from kg import iris
from kg.records import GROUP, ResolvedEntity, ResolvedExtraction
from kg.vocab import KG as _KG_TERMS
from kg.vocab import NIF as _NIF
from kg.vocab import SCHEMA as _SCHEMA
from kg.vocab import WD as _WD

_XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
XSD_INTEGER = ox.NamedNode(_XSD + "integer")
XSD_DECIMAL = ox.NamedNode(_XSD + "decimal")
XSD_BOOLEAN = ox.NamedNode(_XSD + "boolean")
XSD_ANY_URI = ox.NamedNode(_XSD + "anyURI")
_DATE_TYPES = {10: ox.NamedNode(_XSD + "date"), 7: ox.NamedNode(_XSD + "gYearMonth"), 4: ox.NamedNode(_XSD + "gYear")}
_TEXT_ROLES = {"agent": "agentText", "patient": "patientText", "recipient": "recipientText"}
NIF_ANCHOR = ox.NamedNode(str(_NIF.anchorOf))
NIF_BEGIN = ox.NamedNode(str(_NIF.beginIndex))
NIF_END = ox.NamedNode(str(_NIF.endIndex))
SCHEMA_HEADLINE = ox.NamedNode(str(_SCHEMA.headline))
SCHEMA_DATE = ox.NamedNode(str(_SCHEMA.datePublished))
SCHEMA_URL = ox.NamedNode(str(_SCHEMA.url))


@lru_cache(maxsize=512)
def kg(name: str) -> ox.NamedNode:
    """Return the ontology term `kg:name`; an undeclared name raises AttributeError (the namespace is closed)."""
    return ox.NamedNode(str(getattr(_KG_TERMS, name)))


@lru_cache(maxsize=512)
def _kg(name: str) -> str:
    """Return `kg:name` as N-Triples text."""
    return str(kg(name))


@lru_cache(maxsize=4096)
def _iri(value: str) -> str:
    """Return an IRI as N-Triples text; pyoxigraph raises ValueError for an invalid one."""
    return str(ox.NamedNode(value))


def wd(qid: str) -> ox.NamedNode:
    """Return the Wikidata entity IRI of a QID."""
    return ox.NamedNode(str(_WD[qid]))


class Triples:
    """A set of triples with a name: one article's graph, or the entity summary rows.

    Each triple is kept as its N-Triples line; iterating gives pyoxigraph Triples.
    """

    def __init__(self, identifier: str) -> None:
        self.identifier = identifier
        self.lines: set[str] = set()

    def add(self, triple: tuple) -> None:
        """Add one (subject, predicate, object) of pyoxigraph terms or their N-Triples text."""
        subject, predicate, obj = triple
        self.lines.add(f"{subject} {predicate} {obj} .")

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        return iter(ox.parse(to_ntriples(self), format=ox.RdfFormat.N_TRIPLES))

    def to_rdflib(self):
        """Return the same triples as an rdflib Graph named by the identifier."""
        from rdflib import Graph, URIRef

        graph = Graph(identifier=URIRef(self.identifier))
        graph.parse(data=to_ntriples(self), format="nt")
        return graph


@dataclass(frozen=True)
class EntityForms:
    """What the store knows of one entity across articles: its names with article counts, mentions, link."""

    iri: str
    type: str
    forms: tuple[tuple[str, int], ...]
    mention_count: int
    link: str | None = None


# The terms every article uses, as N-Triples text.
_TYPE, _LABEL, _ALT, _SAME_AS = (str(t) for t in (RDF_TYPE, RDFS_LABEL, SKOS_ALT, OWL_SAME_AS))
_ANCHOR, _BEGIN, _END = (str(t) for t in (NIF_ANCHOR, NIF_BEGIN, NIF_END))
_HEADLINE, _PUBLISHED, _URL = (str(t) for t in (SCHEMA_HEADLINE, SCHEMA_DATE, SCHEMA_URL))
_TRUE = str(ox.Literal("true", datatype=XSD_BOOLEAN))


@lru_cache(maxsize=4096)
def _integer(value: int) -> str:
    return str(ox.Literal(str(int(value)), datatype=XSD_INTEGER))


def _number(value: float | int) -> str:
    """Return an xsd:integer literal for whole numbers, else xsd:decimal."""
    if float(value).is_integer() and abs(value) < 1e18:
        return _integer(int(value))
    text = format(Decimal(repr(float(value))), "f")  # plain digits: "1e-05" is no xsd:decimal
    return str(ox.Literal(text, datatype=XSD_DECIMAL))


def _date(value: str) -> str | None:
    datatype = _DATE_TYPES.get(len(value))
    return str(ox.Literal(value, datatype=datatype)) if datatype else None


def _text(value: str) -> str:
    """Return a plain string literal with control characters dropped (they are not allowed in labels)."""
    return str(ox.Literal(iris.clean_name(value)))


def _plain(value: str) -> str:
    """Return a plain string literal of `value` as it is."""
    return str(ox.Literal(value))


class _ArticleGraph:
    """Accumulates one article's triples; a helper for `article_graph`."""

    def __init__(self, resolved: ResolvedExtraction) -> None:
        self.resolved = resolved
        self.article = resolved.extraction.article
        self.article_node = _iri(iris.article_iri(self.article.id))
        self.graph = Triples(iris.article_iri(self.article.id))
        self.lines = self.graph.lines
        self.evidence_nodes: dict[tuple, str] = {}

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(f"{s} {p} {o} .")

    def node(self, key: str) -> str | None:
        entity = self.resolved.entities.get(key)
        return _iri(entity.iri) if entity else None

    def evidence(self, ev) -> str:
        key = (ev.start, ev.end, ev.confidence)
        if (node := self.evidence_nodes.get(key)) is not None:  # one node per sentence and confidence
            return node
        node = self.evidence_nodes[key] = _iri(iris.evidence_iri(self.article.id, ev.start, ev.end, ev.confidence))
        self.add(node, _TYPE, _kg("Evidence"))
        self.add(node, _kg("article"), self.article_node)
        self.add(node, _ANCHOR, _plain(ev.sentence))
        self.add(node, _BEGIN, _integer(ev.start))
        self.add(node, _END, _integer(ev.end))
        self.add(node, _kg("confidence"), str(ox.Literal(f"{ev.confidence:.2f}", datatype=XSD_DECIMAL)))
        return node

    def add_article(self) -> None:
        a, art = self.article_node, self.article
        self.add(a, _TYPE, _kg("Article"))
        self.add(a, _HEADLINE, _text(art.title or art.id))
        if art.date and (d := _date(art.date)) is not None:
            self.add(a, _PUBLISHED, d)
        if art.url:
            self.add(a, _URL, str(ox.Literal(art.url, datatype=XSD_ANY_URI)))
        self.add(a, _kg("sha256"), _plain(art.sha256))
        dateline = self.resolved.extraction.dateline_place
        if dateline is not None and (place := self.node(dateline)) is not None:
            self.add(a, _kg("datelinePlace"), place)

    def add_entities(self) -> None:
        # Several local entities may resolve to one node ("Apple" the company in two coref chains): merge them.
        by_iri: dict[str, list] = {}
        for entity in self.resolved.extraction.entities:
            resolved = self.resolved.entities.get(entity.key)
            if resolved is not None:
                by_iri.setdefault(resolved.iri, []).append((entity, resolved))
        for iri in sorted(by_iri):
            entities = [e for e, _ in by_iri[iri]]
            resolved = by_iri[iri][0][1]
            node = _iri(iri)
            mentions = sum(max(1, len(e.mentions)) for e in entities)
            self.add(node, _TYPE, _kg(resolved.type))
            self.add(node, _kg("mentionedIn"), self.article_node)
            occurrence = _iri(iris.occurrence_iri(self.article.id, iri))
            self.add(occurrence, _TYPE, _kg("Occurrence"))
            self.add(occurrence, _kg("entity"), node)
            self.add(occurrence, _kg("article"), self.article_node)
            self.add(occurrence, _kg("mentionCount"), _integer(mentions))
            first = min(
                (m.evidence for e in entities for m in e.mentions if m.evidence is not None),
                key=lambda ev: (ev.start, ev.end),
                default=None,
            )
            if first is not None:
                self.add(node, _kg("evidence"), self.evidence(first))
            entity = entities[0]
            if entity.type == GROUP:
                self.add(node, _LABEL, _text(entity.label))
                self.add(node, _kg("mentionCount"), _integer(mentions))
                if entity.size is not None:
                    self.add(node, _kg("size"), _integer(entity.size))
                if entity.role:
                    self.add(node, _kg("role"), _text(entity.role))
                if entity.nationality and (nat := self.node(entity.nationality)) is not None:
                    self.add(node, _kg("nationality"), nat)
                continue
            for _, other in by_iri[iri]:
                for name in other.names or (other.label,):
                    if iris.clean_name(name):
                        self.add(node, _kg("surfaceForm"), _text(name))
            if resolved.link:
                self.add(node, _SAME_AS, str(wd(resolved.link)))

    def add_relations(self) -> None:
        for rel in self.resolved.extraction.relations:
            subject = self.node(rel.subject)
            if subject is None:
                continue
            if rel.literal:
                if iris.clean_name(rel.object):
                    self.add(subject, _kg(rel.predicate), _text(rel.object))
            elif (obj := self.node(rel.object)) is not None and obj != subject:
                self.add(subject, _kg(rel.predicate), obj)

    def add_events(self) -> None:
        article_id = self.article.id
        for event in self.resolved.extraction.events:
            node = _iri(iris.event_iri(article_id, event.key))
            self.add(node, _TYPE, _kg(event.type))
            self.add(node, _kg("trigger"), _plain(event.trigger.lower()))
            self.add(node, _kg("evidence"), self.evidence(event.evidence))
            self.add(node, _kg("modality"), _kg(event.modality))
            for role in event.roles:
                if role.entity is not None and (target := self.node(role.entity)) is not None:
                    self.add(node, _kg(role.name), target)
                elif role.entity is None and role.text and role.name in _TEXT_ROLES:
                    self.add(node, _kg(_TEXT_ROLES[role.name]), _text(role.text))
            if event.date and (d := _date(event.date)) is not None:
                self.add(node, _kg("date"), d)
            if event.time_text:
                self.add(node, _kg("timeText"), _text(event.time_text))
            if event.quantity is not None:
                self.add(node, _kg("quantity"), _number(event.quantity))
            if event.amount is not None:
                self.add(node, _kg("amount"), _number(event.amount))
            if event.currency:
                self.add(node, _kg("currency"), _plain(event.currency))
            if event.negated:
                self.add(node, _kg("negated"), _TRUE)
            for about in event.about:
                self.add(node, _kg("about"), _iri(iris.event_iri(article_id, about)))

    def add_instances(self) -> None:
        # Everything said of an instance lives in this article's graph: the union over graphs is the whole event.
        article_id = self.article.id
        events = {e.key: e for e in self.resolved.extraction.events}
        for instance in self.resolved.instances:
            node = _iri(instance.iri)
            self.add(node, _TYPE, _kg("EventInstance"))
            self.add(node, _kg("eventClass"), _kg(instance.type))
            self.add(node, _kg("reportedIn"), self.article_node)
            self.add(node, _kg("instanceKey"), _plain(instance.key))
            for key in instance.mentions:
                mention = _iri(iris.event_iri(article_id, key))
                self.add(node, _kg("denotedBy"), mention)
                self.add(mention, _kg("instanceOf"), node)
                if key in events:
                    self.add(node, _kg("evidence"), self.evidence(events[key].evidence))
            for iri in instance.participants:
                self.add(node, _kg("participant"), _iri(iri))
            for iri in instance.places:
                self.add(node, _kg("instancePlace"), _iri(iri))
            if instance.date and (d := _date(instance.date)) is not None:
                self.add(node, _kg("instanceDate"), d)


def article_graph(resolved: ResolvedExtraction) -> Triples:
    """Map one resolved extraction to its named graph.

    Takes a ResolvedExtraction; returns Triples whose identifier is the article IRI.
    """
    builder = _ArticleGraph(resolved)
    builder.add_article()
    builder.add_entities()
    builder.add_relations()
    builder.add_events()
    builder.add_instances()
    return builder.graph


def named_entities(resolved: ResolvedExtraction) -> list[ResolvedEntity]:
    """Return the resolved entities that get a summary row (every one but article-local groups), by IRI."""
    seen: dict[str, ResolvedEntity] = {}
    for entity in resolved.entities.values():
        if entity.type != GROUP:
            seen.setdefault(entity.iri, entity)
    return [seen[k] for k in sorted(seen)]


def entity_summary(entities: Iterable[EntityForms], label_for) -> Triples:
    """Build the summary rows for entities.

    Takes EntityForms (forms across all articles) and `label_for(type, forms, link) -> (label, alt_labels)`;
    returns Triples with one rdfs:label, the skos:altLabels, kg:mentionCount and owl:sameAs per entity.
    """
    graph = Triples(iris.ENTITIES_GRAPH)
    for item in entities:
        node = _iri(item.iri)
        label, alt_labels = label_for(item.type, item.forms, item.link)
        graph.add((node, _LABEL, _text(label)))
        for alt in alt_labels:
            if iris.clean_name(alt) and iris.clean_name(alt) != iris.clean_name(label):
                graph.add((node, _ALT, _text(alt)))
        graph.add((node, _kg("mentionCount"), _integer(item.mention_count)))
        if item.link:
            graph.add((node, _SAME_AS, str(wd(item.link))))
    return graph


def to_ntriples(graph) -> str:
    """Serialise Triples (or an rdflib Graph) as N-Triples text, lines sorted (deterministic)."""
    if isinstance(graph, Triples):
        lines = sorted(graph.lines)
    else:
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
    return "\n".join(lines) + ("\n" if lines else "")
