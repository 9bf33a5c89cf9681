"""The explorer page: a projection written as one self-contained HTML page.

The page inlines vis-network (shipped by pyvis) and all data, so it opens offline from file://. Its
positions are pre-computed (kg.explorer.layout), so it is drawn at once and never has to settle. Article
strings reach the page only as JSON data, and the page's script shows them through DOM text nodes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.explorer.layout import layout
from kg.explorer.projection import collapse, loose_events
from kg.explorer.read import KIND_OF_CLASS, KINDS, safe_url

ENTITY_EVIDENCE_IN_PAGE = 3  # evidence sentences shown per entity (events show all theirs)

# Colour per class, shape per kind. Colours from the Tableau 10 palette; shades within a kind.
CLASS_COLOURS = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "GovernmentOrganization": "#e15759",
    "ArmedForce": "#9c3d2e",
    "Company": "#edc948",
    "PoliticalParty": "#ff9da7",
    "Country": "#59a14f",
    "Place": "#8cd17d",
    "City": "#86bcb6",
    "Region": "#b6992d",
    "Group": "#76b7b2",
    "Event": "#b07aa1",
}
KIND_SHAPES = {
    "person": "dot",
    "organization": "square",
    "country": "diamond",
    "place": "triangle",
    "group": "hexagon",
    "event": "box",
}
_ASSETS = "assets"
_VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"
_PLACEHOLDER = re.compile(r"/\*@([A-Z_]+)@\*/")


def page_data(G: nx.MultiDiGraph, *, collapsed: bool | None = None, title: str = "") -> dict:
    """Build the JSON the page draws: records (entities and events), edges of both views, legend, summary.

    Takes a projection (expanded, or already collapsed); returns a dict of plain JSON values. Node and article
    references are list indices; article URLs are http(s) only. Events that join no entity carry `loose`
    (the page hides them until asked) and are counted in the summary's `looseEvents`.
    """
    already_collapsed = bool(G.graph.get("collapsed"))
    expanded = None if already_collapsed else G
    folded = G if already_collapsed else collapse(G)
    positions = layout(G)

    article_index: dict[str, int] = {}
    articles: list[list] = []

    def art(iri: str | None) -> int:
        if iri is None:
            return -1
        if iri not in article_index:
            meta = G.graph.get("articles", {}).get(iri, {})
            article_index[iri] = len(articles)
            articles.append([iri, meta.get("headline", ""), meta.get("date") or "", safe_url(meta.get("url")) or ""])
        return article_index[iri]

    records: list[dict] = []
    index: dict[str, int] = {}
    for node in sorted(G.nodes, key=lambda n: (KINDS.index(G.nodes[n]["kind"]), n)):
        index[node] = len(records)
        records.append(_record(G.nodes[node], art, positions.get(node)))
    if already_collapsed:
        for _, _, data in sorted(G.edges(data=True), key=lambda e: e[2].get("event", "")):
            event = data.get("event")
            if data.get("kind") == "event" and event not in index:
                index[event] = len(records)
                records.append(_record({**data, "id": event, "kind": "event", "cls": data.get("type")}, art, None))
    for record in records:
        record["src"] = [index[s] for s in record.pop("source_ids", []) if s in index]
    loose = sorted(index[n] for n in loose_events(G)) if not already_collapsed else []
    for i in loose:
        records[i]["loose"] = True  # an event that joins no entity: hidden until the page is asked to show it

    labels: list[str] = []

    def label_code(text: str) -> int:
        if text not in labels:
            labels.append(text)
        return labels.index(text)

    def edge_rows(graph: nx.MultiDiGraph) -> list[list[int]]:
        rows = []
        for u, v, _, d in graph.edges(keys=True, data=True):
            if d.get("kind") == "event":
                rows.append([index[u], index[v], -1 - index[d["event"]]])  # negative: the event's record
            else:
                rows.append([index[u], index[v], label_code(d.get("label", ""))])
        return sorted(rows)

    class_counts: dict[str, int] = defaultdict(int)
    for record in records:
        if "x" in record:
            class_counts[record["cls"]] += 1
    legend = [
        {"cls": c, "kind": _kind_of(c), "count": class_counts[c]}
        for c in sorted(class_counts, key=lambda c: (KINDS.index(_kind_of(c)), c))
    ]
    graph = G.graph
    return {
        "title": title,
        "collapsed": already_collapsed if collapsed is None else bool(collapsed or already_collapsed),
        "canExpand": not already_collapsed,
        "records": records,
        "articles": articles,
        "labels": labels,
        "edges": edge_rows(expanded) if expanded is not None else [],
        "cedges": edge_rows(folded),
        "legend": legend,
        "colours": {c: CLASS_COLOURS.get(c, CLASS_COLOURS["Event"]) for c in class_counts},
        "shapes": KIND_SHAPES,
        "summary": {
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "totalNodes": graph.get("total_nodes", G.number_of_nodes()),
            "totalEdges": graph.get("total_edges", G.number_of_edges()),
            "omittedNodes": graph.get("omitted_nodes", 0),
            "omittedEdges": graph.get("omitted_edges", 0),
            "omittedByKind": json.loads(graph.get("omitted_by_kind", "{}")),
            "omittedExamples": graph.get("omitted_examples", ""),
            "maxNodes": graph.get("max_nodes"),
            "focus": graph.get("focus", ""),
            "hops": graph.get("hops"),
            "since": graph.get("since", ""),
            "until": graph.get("until", ""),
            "eventsNotDrawn": folded.graph.get("events_not_drawn", 0),
            "looseEvents": len(loose),
        },
    }


def _kind_of(cls: str) -> str:
    return KIND_OF_CLASS.get(cls, "event")


def _record(data: dict, art: Callable[[str | None], int], position: tuple[int, int] | None) -> dict:
    """One node as the page holds it: short keys, article references as indices, only what the page shows."""
    kind = data["kind"]
    record: dict = {"id": data["id"], "label": data.get("label", ""), "kind": kind, "cls": data.get("cls") or "Event"}
    if position is not None:
        record["x"], record["y"] = position
    record["c"] = data.get("centrality", 0.0)
    if data.get("date_min"):
        record["d0"] = data["date_min"]
    if data.get("date_max"):
        record["d1"] = data["date_max"]
    evidence = data.get("evidence", [])
    if kind != "event":
        evidence = evidence[:ENTITY_EVIDENCE_IN_PAGE]
        record.update(
            classes=data.get("classes", []),
            aliases=data.get("aliases", []),
            mc=data.get("mention_count", 0),
            arts=[art(a) for a in data.get("articles", [])],
            sameAs=[u for u in data.get("same_as", []) if safe_url(u)],
        )
        for key in ("size", "role", "position"):
            if data.get(key):
                record[key] = data[key]
    else:
        record.update(
            type=data.get("type", "Event"),
            trigger=data.get("trigger", ""),
            negated=bool(data.get("negated")),
            modality=data.get("modality", "Asserted"),
            sourceNames=data.get("sources", []),
            source_ids=data.get("source_ids", []),
        )
        for key in ("date", "time_text", "quantity", "amount", "currency", "reports", "mentions"):
            if data.get(key) is not None:
                record[key] = data[key]
    record["ev"] = [[e["sentence"], art(e.get("article"))] for e in evidence]
    return record


def script_json(value: object) -> str:
    """Serialise `value` as JSON that is safe inside an HTML <script> element.

    `<`, `>`, `&`, U+2028 and U+2029 are written as \\u escapes, so no string in the data can close the element,
    open a comment or break a JavaScript parser; JSON.parse gives the original strings back.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _asset(name: str) -> str:
    return resources.files("kg.explorer").joinpath(_ASSETS, name).read_text(encoding="utf-8")


