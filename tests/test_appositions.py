"""Tests for kg.extract.appositions: titles and nouns beside a name as mentions of the named entity."""

from __future__ import annotations

import pytest
from index_helpers import by_label, index_of, key_of_word

from kg.annotate import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_a_noun_in_apposition_describes_the_name(nlp):
    doc, index = index_of(
        nlp, "Bram Lind, a former swimmer, opened a school. Quillon Systems, the printer maker, said profits fell."
    )
    lind, quillon = by_label(index, "Bram Lind"), by_label(index, "Quillon Systems")
    assert {m.text: m.kind for m in lind.mentions}["a former swimmer"] == "description"
    assert key_of_word(doc, index, "maker") == quillon.key


def test_a_noun_that_does_not_fit_the_class_is_no_description(nlp):
    _, index = index_of(nlp, "Ada Lind, a medicine, was sold in Paris.")
    assert all(m.kind == "name" for e in index.entities() for m in e.mentions)


def test_coordinated_names_are_no_apposition(nlp):
    _, index = index_of(nlp, "Ada Lind, Bram Lind and Quillon Systems signed the deal.")
    assert all(m.kind == "name" for e in index.entities() for m in e.mentions)


def test_a_title_before_a_name_belongs_to_the_person(nlp):
    doc, index = index_of(nlp, "Ukrainian President Volodymyr Zelensky spoke on Monday.")
    assert key_of_word(doc, index, "President") == by_label(index, "Volodymyr Zelensky").key
