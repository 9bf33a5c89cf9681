"""The whole life of a batch of articles: read, annotate, extract, resolve, map, store.

`build()` is what `kg build` runs. Each article is written to the store in its own
transaction, so a build stopped half-way leaves only whole articles behind; an article
whose text is unchanged since it was stored is skipped; one broken article is reported and
skipped, never losing the rest of the batch.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from kg import iris, mapping
from kg.limits import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET, MAX_TEXT_CHARS, TimeBudgetExceeded, time_budget
from kg.records import Article, Extraction, Skipped
from kg.resolve.ledger import Contribution, Ledger
from kg.resolve.summary import LocalEntity, entity_summary
from kg.stats import StoreCounts
from kg.store import ArticleWrite, Store, StoreError
from kg.store.writer import BackgroundWriter
from kg.vocab import ontology_path

KG = iris.ONTOLOGY
_OLD_ENTITIES = f"""
PREFIX kg: <{KG}>
SELECT DISTINCT ?e ?current WHERE {{ GRAPH ?current {{ ?e kg:mentionedIn ?current }} }}"""
_ARTICLES = f"""
PREFIX kg: <{KG}>
PREFIX schema: <https://schema.org/>
SELECT ?a ?u WHERE {{ ?a a kg:Article . OPTIONAL {{ ?a schema:url ?u }} }}"""
# One article's stored text hash: read when the article comes up, so a build into a store of 100,000
# articles does not first read 100,000 hashes (6 s there).
_HASH = f"""
PREFIX kg: <{KG}>
SELECT ?a ?h WHERE {{ GRAPH ?a {{ ?a a kg:Article ; kg:sha256 ?h }} }}"""
_HAS_ARTICLES = f"PREFIX kg: <{KG}>\nASK {{ GRAPH ?a {{ ?a a kg:Article }} }}"


@dataclass
class BuildReport:
    """What a build did: counts of articles, skipped inputs with reasons, seconds taken.

    `store_before` / `store_after` are the store's counts (kg.stats.StoreCounts) around the build,
    when the caller took them (`kg build` does); the summary then shows the store's totals and
    what the build changed, counted as `kg stats` counts them.
    """

    read: int = 0
    built: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    store_before: StoreCounts | None = None
    store_after: StoreCounts | None = None

    def summary(self) -> str:
        """Return the summary `kg build` prints: articles, the store's counts and their change, skips."""
        lines = [
            f"articles: {self.read} read, {self.built} built, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped in {self.seconds:.1f} s"
        ]
        after, before = self.store_after, self.store_before
        if after is not None:
            figures = []
            for name in ("articles", "entities", "events", "triples"):
                now = getattr(after, name)
                change = now - getattr(before, name) if before is not None else None
                figures.append(f"{now} {name}" + (f" ({change:+d})" if change is not None else ""))
            lines.append("store: " + ", ".join(figures))
        lines += [f"skipped {s.source}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)


@dataclass
class BuildOptions:
    """Knobs for a build: batch size and processes for spaCy, extra lexicon/gazetteer files, size limit.

    `time_budget` is the most seconds one article's extraction may take (None: no limit); see kg/limits.py.
    """

    batch_size: int = 16
    n_process: int = 1
    lexicon: Path | None = None
    gazetteer: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    force: bool = False
    progress: bool | None = None  # None: a bar on a terminal for builds of PROGRESS_MIN_ARTICLES or more
    time_budget: float | None = DEFAULT_TIME_BUDGET
    follow_links: bool = False  # read symlinks in input folders that lead out of them
    parse_process: bool = True  # with one process, parse in a child process (kg/annotate_process.py)


def load_ontology(store: Store) -> None:
    """Put ontology/newskg.ttl into its own named graph of the store (replacing any older copy)."""
    from rdflib import Graph

    graph = Graph().parse(ontology_path(), format="turtle")
    store.set_graph(iris.ONTOLOGY_GRAPH, mapping.to_ntriples(graph))


def find_article(store: Store, reference: str) -> str | None:
    """Return the IRI of the stored article whose id or URL is `reference`, or None."""
    candidate = iris.article_iri(reference)
    for row in store.select(_ARTICLES):
        if row["a"] == candidate or row.get("u") == reference or row["a"] == reference:
            return row["a"]
    return None


def remove(store: Store, reference: str, *, gazetteer: Path | None = None) -> str:
    """Remove one article (by id or URL) and every entity no other article mentions.

    Takes the store and the article's id or URL; returns the removed article's IRI. Raises
    LookupError when no stored article matches.
    """
    from kg.resolve.gazetteer import load_gazetteer

    article_iri = find_article(store, reference)
    if article_iri is None:
        raise LookupError(f"no stored article with id or URL {reference!r}")
    old_iris = sorted(row["e"] for row in store.select(_OLD_ENTITIES, {"current": article_iri}))
    old_iris = [e for e in old_iris if e != article_iri]
    ledger = Ledger.from_store(store, old_iris)
    ledger.load_article(store, article_iri, old_iris)
    summary = entity_summary(ledger, article_iri, {}, old_iris, load_gazetteer(gazetteer))
    store.remove_article(article_iri, old_iris, summary)
    return article_iri


class Builder:
    """Holds what a build needs across articles: the store, the gazetteer, lexicon and known entities."""

    def __init__(self, store: Store, options: BuildOptions | None = None) -> None:
        from kg.resolve.gazetteer import load_gazetteer
        from kg.resolve.known_store import StoreKnownEntities

        self.store = store
        self.options = options or BuildOptions()
        self.gazetteer = load_gazetteer(self.options.gazetteer)
        self.known = StoreKnownEntities.open(store, self.gazetteer)  # reads entities as articles name them
        self.store_was_empty = not store.query(_HAS_ARTICLES).boolean
        self.hashes: dict[str, str | None] = {}  # article IRI -> its stored text hash (None: not stored)
        self.ledger = Ledger(store_was_empty=self.store_was_empty)
        self.written: set[str] = set()

    def is_unchanged(self, article: Article) -> bool:
        """Return True when the store already holds this article with the same text."""
        return self.stored_hash(iris.article_iri(article.id)) == article.sha256

    def stored_hash(self, article_iri: str) -> str | None:
        """Return the text hash the store holds for an article, None when it holds no such article."""
        if article_iri not in self.hashes:
            found = [] if self.store_was_empty else self.store.select(_HASH, {"a": article_iri})
            self.hashes[article_iri] = found[0]["h"] if found else None
        return self.hashes[article_iri]

    def write(self, extraction: Extraction) -> tuple[int, int, int]:
        """Resolve, map and store one extraction; returns (entities, events, triples) written."""
        from kg.resolve.resolver import resolve

        self.known.prefetch(extraction)
        resolved = resolve(extraction, self.known, self.gazetteer)
        graph = mapping.article_graph(resolved)
        article_iri = str(graph.identifier)
        named = mapping.named_entities(resolved)
        new_iris = {e.iri for e in named}
        local: dict[str, LocalEntity] = {}
        for entity in extraction.entities:
            r = resolved.entities.get(entity.key)
            if r is None or r.iri not in new_iris:
                continue
            item = local.setdefault(r.iri, LocalEntity(r.type, {}, 0, r.link))
            item.count += max(1, len(entity.mentions))
            item.link = item.link or r.link
        for entity in named:
            forms = local[entity.iri].forms
            for name in entity.names or (entity.label,):
                forms[name] = 1
        if self.stored_hash(article_iri) is not None and article_iri not in self.written:
            # A rebuild: read what the stored version mentions, so its entities' summaries are redone.
            stored = {row["e"] for row in self.store.select(_OLD_ENTITIES, {"current": article_iri})}
            self.ledger.load(self.store, stored - {article_iri})
            self.ledger.load_article(self.store, article_iri, stored - {article_iri})
        self.ledger.load(self.store, new_iris)
        stale = sorted(self.ledger.entities_of(article_iri) - new_iris)
        self.known.ensure([*new_iris, *stale])  # read what the store knows of them before changing it
        summary = entity_summary(self.ledger, article_iri, local, stale, self.gazetteer)
        article_nt = mapping.to_ntriples(graph)
        self.store.write_article(
            ArticleWrite(
                article_iri=article_iri,
                ntriples=article_nt,
                entity_iris=tuple(sorted(new_iris)),
                entity_ntriples=summary,
                stale_iris=tuple(stale),
            )
        )
        self.ledger.set_article(
            article_iri,
            {iri: Contribution(set(item.forms), item.count, {item.type}, item.link) for iri, item in local.items()},
        )
        for old, new in sorted(self.known.add(resolved, rename=True).items()):
            # A fuller name arrived: move the entity to the IRI a build in any other order would give it.
            # Every article's say of both moves (a rename's totals are recounted from them).
            self.ledger.load(self.store, [old, *([new] if self.ledger.is_loaded(new) else [])], detail=True)
            summary = entity_summary(self.ledger, "", {}, [old], self.gazetteer, {old: new})
            self.store.rename(old, new, summary)
            self.ledger.rename(old, new)
        self.hashes[article_iri] = extraction.article.sha256
        self.written.add(article_iri)
        return len(resolved.entities), len(extraction.events), article_nt.count("\n")


def build(
    paths: Sequence[Path | str],
    store: Store,
    options: BuildOptions | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
    producer: Producer | None = None,
    given_articles: Iterable[Article] = (),
) -> BuildReport:
    """Build the graph from files and directories into a store.

    Takes input paths, a Store and BuildOptions; returns a BuildReport. Articles are processed
    in the order of their ids, so one call gives the same graph whatever order the paths came in.
    `producer` turns articles into extractions (default: in this process); results are written
    in the order it yields them, which must be the order of the articles it was given. `given_articles` are
    Article records to build beside those read from `paths` (the Python API's texts).
    """
    from kg.ingest import read_paths

    options = options or BuildOptions()
    started = time.perf_counter()
    report = BuildReport()
    load_ontology(store)
    # The store writes article k while article k+1 is parsed; every read waits for the writes before it.
    with BackgroundWriter(store) as writer:
        builder = Builder(writer, options)
        articles: dict[str, Article] = {}
        store_dir = getattr(store, "path", None)
        exclude = [store_dir] if store_dir is not None else []
        for item in chain(
            read_paths(
                [Path(p) for p in paths],
                max_bytes=options.max_bytes,
                exclude=exclude,
                follow_links=options.follow_links,
            ),
            given_articles,
        ):
            if isinstance(item, Skipped):
                report.skipped.append(item)
                if on_skip:
                    on_skip(item)
                continue
            report.read += 1
            articles[item.id] = item  # ingest already skips a repeated id within one batch
        todo = []
        for key in sorted(articles):
            article = articles[key]
            if len(article.text) > MAX_TEXT_CHARS:  # spaCy would raise for it and lose the whole batch
                skipped = Skipped(
                    article.source or article.id,
                    f"too long for the parser: {len(article.text):,} characters > {MAX_TEXT_CHARS:,}",
                )
                report.skipped.append(skipped)
                if on_skip:
                    on_skip(skipped)
            elif not options.force and builder.is_unchanged(article):
                report.unchanged += 1
            else:
                todo.append(article)
        produce = producer or extract_in_process
        outcomes = produce(todo, options) if todo else iter(())  # nothing to do: the model is not even loaded
        for article, outcome in _progress_pairs(outcomes, len(todo), options.progress):
            try:
                if isinstance(outcome, BaseException):
                    raise outcome
                builder.write(outcome)
            except StoreError:
                raise  # the store failed, not the article: stop here, whole articles so far are kept
            except Exception as exc:  # one broken article must not lose the batch
                reason = str(exc) if isinstance(exc, TimeBudgetExceeded) else f"{type(exc).__name__}: {exc}"
                skipped = Skipped(article.source or article.id, f"extraction failed: {reason}")
                report.skipped.append(skipped)
                if on_skip:
                    on_skip(skipped)
                continue
            report.built += 1
    if hasattr(store, "flush"):
        store.flush()
    report.seconds = time.perf_counter() - started
    return report


Producer = Callable[[list[Article], BuildOptions], Iterator[tuple[Article, "Extraction | BaseException"]]]


def extract_articles(articles: list[Article], options: BuildOptions, *, n_process: int | None = None) -> Iterator:
    """Annotate and extract articles in this process (with one process, the parse runs beside it).

    Takes Articles and BuildOptions; yields (Article, Extraction) pairs in input order, or
    (Article, exception) for an article whose extraction failed, so the caller can skip it.
    Each extract() call gets `options.time_budget` seconds: extraction checks the deadline between
    its stages and in its long loops and raises TimeBudgetExceeded there (kg/limits.py), in any
    thread. The budget does not cover spaCy's parse, which the text-length limit bounds instead.
    With one process, spaCy parses in a child process while this one extracts (kg/annotate_process.py,
    which falls back to a thread for a single batch or where no child can serve), or in a thread where
    `options.parse_process` is False (as in a worker of a pool).
    """
    from kg.annotate import annotate, annotate_ahead
    from kg.annotate_process import annotate_in_child
    from kg.extract import extract
    from kg.extract.triggers import load_triggers
    from kg.resolve.gazetteer import load_gazetteer

    lexicon = load_triggers(options.lexicon)
    gazetteer = load_gazetteer(options.gazetteer)
    processes = options.n_process if n_process is None else n_process
    if processes == 1 and options.parse_process:  # a child process parses ahead (a thread where it gains nothing)
        pairs = annotate_in_child(articles, batch_size=options.batch_size)
    elif processes == 1:  # spaCy parses the next batch in a thread while this one is extracted
        pairs = annotate_ahead(articles, batch_size=options.batch_size)
    else:
        pairs = annotate(articles, batch_size=options.batch_size, n_process=processes)
    for article, doc in pairs:
        try:
            with time_budget(options.time_budget):
                extraction = extract(article, doc, lexicon=lexicon, gazetteer=gazetteer)
            yield article, extraction
        except Exception as exc:  # reported and skipped by the caller
            yield article, exc


def extract_in_process(articles: list[Article], options: BuildOptions) -> Iterator:
    """The default Producer: `extract_articles` in this process."""
    return extract_articles(articles, options)


PROGRESS_MIN_ARTICLES = 4
_BAR_FORMAT = "{desc}: {n_fmt}/{total_fmt} articles |{bar}| {rate_noinv_fmt}, {remaining} left"


def _progress_pairs(pairs, total: int, enabled: bool | None, stream=None):
    """Wrap the (article, outcome) pairs in a progress bar on `stream` (default: stderr) when it is wanted.

    `enabled` None means: when the stream is a terminal and there are at least PROGRESS_MIN_ARTICLES
    articles to build; the bar shows articles done of the total, articles per second and the time left.
    """
    stream = stream or sys.stderr
    if enabled is None:
        enabled = total >= PROGRESS_MIN_ARTICLES and hasattr(stream, "isatty") and stream.isatty()
    if not enabled:
        return pairs
    from tqdm import tqdm

    return tqdm(
        pairs,
        total=total,
        desc="building",
        unit=" articles",
        file=stream,
        bar_format=_BAR_FORMAT,
        mininterval=0.2,
    )
