"""The query workers behind `kg serve`: result formats, the row limit, and killing a runaway query."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.dom.minidom

import pyoxigraph as ox
import pytest

from kg.serve.answers import QueryTimeout, run_query, write_solutions
from kg.serve.workers import WorkerError, WorkerOutOfMemory, WorkerPool

X = "https://example.org/"
ROW = [
    ox.NamedNode(X + "a"),
    ox.Literal('say "hi", then\tgo\n', language="en"),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.BlankNode("b0"),
    None,
]
VARIABLES = ["iri", "text", "number", "blank", "unbound"]


def test_json_results_follow_the_w3c_format():
    data = json.loads(write_solutions(VARIABLES, [ROW], "application/sparql-results+json"))
    assert data["head"]["vars"] == VARIABLES
    binding = data["results"]["bindings"][0]
    assert binding["iri"] == {"type": "uri", "value": X + "a"}
    assert binding["text"] == {"type": "literal", "value": 'say "hi", then\tgo\n', "xml:lang": "en"}
    assert binding["number"]["datatype"].endswith("#integer") and binding["blank"]["type"] == "bnode"
    assert "unbound" not in binding
    parsed = ox.parse_query_results(
        write_solutions(VARIABLES, [ROW], "application/sparql-results+json"), format=ox.QueryResultsFormat.JSON
    )
    assert [s["text"] for s in parsed] == [ROW[1]]


def test_xml_results_parse_and_escape():
    body = write_solutions(["text"], [[ox.Literal("<b>&</b>")]], "application/sparql-results+xml")
    dom = xml.dom.minidom.parseString(body)
    assert dom.getElementsByTagName("literal")[0].firstChild.data == "<b>&</b>"
    parsed = ox.parse_query_results(
        write_solutions(VARIABLES, [ROW], "application/sparql-results+xml"), format=ox.QueryResultsFormat.XML
    )
    assert [s["number"] for s in parsed] == [ROW[2]]


def test_csv_and_tsv():
    rows = list(csv.reader(io.StringIO(write_solutions(VARIABLES, [ROW], "text/csv").decode())))
    assert rows == [VARIABLES, [X + "a", 'say "hi", then\tgo\n', "42", "_:b0", ""]]
    tsv = write_solutions(VARIABLES, [ROW], "text/tab-separated-values").decode()
    header, line = tsv.rstrip("\n").split("\n")
    assert header == "?iri\t?text\t?number\t?blank\t?unbound"
    assert line.split("\t")[0] == f"<{X}a>" and line.split("\t")[1] == '"say \\"hi\\", then\\tgo\\n"@en'
    parsed = list(ox.parse_query_results(tsv.encode(), format=ox.QueryResultsFormat.TSV))
    assert parsed[0]["text"] == ROW[1] and parsed[0]["number"] == ROW[2]


def _store(tmp_path, n: int = 30):
    store = ox.Store(str(tmp_path / "s"))
    store.extend(
        ox.Quad(ox.NamedNode(f"{X}s{i}"), ox.NamedNode(X + "p"), ox.Literal(i), ox.NamedNode(f"{X}g{i % 3}"))
        for i in range(n)
    )
    store.flush()
    return store


def test_the_limit_cuts_rows_and_triples(tmp_path):
    store = _store(tmp_path)
    request = {"results_type": "text/csv", "graph_type": "application/n-triples", "max_results": 10}
    answer = run_query(store, {**request, "query": "SELECT ?s WHERE { ?s ?p ?o }"})
    assert answer.truncated and answer.body.decode().count("\r\n") == 11
    graph = run_query(store, {**request, "query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert graph.truncated and graph.body.decode().count(" .\n") == 10
    whole = run_query(store, {**request, "query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"})
    assert not whole.truncated
    named = run_query(store, {**request, "query": "SELECT ?s WHERE { ?s ?p ?o }", "default_graphs": [X + "g1"]})
    assert named.body.decode().count("\r\n") == 11  # 10 of graph g1's 10 rows: at the limit, not over it
    assert not named.truncated
    bad = run_query(store, {**request, "query": "SELECT ?s WHERE {"})
    assert bad.status == 400 and b"error" in bad.body


@pytest.mark.slow
def test_a_runaway_query_is_killed_and_its_worker_replaced(tmp_path):
    _store(tmp_path, 200).flush()
    pool = WorkerPool(tmp_path / "s", workers=1)
    try:
        request = {"results_type": "application/sparql-results+json", "graph_type": "text/turtle", "max_results": None}
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            pool.run("query", {**request, "query": runaway}, 0.5)
        assert time.monotonic() - started < 2.0
        assert pool.restarts == 1
        answer = pool.run("query", {**request, "query": "ASK { ?s ?p ?o }"}, 30)
        assert json.loads(answer.body)["boolean"] is True
        assert pool.run("select", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", 30) == [{"n": 200}]
    finally:
        pool.close()


def test_a_store_that_cannot_be_opened_is_reported(tmp_path):
    holder = _store(tmp_path)  # holds the lock, so a writable worker cannot open the store
    with pytest.raises(WorkerError, match="cannot open store"):
        WorkerPool(tmp_path / "s", workers=1, read_only=False)
    del holder


REQUEST = {"results_type": "application/sparql-results+json", "graph_type": "text/turtle", "max_results": None}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _doublings(n: int) -> str:
    """A 1 KB query whose one value doubles n times: 32 characters × 2^n."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(n))
    return f'SELECT (STRLEN(?v{n}) AS ?n) WHERE {{ BIND("0123456789abcdef0123456789abcdef" AS ?v0) {binds} }}'


