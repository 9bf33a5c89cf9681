"""Tests for kg.extract.times: resolving time expressions against the article date, and attaching them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.annotate import load_model
from kg.extract import extract
from kg.extract.times import resolve_time
from kg.records import Article


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("on Friday", "2023-10-13", "2023-10-13"),  # the article's own weekday is that day
        ("on Wednesday", "2024-01-04", "2024-01-03"),
        ("late on Friday", "2023-09-10", "2023-09-08"),
        ("on Monday", "2023-06-06", "2023-06-05"),
        ("Sunday", "2023-09-10", "2023-09-10"),
        ("in November", "2024-03-15", "2023-11"),
        ("in March", "2024-03-15", "2024-03"),
        ("on December 3", "2025-01-15", "2024-12-03"),
        ("on 3 December", "2025-01-15", "2024-12-03"),
        ("on Dec. 3, 2024", "2025-01-15", "2024-12-03"),
        ("on 14 February 2022", None, "2022-02-14"),
        ("2021-07-30", None, "2021-07-30"),
        ("in January 2022", "2023-10-13", "2022-01"),
        ("in 2015", "2023-06-06", "2015"),
        ("yesterday", "2024-02-29", "2024-02-28"),
        ("today", "2024-02-29", "2024-02-29"),
        ("tomorrow", "2024-12-31", "2025-01-01"),
        ("last year", "2024-02-29", "2023"),
        ("early next year", "2023-06-06", "2024"),
        ("last month", "2024-01-10", "2023-12"),
        ("last week", "2024-01-10", None),
        ("the late 1990s", "2024-01-10", None),
        ("three days", "2024-01-10", None),
        ("on February 30", "2024-03-10", None),
    ],
)
def test_resolve_time(text, reference, expected):
    assert resolve_time(text, reference) == expected


@given(st.text(max_size=40), st.dates().map(lambda d: d.isoformat()) | st.none(), st.booleans())
def test_resolution_never_fails_and_is_well_formed(text, reference, future):
    value = resolve_time(text, reference, future=future)
    assert value is None or re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value)


def test_without_article_date_only_absolute_dates_resolve():
    assert resolve_time("on Friday", None) is None
    assert resolve_time("in November", None) is None
    assert resolve_time("yesterday", None) is None
    assert resolve_time("on 5 May 2020", None) == "2020-05-05"


def test_future_tense_looks_forward():
    assert resolve_time("on Friday", "2024-05-08", future=True) == "2024-05-10"
    assert resolve_time("on Wednesday", "2024-05-08", future=True) == "2024-05-08"
    assert resolve_time("in February", "2024-11-20", future=True) == "2025-02"
    assert resolve_time("on January 9", "2024-11-20", future=True) == "2025-01-09"


def test_a_day_earlier_counts_back_from_the_previous_date():
    assert resolve_time("a day earlier", "2024-05-10", previous="2024-05-06") == "2024-05-05"
    assert resolve_time("the day before", "2024-05-10") == "2024-05-09"


@pytest.fixture(scope="module")
def events_of():
    nlp = load_model()

    def run(text: str, date: str | None):
        extraction = extract(Article(id="t", text=text, date=date), nlp(text))
        return {event.trigger: event for event in extraction.events}

    return run


def test_each_event_gets_the_time_its_verb_governs(events_of):
    events = events_of(
        "Rebels seized the airport on Tuesday. The army said on Thursday that it had surrounded the city.",
        "2024-05-10",
    )
    assert (events["seize"].date, events["seize"].time_text) == ("2024-05-07", "on Tuesday")
    assert events["say"].date == "2024-05-09"


def test_an_event_without_a_time_expression_has_no_date(events_of):
    events = events_of("Protesters marched through Nairobi. Police arrested Amina Odhiambo on Saturday.", "2024-06-20")
    assert events["march"].date is None and events["march"].time_text is None
    assert events["arrest"].date == "2024-06-15"


def test_subject_trigger_takes_the_time_of_its_verb(events_of):
    events = events_of("A strong earthquake struck central Chile late on Sunday.", "2024-03-12")
    assert events["earthquake"].date == "2024-03-10"
    assert events["earthquake"].time_text == "late on Sunday"
    assert "strike" not in events


def test_light_verb_passes_its_time_to_the_nominal_event(events_of):
    events = events_of("Oracle completed its acquisition of Cerner on Wednesday.", "2022-06-09")
    assert events["acquisition"].date == "2022-06-08"


def test_phrase_attached_high_goes_to_the_nearest_event_inside(events_of):
    events = events_of("The court issued a warrant over the mayor's declaration of a curfew on May 2.", "2024-05-10")
    assert events["declaration"].date == "2024-05-02"
    assert events["warrant"].date is None
    assert events["issue"].date is None  # an unknown verb yields the phrase to a known event nearer to it


def test_phrase_attached_to_a_copula_goes_to_the_nearest_event_inside(events_of):
    events = events_of("The warrant was over the mayor's declaration of a curfew on May 2.", "2024-05-10")
    assert events["declaration"].date == "2024-05-02"
    assert events["warrant"].date is None


def test_durations_are_not_times(events_of):
    events = events_of("The worst flood to hit the region in more than a century killed dozens.", "2024-05-10")
    assert all(event.time_text is None for event in events.values())


def test_no_article_date_keeps_the_text_but_no_date(events_of):
    events = events_of("The ministers met on Monday.", None)
    assert events["meet"].time_text == "on Monday" and events["meet"].date is None


def test_a_day_earlier_follows_the_previous_dated_event(events_of):
    events = events_of(
        "Police arrested Li Wei on Monday. A day earlier, protesters had stormed the parliament.", "2024-03-20"
    )
    assert events["arrest"].date == "2024-03-18"
    assert (events["storm"].date, events["storm"].time_text) == ("2024-03-17", "A day earlier")


@pytest.mark.parametrize(
    ("text", "reference", "future", "expected"),
    [
        ("at 4:15 a.m. local time", "2024-05-10", False, "2024-05-10"),  # a clock time: the article's own day
        ("at 4:15 a.m. local time", "2024-05-10", True, None),
        ("at 9 p.m. on Tuesday", "2024-05-10", False, "2024-05-07"),
        ("Thursday night", "2024-05-10", False, "2024-05-09"),
        ("at the end of September", "2024-05-10", False, "2023-09"),
        ("at the beginning of March 2020", None, False, "2020-03"),
        ("by June 12", "2024-05-10", True, "2024-06-12"),
    ],
)
def test_resolve_clock_times_parts_of_day_and_of_month(text, reference, future, expected):
    assert resolve_time(text, reference, future=future) == expected


def test_clock_time_dates_the_event_to_the_article_day(events_of):
    events = events_of("A strong quake has hit the island at 4:15 a.m. local time.", "2024-05-10")
    assert events["quake"].date == "2024-05-10"


def test_possessive_weekday_dates_the_nominal_event(events_of):
    events = events_of("Monday's explosion at the refinery injured nine workers.", "2024-05-10")
    assert (events["explosion"].date, events["explosion"].time_text) == ("2024-05-06", "Monday")


def test_deadline_by_a_date(events_of):
    events = events_of("The government will release the prisoners by June 12.", "2024-05-10")
    assert (events["release"].date, events["release"].time_text) == ("2024-06-12", "by June 12")


def test_time_after_the_last_coordinated_verb_dates_the_earlier_ones(events_of):
    events = events_of("The activist was detained and driven to a prison on March 4.", "2024-05-10")
    assert events["detain"].date == "2024-03-04"


def test_coordinated_verb_with_its_own_subject_keeps_its_own_time(events_of):
    events = events_of("Soldiers attacked the village, and the rebels retreated on March 4.", "2024-05-10")
    assert events["attack"].date is None


def test_time_on_a_place_noun_climbs_to_the_event_heading_it(events_of):
    events = events_of("Officers broke up a protest in the capital, Lima, Sunday.", "2024-05-13")
    assert events["protest"].date == "2024-05-12"


def test_possessive_time_does_not_climb_from_a_plain_noun(events_of):
    events = events_of("Police arrested the author of Monday's editorial.", "2024-05-13")
    assert events["arrest"].date is None
