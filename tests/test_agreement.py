"""Tests for kg.extract.agreement: a person's gender and relative pronouns, as coreference uses them."""

from __future__ import annotations

import pytest
from index_helpers import by_label, index_of, key_of_word

from kg.annotate import load_model
from kg.extract.agreement import fits_gender
from kg.extract.index import Draft


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def test_fits_gender_only_rejects_a_known_other_gender():
    assert fits_gender(Draft(gender="female"), "female")
    assert not fits_gender(Draft(gender="male"), "female")
    assert fits_gender(Draft(), "female")  # gender unknown: any pronoun may mean the person
    assert fits_gender(Draft(gender="male"), None)  # "they", "the star": no gender asked


def test_she_skips_a_nearer_man_known_by_his_given_name(nlp):
    doc, index = index_of(
        nlp,
        "Mara Velt entered a clinic in Denver, her agent Jack Borrow told a magazine. "
        "Borrow did not say why. A friend said she went there on Tuesday.",
    )
    velt = by_label(index, "Mara Velt")
    assert key_of_word(doc, index, "she") == velt.key


def test_a_title_gives_the_gender(nlp):
    doc, index = index_of(nlp, "Mr. Okonjo met Ada Lind in Paris. She said he was late.")
    assert key_of_word(doc, index, "She") == by_label(index, "Ada Lind").key
    assert key_of_word(doc, index, "he") == by_label(index, "Okonjo").key


def test_the_actress_refers_back_to_the_woman_named(nlp):
    doc, index = index_of(
        nlp, "Mara Velt arrived with her lawyer, Tom Grady. Grady spoke first. The actress thanked the fans."
    )
    assert key_of_word(doc, index, "actress") == by_label(index, "Mara Velt").key


def test_relative_pronouns_are_mentions_of_the_noun_they_modify(nlp):
    doc, index = index_of(
        nlp,
        "Mara Velt, who won an award last year, entered a clinic. "
        "Quillon Systems, which makes printers, said profits fell.",
    )
    velt, quillon = by_label(index, "Mara Velt"), by_label(index, "Quillon Systems")
    assert {m.text: m.kind for m in velt.mentions}["who"] == "pronoun"
    assert {m.text: m.kind for m in quillon.mentions}["which"] == "pronoun"
    # The token itself stays unowned: role finders read a relative pronoun through its antecedent.
    assert key_of_word(doc, index, "who") is None


def test_a_relative_clause_on_a_common_noun_adds_no_mention(nlp):
    _, index = index_of(nlp, "The printer that Quillon Systems sold last year broke.")
    assert all(m.text != "that" for e in index.entities() for m in e.mentions)


def test_a_reflexive_is_the_subject_of_its_verb(nlp):
    doc, index = index_of(nlp, "Bram Lind, 52, hanged himself in his cell. Quillon Systems described itself as small.")
    assert key_of_word(doc, index, "himself") == by_label(index, "Bram Lind").key
    assert key_of_word(doc, index, "itself") == by_label(index, "Quillon Systems").key
