"""Tests for kg.extract.quantities: numbers, money, and which event they belong to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.annotate import load_model
from kg.extract import extract
from kg.extract.quantities import parse_money, parse_number
from kg.records import Article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,122", 2122),
        ("more than 2,400", 2400),
        ("approximately 34,000", 34000),
        ("1.5 million", 1500000),
        ("2.5", 2.5),
        ("two", 2),
        ("Twelve", 12),
        ("twenty-five", 25),
        ("a dozen", 12),
        ("three dozen", 36),
        ("forty-two billion", 42_000_000_000),
        ("two thousand five hundred", 2500),
        ("one hundred and twenty", 120),
        ("one hundred twenty-five", 125),
        ("three million four hundred thousand", 3_400_000),
        ("hundreds", None),
        ("dozens", None),
        ("between 10 and 20", None),
        ("several", None),
    ],
)
def test_parse_number(text, expected):
    value = parse_number(text)
    assert value == expected and type(value) is type(expected)


@given(st.text(max_size=30))
def test_parsers_never_fail(text):
    number = parse_number(text)
    money = parse_money(text)
    assert number is None or isinstance(number, int | float)
    assert money is None or (isinstance(money[0], int | float) and len(money[1]) == 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$69 billion", (69_000_000_000, "USD")),
        ("$3,499", (3499, "USD")),
        ("£20 million", (20_000_000, "GBP")),
        ("€5bn", (5_000_000_000, "EUR")),
        ("US$ 40 billion", (40_000_000_000, "USD")),
        ("3,499 euros", (3499, "EUR")),
        ("₩1.2 trillion", (1_200_000_000_000, "KRW")),
        ("$4.25", (4.25, "USD")),
        ("eleven billion dollars", (11_000_000_000, "USD")),
        ("sixty-four million euros", (64_000_000, "EUR")),
        ("several million pounds", None),
        ("12 apples", None),
        ("dollars", None),
    ],
)
def test_parse_money(text, expected):
    assert parse_money(text) == expected


@pytest.fixture(scope="module")
def events_of():
    nlp = load_model()

    def run(text: str):
        extraction = extract(Article(id="q", text=text, date="2024-05-10"), nlp(text))
        return {event.trigger: event for event in extraction.events}

    return run


def test_counts_of_elided_and_written_subjects(events_of):
    events = events_of("Around 40 miners died and 120 were injured after the blast.")
    assert events["die"].quantity == 40
    assert events["injure"].quantity == 120


def test_count_of_the_object(events_of):
    assert events_of("Police detained 56 protesters in Tbilisi.")["detain"].quantity == 56
    assert events_of("The gunmen killed more than 5,000 villagers.")["kill"].quantity == 5000


def test_count_of_the_passive_subject(events_of):
    assert events_of("More than 1,800 people were injured, officials said.")["injure"].quantity == 1800


def test_movement_counts_its_agent(events_of):
    events = events_of("Officials said 412 Georgians had returned home.")
    assert events["return"].quantity == 412
    assert events["say"].quantity is None


def test_death_toll_takes_the_number_it_reaches(events_of):
    events = events_of("The death toll climbed to 1,310 on Monday.")
    assert events["death toll"].quantity == 1310
    assert events_of("The storm left a death toll of 87.")["death toll"].quantity == 87


def test_vague_numbers_give_no_quantity(events_of):
    assert events_of("Troops captured hundreds of fighters.")["capture"].quantity is None


def test_money_goes_to_the_event_that_governs_it(events_of):
    events = events_of("Broadcom agreed a $61 billion takeover of VMware.")
    takeover = events["takeover"]
    assert (takeover.amount, takeover.currency) == (61_000_000_000, "USD")
    assert events["agree"].amount is None


def test_money_without_a_governing_event_goes_to_the_nearest(events_of):
    events = events_of("The new tablet will cost $799, Samsung announced on Tuesday.")
    assert any(event.amount == 799 and event.currency == "USD" for event in events.values())


def test_money_written_as_symbol_and_suffix(events_of):
    acquire = events_of("The startup was acquired by Amazon for €1.2bn in 2021.")["acquire"]
    assert (acquire.amount, acquire.currency) == (1_200_000_000, "EUR")


def test_money_in_words_goes_to_the_deal(events_of):
    events = events_of("The brewer agreed to buy its rival for twelve billion dollars.")
    amounts = {(e.amount, e.currency) for e in events.values() if e.amount is not None}
    assert amounts == {(12_000_000_000, "USD")}


def test_a_share_like_one_in_three_is_no_count(events_of):
    events = events_of("Only one takeover in three brings real savings.")
    assert events["bring"].quantity is None
