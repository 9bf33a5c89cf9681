"""Anchored offsets: "two days after the election", "a week before the vote".

The event after "after"/"before" is dated from the main clause's date shifted by the duration (the article's
date stands for a main clause in the present: "Two days after the vote, seats remain in doubt"); when only the
event after "after"/"before" is dated (by its own expression, or by an earlier dated mention with the same
trigger: "the floods"), the main clause is dated from it instead. Used by kg.extract.times.attach_times.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.extract.common import children


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """Take a year, a month (1-12) and a number of months; return the (year, month) that many months later."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_DURATION = re.compile(r"^(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+(?P<unit>day|week|month|year)s?$")
_OFFSET_PREPS = {"after": -1, "before": 1}


def offset_of(span) -> tuple[int, str, object] | None:
    """For "two days after X" return (signed count, unit, the "after"/"before" token), else None.

    The sign is the direction from the main clause's time to X: "two days after the vote" puts the vote
    two days before the main clause.
    """
    match = _DURATION.match(span.text.lower().strip())
    head = span.root.head
    if match is None or span.root.dep_ != "npadvmod" or head.lower_ not in _OFFSET_PREPS:
        return None
    raw = match.group("n")
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    return _OFFSET_PREPS[head.lower_] * count, match.group("unit"), head


def _shift(date: str, count: int, unit: str) -> str | None:
    """Move an ISO date (or year-month, year) by `count` units; return it at the precision both allow."""
    parts = [int(p) for p in date.split("-")]
    if unit in ("day", "week"):
        if len(parts) != 3:
            return None
        return (dt.date(*parts) + dt.timedelta(days=count * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        if len(parts) < 2:
            return None
        year, month = shift_month(parts[0], parts[1], count)
        return f"{year:04d}-{month:02d}"
    return str(parts[0] + count)


def _earlier_mention_date(inner: list, drafts) -> str | None:
    """The date of an earlier dated event with the same trigger, for a definite nominal ("after the floods")."""
    for draft in inner:
        definite = any(c.dep_ in ("det", "poss") and c.lower_ != "a" for c in children(draft.token))
        if not (draft.nominal and definite):
            continue
        earlier = [d for d in drafts if d.trigger == draft.trigger and d.date and d.token.i < draft.token.i]
        if earlier:
            return max(earlier, key=lambda d: d.token.i).date
    return None


def attach_offset(span, by_token: dict[int, list], reference: str | None, view, drafts) -> None:
    """Date the event after "N days after|before" from the main clause's time, or the main clause from it.

    Takes the duration span, event drafts by holder token index, the article's ISO date (or None), the DocView
    and all drafts; sets `date` (and `time_text` on a main clause dated this way) in place; returns None.
    The main clause's time is its event's date, else the article's date when its verb is in the present
    ("Two days after the vote, seats remain in doubt").
    """
    count, unit, prep = offset_of(span)
    inner_tokens = [c for c in children(prep) if c.dep_ in ("pobj", "pcomp")]
    inner = [d for t in inner_tokens for d in by_token.get(t.i, [])]
    main_token = prep.head
    main = by_token.get(main_token.i, [])
    text = view.span_text(span.start, prep.right_edge.i + 1)
    main_date = next((d.date for d in main if d.date), None)
    if main_date is None and reference and main_token.tag_ in ("VBZ", "VBP"):
        main_date = reference
    if main_date is not None:
        for draft in inner:
            if draft.date is None:
                draft.date = _shift(main_date, count, unit)
        return
    inner_date = next((d.date for d in inner if d.date), None) or _earlier_mention_date(inner, drafts)
    if inner_date is None:
        return
    for draft in main:
        if draft.date is None and draft.time_text is None:
            draft.date = _shift(inner_date, -count, unit)
            draft.time_text = text
