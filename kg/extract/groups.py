"""Unnamed collectives of people: "two North Korean soldiers", "approximately 34,000 North Koreans".

A Group is a plural noun phrase whose head is a people noun from the cue file (soldiers, legislators,
police officers, investigators ...) or a plural demonym ("North Koreans", role "person"). Its size comes
from a number modifier ("two", "34,000", "around 300"; "hundreds of" gives none), its nationality from a
demonym, its role from the head (singular, lower case, with role modifiers: "police officer").

A definite phrase without a new number ("the soldiers", "the captured soldiers", "the two men") refers
back to the nearest earlier group with the same role, or with any role for generic nouns (men, people)
when the sizes agree; without such a group it starts a new one.
"""

from __future__ import annotations

import re

from kg.extract.common import children, lefts
from kg.extract.entities import demonym_country
from kg.extract.entity_cues import load_cues
from kg.extract.index import STRONG, IndexBuilder
from kg.records import DESCRIPTION, GROUP

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")


def parse_number(words: list[str]) -> int | None:
    """Take the words of a number ("34,000", "two", "1.5 million", "twenty-five"); return its value or None.

    Vague numbers ("hundreds", "several") and anything unreadable give None.
    """
    cues = load_cues()
    total = 0.0
    current = 0.0
    seen = False
    for raw in words:
        for word in raw.lower().split("-"):
            if word in cues.vague_numbers:
                return None
            if _DIGITS.match(word):
                current += float(word.replace(",", ""))
            elif word in cues.number_words:
                current += cues.number_words[word]
            elif word in cues.number_scales:
                current = (current or 1) * cues.number_scales[word]
                if cues.number_scales[word] >= 1000:
                    total, current = total + current, 0.0
            elif word in ("a", "an", "and"):
                continue
            else:
                return None
            seen = True
    value = total + current
    return int(value) if seen and value == int(value) and value > 0 else None


def role_of(token) -> str | None:
    """Take a noun token; return its group role (singular, lower case, with role modifiers) or None."""
    cues = load_cues()
    lower = token.lower_
    role = cues.irregular_roles.get(lower)
    if role is None:
        lemma = token.lemma_.lower()
        if lemma not in cues.roles or token.tag_ not in ("NNS", "NNPS"):
            return None
        role = lemma
    modifiers = []
    for child in lefts(token):
        if child.dep_ == "compound" and child.lower_ in cues.role_modifiers:
            modifiers.append(child.lower_)
    if modifiers and role.split()[0] not in modifiers:
        role = " ".join(modifiers + [role])
    return role


def _size_and_start(tokens: list, head) -> tuple[int | None, int, bool]:
    """Return (size, first token, has a number) for a group head: "around 300 soldiers", "hundreds of officers".

    `tokens` is the Doc's token list (DocView.tokens)."""
    cues = load_cues()
    start = head.i
    for child in lefts(head):
        if child.dep_ in ("det", "nummod", "amod", "compound", "quantmod", "poss", "advmod", "nmod") and not (
            child.dep_ == "poss" and child.pos_ == "PRON"
        ):  # "its engineers": the pronoun is its own reference
            start = min(start, child.left_edge.i)
    while start < head.i and tokens[start].lower_ in ("the", "these", "those"):
        start += 1
    numbers = [c for c in lefts(head) if c.dep_ == "nummod" or (c.like_num and c.dep_ in ("amod", "compound"))]
    if numbers:
        number = numbers[0]
        words = [
            t.text for t in tokens[number.left_edge.i : number.i + 1] if t.like_num or t.lower_ in cues.number_scales
        ]
        return parse_number(words), start, True
    # "hundreds of police officers", "2,700 of the soldiers": the number heads the phrase.
    if head.dep_ == "pobj" and head.head.lower_ == "of" and not _is_definite(head):
        quantity = head.head.head
        if quantity.like_num or quantity.lower_ in cues.vague_numbers:
            if quantity.lower_ in cues.vague_numbers:
                return None, quantity.left_edge.i, True
            return parse_number([quantity.text]), quantity.left_edge.i, True
    return None, start, False


