"""Parallel extraction: shards keep their order, and a build in 2 processes or on Dask equals a build in one."""

from __future__ import annotations

import json
import pickle
import threading

import pytest

from kg.annotate_process import portable
from kg.export import nquads
from kg.parallel import (
    MAX_SHARD,
    ShardFailed,
    dask_producer,
    extract_shard,
    process_pool_producer,
    shard_size,
    shards,
)
from kg.pipeline import BuildOptions, build
from kg.records import Article
from kg.store import open_store

# Short wire items written for these tests.
ITEMS = [
    ("p-1", "2025-03-04", "Port workers in Rotterdam walked off the job on Monday, the FNV union said."),
    ("p-2", "2025-03-05", "Siemens agreed to buy a Danish software maker for $1.2 billion, the company announced."),
    ("p-3", "2025-03-06", "Police in Lyon arrested three men after a fire destroyed a warehouse on Tuesday."),
    ("p-4", "2025-03-07", "Chancellor Olaf Scholz met President Emmanuel Macron in Paris to discuss energy prices."),
    ("p-5", "2025-03-08", "Heavy rain flooded parts of Valencia, and two people died, officials in Spain said."),
    ("p-6", "2025-03-09", "Kenya's parliament elected a new speaker after weeks of talks between the parties."),
    ("p-7", "2025-03-10", "Toyota recalled 40,000 cars in Japan because of a faulty brake sensor."),
]


def _articles() -> list[Article]:
    return [Article(id=i, text=text, title=text[:30], date=date) for i, date, text in ITEMS]


def test_shards_keep_order_and_size():
    articles = _articles()
    parts = shards(articles, 3)
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [a for part in parts for a in part] == articles
    assert shard_size(7, 2) == 1 and shard_size(800, 2) == 64 == MAX_SHARD and shard_size(80, 2) == 10
    assert shards([], 4) == []


class _Unpicklable(Exception):
    def __init__(self, seconds, detail):
        super().__init__(f"{detail} after {seconds}")
        # A lock cannot be pickled, whatever exception pickling another library installed: importing
        # `distributed` (tblib) makes exceptions with extra __init__ arguments travel, so those alone do not do.
        self.lock = threading.Lock()


def test_errors_that_cannot_travel_are_wrapped():
    plain = ValueError("bad date")
    assert portable(plain, ShardFailed) is plain
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(_Unpicklable(3, "slow")))
    wrapped = portable(_Unpicklable(3, "slow"), ShardFailed)
    assert isinstance(wrapped, ShardFailed) and str(wrapped) == "_Unpicklable: slow after 3"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "items.jsonl"
    lines = [json.dumps({"id": i, "date": date, "title": text[:30], "text": text}) for i, date, text in ITEMS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def one_process(corpus):
    """The reference: the graph built in this process, without the ontology graph."""
    store = open_store(None)
    report = build([corpus], store, BuildOptions(progress=False))
    assert report.built == len(ITEMS) and not report.skipped
    return nquads(store)


@pytest.mark.slow
def test_two_processes_build_the_same_graph(corpus, one_process):
    pool, seen = process_pool_producer(2, size=3), []

    def recording(articles, options):
        for article, outcome in pool(articles, options):
            seen.append(article.id)
            yield article, outcome

    store = open_store(None)
    report = build([corpus], store, BuildOptions(progress=False), producer=recording)
    assert report.built == len(ITEMS)
    assert seen == sorted(i for i, _, _ in ITEMS)  # the order build() asked for
    assert nquads(store) == one_process


def test_a_shard_extracted_here_matches_the_in_process_producer():
    from kg.pipeline import extract_in_process

    options = BuildOptions(progress=False)
    expected = [outcome for _, outcome in extract_in_process(_articles()[:2], options)]
    assert extract_shard(_articles()[:2], options) == expected


@pytest.mark.slow
def test_a_local_dask_cluster_builds_the_same_graph(corpus, one_process):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    try:
        with distributed.Client(cluster) as client:
            store = open_store(None)
            report = build([corpus], store, BuildOptions(progress=False), producer=dask_producer(client=client, size=2))
            assert report.built == len(ITEMS) and not report.skipped
            assert nquads(store) == one_process
            # through the scheduler's address, as `kg build --executor dask --scheduler ADDRESS` does
            again = open_store(None)
            build([corpus], again, BuildOptions(progress=False), producer=dask_producer(cluster.scheduler_address))
            assert nquads(again) == one_process
    finally:
        cluster.close()


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_killing_a_parallel_build_leaves_no_worker_behind(tmp_path, sig):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    import psutil

    root = Path(__file__).resolve().parent.parent
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(40):
        (inputs / f"a{i}.txt").write_text(f"Officials in town {i} met the mayor on Monday to talk about roads.\n" * 20)
    command = [sys.executable, "-m", "kg.cli", "build", str(inputs), "--workers", "2", "--store", str(tmp_path / "s")]
    build_process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(build_process.pid)
    deadline = time.monotonic() + 90
    while len(parent.children(recursive=True)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # the workers are loading the model or extracting
    family = parent.children(recursive=True)
    assert len(family) >= 2
    os.kill(build_process.pid, getattr(signal, sig))
    build_process.wait(timeout=30)
    gone, alive = psutil.wait_procs(family, timeout=10)
    for process in alive:  # clean up before failing, by pid
        process.kill()
    assert alive == [], [p.pid for p in alive]
