"""Tests for kg.extract.roles (through kg.extract.events): roles on constructions of real news.

Every sentence is written for these tests; each names the construction it checks.
"""

from __future__ import annotations

import pytest
from event_helpers import event_of, events_of, extractor, labels, texts


@pytest.fixture(scope="module")
def run():
    return extractor("roles")


# -- roles --------------------------------------------------------------------------------------------------------
def test_a_bomb_as_subject_is_the_instrument_not_the_agent(run):
    ex = run("A car bomb killed nine soldiers near the border.")
    death = event_of(ex, "kill")
    assert texts(death, "agent") == []
    assert texts(death, "instrument") == ["A car bomb"]


def test_bare_numbers_are_patients_of_counting_classes(run):
    ex = run("The gunmen killed four and injured another 12.")
    assert texts(event_of(ex, "injure"), "patient") == ["another 12"]
    ex = run("Seven were wounded in the riot.")
    assert texts(event_of(ex, "wound"), "patient") == ["Seven"]


def test_nominal_patients_on_against_and_to(run):
    ex = run("Militants carried out attacks on two checkpoints. The crash caused injuries to six passengers.")
    assert texts(event_of(ex, "attack"), "patient") == ["two checkpoints"]
    assert texts(event_of(ex, "injury"), "patient") == ["six passengers"]


def test_an_acronym_before_a_nominal_attack_is_its_agent(run):
    ex = run("Dozens of villagers died in FLX raids last spring.")
    assert texts(event_of(ex, "raid"), "agent") == ["FLX"]


def test_movers_are_agents(run):
    ex = run("Ms Okafor flew to Lagos and arrived on Tuesday.")
    assert texts(event_of(ex, "fly"), "agent") == ["Ms Okafor"]
    assert texts(event_of(ex, "arrive"), "patient") == []


def test_a_passive_conjunct_keeps_the_subject_as_patient(run):
    ex = run("The accountant was arrested and charged with theft.")
    assert texts(event_of(ex, "charge"), "patient") == ["The accountant"]
    assert texts(event_of(ex, "charge"), "agent") == []


def test_the_people_listed_after_including_are_patients(run):
    ex = run("Several journalists were detained, including Mark Dunn and Lisa Ferro.")
    assert {"Mark Dunn", "Lisa Ferro"} <= set(labels(ex, event_of(ex, "detain"), "patient"))


def test_a_name_in_apposition_wins_over_its_description(run):
    ex = run("The finance minister, Rosa Albrecht, announced the plan.")
    assert texts(event_of(ex, "announce"), "agent") == ["Rosa Albrecht"]


def test_the_winner_of_an_election_is_its_agent(run):
    ex = run("Tomas Varga was declared the winner of the election.")
    assert labels(ex, event_of(ex, "election"), "agent") == ["Tomas Varga"]


def test_merging_with_makes_the_subject_agent_and_the_partner_patient(run):
    ex = run("Brightline merged with Coastal Rail in 2019.")
    merge = event_of(ex, "merge")
    assert texts(merge, "agent") == ["Brightline"]
    assert texts(merge, "patient") == ["Coastal Rail"]


def test_light_verbs_result_in_and_carried_out_by(run):
    ex = run("The attack was carried out by the Northern Front.")
    assert texts(event_of(ex, "attack"), "agent") == ["the Northern Front"]
    ex = run("The storm resulted in the deaths of three fishermen in Galway.")
    death = event_of(ex, "death")
    assert texts(death, "patient") == ["three fishermen"]
    assert labels(ex, death, "place") == ["Galway"]


def test_place_through_an_apposition_and_on_a_copula(run):
    ex = run("Police broke up a protest in the capital, Minsk, on Sunday.")
    assert labels(ex, event_of(ex, "protest"), "place") == ["Minsk"]
    ex = run("The final is in Lisbon on Sunday.")
    assert labels(ex, event_of(ex, "final"), "place") == ["Lisbon"]


