"""Small helpers every extractor shares: evidence for a sentence, text of a token span, a per-Doc view.

spaCy makes a new Token object on every `doc[i]`, every step of `for token in doc` and every `token.sent`
(which also scans for the sentence's edges). The stages read the same tokens and sentences many times, so
`doc_view(doc)` hands out one `DocView` per Doc: its tokens as a list, its sentences, the sentence of each
token and the evidence of each sentence, each computed once. `extract()` shares one view between all stages
(`shared_view`); a stage called on its own builds a fresh view, so results never depend on a cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter

from kg.records import Evidence

# The class of an event whose trigger the lexicon does not know (kg:Event itself).
GENERIC = "Event"


def sentence_evidence(sent, confidence: float = 0.8) -> Evidence:
    """Return the Evidence for a spaCy sentence Span: its text and character offsets into the article text."""
    return _evidence(sent.text, sent.start_char, sent.end_char, confidence)


def _evidence(text: str, start: int, end: int, confidence: float) -> Evidence:
    """Return the Evidence for a sentence's text and its character offsets."""
    # Keep offsets and text in step when the sentence carries trailing white space.
    stripped = text.rstrip()
    end -= len(text) - len(stripped)
    lead = len(stripped) - len(stripped.lstrip())
    return Evidence(sentence=stripped.lstrip(), start=start + lead, end=end, confidence=round(confidence, 2))


class DocView:
    """Read-only values of one Doc, each computed on first use: tokens, text, sentences, children, evidence.

    The Doc must not change while a view of it is in use.
    """

    def __init__(self, doc):
        """Take a spaCy Doc."""
        self.doc = doc
        self._tokens: list | None = None
        self._text: str | None = None
        self._sentences: list | None = None
        self._sentence_of: list[int] | None = None
        self._children: list[tuple] | None = None
        self._ents: tuple | None = None
        self._columns: dict[str, list] = {}
        self._evidence: dict[tuple[int, float], Evidence] = {}

    @property
    def tokens(self) -> list:
        """The Doc's tokens, as a list (`doc[i]` and `for token in doc` make new Token objects every time)."""
        if self._tokens is None:
            self._tokens = list(self.doc)
        return self._tokens

    def column(self, name: str) -> list:
        """Return one Token attribute of every token, in token order (`[token.<name> for token in doc]`).

        For loops over the whole Doc that test a string attribute ("pos_", "lower_") before anything else.
        """
        found = self._columns.get(name)
        if found is None:
            found = self._columns[name] = list(map(attrgetter(name), self.tokens))
        return found

    @property
    def text(self) -> str:
        """The Doc's text (`doc.text` joins it from new Token objects on every call)."""
        if self._text is None:
            self._text = "".join([token.text_with_ws for token in self.tokens])
        return self._text

    @property
    def ents(self) -> tuple:
        """The Doc's named entity Spans (`doc.ents`, which builds them on every call)."""
        if self._ents is None:
            self._ents = self.doc.ents
        return self._ents

    def children(self, token) -> tuple:
        """Return a token's syntactic children in text order (`tuple(token.children)`)."""
        if self._children is None:
            self._children = self._all_children()
        return self._children[token.i]

    def _all_children(self) -> list[tuple]:
        """The children of every token, read off the head offsets in one pass (a token with offset 0 has no head)."""
        tokens = self.tokens
        found: list[list] = [[] for _ in tokens]
        for i, offset in enumerate(self.doc.to_array("HEAD").astype("int64").tolist()):
            if offset:
                found[i + offset].append(tokens[i])
        return [tuple(kids) for kids in found]

    def lefts(self, token) -> list:
        """Return the children before a token, in text order (`token.lefts`)."""
        return [child for child in self.children(token) if child.i < token.i]

    def rights(self, token) -> list:
        """Return the children after a token, in text order (`token.rights`)."""
        return [child for child in self.children(token) if child.i > token.i]

    @property
    def sentences(self) -> list:
        """The sentence Spans of the Doc, in order."""
        if self._sentences is None:
            self._sentences = list(self.doc.sents)
        return self._sentences

    @property
    def sentence_of(self) -> list[int]:
        """For each token index, the index of its sentence in `sentences`."""
        if self._sentence_of is None:
            sentence_of = [0] * len(self.tokens)
            for n, sent in enumerate(self.sentences):
                sentence_of[sent.start : sent.end] = [n] * (sent.end - sent.start)
            self._sentence_of = sentence_of
        return self._sentence_of

    def sent(self, token_index: int):
        """Return the sentence Span holding a token: the same as `token.sent`, and as `span.sent` for a Span that
        starts at the token (spaCy gives a Span the sentence of its first token)."""
        return self.sentences[self.sentence_of[token_index]]

    def offsets(self, start: int, end: int) -> tuple[int, int]:
        """Return the character offsets of tokens [start, end) (`doc[start:end].start_char` and `.end_char`)."""
        if start >= end:
            span = self.doc[start:end]
            return span.start_char, span.end_char
        last = self.tokens[end - 1]
        return self.tokens[start].idx, last.idx + len(last)

    def span_text(self, start: int, end: int) -> str:
        """Return the text of tokens [start, end) (`doc[start:end].text`)."""
        if start >= end:
            return ""
        start_char, end_char = self.offsets(start, end)
        return self.text[start_char:end_char]

    def evidence(self, sent, confidence: float = 0.8) -> Evidence:
        """Return `sentence_evidence(sent, confidence)`, computed once per sentence and confidence."""
        key = (sent.start, confidence)
        found = self._evidence.get(key)
        if found is None:
            start, end = self.offsets(sent.start, sent.end)
            found = self._evidence[key] = _evidence(self.text[start:end], start, end, confidence)
        return found


_SHARED: ContextVar[DocView | None] = ContextVar("kg_extract_doc_view", default=None)


def doc_view(doc) -> DocView:
    """Return the DocView `shared_view` set up for this Doc, else a new one."""
    view = _SHARED.get()
    return view if view is not None and view.doc is doc else DocView(doc)


def children(token) -> tuple:
    """Return a token's syntactic children in text order (`tuple(token.children)`), through its Doc's view."""
    return doc_view(token.doc).children(token)


def lefts(token) -> list:
    """Return the children before a token, in text order (`list(token.lefts)`), through its Doc's view."""
    return doc_view(token.doc).lefts(token)


@contextmanager
def shared_view(doc) -> Iterator[DocView]:
    """Within the `with` block, make `doc_view(doc)` return one shared DocView; yield it."""
    view = DocView(doc)
    token = _SHARED.set(view)
    try:
        yield view
    finally:
        _SHARED.reset(token)
