"""Tests for kg.extract.attribution: Statement `about` and `reportedBy`, through the real EntityIndex."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract import extract
from kg.records import Article


@pytest.fixture(scope="module")
def run():
    nlp = load_model()

    def extract_text(text: str):
        extraction = extract(Article(id="a", text=text, date="2024-05-10"), nlp(text))
        labels = {entity.key: entity.label for entity in extraction.entities}
        entities = {entity.key: entity for entity in extraction.entities}
        return extraction, labels, entities

    return extract_text


def reporters(event, labels):
    return sorted(labels[role.entity] for role in event.roles if role.name == "reportedBy")


def test_said_that_links_statement_and_reported_events(run):
    ex, labels, _ = run("Amnesty International said that Turkish police had detained 14 journalists in Ankara.")
    say, detain = ex.events
    assert say.type == "Statement" and detain.trigger == "detain"
    assert say.about == (detain.key,)
    assert [labels[r.entity] for r in say.roles if r.name == "agent"] == ["Amnesty International"]
    assert reporters(detain, labels) == ["Amnesty International"]


def test_parenthetical_speaker_after_the_clause(run):
    ex, labels, _ = run("Nine climbers were rescued on Sunday, the Nepal Army said.")
    events = {event.trigger: event for event in ex.events}
    assert events["say"].about == (events["rescue"].key,)
    assert reporters(events["rescue"], labels) == ["Nepal Army"]


def test_speaker_resolved_through_a_description(run):
    text = "The World Health Organization held a briefing in Geneva. The agency stated it would send experts to Sudan."
    ex, labels, _ = run(text)
    events = {event.trigger: event for event in ex.events}
    assert [labels[r.entity] for r in events["state"].roles if r.name == "agent"] == ["World Health Organization"]
    assert events["state"].about == (events["send"].key,)
    assert reporters(events["send"], labels) == ["World Health Organization"]


def test_according_to_a_group(run):
    ex, labels, entities = run("According to three officials, the talks collapsed.")
    talks = next(event for event in ex.events if event.trigger == "talk")
    (source,) = [r.entity for r in talks.roles if r.name == "reportedBy"]
    assert entities[source].type == "Group" and entities[source].role == "official"
    assert all(event.type != "Statement" for event in ex.events)


def test_nested_statement_reports_only_its_own_clause(run):
    ex, labels, _ = run("The BBC reported that Sergei Lavrov said Russian troops had withdrawn from Kherson.")
    report, say, withdraw = ex.events
    assert report.about == (say.key,)
    assert say.about == (withdraw.key,)
    assert reporters(withdraw, labels) == ["Sergei Lavrov"]
    assert reporters(say, labels) == ["BBC"]


def test_statement_about_the_noun_it_modifies(run):
    ex, _, _ = run("The merger, first announced in March, closed on Friday.")
    events = {event.trigger: event for event in ex.events}
    assert events["announce"].about == (events["merger"].key,)


def test_events_outside_the_complement_are_not_reported(run):
    ex, labels, _ = run("Police arrested Omar Haddad in Tunis. His lawyer Leila Ben Ali said he was innocent.")
    arrest = next(event for event in ex.events if event.trigger == "arrest")
    assert reporters(arrest, labels) == []


def test_told_reporters_names_the_addressee_and_reports_the_clause(run):
    ex, labels, _ = run("Emmanuel Macron told reporters that France would send more weapons to Kyiv.")
    tell, send = ex.events
    assert tell.type == "Statement" and tell.about == (send.key,)
    assert [labels[r.entity] for r in tell.roles if r.name == "recipient"] == ["reporters"]
    assert reporters(send, labels) == ["Emmanuel Macron"]


def test_a_quotation_paragraph_is_said_by_the_speaker_of_the_paragraph_before(run):
    ex, labels, _ = run(
        "Officials met on Tuesday. Port director John Carter said the harbour would reopen.\n\n"
        '"The cranes were repaired overnight."'
    )
    repair = next(e for e in ex.events if e.trigger == "repair")
    assert reporters(repair, labels) == ["John Carter"]


def test_a_quotation_of_several_sentences_is_said_by_the_speaker_after_it(run):
    ex, labels, _ = run(
        "Mayor Lena Brandt spoke on Monday.\n\n"
        '"The dam was inspected. Engineers found cracks," Minister Paul Okafor said.'
    )
    inspect = next(e for e in ex.events if e.trigger == "inspect")
    assert reporters(inspect, labels) == ["Paul Okafor"]


def test_a_quotation_two_paragraphs_after_the_statement_has_no_speaker(run):
    ex, labels, _ = run(
        'Port director John Carter said the harbour would reopen.\n\nRain fell all week.\n\n"The bridge collapsed."'
    )
    collapse = next(e for e in ex.events if e.trigger == "collapse")
    assert reporters(collapse, labels) == []


def test_a_predicted_event_is_not_reported_by_its_own_agent(run):
    ex, labels, _ = run(
        "With most ballots counted, Labor has been confirmed as the largest party and predicted to win 70 seats."
    )
    won = next(e for e in ex.events if e.trigger == "win")
    agents = {labels[r.entity] for r in won.roles if r.name == "agent" and r.entity}
    assert agents and not agents & set(reporters(won, labels))
