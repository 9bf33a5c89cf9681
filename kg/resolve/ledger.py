"""What each article says of each entity, kept in memory for the length of a build.

An entity's summary row (one label, its aliases, its total mention count, its Wikidata link)
is computed from every article that mentions it. Asking the store for that on each article
write costs time that grows with the store; the ledger reads it once and is kept up to date
as articles are written, renamed or removed. Entities are read lazily, the first time an
article of the build mentions them, so a build into a large store reads only what it touches.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.iris import ENTITIES_GRAPH, ONTOLOGY
from kg.records import GROUP
from kg.store import Store, values_block

# One small query per column: joined in one UNION with OPTIONAL, Oxigraph scanned every entity (seconds
# per call on a 100,000-entity store, against milliseconds for these).
_PREFIXES = f"PREFIX kg: <{ONTOLOGY}>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
_FORMS = _PREFIXES + "SELECT ?e ?g ?form WHERE { %s GRAPH ?g { ?e kg:surfaceForm ?form } }"
_COUNTS = _PREFIXES + "SELECT ?e ?g ?n WHERE { %s GRAPH ?g { ?o kg:entity ?e ; kg:mentionCount ?n } }"
_TYPES = _PREFIXES + "SELECT ?e ?g ?type WHERE { %s GRAPH ?g { ?e kg:mentionedIn ?g ; a ?type } }"
_LINKS = _PREFIXES + "SELECT ?e ?g ?link WHERE { %s GRAPH ?g { ?e kg:mentionedIn ?g ; owl:sameAs ?link } }"


_LABELS = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?label WHERE {{ %s GRAPH <{ENTITIES_GRAPH}> {{ ?e rdfs:label ?label }} }}"""


@dataclass
class Contribution:
    """One article's say about one entity: the names it used, how often it mentioned it, types, link."""

    forms: set[str] = field(default_factory=set)
    count: int = 0
    types: set[str] = field(default_factory=set)
    link: str | None = None


@dataclass
class Known:
    """What all articles but one say of an entity: names with how many articles use each, count, types, link."""

    forms: dict[str, int] = field(default_factory=dict)
    count: int = 0
    types: set[str] = field(default_factory=set)
    link: str | None = None


@dataclass
class _Totals:
    """One entity's contributions summed over every article, kept current so `Ledger.others` costs
    the same whether 3 or 30,000 articles mention the entity."""

    forms: Counter = field(default_factory=Counter)
    count: int = 0
    types: Counter = field(default_factory=Counter)
    linked: list[tuple[str, str]] = field(default_factory=list)  # (article, link), sorted by article

    def add(self, article: str, item: Contribution, sign: int) -> None:
        """Add (`sign` 1) or take away (`sign` -1) one article's contribution."""
        self.forms.update({form: sign for form in item.forms})
        self.count += sign * item.count
        self.types.update({type_: sign for type_ in item.types})
        if item.link:
            if sign > 0:
                bisect.insort(self.linked, (article, item.link))
            else:
                at = bisect.bisect_left(self.linked, (article, item.link))
                if at < len(self.linked) and self.linked[at] == (article, item.link):
                    del self.linked[at]


