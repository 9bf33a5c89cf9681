"""The parse in a child process, so spaCy works on one core while this process extracts and writes on the other.

In one process the parse and extraction share the GIL: the parser gives it up a thousand times per
article for microseconds, and each time waits out Python's switch interval while extraction runs,
so a parse thread (`kg.annotate.annotate_ahead`) overlaps little with the rest of a build. Here a
child process holds its own copy of the model, parses batches of texts and sends each batch of Docs
back as bytes (a `DocBin`: every token attribute, the spaces and span groups; not the tensor nor the
user data of custom attributes, which nothing after the parse reads or sets). It is one message per
batch because srsly scans the installed packages' entry points for every message it unpacks (1.7 ms:
`Doc.to_bytes` per Doc cost more than the rest of turning bytes into Docs). This process rebuilds the
Docs on its own model's vocabulary, so they are the Docs a parse here gives.

`Parser` is the child. One is kept per process, started at first use with its model loaded and
reused by later builds (like `load_model`'s cache); it serves one stream at a time. It exits when
this process exits or closes its end of the pipe (the child's read fails), so a killed build leaves
no parser behind once the parser finishes the batch in hand.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from kg.records import Article


class ParserFailed(RuntimeError):
    """The parse process could not start, or died while it parsed."""


def portable(exc: BaseException, fallback: type[Exception] = ParserFailed) -> BaseException:
    """Return `exc` if it survives pickling (to cross to another process), else a `fallback` carrying its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return fallback(f"{type(exc).__name__}: {exc}")
    return exc


def _serve(requests, replies) -> None:
    """The child's loop: load the model, then answer each request (a list of texts) with their Docs as bytes."""
    from spacy.tokens import DocBin

    from kg.annotate import load_model
    from kg.annotate_pipes import forget

    try:
        nlp = load_model()
    except BaseException as exc:
        replies.send(("error", portable(exc)))
        return
    replies.send(("ready", None))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):  # the parent closed its end or is gone
            return
        if request is None:
            return
        if request == "forget":
            forget(nlp)
            continue
        try:
            docs = nlp.pipe(request, batch_size=max(1, len(request)))
            reply = ("docs", DocBin(docs=docs).to_bytes())
        except Exception as exc:
            reply = ("error", portable(exc))
        try:
            replies.send(reply)
        except (BrokenPipeError, OSError):
            return