def test_predicative_dead_and_injured_are_events(run):
    ex = run("Twelve people were dead after the collapse. The blast left 30 residents injured.")
    assert event_of(ex, "dead").type == "Death"
    assert texts(event_of(ex, "dead"), "patient") == ["Twelve people"]
    assert texts(event_of(ex, "injure"), "patient") == ["30 residents"]
    assert events_of(ex, "leave") == []  # "left them injured" tells of the injuries, not of anyone leaving


def test_title_case_headline_nouns_are_triggers(run):
    ex = run("Court Hears Appeal Over Harbour Bombing\nThe appeal opened on Monday.")
    assert event_of(ex, "bombing").type == "Attack"


def test_a_reporting_verb_takes_back_the_name_before_it(run):
    ex = run("Speaking to reporters in Cairo, the agency's chief, Ahmed Samir, said the road would reopen.")
    said = event_of(ex, "say")
    assert labels(ex, said, "agent") == ["Ahmed Samir"]


def test_a_conjunct_of_an_apposition_is_no_second_agent(run):
    ex = run("Ruth Okafor, the former auditor and a longtime critic of the board, said the accounts were wrong.")
    assert texts(event_of(ex, "say"), "agent") == ["Ruth Okafor"]


def test_the_subject_of_suffer_undergoes_the_nominal_event(run):
    ex = run("Officials said 40 passengers had suffered light injuries in the crash.")
    injury = event_of(ex, "injury")
    assert texts(injury, "patient") == ["40 passengers"]
    assert texts(injury, "agent") == []


def test_detonated_bombs_are_instruments_not_patients(run):
    ex = run("The militants detonated at least twenty bombs across the city on Friday.")
    detonate = event_of(ex, "detonate")
    assert texts(detonate, "patient") == []
    assert texts(detonate, "instrument") == ["at least twenty bombs"]
    assert texts(detonate, "agent") == ["The militants"]


def test_a_country_possessor_of_protests_is_their_place(run):
    ex = run("Peru's street protests have been fuelled by poverty.")
    protest = event_of(ex, "protest")
    assert texts(protest, "agent") == []
    assert labels(ex, protest, "place") == ["Peru"]


def test_the_on_phrase_of_blame_is_not_the_target_of_the_attack(run):
    ex = run("Several critics blamed the attack on rebel fighters.")
    assert texts(event_of(ex, "attack"), "patient") == []
    ex = run("Rebels launched an attack on the garrison.")
    assert texts(event_of(ex, "attack"), "patient") == ["the garrison"]


def test_committing_a_crime_is_no_agreement(run):
    ex = run("He was charged with conspiracy to commit a crime.")
    assert [e for e in ex.events if e.type == "Agreement"] == []


def test_a_thing_that_caused_injuries_is_their_instrument(run):
    ex = run("The mayor said flying glass caused the injuries.")
    injury = event_of(ex, "injury")
    assert texts(injury, "agent") == []
    assert texts(injury, "instrument") == ["flying glass"]


def test_held_until_trial_does_not_hold_the_trial(run):
    ex = run("The judge ordered Tom Reyes held until trial.")
    assert texts(event_of(ex, "trial"), "agent") == []


def test_a_description_after_a_name_is_no_second_agent(run):
    ex = run("Brindle Motors Inc, the U.S. truck maker, will pay $40 million for the plant.")
    assert labels(ex, event_of(ex, "pay"), "agent") == ["Brindle Motors Inc"]


def test_the_in_phrase_of_a_rise_is_what_rose(run):
    ex = run("Halvern Foods reported a sharp increase in its quarterly revenue.")
    assert "its quarterly revenue" in texts(event_of(ex, "increase"), "patient")


def test_the_noun_before_sales_is_what_was_sold(run):
    ex = run("Ohio reported that truck sales fell sharply last month.")
    assert texts(event_of(ex, "sale"), "patient") == ["truck"]


def test_a_bracketed_short_name_is_no_second_agent(run):
    ex = run("International Business Machines Corporation (IBM) announced a new chief on Monday.")
    assert len(texts(event_of(ex, "announce"), "agent")) == 1


def test_a_list_hung_on_a_description_keeps_its_other_members(run):
    ex = run("Mr Pelham, the defence secretary, Lord Carrick, and army advisers had considered the offer.")
    assert "Lord Carrick" in labels(ex, event_of(ex, "consider"), "agent")


