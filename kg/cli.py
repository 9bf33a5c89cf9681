"""The `kg` command: each sub-command is a few lines over the library.

User mistakes (a missing file, a bad query, a locked store) end with one clear line on
stderr and a non-zero exit, never a traceback.

Past 400 lines, this module reads better whole: it is the one table of every command and option a
user can type (most of its length is option declarations with their help), and each command body
stays a few lines over the library.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from kg import iris
from kg.limits import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET
from kg.store import DEFAULT_STORE, StoreError

STORE_HELP = f"store directory or SPARQL endpoint URL (default: {DEFAULT_STORE}, or $KG_STORE)"
_ANY_ARTICLE = f"SELECT ?a WHERE {{ ?a a <{iris.ONTOLOGY}Article> }} LIMIT 1"


def _open(location: str | None, *, read_only: bool = False):
    from kg.store import open_store

    try:
        return open_store(location or DEFAULT_STORE, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _no_graph(location: str) -> click.ClickException:
    return click.ClickException(f"no graph at {location}; build one with `kg build FILES --store {location}`")


def _is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _open_graph(location: str | None, *, read_only: bool = True):
    """Open a store that must hold a graph already: a missing or empty one ends with the `kg build` hint.

    A missing or empty directory is reported before anything is opened (opening for writing would create a store).
    """
    location = str(location or DEFAULT_STORE)
    if not _is_remote(location) and (not Path(location).is_dir() or not any(Path(location).iterdir())):
        raise _no_graph(location)
    store = _open(location, read_only=read_only)
    try:
        empty = not store.select(_ANY_ARTICLE)
    except StoreError as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    if empty:
        store.close()
        raise _no_graph(location)
    return store


def _store_option(func):
    return click.option("--store", "store_dir", envvar="KG_STORE", default=None, help=STORE_HELP)(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newskg")
def cli() -> None:
    """newskg: build a knowledge graph from news articles, query it with SPARQL, export and explore it."""


COUNTS_HELP = (
    "An entity is a distinct person, organization, place or group, counted once however many articles "
    "mention it; an event is a distinct event node (typed or not); a triple is any triple but the ontology's."
)


@cli.command(epilog=COUNTS_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="also write graph.ttl, graph.trig, graph.html")
@click.option("--batch-size", default=16, show_default=True, help="spaCy batch size")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    help="processes that each parse AND extract a share of the articles (each loads the model): "
    "the way to use more cores; the graph is the same as with 1",
)
@click.option(
    "--processes",
    "n_process",
    default=1,
    show_default=True,
    help="spaCy's own parse processes, extraction staying in this one: only when memory is too short "
    "for --workers, as it speeds up the parse alone",
)
@click.option(
    "--parse-in-thread",
    is_flag=True,
    help="parse in a thread of this process, not in a parse process beside it: slower on two cores or more, "
    "but one copy of the model in memory, not two",
)
@click.option("--lexicon", type=click.Path(exists=True, path_type=Path), help="extra trigger lexicon (TOML)")
@click.option("--gazetteer", type=click.Path(exists=True, path_type=Path), help="extra gazetteer rows (TSV)")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="skip articles larger than this")
@click.option(
    "--time-budget",
    type=float,
    default=DEFAULT_TIME_BUDGET,
    show_default=True,
    help="skip an article whose extraction takes longer than this many seconds (0: no limit)",
)
@click.option("--force", is_flag=True, help="rebuild articles even when their text is unchanged")
@click.option("--follow-links", is_flag=True, help="read symlinks in input folders that lead out of them")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="progress bar on stderr: articles done, articles/s, time left (default: on a terminal, 4 articles or more)",
)
@click.option("-q", "--quiet", is_flag=True, help="no progress bar and no summary; skipped inputs are still listed")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS", help="with --executor dask: the scheduler's address")
def build(
    paths,
    store_dir,
    out_dir,
    batch_size,
    workers,
    n_process,
    parse_in_thread,
    lexicon,
    gazetteer,
    max_bytes,
    time_budget,
    force,
    follow_links,
    progress,
    quiet,
    executor,
    scheduler,
) -> None:
    """Read articles (.txt .md .html .jsonl, or directories) and add them to the store.

    Prints what was read, built, unchanged and skipped, and the store's articles, entities, events and
    triples with the change this build made (the same counts as `kg stats`). Exits 3 when it skipped
    any input, naming each with its reason.
    """
    from kg.pipeline import BuildOptions
    from kg.pipeline import build as run_build
    from kg.stats import count_store

    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:  # before the store is opened or the model loaded
        raise click.ClickException(f"no such file or directory: {', '.join(missing)}")
    options = BuildOptions(
        batch_size=batch_size,
        n_process=n_process,
        lexicon=lexicon,
        gazetteer=gazetteer,
        max_bytes=max_bytes,
        force=force,
        progress=False if quiet else progress,
        time_budget=time_budget or None,
        follow_links=follow_links,
        parse_process=not parse_in_thread,
    )
    producer = _producer(workers, executor, scheduler)
    store = _open(store_dir)
    before = count_store(store)
    try:
        report = run_build(paths, store, options, producer=producer)
    except StoreError as exc:  # the store, not an article, failed (a full disk): one line, not a traceback
        raise click.ClickException(str(exc)) from None
    report.store_before, report.store_after = before, count_store(store)
    if quiet:
        for skipped in report.skipped:
            click.echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    else:
        click.echo(report.summary())
    if out_dir:
        _write_exports(store, out_dir, quiet)
    store.close()
    if report.skipped:
        sys.exit(3)


def _producer(workers: int, executor: str, scheduler: str | None):
    """Return the extraction Producer for `kg build`'s --workers / --executor options (None: in this process)."""
    from kg import parallel

    if executor == "dask":
        if not scheduler:
            raise click.ClickException("--executor dask needs --scheduler ADDRESS (or $DASK_SCHEDULER_ADDRESS)")
        try:
            return parallel.dask_producer(scheduler)
        except ImportError:
            raise click.ClickException('--executor dask needs Dask: pip install "dask[distributed]"') from None
    if workers < 1:
        raise click.ClickException("--workers must be at least 1")
    return parallel.process_pool_producer(workers) if workers > 1 else None


