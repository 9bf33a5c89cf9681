"""Gold documents: reading the MEANTIME-conversion JSON Lines and what each document says.

A gold document (one JSON line, as `convert_meantime.py` writes it) holds the rebuilt text, its
"topic", entity mentions, event mentions with their arguments ("args"), time links ("times") to
TIMEX3 expressions ("timex") and reported events ("reports"). This module reads them and answers
questions about them: which mentions are names, the document's date, the Article to run the
pipeline on, where the annotated part ends, an event's argument spans and its dates. Readers of
other gold formats (WikiEvents, ECB+) that convert to this one need nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from kg.evaluate.matching import Span
from kg.records import Article

# MEANTIME annotates events and their participants only in the first lines (see kg.evaluate.scoring, Scope).
ANNOTATED_LINES = 6
SCOPES = ("annotated", "document")
GOLD_ENTITY_TYPES = frozenset({"PER", "ORG", "LOC"})
NAMED_SYNTACTIC_TYPES = frozenset({"NAM", "PRE.NAM"})
DATE_RELATIONS = frozenset({"SIMULTANEOUS", "IS_INCLUDED", "INCLUDES", "DURING", "DURING_INV", "IDENTITY"})
INVERSE_RELATION = {
    "INCLUDES": "IS_INCLUDED",
    "IS_INCLUDED": "INCLUDES",
    "BEFORE": "AFTER",
    "AFTER": "BEFORE",
    "IBEFORE": "IAFTER",
    "IAFTER": "IBEFORE",
    "BEGINS": "BEGUN_BY",
    "BEGUN_BY": "BEGINS",
    "ENDS": "ENDED_BY",
    "ENDED_BY": "ENDS",
    "DURING": "DURING_INV",
    "DURING_INV": "DURING",
}
FULL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def read_gold(path: Path, topics: Iterable[str] | None = None) -> list[dict]:
    """Read a MEANTIME-conversion JSONL file.

    Takes the file path and optional topic names ("corpus_stock" or just "stock"); returns the
    documents of those topics (all when None), in file order, each entity dict given a boolean
    "named" (see `mark_named`). Raises ValueError naming the topics that exist when a
    requested one does not.
    """
    with open(path, encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle if line.strip()]
    mark_named(docs)
    if topics is None:
        return docs
    available = sorted({d["topic"] for d in docs})
    wanted = {_topic_name(t, available) for t in topics}
    return [d for d in docs if d["topic"] in wanted]


def _topic_name(topic: str, available: Sequence[str]) -> str:
    for name in (topic, f"corpus_{topic}"):
        if name in available:
            return name
    raise ValueError(f"unknown topic {topic!r}; the gold file has: {', '.join(available)}")


def mark_named(docs: Sequence[dict]) -> None:
    """Set entity["named"] on every gold entity mention of the documents, in place.

    A mention is named when its syntactic type is NAM/PRE.NAM, or when MEANTIME left the type
    empty and its text equals a NAM/PRE.NAM text of the same instance somewhere in `docs`.
    """
    names: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for entity in doc["entities"]:
            if entity.get("syntactic_type") in NAMED_SYNTACTIC_TYPES:
                names[entity["cluster_id"]].add(entity["text"])
    for doc in docs:
        for entity in doc["entities"]:
            kind = entity.get("syntactic_type")
            entity["named"] = kind in NAMED_SYNTACTIC_TYPES or (
                not kind and entity["text"] in names.get(entity["cluster_id"], ())
            )


def document_date(doc: dict) -> str | None:
    """Return a gold document's publication date as YYYY-MM-DD.

    Takes a gold document; reads its second line ("March 01, 2008"), falling back to a
    well-formed CREATION_TIME TIMEX3 value; returns None when neither gives a date.
    """
    lines = doc["text"].split("\n")
    if len(lines) > 1:
        try:
            return dt.datetime.strptime(lines[1].strip(), "%B %d, %Y").date().isoformat()
        except ValueError:
            pass
    for timex in doc.get("timex", ()):
        value = timex.get("value") or ""
        if timex.get("function") == "CREATION_TIME" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
    return None


def gold_article(doc: dict) -> Article:
    """Return the Article to run the pipeline on for a gold document: same text, its date, no title."""
    return Article(id=f"meantime-{doc['id']}", text=doc["text"], title="", date=document_date(doc), url=doc.get("url"))


def annotated_end(text: str, scope: str = "annotated") -> int:
    """Return the character offset where the fully annotated part of a gold text ends (kg.evaluate.scoring, Scope)."""
    if scope == "document":
        return len(text)
    end = -1
    for _ in range(ANNOTATED_LINES):
        end = text.find("\n", end + 1)
        if end < 0:
            return len(text)
    return end


def gold_args(event: dict, arg_role: str, mentions: dict[str, dict]) -> list[Span]:
    """Return the spans of a gold event's arguments of one role ("Arg0", "Arg1"), each once, in order.

    Takes the gold event, the role and the document's entity mentions by id; arguments whose
    mention is unknown (VALUEs) are left out.
    """
    spans = []
    for arg in event.get("args", ()):
        mention = mentions.get(arg.get("entity_id"))
        if arg["role"] == arg_role and mention is not None and (mention["start"], mention["end"]) not in spans:
            spans.append((mention["start"], mention["end"]))
    return spans


def gold_dates(event: dict, timexes: dict[str, dict]) -> set[str]:
    """Return the date values a gold event is anchored to (which links count: see kg.evaluate.scoring)."""
    values = set()
    for link in event.get("times", ()):
        relation = link.get("reltype") or ""
        if relation.startswith("inverse:"):
            relation = INVERSE_RELATION.get(relation[len("inverse:") :], relation[len("inverse:") :])
        timex = timexes.get(link["timex_id"])
        if timex is None or timex.get("type") != "DATE" or relation not in DATE_RELATIONS:
            continue
        if FULL_DATE.match(timex.get("value") or ""):
            values.add(timex["value"])
    return values
