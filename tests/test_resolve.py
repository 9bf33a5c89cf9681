"""Tests for kg.resolve (resolver, known, names): merge rules, non-merges, canonical labels, the store index
and order independence.

Every person and company here is invented; the countries and agencies come from the gazetteer.
"""

from __future__ import annotations

import itertools

import pytest

from kg.iris import BASE, entity_iri, group_iri
from kg.records import Article, Entity, Extraction, ResolvedExtraction
from kg.resolve import KnownEntities, acronym, canonical_label, initials, resolve, spelling_key
from kg.resolve.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def article(article_id: str, *entities: tuple[str, tuple[str, ...]]) -> Extraction:
    """Build an Extraction whose entities are (type, names); keys are e0, e1, ...; the label is the first name."""
    built = tuple(Entity(f"e{i}", kind, names[0], names) for i, (kind, names) in enumerate(entities))
    return Extraction(Article(article_id, f"text of {article_id}"), built)


def resolve_all(extractions, gazetteer, known=None, rename=False) -> list[ResolvedExtraction]:
    """Resolve and record extractions in order; returns each article's ResolvedExtraction."""
    known = known if known is not None else KnownEntities(gazetteer)
    done = []
    for extraction in extractions:
        resolved = resolve(extraction, known, gazetteer)
        known.add(resolved, rename=rename)
        done.append(resolved)
    return done


def iris(resolved: ResolvedExtraction) -> list[str]:
    return [resolved.entities[f"e{i}"].iri for i in range(len(resolved.entities))]


# -- gazetteer rule -----------------------------------------------------------------------------


def test_country_aliases_link_to_wikidata(gazetteer):
    (done,) = resolve_all([article("a", ("Country", ("Britain", "the UK")))], gazetteer)
    entity = done.entities["e0"]
    assert (entity.iri, entity.type, entity.label, entity.link) == (
        BASE + "place/Q145",
        "Country",
        "United Kingdom",
        "Q145",
    )
    assert entity.names == ("Britain", "the UK")


def test_gazetteer_acronym_without_qid_gets_its_canonical_name(gazetteer):
    (done,) = resolve_all([article("a", ("Organization", ("NIS",)))], gazetteer)
    entity = done.entities["e0"]
    assert entity.label == "National Intelligence Service" and entity.type == "GovernmentOrganization"
    assert entity.iri == entity_iri("Organization", "national intelligence service")
    assert entity.link is None


def test_gazetteer_never_links_across_coarse_types(gazetteer):
    (done,) = resolve_all([article("a", ("Person", ("Jordan",)), ("Country", ("Jordan",)))], gazetteer)
    person, country = done.entities["e0"], done.entities["e1"]
    assert person.link is None and person.iri.startswith(BASE + "person/")
    assert country.link == "Q810" and country.iri == BASE + "place/Q810"


def test_extractor_link_is_kept(gazetteer):
    extraction = Extraction(
        Article("a", "t"), (Entity("e0", "Person", "Ilse Brandvold", ("Ilse Brandvold",), link="Q1"),)
    )
    (done,) = resolve_all([extraction], gazetteer)
    assert done.entities["e0"].iri == BASE + "person/Q1" and done.entities["e0"].link == "Q1"


# -- persons --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Lee Seo-yeon", "Lee Seo Yeon"),  # hyphen
        ("José Marroquín", "Jose Marroquin"),  # accents
        ("Taras Hrytsenkko", "Taras Hrytsenko"),  # doubled letter, fuzzy
        ("Oksana Melnychuk", "OKSANA MELNYCHUK"),  # case
    ],
)
def test_spelling_variants_of_a_person_merge(gazetteer, first, second):
    done = resolve_all([article("a", ("Person", (first,))), article("b", ("Person", (second,)))], gazetteer)
    assert iris(done[0]) == iris(done[1])


def test_key_variants_mint_the_same_iri_in_any_order(gazetteer):
    one = resolve_all([article("a", ("Person", ("Lee Seo-yeon",)))], gazetteer)[0]
    two = resolve_all([article("b", ("Person", ("Lee Seo Yeon",)))], gazetteer)[0]
    assert iris(one) == iris(two)


