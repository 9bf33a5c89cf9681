"""Facts between entities stated in one article: leaderOf, position, partOf, memberOf, founderOf, locatedIn,
nationality.

Every relation carries the sentence it was read from. The patterns:
- a title before a name: "Ukrainian President Volodymyr Zelensky" -> position "President", leaderOf and
  nationality Ukraine; "Microsoft CEO Satya Nadella" -> leaderOf Microsoft; a head-of-state title without
  an owner takes the only country the sentence names ("investigators in South Korea detained President
  Yoon"); a company title without an owner the only company the sentence refers to ("Chief executive
  Tim Cook ... the company's");
- a title apposition: "Satya Nadella, Microsoft's chief executive", "the country's leader, Kim Jong Un",
  "Bobby Kotick, the chief executive of Activision";
- partOf from a country modifier found while typing ("South Korea's National Intelligence Service",
  "Ukrainian forces");
- memberOf: "legislators at the National Assembly", "lawmakers from the Democratic Party",
  "Democratic Party lawmakers", "X, a member of Y";
- founderOf: "founder" titles, "X, who founded Y", "Y was founded by X";
- locatedIn: "based/headquartered in P", "its headquarters in P", "Santa Monica, California".
Group nationality sits on Entity.nationality (set by groups.py) and is not repeated here.
"""

from __future__ import annotations

from kg.extract.common import DocView, children, doc_view, lefts
from kg.extract.entity_cues import load_cues
from kg.extract.index import EntityIndex
from kg.records import (
    CITY,
    COMPANY,
    COUNTRY,
    DESCRIPTION,
    GROUP,
    NAME,
    ORGANIZATION_TYPES,
    PERSON,
    PLACE_TYPES,
    REGION,
    Relation,
)

_PLACE_RANK = {CITY: 1, "Place": 1, REGION: 2, COUNTRY: 3}
_MEMBER_PREPOSITIONS = frozenset({"of", "at", "from", "in"})
_FOUND_VERBS = frozenset({"found", "co-found", "cofound"})


class _Collector:
    """Relations in first-found order, without repeats of (subject, predicate, object)."""

    def __init__(self, view: DocView):
        self.view = view
        self.found: dict[tuple[str, str, str], Relation] = {}

    def add(self, subject: str | None, predicate: str, obj: str | None, sent, literal: bool = False) -> None:
        if subject is None or obj is None or (subject == obj and not literal):
            return
        key = (subject, predicate, obj.lower() if literal else obj)
        if literal and any(k[:2] == (subject, predicate) and k[2] == key[2] for k in self.found):
            return
        if key not in self.found:
            self.found[key] = Relation(subject, predicate, obj, literal=literal, evidence=self.view.evidence(sent))


def find_relations(doc, index: EntityIndex, gazetteer=None) -> tuple[Relation, ...]:
    """Take a Doc, its EntityIndex and (optionally) the Gazetteer; return the relations the article states."""
    view = doc_view(doc)
    found = _Collector(view)
    _part_of(doc, index, found)
    for entity in index.entities():
        if entity.type == PERSON:
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None:
                    continue
                if mention.kind == NAME:
                    _titles_before_name(view, index, entity.key, span, found)
                elif mention.kind == DESCRIPTION and span.root.lower_ in load_cues().title_words:
                    _title_phrase(view, index, entity.key, span.root, found)
    _memberships(view, index, found)
    _founders(view, index, found)
    _locations(view, index, found)
    return tuple(found.found.values())


def _type(index: EntityIndex, key: str | None) -> str | None:
    return None if key is None else index.entity(key).type


def _part_of(doc, index: EntityIndex, found: _Collector) -> None:
    for key, owner in index.part_of.items():
        mentions = index.entity(key).mentions
        if mentions:
            span = doc.char_span(mentions[0].start, mentions[0].end, alignment_mode="expand")
            sent = found.view.sent(span.start)
            found.add(key, "partOf", owner, sent)


def _title_words(tokens, cues) -> tuple[int, int] | None:
    """Return the (start, end) token positions of the longest known title ending the token list, or None."""
    tokens = list(tokens)
    for length in range(min(4, len(tokens)), 0, -1):
        words = " ".join(t.lower_ for t in tokens[-length:])
        if words in cues.positions:
            return tokens[-length].i, tokens[-1].i + 1
    return None


def _owner_before(view: DocView, index: EntityIndex, start: int, stop: int) -> str | None:
    """The country or organization named in tokens [stop, start) just before a title: a demonym or an entity."""
    for i in range(start - 1, stop - 1, -1):
        token = view.tokens[i]
        if token.text in ("'s", "’s", "'", "’"):
            continue
        key = index.entity_for_token(token)
        if key is not None and _type(index, key) in ORGANIZATION_TYPES | {COUNTRY}:
            return key
        if token.ent_type_ in ("NORP", "GPE") or token.pos_ == "ADJ":
            country = index.country_key(_demonym_text(view, token))
            if country is not None:
                return country
        if token.lower_ not in load_cues().title_modifiers and not token.is_punct:
            break
    return None


