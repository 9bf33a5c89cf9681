"""`kg serve`: real SPARQL clients against a running server; read-only by default; timeouts; limits; pages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import httpx
import pytest
from conftest import free_port, wait_for_port
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from kg.serve.app import negotiate
from kg.serve.workers import GRAPH_TYPES, RESULT_TYPES
from kg.store import ArticleWrite, OxigraphStore
from kg.store.remote import RemoteStore

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/newskg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ID = "https://w3id.org/newskg/id/"
TOKEN = "s3cret-for-tests"
TIMEOUT = 1.5
# Enough triples that a four-way cross product runs for hours.
N_EVENTS = 120

pytestmark = pytest.mark.server


def _fill(path: Path) -> None:
    """Write a small store: N_EVENTS events in 3 articles, each with an agent that has a label."""
    store = OxigraphStore(path)
    for a in range(3):
        article = f"{ID}article/{a}"
        lines = [f"<{article}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Article> ."]
        for e in range(a, N_EVENTS, 3):
            event = f"<{ID}event/{a}/{e}>"
            lines += [
                f"{event} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Meeting> .",
                f'{event} <{KG}trigger> "meet" .',
                f"{event} <{KG}agent> <{ID}person/P{e % 7}> .",
            ]
        labels = "".join(f'<{ID}person/P{p}> <{RDFS_LABEL}> "Person <b>{p}</b>" .\n' for p in range(7))
        store.write_article(
            ArticleWrite(article, "\n".join(lines) + "\n", tuple(f"{ID}person/P{p}" for p in range(7)), labels)
        )
    store.close()


class Server:
    """A `kg serve` process on a free port."""

    def __init__(self, store: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(self.port), *extra]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for_port(self.port, self.process, seconds=60)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    _fill(path)
    return path


@pytest.fixture(scope="module")
def server(store_dir):
    running = Server(store_dir, "--timeout", str(TIMEOUT), "--max-results", "50")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    path = tmp_path_factory.mktemp("writable") / "store"
    _fill(path)
    running = Server(path, "--allow-update", "--token", TOKEN, "--timeout", "20")
    yield running
    running.stop()


AGENTS = f"SELECT ?e ?label WHERE {{ ?e <{KG}agent> ?p . ?p <{RDFS_LABEL}> ?label }} ORDER BY ?e"


def test_sparqlwrapper_select_ask_construct(server):
    client = SPARQLWrapper(server.url + "/query")
    client.setQuery(f"SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a <{KG}Meeting> }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == str(N_EVENTS)
    client.setReturnFormat(XML)  # the wrapper's default: SPARQL XML results, parsed as a DOM
    xml = client.queryAndConvert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == str(N_EVENTS)
    client.setQuery(f"ASK {{ ?e <{KG}trigger> 'meet' }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?p <{RDFS_LABEL}> ?l }} WHERE {{ ?p <{RDFS_LABEL}> ?l }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (URIRef(ID + "person/P3"), URIRef(RDFS_LABEL), Literal("Person <b>3</b>")) in graph
    client.setReturnFormat(XML)  # CONSTRUCT as RDF/XML, parsed by the wrapper into an rdflib Graph
    assert len(client.queryAndConvert()) == 7


def test_rdflib_sparqlstore_select_ask_construct(server):
    graph = Graph(SPARQLStore(server.url + "/query", returnFormat="json"))
    rows = list(graph.query(AGENTS))
    assert len(rows) == 50  # cut at --max-results
    assert rows[0].label == Literal("Person <b>0</b>")
    assert graph.query(f"ASK {{ <{ID}person/P6> <{RDFS_LABEL}> ?l }}").askAnswer is True
    built = graph.query(f"CONSTRUCT {{ ?e <{KG}agent> ?p }} WHERE {{ ?e <{KG}agent> ?p }} LIMIT 10").graph
    assert len(built) == 10


def test_limit_negotiation_and_formats(server):
    response = httpx.post(server.url + "/query", data={"query": AGENTS}, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-kg-truncated"] == "true"
    lines = response.text.strip().split("\r\n")
    assert lines[0] == "e,label" and len(lines) == 51
    assert lines[1] == f"{ID}event/0/0,Person <b>0</b>"
    tsv = httpx.get(server.url + "/query", params={"query": AGENTS + " LIMIT 2", "format": "tsv"})
    assert tsv.text.splitlines() == [
        "?e\t?label",
        f'<{ID}event/0/0>\t"Person <b>0</b>"',
        f'<{ID}event/0/102>\t"Person <b>4</b>"',
    ]
    assert "x-kg-truncated" not in tsv.headers
    nt = httpx.post(
        server.url + "/sparql",
        content=f"CONSTRUCT WHERE {{ <{ID}person/P1> ?p ?o }}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert nt.text == f'<{ID}person/P1> <{RDFS_LABEL}> "Person <b>1</b>" .\n'
    bad = httpx.get(server.url + "/query", params={"query": "SELECT ?x WHERE { ?x }"})
    assert bad.status_code == 400 and "1:" in bad.text
    refused = httpx.get(server.url + "/query", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_updates_are_refused_by_default(server):
    client = SPARQLWrapper(server.url + "/query")
    client.setMethod("POST")
    client.setQuery(f"INSERT DATA {{ GRAPH <{ID}x> {{ <{ID}x> <{ID}y> 'z' }} }}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    direct = httpx.post(server.url + "/update", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer x"})
    assert direct.status_code == 403
    count = httpx.get(server.url + "/query", params={"query": f"SELECT (COUNT(*) AS ?n) {{ ?e a <{KG}Meeting> }}"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == str(N_EVENTS)


def test_updates_need_the_token_when_enabled(writable):
    client = SPARQLWrapper(writable.url + "/update")
    client.setMethod("POST")
    client.setQuery(f"INSERT DATA {{ GRAPH <{ID}added> {{ <{ID}person/P1> <{RDFS_LABEL}> 'Added' }} }}")
    with pytest.raises(Unauthorized):
        client.query()
    client.addCustomHttpHeader("Authorization", "Bearer wrong-token")
    with pytest.raises(Unauthorized):
        client.query()
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.query()
    ask = SPARQLWrapper(writable.url + "/query")
    ask.setQuery(f"ASK {{ GRAPH <{ID}added> {{ ?s ?p 'Added' }} }}")
    ask.setReturnFormat(JSON)
    assert ask.queryAndConvert()["boolean"] is True
    client.setQuery("INSERT DATA { nonsense")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_a_remote_store_can_write_through_kg_serve(writable):
    store = RemoteStore(writable.url, token=TOKEN, environ={})
    article = ID + "article/through-serve"
    store.write_article(ArticleWrite(article, f'<{article}> <{RDFS_LABEL}> "written remotely" .\n'))
    store.write_article(ArticleWrite(article, f'<{article}> <{RDFS_LABEL}> "written again" .\n'))
    assert store.select(f"SELECT ?l WHERE {{ GRAPH <{article}> {{ ?a <{RDFS_LABEL}> ?l }} }}") == [
        {"l": "written again"}
    ]
    assert f'<{article}> <{RDFS_LABEL}> "written again" <{article}> .' in store.dump_nquads().splitlines()
    anonymous = RemoteStore(writable.url, environ={})
    with pytest.raises(Exception, match="refused"):
        anonymous.write_article(ArticleWrite(article, ""))


def test_a_runaway_query_is_stopped_and_the_server_stays_up(server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    response = httpx.get(server.url + "/query", params={"query": runaway}, timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and "timeout" in response.text
    assert TIMEOUT <= elapsed < TIMEOUT + 1.5
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok" and health["restarted_workers"] >= 1
    again = httpx.get(server.url + "/query", params={"query": f"ASK {{ ?e a <{KG}Meeting> }}"})
    assert again.json()["boolean"] is True


def test_the_query_page_is_offline_and_escapes(server):
    page = httpx.get(server.url + "/")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "<script src" not in page.text and "innerHTML" not in page.text
    assert "textContent" in page.text


def test_the_explorer_page(server):
    pytest.importorskip("kg.explorer")
    page = httpx.get(server.url + "/explorer", timeout=60)
    assert page.status_code == 200 and page.text.lstrip().lower().startswith("<!doctype html")
    assert "Person <b>" not in page.text  # labels reach the page only as escaped data


def test_negotiation_prefers_exact_types_and_quality():
    assert negotiate(None, RESULT_TYPES) == "application/sparql-results+json"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES) == "application/sparql-results+xml"
    assert negotiate("application/json", RESULT_TYPES) == "application/sparql-results+json"
    assert negotiate("text/*", RESULT_TYPES) == "text/csv"
    assert negotiate("*/*;q=0.1, text/turtle", GRAPH_TYPES) == "text/turtle"
    assert negotiate("application/rdf+xml", GRAPH_TYPES) == "application/rdf+xml"
    assert negotiate("application/rdf+xml", RESULT_TYPES) is None
    assert negotiate("text/csv;q=0", RESULT_TYPES) is None


def test_serve_refuses_updates_without_a_token(store_dir):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KG_TOKEN", None)
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store_dir), "--allow-update", "--port", "1"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "--token" in result.stderr
