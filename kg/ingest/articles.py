"""Build one Article from a document in memory: plain text, Markdown or an HTML page.

The text is cleaned (kg/ingest/text.py); the title, date and URL are found as follows.

Text and Markdown: the title is the first meaningful line if it reads as a headline: at most
250 characters and not ending in a full stop (a first line that is a sentence is body text, and
the article has no title). The title line stays in the text, as the article's first paragraph,
unless the very next paragraph repeats it (a page that printed its headline twice): then both
copies leave the text. A paragraph repeated word for word is kept once. A date-only line among
the first lines ("March 1, 2008", "Published: 2024-01-04", "Posted by newsdesk on 14 March
2024") gives `date` and leaves the text; failing that, a wire dateline at the start of the first
paragraphs ("LONDON, March 1, 2008 —") gives the date and stays in the text.

HTML: trafilatura finds the main text (menus, cookie banners, related links, newsletter boxes and
footers go); metadata as described in kg/ingest/html.py. The headline is kept out of the text.

Called without id or URL, the article's id is "sha256-" + 16 hex digits of the cleaned text.
"""

from __future__ import annotations

import hashlib

from kg.ingest.dates import labelled_date, normalize_date, take_dateline, wire_dateline_date
from kg.ingest.furniture import looks_like_prose, strip_page_furniture, without_site_suffix
from kg.ingest.html import LXML_MAX_DEPTH, split_html
from kg.ingest.text import clean_line, drop_furniture, group_paragraphs, markdown_lines, normalize_text
from kg.records import Article

MAX_TITLE_CHARS = 250


class IngestError(ValueError):
    """A document that cannot become an Article; the message is the one-line reason."""


def article_from_text(
    text: str,
    *,
    source: str,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    default_id: str | None = None,
    markdown: bool = False,
) -> Article:
    """Clean a plain-text (or Markdown) document and wrap it as an Article.

    Takes the raw text and what is known about it (see the module docstring for the rules on
    date and cleaning). The id is `id`, else the URL, else `default_id` (a file name), else a hash
    of the cleaned text. `title=None` means "find the title in the text"; "" means "this
    document has no title" (JSON records without one); any other string is the title, and a
    leading paragraph repeating it leaves the text. Returns the Article; raises IngestError when
    nothing but furniture remains.
    """
    front: dict[str, str] = {}
    lines = normalize_text(text).split("\n")
    if markdown:
        front, lines = markdown_lines(lines)
    title = title if title is not None else front.get("title")
    derive_title = title is None
    date = date or normalize_date(front.get("date"))
    url = url or front.get("url") or None
    found_date, lines = take_dateline(lines)
    if found_date is None:
        found_date, lines = labelled_date(lines)
    paragraphs = group_paragraphs(drop_furniture(lines), run_on=markdown)
    if not paragraphs:
        raise IngestError("empty" if not "".join(lines).strip() else "no text left after removing page furniture")
    if derive_title:
        full_title, body = _split_title(paragraphs)
    else:
        full_title = clean_line(title or "", keep_joiners=False)
        body = _without_headline(paragraphs, [full_title]) if full_title else paragraphs
    title_text = without_site_suffix(full_title, url)
    titles = [t for t in dict.fromkeys([title_text, full_title]) if t]
    kept_title = [title_text] if derive_title and body and body[0] == full_title else []  # stays, see docstring
    body = _dedupe(kept_title + strip_page_furniture(body[len(kept_title) :], titles))
    if not body and not title_text:
        raise IngestError("no text left after removing page furniture")
    date = date or found_date or next(filter(None, map(wire_dateline_date, (body or [title_text])[:2])), None)
    return _article(body or [title_text], title_text, date, url, id or url or default_id, source)


def article_from_html(
    html: str,
    *,
    source: str,
    id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    default_id: str | None = None,
) -> Article:
    """Extract the main text and metadata of an HTML page as an Article.

    Takes the page as a string; explicit `title`, `date`, `url` override what the page says. The
    id is `id`, else the page's URL, else `default_id` (a file name), else a hash of the text.
    Returns the Article; raises IngestError when the page has no article text.
    """
    if not html.strip():
        raise IngestError("empty")
    parts = split_html(html)
    url = url or parts.url
    if parts.text is None and parts.max_depth > LXML_MAX_DEPTH:
        raise IngestError(f"HTML nested too deeply ({parts.max_depth} levels) to extract its text")
    lines = normalize_text(parts.text or "").split("\n")
    paragraphs = group_paragraphs(drop_furniture(lines), run_on=False)
    if not any(looks_like_prose(p) for p in paragraphs):
        raise IngestError("no article text found in HTML")
    titles = [clean_line(t, keep_joiners=False) for t in ((title,) if title else parts.titles)]
    titles = [t for t in titles if t]
    page_title = without_site_suffix(titles[0], url) if titles else ""
    titles = list(dict.fromkeys([page_title, *titles])) if titles else []
    body = strip_page_furniture(_without_headline(paragraphs, titles), titles)
    if date is None:
        date = next((d for d in map(normalize_date, parts.dates) if d), None)
    return _article(body, page_title, date, url, id or url or default_id, source)


def _article(body: list[str], title: str, date: str | None, url: str | None, id: str | None, source: str) -> Article:
    """Assemble the Article: join paragraphs, choose the id."""
    text = "\n\n".join(body)
    article_id = id or url or "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Article(id=article_id, text=text, title=title, date=date, url=url, source=source)


def _split_title(paragraphs: list[str]) -> tuple[str, list[str]]:
    """Find the title in the text; return it and the body paragraphs (repeats removed)."""
    first = paragraphs[0]
    if len(first) > MAX_TITLE_CHARS or first.rstrip("\"'”’»)]").endswith((".", "。")):
        return "", _dedupe(paragraphs)
    if len(paragraphs) > 1 and _same_words(paragraphs[1], first):
        return first, [p for p in paragraphs[2:] if not _same_words(p, first)]
    return first, paragraphs


def _without_headline(paragraphs: list[str], titles: list[str]) -> list[str]:
    """Drop leading paragraphs that only repeat one of the titles."""
    keys = {_comparable(t) for t in titles}
    start = 0
    while start < len(paragraphs) - 1 and _comparable(paragraphs[start]) in keys:
        start += 1
    return paragraphs[start:]


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Keep the first copy of each paragraph (they are already whitespace-normalised)."""
    return list(dict.fromkeys(paragraphs))


def _same_words(a: str, b: str) -> bool:
    """True if two lines hold the same words, ignoring case and punctuation."""
    return _comparable(a) == _comparable(b)


def _comparable(line: str) -> str:
    """A line reduced to its lower-cased letters and digits, for headline comparison."""
    return "".join(ch for ch in line.casefold() if ch.isalnum())
