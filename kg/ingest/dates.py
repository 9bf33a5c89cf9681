"""Dates: a date written as ISO or in words, a date-only line near the top, a wire dateline.

Dates given as ISO timestamps keep the calendar date as written, without converting time zones:
"2023-06-06T02:15:00Z" is 2023-06-06, the publisher's own statement of the day. Month and
weekday names and the prefixes of date lines ("Published:", "Posted by ... on") come from
kg/lexicon/boilerplate.toml.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.ingest.boilerplate import load_lexicon

DATELINE_SEARCH_LINES = 6  # how many of the first non-blank lines may hold a date-only line
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_TIME_SUFFIX = re.compile(
    r"\s*(?:,|\bat\b|-|–|—|\||·)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:\(?[A-Z]{2,5}\)?|UTC|GMT)?(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
_LEADING_TIME = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\b)?\s*,?\s*", re.IGNORECASE)
# "LONDON, March 1, 2008 —", "SAN JOSE, Calif., May 2, 2019 (Reuters) -": the date is group 1.
_WIRE_DATELINE = re.compile(
    r"\(?[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Za-z .'-]{1,30})?\)?,\s+(.{6,40}?)\s*(?:\([A-Za-z]+\)\s*)?[—–-]"
)


def normalize_date(value: str | None) -> str | None:
    """Read a date written as ISO ("2024-01-04", "2023-06-06T02:15:00Z") or in words ("March 1, 2008").

    Takes a string (or None); returns "YYYY-MM-DD" or None when it is not one clear, valid date.
    An ISO timestamp keeps its calendar date as written (no time-zone conversion).
    """
    if not value or not isinstance(value, str):
        return None
    value = " ".join(value.split())
    match = _ISO_DATE.match(value)
    if match:
        return _valid_date(match.group(1), match.group(2), match.group(3))
    return _date_from_line(value)


def _date_from_line(line: str) -> str | None:
    """Return the date if the whole line is a date (with optional "Published:" prefix and time)."""
    if len(line) > 80:
        return None
    lexicon = load_lexicon()
    rest = _TIME_SUFFIX.sub("", line).strip(" ,.|·-–—")
    for pattern in lexicon.date_patterns:
        match = pattern.fullmatch(rest)
        if match:
            return _date_from_match(match)
    return None


def _date_from_match(match: re.Match[str]) -> str | None:
    """Turn a date-pattern match (named groups year, month, day) into "YYYY-MM-DD"."""
    month = match.group("month")
    month_number = load_lexicon().months.get(month.lower()) if not month.isdigit() else int(month)
    if month_number is None:
        return None
    return _valid_date(match.group("year"), str(month_number), match.group("day"))


def _valid_date(year: str, month: str, day: str) -> str | None:
    """Return an ISO date string, or None if the parts do not make a real calendar date."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def take_dateline(lines: list[str]) -> tuple[str | None, list[str]]:
    """Find a date-only line among the first few non-blank lines; return (date, lines without it)."""
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        found = _date_from_line(" ".join(line.split()))
        if found:
            return found, lines[:index] + lines[index + 1 :]
        seen += 1
        if seen >= DATELINE_SEARCH_LINES:
            break
    return None, lines


def wire_dateline_date(paragraph: str) -> str | None:
    """Read the date of a wire dateline opening a paragraph: "LONDON, March 1, 2008 — ..."."""
    match = _WIRE_DATELINE.match(paragraph[:120])
    return _date_from_line(match.group(1)) if match else None


def labelled_date(lines: list[str]) -> tuple[str | None, list[str]]:
    """Find a date after a label inside one of the first lines: "By Ana Ruiz | Published: May 2, 2019, 3:20pm".

    Looks at the first DATELINE_SEARCH_LINES non-blank lines of at most 80 characters; the first
    label ("Published:", "UPDATED:", kg/lexicon/boilerplate.toml) followed by a date gives it.
    Returns (date, lines); the line leaves the text when it is short (at most 16 words) and does
    not end like a sentence, since then it is a byline or date bar, not article text.
    """
    lexicon = load_lexicon()
    seen = 0
    for index, line in enumerate(lines):
        line = " ".join(line.split())
        if not line:
            continue
        seen += 1
        if seen > DATELINE_SEARCH_LINES:
            break
        if len(line) > 80:
            continue
        for label in lexicon.labelled_date.finditer(line):
            found = _date_at_start(line[label.end() :])
            if found:
                bar = len(line.split()) <= 16 and not line.endswith(".")
                return found, (lines[:index] + lines[index + 1 :]) if bar else lines
    return None, lines


def _date_at_start(text: str) -> str | None:
    """Read a date written at the very start of `text`, perhaps after a clock time (what follows is ignored)."""
    text = _LEADING_TIME.sub("", text, count=1)
    for pattern in load_lexicon().date_patterns:
        match = pattern.match(text)
        if match:
            return _date_from_match(match)
    return None
