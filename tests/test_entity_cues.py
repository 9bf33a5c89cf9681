"""Tests for kg.extract.entity_cues: the cue-word file is read once into look-up sets."""

from __future__ import annotations

from kg.extract.entity_cues import load_cues


def test_cues_are_read_once_and_indexed():
    cues = load_cues()
    assert load_cues() is cues
    assert "president" in cues.positions
    assert all(kind in cues.org_words for kind in cues.org_priority)
