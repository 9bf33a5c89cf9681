"""What the store already knows: entity IRIs, classes, links and name forms, indexed for the resolver.

`KnownEntities` holds one record per entity IRI and an in-memory index from name keys to IRIs; `resolve`
in `kg.resolve.resolver` asks it. A name key is a tagged string (`name_keys`): "exact|person|mira
volkova" (coarse type and match key), "token|volkova" and "single|volkova" (first/last token of a
person's full name, a one-token person name), "block|2|mir|vol" (a person's fuzzy-match block),
"initials|NIS", "acronym|NIS" and "prefix|activision" (organizations). The same strings are stored
as kg:nameKey literals beside each entity's summary row, so `kg.resolve.known_store` can read from
the store only the entities an article's names could match (`lookup_keys`). Build a full index with
`from_store` or `from_rows`, then `add` each resolved article after storing it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kg.iris import ENTITIES_GRAPH, ONTOLOGY, entity_iri
from kg.records import GROUP, ORGANIZATION, PLACE, ResolvedExtraction, coarse_type
from kg.resolve.gazetteer import Gazetteer, load_gazetteer, normalize
from kg.resolve.names import acronym, canonical_label, initials, name_key, person_core, spelling_key

# token_sort_ratio (0-100) two multi-token person names' match keys must reach to be one person.
# 92 accepts one added or dropped letter in a longer name ("Volodymyr Zelenskyy"/"... Zelensky": 97) and
# rejects a different given name of the same family ("Park Ji-won"/"Park Ji-woo": 91); names whose
# spelling keys are equal (doubled letters collapsed) always match.
PERSON_FUZZY_THRESHOLD = 92

# Classes a more specific class seen for the same entity replaces ("Organization" -> "Company").
GENERIC_TYPES = frozenset({ORGANIZATION, PLACE})
_INNER_POSSESSIVE = re.compile(r"\w(?:['\u2019]s|s['\u2019])\s")
WIKIDATA = "http://www.wikidata.org/entity/"

_KNOWN_TEMPLATE = f"""
PREFIX kg: <{ONTOLOGY}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?iri ?type ?label ?name ?qid (COUNT(DISTINCT ?g) AS ?count) WHERE {{
  %s
  GRAPH ?g {{ ?iri kg:surfaceForm ?name ; a ?type }}
  OPTIONAL {{ GRAPH <{ENTITIES_GRAPH}> {{ ?iri rdfs:label ?label }} }}
  OPTIONAL {{ ?iri owl:sameAs ?qid }}
}} GROUP BY ?iri ?type ?label ?name ?qid"""
KNOWN_ENTITIES_QUERY = _KNOWN_TEMPLATE % ""

# The same rows for a few IRIs: each entity's name forms and classes read article by article in
# sub-selects of their own, which Oxigraph joins by hash, then the link and label per grouped row.
# Joined inside one GRAPH pattern, every (article, form) row cost an index seek for the class:
# 1.5-1.9 s for an entity named in 44,000 articles of a 100,000-article archive, 0.07 s this way.
# Each article states a form or a class of an entity once, so COUNT(?g) counts distinct articles.
_KNOWN_FEW_TEMPLATE = f"""
PREFIX kg: <{ONTOLOGY}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?iri ?type ?label ?name ?qid ?count WHERE {{
  {{ SELECT ?iri ?type ?name (COUNT(?g) AS ?count) WHERE {{
    {{ SELECT ?iri ?g ?name WHERE {{ %(values)s GRAPH ?g {{ ?iri kg:surfaceForm ?name }} }} }}
    {{ SELECT ?iri ?g ?type WHERE {{ %(values)s GRAPH ?g {{ ?iri a ?type }} }} }}
  }} GROUP BY ?iri ?type ?name }}
  OPTIONAL {{ GRAPH <{ENTITIES_GRAPH}> {{ ?iri rdfs:label ?label }} }}
  OPTIONAL {{ ?iri owl:sameAs ?qid }}
}}"""


def known_entities_query(values: str = "") -> str:
    """Return the query for what the store knows of entities; `values` (a VALUES ?iri block) restricts it.

    Without `values` the query reads every entity in one pass (no sub-select holds the whole store).
    """
    return _KNOWN_FEW_TEMPLATE % {"values": values} if values else KNOWN_ENTITIES_QUERY


def _tokens(key: str) -> list[str]:
    return key.split()


def _block_key(spelled: str) -> str:
    """Return the fuzzy-match block of a person's spelling key: token count, first 3 letters of first and last token."""
    tokens = spelled.split()
    return f"{len(tokens)}|{tokens[0][:3]}|{tokens[-1][:3]}"


