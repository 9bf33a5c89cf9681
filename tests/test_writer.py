"""The background writer: writes land in order, reads see every earlier write, a failure stops the build."""

from __future__ import annotations

import threading

import pytest

from kg.iris import BASE
from kg.pipeline import BuildOptions, build
from kg.store import ArticleWrite, OxigraphStore, StoreError, open_store
from kg.store.writer import BackgroundWriter

MENTIONED_IN = "https://w3id.org/newskg/ontology#mentionedIn"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _write(n: int, label: str = "Ann Example") -> ArticleWrite:
    article, person = f"{BASE}article/w{n}", f"{BASE}person/Ann_Example"
    return ArticleWrite(
        article_iri=article,
        ntriples=f"<{person}> <{MENTIONED_IN}> <{article}> .\n",
        entity_iris=(person,),
        entity_ntriples=f'<{person}> <{LABEL}> "{label}" .\n',
    )


class SlowStore(OxigraphStore):
    """An on-disk store whose writes wait for a gate, so a test can see what is still queued."""

    def __init__(self, path, gate: threading.Event) -> None:
        super().__init__(path)
        self.gate = gate
        self.threads: set[str] = set()

    def write_article(self, write: ArticleWrite) -> None:
        self.gate.wait(10)
        self.threads.add(threading.current_thread().name)
        super().write_article(write)


class FailingStore(OxigraphStore):
    """An on-disk store that refuses to write one article, as a full disk would."""

    def __init__(self, path, refuse: str) -> None:
        super().__init__(path)
        self.refuse = refuse

    def write_article(self, write: ArticleWrite) -> None:
        if self.refuse in write.article_iri:
            raise OSError("No space left on device")
        super().write_article(write)


def test_writes_run_in_another_thread_and_reads_wait_for_them(tmp_path):
    gate = threading.Event()
    store = SlowStore(tmp_path / "store", gate)
    writer = BackgroundWriter(store)
    for n in range(3):
        writer.write_article(_write(n, f"Ann Example {n}"))  # returns at once: the gate is still shut
    assert store.select(f"SELECT ?a WHERE {{ ?e <{MENTIONED_IN}> ?a }}") == []
    gate.set()
    rows = writer.select(f"SELECT ?a WHERE {{ ?e <{MENTIONED_IN}> ?a }} ORDER BY ?a")
    assert [r["a"] for r in rows] == [f"{BASE}article/w{n}" for n in range(3)]
    # applied in order: the last write's summary row is the one left
    assert writer.select(f"SELECT ?l WHERE {{ ?e <{LABEL}> ?l }}") == [{"l": "Ann Example 2"}]
    assert store.threads == {"kg-store-writer"}
    writer.close()
    store.close()


def test_close_writes_everything_queued(tmp_path):
    store = open_store(tmp_path / "store")
    with BackgroundWriter(store) as writer:
        for n in range(10):
            writer.write_article(_write(n))
    assert len(store.select(f"SELECT ?a WHERE {{ ?e <{MENTIONED_IN}> ?a }}")) == 10
    with pytest.raises(StoreError, match="closed"):
        writer.write_article(_write(11))
    store.close()


def test_a_failed_write_is_raised_naming_the_article_and_nothing_after_it_is_written(tmp_path):
    store = FailingStore(tmp_path / "store", refuse="w1")
    writer = BackgroundWriter(store)
    writer.write_article(_write(0))
    writer.write_article(_write(1))
    writer.write_article(_write(2))
    with pytest.raises(StoreError, match=r"article/w1 failed: No space left on device"):
        writer.drain()
    rows = store.select(f"SELECT ?a WHERE {{ ?e <{MENTIONED_IN}> ?a }}")
    assert [r["a"] for r in rows] == [f"{BASE}article/w0"]
    with pytest.raises(StoreError, match="w1"):
        writer.close()
    store.close()


def test_a_build_stops_when_the_store_fails_and_keeps_the_articles_before(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("a1", "a2", "a3"):
        (tmp_path / "in" / f"{name}.txt").write_text(
            f"Report {name}\n\nThe ministry said on Monday that police detained two men in Seoul.\n", encoding="utf-8"
        )
    store = FailingStore(tmp_path / "store", refuse="a2")
    with pytest.raises(StoreError, match=r"a2\.txt failed: No space left"):
        build([tmp_path / "in"], store, BuildOptions(progress=False))
    articles = store.select("SELECT ?a WHERE { ?a a <https://w3id.org/newskg/ontology#Article> }")
    assert [r["a"].rsplit("/", 1)[-1] for r in articles] == ["a1.txt"]
    store.close()
