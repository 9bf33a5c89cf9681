"""Store and server speed on a synthetic corpus: load rates and query latency, embedded, remote and served.

Usage (from the repository root):

    .venv/bin/python bench/store_bench.py [--articles 10000] [--runs 5] [--batch 50] [--skip-rdflib]
                                          [--format table|json]

The corpus is made without spaCy: synthetic ResolvedExtraction records (people, agencies and
countries drawn from fixed pools; meetings, statements, arrests … with agent, patient, place and
date; evidence and occurrences as the builder writes them) are mapped with `kg.mapping` exactly as
the builder maps real ones, and each article becomes the ArticleWrite the builder would send
(its graph plus its entities' summary rows). 10,000 articles give about 1.4 million triples.

Measured:

- load rate (triples/s) writing the first --load-articles articles one `write_article` at a time
  (what `kg build` does) into the embedded store on disk and in memory; into an Oxigraph server
  (on disk) through `kg.store.remote.RemoteStore`, one request per article and --batch articles per
  request; and through `kg serve --allow-update`;
- median latency (ms, over --runs runs after one warm-up) of the example queries below over all
  --articles articles, run embedded (pyoxigraph), through `kg serve` (HTTP, SPARQL JSON), through
  Oxigraph's own server (for the choice of server), and on an rdflib in-memory Dataset. These
  stores are bulk-loaded with exactly the quads the article-by-article writes leave behind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from kg import iris, mapping  # noqa: E402
from kg.records import (  # noqa: E402
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    ResolvedEntity,
    ResolvedExtraction,
    Role,
)
from kg.store import ArticleWrite, OxigraphStore  # noqa: E402
from kg.store.remote import RemoteStore  # noqa: E402

PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
QUERIES = {
    "agents of meetings (LIMIT 100)": """SELECT ?event ?agent WHERE {
  ?event a kg:Meeting ; kg:agent/rdfs:label ?agent } LIMIT 100""",
    "events per class (COUNT, GROUP BY)": """SELECT ?class (COUNT(?event) AS ?n) WHERE {
  { SELECT ?event ?class WHERE { ?event a ?class } }
  { SELECT ?event ?trigger WHERE { ?event kg:trigger ?trigger } } } GROUP BY ?class ORDER BY DESC(?n)""",
    "events in one week (date FILTER)": """SELECT ?event ?date WHERE {
  ?event kg:date ?date FILTER(?date >= "2025-03-01"^^xsd:date && ?date < "2025-03-08"^^xsd:date) }""",
    "one person's events": """SELECT ?event ?trigger ?date WHERE {
  ?person rdfs:label "Mira Okafor 17" . ?event kg:agent ?person ; kg:trigger ?trigger ; kg:date ?date }""",
    "most mentioned (ORDER BY, LIMIT 10)": """SELECT ?label ?n WHERE {
  { SELECT ?entity ?label WHERE { ?entity rdfs:label ?label } }
  { SELECT ?entity ?n WHERE { ?entity kg:mentionCount ?n } } } ORDER BY DESC(?n) LIMIT 10""",
}
EVENT_KINDS = [
    ("Meeting", "meet"),
    ("Statement", "say"),
    ("Capture", "arrest"),
    ("Attack", "attack"),
    ("Agreement", "sign"),
    ("Acquisition", "acquire"),
    ("Protest", "protest"),
    ("Death", "die"),
]
N_PEOPLE, N_AGENCIES, N_COUNTRIES = 3000, 400, 60


# -- the synthetic corpus ----------------------------------------------------------------
def _pool() -> list[tuple[str, str]]:
    people = [("Person", f"Mira Okafor {k}") for k in range(N_PEOPLE)]
    agencies = [("GovernmentOrganization", f"Water Agency {k}") for k in range(N_AGENCIES)]
    countries = [("Country", f"Republic {k}") for k in range(N_COUNTRIES)]
    return people + agencies + countries


def synthetic_article(n: int, pool: list[tuple[str, str]], rng: random.Random) -> ResolvedExtraction:
    """Return article `n` as a resolved extraction: 6 entities and 5 events, dated within 2025."""
    day = date(2025, 1, 1) + timedelta(days=n % 365)
    picks = rng.sample(range(N_PEOPLE + N_AGENCIES), 4) + rng.sample(range(N_PEOPLE + N_AGENCIES, len(pool)), 2)
    sentences, entities, resolved = [], [], {}
    for slot, index in enumerate(picks):
        kind, name = pool[index]
        sentence = f"Sentence {slot} of report {n} names {name}."
        start = sum(len(s) + 1 for s in sentences)
        sentences.append(sentence)
        evidence = Evidence(sentence, start, start + len(sentence), 0.8)
        offset = start + sentence.index(name)
        mention = Mention(offset, offset + len(name), name, evidence=evidence)
        key = f"e{slot}"
        entities.append(Entity(key, kind, name, (name,), (mention, mention)))
        resolved[key] = ResolvedEntity(key, iris.entity_iri(kind, name), kind, name, (name,))
    events = []
    for k in range(5):
        event_type, trigger = EVENT_KINDS[rng.randrange(len(EVENT_KINDS))]
        evidence = Evidence(sentences[k], 0, len(sentences[k]), 0.7)
        roles = (Role("agent", f"e{k % 4}"), Role("patient", f"e{(k + 1) % 4}"), Role("place", f"e{4 + k % 2}"))
        quantity = rng.randrange(1, 500) if k == 0 else None
        events.append(Event(f"v{k}", event_type, trigger, 0, 5, evidence, roles, day.isoformat(), quantity=quantity))
    article = Article(f"synthetic-{n:05d}", " ".join(sentences), f"Report {n}", day.isoformat())
    return ResolvedExtraction(Extraction(article, tuple(entities), tuple(events)), resolved)


def synthetic_writes(n_articles: int, seed: int = 7) -> list[ArticleWrite]:
    """Return the ArticleWrites of the synthetic corpus (article graph + its entities' summary rows)."""
    rng, pool = random.Random(seed), _pool()
    mentions: dict[str, int] = {}
    writes = []
    for n in range(n_articles):
        resolved = synthetic_article(n, pool, rng)
        graph = mapping.article_graph(resolved)
        named = mapping.named_entities(resolved)
        rows = []
        for entity in named:
            mentions[entity.iri] = mentions.get(entity.iri, 0) + 2
            rows.append(mapping.EntityForms(entity.iri, entity.type, ((entity.label, 1),), mentions[entity.iri]))
        summary = mapping.entity_summary(rows, lambda _type, forms, _link: (forms[0][0], ()))
        writes.append(
            ArticleWrite(
                str(graph.identifier),
                mapping.to_ntriples(graph),
                tuple(e.iri for e in named),
                mapping.to_ntriples(summary),
            )
        )
    return writes


# -- servers -------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command: list[str], port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code < 500:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"server did not start: {' '.join(command)}")


def _oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else "oxigraph"


# -- measuring -----------------------------------------------------------------------------
def load_rate(writes: list[ArticleWrite], write) -> float:
    """Write every article with `write(ArticleWrite)`; returns triples per second."""
    triples = sum(w.ntriples.count("\n") + w.entity_ntriples.count("\n") for w in writes)
    started = time.perf_counter()
    write(writes)
    return triples / (time.perf_counter() - started)


def median_ms(run, runs: int, cap_seconds: float = 30.0) -> tuple[float, int]:
    """Run `run()` once to warm up, then `runs` times; returns (median ms, rows of the last run).

    A query slower than `cap_seconds` on its first run is timed on that run alone.
    """
    started = time.perf_counter()
    rows = run()
    first = time.perf_counter() - started
    if first > cap_seconds:
        return first * 1000, rows
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, rows


def http_query(url: str, extra: dict | None = None):
    client = httpx.Client(timeout=600)

    def ask(sparql: str) -> int:
        response = client.post(
            url, data={"query": sparql, **(extra or {})}, headers={"Accept": "application/sparql-results+json"}
        )
        response.raise_for_status()
        return len(response.json()["results"]["bindings"])

    return ask


def final_nquads(writes: list[ArticleWrite]) -> str:
    """Return the N-Quads the store holds after writing `writes` in order (later summary rows replace earlier)."""
    summary: dict[str, list[str]] = {}
    lines = []
    for write in writes:
        graph = f"<{write.article_iri}>"
        lines += [line[:-1] + f"{graph} ." for line in write.ntriples.splitlines()]
        rows: dict[str, list[str]] = {iri: [] for iri in write.entity_iris}
        for line in write.entity_ntriples.splitlines():
            rows.setdefault(line[1 : line.index(">")], []).append(line)
        summary.update(rows)
    entities = f"<{iris.ENTITIES_GRAPH}> ."
    lines += [line[:-1] + entities for rows in summary.values() for line in rows]
    return "\n".join(lines) + "\n"


def measure_loads(writes: list[ArticleWrite], tmp: Path, batch: int) -> dict[str, float]:
    """Write `writes` article by article into each backend, fresh; returns triples/s per backend."""
    loads = {}
    embedded = OxigraphStore(tmp / "load-embedded")
    loads["embedded (disk), write_article"] = load_rate(writes, lambda ws: [embedded.write_article(w) for w in ws])
    embedded.close()
    memory = OxigraphStore(None)
    loads["embedded (memory), write_article"] = load_rate(writes, lambda ws: [memory.write_article(w) for w in ws])
    port = _free_port()
    server = _start(
        [_oxigraph_binary(), "serve", "--location", str(tmp / "load-ox"), "--bind", f"127.0.0.1:{port}"], port
    )
    try:
        remote = RemoteStore(f"http://127.0.0.1:{port}", environ={})
        loads["Oxigraph server, 1 request/article"] = load_rate(
            writes, lambda ws: [remote.write_article(w) for w in ws]
        )
        remote.update("CLEAR ALL")

        def batched(ws):
            for i in range(0, len(ws), batch):
                remote.write_articles(ws[i : i + batch])

        loads[f"Oxigraph server, {batch} articles/request"] = load_rate(writes, batched)
    finally:
        server.terminate()
        server.wait(timeout=60)
    port, token = _free_port(), "bench-token"
    (tmp / "load-served").mkdir()
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(tmp / "load-served"), "--port", str(port)]
    server = _start(command + ["--allow-update", "--token", token, "--timeout", "600"], port)
    try:
        served = RemoteStore(f"http://127.0.0.1:{port}", token=token, environ={})
        loads["kg serve --allow-update, 1 request/article"] = load_rate(
            writes, lambda ws: [served.write_article(w) for w in ws]
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
    return loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the store that is queried")
    parser.add_argument("--load-articles", type=int, default=2_000, help="articles written in each load test")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=50, help="articles per request in the batched remote load")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args()

    report: dict = {"articles": args.articles, "load_articles": args.load_articles, "query_ms": {}}
    started = time.perf_counter()
    writes = synthetic_writes(args.articles)
    report["triples"] = sum(w.ntriples.count("\n") + w.entity_ntriples.count("\n") for w in writes)
    report["corpus_seconds"] = round(time.perf_counter() - started, 1)
    print(
        f"corpus: {args.articles} articles, {report['triples']:,} triples ({report['corpus_seconds']} s)",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        tmp = Path(tmp)
        report["load_triples_per_s"] = measure_loads(writes[: args.load_articles], tmp, args.batch)
        print(f"loads: {report['load_triples_per_s']}", file=sys.stderr)

        # The stores that are queried get the whole corpus by bulk loading the quads a build would leave.
        data = final_nquads(writes).encode("utf-8")
        report["quads"] = data.count(b"\n")
        bulk = ox.Store(str(tmp / "embedded"))
        bulk.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        bulk.flush()
        del bulk
        ox_port, serve_port = _free_port(), _free_port()
        command = [_oxigraph_binary(), "serve", "--location", str(tmp / "oxigraph"), "--bind", f"127.0.0.1:{ox_port}"]
        ox_server = _start(command, ox_port)
        command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(tmp / "embedded"), "--port", str(serve_port)]
        serve_server = _start(command + ["--max-results", "0", "--timeout", "600"], serve_port)
        try:
            httpx.post(
                f"http://127.0.0.1:{ox_port}/store?no_transaction",
                content=data,
                headers={"Content-Type": "application/n-quads"},
                timeout=600,
            ).raise_for_status()
            reader = OxigraphStore(tmp / "embedded", read_only=True)
            backends = {
                "embedded": lambda q: len(reader.query(q).rows),
                "kg serve": http_query(f"http://127.0.0.1:{serve_port}/query"),
                "Oxigraph server": http_query(f"http://127.0.0.1:{ox_port}/query", {"union-default-graph": ""}),
            }
            if not args.skip_rdflib:
                from rdflib import Dataset

                started = time.perf_counter()
                dataset = Dataset(default_union=True)
                dataset.parse(data=data.decode("utf-8"), format="nquads")
                report["rdflib_parse_seconds"] = round(time.perf_counter() - started, 1)
                backends["rdflib Dataset"] = lambda q: len(list(dataset.query(q)))
            for name, sparql in QUERIES.items():
                row = report["query_ms"].setdefault(name, {})
                for backend, run in backends.items():
                    ms, rows = median_ms(lambda run=run, sparql=sparql: run(PREFIXES + sparql), args.runs)
                    row[backend] = {"ms": round(ms, 2), "rows": rows}
                    print(f"{name} / {backend}: {ms:.1f} ms, {rows} rows", file=sys.stderr)
        finally:
            ox_server.terminate()
            serve_server.terminate()
            ox_server.wait(timeout=60)
            serve_server.wait(timeout=60)

    if args.format == "json":
        print(json.dumps(report, indent=1))
        return
    print(f"\n{report['articles']:,} synthetic articles, {report['quads']:,} quads in the queried stores\n")
    print(f"{'load ' + str(report['load_articles']) + ' articles into':48} {'triples/s':>12}")
    for name, rate in report["load_triples_per_s"].items():
        print(f"{name:48} {rate:12,.0f}")
    backends = list(next(iter(report["query_ms"].values())))
    print(f"\n{'query (median ms)':38}" + "".join(f"{b:>18}" for b in backends) + f"{'rows':>8}")
    for name, row in report["query_ms"].items():
        rows = {v["rows"] for v in row.values()}
        cells = "".join(f"{row[b]['ms']:18,.1f}" for b in backends)
        print(f"{name:38}{cells}{'/'.join(map(str, sorted(rows))):>8}")


if __name__ == "__main__":
    main()
