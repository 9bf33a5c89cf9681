"""Coreference inside one article: descriptions, appositions and pronouns to the entities they mean.

Names are linked to names first (name_links.py). Then `resolve_references` walks the article in order and
maps each definite description ("the agency", "South Korea's spy agency", "the country"), apposition
("Satya Nadella, Microsoft's chief executive") and pronoun (he/it/they/its ...) to the most salient
compatible entity before it: the same sentence first, then earlier ones; within a sentence the main
clause's subject first, then the entity named most often so far, then the nearest.

A relative pronoun ("who", "which", "whose") is a mention of the entity its clause modifies.

`apply_metonyms` makes a capital that acts ("Pyongyang denied ...") stand for its country.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.agreement import fits_gender, learn_gender, reflexive_fits, relative_antecedent, set_genders
from kg.extract.appositions import claim_noun_appositions, claim_titles_and_appositions, np_start
from kg.extract.common import children
from kg.extract.entities import country_modifier, demonym_country
from kg.extract.entity_cues import load_cues
from kg.extract.index import STRONG, IndexBuilder
from kg.limits import check_deadline
from kg.records import (
    CITY,
    COUNTRY,
    DESCRIPTION,
    GOVERNMENT_ORGANIZATION,
    GROUP,
    NAME,
    ORGANIZATION,
    ORGANIZATION_TYPES,
    PERSON,
    PLACE,
    PLACE_TYPES,
    PRONOUN,
)

_MAX_SENTENCES_BACK = 4
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Description heads generic enough to name any organization of a country ("South Korea's spy agency" -> NIS).
_GENERIC_HEADS = frozenset({"agency", "regulator", "watchdog", "body", "service", "authority"})


# -- descriptions, appositions, pronouns -----------------------------------------------------------


@dataclass
class _Seen:
    """An earlier reference to an entity, as the antecedent search sees it."""

    token: int
    sentence: int
    draft: int
    subject: bool  # subject of its sentence's main verb


def _is_main_subject(token) -> bool:
    return token.dep_ in _SUBJECTS and token.head.dep_ == "ROOT"


def _compatible(builder: IndexBuilder, draft_id: int, wanted: list[str]) -> bool:
    kind = builder.get(draft_id).type
    for want in wanted:
        if kind == want:
            return True
        if want == ORGANIZATION and kind in ORGANIZATION_TYPES:
            return True
        if want == PLACE and kind in PLACE_TYPES:
            return True
    return False


class _History:
    """Entity references seen so far, in text order, with the antecedent search over them."""

    def __init__(self, builder: IndexBuilder, sentence_of: list[int]):
        self.builder = builder
        self.sentence_of = sentence_of
        self.seen: list[_Seen] = []
        self.counts: dict[int, int] = {}

    def add(self, token, draft_id: int) -> None:
        self.seen.append(_Seen(token.i, self.sentence_of[token.i], draft_id, _is_main_subject(token)))
        draft_id = self.builder.find(draft_id)
        self.counts[draft_id] = self.counts.get(draft_id, 0) + 1

    def best(
        self, token, accept, exclude: set[int] = frozenset(), by_salience: bool = False, by_recency: bool = False
    ) -> int | None:
        """Return the most salient earlier draft for which `accept(draft_id)` holds.

        Ranks by sentence distance, then main-clause subject, then mention count, then nearness;
        `by_salience` puts the mention count first (for descriptions already narrowed to one country),
        `by_recency` drops it (for other descriptions: "the country" is the last country named).
        """
        sentence = self.sentence_of[token.i]
        best_key, best_id = None, None
        counts = self.counts
        for seen in reversed(self.seen):
            distance = sentence - seen.sentence
            if distance > _MAX_SENTENCES_BACK:
                break
            draft_id = self.builder.find(seen.draft)
            if draft_id in exclude or not accept(draft_id):
                continue
            key = (distance, not seen.subject, -counts.get(draft_id, 0), -seen.token)
            if by_recency:
                key = (distance, not seen.subject, -seen.token)
            if by_salience:
                key = (-counts.get(draft_id, 0), *key)
            if best_key is None or key < best_key:
                best_key, best_id = key, draft_id
        return best_id


def resolve_references(doc, builder: IndexBuilder, lexicon=None) -> None:
    """Map appositions, titles, definite descriptions and pronouns to entities (adds description/pronoun mentions).

    `lexicon` is the TriggerLexicon whose object-control verbs tell who an infinitive's subject is
    (default: the packaged one).
    """
    cues = load_cues()
    if lexicon is None:
        from kg.extract.triggers import load_triggers

        lexicon = load_triggers()
    claim_titles_and_appositions(doc, builder, cues)
    claim_noun_appositions(doc, builder, cues)
    set_genders(builder, cues)
    history = _History(builder, builder.sentence_of)
    starts: dict[int, int] = {}
    for draft_id in builder.live_ids():
        for start, end, _kind in builder.drafts[draft_id].mentions:
            starts.setdefault(doc[start:end].root.i, draft_id)
    for token, pos, lower in zip(
        builder.tokens, builder.view.column("pos_"), builder.view.column("lower_"), strict=True
    ):
        check_deadline()  # each pronoun looks back over the history: quadratic in a long article
        owner = builder.owner(token.i)
        if token.i in starts and owner is not None:
            history.add(token, owner)
            continue
        if owner is not None:
            continue
        if lower in cues.relative_pronouns:
            target = relative_antecedent(builder, token)
            if target is not None:
                # A mention of the entity, but the token stays unowned: the role finders already read a relative
                # pronoun through its antecedent, and a claimed "who" would become the argument phrase instead.
                builder.get(target).mentions.append((token.i, token.i + 1, PRONOUN))
        elif pos == "PRON" and lower in cues.pronouns:
            gender = cues.gender_words.get(lower)
            target = _resolve_pronoun(builder, history, token, cues.pronouns[lower], lexicon, gender)
            if target is not None:
                builder.add_mention(target, token.i, token.i + 1, PRONOUN)
                history.add(token, target)
                learn_gender(builder, target, gender)
        elif (
            (pos == "NOUN" or (pos == "PROPN" and token.is_lower))
            and token.lemma_.lower() in cues.descriptions
            and token.tag_ in ("NN", "NNP")
        ):
            gender = cues.gender_words.get(token.lemma_.lower())
            target = _resolve_description(builder, history, token, cues.descriptions[token.lemma_.lower()], gender)
            if target is not None:
                builder.add_mention(target, np_start(token), token.i + 1, DESCRIPTION)
                history.add(token, target)
                learn_gender(builder, target, gender)
        elif pos in ("PROPN", "ADJ", "NOUN") and token.ent_type_ in ("NORP", "GPE"):
            found = demonym_country(builder, token) if token.ent_iob_ == "B" else None
            if found is not None:
                history.add(token, found[0])  # "South Korean investigators" makes South Korea salient


def _resolve_pronoun(
    builder: IndexBuilder, history: _History, token, kind: str, lexicon, gender: str | None = None
) -> int | None:
    if token.dep_ == "expl" or (token.lower_ == "it" and _is_pleonastic(token)):
        return None
    exclude: set[int] = set()
    if token.dep_ in ("dobj", "pobj", "dative"):
        verb = token.head if token.dep_ != "pobj" else token.head.head
        subjects = {builder.owner(t.i) for t in _understood_subjects(verb, lexicon)} - {None}
        if token.lower_.endswith(("self", "selves")):
            # "Lind hanged himself": a reflexive is the subject of its own verb, when that subject fits.
            fitting = sorted(s for s in subjects if reflexive_fits(builder.get(s), kind, gender))
            if len(fitting) == 1:
                return fitting[0]
        else:
            exclude = subjects  # "Zelensky thanked him": not the subject of the same verb

    if kind == "plural":
        root = builder.sentence(token.i).root
        if any(c.dep_ in _SUBJECTS and any(g.dep_ == "conj" for g in children(c)) for c in children(root)):
            return None  # "Spain and Britain sent ... their": a coordination, not one entity

    def accept(draft_id: int) -> bool:
        draft = builder.get(draft_id)
        if kind == "person":
            return draft.type == PERSON and fits_gender(draft, gender)
        if kind == "thing":
            return draft.type in ORGANIZATION_TYPES or draft.type == COUNTRY
        return draft.type == GROUP or draft.plural

    found = history.best(token, accept, exclude)
    if (
        found is not None
        and kind != "person"
        and token.tag_ != "PRP$"  # "its"/"their" mostly own: left to the entity found
        and _thing_competes(builder, history, token, found, kind)
    ):
        return None  # better no antecedent than the wrong one: "it" may be the epicenter, not the country
    return found


# Dependencies where a noun that names no entity may be what a later "it"/"them" stands for.
_COMPETITOR_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def _thing_competes(builder: IndexBuilder, history: _History, token, found: int, kind: str) -> bool:
    """Whether a common noun that names no entity is as good an antecedent for an "it"/"they" pronoun as the
    entity found: a subject or object of the same number in this or the previous sentence, that is either a
    main-clause subject (while the entity's last mention is not) or nearer than the entity's last mention."""
    latest = next((s for s in reversed(history.seen) if builder.find(s.draft) == found), None)
    if latest is None:
        return False
    sentence = builder.sentence_of[token.i]
    for candidate in reversed(builder.tokens[: token.i]):
        if builder.sentence_of[candidate.i] < sentence - 1:
            break
        if candidate.dep_ not in _COMPETITOR_DEPS or builder.owner(candidate.i) is not None:
            continue
        if any(builder.owner(t.i) is not None and builder.find(builder.owner(t.i)) == found for t in candidate.subtree):
            continue  # "the Siemens plant": a part of the entity found, no rival to it
        if candidate.pos_ == "NOUN":
            plural = candidate.tag_ == "NNS"
        elif candidate.pos_ == "ADJ" and kind == "plural" and token.dep_ not in _SUBJECTS:
            # "buried their dead ... wash them": people named by an adjective
            plural = True
        else:
            continue
        if plural != (kind == "plural"):
            continue
        if candidate.i > latest.token or (_is_main_subject(candidate) and not latest.subject):
            return True
    return False


def _understood_subjects(verb, lexicon) -> list:
    """The subject tokens of `verb`; for a subjectless "to" infinitive, those of the verb that controls it.

    "Massa called Milei to congratulate him": the one congratulating is Massa (the main subject), so
    "him" is not Massa. After an object-control verb of the trigger lexicon ("asked Lopez to brief
    him") it is the object, Lopez.
    """
    own = [c for c in children(verb) if c.dep_ in _SUBJECTS]
    if (
        own
        or verb.dep_ not in ("xcomp", "advcl")
        or not any(c.dep_ == "aux" and c.lower_ == "to" for c in children(verb))
    ):
        return own
    controller = verb.head
    if verb.dep_ == "xcomp" and lexicon.has("object_control_verbs", controller.lemma_.lower()):
        objects = [c for c in children(controller) if c.dep_ == "dobj"]
        if objects:
            return objects
    return [c for c in children(controller) if c.dep_ in _SUBJECTS]


def _is_pleonastic(token) -> bool:
    """ "It is unclear whether ...", "it was reported that ...": an "it" that refers to nothing."""
    head = token.head
    if token.dep_ not in _SUBJECTS:
        return False
    deps = {c.dep_ for c in children(head)}
    return head.lemma_ in ("be", "seem", "appear", "remain", "report", "say", "rain") and bool(
        deps & {"ccomp", "xcomp", "csubj"}
    )


def _resolve_description(
    builder: IndexBuilder, history: _History, token, wanted: list[str], gender: str | None = None
) -> int | None:
    """ "the agency" / "South Korea's spy agency" / "the country": the nearest compatible entity, or a new one.

    `gender` ("female" for "the actress") keeps a gendered description from a person of the other gender.
    """
    determiners = {c.lower_ for c in children(token) if c.dep_ == "det"}
    # "the country's", "South Korea's agency" refer back; "their home country" does not.
    has_owner = any(c.dep_ == "poss" and c.pos_ != "PRON" for c in children(token))
    if not (determiners & {"the", "this", "that"} or has_owner):
        return None
    if any(c.dep_ == "amod" and c.lower_ in load_cues().new_entity_modifiers for c in children(token)):
        return None  # "the combined company": formed by the merger, not one of the firms before it
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in children(token)) and PERSON in wanted:
        return None  # "the president of France": not a back-reference
    owner = country_modifier(builder, token)
    if owner is not None and not (set(wanted) & {COUNTRY, CITY, PERSON}):
        return _organization_of_country(builder, history, token, wanted, owner)
    if PERSON in wanted and owner is not None:
        return None  # "the country's leader" without an apposition: a role, left to relations

    # The first class listed is preferred: "the regulator" is a government body before it is a company.
    def fits(draft_id: int, classes: list[str]) -> bool:
        return _compatible(builder, draft_id, classes) and fits_gender(builder.get(draft_id), gender)

    found = history.best(token, lambda draft_id: fits(draft_id, wanted[:1]), by_recency=True)
    if found is None and len(wanted) > 1:
        found = history.best(token, lambda draft_id: fits(draft_id, wanted), by_recency=True)
    return found


def _organization_of_country(builder: IndexBuilder, history: _History, token, wanted, owner) -> int | None:
    """ "Russia's defence ministry": an earlier organization of that country with a fitting head, else a new one."""
    country_id, first = owner
    country_label = builder.get(country_id).label
    head = token.lemma_.lower()

    def accept(draft_id: int) -> bool:
        draft = builder.get(draft_id)
        if not _compatible(builder, draft_id, wanted):
            return False
        of_country = (draft.part_of is not None and builder.find(draft.part_of) == builder.find(country_id)) or (
            draft.gazetteer_country is not None and draft.gazetteer_country == country_label
        )
        if not of_country:
            return False
        names = " ".join(draft.names + [draft.label or ""]).lower()
        return head in names or head in _GENERIC_HEADS

    found = history.best(token, accept, by_salience=True)
    if found is not None:
        return found
    start = np_start(token)
    while start < token.i and builder.tokens[start].lower_ == "the":
        start += 1
    label = builder.view.span_text(start, token.i + 1)
    kind = next((w for w in wanted if w != ORGANIZATION), GOVERNMENT_ORGANIZATION)
    draft_id = builder.new(type=kind, label=label, part_of=country_id)
    builder.get(draft_id).votes[kind] += STRONG
    return draft_id


def apply_metonyms(doc, builder: IndexBuilder) -> None:
    """A capital as the subject of a verb ("Pyongyang has not acknowledged ...") stands for its country."""
    gazetteer = builder.gazetteer
    for draft_id in builder.live_ids():
        draft = builder.drafts[draft_id]
        if draft.type != CITY or not draft.label:
            continue
        country = gazetteer.capital_of(draft.label)
        if country is None:
            continue
        for start, end, kind in list(draft.mentions):
            root = doc[start:end].root
            if (
                kind == NAME
                and root.dep_ in _SUBJECTS
                and root.head.pos_ in ("VERB", "AUX")
                and root.head.lemma_ != "be"
            ):
                builder.reassign(start, end, builder.country(country))
                target = builder.get(builder.country(country))
                target.mentions = [(s, e, DESCRIPTION if (s, e) == (start, end) else k) for s, e, k in target.mentions]
