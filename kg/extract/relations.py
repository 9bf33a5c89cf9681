"""Facts between entities stated in one article: leaderOf, position, partOf, memberOf, founderOf, locatedIn,
nationality.

Every relation carries the sentence it was read from. The patterns:
- posts and nationality of people from titles, portfolios and demonyms around their names (kg/extract/posts.py);
- partOf from a country modifier found while typing ("South Korea's National Intelligence Service",
  "Ukrainian forces");
- memberOf: "legislators at the National Assembly", "lawmakers from the Democratic Party",
  "Democratic Party lawmakers", "X, a member of Y";
- founderOf: "founder" titles, "X, who founded Y", "Y was founded by X";
- locatedIn: "based/headquartered in P", "its headquarters in P", "Santa Monica, California", and
  "<university, institute or company> in <place>" ("the University of Oregon in Eugene").
Group nationality sits on Entity.nationality (set by groups.py) and is not repeated here.
"""

from __future__ import annotations

from kg.extract.common import DocView, children, doc_view
from kg.extract.entity_cues import load_cues
from kg.extract.index import EntityIndex
from kg.extract.posts import Collector, find_posts
from kg.records import CITY, COMPANY, COUNTRY, GROUP, ORGANIZATION_TYPES, PERSON, PLACE_TYPES, REGION, Relation

_PLACE_RANK = {CITY: 1, "Place": 1, REGION: 2, COUNTRY: 3}
_MEMBER_PREPOSITIONS = frozenset({"of", "at", "from", "in"})
_FOUND_VERBS = frozenset({"found", "co-found", "cofound"})
# Head words of organizations that sit in one place, so "<name> in <place>" says where they are.
_SEATED_WORDS = frozenset(
    {"university", "college", "institute", "institution", "school", "academy", "hospital", "laboratory", "museum"}
)


def find_relations(doc, index: EntityIndex, gazetteer=None) -> tuple[Relation, ...]:
    """Take a Doc, its EntityIndex and (optionally) the Gazetteer; return the relations the article states."""
    view = doc_view(doc)
    found = Collector(view)
    _part_of(doc, index, found)
    find_posts(doc, view, index, found)
    _memberships(view, index, found)
    _founders(view, index, found)
    _locations(view, index, found)
    _organizations_in_places(view, index, found)
    leads = {(k[0], k[2]) for k in found.found if k[1] == "leaderOf"}
    return tuple(r for k, r in found.found.items() if not (k[1] == "memberOf" and (k[0], k[2]) in leads))


def _type(index: EntityIndex, key: str | None) -> str | None:
    return None if key is None else index.entity(key).type


def _part_of(doc, index: EntityIndex, found: Collector) -> None:
    for key, owner in index.part_of.items():
        mentions = index.entity(key).mentions
        if mentions:
            span = doc.char_span(mentions[0].start, mentions[0].end, alignment_mode="expand")
            sent = found.view.sent(span.start)
            found.add(key, "partOf", owner, sent)


def _memberships(view: DocView, index: EntityIndex, found: Collector) -> None:
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


def _founders(view: DocView, index: EntityIndex, found: Collector) -> None:
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


def _locations(view: DocView, index: EntityIndex, found: Collector) -> None:
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


def _organizations_in_places(view: DocView, index: EntityIndex, found: Collector) -> None:
    """ "the University of Oregon in Eugene", "Acme Labs in Leeds": an organization's name, "in", a place's name.

    Read from the text whatever the parser attached "in" to, for organizations that sit in one place
    (universities, institutes: `_SEATED_WORDS`; companies, by type or a company word, only in a city).
    """
    tokens = view.tokens
    located = load_cues().org_words.get("Company", set())
    for token in tokens:
        if token.lower_ != "in" or token.i == 0 or token.i + 1 >= len(tokens) or token.head.pos_ in ("VERB", "AUX"):
            continue
        org = index.entity_for_token(tokens[token.i - 1])
        org_mention = index.mention_at(tokens[token.i - 1])
        place = index.entity_for_token(tokens[token.i + 1])
        place_mention = index.mention_at(tokens[token.i + 1])
        if (
            org_mention is None
            or place_mention is None
            or org_mention.end != tokens[token.i - 1].idx + len(tokens[token.i - 1])
        ):
            continue
        if place_mention.start != tokens[token.i + 1].idx or _type(index, place) not in PLACE_TYPES:
            continue
        words = {w.lower().strip(".,") for w in index.entity(org).label.split()} if org else set()
        if _type(index, org) == COMPANY or words & located:
            allowed = _type(index, place) == CITY
        else:
            allowed = bool(words & _SEATED_WORDS) and _type(index, org) in ORGANIZATION_TYPES
        if allowed:
            found.add(org, "locatedIn", place, view.sent(token.i))


def _place_after_in(index: EntityIndex, token) -> str | None:
    for child in children(token):
        if child.dep_ == "prep" and child.lower_ in ("in", "at"):
            for obj in children(child):
                key = index.entity_for_token(obj)
                if obj.dep_ == "pobj" and _type(index, key) in PLACE_TYPES:
                    return key
    return None


__all__ = ["find_relations"]
