"""Tests for kg.extract.headlines: title-case sentences and where a name in one ends."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract.headlines import headline_name_end, is_title_case


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_is_title_case_needs_three_capitalised_content_words(nlp):
    assert is_title_case(list(nlp.make_doc("Orchard Mills Buys Out Its Rival")))
    assert is_title_case(list(nlp.make_doc("Fire At The Old Mill Kills Two")))
    assert not is_title_case(list(nlp.make_doc("Orchard Mills bought its rival on Monday.")))
    assert not is_title_case(list(nlp.make_doc("Orchard Mills")))


def test_a_name_in_a_headline_ends_before_its_verb(nlp):
    doc = nlp("Orchard Mills Buys Out Its Rival")
    sentence = next(iter(doc.sents))
    assert headline_name_end(list(doc), sentence, 0, 4) == 2


def test_a_name_outside_a_headline_is_left_whole(nlp):
    doc = nlp("Analysts said Orchard Mills Buys Out was a slogan.")
    sentence = next(iter(doc.sents))
    assert headline_name_end(list(doc), sentence, 2, 6) == 6
