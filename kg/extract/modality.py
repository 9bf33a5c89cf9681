"""Negation and modality: did the text say an event happened, did not happen, might, will, or will if?

Cue words live in kg/lexicon/modality.toml. The rules, applied to each event from the verb that carries it
(its anchor: the trigger verb, or the light verb of a nominal trigger) up its chain of control:

* The chain climbs from the anchor through `xcomp` ("wish to return"), infinitival `acl` of a control noun
  ("willingness to hand"), `pcomp` after a preposition ("no interest in seeking") and `conj` without its own
  auxiliaries ("signed ... and pledged"), to the verb that governs each control noun ("expressed willingness").
  It never crosses a `ccomp`: "He did not say they left" does not negate the leaving.
* Negated: a `neg` dependent ("not", "never") on the anchor or on a chain verb, "no" on a control noun
  ("showed no interest in seeking asylum"), a negative control verb or noun ("refused to return", "failure
  to obtain"), a subject or object naming nobody ("no party won", "nobody was hurt"; not for a nominal event,
  whose anchor's object is another phrase), or a denial verb over its complement ("denied that troops fired",
  the one `ccomp` crossed); each flips.
* Conditional: the anchor's clause, or a clause on its chain, is opened by "if"/"unless"/... or by an inverted
  auxiliary ("should the soldiers express a wish"); or a chain verb has such a clause as `advcl` (the main
  event conditioned on it: "willing to hand them back if Kim arranges an exchange").
* Hypothetical: "may", "might", "could", "can", hedging adverbs ("possibly"), "likely to", "whether to", and
  prediction verbs over their `xcomp` or `ccomp` ("is predicted to win", "expected to", "forecast that ...").
* Planned: "will", "would", "shall"; a control verb, noun or adjective of intention on the chain ("plans to",
  "agreed to", "expressed willingness to", "is ready to"); a purpose clause ("... to win approval").
* Generic (kg/extract/genericity.py): the clause states what usually holds, not what happened ("Staff are
  often laid off in takeovers", "A strike is when ...").
* Hypothetical also: an event named after a hearsay noun ("talk of a takeover"), an event in "there could
  be ... coming", a participle clause ("..., resulting in") under a hypothetical verb; Planned also: "The aim
  is to ..." (a copula whose subject is an intention noun). "not always" negates nothing: it is generic.
* When several apply, Generic beats Conditional beats Hypothetical beats Planned beats Asserted. Negation is
  independent: "do not wish to return" is Planned and negated (an intention the text says is absent).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.common import children
from kg.extract.genericity import is_generic
from kg.records import ASSERTED, CONDITIONAL, GENERIC_MODALITY, HYPOTHETICAL, PLANNED

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "modality.toml"
_RANK = {ASSERTED: 0, PLANNED: 1, HYPOTHETICAL: 2, CONDITIONAL: 3, GENERIC_MODALITY: 4}
_CUE_LISTS = (
    "negation_words",
    "negative_determiners",
    "negative_verbs",
    "denial_verbs",
    "negative_nouns",
    "negative_pronouns",
    "prediction_verbs",
    "hypothetical_auxiliaries",
    "hypothetical_adverbs",
    "hypothetical_adjectives",
    "hypothetical_marks",
    "planned_auxiliaries",
    "planned_verbs",
    "planned_nouns",
    "planned_adjectives",
    "condition_marks",
    "condition_inversion_auxiliaries",
    "hearsay_nouns",
    "generic_adverbs",
    "generic_determiners",
    "definition_words",
    "temporal_marks",
    "counting_words",
    "report_verbs",
)


@dataclass(frozen=True)
class ModalityCues:
    """The cue word lists of modality.toml, each a frozenset of lower-case lemmas, by list name."""

    lists: dict[str, frozenset[str]]

    def has(self, name: str, word: str) -> bool:
        """Return whether `word` (lower-cased here) is in the cue list `name`."""
        return word.lower() in self.lists.get(name, frozenset())


@lru_cache(maxsize=4)
def load_cues(path: Path | None = None) -> ModalityCues:
    """Load modality cue lists from a TOML file (default: the packaged modality.toml); return ModalityCues."""
    with Path(path or DEFAULT_PATH).open("rb") as handle:
        data = tomllib.load(handle)
    return ModalityCues({name: frozenset(w.lower() for w in data.get(name, [])) for name in _CUE_LISTS})


def stronger(first: str, second: str) -> str:
    """Return whichever of two modality names wins (Generic > Conditional > Hypothetical > Planned > Asserted)."""
    return first if _RANK.get(first, 0) >= _RANK.get(second, 0) else second


def governing_verb(noun):
    """Take a noun token; return the verb it is the object, attribute or subject of (through prepositions), or None.

    "expressed willingness" -> expressed; "interest in ..." as object of "shown" -> shown.
    """
    token = noun
    for _ in range(4):
        if token.dep_ not in ("dobj", "pobj", "attr", "prep", "nsubj", "nsubjpass", "conj", "appos", "oprd"):
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _has_inverted_condition(verb, cues: ModalityCues) -> bool:
    subjects = [c.i for c in children(verb) if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    for child in children(verb):
        inverted = child.dep_ in ("aux", "auxpass") and subjects and child.i < min(subjects)
        if inverted and cues.has("condition_inversion_auxiliaries", child.lower_):
            return True
    return False


def _clause_is_condition(verb, cues: ModalityCues) -> bool:
    marks = any(c.dep_ == "mark" and cues.has("condition_marks", c.lower_) for c in children(verb))
    return marks or _has_inverted_condition(verb, cues)


def _has_condition_clause(verb, cues: ModalityCues) -> bool:
    return any(c.dep_ == "advcl" and _clause_is_condition(c, cues) for c in children(verb))


def _own_cues(token, cues: ModalityCues, state: dict) -> None:
    """Read negation and modal cues from a verb's (or adjective's) own dependents into `state`."""
    for child in children(token):
        lower = child.lower_
        if child.dep_ == "neg" and cues.has("negation_words", lower):
            after = token.doc[child.i + 1] if child.i + 1 < len(token.doc) else None
            if after is None or not (after.dep_ == "advmod" and cues.has("generic_adverbs", after.lower_)):
                state["negated"] = not state["negated"]  # "does not always work" negates nothing
        elif child.dep_ in ("aux", "auxpass"):
            if cues.has("hypothetical_auxiliaries", lower) or cues.has("hypothetical_auxiliaries", child.lemma_):
                state["modality"] = stronger(state["modality"], HYPOTHETICAL)
            elif cues.has("planned_auxiliaries", lower) or cues.has("planned_auxiliaries", child.lemma_):
                state["modality"] = stronger(state["modality"], PLANNED)
        elif (child.dep_ == "advmod" and cues.has("hypothetical_adverbs", lower)) or (
            child.dep_ == "mark" and cues.has("hypothetical_marks", lower)
        ):
            state["modality"] = stronger(state["modality"], HYPOTHETICAL)
    if token.pos_ in ("VERB", "AUX") and _has_condition_clause(token, cues):
        state["modality"] = stronger(state["modality"], CONDITIONAL)


def _negative_arguments(verb, cues: ModalityCues, state: dict, skip=None) -> None:
    """A subject or object that names nobody ("no party won", "nobody was hurt") negates the verb's event."""
    for child in children(verb):
        if child == skip or child.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            continue
        says_none = cues.has("negative_pronouns", child.lower_) or any(
            c.dep_ == "det" and cues.has("negative_determiners", c.lower_) for c in children(child)
        )
        if says_none:
            state["negated"] = not state["negated"]


