"""Posts and nationality of people, read from the words around their names: position, leaderOf, memberOf
(a post inside an organization), founderOf (founder titles) and nationality.

- a title before a name: "Ukrainian President Volodymyr Zelensky" -> position "President", leaderOf and
  nationality Ukraine; "Microsoft CEO Satya Nadella" -> leaderOf Microsoft; a head-of-state title without
  an owner takes the only country the sentence names ("investigators in South Korea detained President
  Yoon"), else the article's own country when one clearly dominates; a company title without an owner the
  only company the sentence refers to ("Chief executive Tim Cook ... the company's"); a named non-country
  qualifier ("Conservative leader") and a hyphenated modifier ("hard-line President") are no owner and no
  portfolio;
- a portfolio title: "Minister for Home Affairs Jane Roe", "Chief of the Water Agency Maj. Gen. John Doe";
- a title apposition: "Satya Nadella, Microsoft's chief executive", "the country's leader, Kim Jong Un",
  "Bobby Kotick, the chief executive of Activision", "a spokesman for the ministry, X" (a title that leads
  nothing makes its holder a member);
- nationality from a demonym before the name ("Kenyan runner X", "Canadian X", "Chilean poet and Acme
  columnist X") and from "X of <Country>".
"""

from __future__ import annotations

from kg.extract.common import DocView, children, lefts
from kg.extract.entity_cues import load_cues
from kg.extract.index import EntityIndex
from kg.records import CITY, COMPANY, COUNTRY, DESCRIPTION, NAME, ORGANIZATION_TYPES, PERSON, REGION, Relation


class Collector:
    """Relations in first-found order, without repeats of (subject, predicate, object).

    `unowned_heads` keeps, per person, the sentence of a head-of-state title that found no country.
    """

    def __init__(self, view: DocView):
        self.view = view
        self.found: dict[tuple[str, str, str], Relation] = {}
        self.unowned_heads: dict[str, object] = {}  # person -> sentence of a head-of-state title with no country

    def add(self, subject: str | None, predicate: str, obj: str | None, sent, literal: bool = False) -> None:
        """Record subject-predicate-object (a literal when `literal`) with `sent` as evidence, once; return None."""
        if subject is None or obj is None or (subject == obj and not literal):
            return
        key = (subject, predicate, obj.lower() if literal else obj)
        if literal and any(k[:2] == (subject, predicate) and k[2] == key[2] for k in self.found):
            return
        if key not in self.found:
            self.found[key] = Relation(subject, predicate, obj, literal=literal, evidence=self.view.evidence(sent))


def find_posts(doc, view: DocView, index: EntityIndex, found: Collector) -> None:
    """Add to `found` the posts and nationalities the words around each person's names state; return None."""
    title_words = load_cues().title_words
    for entity in index.entities():
        if entity.type != PERSON:
            continue
        for mention in entity.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            if mention.kind == NAME:
                _titles_before_name(view, index, entity.key, span, found)
                _portfolio_before_name(view, index, entity.key, span, found)
                _demonym_before_name(view, index, entity.key, span, found)
                _country_after_name(view, index, entity.key, span, found)
            elif mention.kind == DESCRIPTION and span.root.lower_ in title_words:
                _title_phrase(view, index, entity.key, span.root, found)
    _leaders_of_the_story_country(index, found)


def _type(index: EntityIndex, key: str | None) -> str | None:
    return None if key is None else index.entity(key).type


def _title_words(tokens, cues) -> tuple[int, int] | None:
    """Return the (start, end) token positions of the longest known title ending the token list, or None."""
    tokens = list(tokens)
    for length in range(min(4, len(tokens)), 0, -1):
        words = " ".join(t.lower_.rstrip(".") or t.lower_ for t in tokens[-length:])  # "Maj. Gen." -> "maj gen"
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
            or _hyphen_joined(view, i)  # "hard-line President": "line" is half of a modifier, not a portfolio
        ):
            break
        first = i
    return first


def _hyphen_joined(view: DocView, i: int) -> bool:
    """Whether token i is the second half of a hyphenated word ("hard-line", "long-time")."""
    if i < 2:
        return False
    hyphen = view.tokens[i - 1]
    return hyphen.text in ("-", "–") and not hyphen.whitespace_ and not view.tokens[i - 2].whitespace_


def _post_in(index: EntityIndex, person: str, owner, sent, found: Collector) -> None:
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


