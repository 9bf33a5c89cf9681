"""The Python API (`import kg`): build, query, graph, explore, remove, and the README's library example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

import kg
from kg.records import Article

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = (
    "PREFIX kg: <https://w3id.org/newskg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX schema: <https://schema.org/>\n"
)
TEXT = (
    "Harbour workers in Valparaiso blocked the main quay on Monday.\n\n"
    "The port authority fined the Cormorant Shipping Company 40,000 dollars, its director Ines Aguirre said."
)

pytestmark = pytest.mark.slow


def test_importing_kg_loads_neither_spacy_nor_the_store():
    code = "import sys, kg; print('spacy' in sys.modules, 'pyoxigraph' in sys.modules, sorted(kg.__all__)[:2])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split()[:2] == ["False", "False"]


def test_all_names_the_public_api_and_each_is_documented():
    for name in kg.__all__:
        value = getattr(kg, name)
        assert value.__doc__, name
    with pytest.raises(AttributeError):
        kg.no_such_thing  # noqa: B018


@pytest.fixture(scope="module")
def store():
    memory = kg.open_store(None)
    report = kg.build([TEXT, {"text": TEXT.replace("Monday", "Tuesday"), "id": "second", "title": "Quay"}], memory)
    assert report.built == 2 and not report.skipped
    return memory


def test_build_takes_texts_and_records_and_query_gives_rows(store):
    rows = kg.query(PREFIXES + "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name }", store=store)
    assert {"name": "Ines Aguirre"} in list(rows)
    assert len(rows) == len(rows.rows) >= 1
    ask = kg.query(PREFIXES + "ASK { ?a schema:headline 'Quay' }", store=store)
    assert ask.boolean is True


def test_query_result_to_dataframe(store):
    pandas = pytest.importorskip("pandas")
    frame = kg.query(PREFIXES + "SELECT ?a ?h WHERE { ?a schema:headline ?h } ORDER BY ?h", store=store).to_dataframe()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == ["a", "h"]


def test_graph_gives_an_rdflib_dataset_or_a_networkx_graph(store):
    dataset = kg.graph(store=store)
    assert isinstance(dataset, Dataset) and len(dataset) > 50
    network = kg.graph(store=store, kind="networkx")
    assert isinstance(network, nx.MultiDiGraph)
    assert "Ines Aguirre" in {data["label"] for _, data in network.nodes(data=True)}
    with pytest.raises(ValueError, match="unknown graph kind"):
        kg.graph(store=store, kind="igraph")


def test_explore_returns_an_object_whose_html_repr_is_the_page(store, tmp_path):
    page = kg.explore(store=store, focus="Ines Aguirre")
    assert page.html.startswith("<!DOCTYPE html>") and page.nodes >= 1
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in shown
    assert "&lt;!DOCTYPE html&gt;" in shown and "<script" not in shown  # the page is inside the attribute, escaped
    assert page.save(tmp_path / "p.html").read_text(encoding="utf-8") == page.html


def test_a_directory_store_is_opened_and_closed_around_each_call(tmp_path):
    location = tmp_path / "store"
    report = kg.build(Article(id="one", text=TEXT, title="Quay"), store=location)
    assert report.built == 1
    assert kg.query(PREFIXES + "SELECT ?a WHERE { ?a schema:headline 'Quay' }", store=location).rows
    assert kg.remove("one", store=location).endswith("one")
    assert not kg.query(PREFIXES + "SELECT ?a WHERE { ?a schema:headline 'Quay' }", store=str(location)).rows


def test_a_source_without_text_is_named_in_the_error():
    with pytest.raises(ValueError, match="source 2"):
        kg.build([TEXT, {"title": "no text"}], store=kg.open_store(None))


def test_the_readme_library_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using newskg from Python", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    for path in ("examples",):
        (tmp_path / path).symlink_to(ROOT / path)
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
    assert (tmp_path / "milei.html").stat().st_size > 10_000
