"""Take an HTML page apart: its main text (via trafilatura) and the metadata around it.

This module only finds things; kg/ingest/articles.py cleans them and builds the Article. Metadata is read
with the standard library's event-based HTMLParser, which keeps no tree and never recurses, so
deeply nested or broken markup cannot crash it; trafilatura (which parses with lxml) is asked only
for the main text and, as a last resort, a date.

Where each field comes from, first found wins:

- title candidates: og:title, the first <h1>, <title> without a trailing " - Site Name" part;
- date candidates: article:published_time, JSON-LD datePublished, other common date <meta> tags,
  the first <time datetime>, trafilatura's own date guess;
- url: <link rel="canonical">, else og:url (absolute http(s) URLs only).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import trafilatura

# trafilatura logs an ERROR for every page it cannot parse; ingest reports those pages itself as
# Skipped records, so its messages would only repeat them on stderr.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# Past this many open elements libxml2 (under trafilatura) stops building the tree and the page
# yields no text; the number lets ingest say why.
LXML_MAX_DEPTH = 255

_DATE_META_NAMES = (
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "og:published_time",
)
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
    | {"basefont", "bgsound", "frame", "keygen"}
)
_ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle"})
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—:]|-|::|·|•)\s+")
_ABSOLUTE_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_MAX_JSON_LD_BYTES = 1_000_000


@dataclass(frozen=True)
class HtmlParts:
    """What a page holds: main text (one paragraph per line, or None), candidates and nesting depth.

    `titles` and `dates` are raw candidate strings, best first; `site_name` is og:site_name if given.
    """

    text: str | None
    titles: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    url: str | None = None
    site_name: str | None = None
    max_depth: int = 0


def split_html(html: str) -> HtmlParts:
    """Find the main text and metadata of an HTML page.

    Takes the page as a string; returns HtmlParts. Never raises for malformed markup: a page
    trafilatura cannot handle gives text=None.
    """
    meta = _MetaParser()
    try:
        meta.feed(html)
        meta.close()
    except (AssertionError, ValueError):
        pass  # HTMLParser gives up on some malformed declarations; what it collected so far still counts
    text, extracted_date = _main_text(html)
    title_tag = _strip_site_suffix(meta.title_text, meta.meta.get("og:site_name"))
    titles = [meta.meta.get("og:title"), meta.h1_text, title_tag]
    dates = [meta.meta.get("article:published_time"), *meta.json_ld_dates()]
    dates += [meta.meta.get(name) for name in _DATE_META_NAMES]
    dates += [meta.time_datetime, extracted_date]
    return HtmlParts(
        text=text,
        titles=tuple(t for t in titles if t and t.strip()),
        dates=tuple(d for d in dates if d and d.strip()),
        url=_absolute_url(meta.canonical) or _absolute_url(meta.meta.get("og:url")),
        site_name=meta.meta.get("og:site_name"),
        max_depth=meta.max_depth,
    )


def _main_text(html: str) -> tuple[str | None, str | None]:
    """Run trafilatura; return (main text with one paragraph per line, its date guess)."""
    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
        )
    except Exception:  # a third-party parser on hostile input: any failure just means "no text"
        return None, None
    if document is None:
        return None, None
    return getattr(document, "text", None) or None, getattr(document, "date", None) or None


def _absolute_url(value: str | None) -> str | None:
    """Return `value` stripped if it is an absolute http(s) URL, else None."""
    if not value:
        return None
    value = value.strip()
    return value if _ABSOLUTE_URL.fullmatch(value) else None


def _strip_site_suffix(title: str | None, site_name: str | None) -> str | None:
    """Drop a trailing " - Site Name" (or " | Site Name") from a <title> text.

    The known og:site_name is removed exactly; otherwise the part after the last separator is
    dropped when it is short (at most four words), as site names are.
    """
    if not title:
        return None
    title = " ".join(title.split())
    if site_name:
        site = " ".join(site_name.split())
        for match in reversed(list(_TITLE_SEPARATORS.finditer(title))):
            if title[match.end() :].casefold() == site.casefold() and match.start() > 0:
                return title[: match.start()]
    matches = list(_TITLE_SEPARATORS.finditer(title))
    if matches:
        last = matches[-1]
        if last.start() > 0 and len(title[last.end() :].split()) <= 4:
            return title[: last.start()]
    return title


class _MetaParser(HTMLParser):
    """Collect <meta>, canonical link, <title>, first <h1>, first <time datetime> and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.time_datetime: str | None = None
        self.title_text: str | None = None
        self.h1_text: str | None = None
        self.json_ld: list[str] = []
        self.max_depth = 0
        self._open: list[str] = []
        self._capture: str | None = None  # "title", "h1" or "json-ld" while inside one
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag not in _VOID_ELEMENTS:
            self._open.append(tag)
            self.max_depth = max(self.max_depth, len(self._open))
        if tag == "meta":
            self._meta(values)
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split() and self.canonical is None:
            self.canonical = values.get("href")
        elif tag == "time" and self.time_datetime is None and values.get("datetime"):
            self.time_datetime = values["datetime"]
        elif self._capture is None:
            if tag == "title" and self.title_text is None:
                self._start_capture("title")
            elif tag == "h1" and self.h1_text is None:
                self._start_capture("h1")
            elif tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
                self._start_capture("json-ld")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        # Pop back to the matching open tag; look only a little way down so stray end tags in a
        # very deep page cannot make this quadratic.
        for back in range(1, min(len(self._open), 64) + 1):
            if self._open[-back] == tag:
                del self._open[-back:]
                break
        if self._capture is not None and tag == {"title": "title", "h1": "h1", "json-ld": "script"}[self._capture]:
            self._end_capture()

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        if self._capture is not None:
            self._end_capture()

    def json_ld_dates(self) -> list[str]:
        """Return datePublished values from the JSON-LD blocks, article types first."""
        preferred: list[str] = []
        others: list[str] = []
        for block in self.json_ld:
            try:
                data = json.loads(block)
            except (ValueError, RecursionError):
                continue
            for node in _json_objects(data):
                value = node.get("datePublished")
                if not isinstance(value, str):
                    continue
                types = node.get("@type")
                types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
                is_article = any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types)
                (preferred if is_article else others).append(value)
        return preferred + others

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or values.get("itemprop") or "").strip().lower()
        content = values.get("content")
        if key and content and key not in self.meta:
            self.meta[key] = content

    def _start_capture(self, what: str) -> None:
        self._capture = what
        self._buffer = []

    def _end_capture(self) -> None:
        text = "".join(self._buffer)
        if self._capture == "title":
            self.title_text = text
        elif self._capture == "h1":
            self.h1_text = " ".join(text.split()) or None
        elif self._capture == "json-ld" and len(text) <= _MAX_JSON_LD_BYTES:
            self.json_ld.append(text)
        self._capture = None
        self._buffer = []


def _json_objects(data: object) -> list[dict]:
    """Return every JSON object inside `data`, depth-first, without recursion."""
    found: list[dict] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found
