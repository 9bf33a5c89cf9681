"""kg.annotate_pipes: the stand-ins annotate exactly as the stock attribute ruler and lemmatizer do."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import annotate_pipes
from kg.annotate import MODEL_NAMES
from kg.annotate_pipes import FastAttributeRuler, FastLemmatizer, use_fast_pipes
from kg.ingest import read_paths
from kg.records import Article

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Written to reach the ruler's rarer rules: its patterns of two tokens ("gonna", "let's", "y'all",
# "ain't", "c'mon", "gotta"), "there is" after an expletive, auxiliaries, "not", determiners used as
# pronouns, object pronouns, "gets"/"got", spaces, and a slangy "nothin'".
RARE_RULES = [
    "We're gonna win this, y'all. Let's go! C'mon, we gotta move.",
    "It ain't over. There is no deal and there are no talks, and that was that.",
    "He gets angry when she got nothing, or nothin' at all. They didn't see it.",
    "I'd have done it if you had asked me; they do what they did before, don't they?",
    "Those who came saw this:  a    gap\n\n\nand then  more  text.",
    "Am I late? You are. Is he? Whether or not it rains, since then, unless told.",
]


def _model(fast: bool):
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if fast:
            use_fast_pipes(nlp)
        return nlp
    pytest.skip("no spaCy English model installed")


@pytest.fixture(scope="module")
def models():
    return _model(fast=False), _model(fast=True)


def _texts() -> list[str]:
    examples = [a.text for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    assert examples, "examples/ holds the articles the demo builds"
    return RARE_RULES + examples


def _annotations(doc) -> list[tuple]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start)
        for t in doc
    ]


def test_the_stand_ins_take_the_places_and_names_of_the_stock_components(models):
    stock, fast = models
    assert fast.pipe_names == stock.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)


def test_the_fast_pipeline_annotates_exactly_as_the_stock_one(models):
    stock, fast = models
    texts = _texts()
    expected = [_annotations(doc) for doc in stock.pipe(texts)]
    assert [_annotations(doc) for doc in fast.pipe(texts)] == expected
    # A second pass reads the remembered answers instead of working them out: still the same.
    docs = list(fast.pipe(texts))
    assert [_annotations(doc) for doc in docs] == expected
    # Forms no rule names share memory keys, so there are far fewer keys than distinct tokens.
    distinct = {(t.tag, t.lower, t.dep, t.is_space) for doc in docs for t in doc}
    assert len(fast.get_pipe("attribute_ruler").memory) < len(distinct) / 2


def test_the_rare_rules_are_reached(models):
    stock, _ = models
    lemmas = {(t.lower_, t.lemma_) for doc in stock.pipe(RARE_RULES) for t in doc}
    assert {("gon", "go"), ("na", "to"), ("'s", "us"), ("ai", "be"), ("gets", "get")} <= lemmas


def test_a_full_memory_starts_again_without_changing_the_answers(models, monkeypatch):
    stock, fast = models
    monkeypatch.setattr(annotate_pipes, "MAX_REMEMBERED", 5)
    ruler, lemmatizer = fast.get_pipe("attribute_ruler"), fast.get_pipe("lemmatizer")
    expected = [_annotations(doc) for doc in stock.pipe(RARE_RULES)]
    got = []
    for text in RARE_RULES:
        got.append(_annotations(fast(text)))
        assert len(ruler.memory) <= 5 + len(text.split()) * 2  # cleared before each doc that finds it over 5
        assert len(lemmatizer.memory) <= 5 + len(text.split()) * 2
    assert got == expected


def test_an_unknown_pattern_operator_is_refused():
    with pytest.raises(ValueError, match="unsupported pattern operator"):
        annotate_pipes._value_matches({"FUZZY": "x"}, "x")


def test_forget_empties_the_memories(models):
    _, fast = models
    fast(RARE_RULES[0])
    assert fast.get_pipe("attribute_ruler").memory and fast.get_pipe("lemmatizer").memory
    assert fast.get_pipe("lemmatizer").lemmatizer.cache  # the stock component's cache of the same lemmas
    annotate_pipes.forget(fast)
    assert not fast.get_pipe("attribute_ruler").memory and not fast.get_pipe("lemmatizer").memory
    assert not fast.get_pipe("attribute_ruler").merged and not fast.get_pipe("lemmatizer").lemmatizer.cache


def test_the_lemma_index_is_a_set_with_the_same_words(models):
    stock, fast = models
    listed = stock.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    indexed = fast.get_pipe("lemmatizer").lemmatizer.lookups.get_table("lemma_index")
    assert list(indexed) == list(listed)
    for key, words in listed.items():
        assert isinstance(words, list)
        assert indexed[key] == frozenset(words)
    stock_tables = stock.get_pipe("lemmatizer").lookups.tables
    assert fast.get_pipe("lemmatizer").lemmatizer.lookups.tables == stock_tables
