"""Entity resolution: give each entity of an article a stable IRI, merging it with what is already known.

`resolve(extraction, known, gazetteer)` maps every entity key of one article to a ResolvedEntity.
The rules, tried in this order for a named entity of coarse type T (person, organization, place):

1. Wikidata link given by the extractor, or a gazetteer name/alias/acronym of the same coarse type
   ("Britain", "the UK" -> United Kingdom, owl:sameAs wd:Q145), or for organizations a country-
   qualified name of that country's body ("Russia's defence ministry" -> "Russian Defence Ministry"):
   IRI from the QID, else from the gazetteer's label; the gazetteer's class refines the type.
2. Exact match: a known entity of type T with a name of the same match key (`normalize`: case,
   accents, punctuation, hyphens, a leading "the" and possessives ignored: "Kim Jong-un" = "Kim Jong Un").
3. Persons, several tokens: fuzzy match within the block of known persons with the same number of
   tokens and the same first three letters of the first and of the last token (spelling keys):
   `token_sort_ratio` of the match keys >= PERSON_FUZZY_THRESHOLD, or equal spelling keys (doubled
   letters collapsed: "Hrytsenkko" ~ "Hrytsenko"); a tie between two entities is no match.
   Else the reverse surname rule: the one known person known ONLY by this name's first or last
   token ("Zelensky") is the same person, unless another known person has a full name with it.
4. Persons known in the article by one token only ("Park"): the surname rule (a person with a full name
   is matched by its full names alone, never through a one-word alias of it). It joins the one known
   person whose first or last name token it is; with two or more such people (two different Parks) it is ambiguous and
   becomes, or joins, an entity of its own named "Park" -- never a guess.
5. Organizations: an acronym joins the one known organization whose capitalised words have these
   initials ("NIS" <-> "National Intelligence Service") and the other way round; a short form joins
   the one known organization whose name starts with it ("Activision" -> "Activision Blizzard"),
   and a long form the one known organization whose fullest name starts it (the same pair in either order).
6. Otherwise a new IRI is minted.

A Person never merges with a Place: every index is keyed by coarse type. Groups are article-local.

IRIs of unlinked entities are minted from the match key of the canonical label (`canonical_label`),
so spelling variants that differ only in case, accents or hyphens give the same IRI in any order.
Residual order dependence: when a merge makes an entity's canonical label change its key (a surname-
only article read before the full name, a fuzzy variant, a short form before the long one), the IRI
minted first is kept. `KnownEntities.add(resolved, rename=True)` then re-keys the index and returns
{old IRI: new IRI}; a caller that renames those IRIs in the store gets graphs that do not depend on
the order of the articles.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from kg.iris import entity_iri, group_iri
from kg.records import (
    GROUP,
    ORGANIZATION,
    Entity,
    Extraction,
    ResolvedEntity,
    ResolvedExtraction,
    coarse_type,
)
from kg.resolve.event_instances import event_instances
from kg.resolve.gazetteer import Gazetteer, GazetteerEntry, normalize
from kg.resolve.known import GENERIC_TYPES, KnownEntities
from kg.resolve.names import acronym, canonical_label, gazetteer_match, initials, name_key


class _Views:
    """The known entities and the entities already resolved in this article, asked together."""

    def __init__(self, known: KnownEntities, local: KnownEntities) -> None:
        self.known = known
        self.local = local

    def ask(self, method: str, *args) -> set[str]:
        return set(getattr(self.known, method)(*args)) | set(getattr(self.local, method)(*args))

    def fuzzy_people(self, name: str) -> list[tuple[float, str]]:
        best: dict[str, float] = {}
        for score, iri in self.known.fuzzy_people(name) + self.local.fuzzy_people(name):
            best[iri] = max(score, best.get(iri, 0))
        return sorted(((s, i) for i, s in best.items()), key=lambda p: (-p[0], p[1]))

    def record(self, iri: str) -> tuple[str, str | None, Counter]:
        """Return (class, QID, form counts) of an IRI from both views: the refined class, any link, forms summed."""
        type_, qid, forms = None, None, Counter()
        for view in (self.known, self.local):
            if (found := view.record(iri)) is not None:
                if type_ is None or (type_ in GENERIC_TYPES and found[0] not in GENERIC_TYPES):
                    type_ = found[0]
                qid = qid or found[1]
                forms.update(found[2])
        return type_ or ORGANIZATION, qid, forms


def _one(iris: set[str]) -> str | None:
    return next(iter(iris)) if len(iris) == 1 else None


def _forms(entity: Entity) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in entity.names if n and n.strip()))
    return names or ((entity.label.strip(),) if entity.label.strip() else ())


def _match(entity: Entity, forms: tuple[str, ...], views: _Views, gazetteer: Gazetteer) -> str | None:
    """Apply rules 2-5 of the module notes; return the matching IRI or None."""
    coarse = coarse_type(entity.type)
    keys = sorted({normalize(f) for f in forms} - {""}, key=lambda k: (-len(k.split()), -len(k), k))
    if coarse == "person" and keys and len(keys[0].split()) > 1:
        # A person with a full name is matched by full names only: its one-word alias ("Hassan") must not
        # join another person whose full name shares that word ("Hassan Farid" is not "Mohammed Hassan").
        keys = [k for k in keys if len(k.split()) > 1]
    for key in keys:
        if (iri := _first(views.ask("exact", coarse, key))) is not None:
            return iri
    # Variants of one name: "Acme Widgets, Inc." = "Acme Widgets", "U.S. Coast Guard" = "United States Coast Guard".
    # Only of the forms kept above: a full-named person's one-word alias must not match here either.
    variants = {name_key(f, coarse) for f in forms if normalize(f) in keys}
    for variant in sorted(variants - set(keys) - {""}):
        if (iri := _first(views.ask("exact", coarse, variant))) is not None:
            return iri
    if coarse == "person":
        return _match_person(keys, forms, views)
    if coarse == "organization":
        return _match_organization(keys, forms, views, gazetteer)
    return None


def _first(iris: set[str]) -> str | None:
    """Return the smallest IRI: several exact matches mean the store already split one name; pick stably."""
    return min(iris) if iris else None


def _match_person(keys: list[str], forms: tuple[str, ...], views: _Views) -> str | None:
    long_forms = sorted((f for f in forms if len(normalize(f).split()) > 1), key=lambda f: (-len(f), f))
    for form in long_forms:
        scored = views.fuzzy_people(form)
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
    for key in keys:
        # "Brian G. Nichols" = "Brian Nichols" when one known person fits, middle initials aside.
        if len(key.split()) > 1 and (iri := _one(views.ask("people_with_core", key))) is not None:
            return iri
    for key in keys:
        tokens = key.split()
        if len(tokens) == 1:
            if (iri := _one(views.ask("people_named", key))) is not None:
                return iri
        else:
            edge = {tokens[0], tokens[-1]}
            only = set().union(*(views.ask("people_known_only_as", t) for t in edge))
            named = set().union(*(views.ask("people_named", t) for t in edge))
            if len(only) == 1 and not named:
                return only.pop()
    return None


def _match_organization(keys: list[str], forms: tuple[str, ...], views: _Views, gazetteer: Gazetteer) -> str | None:
    for form in forms:
        if (letters := acronym(form)) is not None and (iri := _one(views.ask("organizations_with_initials", letters))):
            return iri
        if (letters := initials(form)) is not None and (iri := _one(views.ask("organizations_with_acronym", letters))):
            return iri
    for key in keys:
        tokens = key.split()
        if (iri := _one(views.ask("organizations_starting", key))) is not None:
            return iri
        for size in range(len(tokens) - 1, 0, -1):
            shorter = views.ask("exact", "organization", " ".join(tokens[:size]))
            # The mirror of the rule above, so a short and a long form merge in either order: only an organization
            # whose fullest name is this prefix ("Quillfeather", an alias of "Quillfeather Games", draws no
            # "Quillfeather Bank"), and not one the gazetteer names (such a short form never reaches that rule).
            shorter = {i for i in shorter if _unlinked_with_fullest_name(views.record(i), size, gazetteer)}
            if (iri := _one(shorter)) is not None:
                return iri
    return None


def _unlinked_with_fullest_name(record: tuple[str, str | None, Counter], size: int, gazetteer: Gazetteer) -> bool:
    """Return True for a known entity (class, QID, forms): unlinked, in no gazetteer row, no name over `size` tokens."""
    type_, qid, forms = record
    if qid or gazetteer_match(type_, sorted(forms), None, gazetteer) is not None:
        return False
    return max((len(normalize(f).split()) for f in forms), default=0) <= size


_OTHER_KIND = {"person": "organization", "organization": "person"}


def _better_supported_other_type(entity: Entity, forms: tuple[str, ...], views: _Views) -> str | None:
    """Return the one known entity of the other kind (person/organization) with this full name, if better supported.

    NER reads one name as a person in one article and as an organization in another. A known entity of
    the other kind named so in two articles or more outweighs this article's one reading: it is joined,
    and its class kept. Only names of two words or more count; a tie keeps the two apart.
    """
    other = _OTHER_KIND.get(coarse_type(entity.type))
    keys = {normalize(f) for f in forms if len(normalize(f).split()) > 1}
    if other is None or not keys:
        return None
    found = set().union(*(views.ask("exact", other, k) for k in sorted(keys)))
    iri = _one(found)
    if iri is None:
        return None
    _, _, known_forms = views.record(iri)
    support = max((count for form, count in known_forms.items() if normalize(form) in keys), default=0)
    return iri if support >= 2 else None


def _gazetteer_entry(entity: Entity, forms: tuple[str, ...], gazetteer: Gazetteer) -> GazetteerEntry | None:
    return gazetteer_match(entity.type, (entity.label, *sorted(forms)), entity.link, gazetteer)


def _resolve_named(entity: Entity, views: _Views, gazetteer: Gazetteer) -> ResolvedEntity:
    forms = _forms(entity)
    entry = _gazetteer_entry(entity, forms, gazetteer)
    if entry is not None:
        qid = entry.qid or entity.link
        iri = entity_iri(entry.type, qid, qid) if qid else entity_iri(entry.type, normalize(entry.label))
        return ResolvedEntity(entity.key, iri, entry.type, entry.label, forms, qid)
    label, _ = canonical_label(entity.type, [(f, 1) for f in forms], None, None)
    if entity.link:
        iri = entity_iri(entity.type, entity.link, entity.link)
        return ResolvedEntity(entity.key, iri, entity.type, label, forms, entity.link)
    iri = _match(entity, forms, views, gazetteer)
    if iri is None and (iri := _better_supported_other_type(entity, forms, views)) is not None:
        entity = replace(entity, type=views.record(iri)[0])
    if iri is None:
        return ResolvedEntity(entity.key, entity_iri(entity.type, normalize(label) or label), entity.type, label, forms)
    known_type, qid, known_forms = views.record(iri)
    # A refined class seen before ("Company") beats this article's generic guess ("Organization").
    type_ = known_type if entity.type in GENERIC_TYPES and known_type not in GENERIC_TYPES else entity.type
    label, _ = canonical_label(type_, [*known_forms.items(), *((f, 1) for f in forms)], qid, gazetteer)
    return ResolvedEntity(entity.key, iri, type_, label, forms, qid)


def resolve(extraction: Extraction, known: KnownEntities, gazetteer: Gazetteer) -> ResolvedExtraction:
    """Resolve every entity of one article against the gazetteer and the known entities.

    Takes an Extraction, the KnownEntities index (not modified: call `known.add` after storing) and
    a Gazetteer; returns a ResolvedExtraction mapping each entity key to its ResolvedEntity, with the
    event instances its events denote (kg/resolve/event_instances.py). Groups get article-local IRIs.
    Entities are resolved fullest name first, so "Zelensky" in an article that also names
    "Volodymyr Zelensky" joins that person even when the extractor kept them apart.
    """
    article_id = extraction.article.id
    local = KnownEntities(gazetteer)
    views = _Views(known, local)
    resolved: dict[str, ResolvedEntity] = {}
    named = []
    for entity in extraction.entities:
        if entity.type == GROUP or not _forms(entity):
            resolved[entity.key] = ResolvedEntity(
                entity.key, group_iri(article_id, entity.key), entity.type, entity.label, (), None
            )
        else:
            named.append(entity)
    named.sort(key=lambda e: (-max(len(normalize(f).split()) for f in _forms(e)), -len(e.label), e.label, e.key))
    for entity in named:
        result = _resolve_named(entity, views, gazetteer)
        resolved[entity.key] = result
        local.add(ResolvedExtraction(extraction, {entity.key: result}))
    entities = ResolvedExtraction(extraction, {e.key: resolved[e.key] for e in extraction.entities})
    return replace(entities, instances=tuple(event_instances(entities)))
