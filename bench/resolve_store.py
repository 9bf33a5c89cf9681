"""Build throughput into a store that already holds 100,000 entities, against an empty store.

    .venv/bin/python bench/resolve_store.py [--entities 100000] [--repeat 1]

Fills an on-disk store with synthetic entities (persons and organizations with surface forms,
mentions, occurrences and summary labels, spread over articles of 20 entities each) by bulk
load, then times `kg.pipeline.build` of the same corpus as bench/throughput.py (examples/ plus
MEANTIME texts when ../shared is there) into a copy of that store and into an empty one. Prints
both, the time spent reading what the store knows (KnownEntities + ledger) and the ratio.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from bench.throughput import write_corpus  # noqa: E402
from kg import iris  # noqa: E402
from kg.annotate import load_model  # noqa: E402
from kg.pipeline import Builder, BuildOptions, build, load_ontology  # noqa: E402
from kg.store import open_store  # noqa: E402

KG = iris.ONTOLOGY
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "dun", "is", "mar", "pe", "qua", "zel", "bor", "an", "ti"]


def name(rng: random.Random, words: int) -> str:
    """Return a made-up capitalised name of `words` words."""
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(words))


def synthetic_nquads(count: int, seed: int = 7) -> str:
    """Return N-Quads for `count` synthetic entities shaped like the builder's output."""
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
    return "\n".join(lines) + "\n"


def timed_build(corpus: Path, store_dir: Path) -> tuple[float, float]:
    """Build the corpus into the store at `store_dir`; return (total seconds, seconds reading the store)."""
    store = open_store(store_dir)
    started = time.perf_counter()
    load_ontology(store)
    Builder(store, BuildOptions())  # what a build reads first: known entities and the ledger
    reading = time.perf_counter() - started
    store.close()
    store = open_store(store_dir)
    started = time.perf_counter()
    build([corpus], store, BuildOptions(progress=False))
    seconds = time.perf_counter() - started
    store.close()
    return seconds, reading


def main(argv=None) -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args(argv)
    load_model()
    with tempfile.TemporaryDirectory(prefix="kg-resolve-store-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        write_corpus(corpus, min_words=0, use_meantime=True)
        full = work / "full"
        started = time.perf_counter()
        seed_store = ox.Store(str(full))
        seed_store.bulk_load(synthetic_nquads(args.entities).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        seed_store.flush()
        del seed_store
        print(f"store with {args.entities:,} synthetic entities bulk-loaded in {time.perf_counter() - started:.1f} s")
        empty_seconds, empty_reading = timed_build(corpus, work / "empty")
        copy = work / "full-copy"
        shutil.copytree(full, copy)
        full_seconds, full_reading = timed_build(corpus, copy)
        articles = sum(1 for _ in corpus.open(encoding="utf-8"))
        print(f"corpus: {articles} articles")
        print(
            f"empty store:       build {empty_seconds:6.1f} s ({articles / empty_seconds:.2f} articles/s); "
            f"reading the store {empty_reading:.2f} s"
        )
        print(
            f"{args.entities:,}-entity store: build {full_seconds:6.1f} s ({articles / full_seconds:.2f} articles/s); "
            f"reading the store {full_reading:.2f} s"
        )
        print(f"throughput ratio (full / empty): {empty_seconds / full_seconds:.2f}")


if __name__ == "__main__":
    main()
