"""Score a plain subject-verb-object baseline and our pipeline against MEANTIME, in one run.

The baseline is textacy's `subject_verb_object_triples` over the same spaCy parses our pipeline
sees: every triple becomes one event whose trigger is the verb (with its auxiliaries), whose agent
is the subject and whose patient is the object. It names no entities, types no events, finds no
speakers and resolves no dates, so its entity, attribution and date rows read zero by design;
compare trigger / agent / patient / role.

Usage (from the repository root):

    .venv/bin/python bench/baseline_svo.py [GOLD.jsonl] [--format table|json] [--batch-size 16] [--processes 1]

GOLD defaults to ../shared/eval/meantime/meantime_en_gold.jsonl. The texts are parsed once; both
systems are scored on those parses. Printed per system: each topic and all four together, then
the three development topics (airbus, apple, gm) together, then held-out stock alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.annotate import annotate, load_model  # noqa: E402
from kg.evaluate import format_table, gold_article, read_gold, score  # noqa: E402
from kg.extract.common import sentence_evidence  # noqa: E402
from kg.records import DESCRIPTION, GROUP, Entity, Event, Extraction, Mention, Role  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "meantime" / "meantime_en_gold.jsonl"
HELD_OUT = "corpus_stock"


def _span(tokens) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)


def svo_extraction(article, doc) -> Extraction:
    """Turn textacy's subject-verb-object triples of one parsed article into an Extraction.

    Takes an Article and its spaCy Doc; returns an Extraction with one event per triple and one
    entity (a single description mention) per distinct subject or object span.
    """
    import textacy.extract

    entities: dict[tuple[int, int], Entity] = {}

    def entity_for(tokens) -> str:
        start, end = _span(tokens)
        if (start, end) not in entities:
            text = doc.text[start:end]
            key = f"svo-{start}-{end}"
            entities[(start, end)] = Entity(key, GROUP, text, mentions=(Mention(start, end, text, DESCRIPTION),))
        return entities[(start, end)].key

    events = []
    for number, triple in enumerate(textacy.extract.subject_verb_object_triples(doc)):
        start, end = _span(triple.verb)
        roles = (Role("agent", entity_for(triple.subject)), Role("patient", entity_for(triple.object)))
        head = triple.verb[-1]
        events.append(
            Event(f"svo{number}", "Event", head.lemma_.lower(), start, end, sentence_evidence(head.sent), roles=roles)
        )
    return Extraction(article, tuple(entities.values()), tuple(events))


def _our_extractor():
    try:
        from kg.extract import extract
    except ImportError as exc:
        print(f"our pipeline is not available yet ({exc}); scoring the baseline only", file=sys.stderr)
        return None
    return extract


def _reports(docs, extractions) -> dict:
    dev = [i for i, d in enumerate(docs) if d["topic"] != HELD_OUT]
    held = [i for i, d in enumerate(docs) if d["topic"] == HELD_OUT]
    return {
        "four topics": score(docs, extractions),
        "development (airbus, apple, gm)": score([docs[i] for i in dev], [extractions[i] for i in dev]),
        "held-out stock": score([docs[i] for i in held], [extractions[i] for i in held]),
    }


def main(argv=None) -> None:
    """Parse the arguments, parse the gold texts once, score each system and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        parser.error(f"no gold file at {args.gold}")

    docs = read_gold(args.gold)
    nlp = load_model()
    started = time.perf_counter()
    pairs = list(
        annotate([gold_article(d) for d in docs], nlp=nlp, batch_size=args.batch_size, n_process=args.processes)
    )
    parsed = time.perf_counter() - started
    systems = {"svo baseline": svo_extraction}
    ours = _our_extractor()
    if ours is not None:
        systems = {"newskg": ours, **systems}
    results, seconds = {}, {"parse": round(parsed, 2)}
    for name, extractor in systems.items():
        started = time.perf_counter()
        extractions = [extractor(article, doc) for article, doc in pairs]
        seconds[name] = round(time.perf_counter() - started, 2)
        results[name] = _reports(docs, extractions)

    if args.format == "json":
        print(json.dumps({"seconds": seconds, "systems": results}, indent=1))
        return
    print(f"{len(docs)} documents from {args.gold}; seconds: {seconds}")
    for name, reports in results.items():
        for selection, report in reports.items():
            print(f"\n===== {name}: {selection} =====")
            if selection == "four topics":
                print(format_table(report, title="all four topics"))
            else:
                print(format_table({**report, "topics": {}}, title=selection))


if __name__ == "__main__":
    main()
