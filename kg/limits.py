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

Time: `time_budget(seconds)` stops the code inside it with `TimeBudgetExceeded` once the budget is
spent, using SIGALRM. It works only in the main thread of a process (signals are delivered there)
and on platforms with `signal.setitimer`; elsewhere it does nothing. The previous SIGALRM handler
and any timer already running are restored on the way out. The pipeline puts each article's
extraction under it; spaCy's parse is bounded by the text limit instead.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_TEXT_CHARS = 200_000
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIME_BUDGET = 30.0


class TimeBudgetExceeded(Exception):
    """Raised inside `time_budget` when its seconds are spent; the message is the skip reason."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)  # args stay (seconds,) so the error pickles back from a worker process
        self.seconds = seconds

    def __str__(self) -> str:
        return f"took longer than {self.seconds:g} s (the per-article time budget)"


def budget_applies() -> bool:
    """Return True when `time_budget` can interrupt code here: the main thread, on a system with setitimer."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Interrupt the enclosed block with TimeBudgetExceeded after `seconds` of wall time.

    Takes the budget in seconds (None or <= 0: no limit); yields nothing. Outside the main thread,
    or without setitimer, the block runs unlimited. An outer timer that was already running is
    re-armed with what is left of it, so budgets nest.
    """
    if not seconds or seconds <= 0 or not budget_applies():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeBudgetExceeded(seconds)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    outer_left, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_left > 0:
            # An outer timer whose time ran out meanwhile fires almost at once, as it would have.
            remaining = max(outer_left - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, outer_interval)
