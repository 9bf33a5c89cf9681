"""The graph files: the projection as GraphML or GEXF, and `export_graph`, the one call the CLI makes for any
graph format (html, graphml, gexf)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kg.explorer.page import write_html
from kg.explorer.projection import project
from kg.explorer.read import Select


def _flat(value: object) -> object:
    """Return a value GraphML/GEXF can hold: scalars as they are, lists of scalars "; "-joined, the rest as JSON."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of G whose graph, node and edge attributes are all GraphML/GEXF-safe (None dropped)."""
    out = nx.MultiDiGraph()
    out.graph.update({k: _flat(v) for k, v in G.graph.items() if v is not None and k != "articles"})
    out.add_nodes_from((n, {k: _flat(v) for k, v in d.items() if v is not None}) for n, d in G.nodes(data=True))
    for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
        attrs = {a: _flat(x) for a, x in d.items() if x is not None and a != "id"}
        out.add_edge(u, v, key=k, id=f"e{i}", **attrs)
    return out


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the projection as GraphML (lists "; "-joined, evidence as JSON text)."""
    nx.write_graphml(flat_copy(G), str(path), encoding="utf-8", prettyprint=True)


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> None:
    """Write the projection as GEXF 1.2 (lists "; "-joined, evidence as JSON text)."""
    flat = flat_copy(G)
    for _, data in flat.nodes(data=True):
        data.pop("id", None)  # the node key is the IRI already; networkx would read `id` as the GEXF id
    nx.write_gexf(flat, str(path), encoding="utf-8", prettyprint=True)


# ---------------------------------------------------------------------------------------------
# The one call the CLI makes
# ---------------------------------------------------------------------------------------------

FORMATS = ("html", "graphml", "gexf")


def export_graph(select: Select, path: str | Path, fmt: str, **options) -> dict:
    """Project the store and write it as html, graphml or gexf.

    Takes a `select` callable, the output path, the format and project()'s options (focus, hops, max_nodes,
    since, until, collapse_events; a None value means the default, max_nodes=0 no limit). For html the page
    holds both views and opens in the one `collapse_events` asks for. Returns {"nodes", "edges", "omitted"}
    (omitted = nodes left out by max_nodes).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}: choose one of {', '.join(FORMATS)}")
    options = {k: v for k, v in options.items() if v is not None}
    unknown = set(options) - {"focus", "hops", "max_nodes", "since", "until", "collapse_events", "title"}
    if unknown:
        raise ValueError(f"unknown export option(s): {', '.join(sorted(unknown))}")
    title = options.pop("title", "newskg graph explorer")
    collapse = bool(options.pop("collapse_events", False))
    if options.get("max_nodes") == 0:  # --max-nodes 0: no limit
        options["max_nodes"] = None
    if fmt == "html":
        G = project(select, collapse_events=False, **options)
        write_html(G, path, title=title, collapsed=collapse)
    else:
        G = project(select, collapse_events=collapse, **options)
        (write_graphml if fmt == "graphml" else write_gexf)(G, path)
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "omitted": G.graph.get("omitted_nodes", 0)}
