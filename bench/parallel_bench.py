"""Build throughput of `kg build` in one process, with --workers 2, with spaCy's --processes 2, and on Dask.

Usage (from the repository root):

    .venv/bin/python bench/parallel_bench.py [--articles 800] [--repeat 1] [--format table|json]

The corpus is --articles short wire items (five sentences, about 90 words each) put together from
sentence patterns written for this benchmark, with names, places and numbers drawn from fixed
lists by a seeded generator, written to a temporary JSON Lines file. Each mode runs the real
command, `python -m kg.cli build FILE --store DIR --no-progress`, in a fresh process into a fresh
on-disk store, so every figure includes starting Python and loading the model:

- `--workers 1` (the default: one process, which parses in its parse process beside it);
- `--workers 1 --parse-in-thread` (everything in one process: the parse in a thread);
- `--workers 2` (kg.parallel's process pool);
- `--processes 2` (spaCy's own n_process, extraction still in the main process);
- `--executor dask` against a local Dask cluster of 2 worker processes (1 thread each) started by
  this script: the first run loads the model in the workers ("cold"), the second reuses them.

Printed: wall seconds (median over --repeat), articles/s, words/s and the speed-up over --workers 1.
Every mode must build the same graph: the N-Quads dumps without the ontology are compared.

A second table times the part that --workers and Dask spread out, annotate + extract alone (the
Producer, no resolve and no store writes): in this process, in a pool of 2, and on the warm Dask
cluster. The gap between the two tables is the work `kg build` does in its own process per article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export import nquads  # noqa: E402
from kg.store import open_store  # noqa: E402

# Pools large enough that, as in real news, most names turn up in only a few articles.
FIRST = ["Anna", "Tomasz", "Grace", "Hiro", "Lucia", "Omar", "Ingrid", "Kwame", "Sofia", "Rafael", "Mei", "Pavel"]
LAST = ["Lindqvist", "Nowak", "Mbeki", "Tanaka", "Ferreira", "Haddad", "Okoro", "Brandt", "Costa", "Ivanova"]
LAST += ["Moreau", "Sato", "Kowalczyk", "Adeyemi", "Castillo", "Novak", "Halloran", "Demir", "Aziz", "Larsen"]
PEOPLE = [f"{first} {last}" for first in FIRST for last in LAST]
TITLES = ["Prime Minister", "Foreign Minister", "chief executive", "central bank governor", "mayor"]
COUNTRIES = ["Poland", "Kenya", "Japan", "Brazil", "Sweden", "Egypt", "Canada", "Chile", "Ghana", "Norway"]
COUNTRIES += ["Peru", "Vietnam", "Portugal", "Morocco", "Finland", "Colombia", "Indonesia", "Ireland"]
CITIES = ["Gdansk", "Nairobi", "Osaka", "Recife", "Malmo", "Alexandria", "Halifax", "Valparaiso", "Kumasi"]
CITIES += ["Bergen", "Cusco", "Hue", "Porto", "Fez", "Tampere", "Medellin", "Surabaya", "Galway"]
COMPANIES = [
    f"{a} {b}"
    for a in ("Nordwind", "Kestrel", "Bluefin", "Orchid", "Granite", "Saffron", "Harbor")
    for b in ("Energy", "Motors", "Logistics", "Telecom", "Foods", "Mining")
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SENTENCES = [
    "{person}, the {title} of {country}, met officials in {city} on {day} to discuss trade.",
    "Police in {city} arrested {n} people after protests outside the parliament, a spokesman said.",
    "{company} agreed to buy a rival for ${money} million, the company said in a statement.",
    "Floods killed {n} people in the north of {country} this week, according to the Red Cross.",
    "{person} said the government would send {n} soldiers to the border before the winter.",
    "Workers at {company} went on strike in {city} on {day}, demanding higher wages.",
    "The court in {city} sentenced a former {title} to {small} years in prison for fraud.",
    "{country} and its neighbours signed an agreement on fishing rights on {day}.",
    "A fire destroyed a warehouse in {city}, and {small} firefighters were injured, officials said.",
    "{person} warned that prices could rise again if the drought in {country} continues.",
]


def make_corpus(n_articles: int, seed: int = 11) -> list[dict]:
    """Return `n_articles` JSON-ready wire items of five sentences each, the same for the same seed."""
    rng = random.Random(seed)
    items = []
    for n in range(n_articles):
        parts = []
        for pattern in rng.sample(SENTENCES, 5):
            parts.append(
                pattern.format(
                    person=rng.choice(PEOPLE),
                    title=rng.choice(TITLES),
                    country=rng.choice(COUNTRIES),
                    city=rng.choice(CITIES),
                    company=rng.choice(COMPANIES),
                    day=rng.choice(DAYS),
                    n=rng.randrange(2, 400),
                    small=rng.randrange(2, 9),
                    money=rng.randrange(20, 900),
                )
            )
        text = " ".join(parts)
        items.append(
            {"id": f"wire-{n:04d}", "date": f"2025-0{1 + n % 9}-1{n % 10}", "title": parts[0][:40], "text": text}
        )
    return items


def run_build(corpus: Path, store: Path, *options: str) -> float:
    """Run `kg build` in a fresh process; returns its wall seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store), "--no-progress", *options]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(options) or 'build'} failed: {result.stderr[-2000:]}")
    return seconds


