"""Tests for kg.extract.relations: leaderOf/position, partOf, memberOf, founderOf, locatedIn, nationality."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract.entity_pass import build_index
from kg.extract.relations import find_relations
from kg.records import Article
from kg.resolve.gazetteer import load_gazetteer


@pytest.fixture(scope="session")
def nlp():
    return load_model()


def facts_of(nlp, text):
    """Return the relations as (subject label, predicate, object label or literal) triples, and the raw records."""
    doc = nlp(text)
    index = build_index(doc, Article(id="t", text=text), load_gazetteer())
    relations = find_relations(doc, index, load_gazetteer())
    facts = {
        (index.entity(r.subject).label, r.predicate, r.object if r.literal else index.entity(r.object).label)
        for r in relations
    }
    return facts, relations


def test_part_of_from_country_modifiers(nlp):
    facts, _ = facts_of(
        nlp, "Japan's Defense Ministry said Russian troops shelled the town. The UAE foreign ministry agreed."
    )
    assert ("Defense Ministry", "partOf", "Japan") in facts
    assert ("Russian troops", "partOf", "Russia") in facts
    assert ("UAE foreign ministry", "partOf", "United Arab Emirates") in facts


def test_located_in_from_based_in_and_comma_places(nlp):
    facts, _ = facts_of(nlp, "Spotify, which is based in Stockholm, Sweden, posted a profit.")
    assert ("Spotify", "locatedIn", "Stockholm") in facts
    assert ("Stockholm", "locatedIn", "Sweden") in facts


def test_founder_and_membership(nlp):
    facts, _ = facts_of(
        nlp, "Jeff Bezos, who founded Amazon, bought a newspaper. Two senators from the Liberal Party voted no."
    )
    assert ("Jeff Bezos", "founderOf", "Amazon") in facts
    assert ("Two senators", "memberOf", "Liberal Party") in facts


def test_every_relation_carries_its_sentence(nlp):
    text = "Officials met in Oslo. French President Emmanuel Macron hosted the summit in Paris on Friday."
    _facts, relations = facts_of(nlp, text)
    assert relations
    for relation in relations:
        evidence = relation.evidence
        assert evidence is not None and text[evidence.start : evidence.end] == evidence.sentence
        assert evidence.sentence.startswith("French President")


def test_research_title_and_university_in_its_city(nlp):
    facts, _ = facts_of(
        nlp, "Lead Investigator Maria Lopez of the University of Oregon in Eugene, Oregon said the probe survived."
    )
    assert ("Maria Lopez", "position", "Lead Investigator") in facts
    assert ("Maria Lopez", "memberOf", "University of Oregon") in facts
    assert ("University of Oregon", "locatedIn", "Eugene") in facts
