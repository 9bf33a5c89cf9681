"""The processes that run queries for `kg serve`, so a runaway query can be stopped by killing its process.

pyoxigraph cannot cancel a query from another thread, so each query runs in a worker process
that owns a handle on the store; the server waits for the answer at most `timeout` seconds and
otherwise kills the worker and starts a fresh one. Workers also write the answer in the format
the client asked for, stopping after `max_results` rows or triples.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

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
STARTUP_SECONDS = 120.0


@dataclass(frozen=True)
class Answer:
    """What a worker sends back: HTTP status, media type, body, and whether the result was cut at the limit."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False


class QueryTimeout(RuntimeError):
    """A query or update that ran past the timeout; its worker was killed."""


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
    "default_graphs", "named_graphs"; a syntax error becomes a 400 answer.
    """
    limit = request.get("max_results")
    try:
        options = _dataset_options(request.get("default_graphs", []), request.get("named_graphs", []))
        result = store.query(request["query"], **options)
    except (SyntaxError, ValueError) as exc:
        return Answer(400, "text/plain", f"SPARQL query error: {exc}".encode())
    if isinstance(result, ox.QueryBoolean):
        media = request["results_type"]
        return Answer(200, media, write_boolean(bool(result), media))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[solution[v] for v in variables] for solution in islice(result, None if limit is None else limit + 1)]
        truncated = limit is not None and len(rows) > limit
        media = request["results_type"]
        return Answer(200, media, write_solutions(variables, rows[:limit] if truncated else rows, media), truncated)
    triples = list(islice(result, None if limit is None else limit + 1))
    truncated = limit is not None and len(triples) > limit
    media = request["graph_type"]
    body = ox.serialize(triples[:limit] if truncated else triples, format=GRAPH_TYPES[media]) or b""
    return Answer(200, media, body, truncated)


def _handle(store, kind: str, payload):
    if kind == "query":
        return run_query(store, payload)
    if kind == "select":  # for the explorer: rows of plain Python values, no limit
        result = store.query(payload, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [{n: to_python(s[n]) for n in names if s[n] is not None} for s in result]
    if kind == "update":
        try:
            store.update(payload)
        except (SyntaxError, ValueError) as exc:
            return Answer(400, "text/plain", f"SPARQL update error: {exc}".encode())
        return Answer(204, "text/plain", b"")
    if kind == "dump":
        return Answer(200, "application/n-quads", store.dump(format=ox.RdfFormat.N_QUADS) or b"")
    raise ValueError(f"unknown request {kind!r}")


def worker_main(conn, store_path: str, read_only: bool) -> None:
    """Entry point of a worker process: open the store, then answer (kind, payload) requests until the pipe closes."""
    try:
        store = ox.Store.read_only(store_path) if read_only else ox.Store(store_path)
    except OSError as exc:
        conn.send(("failed", f"cannot open store {store_path}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            kind, payload = conn.recv()
        except EOFError:
            break
        try:
            conn.send(("ok", _handle(store, kind, payload)))
        except Exception as exc:  # reported to the client as a 500, the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
    if not read_only:
        store.flush()


class WorkerError(RuntimeError):
    """A worker that could not open the store, or that failed on a request."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, store_path: str, read_only: bool) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, store_path, read_only), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        try:
            if not self.conn.poll(STARTUP_SECONDS):
                raise WorkerError("query worker did not start")
            status, message = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerError("query worker exited before it was ready") from None
        if status != "ready":
            raise WorkerError(message)
        self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=10)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes on one store; `run` gives each request to an idle one.

    Read-only pools may have several workers (each opens the store read-only); a writable pool has
    exactly one, since only one process can hold the store for writing.
    """

    def __init__(self, store_path: str, *, workers: int = 2, read_only: bool = True) -> None:
        if not read_only and workers != 1:
            raise ValueError("a writable store can be held by one worker only")
        self.store_path, self.read_only, self.size = str(store_path), read_only, workers
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self.restarts = 0
        for _ in range(workers):
            self._idle.put(self._start())
        first = self._idle.get()
        try:
            first.wait_ready()  # fail now, with the store's message, when it cannot be opened
        except WorkerError:
            self._idle.put(first)
            self.close()
            raise
        self._idle.put(first)

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self.store_path, self.read_only)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.remove(worker)
            self.restarts += 1
        self._idle.put(self._start())

    def run(self, kind: str, payload, timeout: float | None):
        """Send one request to an idle worker and wait for its answer.

        Takes the request kind ("query", "select", "update", "dump"), its payload and a timeout in
        seconds (None: wait for ever); returns the worker's answer. Raises QueryTimeout after killing
        the worker when the time runs out, WorkerError when the request failed in the worker.
        """
        worker = self._idle.get()
        try:
            worker.wait_ready()
            worker.conn.send((kind, payload))
            if not worker.conn.poll(timeout):
                self._retire(worker)
                worker = None
                raise QueryTimeout(f"stopped after the {timeout:g} s timeout")
            status, answer = worker.conn.recv()
        except (EOFError, OSError, WorkerError) as exc:
            if worker is not None:
                self._retire(worker)
                worker = None
            raise WorkerError(f"query worker failed: {exc}") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "error":
            raise WorkerError(answer)
        return answer

    def close(self) -> None:
        """Stop every worker (a writable worker's store is flushed when its pipe closes)."""
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.conn.close()
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=10)
