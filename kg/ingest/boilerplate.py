"""The ingest lexicon: kg/lexicon/boilerplate.toml compiled once.

It holds the rules for page-furniture lines (used by kg/ingest/text.py to drop them) and the
words of dates, month and weekday names and the "Published:"-style prefixes (used by
kg/ingest/dates.py to read date-only lines and datelines).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

LEXICON_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "boilerplate.toml"


@dataclass(frozen=True)
class Rule:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int
    # The patterns as one alternation: it fullmatches a line exactly when one of them does, in one call
    # (every line of every page is tried against every rule).
    anyof: re.Pattern[str]

    def fullmatches(self, line: str) -> bool:
        """True if one of the rule's patterns matches the whole line."""
        return self.anyof.fullmatch(line) is not None


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    months: dict[str, int]
    date_patterns: tuple[re.Pattern[str], ...]  # each matches a whole date-only line
    weekdays: frozenset[str] = frozenset()
    labelled_date: re.Pattern[str] | None = None  # "Published:", "UPDATED:" ... inside a line
    trailer_headings: tuple[re.Pattern[str], ...] = ()  # a heading that ends the body
    end_markers: tuple[re.Pattern[str], ...] = ()  # a media widget line that ends the body
    inline_credits: tuple[re.Pattern[str], ...] = ()  # removed wherever they occur in a line
    inline_byline: re.Pattern[str] | None = None  # "By First Last" glued to the first sentence
    site_words: frozenset[str] = frozenset()  # words that mark a headline's tail as a site name

    def is_block_marker(self, line: str) -> bool:
        """True for a trailer heading or media widget line, which the block rules need to see."""
        name = line.strip().strip("=").strip().rstrip(":").strip()
        return any(p.fullmatch(name) for p in self.trailer_headings) or any(p.fullmatch(line) for p in self.end_markers)


@functools.cache
def load_lexicon() -> Lexicon:
    """Load and compile kg/lexicon/boilerplate.toml (once)."""
    with LEXICON_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    default_max = int(data.get("max_words", 20))
    rules = []
    for rule in data["rule"]:
        flags = 0 if rule.get("case_sensitive") else re.IGNORECASE
        patterns = tuple(re.compile(p, flags) for p in rule["patterns"])
        anyof = re.compile("|".join(f"(?:{p})" for p in rule["patterns"]), flags)
        rules.append(Rule(rule["name"], patterns, int(rule.get("max_words", default_max)), anyof))
    dateline = data["dateline"]
    months = {name.lower(): int(number) for name, number in dateline["months"].items()}
    weekdays = tuple(dateline["weekdays"]["names"])
    month = "|".join(sorted(months, key=len, reverse=True))
    weekday = "|".join(sorted(weekdays, key=len, reverse=True))
    lead = rf"(?:{dateline['prefix']})?(?:(?:{weekday})\.?,?\s+)?"
    date_patterns = (
        re.compile(rf"{lead}(?P<month>{month})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I),
        re.compile(rf"{lead}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{month})\.?,?\s+(?P<year>\d{{4}})", re.I),
        re.compile(rf"{lead}(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?:T\S*)?", re.I),
        re.compile(rf"{lead}(?P<year>\d{{4}})/(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})", re.I),
    )
    blocks = data["blocks"]
    agencies = "|".join(blocks["byline_agencies"])
    inline_byline = re.compile(
        rf"(?:By|BY) (?P<first>[A-Z][a-z'’-]+)(?: [A-Z]\.)? [A-Z][a-z'’-]+(?:,? (?i:{agencies}))?,? (?=[A-Z\"“])"
    )

    def compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in patterns)

    return Lexicon(
        tuple(rules),
        months,
        date_patterns,
        weekdays=frozenset(w.lower() for w in weekdays),
        labelled_date=re.compile(rf"\b(?:{dateline['label']})\s*:?\s*", re.IGNORECASE),
        trailer_headings=compiled(blocks["trailer_headings"]),
        end_markers=compiled(blocks["end_markers"]),
        inline_credits=compiled(blocks["inline_credits"]),
        inline_byline=inline_byline,
        site_words=frozenset(w.casefold() for w in data["site"]["words"]),
    )