def _write_exports(store, out_dir: Path, quiet: bool = False) -> None:
    from kg.export import export

    for name, fmt in (("graph.ttl", "ttl"), ("graph.trig", "trig"), ("graph.html", "html")):
        export(store, fmt, out_dir / name)
        if not quiet:
            click.echo(f"wrote {out_dir / name}")


def _render(result, fmt: str) -> str:
    if result.kind == "ask":
        return json.dumps({"boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.kind == "graph":
        return result.ntriples
    if fmt == "json":
        return json.dumps(result.dicts(), ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows)
        return buffer.getvalue()
    return _table(result.variables, result.rows, "rows")


def _table(header, rows, noun: str) -> str:
    """Lay out rows as a text table under `header`, cells cut at 60 characters, with a count line."""
    cells = [list(header)] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [min(60, max(len(row[i]) for row in cells)) for i in range(len(header))]
    lines = [" | ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(rows)} {noun})"


@cli.command()
@click.argument("sparql")
@_store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table")
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    help="let SERVICE clauses reach this endpoint (repeatable; '*' for any); SERVICE is refused otherwise",
)
def query(sparql: str, store_dir, fmt, allow_service) -> None:
    """Run a SPARQL query (text, or @file.rq) over all graphs.

    The documented prefixes (kg, kgr, schema, sem, prov, nif, skos, rdfs, rdf, owl, xsd, dcterms, wd)
    need no PREFIX line; the query's own PREFIX lines win. A remote answer the server cut is an error.
    """
    from kg.sparql import QueryRejected, run_query

    if sparql.startswith("@"):
        path = Path(sparql[1:])
        if not path.is_file():
            raise click.ClickException(f"no such query file: {path}")
        sparql = path.read_text(encoding="utf-8")
    store = _open_graph(store_dir)
    try:
        result = run_query(store, sparql, allowed_services=allow_service)
    except (QueryRejected, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_render(result, fmt))


@cli.command()
@_store_option
@click.option(
    "--format", "fmt", required=True, type=click.Choice(["ttl", "trig", "nq", "jsonld", "html", "graphml", "gexf"])
)
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path))
@click.option("--with-ontology", is_flag=True, help="include the ontology graph (RDF formats)")
@click.option("--focus", help="html/graphml/gexf: only the neighbourhood of this entity (label or alias)")
@click.option("--hops", default=2, show_default=True, help="with --focus: how far to go")
@click.option("--max-nodes", type=int, help="keep only the most central nodes")
@click.option("--since", help="only events on or after this date (YYYY-MM-DD)")
@click.option("--until", help="only events on or before this date (YYYY-MM-DD)")
@click.option("--collapse-events", is_flag=True, help="draw events as actor→actor edges")
def export(store_dir, fmt, out, with_ontology, focus, hops, max_nodes, since, until, collapse_events) -> None:
    """Write the graph as Turtle, TriG, N-Quads, JSON-LD, or an HTML explorer / GraphML / GEXF."""
    from kg.export import GRAPH_FORMATS
    from kg.export import export as run_export

    store = _open_graph(store_dir)
    options = {}
    if fmt in GRAPH_FORMATS:
        options = {"focus": focus, "hops": hops, "since": since, "until": until, "collapse_events": collapse_events}
        if max_nodes is not None:
            options["max_nodes"] = max_nodes
    try:
        summary = run_export(store, fmt, out, include_ontology=with_ontology, **options)
    except (ValueError, LookupError, StoreError) as exc:  # StoreError: a server that cut an answer
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {out} ({', '.join(f'{k} {v}' for k, v in summary.items())})")


