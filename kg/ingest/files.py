"""Read files into Article records, turning every bad input into a Skipped record instead of an error.

Entry points: `read_path` (a file or a directory, recursively, in sorted order, hidden entries
skipped), `read_paths` (several), `article_from_text` and `article_from_html` (one document in
memory). By suffix: .txt/.text/.md are text, .html/.htm are HTML, .jsonl/.ndjson are JSON Lines
(one article object per line), .json is one article object or a list of them. Anything else, and
anything unreadable, becomes `Skipped(source, reason)`: `source` is the path as given (plus
`:LINE` for a JSON Lines record, `[INDEX]` for an item of a .json list) and `reason` one line.

Article ids are stable across machines and checkouts, and rebuilding an edited file replaces its
old article:

1. a JSON record's own `id`, as is;
2. else the article's URL (a JSON record's `url`, an HTML page's canonical URL or og:url);
3. else the file NAME with its suffix ("report.txt"), for a JSON Lines record "name.jsonl:LINE";
   if two files in one batch share a name, the later one gets its path relative to the directory
   it was found under ("2024/report.txt"); a clash that remains, or a repeated JSON id or URL, is
   Skipped as a duplicate so nothing is counted twice;
4. `article_from_text`/`article_from_html` called without id or URL: "sha256-" + 16 hex digits
   of the cleaned text.

Text cleaning, the same for every format: Unicode NFC; CR/LF and Unicode line separators become
"\\n"; control characters other than "\\n" and invisible format characters (zero-width space,
bidi marks and embeddings, soft hyphen, BOM) are removed — they are invisible to a reader but
split or glue tokens for the tagger. Zero-width (non-)joiners are kept in the text because they
belong to emoji sequences and to the spelling of Persian and Indic words, but never in a title.
Whitespace inside a paragraph is collapsed to single spaces; paragraphs are separated by one
blank line. Lines that are page furniture (patterns in kg/lexicon/boilerplate.toml) or have no
letter or digit are dropped; a paragraph repeated word for word is kept once.

Text files: UTF-8 (a BOM is dropped), or UTF-16/UTF-32 when a BOM says so; anything else is not
guessed at (Skipped, naming the first bad byte), since a wrong guess would corrupt every name.
In plain text each line is a paragraph, unless the file is hard-wrapped (many lines filled to
about the same width, at most 100 characters), when a wrapped line continues onto the next. In
Markdown the lines of a block always run on; headings and list items stand alone; links keep
their text, images and emphasis marks go; front matter may give title, date and url.
The title is the first meaningful line if it reads as a headline: at most 250 characters and not
ending in a full stop (a first line that is a sentence is body text, and the article has no
title). The title line stays in the text, as the article's first paragraph, unless the very next
paragraph repeats it (a page that printed its headline twice): then both copies leave the text.
A date-only line among the first lines ("March 1, 2008", "Published: 2024-01-04", "Posted by
newsdesk on 14 March 2024") gives `date` and leaves the text; failing that, a wire dateline at
the start of the first paragraphs ("LONDON, March 1, 2008 —") gives the date and stays in the text.

HTML: trafilatura finds the main text (menus, cookie banners, related links, newsletter boxes and
footers go); metadata as described in kg/ingest_html.py. The headline is kept out of the text.
Dates given as ISO timestamps keep the calendar date as written, without converting time zones:
"2023-06-06T02:15:00Z" is 2023-06-06, the publisher's own statement of the day.

JSON records: `text` is required (a non-empty string); `id`, `title`, `date`, `url` are optional
strings (or null). A `date` that cannot be read is dropped (None), not a reason to skip. A record
without a title has none: its text is all body, so no title is looked for in it.

Size: a file larger than `max_bytes` is Skipped without being read; JSON Lines files are read line
by line, so there the limit applies to each line, not to the file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import json
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.html import LXML_MAX_DEPTH, split_html
from kg.records import Article, Skipped

DEFAULT_MAX_BYTES = 10_000_000
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})

MAX_TITLE_CHARS = 250
DATELINE_SEARCH_LINES = 6  # how many of the first non-blank lines may hold a date-only line
WRAP_MAX_WIDTH = 100

_LEXICON = Path(__file__).resolve().parent.parent / "lexicon" / "boilerplate.toml"
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_JOINERS = "\u200c\u200d"
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_WHITESPACE_CONTROLS = re.compile(r"[\t\x0b\x0c]")
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")
_TIME_SUFFIX = re.compile(
    r"\s*(?:,|\bat\b|-|–|—|\||·)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:\(?[A-Z]{2,5}\)?|UTC|GMT)?(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
# "LONDON, March 1, 2008 —", "SAN JOSE, Calif., May 2, 2019 (Reuters) -": the date is group 1.
_WIRE_DATELINE = re.compile(
    r"\(?[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Za-z .'-]{1,30})?\)?,\s+(.{6,40}?)\s*(?:\([A-Za-z]+\)\s*)?[—–-]"
)
_MD_FRONT_MATTER_KEY = re.compile(r"([A-Za-z_]+)\s*:\s*(.*)")
_MD_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*")
_MD_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,3}[.)])\s+(.*)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_HTML_COMMENT = re.compile(r"<!--.*?-->")


class IngestError(ValueError):
    """A document that cannot become an Article; the message is the one-line reason."""


@dataclass(frozen=True)
class _Rule:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int


@dataclass(frozen=True)
class _Lexicon:
    rules: tuple[_Rule, ...]
    months: dict[str, int]
    date_patterns: tuple[re.Pattern[str], ...]  # each matches a whole date-only line


@functools.cache
def _lexicon() -> _Lexicon:
    """Load and compile kg/lexicon/boilerplate.toml (once)."""
    with _LEXICON.open("rb") as handle:
        data = tomllib.load(handle)
    default_max = int(data.get("max_words", 20))
    rules = []
    for rule in data["rule"]:
        flags = 0 if rule.get("case_sensitive") else re.IGNORECASE
        patterns = tuple(re.compile(p, flags) for p in rule["patterns"])
        rules.append(_Rule(rule["name"], patterns, int(rule.get("max_words", default_max))))
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
    return _Lexicon(tuple(rules), months, date_patterns)


# ---------------------------------------------------------------------------------------------
# Reading files


@dataclass
class _Batch:
    """Ids already handed out in one read_path(s) call, to keep them unique."""

    seen: dict[str, str] = field(default_factory=dict)
    exclude: frozenset[Path] = frozenset()


def read_paths(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES, exclude: Iterable[Path] = ()
) -> Iterator[Article | Skipped]:
    """Read several files and/or directories.

    Takes paths, the per-file (per JSON line) byte limit and directories to leave out when walking
    (the store itself, when it sits inside an input folder); yields Article or Skipped records in
    the order given, ids unique across the whole batch. Never raises for bad input.
    """
    batch = _Batch(exclude=frozenset(Path(p).resolve() for p in exclude))
    for path in paths:
        yield from _read_root(Path(path), max_bytes, batch)


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """Read one file, or every file under a directory (sorted, hidden entries skipped).

    Takes a path and the per-file (per JSON line) byte limit; yields Article or Skipped records.
    Never raises for bad input: a missing path, an unknown suffix, a binary or broken file each
    give a Skipped record naming the file.
    """
    yield from _read_root(Path(path), max_bytes, _Batch())


def _read_root(root: Path, max_bytes: int, batch: _Batch) -> Iterator[Article | Skipped]:
    """Read `root` (a file or a directory tree), sharing id bookkeeping through `batch`."""
    try:
        info = root.stat()
    except FileNotFoundError:
        yield Skipped(str(root), "no such file or directory")
        return
    except OSError as exc:
        yield Skipped(str(root), f"cannot read: {_os_reason(exc)}")
        return
    if stat.S_ISDIR(info.st_mode):
        for file in _walk(root, batch):
            if isinstance(file, Skipped):
                yield file
            else:
                yield from _read_file(file, root, max_bytes, batch)
    else:
        yield from _read_file(root, root.parent, max_bytes, batch)


def _walk(directory: Path, batch: _Batch) -> Iterator[Path | Skipped]:
    """Yield the files under `directory` in sorted order, skipping hidden names and symlinked dirs."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(str(directory), f"cannot list directory: {_os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(directory, entry.name)
        if batch.exclude and path.resolve() in batch.exclude:
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, batch)
        else:
            yield path


