"""The stores: atomic article writes, union queries, locking, safe bindings.

Every test taking `new_store` runs against the embedded Oxigraph store and against a real Oxigraph
server through kg.store.remote.RemoteStore.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.iris import BASE, ENTITIES_GRAPH
from kg.store import ArticleWrite, QuerySyntaxError, StoreLocked, open_store

BACKENDS = ["embedded", pytest.param("remote", marks=pytest.mark.server)]


@pytest.fixture(params=BACKENDS)
def new_store(request):
    """Return a function that opens a fresh, empty store of the backend under test."""
    if request.param == "embedded":
        return lambda: open_store(None)
    start_server = request.getfixturevalue("oxigraph_server")
    return lambda: open_store(start_server())


A = BASE + "article/a"
B = BASE + "article/b"
E = BASE + "person/Ann_Example"


def _write(store, article, label="Ann Example"):
    store.write_article(
        ArticleWrite(
            article_iri=article,
            ntriples=f"<{E}> <https://w3id.org/newskg/ontology#mentionedIn> <{article}> .\n",
            entity_iris=(E,),
            entity_ntriples=f'<{E}> <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .\n',
        )
    )


def test_queries_see_the_union_of_graphs(new_store):
    store = new_store()
    _write(store, A)
    _write(store, B)
    rows = store.select("SELECT ?a WHERE { ?e <https://w3id.org/newskg/ontology#mentionedIn> ?a } ORDER BY ?a")
    assert [r["a"] for r in rows] == [A, B]
    assert sorted(store.named_graphs()) == sorted([A, B, ENTITIES_GRAPH])


def test_writing_an_article_again_replaces_its_graph_and_summary(new_store):
    store = new_store()
    _write(store, A, "Ann Example")
    _write(store, A, "Ann B. Example")
    labels = store.select("SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert labels == [{"l": "Ann B. Example"}]
    assert store.dump_nquads().count("mentionedIn") == 1


def test_remove_article_drops_its_graph(new_store):
    store = new_store()
    _write(store, A)
    store.remove_article(A, [E], "")
    assert store.dump_nquads() == ""


def test_bindings_are_terms_not_text(new_store):
    store = new_store()
    _write(store, A)
    hostile = A + "> } ; DROP ALL ; SELECT * { <x"
    with pytest.raises(ValueError):
        store.select("SELECT ?e ?a WHERE { ?e ?p ?a }", {"a": hostile})
    rows = store.select("SELECT ?e ?a WHERE { ?e ?p ?a }", {"a": A})
    assert rows == [{"e": E, "a": A}]


def test_syntax_errors_name_the_position(new_store):
    store = new_store()
    with pytest.raises(QuerySyntaxError, match="1:"):
        store.query("SELECT ?x WHERE { ?x ?p }")


def test_ask_and_construct(new_store):
    store = new_store()
    _write(store, A)
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    assert "mentionedIn" in store.query("CONSTRUCT WHERE { ?s ?p ?o }").ntriples


def test_dump_is_sorted_and_stable(new_store):
    one, two = new_store(), new_store()
    _write(one, A)
    _write(one, B)
    _write(two, B)
    _write(two, A)
    assert one.dump_nquads() == two.dump_nquads()


def test_a_second_process_gets_a_clear_lock_error(tmp_path):
    store = open_store(tmp_path / "s")
    _write(store, A)
    code = f"from kg.store import open_store; open_store({str(tmp_path / 's')!r})"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert StoreLocked.__name__ in result.stderr and "store is locked" in result.stderr
    store.close()
    reopened = open_store(tmp_path / "s", read_only=True)
    assert reopened.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 2}]


def test_rename_moves_an_entity_everywhere_and_re_mints_its_occurrences(new_store):
    from kg.iris import occurrence_iri

    store = new_store()
    old, new = BASE + "person/vex", BASE + "person/anna_vex"
    occurrence = occurrence_iri("a", old)
    kg = "https://w3id.org/newskg/ontology#"
    store.write_article(
        ArticleWrite(
            A,
            f"<{old}> <{kg}mentionedIn> <{A}> .\n<{occurrence}> <{kg}entity> <{old}> .\n"
            f'<{occurrence}> <{kg}mentionCount> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
            (old,),
            f'<{old}> <http://www.w3.org/2000/01/rdf-schema#label> "Vex" .\n',
        )
    )
    store.rename(old, new, f'<{new}> <http://www.w3.org/2000/01/rdf-schema#label> "Anna Vex" .\n')
    dump = store.dump_nquads()
    assert old not in dump
    assert occurrence_iri("a", new) in dump and occurrence not in dump
    assert '"Anna Vex"' in dump and '"Vex"' not in dump
