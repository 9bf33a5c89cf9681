"""Tests for kg.extract.subjects (through kg.extract.events): whose subject a verb has, written or inherited.

Every sentence is written for these tests; each names the construction it checks.
"""

from __future__ import annotations

import pytest
from event_helpers import event_of, extractor, texts


@pytest.fixture(scope="module")
def run():
    return extractor("roles")


def test_the_speaker_after_a_quote_is_the_agent_not_the_quote(run):
    ex = run('"Total chaos," said Mark Fenwick, a union leader and mayor of Dunmore.')
    said = event_of(ex, "say")
    assert texts(said, "agent") == ["Mark Fenwick"]


def test_a_participle_after_a_relative_clause_belongs_to_that_clause(run):
    ex = run("Police found a parcel holding a device that exploded on Monday, wounding six people near the station.")
    wound = event_of(ex, "wound")
    assert texts(wound, "agent") == []  # the police found the parcel; the device wounded the six
    assert texts(wound, "patient") == ["six people"]
    assert texts(event_of(ex, "explode"), "agent") == []


def test_an_abstract_noun_never_acts_and_an_accused_object_does(run):
    ex = run("The inquiry accused the police of missing several chances to stop the gang.")
    stop = event_of(ex, "stop")
    assert texts(stop, "agent") == ["the police"]
    ex = run("Nobody knows what the best way is to counter the small drones.")
    assert texts(event_of(ex, "counter"), "agent") == []


def test_a_noun_with_a_participle_and_a_by_phrase_undergoes_it(run):
    ex = run("The alleged gunman, Tom Vale – shot dead by officers – had worked at the depot.")
    shoot = event_of(ex, "shoot")
    assert texts(shoot, "agent") == ["officers"]
    assert texts(shoot, "patient") == ["Tom Vale"]


def test_a_description_split_off_the_name_is_no_second_subject(run):
    ex = run("The Japanese electronics manufacturer Sony has said that it will cut staff.")
    assert texts(event_of(ex, "say"), "agent") == ["Sony"]


def test_a_speech_about_a_deal_gives_the_speaker_no_part_in_it(run):
    ex = run("Mayor Ruth Ames protested at a meeting about the contract to close the mill.")
    assert texts(event_of(ex, "close"), "agent") == []


def test_a_participle_tagged_as_a_past_tense_still_names_who_underwent_it(run):
    ex = run('The statement said: "we mourn with the families of the four U.S. sailors killed and of those hurt."')
    kill = event_of(ex, "kill")
    assert texts(kill, "agent") == []
    assert texts(kill, "patient") == ["the four U.S. sailors"]


def test_a_possessor_of_a_decision_does_what_was_decided(run):
    ex = run("The council's decision to sell the stadium surprised fans.")
    assert texts(event_of(ex, "sell"), "agent") == ["The council"]


def test_a_run_on_list_before_a_verb_leaves_the_last_name_as_subject(run):
    ex = run(
        "Rescue Unit Nine, Harbor Patrol Command, Coast Guard Station Delta, Coast Guard spokesman Ivo Marsh, said "
        "the search had ended."
    )
    assert texts(event_of(ex, "say"), "agent") == ["Coast Guard spokesman Ivo Marsh"]


def test_seeing_someone_leave_makes_them_the_one_who_leaves(run):
    ex = run("Neighbours saw Dara Quint climb the fence and later walk into the woods.")
    assert texts(event_of(ex, "walk"), "agent") == ["Dara Quint"]


def test_what_is_used_to_carry_does_not_carry(run):
    ex = run("The old trucks were used by the gang to move stolen cars.")
    assert texts(event_of(ex, "move"), "agent") == ["the gang"]


def test_a_headline_past_form_with_as_by_or_a_controlled_infinitive_is_passive(run):
    ex = run("Jane Doe appointed as Northwind chief\nThe board met on Monday.")
    appoint = event_of(ex, "appoint")
    assert texts(appoint, "agent") == []
    assert texts(appoint, "patient") == ["Jane Doe"]
    ex = run("Quill Motors selected to buy rival carmaker\nThe deal was signed on Friday.")
    assert texts(event_of(ex, "select"), "patient") == ["Quill Motors"]
    assert texts(event_of(ex, "buy"), "agent") == ["Quill Motors"]
    ex = run("Acme swamped by phone orders\nThe shop opened early.")
    assert texts(event_of(ex, "swamp"), "patient") == ["Acme"]


def test_a_past_form_in_running_text_or_with_a_subject_control_verb_stays_active(run):
    ex = run("Jane Doe appointed two deputies as advisers.")
    assert texts(event_of(ex, "appoint"), "agent") == ["Jane Doe"]
    ex = run("Acme agreed to buy a rival carmaker\nThe deal was signed on Friday.")
    assert texts(event_of(ex, "agree"), "agent") == ["Acme"]
    ex = run("The board selected Quill Motors to buy the unit.")
    assert texts(event_of(ex, "select"), "agent") == ["The board"]
    assert texts(event_of(ex, "buy"), "agent") == ["Quill Motors"]


def test_the_one_quoted_as_saying_is_the_speaker(run):
    ex = run("The Daily Post quoted Jane Doe as saying that the plant would close.")
    assert texts(event_of(ex, "say"), "agent") == ["Jane Doe"]
    ex = run("Reuters cited a company spokesman as saying the talks had failed.")
    assert texts(event_of(ex, "say"), "agent") == ["a company spokesman"]


def test_an_infinitive_the_parse_hangs_on_an_object_control_verb_is_the_objects(run):
    ex = run("When the navy selected Acme on Monday to build the ships, Bolt protested.")
    assert texts(event_of(ex, "build"), "agent") == ["Acme"]