def _read_file(path: Path, root: Path, max_bytes: int, batch: _Batch) -> Iterator[Article | Skipped]:
    """Read one file of any supported kind; `root` is the directory ids may be made relative to."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES:
        yield Skipped(source, f"unsupported file type {suffix}" if suffix else "unsupported file type (no suffix)")
        return
    try:
        info = path.stat()
    except OSError as exc:
        yield Skipped(source, f"cannot read: {_os_reason(exc)}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield Skipped(source, "not a regular file")
        return
    if suffix in JSONL_SUFFIXES:
        records = _read_jsonl(path, max_bytes)
    elif info.st_size > max_bytes:
        records = iter([Skipped(source, f"too large: {info.st_size} bytes > limit {max_bytes}")])
    else:
        records = _read_whole_file(path, suffix, max_bytes)
    for record in records:
        yield _unique(record, path, root, batch) if isinstance(record, Article) else record


def _read_whole_file(path: Path, suffix: str, max_bytes: int) -> Iterator[Article | Skipped]:
    """Read a text, HTML or JSON file that fits under the limit."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        yield Skipped(source, f"cannot read: {_os_reason(exc)}")
        return
    if len(data) > max_bytes:  # the file grew after stat
        yield Skipped(source, f"too large: more than {max_bytes} bytes")
        return
    try:
        if suffix in JSON_SUFFIXES:
            yield from _read_json(data, path)
            return
        if suffix in HTML_SUFFIXES:
            yield article_from_html(_decode(data, html=True), source=source, default_id=path.name)
            return
        yield article_from_text(_decode(data), source=source, default_id=path.name, markdown=suffix == ".md")
    except IngestError as exc:
        yield Skipped(source, str(exc))


