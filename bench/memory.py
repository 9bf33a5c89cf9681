"""Time and peak memory of one very long article through the whole build, to choose the size limit.

Usage (from the repository root):

    .venv/bin/python bench/memory.py [--chars 100000 1000000 5000000] [--stages parse|extract|build]

For each size a fresh Python process (so peak RSS is that size's alone) generates a news-like article
of about that many characters from a few hundred sentences the script composes from word lists
(people, organisations, places, verbs, numbers; every sentence different), raises `nlp.max_length`
above it, and runs, timing each stage:

- parse: `kg.annotate.annotate` (spaCy) over the one article;
- extract: `kg.extract.extract` on the Doc;
- build: `kg.pipeline.Builder.write` into an in-memory store (resolve, map, one SPARQL update).

`--stages` stops after the named stage. Printed per size: characters, words, seconds per stage and the
process's peak resident memory (ru_maxrss) in MB, as a table or, with `--format json`, one object per size.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = ("Maria Ostrova", "Tomas Kell", "Ana Ruiz", "Jonah Pike", "Leila Haddad", "Piotr Nowak", "Chen Wei")
ORGS = ("the Harbour Authority", "Northwind Energy", "the Ministry of Transport", "Delta Freight", "the city council")
PLACES = ("Lisbon", "Gdansk", "Rotterdam", "Valencia", "Tallinn", "Marseille", "Genoa")
ACTS = (
    "signed a contract with",
    "met",
    "criticised",
    "bought a stake in",
    "sued",
    "praised",
    "held talks with",
)
TAILS = (
    "on Monday",
    "last week",
    "in March",
    "after a long dispute",
    "according to local reporters",
    "despite protests",
)


def long_article_text(chars: int) -> str:
    """Compose a news-like text of at least `chars` characters.

    Takes the wanted length; returns paragraphs of four sentences each, built from the word lists above so
    that consecutive sentences differ (who, what, whom, where, when and a number all vary).
    """
    combos = itertools.product(PEOPLE, ACTS, ORGS, PLACES, TAILS)
    sentences = []
    total = 0
    for number, (person, act, org, place, tail) in enumerate(itertools.cycle(combos)):
        sentence = f"{person} {act} {org} in {place} {tail}, and {number % 900 + 12} workers attended."
        sentences.append(sentence)
        total += len(sentence) + 1
        if total >= chars:
            break
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "Ports agree on a shared plan\n\n" + "\n\n".join(paragraphs)


def measure(chars: int, last_stage: str) -> dict:
    """Run one size in this process; returns its figures (see the module docstring)."""
    from kg.annotate import annotate, load_model
    from kg.extract import extract
    from kg.pipeline import Builder, BuildOptions, load_ontology
    from kg.records import Article
    from kg.store import open_store

    text = long_article_text(chars)
    article = Article(id="bench-long", text=text, title="Ports agree on a shared plan", date="2024-05-02")
    nlp = load_model()
    nlp.max_length = len(text) + 1
    row = {"chars": len(text), "words": len(text.split())}
    started = time.perf_counter()
    _, doc = next(annotate([article], nlp=nlp))
    row["parse_s"] = round(time.perf_counter() - started, 2)
    if last_stage != "parse":
        started = time.perf_counter()
        extraction = extract(article, doc)
        row["extract_s"] = round(time.perf_counter() - started, 2)
        row["events"] = len(extraction.events)
        if last_stage == "build":
            store = open_store(None)
            load_ontology(store)
            started = time.perf_counter()
            Builder(store, BuildOptions()).write(extraction)
            row["build_s"] = round(time.perf_counter() - started, 2)
    row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--stages", choices=["parse", "extract", "build"], default="build")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.stages)))
        return
    for chars in args.chars:
        command = [sys.executable, __file__, "--one", str(chars), "--stages", args.stages]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(f"{chars} chars: failed: {result.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        row = json.loads(result.stdout.strip().splitlines()[-1])
        if args.format == "json":
            print(json.dumps(row), flush=True)
        else:
            print("  ".join(f"{key} {value}" for key, value in row.items()), flush=True)


if __name__ == "__main__":
    main()