@cli.command(epilog=COUNTS_HELP)
@_store_option
def stats(store_dir) -> None:
    """Count what the store holds: articles, entities by class, events by class (untyped apart), triples."""
    from kg.stats import store_stats

    store = _open_graph(store_dir)
    try:
        lines = list(store_stats(store))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for line in lines:
        click.echo(line)


ARTICLE_FIELDS = ("id", "date", "headline", "url", "entities", "events", "triples")


@cli.command(epilog=COUNTS_HELP + " Per article: the entities it mentions, its events, the triples of its graph.")
@_store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def articles(store_dir, fmt) -> None:
    """List the stored articles: id (what `kg remove` takes), date, headline, url, entity/event/triple counts."""
    from dataclasses import asdict

    from kg.stats import article_rows

    store = _open_graph(store_dir)
    try:
        rows = [asdict(row) for row in article_rows(store)]
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=ARTICLE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo(_table(ARTICLE_FIELDS, [[row[f] for f in ARTICLE_FIELDS] for row in rows], "articles"))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True)
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="skip articles larger than this")
def ingest(paths, fmt, max_bytes) -> None:
    """Show what the reader makes of each input (id, url, title, date, cleaned text) and each skip with its reason.

    Nothing is parsed or stored. JSON Lines (default) gives one object per article, and one
    {"skipped": SOURCE, "reason": ...} per skip, to pipe into other tools; text is for reading.
    Exits 3 when it skipped any input, as `kg build` would.
    """
    from kg.ingest.files import read_paths
    from kg.records import Skipped

    skipped = 0
    for item in read_paths([Path(p) for p in paths], max_bytes=max_bytes):
        if isinstance(item, Skipped):
            skipped += 1
            record = {"skipped": item.source, "reason": item.reason}
            click.echo(
                json.dumps(record, ensure_ascii=False) if fmt == "jsonl" else f"skipped {item.source}: {item.reason}"
            )
            continue
        fields = {"id": item.id, "url": item.url, "title": item.title, "date": item.date, "source": item.source}
        if fmt == "jsonl":
            click.echo(json.dumps({**fields, "text": item.text}, ensure_ascii=False))
        else:
            click.echo(f"== {item.id}")
            for name in ("url", "title", "date", "source"):
                if fields[name]:
                    click.echo(f"{name}: {fields[name]}")
            click.echo(f"text: {len(item.text):,} characters\n\n{item.text.rstrip()}\n")
    if skipped:
        sys.exit(3)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--topic", "topics", multiple=True, help="only this topic (repeatable; 'stock' or 'corpus_stock')")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--whole-documents", is_flag=True, help="score every sentence, not only MEANTIME's annotated part")
@click.option("--coref", is_flag=True, help="score entity and event coreference (MUC, B3, CEAF-e, CoNLL F1) instead")
def eval_(gold: Path, topics, fmt, whole_documents, coref) -> None:
    """Score extraction against gold JSONL: entities, triggers, roles, attribution, dates; or coreference."""
    from kg.evaluate import evaluate, evaluate_coref, format_coref, format_table

    scope = "document" if whole_documents else "annotated"
    run, render = (evaluate_coref, format_coref) if coref else (evaluate, format_table)
    try:
        report = run(gold, topics=set(topics) or None, scope=scope)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(report, indent=1) if fmt == "json" else render(report))


