"""Tests for kg.resolve.known_store: the lazy index answers as an index of the whole store would.

Every person and company here is invented.
"""

from __future__ import annotations

from kg.iris import BASE, ENTITIES_GRAPH, NAME_INDEX, NAME_KEY, entity_iri
from kg.records import Article, Entity, Extraction
from kg.resolve import KnownEntities, resolve
from kg.resolve.gazetteer import load_gazetteer
from kg.resolve.known import lookup_keys, name_keys
from kg.resolve.known_store import StoreKnownEntities, name_key_ntriples, write_name_index
from kg.store import open_store

KG = "https://w3id.org/newskg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def article(article_id: str, *entities: tuple[str, tuple[str, ...]]) -> Extraction:
    built = tuple(Entity(f"e{i}", kind, names[0], names) for i, (kind, names) in enumerate(entities))
    return Extraction(Article(article_id, f"text of {article_id}"), built)


def stored(entities: list[tuple[str, str, tuple[str, ...]]], *, keys: bool = True):
    """Return an in-memory store holding one article per (IRI, class, forms), with name keys unless keys=False."""
    store = open_store(None)
    summary = []
    for i, (iri, kind, forms) in enumerate(entities):
        graph = BASE + f"article/s{i}"
        lines = [f"<{graph}> <{RDF_TYPE}> <{KG}Article> .", f"<{iri}> <{RDF_TYPE}> <{KG}{kind}> ."]
        lines += [f'<{iri}> <{KG}surfaceForm> "{form}" .' for form in forms]
        store.set_graph(graph, "\n".join(lines) + "\n")
        summary.append(f'<{iri}> <http://www.w3.org/2000/01/rdf-schema#label> "{forms[0]}" .\n')
        if keys:
            summary.append(name_key_ntriples(iri, name_keys(kind, forms)))
    if keys:
        summary.append(f'<{ENTITIES_GRAPH}> <{NAME_INDEX}> "1" .\n')
    store.set_graph(ENTITIES_GRAPH, "".join(summary))
    return store


STORED = [
    (BASE + "person/mira_volkova", "Person", ("Mira Volkova", "Volkova")),
    (BASE + "person/miro_volkov", "Person", ("Miro Volkov",)),
    (BASE + "person/tamsin", "Person", ("Tamsin",)),
    (BASE + "organization/korea_fair_trade_commission", "Organization", ("Korea Fair Trade Commission",)),
    (BASE + "organization/quillfeather_games", "Company", ("Quillfeather Games",)),
    (BASE + "organization/brennick", "Company", ("Brennick",)),
    (BASE + "person/odile_farrant", "Person", ("Odile Farrant",)),  # named by no question
]
QUESTIONS = [
    article("q1", ("Person", ("Volkova",)), ("Organization", ("KFTC",))),
    article("q2", ("Person", ("Mira Volkowa",)), ("Company", ("Quillfeather",))),
    article("q3", ("Person", ("Tamsin Holloway",)), ("Company", ("Brennick Logistics",))),
    article("q4", ("Person", ("Miro Volkov",)), ("Person", ("Anselm Tarrow",))),
]


def test_lookup_keys_cover_the_keys_of_the_same_names():
    for kind, forms in [("Person", ("Mira Volkova",)), ("Person", ("Tamsin",)), ("Company", ("Quillfeather Games",))]:
        assert name_keys(kind, forms) & lookup_keys(kind, forms)


def test_lazy_answers_equal_those_of_the_whole_store():
    gazetteer = load_gazetteer()
    store = stored(STORED)
    whole = KnownEntities.from_store(store, gazetteer)
    lazy = StoreKnownEntities.open(store, gazetteer)
    for question in QUESTIONS:
        lazy.prefetch(question)
        assert resolve(question, lazy, gazetteer) == resolve(question, whole, gazetteer)
    assert BASE + "person/odile_farrant" in whole and BASE + "person/odile_farrant" not in lazy
    assert resolve(QUESTIONS[0], lazy, gazetteer).entities["e0"].iri == BASE + "person/mira_volkova"


