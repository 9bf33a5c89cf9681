"""A newsroom archive: build N synthetic articles into a store, then time a daily build and the queries.

    .venv/bin/python bench/archive.py [--articles 100000] [--runs 3] [--store DIR] [--keep] [--exports]

1. Fills an on-disk store with --articles synthetic articles, without spaCy: each article is an
   Extraction (kg.records) made here and written by `kg.pipeline.Builder.write`, the code a build
   runs after extraction (resolve against the store, map, entity summary, store write). Names are
   drawn from Zipf-like distributions (a few names in most articles, a long tail seen once or
   twice): people, organizations and places each from a pool of 2 x --articles names, event
   classes from 24 kinds. It prints the build rate over the first and the last 10% of the articles.
2. In a fresh process per step (so each peak RSS, VmHWM, is that step's own): a daily build of
   the 10 articles of bench/data/daily.jsonl (real spaCy parse) into an empty store and into the
   archive, with the seconds until extraction starts; then every README example query
   (ontology/queries/*.rq and the README's other ```sparql blocks) and every bench/store_bench.py
   query on the archive (median of --runs after one warm-up, or the first run alone when it takes
   over 10 s; a query's process is stopped after --query-timeout seconds); with --exports,
   `kg export` of the archive in nq, trig and jsonld.

With --store DIR the archive is built there (or reused when DIR already holds one) and kept.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.resolve_store import peak_rss_mb  # noqa: E402
from kg.records import Article, Entity, Event, Evidence, Extraction, Mention, Role  # noqa: E402

DAILY = ROOT / "bench" / "data" / "daily.jsonl"
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "dun", "is", "mar", "pe", "qua", "zel", "bor", "an", "ti"]
FIRST_NAMES = ["Mira", "Jonas", "Aiko", "Pedro", "Lina", "Omar", "Greta", "Tariq", "Nadia", "Felix", "Ruth", "Ivan"]
ORG_KINDS = [("GovernmentOrganization", "Ministry"), ("Company", "Holdings"), ("Organization", "Union")]
# The most frequent names of each pool: the daily articles name some of them, so resolution meets the archive.
HEADS = {
    "Person": ["Oskar Brandt", "Lena Marchetti", "Ines Halvorsen", "Tomas Reyna", "Ada Kowal", "Erik Lund"],
    "Organization": ["Carrow Holdings", "Valdera Port Authority", "Central Bank of Norland", "Civic Front", "Nordair"],
    "Place": ["Norland", "Ostria", "Valdera", "Sarvik", "Brenholm", "Kelm"],
}
HEAD_TYPES = {"Carrow Holdings": "Company", "Nordair": "Company", "Civic Front": "PoliticalParty"}
EVENT_KINDS = [
    ("Statement", "say"), ("Meeting", "meet"), ("Agreement", "agree"), ("Attack", "attack"), ("Arrest", "arrest"),
    ("Election", "elect"), ("Protest", "protest"), ("Acquisition", "acquire"), ("Investigation", "investigate"),
    ("Appointment", "appoint"), ("Resignation", "resign"), ("Death", "die"), ("Vote", "vote"), ("Trial", "try"),
    ("Sanction", "sanction"), ("Negotiation", "negotiate"), ("Rescue", "rescue"), ("Launch", "launch"),
    ("Increase", "rise"), ("Decrease", "fall"), ("Sale", "sell"), ("Investment", "invest"), ("Disaster", "flood"),
    ("Ruling", "rule"),
]  # fmt: skip
SLOW_QUERY_SECONDS = 10.0


class Zipf:
    """Draws ranks 0..size-1 with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, size: int, exponent: float = 1.0) -> None:
        total, self.cumulative = 0.0, []
        for rank in range(size):
            total += 1.0 / (rank + 1) ** exponent
            self.cumulative.append(total)

    def draw(self, rng) -> int:
        """Return one rank drawn with `rng` (a random.Random)."""
        return bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])


