"""Robustness: time and size limits, a build killed mid-way, a locked store, bad and hostile input end to end.

The crash and lock tests run the real `kg build` in a subprocess; the others run it through click's CliRunner
in this process. Every article here is written for these tests (tests/data/bad/ is the ingest helper's corpus).
"""

from __future__ import annotations

import gc
import json
import re
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from kg import iris
from kg.cli import cli
from kg.export import nquads, rdf_bytes
from kg.limits import DEFAULT_MAX_BYTES, MAX_TEXT_CHARS, TimeBudgetExceeded, check_deadline, time_budget
from kg.pipeline import BuildOptions, build
from kg.store import StoreError, open_store
from kg.validate import validate

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"
KG = iris.ONTOLOGY
PREFIXES = f"""
PREFIX kg: <{KG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
COUNT_ARTICLES = PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a kg:Article } }"
GOOD_ARTICLE = (
    "Harbour cranes return to Gdynia\n\n"
    "Baltic Rail bought two container cranes from Nordhavn Shipping for $40 million on Tuesday, the company said.\n\n"
    "Mayor Ilse Marten said the cranes would reach Gdynia in May.\n"
)


# ---------------------------------------------------------------------------------------------
# Helpers


def run_cli(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def kg_process(*args: str, **popen) -> subprocess.Popen:
    """Start `python -m kg.cli ARGS` as a real process, from the repository root."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def articles_stored(path: Path) -> int:
    """Count the articles in an on-disk store that another process may be writing (read-only open)."""
    try:
        store = open_store(path, read_only=True)
    except StoreError:
        return 0  # not created yet
    try:
        return store.select(COUNT_ARTICLES)[0]["n"]
    finally:
        store.close()


def has_ontology(store_dir: Path) -> bool:
    """Return True once a build has opened the store and written the ontology graph (read-only open)."""
    try:
        store = open_store(store_dir, read_only=True)
    except StoreError:
        return False
    try:
        return iris.ONTOLOGY_GRAPH in store.named_graphs()
    finally:
        store.close()


def corpus_records(count: int) -> list[dict]:
    """Return `count` short, different news articles as JSON Lines records (ids crash-00 ...)."""
    people = ("Ilse Marten", "Kofi Asante", "Rui Tavares", "Hana Sato", "Emeka Obi", "Sofia Lind", "Yusuf Demir")
    firms = ("Baltic Rail", "Nordhavn Shipping", "Vantor Mining", "Aster Foods", "Kestrel Airways")
    places = ("Gdynia", "Aarhus", "Porto", "Osaka", "Lagos", "Izmir", "Bergen", "Lyon", "Quito")
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    months = ("January", "March", "June", "September", "November")
    records = []
    for i in range(count):
        person, other = people[i % 7], people[(i + 3) % 7]
        firm, rival = firms[i % 5], firms[(i + 2) % 5]
        place, near = places[i % 9], places[(i + 4) % 9]
        sentences = [
            f"{person} of {firm} met port officials in {place} on {days[i % 5]}, the company said.",
            f"Police arrested {12 + i} protesters outside the {firm} offices in {near} after a march.",
            f"{other} said {firm} would buy a {5 + i % 20} percent stake in {rival} for ${30 + 7 * i} million.",
        ]
        if i % 3 == 0:
            sentences.append(f"A storm damaged {100 + 11 * i} homes near {near} in {months[i % 5]}, officials said.")
        if i % 4 == 1:
            sentences.append(f"{rival} denied that {person} had resigned.")
        records.append(
            {
                "id": f"crash-{i:02d}",
                "title": f"{firm} and {rival}: talks in {place}",
                "date": f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}",
                "text": "\n\n".join(sentences),
            }
        )
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def check_whole_articles(store) -> int:
    """Assert the store holds only whole articles; returns how many it holds.

    Whole means: every named graph but the ontology and entity-summary graphs is an article graph holding its
    own kg:Article node with a hash; every event in it has evidence with a sentence; every named entity an
    article mentions has its summary row (a label), and every summary row belongs to an entity some article
    mentions (unnamed groups live in their article only and have no summary row).
    """
    special = {iris.ONTOLOGY_GRAPH, iris.ENTITIES_GRAPH}
    graphs = [g for g in store.named_graphs() if g not in special]
    articles = {
        r["a"] for r in store.select(PREFIXES + "SELECT ?a WHERE { GRAPH ?a { ?a a kg:Article ; kg:sha256 ?h } }")
    }
    assert set(graphs) == articles, "a named graph without its kg:Article node (or the reverse)"
    events_without_evidence = store.select(
        PREFIXES + "SELECT ?e WHERE { GRAPH ?g { ?e kg:trigger ?t "
        "FILTER NOT EXISTS { ?e kg:evidence ?x . ?x nif:anchorOf ?s ; kg:article ?g } } }"
    )
    assert events_without_evidence == []
    mentioned = {
        r["e"]
        for r in store.select(
            PREFIXES
            + "SELECT DISTINCT ?e WHERE { GRAPH ?a { ?e kg:mentionedIn ?a FILTER NOT EXISTS { ?e a kg:Group } } }"
        )
    }
    summarised = {
        r["e"]
        for r in store.select(
            PREFIXES + f"SELECT DISTINCT ?e WHERE {{ GRAPH <{iris.ENTITIES_GRAPH}> {{ ?e rdfs:label ?l }} }}"
        )
    }
    assert mentioned == summarised
    return len(articles)


