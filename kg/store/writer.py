"""Article writes in a background thread, so the store works while the next article is parsed.

A store write is one transaction (kg/store.py) and pyoxigraph releases the GIL while it runs,
so on a machine with a second core the write of article k overlaps the parsing and extraction
of article k+1. `BackgroundWriter` wraps any Store: writes and renames are queued and applied
in order by one thread; every read first waits for the queue to empty, so whatever the caller
reads includes everything it wrote. Each write is still its own transaction: a build killed
half-way leaves only whole articles, as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kg.store.base import ArticleWrite, QueryResult, Store, StoreError

_STOP = None


class BackgroundWriter:
    """A Store whose write_article and rename run in one background thread, in the order they were called.

    Takes the Store to write to and how many writes may wait (`depth`; the caller blocks beyond
    that, so memory stays bounded). A failed write is raised as StoreError, naming the article,
    from the next call; nothing queued after a failure is written. `close()` waits for every
    queued write; it does not close the wrapped store.
    """

    def __init__(self, store: Store, depth: int = 4) -> None:
        self.store = store
        self._jobs: queue.Queue = queue.Queue(maxsize=depth)
        self._failure: tuple[str, BaseException] | None = None
        self._thread = threading.Thread(target=self._run, name="kg-store-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is _STOP:
                    return
                what, call = job
                if self._failure is None:
                    try:
                        call()
                    except BaseException as exc:  # handed to the caller's thread by _raise_failure
                        self._failure = (what, exc)
            finally:
                self._jobs.task_done()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            what, exc = self._failure
            raise StoreError(f"writing {what} failed: {exc}") from exc

    def _submit(self, what: str, call: Callable[[], None]) -> None:
        self._raise_failure()
        if not self._thread.is_alive():
            raise StoreError("the store writer is closed")
        self._jobs.put((what, call))

    def drain(self) -> None:
        """Wait until every queued write is in the store; raises StoreError if one failed."""
        self._jobs.join()
        self._raise_failure()

    # -- writes, queued ------------------------------------------------------------------
    def write_article(self, write: ArticleWrite) -> None:
        """Queue one article's write (see Store.write_article)."""
        self._submit(f"article {write.article_iri}", lambda: self.store.write_article(write))

    def rename(self, old: str, new: str, entity_ntriples: str = "") -> None:
        """Queue the renaming of entity `old` to `new` (see Store.rename)."""
        self._submit(f"the renaming of {old} to {new}", lambda: self.store.rename(old, new, entity_ntriples))

    # -- everything else waits for the queue, then goes straight to the store --------------
    def query(self, sparql: str, bindings: Mapping[str, str] | None = None) -> QueryResult:
        """Wait for queued writes, then run the query on the store."""
        self.drain()
        return self.store.query(sparql, bindings)

    def select(self, sparql: str, bindings: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Wait for queued writes, then run the SELECT query on the store."""
        self.drain()
        return self.store.select(sparql, bindings)

    def remove_article(self, article_iri: str, entity_iris: Sequence[str], entity_ntriples: str) -> None:
        """Wait for queued writes, then remove the article (see Store.remove_article)."""
        self.drain()
        self.store.remove_article(article_iri, entity_iris, entity_ntriples)

    def set_graph(self, graph_iri: str, ntriples: str) -> None:
        """Wait for queued writes, then replace one named graph (see Store.set_graph)."""
        self.drain()
        self.store.set_graph(graph_iri, ntriples)

    def dump_nquads(self) -> str:
        """Wait for queued writes, then dump the store as sorted N-Quads."""
        self.drain()
        return self.store.dump_nquads()

    def flush(self) -> None:
        """Wait for queued writes, then flush the store when it can be flushed."""
        self.drain()
        if hasattr(self.store, "flush"):
            self.store.flush()

    def close(self) -> None:
        """Write everything still queued and stop the thread; raises StoreError if a write failed."""
        if self._thread.is_alive():
            self._jobs.put(_STOP)
            self._thread.join()
        self._raise_failure()

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            self.close()
        except StoreError:
            if exc_type is None:
                raise  # else the exception already on its way out says more