class Parser:
    """A child process with the model loaded, parsing lists of texts into Doc bytes in the order asked.

    Construction spawns it; `ready()` waits until its model is loaded (False if it could not load);
    `stream()` parses articles through it; `forget()` empties the memories of its fast pipes;
    `close()` stops it. `busy` is held by the one stream it serves at a time.
    """

    def __init__(self) -> None:
        # A fresh interpreter running this module, not multiprocessing's spawn, which would import the
        # caller's main script again in the child (and run it, where it has no `__main__` guard).
        requests_in, requests_out = os.pipe()
        replies_in, replies_out = os.pipe()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kg.annotate_process", str(requests_in), str(replies_out)],
                pass_fds=(requests_in, replies_out),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=env,
            )
        finally:
            os.close(requests_in)  # only the child holds these now, so its exit reads as end-of-file here
            os.close(replies_out)
        self._requests_out = Connection(requests_out, readable=False)
        self._replies_in = Connection(replies_in, writable=False)
        self._ready: bool | None = None
        self._ready_lock = threading.Lock()  # one thread reads the "ready" message; the others wait for it
        self.busy = threading.Lock()

    @property
    def pid(self) -> int:
        """The child's process id (to read its CPU time)."""
        return self._process.pid

    def alive(self) -> bool:
        """Whether the child is still running."""
        return self._process.poll() is None

    def ready(self) -> bool:
        """Wait until the child has loaded its model; returns whether it did (and is still running)."""
        with self._ready_lock:
            if self._ready is None:
                try:
                    self._ready = self._receive()[0] == "ready"
                except ParserFailed:
                    self._ready = False
                if not self._ready:
                    self.close()
        return self._ready and self.alive()

    def _receive(self) -> tuple[str, object]:
        try:
            return self._replies_in.recv()
        except (EOFError, OSError) as exc:
            raise ParserFailed(f"the parse process died (exit code {self._process.poll()})") from exc

    def forget(self) -> None:
        """Empty the memories of the child's fast pipes, as in a fresh process (for fair benchmarks)."""
        with self.busy:
            self._requests_out.send("forget")

    def stream(self, articles: Iterable[Article], vocab, *, batch_size: int = 16) -> Iterator:
        """Parse articles in the child; yield (Article, Doc) pairs in input order, each Doc rebuilt on `vocab`.

        The caller holds `busy`. A feeding thread sends batches of `batch_size` texts, at most two ahead
        of the Docs read back, so memory stays bounded and neither side waits on a full pipe for the
        other. An error of the model is raised here, as `annotate` raises it; stopping early reads back
        the batches in flight first, so the next stream starts clean.
        """
        from spacy.tokens import DocBin

        sent: queue.Queue = queue.Queue()
        slots = threading.Semaphore(2)
        stop = threading.Event()

        def feed() -> None:
            try:
                for batch in _batches(articles, batch_size):
                    while not slots.acquire(timeout=0.1):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    self._requests_out.send([article.text for article in batch])
                    sent.put(batch)
            except (BrokenPipeError, OSError):
                sent.put(ParserFailed(f"the parse process died (exit code {self._process.poll()})"))
            except BaseException as exc:  # the input itself failed: raised in the reading thread
                sent.put(exc)
            finally:
                sent.put(_END)

        feeder = threading.Thread(target=feed, name="kg-parse-feed", daemon=True)
        feeder.start()
        ended = False
        try:
            while (item := sent.get()) is not _END:
                if isinstance(item, BaseException):
                    raise item
                kind, value = self._receive()
                slots.release()
                if kind == "error":
                    raise value
                yield from zip(item, DocBin().from_bytes(value).get_docs(vocab), strict=True)
            ended = True
        finally:
            stop.set()
            try:  # read back what was sent: the feeder may wait on a full pipe that the child's reply blocks
                while not ended and (item := sent.get()) is not _END:
                    if isinstance(item, list):
                        self._receive()
            except ParserFailed:
                self.close()
            feeder.join()

    def close(self) -> None:
        """Stop the child (it finishes the batch in hand) and wait for it."""
        with contextlib.suppress(BrokenPipeError, OSError):
            self._requests_out.send(None)
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._requests_out.close()
        self._replies_in.close()


_END = object()


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def usable_cores() -> int:
    """Return how many cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_parser: Parser | None = None
_parser_lock = threading.Lock()


def shared_parser() -> Parser | None:
    """Return this process's parse process, spawning it on first use; None where one cannot or should not run.

    None on a machine with one core (two processes would take turns on it) or when the child cannot be
    started: the caller then parses in a thread. The child may still be loading its model:
    `Parser.ready()` waits for it.
    """
    global _parser
    with _parser_lock:
        if _parser is not None and _parser.alive():
            return _parser
        if usable_cores() < 2:
            return None
        try:
            _parser = Parser()
        except (OSError, ValueError):  # no process may be started here, or no descriptors passed (not POSIX)
            _parser = None
        else:
            atexit.register(_parser.close)
        return _parser


def annotate_in_child(articles: Sequence[Article], *, batch_size: int = 16) -> Iterator:
    """Parse articles in this process's parse process; yield (Article, Doc) pairs in input order.

    Takes Articles and a batch size; the Docs are those `kg.annotate.annotate` gives, with the same
    batches. Where the child gains nothing or cannot serve, the parse runs in a thread instead
    (`kg.annotate.annotate_ahead`): one batch (it cannot overlap its own extraction, and the child's
    start is spared), one core, a child that failed, or a child another stream holds.
    """
    from kg.annotate import annotate_ahead, load_model

    if len(articles) <= batch_size:
        yield from annotate_ahead(articles, batch_size=batch_size)
        return
    parser = shared_parser()  # spawned first, so the child loads its model while this process loads its own
    vocab = load_model().vocab
    if parser is None or not parser.ready() or not parser.busy.acquire(blocking=False):
        yield from annotate_ahead(articles, batch_size=batch_size)
        return
    try:
        yield from parser.stream(articles, vocab, batch_size=batch_size)
    finally:
        parser.busy.release()


if __name__ == "__main__":  # the child: python -m kg.annotate_process <requests fd> <replies fd>
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
