"""Event coreference inside one article (kg/extract/event_chains.py), on hand-made records."""

from __future__ import annotations

from kg.extract.event_chains import event_chains
from kg.records import Article, Event, Evidence, Extraction, Role

TEXT = "Brightwell bought Quarrytech. The deal closed in May. Brightwell said so. Brightwell said more later."


def _event(key, type_, trigger, start, roles=(), date=None, negated=False, sentence=(0, 30)):
    evidence = Evidence(TEXT[sentence[0] : sentence[1]], *sentence)
    return Event(key, type_, trigger, start, start + len(trigger), evidence, tuple(roles), date=date, negated=negated)


def _chains(*events):
    return [chain.keys for chain in event_chains(Extraction(Article("a", TEXT), (), events))]


def test_a_later_mention_without_participants_joins_the_earlier_one():
    bought = _event("e1", "Acquisition", "buy", 11, [Role("agent", "brightwell"), Role("patient", "quarry")])
    deal = _event("e2", "Acquisition", "deal", 34, date="2024-05", sentence=(30, 53))
    assert _chains(bought, deal) == [["e1", "e2"]]


def test_the_input_order_of_events_does_not_matter():
    bought = _event("e1", "Acquisition", "buy", 11, [Role("patient", "quarry")])
    deal = _event("e2", "Acquisition", "deal", 34, sentence=(30, 53))
    assert _chains(deal, bought) == _chains(bought, deal)


def test_different_patients_different_classes_or_polarity_stay_apart():
    first = _event("e1", "Acquisition", "buy", 11, [Role("patient", "quarry")])
    other = _event("e2", "Acquisition", "buy", 34, [Role("patient", "mill")], sentence=(30, 53))
    sale = _event("e3", "Sale", "sell", 40, sentence=(30, 53))
    denied = _event("e4", "Acquisition", "buy", 45, negated=True, sentence=(30, 53))
    assert _chains(first, other, sale, denied) == [["e1"], ["e2"], ["e3"], ["e4"]]


def test_dates_that_contradict_keep_mentions_apart_and_a_finer_date_agrees():
    may = _event("e1", "Acquisition", "buy", 11, date="2024-05")
    may_12 = _event("e2", "Acquisition", "deal", 34, date="2024-05-12", sentence=(30, 53))
    june = _event("e3", "Acquisition", "deal", 40, date="2024-06", sentence=(30, 53))
    assert _chains(may, may_12, june) == [["e1", "e2"], ["e3"]]


def test_a_plain_event_joins_only_the_same_trigger():
    a = _event("e1", "Event", "visit", 11)
    b = _event("e2", "Event", "tour", 34, sentence=(30, 53))
    c = _event("e3", "Event", "visit", 40, sentence=(30, 53))
    assert _chains(a, b, c) == [["e1", "e3"], ["e2"]]


def test_statements_chain_only_by_one_speaker_in_neighbouring_sentences():
    said = _event("s1", "Statement", "say", 65, [Role("agent", "brightwell")], sentence=(54, 73))
    again = _event("s2", "Statement", "say", 85, [Role("agent", "brightwell")], sentence=(74, 101))
    far = _event("s3", "Statement", "say", 95, [Role("agent", "brightwell")], sentence=(200, 230))
    nobody = _event("s4", "Statement", "say", 99, sentence=(74, 101))
    assert _chains(said, again, far, nobody) == [["s1", "s2"], ["s3"], ["s4"]]
