"""Tests for kg.extract.name_links: acronyms, surnames and short forms join the full name (through build_index)."""

from __future__ import annotations

import pytest
from index_helpers import by_label, index_of, key_of_word

from kg.annotate import load_model
from kg.extract.name_links import acronym


@pytest.fixture(scope="session")
def nlp():
    return load_model()


def test_acronym_skips_function_words():
    assert acronym("Competition and Markets Authority") == "CMA"
    assert acronym("Federal Grid Commission") == "FGC"
    assert acronym("Security Service of Ukraine") == "SSU"


def test_surname_joins_full_name(nlp):
    doc, index = index_of(nlp, "Chancellor Olaf Scholz arrived in Vienna on Monday. Scholz said the talks went well.")
    scholz = by_label(index, "Olaf Scholz")
    assert scholz.type == "Person" and set(scholz.names) == {"Olaf Scholz", "Scholz"}
    assert key_of_word(doc, index, "Scholz", 1) == scholz.key


def test_bracketed_acronym_introduction(nlp):
    doc, index = index_of(
        nlp, "The Northern Rail Safety Board (NRSB) opened an inquiry. NRSB investigators visited the depot on Friday."
    )
    board = [e for e in index.entities() if "NRSB" in e.names]
    assert len(board) == 1 and board[0].label == "Northern Rail Safety Board"


def test_short_company_name_joins_longer_name(nlp):
    doc, index = index_of(
        nlp,
        "Activision Blizzard, which publishes Call of Duty, reported higher sales. "
        "Shares of Activision rose 3% in New York.",
    )
    orgs = [e for e in index.entities() if e.label.startswith("Activision")]
    assert len(orgs) == 1 and set(orgs[0].names) == {"Activision Blizzard", "Activision"}


def test_capitalised_description_head_joins_the_organization_it_ends(nlp):
    _doc, index = index_of(
        nlp,
        "The European Commission opened an inquiry into Valvo. The Commission's antitrust chief said it would "
        "take months.",
    )
    commissions = [e for e in index.entities() if "Commission" in e.label]
    assert len(commissions) == 1
    assert set(commissions[0].names) == {"European Commission", "Commission"}


def test_surname_tagged_organization_twice_still_joins_the_full_name(nlp):
    # The small model tags both bare "Varga" ORG; only NER says so, so they are the surname of Tomas Varga.
    _doc, index = index_of(
        nlp,
        "Tomas Varga won the runoff on Sunday. Ruiz conceded and said she had called Varga. "
        "Varga, a former banker, has promised to cut taxes. The new president will take office in June.",
    )
    varga = by_label(index, "Tomas Varga")
    assert varga.type == "Person"
    assert set(varga.names) == {"Tomas Varga", "Varga"}
    assert not [e for e in index.entities() if e.label == "Varga"]


def test_a_surname_ner_tags_differently_each_time_joins_the_full_name(nlp):
    # The small model tags the lone surname ORG, PERSON and GPE in turn: one weak vote a mention.
    doc, index = index_of(
        nlp,
        "Lindsay Lohan entered a clinic in Denver on Monday. Lohan said the stay would be short. "
        "Lohan left the clinic on Friday, and Lohan later spoke to reporters.",
    )
    lohan = by_label(index, "Lindsay Lohan")
    assert all(key_of_word(doc, index, "Lohan", n) == lohan.key for n in range(4))


def test_a_surname_tagged_org_does_not_outvote_the_full_name(nlp):
    doc, index = index_of(
        nlp,
        "Wladimir Klitschko stopped Tony Thompson in the sixth round. Thompson said Klitschko was stronger. "
        "Thompson will fight again.",
    )
    thompson = by_label(index, "Tony Thompson")
    assert thompson.type == "Person"
    assert key_of_word(doc, index, "Thompson", 1) == thompson.key
