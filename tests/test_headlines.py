"""Tests for kg.extract.headlines: title-case sentences and where a name in one ends."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract.headlines import body_names, headline_name_end, headline_name_parts, headline_verbs, is_title_case


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


def test_body_names_leave_out_title_case_lines(nlp):
    doc = nlp("Mara Velt Finally Enters Rehab Clinic\n\nThe singer Mara Velt entered a clinic in Denver on Monday.")
    names = body_names(list(doc), list(doc.sents), [e for e in doc.ents if e.label_ in ("PERSON", "GPE")])
    assert "mara velt" in names
    assert not any("finally" in name for name in names)


def test_a_headline_name_is_cut_to_the_name_the_body_uses():
    doc = load_model().make_doc("Mara Velt Finally Enters Rehab Clinic\n\nShe went in.")
    sentence = doc[0:6]
    tokens = list(doc)
    assert headline_name_parts(tokens, sentence, 0, 3, {"mara velt": "PERSON"}) == [(0, 2, "PERSON")]
    # Two body names inside one headline span give two names; a span the body does not use stays whole.
    assert headline_name_parts(tokens, sentence, 0, 3, {"mara": "PERSON", "finally": "ORG"}) == [
        (0, 1, "PERSON"),
        (2, 3, "ORG"),
    ]
    assert headline_name_parts(tokens, sentence, 0, 3, {"bram lind": "PERSON"}) == [(0, 3, None)]


def test_a_name_outside_a_headline_is_not_cut():
    doc = load_model().make_doc("Critics said Mara Velt Finally was the best song of the year.")
    tokens = list(doc)
    assert headline_name_parts(tokens, doc[0 : len(doc)], 2, 5, {"mara velt": "PERSON"}) == [(2, 5, None)]


def test_a_headline_keeps_the_name_the_body_uses(nlp):
    from index_helpers import index_of

    _, index = index_of(
        nlp,
        "Mara Velt Finally Enters Rehab Clinic\n\nThe singer Mara Velt entered a clinic in Denver on Monday, "
        "her agent said.",
    )
    labels = [e.label for e in index.entities()]
    assert "Mara Velt" in labels
    assert not any("Finally" in label for label in labels)


def test_headline_verbs_finds_the_verbs_a_title_case_line_hides(nlp):
    doc = nlp("Harbour Town Blaze Destroys Old Mill")
    sentence = next(iter(doc.sents))
    words = {doc[i].text: lemma for i, lemma in headline_verbs(list(doc), sentence).items()}
    assert words == {"Destroys": "destroy"}  # the first word is never taken for an imperative
    doc = nlp("Jon Brack Checks Into Rehab Clinic")
    words = {doc[i].text: lemma for i, lemma in headline_verbs(list(doc), next(iter(doc.sents))).items()}
    assert words == {"Checks": "check"}


def test_headline_verbs_reads_nothing_outside_title_case(nlp):
    doc = nlp("Jon Brack checks into a rehab clinic.")
    assert headline_verbs(list(doc), next(iter(doc.sents))) == {}