def test_who_is_urged_or_pressed_is_the_recipient_not_the_patient(run):
    ex = run("The mayor urged residents to boil their water. The board is pressuring the staff to accept the offer.")
    urge = event_of(ex, "urge")
    assert texts(urge, "recipient") == ["residents"]
    assert texts(urge, "patient") == []
    assert texts(event_of(ex, "pressure"), "recipient") == ["the staff"]
    ex = run("The strikers demanded a recount.")
    assert texts(event_of(ex, "demand"), "patient") == ["a recount"]


def test_the_place_a_mover_reaches_or_leaves_is_no_patient(run):
    ex = run("Firefighters reached the warehouse at dawn. The senator visited Nairobi last week.")
    assert texts(event_of(ex, "reach"), "patient") == []
    visit = event_of(ex, "visit")
    assert texts(visit, "patient") == []
    assert texts(visit, "place") == ["Nairobi"]


def test_the_vehicle_a_mover_drives_is_the_instrument(run):
    ex = run("The two smugglers drove a rented van across the border.")
    drive = event_of(ex, "drive")
    assert texts(drive, "instrument") == ["a rented van"]
    assert texts(drive, "patient") == []


def test_who_claims_responsibility_for_an_attack_is_its_agent(run):
    ex = run("A separatist faction claimed responsibility for the ambush near the dam.")
    assert texts(event_of(ex, "ambush"), "agent") == ["A separatist faction"]
    ex = run("Investigators said a local cell was responsible for the bombing.")
    assert texts(event_of(ex, "bombing"), "agent") == ["a local cell"]


def test_denied_responsibility_makes_no_agent(run):
    ex = run("The militia denied responsibility for the raid. No group has claimed responsibility for the blast.")
    assert texts(event_of(ex, "raid"), "agent") == []
    assert texts(event_of(ex, "blast"), "agent") == []


def test_a_series_of_attacks_is_carried_by_its_light_verb(run):
    ex = run("The insurgents launched a series of attacks on army posts.")
    attack = event_of(ex, "attack")
    assert texts(attack, "agent") == ["The insurgents"]
    assert events_of(ex, "launch") == []


def test_shot_dead_by_police_makes_the_police_the_killers(run):
    ex = run("The escaped convict, shot dead by police on Sunday, had robbed two banks.")
    dead = event_of(ex, "dead")
    assert texts(dead, "agent") == ["police"]
    assert texts(dead, "patient") == ["The escaped convict"]


def test_a_name_in_apposition_to_one_of_them_is_the_agent(run):
    ex = run("One of the owners, Ada Price, sold the club.")
    assert texts(event_of(ex, "sell"), "agent") == ["Ada Price"]


def test_names_hung_on_the_of_phrase_of_a_description_are_list_members(run):
    ex = run(
        "Six activists were detained, including Rosa Elm, sister of the poet Tomas Elm, Carla Fenn, Hugo Lind and "
        "the printer Marta Voss."
    )
    detained = labels(ex, event_of(ex, "detain"), "patient")
    assert {"Carla Fenn", "Hugo Lind"} <= set(detained)
    assert "Tomas Elm" not in detained


def test_a_conjunct_that_repeats_the_governing_noun_is_not_an_object(run):
    ex = run("The clerk faces one count of forging receipts and two counts of perjury.")
    assert texts(event_of(ex, "forge"), "patient") == ["receipts"]


def test_a_group_with_no_of_phrase_is_a_participant(run):
    ex = run("The rebel group seized the airport.")
    assert texts(event_of(ex, "seize"), "agent") == ["The rebel group"]


def test_a_place_hung_on_a_time_phrase_is_the_event_s_place(run):
    ex = run("The raid came shortly after midnight in Bor county. Gunmen attacked a bus on Sunday in Kandahar.")
    assert labels(ex, event_of(ex, "raid"), "place") == ["Bor county"]
    assert labels(ex, event_of(ex, "attack"), "place") == ["Kandahar"]