def name_keys(type_: str, forms: Iterable[str]) -> set[str]:
    """Return the name keys an entity of class `type_` with these name forms is found under (module notes)."""
    coarse = coarse_type(type_)
    keys = set()
    for form in forms:
        key = normalize(form)
        if not key:
            continue
        keys.add(f"exact|{coarse}|{key}")
        keys.add(f"exact|{coarse}|{name_key(form, coarse)}")  # legal form and "U.S." variants aside
        tokens = _tokens(key)
        if coarse == "person":
            if len(tokens) == 1:
                keys.add(f"single|{key}")
                continue
            keys.update((f"token|{tokens[0]}", f"token|{tokens[-1]}", f"block|{_block_key(spelling_key(form))}"))
            keys.add(f"core|{person_core(key)[0]}")  # the full name without middle initials
        elif coarse == "organization":
            if (letters := acronym(form)) is not None:
                keys.add(f"acronym|{letters}")
            if (letters := initials(form)) is not None:
                keys.add(f"initials|{letters}")
            if not _INNER_POSSESSIVE.search(form):  # "Beatles' Apple Corps" does not start with a short form
                keys.update(f"prefix|{' '.join(tokens[:size])}" for size in range(1, len(tokens)))
    return keys


def lookup_keys(type_: str, forms: Iterable[str]) -> set[str]:
    """Return every name key `resolve` may look up for an entity of class `type_` named by `forms`.

    A superset: reading from the store every entity under these keys gives the resolver the same
    answers as an index of the whole store.
    """
    coarse = coarse_type(type_)
    keys = set()
    for form in forms:
        key = normalize(form)
        if not key:
            continue
        tokens = _tokens(key)
        keys.add(f"exact|{coarse}|{key}")
        keys.add(f"exact|{coarse}|{name_key(form, coarse)}")
        if coarse == "person":
            edges = {tokens[0], tokens[-1]}
            keys.update(f"token|{t}" for t in edges)
            keys.update(f"single|{t}" for t in edges)
            if len(tokens) > 1:
                keys.add(f"block|{_block_key(spelling_key(form))}")
                keys.add(f"core|{person_core(key)[0]}")
        elif coarse == "organization":
            keys.update(f"exact|organization|{' '.join(tokens[:size])}" for size in range(1, len(tokens)))
            keys.add(f"prefix|{key}")
            if (letters := acronym(form)) is not None:
                keys.add(f"initials|{letters}")
            if (letters := initials(form)) is not None:
                keys.add(f"acronym|{letters}")
    return keys


@dataclass
class _Known:
    """What is known of one entity IRI: its class, link and name forms with article counts."""

    iri: str
    type: str
    qid: str | None = None
    forms: Counter = field(default_factory=Counter)


