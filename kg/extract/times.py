"""Times: find the time expression an event's verb governs and resolve it against the article's date.

Resolution is deterministic and never looks at the clock; the reference is `Article.date` (YYYY-MM-DD):

* weekdays ("on Friday") -> the most recent such day on or before the reference (the next one on or after it
  when the event's verb is in the future tense: "will open on Friday");
* "today", "tonight", "this morning" -> the reference; "yesterday", "last night" -> the day before;
  "tomorrow" -> the day after; "a day earlier", "the day before", "the previous day" -> the day before the
  date of the previous dated event of the article (else the day before the reference);
* a month and day without a year ("on December 3") -> the most recent such date on or before the reference
  (the next one in the future tense); a month alone ("in November") -> the most recent such month (YYYY-MM);
* explicit dates: "December 3, 2024", "3 December 2024", "2024-12-03" -> YYYY-MM-DD; "January 2022" -> YYYY-MM;
  "2015" -> YYYY;
* "this year", "last year", "next year" -> YYYY; "this month", "last month", "next month" -> YYYY-MM;
* a clock time alone ("at 3:10 a.m. local time") -> the reference (no date in the future tense); with a day
  ("at 9 p.m. on Tuesday") -> that day; a part of day after a weekday ("Thursday night") -> that weekday;
  "the end/beginning/middle of September" -> the month;
* "by May 29" is a deadline: its date is the latest day the event can happen on;
* "two days after the election" dates the event noun (or clause) after "after"/"before" from the main
  clause's date (the article's date when the main verb is in the present), or the main clause from it;
* "last week", "this week", decades ("the late 1990s"), durations and anything else -> no date; the expression
  is still kept as `time_text` when the event's verb governs it as a time modifier.

Without an article date only explicit dates resolve. Which event gets an expression: the one whose trigger or
anchor governs it in the parse ("on"/"in"/"at"/"during" + date, or a bare date as npadvmod); when the
governor is no event (a PP attached high: "executed a warrant over Yoon's declaration of martial law on
December 3"), the nearest event trigger before the expression inside the governor's phrase, or failing
that the event heading the governor noun ("a protest in the capital, Lima, Sunday"). A possessive time
("Sunday's election") dates the noun it qualifies. A time written after the last of coordinated verbs that
share one subject ("was detained and taken to prison on May 4") dates each of them.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.extract.common import GENERIC, children, doc_view
from kg.extract.time_offsets import attach_offset, offset_of, shift_month

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20|21)\d\d)"
_PATTERNS = (
    re.compile(rf"^(?P<iso>{_YEAR}-(?P<m>\d\d)-(?P<d>\d\d))$"),
    re.compile(rf"^{_MONTH} {_DAY},? {_YEAR}$"),
    re.compile(rf"^{_DAY} (?:of )?{_MONTH},? {_YEAR}$"),
    re.compile(rf"^{_MONTH} {_DAY}$"),
    re.compile(rf"^{_DAY} (?:of )?{_MONTH}$"),
    re.compile(rf"^{_MONTH},? {_YEAR}$"),
    re.compile(rf"^{_MONTH}$"),
    re.compile(rf"^{_YEAR}$"),
)
_LEADING = re.compile(
    r"^(?:(?:on|in|at|during|late|early|earlier|later|mid|the|of|last|this|next|since|by|from|until)\b[\s-]*)+"
)
_LEADING_KEEP = re.compile(r"^(?:(?:on|in|at|during|late|early|mid|the|of)\b[\s-]*)+")
_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "yesterday": -1,
    "last night": -1, "yesterday morning": -1, "yesterday afternoon": -1, "yesterday evening": -1, "tomorrow": 1,
}  # fmt: skip
_DAY_BEFORE = ("a day earlier", "the day before", "the previous day", "a day before", "one day earlier")
_POINT_PREPS = frozenset({"on", "in", "at", "during"})
# "by May 29": a deadline; its date is the latest day the event can happen on.
_DEADLINE_PREPS = frozenset({"by"})
_PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night|overnight)$")
_PART_OF_MONTH = re.compile(r"^(?:the\s+)?(?:end|beginning|start|middle|close|turn)\s+of\s+(?:the\s+)?")
_CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)(?=\W|$)|\b\d{1,2}:\d\d\b|\b(?:noon|midnight)\b"
)
# An expression that names a point or period of the calendar (not "in more than a century", "three days").
_CALENDAR_WORD = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|yesterday|tomorrow|morning|"
    r"afternoon|evening|night|week|weekend|month|year|earlier|ago|dawn|noon|midnight|spring|summer|autumn|fall|"
    r"winter|quarter|"
    + "|".join(_MONTHS)
    + r")\b|\b\d{4}\b|\d{4}-\d\d|\b\d{1,2}(?::\d\d)?\s*[ap]\.?\s?m\b|\b\d{1,2}:\d\d\b"
)


def _parse_reference(reference: str | None) -> dt.date | None:
    if not reference:
        return None
    try:
        return dt.date.fromisoformat(reference[:10])
    except ValueError:
        return None


def _month_day(month: int, day: int, ref: dt.date, future: bool) -> str | None:
    for year in (ref.year, ref.year - 1, ref.year + 1) if not future else (ref.year, ref.year + 1, ref.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if (candidate <= ref) != future or candidate == ref:
            return candidate.isoformat()
    return None


def resolve_time(text: str, reference: str | None = None, *, future: bool = False, previous: str | None = None):
    """Resolve a time expression to "YYYY-MM-DD", "YYYY-MM" or "YYYY", or None when it names no determinable time.

    Takes the expression as written, the article's date (ISO, or None), whether the event's verb is in the future tense
    (look forward instead of back), and the date of the previously dated event (for "a day earlier").
    """
    words = " ".join(text.lower().replace(",", " ,").replace(" ,", ",").split())
    ref = _parse_reference(reference)
    if _CLOCK.search(words):
        rest = " ".join(_CLOCK.sub(" ", words).replace("local time", " ").split()).strip(" .,")
        if _CALENDAR_WORD.search(rest):
            return resolve_time(rest, reference, future=future, previous=previous)  # "3 p.m. on Friday"
        # A bare clock time ("at 3:10 a.m. local time") names a moment of the article's own day.
        return None if ref is None or future else ref.isoformat()
    relative = _relative(words, ref, future, previous)
    if relative is not False:
        return relative
    core = _LEADING.sub("", words).strip(" .,")
    core = _PART_OF_MONTH.sub("", core)
    for pattern in _PATTERNS:
        match = pattern.match(core)
        if match:
            return _from_match(match, ref, future)
    return None


def _relative(words: str, ref: dt.date | None, future: bool, previous: str | None):
    """Resolve expressions relative to the reference; return False when `words` is not one of them."""
    bare = _LEADING_KEEP.sub("", words).strip(" .,")
    if bare not in _RELATIVE_DAYS:
        bare = _PART_OF_DAY.sub("", bare).strip()  # "Thursday night" -> "thursday"
    if bare in _RELATIVE_DAYS:
        return None if ref is None else (ref + dt.timedelta(days=_RELATIVE_DAYS[bare])).isoformat()
    if any(words.endswith(phrase) for phrase in _DAY_BEFORE):
        base = _parse_reference(previous) if previous and len(previous) == 10 else ref
        return None if base is None else (base - dt.timedelta(days=1)).isoformat()
    if bare in _WEEKDAYS:
        if ref is None:
            return None
        delta = (ref.weekday() - _WEEKDAYS.index(bare)) % 7
        day = ref + dt.timedelta(days=(-delta if not future else (7 - delta) % 7))
        return day.isoformat()
    match = re.fullmatch(r"(this|last|next|past|coming) (year|month|week)", bare)
    if match:
        if ref is None or match.group(2) == "week":
            return None
        step = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}[match.group(1)]
        if match.group(2) == "year":
            return str(ref.year + step)
        year, month = shift_month(ref.year, ref.month, step)
        return f"{year:04d}-{month:02d}"
    return False


def _from_match(match, ref: dt.date | None, future: bool) -> str | None:
    groups = match.groupdict()
    if groups.get("iso"):
        try:
            return dt.date(int(groups["year"]), int(groups["m"]), int(groups["d"])).isoformat()
        except ValueError:
            return None
    month = _MONTHS.get(groups["month"]) if groups.get("month") else None
    year = int(groups["year"]) if groups.get("year") else None
    day = int(groups["day"]) if groups.get("day") else None
    if month and day and year:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    if month and day:
        return None if ref is None else _month_day(month, day, ref, future)
    if month and year:
        return f"{year:04d}-{month:02d}"
    if month:
        if ref is None:
            return None
        if future:
            year = ref.year if month >= ref.month else ref.year + 1
        else:
            year = ref.year if month <= ref.month else ref.year - 1
        return f"{year:04d}-{month:02d}"
    if year:
        return str(year)
    return None


# -- finding the expressions in a Doc ---------------------------------------------------------------


_MISSED = re.compile(
    r"\b(?:(?:a|one|the) day (?:earlier|before)|the previous day|yesterday|today|tonight|tomorrow|"
    + "|".join(_WEEKDAYS)
    + r")\b",
    re.IGNORECASE,
)


def _time_spans(doc) -> list:
    """DATE and TIME entities, plus weekday names and relative-day expressions ("a day earlier") the NER missed."""
    view = doc_view(doc)
    spans = [_with_part_of_day(ent) for ent in view.ents if ent.label_ in ("DATE", "TIME")]
    spans = [span for i, span in enumerate(spans) if not (i and spans[i - 1].end > span.start)]
    covered = {i for span in spans for i in range(span.start, span.end)}
    for match in _MISSED.finditer(view.text):
        span = doc.char_span(match.start(), match.end())
        if span is not None and not any(i in covered for i in range(span.start, span.end)):
            spans.append(span)
            covered.update(range(span.start, span.end))
    return spans


def _with_part_of_day(span):
    """Extend "Thursday" to "Thursday night" when the parser made the weekday a compound of the part of day."""
    root = span.root
    head = root.head
    if root.dep_ == "compound" and head.i == span.end and _PART_OF_DAY.search(" " + head.lower_):
        return span.doc[span.start : head.i + 1]
    return span


def _governor(span):
    """Return (governing token, expression start token index) for a time span used as a modifier, else None.

    "on/in/at/during/by + time" gives the preposition's head; a bare time ("Saturday") its head; a possessive
    time ("Sunday's election") the noun it qualifies.
    """
    root = span.root
    if root.dep_ == "poss" and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head, span.start
    preps = _POINT_PREPS | _DEADLINE_PREPS
    if root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.lower_ in preps:
        prep = root.head
        start = prep.i
        before = prep.doc[start - 1] if start > 0 else None
        if before is not None and before.lower_ in ("late", "early") and before.head == prep.head:
            start -= 1
        return prep.head, start
    if root.dep_ in ("npadvmod", "tmod", "advmod", "nmod") and root.head != root:
        return root.head, span.start
    return None


def attach_times(drafts, doc, reference: str | None) -> None:
    """Give each event the time expression its trigger or anchor governs, resolved against `reference`.

    Takes event drafts (kg.extract.drafts.EventDraft), the Doc and the article's ISO date (or None);
    sets `date` and `time_text` in place; returns None.
    """
    by_token: dict[int, list] = {}
    for draft in drafts:
        for holder in draft.holders:
            by_token.setdefault(holder.i, []).append(draft)
    found = []
    offsets = []
    for span in _time_spans(doc):
        if offset_of(span) is not None:
            offsets.append(span)
            continue
        governed = _governor(span)
        if governed is None:
            continue
        governor, start = governed
        if not _CALENDAR_WORD.search(span.text.lower()):
            continue
        targets = _targets(governor, span, by_token, drafts)
        if targets:
            found.append((span, start, _with_conjuncts(targets, governor, span, by_token)))
    previous: str | None = None
    view = doc_view(doc)
    for span, start, targets in sorted(found, key=lambda item: item[0].start):
        text = view.span_text(start, span.end)
        for draft in targets:
            if draft.time_text is not None:
                continue
            future = _is_future(draft.anchor)
            draft.time_text = text
            draft.date = resolve_time(text, reference, future=future, previous=previous)
            if draft.date and len(draft.date) == 10:
                previous = draft.date
    for span in offsets:
        attach_offset(span, by_token, reference, view, drafts)


def _targets(governor, span, by_token: dict[int, list], drafts) -> list:
    """The drafts a time expression governed by `governor` belongs to (see the module docstring)."""
    targets = by_token.get(governor.i)
    if not targets or all(draft.type == GENERIC for draft in targets):
        # Right association: an event the lexicon knows, nearer to the phrase, beats an unknown verb above it
        # ("executed a warrant over Yoon's declaration of martial law on December 3").
        inside = [d for d in _nearest_inside(governor, span.start, drafts) if d.type != GENERIC]
        targets = inside or targets or _nearest_inside(governor, span.start, drafts)
    if not targets and governor.pos_ in ("NOUN", "PROPN") and span.root.dep_ != "poss":
        targets = _climb_to_event(governor, by_token)
    return targets or []


def _climb_to_event(noun, by_token: dict[int, list]) -> list:
    """A time hung on a noun that is no event ("a march in the capital, Lima, Sunday"): the event heading it."""
    token = noun
    for _ in range(5):
        if token.dep_ not in ("pobj", "prep", "appos", "dobj", "nsubj", "nsubjpass", "conj", "compound", "npadvmod"):
            return []
        token = token.head
        if token.i in by_token:
            return by_token[token.i]
    return []


def _with_conjuncts(targets: list, governor, span, by_token: dict[int, list]) -> list:
    """Share a time written after the last of coordinated verbs with the earlier ones that share its subject.

    "was detained and taken to a prison on May 4": the detention is dated too. Verbs with their own subject
    ("police detained him and his lawyer left on May 4") keep their own times.
    """
    token = governor
    if token.pos_ not in ("VERB", "AUX") or span.start < token.i:
        return targets
    shared = list(targets)
    while token.dep_ == "conj" and not _has_subject(token) and token.head.pos_ in ("VERB", "AUX"):
        token = token.head
        shared.extend(d for d in by_token.get(token.i, []) if d not in shared)
    return shared


def _has_subject(verb) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in children(verb))


def _is_future(anchor) -> bool:
    """Whether the event's verb (or the verb controlling it) is in the future tense: "will open on Friday"."""
    verbs = [anchor, anchor.head] if anchor.dep_ == "xcomp" else [anchor]
    return any(
        child.dep_ == "aux" and child.lower_ in ("will", "shall", "'ll") for verb in verbs for child in children(verb)
    )


def _nearest_inside(governor, limit: int, drafts) -> list:
    """The draft(s) whose trigger is nearest before `limit` inside the governor's phrase, excluding clauses."""
    best = None
    for draft in drafts:
        token = draft.token
        if token.i >= limit or token.i <= governor.i and governor.pos_ in ("VERB", "AUX"):
            continue
        if not (governor.left_edge.i <= token.i <= governor.right_edge.i):
            continue
        if best is None or token.i > best.token.i:
            best = draft
    return [best] if best is not None else []
