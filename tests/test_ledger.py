"""The in-memory ledger of what each article says of each entity."""

from __future__ import annotations

from kg.iris import BASE, ENTITIES_GRAPH
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


def keep_totals(store) -> None:
    """Put each entity's total mention count on its summary row, as kg.pipeline.Builder's every write does."""
    rows = store.select(
        f"SELECT ?e (SUM(?n) AS ?t) WHERE {{ GRAPH ?g {{ ?o <{KG}entity> ?e ; <{KG}mentionCount> ?n }} }} GROUP BY ?e"
    )
    xsd = "http://www.w3.org/2001/XMLSchema#integer"
    store.set_graph(ENTITIES_GRAPH, "".join(f'<{r["e"]}> <{KG}mentionCount> "{r["t"]}"^^<{xsd}> .\n' for r in rows))


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
    keep_totals(store)
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
    keep_totals(store)
    ledger.set_article(A, {VEX: Contribution({"Anna Vex"}, 2, {"Person"})})
    ledger.load(store, [VEX, GROUP])
    assert ledger.others(VEX).count == 2  # from set_article only, not counted twice
    assert ledger.entities_of(A) == {VEX}
    assert Ledger.from_store(store, [VEX]).others(VEX).count == 2  # an ordinary ledger reads the store


def scanned(ledger: Ledger, entity: str, leave_out: str) -> tuple:
    """What `others` must return, computed the slow way: a scan of every article in IRI order."""
    forms: dict[str, int] = {}
    count, types, link = 0, set(), None
    for article, item in sorted(ledger._by_entity.get(entity, {}).items()):
        if article != leave_out:
            for form in item.forms:
                forms[form] = forms.get(form, 0) + 1
            count, types, link = count + item.count, types | item.types, link or item.link
    return forms, count, types, link


def test_running_totals_agree_with_a_scan_after_many_changes():
    import random

    rng, ledger = random.Random(7), Ledger(store_was_empty=True)
    entities = [BASE + f"person/p{i}" for i in range(4)]
    articles = [BASE + f"article/{i:02d}" for i in range(12)]
    for step in range(300):
        article = rng.choice(articles)
        if step % 37 == 36:
            old, new = rng.sample(entities, 2)
            ledger.rename(old, new)
            continue
        says = {
            e: Contribution({rng.choice(["Ada", "Ada Rook", "Rook"])}, rng.randint(1, 3), {"Person"},
                            rng.choice([None, "Q1", "Q2"]))
            for e in rng.sample(entities, rng.randint(0, 3))
        }  # fmt: skip
        ledger.set_article(article, says)
        for entity in entities:
            leave_out = rng.choice([*articles, ""])
            known = ledger.others(entity, leave_out)
            assert (known.forms, known.count, known.types, known.link) == scanned(ledger, entity, leave_out)


def _linked(iri: str, entity: str, form: str, count: int, link: str | None) -> ArticleWrite:
    """An article that names `entity` once as `form`, `count` times, with an optional Wikidata link."""
    occurrence = iri + "/occ/" + entity.rsplit("/", 1)[-1]
    sameas = f"<{entity}> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/{link}> .\n"
    return ArticleWrite(
        iri,
        f'<{entity}> <{KG}surfaceForm> "{form}" .\n<{entity}> <{KG}mentionedIn> <{iri}> .\n'
        f"<{entity}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Person> .\n"
        f'<{occurrence}> <{KG}entity> <{entity}> .\n<{occurrence}> <{KG}mentionCount> "{count}"^^'
        "<http://www.w3.org/2001/XMLSchema#integer> .\n" + (sameas if link else ""),
    )


def test_totals_read_by_the_store_answer_as_every_articles_say_does():
    """A ledger reads an entity's totals (GROUP BY; the mention count from its summary row) instead of each
    article's say; with the article being rebuilt read on its own (`load_article`), `others` must answer as a
    ledger that read everything, for one link, two links (the articles' order decides) or none."""
    import random

    rng = random.Random(11)
    entities = [BASE + f"person/p{i}" for i in range(3)]
    articles = [BASE + f"article/{i:02d}" for i in range(9)]
    store = open_store(None)
    for article_iri in articles:
        entity = rng.choice(entities)
        link = {entities[0]: "Q1", entities[1]: rng.choice(["Q2", "Q3"]), entities[2]: None}[entity]
        store.write_article(_linked(article_iri, entity, rng.choice(["Ada Rook", "Rook"]), rng.randint(1, 4), link))
    keep_totals(store)
    full = Ledger.from_store(store)
    for leave_out in ["", *articles]:
        totals = Ledger.from_store(store, entities)
        if leave_out:
            totals.load_article(store, leave_out, entities)
            assert totals.entities_of(leave_out) == full.entities_of(leave_out)
        for entity in entities:
            assert totals.others(entity, leave_out) == full.others(entity, leave_out)


def test_a_rename_after_reading_totals_moves_every_articles_say():
    store = open_store(None)
    old, new = BASE + "person/rook", BASE + "person/ada_rook"
    for n, article_iri in enumerate([A, B]):
        store.write_article(_linked(article_iri, old, "Rook", n + 1, "Q7"))
    ledger = Ledger()
    ledger.load(store, [old])
    ledger.load(store, [old], detail=True)  # what kg.pipeline.Builder asks before a rename
    ledger.rename(old, new)
    moved = ledger.others(new)
    assert (moved.forms, moved.count, moved.link) == ({"Rook": 2}, 3, "Q7")
