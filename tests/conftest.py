"""Shared fixtures: real SPARQL servers started on 127.0.0.1 for the remote-store and server tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import settings


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20.0) -> None:
    """Wait until something accepts connections on `port`; fail early if `process` died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {seconds} s")


def oxigraph_binary() -> str | None:
    """Return the path of the `oxigraph` server binary (PyPI package `oxigraph`), or None."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture
def oxigraph_server():
    """Start in-memory Oxigraph servers on free ports; calling the fixture's value returns a new one's base URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph)")
    processes = []

    def start() -> str:
        port = free_port()
        process = subprocess.Popen(
            [binary, "serve", "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        processes.append(process)
        wait_for_port(port, process)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def trig_store():
    """Return a function that loads a TriG file into a new in-memory store, each named graph kept."""
    from collections import defaultdict

    import pyoxigraph as ox

    from kg.store import open_store

    def load(path: Path):
        store = open_store(None)
        graphs: dict[str, list[str]] = defaultdict(list)
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
            graphs[quad.graph_name.value].append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
        for graph, lines in sorted(graphs.items()):
            store.set_graph(graph, "".join(lines))
        return store

    return load


# Hypothesis profiles: "ci" (fewer examples) when the CI environment variable is set, else "dev".
settings.register_profile("ci", max_examples=30, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the seed pytest-randomly shuffled this run with (even under -q), so an order-dependent failure
    can be replayed with `-p randomly --randomly-seed=N`."""
    seed = getattr(config.option, "randomly_seed", None)
    if seed is not None and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(f"test order shuffled by pytest-randomly, seed {seed}")
