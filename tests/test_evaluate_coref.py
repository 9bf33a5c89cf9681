"""Coreference scoring (kg/evaluate/coref.py): MUC, B3, CEAF-e and CoNLL against scores worked out by hand."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.evaluate.coref import b_cubed, ceaf_e, coref_scores, muc, predicted_mentions, score_coref
from kg.records import Article, Entity, Event, Evidence, Extraction, Mention, Role

# Key K1 = {a, b, c}, K2 = {d, e}; response R1 = {a, b}, R2 = {c, d}, R3 = {e}.
KEY = {"a": "K1", "b": "K1", "c": "K1", "d": "K2", "e": "K2"}
RESPONSE = {"a": "R1", "b": "R1", "c": "R2", "d": "R2", "e": "R3"}


def test_muc_by_hand():
    # Recall: K1 is cut by the response into {a,b},{c}: 3 - 2 = 1; K2 into {d},{e}: 2 - 2 = 0.
    #   1 / ((3 - 1) + (2 - 1)) = 1/3.
    # Precision: R1 = {a,b} lies in K1: 2 - 1 = 1; R2 = {c,d} is cut in two: 0; R3 = {e}: 0 of 0.
    #   1 / ((2 - 1) + (2 - 1) + 0) = 1/2.  F1 = 2 * 1/2 * 1/3 / (1/2 + 1/3) = 2/5.
    assert muc(KEY, RESPONSE) == {"p": 0.5, "r": 0.3333, "f1": 0.4}


def test_b_cubed_by_hand():
    # mention: |K & R| / |R|, |K & R| / |K|
    # a: 2/2, 2/3   b: 2/2, 2/3   c: 1/2, 1/3   d: 1/2, 1/2   e: 1/1, 1/2
    # P = (1 + 1 + 1/2 + 1/2 + 1) / 5 = 4/5;  R = (2/3 + 2/3 + 1/3 + 1/2 + 1/2) / 5 = 8/15
    # F1 = 2 * 4/5 * 8/15 / (4/5 + 8/15) = (64/75) / (4/3) = 0.64
    assert b_cubed(KEY, RESPONSE) == {"p": 0.8, "r": 0.5333, "f1": 0.64}


def test_ceaf_e_by_hand():
    # phi4(K, R) = 2 |K & R| / (|K| + |R|):
    #        R1           R2           R3
    # K1   2*2/5 = .8   2*1/5 = .4   0
    # K2   0            2*1/4 = .5   2*1/3 = 2/3
    # Best one-to-one alignment: K1-R1 + K2-R3 = 4/5 + 2/3 = 22/15 (K1-R1 + K2-R2 gives only 1.3).
    # P = (22/15) / 3 response clusters = 22/45;  R = (22/15) / 2 key clusters = 11/15
    # F1 = 2 * (22/15) / (3 + 2) = 44/75
    assert ceaf_e(KEY, RESPONSE) == {"p": 0.4889, "r": 0.7333, "f1": 0.5867}


def test_conll_is_the_mean_of_the_three_f1():
    # (2/5 + 0.64 + 44/75) / 3 = 0.54222
    scores = coref_scores(KEY, RESPONSE)
    assert scores["conll"] == 0.5422
    assert (scores["mentions"], scores["key_clusters"], scores["response_clusters"]) == (5, 2, 3)


def test_a_perfect_response_scores_one_everywhere():
    scores = coref_scores(KEY, {m: f"x{c}" for m, c in KEY.items()})
    assert all(scores[m] == {"p": 1.0, "r": 1.0, "f1": 1.0} for m in ("muc", "b3", "ceafe"))
    assert scores["conll"] == 1.0


def test_missing_mentions_are_singletons_and_extra_ones_are_dropped():
    # Key {a, b}, {c}. The response puts a with x (x is not in the key: dropped) and lacks b and c,
    # so it reads {a}, {b}, {c}.
    # MUC: recall 0 / 1; precision 0 / 0 -> 0.
    # B3: a: 1/1, 1/2  b: 1/1, 1/2  c: 1/1, 1/1 -> P = 1, R = 2/3, F1 = 0.8
    # CEAF-e: {a,b}-{a} = 2/3 (or -{b}), {c}-{c} = 1 -> S = 5/3; P = 5/9, R = 5/6, F1 = 2 * (5/3) / 5 = 2/3
    # CoNLL: (0 + 0.8 + 2/3) / 3 = 0.48889
    scores = coref_scores({"a": 1, "b": 1, "c": 2}, {"a": "R", "x": "R"})
    assert scores["muc"] == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert scores["b3"] == {"p": 1.0, "r": 0.6667, "f1": 0.8}
    assert scores["ceafe"] == {"p": 0.5556, "r": 0.8333, "f1": 0.6667}
    assert scores["conll"] == 0.4889


def _gold_doc(doc_id, text, entities, events=()):
    return {
        "id": doc_id,
        "topic": "t",
        "text": text,
        "entities": [
            {"id": str(i), "start": s, "end": e, "text": text[s:e], "cluster_id": c}
            for i, (s, e, c) in enumerate(entities)
        ],
        "events": [
            {"id": f"v{i}", "start": s, "end": e, "text": text[s:e], "cluster_id": c}
            for i, (s, e, c) in enumerate(events)
        ],
    }


def test_score_coref_aligns_by_overlap_across_documents():
    one = _gold_doc("1", "Acme rose. It grew.", [(0, 4, "acme"), (11, 13, "acme")], [(5, 9, "rise")])
    two = _gold_doc("2", "The Acme shares rose.", [(4, 8, "acme")], [(16, 20, "rise")])
    predicted = [
        # "Acme" overlaps gold (0, 4); the pronoun was not found; (14, 18) has no gold: dropped.
        {"entity": [((0, 4), "E"), ((14, 18), "E")], "event": [((5, 9), "V1")]},
        # "The Acme" overlaps gold "Acme"; the event joins the first document's.
        {"entity": [((0, 8), "E")], "event": [((16, 20), "V1")]},
    ]
    report = score_coref([one, two], predicted)
    # Entities: key {1:0, 1:1, 2:0}; response {1:0, 2:0} + singleton {1:1}.
    # MUC: R = (3 - 2) / 2 = 1/2, P = (2 - 1) / 1 = 1 -> F1 2/3.
    assert report["coref"]["entity"]["muc"] == {"p": 1.0, "r": 0.5, "f1": 0.6667}
    # Events: both mentions in one cluster, as in the key.
    assert report["coref"]["event"]["conll"] == 1.0
    assert report["documents"] == 2


def _extraction(article_id: str, text: str, name: str, trigger: str, type_: str = "Acquisition") -> Extraction:
    start = text.index(name)
    sentence = Evidence(text, 0, len(text))
    entity = Entity("e1", "Company", name, (name,), (Mention(start, start + len(name), name, evidence=sentence),))
    t = text.index(trigger)
    event = Event("v1", type_, trigger, t, t + len(trigger), sentence)
    return Extraction(Article(article_id, text), (entity,), (event,))


def test_predicted_mentions_resolve_names_across_articles_in_id_order():
    first = _extraction("b", "Zorblax Industries bought a mill.", "Zorblax Industries", "bought")
    second = _extraction("a", "Zorblax Industries made the purchase.", "Zorblax Industries", "purchase")
    third = _extraction("c", "Zorblax Industries sold a farm.", "Zorblax Industries", "sold", "Sale")
    mentions = predicted_mentions([first, second, third])
    assert mentions[0]["entity"][0][1] == mentions[1]["entity"][0][1] == mentions[2]["entity"][0][1]
    assert mentions[0]["entity"][0][0] == (0, 18)
    # An event's cluster is its instance: one acquisition by the same company, and a sale apart.
    assert mentions[0]["event"][0][1] == mentions[1]["event"][0][1] != mentions[2]["event"][0][1]


def _death(article_id: str, text: str, name: str, trigger: str) -> Extraction:
    extraction = _extraction(article_id, text, name, trigger, "Death")
    (entity,) = extraction.entities
    (event,) = extraction.events
    person = Entity(entity.key, "Person", name, (name,), entity.mentions)
    victim = replace(event, roles=(Role("patient", entity.key),))
    return replace(extraction, entities=(person,), events=(victim,))


def test_an_event_anchored_on_a_renamed_person_is_re_minted_as_the_store_does():
    # In id order: the short name, then the fuller one, which renames the person, then the short name again,
    # which now resolves to the new IRI. The first two instances were keyed on the old IRI.
    articles = [
        _death("a", "Orla Venkman died at home.", "Orla Venkman", "died"),
        _death("b", "Orla T. Venkman died on Sunday.", "Orla T. Venkman", "died"),
        _death("c", "Neighbours said Orla Venkman died.", "Orla Venkman", "died"),
    ]
    mentions = predicted_mentions(articles)
    assert len({m["entity"][0][1] for m in mentions}) == 1
    assert len({m["event"][0][1] for m in mentions}) == 1


@pytest.mark.slow
def test_cli_eval_coref_prints_the_json_keys(tmp_path):
    text = "Zorblax Industries bought a mill in Ohio. Zorblax Industries said the purchase closed."
    doc = _gold_doc("d1", text, [(0, 18, "z"), (41, 59, "z")], [(19, 25, "buy"), (70, 78, "buy")])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--coref", "--whole-documents", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    for kind in ("entity", "event"):
        assert set(report["coref"][kind]) >= {"muc", "b3", "ceafe", "conll"}
        assert set(report["coref"][kind]["b3"]) == {"p", "r", "f1"}
    # Both names are found and resolved to one company.
    assert report["coref"]["entity"]["conll"] == 1.0


def test_disjoint_sets_join_transitively_and_keep_strangers_apart():
    from kg.evaluate.coref import DisjointSets

    sets = DisjointSets()
    sets.union("a", "b")
    sets.union("c", "b")
    sets.union("d", "e")
    assert sets.find("a") == sets.find("c")
    assert sets.find("a") != sets.find("d")
    assert sets.find("z") == "z"
