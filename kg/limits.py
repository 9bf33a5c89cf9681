"""Limits that keep one bad article from stalling or exhausting a build: its size and its extraction time.

Size: `MAX_TEXT_CHARS` is the longest cleaned text the parser is given (`kg.annotate` sets spaCy's
`nlp.max_length` to it); the pipeline skips a longer text with the reason "too long for the parser"
before spaCy would raise (which would lose the whole batch). spaCy's memory grows with the length of
the texts in one batch, about 0.3 GB per 100,000 characters with en_core_web_sm (bench/memory.py:
1,000,000 characters took 3.1 GB and 110-230 s to parse on this 2-core machine), and a batch holds
up to 16 texts, so the limit is 200,000 characters (≈ 32,000 words, longer than any news story;
≈ 0.8 GB and ≈ 13 s to parse). `DEFAULT_MAX_BYTES` is the default limit on input files (per line
for JSON Lines), checked before a file is read; it is larger than the text limit because an HTML
page carries markup, scripts and styles besides its text.

Time: `time_budget(seconds)` sets a deadline for the code inside it, and `check_deadline()` raises
`TimeBudgetExceeded` once that deadline has passed. The check is cooperative: extraction calls it
between its stages and at the head of its longer loops (kg/extract/__init__.py, entity_pass.py,
coref.py), so the error is raised only there, in our own code, never inside a garbage-collection
callback, a `__del__` or a `finally` of some library, where a signal-raised exception can be
swallowed or leave a half-changed state. It was SIGALRM before; that fired inside whatever ran and
was lost when it landed in a GC callback. The deadline lives in a context variable, so it works in
any thread (a Dask task, a server thread) as well as the main one, and budgets nest: the nearer
deadline wins. What runs between two checks must be bounded by the text limit: every stage is
about linear in the text, and spaCy's parse (outside the budget) is bounded by `MAX_TEXT_CHARS`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MAX_TEXT_CHARS = 200_000
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIME_BUDGET = 30.0

# (monotonic time at which the budget runs out, the budget's seconds) of the innermost nearer budget.
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("newskg_deadline", default=None)


class TimeBudgetExceeded(Exception):
    """Raised by `check_deadline` when the time budget is spent; the message is the skip reason."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)  # args stay (seconds,) so the error pickles back from a worker process
        self.seconds = seconds

    def __str__(self) -> str:
        return f"took longer than {self.seconds:g} s (the per-article time budget)"


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Give the enclosed block `seconds` of wall time, enforced by `check_deadline` calls inside it.

    Takes the budget in seconds (None or <= 0: no limit); yields nothing. Inside an outer budget
    that ends sooner, the outer one stays in force. The deadline is restored on the way out.
    """
    current = _DEADLINE.get()
    if not seconds or seconds <= 0:
        yield
        return
    ends = time.monotonic() + seconds
    token = _DEADLINE.set(current if current is not None and current[0] <= ends else (ends, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """Raise TimeBudgetExceeded when the innermost `time_budget` has run out; otherwise return None.

    Cheap (a context-variable read and a clock read): fine at the head of a loop over tokens.
    """
    current = _DEADLINE.get()
    if current is not None and time.monotonic() > current[0]:
        raise TimeBudgetExceeded(current[1])
