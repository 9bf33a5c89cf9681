"""Checks on query text shared by `kg query` and `kg serve`, made before any SPARQL engine sees the query.

- Size: a query longer than `max_chars` or nested deeper than `max_depth` brackets is refused before
  it is parsed (a deep enough nesting overflows the stack of a recursive-descent parser).
- Prefixes: the documented prefixes (PREFIXES) may be used without declaring them; a query's own
  PREFIX lines win.
- SERVICE: a federated query makes the server send HTTP requests wherever the query says, so it is
  refused unless its endpoint is allowed. It is found by tokenising the query (strings, IRIs,
  comments and prefixed names are tokens of their own), so `ex:service` or "SERVICE" in a string is
  not mistaken for it and spacing or case cannot hide it.
- Syntax errors are explained with the line, a caret under the column, and for an undeclared prefix
  its name and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg import iris

PREFIXES = {  # the graph's own namespaces, and the W3C ones every query uses
    **iris.PREFIXES,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcterms": "http://purl.org/dc/terms/",
}
MAX_QUERY_CHARS = 100_000
MAX_DEPTH = 64
SERVICE_OPTION = "--allow-service"

# One token at a time; the first alternative that matches wins. Anything else is one character.
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\-](?:[\w.:%\\-]*[\w:%\\-])?)?)
    |(?P<word>[^\W\d]\w*)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN, _CLOSE = "{([", "})]"
_ERROR_AT = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)


class QueryRejected(ValueError):
    """A query refused before it runs; `status` is the HTTP status to answer with (400 or 413)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind (a group name of _TOKEN), its text and where it starts (offset in the text)."""

    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """Yield the significant tokens of a query (no spaces, no comments), in order; linear in the text."""
    position, end = 0, len(text)
    while position < end:
        match = _TOKEN.match(text, position)
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), position)
        position = match.end()


def check_size(text: str, *, max_chars: int = MAX_QUERY_CHARS, max_depth: int = MAX_DEPTH) -> None:
    """Refuse a query longer than `max_chars` (413) or nested deeper than `max_depth` brackets (400).

    Counts { ( [ outside strings, IRIs and comments; raises QueryRejected, returns None when the query fits.
    """
    if len(text) > max_chars:
        raise QueryRejected(f"query is {len(text):,} characters long; the limit is {max_chars:,}", 413)
    depth = 0
    for token in tokens(text):
        if token.kind != "other":
            continue
        if token.text in _OPEN:
            depth += 1
            if depth > max_depth:
                line, column = _line_column(text, token.start)
                raise QueryRejected(
                    f"query nests brackets deeper than {max_depth} (at line {line}, column {column}); "
                    "flatten it or split it"
                )
        elif token.text in _CLOSE:
            depth = max(0, depth - 1)


def declared_prefixes(text: str) -> dict[str, str]:
    """Return the prefixes a query declares itself ({"ex": "http://example.org/"}), from its PREFIX tokens."""
    found: dict[str, str] = {}
    stream = list(tokens(text))
    for index, token in enumerate(stream[:-2]):
        if token.kind == "word" and token.text.upper() == "PREFIX":
            name, iri = stream[index + 1], stream[index + 2]
            if name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
                found[name.text[:-1]] = iri.text[1:-1]
    return found


def missing_prefixes(text: str) -> dict[str, str]:
    """Return the documented prefixes the query does not declare (its own PREFIX lines win)."""
    declared = declared_prefixes(text)
    return {name: iri for name, iri in PREFIXES.items() if name not in declared}


def with_prefixes(text: str) -> tuple[str, int]:
    """Return the query with the documented prefixes it does not declare put on one line before it.

    Also returns how many lines were added (0 or 1), to take off the line numbers of error messages.
    For engines that take no prefix table (remote endpoints); pyoxigraph takes `prefixes=PREFIXES`.
    """
    missing = missing_prefixes(text)
    if not missing:
        return text, 0
    return " ".join(f"PREFIX {name}: <{iri}>" for name, iri in missing.items()) + "\n" + text, 1


def services(text: str) -> list[str | None]:
    """Return the endpoint of every SERVICE clause in a query: an IRI, or None when it is a variable.

    Prefixed names are expanded with the query's own prefixes, then the documented ones. Escapes
    (\\uXXXX) are decoded first too, so a keyword spelled with them is found as well.
    """
    found = _services(text)
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return found if decoded == text else found + _services(decoded)


def _services(text: str) -> list[str | None]:
    stream = list(tokens(text))
    prefixes = {**PREFIXES, **declared_prefixes(text)}
    found: list[str | None] = []
    for index, token in enumerate(stream):
        if token.kind != "word" or token.text.upper() != "SERVICE":
            continue
        following = stream[index + 1 : index + 3]
        if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
            following = following[1:]
        target = following[0] if following else None
        if target is not None and target.kind == "iri":
            found.append(target.text[1:-1])
        elif target is not None and target.kind == "pname":
            prefix, _, local = target.text.partition(":")
            found.append(prefixes[prefix] + local if prefix in prefixes else None)
        else:
            found.append(None)
    return found


def check_services(text: str, allowed: Iterable[str] = (), *, option: str = SERVICE_OPTION) -> None:
    """Refuse a query whose SERVICE clauses reach an endpoint not in `allowed` ("*" allows any); raises QueryRejected.

    `option` names the command-line option that allows endpoints, for the message.
    """
    allowed = set(allowed)
    if "*" in allowed:
        return
    for endpoint in services(text):
        if endpoint is None:
            raise QueryRejected(
                f"SERVICE with a variable endpoint is refused: name the endpoint, and allow it with {option} URL"
            )
        if endpoint not in allowed:
            hint = f"{option} {endpoint}" if allowed else f"{option} {endpoint} (or {option} '*' for any)"
            raise QueryRejected(
                f"SERVICE <{endpoint}> is refused: federated queries would make this server send requests "
                f"to other hosts; to allow that endpoint start it with {hint}"
            )


def check_query(
    text: str,
    *,
    allowed_services: Iterable[str] = (),
    max_chars: int = MAX_QUERY_CHARS,
    max_depth: int = MAX_DEPTH,
    option: str = SERVICE_OPTION,
) -> None:
    """Run every check before a query is parsed: size and depth, then SERVICE; raises QueryRejected."""
    check_size(text, max_chars=max_chars, max_depth=max_depth)
    check_services(text, allowed_services, option=option)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def undeclared_prefixes(text: str) -> list[str]:
    """Return the prefixes a query uses but neither declares nor finds among the documented ones, in order."""
    known = {**PREFIXES, **declared_prefixes(text)}
    names: list[str] = []
    stream = list(tokens(text))
    for index, token in enumerate(stream):
        if token.kind != "pname":
            continue
        before = stream[index - 1] if index else None
        if before is not None and before.kind == "word" and before.text.upper() == "PREFIX":
            continue
        name = token.text.partition(":")[0]
        if name not in known and name not in names:
            names.append(name)
    return names


def explain_error(text: str, message: str, *, line_offset: int = 0) -> str:
    """Turn an engine's syntax error about `text` into a message people can act on.

    Takes the query as the user wrote it, the engine's message (Oxigraph's "error at L:C: …") and how
    many lines were put before the query (see with_prefixes); returns "line L, column C: …", the
    offending line with a caret under the column, and the fix for an undeclared prefix.
    """
    lines = []
    missing = undeclared_prefixes(text)
    if missing:
        fixes = "; ".join(f"add PREFIX {name}: <…> at the top of the query" for name in missing)
        lines.append(f"undeclared prefix {', '.join(repr(n + ':') for n in missing)}: {fixes}")
    match = _ERROR_AT.search(message)
    if match is None:
        return "\n".join([*lines, message.strip()])
    line, column = int(match.group(1)) - line_offset, int(match.group(2))
    detail = match.group(3).strip()
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    lines.insert(0, f"SPARQL syntax error at line {line}, column {column}: {detail}")
    if source:
        lines += [f"  {source}", "  " + " " * max(0, column - 1) + "^"]
    return "\n".join(lines)


def run_query(store, text: str, *, allowed_services: Iterable[str] = ()):
    """Check a user's query, add the documented prefixes it lacks and run it on `store`.

    Takes a Store and the query as the user wrote it; returns the store's QueryResult. Raises
    QueryRejected before parsing (size, depth, SERVICE), or QuerySyntaxError whose message is
    `explain_error`'s (line, caret, undeclared prefix and its fix).
    """
    from kg.store.base import QuerySyntaxError

    check_query(text, allowed_services=allowed_services)
    prefixed, added_lines = with_prefixes(text)
    try:
        return store.query(prefixed)
    except QuerySyntaxError as exc:
        raise QuerySyntaxError(explain_error(text, str(exc), line_offset=added_lines)) from None
