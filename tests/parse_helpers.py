"""Small articles and a token-by-token summary of a Doc, shared by the tests of the parse (thread and child process)."""

from __future__ import annotations

from kg.records import Article

TEXTS = [
    "The mayor of Brightwell opened a new bridge on Tuesday.",
    "Harlow Mining said it would close two pits. Unions called a strike.",
    "OSLOVIA — Police detained three men after a robbery at a jeweller.",
    "Rain fell.",
] * 5


def articles() -> list[Article]:
    """Return the TEXTS as Articles a00, a01, ... in order."""
    return [Article(id=f"a{n:02d}", text=text) for n, text in enumerate(TEXTS)]


def summary(doc) -> list[tuple]:
    """Return what extraction reads of each token: text, tags, dependency, head, lemma, entity, sentence start, stop."""
    return [
        (t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_type_, t.ent_iob_, t.is_sent_start, t.is_stop)
        for t in doc
    ]