def _unique(article: Article, path: Path, root: Path, batch: _Batch) -> Article | Skipped:
    """Make the article's id unique in the batch, or skip it as a duplicate (see module docstring)."""
    if article.id not in batch.seen:
        batch.seen[article.id] = article.source
        return article
    derived = article.id == path.name or article.id.startswith((path.name + ":", path.name + "["))
    if derived:
        try:
            relative = path.relative_to(root).as_posix() + article.id[len(path.name) :]
        except ValueError:
            relative = article.id
        if relative not in batch.seen:
            batch.seen[relative] = article.source
            return Article(relative, article.text, article.title, article.date, article.url, article.source)
    first = batch.seen[article.id]
    return Skipped(article.source, f"duplicate article id {_quote(article.id)}, already read from {first}")


def _os_reason(exc: OSError) -> str:
    """Return the OS's words for an error, lower case, e.g. "permission denied"."""
    return (exc.strerror or type(exc).__name__).lower()


def _quote(value: str, limit: int = 80) -> str:
    """Quote a value for a one-line reason, shortened and with control characters escaped."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)


# ---------------------------------------------------------------------------------------------
# Decoding


def _decode(data: bytes, *, html: bool = False) -> str:
    """Decode file bytes to text: BOM-declared UTF-8/16/32, an HTML page's declared charset, else UTF-8.

    Raises IngestError for empty, binary or undecodable data.
    """
    if not data.strip():
        raise IngestError("empty")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(f"not valid {name} text ({_bad_bytes(exc)})") from None
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise IngestError(f"binary file, not text ({kind})")
    if b"\x00" in data[:8192]:
        raise IngestError("binary file, not text")
    codec = _declared_charset(data) if html else None
    try:
        return data.decode(codec or "utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"not valid {codec or 'UTF-8'} text ({_bad_bytes(exc)})") from None


def _declared_charset(data: bytes) -> str | None:
    """Return the codec an HTML page declares in its first 4 KB, if Python knows it."""
    match = _HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _bad_bytes(exc: UnicodeDecodeError) -> str:
    """Describe where decoding failed: "byte 0xff at offset 12"."""
    return f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"


# ---------------------------------------------------------------------------------------------
# JSON and JSON Lines


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    """Read a JSON Lines file one line at a time; a bad line is Skipped and the rest go on."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {_os_reason(exc)}")
        return
    with handle:
        lineno = 0
        while True:
            lineno += 1
            try:
                line, size = _read_line(handle, max_bytes)
            except OSError as exc:
                yield Skipped(f"{path}:{lineno}", f"cannot read: {_os_reason(exc)}")
                return
            if line is None and size == 0:
                return
            source = f"{path}:{lineno}"
            if line is None:
                yield Skipped(source, f"too large: {size} bytes > limit {max_bytes}")
                continue
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Skipped(source, f"not valid UTF-8 text ({_bad_bytes(exc)})")
                continue
            yield _record_from_json_text(text, source, default_id=f"{path.name}:{lineno}")


