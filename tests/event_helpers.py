"""What the role, subject and sense tests share: extract a sentence with the real model, then read an event's roles."""

from __future__ import annotations

from kg.annotate import load_model
from kg.extract import extract
from kg.records import Article


def extractor(article_id: str = "roles"):
    """Return a function that parses and extracts one text (dated 2024-05-10) with the real spaCy model."""
    nlp = load_model()

    def extract_text(text: str):
        article = Article(id=article_id, text=text, date="2024-05-10")
        return extract(article, nlp(text))

    return extract_text


def events_of(extraction, trigger: str) -> list:
    """Return the events with this trigger, in text order."""
    return [event for event in extraction.events if event.trigger == trigger]


def event_of(extraction, trigger: str):
    """Return the first event with this trigger (failing with the events found when there is none)."""
    found = events_of(extraction, trigger)
    assert found, [(e.trigger, e.type) for e in extraction.events]
    return found[0]


def texts(event, name: str) -> list[str]:
    """Return the texts of the event's roles of this name, sorted."""
    return sorted(role.text or "" for role in event.roles if role.name == name)


def labels(extraction, event, name: str) -> list[str]:
    """Return the labels of the entities filling the event's roles of this name, sorted."""
    names = {entity.key: entity.label for entity in extraction.entities}
    return sorted(names[r.entity] for r in event.roles if r.name == name and r.entity is not None)
