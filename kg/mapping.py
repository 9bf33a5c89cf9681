"""From a resolved extraction to RDF: the article's named graph and the entity summary rows.

Takes plain records (no spaCy here) and gives rdflib graphs, following
../shared/design/vocabulary.md (also the README's "Vocabulary" section):

- the article graph (named by the article IRI) holds the kg:Article node, every event with its
  roles and evidence, relations, entity types, kg:surfaceForm / kg:mentionedIn and a
  kg:Occurrence counting the article's mentions of each entity;
- the entity summary (graph/entities) holds, per entity, exactly one rdfs:label, its
  skos:altLabel names, the total kg:mentionCount and owl:sameAs links, computed from every
  article that mentions it, so the answer never depends on the order articles came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from kg import iris
from kg.records import GROUP, ResolvedEntity, ResolvedExtraction
from kg.vocab import KG, NIF, SCHEMA, WD

_DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
_TEXT_ROLES = {"agent": KG.agentText, "patient": KG.patientText, "recipient": KG.recipientText}


@dataclass(frozen=True)
class EntityForms:
    """What the store knows of one entity across articles: its names with article counts, mentions, link."""

    iri: str
    type: str
    forms: tuple[tuple[str, int], ...]
    mention_count: int
    link: str | None = None


def _number(value: float | int) -> Literal:
    """Return an xsd:integer literal for whole numbers, else xsd:decimal."""
    if float(value).is_integer() and abs(value) < 1e18:
        return Literal(int(value), datatype=XSD.integer)
    text = format(Decimal(repr(float(value))), "f")  # plain digits: "1e-05" is no xsd:decimal
    return Literal(text, datatype=XSD.decimal)


def _date(value: str) -> Literal | None:
    datatype = _DATE_TYPES.get(len(value))
    return Literal(value, datatype=datatype) if datatype else None


def _text(value: str) -> Literal:
    """Return a plain string literal with control characters dropped (they are not allowed in labels)."""
    return Literal(iris.clean_name(value))


class _ArticleGraph:
    """Accumulates one article's triples; a helper for `article_graph`."""

    def __init__(self, resolved: ResolvedExtraction) -> None:
        self.resolved = resolved
        self.article = resolved.extraction.article
        self.article_node = URIRef(iris.article_iri(self.article.id))
        self.graph = Graph(identifier=self.article_node)

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def node(self, key: str) -> URIRef | None:
        entity = self.resolved.entities.get(key)
        return URIRef(entity.iri) if entity else None

    def evidence(self, ev) -> URIRef:
        node = URIRef(iris.evidence_iri(self.article.id, ev.start, ev.end, ev.confidence))
        self.add(node, RDF.type, KG.Evidence)
        self.add(node, KG.article, self.article_node)
        self.add(node, NIF.anchorOf, Literal(ev.sentence))
        self.add(node, NIF.beginIndex, Literal(ev.start, datatype=XSD.integer))
        self.add(node, NIF.endIndex, Literal(ev.end, datatype=XSD.integer))
        self.add(node, KG.confidence, Literal(f"{ev.confidence:.2f}", datatype=XSD.decimal))
        return node

    def add_article(self) -> None:
        a, art = self.article_node, self.article
        self.add(a, RDF.type, KG.Article)
        self.add(a, SCHEMA.headline, _text(art.title or art.id))
        if art.date and (d := _date(art.date)) is not None:
            self.add(a, SCHEMA.datePublished, d)
        if art.url:
            self.add(a, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI))
        self.add(a, KG.sha256, Literal(art.sha256))

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
            node = URIRef(iri)
            mentions = sum(max(1, len(e.mentions)) for e in entities)
            self.add(node, RDF.type, KG[resolved.type])
            self.add(node, KG.mentionedIn, self.article_node)
            occurrence = URIRef(iris.occurrence_iri(self.article.id, iri))
            self.add(occurrence, RDF.type, KG.Occurrence)
            self.add(occurrence, KG.entity, node)
            self.add(occurrence, KG.article, self.article_node)
            self.add(occurrence, KG.mentionCount, Literal(mentions, datatype=XSD.integer))
            first = min(
                (m.evidence for e in entities for m in e.mentions if m.evidence is not None),
                key=lambda ev: (ev.start, ev.end),
                default=None,
            )
            if first is not None:
                self.add(node, KG.evidence, self.evidence(first))
            entity = entities[0]
            if entity.type == GROUP:
                self.add(node, RDFS.label, _text(entity.label))
                self.add(node, KG.mentionCount, Literal(mentions, datatype=XSD.integer))
                if entity.size is not None:
                    self.add(node, KG.size, Literal(int(entity.size), datatype=XSD.integer))
                if entity.role:
                    self.add(node, KG.role, _text(entity.role))
                if entity.nationality and (nat := self.node(entity.nationality)) is not None:
                    self.add(node, KG.nationality, nat)
                continue
            for _, other in by_iri[iri]:
                for name in other.names or (other.label,):
                    if iris.clean_name(name):
                        self.add(node, KG.surfaceForm, _text(name))
            if resolved.link:
                self.add(node, OWL.sameAs, WD[resolved.link])

    def add_relations(self) -> None:
        for rel in self.resolved.extraction.relations:
            subject = self.node(rel.subject)
            if subject is None:
                continue
            if rel.literal:
                if iris.clean_name(rel.object):
                    self.add(subject, KG[rel.predicate], _text(rel.object))
            elif (obj := self.node(rel.object)) is not None and obj != subject:
                self.add(subject, KG[rel.predicate], obj)

    def add_events(self) -> None:
        article_id = self.article.id
        for event in self.resolved.extraction.events:
            node = URIRef(iris.event_iri(article_id, event.key))
            self.add(node, RDF.type, KG[event.type])
            self.add(node, KG.trigger, Literal(event.trigger.lower()))
            self.add(node, KG.evidence, self.evidence(event.evidence))
            self.add(node, KG.modality, KG[event.modality])
            for role in event.roles:
                if role.entity is not None and (target := self.node(role.entity)) is not None:
                    self.add(node, KG[role.name], target)
                elif role.entity is None and role.text and role.name in _TEXT_ROLES:
                    self.add(node, _TEXT_ROLES[role.name], _text(role.text))
            if event.date and (d := _date(event.date)) is not None:
                self.add(node, KG.date, d)
            if event.time_text:
                self.add(node, KG.timeText, _text(event.time_text))
            if event.quantity is not None:
                self.add(node, KG.quantity, _number(event.quantity))
            if event.amount is not None:
                self.add(node, KG.amount, _number(event.amount))
            if event.currency:
                self.add(node, KG.currency, Literal(event.currency))
            if event.negated:
                self.add(node, KG.negated, Literal(True))
            for about in event.about:
                self.add(node, KG.about, URIRef(iris.event_iri(article_id, about)))


