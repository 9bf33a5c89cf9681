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

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kg.records import (
    NAME,
    ORGANIZATION_TYPES,
    PERSON,
    PLACE_TYPES,
    Article,
    Entity,
    Event,
    Extraction,
    Role,
)

ANNOTATED_LINES = 6
SCOPES = ("annotated", "document")
METRICS = ("entity", "trigger", "agent", "patient", "role", "attribution", "date")
GOLD_ENTITY_TYPES = frozenset({"PER", "ORG", "LOC"})
NAMED_SYNTACTIC_TYPES = frozenset({"NAM", "PRE.NAM"})
NAMED_ENTITY_TYPES = frozenset({PERSON}) | ORGANIZATION_TYPES | PLACE_TYPES
ROLE_OF_ARG = {"Arg0": "agent", "Arg1": "patient"}
SPEECH = "SPEECH_COGNITIVE"
STATEMENT = "Statement"
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

Span = tuple[int, int]


# ---------------------------------------------------------------- reading the gold


def read_gold(path: Path, topics: Iterable[str] | None = None) -> list[dict]:
    """Read a MEANTIME-conversion JSONL file.

    Takes the file path and optional topic names ("corpus_stock" or just "stock"); returns the
    documents of those topics (all when None), in file order, each entity dict given a boolean
    "named" (see the module docstring). Raises ValueError naming the topics that exist when a
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


# ---------------------------------------------------------------- spans and matching


def overlaps(a: Span, b: Span) -> bool:
    """Return True when two half-open character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def _overlap_length(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _distance(a: Span, b: Span) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def match_one_to_one(predicted: Sequence, gold: Sequence, fits: Callable, key: Callable) -> dict[int, int]:
    """Pair predicted items with gold items, each used at most once.

    Takes two sequences, `fits(p, g) -> bool` and `key(p, g)` (larger is a better pair);
    returns {predicted index: gold index}. Greedy: best pairs first, ties in input order.
    """
    pairs = [(i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold) if fits(p, g)]
    pairs.sort(key=lambda ij: (-key(predicted[ij[0]], gold[ij[1]]), ij))
    used_p: set[int] = set()
    used_g: set[int] = set()
    result = {}
    for i, j in pairs:
        if i not in used_p and j not in used_g:
            result[i] = j
            used_p.add(i)
            used_g.add(j)
    return result


def _span_match(predicted: Sequence[Span], gold: Sequence[Span]) -> dict[int, int]:
    return match_one_to_one(predicted, gold, overlaps, _overlap_length)


# ---------------------------------------------------------------- scoring one document


def annotated_end(text: str, scope: str = "annotated") -> int:
    """Return the character offset where the fully annotated part of a gold text ends (see Scope)."""
    if scope == "document":
        return len(text)
    end = -1
    for _ in range(ANNOTATED_LINES):
        end = text.find("\n", end + 1)
        if end < 0:
            return len(text)
    return end


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
    matched = _span_match([(e.start, e.end) for e in events], [(g["start"], g["end"]) for g in gold_events])
    tally["trigger"].update(tp=len(matched), fp=len(events) - len(matched), fn=len(gold_events) - len(matched))
    entities = {entity.key: entity for entity in extraction.entities}
    gold_by_event = {i: gold_events[j] for i, j in matched.items()}
    mentions = {m["id"]: m for m in doc["entities"]}
    _score_roles(events, gold_by_event, gold_events, entities, mentions, tally)
    _score_attribution(events, gold_events, entities, mentions, tally)
    _score_dates(events, gold_by_event, doc, tally)
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
    loose = len(_span_match(predicted, gold))
    tally["entity_overlap"].update(tp=loose, fp=len(predicted) - loose, fn=len(gold) - loose)


def _gold_args(event: dict, arg_role: str, mentions: dict[str, dict]) -> list[Span]:
    spans = []
    for arg in event.get("args", ()):
        mention = mentions.get(arg.get("entity_id"))
        if arg["role"] == arg_role and mention is not None and (mention["start"], mention["end"]) not in spans:
            spans.append((mention["start"], mention["end"]))
    return spans


def argument_span(event: Event, entity: Entity | None, gold_spans: Sequence[Span]) -> Span | None:
    """Choose the mention that stands for a predicted argument.

    Takes the event, the argument's Entity and the gold argument spans it may be compared with;
    returns one mention span: among the entity's mentions in the event's sentence (all of them if
    none is there), the first overlapping a gold span, else the one nearest the trigger. None when
    the entity is unknown or has no mentions.
    """
    if entity is None or not entity.mentions:
        return None
    sentence = (event.evidence.start, event.evidence.end)
    spans = [(m.start, m.end) for m in entity.mentions]
    inside = [s for s in spans if sentence[0] <= s[0] and s[1] <= sentence[1]] or spans
    trigger = (event.start, event.end)
    inside.sort(key=lambda s: (_distance(s, trigger), s))
    for span in inside:
        if any(overlaps(span, g) for g in gold_spans):
            return span
    return inside[0]


def role_span(event: Event, role: Role, entities: dict[str, Entity], gold_spans: Sequence[Span]) -> Span | None:
    """Return the span a predicted role claims as its argument.

    Takes the event, one of its Roles, the extraction's entities by key and the gold argument spans;
    returns the Role's own phrase span when it has one, else `argument_span` of its entity (None
    when neither exists).
    """
    if role.start is not None and role.end is not None:
        return role.start, role.end
    return argument_span(event, entities.get(role.entity) if role.entity else None, gold_spans)


def _score_roles(events, gold_by_event, gold_events, entities, mentions, tally) -> None:
    for role_name in ("agent", "patient"):
        arg_role = next(a for a, r in ROLE_OF_ARG.items() if r == role_name)
        gold = [(id(g), span) for g in gold_events for span in _gold_args(g, arg_role, mentions)]
        predicted = []
        for index, event in enumerate(events):
            matched_gold = gold_by_event.get(index)
            gold_spans = _gold_args(matched_gold, arg_role, mentions) if matched_gold else []
            roles = dict.fromkeys((r.entity, r.start, r.end) for r in event.roles if r.name == role_name)
            for entity, start, end in roles:
                span = role_span(event, Role(role_name, entity, start, end), entities, gold_spans)
                predicted.append((id(matched_gold) if matched_gold else None, span))
        pairs = match_one_to_one(
            predicted,
            gold,
            lambda p, g: p[0] == g[0] and p[1] is not None and overlaps(p[1], g[1]),
            lambda p, g: _overlap_length(p[1], g[1]),
        )
        counts = Counter(tp=len(pairs), fp=len(predicted) - len(pairs), fn=len(gold) - len(pairs))
        tally[role_name].update(counts)
        tally["role"].update(counts)


def _score_attribution(events, gold_events, entities, mentions, tally) -> None:
    speech = [g for g in gold_events if g.get("type") == SPEECH]
    gold = [g for g in speech if g.get("reports") and _gold_args(g, "Arg0", mentions)]
    silent = [(g["start"], g["end"]) for g in speech if g not in gold]
    statements = [e for e in events if e.type == STATEMENT and any(r.name == "agent" for r in e.roles)]

    def fits(event: Event, g: dict) -> bool:
        if not overlaps((event.start, event.end), (g["start"], g["end"])):
            return False
        spans = _gold_args(g, "Arg0", mentions)
        for role in event.roles:
            if role.name == "agent":
                span = role_span(event, role, entities, spans)
                if span is not None and any(overlaps(span, s) for s in spans):
                    return True
        return False

    pairs = match_one_to_one(
        statements, gold, fits, lambda e, g: _overlap_length((e.start, e.end), (g["start"], g["end"]))
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


def gold_dates(event: dict, timexes: dict[str, dict]) -> set[str]:
    """Return the date values a gold event is anchored to (see the module docstring for which links count)."""
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


def _score_dates(events, gold_by_event, doc, tally) -> None:
    timexes = {t["id"]: t for t in doc.get("timex", ())}
    for index, gold in gold_by_event.items():
        values = gold_dates(gold, timexes)
        if not values:
            continue
        date = events[index].date
        tally["date"].update(total=1, correct=int(date in values), dated=int(date is not None))


# ---------------------------------------------------------------- reports


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _prf(counts: Counter) -> dict:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    entry = {"p": p, "r": r, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}
    entry.update({k: v for k, v in counts.items() if k not in entry})
    return entry


def metrics(tallies: Iterable[dict[str, Counter]]) -> dict:
    """Sum per-document tallies and turn them into the metric entries.

    Takes tallies from `score_document`; returns {metric: entry} with the keys of METRICS plus
    "documents". Entries are {"p","r","f1","tp","fp","fn"} ("entity" also holds "overlap",
    "attribution" also "about") or, for "date", {"accuracy","correct","total","dated"}.
    """
    total = {name: Counter() for name in (*METRICS, "entity_overlap")}
    documents = 0
    for tally in tallies:
        documents += 1
        for name, counts in tally.items():
            total[name].update(counts)
    result: dict = {name: _prf(total[name]) for name in METRICS if name != "date"}
    result["entity"]["overlap"] = _prf(total["entity_overlap"])
    date = total["date"]
    result["date"] = {
        "accuracy": _ratio(date["correct"], date["total"]),
        "correct": date["correct"],
        "total": date["total"],
        "dated": date["dated"],
    }
    result["attribution"].setdefault("about", 0)
    return {**{name: result[name] for name in METRICS}, "documents": documents}


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


def _table_block(title: str, entry: dict) -> list[str]:
    lines = [
        f"{title} ({entry['documents']} documents)",
        f"{'metric':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}",
    ]
    rows = [("entity", entry["entity"]), ("entity overlap", entry["entity"]["overlap"])]
    rows += [(name, entry[name]) for name in ("trigger", "agent", "patient", "role", "attribution")]
    for name, e in rows:
        lines.append(f"{name:<16}{e['p']:>7.3f}{e['r']:>7.3f}{e['f1']:>7.3f}{e['tp']:>7}{e['fp']:>7}{e['fn']:>7}")
    date = entry["date"]
    lines.append(
        f"{'date accuracy':<16}{date['accuracy']:>7.3f}  ({date['correct']} of {date['total']} found gold-dated "
        f"events; {date['dated']} given a date)"
    )
    lines.append(
        f"{'':<16}attribution: {entry['attribution']['about']} of the matched statements name the reported event"
    )
    return lines


def format_table(report: dict, title: str = "all") -> str:
    """Render a report as plain-text tables: one per topic when there are several, then the whole selection.

    Takes a report from `score`/`evaluate` and a title for the whole selection; returns the text.
    """
    blocks = []
    topics = report.get("topics", {})
    if len(topics) > 1:
        blocks += [_table_block(topic, entry) for topic, entry in topics.items()]
    blocks.append(_table_block(title, report))
    scope = report.get("scope", "annotated")
    note = (
        f"scope: events in the first {ANNOTATED_LINES} lines of each document, MEANTIME's annotated part"
        if scope == "annotated"
        else "scope: whole documents (later sentences carry no gold events, so precision is understated)"
    )
    return "\n\n".join("\n".join(block) for block in blocks) + "\n" + note
