"""kg.annotate: the parse in a background thread gives what the parse in this thread gives."""

from __future__ import annotations

import threading

import pytest
from parse_helpers import articles as _articles
from parse_helpers import summary as _summary

from kg.annotate import annotate, annotate_ahead, load_model
from kg.records import Article


def test_annotate_ahead_gives_the_same_docs_in_the_same_order():
    articles = _articles()
    here = [(a.id, _summary(doc)) for a, doc in annotate(articles, batch_size=3)]
    ahead = [(a.id, _summary(doc)) for a, doc in annotate_ahead(articles, batch_size=3)]
    assert ahead == here
    assert [key for key, _ in ahead] == [a.id for a in articles]


def test_annotate_ahead_stops_its_thread_when_the_caller_stops_early():
    pairs = annotate_ahead(_articles(), batch_size=2)
    next(pairs)
    pairs.close()
    for thread in threading.enumerate():
        if thread.name == "kg-parse":
            thread.join(timeout=30)
    assert not any(t.name == "kg-parse" and t.is_alive() for t in threading.enumerate())


def test_annotate_ahead_raises_the_models_error_in_the_callers_thread():
    nlp = load_model()
    too_long = Article(id="long", text="word " * (nlp.max_length // 5 + 10))
    with pytest.raises(ValueError):
        list(annotate_ahead([_articles()[0], too_long], batch_size=1))
