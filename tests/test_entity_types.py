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


def _types(text):
    from index_helpers import index_of

    from kg.annotate import load_model

    _, index = index_of(load_model(), text)
    return {entity.label: entity.type for entity in index.entities()}


@pytest.mark.parametrize(
    "text",
    [
        "Officers detained a courier in Lyon on Monday.",
        "Rain flooded several cellars in Derry overnight.",
        "Dozens of volunteers gathered near Belfast to clear the beach.",
    ],
)
def test_a_known_city_after_in_or_near_is_a_city_whatever_ner_says(text):
    name = next(word for word in ("Lyon", "Derry", "Belfast") if word in text)
    assert _types(text)[name] == "City"


def test_a_known_city_name_without_a_place_phrase_keeps_its_other_reading():
    assert _types("Jackson told the committee that the budget would not pass.")["Jackson"] == "Person"


def test_the_city_of_x_is_a_city_even_when_no_list_knows_it():
    assert _types("Floods cut off the town of Dunmore for three days.")["Dunmore"] == "City"  # NER: PERSON
    assert _types("A parcel bomb went off in a shop in the city of Lyon on Friday.")["Lyon"] == "City"  # NER: ORG
    assert _types("Marie Dufresne, the mayor of Derry, opened the bridge.")["Derry"] == "City"  # NER: ORG


def test_street_names_are_places_not_organizations():
    types = _types("Two bombs exploded at Oxford Street and the Harrowgate Road.")
    assert types["Oxford Street"] == "Place"
    assert types["Harrowgate Road"] == "Place"  # NER: ORG
