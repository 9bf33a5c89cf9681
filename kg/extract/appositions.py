"""Appositions and titles: the words right beside a name that describe the same entity.

"Ukrainian President Volodymyr Zelensky" (a title before the name), "Satya Nadella, Microsoft's chief
executive" (a title in apposition) and "Mara Velt, a Danish swimmer" (a common noun in apposition) all
become part of the named entity before coref.py resolves the references further away.
"""

from __future__ import annotations

from kg.extract.common import children, lefts
from kg.extract.index import IndexBuilder
from kg.records import DESCRIPTION, NAME, ORGANIZATION, ORGANIZATION_TYPES, PERSON

_NP_MODIFIERS = frozenset({"det", "poss", "amod", "compound", "nummod", "quantmod", "nmod", "case", "advmod"})


def np_start(head) -> int:
    """Take a noun; return the index of its noun phrase's first token (determiners, possessors, modifiers)."""
    return min([head.i] + [c.left_edge.i for c in lefts(head) if c.dep_ in _NP_MODIFIERS])


def claim_titles_and_appositions(doc, builder: IndexBuilder, cues) -> None:
    """Take the Doc, the builder and the Cues; titles before a person's name and title appositions around it
    become part of that person."""
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if draft.type != PERSON:
            continue
        for start, end, kind in list(draft.mentions):
            if kind != NAME:
                continue
            root = doc[start:end].root
            # "Ukrainian President Volodymyr Zelensky": "President" belongs to Zelensky.
            titles = [t for t in builder.tokens[np_start(root) : start] if t.lower_ in cues.title_words]
            builder.claim(draft_id, titles, (start, end, kind))
            # "Satya Nadella, Microsoft's chief executive" / "the country's leader, Kim Jong Un".
            for other in [c for c in children(root) if c.dep_ == "appos"] + (
                [root.head] if root.dep_ == "appos" else []
            ):
                if other.i in range(start, end) or builder.owner(other.i) is not None:
                    continue
                if other.lower_ in cues.title_words:
                    # The possessor stays its own reference: "the country's leader" -> "the country" is a country.
                    owners = [c.right_edge.i + 1 for c in lefts(other) if c.dep_ == "poss"]
                    first = max(owners) if owners else np_start(other)
                    builder.add_mention(draft_id, first, other.i + 1, DESCRIPTION)


def claim_noun_appositions(doc, builder: IndexBuilder, cues) -> None:
    """Take the Doc, the builder and the Cues; a common noun in apposition to a name becomes a description
    mention of it: "Mara Velt, a Danish swimmer, ...".

    Only a singular noun that fits the entity's class (a role for a person, "company" for a company), not in a
    coordination, and without a relative clause ("a climber who won ..."): role finders read that clause's
    "who" through the noun, and a noun that became the entity would turn "who" into the argument phrase.
    """
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        for start, end, kind in list(draft.mentions):
            if kind != NAME:
                continue
            root = doc[start:end].root
            for other in [c for c in children(root) if c.dep_ == "appos"]:
                if (
                    other.pos_ != "NOUN"
                    or other.tag_ != "NN"
                    or builder.owner(other.i) is not None
                    or any(c.dep_ in ("conj", "cc", "relcl") for c in children(other))
                ):
                    continue
                if _describes(draft.type, other.lemma_.lower(), cues):
                    builder.add_mention(draft_id, np_start(other), other.i + 1, DESCRIPTION)


def _describes(kind: str, lemma: str, cues) -> bool:
    """Whether a noun may describe an entity of this class: a role or title for a person, a description head of
    a fitting class ("company" for a Company) for anything else."""
    if kind == PERSON:
        return lemma in cues.roles or lemma in cues.title_words or cues.descriptions.get(lemma) == [PERSON]
    wanted = cues.descriptions.get(lemma, [])
    return kind in wanted or (ORGANIZATION in wanted and kind in ORGANIZATION_TYPES)
