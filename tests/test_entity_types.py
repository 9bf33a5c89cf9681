"""Tests for kg.extract.entity_types: cue-word classes of organization and place names, and the vote that decides."""

from __future__ import annotations

from collections import Counter

import pytest

from kg.extract.entity_types import decide_type, organization_type, place_type


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Ministry of Finance", "GovernmentOrganization"),
        ("Competition Appeal Tribunal", "GovernmentOrganization"),
        ("Pemberton Holdings Ltd", "Company"),
        ("Green Valley Party", "PoliticalParty"),
        ("Kenya Defence Forces", "ArmedForce"),
        ("Ministry of Defence Forces Museum", "GovernmentOrganization"),
        ("Red Cross", "Organization"),
    ],
)
def test_organization_type_reads_cue_words(words, expected):
    assert organization_type(words.split())[0] == expected


def test_place_type_knows_regions_and_defaults():
    assert place_type("California", "GPE")[0] == "Region"
    assert place_type("Kherson region", "GPE")[0] == "Region"
    assert place_type("Santa Monica", "GPE")[0] == "City"
    assert place_type("Lake Placid shore", "LOC")[0] == "Place"


def test_decide_type_subclass_and_coarse_votes():
    assert decide_type(Counter({"Organization": 1, "Company": 3})) == "Company"
    assert decide_type(Counter({"Person": 3, "Organization": 5})) == "Organization"
    assert decide_type(Counter({"Country": 10, "City": 1})) == "Country"


def test_a_name_that_starts_with_a_given_name_is_a_person_whatever_ner_says():
    from index_helpers import by_label, index_of

    from kg.annotate import load_model

    _, index = index_of(load_model(), "Quillon fought Tony Vance in Berlin on Saturday. She moved to Virginia Beach.")
    assert by_label(index, "Tony Vance").type == "Person"
    assert by_label(index, "Virginia Beach").type != "Person"  # a place word at the end
