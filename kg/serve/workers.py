"""The processes that run queries for `kg serve`, so a runaway query can be stopped by killing its process.

pyoxigraph cannot cancel a query from another thread, so each query runs in a worker process
that owns a handle on the store; the server waits for the answer at most `timeout` seconds and
otherwise kills the worker and starts a fresh one. Workers also write the answer in the format
the client asked for, stopping after `max_results` rows or triples or `max_bytes` of values.

Each worker runs under an address-space limit (RLIMIT_AS), so a query that builds huge values
(CONCAT doublings, a sorted cross product) ends its own worker, not the machine; the pool reports
that as WorkerOutOfMemory and starts a fresh worker. The timeout counts from the request's
arrival, waiting for a free worker included, and a free worker goes to the waiting request of the
client with the fewest running requests, so one client cannot hold every worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import Counter

import pyoxigraph as ox

from kg.serve.answers import QueryTimeout, handle

STARTUP_SECONDS = 120.0
DEFAULT_MEMORY_MB = 1024
WORKER_NICENESS = 10
M_ARENA_MAX = -8  # glibc mallopt parameter


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space at `megabytes` (None or 0: no cap); allocations past it fail.

    Rust code (Oxigraph) aborts the process on a failed allocation, Python raises MemoryError;
    either way only this worker ends. Called after the store is open, so the threads the store
    starts are not refused their stacks.
    """
    if megabytes:
        cap = int(megabytes) << 20
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap if hard == resource.RLIM_INFINITY else min(cap, hard)))


def _settle_worker() -> None:
    """Make this worker a modest neighbour: lower CPU priority than the server that answers /health, few malloc
    arenas (each reserves 64 MB of address space, which counts against the memory cap), a one-line Rust abort."""
    os.environ["RUST_BACKTRACE"] = "0"
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 2)


def worker_main(conn, store_path: str, read_only: bool, memory_mb: int | None = None) -> None:
    """Entry point of a worker process: open the store, cap its memory, then answer (kind, payload) requests
    until the pipe closes."""
    _settle_worker()
    try:
        store = ox.Store.read_only(store_path) if read_only else ox.Store(store_path)
    except OSError as exc:
        conn.send(("failed", f"cannot open store {store_path}: {exc}"))
        return
    limit_memory(memory_mb)
    conn.send(("ready", None))
    while True:
        try:
            kind, payload = conn.recv()
        except EOFError:
            break
        try:
            conn.send(("ok", handle(store, kind, payload)))
        except MemoryError:
            conn.send(("memory", None))
        except Exception as exc:  # reported to the client as a 500, the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
    if not read_only:
        store.flush()


class WorkerError(RuntimeError):
    """A worker that could not open the store, or that failed on a request."""


