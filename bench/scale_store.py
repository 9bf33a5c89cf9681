"""A 15-million-quad store in minutes: an archive built through the real write path, replicated.

    .venv/bin/python bench/scale_store.py SOURCE_STORE TARGET_STORE [--copies 10] [--shared 40]

Building 100,000 articles through the pipeline takes hours on a small machine, so the stand-in is
made in two steps:

1. `bench/archive.py --articles 10000 --store SOURCE_STORE` (or fewer articles) builds an archive
   with the code a build runs after extraction (`kg.pipeline.Builder.write`: resolution against the
   store, mapping, entity summary, store write), names drawn from Zipf-like pools.
2. This script copies that store's quads --copies times into TARGET_STORE with Oxigraph's bulk
   loader. Copy k > 0 renames every instance IRI (articles, events, evidence, occurrences, event
   instances, groups and entities: `https://w3id.org/newskg/id/...` gets `-cK` appended; the
   `graph/...` names stay), appends " K" to the rdfs:label and skos:altLabel of each renamed entity,
   and shifts every xsd:date by K times the archive's span in days, so the copies read as later
   years of the same newsroom rather than as duplicates. The --shared most mentioned entities keep
   their IRI in every copy (their summary rows come from copy 0, with kg:mentionCount times --copies;
   their kg:mentionedIn and occurrences from every copy): a few names run through the whole
   archive and the long tail grows with it, as in a real archive, so the entity distribution stays
   Zipf-like. The ontology graph is written once.

What it does not reproduce: cross-copy coreference of tail names (a real archive would resolve some
tail mentions to earlier entities) and the variety of real text. For query shapes (joins over
events, roles, occurrences and the entity summary) and for sizes it stands in for an archive of
--copies times as many articles.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import iris  # noqa: E402

_ID = re.escape(iris.BASE)
_IRI = re.compile(rf"<({_ID}[^>]*)>")
_DATE = re.compile(r'"(\d{4}-\d{2}-\d{2})"\^\^<http://www\.w3\.org/2001/XMLSchema#date>')
_LABELS = ("<http://www.w3.org/2000/01/rdf-schema#label>", "<http://www.w3.org/2004/02/skos/core#altLabel>")
_ENTITIES = f"<{iris.ENTITIES_GRAPH}>"
_ONTOLOGY = f"<{iris.ONTOLOGY_GRAPH}>"
_COUNT = f"> <{iris.ONTOLOGY}mentionCount> "
_MARK = "\x00"  # where a copy's IRI suffix goes
_LABEL_MARK = "\x01"  # where a copy's label suffix goes


def most_mentioned(store: ox.Store, count: int) -> set[str]:
    """Return the IRIs of the `count` entities with the most kg:mentionCount in `store`."""
    sparql = f"""PREFIX kg: <{iris.ONTOLOGY}>
SELECT ?e WHERE {{ GRAPH <{iris.ENTITIES_GRAPH}> {{ ?e kg:mentionCount ?n }} }} ORDER BY DESC(?n) ?e LIMIT {count}"""
    return {solution["e"].value for solution in store.query(sparql)}


def span_days(store: ox.Store) -> int:
    """Return the number of days between the first and the last schema:datePublished, plus one."""
    sparql = """PREFIX schema: <https://schema.org/>
SELECT (MIN(?d) AS ?lo) (MAX(?d) AS ?hi) WHERE { ?a schema:datePublished ?d }"""
    row = next(iter(store.query(sparql, use_default_graph_as_union=True)))
    lo, hi = date.fromisoformat(row["lo"].value[:10]), date.fromisoformat(row["hi"].value[:10])
    return (hi - lo).days + 1


def template(line: str, shared: set[str]) -> tuple[str | None, bool]:
    """Return (the line with copy marks, whether it has dates); None when copies k > 0 skip the line.

    Copies skip the ontology graph and the summary rows of shared entities.
    """
    if line.endswith(f"{_ONTOLOGY} ."):
        return None, False
    subject = line[1 : line.index(">")] if line.startswith("<") else ""
    if subject in shared and line.endswith(f"{_ENTITIES} ."):
        return None, False

    def rename(match: re.Match) -> str:
        value = match.group(1)
        if value in shared or value.startswith(iris.BASE + "graph/"):
            return match.group(0)
        return f"<{value}{_MARK}>"

    out = _IRI.sub(rename, line)
    if subject and subject not in shared and any(f"> {p} " in line for p in _LABELS):
        # the literal's closing quote: before ^^, @ or the graph name at the end
        at = out.rindex('"')
        out = out[:at] + _LABEL_MARK + out[at:]
    return out, bool(_DATE.search(out))


def scaled_counts(lines: list[str], shared: set[str], copies: int) -> list[str]:
    """Return `lines` with each shared entity's summary kg:mentionCount multiplied by `copies`."""
    out = []
    for line in lines:
        if _COUNT in line and line.endswith(f"{_ENTITIES} .") and line[1 : line.index(">")] in shared:
            count = int(line.split('"')[1])
            line = line.replace(f'"{count}"', f'"{count * copies}"', 1)
        out.append(line)
    return out


def copy_lines(templates: list[tuple[str, bool]], k: int, shift: int):
    """Yield copy `k`'s N-Quads lines from the templates, dates moved `k * shift` days on."""
    suffix, label = f"-c{k}", f" {k}"

    def moved(match: re.Match) -> str:
        day = date.fromisoformat(match.group(1)) + timedelta(days=k * shift)
        return match.group(0).replace(match.group(1), day.isoformat())

    for text, dated in templates:
        line = text.replace(_MARK, suffix).replace(_LABEL_MARK, label)
        yield _DATE.sub(moved, line) if dated else line


def build(source: Path, target: Path, copies: int, shared_count: int) -> int:
    """Write `copies` renamed copies of the store at `source` into a new store at `target`; returns quads."""
    src = ox.Store.read_only(str(source))
    shared, shift = most_mentioned(src, shared_count), span_days(src)
    with tempfile.NamedTemporaryFile("w", suffix=".nq", delete=False, encoding="utf-8") as handle:
        dump = Path(handle.name)
    try:
        src.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
        originals = dump.read_text(encoding="utf-8").splitlines()
        templates = []
        for line in originals:
            text, dated = template(line, shared)
            if text is not None:
                templates.append((text, dated))
        print(f"source: {len(originals):,} quads, {len(shared)} shared entities, {shift} days", file=sys.stderr)
        with dump.open("w", encoding="utf-8") as out:
            out.write("\n".join(scaled_counts(originals, shared, copies)) + "\n")
            del originals
            for k in range(1, copies):
                out.write("\n".join(copy_lines(templates, k, shift)) + "\n")
        started = time.perf_counter()
        store = ox.Store(str(target))
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        print(f"bulk load: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return len(store)
    finally:
        dump.unlink(missing_ok=True)


def main(argv=None) -> None:
    """Parse the arguments, build the target store and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="an archive store (bench/archive.py --store)")
    parser.add_argument("target", type=Path, help="the new store (must not exist)")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--shared", type=int, default=40, help="most mentioned entities kept across copies")
    args = parser.parse_args(argv)
    if args.target.exists():
        parser.error(f"{args.target} exists")
    print(f"{build(args.source, args.target, args.copies, args.shared):,} quads in {args.target}")


if __name__ == "__main__":
    main()