def test_the_answer_is_cut_at_the_byte_limit(tmp_path):
    store = _store(tmp_path)
    request = {**REQUEST, "results_type": "text/csv", "max_bytes": 1 << 20}
    big = run_query(store, {**request, "query": _doublings(16).replace("(STRLEN(?v16) AS ?n)", "?v16")})
    assert big.truncated and len(big.body) < 1 << 20  # one 2 MB value: over the limit, left out
    small = run_query(store, {**request, "query": _doublings(4).replace("(STRLEN(?v4) AS ?n)", "?v4")})
    assert not small.truncated and len(small.body) > 32 * 16


@pytest.mark.slow
def test_a_memory_hungry_query_ends_its_worker_only(tmp_path):
    _store(tmp_path).flush()
    pool = WorkerPool(tmp_path / "s", workers=1, memory_mb=512)
    try:
        started = time.monotonic()
        with pytest.raises(WorkerOutOfMemory, match="512 MB"):
            pool.run("query", {**REQUEST, "query": _doublings(27)}, 60)
        assert time.monotonic() - started < 30 and pool.restarts == 1
        answer = pool.run("query", {**REQUEST, "query": _doublings(10)}, 30)
        assert json.loads(answer.body)["results"]["bindings"][0]["n"]["value"] == str(32 << 10)
    finally:
        pool.close()


def _in_thread(function, *args, **kwargs) -> dict:
    outcome: dict = {}

    def target():
        started = time.monotonic()
        try:
            outcome["value"] = function(*args, **kwargs)
        except Exception as exc:
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=target)
    thread.start()
    outcome["thread"] = thread
    return outcome


@pytest.mark.slow
def test_the_timeout_counts_from_arrival_and_clients_share_fairly(tmp_path):
    _store(tmp_path, 200).flush()
    pool = WorkerPool(tmp_path / "s", workers=2, per_client=1)
    try:
        pool.run("query", {**REQUEST, "query": "ASK {}"}, 30)  # both workers started and ready
        pool.run("query", {**REQUEST, "query": "ASK {}"}, 30, client="b")
        # Client "a" sends two runaways at once: one runs, the other waits (its share is one worker) and
        # times out counting its wait; client "b" still gets the second worker at once.
        first = _in_thread(pool.run, "query", {**REQUEST, "query": RUNAWAY}, 3.0, client="a")
        second = _in_thread(pool.run, "query", {**REQUEST, "query": RUNAWAY}, 1.0, client="a")
        deadline = time.monotonic() + 0.9  # the second runaway times out 1 s after it arrived
        while not (pool.busy == 1 and pool.waiting == 1) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pool.busy == 1 and pool.waiting == 1  # saturation is visible
        cheap = _in_thread(pool.run, "query", {**REQUEST, "query": "ASK { ?s ?p ?o }"}, 5.0, client="b")
        cheap["thread"].join()
        # Bounds with room for a loaded machine, still apart from the wrong behaviours: had "b" waited
        # behind "a", it would have waited for the 3 s runaway; had the wait not counted, the second
        # runaway would have ended after 3 s of waiting plus 1 s of running.
        assert json.loads(cheap["value"].body)["boolean"] is True and cheap["seconds"] < 2.5
        second["thread"].join()
        assert isinstance(second["error"], QueryTimeout) and "waiting" in str(second["error"])
        assert second["seconds"] < 3.0
        first["thread"].join()
        assert isinstance(first["error"], QueryTimeout)
    finally:
        pool.close()
