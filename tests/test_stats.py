"""kg.stats: article ids read back from their IRIs (what `kg articles` shows and `kg remove` takes)."""

from __future__ import annotations

import pytest

from kg import iris
from kg.stats import article_id


@pytest.mark.parametrize("given", ["pact.txt", "a_b c/1", "https://news.example.org/x?y=1&z=%41", "Zürich 2024", "_"])
def test_an_article_id_is_read_back_from_its_iri(given):
    assert article_id(iris.article_iri(given)) == given


def test_an_id_too_long_to_read_back_gives_the_iri():
    long_id = "https://news.example.org/" + "very-long-path/" * 20
    iri = iris.article_iri(long_id)
    assert article_id(iri) == iri
    assert article_id("https://example.org/not-an-article") == "https://example.org/not-an-article"
