"""Streamed TriG and JSON-LD: the same bytes as the in-memory writers, across many chunks of subjects."""

from __future__ import annotations

import pytest

from kg import export_stream
from kg.export import _graph, export, rdf_bytes, write_nquads
from kg.iris import BASE, ONTOLOGY_GRAPH
from kg.store import ArticleWrite, open_store

KG = "https://w3id.org/newskg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def busy_store(blank_node: bool = False):
    """Return a store of three articles whose entities refer to each other a varying number of times."""
    store = open_store(None)
    for a in range(3):
        article = f"{BASE}article/a{a}"
        lines, entities = [f'<{article}> <{KG}sha256> "h{a}" .\n'], []
        for n in range(40):
            person = f"{BASE}person/P{n:02d}_{a}"
            entities.append(person)
            lines += [
                f"<{person}> {TYPE} <{KG}Person> .\n",
                f'<{person}> <{RDFS}label> "Person {n} \\"quoted\\"\\nsecond line"@en .\n',
                f'<{person}> <{KG}mentionCount> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
                f"<{person}> <{KG}mentionedIn> <{article}> .\n",
            ]
            for k in range(n % 5):  # person k is named by n % 5 others: rdflib orders subjects by that count
                lines.append(f"<{person}> <{KG}knows> <{BASE}person/P{k:02d}_{a}> .\n")
        lines.append(f"<{BASE}class/C{a}> {TYPE} <{RDFS}Class> .\n")
        if blank_node:
            lines.append(f'_:b{a} <{RDFS}label> "anonymous" .\n<{entities[0]}> <{KG}knows> _:b{a} .\n')
        summary = "".join(f'<{e}> <{RDFS}label> "{e.rsplit("/", 1)[1]}" .\n' for e in entities)
        store.write_article(ArticleWrite(article, "".join(lines), tuple(entities), summary))
    store.set_graph(ONTOLOGY_GRAPH, f'<{KG}Person> <{RDFS}label> "person" .\n')
    return store


def _sorted(store, tmp_path):
    path = tmp_path / "sorted.nq"
    with open(path, "wb") as handle:
        write_nquads(store, handle)
    return path


@pytest.mark.parametrize("fmt", ["trig", "jsonld"])
@pytest.mark.parametrize("include_ontology", [False, True])
def test_streamed_bytes_equal_in_memory_bytes(tmp_path, monkeypatch, fmt, include_ontology):
    monkeypatch.setattr(export_stream, "CHUNK_SUBJECTS", 7)  # many chunks per graph
    store = busy_store()
    export(store, fmt, tmp_path / f"g.{fmt}", include_ontology=include_ontology)
    assert (tmp_path / f"g.{fmt}").read_bytes() == rdf_bytes(store, fmt, include_ontology=include_ontology)


@pytest.mark.parametrize("fmt", ["trig", "jsonld"])
def test_blank_nodes_give_the_same_bytes(tmp_path, fmt):
    store = busy_store(blank_node=True)
    export(store, fmt, tmp_path / f"g.{fmt}")
    assert (tmp_path / f"g.{fmt}").read_bytes() == rdf_bytes(store, fmt)


def test_trig_with_blank_nodes_is_left_to_the_in_memory_writer(tmp_path):
    with open(tmp_path / "out.trig", "wb") as handle:
        assert not export_stream.write_streamed(
            _sorted(busy_store(blank_node=True), tmp_path), "trig", handle, tmp_path, new_graph=_graph
        )
    assert (tmp_path / "out.trig").stat().st_size == 0


def test_empty_store_exports_like_in_memory(tmp_path):
    store = open_store(None)
    for fmt in ("trig", "jsonld"):
        export(store, fmt, tmp_path / f"g.{fmt}")
        assert (tmp_path / f"g.{fmt}").read_bytes() == rdf_bytes(store, fmt)