def _serve_token(token: str | None, token_file: Path | None) -> str | None:
    """Return the update token from --token-file, $KG_TOKEN or --token (warning that the last shows in `ps`)."""
    if token_file is not None:
        try:
            return token_file.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise click.ClickException(f"cannot read the token file {token_file}: {exc.strerror}") from None
    source = click.get_current_context().get_parameter_source("token")
    if token and source == click.core.ParameterSource.COMMANDLINE:
        click.echo(
            "warning: a --token on the command line is visible to every user of this machine (ps); "
            "use --token-file FILE or $KG_TOKEN instead",
            err=True,
        )
    return token


@cli.command()
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0: every network)")
@click.option("--port", default=7878, show_default=True, help="port to listen on")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="a host name clients may use in the Host header besides localhost and --host (repeatable)",
)
@click.option("--timeout", default=30.0, show_default=True, help="seconds from a query's arrival to its answer")
@click.option("--max-results", default=10_000, show_default=True, help="rows or triples per answer (0: no limit)")
@click.option("--max-answer-mb", default=64, show_default=True, help="MB of values per answer (0: no limit)")
@click.option("--workers", default=4, show_default=True, help="query processes (read-only mode)")
@click.option("--worker-memory", default=1024, show_default=True, help="MB of memory per query process (0: no cap)")
@click.option("--per-client", type=int, help="queries one client address may run at once  [default: workers - 1]")
@click.option("--max-body-mb", default=16, show_default=True, help="largest request body in MB")
@click.option("--max-query-chars", default=100_000, show_default=True, help="longest query or update text")
@click.option("--max-depth", default=64, show_default=True, help="deepest nesting of { ( [ in a query")
@click.option("--max-connections", default=256, show_default=True, help="open connections at once")
@click.option("--header-timeout", default=10.0, show_default=True, help="seconds for a request head to arrive")
@click.option("--body-timeout", default=30.0, show_default=True, help="seconds for a request body to arrive")
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    help="let SERVICE clauses reach this endpoint (repeatable; '*' for any); SERVICE is refused otherwise",
)
@click.option("--allow-update", is_flag=True, help="take SPARQL updates that carry the token")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), help="file holding the update token")
@click.option(
    "--token", envvar="KG_TOKEN", help="the Bearer token updates must carry (better: $KG_TOKEN or --token-file)"
)
def serve(
    store_dir,
    host,
    port,
    allowed_hosts,
    timeout,
    max_results,
    max_answer_mb,
    workers,
    worker_memory,
    per_client,
    max_body_mb,
    max_query_chars,
    max_depth,
    max_connections,
    header_timeout,
    body_timeout,
    allow_service,
    allow_update,
    token_file,
    token,
) -> None:
    """Serve the store over SPARQL 1.1 (/query), with a query page at / and the explorer at /explorer."""
    from kg.serve.app import ServeOptions
    from kg.serve.app import serve as run_serve
    from kg.serve.guard import LOCAL_HOSTS
    from kg.serve.workers import WorkerError

    location = store_dir or DEFAULT_STORE
    token = _serve_token(token, token_file)
    if host not in LOCAL_HOSTS:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on port {port} can query the store"
            + (" and, with the token, change it" if allow_update else ""),
            err=True,
        )
    _open_graph(location).close()  # a missing or empty store ends here, with the `kg build` hint
    options = ServeOptions(
        location,
        timeout=timeout,
        max_results=max_results,
        allow_update=allow_update,
        token=token,
        workers=workers,
        host=host,
        allowed_hosts=tuple(allowed_hosts),
        allow_service=tuple(allow_service),
        worker_memory_mb=worker_memory,
        max_answer_bytes=max_answer_mb << 20,
        per_client=per_client,
        max_body_bytes=max_body_mb << 20,
        max_query_chars=max_query_chars,
        max_depth=max_depth,
        header_timeout=header_timeout,
        body_timeout=body_timeout,
        max_connections=max_connections,
    )
    mode = "updates with the token" if allow_update else "read-only"
    click.echo(f"serving {location} at http://{host}:{port}/ ({mode}; Ctrl-C stops)")
    try:
        run_serve(options, port)
    except (WorkerError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("article")
@_store_option
def remove(article: str, store_dir) -> None:
    """Remove one article (by id or URL) and every entity no other article mentions."""
    from kg.pipeline import remove as run_remove

    store = _open_graph(store_dir, read_only=False)
    try:
        removed = run_remove(store, article)
    except (LookupError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"removed {removed}")


def main() -> None:
    """Entry point of the `kg` console script."""
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
