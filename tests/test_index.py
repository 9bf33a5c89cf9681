"""Tests for kg.extract.index: the EntityIndex API the event extractor relies on."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract.entity_pass import build_index
from kg.records import Article
from kg.resolve.gazetteer import load_gazetteer

TEXT = (
    "LISBON — Portugal's Maritime Authority said on Monday that three Moroccan fishermen rescued by Spanish forces "
    "had asked to stay in Spain. Prime Minister Luis Rocha said he would meet the men. "
    "The authority said it had informed Rabat, and the fishermen thanked Rocha."
)


@pytest.fixture(scope="session")
def nlp():
    return load_model()


@pytest.fixture(scope="session")
def built(nlp):
    doc = nlp(TEXT)
    return doc, build_index(doc, Article(id="t", text=TEXT), load_gazetteer())


def token(doc, word, nth=0):
    return [t for t in doc if t.text == word][nth]


def label_for(index, tok):
    key = index.entity_for_token(tok)
    return None if key is None else index.entity(key).label


def test_names_inside_and_heads(built):
    doc, index = built
    assert label_for(index, token(doc, "Maritime")) == "Maritime Authority"
    assert label_for(index, token(doc, "Authority")) == "Maritime Authority"
    assert label_for(index, token(doc, "Luis")) == "Luis Rocha"
    assert label_for(index, token(doc, "Rocha", 1)) == "Luis Rocha"
    assert label_for(index, token(doc, "Minister")) == "Luis Rocha"


def test_descriptions_pronouns_groups_and_collectives(built):
    doc, index = built
    assert label_for(index, token(doc, "authority")) == "Maritime Authority"
    assert label_for(index, token(doc, "it")) == "Maritime Authority"
    assert label_for(index, token(doc, "he")) == "Luis Rocha"
    fishermen = index.entity(index.entity_for_token(token(doc, "fishermen")))
    assert (fishermen.type, fishermen.size, fishermen.role) == ("Group", 3, "fisherman")
    assert index.entity(fishermen.nationality).label == "Morocco"
    assert index.entity_for_token(token(doc, "men")) == fishermen.key
    assert index.entity_for_token(token(doc, "fishermen", 1)) == fishermen.key
    forces = index.entity(index.entity_for_token(token(doc, "forces")))
    assert (forces.type, forces.label) == ("ArmedForce", "Spanish forces")


def test_metonym_and_places(built):
    doc, index = built
    assert label_for(index, token(doc, "Spain")) == "Spain"
    assert label_for(index, token(doc, "LISBON")) == "Lisbon"
    assert label_for(index, token(doc, "said")) is None


def test_entity_for_span_and_mention_at(built):
    doc, index = built
    start = TEXT.index("Portugal")
    assert index.entity(index.entity_for_span(start, start + len("Portugal"))).label == "Portugal"
    start = TEXT.index("three Moroccan fishermen")
    assert index.entity(index.entity_for_span(start, start + len("three Moroccan fishermen"))).type == "Group"
    mention = index.mention_at(token(doc, "it"))
    assert mention is not None and mention.kind == "pronoun" and mention.text == "it"
    assert TEXT[mention.evidence.start : mention.evidence.end] == mention.evidence.sentence
    assert index.mention_at(token(doc, "said")) is None


def test_entities_ordered_by_first_mention_and_deterministic(nlp, built):
    doc, index = built
    firsts = [e.mentions[0].start for e in index.entities() if e.mentions]
    assert firsts == sorted(firsts)
    again = build_index(nlp(TEXT), Article(id="t", text=TEXT), load_gazetteer())
    assert again.entities() == index.entities()
    for entity in index.entities():
        assert index.entity(entity.key) is entity


def test_country_key_adds_a_country_once(nlp):
    # Its own index: country_key adds entities, and the shared `built` one must stay as the pass left it.
    index = build_index(nlp(TEXT), Article(id="t", text=TEXT), load_gazetteer())
    key = index.country_key("Norwegian")
    assert index.entity(key).label == "Norway" and index.entity(key).type == "Country"
    assert index.country_key("Norway") == key
    assert index.country_key("Portugal") == next(e.key for e in index.entities() if e.label == "Portugal")
    assert index.country_key("banana") is None
