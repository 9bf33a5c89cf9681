"""What every store shares: its errors, the records it takes and gives, the Store protocol, term conversion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

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

    def __iter__(self):
        return iter(self.dicts())

    def __len__(self) -> int:
        return len(self.rows)

    def to_dataframe(self):
        """Return a SELECT answer as a pandas DataFrame, one column per variable (needs pandas installed)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("QueryResult.to_dataframe needs pandas: pip install pandas") from None
        return pandas.DataFrame(list(self.rows), columns=list(self.variables))


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


def literal_block(values: Iterable[str]) -> str:
    """Return SPARQL string literals for a VALUES block, escaped by pyoxigraph."""
    return " ".join(str(ox.Literal(value)) for value in values)


def values_block(iris: Iterable[str]) -> str:
    """Return SPARQL IRIs for a VALUES block; each IRI is checked by pyoxigraph so nothing can be injected."""
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)
