"""Tests of kg/explorer/window.py: a large store's default view is its newest articles, read without the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.explorer.projection import project
from kg.explorer.read import read_graph
from kg.explorer.window import recent_articles, window_select

DATA = Path(__file__).parent / "data" / "explorer"
ARTICLE = "https://w3id.org/newskg/id/article/"


@pytest.fixture(scope="module")
def small(trig_store):
    return trig_store(DATA / "small.trig")


def test_a_small_store_has_no_window(small):
    assert recent_articles(small.select) is None  # 3 articles: the explorer reads everything


def test_the_window_is_the_newest_articles_of_the_last_days(small):
    assert recent_articles(small.select, threshold=0, days=7) == ("2025-01-10", [ARTICLE + "a3"])
    first, articles = recent_articles(small.select, threshold=0, days=400, most=2)
    assert (first, articles) == ("2024-06-02", [ARTICLE + "a2", ARTICLE + "a3"])


def test_a_window_over_every_article_reads_the_same_graph(small):
    everything = read_graph(small.select)
    _, articles = recent_articles(small.select, threshold=0, days=10_000)
    windowed = read_graph(window_select(small.select, articles))
    assert sorted(windowed.nodes(data=True)) == sorted(everything.nodes(data=True))
    assert sorted(windowed.edges(keys=True, data=True)) == sorted(everything.edges(keys=True, data=True))


def test_project_opens_a_large_store_on_its_last_week(small):
    G = project(small.select, window_articles=0)
    assert G.graph["since"] == "2025-01-10"
    assert "https://w3id.org/newskg/id/place/Valencia" in G
    assert "https://w3id.org/newskg/id/place/Narva" not in G  # only in the 2024 article
    assert project(small.select, window_articles=0, focus="Narva").has_node("https://w3id.org/newskg/id/place/Narva")