def vis_network_js() -> str:
    """Return vis-network's minified JavaScript as shipped by pyvis, checked safe to inline in a <script>."""
    text = resources.files("pyvis").joinpath(_VIS_JS).read_text(encoding="utf-8")
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise RuntimeError("vis-network.min.js contains '</script' or '<!--' and cannot be inlined safely")
    return text


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(G: nx.MultiDiGraph, *, title: str = "newskg graph explorer", collapsed: bool | None = None) -> str:
    """Return the explorer page for a projection as one self-contained HTML string (no external resources).

    The page's Content-Security-Policy allows only its own two inline scripts (by hash) and no network access.
    """
    data = page_data(G, collapsed=collapsed, title=title)
    vis_js, app_js = vis_network_js(), _asset("explorer.js")
    parts = {
        "TITLE": _html_text(title),
        "CSP": f"default-src 'none'; script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
        "CSS": _asset("explorer.css"),
        "DATA": script_json(data),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
    }
    # One pass, so nothing substituted is ever searched for placeholders again.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("page.html"))


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_html(
    G: nx.MultiDiGraph, path: str | Path, *, title: str = "newskg graph explorer", collapsed: bool | None = None
) -> None:
    """Write the explorer page for a projection to `path` (UTF-8); the same graph always gives the same bytes.

    `collapsed` chooses the view the page opens in (events as nodes, or as actor → actor edges); the page
    has a switch for the other view unless G is already collapsed.
    """
    Path(path).write_text(render_html(G, title=title, collapsed=collapsed), encoding="utf-8", newline="\n")
