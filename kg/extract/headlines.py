"""Title-case headlines: where a name ends when every word is capitalised.

In "Quillon Buys Up Harbour Freight Software" or "Mara Velt Signs With Northgate" the small model
reads most of the headline as one name, since capitals are its main cue. `headline_name_end` parses
the sentence once more in sentence case ("Quillon buys up harbour freight software"), where verbs
look like verbs again, and ends a name before the first word that parse calls a verb, or the first
present-tense form ("-s") of a trigger verb of the event lexicon ("Buys", "Signs"), or the first "-s"
word a preposition or particle follows ("Checks Into", "Files For"): the tagger still reads some of
those as plural nouns. "of" never counts: "Friends of the Earth" stays a name.

`headline_name_parts` then keeps, of a headline name, the names the article's body uses: the body is
in sentence case, where NER finds names well, so "Mara Velt Finally" becomes "Mara Velt" and
"Rehires Lawyer Ada Lind" becomes "Ada Lind" when the body names them so.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

_MINOR_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"}
)


def is_title_case(tokens: list) -> bool:
    """Take a sentence's tokens; return True when it is written in title case (a headline).

    Three words at least, other than minor words ("of", "into"), and every one of them capitalised.
    """
    words = [t for t in tokens if t.is_alpha and t.lower_ not in _MINOR_WORDS]
    return len(words) >= 3 and all(t.text[0].isupper() for t in words)


def _sentence_case(texts: tuple[str, ...]) -> list[str]:
    """Lower-case every word but the first and acronyms ("HP", "NASA")."""
    return [t if n == 0 or (t.isupper() and len(t) > 1) else t.lower() for n, t in enumerate(texts)]


@lru_cache(maxsize=4096)
def _sentence_case_reading(texts: tuple[str, ...], spaces: tuple[bool, ...]) -> tuple[tuple[str, str], ...]:
    """Return (coarse part of speech, lower-case lemma) of each word of a sentence parsed in sentence case."""
    from spacy.tokens import Doc

    from kg.annotate import load_model

    nlp = load_model()
    doc = Doc(nlp.vocab, words=_sentence_case(texts), spaces=list(spaces))
    for name, component in nlp.pipeline:
        if name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"):
            doc = component(doc)
    return tuple((t.pos_, t.lemma_.lower()) for t in doc)


def _sentence_case_tags(texts: tuple[str, ...], spaces: tuple[bool, ...]) -> tuple[str, ...]:
    """Return the coarse part of speech of each word of a sentence parsed in sentence case."""
    return tuple(pos for pos, _ in _sentence_case_reading(texts, spaces))


def _sentence_case_verbs(texts: tuple[str, ...], spaces: tuple[bool, ...]) -> tuple[str | None, ...]:
    """Return, for each word of a sentence parsed in sentence case, its lemma when it is a verb, else None."""
    return tuple(lemma if pos == "VERB" else None for pos, lemma in _sentence_case_reading(texts, spaces))


def headline_verbs(tokens: list, sentence) -> dict[int, str]:
    """Return the verbs of a title-case sentence the tagger misread: {token index: lemma}.

    "Ada Lind Quits As Coach": the small model tags "Quits" a proper noun, like the names around it, or a verb
    inside a compound. A word after the first is taken for a verb when the sentence parsed in sentence case
    ("Ada lind quits as coach") calls it one (its lemma then), or when it is the "-s" form of a trigger verb of
    the event lexicon or an "-s" word a particle follows ("Checks Into"), as `headline_name_end` reads them (the
    word without its "s" then). Takes the Doc's tokens and the sentence (a Span); returns {} outside title-case
    sentences.
    """
    words = tokens[sentence.start : sentence.end]
    if not is_title_case(words):
        return {}
    lemmas = _sentence_case_verbs(tuple(t.text for t in words), tuple(bool(t.whitespace_) for t in words))
    found = {}
    for n, (word, lemma) in enumerate(zip(words, lemmas, strict=True)):
        if n == 0 or not word.is_alpha or word.pos_ not in ("PROPN", "NOUN", "VERB"):
            continue  # a first word the tagger calls a verb is mostly a name read as an imperative
        if lemma and lemma.isalpha():
            found[word.i] = lemma
        elif _trigger_verb_form(word.lower_) or _verb_with_particle(tokens, word.i, sentence.end):
            found[word.i] = _trigger_stem(word.lower_)
    return found


def _trigger_stem(word: str) -> str:
    """Return the trigger verb lemma an "-s" form stands for ("pushes" -> "push"), else the word without its "s"."""
    from kg.extract.triggers import load_triggers

    verbs = load_triggers().words.get("verb", {})
    stems = [word[:-3] + "y" if word.endswith("ies") else "", word[:-2] if word.endswith("es") else "", word[:-1]]
    return next((stem for stem in stems if stem in verbs), word[:-1])


def headline_name_end(tokens: list, sentence, start: int, end: int) -> int:
    """Return where a name at tokens [start, end) ends, cut before a verb when its sentence is a headline.

    Takes the Doc's tokens, the name's sentence (a Span) and the name's bounds; returns `end`
    unchanged outside title-case sentences or when no word after the first is a verb in sentence case.
    """
    words = tokens[sentence.start : sentence.end]
    if end - start < 2 or not is_title_case(words):
        return end
    tags = _sentence_case_tags(tuple(t.text for t in words), tuple(bool(t.whitespace_) for t in words))
    for i in range(start + 1, end):
        if tags[i - sentence.start] in ("VERB", "AUX") or _trigger_verb_form(tokens[i].lower_):
            return i
        if _verb_with_particle(tokens, i, sentence.end):
            return i
    return end


_PARTICLES = frozenset({"into", "up", "out", "for", "with", "off", "down", "over", "after"})


def _verb_with_particle(tokens: list, i: int, sentence_end: int) -> bool:
    """Whether tokens[i] is an "-s" word followed by a particle or preposition other than "of" ("Checks Into")."""
    word = tokens[i].lower_
    return (
        word.endswith("s")
        and not word.endswith("ss")
        and len(word) > 3
        and i + 1 < sentence_end
        and tokens[i + 1].lower_ in _PARTICLES
    )


def _trigger_verb_form(word: str) -> bool:
    """Whether a lower-case word is the "-s" form of a verb trigger lemma ("files" -> "file", "pushes" -> "push")."""
    from kg.extract.triggers import load_triggers

    verbs = load_triggers().words.get("verb", {})
    if not word.endswith("s") or len(word) < 4:
        return False
    stems = [word[:-1], word[:-2] if word.endswith("es") else "", word[:-3] + "y" if word.endswith("ies") else ""]
    return any(stem in verbs for stem in stems if stem)


def body_names(tokens: list, sentences: list, ents) -> dict[str, str]:
    """Return the names NER found outside title-case sentences: {lower-case text: NER label}, first label kept.

    Takes the Doc's tokens, its sentences (Spans) and NER spans (with `start`, `end`, `label_`).
    """
    titled = {s.start: is_title_case(tokens[s.start : s.end]) for s in sentences}
    starts = sorted(titled)
    names: dict[str, str] = {}
    for ent in ents:
        sentence_start = starts[bisect.bisect_right(starts, ent.start) - 1] if starts else 0
        if titled.get(sentence_start, False):
            continue
        names.setdefault(_text(tokens, ent.start, ent.end).lower(), ent.label_)
    return names


def _text(tokens: list, start: int, end: int) -> str:
    return "".join(t.text_with_ws for t in tokens[start:end]).strip()


def headline_name_parts(
    tokens: list, sentence, start: int, end: int, names: dict[str, str]
) -> list[tuple[int, int, str | None]]:
    """Cut a name in a title-case sentence down to the names the article's body uses.

    Takes the Doc's tokens, the name's sentence, its bounds and `body_names`; returns [(start, end, body
    NER label)], left to right, the longest body name first at each word ("Mara Velt Finally" ->
    "Mara Velt"). Outside headlines, for a name the body uses whole, or one with no body name inside,
    returns [(start, end, None)] unchanged.
    """
    whole = [(start, end, None)]
    if end - start < 2 or _text(tokens, start, end).lower() in names:
        return whole
    if not is_title_case(tokens[sentence.start : sentence.end]):
        return whole
    parts = []
    i = start
    while i < end:
        for j in range(end, i, -1):
            label = names.get(_text(tokens, i, j).lower())
            if label is not None:
                parts.append((i, j, label))
                i = j
                break
        else:
            i += 1
    return parts or whole