def test_a_thing_that_flies_or_lands_is_what_moves_not_who_moves_it(run):
    ex = run("The new cargo jet flew from Oslo to Lisbon on Tuesday.")
    assert texts(event_of(ex, "fly"), "agent") == []
    assert texts(event_of(ex, "fly"), "patient") == ["The new cargo jet"]
    ex = run("The first Zephyr 900 landed in Lisbon after a long delay.")
    assert texts(event_of(ex, "land"), "patient") == ["The first Zephyr 900"]
    ex = run("The new tablet comes with a larger screen and a stylus.")
    assert texts(event_of(ex, "come"), "patient") == ["The new tablet"]


def test_people_and_airlines_that_fly_still_act(run):
    ex = run("The pilot flew to Rome on Friday.")
    assert texts(event_of(ex, "fly"), "agent") == ["The pilot"]
    ex = run("Northwind Air flew the jet to Lisbon.")
    assert labels(ex, event_of(ex, "fly"), "agent") == ["Northwind Air"]
    assert texts(event_of(ex, "fly"), "instrument") == ["the jet"]  # the vehicle it was flown in, as "drove a van"


def test_the_plane_of_a_flight_is_what_flies(run):
    ex = run("The new jet made its first flight on Monday.")
    flight = event_of(ex, "flight")
    assert texts(flight, "agent") == []
    assert texts(flight, "patient") != []
    ex = run("The Zephyr 900's maiden flight lasted three hours.")
    assert texts(event_of(ex, "flight"), "patient") == ["Zephyr 900"]


def test_a_stray_dash_is_no_argument(run):
    ex = run("Acme swamped by tablet pre-orders\nThe shop opened early.")
    assert "-" not in texts(event_of(ex, "swamp"), "agent")


def test_what_a_statement_verb_announces_is_its_patient_and_whom_it_tells_its_recipient(run):
    ex = run("Acme announced a new tablet on Monday.")
    announce = event_of(ex, "announce")
    assert texts(announce, "patient") == ["a new tablet"]
    assert texts(announce, "recipient") == []
    ex = run("The minister told reporters that the talks had failed.")
    tell = event_of(ex, "tell")
    assert texts(tell, "recipient") == ["reporters"]
    assert texts(tell, "patient") == []


def test_a_noun_object_of_said_is_no_participant(run):
    ex = run("The mayor said a few words at the ceremony.")
    say = event_of(ex, "say")
    assert texts(say, "agent") == ["The mayor"]
    assert texts(say, "patient") == [] and texts(say, "recipient") == []


def test_the_object_of_supply_with_receives_what_the_with_phrase_names(run):
    ex = run("Acme will provide the schools with free tablets.")
    provide = event_of(ex, "provide")
    assert texts(provide, "recipient") == ["the schools"]
    assert texts(provide, "patient") == ["free tablets"]
    ex = run("The firm equipped its fleet with new engines.")
    assert texts(event_of(ex, "equip"), "patient") == ["new engines"]


def test_an_index_that_loses_or_gains_points_undergoes_the_change(run):
    ex = run("The Zeta index lost 350 points, or 2.6 percent, on Monday.")
    lose = event_of(ex, "lose")
    assert texts(lose, "agent") == []
    assert texts(lose, "patient") == ["The Zeta index"]
    ex = run("The Zeta Composite gained 41 points to 2,300.")
    gain = event_of(ex, "gain")
    assert texts(gain, "patient") == ["The Zeta Composite"]
    ex = run("The new president promised to replace the peso with the dollar.")  # a currency, no amount
    assert texts(event_of(ex, "replace"), "patient") == ["the peso"]


def test_a_company_that_loses_a_sum_of_money_is_the_agent(run):
    ex = run("Acme Motors said it had lost $6 billion in the first quarter.")
    lose = event_of(ex, "lose")
    assert labels(ex, lose, "agent") == ["Acme Motors"]
    assert texts(lose, "patient") == []


def test_what_hits_a_record_high_is_what_rose(run):
    ex = run("Oil prices hit a record high of 120 dollars a barrel.")
    high = event_of(ex, "hit high")
    assert texts(high, "agent") == []
    assert texts(high, "patient") == ["Oil prices"]