def _read_line(handle, max_bytes: int) -> tuple[bytes | None, int]:
    """Read one line of at most `max_bytes` (newline excluded).

    Returns (line, size); (None, size) when the line is too long (the rest of it is consumed in
    chunks, never held whole); (None, 0) at end of file.
    """
    line = handle.readline(max_bytes + 1)
    if not line:
        return None, 0
    if line.endswith(b"\n"):
        return line.rstrip(b"\r\n"), len(line)
    if len(line) <= max_bytes:
        return line.rstrip(b"\r"), len(line)  # the last line, without a newline
    size = len(line)
    while True:
        chunk = handle.readline(1 << 20)
        size += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return None, size - (1 if chunk.endswith(b"\n") else 0)


def _read_json(data: bytes, path: Path) -> Iterator[Article | Skipped]:
    """Read a .json file holding one article object or a list of them."""
    source = str(path)
    try:
        value = json.loads(_decode(data))
    except IngestError as exc:
        yield Skipped(source, str(exc))
        return
    except (ValueError, RecursionError) as exc:
        yield Skipped(source, f"malformed JSON: {_json_reason(exc)}")
        return
    if isinstance(value, dict):
        yield _record_from_json_value(value, source, default_id=path.name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield _record_from_json_value(item, f"{source}[{index}]", default_id=f"{path.name}[{index}]")
    else:
        yield Skipped(source, f"expected a JSON object or a list of objects, got {_json_type(value)}")


def _record_from_json_text(text: str, source: str, *, default_id: str) -> Article | Skipped:
    """Parse one JSON Lines line into an Article, or say why not."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Skipped(source, f"malformed JSON: {_json_reason(exc)}")
    return _record_from_json_value(value, source, default_id=default_id)


def _record_from_json_value(value: object, source: str, *, default_id: str) -> Article | Skipped:
    """Turn one decoded JSON value into an Article, or a Skipped naming what is wrong with it."""
    if not isinstance(value, dict):
        return Skipped(source, f"expected a JSON object, got {_json_type(value)}")
    text = value.get("text")
    if text is None:
        return Skipped(source, "missing 'text'")
    if not isinstance(text, str):
        return Skipped(source, f"'text' must be a string, got {_json_type(text)}")
    for name in ("id", "title", "date", "url"):
        if value.get(name) is not None and not isinstance(value[name], str):
            return Skipped(source, f"{_quote(name)} must be a string, got {_json_type(value[name])}")
    given_id = _clean_line(value.get("id") or "", keep_joiners=False) or None
    url = _clean_line(value.get("url") or "", keep_joiners=False) or None
    try:
        return article_from_text(
            text,
            source=source,
            id=given_id,
            default_id=default_id,
            title=value.get("title") or "",
            date=normalize_date(value.get("date")),
            url=url,
        )
    except IngestError as exc:
        return Skipped(source, f"'text' is {exc}" if str(exc) == "empty" else str(exc))


def _json_type(value: object) -> str:
    """Name a decoded JSON value's type the way JSON does."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _json_reason(exc: BaseException) -> str:
    """One line describing a JSON parse failure."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# ---------------------------------------------------------------------------------------------
# Building articles


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
    lines = _normalize_text(text).split("\n")
    if markdown:
        front, lines = _markdown_lines(lines)
    title = title if title is not None else front.get("title")
    derive_title = title is None
    date = date or normalize_date(front.get("date"))
    url = url or front.get("url") or None
    found_date, lines = _take_dateline(lines)
    paragraphs = _paragraphs(_drop_furniture(lines), run_on=markdown)
    if not paragraphs:
        raise IngestError("empty" if not "".join(lines).strip() else "no text left after removing page furniture")
    if derive_title:
        title_text, body = _split_title(paragraphs)
    else:
        title_text = _clean_line(title or "", keep_joiners=False)
        body = _dedupe(_without_headline(paragraphs, [title_text]) if title_text else paragraphs)
    date = date or found_date or next(filter(None, map(_wire_dateline_date, (body or [title_text])[:2])), None)
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
    lines = _normalize_text(parts.text or "").split("\n")
    paragraphs = _paragraphs(_drop_furniture(lines), run_on=False)
    if not any(_looks_like_prose(p) for p in paragraphs):
        raise IngestError("no article text found in HTML")
    titles = [_clean_line(t, keep_joiners=False) for t in ((title,) if title else parts.titles)]
    titles = [t for t in titles if t]
    page_title = titles[0] if titles else ""
    body = _without_headline(paragraphs, titles)
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
        return first, _dedupe([p for p in paragraphs[2:] if not _same_words(p, first)])
    return first, _dedupe(paragraphs)


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


def _looks_like_prose(paragraph: str) -> bool:
    """True for a paragraph that reads like article text: six or more words ending a sentence."""
    return len(paragraph.split()) >= 6 and paragraph.rstrip("\"'”’»)]").endswith((".", "!", "?", "。", "؟", "…"))


# ---------------------------------------------------------------------------------------------
# Cleaning


_KEEP = frozenset("\n\t\x0b\x0c")
_KEEP_WITH_JOINERS = _KEEP | frozenset(_JOINERS)


def _normalize_text(text: str) -> str:
    """NFC, "\n" line breaks, no control or invisible format characters (joiners kept)."""
    text = _WHITESPACE_CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))
    return unicodedata.normalize("NFC", text.translate(_deletions(text, keep_joiners=True)))


def _clean_line(text: str, *, keep_joiners: bool) -> str:
    """One line of text: cleaned characters, single spaces, no line breaks (used for titles)."""
    text = _LINE_BREAKS.sub(" ", text)
    text = text.translate(_deletions(text, keep_joiners=keep_joiners))
    return " ".join(unicodedata.normalize("NFC", text).split())


def _deletions(text: str, *, keep_joiners: bool) -> dict[int, None]:
    """A str.translate table deleting the control, format and surrogate characters `text` holds.

    Tab, vertical tab and form feed are kept (they are whitespace, collapsed later); so are the
    zero-width joiners when `keep_joiners`. Only the distinct characters of the text are looked at.
    """
    keep = _KEEP_WITH_JOINERS if keep_joiners else _KEEP
    return {ord(ch): None for ch in set(text) if ch not in keep and unicodedata.category(ch) in ("Cc", "Cf", "Cs")}


def _drop_furniture(lines: list[str]) -> list[str]:
    """Collapse whitespace in each line; blank out furniture lines and lines without letters or digits."""
    kept = []
    for line in lines:
        line = " ".join(line.split())
        kept.append(line if line and not _is_furniture(line) else "")
    return kept


def _is_furniture(line: str) -> bool:
    """True if a (whitespace-normalised) line is page furniture per kg/lexicon/boilerplate.toml."""
    if not any(ch.isalnum() for ch in line):
        return True
    words = len(line.split())
    rules = _lexicon().rules
    return any(words <= rule.max_words and any(p.fullmatch(line) for p in rule.patterns) for rule in rules)


def _paragraphs(lines: list[str], *, run_on: bool) -> list[str]:
    """Group lines into paragraphs.

    Blank lines always separate paragraphs. With `run_on` (Markdown) every line of a block runs
    on; otherwise each line is a paragraph unless the text is hard-wrapped, when a line filled to
    the wrap width continues onto the next.
    """
    width = None if run_on else _wrap_width(lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        continues = run_on or (
            width is not None and following and len(line) + 1 + len(following.split()[0]) > width - 2
        )
        if not continues:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _wrap_width(lines: list[str]) -> int | None:
    """Return the wrap width if the text looks hard-wrapped, else None.

    Hard-wrapped text has its longest lines at most WRAP_MAX_WIDTH long, and many lines (at least
    three, and 40% of all) within 15 characters of that width.
    """
    lengths = [len(line) for line in lines if line]
    if not lengths:
        return None
    width = max(lengths)
    full = sum(1 for n in lengths if n >= width - 15)
    if width > WRAP_MAX_WIDTH or full < 3 or full < 0.4 * len(lengths):
        return None
    return width


def _markdown_lines(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Strip Markdown syntax; return (front matter fields, plain lines with blocks blank-separated)."""
    front: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for end in range(1, min(len(lines), 60)):
            if lines[end].strip() in ("---", "..."):
                for entry in lines[1:end]:
                    match = _MD_FRONT_MATTER_KEY.fullmatch(entry.strip())
                    if match:
                        front[match.group(1).lower()] = match.group(2).strip().strip("\"'")
                lines = lines[end + 1 :]
                break
    plain: list[str] = []
    for raw in lines:
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            continue
        line = _MD_HTML_COMMENT.sub("", line)
        line = line.lstrip(">").strip() if line.startswith(">") else line
        standalone = False
        for pattern in (_MD_HEADING, _MD_LIST_ITEM):
            match = pattern.fullmatch(line)
            if match:
                line, standalone = match.group(1), True
                break
        if line.startswith("|"):
            line, standalone = " ".join(cell.strip() for cell in line.strip("|").split("|")), True
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line))
        line = _MD_EMPHASIS.sub(r"\2", line)
        plain.extend(["", line, ""] if standalone else [line])
    return front, plain


# ---------------------------------------------------------------------------------------------
# Dates


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
    lexicon = _lexicon()
    rest = _TIME_SUFFIX.sub("", line).strip(" ,.|·-–—")
    for pattern in lexicon.date_patterns:
        match = pattern.fullmatch(rest)
        if match:
            return _date_from_match(match)
    return None


def _date_from_match(match: re.Match[str]) -> str | None:
    """Turn a date-pattern match (named groups year, month, day) into "YYYY-MM-DD"."""
    month = match.group("month")
    month_number = _lexicon().months.get(month.lower()) if not month.isdigit() else int(month)
    if month_number is None:
        return None
    return _valid_date(match.group("year"), str(month_number), match.group("day"))


def _valid_date(year: str, month: str, day: str) -> str | None:
    """Return an ISO date string, or None if the parts do not make a real calendar date."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _take_dateline(lines: list[str]) -> tuple[str | None, list[str]]:
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


def _wire_dateline_date(paragraph: str) -> str | None:
    """Read the date of a wire dateline opening a paragraph: "LONDON, March 1, 2008 — ..."."""
    match = _WIRE_DATELINE.match(paragraph[:120])
    return _date_from_line(match.group(1)) if match else None
