"""Tests for kg.extract.senses (through kg.extract.events): the class of an ambiguous trigger in its context.

Every sentence is written for these tests; each names the construction it checks.
"""

from __future__ import annotations

import pytest
from event_helpers import event_of, events_of, extractor, texts


@pytest.fixture(scope="module")
def run():
    return extractor("roles")


def test_an_explosion_near_a_bomb_is_an_attack_and_elsewhere_a_disaster(run):
    attack = run("A parcel bomb caused an explosion outside the town hall on Monday.")
    assert event_of(attack, "explosion").type == "Attack"
    accident = run("A gas leak caused an explosion in the bakery on Monday.")
    assert event_of(accident, "explosion").type == "Disaster"


def test_detonated_and_went_off_are_attacks(run):
    ex = run("Rebels detonated two mines on the road. Another charge went off near the bridge.")
    assert event_of(ex, "detonate").type == "Attack"
    assert event_of(ex, "go off").type == "Attack"


def test_fire_with_a_pronoun_object_is_a_dismissal(run):
    ex = run("If the union strikes, the owners will fire us.")
    assert event_of(ex, "fire").type == "Dismissal"


def test_losing_a_job_is_a_dismissal(run):
    ex = run("Forty clerks lost their jobs last week.")
    assert event_of(ex, "lose job").type == "Dismissal"


def test_urge_ask_and_call_on_are_requests(run):
    ex = run("The mayor urged residents to stay indoors and asked drivers to avoid the bridge.")
    assert event_of(ex, "urge").type == "Request"
    assert event_of(ex, "ask").type == "Request"


def test_a_record_high_is_no_attack_and_stepping_in_no_resignation(run):
    ex = run("The index hit a record high on Friday. A neighbour stepped in to help the family.")
    assert event_of(ex, "hit record").type == "Increase"
    assert all(event.type != "Resignation" for event in ex.events)


def test_came_under_fire_is_no_disaster(run):
    ex = run("The minister came under fire for the delay.")
    assert all(event.type != "Disaster" for event in ex.events)


def test_finer_classes_refine_the_vocabulary_classes(run):
    ex = run("Police arrested the treasurer in March. Prosecutors charged her, and Ana Ruiz's trial opens soon.")
    assert event_of(ex, "arrest").type == "Arrest"
    assert event_of(ex, "charge").type == "Charge"
    trial = event_of(ex, "trial")
    assert trial.type == "Trial"
    assert texts(trial, "patient") == ["Ana Ruiz"]  # the possessor of a trial is the defendant


def test_a_team_beating_another_is_a_contest_with_winner_and_loser(run):
    ex = run("Real Oviedo defeated Sporting Gijon 3-1 on Saturday.")
    contest = event_of(ex, "defeat")
    assert contest.type == "Contest"
    assert texts(contest, "agent") == ["Real Oviedo"]
    assert [text.split(" 3")[0] for text in texts(contest, "patient")] == ["Sporting Gijon"]  # the score may cling


def test_a_share_of_the_vote_is_no_event(run):
    ex = run("The mayor won 61% of the vote.")
    assert events_of(ex, "vote") == []


def test_a_unit_that_set_off_bombs_acts_and_is_no_instrument(run):
    ex = run("By nightfall the northern brigade had detonated a dozen mines along the road.")
    detonate = event_of(ex, "detonate")
    assert texts(detonate, "agent") == ["the northern brigade"]
    assert texts(detonate, "instrument") == ["a dozen mines"]


def test_declined_to_comment_is_a_refusal_by_its_subject_not_a_fall(run):
    ex = run("Nadia Okafor declined to comment on the leaked memo.")
    refusal = event_of(ex, "decline")
    assert refusal.type == "Rejection"
    assert [r.name for r in refusal.roles if r.entity] == ["agent"]
    assert event_of(ex, "comment").negated


def test_a_decline_with_no_infinitive_after_it_is_still_a_fall(run):
    assert event_of(run("Grain exports declined four percent in March."), "decline").type == "Decrease"


def test_refused_to_is_a_rejection(run):
    assert event_of(run("The council refused to publish the audit."), "refuse").type == "Rejection"


def test_a_fall_before_a_to_infinitive_keeps_its_subject_as_what_fell(run):
    fall = event_of(run("Shares of Vantor Mining fell to close at twelve dollars."), "fall")
    assert fall.type == "Decrease"
    assert {r.name for r in fall.roles if r.name in ("agent", "patient")} == {"patient"}
