"""`kg serve`: real SPARQL clients against a running server; read-only by default; timeouts; limits; pages."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import re
import socket
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

from kg.serve.answers import GRAPH_TYPES, RESULT_TYPES
from kg.serve.negotiation import negotiate
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
    assert bad.status_code == 400 and "line 1, column" in bad.text and bad.text.rstrip().endswith("^")
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
    assert again.status_code == 200, (again.status_code, again.text)
    assert again.json()["boolean"] is True


def test_the_query_page_is_offline_escapes_and_runs_no_inline_script(server):
    page = httpx.get(server.url + "/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and page.headers["x-content-type-options"] == "nosniff"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.DOTALL)
    assert [attrs for attrs, _ in scripts] == [' id="example-data" type="application/json"', ' src="page.js"']
    script = httpx.get(server.url + "/page.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "innerHTML" not in script.text and "textContent" in script.text
    assert httpx.get(server.url + "/page.css").status_code == 200


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


# -- hardening: each test replays an attack from the audit (issue 13) ------------------------------
class Target:
    """A plain HTTP server on 127.0.0.1 that records every request it gets (the would-be SSRF victim)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.requests: list[str] = []
        target = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                target.requests.append(self.path)
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"secret internal page")

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def target():
    running = Target()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def guarded(store_dir, target):
    extra = ["--workers", "2", "--worker-memory", "512", "--max-answer-mb", "1", "--max-body-mb", "1"]
    extra += ["--header-timeout", "1", "--max-connections", "20", "--allowed-host", "kg.example"]
    running = Server(store_dir, *extra, "--allow-service", target.url, "--timeout", "30")
    yield running
    running.stop()


def test_service_is_refused_and_its_target_gets_no_request(server, target):
    port_scan = f"SELECT * WHERE {{ SERVICE <{target.url}> {{ ?s ?p ?o }} }}"
    silent = "SELECT * WHERE { " + " ".join(f"SERVICE SILENT <{target.url}?n={i}> {{}}" for i in range(200)) + " }"
    prefixed = f"PREFIX t: <{target.url.rsplit('/', 1)[0]}/> select * {{ service t:sparql {{}} }}"
    for query in (port_scan, silent, prefixed):
        response = httpx.get(server.url + "/query", params={"query": query})
        assert response.status_code == 400 and "--allow-service" in response.text
        assert "secret" not in response.text
    posted = httpx.post(server.url + "/query", content=port_scan, headers={"Content-Type": "application/sparql-query"})
    assert posted.status_code == 400
    assert target.requests == []


def test_service_reaches_only_the_allowed_endpoint(guarded, target):
    other = f"SELECT * WHERE {{ SERVICE <{target.url.replace('/sparql', '/admin')}> {{ ?s ?p ?o }} }}"
    assert httpx.get(guarded.url + "/query", params={"query": other}).status_code == 400
    assert target.requests == []
    allowed = f"SELECT * WHERE {{ SERVICE SILENT <{target.url}> {{ ?s ?p ?o }} }}"
    assert httpx.get(guarded.url + "/query", params={"query": allowed}, timeout=30).status_code == 200
    assert len(target.requests) == 1
    target.requests.clear()


def _doublings(n: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(n))
    return f'SELECT (STRLEN(?v{n}) AS ?n) WHERE {{ BIND("0123456789abcdef0123456789abcdef" AS ?v0) {binds} }}'


def test_a_memory_hungry_query_gets_a_clean_error_and_big_answers_are_cut(guarded):
    response = httpx.get(guarded.url + "/query", params={"query": _doublings(27)}, timeout=60)
    assert response.status_code == 503 and "512 MB" in response.text
    cut = httpx.get(guarded.url + "/query", params={"query": _doublings(16).replace("(STRLEN(?v16) AS ?n)", "?v16")})
    assert cut.status_code == 200 and cut.headers["x-kg-truncated"] == "true" and len(cut.content) < 1 << 20
    health = httpx.get(guarded.url + "/health").json()
    assert health["status"] == "ok" and health["restarted_workers"] >= 1
    assert httpx.get(guarded.url + "/query", params={"query": _doublings(4)}).status_code == 200


