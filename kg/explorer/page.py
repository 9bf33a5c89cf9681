"""The graph explorer: a networkx projection of the store, written as a self-contained HTML page, GraphML or GEXF.

The projection reads the store through a `select(sparql) -> list[dict]` callable (so it works over any
store) and returns a `networkx.MultiDiGraph`:

- entity nodes (people, organizations, places, groups) with their label, aliases, classes, mention count,
  articles and evidence;
- event nodes joined to their participants by edges labelled with the role (agent → event → patient, place,
  recipient, reportedBy; a statement → the event it is about), or, with `collapse_events`, events folded
  into labelled actor → actor edges;
- the relations between entities (partOf, leaderOf, locatedIn, ...) as labelled edges.

The HTML page inlines vis-network (shipped by pyvis) and all data, so it opens offline from file://. Its
positions are pre-computed with networkx, so it is drawn at once and never has to settle. Article strings
reach the page only as JSON data, and the page's script shows them through DOM text nodes.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import heapq
import json
import math
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx

Select = Callable[[str], list[dict]]

KG = "https://w3id.org/newskg/ontology#"
PREFIXES = f"""PREFIX kg: <{KG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX schema: <https://schema.org/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""

# Entity classes, most specific first: a node's `cls` is the first of these it has.
ENTITY_CLASSES = (
    "GovernmentOrganization",
    "ArmedForce",
    "Company",
    "PoliticalParty",
    "Organization",
    "Country",
    "City",
    "Region",
    "Place",
    "Person",
    "Group",
)
KIND_OF_CLASS = {
    "Person": "person",
    "Organization": "organization",
    "GovernmentOrganization": "organization",
    "ArmedForce": "organization",
    "Company": "organization",
    "PoliticalParty": "organization",
    "Country": "country",
    "City": "place",
    "Region": "place",
    "Place": "place",
    "Group": "group",
}
KINDS = ("person", "organization", "country", "place", "group", "event")
ROLES = ("agent", "patient", "recipient", "place", "reportedBy")
RELATIONS = ("nationality", "memberOf", "partOf", "leaderOf", "founderOf", "locatedIn")
NOT_EVENT_CLASSES = frozenset({"Article", "Evidence"}) | frozenset(ENTITY_CLASSES)

DEFAULT_HOPS = 2
# Chosen by measurement (bench/explorer.py): at about this size the page is still drawn and
# interactive within a few seconds in headless Chromium on a 2-core machine.
DEFAULT_MAX_NODES = 2000
ENTITY_EVIDENCE_IN_PAGE = 3  # evidence sentences shown per entity (events show all theirs)

_Q_ENTITIES = (
    PREFIXES
    + "SELECT ?e ?cls ?label WHERE { ?e a ?cls ; rdfs:label ?label . VALUES ?cls { "
    + " ".join(f"kg:{c}" for c in ENTITY_CLASSES)
    + " } }"
)
_Q_ENTITY_VALUES = (
    PREFIXES + "SELECT ?e ?p ?v WHERE { ?e ?p ?v . VALUES ?p { skos:altLabel kg:mentionCount kg:mentionedIn owl:sameAs "
    "kg:size kg:role kg:position } }"
)
_Q_ARTICLES = (
    PREFIXES + "SELECT ?a ?headline ?date ?url WHERE { ?a a kg:Article . OPTIONAL { ?a schema:headline ?headline } "
    "OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a schema:url ?url } }"
)
_Q_EVENTS = PREFIXES + "SELECT ?ev ?cls ?trigger WHERE { ?ev kg:trigger ?trigger ; a ?cls . }"
_Q_EVENT_VALUES = (
    PREFIXES + "SELECT ?ev ?p ?v WHERE { ?ev kg:trigger ?t ; ?p ?v . VALUES ?p { kg:date kg:timeText kg:quantity "
    "kg:amount kg:currency kg:negated kg:modality } }"
)
_Q_LINKS = (
    PREFIXES
    + "SELECT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { "
    + " ".join(f"kg:{p}" for p in ROLES + RELATIONS + ("about",))
    + " } FILTER(isIRI(?o) || isBlank(?o)) }"
)
_Q_EVIDENCE = (
    PREFIXES + "SELECT ?s ?x ?sentence ?a ?begin WHERE { ?s kg:evidence ?x . ?x nif:anchorOf ?sentence . "
    "OPTIONAL { ?x kg:article ?a } OPTIONAL { ?x nif:beginIndex ?begin } }"
)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def local_name(iri: str) -> str:
    """Return the part of an IRI after its last '#' or '/' (the class or property name for kg: terms)."""
    return re.split(r"[#/]", str(iri))[-1]


def safe_url(url: object) -> str | None:
    """Return `url` if it is an absolute http(s) URL without white space or control characters, else None."""
    if not isinstance(url, str) or not url or re.search(r"[\s\x00-\x1f\x7f]", url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def date_interval(value: object, *, end: bool = False) -> str | None:
    """Return the first (or with `end`, the last) day of a date, year-month or year as YYYY-MM-DD, or None.

    Takes "2024-06-13" (or a dateTime starting so), "2024-06" or "2024".
    """
    if value is None:
        return None
    text = str(value).strip()
    m = re.match(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        return f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1] if end else 1
        return f"{year}-{month}-{last:02d}"
    return f"{year}-12-31" if end else f"{year}-01-01"


def _number(value: object) -> int | float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() and "." not in str(value) else number


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1")


def _event_label(trigger: str, negated: bool, modality: str) -> str:
    label = ("not " if negated else "") + trigger
    if modality and modality != "Asserted":
        label += f" ({modality.lower()})"
    return label


# ---------------------------------------------------------------------------------------------
# Reading the store
# ---------------------------------------------------------------------------------------------


def read_graph(select: Select) -> nx.MultiDiGraph:
    """Read every entity, event and relation from a store into the full (unfiltered) projection.

    Takes a `select(sparql) -> list[dict]` callable; returns a MultiDiGraph whose nodes are IRIs. Edge keys
    are role or relation names ("agent", "partOf", "about"); `G.graph["articles"]` maps article IRIs to
    {headline, date, url}.
    """
    articles: dict[str, dict] = {}
    for row in sorted(select(_Q_ARTICLES), key=lambda r: str(r["a"])):
        entry = articles.setdefault(str(row["a"]), {"headline": "", "date": None, "url": None})
        entry["headline"] = entry["headline"] or str(row.get("headline", ""))
        entry["date"] = entry["date"] or date_interval(row.get("date"))
        entry["url"] = entry["url"] or safe_url(row.get("url"))

    nodes: dict[str, dict] = {}
    for row in select(_Q_ENTITIES):
        node = nodes.setdefault(str(row["e"]), _new_entity(str(row["e"])))
        node["classes"].add(local_name(row["cls"]))
        node["labels"].add(str(row["label"]))
    for row in select(_Q_ENTITY_VALUES):
        node = nodes.get(str(row["e"]))
        if node is None:
            continue
        prop, value = local_name(row["p"]), row["v"]
        if prop == "altLabel":
            node["aliases"].add(str(value))
        elif prop == "mentionCount":
            node["mention_count"] = max(node["mention_count"], int(_number(value) or 0))
        elif prop == "mentionedIn":
            node["articles"].add(str(value))
        elif prop == "sameAs":
            node["same_as"].add(str(value))
        elif prop == "size":
            node["size"] = _number(value)
        elif prop == "role":
            node["role"] = str(value)
        elif prop == "position":
            node["position"].add(str(value))

    events: dict[str, dict] = {}
    for row in select(_Q_EVENTS):
        iri = str(row["ev"])
        if iri in nodes:
            continue
        event = events.setdefault(iri, _new_event(iri))
        cls = local_name(row["cls"])
        if cls not in NOT_EVENT_CLASSES and str(row["cls"]).startswith(KG):
            event["classes"].add(cls)
        event["triggers"].add(str(row["trigger"]))
    for row in select(_Q_EVENT_VALUES):
        event = events.get(str(row["ev"]))
        if event is not None:
            event["values"][local_name(row["p"])].add(row["v"])

    evidence: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in select(_Q_EVIDENCE):
        article = str(row["a"]) if "a" in row else None
        meta = articles.get(article, {}) if article else {}
        evidence[str(row["s"])][str(row["x"])] = {
            "sentence": str(row["sentence"]),
            "headline": meta.get("headline", ""),
            "date": meta.get("date"),
            "url": meta.get("url"),
            "article": article,
            "_order": (meta.get("date") or "", article or "", _number(row.get("begin")) or 0, str(row["x"])),
        }

    G = nx.MultiDiGraph(articles=articles)
    for iri in sorted(nodes):
        G.add_node(iri, **_entity_attributes(nodes[iri], articles, evidence.get(iri, {})))
    for iri in sorted(events):
        G.add_node(iri, **_event_attributes(events[iri], evidence.get(iri, {})))

    links = sorted({(str(r["s"]), local_name(r["p"]), str(r["o"])) for r in select(_Q_LINKS)})
    for subject, prop, obj in links:
        if subject not in G or obj not in G:
            continue
        if prop in ROLES and G.nodes[subject]["kind"] == "event":
            # agent -> event -> everyone else, so that paths read as sentences.
            source, target = (obj, subject) if prop == "agent" else (subject, obj)
            G.add_edge(source, target, key=prop, label=prop, role=prop, kind="role")
        elif prop == "about" and G.nodes[subject]["kind"] == "event" and G.nodes[obj]["kind"] == "event":
            G.add_edge(subject, obj, key=prop, label=prop, role=prop, kind="about")
        elif prop in RELATIONS and G.nodes[subject]["kind"] != "event" and G.nodes[obj]["kind"] != "event":
            G.add_edge(subject, obj, key=prop, label=prop, role=prop, kind="relation")
    _add_sources(G)
    return G


def _new_entity(iri: str) -> dict:
    return {
        "iri": iri,
        "classes": set(),
        "labels": set(),
        "aliases": set(),
        "mention_count": 0,
        "articles": set(),
        "same_as": set(),
        "size": None,
        "role": None,
        "position": set(),
    }


def _new_event(iri: str) -> dict:
    return {"iri": iri, "classes": set(), "triggers": set(), "values": defaultdict(set)}


def _sorted_evidence(items: dict[str, dict]) -> list[dict]:
    ordered = sorted(items.values(), key=lambda e: e["_order"])
    return [{k: v for k, v in e.items() if k != "_order"} for e in ordered]


def _entity_attributes(node: dict, articles: dict[str, dict], evidence: dict[str, dict]) -> dict:
    classes = sorted(node["classes"])
    cls = next(c for c in ENTITY_CLASSES if c in node["classes"])
    label = sorted(node["labels"], key=lambda s: (-len(s), s))[0]  # one label by contract; be robust anyway
    aliases = sorted((node["aliases"] | node["labels"]) - {label})
    arts = sorted(node["articles"], key=lambda a: (articles.get(a, {}).get("date") or "", a))
    dates = sorted(d for d in (articles.get(a, {}).get("date") for a in arts) if d)
    attrs = {
        "id": node["iri"],
        "label": label,
        "classes": classes,
        "cls": cls,
        "kind": KIND_OF_CLASS[cls],
        "aliases": aliases,
        "mention_count": node["mention_count"],
        "articles": arts,
        "same_as": sorted(node["same_as"]),
        "position": sorted(node["position"]),
        "evidence": _sorted_evidence(evidence),
        "date_min": dates[0] if dates else None,
        "date_max": dates[-1] if dates else None,
    }
    if node["size"] is not None:
        attrs["size"] = node["size"]
    if node["role"] is not None:
        attrs["role"] = node["role"]
    return attrs


def _event_attributes(event: dict, evidence: dict[str, dict]) -> dict:
    values = event["values"]
    specific = sorted(event["classes"] - {"Event"})
    cls = specific[0] if specific else "Event"
    trigger = sorted(event["triggers"])[0]
    negated = any(_boolean(v) for v in values.get("negated", ()))
    modalities = sorted(local_name(v) for v in values.get("modality", ()))
    modality = next((m for m in modalities if m != "Asserted"), "Asserted")
    dates = sorted(str(v) for v in values.get("date", ()))
    quantities = sorted(q for q in (_number(v) for v in values.get("quantity", ())) if q is not None)
    amounts = sorted(a for a in (_number(v) for v in values.get("amount", ())) if a is not None)
    items = _sorted_evidence(evidence)
    article_dates = sorted(e["date"] for e in items if e.get("date"))
    if dates:
        date_min, date_max = date_interval(dates[0]), date_interval(dates[-1], end=True)
    elif article_dates:
        date_min, date_max = article_dates[0], article_dates[-1]
    else:
        date_min = date_max = None
    attrs = {
        "id": event["iri"],
        "label": _event_label(trigger, negated, modality),
        "classes": sorted(event["classes"]) or ["Event"],
        "cls": cls,
        "kind": "event",
        "type": cls,
        "trigger": trigger,
        "date": dates[0] if dates else None,
        "time_text": sorted(str(v) for v in values.get("timeText", ()))[0] if values.get("timeText") else None,
        "quantity": quantities[0] if quantities else None,
        "amount": amounts[0] if amounts else None,
        "currency": sorted(str(v) for v in values.get("currency", ()))[0] if values.get("currency") else None,
        "negated": negated,
        "modality": modality,
        "sources": [],
        "source_ids": [],
        "evidence": items,
        "articles": sorted({e["article"] for e in items if e.get("article")}),
        "date_min": date_min,
        "date_max": date_max,
    }
    return {k: v for k, v in attrs.items() if v is not None}


def _add_sources(G: nx.MultiDiGraph) -> None:
    for node, data in G.nodes(data=True):
        if data["kind"] != "event":
            continue
        ids = sorted({v for _, v, k in G.out_edges(node, keys=True) if k == "reportedBy"})
        data["source_ids"] = ids
        data["sources"] = [G.nodes[i]["label"] for i in ids]


# ---------------------------------------------------------------------------------------------
# Shaping the projection
# ---------------------------------------------------------------------------------------------


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


def keep_most_central(G: nx.MultiDiGraph, max_nodes: int | None) -> nx.MultiDiGraph:
    """Keep the `max_nodes` most central nodes; returns a new graph.

    Entities rank by centrality (then mention count, then IRI). An event ranks just after its least central
    participant, so a kept event always keeps all its participants and the view stays connected; an event
    without participants ranks by its own centrality. What was left out is recorded in `G.graph`:
    `omitted_nodes`, `omitted_edges`, `omitted_by_kind` (JSON text), `omitted_examples` (the most central
    left-out entity labels, "; "-joined) and `max_nodes`.
    """
    if max_nodes is None or G.number_of_nodes() <= max_nodes:
        out = G.copy()
        out.graph.update(omitted_nodes=0, omitted_edges=0)
        return out
    ranked = sorted(G.nodes, key=lambda n: _rank_key(G, n))
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
) -> nx.MultiDiGraph:
    """Project the store into the graph the explorer and the GraphML/GEXF exports draw.

    Takes a `select` callable and options: `focus` (label, alias or IRI) with `hops`, a date range
    `since`/`until`, `max_nodes` (keep the most central; None keeps all) and `collapse_events`. Returns a
    MultiDiGraph whose nodes carry id, label, classes, kind, aliases, mention_count, articles, centrality
    (events also type, trigger, date, quantity, amount/currency, negated, modality, sources, evidence), and
    whose `graph` records the totals before the cut and what was omitted.
    """
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


# ---------------------------------------------------------------------------------------------
# GraphML and GEXF
# ---------------------------------------------------------------------------------------------


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
# HTML
# ---------------------------------------------------------------------------------------------

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


_SPACING = 110.0  # pixels between neighbouring nodes, roughly
_CORE = 300  # nodes per component laid out by force; the rest are placed around them
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout(G: nx.MultiDiGraph, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Pre-compute node positions in pixels with networkx; returns {node: (x, y)}, the same for the same graph.

    Each connected component gets a seeded spring layout (networkx, Fruchterman-Reingold) scaled so that a
    typical edge is ~110 px; in a component of more than 300 nodes only its most central connected core is laid
    out by force and every other node is placed, breadth-first, in a sunflower spiral around the neighbours
    already placed (linear time, so 10,000 nodes take seconds rather than minutes). Components are then packed
    in rows, largest first.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    weight = {n: (G.nodes[n].get("centrality", 0.0), simple.degree(n)) for n in simple}
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    placed = [_component_layout(simple.subgraph(c), weight, seed) for c in components]
    return _pack(placed)


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


def _pack(parts: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[int, int]]:
    """Put component layouts side by side in rows (largest first) and round to whole pixels."""
    boxes = []
    for pos in parts:
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + _SPACING, max(ys) - min(ys) + _SPACING))
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


def page_data(G: nx.MultiDiGraph, *, collapsed: bool | None = None, title: str = "") -> dict:
    """Build the JSON the page draws: records (entities and events), edges of both views, legend, summary.

    Takes a projection (expanded, or already collapsed); returns a dict of plain JSON values. Node and article
    references are list indices; article URLs are http(s) only.
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
        for key in ("date", "time_text", "quantity", "amount", "currency"):
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
