"""Tests for kg.extract.genericity: generic, habitual and definitional clauses get modality Generic."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract import extract
from kg.records import ASSERTED, GENERIC_MODALITY, Article


@pytest.fixture(scope="module")
def run():
    nlp = load_model()

    def modalities(text: str) -> dict[str, str]:
        extraction = extract(Article(id="g", text=text, date="2024-05-10"), nlp(text))
        return {event.trigger: event.modality for event in extraction.events}

    return modalities


def test_a_definition_with_when_is_generic(run):
    found = run("A strike is when workers stop their work.")
    assert found["strike"] == GENERIC_MODALITY
    assert found["stop"] == GENERIC_MODALITY


def test_a_habitual_adverb_makes_the_clause_and_its_purpose_generic(run):
    found = run("Staff are often laid off in takeovers to cut costs.")
    assert found["lay off"] == GENERIC_MODALITY
    assert found["takeover"] == GENERIC_MODALITY
    assert found["cut"] == GENERIC_MODALITY


def test_a_proportion_subject_is_generic(run):
    found = run("Only one takeover in four brings real savings.")
    assert found["takeover"] == GENERIC_MODALITY
    assert found["bring"] == GENERIC_MODALITY


def test_a_bare_plural_with_can_and_its_participle_clause_are_generic(run):
    found = run("Firms can lose customers, resulting in lower sales.")
    assert found["lose"] == GENERIC_MODALITY
    assert found["sale"] == GENERIC_MODALITY


def test_two_present_clauses_joined_by_after_are_habitual(run):
    found = run("The virus spreads through contact, even after the patient dies.")
    assert found["die"] == GENERIC_MODALITY


def test_not_always_is_generic_and_not_negated():
    nlp = load_model()
    text = "That does not always work."
    event = extract(Article(id="g", text=text), nlp(text)).events[0]
    assert event.modality == GENERIC_MODALITY and not event.negated


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Several houses are reported to be damaged in the town.", "damage"),  # counted, and hearsay
        ("Police arrested three men in Lyon on Friday.", "arrest"),  # past tense
        ("Protesters are marching through the capital.", "march"),  # progressive: going on now
        ("Analysts say the merger will close soon.", "say"),  # a report of speech
    ],
)
def test_particular_events_stay_asserted(run, text, trigger):
    assert run(text)[trigger] != GENERIC_MODALITY


def test_a_headline_without_a_stop_is_not_generic(run):
    assert run("Rebels seize border town")["seize"] == ASSERTED
