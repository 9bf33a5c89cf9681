"""Spans and matching: overlap of character spans, one-to-one pairing, and the span a predicted argument claims."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kg.records import Entity, Event, Role

Span = tuple[int, int]


def overlaps(a: Span, b: Span) -> bool:
    """Return True when two half-open character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def overlap_length(a: Span, b: Span) -> int:
    """Return how many characters two half-open spans share (negative when they are apart)."""
    return min(a[1], b[1]) - max(a[0], b[0])


def _distance(a: Span, b: Span) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def match_one_to_one(predicted: Sequence, gold: Sequence, fits: Callable, key: Callable) -> dict[int, int]:
    """Pair predicted items with gold items, each used at most once.

    Takes two sequences, `fits(p, g) -> bool` and `key(p, g)` (larger is a better pair);
    returns {predicted index: gold index}. Greedy: best pairs first, ties in input order.
    """
    pairs = [(i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold) if fits(p, g)]
    pairs.sort(key=lambda ij: (-key(predicted[ij[0]], gold[ij[1]]), ij))
    used_p: set[int] = set()
    used_g: set[int] = set()
    result = {}
    for i, j in pairs:
        if i not in used_p and j not in used_g:
            result[i] = j
            used_p.add(i)
            used_g.add(j)
    return result


def span_match(predicted: Sequence[Span], gold: Sequence[Span]) -> dict[int, int]:
    """Pair overlapping spans one-to-one, largest overlap first; returns {predicted index: gold index}."""
    return match_one_to_one(predicted, gold, overlaps, overlap_length)


def argument_span(event: Event, entity: Entity | None, gold_spans: Sequence[Span]) -> Span | None:
    """Choose the mention that stands for a predicted argument.

    Takes the event, the argument's Entity and the gold argument spans it may be compared with;
    returns one mention span: among the entity's mentions in the event's sentence (all of them if
    none is there), the first overlapping a gold span, else the one nearest the trigger. None when
    the entity is unknown or has no mentions.
    """
    if entity is None or not entity.mentions:
        return None
    sentence = (event.evidence.start, event.evidence.end)
    spans = [(m.start, m.end) for m in entity.mentions]
    inside = [s for s in spans if sentence[0] <= s[0] and s[1] <= sentence[1]] or spans
    trigger = (event.start, event.end)
    inside.sort(key=lambda s: (_distance(s, trigger), s))
    for span in inside:
        if any(overlaps(span, g) for g in gold_spans):
            return span
    return inside[0]


def role_span(event: Event, role: Role, entities: dict[str, Entity], gold_spans: Sequence[Span]) -> Span | None:
    """Return the span a predicted role claims as its argument.

    Takes the event, one of its Roles, the extraction's entities by key and the gold argument spans;
    returns the Role's own phrase span when it has one, else `argument_span` of its entity (None
    when neither exists).
    """
    if role.start is not None and role.end is not None:
        return role.start, role.end
    return argument_span(event, entities.get(role.entity) if role.entity else None, gold_spans)
