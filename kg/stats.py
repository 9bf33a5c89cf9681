"""What the store holds, counted one way for `kg stats`, `kg build`'s summary and `kg articles`.

- an **entity** is a distinct resource typed with an entity class (kg:Person, kg:Organization,
  kg:Place, kg:Group and their subclasses), counted once however many articles mention it;
- an **event** is a distinct event resource (kg:Event or a subclass); one whose kind was not
  recognised is typed kg:Event only and is counted as "untyped";
- a **triple** is a triple in an article graph or in the entity summary graph: everything but
  the ontology.

Per article (`article_rows`), the same counts are taken inside the article's own named graph: the
entities it mentions, its events, the triples of its graph (the entity summary is shared by all
articles, so it is in the store's total but in no article's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from kg import iris
from kg.records import ENTITY_TYPES
from kg.store import Store

KG = iris.ONTOLOGY
_SHORTENED = re.compile(r"-[0-9a-f]{12}$")
_ENTITY_VALUES = " ".join(f"<{KG}{name}>" for name in sorted(ENTITY_TYPES))
_NOT_ONTOLOGY = f"FILTER(?g != <{iris.ONTOLOGY_GRAPH}>)"
_COUNT_ARTICLES = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?a {{ ?a a <{KG}Article> }} }}"
# The builder's own index (kg.iris.INTERNAL_PREDICATES, in the entities graph) is no content: not counted.
_INTERNAL = ", ".join(f"<{p}>" for p in sorted(iris.INTERNAL_PREDICATES))
_COUNT_TRIPLES = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_ONTOLOGY} FILTER(?p NOT IN ({_INTERNAL})) }}"
)
_ENTITY_CLASSES = f"""
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  VALUES ?class {{ {_ENTITY_VALUES} }}
  GRAPH ?g {{ ?x a ?class }} {_NOT_ONTOLOGY}
}} GROUP BY ?class"""
# Event classes are read from the ontology graph, so a class added there is counted without a change here.
_EVENT_CLASSES = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  GRAPH <{iris.ONTOLOGY_GRAPH}> {{ ?class rdfs:subClassOf* <{KG}Event> }}
  GRAPH ?g {{ ?x a ?class }} {_NOT_ONTOLOGY}
}} GROUP BY ?class"""
_ARTICLES = f"""
PREFIX schema: <https://schema.org/>
SELECT ?a ?headline ?date ?url WHERE {{
  GRAPH ?a {{ ?a a <{KG}Article> .
    OPTIONAL {{ ?a schema:headline ?headline }} OPTIONAL {{ ?a schema:datePublished ?date }}
    OPTIONAL {{ ?a schema:url ?url }} }}
}}"""
_TRIPLES_PER_ARTICLE = f"""
SELECT ?a (COUNT(*) AS ?n) WHERE {{ GRAPH ?a {{ ?a a <{KG}Article> . ?s ?p ?o }} }} GROUP BY ?a"""
_ENTITIES_PER_ARTICLE = f"""
SELECT ?a (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  VALUES ?class {{ {_ENTITY_VALUES} }}
  GRAPH ?a {{ ?a a <{KG}Article> . ?x a ?class }}
}} GROUP BY ?a"""
_EVENTS_PER_ARTICLE = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  GRAPH <{iris.ONTOLOGY_GRAPH}> {{ ?class rdfs:subClassOf* <{KG}Event> }}
  GRAPH ?a {{ ?a a <{KG}Article> . ?x a ?class }}
}} GROUP BY ?a"""


@dataclass(frozen=True)
class StoreCounts:
    """The store's contents, counted as the module docstring says; classes are (local name, count) pairs."""

    articles: int
    entities: int
    events: int
    triples: int
    entity_classes: tuple[tuple[str, int], ...] = ()
    event_classes: tuple[tuple[str, int], ...] = ()
    untyped_events: int = 0


@dataclass(frozen=True)
class ArticleRow:
    """One stored article as `kg articles` lists it: id (or IRI), date, headline, URL and its counts."""

    id: str
    date: str
    headline: str
    url: str
    entities: int
    events: int
    triples: int


def _by_class(store: Store, query: str) -> dict[str, int]:
    return {str(row["class"])[len(KG) :]: int(row["n"]) for row in store.select(query)}


def _ordered(classes: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(classes.items(), key=lambda item: (-item[1], item[0])))


def count_store(store: Store) -> StoreCounts:
    """Count a store's articles, entities, events and triples (see the module docstring); returns StoreCounts."""
    entity_classes = _by_class(store, _ENTITY_CLASSES)
    event_classes = _by_class(store, _EVENT_CLASSES)
    untyped = event_classes.pop("Event", 0)
    return StoreCounts(
        articles=int(store.select(_COUNT_ARTICLES)[0].get("n", 0)),
        entities=sum(entity_classes.values()),  # each entity has one class (kg/resolve settles it)
        events=sum(event_classes.values()) + untyped,
        triples=int(store.select(_COUNT_TRIPLES)[0].get("n", 0)),
        entity_classes=_ordered(entity_classes),
        event_classes=_ordered(event_classes),
        untyped_events=untyped,
    )


def store_stats(store: Store) -> list[str]:
    """Count the store's contents; returns the printable lines of `kg stats`, one per figure."""
    counts = count_store(store)
    lines = [f"articles: {counts.articles}", f"entities: {counts.entities}"]
    lines += [f"  {name}: {n}" for name, n in counts.entity_classes]
    lines.append(f"events: {counts.events}")
    lines += [f"  {name}: {n}" for name, n in counts.event_classes]
    if counts.untyped_events:
        lines.append(f"  untyped (kg:Event only): {counts.untyped_events}")
    lines.append(f"triples (without the ontology): {counts.triples}")
    return lines


def article_id(article_iri: str) -> str:
    """Return the id an article IRI was made from, or the IRI itself when the id cannot be read back.

    A long id is shortened with a hash in its IRI (kg.iris.encode_name); `kg remove` takes the IRI too.
    """
    prefix = f"{iris.BASE}article/"
    if not article_iri.startswith(prefix):
        return article_iri
    segment = article_iri[len(prefix) :]
    if _SHORTENED.search(segment) and len(segment) > 100:  # the tail is a hash of the id, not the id
        return article_iri
    candidate = unquote(segment.replace("_", " "))
    return candidate if iris.article_iri(candidate) == article_iri else article_iri


def article_rows(store: Store) -> list[ArticleRow]:
    """List the stored articles with their counts; returns ArticleRows by date, then id."""
    triples = {row["a"]: int(row["n"]) for row in store.select(_TRIPLES_PER_ARTICLE)}
    entities = {row["a"]: int(row["n"]) for row in store.select(_ENTITIES_PER_ARTICLE)}
    events = {row["a"]: int(row["n"]) for row in store.select(_EVENTS_PER_ARTICLE)}
    rows = [
        ArticleRow(
            id=article_id(row["a"]),
            date=str(row.get("date") or ""),
            headline=str(row.get("headline") or ""),
            url=str(row.get("url") or ""),
            entities=entities.get(row["a"], 0),
            events=events.get(row["a"], 0),
            triples=triples.get(row["a"], 0),
        )
        for row in store.select(_ARTICLES)
    ]
    return sorted(rows, key=lambda r: (r.date, r.id))
