"""`kg serve`'s /health on a real server: it answers, and says "saturated", while every worker runs a heavy query
and more requests wait. Its latency under load is measured by bench/serve_load.py, not here."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = f"ASK {{ ?e a <{KG}Meeting> }}"
WAITING = 30


def _store(path: Path) -> None:
    """Write 150 meetings in 3 article graphs: a four-way cross product over them runs for hours."""
    store = ox.Store(str(path))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = []
    for e in range(150):
        graph = ox.NamedNode(f"{ID}article/{e % 3}")
        event = ox.NamedNode(f"{ID}event/{e}")
        quads += [
            ox.Quad(event, rdf_type, ox.NamedNode(KG + "Meeting"), graph),
            ox.Quad(event, ox.NamedNode(KG + "trigger"), ox.Literal("meet"), graph),
        ]
    for a in range(3):  # each graph is an article, so `kg serve` sees a built graph
        graph = ox.NamedNode(f"{ID}article/{a}")
        quads.append(ox.Quad(graph, rdf_type, ox.NamedNode(KG + "Article"), graph))
    store.extend(quads)
    store.flush()


@pytest.mark.server
@pytest.mark.slow
def test_health_answers_while_every_worker_is_busy(tmp_path):
    _store(tmp_path / "store")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(tmp_path / "store"), "--port", str(port)]
    command += ["--workers", "2", "--per-client", "2", "--timeout", "15"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, server, seconds=60)
        with ThreadPoolExecutor(2 + WAITING) as clients:
            heavy = [clients.submit(httpx.get, url + "/query", params={"query": HEAVY}, timeout=60) for _ in range(2)]
            time.sleep(0.5)  # both workers taken by the heavy queries
            cheap = [
                clients.submit(httpx.get, url + "/query", params={"query": CHEAP}, timeout=60) for _ in range(WAITING)
            ]
            deadline = time.monotonic() + 12  # the requests time out 15 s after they arrive
            while (health := httpx.get(url + "/health", timeout=10).json())["waiting_requests"] < WAITING // 2:
                assert time.monotonic() < deadline, f"the cheap requests never waited: {health}"
                time.sleep(0.05)
            assert health["status"] == "saturated" and health["busy_workers"] == 2
            # Every worker is busy and requests wait: /health still answers, without waiting for any of them
            # (a generous bound: the machine may be busy; the latency is bench/serve_load.py's to measure).
            for _ in range(10):
                started = time.monotonic()
                assert httpx.get(url + "/health", timeout=10).json()["status"] == "saturated"
                assert time.monotonic() - started < 3.0
            assert [f.result().status_code for f in heavy] == [503, 503]  # stopped at the timeout
            assert {f.result().status_code for f in cheap} <= {200, 503}
        answer = httpx.get(url + "/query", params={"query": CHEAP}, timeout=60)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        health = httpx.get(url + "/health", timeout=10).json()
        assert health["status"] == "ok" and health["waiting_requests"] == 0 and health["restarted_workers"] >= 2
    finally:
        server.terminate()
        server.wait(timeout=30)