def _is_definite(head) -> bool:
    return any(
        (c.dep_ == "det" and c.lower_ in ("the", "these", "those")) or c.dep_ == "poss" for c in children(head)
    ) or (head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in ("one", "some", "all"))


def _nationality(builder: IndexBuilder, head) -> int | None:
    for child in lefts(head):
        if child.dep_ in ("amod", "compound", "nmod"):
            found = demonym_country(builder, child)
            if found is not None:
                return found[0]
    return None


def find_groups(doc, builder: IndexBuilder) -> None:
    """Add a Group entity (or a mention of an earlier one) for every phrase that describes a set of people."""
    cues = load_cues()
    gazetteer = builder.gazetteer
    recent: list[int] = []  # group draft ids, newest last
    for token, pos in zip(builder.tokens, builder.view.column("pos_"), strict=True):
        if pos not in ("NOUN", "PROPN") or token.dep_ == "compound" or builder.owner(token.i) is not None:
            continue
        nationality = None
        role = role_of(token)
        if role is None:
            if not (token.ent_type_ == "NORP" and token.tag_ in ("NNPS", "NNS")):
                continue
            # "North Koreans": a plural demonym names people of that country.
            found = demonym_country(builder, token)
            if found is None or gazetteer.by_demonym(token.text) is None:
                continue
            nationality, role = found[0], "person"
        if nationality is None:
            nationality = _nationality(builder, token)
        size, start, numbered = _size_and_start(builder.tokens, token)
        definite = _is_definite(token)
        if not (definite or numbered or nationality is not None) and _is_generic(token):
            continue
        if definite:
            earlier = _earlier_group(builder, recent, role, size, cues)
            if earlier is not None:
                builder.add_mention(earlier, start, token.i + 1, DESCRIPTION)
                builder.claim(earlier, range(start, token.i + 1))
                recent.append(earlier)
                continue
        if numbered and size is not None:
            same = _same_group(builder, recent, role, size, nationality)
            if same is not None:  # a repeated phrase ("two North Korean soldiers" again)
                builder.add_mention(same, start, token.i + 1, DESCRIPTION)
                recent.append(same)
                continue
        label = builder.view.span_text(start, token.i + 1)
        draft_id = builder.new(type=GROUP, label=label, size=size, role=role, nationality=nationality, plural=True)
        builder.get(draft_id).votes[GROUP] += STRONG
        builder.add_mention(draft_id, start, token.i + 1, DESCRIPTION)
        recent.append(draft_id)


def _is_generic(head) -> bool:
    """A bare plural after "of" ("exchanges of prisoners") names a kind, not a set of people."""
    return head.dep_ == "pobj" and head.head.lower_ == "of" and not any(c.dep_ == "amod" for c in children(head))


def _same_group(builder: IndexBuilder, recent: list[int], role: str, size: int, nationality: int | None):
    """Return an earlier group with the same role, size and nationality, or None."""
    for draft_id in reversed(recent):
        group = builder.get(draft_id)
        same_country = (group.nationality is None and nationality is None) or (
            group.nationality is not None
            and nationality is not None
            and builder.find(group.nationality) == builder.find(nationality)
        )
        if group.role == role and group.size == size and same_country:
            return builder.find(draft_id)
    return None


def _earlier_group(builder: IndexBuilder, recent: list[int], role: str, size: int | None, cues) -> int | None:
    """Return the newest earlier group this definite phrase can mean: same role, or generic noun and same size."""
    generic = role in cues.generic_roles or role == "person"
    for draft_id in reversed(recent):
        group = builder.get(draft_id)
        if size is not None and group.size is not None and size != group.size:
            continue
        if group.role == role or (generic and (size is None or group.size == size)):
            return builder.find(draft_id)
        if role.split()[-1] == (group.role or "").split()[-1]:
            return builder.find(draft_id)
    return None
