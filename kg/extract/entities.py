"""Named entities: NER spans, datelines and gazetteer names become typed name mentions.

spaCy's small model makes frequent, regular mistakes; the fixes here are rules:
- spans are trimmed: a leading "the", a trailing possessive "'s", edge punctuation, a title
  ("King Mohammed VI" -> "Mohammed VI"); a PERSON span cut short ("Yoon Suk" + "Yeol") and an
  organization name cut before "for/of ..." are extended;
- junk (file names, URLs, e-mail addresses, "Copyright", numbers, days, lower-case "names") is dropped;
- the class is decided by votes (entity_types.py): the gazetteer and datelines count most, cue words next
  ("... Ministry" -> GovernmentOrganization), context next (", which ..." is not a person), NER least;
- demonyms ("North Korean") are not entities; they give nationalities and the country of
  collectives: "Ukrainian forces" is an ArmedForce partOf Ukraine, "Russia's defence ministry" a
  GovernmentOrganization partOf Russia.
"""

from __future__ import annotations

from kg.extract.common import lefts
from kg.extract.dateline import dateline_spans
from kg.extract.entity_cues import load_cues
from kg.extract.entity_types import candidate_votes, gazetteer_votes, organization_type
from kg.extract.headlines import body_names, headline_name_end, headline_name_parts
from kg.extract.index import CUE, STRONG, IndexBuilder
from kg.records import (
    COUNTRY,
    DESCRIPTION,
    NAME,
    ORGANIZATION,
    ORGANIZATION_TYPES,
    POLITICAL_PARTY,
    REGION,
)
from kg.resolve.gazetteer import normalize

_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_NAME_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "&", "-"})


def is_junk(text: str, label: str = "") -> bool:
    """Take a candidate name and its NER label; return True when it must never become an entity."""
    cues = load_cues()
    stripped = text.strip()
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return True
    if stripped.lower() in cues.junk_words or any(p.search(stripped) for p in cues.junk_patterns):
        return True
    if label == "PERSON" and stripped == stripped.lower():
        return True
    return label in ("GPE", "LOC") and stripped.lower() in cues.compass


# -- finding names ------------------------------------------------------------------------------


