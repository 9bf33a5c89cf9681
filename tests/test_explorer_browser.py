"""The explorer page in headless Chromium (Playwright driving the system's /usr/bin/chromium).

Checks that the page works offline from file://, draws what the projection holds, that search, class and date
filters, the neighbourhood view and the collapse switch work, that hover and click show provenance, and that a
graph full of script-shaped strings runs none of them. A graph built by the real pipeline from news pages
written for the test (page furniture included) checks the first view: no event that joins no entity is drawn
until its checkbox is ticked, and Reset fits the view.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.explorer.page import write_html
from kg.explorer.projection import project
from kg.pipeline import BuildOptions, build
from kg.store import open_store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DATA = Path(__file__).parent / "data" / "explorer"
ID = "https://w3id.org/newskg/id/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (CI installs Debian's chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def small_page_path(tmp_path_factory, trig_store):
    path = tmp_path_factory.mktemp("explorer") / "small.html"
    write_html(project(trig_store(DATA / "small.trig").select), path, title="Small graph")
    return path


@pytest.fixture(scope="module")
def hostile_page_path(tmp_path_factory, trig_store):
    path = tmp_path_factory.mktemp("explorer") / "hostile.html"
    G = project(trig_store(DATA / "hostile.trig").select)
    write_html(G, path, title="<script>window.__pwned='title'</script>")
    return path


@pytest.fixture(scope="module")
def news_page_path(tmp_path_factory):
    """The explorer page of a graph built by the real pipeline (spaCy, Oxigraph) from three news pages."""
    store = open_store(None)
    report = build([DATA / "news.jsonl"], store, BuildOptions(progress=False))
    assert report.built == 3
    path = tmp_path_factory.mktemp("explorer") / "news.html"
    write_html(project(store.select), path, title="News")
    return path


class Opened:
    """A page opened from file:// with every request, dialog, page error and CSP violation recorded."""

    def __init__(self, browser, path: Path, *, bypass_csp: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": 1300, "height": 850}, bypass_csp=bypass_csp)
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.add_init_script(
            "window.__violations = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.explorerReady !== undefined", timeout=60_000)

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def index_of(self, iri: str) -> int:
        return self.js("iri => window.explorer.data.records.findIndex(r => r.id === iri)", iri)

    def node_point(self, index: int) -> tuple[float, float]:
        """Return the page coordinates of a drawn node's centre."""
        return tuple(
            self.js(
                """i => { const p = window.network.canvasToDOM(window.network.getPosition(i));
                const r = document.getElementById('graph').getBoundingClientRect();
                return [p.x + r.left, p.y + r.top]; }""",
                index,
            )
        )

    def visible_nodes(self) -> int:
        return self.js("window.nodes.get({filter: n => !n.hidden}).length")

    def drawn(self) -> list[int]:
        """Return the ids of the nodes vis-network draws (it leaves hidden nodes out of `nodeIndices`)."""
        return self.js("window.network.body.nodeIndices.slice()")

    def off_screen(self) -> list[int]:
        """Return the drawn nodes whose centre lies outside the graph's canvas."""
        return self.js(
            """() => { const r = document.getElementById('graph').getBoundingClientRect();
            return window.network.body.nodeIndices.filter(i => {
                const p = window.network.canvasToDOM(window.network.getPosition(i));
                return !(p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height); }); }"""
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def small(browser, small_page_path):
    opened = Opened(browser, small_page_path)
    yield opened
    opened.close()


def test_page_loads_offline_and_draws_the_projection(small, small_page_path):
    assert small.requests == [small_page_path.as_uri()]
    assert small.errors == []
    assert small.js("[window.nodes.length, window.edges.length]") == [24, 30]
    assert small.js("window.network.body.data.nodes.length") == 24
    assert small.js("Object.keys(window.network.body.nodes).length") == 24
    assert small.js("window.__violations") == []
    assert small.page.text_content("#title") == "Small graph"
    legend = small.page.locator("#classes label").all_text_contents()
    assert "Country (3)" in legend and "Government Organization (2)" in legend


def test_search_focuses_the_node(small):
    before = small.js("window.network.getViewPosition()")
    small.page.fill("#search", "ppa")
    small.page.press("#search", "Enter")
    ppa = small.index_of(ID + "organization/Police_and_Border_Guard_Board")
    assert small.js("window.network.getSelectedNodes()") == [ppa]
    after = small.js("window.network.getViewPosition()")
    assert after != before
    centre = small.js("i => window.network.getPosition(i)", ppa)
    assert abs(after["x"] - centre["x"]) < 1 and abs(after["y"] - centre["y"]) < 1
    assert small.page.is_visible("#panel")
    assert small.page.text_content("#panel h2") == "Police and Border Guard Board"
    small.page.fill("#search", "no such name")
    small.page.press("#search", "Enter")
    assert "No name or alias matches" in small.page.text_content("#status")


def test_class_filter_hides_and_shows_nodes(small):
    country = small.page.locator("#classes label", has_text="Country").locator("input")
    country.uncheck()
    hidden = small.js("window.nodes.get({filter: n => n.hidden}).map(n => window.explorer.data.records[n.id].cls)")
    assert sorted(hidden) == ["Country"] * 3
    assert small.page.text_content("#status").startswith("21 of 24 nodes")
    country.check()
    assert small.visible_nodes() == 24
    small.page.click("#classes summary")  # the event types sit in a fold
    small.page.locator("#classes label", has_text="Statement").locator("input").uncheck()
    assert small.visible_nodes() == 21


def test_date_filter_in_the_page_matches_the_projection(small):
    small.page.fill("#since", "2025-01-01")
    assert small.visible_nodes() == 9  # as project(since="2025-01-01")
    small.page.click("#reset")
    assert small.visible_nodes() == 24


def test_hover_and_click_show_the_evidence(small):
    capture = small.index_of(ID + "event/a1-capture")
    x, y = small.node_point(capture)
    small.page.mouse.move(x, y)
    small.page.wait_for_selector("#tooltip:not([hidden])")
    tooltip = small.page.text_content("#tooltip")
    assert "Border officers from Estonia's police board held two men" in tooltip
    assert "Estonian officers detain two men at the Narva crossing" in tooltip
    small.page.mouse.click(x, y)
    panel = small.page.text_content("#panel")
    assert "Border officers from Estonia's police board held two men" in panel
    assert "2024-03-13" in panel and "reported by" not in panel and "Police and Border Guard Board" in panel
    link = small.page.locator("#panel a", has_text="Estonian officers detain")
    assert link.get_attribute("href") == "https://news.example.org/2024/03/narva-crossing"
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_neighbourhood_view_and_reset(small):
    kallas = small.index_of(ID + "person/Kaja_Kallas")
    small.page.mouse.click(*small.node_point(kallas))
    small.page.fill("#hops", "1")
    small.page.click("#nb-show")
    shown = small.js("window.nodes.get({filter: n => !n.hidden}).map(n => window.explorer.data.records[n.id].label)")
    assert sorted(shown) == ["Estonia", "Kaja Kallas", "warn"]
    small.page.click("#reset")
    assert small.visible_nodes() == 24


def test_collapse_switch_folds_events_into_edges(small):
    small.page.check("#collapse")
    assert small.js("window.edges.length") == 14
    assert small.visible_nodes() == 14
    labels = small.js("window.edges.get().map(e => e.label)")
    assert "detain" in labels and "agent" not in labels
    small.page.uncheck("#collapse")
    assert small.js("window.edges.length") == 30 and small.visible_nodes() == 24


def test_page_states_what_max_nodes_left_out(browser, tmp_path, trig_store):
    path = tmp_path / "cut.html"
    write_html(project(trig_store(DATA / "small.trig").select, max_nodes=6), path)
    opened = Opened(browser, path)
    try:
        notice = opened.page.text_content("#notice")
        assert "most central of 24 nodes (limit 6)" in notice and "Left out:" in notice
        assert opened.js("window.nodes.length") <= 6
    finally:
        opened.close()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_graph_runs_no_script(browser, hostile_page_path, bypass_csp):
    # Without the page's CSP, this checks that the page itself never turns data into markup.
    opened = Opened(browser, hostile_page_path, bypass_csp=bypass_csp)
    try:
        page = opened.page
        count = opened.js("window.nodes.length")
        assert count == 5
        for index in range(count):
            x, y = opened.node_point(index)
            page.mouse.move(x, y)
            page.mouse.click(x, y)
            opened.js("i => window.explorer.focusNode(i)", index)
        page.check("#collapse")
        for index in range(opened.js("window.explorer.data.records.length")):
            opened.js("i => window.explorer.focusNode(i)", index)
        for name in ("</script>", "<img", "O'Brien", "javascript:"):
            page.fill("#search", name)
            page.press("#search", "Enter")
        assert opened.js("window.__pwned") is None
        assert opened.dialogs == []
        assert opened.errors == []
        assert opened.js("window.__violations") == []
        assert opened.js("document.querySelectorAll('img, svg, iframe, b, i').length") == 0
        hrefs = opened.js("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
        assert page.title() == "<script>window.__pwned='title'</script>"
        labels = opened.js("window.nodes.get().map(n => n.label)")
        assert any(label.startswith("</script><script>") for label in labels)
        assert all(url.startswith("file://") for url in opened.requests)
    finally:
        opened.close()


@pytest.fixture()
def news(browser, news_page_path):
    opened = Opened(browser, news_page_path)
    yield opened
    opened.close()


def test_events_that_join_no_entity_are_hidden_until_asked_for(news):
    loose = news.js("window.explorer.data.records.flatMap((r, i) => r.loose ? [i] : [])")
    everything = news.js("window.nodes.getIds()")
    assert len(loose) >= 5 and len(everything) > len(loose)
    assert not set(news.drawn()) & set(loose)
    assert sorted(news.drawn()) == sorted(set(everything) - set(loose))
    assert news.off_screen() == []
    assert news.page.is_visible("#show-loose") and not news.page.is_checked("#show-loose")
    assert news.page.text_content("#loose-switch").strip() == f"Show {len(loose)} events that join no entity"
    news.page.check("#show-loose")
    assert sorted(news.drawn()) == sorted(everything)
    assert news.off_screen() == []  # showing them fits the view to them too
    assert news.page.text_content("#status").startswith(f"{len(everything)} of {len(everything)} nodes")
    news.page.uncheck("#show-loose")
    assert not set(news.drawn()) & set(loose)
    assert news.errors == []


def test_reset_fits_the_view(news):
    first = news.js("[window.network.getScale(), window.network.getViewPosition()]")
    news.js("window.network.moveTo({scale: 4, position: {x: -3000, y: 2500}, animation: false})")
    assert len(news.off_screen()) == len(news.drawn())  # looking at empty canvas
    news.page.check("#show-loose")
    news.js("window.network.moveTo({scale: 0.05, animation: false})")
    news.page.click("#reset")
    assert not news.page.is_checked("#show-loose")  # Reset brings back the first view
    assert news.off_screen() == []
    scale, position = news.js("[window.network.getScale(), window.network.getViewPosition()]")
    assert scale == pytest.approx(first[0]) and position == pytest.approx(first[1])
