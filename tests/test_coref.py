"""Tests for kg.extract.coref: descriptions, appositions, pronouns and metonyms to entities (names: test_name_links)."""

from __future__ import annotations

import pytest
from index_helpers import by_label, index_of, key_of_word

from kg.annotate import load_model


@pytest.fixture(scope="session")
def nlp():
    return load_model()


def test_korean_family_name_comes_first(nlp):
    doc, index = index_of(nlp, "Prime Minister Han Duck Soo met the envoys in Seoul. Han later said he was hopeful.")
    han = by_label(index, "Han Duck Soo")
    assert key_of_word(doc, index, "Han", 1) == han.key
    assert key_of_word(doc, index, "he") == han.key


def test_bare_acronym_and_description_join_organization(nlp):
    doc, index = index_of(
        nlp,
        "The Federal Grid Commission fined the utility. "
        "FGC inspectors found faults, and the commission said it would act.",
    )
    commission = by_label(index, "Federal Grid Commission")
    assert "FGC" in commission.names and "the commission" not in commission.names
    assert key_of_word(doc, index, "FGC") == commission.key
    assert key_of_word(doc, index, "commission") == commission.key
    assert key_of_word(doc, index, "it") == commission.key
    kinds = {m.text: m.kind for m in commission.mentions}
    assert kinds["the commission"] == "description" and kinds["it"] == "pronoun"


def test_the_company_is_the_nearest_company(nlp):
    doc, index = index_of(
        nlp, "Pemberton Holdings Ltd cut 200 jobs in Leeds. The company said demand for steel had fallen."
    )
    assert key_of_word(doc, index, "company") == by_label(index, "Pemberton Holdings Ltd").key


def test_the_country_in_an_apposition_with_a_leader(nlp):
    doc, index = index_of(
        nlp, "Talks with Venezuela stalled after the country's president, Nicolas Maduro, rejected the offer."
    )
    assert key_of_word(doc, index, "country") == by_label(index, "Venezuela").key
    assert key_of_word(doc, index, "president") == by_label(index, "Nicolas Maduro").key


def test_pronouns_agree_in_kind(nlp):
    doc, index = index_of(
        nlp,
        "Angela Merkel visited the Siemens plant in Munich. She praised its engineers, who said they were proud.",
    )
    assert key_of_word(doc, index, "She") == by_label(index, "Angela Merkel").key
    assert key_of_word(doc, index, "its") == by_label(index, "Siemens").key


@pytest.mark.parametrize(
    ("text", "pronoun", "antecedent"),
    [
        # a purpose clause's understood subject is the main subject: the congratulated one is someone else
        ("Pablo Ferrer conceded and said he had phoned Marco Varga to congratulate him.", "him", "Marco Varga"),
        ("Pablo Ferrer lost the vote and said he had called Marco Varga to congratulate him.", "him", "Marco Varga"),
        # after an object, an infinitive's understood subject is that object
        ("Tomas Berg met Olaf Rind. Berg asked Olaf Rind to brief him on the talks.", "him", "Tomas Berg"),
        # its own subject is still excluded
        ("Tomas Berg met Olaf Rind, and Rind thanked him.", "him", "Tomas Berg"),
    ],
)
def test_an_object_pronoun_is_not_its_verbs_understood_subject(nlp, text, pronoun, antecedent):
    doc, index = index_of(nlp, text)
    assert key_of_word(doc, index, pronoun) == by_label(index, antecedent).key


def test_possessive_country_description_finds_the_named_agency(nlp):
    text = (
        "Japan's Public Security Intelligence Agency published its annual report on Tuesday. "
        "Later, Japan's spy agency warned that cyber attacks had doubled."
    )
    doc, index = index_of(nlp, text)
    agency = [e for e in index.entities() if "Intelligence Agency" in e.label]
    assert len(agency) == 1
    assert key_of_word(doc, index, "agency") == agency[0].key


def test_capital_as_subject_is_its_country(nlp):
    doc, index = index_of(nlp, "Moscow denied the report. The talks were held in Moscow.")
    assert key_of_word(doc, index, "Moscow", 0) == by_label(index, "Russia").key
    assert key_of_word(doc, index, "Moscow", 1) == by_label(index, "Moscow").key
    assert "Moscow" not in by_label(index, "Russia").names


def test_descriptions_and_pronouns_are_never_names(nlp):
    _doc, index = index_of(nlp, "Pemberton Holdings Ltd cut 200 jobs. The company said it would hire again in spring.")
    company = by_label(index, "Pemberton Holdings Ltd")
    assert company.names == ("Pemberton Holdings Ltd",)
    assert {m.kind for m in company.mentions} == {"name", "description", "pronoun"}


def test_it_is_left_open_when_a_plain_noun_subject_competes(nlp):
    doc, index = index_of(
        nlp,
        "A strong tremor hit northern Chile on Monday. The epicenter lay 90 km north of Chile's capital. "
        "It had a depth of 10 km.",
    )
    assert key_of_word(doc, index, "It") is None


def test_them_is_left_open_after_a_nearer_plain_noun(nlp):
    doc, index = index_of(nlp, "The Red Cross sent nurses to Peru. The families bury their dead. They wash them first.")
    assert key_of_word(doc, index, "them") is None


def test_it_still_finds_the_company_that_is_the_subject(nlp):
    doc, index = index_of(nlp, "Acme Corp said on Monday it would cut 300 jobs. It has 5,000 staff.")
    assert key_of_word(doc, index, "It") == by_label(index, "Acme Corp").key


def test_the_combined_company_is_none_of_the_firms_before(nlp):
    doc, index = index_of(nlp, "Acme Corp bought Bolt Ltd in May. The combined company plans to cut prices.")
    assert key_of_word(doc, index, "company") is None


def test_the_team_and_the_singer_refer_back_to_their_names(nlp):
    doc, index = index_of(
        nlp,
        "The Harbour City Gulls signed Mara Velt on Monday. The team said the singer would perform at every home game.",
    )
    assert key_of_word(doc, index, "team") == by_label(index, "Harbour City Gulls").key
    assert key_of_word(doc, index, "singer") == by_label(index, "Mara Velt").key
