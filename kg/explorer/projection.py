"""Shaping the projection: a date range, a focus and its neighbourhood, centrality, the most central nodes,
and events folded into actor → actor edges; `project` chains them over `read_graph`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.explorer.read import KINDS, Select, date_interval, read_graph
from kg.explorer.window import WINDOW_ARTICLES, recent_articles, window_select

DEFAULT_HOPS = 2
# Chosen by measurement (bench/explorer.py): at about this size the page is still drawn and
# interactive within a few seconds in headless Chromium on a 2-core machine.
DEFAULT_MAX_NODES = 2000


def filter_dates(G: nx.MultiDiGraph, since: str | None = None, until: str | None = None) -> nx.MultiDiGraph:
    """Keep the nodes whose dates overlap [since, until]; returns a new graph.

    Takes dates as YYYY, YYYY-MM or YYYY-MM-DD. An event's dates are its kg:date (a month or year covers all
    its days), else its articles' publication dates; an entity's are its articles' publication dates.
    Undated nodes are kept.
    """
    start = date_interval(since) if since else None
    stop = date_interval(until, end=True) if until else None
    if since and not start or until and not stop:
        raise ValueError(f"cannot read the date range since={since!r} until={until!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    if not start and not stop:
        return G
    articles = G.graph.get("articles", {})

    def overlaps(lo: str | None, hi: str | None) -> bool:
        return not (start and hi and hi < start) and not (stop and lo and lo > stop)

    keep = []
    for node, data in G.nodes(data=True):
        if data["kind"] == "event":
            ok = overlaps(data.get("date_min"), data.get("date_max"))
        else:
            dates = [articles.get(a, {}).get("date") for a in data.get("articles", ())]
            dates = [d for d in dates if d]
            ok = not dates or any(overlaps(d, d) for d in dates)
        if ok:
            keep.append(node)
    return _subgraph(G, keep)


def find_nodes(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Return the nodes a user means by `name`, sorted.

    Takes a label, alias or IRI; matches labels and aliases case-insensitively, and falls back to the
    nodes whose label contains `name`. Returns [] when nothing matches.
    """
    wanted = name.strip().casefold()
    exact = [
        n
        for n, d in G.nodes(data=True)
        if n == name or d["label"].casefold() == wanted or any(a.casefold() == wanted for a in d.get("aliases", ()))
    ]
    if exact:
        return sorted(exact)
    return sorted(n for n, d in G.nodes(data=True) if wanted and wanted in d["label"].casefold())


def neighbourhood(G: nx.MultiDiGraph, focus: str, hops: int = DEFAULT_HOPS) -> nx.MultiDiGraph:
    """Keep the nodes within `hops` edges (either direction) of the nodes matching `focus`; returns a new graph.

    Raises LookupError when no node matches `focus`.
    """
    seeds = find_nodes(G, focus)
    if not seeds:
        raise LookupError(f"no entity or event matches --focus {focus!r}")
    undirected = G.to_undirected(as_view=True)
    seen = set(seeds)
    frontier = set(seeds)
    for _ in range(max(0, hops)):
        frontier = {m for n in frontier for m in undirected.neighbors(n)} - seen
        seen |= frontier
    out = _subgraph(G, seen)
    out.graph["focus"] = focus
    out.graph["hops"] = hops
    return out


def add_centrality(G: nx.MultiDiGraph) -> None:
    """Set each node's `centrality` to its PageRank on the undirected simple graph (rounded; sums to ~1)."""
    if G.number_of_nodes() == 0:
        return
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    ranks = nx.pagerank(simple, alpha=0.85, tol=1e-10, max_iter=200)
    for node, rank in ranks.items():
        G.nodes[node]["centrality"] = round(float(rank), 8)


