"""What the entity-pass tests share: an article's EntityIndex built with the real model, and look-ups in it."""

from __future__ import annotations

from kg.extract.entity_pass import build_index
from kg.records import Article
from kg.resolve.gazetteer import load_gazetteer


def index_of(nlp, text):
    """Parse `text` and run the entity pass; returns (Doc, EntityIndex)."""
    doc = nlp(text)
    return doc, build_index(doc, Article(id="t", text=text), load_gazetteer())


def by_label(index, label):
    """Return the entity with this label (failing with the labels found when there is none)."""
    found = [e for e in index.entities() if e.label == label]
    assert found, f"no entity labelled {label!r} in {[e.label for e in index.entities()]}"
    return found[0]


def key_of_word(doc, index, word, nth=0):
    """Return the entity key the `nth` token spelled `word` refers to, or None."""
    tokens = [t for t in doc if t.text == word]
    return index.entity_for_token(tokens[nth])
