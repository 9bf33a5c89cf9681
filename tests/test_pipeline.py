"""End to end on real text: examples/ through the real spaCy model into a real Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.export import nquads
from kg.pipeline import BuildOptions, build, remove
from kg.records import Article
from kg.store import open_store
from kg.validate import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PREFIXES = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""


@pytest.fixture(scope="module")
def built():
    store = open_store(None)
    report = build([EXAMPLES], store, BuildOptions(progress=False))
    return store, report


def ask(store, sparql: str) -> list[dict]:
    return store.select(PREFIXES + sparql)


def isomorphic_datasets(a: Dataset, b: Dataset) -> bool:
    """Return True when both datasets hold the same named graphs and each pair of graphs is isomorphic."""
    graphs_a = {str(g.identifier): g for g in a.graphs() if len(g)}
    graphs_b = {str(g.identifier): g for g in b.graphs() if len(g)}
    return graphs_a.keys() == graphs_b.keys() and all(isomorphic(graphs_a[k], graphs_b[k]) for k in graphs_a)


def dataset(store) -> Dataset:
    ds = Dataset()
    ds.parse(data=nquads(store), format="nquads")
    return ds


def test_every_example_is_built(built):
    store, report = built
    assert report.skipped == []
    assert report.built == report.read == 5
    rows = ask(store, "SELECT ?h WHERE { ?a a kg:Article ; schema:headline ?h } ORDER BY ?h")
    assert len(rows) == 5


def test_the_graph_conforms_to_the_shapes(built):
    conforms, text = validate(dataset(built[0]))
    assert conforms, text


def test_every_event_has_sentence_evidence_inside_the_text(built):
    store, _ = built
    rows = ask(store, "SELECT ?e WHERE { ?e kg:trigger ?t FILTER NOT EXISTS { ?e kg:evidence/nif:anchorOf ?s } }")
    assert rows == []


def test_entities_have_exactly_one_label(built):
    store, _ = built
    rows = ask(
        store,
        "SELECT ?e (COUNT(?l) AS ?n) WHERE { ?e kg:mentionedIn ?a ; rdfs:label ?l } GROUP BY ?e HAVING (COUNT(?l) > 1)",
    )
    assert rows == []


def test_page_furniture_never_becomes_an_entity(built):
    store, _ = built
    labels = {r["l"].lower() for r in ask(store, "SELECT ?l WHERE { ?x rdfs:label|skos:altLabel ?l }")}
    for junk in ("photo_soldiers", ".jpg", "copyright", "about the author", "samsung", "norway", "cookies"):
        assert not any(junk in label for label in labels), junk


def test_building_again_changes_nothing_and_says_unchanged(built):
    store, _ = built
    before = nquads(store)
    again = build([EXAMPLES], store, BuildOptions(progress=False))
    assert again.unchanged == 5 and again.built == 0
    forced = build([EXAMPLES], store, BuildOptions(progress=False, force=True))
    assert forced.built == 5
    assert nquads(store) == before


def test_order_of_paths_does_not_matter(built):
    store, _ = built
    files = sorted(EXAMPLES.iterdir())
    reverse = open_store(None)
    build(list(reversed(files)), reverse, BuildOptions(progress=False))
    assert nquads(reverse) == nquads(store)


def test_the_parse_in_a_thread_gives_the_graph_the_parse_process_gives(built):
    store, _ = built
    graphs = []
    for in_child in (True, False):  # batches of one, so the child serves five batches
        separate = open_store(None)
        build([EXAMPLES], separate, BuildOptions(progress=False, batch_size=1, parse_process=in_child))
        graphs.append(nquads(separate))
    assert graphs[0] == graphs[1] == nquads(store)


def test_separate_builds_into_one_store_give_the_same_graph(built):
    store, _ = built
    separate = open_store(None)
    for path in sorted(EXAMPLES.iterdir(), reverse=True):
        build([path], separate, BuildOptions(progress=False))
    assert isomorphic_datasets(dataset(separate), dataset(store))


def test_a_broken_article_is_skipped_and_the_rest_built(tmp_path):
    (tmp_path / "good.txt").write_text("Acme Corp bought Widget Ltd on Monday, the company said.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    store = open_store(None)
    report = build([tmp_path], store, BuildOptions(progress=False))
    assert report.built == 1
    assert [s.source for s in report.skipped] == [str(tmp_path / "bad.txt")]


def test_remove_then_build_returns_an_isomorphic_graph(built):
    store, _ = built
    before = dataset(store)
    removed = remove(store, "ex-broadcom")
    assert removed.endswith("/article/ex-broadcom")
    labels = {r["l"] for r in ask(store, "SELECT ?l WHERE { ?e rdfs:label ?l }")}
    assert "VMware" not in labels  # mentioned by that article only
    assert "Volodymyr Zelensky" in labels
    build([EXAMPLES], store, BuildOptions(progress=False))
    assert isomorphic_datasets(dataset(store), before)


def test_remove_by_url_and_unknown_reference(built):
    store, _ = built
    removed = remove(store, "https://business.example.org/2024/03/04/eu-fines-apple")
    assert "article/" in removed
    with pytest.raises(LookupError, match="no stored article"):
        remove(store, "no-such-article")
    build([EXAMPLES], store, BuildOptions(progress=False))


def test_a_surname_read_before_the_full_name_ends_on_the_same_iri(tmp_path):
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text(
        "Port visit\n\nOkonkwo toured the harbour in Lagos on Monday, her office said.\n", encoding="utf-8"
    )
    second.write_text(
        "Budget talks\n\nFinance Minister Adaeze Okonkwo said on Tuesday that the budget would pass.\n",
        encoding="utf-8",
    )
    dumps = []
    for order in ([first, second], [second, first]):
        store = open_store(None)
        for path in order:
            build([path], store, BuildOptions(progress=False))
        dumps.append(nquads(store))
    together = open_store(None)
    build([first, second], together, BuildOptions(progress=False))
    assert dumps[0] == dumps[1] == nquads(together)
    assert "person/adaeze_okonkwo" in dumps[0] and "person/okonkwo>" not in dumps[0]


EVENT_FACTS = [
    # (example, class, trigger, agent label or None, patient label or None, extra SPARQL pattern on ?e)
    ("korean-soldiers", "Capture", "take prisoner", "Ukrainian forces", "Two North Korean soldiers", ""),
    ("korean-soldiers", "Death", "kill", None, "about 300 North Korean soldiers", "?e kg:quantity 300 ."),
    ("korean-soldiers", "Injury", "wound", None, None, "?e kg:quantity 2700 ."),
    ("korean-soldiers", "Migration", "flee", None, None, "?e kg:quantity 34000 ."),
    ("korean-soldiers", "Questioning", "question", "Ukrainian officials", None, ""),
    ("korean-soldiers", "Request", "ask for", "Two North Korean soldiers", None, "?e kg:negated true ."),
    ("korean-soldiers", "Return", "return", "Ukraine", "Two North Korean soldiers", "?e kg:modality kg:Conditional ."),
    (
        "apple-fine",
        "LegalAction",
        "fine",
        "European Commission",
        "Apple",
        '?e kg:amount 1800000000 ; kg:currency "EUR" ; kg:date "2024-03-04"^^xsd:date .',
    ),
    ("wire", "Election", "runoff", "Javier Milei", None, '?e kg:date "2023-11-19"^^xsd:date .'),
    ("wire", "Appointment", "take office", "Javier Milei", None, '?e kg:date "2023-12-10"^^xsd:date .'),
    # "he had called Milei to congratulate him": the one congratulating is Massa, so "him" is Milei
    ("wire", "Event", "congratulate", "Sergio Massa", "Javier Milei", ""),
    (
        "wire",
        "Acquisition",
        "purchase",
        "Broadcom",
        "VMware",
        '?e kg:amount 61000000000 ; kg:currency "USD" ; kg:date "2023-11-22"^^xsd:date .',
    ),
    ("wire", "Disaster", "earthquake", None, None, '?e kg:date "2024-01-01"^^xsd:date .'),
    ("wire", "Death", "die", None, None, "?e kg:quantity 64 ."),
    ("wire", "Transfer", "send", "Fumio Kishida", "1,000 soldiers", "?e kg:quantity 1000 ."),
]


@pytest.mark.parametrize(("example", "cls", "trigger", "agent", "patient", "extra"), EVENT_FACTS)
def test_key_event_facts_of_each_example(built, example, cls, trigger, agent, patient, extra):
    store, _ = built
    pattern = f'?e a kg:{cls} ; kg:trigger "{trigger}" . {extra}'
    if agent:
        pattern += f' ?e kg:agent/rdfs:label "{agent}" .'
    if patient:
        pattern += f' ?e kg:patient/rdfs:label "{patient}" .'
    prefix = PREFIXES + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    assert store.query(prefix + f"ASK {{ {pattern} }}").boolean, (example, pattern)


RELATION_FACTS = [
    ("Volodymyr Zelensky", "leaderOf", "Ukraine"),
    ("National Intelligence Service", "partOf", "South Korea"),
    ("Ukrainian forces", "partOf", "Ukraine"),
    ("Spotify", "locatedIn", "Stockholm"),
    ("Hock Tan", "leaderOf", "Broadcom"),
    ("VMware", "locatedIn", "Palo Alto"),
    ("State Administration for Market Regulation", "partOf", "China"),
    # "the Commission's competition chief" holds a post in the Commission; she does not lead it
    ("Margrethe Vestager", "memberOf", "European Commission"),
]


def test_a_post_is_not_leadership(built):
    store, _ = built
    sparql = 'ASK { ?s rdfs:label "Margrethe Vestager" ; kg:leaderOf ?o }'
    assert not store.query(PREFIXES + sparql).boolean


@pytest.mark.parametrize(("subject", "relation", "target"), RELATION_FACTS)
def test_key_relations_of_the_examples(built, subject, relation, target):
    store, _ = built
    sparql = f'ASK {{ ?s rdfs:label "{subject}" ; kg:{relation}/rdfs:label "{target}" }}'
    assert store.query(PREFIXES + sparql).boolean


def test_positions_and_the_two_soldiers_group(built):
    store, _ = built
    assert ask(store, 'SELECT ?p WHERE { ?x rdfs:label "Volodymyr Zelensky" ; kg:position "President" }')
    assert ask(store, 'SELECT ?p WHERE { ?x rdfs:label "Fumio Kishida" ; kg:position "Prime Minister" }')
    rows = ask(
        store, 'SELECT ?n WHERE { ?g a kg:Group ; kg:size 2 ; kg:role "soldier" ; kg:nationality/rdfs:label ?n }'
    )
    assert {r["n"] for r in rows} == {"North Korea"}


def test_two_sessions_into_a_store_on_disk_give_the_one_session_graph(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "a.txt": "Harbour contract\n\nThe Northern Port Authority signed a contract with Brightwater Shipping "
        "on Monday. "
        "Talia Romanesco, who runs the authority, said the deal would bring work to Calder Bay.\n",
        "b.txt": "Hiring\n\nRomanesco said on Tuesday that the Northern Port Authority would hire 200 dock workers.\n",
        # The second session names them by short forms only: it must find the full names in the store.
        "c.txt": "Results\n\nRomanesco said on Wednesday that the port's profits rose by a tenth.\n",
        "d.txt": "Strike\n\nDock workers at Brightwater walked out on Thursday, a union spokesman said.\n",
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    files = sorted(corpus.iterdir())
    two = open_store(tmp_path / "two")
    build(files[:2], two, BuildOptions(progress=False))
    two.close()
    two = open_store(tmp_path / "two")  # the second session reads what it needs from the store, lazily
    build(files[2:], two, BuildOptions(progress=False))
    one = open_store(None)
    build(files, one, BuildOptions(progress=False))
    assert isomorphic_datasets(dataset(two), dataset(one))
    assert nquads(two) == nquads(one)
    assert "person/talia_romanesco" in nquads(one) and "person/romanesco>" not in nquads(one)


SHORT_THEN_LONG = [
    Article(
        "mine-a",
        "Shares of Corvell Mining rose on Monday after the company raised its forecast. "
        "Corvell Mining said demand for copper was strong.",
        date="2025-03-03",
    ),
    Article(
        "mine-b",
        "Corvell Mining Group cut jobs at its smelter on Tuesday, the company said. "
        "Corvell Mining Group employs 4,000 people.",
        date="2025-03-04",
    ),
]


def build_separately(articles) -> str:
    """Build each article in a `kg build` of its own, in the order given, into one store; returns its N-Quads."""
    store = open_store(None)
    for item in articles:
        build([], store, BuildOptions(progress=False), given_articles=[item])
    return nquads(store)


def test_a_short_and_a_long_company_name_give_one_graph_in_either_build_order():
    together = open_store(None)
    build([], together, BuildOptions(progress=False), given_articles=SHORT_THEN_LONG)
    expected = nquads(together)
    assert "organization/corvell_mining_group" in expected and "organization/corvell_mining>" not in expected
    assert build_separately(SHORT_THEN_LONG) == expected
    assert build_separately(reversed(SHORT_THEN_LONG)) == expected


@pytest.mark.parametrize("removed", ["mine-a", "mine-b"])
def test_removing_either_article_and_building_it_again_gives_the_same_graph(removed):
    store = open_store(None)
    build([], store, BuildOptions(progress=False), given_articles=SHORT_THEN_LONG)
    before = nquads(store)
    remove(store, removed)
    build([], store, BuildOptions(progress=False), given_articles=[a for a in SHORT_THEN_LONG if a.id == removed])
    assert nquads(store) == before
