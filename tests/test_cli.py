"""The `kg` command through click's CliRunner: each command, its output, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ARTICLE = (
    "Ruritania and Freedonia signed a trade pact in Strelsau on Tuesday, officials said.\n\n"
    "President Anna Vex of Ruritania said the agreement would cut tariffs.\n"
)


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    (root / "pact.txt").write_text("Trade pact signed\n\n" + ARTICLE, encoding="utf-8")
    store = root / "store"
    result = CliRunner().invoke(cli, ["build", str(root / "pact.txt"), "--store", str(store), "--no-progress"])
    assert result.exit_code == 0, result.output
    return store, result.output


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_build_prints_a_summary(built_store):
    _, output = built_store
    assert "articles: 1 read, 1 built, 0 unchanged, 0 skipped" in output
    assert "events" in output and "triples" in output


def test_build_again_says_unchanged(built_store, tmp_path):
    store, _ = built_store
    source = store.parent / "pact.txt"
    result = run("build", str(source), "--store", str(store), "--no-progress")
    assert "1 unchanged" in result.output and result.exit_code == 0


def test_build_reports_skipped_files_and_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("build", str(tmp_path), "--store", str(tmp_path / "s"), "--no-progress")
    assert result.exit_code == 3
    assert "1 built" in result.output and "1 skipped" in result.output
    assert f"skipped {tmp_path / 'empty.txt'}:" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(built_store, fmt):
    store, _ = built_store
    sparql = "SELECT ?h WHERE { ?a a <https://w3id.org/newskg/ontology#Article> ; <https://schema.org/headline> ?h }"
    result = run("query", sparql, "--store", str(store), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Trade pact signed" in result.output
    if fmt == "json":
        assert json.loads(result.output) == [{"h": "Trade pact signed"}]


def test_query_from_file_and_ask(built_store, tmp_path):
    store, _ = built_store
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    result = run("query", f"@{query_file}", "--store", str(store))
    assert result.output.strip() == "true"


def test_query_syntax_error_is_one_line_with_position(built_store):
    store, _ = built_store
    result = run("query", "SELECT ?x WHERE { ?x ?p }", "--store", str(store))
    assert result.exit_code != 0
    assert "SPARQL syntax error at line 1, column" in result.output and result.output.rstrip().endswith("^")
    assert "Traceback" not in result.output


def test_query_uses_the_documented_prefixes_and_names_an_undeclared_one(built_store):
    store, _ = built_store
    result = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article ; rdfs:label ?l }", "--store", str(store))
    assert result.exit_code == 0, result.output
    own = run("query", "PREFIX kg: <http://elsewhere/> ASK { ?a a kg:Article }", "--store", str(store))
    assert own.output.strip() == "false"  # the query's own PREFIX wins
    wrong = run("query", "SELECT * WHERE {\n  ?a foaf:name ?n\n}", "--store", str(store))
    assert wrong.exit_code != 0 and "undeclared prefix 'foaf:'" in wrong.output
    assert "line 2, column" in wrong.output and "  ?a foaf:name ?n" in wrong.output


def test_query_refuses_service_and_deep_nesting_without_crashing(built_store, tmp_path):
    import subprocess
    import sys

    store, _ = built_store
    service = run("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "--store", str(store))
    assert service.exit_code != 0 and "--allow-service http://127.0.0.1:9/x" in service.output
    deep = tmp_path / "d.rq"
    deep.write_text("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000, encoding="utf-8")
    command = [sys.executable, "-m", "kg.cli", "query", f"@{deep}", "--store", str(store)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1 and "deeper than 64" in result.stderr  # not 139: no segmentation fault


def test_missing_store_and_query_file_are_clear_errors(tmp_path):
    result = run("query", "@" + str(tmp_path / "nope.rq"), "--store", str(tmp_path / "s"))
    assert result.exit_code != 0 and "no such query file" in result.output


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq", "jsonld"])
def test_export_rdf(built_store, tmp_path, fmt):
    store, _ = built_store
    out = tmp_path / f"g.{fmt}"
    result = run("export", "--store", str(store), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_stats(built_store):
    store, _ = built_store
    result = run("stats", "--store", str(store))
    assert result.exit_code == 0
    assert result.output.startswith("articles: 1")


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"kg {name}" in readme, name


def test_remove_an_article_and_a_clear_error_for_an_unknown_one(tmp_path):
    (tmp_path / "pact.txt").write_text(ARTICLE, encoding="utf-8")
    store = str(tmp_path / "store")
    assert run("build", str(tmp_path / "pact.txt"), "--store", store, "--no-progress").exit_code == 0
    result = run("remove", "pact.txt", "--store", store)
    assert result.exit_code == 0 and "removed" in result.output
    assert run("stats", "--store", store).output.startswith("articles: 0")
    missing = run("remove", "pact.txt", "--store", store)
    assert missing.exit_code != 0 and "no stored article" in missing.output