def _portfolio_start(view: DocView, index: EntityIndex, person: str, start: int, stop: int) -> int:
    """Where a lower-case qualifier just before the title at `start` begins, else `start` (not left of `stop`).

    "the Commission's competition chief", "South Korea's spy chief", "Russia's deputy defence minister":
    the title is a post inside the owner, not the head of it. Names, demonyms and the words of
    `title_modifiers` ("former", "new") are never qualifiers.
    """
    modifiers = load_cues().title_modifiers
    first = start
    for i in range(start - 1, stop - 1, -1):
        token = view.tokens[i]
        if (
            token.pos_ not in ("NOUN", "ADJ")
            or token.dep_ not in ("compound", "amod")
            or not token.is_lower
            or token.lower_ in modifiers
            or token.ent_type_
            or index.entity_for_token(token) not in (None, person)  # a title apposition is the person's mention
        ):
            break
        first = i
    return first


def _post_in(index: EntityIndex, person: str, owner, sent, found: _Collector) -> None:
    """A post inside an organization makes its holder a member, not its leader."""
    if owner is not None and _type(index, owner) in ORGANIZATION_TYPES:
        found.add(person, "memberOf", owner, sent)


def _demonym_text(view: DocView, token) -> str:
    """The whole NORP span a token lies in ("North Korean"), else the token's text."""
    if token.ent_type_:
        tokens = view.tokens
        start, end = token.i, token.i + 1
        while start > 0 and tokens[start].ent_iob_ == "I":
            start -= 1
        while end < len(tokens) and tokens[end].ent_iob_ == "I":
            end += 1
        return view.span_text(start, end)
    return token.text


def _np_left(root) -> int:
    return min([root.i] + [c.left_edge.i for c in lefts(root) if c.dep_ in ("compound", "amod", "poss", "nmod", "det")])


def _titles_before_name(view: DocView, index: EntityIndex, person: str, span, found: _Collector) -> None:
    """ "Ukrainian President Volodymyr Zelensky", "Microsoft CEO Satya Nadella", "King Mohammed VI"."""
    cues = load_cues()
    left = _np_left(span.root)
    before = [t for t in view.tokens[left : span.start] if not t.is_punct]
    title = _title_words(before, cues)
    if title is None:
        return
    start, end = title
    first = _portfolio_start(view, index, person, start, left)
    position = view.span_text(first, end)
    sent = view.sent(span.start)
    found.add(person, "position", position, sent, literal=True)
    owner = _owner_before(view, index, first, left)
    if owner is not None and _type(index, owner) == COUNTRY and view.tokens[first - 1].text not in ("'s", "’s"):
        found.add(person, "nationality", owner, sent)
    if first < start:
        _post_in(index, person, owner, sent, found)
    else:
        _leadership(view, index, person, position.lower(), owner, sent, found)


def _title_phrase(view: DocView, index: EntityIndex, person: str, head, found: _Collector) -> None:
    """ "Microsoft's chief executive", "the chief executive of Activision Blizzard", "the country's leader"."""
    cues = load_cues()
    tokens = [t for t in view.tokens[_np_left(head) : head.i + 1] if t.lower_ in cues.title_words]
    title = _title_words(tokens, cues)
    if title is None:
        return
    start, end = title
    first = _portfolio_start(view, index, person, start, _np_left(head))
    position = " ".join(t.text for t in view.tokens[first:end] if not t.is_punct)
    sent = view.sent(head.i)
    found.add(person, "position", position, sent, literal=True)
    owner = None
    for child in children(head):
        if child.dep_ == "poss":
            owner = index.entity_for_token(child)
        elif child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in children(child) if c.dep_ == "pobj"]
            owner = index.entity_for_token(objects[0]) if objects else owner
        elif child.dep_ in ("amod", "compound") and owner is None and not first <= child.i < start:
            owner = index.country_key(_demonym_text(view, child)) if child.ent_type_ else index.entity_for_token(child)
    if _type(index, owner) not in ORGANIZATION_TYPES | {COUNTRY}:
        owner = None
    if first < start:
        _post_in(index, person, owner, sent, found)
    else:
        _leadership(view, index, person, position.lower(), owner, sent, found)


def _leadership(view: DocView, index: EntityIndex, person: str, title: str, owner, sent, found: _Collector) -> None:
    """Add leaderOf/founderOf for a title, finding the owner in the sentence when the title has none."""
    cues = load_cues()
    if title in cues.founder_titles:
        if owner is not None and _type(index, owner) in ORGANIZATION_TYPES:
            found.add(person, "founderOf", owner, sent)
        return
    if title not in cues.leader_titles:
        return
    if owner is None:
        wanted = {COUNTRY} if title in cues.head_of_state else {COMPANY}
        owner = _only_referent(view, index, sent, wanted, person)
    if owner is not None:
        found.add(person, "leaderOf", owner, sent)


