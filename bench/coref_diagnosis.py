"""Where newskg's event coreference loses CoNLL F1 on a gold file with cluster ids (ECB+, MEANTIME).

    .venv/bin/python bench/coref_diagnosis.py ../shared/eval/ecbplus/ecbplus_dev_gold.jsonl [--cache FILE]
        [--scope document|annotated] [--topic ecb_1 ...]

Scores newskg's event clusters as bench/coref_baseline.py does (kg.evaluate.coref: articles built in id
order, instances re-minted after renames), then repairs the response one kind of error at a time and
prints the CoNLL F1 after each repair, so each step's gain is what that kind of error costs:

1. wrong merges: every response cluster is split by gold cluster;
2. splits within one document: found mentions of one gold cluster in one document are joined;
3. splits across documents: found mentions of one gold cluster are joined everywhere (all found
   mentions are then right);
4. mentions not found: what is left up to 1.0 (a gold mention no predicted mention overlaps).

It then prints the precision and recall of the instance keys beside a what-if that no key can give:
chains linked, transitively and across articles, when they share class, week and any of their named
patients or their article's protagonist (the key holds one of them only).

The order matters a little (a repair can only gain on what earlier ones left). It then counts the
pairs of found mentions of one gold event whose instance keys differ, by the key parts that differ
(class, anchor, week; "unanchored" for keys that hold their article: statements and chains in an
article naming nothing), within and across documents, and the most frequent anchor pairs.

`--cache FILE` keeps the parse and extraction (pickle) for reruns that change only resolution or
instance keys; delete it after changing extraction.
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter, defaultdict
from pathlib import Path

from kg import iris
from kg.evaluate.coref import DisjointSets, align, coref_scores, gold_clusters, resolve_in_build_order
from kg.evaluate.gold import gold_article, read_gold


def _extractions(gold: Path, topics: set[str] | None, cache: Path | None):
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    from kg.annotate import annotate
    from kg.extract import extract

    docs = read_gold(gold, topics)
    extractions = [extract(article, parsed) for article, parsed in annotate([gold_article(d) for d in docs])]
    if cache is not None:
        cache.write_bytes(pickle.dumps((docs, extractions)))
    return docs, extractions


def _event_keys(extractions) -> list[dict[str, list]]:
    """Build as kg.evaluate.coref.predicted_mentions does; the cluster of an event mention is its final instance key."""
    resolved, final = resolve_in_build_order(extractions)
    result = []
    for index, extraction in enumerate(extractions):
        keys = {
            mention: "|".join(final(part) for part in instance.key.split("|"))
            for instance in resolved[index].instances
            for mention in instance.mentions
        }
        events = [
            ((e.start, e.end), keys.get(e.key) or iris.event_iri(extraction.article.id, e.key))
            for e in extraction.events
        ]
        result.append({"event": events})
    return result


def _linked_keys(extractions) -> list[dict[str, list]]:
    """What-if: chains linked when they share class, date bucket and ANY named patient or protagonist.

    The instance key holds one anchor (kg/resolve/event_instances.py); here every chain is linked, transitively,
    to every chain of any article that shares its class and week and one of its candidates (its named patients,
    its article's protagonist). Statements and chains naming nothing stay alone, as in the keys.
    """
    from kg.extract.event_chains import PLAIN_EVENT, STATEMENT, event_chains
    from kg.resolve.event_instances import _first_date, _named, _salient_entity, date_bucket

    resolved, final = resolve_in_build_order(extractions)
    sets = DisjointSets()

    chain_of = {}
    for index, extraction in enumerate(extractions):
        r = resolved[index]
        salient = _salient_entity(r)
        for number, chain in enumerate(event_chains(extraction)):
            node = (index, number)
            sets.find(node)
            chain_of.update({(index, key): node for key in chain.keys})
            candidates = {final(iri) for iri in _named(r, chain.roles.get("patient", ()))}
            candidates |= {final(salient)} if salient else set()
            if chain.type == STATEMENT or not candidates:
                continue
            date = _first_date(chain)
            bucket = date_bucket(date if date and len(date) == 10 else extraction.article.date)
            kind = f"{chain.type}:{chain.trigger}" if chain.type == PLAIN_EVENT else chain.type
            for candidate in candidates:
                sets.union(node, ("link", kind, candidate, bucket))
    return [
        {"event": [((e.start, e.end), sets.find(chain_of[(index, e.key)])) for e in extraction.events]}
        for index, extraction in enumerate(extractions)
    ]


def _joined(response: dict, group) -> dict:
    """Join the response clusters of mentions that `group` maps to one value (union-find)."""
    sets = DisjointSets()
    members = defaultdict(list)
    for mention in response:
        members[group(mention)].append(mention)
    for mentions in members.values():
        for mention in mentions[1:]:
            sets.union(response[mentions[0]], response[mention])
    return {m: sets.find(response[m]) for m in response}


def _parts(key: str) -> tuple[str, ...] | None:
    parts = key.split("|")
    if len(parts) != 3 or parts[1].startswith("article:"):
        return None
    return tuple(parts)


def main() -> None:
    """Parse arguments, build and print the breakdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--cache", type=Path, help="pickle of the parse and extraction, made on first use")
    parser.add_argument("--scope", default="document", choices=("document", "annotated"))
    parser.add_argument("--topic", action="append", help="only this topic (repeatable)")
    args = parser.parse_args()

    docs, extractions = _extractions(args.gold, set(args.topic) if args.topic else None, args.cache)
    key = gold_clusters(docs, args.scope)["event"]
    response = align(docs, _event_keys(extractions), {"entity": {}, "event": key})["event"]
    linked = align(docs, _linked_keys(extractions), {"entity": {}, "event": key})["event"]

    def conll(found: dict) -> float:
        return coref_scores(key, found)["conll"]

    steps = [("newskg", response)]
    steps.append(("1. no wrong merges", {m: (response[m], key[m]) for m in response}))
    steps.append(("2. no splits within a document", _joined(steps[-1][1], lambda m: (m[0], key[m]))))
    steps.append(("3. no splits across documents", _joined(steps[-1][1], lambda m: key[m])))
    print(f"{args.gold.name}: {len(docs)} documents, {len(key)} gold event mentions, {len(response)} found")
    previous = None
    for name, found in steps:
        score = conll(found)
        gain = f"  (+{score - previous:.4f})" if previous is not None else ""
        print(f"{name:<34}{score:.4f}{gain}")
        previous = score
    print(f"{'4. mentions not found':<34}1.0000  (+{1 - previous:.4f})")
    for name, found in (("instance keys", response), ("linked by any patient/protagonist", linked)):
        s = coref_scores(key, found)
        print(
            f"{name:<34}CoNLL {s['conll']:.4f}  MUC p/r {s['muc']['p']:.3f}/{s['muc']['r']:.3f}"
            f"  B3 p/r {s['b3']['p']:.3f}/{s['b3']['r']:.3f}"
        )

    by_gold = defaultdict(list)
    for mention in response:
        by_gold[key[mention]].append(mention)
    differ = {"within": Counter(), "across": Counter()}
    anchors: Counter = Counter()
    for mentions in by_gold.values():
        for i, a in enumerate(mentions):
            for b in mentions[i + 1 :]:
                where = "within" if a[0] == b[0] else "across"
                ka, kb = _parts(response[a]), _parts(response[b])
                if response[a] == response[b]:
                    differ[where]["same key"] += 1
                elif ka is None or kb is None:
                    differ[where]["unanchored"] += 1
                else:
                    parts = "+".join(n for n, x, y in zip(("class", "anchor", "week"), ka, kb, strict=True) if x != y)
                    differ[where][parts] += 1
                    if parts == "anchor" and where == "across":
                        anchors[tuple(sorted(p.rsplit("/id/", 1)[-1] for p in (ka[1], kb[1])))] += 1
    for where, counts in differ.items():
        print(f"pairs of one gold event {where} documents:", ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    print("most frequent anchor pairs (class and week equal, across documents):")
    for (a, b), n in anchors.most_common(15):
        print(f"  {n:5d}  {a}  /  {b}")


if __name__ == "__main__":
    main()
