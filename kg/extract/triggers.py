"""The event trigger lexicon: lemmas and two-word phrases mapped to event classes, plus role-finding word lists.

The data lives in kg/lexicon/triggers.toml (its header documents the format); a user file in the same
format can extend or override it (`kg build --lexicon FILE`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "triggers.toml"

VERB = "verb"
NOUN = "noun"
ADJECTIVE = "adjective"
_POS_KIND = {
    "VERB": VERB,
    "AUX": VERB,
    "NOUN": NOUN,
    "PROPN": NOUN,
    "ADJ": ADJECTIVE,
    VERB: VERB,
    NOUN: NOUN,
    ADJECTIVE: ADJECTIVE,
}
_SYNTAX_LISTS = (
    "light_verbs",
    "subject_light_verbs",
    "object_control_verbs",
    "means_verbs",
    "patient_subject_verbs",
    "motion_theme_verbs",
    "motion_theme_classes",
    "change_of_state_verbs",
    "bare_object_verbs",
    "non_event_verbs",
    "recipient_classes",
    "addressee_classes",
    "dateline_classes",
    "time_nouns",
    "proceeding_classes",
    "addressee_object_verbs",
    "clause_statement_verbs",
    "with_theme_verbs",
    "amount_nouns",
    "with_party_classes",
    "with_patient_classes",
    "possessor_patient_classes",
    "counting_classes",
    "instrument_classes",
    "agent_role_nouns",
    "responsibility_words",
    "claiming_verbs",
    "not_event_idioms",
    "patient_on_classes",
    "patient_to_classes",
    "patient_in_classes",
    "compound_patient_classes",
    "event_compound_heads",
    "instrument_nouns",
    "resultative_verbs",
    "instrument_object_verbs",
    "place_object_verbs",
    "patient_light_verbs",
    "measure_nouns",
    "abstract_nouns",
    "place_possessor_classes",
    "own_on_phrase_verbs",
)
# Keys a [senses] entry may use besides the names of the [contexts] word lists.
_SENSE_KEYS = frozenset({"person", "thing", "clause", "infinitive"})


class LexiconError(ValueError):
    """Raised when a trigger lexicon file is not in the expected format."""


@dataclass(frozen=True)
class TriggerLexicon:
    """Trigger lemmas by part of speech, two-word trigger phrases, and the syntax word lists.

    `words[kind]` maps a lemma to its event class, `phrases[kind]` maps "word word" to its class,
    where kind is "verb" or "noun"; `syntax` maps each list name of the [syntax] table to a frozenset;
    `senses` maps an ambiguous lemma to {"person" | "thing" | "clause" | "infinitive" | a context name: class}:
    what it is done to, whether a clause or a to-infinitive follows it, or which context words stand near it;
    `contexts` maps a context name ("violence") to its cue lemmas; `parents` maps a finer class to the class it
    refines ("Arrest" -> "Capture").
    """

    words: dict[str, dict[str, str]] = field(default_factory=dict)
    phrases: dict[str, dict[str, str]] = field(default_factory=dict)
    syntax: dict[str, frozenset[str]] = field(default_factory=dict)
    senses: dict[str, dict[str, str]] = field(default_factory=dict)
    contexts: dict[str, frozenset[str]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    _lineages: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def lookup(self, lemma: str, pos: str) -> str | None:
        """Return the event class for a lemma with a spaCy POS ("VERB", "NOUN", ...) or "verb"/"noun", else None."""
        kind = _POS_KIND.get(pos)
        if kind is None:
            return None
        return self.words.get(kind, {}).get(lemma.lower())

    def lookup_phrase(self, first: str, second: str, pos: str) -> str | None:
        """Return the event class of the two-word trigger "first second" for a verb or noun head, else None."""
        kind = _POS_KIND.get(pos)
        if kind is None:
            return None
        return self.phrases.get(kind, {}).get(f"{first.lower()} {second.lower()}")

    def has(self, list_name: str, word: str) -> bool:
        """Return whether `word` (a lemma or "verb particle" phrase) is in the [syntax] list `list_name`.

        For the class lists (names ending in "_classes") a class is in the list when it or a class it refines
        is: "Arrest" is in a list that names "Capture".
        """
        words = self.syntax.get(list_name, frozenset())
        if list_name.endswith("_classes"):
            return any(cls in words for cls in self._lineage(word))
        return word in words or word.lower() in words

    def subject_undergoes(self, lemma: str, trigger: str) -> bool:
        """Return whether a verb's subject is the patient of its event ("the miner died", "she passed away").

        Takes the verb's lemma and the event's trigger, which is a two-word phrase for phrasal triggers.
        """
        return self.has("patient_subject_verbs", lemma) or self.has("patient_subject_verbs", trigger)

    def lineage(self, cls: str) -> list[str]:
        """Return the class followed by every class it refines, nearest first ("Arrest" -> ["Arrest", "Capture"])."""
        return list(self._lineage(cls))

    def _lineage(self, cls: str) -> tuple[str, ...]:
        found = self._lineages.get(cls)  # asked for every candidate trigger: worked out once per class
        if found is None:
            chain = [cls]
            while chain[-1] in self.parents and self.parents[chain[-1]] not in chain:
                chain.append(self.parents[chain[-1]])
            found = self._lineages[cls] = tuple(chain)
        return found

    def is_a(self, cls: str, ancestor: str) -> bool:
        """Return whether `cls` is `ancestor` or refines it."""
        return ancestor in self._lineage(cls)

    def classes(self) -> frozenset[str]:
        """Return every event class the lexicon can produce."""
        found = set()
        for table in (*self.words.values(), *self.phrases.values()):
            found.update(table.values())
        return frozenset(found)

    def size(self) -> int:
        """Return the number of single-word trigger lemmas (verbs plus nouns)."""
        return sum(len(table) for table in self.words.values())


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"{path}: not valid TOML: {error}") from error
    for table in ("verbs", "nouns", "adjectives", "verb_phrases", "noun_phrases"):
        for cls, lemmas in data.get(table, {}).items():
            if not isinstance(lemmas, list) or not all(isinstance(x, str) for x in lemmas):
                raise LexiconError(f"{path}: [{table}] {cls} must be a list of strings")
    return data


def _merge(data: dict, words: dict, phrases: dict, syntax: dict, senses: dict, contexts: dict, parents: dict) -> None:
    for kind, table in ((VERB, "verbs"), (NOUN, "nouns"), (ADJECTIVE, "adjectives")):
        for cls, lemmas in data.get(table, {}).items():
            words[kind].update({lemma.lower(): cls for lemma in lemmas})
    for kind, table in ((VERB, "verb_phrases"), (NOUN, "noun_phrases")):
        for cls, items in data.get(table, {}).items():
            phrases[kind].update({" ".join(item.lower().split()): cls for item in items})
    for kind, table in ((VERB, "verbs"), (NOUN, "nouns")):
        for lemma in data.get("remove", {}).get(table, []):
            words[kind].pop(lemma.lower(), None)
            phrases[kind].pop(lemma.lower(), None)
    for name, cues in data.get("contexts", {}).items():
        if not isinstance(cues, list) or not all(isinstance(x, str) for x in cues):
            raise LexiconError(f"[contexts] {name} must be a list of strings")
        contexts[name] = contexts.get(name, frozenset()) | frozenset(x.lower() for x in cues)
    for cls, parent in data.get("classes", {}).items():
        if not isinstance(parent, str):
            raise LexiconError(f"[classes] {cls} must name the class it refines")
        parents[cls] = parent
    for lemma, by_object in data.get("senses", {}).items():
        if not isinstance(by_object, dict) or not set(by_object) <= _SENSE_KEYS | set(contexts):
            keys = ", ".join(sorted(_SENSE_KEYS | set(contexts)))
            raise LexiconError(f"[senses] {lemma} must be a table whose keys are among: {keys}")
        senses[lemma.lower()] = {**senses.get(lemma.lower(), {}), **by_object}
    for name in _SYNTAX_LISTS:
        if name in data.get("syntax", {}):
            # Class lists keep their case ("Transfer"); word lists are lower case.
            items = data["syntax"][name] if name.endswith("_classes") else [x.lower() for x in data["syntax"][name]]
            syntax[name] = syntax.get(name, frozenset()) | frozenset(items)


@lru_cache(maxsize=8)
def load_triggers(extra: Path | None = None) -> TriggerLexicon:
    """Load the packaged trigger lexicon, then a user lexicon file on top of it when given.

    Takes an optional path to a TOML file in the packaged format; returns a TriggerLexicon (cached per path).
    Raises LexiconError naming the file when it cannot be read.
    """
    words: dict[str, dict[str, str]] = {VERB: {}, NOUN: {}, ADJECTIVE: {}}
    phrases: dict[str, dict[str, str]] = {VERB: {}, NOUN: {}}
    syntax: dict[str, frozenset[str]] = {}
    senses: dict[str, dict[str, str]] = {}
    contexts: dict[str, frozenset[str]] = {}
    parents: dict[str, str] = {}
    _merge(_read(DEFAULT_PATH), words, phrases, syntax, senses, contexts, parents)
    if extra is not None:
        extra = Path(extra)
        if not extra.is_file():
            raise LexiconError(f"{extra}: no such lexicon file")
        _merge(_read(extra), words, phrases, syntax, senses, contexts, parents)
    return TriggerLexicon(
        words=words, phrases=phrases, syntax=syntax, senses=senses, contexts=contexts, parents=parents
    )
