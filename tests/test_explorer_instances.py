"""Tests of kg/explorer/instances.py: the mentions of one event instance drawn as one event node."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.explorer.page import page_data
from kg.explorer.projection import project

DATA = Path(__file__).parent / "data" / "explorer"
ID = "https://w3id.org/newskg/id/"
FLOOD = ID + "instance/flood-lowmere"


@pytest.fixture(scope="module")
def merged(trig_store):
    return project(trig_store(DATA / "merged.trig").select)


def test_two_reports_of_one_flood_are_one_event_node(merged):
    events = [n for n, d in merged.nodes(data=True) if d["kind"] == "event"]
    assert events == [FLOOD]
    node = merged.nodes[FLOOD]
    assert node["reports"] == 2 and node["mentions"] == 2
    assert node["label"] == "flood · 2 sources"
    assert [e["article"] for e in node["evidence"]] == [ID + "article/b1", ID + "article/b2"]


def test_the_merged_event_joins_the_union_of_participants(merged):
    edges = sorted((u, v, k) for u, v, k in merged.edges(keys=True))
    assert edges == [(FLOOD, ID + "place/Lowmere", "place"), (ID + "organization/Lowmere_Rescue", FLOOD, "agent")]


def test_the_page_record_carries_the_source_count_and_every_sentence(merged):
    data = page_data(merged)
    (record,) = [r for r in data["records"] if r["id"] == FLOOD]
    assert record["reports"] == 2
    assert len(record["ev"]) == 2
