"""Agreement between a reference and the entity it refers back to: gender, and relative pronouns.

A person's gender comes from a given name (kg/lexicon/given_names.toml), a title before the name ("Mr.",
"Ms.") or the gendered pronoun or description already resolved to it (kg/lexicon/entity_cues.toml,
[genders]); "she" and "the actress" then never refer back to a man. A relative pronoun ("who", "which",
"whose") stands for the noun its clause modifies, and a reflexive ("himself") for the subject of its verb
when that subject fits. coref.py uses them while it resolves references.
"""

from __future__ import annotations

from kg.extract.entity_cues import load_given_names
from kg.extract.index import IndexBuilder
from kg.records import GROUP, NAME, PERSON


def set_genders(builder: IndexBuilder, cues) -> None:
    """Take the builder and the Cues; give each person a gender when its given name ("Mara ...") or a title
    before its name ("Mr.") says one.

    Names or titles that disagree leave the gender unknown.
    """
    given = load_given_names()
    tokens = builder.tokens
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if draft.type != PERSON:
            continue
        found = {given[name.split()[0].lower()] for name in draft.names if name.split()[0].lower() in given}
        for start, _end, kind in draft.mentions:
            if kind == NAME and start > 0:
                word = cues.gender_words.get(tokens[start - 1].lower_.rstrip("."))
                if word is not None:
                    found.add(word)
        if len(found) == 1:
            draft.gender = found.pop()


def fits_gender(draft, gender: str | None) -> bool:
    """Take a Draft and a gender; return whether a word of that gender may mean it (None or unknown: yes)."""
    return gender is None or draft.gender is None or draft.gender == gender


def learn_gender(builder: IndexBuilder, draft_id: int, gender: str | None) -> None:
    """Take the builder, a draft id and the gender of the word that referred to it (or None).

    A person "she" or "the actress" refers to is a woman from now on: later pronouns agree with it.
    """
    draft = builder.get(draft_id)
    if gender is not None and draft.type == PERSON and draft.gender is None:
        draft.gender = gender


def reflexive_fits(draft, kind: str, gender: str | None) -> bool:
    """Take a Draft, the pronoun's kind ("person", "thing", "plural") and gender; return whether a reflexive
    ("himself", "itself", "themselves") may stand for it: a person of a fitting gender, else any non-person.
    """
    if kind == "person":
        return draft.type == PERSON and fits_gender(draft, gender)
    if kind == "plural":
        return draft.type == GROUP or draft.plural
    return draft.type != PERSON and draft.type != GROUP


_RELATIVE_TAGS = frozenset({"WP", "WP$", "WDT"})


def relative_antecedent(builder: IndexBuilder, token) -> int | None:
    """The entity a relative pronoun stands for: "Mara Velt, who ..." -> Mara Velt; "whose" and "which" alike.

    Takes the builder and the pronoun token (only WP/WP$/WDT tags count). Walks up from the pronoun to its
    relative clause (the pronoun's verb, or the noun "whose" owns) and returns the draft id of the noun the
    clause modifies, or None when that noun names no entity.
    """
    if token.tag_ not in _RELATIVE_TAGS:
        return None
    clause = token.head
    if clause.dep_ != "relcl" and clause.head.dep_ == "relcl":
        clause = clause.head  # "whose sister ...": the pronoun hangs on the noun it owns
    if clause.dep_ != "relcl" or clause.i < token.i - 8:
        return None
    noun = clause.head
    if noun.i >= token.i:
        return None
    return builder.owner(noun.i)