def parse_everywhere(data: bytes, fmt: str) -> Dataset:
    """Parse an export with rdflib and with pyoxigraph (both must accept it); returns the rdflib Dataset."""
    rdflib_format = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    ox_format = {
        "ttl": ox.RdfFormat.TURTLE,
        "trig": ox.RdfFormat.TRIG,
        "nq": ox.RdfFormat.N_QUADS,
        "jsonld": ox.RdfFormat.JSON_LD,
    }[fmt]
    quads = list(ox.parse(data, format=ox_format))
    assert quads, fmt
    if fmt == "ttl":
        graph = Graph().parse(data=data, format=rdflib_format)
        assert len(graph) == len({(q.subject, q.predicate, q.object) for q in quads})
        dataset = Dataset()
        dataset.addN((s, p, o, dataset.default_context) for s, p, o in graph)
        return dataset
    dataset = Dataset()
    dataset.parse(data=data, format=rdflib_format)
    assert len(list(dataset.quads((None, None, None, None)))) == len(quads), fmt
    return dataset


def export_all(store_dir: Path, out: Path) -> dict[str, bytes]:
    """Run `kg export` for every RDF format; returns the bytes written per format."""
    written = {}
    for fmt in ("ttl", "trig", "nq", "jsonld"):
        target = out / f"graph.{fmt}"
        result = run_cli("export", "--store", store_dir, "--format", fmt, "-o", target)
        assert result.exit_code == 0, result.output
        written[fmt] = target.read_bytes()
    return written


# ---------------------------------------------------------------------------------------------
# Limits (no model needed)


def test_the_deadline_is_raised_by_the_check_once_the_budget_is_spent():
    started = time.monotonic()
    with pytest.raises(TimeBudgetExceeded, match=r"took longer than 0\.2 s"), time_budget(0.2):
        while True:
            check_deadline()
            sum(range(1000))
    assert 0.15 < time.monotonic() - started < 2
    check_deadline()  # no budget outside: nothing to raise


def test_the_deadline_never_fires_inside_code_that_does_not_check_it():
    # The old SIGALRM budget raised inside whatever ran: a GC callback (Hypothesis installs one) swallowed it.
    seen = []

    def callback(phase, info):
        seen.append(phase)
        time.sleep(0.001)

    gc.callbacks.append(callback)
    try:
        with time_budget(0.01):
            time.sleep(0.05)
            gc.collect()
            finished_work = True
            with pytest.raises(TimeBudgetExceeded):
                check_deadline()
    finally:
        gc.callbacks.remove(callback)
    assert finished_work and "stop" in seen


def test_time_budget_error_keeps_its_reason_across_processes():
    import pickle

    copy = pickle.loads(pickle.dumps(TimeBudgetExceeded(2.5)))
    assert isinstance(copy, TimeBudgetExceeded) and str(copy) == "took longer than 2.5 s (the per-article time budget)"


def test_budgets_nest_and_the_nearer_deadline_wins():
    with time_budget(0.05), time_budget(10.0):  # a longer inner budget does not extend the outer one
        time.sleep(0.08)
        with pytest.raises(TimeBudgetExceeded, match="0.05 s"):
            check_deadline()
    with time_budget(10.0):
        with time_budget(0.01):
            time.sleep(0.03)
            with pytest.raises(TimeBudgetExceeded, match="0.01 s"):
                check_deadline()
        check_deadline()  # the inner budget is gone; the outer one has time left
        with time_budget(None):
            check_deadline()