def test_different_given_names_do_not_merge(gazetteer):
    done = resolve_all(
        [article("a", ("Person", ("Park Ji-won",))), article("b", ("Person", ("Park Ji-woo",)))], gazetteer
    )
    assert iris(done[0]) != iris(done[1])


def test_surname_joins_the_one_known_person(gazetteer):
    done = resolve_all([article("a", ("Person", ("Mira Volkova",))), article("b", ("Person", ("Volkova",)))], gazetteer)
    assert iris(done[1]) == iris(done[0])
    assert done[1].entities["e0"].label == "Mira Volkova"  # the canonical label of the merged entity


def test_family_name_first_joins_too(gazetteer):
    done = resolve_all([article("a", ("Person", ("Choi Min-jae",))), article("b", ("Person", ("Choi",)))], gazetteer)
    assert iris(done[1]) == iris(done[0])


def test_surname_shared_by_two_people_is_not_guessed(gazetteer):
    first = article("a", ("Person", ("Park Ji-won",)), ("Person", ("Park Hye-rin",)))
    done = resolve_all([first, article("b", ("Person", ("Park",)))], gazetteer)
    park = iris(done[1])[0]
    assert park not in iris(done[0])
    assert park == entity_iri("Person", "park")


def test_surname_in_the_same_article_joins_the_full_name(gazetteer):
    (done,) = resolve_all([article("a", ("Person", ("Volkova",)), ("Person", ("Mira Volkova",)))], gazetteer)
    assert done.entities["e0"].iri == done.entities["e1"].iri == entity_iri("Person", "mira volkova")


def test_full_name_joins_a_person_known_only_by_surname(gazetteer):
    done = resolve_all([article("a", ("Person", ("Volkova",))), article("b", ("Person", ("Mira Volkova",)))], gazetteer)
    assert iris(done[1]) == iris(done[0])


def test_full_name_does_not_join_a_surname_when_another_person_shares_it(gazetteer):
    first = article("a", ("Person", ("Volkova",)), ("Person", ("Anna Volkova",)))
    done = resolve_all([first, article("b", ("Person", ("Mira Volkova",)))], gazetteer)
    assert iris(done[1])[0] not in iris(done[0])


def test_one_word_alias_never_merges_two_full_names(gazetteer):
    # An article names a judge "Karim Nabil"; another names a writer "Omar Karim" and later just "Karim".
    judge = article("a", ("Person", ("Karim Nabil",)))
    writer = article("b", ("Person", ("Omar Karim", "Karim")))
    for order in ([judge, writer], [writer, judge]):
        done = resolve_all(order, gazetteer)
        assert iris(done[0]) != iris(done[1])


def test_one_word_alias_of_a_known_person_is_no_variant_of_a_full_name(gazetteer):
    # "Karim" alone joined Omar Karim (the one person of that name); an article naming "Karim Nabil" and then
    # "Karim" must not join him through that one-word form (it did, as a name variant).
    done = resolve_all(
        [
            article("a", ("Person", ("Omar Karim",))),
            article("b", ("Person", ("Karim",))),
            article("c", ("Person", ("Karim Nabil", "Karim"))),
        ],
        gazetteer,
    )
    assert iris(done[1]) == iris(done[0])
    assert iris(done[2]) == [entity_iri("Person", "karim nabil")]


def test_person_never_merges_with_a_place_of_the_same_name(gazetteer):
    done = resolve_all(
        [article("a", ("Place", ("Tamsin Hollow",))), article("b", ("Person", ("Tamsin Hollow",)))], gazetteer
    )
    assert iris(done[0]) != iris(done[1])
    assert iris(done[1])[0].startswith(BASE + "person/")


# -- organizations --------------------------------------------------------------------------------


def test_short_form_joins_the_known_company(gazetteer):
    done = resolve_all(
        [article("a", ("Company", ("Quillfeather Games",))), article("b", ("Organization", ("Quillfeather",)))],
        gazetteer,
    )
    assert iris(done[1]) == iris(done[0])
    assert done[1].entities["e0"].type == "Company"  # the refined class seen before wins over a generic guess


