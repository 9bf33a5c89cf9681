"""Extraction in parallel: a pool of processes on this machine, or a Dask cluster across machines.

Both are Producers for `kg.pipeline.build`: they cut the articles into shards (runs of articles
in order), have workers annotate and extract each shard, and yield the results in the ORIGINAL
order, so the store — written by the calling process alone, one article at a time — ends up
byte-identical to a build with one process. Each worker process loads the spaCy model once.

Local workers are children of the build itself (spawned, not forked from a forkserver that would
outlive it) and each watches its parent: when the build ends in any way, SIGKILL included, its
workers exit within half a second instead of lingering with a model in memory.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from kg.annotate_process import portable
from kg.pipeline import BuildOptions, Producer, extract_articles
from kg.records import Article, Extraction

MAX_SHARD = 64
WATCH_SECONDS = 0.5


class ShardFailed(RuntimeError):
    """A worker failed on a whole shard (it crashed, or an error could not be sent back as it was)."""


def shard_size(n_articles: int, workers: int) -> int:
    """Return how many articles go in one shard: about four shards per worker, at most MAX_SHARD articles."""
    return max(1, min(MAX_SHARD, math.ceil(n_articles / (4 * max(1, workers)))))


def shards(articles: Sequence[Article], size: int) -> list[list[Article]]:
    """Cut articles into consecutive runs of `size` (the last may be shorter), keeping their order."""
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


def extract_shard(articles: list[Article], options: BuildOptions) -> list[Extraction | BaseException]:
    """Annotate and extract one shard in this process (one spaCy process); returns one outcome per article.

    An outcome is the Extraction, or the exception that article's extraction raised.
    """
    return [
        portable(outcome, ShardFailed) if isinstance(outcome, BaseException) else outcome
        for _, outcome in extract_articles(articles, replace(options, parse_process=False), n_process=1)
    ]


def _watch_parent(parent: int) -> None:
    """Exit this process as soon as its parent `parent` is gone (it was re-parented: the build died)."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _warm_up(parent: int | None = None) -> None:
    """Pool initializer: watch the build process (`parent`), then load the model once, before the first shard."""
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent,), name="watch-build", daemon=True).start()
    from kg.annotate import load_model

    load_model()


def _start_method() -> str:
    # spawn: workers do not inherit the parent's threads or open store, and are the build's own children
    # (a forkserver would be their parent, and it outlives a killed build).
    return "spawn"


def process_pool_producer(workers: int, *, size: int | None = None) -> Producer:
    """Return a Producer that extracts in `workers` processes on this machine.

    Takes the number of processes and an optional shard size (default: `shard_size`); the
    Producer yields (Article, Extraction or exception) in the order of the articles it is given.
    At most two shards per worker are in flight, so memory stays bounded on long runs.
    """

    def produce(articles: list[Article], options: BuildOptions) -> Iterator:
        if not articles:
            return
        parts = shards(articles, size or shard_size(len(articles), workers))
        context = multiprocessing.get_context(_start_method())
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_warm_up, initargs=(os.getpid(),)
        ) as pool:
            pending: deque = deque()
            queued = iter(parts)
            try:
                for part in queued:
                    pending.append((part, pool.submit(extract_shard, part, options)))
                    if len(pending) >= 2 * workers:
                        break
                while pending:
                    part, future = pending.popleft()
                    yield from _outcomes(part, future.result)
                    nxt = next(queued, None)
                    if nxt is not None:
                        pending.append((nxt, pool.submit(extract_shard, nxt, options)))
            finally:
                for _, future in pending:
                    future.cancel()

    return produce


def _outcomes(part: list[Article], result) -> Iterator:
    """Yield (article, outcome) for a shard; when the whole shard failed, every article gets that error."""
    try:
        outcomes = result()
    except Exception as exc:
        failure = exc if isinstance(exc, ShardFailed) else ShardFailed(f"worker failed: {type(exc).__name__}: {exc}")
        outcomes = [failure] * len(part)
    yield from zip(part, outcomes, strict=True)


def dask_producer(scheduler: str | None = None, *, client=None, size: int | None = None) -> Producer:
    """Return a Producer that maps shards over a Dask distributed cluster.

    Takes the scheduler's address ("tcp://host:8786"), or a connected `distributed.Client`;
    every worker needs newskg and the spaCy model installed. Each task is one shard → its list
    of outcomes; results are collected in the original order and written by the caller.
    The per-article time budget holds there too (its deadline is checked by extraction itself).
    Raises ImportError when `distributed` is not installed.
    """
    from distributed import Client

    def produce(articles: list[Article], options: BuildOptions) -> Iterator:
        if not articles:
            return
        own = client is None
        connected = Client(scheduler) if own else client
        try:
            n_workers = max(1, len(connected.scheduler_info().get("workers", {})))
            parts = shards(articles, size or shard_size(len(articles), n_workers))
            futures = connected.map(extract_shard, parts, options=options, pure=False)
            for part, future in zip(parts, futures, strict=True):
                yield from _outcomes(part, future.result)
                future.release()
        finally:
            if own:
                connected.close()

    return produce
