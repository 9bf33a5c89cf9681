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
4. Persons, one token ("Park"): the surname rule. It joins the one known person whose first or
   last name token it is; with two or more such people (two different Parks) it is ambiguous and
   becomes, or joins, an entity of its own named "Park" -- never a guess.
5. Organizations: an acronym joins the one known organization whose capitalised words have these
   initials ("NIS" <-> "National Intelligence Service") and the other way round; a short form joins
   the one known organization whose name starts with it ("Activision" -> "Activision Blizzard"),
   and a long form the one known short-only organization that starts it.
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

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from kg.iris import ENTITIES_GRAPH, ONTOLOGY, entity_iri, group_iri
from kg.records import (
    GROUP,
    ORGANIZATION,
    PLACE,
    Entity,
    Extraction,
    ResolvedEntity,
    ResolvedExtraction,
    coarse_type,
)
from kg.resolve.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer, normalize

# token_sort_ratio (0-100) two multi-token person names' match keys must reach to be one person.
# 92 accepts one added or dropped letter in a longer name ("Volodymyr Zelenskyy"/"... Zelensky": 97) and
# rejects a different given name of the same family ("Park Ji-won"/"Park Ji-woo": 91); names whose
# spelling keys are equal (doubled letters collapsed) always match.
PERSON_FUZZY_THRESHOLD = 92

_GENERIC_TYPES = {ORGANIZATION, PLACE}
# Words an acronym skips ("Competition and Markets Authority" -> "CMA").
_FUNCTION_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"}) | frozenset(
    {"de", "del", "der", "des", "du", "la", "le", "und", "van", "von"}
)
_INNER_POSSESSIVE = re.compile(r"\w(?:['\u2019]s|s['\u2019])\s")
_DOUBLED = re.compile(r"(\w)\1+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{2,6}$")  # three letters at least: two-letter ones collide too often
WIKIDATA = "http://www.wikidata.org/entity/"

KNOWN_ENTITIES_QUERY = f"""
PREFIX kg: <{ONTOLOGY}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?iri ?type ?label ?name ?qid (COUNT(DISTINCT ?g) AS ?count) WHERE {{
  GRAPH ?g {{ ?iri kg:surfaceForm ?name ; a ?type }}
  OPTIONAL {{ GRAPH <{ENTITIES_GRAPH}> {{ ?iri rdfs:label ?label }} }}
  OPTIONAL {{ ?iri owl:sameAs ?qid }}
}} GROUP BY ?iri ?type ?label ?name ?qid"""


@lru_cache(maxsize=1 << 17)
def spelling_key(name: str) -> str:
    """Return the match key of a name with doubled letters collapsed: "Zelenskyy" -> "zelensky"."""
    return _DOUBLED.sub(r"\1", normalize(name))


def initials(name: str) -> str | None:
    """Return the initials of a name's capitalised words ("Competition and Markets Authority" -> "CMA").

    Function words are skipped; a hyphenated word counts once. Returns None for fewer than two words.
    """
    words = [w for w in re.split(r"[\s/]+", name.strip()) if w and w.lower() not in _FUNCTION_WORDS]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def acronym(name: str) -> str | None:
    """Return the letters of a name written as an acronym ("NIS", "U.N." -> "UN"), else None."""
    letters = name.strip().replace(".", "")
    return letters if _ACRONYM.match(letters) else None


def canonical_label(
    type: str, forms: Iterable[tuple[str, int]], qid: str | None, gazetteer: Gazetteer | None
) -> tuple[str, tuple[str, ...]]:
    """Choose an entity's label and alternative labels from every name form seen, with counts.

    Takes the entity's class name, (form, count) pairs (a form may repeat; counts add up), its QID
    and the gazetteer. Returns (label, sorted other forms). The label is the gazetteer's canonical
    name when the QID or a form links there, else the fullest form: most tokens, then longest, then
    most frequent, then first in code-point order. Order of `forms` never matters.
    """
    counts: Counter[str] = Counter()
    for form, count in forms:
        if form and form.strip():
            counts[form.strip()] += count
    entry = _linked_entry(type, counts, qid, gazetteer)
    if entry is not None:
        label = entry.label
    elif counts:
        label = min(counts, key=lambda f: (-len(f.split()), -len(f), -counts[f], f))
    else:
        return "", ()
    return label, tuple(sorted(f for f in counts if f != label))


def _linked_entry(type: str, counts, qid: str | None, gazetteer: Gazetteer | None) -> GazetteerEntry | None:
    if gazetteer is None:
        return None
    return _gazetteer_match(type, sorted(counts, key=lambda f: (-counts[f], f)), qid, gazetteer)


