"""Query, export and explorer times on large stores (issue #16): every run shown, each step in a fresh process.

    .venv/bin/python bench/scale_queries.py STORE [STORE ...] [--runs 3] [--query-timeout 120]
                                            [--exports nq,trig] [--explorer] [--only NAME ...] [--format json]

For each store (e.g. one made by bench/scale_store.py): every README example query and every
bench/store_bench.py query (one warm-up run, then --runs runs; the median, all runs, the row count
and a digest of the rows as a set, so answers can be compared across code versions), the peak RSS
of `kg export` in the given formats, and the time to project the store and render the HTML
explorer's default page (what `kg serve`'s /explorer and `kg export --format html` do).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.archive import all_queries, in_fresh_process, json_from_process, step  # noqa: E402
from bench.resolve_store import peak_rss_mb  # noqa: E402


def explorer_step(store_dir: Path) -> dict:
    """Project the store with the explorer's defaults and render the page; returns seconds, nodes, peak_mb."""
    from kg.explorer import project, render_html
    from kg.store import open_store

    store = open_store(store_dir, read_only=True)
    started = time.perf_counter()
    G = project(store.select)
    page = render_html(G)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": G.number_of_nodes(), "bytes": len(page), "peak_mb": peak_rss_mb()}


def explorer_in_fresh_process(store_dir: Path, timeout: float) -> dict:
    """Run explorer_step in a new process; {"timeout": seconds} when it took longer."""
    found = json_from_process([sys.executable, __file__, "--explorer-step", str(store_dir)], timeout)
    return {"timeout": timeout} if found is None else found


def main(argv=None) -> None:
    """Measure each store and print one line per step (or JSON lines with --format json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", type=Path, nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query-timeout", type=float, default=120)
    parser.add_argument("--exports", default="", help="comma-separated formats to export (nq, trig, jsonld)")
    parser.add_argument("--explorer", action="store_true", help="time the explorer's default page")
    parser.add_argument("--only", nargs="*", help="only the queries whose name contains one of these")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--explorer-step", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.explorer_step:
        print(json.dumps(explorer_step(args.explorer_step)))
        return
    for store_dir in args.stores:
        quads = step("count", store_dir, "", 0)["rows"]
        print(f"# {store_dir}: {quads:,} quads", flush=True)
        for name in all_queries():
            if args.only and not any(part in name for part in args.only):
                continue
            figures = in_fresh_process("query", store_dir, name, args.runs, args.query_timeout)
            _show(args.format, store_dir, name, figures)
        for fmt in filter(None, args.exports.split(",")):
            figures = in_fresh_process("export", store_dir, fmt, 0, args.query_timeout * 10)
            _show(args.format, store_dir, f"kg export --format {fmt}", figures)
        if args.explorer:
            _show(args.format, store_dir, "explorer default page", explorer_in_fresh_process(store_dir, 600))


def _show(fmt: str, store_dir: Path, name: str, figures: dict) -> None:
    if fmt == "json":
        print(json.dumps({"store": str(store_dir), "step": name, **figures}), flush=True)
        return
    if "timeout" in figures:
        print(f"{name:<48} stopped after {figures['timeout']:.0f} s", flush=True)
        return
    runs = " ".join(f"{t * 1000:.0f}" for t in figures.get("times", [])) or f"{figures['seconds'] * 1000:.0f}"
    extra = f" digest {figures['digest']}" if "digest" in figures else ""
    print(
        f"{name:<48} {figures['seconds'] * 1000:9.0f} ms  rows {figures['rows']:<8} "
        f"peak {figures['peak_mb']:6.0f} MB  runs(ms) {runs}{extra}",
        flush=True,
    )


if __name__ == "__main__":
    main()