def _titles_before_name(view: DocView, index: EntityIndex, person: str, span, found: Collector) -> None:
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
        named = owner is None and _named_modifier_before(view, index, first, left)
        _leadership(view, index, person, position.lower(), owner, sent, found, guess_owner=not named)


def _named_modifier_before(view: DocView, index: EntityIndex, start: int, stop: int) -> bool:
    """Whether a name that is no country qualifies the title at `start`: "Conservative leader", "Tory leader".

    Such a title belongs to that party or body, so the country of the sentence must not be taken as its owner.
    """
    modifiers = load_cues().title_modifiers
    for i in range(start - 1, stop - 1, -1):
        token = view.tokens[i]
        if token.lower_ in modifiers or token.dep_ == "det":
            continue
        named = token.ent_type_ in ("NORP", "ORG") or token.pos_ in ("PROPN", "ADJ")
        return named and token.is_title and index.country_key(_demonym_text(view, token)) is None
    return False


def _portfolio_before_name(view: DocView, index: EntityIndex, person: str, span, found: Collector) -> None:
    """ "Minister for Foreign Affairs Jane Roe", "Chief of the Water Agency Maj. Gen. John Doe".

    A title with a "for"/"of" phrase of capitalised words, then optional rank titles, before a name: the position
    is the whole phrase; an organization or country named by the phrase is the post's owner.
    """
    cues = load_cues()
    tokens = view.tokens
    end = span.start
    while end > 0:  # rank titles between the portfolio and the name: "Maj. Gen.", "Colonel"
        window = [t for t in tokens[max(0, end - 5) : end] if not t.is_punct]
        rank = _title_words(window, cues) if window and window[-1].i >= end - 2 else None
        if rank is None or not tokens[rank[0]].is_title:
            break
        end = rank[0]
    if end > 0 and tokens[end - 1].text == "," and span.end < len(tokens) and tokens[span.end].text == ",":
        end -= 1  # an apposition: "a spokesman for the Interior Ministry, Ali Rahimi, said"
    for prep in range(end - 2, max(-1, end - 9), -1):
        if tokens[prep].lower_ not in ("for", "of"):
            continue
        words = [t for t in tokens[prep + 1 : end] if t.lower_ != "the"]
        if not words or not all(t.is_title or t.is_upper or t.lower_ in ("and", "&", "of") for t in words):
            return
        if not (words[0].is_title or words[0].is_upper) or not (words[-1].is_title or words[-1].is_upper):
            return
        title = _title_words(tokens[max(0, prep - 4) : prep], cues)
        if title is None:
            continue
        start = title[0]
        sent = view.sent(span.start)
        found.add(person, "position", view.span_text(start, end), sent, literal=True)
        owner = _may_hold(index, index.entity_for_token(words[-1]), view.span_text(start, title[1]).lower())
        country = _owner_before(view, index, start, max(0, start - 3))
        if _type(index, country) == COUNTRY:
            found.add(person, "nationality", country, sent)
        if owner is not None:
            _leadership(view, index, person, view.span_text(start, title[1]).lower(), owner, sent, found)
        return


def _demonym_before_name(view: DocView, index: EntityIndex, person: str, span, found: Collector) -> None:
    """ "Kenyan runner Amos Kiprop", "Canadian Mark Belling", "Chilean poet and activist Ana Rojas": nationality.

    A demonym before the name, separated from it only by role nouns, titles, "and" or an organization's name.
    """
    cues = load_cues()
    tokens = view.tokens
    first = tokens[span.start]
    if span.end - span.start > 2 and first.is_title and index.country_key(first.text) is not None:
        found.add(person, "nationality", index.country_key(first.text), view.sent(span.start))
        return  # the name span took the demonym in: "Canadian Leo Marsh"
    for i in range(span.start - 1, max(-1, span.start - 8), -1):
        token = tokens[i]
        key = index.entity_for_token(token)
        unnamed = key in (None, person) or _type(index, key) == COUNTRY  # "U.S. envoy Ann Lee": the country itself
        if token.ent_type_ == "NORP" or (token.pos_ in ("ADJ", "PROPN") and token.is_title and unnamed):
            country = index.country_key(_demonym_text(view, token))
            if country is not None:
                found.add(person, "nationality", country, view.sent(span.start))
                return
        if token.lower_ == "and" or token.lower_ in cues.title_words:
            continue
        if token.pos_ == "NOUN" and token.is_lower:
            continue  # a role noun: "blogger", "journalist"
        if key is not None and key != person and _type(index, key) in ORGANIZATION_TYPES:
            continue  # "... and Acme Press reporter Ann Lee"
        return