def _only_referent(view: DocView, index: EntityIndex, sent, wanted: set[str], person: str) -> str | None:
    """The one entity of the wanted classes the sentence refers to (names, descriptions, pronouns, demonyms)."""
    keys = set()
    for token in view.tokens[sent.start : sent.end]:
        key = index.entity_for_token(token)
        if key is not None and key != person and _type(index, key) in wanted:
            keys.add(key)
        elif COUNTRY in wanted and token.ent_type_ == "NORP" and token.ent_iob_ == "B":
            country = index.country_key(_demonym_text(view, token))
            if country is not None:
                keys.add(country)
    return next(iter(keys)) if len(keys) == 1 else None


def _memberships(view: DocView, index: EntityIndex, found: _Collector) -> None:
    """ "legislators at the National Assembly", "Democratic Party lawmakers", "X, a member of the Y party"."""
    doc = view.doc
    for token in view.tokens:
        key = index.entity_for_token(token)
        if key is None or _type(index, key) not in (PERSON, GROUP):
            continue
        mention = index.mention_at(token)
        if mention is None or token.i != doc.char_span(mention.start, mention.end, alignment_mode="expand").root.i:
            continue
        title_words = load_cues().title_words
        heads = [token] + [c for c in children(token) if c.dep_ == "appos"]
        for head in heads:
            if head.lower_ in title_words:
                continue  # "the chief executive of X" is leadership, found with the titles
            for child in children(head):
                target = None
                if child.dep_ == "prep" and child.lower_ in _MEMBER_PREPOSITIONS:
                    objects = [c for c in children(child) if c.dep_ == "pobj"]
                    target = index.entity_for_token(objects[0]) if objects else None
                elif child.dep_ == "compound" and _type(index, key) == GROUP:
                    target = index.entity_for_token(child)
                if target is not None and target != key and _type(index, target) in ORGANIZATION_TYPES:
                    found.add(key, "memberOf", target, view.sent(token.i))


def _founders(view: DocView, index: EntityIndex, found: _Collector) -> None:
    """ "X founded Y", "X, who founded Y", "Y was founded by X"."""
    for verb, lemma in zip(view.tokens, view.column("lemma_"), strict=True):
        if lemma.lower() not in _FOUND_VERBS or verb.pos_ != "VERB":
            continue
        founder = organization = None
        for child in children(verb):
            if child.dep_ == "nsubj":
                founder = verb.head if child.lower_ in ("who", "that") and verb.dep_ == "relcl" else child
            elif child.dep_ == "dobj" or child.dep_ == "nsubjpass":
                organization = child
            elif child.dep_ == "agent":
                founder = next((c for c in children(child) if c.dep_ == "pobj"), founder)
        if verb.dep_ == "relcl" and organization is None and verb.tag_ == "VBN":
            organization = verb.head
        person = index.entity_for_token(founder) if founder is not None else None
        org = index.entity_for_token(organization) if organization is not None else None
        if _type(index, person) == PERSON and _type(index, org) in ORGANIZATION_TYPES:
            found.add(person, "founderOf", org, view.sent(verb.i))


def _locations(view: DocView, index: EntityIndex, found: _Collector) -> None:
    """ "based in P", "its headquarters in P", and "Santa Monica, California" / "REDMOND, Washington"."""
    tokens = view.tokens
    for token, lemma, lower, text in zip(
        tokens, view.column("lemma_"), view.column("lower_"), view.column("text"), strict=True
    ):
        lemma = lemma.lower()
        if lemma in ("base", "headquarter", "headquarters") or lower == "headquarters":
            place = _place_after_in(index, token)
            if place is None:
                continue
            subject = None
            if token.dep_ == "acl":
                subject = token.head
            for child in children(token):
                if child.dep_ in ("nsubjpass", "nsubj", "poss"):
                    subject = child
            if token.dep_ == "relcl" and (subject is None or subject.lower_ in ("which", "that")):
                subject = token.head  # "Spotify, which is based in ..."
            org = index.entity_for_token(subject) if subject is not None else None
            if _type(index, org) in ORGANIZATION_TYPES:
                found.add(org, "locatedIn", place, view.sent(token.i))
        if text == "," and 0 < token.i < len(tokens) - 1:
            left = index.entity_for_token(tokens[token.i - 1])
            right = index.entity_for_token(tokens[token.i + 1])
            mention = index.mention_at(tokens[token.i + 1])
            if mention is None or mention.start != tokens[token.i + 1].idx:
                continue
            left_rank = _PLACE_RANK.get(_type(index, left) or "", 0)
            right_rank = _PLACE_RANK.get(_type(index, right) or "", 0)
            if left_rank and right_rank > left_rank:
                found.add(left, "locatedIn", right, view.sent(token.i))


def _place_after_in(index: EntityIndex, token) -> str | None:
    for child in children(token):
        if child.dep_ == "prep" and child.lower_ in ("in", "at"):
            for obj in children(child):
                key = index.entity_for_token(obj)
                if obj.dep_ == "pobj" and _type(index, key) in PLACE_TYPES:
                    return key
    return None


__all__ = ["find_relations"]
