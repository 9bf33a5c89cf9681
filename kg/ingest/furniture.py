"""Page furniture that a single-line pattern cannot see: rules over the article's paragraphs.

Line patterns (kg/lexicon/boilerplate.toml, applied in kg/ingest/text.py) drop lines that are
furniture on their own. The rules here need context, and each is guarded so that it can never
eat the article: a rule that cuts the rest of a page only fires after a paragraph of prose and
only when what it cuts is shorter than what it keeps; rules for the lead and the tail stop at the
first (last) paragraph of prose, and do nothing when there is none.

In order, `strip_page_furniture`:
1. fixes paragraphs inside: a run of dashes becomes a paragraph break; an inline byline glued to
   the first sentence ("By Ana Ruiz Police said ..."), "(Reporting by ...)", "compiled from
   agency reports", "Photo by ..." sentences and licence tags "(CC BY 2.0)" go;
2. ends the body at a trailer heading ("== Sources ==", "Related news", "See also") or a media
   widget ("No media source currently available", "16x9 Image"); before any prose such a
   heading or widget line alone goes;
3. drops bullet lines that read as headlines, not sentences, when two or more follow each other
   or when they sit before the first or after the last prose paragraph, and bullet lines that
   repeat a body paragraph (summary bullets);
4. drops copies of the headline in the lead that add only a site name or brackets;
5. drops short lines that are no sentence before the first prose paragraph (site names, map
   labels, stray dates) and after the last one (video teasers, programme names).

`without_site_suffix` takes the site's name off a headline ("... | ZDNet", "... – TechCrunch").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kg.ingest.boilerplate import load_lexicon
from kg.ingest.text import is_furniture

LEAD_MAX_WORDS = 6  # a lead line longer than this is kept even when it is no sentence
TAIL_MAX_WORDS = 12
HEADLINE_MAX_WORDS = 20  # a bullet line longer than this is read as a sentence
HEADLINE_COPY_SEARCH = 8  # how many leading paragraphs may hold a copy of the headline
HEADLINE_COPY_MAX_EXTRA = 60  # letters and digits a copy may add (site name, brackets)
SUMMARY_OVERLAP = 0.8  # share of a bullet's words found in one body paragraph to call it a summary

_SENTENCE_ENDS = (".", "!", "?", "。", "！", "？", "…", "؟", "۔", "।", "॥", "።")
_CLOSERS = "\"'”’»)]"
_BULLET = re.compile(r"[•·▪►◦‣∙●*–-]\s+")
_SEPARATOR = re.compile(r"\s+[-—–_=*]{5,}\s+")
_WORD = re.compile(r"\w+")
_SUFFIX_SEPARATOR = re.compile(r"\s+(?:\||–|—|-|::|·)\s+")
# One word naming a site: "ZDNet", "TechCrunch", "Example.com".
_BRAND = re.compile(r"(?=\w*[a-z])[A-Z][a-z]*[A-Z]\w*|[\w-]+\.(?:com|org|net|co\.uk|de|fr|info)")
# Scripts written without spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer, kana, CJK.
_UNSPACED = re.compile(r"[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def looks_like_prose(paragraph: str) -> bool:
    """True for a paragraph that reads like article text: a sentence of six or more words.

    In a script written without spaces (Chinese, Japanese, Thai ...) fifteen such characters
    count as enough words. The paragraph must end like a sentence (., !, ?, 。, ؟, । ...).
    """
    stripped = paragraph.rstrip(_CLOSERS)
    if not stripped.endswith(_SENTENCE_ENDS):
        return False
    return len(paragraph.split()) >= 6 or len(_UNSPACED.findall(paragraph)) >= 15


def strip_page_furniture(paragraphs: list[str], titles: list[str] = ()) -> list[str]:
    """Apply the context rules of the module docstring to an article's paragraphs.

    Takes the paragraphs (already cleaned line by line) and the article's headline(s); returns the
    paragraphs that remain, in order. Never returns an empty list for a non-empty input that
    holds a prose paragraph.
    """
    paragraphs = [p for paragraph in paragraphs for p in _fixed_inside(paragraph)]
    paragraphs = _end_at_trailer(paragraphs)
    paragraphs = _without_headline_bullets(paragraphs)
    paragraphs = _without_headline_copies(paragraphs, titles)
    return _without_short_lead_and_tail(paragraphs)


def without_site_suffix(title: str, url: str | None = None) -> str:
    """Take a site's name off the end of a headline: "Chips get cheaper | ZDNet" -> "Chips get cheaper".

    After " | " any short tail (at most five words) is a site name. After a dash, "::" or "·" the
    tail must also look like one: it names the URL's host, holds a word such as "News" or
    "Times" (kg/lexicon/boilerplate.toml [site]), or is one CamelCase or domain-like word. Returns
    the headline unchanged when no such tail is found.
    """
    parts = _SUFFIX_SEPARATOR.split(title)
    seps = _SUFFIX_SEPARATOR.findall(title)
    if len(parts) < 2:
        return title
    tail, sep = parts[-1], seps[-1].strip()
    head = title[: title.rfind(seps[-1])]
    if len(tail.split()) > 5 or not head.strip() or len(_comparable(head)) < len(_comparable(tail)):
        return title
    if sep == "|" or _names_site(tail, url):
        return head.strip()
    return title


def _names_site(tail: str, url: str | None) -> bool:
    """True if the tail of a headline looks like the name of a site (see without_site_suffix)."""
    key = _comparable(tail)
    host = _comparable(urlsplit(url).hostname or "") if url else ""
    if key and host and (key in host or host.removeprefix("www") in key):
        return True
    words = {w.casefold() for w in _WORD.findall(tail)}
    if words & load_lexicon().site_words:
        return True
    single = tail.split()
    return len(single) == 1 and bool(
        re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*|[\w-]+\.(?:com|org|net|co\.uk|de|fr|info)", tail)
    )


# --- 1. inside paragraphs ---------------------------------------------------------------------


def _fixed_inside(paragraph: str) -> list[str]:
    """Split a paragraph at dash rules and remove inline credits; return the pieces that remain."""
    lexicon = load_lexicon()
    pieces = []
    for piece in _SEPARATOR.split(paragraph):
        for pattern in lexicon.inline_credits:
            piece = pattern.sub("", piece)
        piece = _without_inline_byline(" ".join(piece.split()))
        if piece and not is_furniture(piece):
            pieces.append(piece)
    return pieces


def _without_inline_byline(paragraph: str) -> str:
    """Remove a byline glued to the first sentence: "By Ana Ruiz Police said ..." -> "Police said ..."."""
    match = load_lexicon().inline_byline.match(paragraph)
    if not match:
        return paragraph
    first_name = match.group("first").casefold()
    rest = paragraph[match.end() :]
    if first_name in load_lexicon().months or first_name in load_lexicon().weekdays or not looks_like_prose(rest):
        return paragraph
    return rest


# --- 2. trailer sections and media widgets ---------------------------------------------------


def _end_at_trailer(paragraphs: list[str]) -> list[str]:
    """Cut the body at the first trailer heading or media widget that follows prose (guarded)."""
    lexicon = load_lexicon()
    kept: list[str] = []
    seen_prose = False
    for index, paragraph in enumerate(paragraphs):
        heading = _is_heading(paragraph)
        widget = heading is None and any(p.fullmatch(paragraph) for p in lexicon.end_markers)
        if heading == "section":
            continue  # a wikitext heading of another section: the heading line goes
        if heading == "trailer" or widget:
            if seen_prose and sum(map(len, paragraphs[index:])) <= sum(map(len, kept)):
                return kept
            continue  # before any prose, or too long to be a trailer: the line alone goes
        kept.append(paragraph)
        seen_prose = seen_prose or looks_like_prose(paragraph)
    return kept


def _is_heading(paragraph: str) -> str | None:
    """ "trailer" for a heading that ends the body ("== Sources ==", "See also:"), "section" for any
    other wikitext heading ("== Background =="), else None."""
    lexicon = load_lexicon()
    wiki = re.fullmatch(r"(={2,6})\s*([^=]{1,80}?)\s*\1", paragraph)
    name = (wiki.group(2) if wiki else paragraph).strip().rstrip(":").strip()
    if len(name.split()) <= 5 and any(p.fullmatch(name) for p in lexicon.trailer_headings):
        return "trailer"
    return "section" if wiki else None


# --- 3. bullet lines ---------------------------------------------------------------------------


def _without_headline_bullets(paragraphs: list[str]) -> list[str]:
    """Drop headline-like bullet lines in runs, in the lead or tail, and summary bullets."""
    bullets = [bool(_BULLET.match(p)) for p in paragraphs]
    headline = [b and _reads_as_headline(_BULLET.sub("", p, count=1)) for p, b in zip(paragraphs, bullets, strict=True)]
    prose = [looks_like_prose(p) and not b for p, b in zip(paragraphs, bullets, strict=True)]
    if not any(prose):
        return paragraphs
    first, last = prose.index(True), len(prose) - 1 - prose[::-1].index(True)
    bodies = [set(_words(p)) for p, b in zip(paragraphs, bullets, strict=True) if not b]
    kept = []
    for index, paragraph in enumerate(paragraphs):
        if headline[index]:
            in_run = (index > 0 and headline[index - 1]) or (index + 1 < len(headline) and headline[index + 1])
            if in_run or index < first or index > last:
                continue
        if bullets[index] and _repeats_a_body_paragraph(paragraph, bodies):
            continue
        kept.append(paragraph)
    return kept


def _reads_as_headline(line: str) -> bool:
    """True for a line that is a headline, not a sentence: short, no final full stop (or led by a date)."""
    if len(line.split()) > HEADLINE_MAX_WORDS:
        return False
    dated = re.match(r"\d{1,2} \w+ \d{4}:|\w+ \d{1,2}, \d{4}:|\d{4}-\d{2}-\d{2}:", line)
    return bool(dated) or not line.rstrip(_CLOSERS).endswith(_SENTENCE_ENDS)


def _repeats_a_body_paragraph(bullet: str, bodies: list[set[str]]) -> bool:
    """True if most words of a bullet line appear in one non-bullet paragraph (a summary bullet)."""
    words = set(_words(bullet))
    if len(words) < 4:
        return False
    return any(len(words & body) >= SUMMARY_OVERLAP * len(words) for body in bodies)


# --- 4-5. the lead and the tail ----------------------------------------------------------------


def _without_headline_copies(paragraphs: list[str], titles: list[str]) -> list[str]:
    """Drop lead paragraphs (not prose) that hold a headline plus at most a site name or brackets."""
    keys = [k for k in (_comparable(t) for t in titles) if len(k) >= 12]
    if not keys:
        return paragraphs
    kept = []
    for index, paragraph in enumerate(paragraphs):
        if index < HEADLINE_COPY_SEARCH and not looks_like_prose(paragraph) and _is_headline_copy(paragraph, keys):
            continue
        kept.append(paragraph)
    return kept if kept else paragraphs


def _is_headline_copy(paragraph: str, keys: list[str]) -> bool:
    """True if the paragraph holds one of the headline keys (or a cut-off copy of one) and little more."""
    text = _comparable(paragraph)
    for key in keys:
        found = key in text
        if not found:  # a copy cut short: "... Break Up Rally, Arrest Oppo"
            prefix = key[: max(12, int(len(key) * 0.6))]
            found = prefix in text and len(text) <= len(key) + HEADLINE_COPY_MAX_EXTRA
        if found and len(text) - len(key) <= HEADLINE_COPY_MAX_EXTRA:
            return True
    return False


def _without_short_lead_and_tail(paragraphs: list[str]) -> list[str]:
    """Drop short non-sentence lines before the first and after the last prose paragraph."""
    prose = [looks_like_prose(p) for p in paragraphs]
    if not any(prose):
        return paragraphs
    first, last = prose.index(True), len(prose) - 1 - prose[::-1].index(True)
    kept = []
    for index, paragraph in enumerate(paragraphs):
        words = len(paragraph.split())
        open_ended = paragraph.rstrip().endswith(("—", "–", "-"))  # a dateline leading into the text
        sentence = paragraph.rstrip(_CLOSERS).endswith(_SENTENCE_ENDS)
        if index < first and words <= LEAD_MAX_WORDS and not sentence and not open_ended:
            continue
        if index > last and words <= TAIL_MAX_WORDS and not sentence:
            continue
        kept.append(paragraph)
    return kept


def _words(text: str) -> list[str]:
    """The lower-cased words of three or more letters in a text."""
    return [w for w in _WORD.findall(text.casefold()) if len(w) >= 3]


def _comparable(line: str) -> str:
    """A line reduced to its lower-cased letters and digits, for headline comparison."""
    return "".join(ch for ch in line.casefold() if ch.isalnum())