def test_deep_nesting_is_refused_and_kills_no_worker(server):
    before = httpx.get(server.url + "/health").json()["restarted_workers"]
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    response = httpx.post(server.url + "/query", content=deep, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "deeper than 64" in response.text
    assert httpx.get(server.url + "/health").json()["restarted_workers"] == before


def test_request_size_limits_and_bad_bytes(guarded):
    url = guarded.url + "/query"
    big = httpx.post(url, content=b"ASK {}" + b" " * (2 << 20), headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413
    # A declared 1 GB body is refused before any of it is read.
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as sock:
        sock.sendall(
            b"POST /query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000000000\r\n\r\nASK"
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 413")
    huge_header = httpx.get(url, params={"query": "ASK {}"}, headers={"X-Pad": "x" * 40_000})
    assert huge_header.status_code == 431
    long_url = httpx.get(url, params={"query": "ASK {}" + " " * 40_000})
    assert long_url.status_code == 414
    not_utf8 = httpx.post(
        url, content=b"ASK { ?s ?p '\xff\xfe' }", headers={"Content-Type": "application/sparql-query"}
    )
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.text
    form = httpx.post(
        url, content=b"query=ASK%20%7B%7D&x=\xff", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 400


def test_slow_and_surplus_connections_are_closed(guarded):
    idle = []
    for _ in range(30):  # more than --max-connections 20, each sending half a request head
        sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=5)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        idle.append(sock)
    time.sleep(1.6)  # past --header-timeout 1
    for sock in idle:
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(100) == b""  # closed by the server
        sock.close()
    # The surplus was closed, so a new client is served again (how fast is bench/serve_load.py's business).
    assert httpx.get(guarded.url + "/health", timeout=30).status_code == 200


@pytest.fixture(scope="module")
def crowded(store_dir):
    running = Server(store_dir, "--workers", "1", "--max-connections", "20", "--header-timeout", "60")
    yield running
    running.stop()


def test_half_sent_requests_cannot_lock_other_clients_out(crowded):
    held = []
    for _ in range(40):  # twice --max-connections, each half a request head, none timed out (60 s)
        sock = socket.create_connection(("127.0.0.1", crowded.port), timeout=5)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        held.append(sock)
    try:
        # A new client is served while they are held: the connections that waited longest make room.
        for _ in range(3):
            assert httpx.get(crowded.url + "/health", timeout=10).status_code == 200
        closed = [_closed(sock) for sock in held]
        assert all(closed[:20]) and closed.count(False) < 20  # the oldest went first; at most --max-connections
    finally:
        for sock in held:
            sock.close()


def _closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(100) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True


def test_a_flood_of_connections_does_not_run_out_of_file_handles(store_dir, tmp_path):
    import resource

    def few_handles() -> None:  # 1024 is a common default; 256 keeps the flood small
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store_dir), "--port", str(port)]
    command += ["--workers", "1", "--max-connections", "20", "--header-timeout", "60"]
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=err, stderr=err, preexec_fn=few_handles)
    try:
        wait_for_port(port, process, seconds=60)
        held = []
        for _ in range(600):  # far more than the process may open, as fast as they go
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
            held.append(sock)
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        for sock in held:
            sock.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Too many open files" not in log.read_text(errors="replace")


def test_the_host_header_must_be_a_local_or_allowed_name(server, guarded):
    rebound = httpx.get(server.url + "/store", headers={"Host": f"attacker.example:{server.port}"})
    assert rebound.status_code == 400 and "--allowed-host attacker.example" in rebound.text
    assert "meet" not in rebound.text
    query = httpx.get(server.url + "/query", params={"query": "ASK {}"}, headers={"Host": "attacker.example"})
    assert query.status_code == 400
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", f"[::1]:{server.port}"):
        assert httpx.get(server.url + "/health", headers={"Host": host}).status_code == 200
    assert httpx.get(guarded.url + "/health", headers={"Host": "kg.example"}).status_code == 200
    assert httpx.get(server.url + "/health", headers={"Host": "kg.example"}).status_code == 400


