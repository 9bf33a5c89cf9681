"""Tests for kg.evaluate: the scorer on a hand-made gold file with hand-built extractions.

The gold file tests/data/eval/gold.jsonl holds two short documents in the MEANTIME-conversion
format. The expected counts below were worked out by hand from those documents and the
extractions built here; the comments next to each extraction say what it should score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import evaluate as ev
from kg.records import (
    COMPANY,
    DESCRIPTION,
    GROUP,
    NAME,
    ORGANIZATION,
    PERSON,
    PRONOUN,
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    Role,
)

GOLD = Path(__file__).parent / "data" / "eval" / "gold.jsonl"


class Text:
    """Builds mentions, evidence and events over one gold text by quoting it."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self.lines = doc["text"].split("\n")
        self.starts = [sum(len(line) + 1 for line in self.lines[:i]) for i in range(len(self.lines))]

    def span(self, line: int, words: str) -> tuple[int, int]:
        start = self.starts[line] + self.lines[line].index(words)
        return start, start + len(words)

    def mention(self, line: int, words: str, kind: str = NAME) -> Mention:
        start, end = self.span(line, words)
        return Mention(start, end, words, kind)

    def evidence(self, line: int) -> Evidence:
        return Evidence(self.lines[line], self.starts[line], self.starts[line] + len(self.lines[line]))

    def role(self, name: str, line: int, words: str, entity: str | None = None) -> Role:
        start, end = self.span(line, words)
        return Role(name, entity, start, end, words)

    def event(self, key: str, line: int, words: str, roles=(), type_: str = "Event", **extra) -> Event:
        start, end = self.span(line, words)
        roles = tuple(r if isinstance(r, Role) else Role(*r) for r in roles)
        return Event(key, type_, words, start, end, self.evidence(line), roles=roles, **extra)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return ev.read_gold(GOLD)


def ships_extraction(doc: dict) -> Extraction:
    t = Text(doc)
    entities = (
        Entity(
            "hl",
            COMPANY,
            "Harbor Lines",
            mentions=(t.mention(0, "Harbor Lines"), t.mention(2, "Harbor Lines"), t.mention(2, "it", PRONOUN)),
        ),
        Entity("nv", COMPANY, "Nordvik Yards", mentions=(t.mention(0, "Nordvik"), t.mention(2, "Nordvik Yards"))),
        Entity("mo", PERSON, "Olsen", mentions=(t.mention(3, "Olsen"),)),  # overlaps "Maria Olsen" only
        Entity("oslo", "City", "Oslo", mentions=(t.mention(3, "Oslo"),)),
        Entity("tue", ORGANIZATION, "Tuesday", mentions=(t.mention(2, "Tuesday"),)),  # not in the gold: FP
        Entity("ferries", GROUP, "two ferries", mentions=(t.mention(2, "two ferries", DESCRIPTION),)),
    )
    events = (
        # agent TP (headline "Harbor Lines"); patient FP: Nordvik is Arg2, Arg1 "two ferries" is missed
        t.event("buys", 0, "buys", [("agent", "hl"), ("patient", "nv")], "Acquisition"),
        # attribution TP, about the purchase; no date although the gold has one
        t.event("said", 2, "said", [("agent", "hl")], "Statement", about=("bought",)),
        # agent TP through the mention "it", which is the gold Arg0; patient TP; date right
        t.event("bought", 2, "bought", [("agent", "hl"), ("patient", "ferries")], "Acquisition", date="2010-03-30"),
        # agent TP by overlap; patient TP: an argument that is no entity, given by its phrase
        t.event("praised", 3, "praised", [("agent", "mo"), t.role("patient", 3, "the deal")]),
        t.event("exec", 3, "executive", [("agent", "mo")]),  # trigger FP, so its agent is FP too
        t.event("bought2", 2, "bought", [("agent", "nv")]),  # second event on one trigger: FP, agent FP
    )
    return Extraction(Article("s", doc["text"]), entities, events)


def mines_extraction(doc: dict) -> Extraction:
    t = Text(doc)
    entities = (
        Entity("kalgo", "Place", "Kalgo", mentions=(t.mention(2, "Kalgo"),)),
        Entity("workers", GROUP, "workers", mentions=(t.mention(2, "Workers", DESCRIPTION),)),
        Entity("union", ORGANIZATION, "the union", mentions=(t.mention(2, "the union", DESCRIPTION),)),
        Entity("managers", GROUP, "managers", mentions=(t.mention(3, "Managers", DESCRIPTION),)),
    )
    events = (
        t.event("halts", 0, "halts"),
        t.event("walked", 2, "walked", [("agent", "workers")], date="2011-05"),  # date wrong: gold is a day
        t.event("said", 2, "said", [("agent", "union")], "Statement"),  # attribution TP, about nothing
        # the gold "comment" has a speaker but reports nothing: the Statement is neither TP nor FP
        t.event("comment", 3, "comment", [("agent", "managers")], "Statement"),
    )
    return Extraction(Article("m", doc["text"]), entities, events)