def article_graph(resolved: ResolvedExtraction) -> Graph:
    """Map one resolved extraction to its named graph.

    Takes a ResolvedExtraction; returns an rdflib Graph whose identifier is the article IRI.
    """
    builder = _ArticleGraph(resolved)
    builder.add_article()
    builder.add_entities()
    builder.add_relations()
    builder.add_events()
    return builder.graph


def named_entities(resolved: ResolvedExtraction) -> list[ResolvedEntity]:
    """Return the resolved entities that get a summary row (every one but article-local groups), by IRI."""
    seen: dict[str, ResolvedEntity] = {}
    for entity in resolved.entities.values():
        if entity.type != GROUP:
            seen.setdefault(entity.iri, entity)
    return [seen[k] for k in sorted(seen)]


def entity_summary(entities: Iterable[EntityForms], label_for) -> Graph:
    """Build the summary rows for entities.

    Takes EntityForms (forms across all articles) and `label_for(type, forms, link) -> (label, alt_labels)`;
    returns a Graph with one rdfs:label, the skos:altLabels, kg:mentionCount and owl:sameAs per entity.
    """
    graph = Graph(identifier=URIRef(iris.ENTITIES_GRAPH))
    for item in entities:
        node = URIRef(item.iri)
        label, alt_labels = label_for(item.type, item.forms, item.link)
        graph.add((node, RDFS.label, _text(label)))
        for alt in alt_labels:
            if iris.clean_name(alt) and iris.clean_name(alt) != iris.clean_name(label):
                graph.add((node, SKOS.altLabel, _text(alt)))
        graph.add((node, KG.mentionCount, Literal(item.mention_count, datatype=XSD.integer)))
        if item.link:
            graph.add((node, OWL.sameAs, WD[item.link]))
    return graph


def to_ntriples(graph: Graph) -> str:
    """Serialise a graph as N-Triples text, lines sorted (deterministic)."""
    text = graph.serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + ("\n" if lines else "")
