"""The `kg` command: each sub-command is a few lines over the library.

User mistakes (a missing file, a bad query, a locked store) end with one clear line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from kg.limits import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET
from kg.store import DEFAULT_STORE, StoreError

STORE_HELP = f"store directory (default: {DEFAULT_STORE}, or $KG_STORE)"


def _open(location: str | None, *, read_only: bool = False):
    from kg.store import open_store

    try:
        return open_store(location or DEFAULT_STORE, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _store_option(func):
    return click.option("--store", "store_dir", envvar="KG_STORE", default=None, help=STORE_HELP)(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newskg")
def cli() -> None:
    """newskg: build a knowledge graph from news articles, query it with SPARQL, export and explore it."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="also write graph.ttl, graph.trig, graph.html")
@click.option("--batch-size", default=16, show_default=True, help="spaCy batch size")
@click.option("--processes", "n_process", default=1, show_default=True, help="spaCy processes")
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
@click.option("--progress/--no-progress", default=None, help="progress bar (default: on a terminal, long runs)")
@click.option("--workers", default=1, show_default=True, help="extraction processes on this machine")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS", help="with --executor dask: the scheduler's address")
def build(
    paths,
    store_dir,
    out_dir,
    batch_size,
    n_process,
    lexicon,
    gazetteer,
    max_bytes,
    time_budget,
    force,
    progress,
    workers,
    executor,
    scheduler,
) -> None:
    """Read articles (.txt .md .html .jsonl, or directories) and add them to the store."""
    from kg.pipeline import BuildOptions
    from kg.pipeline import build as run_build

    options = BuildOptions(
        batch_size, n_process, lexicon, gazetteer, max_bytes, force, progress, time_budget=time_budget or None
    )
    producer = _producer(workers, executor, scheduler)
    store = _open(store_dir)
    report = run_build(paths, store, options, producer=producer)
    click.echo(report.summary())
    if out_dir:
        _write_exports(store, out_dir)
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


def _write_exports(store, out_dir: Path) -> None:
    from kg.export import export

    for name, fmt in (("graph.ttl", "ttl"), ("graph.trig", "trig"), ("graph.html", "html")):
        export(store, fmt, out_dir / name)
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
    cells = [list(result.variables)] + [["" if v is None else str(v) for v in row] for row in result.rows]
    widths = [min(60, max(len(row[i]) for row in cells)) for i in range(len(result.variables))]
    lines = [" | ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)"


@cli.command()
@click.argument("sparql")
@_store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table")
def query(sparql: str, store_dir, fmt) -> None:
    """Run a SPARQL query (text, or @file.rq) over all graphs."""
    from kg.store import QuerySyntaxError

    if sparql.startswith("@"):
        path = Path(sparql[1:])
        if not path.is_file():
            raise click.ClickException(f"no such query file: {path}")
        sparql = path.read_text(encoding="utf-8")
    store = _open(store_dir, read_only=True)
    try:
        result = store.query(sparql)
    except QuerySyntaxError as exc:
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

    store = _open(store_dir, read_only=True)
    options = {}
    if fmt in GRAPH_FORMATS:
        options = {"focus": focus, "hops": hops, "since": since, "until": until, "collapse_events": collapse_events}
        if max_nodes is not None:
            options["max_nodes"] = max_nodes
    try:
        summary = run_export(store, fmt, out, include_ontology=with_ontology, **options)
    except (ValueError, LookupError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {out} ({', '.join(f'{k} {v}' for k, v in summary.items())})")


@cli.command()
@_store_option
def stats(store_dir) -> None:
    """Count what the store holds: articles, entities by class, events by class, triples."""
    from kg.stats import store_stats

    store = _open(store_dir, read_only=True)
    for line in store_stats(store):
        click.echo(line)


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


@cli.command()
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=7878, show_default=True, help="port to listen on")
@click.option("--timeout", default=30.0, show_default=True, help="seconds a query may run before it is stopped")
@click.option("--max-results", default=10_000, show_default=True, help="rows or triples per answer (0: no limit)")
@click.option("--workers", default=2, show_default=True, help="query processes (read-only mode)")
@click.option("--allow-update", is_flag=True, help="take SPARQL updates that carry the token")
@click.option("--token", envvar="KG_TOKEN", help="the Bearer token updates must carry (or $KG_TOKEN)")
def serve(store_dir, host, port, timeout, max_results, workers, allow_update, token) -> None:
    """Serve the store over SPARQL 1.1 (/query), with a query page at / and the explorer at /explorer."""
    from kg.serve.app import ServeOptions
    from kg.serve.app import serve as run_serve
    from kg.serve.workers import WorkerError

    location = store_dir or DEFAULT_STORE
    if not Path(location).is_dir():
        raise click.ClickException(f"no store at {location}: build one with `kg build … --store {location}`")
    options = ServeOptions(location, timeout, max_results, allow_update, token, workers)
    mode = "updates with the token" if allow_update else "read-only"
    click.echo(f"serving {location} at http://{host}:{port}/ ({mode}; Ctrl-C stops)")
    try:
        run_serve(options, host, port)
    except (WorkerError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("article")
@_store_option
def remove(article: str, store_dir) -> None:
    """Remove one article (by id or URL) and every entity no other article mentions."""
    from kg.pipeline import remove as run_remove

    store = _open(store_dir)
    try:
        removed = run_remove(store, article)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"removed {removed}")


def main() -> None:
    """Entry point of the `kg` console script."""
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