def collapse(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Fold each event into labelled actor → actor edges; returns a new graph without event nodes.

    Each agent gets an edge to each patient and recipient, labelled with the event's trigger and carrying the
    event's attributes; an event with agents or patients but no such pair links them to its place instead.
    Events that join fewer than two entities (a flood in a place, a statement) are left out and counted in
    `G.graph["events_not_drawn"]`.
    """
    out = nx.MultiDiGraph(**G.graph)
    out.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d["kind"] != "event")
    out.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in G.edges(keys=True, data=True)
        if G.nodes[u]["kind"] != "event" and G.nodes[v]["kind"] != "event"
    )
    not_drawn = 0
    for event, data in G.nodes(data=True):
        if data["kind"] != "event":
            continue
        pairs = collapsed_pairs(G, event)
        if not pairs:
            not_drawn += 1
        for source, target in pairs:
            attrs = {k: v for k, v in data.items() if k not in ("id", "label", "kind", "classes", "cls", "centrality")}
            out.add_edge(source, target, key=event, label=data["label"], kind="event", event=event, **attrs)
    out.graph["collapsed"] = True
    out.graph["events_not_drawn"] = not_drawn
    return out


def collapsed_pairs(G: nx.MultiDiGraph, event: str) -> list[tuple[str, str]]:
    """Return the (source, target) entity pairs an event becomes when events are collapsed, sorted."""
    by_role: dict[str, list[str]] = defaultdict(list)
    for source, _, key in G.in_edges(event, keys=True):
        if key == "agent" and G.nodes[source]["kind"] != "event":
            by_role["agent"].append(source)
    for _, target, key in G.out_edges(event, keys=True):
        if key in ("patient", "recipient", "place") and G.nodes[target]["kind"] != "event":
            by_role[key].append(target)
    agents, targets = by_role["agent"], by_role["patient"] + by_role["recipient"]
    pairs = {(a, t) for a in agents for t in targets if a != t}
    if not pairs:
        pairs = {(a, p) for a in agents + targets for p in by_role["place"] if a != p}
    return sorted(pairs)


def loose_events(G: nx.MultiDiGraph) -> set[str]:
    """Return the events that join no entity: those whose connected component (either direction) holds no entity.

    A statement about an event that has participants is joined through it, so it is not loose.
    """
    components = nx.connected_components(G.to_undirected(as_view=True))
    return {n for c in components if all(G.nodes[m].get("kind") == "event" for m in c) for n in c}


def keep_most_central(G: nx.MultiDiGraph, max_nodes: int | None) -> nx.MultiDiGraph:
    """Keep the `max_nodes` most central nodes; returns a new graph.

    Entities rank by centrality (then mention count, then IRI). An event ranks just after its least central
    participant, so a kept event always keeps all its participants and the view stays connected; an event
    without participants ranks by its own centrality, and events that join no entity (`loose_events`) rank
    last. What was left out is recorded in `G.graph`: `omitted_nodes`, `omitted_edges`, `omitted_by_kind`
    (JSON text), `omitted_examples` (the most central left-out entity labels, "; "-joined) and `max_nodes`.
    """
    if max_nodes is None or G.number_of_nodes() <= max_nodes:
        out = G.copy()
        out.graph.update(omitted_nodes=0, omitted_edges=0)
        return out
    apart = loose_events(G)
    ranked = sorted(G.nodes, key=lambda n: (n in apart, _rank_key(G, n)))
    keep = set(ranked[: max(0, max_nodes)])
    out = _subgraph(G, keep)
    left_out = [n for n in ranked if n not in keep]
    by_kind: dict[str, int] = defaultdict(int)
    for node in left_out:
        by_kind[G.nodes[node]["kind"]] += 1
    examples = [G.nodes[n]["label"] for n in left_out if G.nodes[n]["kind"] != "event"][:10]
    out.graph.update(
        omitted_nodes=len(left_out),
        omitted_edges=G.number_of_edges() - out.number_of_edges(),
        omitted_by_kind=json.dumps({k: by_kind[k] for k in KINDS if by_kind[k]}),
        omitted_examples="; ".join(examples),
        max_nodes=max_nodes,
    )
    return out


def _rank_key(G: nx.MultiDiGraph, node: str) -> tuple:
    data = G.nodes[node]
    own = (-data.get("centrality", 0.0), -data.get("mention_count", 0), node)
    if data["kind"] != "event":
        return (*own, 0, "")
    participants = [m for m in nx.all_neighbors(G, node) if G.nodes[m]["kind"] != "event"]
    if not participants:
        return (*own, 1, node)
    weakest = max(_rank_key(G, m) for m in participants)
    return (*weakest[:3], 1, node)


def _subgraph(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """Return an independent copy of the subgraph on `nodes`, nodes and edges in G's order."""
    wanted = set(nodes)
    out = nx.MultiDiGraph(**G.graph)
    out.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in wanted)
    out.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in wanted and v in wanted)
    return out


def project(
    select: Select,
    *,
    focus: str | None = None,
    hops: int = DEFAULT_HOPS,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    since: str | None = None,
    until: str | None = None,
    collapse_events: bool = False,
    window_articles: int = WINDOW_ARTICLES,
) -> nx.MultiDiGraph:
    """Project the store into the graph the explorer and the GraphML/GEXF exports draw.

    Takes a `select` callable and options: `focus` (label, alias or IRI) with `hops`, a date range
    `since`/`until`, `max_nodes` (keep the most central; None keeps all) and `collapse_events`. Returns a
    MultiDiGraph whose nodes carry id, label, classes, kind, aliases, mention_count, articles, centrality
    (events also type, trigger, date, quantity, amount/currency, negated, modality, sources, evidence), and
    whose `graph` records the totals before the cut and what was omitted. With no focus and no date range,
    a store of more than `window_articles` articles opens on its last week (kg.explorer.window).
    """
    if not (focus or since or until):
        window = recent_articles(select, threshold=window_articles)
        if window:
            since, select = window[0], window_select(select, window[1])
    G = read_graph(select)
    G = filter_dates(G, since, until)
    if collapse_events:
        G = collapse(G)
    if focus:
        G = neighbourhood(G, focus, hops)
    add_centrality(G)
    total_nodes, total_edges = G.number_of_nodes(), G.number_of_edges()
    G = keep_most_central(G, max_nodes)
    G.graph.update(total_nodes=total_nodes, total_edges=total_edges, since=since or "", until=until or "")
    G.graph.setdefault("collapsed", False)
    return G
