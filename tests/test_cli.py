"""The `kg` command through click's CliRunner: each command, its output, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
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


def test_build_parses_in_a_thread_when_asked_and_stores_the_same_graph(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "pact.txt").write_text("Trade pact signed\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "port.txt").write_text("Port reopens\n\nThe port of Strelsau reopened on Friday.\n")
    dumps = []
    for n, flags in enumerate(([], ["--parse-in-thread"])):  # two batches of one: the first in the child
        store, out = tmp_path / f"store{n}", tmp_path / f"{n}.nq"
        result = run("build", str(tmp_path / "in"), "--store", str(store), "--batch-size", "1", "--no-progress", *flags)
        assert result.exit_code == 0, result.output
        assert run("export", "--store", str(store), "--format", "nq", "-o", str(out)).exit_code == 0
        dumps.append(out.read_bytes())
    assert dumps[0] == dumps[1] and b"Ruritania" in dumps[0]


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
    assert result.output.startswith("articles: 1\nentities: ")
    assert "triples (without the ontology): " in result.output


def figures(line: str) -> dict[str, int]:
    """Read "5 articles (+5), 48 entities (+48)" into {"articles": 5, "entities": 48}."""
    return {name: int(n) for n, name in re.findall(r"(\d+) (articles|entities|events|triples)", line)}


def test_build_and_stats_count_the_same_things_the_same_way(built_store):
    store, output = built_store
    [store_line] = [line for line in output.splitlines() if line.startswith("store: ")]
    built = figures(store_line)
    stats = {}
    for line in run("stats", "--store", str(store)).output.splitlines():
        if match := re.fullmatch(r"(articles|entities|events|triples)[^:]*: (\d+)", line):
            stats[match[1]] = int(match[2])
    assert built == stats and built["entities"] > 0 and built["events"] > 0
    assert all(f"(+{n})" in store_line for n in built.values())  # a first build added everything


def test_stats_lists_untyped_events_apart_from_the_classes(built_store):
    store, _ = built_store
    lines = run("stats", "--store", str(store)).output.splitlines()
    events_at = lines.index(next(line for line in lines if line.startswith("events: ")))
    total = int(lines[events_at].split(": ")[1])
    listed = [line for line in lines[events_at + 1 :] if line.startswith("  ")]
    assert not any(line.startswith("  Event:") for line in lines)
    assert sum(int(line.split(": ")[1]) for line in listed) == total
    untyped = sparql_count(store, "?x a <https://w3id.org/newskg/ontology#Event>")
    assert (f"  untyped (kg:Event only): {untyped}" in listed) == (untyped > 0)


def sparql_count(store: Path, pattern: str) -> int:
    result = run(
        "query", f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}", "--store", str(store), "--format", "json"
    )
    return int(json.loads(result.output)[0]["n"])


def test_build_help_says_what_is_counted_and_when_to_use_workers_or_processes():
    text = " ".join(run("build", "--help").output.split())
    assert "An entity is a distinct person, organization, place or group" in text
    assert "an event is" in text and "a triple is" in text
    assert "the way to use more cores" in text and "only when memory is too short for --workers" in text
    assert "An entity is" in " ".join(run("stats", "--help").output.split())


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_articles_lists_each_article_with_its_counts(built_store, fmt):
    store, _ = built_store
    result = run("articles", "--store", str(store), "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        [row] = json.loads(result.output)
    elif fmt == "csv":
        [row] = list(csv.DictReader(io.StringIO(result.output)))
    else:
        header, rule, line, count = result.output.splitlines()
        assert count == "(1 articles)" and set(rule) <= {"-", "+"}
        row = dict(zip([h.strip() for h in header.split("|")], [c.strip() for c in line.split("|")], strict=True))
    assert (row["id"], row["headline"], row["date"], row["url"]) == ("pact.txt", "Trade pact signed", "", "")
    graph = "<https://w3id.org/newskg/id/article/pact.txt>"
    triples = run(
        "query",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
        "--store",
        str(store),
        "--format",
        "json",
    )
    assert int(row["triples"]) == int(json.loads(triples.output)[0]["n"]) > 0
    assert int(row["events"]) == sparql_count(
        store, f"GRAPH {graph} {{ ?x <https://w3id.org/newskg/ontology#trigger> ?t }}"
    )
    assert int(row["entities"]) >= 3  # Ruritania, Freedonia, Strelsau, Anna Vex


def test_articles_gives_the_id_kg_remove_takes(tmp_path):
    records = [
        {"id": "a_b c/1", "title": "Odd id", "date": "2024-05-02", "text": ARTICLE},
        {"url": "https://news.example.org/pact?x=1", "title": "By URL", "text": ARTICLE.replace("Tuesday", "Friday")},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = str(tmp_path / "store")
    assert run("build", str(tmp_path / "in.jsonl"), "--store", store, "--no-progress").exit_code == 0
    rows = json.loads(run("articles", "--store", store, "--format", "json").output)
    assert [(r["id"], r["date"], r["url"]) for r in rows] == [
        ("https://news.example.org/pact?x=1", "", "https://news.example.org/pact?x=1"),
        ("a_b c/1", "2024-05-02", ""),
    ]
    for row in rows:
        assert run("remove", row["id"], "--store", store).exit_code == 0
    assert "no graph at" in run("articles", "--store", store).output


def test_ingest_shows_what_the_reader_made_of_each_input_without_storing(tmp_path):
    (tmp_path / "pact.txt").write_text("Trade pact signed\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    page = (
        "<html><head><title>Pact</title></head><body><nav>Home | World</nav><article><p>{}</p></article></body></html>"
    )
    (tmp_path / "page.html").write_text(page.format(ARTICLE.replace("\n\n", "</p><p>")), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("ingest", str(tmp_path))
    assert result.exit_code == 3, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    by_source = {Path(r.get("source") or r.get("skipped")).name: r for r in records}
    assert by_source["empty.txt"]["reason"] and "skipped" in by_source["empty.txt"]
    pact = by_source["pact.txt"]
    assert (pact["id"], pact["title"], pact["url"], pact["date"]) == ("pact.txt", "Trade pact signed", None, None)
    assert pact["text"].endswith("cut tariffs.\n") or pact["text"].rstrip().endswith("cut tariffs.")
    assert "Home | World" not in by_source["page.html"]["text"] and "Strelsau" in by_source["page.html"]["text"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing parsed into a store

    text = run("ingest", str(tmp_path / "pact.txt"), str(tmp_path / "empty.txt"), "--format", "text")
    assert text.exit_code == 3
    assert "== pact.txt\ntitle: Trade pact signed\n" in text.output
    assert "President Anna Vex of Ruritania said the agreement would cut tariffs." in text.output
    assert f"skipped {tmp_path / 'empty.txt'}: " in text.output
    assert run("ingest", str(tmp_path / "pact.txt")).exit_code == 0


COMMANDS_ON_A_GRAPH = [
    ("query", "ASK { ?s ?p ?o }"),
    ("stats",),
    ("export", "--format", "ttl", "-o", "out.ttl"),
    ("articles",),
    ("serve",),
    ("remove", "pact.txt"),
]


@pytest.mark.parametrize("command", COMMANDS_ON_A_GRAPH, ids=lambda c: c[0])
@pytest.mark.parametrize("state", ["missing", "empty directory", "no articles"])
def test_a_missing_or_empty_store_says_how_to_build_one(tmp_path, command, state):
    store = tmp_path / "store"
    if state == "empty directory":
        store.mkdir()
    elif state == "no articles":
        (tmp_path / "pact.txt").write_text(ARTICLE, encoding="utf-8")
        assert run("build", str(tmp_path / "pact.txt"), "--store", str(store), "--no-progress").exit_code == 0
        assert run("remove", "pact.txt", "--store", str(store)).exit_code == 0
    args = [str(tmp_path / a) if a == "out.ttl" else a for a in command]
    result = run(*args, "--store", str(store))
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: no graph at {store}; build one with `kg build FILES --store {store}`\n"
    assert store.exists() == (state != "missing")  # not created by the attempt


def test_build_checks_its_paths_before_anything_else(tmp_path):
    started = time.monotonic()
    result = run("build", str(tmp_path / "nope"), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1 and result.output == f"Error: no such file or directory: {tmp_path / 'nope'}\n"
    assert time.monotonic() - started < 1.5 and not (tmp_path / "store").exists()


def test_quiet_build_prints_only_what_was_skipped(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--store", str(tmp_path / "s"), "-q"])
    assert result.exit_code == 3
    assert result.stdout == "" and result.stderr.startswith(f"skipped {tmp_path / 'empty.txt'}: ")


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"kg {name}" in readme, name


def test_remove_an_article_and_a_clear_error_for_an_unknown_one(tmp_path):
    (tmp_path / "pact.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "other.txt").write_text("Freedonia opened a port in Strelsau, officials said.\n", encoding="utf-8")
    store = str(tmp_path / "store")
    assert run("build", str(tmp_path / "pact.txt"), "--store", store, "--no-progress").exit_code == 0
    assert run("build", str(tmp_path / "other.txt"), "--store", store, "--no-progress").exit_code == 0
    result = run("remove", "pact.txt", "--store", store)
    assert result.exit_code == 0 and "removed" in result.output
    assert run("stats", "--store", store).output.startswith("articles: 1")
    missing = run("remove", "pact.txt", "--store", store)
    assert missing.exit_code != 0 and "no stored article" in missing.output


def build_with_stderr_on_a_terminal(tmp_path, *flags: str) -> tuple[int, str, str]:
    """Run `kg build` of four articles as a real process whose stderr is a pseudo-terminal; returns
    (exit status, stdout, what the terminal received)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    for n in range(4):
        (tmp_path / f"a{n}.txt").write_text(ARTICLE.replace("Tuesday", f"day {n}"), encoding="utf-8")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size
    root = Path(__file__).resolve().parent.parent
    args = [sys.executable, "-m", "kg.cli", "build", str(tmp_path), "--store", str(tmp_path / "store"), *flags]
    process = subprocess.Popen(args, cwd=root, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        received += chunk
    stdout, _ = process.communicate(timeout=120)
    os.close(leader)
    return process.returncode, stdout, received.decode("utf-8", "replace")


@pytest.mark.slow
def test_a_build_on_a_terminal_shows_progress_and_quiet_silences_it(tmp_path):
    status, stdout, terminal = build_with_stderr_on_a_terminal(tmp_path)
    assert status == 0, terminal
    assert re.search(r"building: 4/4 articles \|.*\|\s*[\d.]+ articles/s, 00:00 left", terminal), terminal
    assert "articles: 4 read, 4 built" in stdout
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    status, stdout, terminal = build_with_stderr_on_a_terminal(quiet, "-q")
    assert (status, stdout, terminal) == (0, "", "")


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    for n in range(4):
        (tmp_path / f"a{n}.txt").write_text(ARTICLE.replace("Tuesday", f"day {n}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.slow
def test_a_full_disk_during_build_gives_one_line_naming_the_store(tmp_path):
    """A disk that refuses writes (here a file-size limit, as a full disk would) ends `kg build` with one
    line naming the store and the room left, not a traceback."""
    import resource
    import signal
    import subprocess

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    (tmp_path / "a.txt").write_text("Dockworkers in Rotterdam struck on Monday over pay.\n", encoding="utf-8")
    kg = Path(sys.executable).with_name("kg")
    result = subprocess.run(
        [str(kg), "build", str(tmp_path / "a.txt"), "--store", str(tmp_path / "store")],
        preexec_fn=small_files,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot write to store {tmp_path / 'store'}:") and "bytes free" in line