def test_short_form_shared_by_two_companies_is_not_guessed(gazetteer):
    first = article("a", ("Company", ("Quillfeather Games",)), ("Company", ("Quillfeather Bank",)))
    done = resolve_all([first, article("b", ("Organization", ("Quillfeather",)))], gazetteer)
    assert iris(done[1])[0] not in iris(done[0])


def test_long_form_joins_a_known_short_form(gazetteer):
    done = resolve_all(
        [article("a", ("Company", ("Quillfeather",))), article("b", ("Company", ("Quillfeather Games",)))], gazetteer
    )
    assert iris(done[1]) == iris(done[0])


@pytest.mark.parametrize(
    ("short", "long"), [("Tallowmere Herald", "Tallowmere Herald Weekly"), ("Quillfeather", "Quillfeather Games")]
)
def test_short_and_long_form_merge_in_either_order(gazetteer, short, long):
    for order in ((short, long), (long, short)):
        done = resolve_all([article(str(n), ("Organization", (name,))) for n, name in enumerate(order)], gazetteer)
        assert iris(done[1]) == iris(done[0])


def test_a_short_alias_of_a_known_company_draws_no_other_long_form(gazetteer):
    first = article("a", ("Company", ("Quillfeather Games", "Quillfeather")))
    done = resolve_all([first, article("b", ("Company", ("Quillfeather Bank",)))], gazetteer)
    assert iris(done[1]) != iris(done[0])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Korea Fair Trade Commission", "KFTC"),
        ("KFTC", "Korea Fair Trade Commission"),
        ("Baltic Rail Authority", "B.R.A."),
    ],
)
def test_acronym_and_full_name_merge_both_ways(gazetteer, first, second):
    done = resolve_all([article("a", ("Organization", (first,))), article("b", ("Organization", (second,)))], gazetteer)
    assert iris(done[1]) == iris(done[0])


def test_acronym_of_two_organizations_is_not_guessed(gazetteer):
    first = article(
        "a", ("Organization", ("Korea Fair Trade Commission",)), ("Organization", ("Kyiv Film Trade Council",))
    )
    done = resolve_all([first, article("b", ("Organization", ("KFTC",)))], gazetteer)
    assert iris(done[1])[0] not in iris(done[0])


def test_unrelated_names_stay_apart(gazetteer):
    done = resolve_all(
        [article("a", ("Company", ("Northwind Freight",))), article("b", ("Company", ("Southwind Freight",)))],
        gazetteer,
    )
    assert iris(done[0]) != iris(done[1])


def test_groups_are_article_local(gazetteer):
    extraction = Extraction(Article("a", "t"), (Entity("g1", "Group", "two soldiers", (), size=2),))
    (done,) = resolve_all([extraction], gazetteer)
    assert done.entities["g1"].iri == group_iri("a", "g1")


# -- canonical labels -----------------------------------------------------------------------------


def test_canonical_label_prefers_the_fullest_form(gazetteer):
    forms = [("Volkova", 5), ("Mira Volkova", 1), ("M. Volkova", 2)]
    assert canonical_label("Person", forms, None, gazetteer) == ("Mira Volkova", ("M. Volkova", "Volkova"))
    for shuffled in itertools.permutations(forms):
        assert canonical_label("Person", shuffled, None, gazetteer)[0] == "Mira Volkova"


def test_canonical_label_ties_break_by_count_then_code_point(gazetteer):
    assert canonical_label("Person", [("Ann Lee", 1), ("Ann Lea", 3)], None, gazetteer)[0] == "Ann Lea"
    assert canonical_label("Person", [("Ann Lee", 2), ("Ann Lea", 2)], None, gazetteer)[0] == "Ann Lea"
    assert canonical_label("Person", [("Ann Lee", 2), ("Ann Lea", 1), ("Ann Lee", 2)], None, gazetteer)[0] == "Ann Lee"


def test_canonical_label_of_a_linked_entity_is_the_gazetteer_name(gazetteer):
    assert canonical_label("Country", [("UK", 3), ("Britain", 1)], "Q145", gazetteer) == (
        "United Kingdom",
        ("Britain", "UK"),
    )
    assert canonical_label("Organization", [("CMA", 1)], None, gazetteer)[0] == "Competition and Markets Authority"
    assert canonical_label("Person", [("Jordan", 1)], None, gazetteer)[0] == "Jordan"


