"""Name linking inside one article: the forms of one name become one entity.

`link_names` joins name forms: "(SBU)" introductions and bare acronyms ("NIS" -> National Intelligence
Service), surnames and family names ("Zelensky" -> "Volodymyr Zelensky", "Yoon" -> "Yoon Suk Yeol")
and short organization names ("Activision" -> "Activision Blizzard"). It runs before coref.py resolves
descriptions and pronouns, which then find one entity per name.
"""

from __future__ import annotations

from collections import Counter

from kg.extract.entity_cues import load_cues
from kg.extract.index import STRONG, IndexBuilder
from kg.limits import check_deadline
from kg.records import NAME, ORGANIZATION, PERSON, coarse_type

_ACRONYM_SKIP = frozenset({"of", "for", "and", "the", "on", "in", "&", "-", "to", "at"})


def acronym(name: str) -> str:
    """Return the initials of a name's capitalised words ("Competition and Markets Authority" -> "CMA")."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words if w[:1].isupper())


def _coarse_votes(draft) -> str:
    totals: dict[str, int] = {}
    for kind, weight in draft.votes.items():
        totals[coarse_type(kind)] = totals.get(coarse_type(kind), 0) + weight
    return max(totals, key=totals.get) if totals else ""


def _has_strong(draft) -> bool:
    return bool(draft.label) or any(w >= STRONG for w in draft.votes.values())


def link_names(doc, builder: IndexBuilder) -> None:
    """Merge drafts whose names are acronyms, surnames or short forms of a fuller name in the article."""
    _link_parenthesised_acronyms(doc, builder)
    _link_bare_acronyms(doc, builder)
    _link_short_forms(builder)
    _link_untagged_name_parts(doc, builder)


def _link_untagged_name_parts(doc, builder: IndexBuilder) -> None:
    """A capitalised proper noun NER missed that is the first or last word of a person's name ("Han" after
    "Han Duck Soo") becomes a name mention of that person, if only one person has that word."""
    parts: dict[str, set[int]] = {}
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if _coarse_votes(draft) != "person":
            continue
        for name in draft.names:
            words = name.split()
            if len(words) >= 2:
                for word in (words[0], words[-1]):
                    parts.setdefault(word, set()).add(draft_id)
    if not parts:
        return
    tokens = builder.tokens
    for token, text in zip(tokens, builder.view.column("text"), strict=True):
        ids = parts.get(text)
        if (
            ids
            and len(ids) == 1
            and token.pos_ == "PROPN"
            and builder.owner(token.i) is None
            and not (token.i + 1 < len(tokens) and tokens[token.i + 1].pos_ == "PROPN")
            and not (token.i > 0 and tokens[token.i - 1].pos_ == "PROPN")
        ):
            builder.add_mention(next(iter(ids)), token.i, token.i + 1, NAME, token.text)


def _first_token(draft) -> int:
    return min((m[0] for m in draft.mentions), default=0)


def _link_parenthesised_acronyms(doc, builder: IndexBuilder) -> None:
    """ "Security Service of Ukraine (SBU)": the bracketed acronym becomes a name of the organization before it."""
    tokens = builder.tokens
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if _coarse_votes(draft) != "organization":
            continue
        for _start, end, kind in list(draft.mentions):
            if kind != NAME or end + 2 >= len(tokens) or tokens[end].text != "(" or tokens[end + 2].text != ")":
                continue
            token = tokens[end + 1]
            if not (token.is_upper and token.is_alpha and 2 <= len(token) <= 8):
                continue
            other = builder.owner(token.i)
            if other is None:
                builder.add_mention(draft_id, token.i, token.i + 1, NAME, token.text)
            elif other != builder.find(draft_id) and not _has_strong(builder.drafts[other]):
                builder.merge(draft_id, other)
            builder.named_by_key.setdefault(token.text.lower(), builder.find(draft_id))


def _link_bare_acronyms(doc, builder: IndexBuilder) -> None:
    """ "NIS" alone -> the organization whose initials it is; NER-tagged acronyms join their full name."""
    holders: dict[str, set[int]] = {}
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if _coarse_votes(draft) != "organization":
            continue
        for name in draft.names:
            short = acronym(name) if len(name.split()) >= 2 else ""
            if len(short) >= 2:
                holders.setdefault(short, set()).add(draft_id)
    by_acronym = {short: next(iter(ids)) for short, ids in holders.items() if len(ids) == 1}
    for token in builder.tokens:
        if not (token.is_upper and token.is_alpha and 2 <= len(token) <= 6):
            continue
        target = by_acronym.get(token.text)
        if target is None:
            continue
        owner = builder.owner(token.i)
        if owner is None:
            builder.add_mention(target, token.i, token.i + 1, NAME, token.text)
        elif owner != builder.find(target):
            names = builder.drafts[owner].names
            if all(len(n.split()) == 1 for n in names) and not _has_strong(builder.drafts[owner]):
                builder.merge(target, owner)


def _names(draft) -> int:
    """How many name mentions a draft has (one at least)."""
    return max(1, sum(1 for mention in draft.mentions if mention[2] == NAME))


def _only_ner_organization(draft) -> bool:
    """Whether a draft's organization votes are at most the NER label of each of its name mentions."""
    names = sum(1 for mention in draft.mentions if mention[2] == NAME)
    return set(draft.votes) <= {ORGANIZATION, PERSON} and draft.votes.get(ORGANIZATION, 0) <= max(names, 1)


