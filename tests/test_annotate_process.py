"""kg.annotate_process: the parse in a child process gives what the parse in this process gives."""

from __future__ import annotations

import os
import signal

import pytest
from parse_helpers import TEXTS
from parse_helpers import articles as _articles
from parse_helpers import summary as _summary

import kg.annotate_process as annotate_process
from kg.annotate import annotate, load_model
from kg.annotate_process import ParserFailed, annotate_in_child, shared_parser, usable_cores
from kg.records import Article

needs_two_cores = pytest.mark.skipif(usable_cores() < 2, reason="one core: no parse process")


def _here() -> list[tuple]:
    return [(a.id, _summary(doc)) for a, doc in annotate(_articles(), batch_size=3)]


def _parser():
    parser = shared_parser()
    assert parser is not None and parser.ready()
    return parser


@needs_two_cores
def test_the_parse_process_gives_the_docs_a_parse_here_gives_in_the_same_order():
    parser = _parser()
    there = [(a.id, _summary(doc)) for a, doc in annotate_in_child(_articles(), batch_size=3)]
    assert there == _here()
    assert shared_parser() is parser  # one child serves build after build


@needs_two_cores
def test_docs_from_the_parse_process_live_on_this_process_vocabulary():
    (_, doc), *_ = annotate_in_child(_articles()[:2], batch_size=1)
    assert doc.vocab is load_model().vocab
    assert [e.text for e in doc.ents] == ["Brightwell", "Tuesday"]


@needs_two_cores
def test_stopping_early_leaves_the_parse_process_ready_for_the_next_stream():
    parser = _parser()
    pairs = annotate_in_child(_articles(), batch_size=2)
    next(pairs)
    pairs.close()
    assert not parser.busy.locked()
    there = [(a.id, _summary(doc)) for a, doc in annotate_in_child(_articles(), batch_size=3)]
    assert there == _here()
    assert shared_parser() is parser


@needs_two_cores
def test_the_models_error_is_raised_in_the_callers_process_and_the_child_serves_on():
    parser = _parser()
    too_long = Article(id="long", text="word " * (load_model().max_length // 5 + 10))
    with pytest.raises(ValueError):
        list(annotate_in_child([_articles()[0], too_long], batch_size=1))
    assert shared_parser() is parser
    assert len(list(annotate_in_child(_articles(), batch_size=4))) == len(TEXTS)


@needs_two_cores
def test_a_parse_process_that_dies_mid_stream_fails_the_stream_and_is_replaced():
    parser = _parser()
    pairs = annotate_in_child(_articles(), batch_size=1)
    next(pairs)
    os.kill(parser.pid, signal.SIGKILL)
    with pytest.raises(ParserFailed, match="parse process died"):
        list(pairs)
    replacement = _parser()
    assert replacement is not parser
    assert [(a.id, _summary(doc)) for a, doc in annotate_in_child(_articles(), batch_size=3)] == _here()


@needs_two_cores
def test_a_second_stream_while_the_child_is_busy_parses_in_a_thread():
    first = annotate_in_child(_articles(), batch_size=2)
    next(first)
    second = [(a.id, _summary(doc)) for a, doc in annotate_in_child(_articles(), batch_size=3)]
    first.close()
    assert second == _here()


def test_on_one_core_the_parse_runs_in_a_thread(monkeypatch):
    monkeypatch.setattr(annotate_process, "_parser", None)
    monkeypatch.setattr(annotate_process, "usable_cores", lambda: 1)
    assert shared_parser() is None
    there = [(a.id, _summary(doc)) for a, doc in annotate_in_child(_articles(), batch_size=3)]
    assert there == _here()
    assert annotate_process._parser is None