def _noun_cues(noun, cues: ModalityCues, state: dict) -> None:
    """A control noun: "no" negates, an intention noun plans; then its governing verb's own cues count too."""
    if any(c.dep_ == "det" and cues.has("negative_determiners", c.lower_) for c in children(noun)):
        state["negated"] = not state["negated"]
    if cues.has("negative_nouns", noun.lemma_):
        state["negated"] = not state["negated"]
    if cues.has("planned_nouns", noun.lemma_):
        state["modality"] = stronger(state["modality"], PLANNED)


def assess(anchor, cues: ModalityCues, *, nominal_token=None) -> tuple[bool, str]:
    """Work out negation and modality for an event.

    Takes the event's anchor token (the verb that carries it), the cues, and for a nominal event its noun
    token; returns (negated, modality name).
    """
    state = {"negated": False, "modality": ASSERTED}
    if nominal_token is not None:
        if any(c.dep_ == "det" and cues.has("negative_determiners", c.lower_) for c in children(nominal_token)):
            state["negated"] = True
        prep = nominal_token.head
        if (
            nominal_token.dep_ == "pobj"
            and prep.lower_ in ("of", "about")
            and cues.has("hearsay_nouns", prep.head.lemma_)
        ):
            state["modality"] = HYPOTHETICAL  # "talk of a takeover": only spoken of
        if anchor == nominal_token:
            # "no agreement was reached", "would require consultations": the verb governing the noun.
            deps = ("dobj", "nsubj", "nsubjpass", "attr")
            anchor = governing_verb(nominal_token) if nominal_token.dep_ in deps else None
            if anchor is None:
                return state["negated"], state["modality"]
    _own_cues(anchor, cues, state)
    if nominal_token is None:  # "talks reached no agreement": the "no" belongs to the agreement, not the talks
        _negative_arguments(anchor, cues, state)
    if _clause_is_condition(anchor, cues):
        state["modality"] = stronger(state["modality"], CONDITIONAL)
    token = anchor
    for _ in range(8):
        step = _climb(token, cues, state)
        if step is None:
            break
        token = step
    return state["negated"], state["modality"]


