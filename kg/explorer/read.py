"""Reading the store into networkx: the full, unfiltered projection the explorer and the graph files start from.

The store is read through a `select(sparql) -> list[dict]` callable (so it works over any store) into a
`networkx.MultiDiGraph`:

- entity nodes (people, organizations, places, groups) with their label, aliases, classes, mention count,
  articles and evidence;
- event nodes joined to their participants by edges labelled with the role (agent → event → patient, place,
  recipient, reportedBy; a statement → the event it is about);
- the relations between entities (partOf, leaderOf, locatedIn, ...) as labelled edges.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit

import networkx as nx

from kg.explorer.instances import instance_of, merge_instances, merged_iri

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

    instances = instance_of(select)
    merge_instances(events, evidence, instances)

    G = nx.MultiDiGraph(articles=articles)
    for iri in sorted(nodes):
        G.add_node(iri, **_entity_attributes(nodes[iri], articles, evidence.get(iri, {})))
    for iri in sorted(events):
        G.add_node(iri, **_event_attributes(events[iri], evidence.get(iri, {})))

    links = sorted(
        {
            (merged_iri(str(r["s"]), instances, events), local_name(r["p"]), merged_iri(str(r["o"]), instances, events))
            for r in select(_Q_LINKS)
        }
    )
    for subject, prop, obj in links:
        if subject not in G or obj not in G:
            continue
        if prop in ROLES and G.nodes[subject]["kind"] == "event":
            # agent -> event -> everyone else, so that paths read as sentences.
            source, target = (obj, subject) if prop == "agent" else (subject, obj)
            G.add_edge(source, target, key=prop, label=prop, role=prop, kind="role")
        elif prop == "about" and subject != obj and G.nodes[subject]["kind"] == G.nodes[obj]["kind"] == "event":
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
        "label": _event_label(trigger, negated, modality) + _sources_suffix(event.get("reports", 0)),
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
        "mentions": event.get("mentions"),
        "reports": event.get("reports"),
        "date_min": date_min,
        "date_max": date_max,
    }
    return {k: v for k, v in attrs.items() if v is not None}


def _sources_suffix(reports: int) -> str:
    """A merged event reported by several articles says so in its label: " · 3 sources"."""
    return f" · {reports} sources" if reports > 1 else ""


def _add_sources(G: nx.MultiDiGraph) -> None:
    for node, data in G.nodes(data=True):
        if data["kind"] != "event":
            continue
        ids = sorted({v for _, v, k in G.out_edges(node, keys=True) if k == "reportedBy"})
        data["source_ids"] = ids
        data["sources"] = [G.nodes[i]["label"] for i in ids]
