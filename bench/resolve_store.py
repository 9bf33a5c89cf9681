"""Build throughput into a store that already holds 100,000 entities, against an empty store.

    .venv/bin/python bench/resolve_store.py [--entities 100000] [--articles N]

Fills an on-disk store with synthetic entities (persons and organizations with surface forms,
mentions, occurrences and summary labels, spread over articles of 20 entities each) by bulk
load, then times `kg.pipeline.build` of the same corpus as bench/throughput.py (examples/ plus
MEANTIME texts when ../shared is there; the first N articles with --articles) into a copy of that
store and into an empty one, each build in a fresh process. Prints, for both: the build's seconds,
the seconds until extraction starts (everything read before the first article), the peak RSS of
the build's process, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from bench.throughput import write_corpus  # noqa: E402
from kg import iris  # noqa: E402
from kg.annotate import load_model  # noqa: E402
from kg.pipeline import BuildOptions, build, extract_in_process  # noqa: E402
from kg.resolve.known import name_keys  # noqa: E402
from kg.resolve.known_store import INDEX_VERSION, name_key_ntriples  # noqa: E402
from kg.store import open_store  # noqa: E402

KG = iris.ONTOLOGY
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "dun", "is", "mar", "pe", "qua", "zel", "bor", "an", "ti"]


def name(rng: random.Random, words: int) -> str:
    """Return a made-up capitalised name of `words` words."""
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(words))


def synthetic_nquads(count: int, seed: int = 7) -> str:
    """Return N-Quads for `count` synthetic entities shaped like the builder's output (name keys included)."""
    rng = random.Random(seed)
    lines = []
    xsd_int = "<http://www.w3.org/2001/XMLSchema#integer>"
    for i in range(count):
        is_person = i % 3 != 0
        label = name(rng, 2 if is_person else 3) + f" {i}"
        kind = "Person" if is_person else "Company"
        entity = iris.entity_iri(kind, label.lower().replace(" ", "_"))
        article = iris.article_iri(f"synthetic-{i // 20}")
        occurrence = iris.occurrence_iri(f"synthetic-{i // 20}", entity)
        literal = ox.Literal(label)
        lines += [
            f"<{entity}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}{kind}> <{article}> .",
            f"<{entity}> <{KG}mentionedIn> <{article}> <{article}> .",
            f"<{entity}> <{KG}surfaceForm> {literal} <{article}> .",
            f"<{occurrence}> <{KG}entity> <{entity}> <{article}> .",
            f'<{occurrence}> <{KG}mentionCount> "2"^^{xsd_int} <{article}> .',
            f"<{entity}> <http://www.w3.org/2000/01/rdf-schema#label> {literal} <{iris.ENTITIES_GRAPH}> .",
            f'<{entity}> <{KG}mentionCount> "2"^^{xsd_int} <{iris.ENTITIES_GRAPH}> .',
        ]
        keys = name_key_ntriples(entity, name_keys(kind, [label]))
        lines += [line[:-1] + f"<{iris.ENTITIES_GRAPH}> ." for line in keys.splitlines()]
    lines.append(f'<{iris.ENTITIES_GRAPH}> <{iris.NAME_INDEX}> "{INDEX_VERSION}" <{iris.ENTITIES_GRAPH}> .')
    return "\n".join(lines) + "\n"


def peak_rss_mb(pid: int | None = None) -> float:
    """Return the peak resident set size in MB of this process, or of process `pid`.

    VmHWM: unlike ru_maxrss, not inherited across exec; where /proc has none, this process's ru_maxrss
    (0 for another process).
    """
    try:
        for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if pid is None else 0.0


def child_build(corpus: Path, store_dir: Path) -> dict:
    """Build the corpus into the store at `store_dir` in this process; return its figures as a dict.

    "seconds": the whole build; "start": seconds until the producer is asked for the first extraction
    (what the build reads from the store before it); "peak_mb": this process's peak RSS after the build.
    """
    load_model()
    marks: dict[str, float] = {}

    def producer(articles, options):
        marks.setdefault("start", time.perf_counter())
        return extract_in_process(articles, options)

    store = open_store(store_dir)
    started = time.perf_counter()
    build([corpus], store, BuildOptions(progress=False), producer=producer)
    seconds = time.perf_counter() - started
    store.close()
    peak_mb = peak_rss_mb()
    return {"seconds": seconds, "start": marks.get("start", started) - started, "peak_mb": peak_mb}


def timed_build(corpus: Path, store_dir: Path) -> dict:
    """Run `child_build` in a fresh process (so peak RSS is the build's own); returns its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(corpus), str(store_dir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv=None) -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=0, help="build only the first N corpus articles (0: all)")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child_build(Path(args.child[0]), Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory(prefix="kg-resolve-store-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        write_corpus(corpus, min_words=0, use_meantime=True)
        if args.articles:
            lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)[: args.articles]
            corpus.write_text("".join(lines), encoding="utf-8")
        full = work / "full"
        started = time.perf_counter()
        seed_store = ox.Store(str(full))
        seed_store.bulk_load(synthetic_nquads(args.entities).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        seed_store.flush()
        del seed_store
        print(f"store with {args.entities:,} synthetic entities bulk-loaded in {time.perf_counter() - started:.1f} s")
        empty = timed_build(corpus, work / "empty")
        copy = work / "full-copy"
        shutil.copytree(full, copy)
        loaded = timed_build(corpus, copy)
        articles = sum(1 for _ in corpus.open(encoding="utf-8"))
        print(f"corpus: {articles} articles")
        for name, figures in ((f"{'empty':>7} store", empty), (f"{args.entities:,}-entity store", loaded)):
            print(
                f"{name}: build {figures['seconds']:6.1f} s ({articles / figures['seconds']:.2f} articles/s); "
                f"extraction starts after {figures['start']:.2f} s; peak RSS {figures['peak_mb']:.0f} MB"
            )
        print(
            f"ratios (full / empty): build time {loaded['seconds'] / empty['seconds']:.2f}, "
            f"time to first extraction {loaded['start'] / max(empty['start'], 1e-3):.1f}, "
            f"peak RSS {loaded['peak_mb'] / empty['peak_mb']:.2f}"
        )


if __name__ == "__main__":
    main()