def _link_short_forms(builder: IndexBuilder) -> None:
    """Join a short name to the nearest fuller name it starts or ends ("Zelensky", "Yoon", "Activision")."""
    live = builder.live_ids()
    kinds = {i: _coarse_votes(builder.drafts[i]) for i in live}
    descriptions = load_cues().descriptions
    full_forms = []  # (tokens, draft id, first token)
    for i in live:
        if kinds[i] in ("person", "organization"):
            for name in builder.drafts[i].names:
                tokens = name.split()
                if len(tokens) >= 2:
                    full_forms.append((tokens, i, _first_token(builder.drafts[i])))
    for i in live:  # names × full forms: quadratic in the names of a long article
        check_deadline()
        draft = builder.drafts[i]
        # NER tags a lone surname GPE once per mention ("Lohan"): no more votes than that is still weak evidence.
        weak_place = kinds[i] == "place" and not _has_strong(draft) and sum(draft.votes.values()) <= _names(draft)
        if (kinds[i] not in ("person", "organization") and not weak_place) or builder.find(i) != i:
            continue
        if any(len(n.split()) >= 2 for n in draft.names) or not draft.names:
            continue
        short = [n.split() for n in draft.names]
        first = _first_token(draft)
        candidates = []
        for tokens, j, j_first in full_forms:
            if builder.find(j) == i:
                continue
            for s in short:
                is_prefix = tokens[: len(s)] == s
                is_suffix = tokens[-len(s) :] == s
                # NER often tags a lone surname ORG, once per mention: a short form with no other evidence of
                # being an organization (no cue word, no context) may still be a surname.
                # The same holds for a surname NER tags differently each time (ORG, PERSON, GPE): one vote a mention.
                weak = not _has_strong(draft) and (
                    sum(draft.votes.values()) <= _names(draft) or _only_ner_organization(draft)
                )
                person_pair = kinds[j] == "person" and (kinds[i] == "person" or weak)
                # "the Commission" after "the European Commission": a capitalised description head ends the name.
                head_word = kinds[i] == kinds[j] == "organization" and len(s) == 1 and s[0].lower() in descriptions
                if (is_suffix and (person_pair or head_word)) or (is_prefix and (kinds[i] != "place" or person_pair)):
                    if draft.label and builder.drafts[builder.find(j)].label != draft.label:
                        continue  # "Apple" (known) does not shorten "Apple Watch"
                    candidates.append((j_first > first, abs(first - j_first), j))
        if candidates:
            target = min(candidates)[2]
            if kinds[i] != "person" and not _has_strong(draft) and _coarse_votes(builder.get(target)) == "person":
                # The surname's NER labels were guesses about a lone word: they must not outvote the full name.
                draft.votes = Counter({kind: w for kind, w in draft.votes.items() if coarse_type(kind) == "person"})
            builder.merge(target, i)
