"""Score extraction against MEANTIME gold (the JSONL that `convert_meantime.py` writes).

Each gold document holds the rebuilt text, entity mentions, event mentions with their
arguments (HAS_PARTICIPANT), time links (TLINK) and reported events (SLINK). We run the
pipeline on exactly that text, so every offset lines up, and compare spans.

How each metric is counted (per document, then summed over a topic or the whole selection):

- **entity** — gold: PER/ORG/LOC mentions that are names (syntactic type NAM or PRE.NAM, or,
  where MEANTIME left the syntactic type empty, a mention whose text is a NAM/PRE.NAM text of the
  same cross-document instance anywhere in the gold file). Predicted: distinct spans of NAME
  mentions of Person/Organization/Place entities (any subclass; Groups are not names). Main
  figures match spans exactly; `entity["overlap"]` holds the same with overlapping spans.
  Precision is low by nature: MEANTIME only annotates entities that take part in events.
- **trigger** — every gold event mention against every predicted event; a pair matches when the
  trigger spans overlap. Matching is one-to-one (greedy, largest overlap first), so two predicted
  events on one gold trigger give one TP and one FP.
- **agent / patient / role** — gold tuples: (event, Arg0 -> agent | Arg1 -> patient, the span of
  the argument's entity mention); arguments that are VALUEs are left out. Predicted tuples: one per
  distinct (event, role name, entity key, phrase span). The predicted argument's span is the
  Role's own phrase span (Role.start/end) when it has one; else one MENTION of its entity: among
  the entity's mentions inside the event's evidence sentence (all its mentions when none is there),
  the one overlapping a gold argument of that role of the matched gold event if there is one,
  else the one nearest the trigger. A role with neither phrase nor known entity is always wrong.
  A predicted tuple is right when its event is matched to a gold event (the trigger matching
  above), the role is the same and the spans overlap; one-to-one. `role` pools agent and patient.
  Note that most gold Arg1 are products and financial things (PRO/FIN), not PER/ORG/LOC.
- **attribution** — gold: SPEECH_COGNITIVE events with an Arg0 entity argument and at least one
  SLINK to a reported event. Predicted: Statement events with an agent. A pair matches when the
  triggers overlap and the agent's mention (chosen as above) overlaps the gold Arg0. Predicted
  Statements that match nothing count as FP unless their trigger overlaps a gold SPEECH_COGNITIVE
  event outside the gold set (no Arg0 or no SLINK), where the gold is silent: those are not
  counted. `about` counts matched pairs whose Statement is `about` an event overlapping a gold
  reported event.
- **date** — gold events with a TLINK to a DATE TIMEX3 whose value is YYYY, YYYY-MM or
  YYYY-MM-DD, with a relation (seen from the event) SIMULTANEOUS, IS_INCLUDED, INCLUDES, DURING,
  DURING_INV or IDENTITY, and whose trigger we found (trigger matching). Correct when the matched
  event's `date` equals one of those values as a string ("2008-03" is wrong for "2008-03-01").
  `dated` counts how many of them had any date at all.

**Scope.** MEANTIME annotates events and their participants only in each document's title and
first four sentences (lines 0-5 of the rebuilt text: title, date line, four sentences). Counted
over the 120 documents, lines 0-5 hold 2,107 gold event mentions with 1,971 arguments; every later
line together holds 592 event mentions with 2 arguments (mentions kept only for cross-document
coreference). Scoring a correct event found later in a document as a false positive would measure
the annotation, not the extractor, so by default (`scope="annotated"`) triggers, roles,
attribution and dates are scored on events that start within the first ANNOTATED_LINES lines,
predicted and gold alike. `scope="document"` scores whole documents. Entity recall always uses the
whole document (MEANTIME marks names everywhere).

The report (`score`, `evaluate`) is a dict: the scope, the metric keys for the whole selection at the top
level, "documents" (how many), and "topics": {topic: {the same metric keys, "documents"}}.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from kg.evaluate.gold import (
    GOLD_ENTITY_TYPES,
    SCOPES,
    annotated_end,
    gold_args,
    gold_article,
    gold_dates,
    read_gold,
)
from kg.evaluate.matching import match_one_to_one, overlap_length, overlaps, role_span, span_match
from kg.evaluate.prf import prf, ratio
from kg.evaluate.wikievents import WIKIEVENTS_METRICS, annotates_classes, figures, tally_matched
from kg.records import (
    NAME,
    ORGANIZATION_TYPES,
    PERSON,
    PLACE_TYPES,
    Event,
    Extraction,
    Role,
)

METRICS = ("entity", "trigger", "agent", "patient", "role", "attribution", "date")
NAMED_ENTITY_TYPES = frozenset({PERSON}) | ORGANIZATION_TYPES | PLACE_TYPES
ROLE_OF_ARG = {"Arg0": "agent", "Arg1": "patient"}
SPEECH = "SPEECH_COGNITIVE"
STATEMENT = "Statement"


def score_document(doc: dict, extraction: Extraction, scope: str = "annotated") -> dict[str, Counter]:
    """Count hits and misses of one extraction against one gold document.

    Takes a gold document (as `read_gold` returns it), the Extraction for its text and the scope
    ("annotated" or "document", see the module notes); returns {metric: Counter} with tp/fp/fn
    (correct/total/dated for date), to be summed by `report`.
    """
    tally = {name: Counter() for name in METRICS}
    tally["entity_overlap"] = Counter()
    _score_entities(doc, extraction, tally)
    limit = annotated_end(doc["text"], scope)
    gold_events = [e for e in doc["events"] if e.get("start") is not None and e["start"] < limit]
    events = [e for e in extraction.events if e.start < limit]
    matched = span_match([(e.start, e.end) for e in events], [(g["start"], g["end"]) for g in gold_events])
    tally["trigger"].update(tp=len(matched), fp=len(events) - len(matched), fn=len(gold_events) - len(matched))
    entities = {entity.key: entity for entity in extraction.entities}
    gold_by_event = {i: gold_events[j] for i, j in matched.items()}
    mentions = {m["id"]: m for m in doc["entities"]}
    _score_roles(events, gold_by_event, gold_events, entities, mentions, tally)
    _score_attribution(events, gold_events, entities, mentions, tally)
    _score_dates(events, gold_by_event, doc, tally)
    if annotates_classes(doc):
        tally.update(tally_matched(events, gold_by_event, gold_events, entities, mentions))
    return tally


def _score_entities(doc: dict, extraction: Extraction, tally: dict[str, Counter]) -> None:
    gold = sorted(
        {(e["start"], e["end"]) for e in doc["entities"] if e.get("type") in GOLD_ENTITY_TYPES and e.get("named")}
    )
    predicted = sorted(
        {
            (m.start, m.end)
            for entity in extraction.entities
            if entity.type in NAMED_ENTITY_TYPES
            for m in entity.mentions
            if m.kind == NAME
        }
    )
    exact = len(set(gold) & set(predicted))
    tally["entity"].update(tp=exact, fp=len(predicted) - exact, fn=len(gold) - exact)
    loose = len(span_match(predicted, gold))
    tally["entity_overlap"].update(tp=loose, fp=len(predicted) - loose, fn=len(gold) - loose)


def _score_roles(events, gold_by_event, gold_events, entities, mentions, tally) -> None:
    for role_name in ("agent", "patient"):
        arg_role = next(a for a, r in ROLE_OF_ARG.items() if r == role_name)
        gold = [(id(g), span) for g in gold_events for span in gold_args(g, arg_role, mentions)]
        predicted = []
        for index, event in enumerate(events):
            matched_gold = gold_by_event.get(index)
            gold_spans = gold_args(matched_gold, arg_role, mentions) if matched_gold else []
            roles = dict.fromkeys((r.entity, r.start, r.end) for r in event.roles if r.name == role_name)
            for entity, start, end in roles:
                span = role_span(event, Role(role_name, entity, start, end), entities, gold_spans)
                predicted.append((id(matched_gold) if matched_gold else None, span))
        pairs = match_one_to_one(
            predicted,
            gold,
            lambda p, g: p[0] == g[0] and p[1] is not None and overlaps(p[1], g[1]),
            lambda p, g: overlap_length(p[1], g[1]),
        )
        counts = Counter(tp=len(pairs), fp=len(predicted) - len(pairs), fn=len(gold) - len(pairs))
        tally[role_name].update(counts)
        tally["role"].update(counts)


def _score_attribution(events, gold_events, entities, mentions, tally) -> None:
    speech = [g for g in gold_events if g.get("type") == SPEECH]
    gold = [g for g in speech if g.get("reports") and gold_args(g, "Arg0", mentions)]
    silent = [(g["start"], g["end"]) for g in speech if g not in gold]
    statements = [e for e in events if e.type == STATEMENT and any(r.name == "agent" for r in e.roles)]

    def fits(event: Event, g: dict) -> bool:
        if not overlaps((event.start, event.end), (g["start"], g["end"])):
            return False
        spans = gold_args(g, "Arg0", mentions)
        for role in event.roles:
            if role.name == "agent":
                span = role_span(event, role, entities, spans)
                if span is not None and any(overlaps(span, s) for s in spans):
                    return True
        return False

    pairs = match_one_to_one(
        statements, gold, fits, lambda e, g: overlap_length((e.start, e.end), (g["start"], g["end"]))
    )
    unmatched = [e for i, e in enumerate(statements) if i not in pairs]
    fp = sum(1 for e in unmatched if not any(overlaps((e.start, e.end), s) for s in silent))
    by_key = {e.key: e for e in events}
    gold_ids = {g["id"]: g for g in gold_events}
    about = 0
    for i, j in pairs.items():
        reported = [gold_ids[r] for r in gold[j]["reports"] if r in gold_ids]
        targets = [by_key[k] for k in statements[i].about if k in by_key]
        if any(overlaps((t.start, t.end), (r["start"], r["end"])) for t in targets for r in reported):
            about += 1
    tally["attribution"].update(tp=len(pairs), fp=fp, fn=len(gold) - len(pairs), about=about)


def _score_dates(events, gold_by_event, doc, tally) -> None:
    timexes = {t["id"]: t for t in doc.get("timex", ())}
    for index, gold in gold_by_event.items():
        values = gold_dates(gold, timexes)
        if not values:
            continue
        date = events[index].date
        tally["date"].update(total=1, correct=int(date in values), dated=int(date is not None))


def metrics(tallies: Iterable[dict[str, Counter]]) -> dict:
    """Sum per-document tallies and turn them into the metric entries.

    Takes tallies from `score_document`; returns {metric: entry} with the keys of METRICS plus
    "documents". Entries are {"p","r","f1","tp","fp","fn"} ("entity" also holds "overlap",
    "attribution" also "about") or, for "date", {"accuracy","correct","total","dated"}. When the gold
    carries kg_classes (kg.evaluate.wikievents), "role" also holds "matched", and "class" and "place" are added.
    """
    total: dict[str, Counter] = defaultdict(Counter)
    documents = 0
    for tally in tallies:
        documents += 1
        for name, counts in tally.items():
            total[name].update(counts)
    result: dict = {name: prf(total[name]) for name in METRICS if name != "date"}
    result["entity"]["overlap"] = prf(total["entity_overlap"])
    date = total["date"]
    result["date"] = {
        "accuracy": ratio(date["correct"], date["total"]),
        "correct": date["correct"],
        "total": date["total"],
        "dated": date["dated"],
    }
    result["attribution"].setdefault("about", 0)
    report = {**{name: result[name] for name in METRICS}, "documents": documents}
    if any(name in total for name in WIKIEVENTS_METRICS):
        extra = figures(total)
        report["role"]["matched"] = extra["role_matched"]
        report["class"], report["place"] = extra["class"], extra["place"]
    return report


def score(docs: Sequence[dict], extractions: Sequence[Extraction], scope: str = "annotated") -> dict:
    """Score extractions against gold documents.

    Takes gold documents and their Extractions in the same order, and the scope; returns the
    report: "scope", the metric entries for all documents at the top level, "documents", and
    "topics" with one such dict per topic.
    """
    if len(docs) != len(extractions):
        raise ValueError(f"{len(docs)} gold documents but {len(extractions)} extractions")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: choose one of {', '.join(SCOPES)}")
    tallies = [score_document(doc, extraction, scope) for doc, extraction in zip(docs, extractions, strict=True)]
    by_topic: dict[str, list] = defaultdict(list)
    for doc, tally in zip(docs, tallies, strict=True):
        by_topic[doc["topic"]].append(tally)
    report = {"scope": scope, **metrics(tallies)}
    report["topics"] = {topic: metrics(by_topic[topic]) for topic in sorted(by_topic)}
    return report


def run_extractor(docs: Sequence[dict], extractor=None, *, nlp=None, batch_size: int = 16, n_process: int = 1):
    """Annotate gold texts once and run an extractor over them.

    Takes gold documents, an optional `extractor(article, doc) -> Extraction` (default
    `kg.extract.extract`), an optional spaCy pipeline and batching knobs; returns the Extractions
    in document order.
    """
    from kg.annotate import annotate

    if extractor is None:
        from kg.extract import extract as extractor
    articles = [gold_article(doc) for doc in docs]
    pairs = annotate(articles, nlp=nlp, batch_size=batch_size, n_process=n_process)
    return [extractor(article, spacy_doc) for article, spacy_doc in pairs]


def evaluate(
    gold_path: Path, *, topics: set[str] | None = None, extractor=None, nlp=None, scope: str = "annotated"
) -> dict:
    """Run the pipeline on the gold texts and score it.

    Takes a gold JSONL path, optional topics, optional extractor (default `kg.extract.extract`),
    spaCy pipeline and scope; returns the report described in the module docstring.
    """
    docs = read_gold(Path(gold_path), topics)
    return score(docs, run_extractor(docs, extractor, nlp=nlp), scope)
