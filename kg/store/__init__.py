"""Where the graph lives (being split into its backends)."""

from kg.store.embedded import (  # noqa: F401
    DEFAULT_STORE,
    ArticleWrite,
    OxigraphStore,
    QueryResult,
    QuerySyntaxError,
    Store,
    StoreError,
    StoreLocked,
    open_store,
    to_python,
    values_block,
)
