"""What a query worker answers: SPARQL results written in the media type the client asked for, cut at a
row limit or a byte limit, and the other requests a worker takes (explorer selects, updates, dumps).

Runs inside the worker processes of kg.serve.workers; nothing here knows about processes or HTTP.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.sparql import PREFIXES, explain_error
from kg.store import to_python

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# The media types each kind of answer can be written in; the first is the default.
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
DEFAULT_MAX_BYTES = 64 << 20


@dataclass(frozen=True)
class Answer:
    """What a worker sends back: HTTP status, media type, body, and whether the result was cut at the limit."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False


class QueryTimeout(RuntimeError):
    """A query or update past the timeout (time waiting for a worker included); a running one's worker is killed."""


# -- writing results ---------------------------------------------------------------------
def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in parts}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        inner = "".join(f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object"))
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def write_solutions(variables: list[str], rows: Iterable[list], media_type: str) -> bytes:
    """Write SELECT solutions (lists of pyoxigraph terms or None) as SPARQL JSON, XML, CSV or TSV; returns bytes."""
    if media_type == "application/sparql-results+json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        payload = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if media_type == "application/sparql-results+xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join(
            "<result>"
            + "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            + "</result>"
            for row in rows
        )
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>\n"
        ).encode()
    if media_type == "text/csv":  # plain values, RFC 4180
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else _csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    # TSV: terms in SPARQL syntax, tabs and line breaks inside them escaped by that syntax
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_value(term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def write_boolean(value: bool, media_type: str) -> bytes:
    """Write an ASK answer in the results media type; CSV and TSV get the bare word."""
    if media_type == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == "application/sparql-results+xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    return (str(value).lower() + "\n").encode()


# -- the worker process ------------------------------------------------------------------
def _dataset_options(default_graphs: list[str], named_graphs: list[str]) -> dict:
    """Return pyoxigraph query options for the protocol's default-graph-uri / named-graph-uri (union otherwise)."""
    options: dict = {}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return options


def run_query(store, request: dict) -> Answer:
    """Run one query request in this process and write its answer; returns an Answer.

    `request` holds "query", "results_type", "graph_type", "max_results" (None: no limit),
    "max_bytes" (None: no limit; the size of the values in the answer), "default_graphs",
    "named_graphs"; the documented prefixes need no declaration; a syntax error becomes a 400 answer
    with the line, a caret and the fix for an undeclared prefix.
    """
    limit = request.get("max_results")
    try:
        options = _dataset_options(request.get("default_graphs", []), request.get("named_graphs", []))
        result = store.query(request["query"], prefixes=PREFIXES, **options)
    except (SyntaxError, ValueError) as exc:
        return Answer(400, "text/plain", explain_error(request["query"], str(exc)).encode())
    if isinstance(result, ox.QueryBoolean):
        media = request["results_type"]
        return Answer(200, media, write_boolean(bool(result), media))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions = ([solution[v] for v in variables] for solution in result)
        rows, truncated = _bounded(solutions, limit, request.get("max_bytes"))
        media = request["results_type"]
        return Answer(200, media, write_solutions(variables, rows, media), truncated)
    triples, truncated = _bounded(result, limit, request.get("max_bytes"))
    media = request["graph_type"]
    body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
    return Answer(200, media, body, truncated)


def _size(item) -> int:
    """Return about how many bytes a row (list of terms) or a triple takes once written."""
    if item is None:
        return 0
    if isinstance(item, list | tuple):
        return sum(_size(part) for part in item) + 1
    if isinstance(item, ox.Triple):
        return _size(item.subject) + _size(item.predicate) + _size(item.object)
    return len(item.value) + 8


def _bounded(items, limit: int | None, max_bytes: int | None) -> tuple[list, bool]:
    """Take items until `limit` of them or `max_bytes` of values; returns (items, whether some were left out)."""
    taken: list = []
    size = 0
    for item in items:
        if limit is not None and len(taken) >= limit:
            return taken, True
        size += _size(item)
        if max_bytes is not None and size > max_bytes:
            return taken, True
        taken.append(item)
    return taken, False


def handle(store, kind: str, payload):
    """Answer one request a worker was sent: a user query, an explorer select, an update or a dump."""
    if kind == "query":
        return run_query(store, payload)
    if kind == "select":  # for the explorer: rows of plain Python values, no limit
        result = store.query(payload, use_default_graph_as_union=True, prefixes=PREFIXES)
        names = [v.value for v in result.variables]
        return [{n: to_python(s[n]) for n in names if s[n] is not None} for s in result]
    if kind == "update":
        try:
            store.update(payload)
        except (SyntaxError, ValueError) as exc:
            return Answer(400, "text/plain", f"SPARQL update error: {explain_error(payload, str(exc))}".encode())
        return Answer(204, "text/plain", b"")
    if kind == "dump":
        return Answer(200, "application/n-quads", store.dump(format=ox.RdfFormat.N_QUADS) or b"")
    raise ValueError(f"unknown request {kind!r}")
