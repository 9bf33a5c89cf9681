"""Tests for kg.evaluate.wikievents: roles, classes and places scored on matched events, on a hand-made document.

The gold document below is written for this test in the WikiEvents-conversion format (events carry
kg_classes; arguments Arg0/Arg1/PLACE). The comments next to each predicted event say what it should score.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg import evaluate as ev
from kg.cli import cli
from kg.evaluate import wikievents as we
from kg.records import Article, Entity, Event, Evidence, Extraction, Mention, Role

TEXT = "Rebels shelled the depot in Varna. Two guards died there. Officials met and talked."


def span(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def mention(mid: str, words: str, kind: str = "PER") -> dict:
    start, end = span(words)
    return {"id": mid, "start": start, "end": end, "text": words, "type": kind, "sentence": 0, "cluster_id": mid}


def gold_event(eid: str, words: str, classes: list[str], args: list[tuple[str, str]]) -> dict:
    start, end = span(words)
    return {
        "id": eid,
        "start": start,
        "end": end,
        "trigger": words,
        "type": "x",
        "kg_classes": classes,
        "args": [{"role": role, "entity_id": mid} for role, mid in args],
    }


GOLD = {
    "id": "w1",
    "topic": "wikievents_test",
    "text": TEXT,
    "entities": [
        mention("m1", "Rebels", "ORG"),
        mention("m2", "the depot", "FAC"),
        mention("m3", "Varna", "LOC"),
        mention("m4", "Two guards"),
        mention("m5", "Officials"),
    ],
    "events": [
        gold_event("e1", "shelled", ["Attack"], [("Arg0", "m1"), ("Arg1", "m2"), ("PLACE", "m3")]),
        gold_event("e2", "died", ["Death"], [("Arg1", "m4"), ("PLACE", "m3")]),  # "there" is not a mention here
        gold_event("e3", "met", ["Meeting"], [("Arg0", "m5")]),
        gold_event("e4", "talked", [], [("Arg0", "m5")]),  # no class to check
    ],
    "timex": [],
}


def event(key: str, words: str, type_: str, roles=(), nth: int = 0) -> Event:
    start, end = span(words, nth)
    sentence = TEXT[: TEXT.index(".", start) + 1]
    first = sentence.rfind(". ") + 2 if ". " in sentence else 0
    evidence = Evidence(TEXT[first : len(sentence)], first, len(sentence))
    return Event(key, type_, words, start, end, evidence, roles=tuple(roles))


def role(name: str, words: str, entity: str | None = None) -> Role:
    start, end = span(words)
    return Role(name, entity, start, end, words)


def extraction() -> Extraction:
    entities = (Entity("varna", "City", "Varna", mentions=(Mention(*span("Varna"), "Varna", "name"),)),)
    events = (
        # agent right, patient right, place right; class a subclass-free hit
        event(
            "a", "shelled", "Attack", [role("agent", "Rebels"), role("patient", "the depot"), role("place", "Varna")]
        ),
        # class wrong (Disaster is no Death); patient right; the gold place is missed
        event("b", "died", "Disaster", [role("patient", "Two guards")]),
        # class right; its agent is wrong (the depot)
        event("c", "met", "Meeting", [role("agent", "the depot")]),
        # not matched: its roles and place count in no matched figure
        event("d", "Officials", "Event", [role("agent", "Two guards"), role("place", "Varna")]),
    )
    return Extraction(Article("w1", TEXT), entities, events)


def test_matched_roles_classes_and_places():
    report = ev.metrics([ev.score_document(GOLD, extraction(), scope="document")])
    matched = report["role"]["matched"]
    # predicted on matched events: Rebels, the depot (a), Two guards (b), the depot (c) -> 3 right, 1 wrong;
    # gold on matched events: m1, m2 (e1), m4 (e2), m5 (e3) -> the "Officials" of e3 is missed.
    assert (matched["tp"], matched["fp"], matched["fn"]) == (3, 1, 1)
    # e4 ("talked") was not matched, so its gold agent is not in the matched figure but is in the overall one.
    assert report["role"]["fn"] == 2
    # shelled (Attack, right), died (Disaster for Death, wrong), met (Meeting, right); talked has no class.
    assert report["class"] == {"accuracy": 0.6667, "n": 3, "correct": 2}
    # places: Varna on "shelled" is right; the gold place of "died" is missed; the one on "Officials" is ignored.
    place = report["place"]
    assert (place["tp"], place["fp"], place["fn"]) == (1, 0, 1)


def test_a_subclass_counts_for_a_listed_class():
    assert we.class_is_right("Ruling", ["LegalAction"])
    assert we.class_is_right("Attack", ["Attack"])
    assert not we.class_is_right("LegalAction", ["Ruling"])
    assert not we.class_is_right("Event", ["Attack"])


def test_meantime_style_gold_gets_no_wikievents_keys():
    plain = {**GOLD, "events": [{k: v for k, v in e.items() if k != "kg_classes"} for e in GOLD["events"]]}
    report = ev.metrics([ev.score_document(plain, extraction(), scope="document")])
    assert "matched" not in report["role"] and "class" not in report and "place" not in report


def test_cli_eval_json_and_table_carry_the_matched_figures(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", str(gold), "--whole-documents", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"p", "r", "f1"} <= set(report["role"]["matched"])
    assert {"accuracy", "n"} <= set(report["class"])
    assert {"p", "r", "f1"} <= set(report["place"])
    table = runner.invoke(cli, ["eval", str(gold), "--whole-documents"])
    assert "class accuracy" in table.output and "role (matched)" in table.output
