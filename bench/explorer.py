"""Benchmark the HTML explorer: projection and page-writing time in Python, page size, and time to first draw
and to answer interactions in headless Chromium, for synthetic graphs shaped like 10, 100 and 1,000 articles.

Each synthetic article mentions ~8 entities drawn from a shared pool with Zipf-like popularity (a few countries
and leaders recur everywhere, most names appear once or twice) and holds ~8 events with agent, patient, place,
source, date and an evidence sentence. Run:

    .venv/bin/python bench/explorer.py                 # 10, 100, 1000 articles, default --max-nodes and no limit
    .venv/bin/python bench/explorer.py --articles 100 --max-nodes 500 1000 2000 0
    .venv/bin/python bench/explorer.py --screenshot exports/graph.html docs/explorer.png --focus "Zelensky"

Needs /usr/bin/chromium and the `playwright` package (no browser download: it drives the system Chromium).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from kg.explorer import DEFAULT_MAX_NODES, project, write_html
from kg.store import open_store

KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLASSES = ["Person"] * 5 + ["GovernmentOrganization", "Company", "ArmedForce", "Organization"] * 1 + ["City", "Country"]
EVENTS = [("Capture", "detain"), ("Attack", "strike"), ("Meeting", "meet"), ("Statement", "say"), ("Transfer", "send")]
SYLLABLES = ["ka", "lo", "mi", "ren", "do", "sa", "vit", "ne", "or", "pal", "zu", "ta", "bri", "hel"]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _name(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title() for _ in range(2))


def build_store(n_articles: int, seed: int = 1):
    """Fill an in-memory store with a synthetic graph of `n_articles` articles; returns (store, triple count)."""
    rng = random.Random(seed)
    pool_size = 40 + 3 * n_articles
    pool = [(f"{ID}entity/e{i}", rng.choice(CLASSES), _name(rng)) for i in range(pool_size)]
    weights = [1.0 / (i + 1) ** 0.9 for i in range(pool_size)]
    mentions: dict[str, list[str]] = {}
    total = 0
    store = open_store(None)
    for a in range(n_articles):
        article = f"{ID}article/a{a}"
        date = f"2024-{1 + a % 12:02d}-{1 + a % 28:02d}"
        lines = [
            f"<{article}> {RDF_TYPE} <{KG}Article> .",
            f"<{article}> <https://schema.org/headline> {_lit(f'Synthetic report number {a}')} .",
            f'<{article}> <https://schema.org/datePublished> "{date}"^^<{XSD}date> .',
            f"<{article}> <https://schema.org/url> {_lit(f'https://news.example.org/story/{a}')} .",
        ]
        chosen: list[tuple[str, str, str]] = []
        while len(chosen) < 8:
            entity = rng.choices(pool, weights)[0]
            if entity not in chosen:
                chosen.append(entity)
        for iri, _, _ in chosen:
            mentions.setdefault(iri, []).append(article)
        places = [e for e in chosen if e[1] in ("City", "Country")] or chosen[:1]
        actors = [e for e in chosen if e not in places] or chosen
        for k in range(8):
            cls, trigger = rng.choice(EVENTS)
            event, evidence = f"{ID}event/a{a}/e{k}", f"{ID}evidence/a{a}/{k}"
            agent, patient, place = rng.choice(actors), rng.choice(chosen), rng.choice(places)
            sentence = f"In report {a}, {agent[2]} chose to {trigger} {patient[2]} near {place[2]}, sources said."
            lines += [
                f"<{event}> {RDF_TYPE} <{KG}{cls}> .",
                f"<{event}> <{KG}trigger> {_lit(trigger)} .",
                f"<{event}> <{KG}agent> <{agent[0]}> .",
                f"<{event}> <{KG}place> <{place[0]}> .",
                f'<{event}> <{KG}date> "{date}"^^<{XSD}date> .',
                f"<{event}> <{KG}evidence> <{evidence}> .",
                f"<{evidence}> <{KG}article> <{article}> .",
                f"<{evidence}> <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> "
                f"{_lit(sentence)} .",
            ]
            if patient != agent:
                lines.append(f"<{event}> <{KG}patient> <{patient[0]}> .")
            if rng.random() < 0.3:
                lines.append(f"<{event}> <{KG}reportedBy> <{rng.choice(actors)[0]}> .")
        if len(places) > 1:
            lines.append(f"<{places[0][0]}> <{KG}locatedIn> <{places[1][0]}> .")
        total += len(lines)
        store.set_graph(article, "\n".join(lines) + "\n")
    summary = []
    for iri, cls, name in pool:
        if iri not in mentions:
            continue
        summary += [
            f"<{iri}> {RDF_TYPE} <{KG}{cls}> .",
            f"<{iri}> {LABEL} {_lit(name)} .",
            f"<{iri}> <http://www.w3.org/2004/02/skos/core#altLabel> {_lit(name.split()[-1])} .",
            f"<{iri}> <{KG}mentionCount> {len(mentions[iri]) * 2} .",
        ]
        summary += [f"<{iri}> <{KG}mentionedIn> <{a}> ." for a in sorted(set(mentions[iri]))]
    store.set_graph(f"{ID}graph/entities", "\n".join(summary) + "\n")
    return store, total + len(summary)


def measure_page(page, path: Path) -> dict:
    """Open the page in Chromium; return seconds to first draw, the drawn counts and interaction timings."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.explorerReady !== undefined", timeout=600_000)
    drawn = time.perf_counter() - start
    # Interactive: each timed inside the page, including the synchronous redraw it causes.
    search_ms = page.evaluate(
        "() => { const d = window.explorer.data; const top = d.records.reduce((b, r, i) => "
        "r.kind !== 'event' && r.c > d.records[b].c ? i : b, 0); const t = performance.now();"
        " window.explorer.search(d.records[top].label); window.network.redraw(); return performance.now() - t; }"
    )
    zoomed_ms = page.evaluate(
        "() => { const t = performance.now(); window.network.redraw(); return performance.now() - t; }"
    )
    filter_ms = page.evaluate(
        "() => { window.network.fit({animation: false}); const t = performance.now();"
        " const box = document.querySelector('#classes input'); box.click(); window.network.redraw();"
        " const d = performance.now() - t; box.click(); return d; }"
    )
    counts = page.evaluate("[window.nodes.length, window.edges.length]")
    return {
        "first_draw_s": drawn,
        "search_ms": search_ms,
        "zoomed_redraw_ms": zoomed_ms,
        "filter_ms": filter_ms,
        "drawn_nodes": counts[0],
        "drawn_edges": counts[1],
        "outside_requests": [u for u in requests if not u.startswith("file://")],
    }


