"""What the store holds, counted: articles, entities and events by class, triples."""

from __future__ import annotations

from kg import iris
from kg.store import Store

_COUNT_ARTICLES = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{iris.ONTOLOGY}Article> }}"
_COUNT_TRIPLES = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{iris.ONTOLOGY_GRAPH}>) }}"
# The builder's index (kg.iris.INTERNAL_PREDICATES) sits in the entities graph; it is not counted.
_COUNT_INTERNAL = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s <{p}> ?o }} }}"
_BY_CLASS = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  GRAPH ?g {{ ?x a ?class }}
  FILTER(?g != <{iris.ONTOLOGY_GRAPH}> && STRSTARTS(STR(?class), "{iris.ONTOLOGY}"))
}} GROUP BY ?class ORDER BY DESC(?n) ?class"""


def store_stats(store: Store) -> list[str]:
    """Count the store's contents; returns printable lines, one per figure."""
    articles = store.select(_COUNT_ARTICLES)[0].get("n", 0)
    triples = store.select(_COUNT_TRIPLES)[0].get("n", 0)
    for predicate in sorted(iris.INTERNAL_PREDICATES):
        triples -= store.select(_COUNT_INTERNAL.format(g=iris.ENTITIES_GRAPH, p=predicate))[0].get("n", 0)
    lines = [f"articles: {articles}", f"triples (without the ontology): {triples}"]
    for row in store.select(_BY_CLASS):
        name = row["class"][len(iris.ONTOLOGY) :]
        if name not in ("Article", "Evidence", "Occurrence"):
            lines.append(f"{name}: {row['n']}")
    return lines