def _gazetteer_match(type: str, forms: Iterable[str], qid: str | None, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """Return the gazetteer entry of compatible type that a QID, a form, or a country-qualified form names."""
    if qid and (entry := gazetteer.by_qid(qid)) is not None and _compatible(type, entry.type):
        return entry
    forms = [f for f in forms if f]
    for form in forms:
        entry = gazetteer.lookup(form)
        if entry is not None and _compatible(type, entry.type):
            return entry
    if coarse_type(type) == "organization":
        for form in forms:
            if (entry := _country_qualified(form, gazetteer)) is not None:
                return entry
    return None


def _compatible(type_a: str, type_b: str) -> bool:
    return coarse_type(type_a) == coarse_type(type_b)


def _tokens(key: str) -> list[str]:
    return key.split()


def _block_key(spelled: str) -> str:
    """Return the fuzzy-match block of a person's spelling key: token count, first 3 letters of first and last token."""
    tokens = spelled.split()
    return f"{len(tokens)}|{tokens[0][:3]}|{tokens[-1][:3]}"


@dataclass
class _Known:
    """What is known of one entity IRI: its class, link and name forms with article counts."""

    iri: str
    type: str
    qid: str | None = None
    forms: Counter = field(default_factory=Counter)

    @property
    def coarse(self) -> str:
        return coarse_type(self.type)


class KnownEntities:
    """What the store already holds, as in-memory indexes keyed by coarse type and name keys."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Create an empty index; `gazetteer` (default: the shipped one) names linked entities in `add`."""
        self.gazetteer = gazetteer
        self._records: dict[str, _Known] = {}
        # (coarse type, key) -> IRIs; every index is a dict of sets, so a look-up never scans.
        self._exact: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._name_token: dict[str, set[str]] = defaultdict(set)  # first/last token of multi-token person names
        self._single: dict[str, set[str]] = defaultdict(set)  # one-token person names
        self._block: dict[str, set[str]] = defaultdict(set)  # persons by _block_key, for fuzzy matching
        self._initials: dict[str, set[str]] = defaultdict(set)  # organizations by initials of a long name
        self._acronyms: dict[str, set[str]] = defaultdict(set)  # organizations by an acronym form
        self._prefix: dict[str, set[str]] = defaultdict(set)  # organizations by proper token prefixes

    def __len__(self) -> int:
        """Return the number of known entity IRIs."""
        return len(self._records)

    def __contains__(self, iri: str) -> bool:
        """Return True when the IRI is known."""
        return iri in self._records

    @classmethod
    def from_rows(cls, rows: Iterable[dict], gazetteer: Gazetteer | None = None) -> KnownEntities:
        """Build the index from rows {"iri", "type", "label", "name", "qid"} (and optional "count").

        `type` may be a class IRI or local name; `qid` a Wikidata IRI or bare QID; rows repeat per
        name form. Groups are skipped. Returns the KnownEntities.
        """
        known = cls(gazetteer)
        for row in rows:
            iri = row.get("iri")
            type_ = _local_name(row.get("type") or "")
            if not iri or not type_ or type_ == GROUP:
                continue
            record = known._records.get(iri)
            if record is None:
                record = known._records[iri] = _Known(iri=iri, type=type_)
            elif type_ not in _GENERIC_TYPES and record.type in _GENERIC_TYPES:
                record.type = type_
            if row.get("qid"):
                record.qid = _local_name(str(row["qid"]))
            for name in (row.get("name"), row.get("label")):
                if name and (count := int(row.get("count") or 1)) > record.forms.get(name, 0):
                    record.forms[name] = count
        for record in known._records.values():
            known._index(record)
        return known

    @classmethod
    def from_store(cls, store, gazetteer: Gazetteer | None = None) -> KnownEntities:
        """Build the index from a store's `select(sparql) -> list[dict]` (surface forms, labels, types, links)."""
        return cls.from_rows(store.select(KNOWN_ENTITIES_QUERY), gazetteer)

    def add(self, resolved: ResolvedExtraction, *, rename: bool = False) -> dict[str, str]:
        """Record one resolved article: each entity's IRI, class, link and names (one article count each).

        Returns {old IRI: preferred IRI} for entities whose canonical label now mints another IRI
        (see the module notes). With rename=True the index moves those entities to the new IRI and
        the caller must rename them in the store; with rename=False nothing moves.
        """
        seen: dict[str, set[str]] = defaultdict(set)
        touched = []
        for entity in resolved.entities.values():
            if entity.type == GROUP:
                continue
            record = self._records.get(entity.iri)
            if record is None:
                record = self._records[entity.iri] = _Known(iri=entity.iri, type=entity.type, qid=entity.link)
            elif entity.type not in _GENERIC_TYPES and record.type in _GENERIC_TYPES:
                record.type = entity.type
            record.qid = record.qid or entity.link
            for name in entity.names or (entity.label,):
                if name not in seen[entity.iri]:  # one article counts a form once
                    seen[entity.iri].add(name)
                    record.forms[name] += 1
            touched.append(record)
        renames = {}
        for record in touched:
            self._index(record)
            preferred = self.preferred_iri(record.iri)
            if preferred != record.iri and preferred not in self._records:
                renames[record.iri] = preferred
        if rename:
            for old, new in sorted(renames.items()):
                self._move(old, new)
        return renames

    def preferred_iri(self, iri: str) -> str:
        """Return the IRI the known entity would be minted with from all its forms (its QID when linked)."""
        record = self._records[iri]
        if record.qid:
            return entity_iri(record.type, record.qid, record.qid)
        if self.gazetteer is None:
            self.gazetteer = load_gazetteer()
        label, _ = canonical_label(record.type, record.forms.items(), None, self.gazetteer)
        return entity_iri(record.type, normalize(label) or label)

    def record(self, iri: str) -> tuple[str, str | None, dict[str, int]] | None:
        """Return (class, QID, {form: article count}) of a known IRI, or None."""
        record = self._records.get(iri)
        return None if record is None else (record.type, record.qid, dict(record.forms))

    # -- indexing ---------------------------------------------------------------------------------
    def _entries(self, record: _Known) -> Iterable[tuple[dict, object]]:
        """Yield (index, key) for every index slot the record occupies."""
        coarse = record.coarse
        for form in record.forms:
            key = normalize(form)
            if not key:
                continue
            yield self._exact, (coarse, key)
            tokens = _tokens(key)
            if coarse == "person":
                if len(tokens) == 1:
                    yield self._single, key
                    continue
                yield self._name_token, tokens[0]
                yield self._name_token, tokens[-1]
                yield self._block, _block_key(spelling_key(form))
            elif coarse == "organization":
                if (letters := acronym(form)) is not None:
                    yield self._acronyms, letters
                if (letters := initials(form)) is not None:
                    yield self._initials, letters
                if not _INNER_POSSESSIVE.search(form):  # "Beatles' Apple Corps" does not start with a short form
                    for size in range(1, len(tokens)):
                        yield self._prefix, " ".join(tokens[:size])

    def _index(self, record: _Known) -> None:
        for index, key in self._entries(record):
            index[key].add(record.iri)

    def _unindex(self, record: _Known) -> None:
        for index, key in self._entries(record):
            index[key].discard(record.iri)

    def _move(self, old: str, new: str) -> None:
        record = self._records.pop(old)
        self._unindex(record)
        record.iri = new
        self._records[new] = record
        self._index(record)

    # -- matching ---------------------------------------------------------------------------------
    def exact(self, coarse: str, key: str) -> set[str]:
        """Return IRIs of known entities of a coarse type with a name of this match key."""
        return self._exact.get((coarse, key), set())

    def people_named(self, token: str) -> set[str]:
        """Return IRIs of known persons with a multi-token name whose first or last token key is `token`."""
        return self._name_token.get(token, set())

    def people_known_only_as(self, token: str) -> set[str]:
        """Return IRIs of known persons every one of whose names is the single token `token`."""
        return {iri for iri in self._single.get(token, set()) if self._only_single(iri)}

    def _only_single(self, iri: str) -> bool:
        return all(len(_tokens(normalize(f))) <= 1 for f in self._records[iri].forms)

    def fuzzy_people(self, name: str) -> list[tuple[float, str]]:
        """Return (score, IRI) of known persons in the name's block scoring >= PERSON_FUZZY_THRESHOLD, best first.

        The score is `token_sort_ratio` of the match keys, or 100 when the spelling keys are equal.
        """
        key, spelled = normalize(name), spelling_key(name)
        tokens = _tokens(spelled)
        candidates = self._block.get(_block_key(spelled), set())
        scored: dict[str, float] = {}
        for iri in candidates:
            for form in self._records[iri].forms:
                other = normalize(form)
                if len(_tokens(other)) != len(tokens):
                    continue
                score = 100.0 if spelling_key(form) == spelled else fuzz.token_sort_ratio(key, other)
                if score >= PERSON_FUZZY_THRESHOLD and score > scored.get(iri, 0):
                    scored[iri] = score
        return sorted(((s, i) for i, s in scored.items()), key=lambda p: (-p[0], p[1]))

    def organizations_with_initials(self, letters: str) -> set[str]:
        """Return IRIs of known organizations with a long name whose initials are `letters`."""
        return self._initials.get(letters, set())

    def organizations_with_acronym(self, letters: str) -> set[str]:
        """Return IRIs of known organizations one of whose names is the acronym `letters`."""
        return self._acronyms.get(letters, set())

    def organizations_starting(self, key: str) -> set[str]:
        """Return IRIs of known organizations with a longer name whose first tokens are the key's."""
        return self._prefix.get(key, set())

    def short_only(self, iri: str) -> bool:
        """Return True when every name of a known entity is a single token."""
        return self._only_single(iri)


def _local_name(value: str) -> str:
    """Return the part of an IRI after its last '#' or '/' ("…#Person" -> "Person", "…/Q145" -> "Q145")."""
    return re.split(r"[#/]", value)[-1] if value else value


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

    def view_of(self, iri: str) -> KnownEntities:
        return self.local if iri in self.local else self.known

    def record(self, iri: str) -> tuple[str, str | None, Counter]:
        """Return (class, QID, form counts) of an IRI from both views: the refined class, any link, forms summed."""
        type_, qid, forms = None, None, Counter()
        for view in (self.known, self.local):
            if (found := view.record(iri)) is not None:
                if type_ is None or (type_ in _GENERIC_TYPES and found[0] not in _GENERIC_TYPES):
                    type_ = found[0]
                qid = qid or found[1]
                forms.update(found[2])
        return type_ or ORGANIZATION, qid, forms


def _one(iris: set[str]) -> str | None:
    return next(iter(iris)) if len(iris) == 1 else None


def _forms(entity: Entity) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in entity.names if n and n.strip()))
    return names or ((entity.label.strip(),) if entity.label.strip() else ())


