"""Tests for kg.extract.dateline: the dateline's place, on the article and on the events that soundly take it."""

from __future__ import annotations

import pytest
from event_helpers import event_of, extractor

from kg.annotate import load_model
from kg.extract.dateline import dateline_spans

extract_text = extractor("dateline")  # articles dated 2024-05-10, a Friday


def dateline_label(extraction):
    """Return the label of the extraction's dateline place (None when it has none)."""
    if extraction.dateline_place is None:
        return None
    return next(e.label for e in extraction.entities if e.key == extraction.dateline_place)


def dateline_places(extraction, trigger: str) -> list[str]:
    """Return the labels of the dateline places given to the first event with this trigger."""
    labels = {e.key: e.label for e in extraction.entities}
    return [labels[r.entity] for r in event_of(extraction, trigger).roles if r.name == "datelinePlace"]


def places(extraction, trigger: str) -> list[str]:
    """Return the labels of the stated places of the first event with this trigger."""
    labels = {e.key: e.label for e in extraction.entities}
    return [labels[r.entity] for r in event_of(extraction, trigger).roles if r.name == "place" and r.entity]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("TRIPOLI — Gunmen stormed a depot on Thursday.", ["TRIPOLI"]),
        ("ST. PAUL, Minn. — A tornado flattened a barn on Thursday.", ["ST. PAUL", "Minn."]),
        ("NAIROBI, Kenya (Reuters) - Rebels ambushed a convoy on Thursday.", ["NAIROBI", "Kenya"]),
        ("OSLO, May 9, 2024 — Fishermen blocked the harbour on Thursday.", ["OSLO"]),
        ("A caption under a photo of the harbour.\n\nOSLO — Fishermen blocked the harbour.", ["OSLO"]),
    ],
)
def test_dateline_spans_find_the_city_and_its_region(text, words):
    tokens = list(load_model()(text))
    spans = dateline_spans(tokens)
    assert [" ".join(t.text for t in tokens[s:e]).replace(" .", ".") for s, e, _ in spans] == words


@pytest.mark.parametrize(
    "text",
    [
        "FILE - Fishermen blocked the harbour on Thursday.",
        "WATCH: Fishermen blocked the harbour on Thursday.",
        "Fishermen blocked the harbour on Thursday in OSLO — a first.",
        "One.\n\nTwo.\n\nThree.\n\nOSLO — Fishermen blocked the harbour.",
    ],
)
def test_no_dateline_in_captions_labels_or_deep_in_the_story(text):
    assert dateline_spans(list(load_model()(text))) == []


def test_the_dateline_place_is_the_article_s_and_an_unplaced_attack_takes_it():
    ex = extract_text(
        "KABUL, Afghanistan — Insurgents attacked a police checkpoint on Thursday, killing three officers."
    )
    assert dateline_label(ex) == "Kabul"
    assert dateline_places(ex, "attack") == ["Kabul"]
    assert places(ex, "attack") == []


def test_a_place_stated_in_the_sentence_wins_and_the_dateline_is_not_added():
    ex = extract_text("KABUL — Insurgents attacked a police checkpoint in Herat on Thursday.")
    assert dateline_places(ex, "attack") == []


def test_a_sentence_naming_another_country_keeps_its_events_off_the_dateline():
    ex = extract_text("SEOUL — Japan detained two fishermen on Thursday.")
    assert dateline_places(ex, "detain") == []


def test_a_described_place_keeps_its_events_off_the_dateline():
    ex = extract_text("CAIRO — Two soldiers were killed in the border region on Thursday.")
    assert dateline_places(ex, "kill") == []


def test_statements_reported_and_quoted_events_take_no_dateline_place():
    ex = extract_text(
        "LAGOS — The governor said on Thursday that gunmen abducted nine pupils.\n\n"
        '"They burned the market," a trader said.'
    )
    assert dateline_places(ex, "say") == []
    assert dateline_places(ex, "abduct") == []
    assert dateline_places(ex, "burn") == []


def test_background_events_take_no_dateline_place():
    ex = extract_text(
        "MANILA — Police arrested a ferry captain on Thursday.\n\n"
        "The captain had fled after the ship sank. A typhoon flattened the pier in 2019."
    )
    assert dateline_places(ex, "arrest") == ["Manila"]
    assert dateline_places(ex, "flee") == []
    assert dateline_places(ex, "typhoon") == []
    assert dateline_places(ex, "flatten") == []


def test_no_dateline_means_no_dateline_place():
    ex = extract_text("Insurgents attacked a police checkpoint on Thursday.")
    assert ex.dateline_place is None
    assert dateline_places(ex, "attack") == []


def test_even_the_dateline_city_s_own_country_keeps_its_events_off_the_dateline():
    ex = extract_text("LIMA — Peru's voters defeated the measure on Thursday.")
    assert dateline_places(ex, "defeat") == []


def test_a_region_struck_keeps_the_damage_off_the_dateline():
    ex = extract_text("LIMA — A storm hit the Paracas peninsula on Thursday, destroying a pier.")
    assert dateline_places(ex, "destroy") == []


def test_country_wide_plural_and_reported_events_take_no_dateline_place():
    ex = extract_text(
        "RABAT — The king declared a week of national mourning on Thursday.\n\n"
        "Two protests took place on Thursday.\n\n"
        "The minister said on Thursday that he had agreed to face an inquiry."
    )
    assert dateline_places(ex, "mourning") == []
    assert dateline_places(ex, "protest") == []
    assert dateline_places(ex, "inquiry") == []
