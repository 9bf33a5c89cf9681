"""The entity summary: the rows of the entities graph (labels, aliases, mention counts, links, name keys)
that one article's write puts in place for the entities it touches, computed from the ledger of what every
other stored article says of them, so the rows never depend on the order articles were built in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg import mapping
from kg.resolve.ledger import Ledger


@dataclass
class LocalEntity:
    """What the article being written says of one entity: its type, name forms, mention count and link."""

    type: str
    forms: dict[str, int]
    count: int
    link: str | None


def entity_summary(
    ledger: Ledger,
    article_iri: str,
    local: dict[str, LocalEntity],
    stale: Sequence[str],
    gazetteer,
    renamed: dict[str, str] | None = None,
) -> str:
    """Compute the entity-summary rows for entities an article touches, as N-Triples.

    Takes the ledger of what stored articles say, the article's IRI (its own stored say is ignored:
    it is being replaced), what
    the new version of the article says of each entity (`local`, empty when removing), the
    entities only the old version mentioned (`stale`) and the gazetteer; `renamed` writes an
    entity's rows under a new IRI. An entity no article mentions any more gets no rows, and so
    disappears from the summary.
    """
    from kg.resolve.known import name_keys
    from kg.resolve.known_store import name_key_ntriples
    from kg.resolve.names import canonical_label

    rows, types = [], {}
    for iri in sorted(set(local) | set(stale)):
        info, mine = ledger.others(iri, article_iri), local.get(iri)
        forms = dict(info.forms)
        if mine is not None:
            for name, n in mine.forms.items():
                forms[name] = forms.get(name, 0) + n
        if not forms:
            continue
        stored_types = sorted(info.types) or ["Organization"]
        entity_type = mine.type if mine is not None else stored_types[0]
        types[(renamed or {}).get(iri, iri)] = {entity_type, *info.types}
        rows.append(
            mapping.EntityForms(
                iri=(renamed or {}).get(iri, iri),
                type=entity_type,
                forms=tuple(sorted(forms.items())),
                mention_count=info.count + (mine.count if mine else 0),
                link=(mine.link if mine else None) or info.link,
            )
        )

    def label_for(entity_type, forms, link):
        return canonical_label(entity_type, forms, link, gazetteer)

    summary = mapping.to_ntriples(mapping.entity_summary(rows, label_for))
    # Each entity's name keys, under every class it was stored with, so kg.resolve.known_store finds it by name.
    for row in rows:
        names = [form for form, _ in row.forms] + [label_for(row.type, row.forms, row.link)[0]]
        keys = set().union(*(name_keys(type_, names) for type_ in sorted(types[row.iri])))
        summary += name_key_ntriples(row.iri, keys)
    return summary