def _match(entity: Entity, forms: tuple[str, ...], views: _Views) -> str | None:
    """Apply rules 2-5 of the module notes; return the matching IRI or None."""
    coarse = coarse_type(entity.type)
    keys = sorted({normalize(f) for f in forms} - {""}, key=lambda k: (-len(k.split()), -len(k), k))
    for key in keys:
        if (iri := _first(views.ask("exact", coarse, key))) is not None:
            return iri
    if coarse == "person":
        return _match_person(keys, forms, views)
    if coarse == "organization":
        return _match_organization(keys, forms, views)
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


def _match_organization(keys: list[str], forms: tuple[str, ...], views: _Views) -> str | None:
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
            shorter = {i for i in shorter if views.view_of(i).short_only(i)}
            if (iri := _one(shorter)) is not None:
                return iri
    return None


def _gazetteer_entry(entity: Entity, forms: tuple[str, ...], gazetteer: Gazetteer) -> GazetteerEntry | None:
    return _gazetteer_match(entity.type, (entity.label, *sorted(forms)), entity.link, gazetteer)


_POSSESSIVE_HEAD = re.compile(r"^(?P<head>.+?)['’]s\s+(?P<rest>.+)$")


def _country_qualified(form: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """Return the organization a country-qualified name denotes, else None.

    "Britain's Competition and Markets Authority" -> the CMA (a UK body); "Russia's defence ministry"
    -> "Russian defence ministry"; "Ukraine's armed forces" -> "armed forces of Ukraine".
    """
    match = _POSSESSIVE_HEAD.match(form.strip())
    splits = [(match["head"], match["rest"])] if match else []
    words = form.split()
    splits += [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, min(3, len(words) - 1) + 1)]
    for head, rest in splits:
        country = gazetteer.lookup(head)
        if country is None or country.type != "Country":
            continue
        variants = [rest, *(f"{demonym} {rest}" for demonym in country.demonyms[:1]), f"{rest} of {country.label}"]
        for variant in variants:
            entry = gazetteer.lookup(variant)
            if entry is not None and coarse_type(entry.type) == "organization" and entry.country == country.label:
                return entry
    return None


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
    iri = _match(entity, forms, views)
    if iri is None:
        return ResolvedEntity(entity.key, entity_iri(entity.type, normalize(label) or label), entity.type, label, forms)
    known_type, qid, known_forms = views.record(iri)
    # A refined class seen before ("Company") beats this article's generic guess ("Organization").
    type_ = known_type if entity.type in _GENERIC_TYPES and known_type not in _GENERIC_TYPES else entity.type
    label, _ = canonical_label(type_, [*known_forms.items(), *((f, 1) for f in forms)], qid, gazetteer)
    return ResolvedEntity(entity.key, iri, type_, label, forms, qid)


def resolve(extraction: Extraction, known: KnownEntities, gazetteer: Gazetteer) -> ResolvedExtraction:
    """Resolve every entity of one article against the gazetteer and the known entities.

    Takes an Extraction, the KnownEntities index (not modified: call `known.add` after storing) and
    a Gazetteer; returns a ResolvedExtraction mapping each entity key to its ResolvedEntity. Groups
    get article-local IRIs. Entities are resolved fullest name first, so "Zelensky" in an article
    that also names "Volodymyr Zelensky" joins that person even when the extractor kept them apart.
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
    return ResolvedExtraction(extraction, {e.key: resolved[e.key] for e in extraction.entities})