def _climb(token, cues: ModalityCues, state: dict):
    """Go one step up the control chain from `token`, reading the cues met; return the new token or None."""
    dep, head = token.dep_, token.head
    if head == token:
        return None
    has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in children(token))
    if dep == "xcomp":
        return _enter_governor(head, cues, state)
    control_noun = cues.has("planned_nouns", head.lemma_) or cues.has("negative_nouns", head.lemma_)
    if dep == "acl" and has_to and head.pos_ in ("NOUN", "PROPN") and control_noun:
        _noun_cues(head, cues, state)
        verb = governing_verb(head)
        return None if verb is None else _enter_governor(verb, cues, state, control=False, via=_argument_of(head, verb))
    if dep == "ccomp" and head.lemma_ == "be" and any(c.dep_ == "expl" for c in children(head)):
        return _enter_governor(head, cues, state, control=False)  # "there could be more deals coming"
    if dep == "ccomp" and head.pos_ in ("VERB", "AUX"):
        # Only denial and prediction verbs reach into their complement: "did not say they left" stays asserted.
        if cues.has("denial_verbs", head.lemma_.lower()):
            state["negated"] = not state["negated"]
        elif cues.has("prediction_verbs", head.lemma_.lower()):
            state["modality"] = stronger(state["modality"], HYPOTHETICAL)
        return None
    if dep == "pcomp" and head.dep_ == "prep":
        governor = head.head
        if governor.pos_ in ("NOUN", "PROPN"):
            if not cues.has("planned_nouns", governor.lemma_):
                return None
            _noun_cues(governor, cues, state)
            verb = governing_verb(governor)
            return (
                None
                if verb is None
                else _enter_governor(verb, cues, state, control=False, via=_argument_of(governor, verb))
            )
        if governor.pos_ in ("VERB", "AUX", "ADJ"):
            return _enter_governor(governor, cues, state)
        return None
    if dep == "conj" and not any(c.dep_ in ("aux", "auxpass", "neg", "nsubj", "nsubjpass") for c in children(token)):
        return _enter_governor(head, cues, state, control=False)
    if dep == "advcl" and has_to and not any(c.dep_ == "mark" for c in children(token)):
        state["modality"] = stronger(state["modality"], PLANNED)  # purpose: "... to win approval"
        return None
    if dep == "advcl" and token.tag_ == "VBG" and not any(c.dep_ in ("mark", "nsubj") for c in children(token)):
        above = {"negated": False, "modality": ASSERTED}  # "..., resulting in": the clause's modality only
        _own_cues(head, cues, above)
        state["modality"] = stronger(state["modality"], above["modality"])
        return None
    if dep == "advcl" and _clause_is_condition(token, cues):
        state["modality"] = stronger(state["modality"], CONDITIONAL)
        return None
    return None


def _argument_of(noun, verb):
    """The direct dependent of `verb` whose phrase holds `noun` (the noun itself, or the head above it)."""
    token = noun
    while token.head != token and token.head != verb:
        token = token.head
    return token


def _enter_governor(governor, cues: ModalityCues, state: dict, control: bool = True, via=None):
    """Read a governing verb or adjective: its meaning (refuse, plan, ready), then its own cues; return it."""
    lemma = governor.lemma_.lower()
    if control:
        if cues.has("negative_verbs", lemma):
            state["negated"] = not state["negated"]
        elif cues.has("prediction_verbs", lemma):
            state["modality"] = stronger(state["modality"], HYPOTHETICAL)
        elif cues.has("planned_verbs", lemma) or cues.has("planned_adjectives", lemma):
            state["modality"] = stronger(state["modality"], PLANNED)
        elif cues.has("hypothetical_adjectives", lemma):
            state["modality"] = stronger(state["modality"], HYPOTHETICAL)
        elif lemma == "be" and any(
            c.dep_ == "nsubj" and cues.has("planned_nouns", c.lemma_) for c in children(governor)
        ):
            state["modality"] = stronger(state["modality"], PLANNED)  # "The aim is to raise ..."
    _own_cues(governor, cues, state)
    _negative_arguments(governor, cues, state, skip=via)  # `via`: a control noun whose own "no" was read
    if _clause_is_condition(governor, cues):
        state["modality"] = stronger(state["modality"], CONDITIONAL)
    return governor


def apply_modality(drafts, cues: ModalityCues | None = None) -> None:
    """Set `negated` and `modality` on each event draft (see the module docstring for the rules); return None."""
    cues = cues or load_cues()
    for draft in drafts:
        negated, modality = assess(draft.anchor, cues, nominal_token=draft.token if draft.nominal else None)
        governing = governing_verb(draft.token) if draft.nominal and draft.anchor == draft.token else None
        if draft.type != "Statement" and is_generic(draft.anchor, cues, governing):
            modality = GENERIC_MODALITY
        draft.negated = negated
        draft.modality = modality
