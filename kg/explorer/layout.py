"""The page's pre-computed layout: node positions in pixels, so the page is drawn at once and never has to settle."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict, deque

import networkx as nx

from kg.explorer.projection import loose_events

_SPACING = 110.0  # pixels between neighbouring nodes, roughly
_CORE = 300  # nodes per component laid out by force; the rest are placed around them
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout(G: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Pre-compute node positions in pixels with networkx; returns {node: (x, y)}, the same for the same graph.

    Each connected component gets a seeded spring layout (networkx, Fruchterman-Reingold) scaled so that a
    typical edge is ~110 px; in a component of more than 300 nodes only its most central connected core is laid
    out by force and every other node is placed, breadth-first, in a sunflower spiral around the neighbours
    already placed (linear time, so 10,000 nodes take seconds rather than minutes). Components are then packed
    in rows, largest first; the components without an entity (events that join no entity, which the page
    hides until asked) are packed apart, in a block below the rest, so they never spread the connected part.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    weight = {n: (G.nodes[n].get("centrality", 0.0), simple.degree(n)) for n in simple}
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    apart = loose_events(G)
    joined = [c for c in components if not c <= apart]
    loose = [c for c in components if c <= apart]
    out = _pack([_component_layout(simple.subgraph(c), weight, seed) for c in joined])
    below = max((y for _, y in out.values()), default=-_SPACING) + 2 * _SPACING
    # Rows half as tall: these are mostly lone event boxes, wider than high.
    block = _pack([_component_layout(simple.subgraph(c), weight, seed) for c in loose], row_gap=_SPACING / 2)
    for node, (x, y) in block.items():
        out[node] = (x, round(y + below))
    return out


def _component_layout(C: nx.Graph, weight: dict, seed: int) -> dict[str, tuple[float, float]]:
    nodes = sorted(C.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) <= _CORE:
        return _spring(C, nodes, seed)
    # Grow a connected core from the most central node, always taking the most central node on its border.
    by_rank = sorted(nodes, key=lambda n: (-weight[n][0], -weight[n][1], n))
    rank = {n: i for i, n in enumerate(by_rank)}
    core, border = {by_rank[0]}, [(rank[m], m) for m in C.neighbors(by_rank[0])]
    heapq.heapify(border)
    while border and len(core) < _CORE:
        _, node = heapq.heappop(border)
        if node in core:
            continue
        core.add(node)
        for m in C.neighbors(node):
            if m not in core:
                heapq.heappush(border, (rank[m], m))
    pos = _spring(C.subgraph(core), sorted(core), seed, spacing=1.6 * _SPACING)
    # Place the rest breadth-first from the core, each around the mean of its placed neighbours.
    queue = deque(sorted(core, key=rank.__getitem__))
    children: dict[str, int] = defaultdict(int)
    while queue:
        parent = queue.popleft()
        for node in sorted(C.neighbors(parent), key=rank.__getitem__):
            if node in pos:
                continue
            anchors = [pos[m] for m in C.neighbors(node) if m in pos]
            cx = sum(x for x, _ in anchors) / len(anchors)
            cy = sum(y for _, y in anchors) / len(anchors)
            k = children[parent]
            children[parent] += 1
            radius = _SPACING * (0.6 * math.sqrt(k + 1) if len(anchors) == 1 else 0.3)
            angle = k * _GOLDEN_ANGLE + rank[parent]
            pos[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
            queue.append(node)
    return pos


def _spring(C: nx.Graph, nodes: list[str], seed: int, spacing: float = _SPACING) -> dict[str, tuple[float, float]]:
    """Spring layout of a (small) graph, scaled so that the median edge is `spacing` long."""
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(C.edges()))
    raw = nx.spring_layout(ordered, seed=seed, iterations=100 if len(nodes) < 100 else 50)
    lengths = sorted(math.dist(raw[u], raw[v]) for u, v in ordered.edges())
    median = lengths[len(lengths) // 2] if lengths else 1.0
    factor = spacing / (median or 1.0)
    return {n: (float(raw[n][0]) * factor, float(raw[n][1]) * factor) for n in nodes}


def _pack(parts: list[dict[str, tuple[float, float]]], row_gap: float = _SPACING) -> dict[str, tuple[int, int]]:
    """Put component layouts side by side in rows (largest first), `row_gap` px apart, rounded to whole pixels."""
    boxes = []
    for pos in parts:
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + _SPACING, max(ys) - min(ys) + row_gap))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max([math.sqrt(area) * 1.2] + [w for _, _, w, _ in boxes[:1]])
    out: dict[str, tuple[int, int]] = {}
    x = y = row_height = 0.0
    for pos, (left, top, w, h) in zip(parts, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in pos.items():
            out[node] = (round(px - left + x), round(py - top + y))
        x += w
        row_height = max(row_height, h)
    return out