def screenshot(page_path: Path, out: Path, focus: str | None = None) -> None:
    """Save a PNG of an explorer page (as docs/explorer.png is made), optionally searched for `focus` first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 820})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("window.explorerReady !== undefined", timeout=120_000)
        if focus:
            page.fill("#search", focus)
            page.press("#search", "Enter")
            page.evaluate("window.network.moveTo({scale: 0.9, animation: false})")
        page.screenshot(path=str(out))
        browser.close()


def main() -> None:
    """Build each synthetic graph, export the page, measure it in Chromium and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", nargs=2, metavar=("PAGE", "PNG"), help="only save a PNG of an explorer page")
    parser.add_argument("--focus", help="with --screenshot: search for this name first")
    parser.add_argument("--articles", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument(
        "--max-nodes",
        type=int,
        nargs="+",
        default=[DEFAULT_MAX_NODES, 0],
        help="limits to try; 0 means no limit",
    )
    args = parser.parse_args()
    if args.screenshot:
        screenshot(Path(args.screenshot[0]), Path(args.screenshot[1]), args.focus)
        return
    from playwright.sync_api import sync_playwright

    header = (
        f"{'articles':>8} {'triples':>8} {'limit':>6} {'nodes':>6} {'edges':>6} {'omitted':>7} {'project s':>9} "
        f"{'write s':>7} {'page MB':>7} {'draw s':>6} {'search ms':>9} {'zoomed ms':>9} {'filter ms':>9} {'net req':>7}"
    )
    print(header)
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for n in args.articles:
            store, triples = build_store(n)
            for limit in args.max_nodes:
                t0 = time.perf_counter()
                G = project(store.select, max_nodes=limit or None)
                t1 = time.perf_counter()
                if limit and G.graph["total_nodes"] <= limit:
                    continue  # the same page as without a limit
                path = Path(tmp) / f"bench-{n}-{limit}.html"
                write_html(G, path, title=f"bench {n}")
                t2 = time.perf_counter()
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                m = measure_page(page, path)
                page.close()
                print(
                    f"{n:>8} {triples:>8} {limit or '-':>6} {G.number_of_nodes():>6} {G.number_of_edges():>6} "
                    f"{G.graph.get('omitted_nodes', 0):>7} {t1 - t0:>9.2f} {t2 - t1:>7.2f} "
                    f"{path.stat().st_size / 1e6:>7.2f} {m['first_draw_s']:>6.2f} {m['search_ms']:>9.0f} "
                    f"{m['zoomed_redraw_ms']:>9.0f} "
                    f"{m['filter_ms']:>9.0f} {len(m['outside_requests']):>7}",
                    flush=True,
                )
        browser.close()


if __name__ == "__main__":
    main()
