"""Event coreference across articles: each chain of event mentions named by the real-world event it tells of.

NewsReader's split of instances and mentions: every article keeps its own event mention nodes, and
each mention points to an event INSTANCE whose IRI is minted from a key, so two articles telling of
one event give the same instance without reading each other:

    key = (class, anchor, date bucket)

- class: the event class of the article's chain (kg/extract/event_chains.py); for a plain kg:Event,
  whose trigger the lexicon does not know, the class and the trigger lemma ("Event:ban");
- anchor: one resolved IRI, the first of the chain's named patients (the patient tells an event apart
  best: who was attacked, what was bought), else the named entity the article mentions most (its
  protagonist: "the quake" in an article about one country, "the rehab" in one about one actress).
  Agents and places come after the protagonist: articles name them unevenly ("police said" here, the
  sheriff's office there; "in Paris" here, not there) while one event's protagonist is the same in
  every article about it. Measured with agents and places before the protagonist, then after it: event
  CoNLL F1 .592 -> .601 on ECB+ dev (bench/coref_baseline.py), .730 -> .743 on MEANTIME.
  Groups, which live in one article only, never enter a key;
- date bucket: the ISO week of the chain's first full date, else of the article's date; empty when
  neither is known. A recap published weeks later without a date is another instance: the price
  of needing no look-up.

A chain with no anchor at all, and every statement (one speaker says many things in a week), stays
an instance of its own article: its key holds the article id and the chain's first mention.

The key is stored with the instance (kg:instanceKey): when the store renames an entity, it re-mints
the instances anchored on it, as if the entity had carried the new IRI from the start. The key is
a pure function of one article and the entity IRIs, which makes instances independent of
input order and incremental: a new article joins the instances already stored without a look-up, and removing an
article takes back exactly the statements it made about them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from kg.extract.event_chains import PLAIN_EVENT, STATEMENT, EventChain, event_chains
from kg.iris import BASE, short_hash
from kg.records import GROUP, EventInstance, ResolvedExtraction


def instance_iri(key: str) -> str:
    """Return the IRI of the event instance with this key."""
    return f"{BASE}instance/{short_hash(key, 20)}"


def date_bucket(date: str | None) -> str:
    """Return the ISO week ("2024-W37") of a full ISO date, the year-month or year itself otherwise, "" for None."""
    if not date:
        return ""
    if len(date) == 10:
        try:
            year, week, _ = dt.date.fromisoformat(date).isocalendar()
            return f"{year}-W{week:02d}"
        except ValueError:
            return date
    return date


def _named(resolved: ResolvedExtraction, keys) -> list[str]:
    found = set()
    for key in keys:
        entity = resolved.entities.get(key)
        if entity is not None and entity.type != GROUP:
            found.add(entity.iri)
    return sorted(found)


def _salient_entity(resolved: ResolvedExtraction) -> str | None:
    """Return the IRI of the named entity the article mentions most (first mentioned on a tie), or None."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for entity in resolved.extraction.entities:
        r = resolved.entities.get(entity.key)
        if r is None or r.type == GROUP or not entity.mentions:
            continue
        counts[r.iri] += len(entity.mentions)
        first[r.iri] = min(first.get(r.iri, 10**9), min(m.start for m in entity.mentions))
    if not counts:
        return None
    return min(counts, key=lambda iri: (-counts[iri], first[iri], iri))


def _first_date(chain: EventChain) -> str | None:
    """Return the chain's earliest full date, else its most precise partial one, else None."""
    full = sorted(d for d in chain.dates if len(d) == 10)
    return full[0] if full else (sorted(chain.dates, key=lambda d: (-len(d), d))[0] if chain.dates else None)


def event_instances(resolved: ResolvedExtraction) -> list[EventInstance]:
    """Name every event chain of a resolved article by its real-world event instance.

    Takes a ResolvedExtraction (its entities already have their IRIs); returns one EventInstance per
    chain of `event_chains`, in the order of their first mention. Every event mention is in exactly one.
    """
    article = resolved.extraction.article
    salient = _salient_entity(resolved)
    result = []
    for chain in event_chains(resolved.extraction):
        patients = _named(resolved, chain.roles.get("patient", ()))
        places = _named(resolved, chain.roles.get("place", ()))
        date = _first_date(chain)
        bucket = date_bucket(date if date and len(date) == 10 else article.date)
        # One IRI: a store rename of it can then re-mint the instance (kg/store/updates.py, rename_update).
        # Agents and places need no fallback of their own: an article that names any has a protagonist.
        anchor = (patients or [salient or ""])[0]
        kind = f"{chain.type}:{chain.trigger}" if chain.type == PLAIN_EVENT else chain.type
        if chain.type == STATEMENT or not anchor:
            key = "|".join((kind, "article:" + article.id, chain.head, bucket))
        else:
            key = "|".join((kind, anchor, bucket))
        all_participants = _named(resolved, set().union(*(chain.roles.get(r, set()) for r in ("agent", "patient"))))
        result.append(
            EventInstance(
                iri=instance_iri(key),
                type=chain.type,
                mentions=tuple(chain.keys),
                participants=tuple(all_participants),
                places=tuple(places),
                date=date,
                key=key,
            )
        )
    return result


def instance_of(resolved: ResolvedExtraction) -> dict[str, str]:
    """Return {event mention key: instance IRI} for every event of a resolved article (its `instances`)."""
    return {key: instance.iri for instance in resolved.instances for key in instance.mentions}
