"""newskg: news articles in, a knowledge graph out: who did what to whom, where, when, how many, and who said so.

In a notebook or a script::

    import kg

    store = kg.open_store(None)                      # in memory; a directory keeps it on disk
    kg.build(["examples/"], store=store)             # paths, article texts, dicts or Article records
    for row in kg.query("SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name }", store=store):
        print(row["name"])
    kg.explore(store=store, focus="Javier Milei")    # the explorer, shown inline in Jupyter

The package reads as the life of one article: `kg.ingest` -> `kg.annotate` -> `kg.extract` -> `kg.resolve`
-> `kg.mapping` -> `kg.store` -> `kg.export` / `kg.explorer` / `kg.serve` (docs/architecture.md).
Names are loaded on first use, so `import kg` stays cheap and pulls in neither spaCy nor the store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "Article",
    "BuildOptions",
    "BuildReport",
    "Explorer",
    "QueryResult",
    "Store",
    "build",
    "explore",
    "graph",
    "open_store",
    "query",
    "remove",
]

# Where each public name lives; a module is imported only when one of its names is first asked for.
_HOMES = {
    "Article": "kg.records",
    "BuildOptions": "kg.pipeline",
    "BuildReport": "kg.pipeline",
    "Explorer": "kg.api",
    "QueryResult": "kg.store",
    "Store": "kg.store",
    "build": "kg.api",
    "explore": "kg.api",
    "graph": "kg.api",
    "open_store": "kg.store",
    "query": "kg.api",
    "remove": "kg.api",
}

if TYPE_CHECKING:
    from kg.api import Explorer, build, explore, graph, query, remove
    from kg.pipeline import BuildOptions, BuildReport
    from kg.records import Article
    from kg.store import QueryResult, Store, open_store


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