def extraction_only(items: list[dict], scheduler: str | None) -> dict[str, float]:
    """Time annotate + extract alone (no resolve, no store) in this process, in a 2-process pool, and on Dask.

    The model is loaded here before the one-process run; the pool's time includes starting its
    workers and loading the model in them; Dask's workers are warmed with a first small run.
    """
    from kg.annotate import load_model
    from kg.parallel import dask_producer, process_pool_producer
    from kg.pipeline import BuildOptions, extract_in_process
    from kg.records import Article

    articles = [Article(id=i["id"], text=i["text"], title=i["title"], date=i["date"]) for i in items]
    options = BuildOptions(progress=False)
    load_model()
    producers = {"in this process": extract_in_process, "pool of 2 processes": process_pool_producer(2)}
    if scheduler:
        warm = dask_producer(scheduler)
        for _ in warm(articles[:8], options):
            pass
        producers["dask, 2 workers (warm)"] = warm
    seconds = {}
    for name, produce in producers.items():
        started = time.perf_counter()
        failures = sum(isinstance(outcome, BaseException) for _, outcome in produce(articles, options))
        seconds[name] = time.perf_counter() - started
        if failures:
            raise RuntimeError(f"{name}: {failures} articles failed")
        print(f"extraction only, {name}: {seconds[name]:.1f} s", file=sys.stderr)
    return seconds


def _graph(store: Path) -> str:
    opened = open_store(store, read_only=True)
    try:
        return nquads(opened)
    finally:
        opened.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=800)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args()

    items = make_corpus(args.articles)
    words = sum(len(item["text"].split()) for item in items)
    report = {"articles": args.articles, "words": words, "modes": {}}
    with tempfile.TemporaryDirectory(prefix="kg-par-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
        modes = {
            "--workers 1": [],
            "--workers 1 --parse-in-thread": ["--parse-in-thread"],
            "--workers 2": ["--workers", "2"],
            "--processes 2": ["--processes", "2"],
        }
        graphs = {}
        for name, options in modes.items():
            times = []
            for r in range(args.repeat):
                store = tmp / f"{name.strip('-').replace(' ', '')}-{r}"
                times.append(run_build(corpus, store, *options))
                print(f"{name}: {times[-1]:.1f} s", file=sys.stderr)
            report["modes"][name] = statistics.median(times)
            graphs[name] = _graph(store)
        if not args.skip_dask:
            from distributed import LocalCluster

            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
            )
            try:
                for label in ("dask, 2 workers (cold)", "dask, 2 workers (warm)"):
                    store = tmp / label.split("(")[1].rstrip(")")
                    seconds = run_build(corpus, store, "--executor", "dask", "--scheduler", cluster.scheduler_address)
                    print(f"{label}: {seconds:.1f} s", file=sys.stderr)
                    report["modes"][label] = seconds
                    graphs[label] = _graph(store)
                report["extraction_only"] = extraction_only(items, cluster.scheduler_address)
            finally:
                cluster.close()
        else:
            report["extraction_only"] = extraction_only(items, None)
        reference = graphs["--workers 1"]
        report["same_graph"] = {name: graph == reference for name, graph in graphs.items()}

    if args.format == "json":
        print(json.dumps(report, indent=1))
        return
    base = report["modes"]["--workers 1"]
    print(f"\n{args.articles} articles, {words:,} words; wall seconds include Python start-up and model loading\n")
    print(f"{'mode':28}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'speed-up':>10}  same graph")
    for name, seconds in report["modes"].items():
        print(
            f"{name:28}{seconds:9.1f}{args.articles / seconds:12.1f}{words / seconds:10,.0f}"
            f"{base / seconds:9.2f}x  {report['same_graph'][name]}"
        )
    only = report["extraction_only"]
    base = only["in this process"]
    print("\nannotate + extract only (no resolve, no store), model already loaded in this process\n")
    print(f"{'producer':28}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'speed-up':>10}")
    for name, seconds in only.items():
        print(f"{name:28}{seconds:9.1f}{args.articles / seconds:12.1f}{words / seconds:10,.0f}{base / seconds:9.2f}x")


if __name__ == "__main__":
    main()