# -- helpers --------------------------------------------------------------------------------------


def test_name_helpers():
    assert initials("Competition and Markets Authority") == "CMA"
    assert initials("National Intelligence Service") == "NIS"
    assert initials("Activision") is None
    assert acronym("N.I.S.") == "NIS" and acronym("Nis") is None and acronym("EU") is None
    assert spelling_key("Zelenskyy") == spelling_key("Zelensky") == "zelensky"


# -- the store index ------------------------------------------------------------------------------


def test_from_rows_rebuilds_the_index(gazetteer):
    rows = [
        {
            "iri": BASE + "person/mira_volkova",
            "type": "https://w3id.org/newskg/ontology#Person",
            "name": "Mira Volkova",
        },
        {"iri": BASE + "person/mira_volkova", "type": "Person", "name": "Volkova", "label": "Mira Volkova"},
        {"iri": BASE + "organization/korea_fair_trade_commission", "type": "Organization", "name": "KFTC"},
        {"iri": BASE + "place/Q145", "type": "Country", "name": "UK", "qid": "http://www.wikidata.org/entity/Q145"},
    ]
    known = KnownEntities.from_rows(rows, gazetteer)
    assert len(known) == 3
    assert known.record(BASE + "place/Q145")[1] == "Q145"
    done = resolve_all(
        [article("b", ("Person", ("Volkova",)), ("Organization", ("Korea Fair Trade Commission",)))], gazetteer, known
    )
    assert iris(done[0]) == [BASE + "person/mira_volkova", BASE + "organization/korea_fair_trade_commission"]


def test_from_store_reads_surface_forms_labels_and_links(gazetteer):
    from kg.store import open_store

    kg = "https://w3id.org/newskg/ontology#"
    person = BASE + "person/mira_volkova"
    country = BASE + "place/Q145"
    store = open_store(None)
    store.set_graph(
        BASE + "article/a",
        f"<{person}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kg}Person> .\n"
        f'<{person}> <{kg}surfaceForm> "Mira Volkova" .\n'
        f"<{country}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kg}Country> .\n"
        f'<{country}> <{kg}surfaceForm> "Britain" .\n'
        f"<{country}> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q145> .\n",
    )
    store.set_graph(
        BASE + "graph/entities",
        f'<{person}> <http://www.w3.org/2000/01/rdf-schema#label> "Mira Volkova" .\n',
    )
    known = KnownEntities.from_store(store, gazetteer)
    assert known.record(person) == ("Person", None, {"Mira Volkova": 1})
    assert known.record(country) == ("Country", "Q145", {"Britain": 1})


# -- order independence ---------------------------------------------------------------------------

ARTICLES = [
    article("a", ("Country", ("Britain",)), ("Person", ("Lee Seo-yeon",)), ("Organization", ("KFTC",))),
    article("b", ("Country", ("the UK",)), ("Person", ("Lee Seo Yeon",)), ("Organization", ("CMA",))),
    article("c", ("Person", ("Park Ji-won",)), ("Person", ("Park Hye-rin",)), ("Person", ("Park",))),
    article("d", ("Country", ("United Kingdom",)), ("Organization", ("Competition and Markets Authority",))),
]


def final_iris(order, gazetteer, rename=False) -> dict[tuple[str, str], str]:
    """Resolve articles in `order`, applying renames to earlier results; map (article, key) -> IRI."""
    known = KnownEntities(gazetteer)
    result: dict[tuple[str, str], str] = {}
    for extraction in order:
        resolved = resolve(extraction, known, gazetteer)
        for key, entity in resolved.entities.items():
            result[(extraction.article.id, key)] = entity.iri
        renames = known.add(resolved, rename=rename)
        if rename:
            result = {k: renames.get(v, v) for k, v in result.items()}
    return result


def test_order_does_not_change_iris(gazetteer):
    results = [final_iris(order, gazetteer) for order in itertools.permutations(ARTICLES)]
    assert all(r == results[0] for r in results)


