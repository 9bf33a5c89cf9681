"""README.md runs as written: the tour's commands print what it shows, and every ```sparql block runs as pasted.

Both run on a store built from examples/ (the demo store), through the real `kg` command (click's CliRunner).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECONDS = re.compile(r" in \d+(\.\d+)? s$", re.MULTILINE)  # the one figure that differs from run to run


def section(title: str) -> str:
    """Return the text of the README section under `## title`, up to the next `## ` heading."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def tour_steps() -> list[tuple[list[str], str | None]]:
    """Return the tour's `kg` commands as (argv after "kg", the output shown or None when none is shown)."""
    block = re.search(r"```console\n(.*?)```", section("A short tour"), re.DOTALL)[1]
    steps: list[tuple[list[str], list[str]]] = []
    pending = ""
    for line in block.splitlines():
        if pending:  # a command whose quoted argument runs over several lines
            pending += "\n" + line
        elif line.startswith("$ "):
            pending = line[2:]
        else:
            if steps and line:
                steps[-1][1].append(line)
            continue
        try:
            argv = shlex.split(pending, comments=True)
        except ValueError:
            continue
        pending = ""
        if argv[0] == "kg":
            steps.append((argv[1:], []))
    return [(argv, "\n".join(shown) + "\n" if shown else None) for argv, shown in steps]


def sparql_blocks() -> list[str]:
    """Return every ```sparql block of the README, indentation removed."""
    blocks = re.findall(r"^( *)```sparql\n(.*?)^ *```", README, re.DOTALL | re.MULTILINE)
    return ["\n".join(line[len(indent) :] for line in body.splitlines()) for indent, body in blocks]


@pytest.fixture(scope="module")
def tour_dir(tmp_path_factory):
    """A directory holding a copy of examples/, where the tour is run from."""
    root = tmp_path_factory.mktemp("tour")
    shutil.copytree(ROOT / "examples", root / "examples")
    return root


def test_the_tour_prints_what_the_readme_shows(tour_dir, monkeypatch):
    monkeypatch.chdir(tour_dir)
    steps = tour_steps()
    assert [argv[0] for argv, _ in steps] == ["build", "build", "query", "articles", "export", "stats"]
    for argv, shown in steps:
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 0, (argv, result.output)
        if shown is not None:
            assert SECONDS.sub(" in N s", result.output) == SECONDS.sub(" in N s", shown), argv


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("demo") / "store"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "examples"), "--store", str(store), "--no-progress"])
    assert result.exit_code == 0, result.output
    return store


def test_the_readme_has_its_example_queries():
    assert len(sparql_blocks()) >= 6


@pytest.mark.parametrize("number", range(len(sparql_blocks())))
def test_every_sparql_block_runs_as_pasted(demo_store, number):
    query = sparql_blocks()[number]
    result = CliRunner().invoke(cli, ["query", query, "--store", str(demo_store)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^\(\d+ rows\)$", result.output, re.MULTILINE)


def named_blocks() -> list[tuple[str, str]]:
    """Return (file name, query) for every README example query that names its ontology/queries file."""
    found = re.findall(r"\(`([\w-]+\.rq)`\):\n( *)```sparql\n(.*?)^ *```", README, re.DOTALL | re.MULTILINE)
    return [
        (name, "\n".join(line[len(indent) :] for line in body.splitlines()).strip()) for name, indent, body in found
    ]


def test_each_named_example_is_its_query_file():
    assert len(named_blocks()) >= 6
    for name, block in named_blocks():
        lines = (ROOT / "ontology" / "queries" / name).read_text(encoding="utf-8").splitlines()
        body = "\n".join(line for line in lines if not line.startswith(("#", "PREFIX"))).strip()
        assert block == body, name


def test_who_said_what_gives_each_source_and_event_once(demo_store):
    query = (ROOT / "ontology" / "queries" / "who-said-what.rq").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", query, "--store", str(demo_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    pairs = [(row["source"], row["event"]) for row in json.loads(result.output)]
    assert pairs and len(pairs) == len(set(pairs))


def test_the_event_instance_example_names_an_event_of_the_demo_graph(demo_store):
    (query,) = [block for block in sparql_blocks() if "VALUES ?event" in block]
    result = CliRunner().invoke(cli, ["query", query, "--store", str(demo_store), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) >= 2  # one event, told in two sentences
