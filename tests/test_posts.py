"""Tests for kg.extract.posts: positions, leadership, membership by post, and nationality around names."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract.common import doc_view
from kg.extract.entity_pass import build_index
from kg.extract.posts import Collector, find_posts
from kg.records import Article
from kg.resolve.gazetteer import load_gazetteer


@pytest.fixture(scope="session")
def nlp():
    return load_model()


def facts_of(nlp, text):
    """Return the relations as (subject label, predicate, object label or literal) triples, and the raw records."""
    doc = nlp(text)
    index = build_index(doc, Article(id="t", text=text), load_gazetteer())
    found = Collector(doc_view(doc))
    find_posts(doc, doc_view(doc), index, found)
    relations = tuple(found.found.values())
    facts = {
        (index.entity(r.subject).label, r.predicate, r.object if r.literal else index.entity(r.object).label)
        for r in relations
    }
    return facts, relations


def test_title_before_name_gives_position_leader_and_nationality(nlp):
    facts, _ = facts_of(nlp, "French President Emmanuel Macron hosted the summit in Paris on Friday.")
    assert ("Emmanuel Macron", "position", "President") in facts
    assert ("Emmanuel Macron", "leaderOf", "France") in facts
    assert ("Emmanuel Macron", "nationality", "France") in facts


def test_title_apposition_with_possessive_owner(nlp):
    facts, _ = facts_of(nlp, "Sundar Pichai, Google's chief executive, said the firm would grow.")
    assert ("Sundar Pichai", "position", "chief executive") in facts
    assert ("Sundar Pichai", "leaderOf", "Google") in facts


def test_title_apposition_with_of_owner_is_not_membership(nlp):
    facts, _ = facts_of(nlp, "Rowan Pemberton, the longtime chairman of Pemberton Holdings Ltd, will retire in May.")
    assert ("Rowan Pemberton", "leaderOf", "Pemberton Holdings Ltd") in facts
    assert not any(p == "memberOf" for _s, p, _o in facts)


def test_leader_of_the_country_via_coreference(nlp):
    facts, _ = facts_of(
        nlp, "Talks with Venezuela stalled after the country's president, Nicolas Maduro, rejected the offer."
    )
    assert ("Nicolas Maduro", "leaderOf", "Venezuela") in facts


def test_head_of_state_title_takes_the_only_country_in_the_sentence(nlp):
    facts, _ = facts_of(nlp, "Brazilian prosecutors charged former President Jair Bolsonaro on Tuesday.")
    assert ("Jair Bolsonaro", "leaderOf", "Brazil") in facts
    facts, _ = facts_of(nlp, "Brazil and Argentina welcomed President Jair Bolsonaro on Tuesday.")
    assert not any(p == "leaderOf" for _s, p, _o in facts)


def test_company_title_takes_the_company_of_the_sentence(nlp):
    facts, _ = facts_of(nlp, "Chief executive Tim Cook opened the company's new campus, Apple said on Monday.")
    assert ("Tim Cook", "leaderOf", "Apple") in facts


@pytest.mark.parametrize(
    ("text", "person", "position", "owner"),
    [
        (
            "Ines Sorel, the Commission's competition chief, opened an inquiry into the merger.",
            "Ines Sorel",
            "competition chief",
            "European Commission",
        ),
        ("Nordvik Bank's risk director Ola Brenn resigned on Monday.", "Ola Brenn", "risk director", "Nordvik Bank"),
    ],
)
def test_a_post_inside_an_organization_is_membership_not_leadership(nlp, text, person, position, owner):
    facts, _ = facts_of(nlp, "The European Commission met on Monday. " + text)
    assert (person, "position", position) in facts
    assert (person, "memberOf", owner) in facts
    assert not any(s == person and p == "leaderOf" for s, p, _o in facts)


def test_title_only_gives_position_not_leadership(nlp):
    facts, _ = facts_of(nlp, "King Charles III opened the new session of parliament.")
    assert ("Charles III", "position", "King") in facts
    assert not any(p == "leaderOf" for _s, p, _o in facts)


@pytest.mark.parametrize(
    ("text", "person", "country"),
    [
        ("Kenyan runner Amos Kiprop won the race in Berlin.", "Amos Kiprop", "Kenya"),
        ("Police freed Canadian Mark Belling after a week.", "Mark Belling", "Canada"),
        ("Chilean poet and Acme Press columnist Ana Rojas was detained.", "Ana Rojas", "Chile"),
        ("Samuel Okafor of Nigeria was released from prison on Friday.", "Samuel Okafor", "Nigeria"),
    ],
)
def test_nationality_from_a_demonym_or_of_country(nlp, text, person, country):
    facts, _ = facts_of(nlp, text)
    assert (person, "nationality", country) in facts


def test_each_name_in_a_list_takes_its_own_demonym(nlp):
    facts, _ = facts_of(nlp, "Reporters Canadian Leo Marsh, Egyptian Omar Said, and Australian Ben Tully were jailed.")
    nationalities = {(s.split()[-1], o) for s, p, o in facts if p == "nationality"}
    assert {("Marsh", "Canada"), ("Said", "Egypt"), ("Tully", "Australia")} <= nationalities


def test_portfolio_title_before_a_name(nlp):
    facts, _ = facts_of(nlp, "Irish Minister for Home Affairs Clare Dunn announced the plan.")
    assert ("Clare Dunn", "position", "Minister for Home Affairs") in facts
    assert ("Clare Dunn", "nationality", "Ireland") in facts
    assert not any(p == "leaderOf" for _s, p, _o in facts)


def test_chief_of_an_organization_then_rank_leads_it(nlp):
    facts, _ = facts_of(nlp, "Chief of the National Water Agency Maj. Gen. Tariq Khan said the dams held.")
    assert ("Tariq Khan", "leaderOf", "National Water Agency") in facts
    assert ("Tariq Khan", "position", "Maj. Gen.") in facts


def test_spokesman_for_an_organization_is_a_member(nlp):
    facts, _ = facts_of(nlp, "A spokesman for the Interior Ministry, Ali Rahimi, denied the report.")
    assert ("Ali Rahimi", "memberOf", "Interior Ministry") in facts
    assert not any(p == "leaderOf" for _s, p, _o in facts)


def test_party_leader_does_not_lead_the_country(nlp):
    facts, _ = facts_of(nlp, "Conservative leader Tom Hale spoke in London about Britain.")
    assert ("Tom Hale", "position", "leader") in facts
    assert not any(p == "leaderOf" for _s, p, _o in facts)


def test_hyphenated_modifier_is_no_portfolio_and_story_country_is_the_owner(nlp):
    text = (
        "Moldova held a disputed vote in March. Moldova police later detained dozens of marchers. "
        "Crowds jeered the hard-line President Ion Vulpe in the capital."
    )
    facts, _ = facts_of(nlp, text)
    assert ("Ion Vulpe", "position", "President") in facts
    assert ("Ion Vulpe", "leaderOf", "Moldova") in facts


def test_no_story_country_when_two_countries_share_the_article(nlp):
    text = "Peru and Chile signed a pact. Peru and Chile will trade more. The hard-line President Ion Vulpe left early."
    facts, _ = facts_of(nlp, text)
    assert not any(p == "leaderOf" for _s, p, _o in facts)


def test_a_mayor_leads_the_city_and_a_spokesman_of_a_city_leads_nothing(nlp):
    facts, _ = facts_of(nlp, "Marie Dufresne, the mayor of Derry, said the square would reopen.")
    assert ("Marie Dufresne", "leaderOf", "Derry") in facts  # NER: ORG; "the mayor of" makes Derry a city
    facts, _ = facts_of(nlp, "Tom Reyes, the spokesman of Lyon, said the square would reopen.")
    assert not any(predicate == "leaderOf" for _, predicate, _ in facts)