class Ledger:
    """Per entity, per article, the Contribution; with an index from article to entities, and summary labels."""

    def __init__(self, *, store_was_empty: bool = False) -> None:
        """Take `store_was_empty=True` when the store held no article as the build began: then nothing
        is read from it, since every entity it holds came from an article this ledger was told of."""
        self._by_entity: dict[str, dict[str, Contribution]] = {}
        self._totals: dict[str, _Totals] = {}
        self._by_article: dict[str, set[str]] = {}
        self.labels: dict[str, str] = {}
        self._loaded: set[str] = set()
        self._store_was_empty = store_was_empty

    @classmethod
    def from_store(cls, store: Store, entity_iris: Iterable[str] | None = None) -> Ledger:
        """Read contributions from a store: of every entity, or only of `entity_iris`; returns a Ledger."""
        ledger = cls()
        ledger.load(store, entity_iris)
        return ledger

    def load(self, store: Store, entity_iris: Iterable[str] | None = None) -> None:
        """Read from the store what its articles say of `entity_iris` (all entities when None).

        Entities already loaded are not read again, so a build reads each entity's rows once, when
        an article first mentions it, whatever the size of the store.
        """
        ledger = self
        if entity_iris is not None:
            entity_iris = sorted(set(entity_iris) - self._loaded)
            if not entity_iris:
                return
            self._loaded.update(entity_iris)
            if self._store_was_empty:
                return
            values = f"VALUES ?e {{ {values_block(entity_iris)} }}"
        else:
            values = ""
        touched: set[str] = set()
        for row in store.select(_FORMS % values):
            ledger._slot(row["e"], row["g"]).forms.add(row["form"])
            touched.add(row["e"])
        for row in store.select(_COUNTS % values):
            ledger._slot(row["e"], row["g"]).count += int(row["n"])
            touched.add(row["e"])
        for row in store.select(_TYPES % values):
            ledger._slot(row["e"], row["g"]).types.add(row["type"].rsplit("#", 1)[-1])
            touched.add(row["e"])
        for row in store.select(_LINKS % values):
            ledger._slot(row["e"], row["g"]).link = row["link"].rsplit("/", 1)[-1]
        for row in store.select(_LABELS % values):
            ledger.labels[row["e"]] = row["label"]
        ledger._forget_groups(touched)
        for entity in touched:
            self._recount(entity)

    def _recount(self, entity: str) -> None:
        """Sum an entity's contributions afresh (after a load or a rename, which change them wholesale)."""
        totals = self._totals[entity] = _Totals()
        for article, item in self._by_entity.get(entity, {}).items():
            totals.add(article, item, 1)

    def _forget_groups(self, entities: set[str]) -> None:
        # Only rows read from the store can make a group (set_article gets named entities only), so only
        # the entities just read are looked at: scanning them all made every load cost O(entities).
        for entity in sorted(entities):
            items = self._by_entity.get(entity, {})
            if any(GROUP in item.types for item in items.values()):  # groups live in one article, no summary row
                self._totals.pop(entity, None)
                for article in self._by_entity.pop(entity):
                    self._by_article[article].discard(entity)

    def _slot(self, entity: str, article: str) -> Contribution:
        self._by_article.setdefault(article, set()).add(entity)
        return self._by_entity.setdefault(entity, {}).setdefault(article, Contribution())

    def entities_of(self, article_iri: str) -> set[str]:
        """Return the IRIs of the entities an article contributes to."""
        return set(self._by_article.get(article_iri, ()))

    def others(self, entity: str, article_iri: str = "") -> Known:
        """Return what every article but `article_iri` says of `entity`."""
        totals = self._totals.get(entity)
        if totals is None:
            return Known()
        mine = self._by_entity.get(entity, {}).get(article_iri) if article_iri else None
        forms, count, types = Counter(totals.forms), totals.count, Counter(totals.types)
        if mine is not None:
            forms.subtract(mine.forms)
            count -= mine.count
            types.subtract(mine.types)
        # The link of the first article in IRI order, as a scan in that order would find it.
        link = next((link for article, link in totals.linked if article != article_iri), None)
        return Known(
            forms={form: n for form, n in forms.items() if n > 0},
            count=count,
            types={type_ for type_, n in types.items() if n > 0},
            link=link,
        )

    def set_article(self, article_iri: str, contributions: dict[str, Contribution]) -> None:
        """Replace everything an article contributes (an empty dict removes the article)."""
        for entity in self._by_article.pop(article_iri, set()):
            old = self._by_entity.get(entity, {}).pop(article_iri, None)
            if old is not None and entity in self._totals:
                self._totals[entity].add(article_iri, old, -1)
        for entity, item in contributions.items():
            self._by_entity.setdefault(entity, {})[article_iri] = item
            self._totals.setdefault(entity, _Totals()).add(article_iri, item, 1)
            self._by_article.setdefault(article_iri, set()).add(entity)

    def rename(self, old: str, new: str) -> None:
        """Move an entity's contributions from IRI `old` to `new`."""
        self._loaded.add(new)
        if old in self.labels:
            self.labels[new] = self.labels.pop(old)
        moved = self._by_entity.pop(old, {})
        target = self._by_entity.setdefault(new, {})
        for article, item in moved.items():
            target[article] = item
            entities = self._by_article.setdefault(article, set())
            entities.discard(old)
            entities.add(new)
        self._totals.pop(old, None)
        self._recount(new)
