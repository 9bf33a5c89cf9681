"""Query text checks shared by `kg query` and `kg serve`: size and depth, prefixes, SERVICE, explained errors."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.sparql import (
    PREFIXES,
    QueryRejected,
    check_query,
    check_services,
    check_size,
    declared_prefixes,
    explain_error,
    services,
    with_prefixes,
)

TARGET = "http://127.0.0.1:17991/x"


def test_service_is_found_by_its_token_whatever_the_spelling():
    assert services(f"SELECT * WHERE {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }}") == [TARGET]
    assert services(f"select * {{ service\n silent\t<{TARGET}> {{}} }}") == [TARGET]
    assert services(f"SELECT * {{ OPTIONAL {{ SeRvIcE <{TARGET}> {{}} }} }}") == [TARGET]
    assert services("PREFIX ex: <http://127.0.0.1:1/> SELECT * { SERVICE ex:sparql {} }") == [
        "http://127.0.0.1:1/sparql"
    ]
    assert services("SELECT * { SERVICE ?where {} }") == [None]
    assert services(r"SELECT * { \u0053ERVICE <http://127.0.0.1:2/> {} }") == ["http://127.0.0.1:2/"]
    many = "SELECT * WHERE { " + " ".join(f"SERVICE SILENT <http://127.0.0.1:{p}/> {{}}" for p in range(200)) + " }"
    assert len(services(many)) == 200


def test_service_in_a_string_a_comment_or_a_name_is_not_a_service():
    assert services('SELECT * { ?s ?p "SERVICE <http://127.0.0.1:1/> {}" }') == []
    assert services("SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> {}") == []
    assert services("PREFIX ex: <http://e/> SELECT ?service { ?service a ex:service }") == []
    assert services("SELECT * { ?s <http://e/SERVICE> ?o }") == []


def test_service_is_refused_unless_its_endpoint_is_allowed():
    query = f"SELECT * {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRejected, match="--allow-service") as refused:
        check_services(query)
    assert refused.value.status == 400 and TARGET in str(refused.value)
    check_services(query, [TARGET])
    check_services(query, ["*"])
    with pytest.raises(QueryRejected, match="variable"):
        check_services("SELECT * { SERVICE ?x {} }", [TARGET])
    with pytest.raises(QueryRejected):
        check_services(query, ["http://127.0.0.1:17991/other"])


def test_size_and_depth_are_checked_before_parsing():
    deep = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    with pytest.raises(QueryRejected, match="deeper than 64") as refused:
        check_size(deep)
    assert refused.value.status == 400
    with pytest.raises(QueryRejected, match="deeper"):
        check_size("SELECT * { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }")
    check_size("SELECT * WHERE " + "{" * 30 + "?s ?p ?o" + "}" * 30)
    check_size('SELECT * { ?s ?p "' + "{" * 500 + '" }')  # brackets inside a string do not nest
    with pytest.raises(QueryRejected, match="limit is 100,000") as long:
        check_query("ASK {}" + " " * 100_000)
    assert long.value.status == 413


def test_documented_prefixes_need_no_declaration_and_the_query_own_win():
    assert {"kg", "kgr", "schema", "sem", "prov", "nif", "skos", "rdfs", "rdf", "owl", "xsd", "dcterms", "wd"} == set(
        PREFIXES
    )
    text, added = with_prefixes("PREFIX kg: <http://mine/> SELECT * { ?s kg:p ?o }")
    assert added == 1 and "PREFIX kg: <https://w3id.org" not in text and declared_prefixes(text)["kg"] == "http://mine/"
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://mine/a"), ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("A")))
    assert [s["l"].value for s in store.query(with_prefixes("SELECT ?l { ?a rdfs:label ?l }")[0])] == ["A"]
    assert with_prefixes("PREFIX ex: <http://e/> ASK {}")[1] == 1
    full = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()) + " ASK {}"
    assert with_prefixes(full) == (full, 0)


def test_a_syntax_error_shows_the_line_a_caret_and_the_missing_prefix():
    query = "SELECT ?x WHERE {\n  ?x foo:bar ?y .\n}"
    try:
        ox.Store().query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        message = explain_error(query, str(exc))
    lines = message.splitlines()
    assert lines[0].startswith("SPARQL syntax error at line 2, column")
    assert "undeclared prefix 'foo:'" in message and "PREFIX foo: <…>" in message
    assert lines[-2] == "    ?x foo:bar ?y ." and lines[-1].strip() == "^"
    shifted = explain_error("ASK {\n  ?x ?y\n}", "error at 3:5: expected something", line_offset=1)
    assert shifted.splitlines()[0] == "SPARQL syntax error at line 2, column 5: expected something"
    assert shifted.splitlines()[-1] == "      ^"
