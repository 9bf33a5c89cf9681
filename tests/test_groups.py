"""Tests for kg.extract.groups: unnamed collectives with size, role and nationality, and references back to them."""

from __future__ import annotations

import pytest
from index_helpers import index_of

from kg.annotate import load_model
from kg.extract.groups import parse_number


@pytest.fixture(scope="session")
def nlp():
    return load_model()


def groups_of(index):
    return [e for e in index.entities() if e.type == "Group"]


def country_label(index, entity):
    return index.entity(entity.nationality).label if entity.nationality else None


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["two"], 2),
        (["34,000"], 34000),
        (["1.5", "million"], 1500000),
        (["twenty-five"], 25),
        (["three", "hundred"], 300),
        (["hundreds"], None),
        (["several"], None),
        (["banana"], None),
    ],
)
def test_parse_number(words, value):
    assert parse_number(words) == value


def test_numbered_group_with_nationality(nlp):
    _doc, index = index_of(nlp, "Three Ethiopian pilots were rescued from the lake on Tuesday.")
    (group,) = groups_of(index)
    assert (group.size, group.role, country_label(index, group)) == (3, "pilot", "Ethiopia")
    assert group.label == "Three Ethiopian pilots" and group.names == ()


def test_demonym_people_and_approximate_numbers(nlp):
    _doc, index = index_of(
        nlp, "Roughly 12,500 Syrians returned home last year, while hundreds of police officers watched."
    )
    syrians = next(g for g in groups_of(index) if g.role == "person")
    police = next(g for g in groups_of(index) if g.role == "police officer")
    assert syrians.size == 12500 and country_label(index, syrians) == "Syria"
    assert police.size is None and police.label == "hundreds of police officers"


def test_later_references_join_the_group(nlp):
    doc, index = index_of(
        nlp,
        "Four Chilean miners were trapped for a week. Rescuers reached the miners on Sunday. "
        "The four men were unharmed.",
    )
    miners = next(g for g in groups_of(index) if g.role == "miner")
    rescuers = next(g for g in groups_of(index) if g.role == "rescuer")
    assert miners.size == 4 and country_label(index, miners) == "Chile"
    men = next(t for t in doc if t.text == "men")
    assert index.entity_for_token(men) == miners.key
    second = [t for t in doc if t.text == "miners"][1]
    assert index.entity_for_token(second) == miners.key
    assert rescuers.key != miners.key


def test_repeated_phrase_is_one_group_and_other_sizes_are_not(nlp):
    text = (
        "Two Filipino sailors were freed on Monday. Officials confirmed that two Filipino sailors had reached Manila. "
        "Around 40 Filipino sailors remain held."
    )
    _doc, index = index_of(nlp, text)
    sailors = [g for g in groups_of(index) if g.role == "sailor"]
    assert sorted(g.size for g in sailors) == [2, 40]


def test_plural_pronoun_refers_to_group(nlp):
    doc, index = index_of(nlp, "Two legislators attended the hearing, and they said the vote was delayed.")
    (group,) = [g for g in groups_of(index) if g.role == "legislator"]
    they = next(t for t in doc if t.text == "they")
    assert index.entity_for_token(they) == group.key


def test_generic_plural_after_of_is_not_a_group(nlp):
    _doc, index = index_of(nlp, "The treaty covers the exchange of prisoners and the return of refugees.")
    assert groups_of(index) == []


@pytest.mark.parametrize(
    ("text", "size", "role"),
    [
        ("Forty bloggers from six countries wrote to the minister.", 40, "blogger"),
        ("Twelve gunmen stormed the depot at night.", 12, "gunman"),
        ("About 200 worshippers fled the mosque.", 200, "worshipper"),
    ],
)
def test_writers_campaigners_and_attackers_are_group_roles(nlp, text, size, role):
    _doc, index = index_of(nlp, text)
    assert [(g.size, g.role) for g in groups_of(index)] == [(size, role)]
