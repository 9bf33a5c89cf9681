"""The Python face of newskg, for notebooks and scripts: build, query, look at and explore a graph.

Each function takes `store=` as a directory (the embedded on-disk store), an http(s) URL of a SPARQL
endpoint, or a Store already opened with `open_store` (None opens an in-memory store, handy in a
notebook). A store given by location is opened for the call and closed after it; a Store object is
used as it is and left open.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.pipeline import BuildOptions, BuildReport
from kg.records import Article
from kg.store import DEFAULT_STORE, QueryResult, Store, open_store

StoreLike = Store | str | os.PathLike | None
Source = str | os.PathLike | Article | dict


@contextmanager
def _opened(store: StoreLike, *, read_only: bool) -> Iterator[Store]:
    if store is not None and not isinstance(store, str | os.PathLike):
        yield store
        return
    opened = open_store(os.fspath(store) if store is not None else DEFAULT_STORE, read_only=read_only)
    try:
        yield opened
    finally:
        opened.close()


def _split_sources(sources: Source | Iterable[Source]) -> tuple[list[Path], list[Article]]:
    """Sort build inputs into paths to read and articles given as text, dicts or Article records."""
    if isinstance(sources, str | os.PathLike | Article | dict):
        sources = [sources]
    paths: list[Path] = []
    articles: list[Article] = []
    for number, source in enumerate(sources, start=1):
        if isinstance(source, Article):
            articles.append(source)
        elif isinstance(source, dict):
            articles.append(_article_from_record(source, number))
        elif isinstance(source, os.PathLike) or ("\n" not in source and Path(source).exists()):
            paths.append(Path(source))
        else:
            articles.append(_article_from_record({"text": source}, number))
    return paths, articles


def _article_from_record(record: dict, number: int) -> Article:
    from kg.ingest import article_from_text

    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"source {number}: an article needs non-empty 'text'")
    return article_from_text(
        text,
        source=record.get("source") or f"<source {number}>",
        title=record.get("title"),
        date=record.get("date"),
        url=record.get("url"),
        id=record.get("id"),
    )


def build(
    sources: Source | Iterable[Source], store: StoreLike = DEFAULT_STORE, *, options: BuildOptions | None = None
) -> BuildReport:
    """Build articles into a store; returns the BuildReport (read, built, unchanged, skipped, counts).

    `sources` is one source or several: a path (file or folder, as `kg build` takes them), an article's
    text (a string that names no existing file, or holds a line break), a dict with "text" and optionally
    "title", "date", "url", "id", or an Article record.
    """
    from kg.pipeline import build as run_build

    paths, articles = _split_sources(sources)
    options = options or BuildOptions(progress=False)
    from kg.stats import count_store

    with _opened(store, read_only=False) as opened:
        before = count_store(opened)
        report = run_build(paths, opened, options, given_articles=articles)
        report.store_before, report.store_after = before, count_store(opened)
        return report


def query(sparql: str, store: StoreLike = DEFAULT_STORE) -> QueryResult:
    """Run a SPARQL query over all graphs; returns a QueryResult.

    The documented prefixes (kg, kgr, schema, rdfs, …; `kg.sparql.PREFIXES`) need no PREFIX line. A
    SELECT result iterates as one dict per row, `.rows` holds tuples, and `.to_dataframe()` gives a
    pandas DataFrame when pandas is installed; ASK gives `.boolean`, CONSTRUCT/DESCRIBE `.ntriples`.
    Raises kg.sparql.QueryRejected (too long, too deep, SERVICE) or QuerySyntaxError with the line,
    a caret and, for an undeclared prefix, the fix.
    """
    from kg.sparql import run_query

    with _opened(store, read_only=True) as opened:
        return run_query(opened, sparql)


def graph(store: StoreLike = DEFAULT_STORE, *, kind: str = "rdflib", include_ontology: bool = False):
    """Return the stored graph: an rdflib Dataset (kind="rdflib", one named graph per article) or the
    explorer's networkx MultiDiGraph of entities and events (kind="networkx")."""
    with _opened(store, read_only=True) as opened:
        if kind == "rdflib":
            from rdflib import Dataset

            from kg.export import nquads

            dataset = Dataset()
            dataset.parse(data=nquads(opened, include_ontology=include_ontology), format="nquads")
            return dataset
        if kind == "networkx":
            from kg.explorer import project

            return project(opened.select, max_nodes=None)
    raise ValueError(f"unknown graph kind {kind!r}: choose 'rdflib' or 'networkx'")


@dataclass(frozen=True)
class Explorer:
    """The explorer page for a store; Jupyter shows it inline, `save(path)` writes it as a file.

    `html` is the whole offline page, the same bytes `kg export --format html` writes. In a notebook
    it is shown in a sandboxed iframe, so the page's own Content-Security-Policy still applies.
    """

    html: str
    nodes: int
    edges: int

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            'style="width:100%;height:640px;border:1px solid #ccc"></iframe>'
        )

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to `path` (UTF-8); returns the path."""
        out = Path(path)
        out.write_text(self.html, encoding="utf-8", newline="\n")
        return out


def explore(
    store: StoreLike = DEFAULT_STORE, *, focus: str | None = None, hops: int = 2, max_nodes: int | None = None
) -> Explorer:
    """Return the explorer for a store (or, with `focus`, for an entity's neighbourhood within `hops`)."""
    from kg.explorer import project, render_html

    options: dict[str, Any] = {"focus": focus, "hops": hops}
    if max_nodes is not None:
        options["max_nodes"] = max_nodes or None
    with _opened(store, read_only=True) as opened:
        G = project(opened.select, **options)
    return Explorer(html=render_html(G), nodes=G.number_of_nodes(), edges=G.number_of_edges())


def remove(reference: str, store: StoreLike = DEFAULT_STORE) -> str:
    """Remove one article (by id or URL) and what only it said; returns the removed article's IRI."""
    from kg.pipeline import remove as run_remove

    with _opened(store, read_only=False) as opened:
        return run_remove(opened, reference)