def test_a_key_not_prefetched_is_read_on_first_use():
    gazetteer = load_gazetteer()
    lazy = StoreKnownEntities.open(stored(STORED), gazetteer)
    assert lazy.people_named("volkova") == {BASE + "person/mira_volkova"}
    assert lazy.record(BASE + "person/mira_volkova") == ("Person", None, {"Mira Volkova": 1, "Volkova": 1})
    assert BASE + "person/tamsin" not in lazy


def test_add_reads_an_entity_before_counting_its_forms():
    gazetteer = load_gazetteer()
    lazy = StoreKnownEntities.open(stored(STORED), gazetteer)
    whole = KnownEntities.from_store(stored(STORED), gazetteer)
    question = article("q5", ("Person", ("Mira Volkova",)))
    renames = [known.add(resolve(question, known, gazetteer), rename=True) for known in (whole, lazy)]
    assert renames[0] == renames[1]
    iri = BASE + "person/mira_volkova"
    assert lazy.record(iri) == whole.record(iri) == ("Person", None, {"Mira Volkova": 2, "Volkova": 1})


def test_a_store_without_keys_is_indexed_once():
    gazetteer = load_gazetteer()
    store = stored(STORED, keys=False)
    lazy = StoreKnownEntities.open(store, gazetteer)
    assert store.query(f"ASK {{ <{ENTITIES_GRAPH}> <{NAME_INDEX}> ?v }}").boolean
    keys = store.select(f"SELECT ?k WHERE {{ <{BASE}person/tamsin> <{NAME_KEY}> ?k }}")
    assert sorted(row["k"] for row in keys) == ["exact|person|tamsin", "single|tamsin"]
    assert lazy.exact("person", "tamsin") == {BASE + "person/tamsin"}
    assert write_name_index(store, gazetteer) == len(STORED)  # idempotent: the keys are replaced, not doubled
    assert len(store.select(f"SELECT ?k WHERE {{ <{BASE}person/tamsin> <{NAME_KEY}> ?k }}")) == 2


def test_an_empty_store_is_never_read():
    gazetteer = load_gazetteer()
    store = open_store(None)
    lazy = StoreKnownEntities.open(store, gazetteer)
    assert lazy.store_was_empty
    lazy.prefetch(QUESTIONS[0])
    assert len(lazy) == 0 and entity_iri("Person", "volkova") not in lazy


def test_a_first_name_many_people_share_is_read_as_two_of_them():
    """Under "token|ruth" the store holds five people; the lazy index reads two, as bare IRIs, and resolves
    "Ruth" (no one person) and "Ruth Ansel" (exact) as an index of the whole store does; with one Ruth
    stored, "Ruth" joins her."""
    gazetteer = load_gazetteer()
    ruths = [(BASE + f"person/ruth_{s.lower()}", "Person", (f"Ruth {s}",)) for s in ("Ansel", "Bray", "Coll", "Dunn")]
    store = stored([*ruths, (BASE + "person/ada_ruth", "Person", ("Ada Ruth",)), *STORED])
    whole = KnownEntities.from_store(store, gazetteer)
    lazy = StoreKnownEntities.open(store, gazetteer)
    questions = [
        article("r1", ("Person", ("Ruth",))),
        article("r2", ("Person", ("Ruth Ansel",)), ("Person", ("Ruth",))),
    ]
    for question in [*questions, *QUESTIONS]:
        lazy.prefetch(question)
        assert resolve(question, lazy, gazetteer) == resolve(question, whole, gazetteer)
    assert 2 <= len(lazy.people_named("ruth")) < len(whole.people_named("ruth")) == 5
    assert sum(iri in lazy for iri, _, _ in ruths) == 1  # Ruth Ansel, read through her exact name only
    alone = StoreKnownEntities.open(stored([ruths[1], *STORED]), gazetteer)
    alone.prefetch(questions[0])
    assert resolve(questions[0], alone, gazetteer).entities["e0"].iri == ruths[1][0]
    assert alone.record(ruths[1][0]) == ("Person", None, {"Ruth Bray": 1})
