"""Tests for kg.extract.triggers: the packaged trigger lexicon, its look-ups and user lexicon files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.extract.triggers import LexiconError, load_triggers

REQUIRED_CLASSES = {
    "Statement", "Capture", "Attack", "Death", "Injury", "Migration", "Exchange", "Transfer", "Deployment",
    "Meeting", "Agreement", "Questioning", "Acquisition", "Election", "LegalAction", "Disaster", "Launch",
    "Declaration", "Protest",
}  # fmt: skip
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "newskg.ttl"


@pytest.fixture(scope="module")
def lexicon():
    return load_triggers()


def test_lexicon_has_at_least_300_lemmas(lexicon):
    assert lexicon.size() >= 300


def test_every_required_class_has_verbs_or_nouns(lexicon):
    assert lexicon.classes() >= REQUIRED_CLASSES


def test_every_class_is_declared_in_the_ontology(lexicon):
    declared = set(re.findall(r"^kg:(\w+) a owl:Class", ONTOLOGY.read_text(encoding="utf-8"), re.M))
    assert lexicon.classes() - declared == set()


@pytest.mark.parametrize(
    ("lemma", "pos", "expected"),
    [
        ("detain", "VERB", "Capture"),
        ("capture", "verb", "Capture"),
        ("earthquake", "NOUN", "Disaster"),
        ("takeover", "NOUN", "Acquisition"),
        ("questioning", "NOUN", "Questioning"),
        ("declaration", "NOUN", "Declaration"),
        ("declare", "VERB", "Declaration"),
        ("unveil", "VERB", "Launch"),
        ("free", "VERB", "Release"),
        ("return", "VERB", "Return"),
        ("send", "VERB", "Transfer"),
        ("clear", "VERB", "Approval"),
        ("Talk", "NOUN", "Meeting"),
        ("say", "NOUN", None),
        ("table", "NOUN", None),
        ("detain", "ADJ", None),
    ],
)
def test_lookup(lexicon, lemma, pos, expected):
    assert lexicon.lookup(lemma, pos) == expected


def test_phrases(lexicon):
    assert lexicon.lookup_phrase("seek", "asylum", "VERB") == "Migration"
    assert lexicon.lookup_phrase("hand", "over", "VERB") == "Transfer"
    assert lexicon.lookup_phrase("death", "toll", "NOUN") == "Death"
    assert lexicon.lookup_phrase("death", "toll", "VERB") is None


def test_syntax_lists(lexicon):
    assert lexicon.has("light_verbs", "carry out")
    assert lexicon.has("subject_light_verbs", "strike")
    assert lexicon.has("object_control_verbs", "order")
    assert lexicon.has("patient_subject_verbs", "die")
    assert lexicon.has("recipient_classes", "Transfer")
    assert not lexicon.has("light_verbs", "detain")
    assert lexicon.has("change_of_state_verbs", "fall")
    assert lexicon.has("non_event_verbs", "accord")
    assert lexicon.has("possessor_patient_classes", "Capture")
    assert not lexicon.has("possessor_patient_classes", "Acquisition")


def test_nouns_of_no_finer_class_are_plain_events(lexicon):
    assert lexicon.lookup("bankruptcy", "NOUN") == "Event"
    assert lexicon.lookup("flight", "NOUN") == "Movement"
    assert lexicon.lookup("contract", "NOUN") is None  # the document, not the agreeing


def test_senses_pick_a_class_by_object(lexicon):
    assert lexicon.senses["release"] == {"person": "Release", "thing": "Launch"}


def test_bad_senses_entry_is_reported(tmp_path):
    bad = tmp_path / "senses.toml"
    bad.write_text('[senses]\nrelease = { animal = "Rescue" }\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="senses"):
        load_triggers(bad)


def test_user_lexicon_overrides_adds_and_removes(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[verbs]\nLegalAction = ["detain"]\nProtest = ["picket"]\n'
        '[nouns]\nMeeting = ["huddle"]\n'
        '[remove]\nverbs = ["strike"]\n'
        '[syntax]\nlight_verbs = ["Orchestrate"]\n',
        encoding="utf-8",
    )
    custom = load_triggers(extra)
    assert custom.lookup("detain", "VERB") == "LegalAction"
    assert custom.lookup("picket", "VERB") == "Protest"
    assert custom.lookup("huddle", "NOUN") == "Meeting"
    assert custom.lookup("strike", "VERB") is None
    assert custom.lookup("strike", "NOUN") == "Attack"
    assert custom.has("light_verbs", "orchestrate") and custom.has("light_verbs", "complete")
    assert load_triggers().lookup("detain", "VERB") == "Capture"


def test_missing_or_broken_user_lexicon_is_reported(tmp_path):
    with pytest.raises(LexiconError, match="no such lexicon"):
        load_triggers(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[verbs\nCapture = 3", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid TOML"):
        load_triggers(broken)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[verbs]\nCapture = "detain"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="list of strings"):
        load_triggers(wrong)


def test_a_subject_undergoes_die_and_pass_away_but_not_pass():
    lexicon = load_triggers()
    assert lexicon.subject_undergoes("die", "die")
    assert lexicon.subject_undergoes("pass", "pass away")
    assert not lexicon.subject_undergoes("pass", "pass")