def test_surname_first_is_order_independent_with_renames(gazetteer):
    articles = [
        article("a", ("Person", ("Volkova",))),
        article("b", ("Person", ("Mira Volkova",))),
        article("c", ("Company", ("Quillfeather",))),
        article("d", ("Company", ("Quillfeather Games",))),
    ]
    results = [final_iris(order, gazetteer, rename=True) for order in itertools.permutations(articles)]
    assert all(r == results[0] for r in results)
    assert results[0][("a", "e0")] == entity_iri("Person", "mira volkova")
    assert results[0][("c", "e0")] == entity_iri("Company", "quillfeather games")


def test_without_renames_the_first_minted_iri_stays(gazetteer):
    known = KnownEntities(gazetteer)
    first = resolve(article("a", ("Person", ("Volkova",))), known, gazetteer)
    known.add(first)
    second = resolve(article("b", ("Person", ("Mira Volkova",))), known, gazetteer)
    assert second.entities["e0"].iri == entity_iri("Person", "volkova")
    assert known.add(second) == {entity_iri("Person", "volkova"): entity_iri("Person", "mira volkova")}
    assert entity_iri("Person", "volkova") in known  # rename=False moved nothing


def test_resolve_is_deterministic_and_does_not_touch_known(gazetteer):
    known = KnownEntities(gazetteer)
    one = resolve(ARTICLES[2], known, gazetteer)
    two = resolve(ARTICLES[2], known, gazetteer)
    assert one == two and len(known) == 0


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Russia's defence ministry", "Ministry of Defence of the Russian Federation"),
        ("Britain's Competition and Markets Authority", "Competition and Markets Authority"),
        ("Ukraine's armed forces", "Armed Forces of Ukraine"),
        ("South Korea’s National Intelligence Service", "National Intelligence Service"),
    ],
)
def test_country_qualified_organizations_link(gazetteer, name, label):
    (done,) = resolve_all([article("a", ("Organization", (name,)))], gazetteer)
    assert done.entities["e0"].label == label


def test_country_qualified_name_of_another_countrys_body_is_not_linked(gazetteer):
    (done,) = resolve_all([article("a", ("Organization", ("France's Competition and Markets Authority",)))], gazetteer)
    assert done.entities["e0"].label == "France's Competition and Markets Authority"


def test_canonical_label_of_a_country_qualified_form(gazetteer):
    label, alts = canonical_label("Organization", [("Russia's defence ministry", 1)], None, gazetteer)
    assert (label, alts) == ("Ministry of Defence of the Russian Federation", ("Russia's defence ministry",))


def test_a_possessive_long_name_is_not_a_short_form_target(gazetteer):
    first = article("a", ("Organization", ("Quillfeathers' Lantern Works",)))
    done = resolve_all([first, article("b", ("Organization", ("Quillfeathers",)))], gazetteer)
    assert iris(done[1]) != iris(done[0])


# -- name variants: legal forms, spelled-out countries, middle initials -----------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Tallow Ridge Engineering", "Tallow Ridge Engineering, Inc."),
        ("Brindlecombe Foods Ltd", "Brindlecombe Foods"),
        ("U.S. Bureau of Lighthouses", "United States Bureau of Lighthouses"),
    ],
)
def test_organization_name_variants_merge_in_any_order(gazetteer, first, second):
    for order in ((first, second), (second, first)):
        articles = [article(str(n), ("Organization", (name,))) for n, name in enumerate(order)]
        results = final_iris(articles, gazetteer, rename=True)
        assert results[("0", "e0")] == results[("1", "e0")]


def test_a_legal_form_alone_is_not_dropped(gazetteer):
    done = resolve_all([article("a", ("Company", ("Plc",))), article("b", ("Company", ("Plc Holdings",)))], gazetteer)
    assert done[0].entities["e0"].label == "Plc"


def test_middle_initial_joins_the_one_person_of_that_name(gazetteer):
    for order in (("Orla T. Fennimore", "Orla Fennimore"), ("Orla Fennimore", "Orla T. Fennimore")):
        articles = [article(str(n), ("Person", (name,))) for n, name in enumerate(order)]
        results = final_iris(articles, gazetteer, rename=True)
        assert results[("0", "e0")] == results[("1", "e0")]