def pools(size: int) -> dict[str, list[tuple[str, str]]]:
    """Return (type, name) pools of `size` distinct names per kind, the head names first."""
    words = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in ["", *SYLLABLES]})
    out: dict[str, list[tuple[str, str]]] = {kind: [] for kind in HEADS}
    for kind, heads in HEADS.items():
        default = {"Person": "Person", "Organization": "Organization", "Place": "City"}[kind]
        out[kind] = [(HEAD_TYPES.get(h, "Country" if kind == "Place" else default), h) for h in heads]
    for i in range(size):
        word, other = words[i % len(words)].capitalize(), words[(i * 7 + 3) % len(words)].capitalize()
        suffix = "" if i < len(words) else f" {i // len(words)}"
        out["Person"].append(("Person", f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {word}{suffix}"))
        org_type, org_word = ORG_KINDS[i % len(ORG_KINDS)]
        out["Organization"].append((org_type, f"{other} {word}{suffix} {org_word}"))
        out["Place"].append(("Country" if i < 150 else "City", f"{word}{suffix}bury" if i >= 150 else word + "ia"))
    return out


class Archive:
    """Makes synthetic articles: 3 people, 2 organizations, 2 places and 5 events each, 50 articles a day."""

    def __init__(self, articles: int, seed: int = 16) -> None:
        import random

        self.rng = random.Random(seed)
        self.pools = pools(2 * articles)
        self.names = {kind: Zipf(len(pool)) for kind, pool in self.pools.items()}
        self.events = Zipf(len(EVENT_KINDS), 1.2)

    def extraction(self, n: int) -> Extraction:
        """Return synthetic article `n` as an Extraction, offsets pointing into its own text."""
        rng, day = self.rng, (date(2025, 1, 1) + timedelta(days=n // 50)).isoformat()
        picks: list[tuple[str, str]] = []
        for kind, count in (("Person", 3), ("Organization", 2), ("Place", 2)):
            ranks = set()
            while len(ranks) < count:
                ranks.add(self.names[kind].draw(rng))
            picks += [self.pools[kind][r] for r in sorted(ranks)]
        text, entities = "", []
        for slot, (kind, name) in enumerate(picks):
            sentence = f"Reporters in the newsroom spoke about {name} again today."
            evidence = Evidence(sentence, len(text), len(text) + len(sentence))
            start = len(text) + sentence.index(name)
            mentions = [Mention(start, start + len(name), name, evidence=evidence)]
            names = [name]
            if kind == "Person":  # a later surname-only mention, as articles write them
                surname = name.split()[-1] if not name[-1].isdigit() else name.split()[-2]
                extra = f" {surname} declined to comment."
                at = len(text) + len(sentence) + 1
                mentions.append(
                    Mention(at, at + len(surname), surname, evidence=Evidence(extra[1:], at, at + len(extra) - 1))
                )
                sentence += extra
                names.append(surname)
            text += sentence + " "
            entities.append(Entity(f"e{slot}", kind, name, tuple(names), tuple(mentions)))
        events = []
        for k in range(5):
            event_type, trigger = EVENT_KINDS[self.events.draw(rng)]
            sentence = f"Officials said the {trigger} happened on {day}."
            start = len(text)
            evidence = Evidence(sentence, start, start + len(sentence), 0.7)
            at = start + sentence.index(trigger)
            roles = (Role("agent", f"e{k % 3}"), Role("patient", f"e{3 + k % 2}"), Role("place", f"e{5 + k % 2}"))
            events.append(Event(f"v{k}", event_type, trigger, at, at + len(trigger), evidence, roles, day))
            text += sentence + " "
        article = Article(f"archive-{n:06d}", text.strip(), f"Archive report {n}", day)
        return Extraction(article, tuple(entities), tuple(events))


def fill(store_dir: Path, articles: int) -> list[float]:
    """Write `articles` synthetic articles into the store at `store_dir`; return articles/s per tenth."""
    from kg.pipeline import Builder, load_ontology
    from kg.store import open_store
    from kg.store.writer import BackgroundWriter

    archive, store = Archive(articles), open_store(store_dir)
    load_ontology(store)
    tenth, rates = max(1, articles // 10), []
    with BackgroundWriter(store) as writer:
        builder = Builder(writer)
        started = time.perf_counter()
        for n in range(articles):
            builder.write(archive.extraction(n))
            if (n + 1) % tenth == 0:
                writer.drain()  # the rate counts articles stored, not queued
                now = time.perf_counter()
                rates.append(tenth / (now - started))
                print(f"  {n + 1:,} articles, {rates[-1]:.1f} articles/s", file=sys.stderr, flush=True)
                started = now
    store.flush()
    store.close()
    return rates


def readme_queries() -> dict[str, str]:
    """Return name -> SPARQL of the README's example queries that are not a file of ontology/queries/.

    Each is named by the README line before it; the documented prefixes are declared, as `kg query` does.
    """
    from kg.sparql import with_prefixes

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = {}
    for before, indent, body in re.findall(r"^([^\n]*)\n( *)```sparql\n(.*?)^ *```", text, re.DOTALL | re.MULTILINE):
        if ".rq`" in before:
            continue  # the same text as its ontology/queries file
        name = re.sub(r"[*:`]", "", before).strip()
        name = name if len(name) <= 40 else name[:39] + "…"
        out[f"README: {name}"] = with_prefixes("\n".join(line[len(indent) :] for line in body.splitlines()))[0]
    return out


def all_queries() -> dict[str, str]:
    """Return name -> SPARQL of the README example queries and of bench/store_bench.py's queries."""
    from bench.store_bench import PREFIXES, QUERIES

    out = {f"{p.stem}.rq": p.read_text(encoding="utf-8") for p in sorted((ROOT / "ontology" / "queries").glob("*.rq"))}
    out.update(readme_queries())
    out.update({f"bench: {name}": PREFIXES + sparql for name, sparql in QUERIES.items()})
    return out


def step(kind: str, store_dir: Path, arg: str, runs: int) -> dict:
    """Run one step in this process and return its figures (seconds, peak_mb, and per step rows/start)."""
    from kg.store import open_store

    if kind == "build":
        from kg.annotate import load_model
        from kg.annotate_process import shared_parser
        from kg.pipeline import BuildOptions, build, extract_in_process

        load_model()
        marks: dict[str, float] = {}

        def producer(articles, options):
            marks.setdefault("start", time.perf_counter())
            return extract_in_process(articles, options)

        store = open_store(store_dir)
        started = time.perf_counter()
        report = build([DAILY], store, BuildOptions(progress=False), producer=producer)
        seconds = time.perf_counter() - started
        store.close()
        start = marks.get("start", started) - started
        figures = {"seconds": seconds, "start": start, "rows": report.built, "peak_mb": peak_rss_mb()}
        child = shared_parser()  # the parse process that served the build, if one did: its own peak
        figures["parse_mb"] = peak_rss_mb(child.pid) if child is not None else 0.0
        return figures
    if kind == "export":
        from kg.export import export

        store = open_store(store_dir)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="kg-archive-export-") as tmp:
            out = Path(tmp) / f"archive.{arg}"
            export(store, arg, out)
            size = out.stat().st_size
        return {"seconds": time.perf_counter() - started, "rows": size, "peak_mb": peak_rss_mb()}
    store = open_store(store_dir)
    if kind == "count":
        return {"rows": len(store._store)}  # pyoxigraph counts quads without a query
    sparql = all_queries()[arg]
    times, answer = [], []
    for _ in range(runs + 1):
        started = time.perf_counter()
        answer = store.select(sparql)
        times.append(time.perf_counter() - started)
        if times[0] > SLOW_QUERY_SECONDS:  # timed on its first run alone
            break
    median = statistics.median(times[1:]) if len(times) > 1 else times[0]
    digest = hashlib.sha256(repr(sorted(repr(sorted(row.items())) for row in answer)).encode()).hexdigest()[:12]
    figures = {"seconds": median, "first": times[0], "times": times, "rows": len(answer), "digest": digest}
    return {**figures, "peak_mb": peak_rss_mb()}


def json_from_process(argv: list[str], timeout: float | None) -> dict | None:
    """Run `argv` and return the JSON object its last line of output prints; None when it took over `timeout` s."""
    try:
        out = subprocess.run(argv, check=True, capture_output=True, text=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.strip().splitlines()[-1])


def in_fresh_process(kind: str, store_dir: Path, arg: str, runs: int, timeout: float | None = None) -> dict:
    """Run `step` in a new Python process; returns its figures ({"timeout": seconds} when it took longer)."""
    argv = [sys.executable, __file__, "--step", kind, str(store_dir), arg, "--runs", str(runs)]
    found = json_from_process(argv, timeout)
    if found is None:
        return {"timeout": timeout, "seconds": float("nan"), "peak_mb": float("nan"), "rows": 0}
    return found


def main(argv=None) -> None:
    """Build the archive (or reuse --store), run every step in a fresh process, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="query runs after one warm-up (median)")
    parser.add_argument("--store", type=Path, help="build the archive here and keep it (reused if it exists)")
    parser.add_argument("--exports", action="store_true", help="also time kg export nq, trig and jsonld")
    parser.add_argument("--query-timeout", type=float, default=300, help="stop a query's process after this")
    parser.add_argument("--step", nargs=3, metavar=("KIND", "STORE", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        kind, store_dir, arg = args.step
        print(json.dumps(step(kind, Path(store_dir), arg, args.runs)))
        return
    with tempfile.TemporaryDirectory(prefix="kg-archive-") as tmp:
        work = Path(tmp)
        archive = args.store or work / "archive"
        rows = []
        if not archive.exists():
            started = time.perf_counter()
            rates = fill(archive, args.articles)
            seconds = time.perf_counter() - started
            rows.append((f"synthetic build, {args.articles:,} articles", seconds, None, None))
            print(f"build rate: first 10% {rates[0]:.1f} articles/s, last 10% {rates[-1]:.1f} articles/s, "
                  f"last / first {rates[-1] / rates[0]:.2f}")  # fmt: skip
        quads = in_fresh_process("count", archive, "", 0)["rows"]
        print(f"archive store: {quads:,} quads")
        daily_work = work / "daily"
        shutil.copytree(archive, daily_work)
        empty = in_fresh_process("build", work / "empty", "", 0)
        full = in_fresh_process("build", daily_work, "", 0)
        rows.append(("daily build (10 articles), empty store", empty["seconds"], empty["peak_mb"], empty))
        rows.append(("daily build (10 articles), archive", full["seconds"], full["peak_mb"], full))
        for name in all_queries():
            figures = in_fresh_process("query", daily_work, name, args.runs, args.query_timeout)
            rows.append((name, *_pair(figures)))
        if args.exports:
            for fmt in ("nq", "trig", "jsonld"):
                rows.append((f"kg export --format {fmt}", *_pair(in_fresh_process("export", daily_work, fmt, 0))))
        print(f"{'step':<48} {'seconds':>9} {'peak RSS MB':>12}  notes")
        for name, seconds, peak, figures in rows:
            note = ""
            if figures and "timeout" in figures:
                note = f"stopped after {figures['timeout']:.0f} s"
            elif figures and "start" in figures:
                note = f"extraction starts after {figures['start']:.2f} s, {figures['rows']} built"
                note += f"; the parse process's peak RSS {figures.get('parse_mb', 0):.0f} MB"
            elif figures and "first" in figures:
                note = f"{figures['rows']} rows, first run {figures['first'] * 1000:.0f} ms"
            elif figures:
                note = f"{figures['rows'] / 1e6:.1f} MB written"
            peak_text = f"{peak:12.0f}" if peak is not None else f"{'':>12}"
            print(f"{name:<48} {seconds:9.3f} {peak_text}  {note}")
        print(
            f"daily build archive / empty: time {full['seconds'] / empty['seconds']:.2f}, "
            f"peak RSS {full['peak_mb'] / empty['peak_mb']:.2f}"
        )


def _pair(figures: dict) -> tuple[float, float, dict]:
    return figures["seconds"], figures["peak_mb"], figures


if __name__ == "__main__":
    main()