def _trim(tokens: list, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop a leading "the"/punctuation and a trailing possessive/punctuation from tokens [start, end).

    `tokens` is the Doc's token list (DocView.tokens)."""
    cues = load_cues()
    while start < end and (tokens[start].lower_ == "the" or tokens[start].is_punct or tokens[start].is_space):
        start += 1
    opening = next((i for i in range(start + 1, end) if tokens[i].text == "("), None)
    if opening is not None and not any(tokens[i].text == ")" for i in range(opening, end)):
        end = opening  # "the World Health Organization (WHO": the bracketed short form is no part of the name
    while end > start and (tokens[end - 1].text in _POSSESSIVE or tokens[end - 1].is_punct or tokens[end - 1].is_space):
        end -= 1
    if label == "PERSON":
        # "defensive tackle Ada Lind", "comedian Ada Lind": a role NER swallowed before the name is no part of it.
        while start < end - 1 and tokens[start + 1].is_title and _is_role_word(tokens[start]):
            start += 1
    if label in ("PERSON", "ORG") and tokens[start].is_title:
        # A title NER swallowed ("King Mohammed VI", "Chancellor Olaf Scholz" tagged ORG): the name follows it.
        while start < end - 1 and tokens[start].lower_ in cues.title_modifiers:
            start += 1
        lowered = [t.lower_ for t in tokens[start:end]]
        title = max((k for k in range(1, len(lowered)) if " ".join(lowered[:k]) in cues.positions), default=0)
        rest = [t.text for t in tokens[start + title : end]]
        # An ORG of a title and one word is a company name ("General Motors"), not a titled person.
        one_word_org = label == "ORG" and len(rest) == 1
        if title and not one_word_org and (label == "PERSON" or organization_type(rest)[0] == ORGANIZATION):
            start += title
    return start, end


def _is_role_word(token) -> bool:
    """Whether a word before a name is a role, not a name: lower case, or a role or person description word."""
    cues = load_cues()
    lower = token.lower_
    return token.is_lower or lower in cues.roles or cues.descriptions.get(lower) == ["Person"]


def _extend(tokens: list, start: int, end: int, label: str, taken: set[int], sent_end: int) -> int:
    """Return a new end for spans the small model cuts short: person names and "X Office for Y Z" names."""
    if label == "PERSON":
        while (
            end < sent_end
            and end not in taken
            and tokens[end].pos_ == "PROPN"
            and tokens[end].is_title
            and tokens[end].ent_type_ in ("", "PERSON")
        ):
            end += 1
        return end
    if label == "ORG" and end < sent_end and tokens[end].lower_ in ("for", "of", "on"):
        kind, _ = organization_type([t.text for t in tokens[start:end]])
        if kind == ORGANIZATION:
            return end
        probe = end + 1
        last_title = end
        while probe < sent_end and probe not in taken:
            token = tokens[probe]
            if token.ent_type_ in ("DATE", "TIME"):
                break  # "Acme Optics Inc on Thursday": the name ends before the date
            if token.is_title or token.is_upper:
                last_title = probe + 1
            elif not (token.lower_ in _NAME_CONNECTORS or (token.is_lower and tokens[probe - 1].text == "-")):
                break
            probe += 1
        if last_title > end + 1:
            return last_title
    return end


def _in_ticker_note(tokens: list, start: int, end: int) -> bool:
    """Whether tokens [start, end) lie in a stock ticker note such as "(NYSE: TSN)" or "(Nasdaq: ACME)"."""
    left = start
    while left > 0 and start - left < 4 and tokens[left].text != "(":
        left -= 1
    right = left + 1
    while right < len(tokens) and right - left < 7 and tokens[right].text != ")":
        right += 1
    if right >= len(tokens) or tokens[left].text != "(" or tokens[right].text != ")":
        return False
    if not left < start <= end <= right:
        return False
    inside = tokens[left + 1 : right]
    colon = [n for n, t in enumerate(inside) if t.text == ":"]
    return len(colon) == 1 and 0 < colon[0] < len(inside) - 1 and all(t.is_upper for t in inside[colon[0] + 1 :])


def _register(
    builder: IndexBuilder, start: int, end: int, votes: dict, entry=None, name: str | None = None
) -> int | None:
    """Add tokens [start, end) as a name mention, joining a draft with the same name or gazetteer entry."""
    doc = builder.doc
    surface = name or builder.view.span_text(start, end)
    key = entry.label if entry is not None else normalize(surface)
    if not key:
        return None
    draft_id = builder.named_by_key.get(key)
    if draft_id is None:
        draft_id = builder.new()
        builder.named_by_key[key] = draft_id
        if entry is not None:
            draft = builder.get(draft_id)
            draft.label, draft.link = entry.label, entry.qid
            draft.gazetteer_country = entry.country
    draft = builder.get(draft_id)
    draft.votes.update(votes)
    if doc[start:end].root.tag_ == "NNPS":
        draft.plural = True  # "the Emirates", "the Philippines" may be "they"
    builder.add_mention(draft_id, start, end, NAME, surface)
    return draft_id


def find_names(doc, builder: IndexBuilder) -> None:
    """Add a name mention for every entity name in the Doc: dateline places, NER spans, gazetteer names."""
    taken: set[int] = set()
    gazetteer = builder.gazetteer
    tokens = builder.tokens
    names = None  # the body's names, computed for the first name that may stand in a headline
    for start, end, kind in dateline_spans(tokens):
        surface = builder.view.span_text(start, end)
        name = surface.title() if surface.isupper() else surface
        entry = gazetteer.lookup(name)
        if kind == REGION and entry is not None and entry.type != COUNTRY:
            entry = None
        votes = gazetteer_votes(entry) if entry is not None else {kind: STRONG}
        _register(builder, start, end, votes, entry, name=name)
        taken.update(range(start, end))
    for ent in builder.view.ents:
        if ent.label_ not in _NAME_LABELS or any(i in taken for i in range(ent.start, ent.end)):
            continue
        if _in_ticker_note(tokens, ent.start, ent.end):
            continue
        start, end = _trim(tokens, ent.start, ent.end, ent.label_)
        if start >= end:
            continue
        sentence = builder.sentence(start)
        end = _extend(tokens, start, end, ent.label_, taken, sentence.end)
        parts = [(start, end, None)]
        if gazetteer.lookup(builder.view.span_text(start, end)) is None:
            if names is None:
                ents = [e for e in builder.view.ents if e.label_ in _NAME_LABELS]
                names = body_names(tokens, builder.sentences, ents)
            parts = headline_name_parts(tokens, sentence, start, end, names)
            if len(parts) == 1 and parts[0][2] is None:
                parts = [(start, headline_name_end(tokens, sentence, start, end), None)]
        for cut_start, cut_end, body_label in parts:
            label = body_label or ent.label_
            for part_start, part_end in _coordinated_parts(tokens, cut_start, cut_end, label):
                text = builder.view.span_text(part_start, part_end)
                if is_junk(text, label):
                    continue
                found = candidate_votes(builder, text, label, part_start, part_end)
                if found is None:
                    continue
                _register(builder, part_start, part_end, found[0], found[1])
                taken.update(range(part_start, part_end))
    _find_untagged_names(doc, builder, taken)


def _coordinated_parts(tokens: list, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """Split a PERSON span that coordinates names ("Ada and Bram", "Ada Lind and Bram Lind") into one span each.

    Organizations keep their "and" ("Competition and Markets Authority"). Returns [(start, end)].
    """
    if label != "PERSON":
        return [(start, end)]
    parts, part_start = [], start
    for i in range(start + 1, end - 1):
        if tokens[i].lower_ in ("and", "&") and tokens[i - 1].is_title and tokens[i + 1].is_title:
            parts.append((part_start, i))
            part_start = i + 1
    parts.append((part_start, end))
    return parts


def _find_untagged_names(doc, builder: IndexBuilder, taken: set[int]) -> None:
    """Add gazetteer names that NER missed: runs of proper nouns (and upper-case acronyms) outside any span."""
    gazetteer = builder.gazetteer
    tokens = builder.tokens
    pos = builder.view.column("pos_")
    n = 0
    while n < len(tokens):
        token = tokens[n]
        if n in taken or pos[n] != "PROPN" or token.ent_type_:
            n += 1
            continue
        end = n
        while end < len(tokens) and end not in taken and pos[end] == "PROPN" and not tokens[end].ent_type_:
            end += 1
        text = builder.view.span_text(n, end)
        entry = gazetteer.lookup(text)
        if entry is not None and not is_junk(text) and (len(text) > 1 or entry.type != COUNTRY):
            _register(builder, n, end, gazetteer_votes(entry), entry)
            taken.update(range(n, end))
        elif text.lower() in load_cues().party_names:
            _register(builder, n, end, {POLITICAL_PARTY: CUE})  # "the Australian Greens": NER tagged only "Australian"
            taken.update(range(n, end))
        n = end


# -- collectives and owners -----------------------------------------------------------------------


def demonym_country(builder: IndexBuilder, token) -> tuple[int, int, int] | None:
    """Take a modifier token; if it is (part of) a demonym, return (country draft id, start, end) of the demonym."""
    tokens = builder.tokens
    start, end = token.i, token.i + 1
    if token.ent_type_ in ("NORP", "GPE"):
        while start > 0 and tokens[start].ent_iob_ == "I":
            start -= 1
        while end < len(tokens) and tokens[end].ent_iob_ == "I":
            end += 1
    # "North Korean" may come as compound "North" + amod "Korean": take the modifier's own left compounds.
    while start > 0 and tokens[start - 1].dep_ == "compound" and tokens[start - 1].head.i in range(start, end):
        start -= 1
    draft_id = builder.country_for_demonym(builder.view.span_text(start, end))
    if draft_id is None and end - start > 1:
        draft_id = builder.country_for_demonym(token.text)
        start, end = token.i, token.i + 1
    return None if draft_id is None else (draft_id, start, end)


def country_modifier(builder: IndexBuilder, head) -> tuple[int, int] | None:
    """Take a noun; return (country draft id, first token of the modifier) when a country or demonym modifies it.

    Accepts "Russia's ministry" (poss), "the UAE ministry" (compound), "the Russian ministry" (amod).
    """
    for child in lefts(head):
        if child.dep_ in ("poss", "compound", "nmod"):
            owner = builder.owner(child.i)
            if owner is not None and builder.drafts[owner].type == COUNTRY:
                return owner, child.left_edge.i
        if child.dep_ in ("amod", "compound", "nmod", "npadvmod"):
            found = demonym_country(builder, child)
            if found is not None:
                return found[0], found[1]
    return None


def find_collectives(doc, builder: IndexBuilder) -> None:
    """Add organizations named by a demonym and a collective noun ("Ukrainian forces") and link owners.

    Also sets partOf for named organizations with a country modifier ("South Korea's National
    Intelligence Service", "the Russian Interior Ministry").
    """
    cues = load_cues()
    for token, noun in zip(builder.tokens, builder.view.column("lower_"), strict=True):
        if noun in cues.collectives and token.pos_ in ("NOUN", "PROPN") and builder.owner(token.i) is None:
            found = next(
                (
                    f
                    for c in lefts(token)
                    if c.dep_ in ("amod", "compound", "nmod")
                    for f in [demonym_country(builder, c)]
                    if f
                ),
                None,
            )
            if found is None:
                continue
            country_id, start, _ = found
            country = builder.get(country_id)
            adjective = _demonym_adjective(builder, country.label) or builder.view.span_text(start, token.i)
            label = f"{adjective} {noun}"
            draft_id = builder.named_by_key.get(normalize(label))
            if draft_id is None:
                kind = cues.collectives[noun]
                draft_id = builder.new(type=kind, label=label, part_of=country_id)
                builder.get(draft_id).votes[kind] += STRONG
                builder.named_by_key[normalize(label)] = draft_id
            builder.add_mention(draft_id, start, token.i + 1, DESCRIPTION)
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if draft.type not in ORGANIZATION_TYPES or draft.part_of is not None:
            continue
        for start, end, kind in draft.mentions:
            if kind != NAME:
                continue
            owner = country_modifier(builder, doc[start:end].root)
            if owner is not None and owner[0] != draft_id:
                draft.part_of = owner[0]
                break


def _demonym_adjective(builder: IndexBuilder, country_label: str | None) -> str | None:
    """Return a country's first demonym ("Ukrainian"), or None."""
    if not country_label:
        return None
    entry = builder.gazetteer.lookup(country_label)
    return entry.demonyms[0] if entry is not None and entry.demonyms else None
