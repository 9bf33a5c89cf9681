"""Entity types: the class of a name, decided by votes.

The gazetteer and datelines count most, cue words next ("... Ministry" -> GovernmentOrganization), context
next (", which ..." is not a person), NER least. `candidate_votes` gives a cleaned name's votes (or rejects
it: demonyms, descriptions, product names), `decide_types` picks each entity's class once all names are in.
"""

from __future__ import annotations

from kg.extract.common import children
from kg.extract.entity_cues import load_city_names, load_cues, load_given_names
from kg.extract.index import CONTEXT, CUE, NER, STRONG, IndexBuilder
from kg.records import (
    ARMED_FORCE,
    CITY,
    COMPANY,
    COUNTRY,
    GOVERNMENT_ORGANIZATION,
    ORGANIZATION,
    PERSON,
    PLACE,
    PLACE_TYPES,
    POLITICAL_PARTY,
    REGION,
    coarse_type,
)

# When a place's votes tie, the more specific class wins.
_SPECIFIC_FIRST = (
    COUNTRY,
    CITY,
    REGION,
    GOVERNMENT_ORGANIZATION,
    ARMED_FORCE,
    COMPANY,
    POLITICAL_PARTY,
    PERSON,
    ORGANIZATION,
    PLACE,
)


def organization_type(words: list[str]) -> tuple[str, int]:
    """Take an organization name's words; return (class from cue words, vote weight), Organization/NER if none.

    The head word (last word before "of"/"for"/"on", else the last word) decides first:
    "Ministry of Defence Forces Museum" is a ministry; then any word, in the cue file's priority.
    """
    cues = load_cues()
    lowered = [w.lower() for w in words]
    if " ".join(lowered) in cues.party_names:
        return POLITICAL_PARTY, CUE  # "Labor", "the Greens"
    cut = next((n for n, w in enumerate(lowered) if w in ("of", "for", "on") and n > 0), len(lowered))
    head = lowered[cut - 1]
    for kind in cues.org_priority:
        if head in cues.org_words[kind]:
            return kind, CUE
    for kind in cues.org_priority:
        if any(w in cues.org_words[kind] for w in lowered):
            return kind, CUE
    return ORGANIZATION, NER


def place_type(text: str, label: str) -> tuple[str, int]:
    """Take a place name (not in the gazetteer) and its NER label; return (class, vote weight)."""
    cues = load_cues()
    lowered = text.lower()
    if lowered in cues.regions or lowered.split()[-1] in cues.region_words:
        return REGION, CUE
    return (CITY, NER) if label == "GPE" else (PLACE, NER)


def decide_type(votes) -> str:
    """Take a Counter of class -> weight; return the winning class.

    The coarse kind (person, organization, place) with most weight wins, then its most-voted class,
    a subclass beating its generic parent on ties (Organization/Place only win alone).
    """
    if not votes:
        return ORGANIZATION
    coarse: dict[str, int] = {}
    for kind, weight in votes.items():
        coarse[coarse_type(kind)] = coarse.get(coarse_type(kind), 0) + weight
    best = max(coarse, key=lambda c: (coarse[c], c == "organization", c == "person"))
    members = [k for k in votes if coarse_type(k) == best and votes[k] > 0]
    specific = [k for k in members if k not in (ORGANIZATION, PLACE)]
    pool = specific or members
    return max(pool, key=lambda k: (votes[k], -_SPECIFIC_FIRST.index(k) if k in _SPECIFIC_FIRST else -99))


def decide_types(builder: IndexBuilder) -> None:
    """Set every live draft's `type` from its votes (Groups keep theirs)."""
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if draft.votes:
            draft.type = decide_type(draft.votes)
            if draft.type == COUNTRY and draft.label:
                builder.register_country(draft.label, draft_id)


def gazetteer_votes(entry) -> dict:
    """Take a gazetteer entry; return the votes it gives a name: its class, at full weight."""
    return {entry.type: STRONG}


def _context_votes(builder: IndexBuilder, start: int, end: int, root) -> dict:
    """Votes from the words around a name: ", which" / "based in" / "chief executive of X" mean not a person.

    `root` is the root token of the name's tokens [start, end)."""
    cues = load_cues()
    votes: dict[str, int] = {}
    after = builder.tokens[end : end + 2]
    if len(after) == 2 and after[0].text == "," and after[1].lower_ == "which":
        votes[ORGANIZATION] = votes.get(ORGANIZATION, 0) + CONTEXT
    if len(after) == 2 and after[0].text == "," and after[1].lower_ == "who":
        votes[PERSON] = votes.get(PERSON, 0) + CONTEXT
    if any(child.lemma_ in ("base", "headquarter") for child in children(root.head)) or (
        root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in ("base", "headquarter")
    ):
        votes[ORGANIZATION] = votes.get(ORGANIZATION, 0) + CONTEXT
    if (
        root.dep_ == "pobj"
        and root.head.lower_ == "of"
        and root.head.head.lower_ in cues.title_words
        and root.head.head.lower_ not in cues.city_of_nouns  # "the mayor of X": a city (_place_votes)
    ):
        votes[ORGANIZATION] = votes.get(ORGANIZATION, 0) + CONTEXT
    if any(child.dep_ == "appos" and _describes_person(child) for child in children(root)):
        votes[PERSON] = votes.get(PERSON, 0) + CONTEXT  # "Milei, a libertarian economist"
    return votes