def test_the_deadline_holds_in_any_thread_and_only_there():
    outcome = []

    def work():
        with time_budget(0.01):
            time.sleep(0.03)
            try:
                check_deadline()
            except TimeBudgetExceeded as exc:
                outcome.append(str(exc))

    with time_budget(0.01):  # this thread's budget is not the worker's
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert outcome == ["took longer than 0.01 s (the per-article time budget)"]
    check_deadline()


def test_extraction_checks_the_deadline_between_its_stages():
    from kg.annotate import load_model
    from kg.extract import extract
    from kg.records import Article

    article = Article(id="a", text=GOOD_ARTICLE)
    doc = load_model()(article.text)
    assert extract(article, doc).entities  # no budget: it runs
    with time_budget(1e-6), pytest.raises(TimeBudgetExceeded):
        extract(article, doc)


def test_size_limits_are_consistent_with_the_parser():
    from kg.annotate import load_model

    assert load_model().max_length == MAX_TEXT_CHARS
    assert BuildOptions().max_bytes == DEFAULT_MAX_BYTES >= MAX_TEXT_CHARS


def test_a_text_too_long_for_the_parser_is_skipped_before_spacy(tmp_path):
    sentence = "The ferry from Aarhus left late because of fog. "
    (tmp_path / "huge.txt").write_text(sentence * (MAX_TEXT_CHARS // len(sentence) + 10), encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    store = open_store(None)
    report = build([tmp_path], store, BuildOptions(progress=False))
    assert (report.read, report.built) == (2, 1)
    [skipped] = report.skipped
    assert skipped.source == str(tmp_path / "huge.txt")
    assert re.fullmatch(rf"too long for the parser: [\d,]+ characters > {MAX_TEXT_CHARS:,}", skipped.reason)


def test_an_article_over_the_time_budget_is_skipped_with_its_reason(tmp_path):
    slow = " ".join(f"Kofi Asante met Hana Sato in Porto on day {n}, officials said." for n in range(60))
    write_jsonl(tmp_path / "in.jsonl", [{"id": "slow", "text": slow}])
    store = tmp_path / "store"
    result = run_cli("build", tmp_path / "in.jsonl", "--store", store, "--no-progress", "--time-budget", "0.0001")
    assert result.exit_code == 3, result.output
    assert f"skipped {tmp_path / 'in.jsonl'}:1: extraction failed: took longer than 0.0001 s" in result.output
    assert articles_stored(store) == 0
    result = run_cli("build", tmp_path / "in.jsonl", "--store", store, "--no-progress", "--time-budget", "30")
    assert result.exit_code == 0, result.output
    assert articles_stored(store) == 1


# ---------------------------------------------------------------------------------------------
# Crashes and concurrency (real processes)


@pytest.mark.slow
def test_a_build_killed_midway_leaves_whole_articles_and_a_rerun_completes(tmp_path):
    source = write_jsonl(tmp_path / "news.jsonl", corpus_records(40))
    store_dir = tmp_path / "store"
    args = ("build", source, "--store", store_dir, "--no-progress", "--batch-size", "1")
    process = kg_process(*args)
    deadline = time.monotonic() + 90
    while process.poll() is None and time.monotonic() < deadline:
        if articles_stored(store_dir) >= 3:  # several articles committed: the kill lands mid-build
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    store = open_store(store_dir)
    kept = check_whole_articles(store)
    assert 3 <= kept < 40
    assert validate(Dataset().parse(data=nquads(store), format="nquads"))[0]
    store.close()

    rerun = subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"articles: 40 read, {40 - kept} built, {kept} unchanged, 0 skipped" in rerun.stdout
    resumed = open_store(store_dir, read_only=True)
    assert check_whole_articles(resumed) == 40

    clean = open_store(tmp_path / "clean")
    build([source], clean, BuildOptions(batch_size=1, progress=False))
    assert nquads(resumed) == nquads(clean)


@pytest.mark.slow
def test_a_second_build_on_a_locked_store_fails_fast_with_one_line(tmp_path):
    source = write_jsonl(tmp_path / "news.jsonl", corpus_records(40))
    store_dir = tmp_path / "store"
    first = kg_process("build", source, "--store", store_dir, "--no-progress")
    try:
        deadline = time.monotonic() + 60
        while not has_ontology(store_dir):
            assert first.poll() is None and time.monotonic() < deadline, "the first build did not start"
            time.sleep(0.05)
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(source), "--store", str(store_dir), "--no-progress"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - started
    finally:
        first.kill()
        first.communicate(timeout=30)
    assert second.returncode not in (0, 3)
    assert elapsed < 10
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "store is locked" in lines[0], second.stderr
    assert "Traceback" not in second.stderr and second.stdout == ""


# ---------------------------------------------------------------------------------------------
# Bad and hostile input through the whole command

# What `kg build` must do with each input: "built", or a pattern its skip reason must match.
BAD_EXPECTED = {
    "emoji-rtl.txt": "built",
    "empty.txt": r"empty",
    "hostile-names.txt": "built",
    "invalid-utf8.txt": r"not valid UTF-8 text \(byte 0xe9 at offset 169\)",
    "malformed.jsonl:1": "built",
    "malformed.jsonl:2": r"malformed JSON: .+",
    "malformed.jsonl:3": r"missing 'text'",
    "malformed.jsonl:4": r"'text' must be a string, got a number",
    "malformed.jsonl:5": r"expected a JSON object, got an array",
    "malformed.jsonl:7": "built",
    "malformed.jsonl:8": r"'title' must be a string, got an array",
    "malformed.jsonl:9": r"'text' is empty",
    "malformed.jsonl:10": "built",
    "malformed.jsonl:11": r"expected a JSON object, got a string",
    "nav-only.html": r"no article text found in HTML",
    "nested.html": r"HTML nested too deeply \(5003 levels\) to extract its text",
    "no-body.html": "built",
    "non-english.txt": "built",
    "png-renamed.txt": r"binary file, not text \(PNG image\)",
    "utf16-bom.txt": "built",
    "whitespace.txt": r"empty",
    "huge-20mb.txt": r"too large: 20000046 bytes > limit 5000000",
    "long-line.jsonl:1": "built",
    "long-line.jsonl:2": r"too large: \d+ bytes > limit 5000000",
    "long-line.jsonl:3": "built",
    "good.txt": "built",
}


def _write_generated_bad_inputs(folder: Path) -> list[Path]:
    """Write the 20 MB text file and the JSON Lines file whose middle line is 5 MB; returns their paths."""
    huge = folder / "huge-20mb.txt"
    line = "Tugboats guided the tanker into Rotterdam before the tide turned.\n"
    huge.write_text(line * (20_000_000 // len(line) + 1), encoding="utf-8")
    filler = "Snow closed the mountain pass above Bergen again. " * (5_000_000 // 50 + 1)
    records = [
        {"id": "line-before", "text": "Kestrel Airways cancelled six flights from Lagos on Friday, it said."},
        {"id": "line-huge", "text": filler},
        {"id": "line-after", "text": "Aster Foods opened a bakery in Quito last week, the firm said."},
    ]
    return [huge, write_jsonl(folder / "long-line.jsonl", records)]


def test_the_bad_corpus_in_one_build_is_built_or_skipped_and_exports_are_valid(tmp_path):
    inputs = sorted(p for p in BAD.iterdir() if p.name != "README.md")
    inputs += _write_generated_bad_inputs(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    inputs.append(tmp_path / "good.txt")
    store_dir = tmp_path / "store"
    result = run_cli("build", *inputs, "--store", store_dir, "--no-progress")
    assert result.exit_code == 3, result.output

    skipped_lines = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    reasons = {}
    for line in skipped_lines:
        source, _, reason = line[len("skipped ") :].partition(": ")
        reasons[Path(source).name] = reason
    expected_skips = {name: pattern for name, pattern in BAD_EXPECTED.items() if pattern != "built"}
    assert reasons.keys() == expected_skips.keys()
    for name, pattern in expected_skips.items():
        assert re.fullmatch(pattern, reasons[name]), (name, reasons[name])
    built = sum(1 for pattern in BAD_EXPECTED.values() if pattern == "built")
    assert f"articles: {built} read, {built} built, 0 unchanged, {len(expected_skips)} skipped" in result.output
    store = open_store(store_dir, read_only=True)
    assert articles_stored(store_dir) == built == check_whole_articles(store)
    headline = store.select(PREFIXES + "SELECT ?h WHERE { ?a a kg:Article ; <https://schema.org/headline> ?h }")
    assert {"h": "Harbour cranes return to Gdynia"} in headline
    store.close()

    for fmt, data in export_all(store_dir, tmp_path).items():
        dataset = parse_everywhere(data, fmt)
        conforms, report = validate(dataset)
        assert conforms, (fmt, report)


HOSTILE_RECORD = {
    "id": 'hostile "id" <script>\\ 🧨',
    "url": 'javascript:alert("gotcha")',
    "title": 'Storm <b>"Ula"</b> \\ hits the coast \u202e🌊\x07',
    "date": "2024-10-08",
    "text": (
        "Mayor Elif Kaya<script>alert('owned')</script> met Jonas \"The Fox\" Berg in Izmir on Monday, "
        "officials said.\n\n"
        "The firm Back\\Slash Holdings bought O'Hara & Sons for $5 million, according to "
        '<img src=x onerror="alert(1)"> reporters at javascript:alert(document.cookie) Media.\n\n'
        "Police detained 40 protesters 🚒🔥 outside the \u200fمجلس\u200f council in Ankara\x1b[31m on Tuesday.\n\n"
        'Anna\x00 Maria\x0b Lind\u2028of "Nord\\Energi" said the \u202edeal\u202c would close in May '
        "👨\u200d👩\u200d👧.\n\n"
        'A spokesman for }} ; DROP ALL ; INSERT DATA { <x:a> <x:b> "c" } # Ltd said """nothing""" \'\'\'at all\'\'\'.'
    ),
}
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f]")
_LABEL_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "https://schema.org/headline",
    KG + "surfaceForm",
    KG + "role",
    KG + "position",
}


def test_hostile_text_builds_and_every_export_is_valid(tmp_path):
    source = write_jsonl(tmp_path / "hostile.jsonl", [HOSTILE_RECORD])
    # A user gazetteer naming a company with a backslash, so a hostile name surely becomes a label.
    gazetteer = tmp_path / "extra.tsv"
    gazetteer.write_text("name\taliases\ttype\tcountry_iso2\twikidata\nNord\\Energi\t\tCompany\t\t\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    result = run_cli("build", source, "--store", store_dir, "--no-progress", "--gazetteer", gazetteer)
    assert result.exit_code == 0, result.output
    assert "articles: 1 read, 1 built" in result.output
    store = open_store(store_dir, read_only=True)
    text = nquads(store)
    assert check_whole_articles(store) == 1
    labels = {
        r["l"]
        for r in store.select(PREFIXES + f"SELECT ?l WHERE {{ GRAPH <{iris.ENTITIES_GRAPH}> {{ ?e rdfs:label ?l }} }}")
    }
    assert "Nord\\Energi" in labels
    assert store.select(PREFIXES + "SELECT ?e WHERE { ?e kg:trigger ?t }"), "no events found in the hostile article"
    store.close()

    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    assert not any(q.graph_name.value.endswith("/evil") for q in quads if isinstance(q.graph_name, ox.NamedNode))
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                assert not _IRI_FORBIDDEN.search(term.value), term.value
                assert re.match(r"[a-z][a-z0-9+.-]*:", term.value), term.value
        if isinstance(quad.object, ox.Literal):
            value = quad.object.value
            controls = {ch for ch in value if unicodedata.category(ch) == "Cc"}
            allowed = set() if quad.predicate.value in _LABEL_PREDICATES else {"\n"}
            assert controls <= allowed, (quad.predicate.value, value)
    urls = [q.object for q in quads if q.predicate.value == "https://schema.org/url"]
    assert [u.value for u in urls] == ['javascript:alert("gotcha")']  # kept as a literal, never a link target

    for fmt, data in export_all(store_dir, tmp_path).items():
        dataset = parse_everywhere(data, fmt)
        conforms, report = validate(dataset)
        assert conforms, (fmt, report)
        assert any(str(q[2]) == "Nord\\Energi" for q in dataset.quads((None, None, None, None))), fmt


def test_multi_line_literals_survive_every_export_byte_for_byte():
    # A sentence spanning paragraphs, one paragraph opening with what looks like Turtle, one ending in a backslash.
    tricky = 'Ferry talks ended.\n\n@prefix x: <http://x/> .\n\n\n    "Indented" \\\n\n}} ended \\"""'
    store = open_store(None)
    subject, predicate = (
        f"{iris.BASE}evidence/x/0-1",
        "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf",
    )
    store.set_graph(f"{iris.BASE}article/x", f"<{subject}> <{predicate}> {ox.Literal(tricky)} .\n")
    for fmt in ("ttl", "trig", "nq", "jsonld"):
        dataset = parse_everywhere(rdf_bytes(store, fmt), fmt)
        assert [str(q[2]) for q in dataset.quads((None, None, None, None))] == [tricky], fmt
