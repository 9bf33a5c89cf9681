"""Scores for gold files that annotate only some event types (WikiEvents): roles, classes and places on matched events.

WikiEvents marks about 50 event types over whole documents, so a true event of another kind (say, want, plan)
counts as a false trigger and every role on it as a false role. What such gold can measure fairly is what
happens on the events whose trigger matched a gold trigger (kg.evaluate.scoring pairs them). A gold file is
read this way when its events carry "kg_classes" (the newskg classes accepted as a correct typing).

Figures, summed over documents like the others:

- **role.matched** -- agent and patient pooled, both sides restricted to matched events: a predicted role is
  right when it pairs (same role, overlapping spans, one-to-one) with a gold argument of the gold event its
  event matched; gold arguments of gold events nothing matched are left out.
- **class** -- over matched gold events whose kg_classes is not empty: right when the predicted class or one
  of its superclasses in ontology/newskg.ttl is listed. {"accuracy", "n", "correct"}.
- **place** -- gold PLACE arguments against predicted `place` roles, paired as roles are: recall over every
  gold place, precision over the places given on matched events (places on unmatched events are neither right
  nor wrong here, for the reason above).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from kg.evaluate.gold import gold_args
from kg.evaluate.matching import match_one_to_one, overlap_length, overlaps, role_span
from kg.evaluate.prf import prf, ratio
from kg.records import Role

WIKIEVENTS_METRICS = ("role_matched", "class", "place")
ROLE_ARGS = (("agent", "Arg0"), ("patient", "Arg1"))
PLACE_ROLE, PLACE_ARG = "place", "PLACE"


def annotates_classes(doc: dict) -> bool:
    """Return whether a gold document's events carry kg_classes (WikiEvents-style gold)."""
    return any("kg_classes" in event for event in doc.get("events", ()))


@lru_cache(maxsize=1)
def superclasses() -> dict[str, frozenset[str]]:
    """Return {event class local name: the class and all its kg: superclasses}, read from ontology/newskg.ttl."""
    from rdflib import RDFS, Graph

    from kg.vocab import KG, ontology_dir

    graph = Graph().parse(ontology_dir() / "newskg.ttl", format="turtle")
    prefix = str(KG._NS)
    parents: dict[str, set[str]] = {}
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if str(child).startswith(prefix) and str(parent).startswith(prefix):
            parents.setdefault(str(child)[len(prefix) :], set()).add(str(parent)[len(prefix) :])

    def closure(name: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        found = {name}
        for parent in parents.get(name, ()):
            if parent not in seen:
                found |= closure(parent, seen | {name})
        return frozenset(found)

    return {name: closure(name) for name in parents}


def class_is_right(predicted: str, accepted: Sequence[str]) -> bool:
    """Return whether a predicted class, or one of its superclasses, is among the accepted class names."""
    return bool(superclasses().get(predicted, frozenset({predicted})) & set(accepted))


def _pair(events, gold_by_event, gold_events, role_name, arg_role, entities, mentions) -> Counter:
    gold = [(id(g), span) for g in gold_events for span in gold_args(g, arg_role, mentions)]
    predicted = []
    for index, event in enumerate(events):
        matched_gold = gold_by_event.get(index)
        if matched_gold is None:
            continue
        gold_spans = gold_args(matched_gold, arg_role, mentions)
        for entity, start, end in dict.fromkeys((r.entity, r.start, r.end) for r in event.roles if r.name == role_name):
            span = role_span(event, Role(role_name, entity, start, end), entities, gold_spans)
            predicted.append((id(matched_gold), span))
    pairs = match_one_to_one(
        predicted,
        gold,
        lambda p, g: p[0] == g[0] and p[1] is not None and overlaps(p[1], g[1]),
        lambda p, g: overlap_length(p[1], g[1]),
    )
    return Counter(tp=len(pairs), fp=len(predicted) - len(pairs), fn=len(gold) - len(pairs))


def tally_matched(events, gold_by_event: dict, gold_events, entities: dict, mentions: dict) -> dict[str, Counter]:
    """Count the matched-event figures of one document.

    Takes the predicted Events in scope, {event index: the gold event its trigger matched}, the gold events in
    scope, the extraction's entities by key and the gold entity mentions by id; returns {"role_matched",
    "class", "place": Counter}.
    """
    matched_gold = list(gold_by_event.values())
    role = Counter()
    for role_name, arg_role in ROLE_ARGS:
        role.update(_pair(events, gold_by_event, matched_gold, role_name, arg_role, entities, mentions))
    place = _pair(events, gold_by_event, gold_events, PLACE_ROLE, PLACE_ARG, entities, mentions)
    classes = Counter()
    for index, gold in gold_by_event.items():
        accepted = gold.get("kg_classes") or []
        if accepted:
            classes.update(n=1, correct=int(class_is_right(events[index].type, accepted)))
    return {"role_matched": role, "class": classes, "place": place}


def figures(total: dict[str, Counter]) -> dict:
    """Turn summed tallies into {"role_matched": prf, "class": {"accuracy","n","correct"}, "place": prf}."""
    classes = total.get("class", Counter())
    return {
        "role_matched": prf(total.get("role_matched", Counter())),
        "class": {
            "accuracy": ratio(classes["correct"], classes["n"]),
            "n": classes["n"],
            "correct": classes["correct"],
        },
        "place": prf(total.get("place", Counter())),
    }