def _country_after_name(view: DocView, index: EntityIndex, person: str, span, found: Collector) -> None:
    """ "Samuel Okafor of Nigeria": a person's name followed by "of" and a country gives nationality."""
    tokens = view.tokens
    if span.end + 1 >= len(tokens) or tokens[span.end].lower_ != "of":
        return
    target = tokens[span.end + 1]
    if target.lower_ == "the" and span.end + 2 < len(tokens):
        target = tokens[span.end + 2]
    country = index.entity_for_token(target)
    mention = index.mention_at(target)
    if _type(index, country) == COUNTRY and mention is not None and mention.start <= target.idx:
        found.add(person, "nationality", country, view.sent(span.start))


def _title_phrase(view: DocView, index: EntityIndex, person: str, head, found: Collector) -> None:
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
        elif child.dep_ == "prep" and child.lower_ in ("of", "for"):
            objects = [c for c in children(child) if c.dep_ == "pobj"]
            owner = index.entity_for_token(objects[0]) if objects else owner
        elif child.dep_ in ("amod", "compound") and owner is None and not first <= child.i < start:
            owner = index.country_key(_demonym_text(view, child)) if child.ent_type_ else index.entity_for_token(child)
    owner = _may_hold(index, owner, position.lower())
    if first < start:
        _post_in(index, person, owner, sent, found)
    else:
        _leadership(view, index, person, position.lower(), owner, sent, found)


def _may_hold(index: EntityIndex, owner: str | None, title: str) -> str | None:
    """Return `owner` when a post of this title can belong to it, else None.

    Organizations and countries hold any post; a city or a region only the posts of a local head
    ("mayor of L'Aquila", "governor of Kherson region").
    """
    kind = _type(index, owner)
    if kind in ORGANIZATION_TYPES | {COUNTRY}:
        return owner
    if kind in (CITY, REGION) and title in load_cues().local_heads:
        return owner
    return None


def _leadership(
    view: DocView, index: EntityIndex, person: str, title: str, owner, sent, found: Collector, guess_owner=True
) -> None:
    """Add leaderOf/founderOf for a title, finding the owner in the sentence when the title has none.

    A title that leads nothing ("spokesman for the ministry") makes its holder a member of its organization.
    A head-of-state title with no country in the sentence is kept for the article's own country
    (`_leaders_of_the_story_country`); `guess_owner=False` (the title has a named non-country qualifier) stops both.
    """
    cues = load_cues()
    if title in cues.founder_titles:
        if owner is not None and _type(index, owner) in ORGANIZATION_TYPES:
            found.add(person, "founderOf", owner, sent)
        return
    if title not in cues.leader_titles:
        _post_in(index, person, owner, sent, found)
        return
    if owner is None and guess_owner:
        wanted = {COUNTRY} if title in cues.head_of_state else {COMPANY}
        owner = _only_referent(view, index, sent, wanted, person)
        if owner is None and title in cues.head_of_state:
            found.unowned_heads.setdefault(person, sent)
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


def _story_country(index: EntityIndex) -> str | None:
    """The country the article is about: named at least twice and at least twice as often as any other."""
    counts = sorted(
        ((len(e.mentions), e.key) for e in index.entities() if e.type == COUNTRY and e.mentions), reverse=True
    )
    if not counts or counts[0][0] < 2 or (len(counts) > 1 and counts[0][0] < 2 * counts[1][0]):
        return None
    return counts[0][1]


def _leaders_of_the_story_country(index: EntityIndex, found: Collector) -> None:
    """ "hard-line President X" with no country in its sentence leads the article's country, when that is clear.

    Skipped for a person who already leads something or is a national of another country.
    """
    country = _story_country(index) if found.unowned_heads else None
    if country is None:
        return
    for person, sent in found.unowned_heads.items():
        known = [k for k in found.found if k[0] == person and k[1] in ("leaderOf", "nationality")]
        if not any(k[1] == "leaderOf" or k[2] != country for k in known):
            found.add(person, "leaderOf", country, sent)


__all__ = ["Collector", "find_posts"]