def test_a_leading_initial_joins_the_one_person_of_that_name(gazetteer):
    for order in (("J. Wendell Arrowsmith", "Wendell Arrowsmith"), ("Wendell Arrowsmith", "J. Wendell Arrowsmith")):
        articles = [article(str(n), ("Person", (name,))) for n, name in enumerate(order)]
        results = final_iris(articles, gazetteer, rename=True)
        assert results[("0", "e0")] == results[("1", "e0")]
    # Another leading initial is another person; a lone initial before a surname is no given name.
    done = resolve_all(
        [article("a", ("Person", ("J. Wendell Arrowsmith",))), article("b", ("Person", ("K. Wendell Arrowsmith",)))],
        gazetteer,
    )
    assert iris(done[0]) != iris(done[1])
    done = resolve_all(
        [article("a", ("Person", ("J. Arrowsmith",))), article("b", ("Person", ("K. Arrowsmith",)))], gazetteer
    )
    assert iris(done[0]) != iris(done[1])


def test_a_short_given_name_joins_the_one_person_of_the_full_name(gazetteer):
    for order in (("Thomas Q. Ravensworth", "Tom Ravensworth"), ("Tom Ravensworth", "Thomas Q. Ravensworth")):
        articles = [article(str(n), ("Person", (name,))) for n, name in enumerate(order)]
        results = final_iris(articles, gazetteer, rename=True)
        assert results[("0", "e0")] == results[("1", "e0")]
    # A short form stands for one full name only: "Tom" is no "Timothy".
    done = resolve_all(
        [article("a", ("Person", ("Timothy Ravensworth",))), article("b", ("Person", ("Tom Ravensworth",)))], gazetteer
    )
    assert iris(done[0]) != iris(done[1])


@pytest.mark.parametrize("nicknamed", ['Corwin "Red" Halloway', "Corwin 'the Fox' Halloway", "Corwin “Red” Halloway"])
def test_a_quoted_nickname_inside_a_name_joins_the_name_without_it(gazetteer, nicknamed):
    for order in ((nicknamed, "Corwin Halloway"), ("Corwin Halloway", nicknamed)):
        articles = [article(str(n), ("Person", (name,))) for n, name in enumerate(order)]
        results = final_iris(articles, gazetteer, rename=True)
        assert results[("0", "e0")] == results[("1", "e0")]
    # An apostrophe inside a surname is no quote.
    done = resolve_all(
        [article("a", ("Person", ("Nell O'Dwyer",))), article("b", ("Person", ("Nell Dwyer",)))], gazetteer
    )
    assert iris(done[0]) != iris(done[1])


def test_different_middle_initials_stay_apart_and_make_the_bare_name_ambiguous(gazetteer):
    done = resolve_all(
        [
            article("a", ("Person", ("Orla T. Fennimore",))),
            article("b", ("Person", ("Orla K. Fennimore",))),
            article("c", ("Person", ("Orla Fennimore",))),
        ],
        gazetteer,
    )
    assert len({iris(d)[0] for d in done}) == 3


def test_a_name_read_as_a_company_once_joins_the_person_two_articles_name(gazetteer):
    done = resolve_all(
        [
            article("a", ("Person", ("Tamsin Vollrath",))),
            article("b", ("Person", ("Tamsin Vollrath",))),
            article("c", ("Organization", ("Tamsin Vollrath",))),
        ],
        gazetteer,
    )
    assert iris(done[2]) == iris(done[0])
    assert done[2].entities["e0"].type == "Person"


def test_one_reading_each_way_keeps_a_person_and_an_organization_apart(gazetteer):
    done = resolve_all(
        [article("a", ("Person", ("Tamsin Vollrath",))), article("b", ("Organization", ("Tamsin Vollrath",)))],
        gazetteer,
    )
    assert iris(done[1]) != iris(done[0])


@pytest.mark.xfail(
    strict=True,
    reason="known order dependence: a one-word name joins the one known person it fits, judged when its article "
    "is built; a later second candidate does not take it back (bench/order_check.py measures it on ECB+)",
)
def test_a_surname_joins_the_same_person_whatever_was_built_first(gazetteer):
    articles = [
        article("a", ("Person", ("Omar Karim",))),
        article("b", ("Person", ("Karim",))),
        article("c", ("Person", ("Karim Nabil",))),
    ]
    results = [final_iris(order, gazetteer, rename=True) for order in itertools.permutations(articles)]
    assert all(r == results[0] for r in results)
