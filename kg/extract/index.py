"""The EntityIndex: which entity each token of an article refers to, after coreference.

`build_index(doc, article, gazetteer)` runs the entity stages in order and freezes the result:

    entities.find_names      NER spans, datelines, gazetteer names -> name mentions, typed by votes
    entities.find_collectives  "Ukrainian forces", "Russia's defence ministry" -> organizations
    name_links.link_names    surnames, short forms, acronyms -> one entity per name
    groups.find_groups       "two North Korean soldiers", "the soldiers" -> Group entities
    coref.resolve_references definite descriptions, appositions and pronouns -> the entity they mean
    coref.apply_metonyms     "Pyongyang said" -> the country

Stages work on an `IndexBuilder` (mutable drafts joined by union-find); `freeze()` turns it into the
read-only EntityIndex that the event and relation extractors query by token or character span.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kg.extract.common import doc_view
from kg.records import COUNTRY, NAME, Entity, Mention

# How much one observation counts towards an entity's class (see entity_types.decide_type).
STRONG = 10
CUE = 3
CONTEXT = 2
NER = 1


@dataclass
class Draft:
    """An entity while the stages still change it: class votes, mentions, names, group attributes."""

    votes: Counter = field(default_factory=Counter)
    type: str = ""
    label: str | None = None  # canonical label (gazetteer) that beats the fullest name
    link: str | None = None
    names: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # (start token, end token, kind)
    size: int | None = None
    role: str | None = None
    nationality: int | None = None  # draft id of a Country
    part_of: int | None = None  # draft id of the country/organization an organization belongs to
    plural: bool = False
    gazetteer_country: str | None = None  # label of the country the gazetteer says an org belongs to
    gender: str | None = None  # "female" / "male" for a person when a given name, title or pronoun says so

    def add_name(self, name: str) -> None:
        """Record a name form once."""
        if name and name not in self.names:
            self.names.append(name)


class IndexBuilder:
    """Mutable state shared by the entity stages: drafts, their union-find, and which token belongs to which."""

    def __init__(self, doc, gazetteer):
        """Take a spaCy Doc and a Gazetteer; start with no entities."""
        self.doc = doc
        self.gazetteer = gazetteer
        self.drafts: list[Draft] = []
        self._parent: list[int] = []
        self._token_owner: dict[int, int] = {}  # token index -> draft id (not yet followed through merges)
        self._token_mention: dict[int, tuple[int, int, str]] = {}
        self._countries: dict[str, int] = {}  # gazetteer label -> draft id
        self.named_by_key: dict[str, int] = {}  # normalised name -> draft id
        # Tokens and sentences once per Doc: `doc[i]` and Token.sent rebuild them on every call.
        self.view = doc_view(doc)
        self.tokens = self.view.tokens
        self.sentences = self.view.sentences
        self.sentence_of: list[int] = self.view.sentence_of

    def sentence(self, token_index: int):
        """Return the sentence Span holding a token."""
        return self.sentences[self.sentence_of[token_index]]

    # -- drafts -----------------------------------------------------------------------------------
    def new(self, **attributes) -> int:
        """Create a draft with the given Draft attributes; return its id."""
        self.drafts.append(Draft(**attributes))
        self._parent.append(len(self._parent))
        return len(self.drafts) - 1

    def find(self, draft_id: int) -> int:
        """Return the id of the draft that `draft_id` was merged into (itself when never merged)."""
        parent = self._parent
        while parent[draft_id] != draft_id:
            parent[draft_id] = parent[parent[draft_id]]
            draft_id = parent[draft_id]
        return draft_id

    def get(self, draft_id: int) -> Draft:
        """Return the live draft behind an id."""
        return self.drafts[self.find(draft_id)]

    def merge(self, keep: int, other: int) -> int:
        """Merge draft `other` into `keep` (votes, names, mentions, attributes); return the surviving id."""
        keep, other = self.find(keep), self.find(other)
        if keep == other:
            return keep
        kept, gone = self.drafts[keep], self.drafts[other]
        kept.votes.update(gone.votes)
        for name in gone.names:
            kept.add_name(name)
        kept.mentions.extend(gone.mentions)
        kept.label = kept.label or gone.label
        kept.link = kept.link or gone.link
        kept.part_of = kept.part_of if kept.part_of is not None else gone.part_of
        kept.nationality = kept.nationality if kept.nationality is not None else gone.nationality
        kept.gazetteer_country = kept.gazetteer_country or gone.gazetteer_country
        kept.gender = kept.gender or gone.gender
        self._parent[other] = keep
        return keep

    def live_ids(self) -> list[int]:
        """Return the ids of drafts that were not merged away, in creation order."""
        return [i for i in range(len(self.drafts)) if self._parent[i] == i]

    # -- mentions and tokens ----------------------------------------------------------------------
    def add_mention(self, draft_id: int, start: int, end: int, kind: str, name: str | None = None) -> None:
        """Record tokens [start, end) as a mention of a draft; tokens already owned keep their owner."""
        draft = self.get(draft_id)
        mention = (start, end, kind)
        draft.mentions.append(mention)
        if kind == NAME and name:
            draft.add_name(name)
        for i in range(start, end):
            if i not in self._token_owner:
                self._token_owner[i] = draft_id
                self._token_mention[i] = mention

    def claim(self, draft_id: int, tokens, mention: tuple[int, int, str] | None = None) -> None:
        """Map extra tokens (a title before a name, a description's head) to a draft without a new mention."""
        for token in tokens:
            i = token if isinstance(token, int) else token.i
            if i not in self._token_owner:
                self._token_owner[i] = draft_id
                if mention is not None:
                    self._token_mention[i] = mention

    def owner(self, token_index: int) -> int | None:
        """Return the live draft id a token belongs to, or None."""
        owner = self._token_owner.get(token_index)
        return None if owner is None else self.find(owner)

    def mention_of(self, token_index: int) -> tuple[int, int, str] | None:
        """Return the (start, end, kind) mention a token belongs to, or None."""
        return self._token_mention.get(token_index)

    def reassign(self, start: int, end: int, draft_id: int) -> None:
        """Move the mention [start, end) and its tokens from their current owner to another draft."""
        old = self.owner(start)
        if old is not None:
            mentions = self.drafts[old].mentions
            moved = [m for m in mentions if m[0] == start and m[1] == end]
            self.drafts[old].mentions = [m for m in mentions if not (m[0] == start and m[1] == end)]
            self.get(draft_id).mentions.extend(moved)
        for i in range(start, end):
            self._token_owner[i] = draft_id

    # -- countries --------------------------------------------------------------------------------
    def country(self, entry) -> int:
        """Return the draft id of the Country a gazetteer entry names, creating it (without mentions) if needed."""
        known = self._countries.get(entry.label)
        if known is None:
            known = self.named_by_key.get(entry.label)
        if known is not None:
            return self.find(known)
        draft_id = self.new(label=entry.label, link=entry.qid, type=COUNTRY)
        self.get(draft_id).votes[COUNTRY] += STRONG
        self._countries[entry.label] = draft_id
        return draft_id

    def register_country(self, label: str, draft_id: int) -> None:
        """Remember that the Country `label` is the draft `draft_id` (so demonyms find it)."""
        self._countries.setdefault(label, draft_id)

    def country_for_demonym(self, word: str) -> int | None:
        """Return the draft id of the country a demonym names ("North Korean"), or None."""
        entry = self.gazetteer.by_demonym(word)
        return None if entry is None or entry.type != COUNTRY else self.country(entry)

    # -- freezing ---------------------------------------------------------------------------------
    def freeze(self) -> EntityIndex:
        """Turn the drafts into Entity records with keys e1, e2 ... by first mention; return the EntityIndex."""
        doc = self.doc
        view = self.view
        live = [i for i in self.live_ids() if self._keep(i)]
        first = {i: min((m[0] for m in self.drafts[i].mentions), default=len(doc) + i) for i in live}
        live.sort(key=lambda i: (first[i], i))
        keys = {i: f"e{n}" for n, i in enumerate(live, start=1)}
        entities: dict[str, Entity] = {}
        for i in live:
            draft = self.drafts[i]
            mentions = []
            for start, end, kind in sorted(set(draft.mentions)):
                start_char, end_char = view.offsets(start, end)
                text = view.span_text(start, end)
                evidence = view.evidence(self.sentence(start))
                mentions.append(Mention(start_char, end_char, text, kind=kind, evidence=evidence))
            nationality = self.find(draft.nationality) if draft.nationality is not None else None
            entities[keys[i]] = Entity(
                key=keys[i],
                type=draft.type,
                label=draft.label or _fullest(draft.names) or (mentions[0].text if mentions else ""),
                names=tuple(draft.names),
                mentions=tuple(mentions),
                size=draft.size,
                role=draft.role,
                nationality=keys.get(nationality) if nationality is not None else None,
                link=draft.link,
            )
        token_key: dict[int, str] = {}
        token_mention: dict[int, Mention] = {}
        mention_lookup = {
            (m.start, m.end): m for entity in entities.values() for m in entity.mentions
        }  # by character offsets
        for token_index, owner in self._token_owner.items():
            key = keys.get(self.find(owner))
            if key is None:
                continue
            token_key[token_index] = key
            span_tokens = self._token_mention.get(token_index)
            if span_tokens is not None:
                mention = mention_lookup.get(view.offsets(*span_tokens[:2]))
                if mention is not None:
                    token_mention[token_index] = mention
        part_of = {
            keys[i]: keys.get(self.find(self.drafts[i].part_of))
            for i in live
            if self.drafts[i].part_of is not None and keys.get(self.find(self.drafts[i].part_of))
        }
        return EntityIndex(doc, entities, token_key, token_mention, part_of, self.gazetteer)

    def _keep(self, draft_id: int) -> bool:
        """A draft survives if it has mentions or is the nationality/part of a draft that does."""
        draft = self.drafts[draft_id]
        if draft.mentions:
            return True
        for other in self.live_ids():
            odraft = self.drafts[other]
            if not odraft.mentions:
                continue
            for ref in (odraft.nationality, odraft.part_of):
                if ref is not None and self.find(ref) == draft_id:
                    return True
        return False


def _fullest(names: list[str]) -> str:
    """Return the fullest name form: most words, then longest, then first seen."""
    if not names:
        return ""
    return max(enumerate(names), key=lambda pair: (len(pair[1].split()), len(pair[1]), -pair[0]))[1]


class EntityIndex:
    """Read-only view of an article's entities: look up the entity a token or character span refers to.

    Built by `build_index`; `part_of` holds organization -> country/organization facts found while
    typing names ("South Korea's National Intelligence Service"), which relations.find_relations reports.
    """

    def __init__(self, doc, entities: dict[str, Entity], token_key, token_mention, part_of, gazetteer=None):
        """Take the Doc, entities by key, token index -> key and -> Mention maps, part_of pairs, gazetteer."""
        self.doc = doc
        self._entities = entities
        self._token_key = token_key
        self._token_mention = token_mention
        self.part_of = part_of
        self.gazetteer = gazetteer
        self._country_keys = {e.label: e.key for e in entities.values() if e.type == COUNTRY}

    def entity_for_token(self, token) -> str | None:
        """Take a spaCy Token (usually a noun phrase's head); return the key of the entity it refers to, or None.

        Tokens inside a name, a title before a name, a description, a pronoun or a group phrase all map to
        their entity; a compound or flat modifier falls back to its head's entity.
        """
        key = self._token_key.get(token.i)
        if key is None and token.dep_ in ("compound", "flat", "nmod") and token.head.i != token.i:
            key = self._token_key.get(token.head.i)
        return key

    def entity_for_span(self, start_char: int, end_char: int) -> str | None:
        """Take character offsets into the article text; return the key of the entity of the span's head, or None."""
        span = self.doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or not len(span):
            return None
        key = self.entity_for_token(span.root)
        if key is not None:
            return key
        owners = [self._token_key[t.i] for t in span if t.i in self._token_key]
        return Counter(owners).most_common(1)[0][0] if owners else None

    def mention_at(self, token) -> Mention | None:
        """Take a spaCy Token; return the Mention it lies in, or None."""
        return self._token_mention.get(token.i)

    def entity(self, key: str) -> Entity:
        """Return the Entity with this key (KeyError when unknown)."""
        return self._entities[key]

    def entities(self) -> tuple[Entity, ...]:
        """Return every entity, ordered by first mention (entities without mentions last)."""
        return tuple(self._entities.values())

    def country_key(self, name: str) -> str | None:
        """Take a country name, alias or demonym; return its Country entity key, adding the entity if needed.

        Returns None when the gazetteer does not know the word as a country.
        """
        if self.gazetteer is None:
            return None
        entry = self.gazetteer.lookup(name)
        if entry is None or entry.type != COUNTRY:
            entry = self.gazetteer.by_demonym(name)
        if entry is None or entry.type != COUNTRY:
            return None
        key = self._country_keys.get(entry.label)
        if key is None:
            key = f"e{len(self._entities) + 1}"
            self._entities[key] = Entity(key=key, type=COUNTRY, label=entry.label, link=entry.qid)
            self._country_keys[entry.label] = key
        return key