def _place_votes(text: str, label: str, root) -> dict:
    """Votes from a name's last word and from the phrase it stands in, for places NER misreads.

    A street name ("Oxford Street", tagged ORG) is a Place; the name in "the city of Lyon" or "the mayor of Lyon"
    is a City; so is a city of kg/lexicon/cities.tsv after "in", "near" and the like ("in Lyon", tagged PERSON).
    A name NER calls a person needs such a preposition before a street word counts ("Jackson said" stays a
    person), and "at" counts only for other labels ("shouted at Lincoln"). `root` is the name's root token.
    """
    cues = load_cues()
    head = root.head if root.dep_ == "pobj" else None
    locative = head is not None and head.lower_ in cues.locative_prepositions
    if head is not None and head.lower_ == "at" and label != "PERSON":
        locative = True  # "explosions at Oxford Street"
    votes: dict[str, int] = {}
    if text.split()[-1].lower().rstrip(".") in cues.thoroughfare_words and (label != "PERSON" or locative):
        votes[PLACE] = CUE
    if head is not None and head.lower_ == "of" and head.head.lemma_.lower() in cues.city_of_nouns:
        votes[CITY] = CUE  # "the city of Lyon", "the mayor of Lyon"
    elif locative and text.lower() in load_city_names():
        votes[CITY] = CUE
    return votes


def _describes_person(noun) -> bool:
    """Whether a common noun describes a person: a role ("economist") or a position ("president")."""
    cues = load_cues()
    lemma = noun.lemma_.lower()
    return noun.pos_ == "NOUN" and (
        lemma in cues.roles or lemma in cues.positions or cues.descriptions.get(lemma) == [PERSON]
    )


def _has_personal_name_shape(span) -> bool:
    """Whether tokens look like a given name and a surname: two or three capitalised words and nothing else."""
    return 2 <= len(span) <= 3 and all(token.is_alpha and token.is_title for token in span)


def _starts_with_given_name(span, text: str) -> bool:
    """Whether tokens are a personal name by their shape and first word: "Tony Vance", not "Virginia Beach".

    Two or three capitalised words, the first a given name of kg/lexicon/given_names.toml, no organization cue
    word and no place or building word at the end.
    """
    if not _has_personal_name_shape(span) or span[0].lower_ not in load_given_names():
        return False
    cues = load_cues()
    last = span[-1].lower_
    return organization_type(text.split())[1] == NER and last not in cues.site_words and last not in cues.region_words


def candidate_votes(builder: IndexBuilder, text: str, label: str, start: int, end: int):
    """Return (votes, gazetteer entry or None) for a cleaned name, or None when it is not an entity."""
    gazetteer = builder.gazetteer
    entry = gazetteer.lookup(text)
    if entry is not None and entry.type == CITY and _after_place_comma(builder, start):
        entry = None  # "Redmond, Washington": the state, not the capital
    if entry is not None:
        return gazetteer_votes(entry), entry
    if label in ("NORP", "GPE", "LOC") and gazetteer.by_demonym(text) is not None:
        return None  # a demonym: a nationality, never an entity
    seat = gazetteer.by_seat(text)
    if seat is not None and seat.type == COUNTRY:
        return {COUNTRY: STRONG}, seat  # "the Kremlin", "Downing Street"
    if label == "NORP":
        # A NORP that is no nationality may be a party ("Greens", "Democrats"): only known party names count.
        return ({POLITICAL_PARTY: CUE}, None) if text.lower() in load_cues().party_names else None
    if label == "ORG" and text == text.lower():
        return None  # "defence ministry": a description, resolved by coref with its country
    root = builder.doc[start:end].root
    if (
        label in ("GPE", "LOC", "FAC")
        and root.dep_ == "compound"
        and root.head.pos_ == "NOUN"
        and text.lower() not in load_cues().regions
    ):
        return None  # "the Quest headsets": a product name, not a place
    votes = dict(_context_votes(builder, start, end, root))
    for kind, weight in _place_votes(text, label, root).items():
        votes[kind] = votes.get(kind, 0) + weight
    before = builder.tokens[start - 1] if start > 0 else None
    if label in ("ORG", "PERSON") and before is not None and before.is_title and _is_position(before):
        votes[PERSON] = votes.get(PERSON, 0) + CUE  # "Chancellor Olaf Scholz", "Maj. Gen. X": a titled name is a person
    if label != "PERSON" and _starts_with_given_name(builder.tokens[start:end], text):
        votes[PERSON] = votes.get(PERSON, 0) + CUE  # "Tony Vance" tagged ORG or GPE: a given name and a surname
    if label == "PERSON":
        # A full personal name outweighs the organization label NER may give the bare surname elsewhere.
        shaped = _has_personal_name_shape(builder.tokens[start:end]) and organization_type(text.split())[1] == NER
        votes[PERSON] = votes.get(PERSON, 0) + (CONTEXT if shaped else NER)
    elif label == "ORG":
        kind, weight = organization_type(text.split())
        votes[kind] = votes.get(kind, 0) + weight
    else:
        if _after_place_comma(builder, start):
            votes[REGION] = votes.get(REGION, 0) + CUE
        kind, weight = place_type(text, label)
        votes[kind] = votes.get(kind, 0) + weight
    return votes, None


def _is_position(token) -> bool:
    """Whether a token is a one-word title or rank, also abbreviated ("Gen.", "Col.")."""
    return token.lower_.rstrip(".") in load_cues().positions


def _after_place_comma(builder: IndexBuilder, start: int) -> bool:
    """True when tokens before `start` are "<a place>," as in "Santa Monica, California"."""
    tokens = builder.tokens
    if start < 2 or tokens[start - 1].text != ",":
        return False
    prev = tokens[start - 2]
    return prev.ent_type_ in ("GPE", "LOC") or (builder.owner(prev.i) is not None and prev.is_upper)


def is_place(kind: str) -> bool:
    """Return True for Place and its subclasses."""
    return kind in PLACE_TYPES
