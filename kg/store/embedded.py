"""Where the graph lives: one interface, an embedded Oxigraph backend (on disk or in memory).

Every article's triples sit in its own named graph (the article's IRI); the ontology sits in
`graph/ontology`, the cross-article entity summary (labels, aliases, mention counts) in
`graph/entities`. Queries see the union of all graphs. Writing an article replaces its
graph and the summary rows of the entities it touches in ONE transaction, so a crash never
leaves half an article behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.iris import ENTITIES_GRAPH, ONTOLOGY

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}
DEFAULT_STORE = ".kgstore"


class StoreError(RuntimeError):
    """A store that cannot be opened or written; the message is meant for the user."""


class StoreLocked(StoreError):
    """Another process holds the on-disk store."""


class QuerySyntaxError(StoreError):
    """A SPARQL query that does not parse; the message carries the position."""


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: `kind` is "select", "ask" or "graph".

    For select, `variables` and `rows` (tuples of Python values: IRIs and strings as str, numbers
    as int/float, booleans as bool, unbound as None); for ask, `boolean`; for graph (CONSTRUCT,
    DESCRIBE), `ntriples` as N-Triples text.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    boolean: bool | None = None
    ntriples: str = ""

    def dicts(self) -> list[dict[str, Any]]:
        """Return the rows as dicts keyed by variable name, leaving out unbound variables."""
        return [{v: x for v, x in zip(self.variables, row, strict=True) if x is not None} for row in self.rows]


@dataclass(frozen=True)
class ArticleWrite:
    """One article's write: its graph as N-Triples, and the entity-summary triples to put in place."""

    article_iri: str
    ntriples: str
    entity_iris: tuple[str, ...] = ()
    entity_ntriples: str = ""
    stale_iris: tuple[str, ...] = field(default_factory=tuple)


class Store(Protocol):
    """What the pipeline, the CLI, the explorer and the server need from a store."""

    def query(self, sparql: str, bindings: Mapping[str, str] | None = None) -> QueryResult: ...

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None) -> list[dict[str, Any]]: ...

    def write_article(self, write: ArticleWrite) -> None: ...

    def remove_article(self, article_iri: str, entity_iris: Sequence[str], entity_ntriples: str) -> None: ...

    def set_graph(self, graph_iri: str, ntriples: str) -> None: ...

    def rename(self, old: str, new: str, entity_ntriples: str = "") -> None: ...

    def dump_nquads(self) -> str: ...

    def close(self) -> None: ...


