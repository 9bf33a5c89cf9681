"""JSON articles: the text of a .json file, or of one JSON Lines line, in; Article or Skipped out.

`text` is required (a non-empty string); `id`, `title`, `date`, `url` are optional strings (or
null). A `date` that cannot be read is dropped (None), not a reason to skip. A record without a
title has none: its text is all body, so no title is looked for in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kg.ingest.articles import IngestError, article_from_text
from kg.ingest.dates import normalize_date
from kg.ingest.text import clean_line, quote
from kg.records import Article, Skipped


def records_from_json(text: str, path: Path) -> Iterator[Article | Skipped]:
    """Read the decoded text of a .json file holding one article object or a list of them.

    Takes the text and the file's path (for sources and default ids "name.json[INDEX]"); yields
    an Article or a Skipped for each object.
    """
    source = str(path)
    try:
        value = json.loads(text)
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


def record_from_json_text(text: str, source: str, *, default_id: str) -> Article | Skipped:
    """Parse one JSON Lines line (decoded text) into an Article, or a Skipped saying why not."""
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
            return Skipped(source, f"{quote(name)} must be a string, got {_json_type(value[name])}")
    given_id = clean_line(value.get("id") or "", keep_joiners=False) or None
    url = clean_line(value.get("url") or "", keep_joiners=False) or None
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
