"""Tests for kg.extract.time_offsets: "two days after the election" dated from the clause around it."""

from __future__ import annotations

import pytest

from kg.annotate import load_model
from kg.extract import extract
from kg.extract.time_offsets import shift_month
from kg.records import Article


@pytest.fixture(scope="module")
def events_of():
    nlp = load_model()

    def run(text: str, date: str | None):
        extraction = extract(Article(id="t", text=text, date=date), nlp(text))
        return {event.trigger: event for event in extraction.events}

    return run


def test_shift_month_crosses_years():
    assert shift_month(2024, 1, -1) == (2023, 12)
    assert shift_month(2024, 11, 3) == (2025, 2)


def test_days_after_an_event_noun_counts_back_from_a_present_clause(events_of):
    events = events_of("Three days after the election, several seats remain undecided.", "2024-05-13")
    assert events["election"].date == "2024-05-10"


def test_days_after_an_event_counts_forward_from_its_date(events_of):
    events = events_of(
        "The floods started on May 2. A week after the floods, the army evacuated the town.", "2024-05-20"
    )
    assert events["evacuate"].date == "2024-05-09"


def test_days_after_with_a_past_undated_clause_gives_no_date(events_of):
    events = events_of("Two days after the election, the leader resigned.", "2024-05-13")
    assert events["election"].date is None
