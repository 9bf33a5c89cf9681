"""newskg's coreference beside two baselines, on one gold file with cluster ids (ECB+, MEANTIME).

    .venv/bin/python bench/coref_baseline.py ../shared/eval/ecbplus/ecbplus_dev_gold.jsonl [--topic ecb_1 ...]

Prints MUC, B3, CEAF-e F1 and the CoNLL F1 of entity and event coreference for:

- newskg: the pipeline's mentions built together as `kg build` builds them (kg/evaluate/coref.py);
- exact string: every gold mention clustered with the gold mentions of the same kind and topic
  whose text is the same (case folded);
- same head lemma: the same, by the lemma of the mention's syntactic head (spaCy, on the document).

The baselines cluster every gold mention (they are given the gold spans and the gold topics);
newskg is scored on all gold mentions too, those it did not find being singletons.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from kg.annotate import annotate
from kg.evaluate.coref import KINDS, coref_scores, gold_clusters, predicted_mentions, score_coref
from kg.evaluate.gold import gold_article, read_gold
from kg.extract import extract


def head_lemma(doc, start: int, end: int, text: str) -> str:
    """Return the lower-case lemma of the head of the span [start, end) of a spaCy Doc (its text when no span)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return text.lower()
    return span.root.lemma_.lower()


def baseline_responses(docs, spacy_docs, key) -> dict[str, dict[str, dict]]:
    """Return {baseline: {kind: {gold mention: cluster}}} for the exact-string and head-lemma baselines."""
    exact = {kind: {} for kind in KINDS}
    lemma = {kind: {} for kind in KINDS}
    for doc, parsed in zip(docs, spacy_docs, strict=True):
        for kind, items in (("entity", doc["entities"]), ("event", doc["events"])):
            for item in items:
                mention = (doc["id"], kind, item["id"])
                if mention not in key[kind]:
                    continue
                exact[kind][mention] = (doc["topic"], item["text"].lower())
                lemma[kind][mention] = (doc["topic"], head_lemma(parsed, item["start"], item["end"], item["text"]))
    return {"exact string": exact, "same head lemma": lemma}


def main() -> None:
    """Parse arguments, run the pipeline once and print the comparison (JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--topic", action="append", help="only this topic (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    docs = read_gold(args.gold, set(args.topic) if args.topic else None)
    started = time.perf_counter()
    pairs = list(annotate([gold_article(d) for d in docs]))
    extractions = [extract(article, parsed) for article, parsed in pairs]
    seconds = time.perf_counter() - started
    scope = "document"
    key = gold_clusters(docs, scope)
    rows = {"newskg": score_coref(docs, predicted_mentions(extractions), scope)["coref"]}
    for name, response in baseline_responses(docs, [p for _, p in pairs], key).items():
        rows[name] = {kind: coref_scores(key[kind], response[kind]) for kind in KINDS}
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{args.gold.name}: {len(docs)} documents, parsed and extracted in {seconds:.0f} s")
    print(f"{'':<8}{'system':<18}{'MUC':>7}{'B3':>7}{'CEAF-e':>8}{'CoNLL':>7}")
    for kind in KINDS:
        for name, scores in rows.items():
            s = scores[kind]
            print(
                f"{kind:<8}{name:<18}{s['muc']['f1']:>7.3f}{s['b3']['f1']:>7.3f}{s['ceafe']['f1']:>8.3f}{s['conll']:>7.3f}"
            )
    print(f"gold mentions: {len(key['entity'])} entity, {len(key['event'])} event")


if __name__ == "__main__":
    main()
