"""Tests for kg.extract.modality: negation and Asserted/Hypothetical/Conditional/Planned."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract import extract
from kg.extract.modality import load_cues, stronger
from kg.records import ASSERTED, CONDITIONAL, HYPOTHETICAL, PLANNED, Article


def test_stronger_ranks_modalities():
    assert stronger(PLANNED, CONDITIONAL) == CONDITIONAL
    assert stronger(HYPOTHETICAL, PLANNED) == HYPOTHETICAL
    assert stronger(ASSERTED, PLANNED) == PLANNED
    assert stronger(ASSERTED, ASSERTED) == ASSERTED


def test_cues_load_from_data():
    cues = load_cues()
    assert cues.has("hypothetical_auxiliaries", "Might")
    assert cues.has("planned_nouns", "willingness")
    assert not cues.has("planned_auxiliaries", "may")


@pytest.fixture(scope="module")
def run():
    nlp = load_model()

    def extract_text(text: str):
        extraction = extract(Article(id="m", text=text, date="2024-05-10"), nlp(text))
        labels = {entity.key: entity.label for entity in extraction.entities}
        return {event.trigger: event for event in extraction.events}, labels

    return extract_text


def test_plain_past_is_asserted(run):
    events, _ = run("Police arrested Marco Rossi in Lyon.")
    assert events["arrest"].modality == ASSERTED and not events["arrest"].negated


def test_not_negates_the_verb(run):
    events, _ = run("The army did not attack the village.")
    assert events["attack"].negated


def test_negation_reaches_an_event_under_a_desire_noun(run):
    events, labels = run("The two refugees have not expressed any desire to return home.")
    assert events["return"].negated
    assert {labels[r.entity] for r in events["return"].roles if r.name == "agent"} == {"two refugees"}


def test_no_interest_negates_the_embedded_event_and_keeps_its_agent(run):
    events, labels = run("The two defectors showed no interest in seeking asylum in Germany.")
    seek = events["seek asylum"]
    assert seek.type == "Migration" and seek.negated
    assert [labels[r.entity] for r in seek.roles if r.name == "agent"] == ["two defectors"]


def test_do_not_wish_negates_the_wished_event(run):
    events, _ = run("Some of the sailors do not wish to return to Manila.")
    assert events["return"].negated


def test_refusing_negates(run):
    events, _ = run("Siemens refused to sell the turbine unit.")
    assert events["sell"].negated


def test_may_might_could_are_hypothetical(run):
    events, _ = run("Officials said the rebels might attack the base.")
    assert events["attack"].modality == HYPOTHETICAL
    assert events["say"].modality == ASSERTED


def test_will_and_intention_are_planned(run):
    events, _ = run("The Pentagon will deploy troops to Poland. Nokia agreed to acquire Infinera.")
    assert events["deploy"].modality == PLANNED
    assert events["acquire"].modality == PLANNED
    assert events["agree"].modality == ASSERTED


def test_ready_to_is_planned(run):
    events, _ = run("Prime Minister Mark Rutte is ready to sign the accord.")
    assert events["sign"].modality == PLANNED


def test_if_clause_makes_both_events_conditional(run):
    events, _ = run("Norway offered to free the two fishermen if Russia arranges a swap.")
    assert events["free"].modality == CONDITIONAL
    assert events["swap"].modality == CONDITIONAL


def test_inverted_should_is_a_condition(run):
    events, _ = run("Should the ceasefire fail, Israel would resume its offensive.")
    assert events["offensive"].modality == CONDITIONAL


def test_negation_does_not_cross_a_reported_clause(run):
    events, _ = run("The minister did not say that troops had withdrawn from Kherson.")
    assert events["say"].negated
    assert not events["withdraw"].negated


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Pollsters predicted the ruling party to win most seats in the north.", "win"),
        ("The coalition is expected to win eighty seats.", "win"),
        ("Economists forecast that the bank would raise rates again.", "raise"),
    ],
)
def test_predicted_events_are_hypothetical(run, text, trigger):
    events, _ = run(text)
    assert events[trigger].modality == HYPOTHETICAL and not events[trigger].negated


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("No candidate won a majority in the first round.", "win"),
        ("Nobody was injured in the fire.", "injure"),
        ("The mayor's failure to obtain approval for the dam was criticised.", "obtain"),
        ("The ministry denied that soldiers had shot the farmers.", "shoot"),
    ],
)
def test_nobody_failure_and_denial_negate(run, text, trigger):
    events, _ = run(text)
    assert events[trigger].negated


def test_no_on_the_object_does_not_negate_a_nominal_subject(run):
    events, _ = run("The talks reached no agreement.")
    assert not events["talk"].negated and events["agreement"].negated


def test_saying_that_does_not_negate_or_hedge(run):
    events, _ = run("The ministry said that soldiers had shot the farmers.")
    assert not events["shoot"].negated and events["shoot"].modality == ASSERTED


def test_poised_to_is_planned_and_if_were_is_conditional(run):
    events, _ = run("The union is poised to strike next week.")
    assert events["strike"].modality == PLANNED
    events, _ = run("If the hostages were killed, the army would storm the building.")
    assert events["kill"].modality == CONDITIONAL


def test_talk_of_an_event_makes_it_hypothetical_and_is_no_meeting(run):
    events, _ = run("The town has seen growing talk of a takeover between Acme and Bolt.")
    assert events["takeover"].modality == HYPOTHETICAL
    assert "talk" not in events


def test_there_could_be_makes_the_named_events_hypothetical(run):
    events, _ = run("Next year there could be more bank deals coming.")
    assert events["deal"].modality == HYPOTHETICAL


def test_the_aim_is_to_is_planned(run):
    events, _ = run("The aim is to raise the profits of the new firm.")
    assert events["raise"].modality == PLANNED


def test_a_participle_clause_takes_the_modality_of_its_clause(run):
    events, _ = run("The storm could hit the coast, forcing thousands to flee.")
    assert events["force"].modality == HYPOTHETICAL
