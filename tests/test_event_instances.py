"""Event coreference across articles (kg/resolve/event_instances.py): instance keys, and the graph they give."""

from __future__ import annotations

import pytest

from kg.pipeline import build, remove
from kg.records import (
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    ResolvedEntity,
    ResolvedExtraction,
    Role,
)
from kg.resolve.event_instances import date_bucket, event_instances
from kg.store import open_store

TEXT = "Brightwell bought Quarrytech in Oslo. The deal was big."


def _resolved(article_id, events, date=None, places=("Oslo",), companies=True):
    sentence = Evidence(TEXT, 0, len(TEXT))
    entities = []
    if companies:
        entities += [
            Entity("b", "Company", "Brightwell", ("Brightwell",), (Mention(0, 10, "Brightwell", evidence=sentence),)),
            Entity("q", "Company", "Quarrytech", ("Quarrytech",), (Mention(18, 28, "Quarrytech", evidence=sentence),)),
        ]
    # The place is mentioned twice, so it is what the article mentions most.
    entities += [Entity(p, "City", p, (p,), (Mention(32, 36, p), Mention(50, 54, p))) for p in places]
    extraction = Extraction(Article(article_id, TEXT, date=date), tuple(entities), tuple(events))
    iris = {e.key: ResolvedEntity(e.key, f"urn:x:{e.label}", e.type, e.label, e.names) for e in entities}
    return ResolvedExtraction(extraction, iris)


def _event(key, type_, trigger, start, roles=(), date=None):
    return Event(key, type_, trigger, start, start + len(trigger), Evidence(TEXT, 0, len(TEXT)), tuple(roles), date)


BOUGHT = _event("e1", "Acquisition", "buy", 11, [Role("agent", "b"), Role("patient", "q")])
DEAL = _event("e2", "Acquisition", "deal", 42)


def test_two_articles_telling_of_one_event_give_one_instance():
    one = event_instances(_resolved("one", [BOUGHT, DEAL]))
    two = event_instances(_resolved("two", [_event("x9", "Acquisition", "takeover", 11, [Role("patient", "q")])]))
    assert len(one) == 1 and one[0].mentions == ("e1", "e2")
    assert one[0].iri == two[0].iri
    assert one[0].participants == ("urn:x:Brightwell", "urn:x:Quarrytech")


def test_another_patient_or_week_is_another_instance():
    base = event_instances(_resolved("one", [BOUGHT], date="2024-05-06"))[0].iri
    other_patient = _event("e1", "Acquisition", "buy", 11, [Role("patient", "b")])
    assert event_instances(_resolved("two", [other_patient], date="2024-05-06"))[0].iri != base
    assert event_instances(_resolved("two", [BOUGHT], date="2024-05-12"))[0].iri == base  # same ISO week
    assert event_instances(_resolved("two", [BOUGHT], date="2024-05-13"))[0].iri != base


def test_a_chain_in_an_article_that_names_nothing_stays_in_its_article():
    lone = _event("e1", "Meeting", "meeting", 42)
    one = event_instances(_resolved("one", [lone], places=(), companies=False))
    two = event_instances(_resolved("two", [lone], places=(), companies=False))
    assert one[0].iri != two[0].iri


def test_statements_stay_in_their_article():
    said = _event("e1", "Statement", "say", 42, [Role("agent", "b")])
    assert event_instances(_resolved("one", [said]))[0].iri != event_instances(_resolved("two", [said]))[0].iri


def test_a_plain_event_is_keyed_by_its_trigger():
    ban = event_instances(_resolved("one", [_event("e1", "Event", "ban", 42, [Role("patient", "q")])]))
    veto = event_instances(_resolved("two", [_event("e1", "Event", "veto", 42, [Role("patient", "q")])]))
    again = event_instances(_resolved("three", [_event("e7", "Event", "ban", 11, [Role("patient", "q")])]))
    assert ban[0].iri != veto[0].iri and ban[0].iri == again[0].iri


