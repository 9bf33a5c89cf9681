"""What each article says of each entity, kept in memory for the length of a build.

An entity's summary row (one label, its aliases, its total mention count, its Wikidata link)
is computed from every article that mentions it. Asking the store for that on each article
write costs time that grows with the store; the ledger reads it once and is kept up to date
as articles are written, renamed or removed. Entities are read lazily, the first time an
article of the build mentions them, so a build into a large store reads only what it touches.

What it reads of an entity are its totals, summed by the store (`GROUP BY`): one row per name form,
class and link, however many articles mention it, and the total mention count its summary row holds,
so a daily build into a large archive does not read the thousands of rows of its most mentioned names.
What one article said is read only where it is needed: for an article being rebuilt or removed
(`load_article`), whose say is taken out of the totals, and for a rename, which moves every article's
say (`load(..., detail=True)`).
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


# The same four, summed per entity over the articles: what `load` reads unless asked for detail.
_FORM_TOTALS = _PREFIXES + (
    "SELECT ?e ?form (COUNT(?g) AS ?n) WHERE { %s GRAPH ?g { ?e kg:surfaceForm ?form } } GROUP BY ?e ?form"
)
# The total mention count is the one the entity's summary row holds: every write, removal and rename puts the
# sum over the stored articles there (kg.resolve.summary). Summing the articles' counts instead cost an index
# seek per article, since an occurrence, not the entity, holds its count (2.4 s for the entities of one article
# in a 100,000-article archive).
_COUNT_TOTALS = _PREFIXES + f"SELECT ?e ?total WHERE {{ %s GRAPH <{ENTITIES_GRAPH}> {{ ?e kg:mentionCount ?total }} }}"
# An entity's articles and its classes (or links) per graph are read in sub-selects of their own and joined
# by hash: joined in one pattern, each article cost an index seek (about 1 s for an entity named in 44,000
# articles of a 100,000-article archive).
_IN_GRAPHS = "{ SELECT ?e ?g WHERE { %(values)s GRAPH ?g { ?e kg:mentionedIn ?g } } }"
_TYPE_TOTALS = _PREFIXES + (
    "SELECT ?e ?type (COUNT(?g) AS ?n) WHERE { "
    + _IN_GRAPHS
    + " { SELECT ?e ?g ?type WHERE { %(values)s GRAPH ?g { ?e a ?type } } } } GROUP BY ?e ?type"
)
_LINK_TOTALS = _PREFIXES + (
    "SELECT ?e ?link (COUNT(?g) AS ?n) WHERE { "
    + _IN_GRAPHS
    + " { SELECT ?e ?g ?link WHERE { %(values)s GRAPH ?g { ?e owl:sameAs ?link } } } } GROUP BY ?e ?link"
)


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
    links: Counter = field(default_factory=Counter)  # link -> how many articles give it
    # (article, link), sorted by article; None when only `links` was read (the totals of one link value
    # say which link every other article gives; with two values the articles' order decides, see `link`).
    linked: list[tuple[str, str]] | None = field(default_factory=list)

    def add(self, article: str, item: Contribution, sign: int) -> None:
        """Add (`sign` 1) or take away (`sign` -1) one article's contribution."""
        self.forms.update({form: sign for form in item.forms})
        self.count += sign * item.count
        self.types.update({type_: sign for type_ in item.types})
        if item.link:
            self.links[item.link] += sign
            if self.linked is None:
                return
            if sign > 0:
                bisect.insort(self.linked, (article, item.link))
            else:
                at = bisect.bisect_left(self.linked, (article, item.link))
                if at < len(self.linked) and self.linked[at] == (article, item.link):
                    del self.linked[at]

    def needs_detail(self) -> bool:
        """Whether articles give two links or more while only the totals were read: then `link` needs `linked`."""
        return self.linked is None and sum(1 for n in self.links.values() if n > 0) > 1

    def link(self, article: str, mine: Contribution | None) -> str | None:
        """The link of the first article but `article` in IRI order; `mine` is what `article` says."""
        if self.linked is not None:
            return next((link for other, link in self.linked if other != article), None)
        counts = Counter(self.links)
        if mine is not None and mine.link:
            counts[mine.link] -= 1
        live = sorted(link for link, n in counts.items() if n > 0)
        if len(live) > 1:
            raise RuntimeError("two links and no article order: load() the entity before asking")
        return live[0] if live else None


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
        self._detailed: set[str] = set()  # entities whose every article's say is in _by_entity
        self._store_was_empty = store_was_empty

    @classmethod
    def from_store(cls, store: Store, entity_iris: Iterable[str] | None = None) -> Ledger:
        """Read contributions from a store: of every entity, or only of `entity_iris`; returns a Ledger."""
        ledger = cls()
        ledger.load(store, entity_iris)
        return ledger

    def load(self, store: Store, entity_iris: Iterable[str] | None = None, *, detail: bool = False) -> None:
        """Read from the store what its articles say of `entity_iris` (all entities, article by article, when None).

        Entities already loaded are not read again, so a build reads each entity's rows once, when an article
        first mentions it. What is read are the entity's totals (see the module notes), unless `detail` asks
        for every article's say (a rename needs it). An entity whose articles came to give two different links
        since its totals were read is read again, article by article, since the articles' order then decides.
        """
        if entity_iris is None:
            self._read(store, "")
            self._detailed.update(self._by_entity)
            return
        wanted = set(entity_iris)
        fresh = sorted(wanted - self._loaded)
        self._loaded.update(fresh)
        if self._store_was_empty:
            return
        again = {e for e in wanted - set(fresh) if e in self._totals and self._totals[e].needs_detail()}
        if detail:
            again |= {e for e in wanted - set(fresh) if e not in self._detailed}
        # An entity this ledger already holds articles of (told before it was read) is read in detail, as before.
        in_detail = sorted(again | {e for e in fresh if detail or e in self._by_entity})
        in_totals = [e for e in fresh if e not in in_detail]
        if in_detail:
            for entity in sorted(again):  # read afresh: the store holds all they said, this build's articles too
                self._drop(entity)
            self._read(store, f"VALUES ?e {{ {values_block(in_detail)} }}", in_detail)
        if in_totals:
            self._read_totals(store, in_totals)

    def _drop(self, entity: str) -> None:
        """Forget what this ledger holds of an entity, before it is read again in full."""
        self._totals.pop(entity, None)
        for article in self._by_entity.pop(entity, {}):
            self._by_article.get(article, set()).discard(entity)

    def _read(self, store: Store, values: str, entities: Iterable[str] = ()) -> None:
        """Read every article's say of `entities`, the ones `values` names (a VALUES block; "" for all)."""
        self._detailed.update(entities)
        touched = self._read_says(store, values)
        for row in store.select(_LABELS % values):
            self.labels[row["e"]] = row["label"]
        self._forget_groups(touched)
        for entity in touched:
            self._recount(entity)

    def _read_says(self, store: Store, values: str) -> set[str]:
        """File each (entity, article) row the VALUES blocks `values` select as that article's Contribution;
        return the entities with a form, a count or a class (links alone do not make a contribution count)."""
        touched: set[str] = set()
        for row in store.select(_FORMS % values):
            self._slot(row["e"], row["g"]).forms.add(row["form"])
            touched.add(row["e"])
        for row in store.select(_COUNTS % values):
            self._slot(row["e"], row["g"]).count += int(row["n"])
            touched.add(row["e"])
        for row in store.select(_TYPES % values):
            self._slot(row["e"], row["g"]).types.add(row["type"].rsplit("#", 1)[-1])
            touched.add(row["e"])
        for row in store.select(_LINKS % values):
            self._slot(row["e"], row["g"]).link = row["link"].rsplit("/", 1)[-1]
        return touched

    def _read_totals(self, store: Store, entities: list[str]) -> None:
        """Read the totals of entities no article of this ledger has told of: one row per form, class and link."""
        values = f"VALUES ?e {{ {values_block(entities)} }}"
        found: dict[str, _Totals] = {}

        def totals(entity: str) -> _Totals:
            return found.setdefault(entity, _Totals(linked=None))

        for row in store.select(_FORM_TOTALS % values):
            totals(row["e"]).forms[row["form"]] += int(row["n"])
        for row in store.select(_COUNT_TOTALS % values):
            totals(row["e"]).count += int(row["total"])
        for row in store.select(_TYPE_TOTALS % {"values": values}):
            totals(row["e"]).types[row["type"].rsplit("#", 1)[-1]] += int(row["n"])
        links: dict[str, Counter] = {}
        for row in store.select(_LINK_TOTALS % {"values": values}):
            links.setdefault(row["e"], Counter())[row["link"].rsplit("/", 1)[-1]] += int(row["n"])
        for row in store.select(_LABELS % values):
            self.labels[row["e"]] = row["label"]
        self._detailed.update(e for e in entities if e not in found)  # nothing stored: nothing to read
        detail = []
        for entity, item in found.items():
            if GROUP in item.types:  # groups live in one article, no summary row
                continue
            item.links = links.get(entity, Counter())
            if not item.links:
                item.linked = []  # no article gives a link: the (empty) order is known
            self._totals[entity] = item
            if item.needs_detail():
                detail.append(entity)
        if detail:  # two links: which one holds depends on the articles' order, so read them
            for entity in detail:
                self._drop(entity)
            self._read(store, f"VALUES ?e {{ {values_block(sorted(detail))} }}", detail)

    def load_article(self, store: Store, article_iri: str, entity_iris: Iterable[str]) -> None:
        """Read what one stored article says of `entity_iris` (loaded before), so that `others` can leave it out
        and `set_article` can take it back: for an article being rebuilt or removed."""
        wanted = sorted(
            e for e in set(entity_iris) if e in self._totals and article_iri not in self._by_entity.get(e, {})
        )
        if not wanted or self._store_was_empty:
            return
        self._read_says(store, f"VALUES ?e {{ {values_block(wanted)} }} VALUES ?g {{ {values_block([article_iri])} }}")

    def is_loaded(self, entity: str) -> bool:
        """Whether the entity was read (or told of) in this ledger."""
        return entity in self._loaded

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
        link = totals.link(article_iri, mine)
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
        """Move an entity's contributions from IRI `old` to `new`.

        Every article's say of `old`, and of `new` when it was loaded, must be in memory (`load(..., detail=True)`,
        or a ledger of a store that was empty): the totals of `new` are counted afresh from them.
        """
        self._loaded.add(new)
        self._detailed.add(new)
        self._detailed.discard(old)
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
