"""The SPARQL Update texts that write an article, remove one, replace a graph or rename an entity.

Both backends send these very texts (the embedded store runs them, a remote one POSTs them), so a
remote store ends up byte for byte as an embedded one would.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from kg.iris import BASE, ENTITIES_GRAPH, ONTOLOGY
from kg.store.base import ArticleWrite


def summary_update(entity_iris: tuple[str, ...], entity_ntriples: str) -> list[str]:
    """Return the update operations that replace the summary rows of `entity_iris` with `entity_ntriples`."""
    # One DELETE WHERE per entity: with a VALUES block Oxigraph scanned the whole entities graph and joined,
    # so each write cost time that grew with the store (16 ms against 0.3 ms at 100,000 entities).
    parts = [f"DELETE WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ {ox.NamedNode(iri)} ?p ?o }} }}" for iri in entity_iris]
    if entity_ntriples:
        parts.append(f"INSERT DATA {{ GRAPH <{ENTITIES_GRAPH}> {{\n{entity_ntriples}}} }}")
    return parts


def article_update(write: ArticleWrite) -> str:
    """Return the one SPARQL Update that replaces an article's graph and its entities' summary rows."""
    graph = ox.NamedNode(write.article_iri)
    parts = [f"DROP SILENT GRAPH {graph}", f"INSERT DATA {{ GRAPH {graph} {{\n{write.ntriples}}} }}"]
    parts += summary_update(tuple(write.entity_iris) + tuple(write.stale_iris), write.entity_ntriples)
    return " ;\n".join(parts)


def removal_update(article_iri: str, entity_iris: Sequence[str], entity_ntriples: str) -> str:
    """Return the one SPARQL Update that drops an article's graph and rewrites its entities' summary rows."""
    parts = [f"DROP SILENT GRAPH {ox.NamedNode(article_iri)}"]
    parts += summary_update(tuple(entity_iris), entity_ntriples)
    return " ;\n".join(parts)


def graph_update(graph_iri: str, ntriples: str) -> str:
    """Return the SPARQL Update that replaces one whole named graph with the given N-Triples."""
    graph = ox.NamedNode(graph_iri)
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{ntriples}}} }}"


def rename_update(old: str, new: str) -> str:
    """Return the SPARQL Update that renames entity IRI `old` to `new` in every graph.

    Subject and object positions are rewritten, and each kg:Occurrence of the entity is
    re-minted the way kg.iris.occurrence_iri would mint it for the new IRI, so the store ends up
    exactly as if the entity had carried the new IRI from the start.
    """
    old_node, new_node = ox.NamedNode(old), ox.NamedNode(new)
    entity = ox.NamedNode(ONTOLOGY + "entity")
    return (
        f"DELETE {{ GRAPH ?g {{ {old_node} ?p ?o }} }} INSERT {{ GRAPH ?g {{ {new_node} ?p ?o }} }}"
        f" WHERE {{ GRAPH ?g {{ {old_node} ?p ?o }} }} ;\n"
        f"DELETE {{ GRAPH ?g {{ ?s ?p {old_node} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {new_node} }} }}"
        f" WHERE {{ GRAPH ?g {{ ?s ?p {old_node} }} }} ;\n"
        f"DELETE {{ GRAPH ?g {{ ?occ ?p ?o }} }} INSERT {{ GRAPH ?g {{ ?fresh ?p ?o }} }}"
        f" WHERE {{ GRAPH ?g {{ ?occ {entity} {new_node} ; ?p ?o }}"
        f' BIND(IRI(CONCAT(REPLACE(STR(?occ), "[^/]*$", ""), SUBSTR(SHA256(STR({new_node})), 1, 16))) AS ?fresh) }}'
        + _instance_remint(old, new)
    )


def _instance_remint(old: str, new: str) -> str:
    """Return the update operations that re-mint event instances anchored on entity `old` (kg.resolve.event_instances).

    An instance's key is "class|anchor IRI|week" and its IRI the first 20 hex digits of the key's
    SHA-256 under BASE "instance/": the key gets the new IRI, and the instance a fresh IRI minted
    from it, first where it is an object (kg:instanceOf), then as a subject.
    Only the graphs of articles that mention the entity are looked at (an anchor is always one of its
    article's entities, and the operations before these have already renamed it there): scanning every
    instance key of the store made each rename cost time that grew with the archive.
    """
    key = ox.NamedNode(ONTOLOGY + "instanceKey")
    mentioned = f"{ox.NamedNode(new)} {ox.NamedNode(ONTOLOGY + 'mentionedIn')} ?g ."
    needle = ox.Literal(f"|{old}|")
    fresh = (
        f"BIND(CONCAT(STRBEFORE(?k, {needle}), {ox.Literal(f'|{new}|')}, STRAFTER(?k, {needle})) AS ?k2)"
        f" BIND(IRI(CONCAT({ox.Literal(BASE + 'instance/')}, SUBSTR(SHA256(?k2), 1, 20))) AS ?fresh)"
    )
    return (
        f" ;\nDELETE {{ GRAPH ?g {{ ?s ?p ?i }} }} INSERT {{ GRAPH ?g {{ ?s ?p ?fresh }} }}"
        f" WHERE {{ GRAPH ?g {{ {mentioned} ?i {key} ?k . ?s ?p ?i }} FILTER(CONTAINS(?k, {needle})) {fresh} }}"
        f" ;\nDELETE {{ GRAPH ?g {{ ?i ?p ?o }} }} INSERT {{ GRAPH ?g {{ ?fresh ?p ?o2 }} }}"
        f" WHERE {{ GRAPH ?g {{ {mentioned} ?i {key} ?k ; ?p ?o }} FILTER(CONTAINS(?k, {needle})) {fresh}"
        f" BIND(IF(?p = {key}, ?k2, ?o) AS ?o2) }}"
    )
