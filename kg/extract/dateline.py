"""The story's dateline: the place a wire story was filed from, and the events that take it.

A dateline opens the text or one of its first paragraphs: "SEOUL —", "ST. PAUL, Minn. —",
"KABUL, Afghanistan (Reuters) -", "LONDON, March 1, 2008 —". `dateline_spans` finds its place words
(entities.find_names makes them name mentions, typed by the gazetteer like any other name);
`dateline_place` returns the entity they became, when it is a place.

`attach_dateline_place` gives that place to the events that can soundly take it, as the role
`datelinePlace`, never `place` (kg:place is only ever read from the event's own sentence). An event
takes it only when all of these hold:
- its class happens at one place (the lexicon's `dateline_classes`: attacks, arrests, meetings, disasters
  ...; not statements, where a source spoke is not where the story was filed, nor movements and
  transfers, which join two places, nor changes, elections or unknown triggers);
- it has no place of its own, and its sentence names no other place than the dateline's (a country or
  city named in the sentence, even as an actor and even the dateline's own country, says the event may
  be elsewhere or country-wide: "REDMOND — ... after Britain's regulator cleared the deal"),
  describes none ("in the region", "at the scene") and says "worldwide", "abroad" or the like;
- it is told as having happened (asserted, not negated), not quoted, not attributed ("X said
  that ...", "according to X") and not anywhere in the clause a statement governs: a source's report may
  be about events anywhere; and it is one event, not a plural noun ("hundreds of mergers");
- it lies in the story's own time frame: not told in the past perfect ("had fled"), any date it or its
  sentence has falls within a week before the article's date (or, for a month or year, holds that
  date), and no other event of its sentence is dated outside that frame ("In 2019 a flood damaged it").
"""

from __future__ import annotations

from datetime import date, timedelta

from kg.extract.common import doc_view
from kg.extract.drafts import DATELINE_PLACE, PLACE, REPORTED_BY
from kg.extract.entity_cues import load_cues
from kg.extract.times import resolve_time
from kg.records import ASSERTED, CITY, PLACE_TYPES, REGION

