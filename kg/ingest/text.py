"""Text cleaning, the same for every format, and the grouping of lines into paragraphs.

Unicode NFC; CR/LF and Unicode line separators become "\\n"; control characters other than
"\\n" and invisible format characters (zero-width space, bidi marks and embeddings, soft hyphen,
BOM) are removed — they are invisible to a reader but split or glue tokens for the tagger.
Zero-width (non-)joiners are kept in the text because they belong to emoji sequences and to the
spelling of Persian and Indic words, but never in a title. Whitespace inside a paragraph is
collapsed to single spaces; paragraphs are separated by one blank line. Lines that are page
furniture (patterns in kg/lexicon/boilerplate.toml) or have no letter or digit are dropped.

In plain text each line is a paragraph, unless the text is hard-wrapped (many lines filled to
about the same width, at most 100 characters), when a wrapped line continues onto the next. In
Markdown the lines of a block always run on; headings and list items stand alone; links keep
their text, images and emphasis marks go; front matter may give title, date and url.
"""

from __future__ import annotations

import re
import unicodedata

from kg.ingest.boilerplate import load_lexicon

WRAP_MAX_WIDTH = 100

_JOINERS = "\u200c\u200d"
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_WHITESPACE_CONTROLS = re.compile(r"[\t\x0b\x0c]")
_MD_FRONT_MATTER_KEY = re.compile(r"([A-Za-z_]+)\s*:\s*(.*)")
_MD_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*")
_MD_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,3}[.)])\s+(.*)")
# Every Markdown pattern stops scanning at the next opening bracket or delimiter of its own kind,
# so each character is looked at a bounded number of times: cleaning is linear in the line's
# length ("![![![..." or "*a *a *a ..." once took minutes on a 150 KB line).
_MD_TARGET = r"\((?:[^()\[\]]|\([^()\[\]]*\))*\)"  # "(url)", "(url "title")", one level of "(...)" inside
_MD_IMAGE = re.compile(r"!\[[^\]\[]*\]" + _MD_TARGET)
_MD_LINK = re.compile(r"\[([^\]\[]*)\]" + _MD_TARGET)
_MD_EMPHASIS = tuple(
    re.compile(rf"{mark}(?=[^\s{first}])([^{first}]+?)(?<=[^\s{first}]){mark}")
    for mark, first in ((r"\*\*", r"\*"), ("__", "_"), (r"\*", r"\*"), ("`", "`"))
)
_KEEP = frozenset("\n\t\x0b\x0c")
_KEEP_WITH_JOINERS = _KEEP | frozenset(_JOINERS)


def normalize_text(text: str) -> str:
    """NFC, "\n" line breaks, no control or invisible format characters (joiners kept)."""
    text = _WHITESPACE_CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))
    return unicodedata.normalize("NFC", text.translate(_deletions(text, keep_joiners=True)))


def clean_line(text: str, *, keep_joiners: bool) -> str:
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


def drop_furniture(lines: list[str]) -> list[str]:
    """Collapse whitespace in each line; blank out furniture lines and lines without letters or digits."""
    kept = []
    for line in lines:
        line = " ".join(line.split())
        kept.append(line if line and not is_furniture(line) else "")
    return kept


def is_furniture(line: str) -> bool:
    """True if a (whitespace-normalised) line is page furniture per kg/lexicon/boilerplate.toml.

    Trailer headings ("Related news") and media widget lines are not: kg/ingest/furniture.py
    needs them to see where the body ends, and removes them itself.
    """
    if not any(ch.isalnum() for ch in line):
        return True
    lexicon = load_lexicon()
    if lexicon.is_block_marker(line):
        return False
    words = len(line.split())
    rules = lexicon.rules
    return any(words <= rule.max_words and rule.fullmatches(line) for rule in rules)


def group_paragraphs(lines: list[str], *, run_on: bool) -> list[str]:
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


def markdown_lines(lines: list[str]) -> tuple[dict[str, str], list[str]]:
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
        line = _without_html_comments(line)
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
        line = _without_emphasis(line)
        plain.extend(["", line, ""] if standalone else [line])
    return front, plain


def _without_html_comments(line: str) -> str:
    """Remove "<!-- ... -->" comments from a line; an unclosed comment runs to the end of the line."""
    parts = []
    start = 0
    while (opening := line.find("<!--", start)) != -1:
        parts.append(line[start:opening])
        closing = line.find("-->", opening + 4)
        if closing == -1:
            return "".join(parts)
        start = closing + 3
    parts.append(line[start:])
    return "".join(parts)


def _without_emphasis(line: str) -> str:
    """Remove emphasis and code marks (**x**, __x__, *x*, `x`); nested marks go in a second pass."""
    for _ in range(2):
        for pattern in _MD_EMPHASIS:
            line = pattern.sub(r"\1", line)
    return line


def quote(value: str, limit: int = 80) -> str:
    """Quote a value for a one-line reason, shortened and with control characters escaped."""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)