def counts(entry: dict) -> tuple:
    return entry["tp"], entry["fp"], entry["fn"]


def test_read_gold_marks_names_from_the_instance(gold):
    ships = gold[0]["entities"]
    named = {(e["text"], e["sentence"]) for e in ships if e["named"]}
    # The body "Harbor Lines" has no syntactic type, but its instance is named "Harbor Lines" elsewhere.
    assert ("Harbor Lines", 2) in named
    assert ("it", 2) not in named
    assert ("the chief executive", 3) not in named


def test_read_gold_filters_topics_by_short_or_full_name():
    assert [d["id"] for d in ev.read_gold(GOLD, {"mines"})] == ["9002"]
    assert [d["id"] for d in ev.read_gold(GOLD, {"corpus_ships"})] == ["9001"]
    with pytest.raises(ValueError, match="corpus_mines, corpus_ships"):
        ev.read_gold(GOLD, {"stock"})


def test_document_date_reads_the_date_line(gold):
    assert ev.document_date(gold[0]) == "2010-04-02"
    article = ev.gold_article(gold[1])
    assert article.date == "2011-05-10"
    assert article.text == gold[1]["text"]


def test_ships_document_counts(gold):
    tally = ev.score_document(gold[0], ships_extraction(gold[0]))
    report = ev.metrics([tally])
    assert counts(report["entity"]) == (5, 2, 1)
    assert counts(report["entity"]["overlap"]) == (6, 1, 0)
    assert counts(report["trigger"]) == (4, 2, 1)
    assert counts(report["agent"]) == (4, 2, 0)
    assert counts(report["patient"]) == (2, 1, 1)
    assert counts(report["role"]) == (6, 3, 1)
    assert counts(report["attribution"]) == (1, 0, 0)
    assert report["attribution"]["about"] == 1
    assert report["date"] == {"accuracy": 0.5, "correct": 1, "total": 2, "dated": 1}


def test_mines_document_counts(gold):
    report = ev.metrics([ev.score_document(gold[1], mines_extraction(gold[1]))])
    assert counts(report["entity"]) == (1, 0, 0)
    assert counts(report["trigger"]) == (4, 0, 2)
    assert counts(report["agent"]) == (3, 0, 1)
    assert counts(report["patient"]) == (0, 0, 0)
    assert counts(report["attribution"]) == (1, 0, 0)
    assert report["attribution"]["about"] == 0
    # "walked out" (dated 2011-05, gold 2011-05-09) and "said" (undated, gold the publication day)
    assert report["date"] == {"accuracy": 0.0, "correct": 0, "total": 2, "dated": 1}


def test_score_sums_documents_and_splits_topics(gold):
    report = ev.score(gold, [ships_extraction(gold[0]), mines_extraction(gold[1])])
    assert report["documents"] == 2
    assert counts(report["trigger"]) == (8, 2, 3)
    assert report["trigger"]["p"] == 0.8
    assert report["trigger"]["r"] == round(8 / 11, 4)
    assert counts(report["role"]) == (9, 3, 2)
    assert report["date"]["accuracy"] == 0.25
    assert sorted(report["topics"]) == ["corpus_mines", "corpus_ships"]
    assert counts(report["topics"]["corpus_mines"]["agent"]) == (3, 0, 1)
    with pytest.raises(ValueError):
        ev.score(gold, [ships_extraction(gold[0])])


def test_report_is_json_with_the_metric_keys(gold):
    report = ev.score(gold, [ships_extraction(gold[0]), mines_extraction(gold[1])])
    decoded = json.loads(json.dumps(report))
    for entry in (decoded, *decoded["topics"].values()):
        assert set(ev.METRICS) <= set(entry)
        for name in ev.METRICS:
            expected = {"accuracy", "correct", "total"} if name == "date" else {"p", "r", "f1", "tp", "fp", "fn"}
            assert expected <= set(entry[name])


def test_empty_extraction_scores_nothing(gold):
    report = ev.score(gold, [Extraction(Article(d["id"], d["text"])) for d in gold])
    assert report["trigger"]["tp"] == 0 and report["trigger"]["fn"] == 11
    assert report["entity"]["r"] == 0.0 and report["entity"]["fn"] == 7
    assert report["agent"]["fn"] == 8 and report["patient"]["fn"] == 3
    assert report["attribution"]["fn"] == 2
    assert report["date"]["total"] == 0  # dates count only on events we found


