"""Tests for kg.extract.entity_cues: the cue-word file is read once into look-up sets."""

from __future__ import annotations

from kg.extract.entity_cues import load_cues


def test_cues_are_read_once_and_indexed():
    cues = load_cues()
    assert load_cues() is cues
    assert "president" in cues.positions
    assert all(kind in cues.org_words for kind in cues.org_priority)


def test_city_names_are_read_once_lower_case():
    from kg.extract.entity_cues import load_city_names

    names = load_city_names()
    assert load_city_names() is names
    assert {"lyon", "belfast", "zurich", "zürich"} <= names
    assert "london" in names and "velmora" not in names
