"""The query workers behind `kg serve`: result formats, the row limit, and killing a runaway query."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.dom.minidom

import pyoxigraph as ox
import pytest

from kg.serve.workers import QueryTimeout, WorkerError, WorkerPool, run_query, write_solutions

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