def test_argument_span_prefers_the_sentence_then_the_gold_then_the_nearest(gold):
    t = Text(gold[0])
    company = Entity(
        "hl", COMPANY, "Harbor Lines", mentions=(t.mention(0, "Harbor Lines"), t.mention(2, "Harbor Lines"))
    )
    bought = t.event("b", 2, "bought")
    assert ev.argument_span(bought, company, []) == t.span(2, "Harbor Lines")
    assert ev.argument_span(bought, company, [t.span(0, "Harbor Lines")]) == t.span(2, "Harbor Lines")
    praised = t.event("p", 3, "praised")  # no mention in that sentence: all mentions compete
    assert ev.argument_span(praised, company, [t.span(0, "Harbor Lines")]) == t.span(0, "Harbor Lines")
    assert ev.argument_span(praised, None, []) is None


def test_role_span_takes_the_phrase_before_the_entity(gold):
    t = Text(gold[0])
    company = Entity("hl", COMPANY, "Harbor Lines", mentions=(t.mention(2, "Harbor Lines"),))
    bought = t.event("b", 2, "bought")
    entities = {"hl": company}
    gold_spans = [t.span(2, "Harbor Lines")]
    assert ev.role_span(bought, Role("agent", "hl"), entities, gold_spans) == t.span(2, "Harbor Lines")
    # The system's own phrase is what it claims, even when a mention of the entity would match.
    assert ev.role_span(bought, t.role("agent", 2, "Tuesday", "hl"), entities, gold_spans) == t.span(2, "Tuesday")
    assert ev.role_span(bought, Role("agent", None), entities, gold_spans) is None
    assert ev.role_span(bought, Role("agent", "unknown"), entities, gold_spans) is None


def test_gold_dates_use_only_containment_links():
    timexes = {
        "t1": {"type": "DATE", "value": "2009-06-01"},
        "t2": {"type": "DATE", "value": "2009-W23"},
        "t3": {"type": "DURATION", "value": "P1D"},
        "t4": {"type": "DATE", "value": "2009"},
    }
    event = {
        "times": [
            {"timex_id": "t1", "reltype": "inverse:INCLUDES"},
            {"timex_id": "t2", "reltype": "IS_INCLUDED"},
            {"timex_id": "t3", "reltype": "IS_INCLUDED"},
            {"timex_id": "t4", "reltype": "BEFORE"},
        ]
    }
    assert ev.gold_dates(event, timexes) == {"2009-06-01"}
    assert ev.gold_dates({"times": [{"timex_id": "t4", "reltype": "inverse:AFTER"}]}, timexes) == set()


def test_match_one_to_one_uses_each_item_once():
    predicted = [(0, 5), (0, 5), (10, 12)]
    gold = [(2, 6), (11, 20)]
    assert ev.match_one_to_one(predicted, gold, ev.overlaps, lambda p, g: 0) == {0: 0, 2: 1}


def test_format_table_lists_topics_and_all(gold):
    report = ev.score(gold, [ships_extraction(gold[0]), mines_extraction(gold[1])])
    table = ev.format_table(report)
    assert "corpus_ships (1 documents)" in table and "all (2 documents)" in table
    assert "trigger" in table and "date accuracy" in table
    assert "0.800" in table  # trigger precision over both documents


def test_cli_eval_rejects_an_unknown_topic():
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["eval", str(GOLD), "--topic", "weather"])
    assert result.exit_code == 1
    assert "unknown topic 'weather'" in result.output


@pytest.mark.slow  # loads the spaCy model and runs the real extractor
def test_cli_eval_prints_one_json_object():
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["eval", str(GOLD), "--format", "json", "--topic", "ships", "--topic", "mines"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(ev.METRICS) <= set(report)
    assert report["documents"] == 2
    assert sorted(report["topics"]) == ["corpus_mines", "corpus_ships"]
    assert report["trigger"]["tp"] + report["trigger"]["fn"] == 11  # every gold trigger is counted once


def test_only_the_annotated_lines_count_unless_whole_documents_are_asked_for():
    text = "\n".join(["Title line", "March 3, 2009"] + [f"Sentence {i} happened here." for i in range(2, 9)])
    doc = {"id": "s", "topic": "t", "text": text, "entities": [], "events": [], "values": [], "timexes": []}
    late = text.index("happened", text.index("Sentence 7"))
    evidence = Evidence("Sentence 7 happened here.", late - 11, late + 14)
    event = Event("ev", "Event", "happen", late, late + 8, evidence)
    extraction = Extraction(Article("s", text), (), (event,), ())
    assert ev.annotated_end(text) == text.index("\nSentence 6")
    assert ev.score_document(doc, extraction)["trigger"]["fp"] == 0
    assert ev.score_document(doc, extraction, "document")["trigger"]["fp"] == 1
    with pytest.raises(ValueError, match="unknown scope"):
        ev.score([doc], [extraction], "sentences")
