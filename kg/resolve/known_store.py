"""What the store knows, read lazily: only the entities an article's names could match.

`StoreKnownEntities` is a `KnownEntities` that starts empty and reads from the store, through the
kg:nameKey literals kept beside each entity's summary row in the entities graph, the entities under
the name keys an article may look up (`prefetch`, one query per article; any key asked for later
is read on first use). Memory grows with the entities a build touches, not with the store, and a
build starts at once. Every entity is read whole (all its forms, classes and link) the first time
it is needed and before the build writes anything about it, so the answers are those of an index of
the whole store read at the start of the build. One exception, which answers alike: under a first or
last name two or more stored people share ("token|" keys), two of them are held as bare IRIs.

A store written before name keys existed has no `kg:nameIndex` marker: `open` then reads every
entity once, as before, and writes the keys and the marker so later builds start at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.iris import ENTITIES_GRAPH, INTERNAL_PREDICATES, NAME_INDEX, NAME_KEY, ONTOLOGY
from kg.records import GROUP, Extraction
from kg.resolve.gazetteer import Gazetteer
from kg.resolve.known import KNOWN_ENTITIES_QUERY, KnownEntities, known_entities_query, lookup_keys, name_keys
from kg.store import literal_block, values_block

INDEX_VERSION = "3"  # bump when name_keys changes: stores with another version are re-indexed
_MARKER = f'<{ENTITIES_GRAPH}> <{NAME_INDEX}> "{INDEX_VERSION}" .\n'
_HAS_MARKER = f'ASK {{ GRAPH <{ENTITIES_GRAPH}> {{ <{ENTITIES_GRAPH}> <{NAME_INDEX}> "{INDEX_VERSION}" }} }}'
_HAS_ARTICLES = f"ASK {{ GRAPH ?g {{ ?a a <{ONTOLOGY}Article> }} }}"
_BY_KEY = f"SELECT DISTINCT ?e WHERE {{ VALUES ?k {{ %s }} GRAPH <{ENTITIES_GRAPH}> {{ ?e <{NAME_KEY}> ?k }} }}"
# A person's first or last word ("token|jonas") may be a key of thousands of stored people, and the resolver
# only asks whether exactly one person holds it (kg.resolve.resolver: a one-word name joins the one person
# with that word at an edge of a full name; a full name joins a one-word person only if no one holds it). Two
# of them answer that as all of them would: reading all made a daily build into bench/archive.py's archive
# read 9,305 entities under two first names, of the 9,370 it read.
_EDGE_TOKEN = "token|"
_TWO_BY_KEY = "SELECT ?k ?e WHERE { %s }"
_TWO_OF_ONE_KEY = (
    f"{{ SELECT ?k ?e WHERE {{ VALUES ?k {{ %s }} GRAPH <{ENTITIES_GRAPH}> {{ ?e <{NAME_KEY}> ?k }} }} LIMIT 2 }}"
)
_ENTITIES_GRAPH = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}"
_BATCH = 500  # IRIs or keys per VALUES block


def name_key_ntriples(iri: str, keys: Iterable[str]) -> str:
    """Return the kg:nameKey triples of one entity as N-Triples lines (sorted)."""
    return "".join(f"<{iri}> <{NAME_KEY}> {literal_block([key])} .\n" for key in sorted(keys))


class StoreKnownEntities(KnownEntities):
    """A KnownEntities that reads entities from a store on demand, by name key and by IRI."""

    def __init__(self, store, gazetteer: Gazetteer | None = None, *, store_was_empty: bool = False) -> None:
        """Take a store (`select`, `query`, `set_graph`) and the gazetteer; starts with nothing read.

        With `store_was_empty=True` (no article stored when the build began) nothing is ever read:
        every entity the store will hold comes from an article this index was given.
        """
        super().__init__(gazetteer)
        self.store = store
        self.store_was_empty = store_was_empty
        self._fetched: set[str] = set()  # name keys already read from the store
        self._read: set[str] = set()  # IRIs already read (or found absent)

    @classmethod
    def open(cls, store, gazetteer: Gazetteer | None = None) -> StoreKnownEntities:
        """Return the lazy index of a store, first indexing the names of a store written without keys."""
        empty = not store.query(_HAS_ARTICLES).boolean
        if not store.query(_HAS_MARKER).boolean:
            if empty:
                store.set_graph(ENTITIES_GRAPH, _MARKER)  # every entity it will hold comes with its keys
            else:
                write_name_index(store, gazetteer)
        return cls(store, gazetteer, store_was_empty=empty)

    def prefetch(self, extraction: Extraction) -> None:
        """Read from the store every entity under a name key resolving `extraction` may look up."""
        keys: set[str] = set()
        for entity in extraction.entities:
            if entity.type != GROUP:
                forms = [f.strip() for f in (*entity.names, entity.label) if f and f.strip()]
                keys |= lookup_keys(entity.type, forms)
        self._fetch(keys)

    def ensure(self, iris: Iterable[str]) -> None:
        """Read whole from the store each of these IRIs not read yet (an absent one is remembered as absent)."""
        # Membership tests, not `- self._records.keys()`: a set minus a dict's keys walks every key, so each
        # call cost time that grew with the entities read (1.7 ms a call at 10,000 archived articles).
        todo = sorted({iri for iri in iris if iri not in self._read and iri not in self._records})
        self._read.update(todo)
        if self.store_was_empty:
            return
        for start in range(0, len(todo), _BATCH):
            values = f"VALUES ?iri {{ {values_block(todo[start : start + _BATCH])} }}"
            self._merge_rows(self.store.select(known_entities_query(values)))

    def _fetch(self, keys: Iterable[str]) -> None:
        todo = sorted(set(keys) - self._fetched)
        self._fetched.update(todo)
        if self.store_was_empty:
            return
        whole = [key for key in todo if not key.startswith(_EDGE_TOKEN)]
        found: set[str] = set()
        for start in range(0, len(whole), _BATCH):
            found |= {row["e"] for row in self.store.select(_BY_KEY % literal_block(whole[start : start + _BATCH]))}
        found |= self._fetch_edge_tokens([key for key in todo if key.startswith(_EDGE_TOKEN)])
        self.ensure(found)

    def _fetch_edge_tokens(self, keys: list[str]) -> set[str]:
        """Read at most two stored people under each "token|" key; return the IRIs of keys only one holds.

        Under a key two or more people hold, the two read stay bare IRIs (nothing asks what they are): the index
        then holds two or more under it, which is all the resolver asks of it, as an index of the whole store
        would. The set under a key never shrinks in a build (a rename moves an entity to an IRI not yet
        known), so "two or more" stays true.
        """
        alone: set[str] = set()
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            union = " UNION ".join(_TWO_OF_ONE_KEY % literal_block([key]) for key in batch)
            under: dict[str, set[str]] = {}
            for row in self.store.select(_TWO_BY_KEY % union):
                under.setdefault(row["k"], set()).add(row["e"])
            for key, iris in under.items():
                if len(iris) == 1:
                    alone |= iris
                else:
                    self._keys[key].update(iris)
        return alone

    def _lookup(self, key: str) -> set[str]:
        if key not in self._fetched:
            self._fetch([key])
        return super()._lookup(key)

    def _before_add(self, iris: Iterable[str]) -> None:
        self.ensure(iris)

    def _exists(self, iri: str) -> bool:
        self.ensure([iri])
        return iri in self._records


def write_name_index(store, gazetteer: Gazetteer | None = None) -> int:
    """Add the name keys of every entity of a store written without them, and the marker; returns the entity count.

    Reads every entity once (what every build did before name keys) and rewrites the entities graph.
    """
    known = KnownEntities.from_rows(store.select(KNOWN_ENTITIES_QUERY), gazetteer)
    summary = store.query(_ENTITIES_GRAPH).ntriples
    kept = [
        line for line in summary.splitlines(keepends=True) if line.split(" ", 2)[1][1:-1] not in INTERNAL_PREDICATES
    ]
    keys = [name_key_ntriples(iri, name_keys(type_, forms)) for iri, (type_, _, forms) in known.items()]
    store.set_graph(ENTITIES_GRAPH, "".join(kept) + "".join(keys) + _MARKER)
    return len(keys)
