"""Read files into Article records, turning every bad input into a Skipped record instead of an error.

Entry points: `read_path` (a file or a directory, recursively, in sorted order, hidden entries
skipped), `read_paths` (several); for one document in memory, `article_from_text` and
`article_from_html` in kg/ingest/articles.py. By suffix: .txt/.text/.md are text, .html/.htm are
HTML, .jsonl/.ndjson are JSON Lines (one article object per line), .json is one article object or
a list of them. Anything else, and anything unreadable, becomes `Skipped(source, reason)`:
`source` is the path as given (plus `:LINE` for a JSON Lines record, `[INDEX]` for an item of a
.json list) and `reason` one line.

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

The bytes of text files are UTF-8 (a BOM is dropped), or UTF-16/UTF-32 when a BOM says so;
anything else is not guessed at (Skipped, naming the first bad byte), since a wrong guess would
corrupt every name. An HTML page may declare its charset. How each format becomes an Article:
kg/ingest/articles.py (text, Markdown, HTML), kg/ingest/json_records.py (JSON), with the text
cleaning of kg/ingest/text.py.

Size: a file larger than `max_bytes` is Skipped without being read; JSON Lines files are read line
by line, so there the limit applies to each line, not to the file.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.articles import IngestError, article_from_html, article_from_text
from kg.ingest.json_records import record_from_json_text, records_from_json
from kg.ingest.text import quote
from kg.records import Article, Skipped

DEFAULT_MAX_BYTES = 10_000_000
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
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
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# ---------------------------------------------------------------------------------------------
# Reading files


@dataclass
class _Batch:
    """Ids already handed out in one read_path(s) call, to keep them unique."""

    seen: dict[str, str] = field(default_factory=dict)
    exclude: frozenset[Path] = frozenset()
    follow_links: bool = False
    walked: set[Path] = field(default_factory=set)  # real directories already walked (symlink loops)


def read_paths(
    paths: Iterable[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Iterable[Path] = (),
    follow_links: bool = False,
) -> Iterator[Article | Skipped]:
    """Read several files and/or directories.

    Takes paths, the per-file (per JSON line) byte limit, directories to leave out when walking
    (the store itself, when it sits inside an input folder) and whether symlinks found in a folder
    may lead out of it; yields Article or Skipped records in the order given, ids unique across
    the whole batch. Never raises for bad input.
    """
    batch = _Batch(exclude=frozenset(_resolved(Path(p)) or Path(p) for p in exclude), follow_links=follow_links)
    for path in paths:
        yield from _escaped(_read_root(Path(path), max_bytes, batch))


def read_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, follow_links: bool = False
) -> Iterator[Article | Skipped]:
    """Read one file, or every file under a directory (sorted, hidden entries skipped).

    Takes a path, the per-file (per JSON line) byte limit and whether symlinks in a folder may
    lead out of it (else they are skipped); yields Article or Skipped records. Never raises for
    bad input: a missing path, an unknown suffix, a binary or broken file, a symlink loop or a
    file name that is not UTF-8 each give a Skipped record naming the file (escaped, see
    `shown_path`).
    """
    yield from _escaped(_read_root(Path(path), max_bytes, _Batch(follow_links=follow_links)))


def shown_path(source: str) -> str:
    """A source name safe to print on one line: control characters, and the undecodable bytes
    of a file name (lone surrogates), written as backslash escapes ("a\\nb", "\\udcff")."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in source
    )


def _escaped(records: Iterator[Article | Skipped]) -> Iterator[Article | Skipped]:
    """Give every record a printable source (see shown_path)."""
    for record in records:
        shown = shown_path(record.source)
        if shown == record.source:
            yield record
        elif isinstance(record, Skipped):
            yield Skipped(shown, record.reason)
        else:
            yield dataclasses.replace(record, source=shown)


def _resolved(path: Path) -> Path | None:
    """The real path of `path`, or None when it cannot be resolved (a symlink loop, a dangling link)."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


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
        batch.walked.add(_resolved(root) or root)
        for file in _walk(root, _resolved(root) or root, batch):
            if isinstance(file, Skipped):
                yield file
            else:
                yield from _read_file(file, root, max_bytes, batch)
    else:
        yield from _read_file(root, root.parent, max_bytes, batch)


def _walk(directory: Path, top: Path, batch: _Batch) -> Iterator[Path | Skipped]:
    """Yield the files under `directory` in sorted order, skipping hidden names.

    `top` is the real path of the input folder. A file name that is not valid UTF-8 and a symlink
    loop are Skipped; so is a symlink leading out of `top`, unless `batch.follow_links`. A
    symlinked directory is walked only with `batch.follow_links`, and each real directory once.
    """
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(str(directory), f"cannot list directory: {_os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(directory, entry.name)
        try:
            entry.name.encode("utf-8")
        except UnicodeEncodeError:
            yield Skipped(str(path), "file name is not valid UTF-8")
            continue
        link = entry.is_symlink()
        real = _resolved(path) if link or batch.exclude else path
        if real is None:
            yield Skipped(str(path), "symlink loop or dangling symlink" if link else "cannot resolve path")
            continue
        if real in batch.exclude:
            continue
        if link and not batch.follow_links and not real.is_relative_to(top):
            yield Skipped(str(path), "symlink leading out of the input folder (use --follow-links to read it)")
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=batch.follow_links)
        except OSError:
            is_dir = False
        if is_dir:
            if real in batch.walked:
                yield Skipped(str(path), "directory already read (symlink loop)")
                continue
            batch.walked.add(real)
            yield from _walk(path, top, batch)
        else:
            yield path


def _read_file(path: Path, root: Path, max_bytes: int, batch: _Batch) -> Iterator[Article | Skipped]:
    """Read one file of any supported kind; `root` is the directory ids may be made relative to."""
    source = str(path)
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        yield Skipped(source, "file name is not valid UTF-8")
        return
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
            yield from records_from_json(_decode(data), path)
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
    return Skipped(article.source, f"duplicate article id {quote(article.id)}, already read from {first}")


def _os_reason(exc: OSError) -> str:
    """Return the OS's words for an error, lower case, e.g. "permission denied"."""
    return (exc.strerror or type(exc).__name__).lower()


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
            yield record_from_json_text(text, source, default_id=f"{path.name}:{lineno}")


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
