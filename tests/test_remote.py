"""RemoteStore: endpoint layouts, bindings written as VALUES, and the same graph as the embedded store."""

from __future__ import annotations

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg import iris, mapping
from kg.records import Article, Entity, Event, Evidence, Extraction, ResolvedEntity, ResolvedExtraction, Role
from kg.store import ArticleWrite, OxigraphStore, QuerySyntaxError, StoreError, open_store
from kg.store.remote import RemoteStore, inline_bindings, resolve_endpoints


def test_a_bare_base_url_means_the_oxigraph_layout():
    ends = resolve_endpoints("http://127.0.0.1:7878/", environ={})
    assert (ends.query, ends.update, ends.data) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    assert ends.union == (("union-default-graph", ""),) and ends.dataset_dump


def test_fuseki_layout_and_overrides():
    ends = resolve_endpoints("http://db:3030/news?layout=fuseki", environ={})
    assert (ends.query, ends.update, ends.data) == (
        "http://db:3030/news/query",
        "http://db:3030/news/update",
        "http://db:3030/news/data",
    )
    assert ends.union == (("default-graph-uri", "urn:x-arq:UnionGraph"),)
    ends = resolve_endpoints(
        "http://db:3030/news?layout=fuseki&query=sparql", environ={"KG_UPDATE_URL": "http://w:1/up"}
    )
    assert ends.query == "http://db:3030/news/sparql" and ends.update == "http://w:1/up"
    with pytest.raises(StoreError, match="layout"):
        resolve_endpoints("http://db:3030/news?layout=mystery", environ={})
    with pytest.raises(StoreError, match="colour"):
        resolve_endpoints("http://db:3030/news?colour=red", environ={})


def test_open_store_sends_urls_to_the_remote_backend():
    store = open_store("http://127.0.0.1:9/x")
    assert isinstance(store, RemoteStore)
    with pytest.raises(StoreError, match="cannot reach"):
        store.select("SELECT * WHERE { ?s ?p ?o }")
    store.close()


