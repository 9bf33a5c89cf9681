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


# The shipped queries are written so that Oxigraph joins whole properties by hash and starts from the
# selective patterns (issue 16); these are the same questions written plainly, as one block each. Both
# must give the same rows, duplicates included, on the demo store.
PLAIN = {
    "who-did-what.rq": """SELECT ?event ?class ?trigger ?agent ?patient ?place ?date WHERE {
  ?event a ?classIri ; kg:trigger ?trigger .
  ?classIri rdfs:subClassOf* kg:Event ; rdfs:label ?class .
  OPTIONAL { ?event kg:agent/rdfs:label ?agent }
  OPTIONAL { ?event kg:patient/rdfs:label ?patient }
  OPTIONAL { ?event kg:place/rdfs:label ?place }
  OPTIONAL { ?event kg:date ?date }
} ORDER BY DESC(?date) ?event""",
    "who-said-what.rq": """SELECT ?source ?event ?trigger (SAMPLE(?said) AS ?statement) WHERE {
  { ?said kg:about ?event ; kg:agent ?speaker ; a kg:Statement .
    ?speaker rdfs:label ?source . ?event kg:trigger ?trigger .
  } UNION {
    ?event kg:reportedBy ?speaker . ?speaker rdfs:label ?source . ?event kg:trigger ?trigger .
  }
} GROUP BY ?source ?event ?trigger ORDER BY ?source ?event""",
    "event-evidence.rq": """SELECT ?event ?trigger ?sentence ?begin ?end ?confidence ?headline ?published WHERE {
  ?event kg:trigger ?trigger ; kg:evidence ?evidence .
  ?evidence nif:anchorOf ?sentence ; nif:beginIndex ?begin ; nif:endIndex ?end ;
            kg:confidence ?confidence ; kg:article ?article .
  ?article schema:headline ?headline .
  OPTIONAL { ?article schema:datePublished ?published }
} ORDER BY ?article ?begin""",
    "entity-mentions.rq": """SELECT ?entity ?label (SAMPLE(?className) AS ?class) ?articles ?mentions WHERE {
  { SELECT ?entity (COUNT(DISTINCT ?article) AS ?articles) (SUM(?count) AS ?mentions) WHERE {
      ?occurrence a kg:Occurrence ; kg:entity ?entity ; kg:article ?article ; kg:mentionCount ?count .
    } GROUP BY ?entity }
  ?entity rdfs:label ?label .
  OPTIONAL { ?entity a ?classIri . ?classIri rdfs:label ?className . FILTER(STRSTARTS(STR(?classIri), STR(kg:))) }
} GROUP BY ?entity ?label ?articles ?mentions ORDER BY DESC(?mentions) ?label""",
    "attacks": """SELECT ?attack (COUNT(DISTINCT ?article) AS ?sources) WHERE {
  ?attack a kg:EventInstance ; kg:eventClass/rdfs:subClassOf* kg:Attack ; kg:reportedIn ?article .
  ?article schema:datePublished ?published .
  FILTER (?published >= xsd:date(NOW()) - "P7D"^^xsd:dayTimeDuration && ?published <= xsd:date(NOW()))
} GROUP BY ?attack ORDER BY DESC(?sources) ?attack""",
    "bench: events per class (COUNT, GROUP BY)": """SELECT ?class (COUNT(?event) AS ?n) WHERE {
  ?event a ?class ; kg:trigger ?trigger } GROUP BY ?class ORDER BY DESC(?n)""",
    "bench: most mentioned (ORDER BY, LIMIT 10)": """SELECT ?label ?n WHERE {
  ?entity rdfs:label ?label ; kg:mentionCount ?n } ORDER BY DESC(?n) LIMIT 10""",
}
# The demo articles are from 2023-2025: "the last week" is taken as the week before this day instead.
DEMO_NOW = '"2025-01-27"^^xsd:date'


def shipped(name: str) -> str:
    """Return the query the project ships under `name`: an ontology/queries file, the README's attack
    example, or a bench/store_bench.py query."""
    if name.endswith(".rq"):
        return (ROOT / "ontology" / "queries" / name).read_text(encoding="utf-8")
    if name == "attacks":
        (block,) = [block for block in sparql_blocks() if "kg:Attack" in block]
        return block
    from bench.store_bench import QUERIES

    return QUERIES[name.removeprefix("bench: ")]


def answer_rows(store_dir: Path, query: str) -> list[tuple[str, ...]]:
    """Return the rows of `query` over the union of the store's graphs, as N-Triples terms, sorted."""
    import pyoxigraph as ox

    from kg.sparql import with_prefixes

    store = ox.Store.read_only(str(store_dir))
    result = store.query(with_prefixes(query.replace("xsd:date(NOW())", DEMO_NOW))[0], use_default_graph_as_union=True)
    variables = result.variables
    rows = sorted(tuple("" if row[v] is None else str(row[v]) for v in variables) for row in result)
    return [tuple(v.value for v in variables), *rows]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_shipped_query_answers_as_its_plain_form(demo_store, name):
    fast, plain = answer_rows(demo_store, shipped(name)), answer_rows(demo_store, PLAIN[name])
    assert len(plain) > 1, "the demo store answers the plain form"
    assert fast == plain
