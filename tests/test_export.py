"""Exports: every RDF format parses with rdflib and with pyoxigraph, and the bytes never change for the same store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kg.export import ExportError, export, nquads, rdf_bytes, write_nquads
from kg.iris import BASE, ONTOLOGY, ONTOLOGY_GRAPH
from kg.store import ArticleWrite, open_store

ARTICLE = BASE + "article/x"
HOSTILE = ox.Literal('He said "<script>alert(1)</script>" \\ and left\n')


def small_store():
    store = open_store(None)
    person = BASE + "person/Ann_Example"
    store.write_article(
        ArticleWrite(
            ARTICLE,
            f"<{person}> <https://w3id.org/newskg/ontology#surfaceForm> {HOSTILE} .\n"
            f"<{person}> <https://w3id.org/newskg/ontology#mentionedIn> <{ARTICLE}> .\n"
            f'<{ARTICLE}> <https://w3id.org/newskg/ontology#sha256> "ab" .\n',
            (person,),
            f'<{person}> <http://www.w3.org/2000/01/rdf-schema#label> "Ann Example" .\n',
        )
    )
    store.set_graph(
        ONTOLOGY_GRAPH,
        '<https://w3id.org/newskg/ontology#Person> <http://www.w3.org/2000/01/rdf-schema#label> "person" .\n',
    )
    return store


OXIGRAPH_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "json-ld"}


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "jsonld"])
def test_every_format_parses_with_both_parsers(fmt):
    data = rdf_bytes(small_store(), fmt)
    oxigraph_count = len(list(ox.parse(data, format=OXIGRAPH_FORMATS[fmt])))
    if fmt == "ttl":
        rdflib_count = len(Graph().parse(data=data, format="turtle"))
    else:
        rdflib_count = len(list(Dataset().parse(data=data, format=RDFLIB_FORMATS[fmt]).quads()))
    assert oxigraph_count == rdflib_count == 4
    assert b"alert(1)" in data  # kept as data, escaped by the writer


@pytest.mark.parametrize("fmt", ["nq", "trig", "ttl", "jsonld"])
def test_same_store_same_bytes(fmt):
    assert rdf_bytes(small_store(), fmt) == rdf_bytes(small_store(), fmt)


def test_ontology_graph_only_on_request():
    assert b"ontology#Person" not in rdf_bytes(small_store(), "nq")
    assert b"ontology#Person" in rdf_bytes(small_store(), "nq", include_ontology=True)


def test_trig_keeps_named_graphs():
    data = rdf_bytes(small_store(), "trig")
    graphs = {str(g.identifier) for g in Dataset().parse(data=data, format="trig").graphs() if len(g)}
    assert ARTICLE in graphs


def test_export_writes_the_file(tmp_path):
    summary = export(small_store(), "trig", tmp_path / "out" / "g.trig")
    assert (tmp_path / "out" / "g.trig").stat().st_size == summary["bytes"] > 0


def test_unknown_format_is_a_clear_error():
    with pytest.raises(ExportError, match="unknown RDF format"):
        rdf_bytes(small_store(), "rdfxml")


def test_a_full_disk_gives_one_line_and_leaves_the_old_file_whole(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    graph = BASE + "article/big"
    article = f"<{graph}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ONTOLOGY}Article> .\n"
    store.write_article(
        ArticleWrite(graph, article + "".join(f'<{graph}> <{BASE}p> "value {i}" .\n' for i in range(2000)))
    )
    store.close()
    out = tmp_path / "graph.nq"
    out.write_text("the previous export\n")
    # The file size limit stands in for a full disk: writes past 4 KB fail (EFBIG) as they would with ENOSPC.
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)); "
        "from kg.cli import main; sys.argv = ['kg'] + sys.argv[1:]; main()"
    )
    command = [sys.executable, "-c", script, "export", "--store", str(store_dir), "--format", "nq", "-o", str(out)]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(out) in lines[0] and "bytes free" in lines[0] and "needs" in lines[0]
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq", "store"]


@pytest.mark.parametrize("include_ontology", [False, True])
def test_streamed_nquads_are_the_bytes_of_the_sorted_dump(tmp_path, include_ontology):
    store = small_store()
    store.set_graph(BASE + "article/b", f'<{BASE}person/x> <{BASE}p> "second graph" .\n')
    out = tmp_path / "graph.nq"
    with open(out, "wb") as handle:
        write_nquads(store, handle, include_ontology=include_ontology, run_lines=2)  # many runs, merged
    assert out.read_bytes() == nquads(store, include_ontology=include_ontology).encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq"]  # the runs are gone