def test_bindings_become_a_values_block_inside_the_where_pattern():
    query = (
        "PREFIX kg: <https://w3id.org/newskg/ontology#>\n"
        "# a comment with a { brace\n"
        'SELECT ?e ?g WHERE { GRAPH ?g { ?e kg:label "{not here}" } }'
    )
    bound = inline_bindings(query, {"g": "https://w3id.org/newskg/id/article/x"})
    assert "SELECT ?e ?g WHERE { VALUES (?g) { (<https://w3id.org/newskg/id/article/x>) }  GRAPH ?g" in bound
    construct = inline_bindings("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"o": ('say "hi"\n',)})
    assert construct.startswith('CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { ("say \\"hi\\"\\n") }')
    with pytest.raises(ValueError):
        inline_bindings("SELECT * WHERE { ?s ?p ?o }", {"o": "not an iri> } DROP ALL {"})
    with pytest.raises(ValueError):
        inline_bindings("SELECT * WHERE { ?s ?p ?o }", {"o) } DROP ALL": "https://x/"})
    with pytest.raises(QuerySyntaxError):
        inline_bindings("CONSTRUCT WHERE { ?s ?p ?o }", {"o": "https://x/"})


def _resolved(n: int) -> ResolvedExtraction:
    """A small hand-made article: a person, a country, and a meeting between them, numbered `n`."""
    text = f"Ann Example met officials in Norway on visit {n}."
    article = Article(id=f"synthetic-{n}", text=text, title=f"Visit {n}", date="2026-11-0" + str(1 + n % 9))
    evidence = Evidence(text, 0, len(text), 0.9)
    people = Entity("p", "Person", "Ann Example", ("Ann Example",))
    place = Entity("c", "Country", "Norway", ("Norway",))
    event = Event(
        "e1", "Meeting", "meet", 12, 15, evidence, (Role("agent", "p"), Role("place", "c")), date=article.date
    )
    extraction = Extraction(article, (people, place), (event,))
    return ResolvedExtraction(
        extraction,
        {
            "p": ResolvedEntity(
                "p", iris.entity_iri("Person", "Ann Example"), "Person", "Ann Example", ("Ann Example",)
            ),
            "c": ResolvedEntity("c", iris.entity_iri("Country", "Norway"), "Country", "Norway", ("Norway",), "Q20"),
        },
    )


def _write(resolved: ResolvedExtraction) -> ArticleWrite:
    graph = mapping.article_graph(resolved)
    return ArticleWrite(str(graph.identifier), mapping.to_ntriples(graph))


def same_graphs(one_nquads: str, other_nquads: str) -> bool:
    """Return True when two N-Quads texts hold the same named graphs, each isomorphic to its counterpart."""
    one, other = (Dataset().parse(data=text, format="nquads") for text in (one_nquads, other_nquads))
    names = {g.identifier for g in one.graphs() if len(g)}
    if names != {g.identifier for g in other.graphs() if len(g)}:
        return False
    return all(isomorphic(one.graph(name), other.graph(name)) for name in names)


@pytest.mark.server
def test_remote_and_embedded_hold_the_same_graph(oxigraph_server):
    base = oxigraph_server()
    writes = [_write(_resolved(n)) for n in range(6)]
    embedded = OxigraphStore(None)
    for write in writes:
        embedded.write_article(write)
    remote = RemoteStore(base, environ={})
    remote.write_articles(writes[:3])
    for write in writes[3:] + writes[:2]:  # writing again changes nothing
        remote.write_article(write)
    assert remote.dump_nquads() == embedded.dump_nquads()
    assert same_graphs(remote.dump_nquads(), embedded.dump_nquads())
    # the portable dump (SELECT over GRAPH ?g) gives the same bytes as the Graph Store dump
    portable = RemoteStore(base + "?data=store", environ={})
    assert not portable.endpoints.dataset_dump
    assert portable.dump_nquads() == embedded.dump_nquads()
    query = (
        "PREFIX kg: <https://w3id.org/newskg/ontology#>\n"
        "SELECT ?a (COUNT(?ev) AS ?n) WHERE { ?ev a kg:Meeting ; kg:evidence/kg:article ?a } GROUP BY ?a ORDER BY ?a"
    )
    assert remote.select(query) == embedded.select(query) and len(remote.select(query)) == 6


@pytest.mark.server
def test_a_read_only_remote_store_refuses_writes(oxigraph_server):
    store = open_store(oxigraph_server(), read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.write_article(_write(_resolved(1)))
    assert store.query("ASK { ?s ?p ?o }").boolean is False


@pytest.mark.server
@pytest.mark.slow
def test_building_examples_remotely_gives_the_embedded_graph(oxigraph_server):
    from pathlib import Path

    from kg.export import nquads
    from kg.pipeline import BuildOptions, build

    examples = Path(__file__).resolve().parent.parent / "examples"
    embedded, remote = open_store(None), open_store(oxigraph_server())
    for store in (embedded, remote):
        report = build([examples], store, BuildOptions(progress=False))
        assert report.built >= 3 and not report.skipped
    assert nquads(remote) == nquads(embedded)
    assert same_graphs(remote.dump_nquads(), embedded.dump_nquads())  # with the ontology, blank nodes and all
    again = build([examples], remote, BuildOptions(progress=False))
    assert again.unchanged == again.read and nquads(remote) == nquads(embedded)


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory):
    """`kg serve --max-results 5` on a store of 6 articles (more than the cap) of 5 triples each."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from conftest import free_port, wait_for_port

    path = tmp_path_factory.mktemp("capped") / "store"
    store = OxigraphStore(path)
    for g in range(6):
        graph = f"{iris.BASE}article/{g}"
        article = f"<{graph}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{iris.ONTOLOGY}Article> .\n"
        store.write_article(
            ArticleWrite(graph, "".join(f'<{graph}> <{iris.ONTOLOGY}n> "{g}-{i}" .\n' for i in range(4)) + article)
        )
    store.close()
    root = Path(__file__).resolve().parent.parent
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(path), "--port", str(port), "--max-results", "5"]
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_port(port, process, seconds=60)
    yield f"http://127.0.0.1:{port}", root, env
    process.terminate()
    process.wait(timeout=30)


def test_a_truncated_remote_answer_is_an_error_not_a_short_result(capped_server, tmp_path):
    url, root, env = capped_server
    store = RemoteStore(url, read_only=True, environ={})
    with pytest.raises(StoreError, match="cut the answer"):
        store.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert len(store.select("SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 5")) == 5
    with pytest.raises(StoreError, match="cut the answer"):
        store.named_graphs()  # 6 graphs, 5 rows
    import subprocess
    import sys

    page = tmp_path / "graph.html"
    for args in (["query", "SELECT * { ?s ?p ?o }"], ["export", "--format", "html", "-o", str(page)], ["articles"]):
        command = [sys.executable, "-m", "kg.cli", *args, "--store", url]
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode != 0 and "cut the answer" in result.stderr and "Traceback" not in result.stderr, args
    assert not page.exists()  # no page drawn from a cut answer
