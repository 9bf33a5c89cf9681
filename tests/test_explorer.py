"""Tests of kg/explorer/ without a browser: the projection, its switches, the exports and the page's safety."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.explorer.formats import FORMATS, export_graph, write_gexf, write_graphml
from kg.explorer.layout import layout
from kg.explorer.page import page_data, render_html, script_json, vis_network_js, write_html
from kg.explorer.projection import add_centrality, collapse, find_nodes, keep_most_central, loose_events, project
from kg.explorer.read import date_interval, safe_url

DATA = Path(__file__).parent / "data" / "explorer"
ID = "https://w3id.org/newskg/id/"
CAPTURE = ID + "event/a1-capture"
PPA = ID + "organization/Police_and_Border_Guard_Board"
TWO_MEN = ID + "group/a1-two_men"
ESTONIA = ID + "place/Q191"
KALLAS = ID + "person/Kaja_Kallas"


@pytest.fixture(scope="module")
def small(trig_store):
    return trig_store(DATA / "small.trig")


@pytest.fixture(scope="module")
def hostile(trig_store):
    return trig_store(DATA / "hostile.trig")


@pytest.fixture(scope="module")
def full(small):
    return project(small.select)


def embedded_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.DOTALL)
    assert match, "no data element"
    return json.loads(match.group(1))


# --- projection ----------------------------------------------------------------------------------


def test_projection_has_every_entity_event_and_link(full):
    kinds = Counter(d["kind"] for _, d in full.nodes(data=True))
    assert kinds == {"person": 2, "organization": 4, "country": 3, "place": 3, "group": 2, "event": 10}
    assert full.number_of_edges() == 30  # 21 role/about edges + 9 relations
    assert Counter(d["kind"] for _, _, d in full.edges(data=True)) == {"role": 18, "about": 3, "relation": 9}
    assert full.graph["omitted_nodes"] == 0


def test_entity_attributes(full):
    estonia = full.nodes[ESTONIA]
    assert estonia["label"] == "Estonia"
    assert estonia["classes"] == ["Country", "Place"]
    assert (estonia["cls"], estonia["kind"]) == ("Country", "country")
    assert estonia["mention_count"] == 4
    assert estonia["articles"] == [ID + "article/a1", ID + "article/a2", ID + "article/a3"]  # by date
    assert estonia["same_as"] == ["http://www.wikidata.org/entity/Q191"]
    ppa = full.nodes[PPA]
    assert (ppa["cls"], ppa["kind"], ppa["aliases"]) == ("GovernmentOrganization", "organization", ["PPA"])
    group = full.nodes[TWO_MEN]
    assert (group["kind"], group["size"], group["role"]) == ("group", 2, "man")
    assert all(0 < d["centrality"] < 1 for _, d in full.nodes(data=True))
    assert max(full.nodes, key=lambda n: full.nodes[n]["centrality"]) == ESTONIA


def test_event_attributes_and_provenance(full):
    capture = full.nodes[CAPTURE]
    assert (capture["type"], capture["trigger"], capture["date"], capture["quantity"]) == (
        "Capture",
        "detain",
        "2024-03-13",
        2,
    )
    assert (capture["negated"], capture["modality"]) == (False, "Asserted")
    assert capture["sources"] == ["Police and Border Guard Board"]
    [evidence] = capture["evidence"]
    assert evidence["sentence"].startswith("Border officers from Estonia's police board")
    assert evidence["headline"] == "Estonian officers detain two men at the Narva crossing"
    assert (evidence["date"], evidence["url"]) == ("2024-03-14", "https://news.example.org/2024/03/narva-crossing")
    died = full.nodes[ID + "event/a3-die"]
    assert (died["negated"], died["label"], died["evidence"][0]["url"]) == (True, "not die", None)
    deal = full.nodes[ID + "event/a2-buy"]
    assert (deal["amount"], deal["currency"], deal["modality"], deal["label"]) == (
        2_000_000_000,
        "USD",
        "Planned",
        "purchase (planned)",
    )
    assert (deal["date_min"], deal["date_max"]) == ("2024-06-01", "2024-06-30")


def test_roles_read_agent_to_event_to_patient(full):
    assert full.has_edge(PPA, CAPTURE, key="agent")
    assert full.has_edge(CAPTURE, TWO_MEN, key="patient")
    assert full.has_edge(CAPTURE, PPA, key="reportedBy")
    assert full.has_edge(ID + "event/a1-say", CAPTURE, key="about")
    assert full.has_edge(KALLAS, ESTONIA, key="leaderOf")
    assert full.edges[PPA, CAPTURE, "agent"]["label"] == "agent"


def test_collapse_folds_events_into_labelled_actor_edges(small):
    folded = project(small.select, collapse_events=True)
    assert folded.number_of_nodes() == 14
    assert all(d["kind"] != "event" for _, d in folded.nodes(data=True))
    assert folded.number_of_edges() == 14  # 5 event edges + 9 relations
    assert folded.graph["events_not_drawn"] == 5  # statements, the flood, the negated death
    [(key, edge)] = folded.get_edge_data(PPA, TWO_MEN).items()
    assert (key, edge["label"], edge["type"], edge["date"]) == (CAPTURE, "detain", "Capture", "2024-03-13")
    assert edge["evidence"][0]["headline"].startswith("Estonian officers")
    residents = ID + "group/a3-residents"
    assert folded.get_edge_data(residents, ID + "place/Valencia")[ID + "event/a3-flee"]["label"] == "leave"


def test_focus_and_hops(small):
    one = project(small.select, focus="kallas", hops=1)  # an alias, any case
    assert set(one.nodes) == {KALLAS, ID + "event/a1-warn", ESTONIA}
    two = project(small.select, focus="Kaja Kallas", hops=2)
    assert set(one.nodes) < set(two.nodes)
    assert {ID + "event/a1-send", PPA, ID + "place/Narva", ID + "event/a3-send"} <= set(two.nodes)
    assert ID + "organization/Globex" not in two
    assert two.graph["focus"] == "Kaja Kallas"
    with pytest.raises(LookupError, match="Nobody"):
        project(small.select, focus="Nobody At All")


def test_max_nodes_keeps_the_most_central_and_their_events(small, full):
    cut = project(small.select, max_nodes=8)
    assert cut.number_of_nodes() <= 8
    assert cut.graph["omitted_nodes"] == 24 - cut.number_of_nodes()
    assert cut.graph["omitted_edges"] == 30 - cut.number_of_edges()
    entities = [n for n in full if full.nodes[n]["kind"] != "event"]
    top = sorted(entities, key=lambda n: -full.nodes[n]["centrality"])[:3]
    assert set(top) <= set(cut.nodes)
    for node, data in cut.nodes(data=True):  # no event without all its participants
        if data["kind"] == "event":
            participants = [m for m in nx.all_neighbors(full, node) if full.nodes[m]["kind"] != "event"]
            assert all(m in cut for m in participants)
    by_kind = json.loads(cut.graph["omitted_by_kind"])
    assert sum(by_kind.values()) == cut.graph["omitted_nodes"]
    summary = page_data(cut)["summary"]
    assert (summary["omittedNodes"], summary["totalNodes"], summary["maxNodes"]) == (24 - len(cut), 24, 8)


def test_date_filter(small):
    recent = project(small.select, since="2025-01-01")
    assert sum(d["kind"] == "event" for _, d in recent.nodes(data=True)) == 4
    assert recent.number_of_nodes() == 9  # the a3 events and the five entities its article mentions
    early = project(small.select, until="2024-03")
    triggers = {d["trigger"] for _, d in early.nodes(data=True) if d["kind"] == "event"}
    assert triggers == {"detain", "say", "warn", "send"}
    assert early.number_of_nodes() == 10
    # A month-precise date overlaps a range inside that month; day-precise article dates outside do not.
    mid_june = project(small.select, since="2024-06-15", until="2024-12")
    assert set(mid_june.nodes) == {ID + "event/a2-buy"}
    with pytest.raises(ValueError, match="date range"):
        project(small.select, since="last week")


def test_find_nodes_prefers_exact_names(full):
    assert find_nodes(full, "PPA") == [PPA]
    assert find_nodes(full, "estonia") == [ESTONIA]
    assert find_nodes(full, "Valencia") == [ID + "place/Valencia"]
    assert find_nodes(full, "Border Guard") == [PPA]
    assert find_nodes(full, "zzz") == []


# --- helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://EXAMPLE.ORG/", "HTTP://EXAMPLE.ORG/"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("https://exa mple.org/", None),
        ("//example.org/x", None),
        ("https:alert(1)", None),
        (None, None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_date_interval():
    assert date_interval("2024") == "2024-01-01"
    assert date_interval("2024", end=True) == "2024-12-31"
    assert date_interval("2024-02", end=True) == "2024-02-29"
    assert date_interval("2024-02-10T08:00:00Z") == "2024-02-10"
    assert date_interval("soon") is None


@given(st.text())
def test_script_json_round_trips_and_never_holds_markup(text):
    encoded = script_json({"s": text, "list": [text]})
    assert json.loads(encoded) == {"s": text, "list": [text]}
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}


def test_layout_places_every_node_deterministically():
    G = nx.MultiDiGraph()
    graph = nx.barabasi_albert_graph(420, 2, seed=3)  # bigger than one force-laid core
    for node in graph:
        G.add_node(f"n{node:03d}", kind="person", centrality=graph.degree(node) / 1000)
    G.add_edges_from((f"n{u:03d}", f"n{v:03d}") for u, v in graph.edges())
    G.add_node("lonely", kind="person")
    first, second = layout(G), layout(G)
    assert first == second
    assert set(first) == set(G.nodes)
    assert len(set(first.values())) == len(first)  # no two nodes on the same spot


def graph_with_loose_events() -> nx.MultiDiGraph:
    """Two people joined by a meeting, a statement about it, and events that join no entity (one pair of them)."""
    G = nx.MultiDiGraph()
    for node, kind in [("ann", "person"), ("bo", "person"), ("meet", "event"), ("say", "event")]:
        G.add_node(node, id=node, label=node, kind=kind, cls="Person" if kind == "person" else "Event")
    G.add_edge("ann", "meet", key="agent", label="agent", kind="role")
    G.add_edge("meet", "bo", key="patient", label="patient", kind="role")
    G.add_edge("say", "meet", key="about", label="about", kind="about")  # joined through the meeting
    for k in range(12):
        G.add_node(f"rain{k:02d}", id=f"rain{k:02d}", label="rain", kind="event", cls="Event")
    G.add_edge("rain00", "rain01", key="about", label="about", kind="about")
    return G


def test_events_that_join_no_entity_are_marked_and_laid_out_apart():
    G = graph_with_loose_events()
    loose = {f"rain{k:02d}" for k in range(12)}
    assert loose_events(G) == loose
    pos = layout(G)
    assert pos == layout(G)
    lowest_joined = max(pos[n][1] for n in ("ann", "bo", "meet", "say"))
    assert all(pos[n][1] > lowest_joined + 100 for n in loose)  # a block of their own, below the rest
    data = page_data(G)
    marked = {r["id"] for r in data["records"] if r.get("loose")}
    assert marked == loose and data["summary"]["looseEvents"] == 12
    assert page_data(collapse(G))["summary"]["looseEvents"] == 0  # the collapsed view draws no events
    add_centrality(G)
    assert set(keep_most_central(G, 4).nodes) == {"ann", "bo", "meet", "say"}  # a cut drops them first


# --- HTML ----------------------------------------------------------------------------------------


def test_page_is_self_contained_and_deterministic(small, full, tmp_path, trig_store):
    html = render_html(full, title="Test")
    assert html == render_html(project(trig_store(DATA / "small.trig").select), title="Test")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert "default-src 'none'" in html
    # the data, vis-network, the explorer (vis-network's code holds the string "<script" itself)
    assert html.count("<script") == 3 + vis_network_js().count("<script")
    data = embedded_data(html)
    assert len([r for r in data["records"] if "x" in r]) == 24
    assert (len(data["edges"]), len(data["cedges"])) == (30, 14)
    path = tmp_path / "graph.html"
    write_html(full, path, title="Test")
    assert path.read_text(encoding="utf-8") == html


def test_page_carries_provenance_for_the_panel(full):
    data = embedded_data(render_html(full))
    records = {r["id"]: r for r in data["records"]}
    capture = records[CAPTURE]
    sentence, article = capture["ev"][0]
    assert sentence.startswith("Border officers")
    assert data["articles"][article][1:] == [
        "Estonian officers detain two men at the Narva crossing",
        "2024-03-14",
        "https://news.example.org/2024/03/narva-crossing",
    ]
    assert [data["records"][i]["label"] for i in capture["src"]] == ["Police and Border Guard Board"]
    assert records[PPA]["aliases"] == ["PPA"] and records[PPA]["mc"] == 4
    legend = {entry["cls"]: entry["count"] for entry in data["legend"]}
    assert legend["Country"] == 3 and legend["Statement"] == 3


def test_page_opens_in_the_collapsed_view_when_asked(full):
    assert embedded_data(render_html(full, collapsed=True))["collapsed"] is True
    folded = collapse(full)
    data = embedded_data(render_html(folded))
    assert (data["collapsed"], data["canExpand"], data["edges"]) == (True, False, [])
    assert len(data["cedges"]) == 14
    events = [r for r in data["records"] if r["kind"] == "event"]
    assert len(events) == 5 and all("x" not in r for r in events)  # panel data only, never drawn


def test_hostile_strings_stay_data(hostile):
    G = project(hostile.select)
    html = render_html(G, title="</title><script>alert('title')</script>")
    assert html.count("<script") == 3 + vis_network_js().count("<script")
    assert html.count("</script") == 3
    ours = html.replace(vis_network_js(), "")  # the payloads may only appear with < escaped
    for needle in ("<img", "<svg", "<iframe", "<b ", "<i>", "<!--", "\u2028", "\u2029"):
        assert needle not in ours, needle
    assert "&lt;/title&gt;&lt;script&gt;" in html
    data = embedded_data(html)
    labels = {r["label"] for r in data["records"]}
    assert "</script><script>window.__pwned='label';alert('label')</script>" in labels
    assert any("\u2028line\u2029para" in label for label in labels)
    urls = {a[0].rsplit("/", 1)[-1]: a[3] for a in data["articles"]}
    assert urls["h1"] == ""  # the javascript: URL is dropped
    assert urls["h2"].startswith("https://news.example.org/a?b=<script>")  # kept as data; the page makes a link
    person = next(r for r in data["records"] if r["kind"] == "person")
    assert person["sameAs"] == []


# --- GraphML, GEXF and the CLI's entry point ------------------------------------------------------


def test_graphml_and_gexf_hold_the_same_projection(full, tmp_path):
    write_graphml(full, tmp_path / "g.graphml")
    write_gexf(full, tmp_path / "g.gexf")
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    for G in (graphml, gexf):
        assert (G.number_of_nodes(), G.number_of_edges()) == (24, 30)
    node = graphml.nodes[CAPTURE]
    assert node["label"] == "detain" and node["negated"] is False and node["quantity"] == 2
    assert json.loads(node["evidence"])[0]["headline"].startswith("Estonian officers")
    assert graphml.nodes[ESTONIA]["classes"] == "Country; Place"
    assert gexf.nodes[PPA]["label"] == "Police and Border Guard Board"
    assert gexf.nodes[PPA]["aliases"] == "PPA"


def test_export_graph_for_each_format(small, tmp_path):
    for fmt in FORMATS:
        summary = export_graph(small.select, tmp_path / f"g.{fmt}", fmt, max_nodes=None, collapse_events=True)
        assert summary == {"nodes": 24 if fmt == "html" else 14, "edges": 30 if fmt == "html" else 14, "omitted": 0}
    summary = export_graph(small.select, tmp_path / "cut.gexf", "gexf", max_nodes=5, hops=None)
    assert summary["omitted"] == 24 - summary["nodes"] > 0
    with pytest.raises(ValueError, match="unknown graph format"):
        export_graph(small.select, tmp_path / "g.png", "png")
    with pytest.raises(ValueError, match="colour"):
        export_graph(small.select, tmp_path / "g.html", "html", colour="red")
