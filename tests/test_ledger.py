"""The in-memory ledger of what each article says of each entity."""

from __future__ import annotations

from kg.iris import BASE
from kg.resolve.ledger import Contribution, Ledger
from kg.store import ArticleWrite, open_store

KG = "https://w3id.org/newskg/ontology#"
A, B = BASE + "article/a", BASE + "article/b"
VEX, GROUP = BASE + "person/anna_vex", BASE + "group/x/g1"


def article(iri: str, form: str, count: int) -> ArticleWrite:
    occurrence = iri + "/occ"
    return ArticleWrite(
        iri,
        f'<{VEX}> <{KG}surfaceForm> "{form}" .\n<{VEX}> <{KG}mentionedIn> <{iri}> .\n'
        f"<{VEX}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Person> .\n"
        f'<{occurrence}> <{KG}entity> <{VEX}> .\n<{occurrence}> <{KG}mentionCount> "{count}"^^'
        "<http://www.w3.org/2001/XMLSchema#integer> .\n"
        f"<{GROUP}> <{KG}mentionedIn> <{iri}> .\n"
        f"<{GROUP}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Group> .\n",
    )


def stored() -> Ledger:
    store = open_store(None)
    store.write_article(article(A, "Anna Vex", 2))
    store.write_article(article(B, "Vex", 3))
    return Ledger.from_store(store)


def test_reads_every_articles_say_and_leaves_groups_out():
    ledger = stored()
    known = ledger.others(VEX)
    assert known.forms == {"Anna Vex": 1, "Vex": 1} and known.count == 5 and known.types == {"Person"}
    assert ledger.entities_of(A) == {VEX}


def test_others_leaves_one_article_out():
    assert stored().others(VEX, A).forms == {"Vex": 1}


def test_set_article_replaces_and_removes():
    ledger = stored()
    ledger.set_article(A, {VEX: Contribution({"A. Vex"}, 1, {"Person"})})
    assert ledger.others(VEX).forms == {"A. Vex": 1, "Vex": 1}
    ledger.set_article(B, {})
    assert ledger.entities_of(B) == set() and ledger.others(VEX).count == 1


def test_rename_moves_contributions():
    ledger = stored()
    ledger.rename(VEX, BASE + "person/vex")
    assert ledger.others(VEX).count == 0
    assert ledger.others(BASE + "person/vex").count == 5
    assert ledger.entities_of(A) == {BASE + "person/vex"}


def test_reading_only_some_entities():
    store = open_store(None)
    store.write_article(article(A, "Anna Vex", 2))
    assert Ledger.from_store(store, []).others(VEX).count == 0
    assert Ledger.from_store(store, [VEX]).others(VEX).count == 2


def test_load_reads_each_entity_once_and_adds_to_what_is_known():
    store = open_store(None)
    store.write_article(article(A, "Anna Vex", 2))
    ledger = Ledger()
    ledger.load(store, [VEX])
    store.write_article(article(B, "Vex", 3))
    ledger.load(store, [VEX])  # already loaded: not read again
    assert ledger.others(VEX).forms == {"Anna Vex": 1}
    assert ledger.labels == {}


def test_a_ledger_told_the_store_was_empty_reads_nothing_from_it():
    store = open_store(None)
    store.write_article(article(A, "Anna Vex", 2))  # as if written by this build before the entity was looked up
    ledger = Ledger(store_was_empty=True)
    ledger.set_article(A, {VEX: Contribution({"Anna Vex"}, 2, {"Person"})})
    ledger.load(store, [VEX, GROUP])
    assert ledger.others(VEX).count == 2  # from set_article only, not counted twice
    assert ledger.entities_of(A) == {VEX}
    assert Ledger.from_store(store, [VEX]).others(VEX).count == 2  # an ordinary ledger reads the store