def test_the_entity_the_article_mentions_most_stands_in_for_missing_participants_and_place():
    quake = _event("e1", "Disaster", "quake", 42)
    one = event_instances(_resolved("one", [quake]))
    two = event_instances(_resolved("two", [quake]))
    elsewhere = event_instances(_resolved("three", [quake], places=("Bergen",)))
    assert one[0].iri == two[0].iri != elsewhere[0].iri


def test_agents_and_places_named_in_one_article_only_do_not_split_the_event():
    # One raid, told three ways: by Brightwell, by Quarrytech, by no one named. Oslo, which each article
    # mentions most, anchors it; the agents are still its participants.
    by_b = event_instances(_resolved("one", [_event("e1", "Attack", "raid", 11, [Role("agent", "b")])]))
    by_q = event_instances(_resolved("two", [_event("e3", "Attack", "raid", 11, [Role("agent", "q")])]))
    unnamed = event_instances(_resolved("three", [_event("e5", "Attack", "raid", 11)]))
    assert by_b[0].iri == by_q[0].iri == unnamed[0].iri
    assert by_b[0].key == "Attack|urn:x:Oslo|"
    assert by_b[0].participants == ("urn:x:Brightwell",)
    # A named patient still tells two raids apart.
    on_q = event_instances(_resolved("four", [_event("e1", "Attack", "raid", 11, [Role("patient", "q")])]))
    assert on_q[0].iri != by_b[0].iri


def test_date_bucket():
    assert date_bucket("2024-05-06") == "2024-W19"
    assert date_bucket("2024-05") == "2024-05"
    assert date_bucket(None) == ""


INSTANCES = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
SELECT ?i (COUNT(DISTINCT ?a) AS ?sources) (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?i a kg:EventInstance ; kg:eventClass kg:Acquisition ; kg:reportedIn ?a ; kg:denotedBy ?m .
} GROUP BY ?i"""


@pytest.mark.slow
def test_one_acquisition_in_two_articles_is_one_node_until_one_article_is_removed():
    articles = [
        Article(
            "a1",
            "Orvane Holdings acquired Telsmith Labs on Monday. Orvane announced the deal in Paris.",
            date="2024-03-05",
        ),
        Article(
            "a2", "Telsmith Labs was acquired by Orvane Holdings, the companies said on Tuesday.", date="2024-03-06"
        ),
    ]
    store = open_store(None)
    build([], store, given_articles=articles)
    rows = store.select(INSTANCES)
    assert len(rows) == 1, rows
    assert int(rows[0]["sources"]) == 2
    remove(store, "a2")
    rows = store.select(INSTANCES)
    assert len(rows) == 1 and int(rows[0]["sources"]) == 1


def test_renaming_the_anchor_entity_re_mints_the_instance_as_if_it_had_the_new_iri():
    from kg import mapping
    from kg.resolve.event_instances import instance_iri
    from kg.store import ArticleWrite

    resolved = _resolved("one", [BOUGHT], date="2024-05-06")
    resolved = ResolvedExtraction(resolved.extraction, resolved.entities, tuple(event_instances(resolved)))
    (instance,) = resolved.instances
    assert instance.key == "Acquisition|urn:x:Quarrytech|2024-W19"
    graph = mapping.article_graph(resolved)
    store = open_store(None)
    store.write_article(ArticleWrite(graph.identifier, mapping.to_ntriples(graph)))
    store.rename("urn:x:Quarrytech", "urn:x:Quarrytech_Inc")
    fresh = instance_iri("Acquisition|urn:x:Quarrytech_Inc|2024-W19")
    query = (
        "PREFIX kg: <https://w3id.org/newskg/ontology#> "
        "SELECT ?i ?k ?m WHERE { ?m kg:instanceOf ?i . ?i kg:instanceKey ?k }"
    )
    rows = store.select(query)
    assert rows == [{"i": fresh, "k": "Acquisition|urn:x:Quarrytech_Inc|2024-W19", "m": rows[0]["m"]}]
    old = store.select(f"SELECT * WHERE {{ GRAPH ?g {{ <{instance.iri}> ?p ?o }} }}")
    assert old == []
