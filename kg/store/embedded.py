"""The embedded store: pyoxigraph on disk (or in memory), the default backend.

Every article's triples sit in its own named graph (the article's IRI); the ontology sits in
`graph/ontology`, the cross-article entity summary (labels, aliases, mention counts) in
`graph/entities`. Queries see the union of all graphs. Writing an article replaces its
graph and the summary rows of the entities it touches in ONE transaction (the update texts of
kg/store/updates.py), so a crash never leaves half an article behind.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.store.base import ArticleWrite, QueryResult, QuerySyntaxError, StoreError, StoreLocked, to_python
from kg.store.updates import article_update, graph_update, removal_update, rename_update, summary_update


def _substitutions(bindings: Mapping[str, str] | None) -> dict | None:
    """Turn {"var": "https://…"} (IRIs) or {"var": ("literal",)} into pyoxigraph substitutions."""
    if not bindings:
        return None
    out = {}
    for name, value in bindings.items():
        term = ox.Literal(value[0]) if isinstance(value, tuple) else ox.NamedNode(value)
        out[ox.Variable(name)] = term
    return out


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
        except OSError as exc:  # RocksDB: a full disk, a file-size limit, a disk error
            raise self._write_failed(exc, len(text)) from None

    def _write_failed(self, exc: OSError, needed: int) -> StoreError:
        """Return the one-line error for a write the disk refused: the store, the reason and the room left.

        Each write is one transaction, so nothing of the refused write is in the store.
        """
        reason = str(exc).removeprefix("IO error: ")
        try:
            free = f"{shutil.disk_usage(self.path).free:,} bytes free there"
        except (OSError, TypeError):
            free = "free space unknown"
        return StoreError(
            f"cannot write to store {self.path}: {reason} ({free}; this write needs about {needed:,} bytes"
            " and more for the store's own files); free some space and run the build again: what was"
            " written before is kept"
        )

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
        parts = [rename_update(old, new), *summary_update((new,), entity_ntriples)]
        self._update(" ;\n".join(parts))

    # -- whole-store ---------------------------------------------------------------------
    def dump_nquads(self) -> str:
        """Return every quad as N-Quads, lines sorted, so the same store always dumps the same bytes."""
        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        lines = sorted(set(data.decode("utf-8").splitlines()))
        return "\n".join(lines) + ("\n" if lines else "")

    def dump_nquads_file(self, path: str | os.PathLike) -> None:
        """Write every quad to `path` as N-Quads straight from Oxigraph, unsorted, without holding them in memory."""
        try:
            self._store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
        except OSError as exc:  # pyoxigraph gives the OS error in the text only: "File too large (os error 27)"
            if exc.errno is None and (found := re.search(r"os error (\d+)", str(exc))):
                raise OSError(int(found[1]), os.strerror(int(found[1]))) from None
            raise

    def named_graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def flush(self) -> None:
        """Make sure everything written is on disk (nothing to do for a read-only or in-memory store)."""
        if self.path is not None and not self.read_only:
            try:
                self._store.flush()
            except OSError as exc:
                raise self._write_failed(exc, 0) from None

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        self.flush()
        del self._store
