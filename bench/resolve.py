"""Benchmark entity resolution: entities resolved per second against an empty index and a 100,000-entity one.

Run: PYTHONPATH=. .venv/bin/python bench/resolve.py [--known 100000] [--articles 2000]
Names are synthetic (syllables from a seeded generator), so runs are repeatable.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from kg.iris import entity_iri
from kg.records import Article, Entity, Extraction
from kg.resolve import KnownEntities, resolve
from kg.resolve.gazetteer import load_gazetteer

SYLLABLES = ("ka", "ri", "mo", "sen", "ta", "vo", "lin", "dra", "pe", "su", "han", "jo", "mi", "rek", "al", "ve") + (
    ("no", "zu", "bel", "tor", "ish", "gan", "pol", "fe", "quo", "yan", "wit", "gor", "dun", "sha")
)
COUNTRIES = ["Britain", "the UK", "North Korea", "Ukraine", "Russia", "the U.S.", "South Korea", "UAE"]


def word(rng: random.Random, parts: int) -> str:
    """Return a capitalised made-up word of `parts` syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def person(rng: random.Random) -> str:
    return f"{word(rng, 2)} {word(rng, 3)}"


def organization(rng: random.Random) -> str:
    return f"{word(rng, 3)} {rng.choice(['Holdings', 'Group', 'Institute', 'Authority', 'Games'])}"


def known_rows(rng: random.Random, size: int) -> tuple[list[dict], list[str], list[str]]:
    """Return store-like rows for `size` entities (60% people, 30% organizations, 10% places) and the names."""
    rows, people, orgs, seen = [], [], [], set()
    while len(rows) < size:
        roll = len(rows) % 10
        if roll < 6:
            name, kind = person(rng), "Person"
        elif roll < 9:
            name, kind = organization(rng), "Organization"
        else:
            name, kind = word(rng, 4), "Place"
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        (people if kind == "Person" else orgs if kind == "Organization" else []).append(name)
        rows.append({"iri": entity_iri(kind, name.casefold()), "type": kind, "name": name, "label": name})
    return rows, people, orgs


def articles(rng: random.Random, count: int, people: list[str], orgs: list[str]) -> list[Extraction]:
    """Return extractions of 12 entities each: known names, spelling variants, surnames, short forms, new names."""
    out = []
    for n in range(count):
        entities = []
        for i in range(12):
            pick = i % 6
            if pick == 0 and people:
                names = (rng.choice(people),)
            elif pick == 1 and people:
                names = (rng.choice(people).upper().replace(" ", "-"),)
            elif pick == 2 and people:
                names = (rng.choice(people).split()[-1],)
            elif pick == 3 and orgs:
                names = (rng.choice(orgs).split()[0],)
            elif pick == 4:
                names = (rng.choice(COUNTRIES),)
            else:
                names = (person(rng),)
            kind = "Person" if pick in (0, 1, 2, 5) else "Organization" if pick == 3 else "Country"
            entities.append(Entity(f"e{i}", kind, names[0], names))
        out.append(Extraction(Article(f"bench-{n}", ""), tuple(entities)))
    return out


def run(known: KnownEntities, extractions: list[Extraction], add: bool) -> float:
    """Resolve every extraction (recording each in `known` when add); return entities per second."""
    gazetteer = load_gazetteer()
    started = time.perf_counter()
    total = 0
    for extraction in extractions:
        resolved = resolve(extraction, known, gazetteer)
        total += len(resolved.entities)
        if add:
            known.add(resolved)
    return total / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--known", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(20261127)
    gazetteer = load_gazetteer()
    rows, people, orgs = known_rows(rng, args.known)
    started = time.perf_counter()
    big = KnownEntities.from_rows(rows, gazetteer)
    build_s = time.perf_counter() - started
    extractions = articles(rng, args.articles, people, orgs)
    print(f"index of {len(big):,} entities built from rows in {build_s:.2f} s")
    empty_rate = run(KnownEntities(gazetteer), extractions, True)
    print(f"resolve against empty index (adding as it goes): {empty_rate:,.0f} entities/s")
    print(f"resolve against {len(big):,}-entity index (read only): {run(big, extractions, False):,.0f} entities/s")
    print(
        f"resolve against {len(big):,}-entity index (adding as it goes): {run(big, extractions, True):,.0f} entities/s"
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
