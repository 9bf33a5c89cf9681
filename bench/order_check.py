"""Is the graph a function of the set of articles? Two build orders and a remove + rebuild, on a gold file.

    .venv/bin/python bench/order_check.py ../shared/eval/ecbplus/ecbplus_dev_gold.jsonl [--cache /tmp/ecb.pickle]
        [--topic ecb_1 ...] [--remove meantime-1_10ecb ...] [--diff /tmp/order.diff]

The gold documents become articles as `kg eval` makes them (kg.evaluate.gold.gold_article); they are parsed
and extracted once (`--cache` keeps the extractions for the next run), then written to in-memory stores
the way `kg build` writes them (kg.pipeline.build with those extractions):

- one build of every article;
- two builds into one store: the first half of the articles (by id), then the second half;
- the same two builds the other way round (second half first);
- remove + rebuild: from the one-build store, `kg remove` of each --remove article (default: the first
  article of each half), then a build of just those articles.

Each store's N-Quads (as `kg export --format nq` writes them, sorted) is compared with the one-build
store's: equal, or isomorphic once blank nodes are matched (rdflib.compare), or the number of differing
quads. `--diff` writes the differing quads. Exits 1 when any check fails.

`--resolver-only` compares entity resolution alone (kg.resolve, no store, seconds): each article's entities
resolved in the two half orders, with renames, and prints how many entity mentions end in a different cluster.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

from kg.evaluate.gold import gold_article, read_gold
from kg.export import nquads
from kg.pipeline import BuildOptions, build, extract_articles, remove
from kg.store import open_store


def extractions(gold: Path, topics: set[str] | None, cache: Path | None) -> dict:
    """Return {article id: Extraction} of the gold documents, read from / written to the pickle `cache`."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    articles = [gold_article(d) for d in read_gold(gold, topics)]
    found = {article.id: outcome for article, outcome in extract_articles(articles, BuildOptions(time_budget=None))}
    if cache is not None:
        cache.write_bytes(pickle.dumps(found))
    return found


def producer(found: dict):
    """Return a kg.pipeline Producer that hands back the stored extractions instead of parsing."""

    def produce(articles, options):
        for article in articles:
            yield article, found[article.id]

    return produce


def build_in_order(found: dict, batches: list[list[str]]):
    """Build the batches of article ids one after another into a fresh in-memory store; returns the store."""
    store = open_store(None)
    for ids in batches:
        articles = [found[i].article for i in ids]
        build([], store, BuildOptions(progress=False), producer=producer(found), given_articles=articles)
    return store


def compare(name: str, reference: str, other: str, diff: Path | None) -> bool:
    """Print whether two N-Quads texts hold the same graph; return True when they do."""
    if reference == other:
        print(f"{name}: identical ({reference.count(chr(10))} quads)")
        return True
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    graphs = []
    for text in (reference, other):
        dataset = Dataset()
        dataset.parse(data=text, format="nquads")
        graphs.append(dataset)
    left, right = set(reference.splitlines()), set(other.splitlines())
    if all(
        isomorphic(graphs[0].graph(g.identifier), graphs[1].graph(g.identifier)) for g in graphs[0].graphs()
    ) and len(list(graphs[0].graphs())) == len(list(graphs[1].graphs())):
        print(f"{name}: isomorphic, {len(left ^ right)} quads differ only in blank nodes")
        return True
    print(f"{name}: DIFFERENT: {len(left - right)} quads only in the reference, {len(right - left)} only in this one")
    if diff is not None:
        with diff.open("a", encoding="utf-8") as handle:
            handle.write(f"## {name}\n")
            handle.writelines(f"- {q}\n" for q in sorted(left - right))
            handle.writelines(f"+ {q}\n" for q in sorted(right - left))
    return False


def resolver_clusters(found: dict, order: list[str]) -> dict[tuple[str, str], frozenset]:
    """Resolve the articles in `order` as a build does; returns each (article id, entity key)'s cluster of mentions."""
    from kg.resolve import KnownEntities, resolve
    from kg.resolve.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    known = KnownEntities(gazetteer)
    iri_of: dict[tuple[str, str], str] = {}
    for article_id in order:
        resolved = resolve(found[article_id], known, gazetteer)
        iri_of.update({(article_id, key): e.iri for key, e in resolved.entities.items() if e.type != "Group"})
        renames = known.add(resolved, rename=True)
        iri_of = {k: renames.get(v, v) for k, v in iri_of.items()}
    members: dict[str, set] = {}
    for mention, iri in iri_of.items():
        members.setdefault(iri, set()).add(mention)
    return {mention: frozenset(members[iri]) for mention, iri in iri_of.items()}


def main() -> None:
    """Parse arguments, run the builds and print one line per check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--topic", action="append", help="only this topic (repeatable)")
    parser.add_argument("--cache", type=Path, help="pickle of the extractions, written on the first run")
    parser.add_argument("--remove", action="append", help="article id to remove and rebuild (repeatable)")
    parser.add_argument("--diff", type=Path, help="write the differing quads here")
    parser.add_argument("--resolver-only", action="store_true", help="compare entity clusters only, no store")
    args = parser.parse_args()
    if args.diff is not None:
        args.diff.write_text("", encoding="utf-8")

    started = time.perf_counter()
    found = extractions(args.gold, set(args.topic) if args.topic else None, args.cache)
    found = {k: v for k, v in found.items() if not isinstance(v, BaseException)}
    ids = sorted(found)
    first, second = ids[: len(ids) // 2], ids[len(ids) // 2 :]
    print(f"{len(ids)} articles extracted in {time.perf_counter() - started:.0f} s")
    if args.resolver_only:
        one, other = resolver_clusters(found, first + second), resolver_clusters(found, second + first)
        moved = sorted(m for m in one if one[m] != other[m])
        print(f"entity mentions in a different cluster in the two orders: {len(moved)} of {len(one)}")
        for article_id, key in moved:
            entity = next(e for e in found[article_id].entities if e.key == key)
            print(f"  {article_id} {entity.type} {' / '.join(entity.names)}")
        sys.exit(0 if not moved else 1)

    started = time.perf_counter()
    reference = nquads(build_in_order(found, [ids]))
    print(f"one build: {time.perf_counter() - started:.0f} s")
    ok = True
    for name, batches in (("first half, then second", [first, second]), ("second half, then first", [second, first])):
        ok &= compare(name, reference, nquads(build_in_order(found, batches)), args.diff)

    store = build_in_order(found, [ids])
    removed = args.remove or [first[0], second[0]]
    for article_id in removed:
        remove(store, article_id)
    gone = set(reference.splitlines()) - set(nquads(store).splitlines())
    print(f"removed {', '.join(removed)}: {len(gone)} quads gone")
    again = [found[i].article for i in removed]
    build([], store, BuildOptions(progress=False), producer=producer(found), given_articles=again)
    ok &= compare("remove + rebuild", reference, nquads(store), args.diff)
    print("all checks pass" if ok else "SOME CHECKS FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
