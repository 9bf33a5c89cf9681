"""What the store already knows: entity IRIs, classes, links and name forms, indexed for the resolver.

`KnownEntities` holds one record per entity IRI and in-memory indexes keyed by coarse type and name
keys (exact match keys, person name tokens and fuzzy blocks, organization initials, acronyms and
prefixes); `resolve` in `kg.resolve.resolver` asks them. Build it with `from_store` or `from_rows`,
then `add` each resolved article after storing it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
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

KNOWN_ENTITIES_QUERY = f"""
PREFIX kg: <{ONTOLOGY}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?iri ?type ?label ?name ?qid (COUNT(DISTINCT ?g) AS ?count) WHERE {{
  GRAPH ?g {{ ?iri kg:surfaceForm ?name ; a ?type }}
  OPTIONAL {{ GRAPH <{ENTITIES_GRAPH}> {{ ?iri rdfs:label ?label }} }}
  OPTIONAL {{ ?iri owl:sameAs ?qid }}
}} GROUP BY ?iri ?type ?label ?name ?qid"""


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
        self._core: dict[str, set[str]] = defaultdict(set)  # persons by full name without middle initials

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
            elif type_ not in GENERIC_TYPES and record.type in GENERIC_TYPES:
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
            if (variant := name_key(form, coarse)) != key:
                yield self._exact, (coarse, variant)
            tokens = _tokens(key)
            if coarse == "person":
                if len(tokens) == 1:
                    yield self._single, key
                    continue
                yield self._core, person_core(key)[0]
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

    def people_with_core(self, key: str) -> set[str]:
        """Return IRIs of known persons a multi-token name may be, middle initials aside.

        "brian nichols" finds "Brian G. Nichols" and "Brian Nichols"; "brian g nichols" finds those two
        but not a "Brian K. Nichols" (another initial). Takes a match key; returns the IRIs.
        """
        core, letters = person_core(key)
        found = set()
        for iri in self._core.get(core, set()):
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