DATELINE_PARAGRAPHS = 3  # a dateline may open any of the first paragraphs (a photo caption may come first)
STORY_WINDOW_DAYS = 7  # how far before the article's date an event still counts as the story's own news
_DASHES = frozenset({"—", "–", "-", "--", ":"})
_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october"}
    | {"november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"


def dateline_spans(tokens: list) -> list[tuple[int, int, str]]:
    """Find the dateline of an article.

    Takes the Doc's token list; returns the place spans of the first dateline opening one of the first
    DATELINE_PARAGRAPHS paragraphs as (start, end, kind) token ranges: the city (CITY), then the region or
    country after its comma (REGION) when there is one; [] when no paragraph opens with a dateline.
    """
    paragraph = 0
    at = 0
    while at < len(tokens) and paragraph < DATELINE_PARAGRAPHS:
        found = _dateline_at(tokens, at)
        if found:
            return found
        at = _next_paragraph(tokens, at)
        paragraph += 1
    return []


def _next_paragraph(tokens: list, at: int) -> int:
    """Return the index of the first token of the paragraph after the one holding token `at`."""
    n = at
    while n < len(tokens) and not (tokens[n].is_space and "\n" in tokens[n].text):
        n += 1
    while n < len(tokens) and tokens[n].is_space:
        n += 1
    return n


def _is_capital_word(token) -> bool:
    """Whether a token is an upper-case word of a dateline city: "SEOUL", "ST.", "WINSTON-SALEM"."""
    text = token.text
    return token.is_upper and text[0].isalpha() and all(ch.isalpha() or ch in ".-'’" for ch in text)


def _dateline_at(tokens: list, at: int) -> list[tuple[int, int, str]]:
    """Return the place spans of a dateline opening the paragraph at token `at`, or []."""
    n = at
    while n < len(tokens) and tokens[n].is_space:
        n += 1
    start = n
    while (
        n < len(tokens)
        and n - start < 6
        and (_is_capital_word(tokens[n]) or (tokens[n].text == "." and n > start and tokens[n - 1].is_alpha))
    ):
        n += 1
    if n == start or n >= len(tokens) or sum(ch.isalpha() for t in tokens[start:n] for ch in t.text) < 3:
        return []
    city = " ".join(t.text for t in tokens[start:n]).lower()
    if city in load_cues().dateline_words:
        return []
    found = [(start, n, CITY)]
    if tokens[n].text == ",":
        n += 1
        if n < len(tokens) and tokens[n].lower_.rstrip(".") not in _MONTHS:
            region_start = n
            while n < len(tokens) and (tokens[n].is_title or tokens[n].is_upper or tokens[n].text == "."):
                if n - region_start >= 4:
                    return []
                n += 1
            if n == region_start:
                return []
            found.append((region_start, n, REGION))
            if n < len(tokens) and tokens[n].text == "," and n + 1 < len(tokens):
                n += 1
        n = _skip_date(tokens, n)
    if n < len(tokens) and tokens[n].text == "(":
        close = n
        while close < len(tokens) and tokens[close].text != ")" and close - n < 8:
            close += 1
        n = close + 1
    if n >= len(tokens) or tokens[n].text not in _DASHES:
        return []
    return found


def _skip_date(tokens: list, n: int) -> int:
    """Skip a date written in a dateline ("March 1, 2008"); return the index after it (n when none)."""
    if n >= len(tokens) or tokens[n].lower_.rstrip(".") not in _MONTHS:
        return n
    n += 1
    while n < len(tokens) and (tokens[n].is_digit or tokens[n].text == ","):
        n += 1
    return n


def dateline_place(spans: list[tuple[int, int, str]], index) -> str | None:
    """Take the spans `dateline_spans` found and the EntityIndex; return the key of the dateline's place entity.

    That is the entity of the city (the first span); None when there is no dateline or its entity is no place.
    """
    if not spans:
        return None
    tokens = index.doc
    key = index.entity_for_token(tokens[spans[0][0]])
    if key is None or index.entity(key).type not in PLACE_TYPES:
        return None
    return key


def attach_dateline_place(drafts, index, place_key: str | None, article_date: str | None, lexicon) -> None:
    """Give the dateline place to every event that can soundly take it (see the module docstring).

    Takes the event drafts (after modality, times and attribution), the EntityIndex, the dateline place's entity
    key (or None: then nothing happens), the article's ISO date (or None) and the TriggerLexicon (its
    `dateline_classes` list); adds a `datelinePlace` role.
    """
    if place_key is None:
        return
    reported = {key for draft in drafts for key in draft.about}
    speech = {d.anchor.i for d in drafts if d.type == "Statement"} | {
        d.token.i for d in drafts if d.type == "Statement"
    }
    out_of_time = {_sentence_of(d) for d in drafts if d.date is not None and not _in_story_time(d.date, article_date)}
    view = doc_view(index.doc)
    home = {place_key}
    checked: dict[int, bool] = {}  # sentence index -> whether it leaves its events at the dateline
    for draft in drafts:
        if not lexicon.has("dateline_classes", draft.type) or draft.key in reported:
            continue
        if _told_by_a_statement(draft.token, speech) or (draft.nominal and draft.token.tag_ == "NNS"):
            continue  # what a source says; a plural noun tells of many events ("hundreds of mergers")
        if draft.negated or draft.modality != ASSERTED or any(r.name in (PLACE, REPORTED_BY) for r in draft.roles):
            continue
        if _past_perfect(draft.anchor) or not _in_story_time(draft.date, article_date):
            continue
        number = _sentence_of(draft)
        if number not in checked:
            checked[number] = _sentence_fits(view.sentences[number], index, home, article_date)
        if draft.date is None and number in out_of_time:
            continue  # "In 2019 a flood damaged it": the flood has the date of the clause it is told in
        if checked[number] and not _quoted(view.sentences[number], draft.token):
            draft.add_role(DATELINE_PLACE, place_key)


def _told_by_a_statement(token, speech: set[int]) -> bool:
    """Whether a token lies in the clause a Statement's verb governs ("said he had agreed to an inquiry")."""
    return any(ancestor.i in speech for ancestor in token.ancestors)


def _sentence_of(draft) -> int:
    """Return the index of the sentence holding an event draft's trigger."""
    return doc_view(draft.token.doc).sentence_of[draft.token.i]


def _sentence_fits(sentence, index, home: set[str], article_date: str | None) -> bool:
    """Whether a sentence leaves its events at the dateline: it names and describes no other place, and no time
    expression in it lies outside the story's own time."""
    cues = load_cues()
    for token in sentence:
        if token.lower_ in cues.elsewhere_words:
            return False
        if (token.lower_ in cues.place_nouns or token.lower_ in cues.region_words) and token.dep_ in ("pobj", "dobj"):
            return False  # "killed in the region", "arrested at the scene", "struck the Noto peninsula"
        if _placing_name(token, cues) and index.entity_for_token(token) not in home:
            return False  # "in Herat", whatever class the name was given
    if _names_other_place(sentence, index, home):
        return False
    dates = (resolve_time(ent.text, article_date) for ent in sentence.ents if ent.label_ == "DATE")
    return all(_in_story_time(when, article_date) for when in dates if when is not None)


def _placing_name(token, cues) -> bool:
    """Whether a token is a proper name after a placing preposition ("in Herat", "near Tikrit")."""
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "pobj"
        and token.head.lower_ in cues.place_prepositions
        and token.ent_type_ not in ("DATE", "TIME")
    )


def _names_other_place(sentence, index, home: set[str]) -> bool:
    """Whether a sentence mentions a place whose key is not in `home` (an entity or a GPE/LOC name)."""
    for token in sentence:
        key = index.entity_for_token(token)
        if key is not None and key not in home and index.entity(key).type in PLACE_TYPES:
            return True
        if key is None and token.ent_type_ in ("GPE", "LOC"):
            return True
    return False


def _quoted(sentence, token) -> bool:
    """Whether a token lies inside quotation marks within its sentence."""
    before = sentence.doc.text[sentence.start_char : token.idx]
    curly = sum(before.count(q) for q in _OPEN_QUOTES) - sum(before.count(q) for q in _CLOSE_QUOTES)
    return curly > 0 or before.count('"') % 2 == 1


def _past_perfect(verb) -> bool:
    """Whether a verb is told in the past perfect ("had fled", "had been operating"): background, not the news."""
    return verb.tag_ in ("VBN", "VBG") and any(
        child.dep_ in ("aux", "auxpass") and child.lower_ in ("had", "'d") for child in verb.children
    )


def _in_story_time(event_date: str | None, article_date: str | None) -> bool:
    """Whether an event's date (ISO date, year-month or year; None when unknown) fits the story's own time.

    An undated event fits; a dated one fits when the article's date is known and the date is at most
    STORY_WINDOW_DAYS before it (or a day after), or, for a month or a year, holds the article's date.
    """
    if event_date is None:
        return True
    if article_date is None:
        return False
    try:
        published = date.fromisoformat(article_date[:10])
    except ValueError:
        return False
    if len(event_date) < 10:
        return published.isoformat().startswith(event_date)
    try:
        when = date.fromisoformat(event_date)
    except ValueError:
        return False
    return published - timedelta(days=STORY_WINDOW_DAYS) <= when <= published + timedelta(days=1)