class KnownEntities:
    """What the store already holds, as an in-memory index from name keys to IRIs."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Create an empty index; `gazetteer` (default: the shipped one) names linked entities in `add`."""
        self.gazetteer = gazetteer
        self._records: dict[str, _Known] = {}
        self._keys: dict[str, set[str]] = defaultdict(set)  # name key -> IRIs: a look-up never scans

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
        known._merge_rows(rows)
        return known

    def _merge_rows(self, rows: Iterable[dict]) -> list[str]:
        """Add the entities of query rows (see `from_rows`) not yet known; returns their IRIs."""
        fresh: dict[str, _Known] = {}
        for row in rows:
            iri = row.get("iri")
            type_ = _local_name(row.get("type") or "")
            if not iri or not type_ or type_ == GROUP or (iri in self._records and iri not in fresh):
                continue
            record = fresh.get(iri)
            if record is None:
                record = fresh[iri] = self._records[iri] = _Known(iri=iri, type=type_)
            elif type_ not in GENERIC_TYPES and record.type in GENERIC_TYPES:
                record.type = type_
            if row.get("qid"):
                record.qid = _local_name(str(row["qid"]))
            for name in (row.get("name"), row.get("label")):
                if name and (count := int(row.get("count") or 1)) > record.forms.get(name, 0):
                    record.forms[name] = count
        for record in fresh.values():
            self._index(record)
        return list(fresh)

    @classmethod
    def from_store(cls, store, gazetteer: Gazetteer | None = None) -> KnownEntities:
        """Index every entity of a store with `select(sparql) -> list[dict]` (forms, labels, types, links)."""
        return cls.from_rows(store.select(KNOWN_ENTITIES_QUERY), gazetteer)

    def add(self, resolved: ResolvedExtraction, *, rename: bool = False) -> dict[str, str]:
        """Record one resolved article: each entity's IRI, class, link and names (one article count each).

        Returns {old IRI: preferred IRI} for entities whose canonical label now mints another IRI
        (see the module notes). With rename=True the index moves those entities to the new IRI and
        the caller must rename them in the store; with rename=False nothing moves.
        """
        self._before_add(e.iri for e in resolved.entities.values() if e.type != GROUP)
        seen: dict[str, set[str]] = defaultdict(set)
        touched = []
        for entity in resolved.entities.values():
            if entity.type == GROUP:
                continue
            record = self._records.get(entity.iri)
            if record is None:
                record = self._records[entity.iri] = _Known(iri=entity.iri, type=entity.type, qid=entity.link)
            elif entity.type not in GENERIC_TYPES and record.type in GENERIC_TYPES:
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
            if preferred != record.iri and not self._exists(preferred):
                renames[record.iri] = preferred
        if rename:
            for old, new in sorted(renames.items()):
                self._move(old, new)
        return renames

    def _before_add(self, iris: Iterable[str]) -> None:
        """Hook: make sure what is known of these IRIs is in memory before an article adds to them."""

    def _exists(self, iri: str) -> bool:
        return iri in self._records

    def preferred_iri(self, iri: str) -> str:
        """Return the IRI the known entity would be minted with from all its forms (its QID when linked)."""
        record = self._records[iri]
        if record.qid:
            return entity_iri(record.type, record.qid, record.qid)
        if self.gazetteer is None:
            self.gazetteer = load_gazetteer()
        label, _ = canonical_label(record.type, record.forms.items(), None, self.gazetteer)
        return entity_iri(record.type, normalize(label) or label)

    def items(self) -> Iterator[tuple[str, tuple[str, str | None, dict[str, int]]]]:
        """Yield (IRI, (class, QID, {form: article count})) for every known entity, in IRI order."""
        for iri in sorted(self._records):
            yield iri, self.record(iri)

    def record(self, iri: str) -> tuple[str, str | None, dict[str, int]] | None:
        """Return (class, QID, {form: article count}) of a known IRI, or None."""
        record = self._records.get(iri)
        return None if record is None else (record.type, record.qid, dict(record.forms))

    # -- indexing ---------------------------------------------------------------------------------
    def _index(self, record: _Known) -> None:
        for key in name_keys(record.type, record.forms):
            self._keys[key].add(record.iri)

    def _move(self, old: str, new: str) -> None:
        record = self._records.pop(old)
        for key in name_keys(record.type, record.forms):
            self._keys[key].discard(old)
        record.iri = new
        self._records[new] = record
        self._index(record)

    def _lookup(self, key: str) -> set[str]:
        """Return the IRIs under a name key (a subclass may read them first)."""
        return self._keys.get(key, set())

    # -- matching ---------------------------------------------------------------------------------
    def exact(self, coarse: str, key: str) -> set[str]:
        """Return IRIs of known entities of a coarse type with a name of this match key."""
        return self._lookup(f"exact|{coarse}|{key}")

    def people_named(self, token: str) -> set[str]:
        """Return IRIs of known persons with a multi-token name whose first or last token key is `token`."""
        return self._lookup(f"token|{token}")

    def people_known_only_as(self, token: str) -> set[str]:
        """Return IRIs of known persons every one of whose names is the single token `token`."""
        return {iri for iri in self._lookup(f"single|{token}") if self._only_single(iri)}

    def _only_single(self, iri: str) -> bool:
        return all(len(_tokens(normalize(f))) <= 1 for f in self._records[iri].forms)

    def people_with_core(self, key: str) -> set[str]:
        """Return IRIs of known persons a multi-token name may be, middle initials aside.

        "brian nichols" finds "Brian G. Nichols" and "Brian Nichols"; "brian g nichols" finds those two
        but not a "Brian K. Nichols" (another initial). Takes a match key; returns the IRIs.
        """
        core, letters = person_core(key)
        found = set()
        for iri in sorted(self._lookup(f"core|{core}")):
            others = {person_core(normalize(f))[1] for f in self._records[iri].forms} - {""}
            if not letters or not others or others == {letters}:
                found.add(iri)
        return found

    def fuzzy_people(self, name: str) -> list[tuple[float, str]]:
        """Return (score, IRI) of known persons in the name's block scoring >= PERSON_FUZZY_THRESHOLD, best first.

        The score is `token_sort_ratio` of the match keys, or 100 when the spelling keys are equal.
        """
        key, spelled = normalize(name), spelling_key(name)
        tokens = _tokens(spelled)
        candidates = self._lookup(f"block|{_block_key(spelled)}")
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
        return self._lookup(f"initials|{letters}")

    def organizations_with_acronym(self, letters: str) -> set[str]:
        """Return IRIs of known organizations one of whose names is the acronym `letters`."""
        return self._lookup(f"acronym|{letters}")

    def organizations_starting(self, key: str) -> set[str]:
        """Return IRIs of known organizations with a longer name whose first tokens are the key's."""
        return self._lookup(f"prefix|{key}")


def _local_name(value: str) -> str:
    """Return the part of an IRI after its last '#' or '/' ("…#Person" -> "Person", "…/Q145" -> "Q145")."""
    return re.split(r"[#/]", value)[-1] if value else value