class WorkerOutOfMemory(WorkerError):
    """A request that took its worker past the memory limit; the worker was replaced."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, store_path: str, read_only: bool, memory_mb: int | None) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, store_path, read_only, memory_mb), daemon=True)
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


class _Ticket:
    """A request waiting for a worker: its arrival number, its client, and the worker handed to it."""

    def __init__(self, number: int, client) -> None:
        self.number, self.client = number, client
        self.worker: _Worker | None = None
        self.event = threading.Event()


class WorkerPool:
    """A fixed number of worker processes on one store; `run` gives each request a free one, fairly.

    Read-only pools may have several workers (each opens the store read-only); a writable pool has
    exactly one, since only one process can hold the store for writing. A client (any hashable key,
    the server uses the peer's address) runs at most `per_client` requests at once (default: all
    workers but one), and a free worker goes to the waiting client with the fewest running requests.
    `memory_mb` caps each worker's address space (None: no cap).
    """

    def __init__(
        self,
        store_path: str,
        *,
        workers: int = 2,
        read_only: bool = True,
        memory_mb: int | None = None,
        per_client: int | None = None,
    ) -> None:
        if not read_only and workers != 1:
            raise ValueError("a writable store can be held by one worker only")
        self.store_path, self.read_only, self.size = str(store_path), read_only, workers
        self.memory_mb = memory_mb or None
        self.per_client = max(1, per_client or workers - 1)
        self._context = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._waiting: list[_Ticket] = []
        self._running: Counter = Counter()
        self._tickets = 0
        self.restarts = 0
        self.closed = False
        for _ in range(workers):
            self._idle.append(self._start())
        try:
            self._idle[0].wait_ready()  # fail now, with the store's message, when it cannot be opened
        except WorkerError:
            self.close()
            raise

    @property
    def busy(self) -> int:
        """How many workers are running a request now. Read without the lock (a list's length is read whole),
        so /health, which asks from the event loop, never waits for a thread that holds it."""
        return self.size - len(self._idle)

    @property
    def waiting(self) -> int:
        """How many requests wait for a free worker now (read without the lock, like `busy`)."""
        return len(self._waiting)

    def _start(self) -> _Worker:
        worker = _Worker(self._context, self.store_path, self.read_only, self.memory_mb)
        with self._cond:
            self._all.append(worker)
        return worker

    def _dispatch(self) -> None:
        """Hand idle workers to waiting tickets (caller holds the lock): among clients under their share,
        the one with the fewest running requests first, then the earliest; only the chosen thread wakes."""
        while self._idle and self._waiting:
            eligible = [t for t in self._waiting if self._running[t.client] < self.per_client]
            if not eligible:
                return
            ticket = min(eligible, key=lambda t: (self._running[t.client], t.number))
            self._waiting.remove(ticket)
            self._running[ticket.client] += 1
            ticket.worker = self._idle.pop(0)  # the longest idle: a replacement still starting goes last
            ticket.event.set()

    def _acquire(self, client, deadline: float | None) -> _Worker:
        with self._cond:
            if self.closed:
                raise WorkerError("the server is stopping")
            self._tickets += 1
            ticket = _Ticket(self._tickets, client)
            self._waiting.append(ticket)
            self._dispatch()
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        ticket.event.wait(remaining)
        with self._cond:
            if ticket.worker is not None:
                return ticket.worker
            self._waiting.remove(ticket)
            if self.closed:
                raise WorkerError("the server is stopping")
        raise QueryTimeout(f"stopped after the timeout while waiting for a free worker ({self.size} busy)")

    def _release(self, client, worker: _Worker | None) -> None:
        """Give a worker back after a request (or, when None, a fresh one for a worker that was retired)."""
        if worker is None:
            with self._cond:
                self.restarts += 1
                closed = self.closed
            worker = None if closed else self._start()
        with self._cond:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            if worker is not None:
                self._idle.append(worker)
            self._dispatch()

    def _retire(self, worker: _Worker) -> str:
        """Kill a worker (if still alive) and return how it ended, for messages."""
        worker.kill()
        with self._cond:
            if worker in self._all:
                self._all.remove(worker)
        code = worker.process.exitcode
        if code is not None and code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"exit code {code}"

    def run(self, kind: str, payload, timeout: float | None, *, client="local", deadline: float | None = None):
        """Send one request to a free worker and wait for its answer.

        Takes the request kind ("query", "select", "update", "dump"), its payload, a timeout in seconds
        (None: wait for ever), the client's key (for the fair share) and optionally the deadline
        (time.monotonic()) when the request arrived earlier; returns the worker's answer. Raises
        QueryTimeout when the time runs out (a running request's worker is killed), WorkerOutOfMemory
        when the request took its worker past the memory limit, WorkerError when it failed in the worker.
        """
        if deadline is None and timeout is not None:
            deadline = time.monotonic() + timeout
        worker = self._acquire(client, deadline)
        status = None
        try:
            worker.wait_ready()
            worker.conn.send((kind, payload))
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                self._retire(worker)
                worker = None
                raise QueryTimeout(f"stopped after the {timeout:g} s timeout")
            status, answer = worker.conn.recv()
            if status == "memory":
                self._retire(worker)
                worker = None
        except (EOFError, OSError, WorkerError) as exc:
            if worker is None:
                raise
            ended = self._retire(worker)
            worker = None
            if isinstance(exc, WorkerError):
                raise WorkerError(f"query worker failed: {exc}") from None
            status = "memory" if ended in ("signal SIGABRT", "signal SIGKILL", "signal SIGSEGV") else "died"
            answer = ended
        finally:
            self._release(client, worker)
        if status == "memory":
            limit = f"the {self.memory_mb} MB memory limit of a query worker" if self.memory_mb else "the memory"
            raise WorkerOutOfMemory(f"query stopped: it needed more than {limit}")
        if status == "died":
            raise WorkerError(f"query worker died ({answer})")
        if status == "error":
            raise WorkerError(answer)
        return answer

    def close(self) -> None:
        """Stop every worker (a writable worker's store is flushed when its pipe closes)."""
        with self._cond:
            self.closed = True
            workers, self._all = list(self._all), []
            for ticket in self._waiting:
                ticket.event.set()
        for worker in workers:
            worker.conn.close()
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=10)
