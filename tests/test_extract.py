"""End-to-end tests for kg.extract.extract on a short article written for these tests."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract import extract
from kg.records import CONDITIONAL, PLANNED, Article, Extraction

TEXT = (
    "GENEVA — Switzerland and Iran exchanged three detained engineers on Tuesday after mediation by Oman.\n\n"
    "The Swiss foreign ministry said two Swiss engineers had returned home. According to two diplomats, Iran "
    "will free a fourth prisoner next month if Switzerland releases a jailed businessman.\n\n"
    "A magnitude 5.9 earthquake struck eastern Iran late on Saturday. More than 40 people were injured, the "
    "Red Crescent said. Nestle agreed to buy the bottling unit for $2.3 billion."
)


@pytest.fixture(scope="module")
def article() -> Article:
    return Article(id="geneva-swap", text=TEXT, title="Swiss and Iranian prisoners swapped", date="2024-04-17")


@pytest.fixture(scope="module")
def extraction(article) -> Extraction:
    nlp = load_model()
    return extract(article, nlp(article.text))


@pytest.fixture(scope="module")
def events(extraction):
    return {event.trigger: event for event in extraction.events}


@pytest.fixture(scope="module")
def label(extraction):
    labels = {entity.key: entity.label for entity in extraction.entities}
    return lambda event, name: sorted(labels[r.entity] for r in event.roles if r.name == name)


def test_extraction_holds_the_article_entities_events_relations(extraction, article):
    assert extraction.article is article
    assert extraction.entities and extraction.events
    assert isinstance(extraction.relations, tuple)


def test_every_role_points_at_an_entity_or_a_phrase_and_every_event_has_its_sentence(extraction, article):
    keys = {entity.key for entity in extraction.entities}
    event_keys = [event.key for event in extraction.events]
    assert len(event_keys) == len(set(event_keys))
    for event in extraction.events:
        for role in event.roles:
            assert role.entity in keys or (role.entity is None and role.text)
            if role.start is not None:
                assert article.text[role.start : role.end] == role.text
        assert set(event.about) <= set(event_keys)
        evidence = event.evidence
        assert article.text[evidence.start : evidence.end] == evidence.sentence
        assert evidence.start <= event.start < event.end <= evidence.end


def test_exchange_parties_date_and_count(events, label):
    exchange = events["exchange"]
    assert exchange.type == "Exchange"
    assert label(exchange, "agent") == ["Iran", "Switzerland"]
    assert (exchange.date, exchange.time_text, exchange.quantity) == ("2024-04-16", "on Tuesday", 3)
    assert label(events["mediation"], "agent") == ["Oman"]


def test_reported_return_with_count_and_source(extraction, events, label):
    back = events["return"]
    assert back.quantity == 2
    assert label(back, "reportedBy") == ["Swiss foreign ministry"]
    (statement,) = [e for e in extraction.events if back.key in e.about]
    assert statement.type == "Statement" and label(statement, "agent") == ["Swiss foreign ministry"]


def test_planned_conditional_release_attributed_to_a_group(events, extraction):
    free = events["free"]
    assert free.type == "Release" and free.modality == CONDITIONAL
    assert free.date == "2024-05"
    sources = [r.entity for r in free.roles if r.name == "reportedBy"]
    groups = {entity.key: entity for entity in extraction.entities if entity.type == "Group"}
    assert sources and all(groups[key].role == "diplomat" for key in sources)


def test_disaster_injury_and_money(events, label):
    assert events["earthquake"].date == "2024-04-13"
    assert label(events["earthquake"], "place") == ["Iran"]
    injury = events["injure"]
    assert injury.quantity == 40 and label(injury, "reportedBy") == ["Red Crescent"]
    buy = events["buy"]
    assert (buy.amount, buy.currency, buy.modality) == (2_300_000_000, "USD", PLANNED)


def test_extraction_is_deterministic(article, extraction):
    nlp = load_model()
    again = extract(article, nlp(article.text))
    assert again.events == extraction.events
    assert again.entities == extraction.entities


def test_user_lexicon_file_changes_the_classes(article, tmp_path):
    extra = tmp_path / "lexicon.toml"
    extra.write_text('[verbs]\nTransfer = ["exchange"]\n[remove]\nnouns = ["earthquake"]\n', encoding="utf-8")
    nlp = load_model()
    custom = extract(article, nlp(article.text), lexicon=extra)
    triggers = {event.trigger: event.type for event in custom.events}
    assert triggers["exchange"] == "Transfer"
    assert "earthquake" not in triggers