def test_every_answer_carries_the_security_headers(server):
    for path in ("/health", "/query?query=ASK%7B%7D", "/explorer"):
        response = httpx.get(server.url + path, timeout=60)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_health_reports_saturation_without_the_store_path(server, store_dir):
    health = httpx.get(server.url + "/health").json()
    assert health["store"] == store_dir.name and str(store_dir) not in json.dumps(health)
    assert health["status"] == "ok" and health["waiting_requests"] == 0
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        busy = [pool.submit(httpx.get, server.url + "/query", params={"query": runaway}, timeout=30) for _ in range(5)]
        time.sleep(0.5)
        health = httpx.get(server.url + "/health").json()  # answered without a worker (latency: bench/serve_load.py)
        assert health["status"] == "saturated" and health["waiting_requests"] >= 1 and health["busy_workers"] >= 3
        assert all(f.result().status_code == 503 for f in busy)  # each within the timeout from its arrival


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("tokens") / "store"
    _fill(path)
    token_file = path.parent / "token"
    token_file.write_text(TOKEN + "\n")
    running = Server(path, "--allow-update", "--token-file", str(token_file))
    yield running
    running.stop()


def test_token_from_a_file_and_guesses_are_braked(token_server):
    update = {"update": f"INSERT DATA {{ GRAPH <{ID}g> {{ <{ID}a> <{ID}b> 'c' }} }}"}
    ok = httpx.post(token_server.url + "/update", data=update, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204
    codes = [
        httpx.post(token_server.url + "/update", data=update, headers={"Authorization": f"Bearer guess{i}"}).status_code
        for i in range(8)
    ]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
    braked = httpx.post(token_server.url + "/update", data=update, headers={"Authorization": f"Bearer {TOKEN}"})
    assert braked.status_code == 429 and int(braked.headers["retry-after"]) > 0


def test_a_public_host_and_a_token_on_the_command_line_warn(tmp_path):
    not_a_store = tmp_path / "empty"
    not_a_store.mkdir()
    (not_a_store / "CURRENT").write_text("not a store")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KG_TOKEN", None)
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(not_a_store), "--host", "0.0.0.0"]
    command += ["--port", str(free_port()), "--allow-update", "--token", "visible"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "warning: listening on 0.0.0.0" in result.stderr and "visible to every user" in result.stderr
    assert result.returncode != 0  # the store cannot be opened, so nothing ever listened


def test_the_explorer_cache_is_bounded(store_dir):
    pytest.importorskip("kg.explorer.page")
    from starlette.testclient import TestClient

    from kg.serve.app import EXPLORER_PAGES, Endpoint, ServeOptions, create_app

    options = ServeOptions(str(store_dir), workers=1)
    endpoint = Endpoint(options)
    with TestClient(create_app(options, endpoint), base_url="http://localhost") as client:
        for n in range(1, EXPLORER_PAGES + 6):
            assert client.get("/explorer", params={"max_nodes": n}).status_code == 200
        assert len(endpoint._explorer) == EXPLORER_PAGES
        assert client.get("/explorer", params={"max_nodes": 1}).status_code == 200
        assert len(endpoint._explorer) == EXPLORER_PAGES


def test_explorer_views_are_drawn_a_few_at_a_time(store_dir):
    pytest.importorskip("kg.explorer.page")
    from starlette.testclient import TestClient

    from kg.serve.app import EXPLORER_RENDERS, Endpoint, ServeOptions, create_app

    options = ServeOptions(str(store_dir), workers=1)
    endpoint = Endpoint(options)
    with TestClient(create_app(options, endpoint), base_url="http://localhost") as client:
        for _ in range(EXPLORER_RENDERS):  # other clients' views being drawn
            assert endpoint.renders.acquire(blocking=False)
        busy = client.get("/explorer", params={"max_nodes": 3})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
        assert "busy" in busy.text
        endpoint.renders.release()
        assert client.get("/explorer", params={"max_nodes": 3}).status_code == 200
        assert client.get("/explorer", params={"max_nodes": 3}).status_code == 200  # from the cache
        endpoint.renders.release()
        # Every render gave its place back: all of them are free again.
        assert all(endpoint.renders.acquire(blocking=False) for _ in range(EXPLORER_RENDERS))
