"""Where the graph lives: `open_store` gives an embedded Oxigraph store (on disk or in memory) or a remote
SPARQL 1.1 endpoint behind one `Store` interface.

`kg.store.base` holds what both share, `kg.store.updates` the update texts both send, `kg.store.embedded`
and `kg.store.remote` the two backends (neither imports the other), `kg.store.writer` the background
writer a build writes through.
"""

from __future__ import annotations

import os

from kg.store.base import (
    DEFAULT_STORE,
    ArticleWrite,
    QueryResult,
    QuerySyntaxError,
    Store,
    StoreError,
    StoreLocked,
    literal_block,
    to_python,
    values_block,
)
from kg.store.embedded import OxigraphStore

__all__ = [
    "DEFAULT_STORE",
    "ArticleWrite",
    "OxigraphStore",
    "QueryResult",
    "QuerySyntaxError",
    "Store",
    "StoreError",
    "StoreLocked",
    "literal_block",
    "open_store",
    "to_python",
    "values_block",
]


def open_store(location: str | os.PathLike | None = None, *, read_only: bool = False) -> Store:
    """Open a store.

    Takes a directory for the embedded on-disk Oxigraph store, None for an in-memory one, or an
    http(s):// URL of a SPARQL 1.1 endpoint (see kg.store.remote); returns a Store. Raises StoreLocked
    when another process holds the directory.
    """
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore

        return RemoteStore(location, read_only=read_only)
    return OxigraphStore(location, read_only=read_only)