def to_python(term) -> Any:
    """Convert a pyoxigraph term to a plain Python value (str, int, float, bool), or None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        value = term.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(value)
            if datatype in _FLOAT_TYPES:
                return float(value)
            if datatype == XSD + "boolean":
                return value in ("true", "1")
        except ValueError:
            return value
        return value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def _substitutions(bindings: Mapping[str, str] | None) -> dict | None:
    """Turn {"var": "https://…"} (IRIs) or {"var": ("literal",)} into pyoxigraph substitutions."""
    if not bindings:
        return None
    out = {}
    for name, value in bindings.items():
        term = ox.Literal(value[0]) if isinstance(value, tuple) else ox.NamedNode(value)
        out[ox.Variable(name)] = term
    return out


def values_block(iris: Iterable[str]) -> str:
    """Return SPARQL IRIs for a VALUES block; each IRI is checked by pyoxigraph so nothing can be injected."""
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)


def _summary_update(entity_iris: tuple[str, ...], entity_ntriples: str) -> list[str]:
    """Return the update operations that replace the summary rows of `entity_iris` with `entity_ntriples`."""
    parts = []
    if entity_iris:
        values = values_block(entity_iris)
        parts.append(
            f"DELETE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e ?p ?o }} }} WHERE {{ VALUES ?e {{ {values} }}"
            f" GRAPH <{ENTITIES_GRAPH}> {{ ?e ?p ?o }} }}"
        )
    if entity_ntriples:
        parts.append(f"INSERT DATA {{ GRAPH <{ENTITIES_GRAPH}> {{\n{entity_ntriples}}} }}")
    return parts


def article_update(write: ArticleWrite) -> str:
    """Return the one SPARQL Update that replaces an article's graph and its entities' summary rows."""
    graph = ox.NamedNode(write.article_iri)
    parts = [f"DROP SILENT GRAPH {graph}", f"INSERT DATA {{ GRAPH {graph} {{\n{write.ntriples}}} }}"]
    parts += _summary_update(tuple(write.entity_iris) + tuple(write.stale_iris), write.entity_ntriples)
    return " ;\n".join(parts)


def removal_update(article_iri: str, entity_iris: Sequence[str], entity_ntriples: str) -> str:
    """Return the one SPARQL Update that drops an article's graph and rewrites its entities' summary rows."""
    parts = [f"DROP SILENT GRAPH {ox.NamedNode(article_iri)}"]
    parts += _summary_update(tuple(entity_iris), entity_ntriples)
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
    )


class OxigraphStore:
    """The embedded store: pyoxigraph on disk at `path`, or in memory when `path` is None."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:  # RuntimeError: read-only open of a store still being created
            text = str(exc)
            if "lock" in text.lower():
                raise StoreLocked(f"store is locked: {self.path} is in use by another kg process") from None
            raise StoreError(f"cannot open store {self.path}: {text}") from None

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, str] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; returns a QueryResult.

        `bindings` maps variable names to IRIs (str) or literals (1-tuples); they are passed to
        Oxigraph as RDF terms, never pasted into the query text. Bound variables must be projected.
        """
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True, substitutions=_substitutions(bindings))
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(tuple(to_python(solution[v]) for v in variables) for solution in result)
            return QueryResult(kind="select", variables=variables, rows=rows)
        text = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in result)
        return QueryResult(kind="graph", ntriples=text)

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT query; returns one dict per row (unbound variables left out)."""
        return self.query(sparql, bindings).dicts()

    # -- writing -------------------------------------------------------------------------
    def _update(self, text: str) -> None:
        try:
            self._store.update(text)
        except SyntaxError as exc:  # our own generated update: a bug, not user input
            raise StoreError(f"internal error: generated update does not parse: {exc}") from None

    def write_article(self, write: ArticleWrite) -> None:
        """Replace an article's graph and its entities' summary rows in one transaction."""
        self._update(article_update(write))

    def remove_article(self, article_iri: str, entity_iris: Sequence[str], entity_ntriples: str) -> None:
        """Drop an article's graph and rewrite the summary rows of the entities it mentioned, atomically."""
        self._update(removal_update(article_iri, entity_iris, entity_ntriples))

    def set_graph(self, graph_iri: str, ntriples: str) -> None:
        """Replace one whole named graph (used for the ontology) with the given N-Triples."""
        self._update(graph_update(graph_iri, ntriples))

    def rename(self, old: str, new: str, entity_ntriples: str = "") -> None:
        """Rename an entity IRI everywhere and put its recomputed summary rows in place, in one transaction."""
        parts = [rename_update(old, new), *_summary_update((new,), entity_ntriples)]
        self._update(" ;\n".join(parts))

    # -- whole-store ---------------------------------------------------------------------
    def dump_nquads(self) -> str:
        """Return every quad as N-Quads, lines sorted, so the same store always dumps the same bytes."""
        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        lines = sorted(set(data.decode("utf-8").splitlines()))
        return "\n".join(lines) + ("\n" if lines else "")

    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def flush(self) -> None:
        """Make sure everything written is on disk (nothing to do for a read-only or in-memory store)."""
        if self.path is not None and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        self.flush()
        del self._store


def open_store(location: str | os.PathLike | None = None, *, read_only: bool = False) -> Store:
    """Open a store.

    Takes a directory for the embedded on-disk Oxigraph store, None for an in-memory one, or an
    http(s):// URL of a SPARQL 1.1 endpoint (see kg.remote); returns a Store. Raises StoreLocked
    when another process holds the directory.
    """
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore

        return RemoteStore(location, read_only=read_only)
    return OxigraphStore(location, read_only=read_only)
