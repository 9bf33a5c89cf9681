"""Senses: which class an ambiguous trigger takes in its context, and whether a subject acts or is a thing.

An ambiguous trigger takes its class from the lexicon's [senses] table (kg/lexicon/triggers.toml): by the context
words near it ("the bomb ... the explosion" is an attack, "a gas leak ... the explosion" a disaster), by a clause
after a noun ("a warning that ... would" is a threat), by a to-infinitive after a verb ("declined to comment" is a
refusal), or by what it is done to ("released the hostages" /
"released a video"; "fired us": a personal pronoun is a person). A subject that is a thing ("the device", "it",
a building) is the instrument of a killing or an attack, not its agent; a reporting verb the parser left without
a subject takes back the name that ends just before it. roles.py uses these while it reads the roles.
"""

from __future__ import annotations

from kg.extract.arguments import ArgumentReader
from kg.extract.entity_cues import load_cues as load_entity_cues
from kg.extract.triggers import TriggerLexicon
from kg.records import COUNTRY, GROUP, ORGANIZATION_TYPES, PERSON, PLACE_TYPES

# Entity types that can speak or act: the subject a reporting verb may take back from the text before it.
ACTOR_TYPES = frozenset({PERSON, GROUP, COUNTRY}) | ORGANIZATION_TYPES
# In how many sentences an article must name cues of a context for the whole article to be in that context.
_CONTEXT_SENTENCES = 3
# Endings of nouns for people ("bomber", "gunman", "militant", "terrorist"): such a subject acts.
_PERSON_SUFFIXES = ("er", "or", "ist", "man", "men", "ant", "ent", "ian", "ee", "ive")


class SenseReader(ArgumentReader):
    """An ArgumentReader that also knows the trigger lexicon: senses in context, actors and instruments."""

    def __init__(self, view, index, lexicon: TriggerLexicon, consumed: set[int], nominals: dict):
        super().__init__(view, index, consumed, nominals)
        self.lex = lexicon
        self._context_sentences: dict[str, set[int]] = {}  # context name -> sentences holding one of its cues

    def _could_act(self, token) -> bool:
        """Whether a noun may name an actor: an entity, a name, a word for people, or a word that names an
        organization ("brigade", "ministry")."""
        if self.entity(token) is not None or token.pos_ == "PROPN":
            return True
        cues = load_entity_cues()
        lemma = token.lemma_.lower()
        if lemma in cues.descriptions or lemma in cues.roles or lemma in cues.irregular_roles:
            return True
        return any(lemma in words for words in cues.org_words.values())  # "the brigade", "the militia"

    def _sense(self, token, cls: str, patients: list) -> str:
        """Pick the class of an ambiguous trigger: by the context words of its sentence ("the bomb ... exploded"),
        by a clause after a noun ("a warning that ..."), else by what it is done to ("released the hostages" /
        "released a video", "fired us")."""
        senses = self.lex.senses.get(token.lemma_.lower())
        if not senses:
            return cls
        for name in self.lex.contexts:
            if name in senses and self._in_context(name, token.i):
                return senses[name]
        if (by_infinitive := self.infinitive_sense(token)) is not None:
            return by_infinitive
        if "clause" in senses and any(
            c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX") and c.i > token.i
            for c in self.children(token)
        ):
            return senses["clause"]
        if not patients:
            return cls
        key = self.entity(patients[0])
        kind = self.entity_type(key) if key is not None else ""
        if kind in ("Person", "Group") or (key is None and patients[0].tag_ == "PRP" and patients[0].lower_ != "it"):
            return senses.get("person", cls)
        if key is None and patients[0].pos_ == "NOUN":
            return senses.get("thing", cls)
        return cls

    def infinitive_sense(self, verb) -> str | None:
        """Return the class the [senses] table gives a verb followed by a to-infinitive ("declined to comment":
        Rejection), or None when the verb has no such sense or no to-infinitive follows it."""
        cls = self.lex.senses.get(verb.lemma_.lower(), {}).get("infinitive")
        if cls is None:
            return None
        for child in self.children(verb):
            if (
                child.dep_ == "xcomp"
                and child.i > verb.i
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in self.children(child))
            ):
                return cls
        return None

    def _in_context(self, name: str, index: int) -> bool:
        """Whether a cue of the context `name` stands in the token's sentence, or in at least three sentences of
        the article (a story about a bombing: "the explosion" there is the attack even where no cue is near)."""
        if name not in self._context_sentences:
            cues = self.lex.contexts[name]
            lemmas = self.view.column("lemma_")
            lowers = self.view.column("lower_")
            self._context_sentences[name] = {
                self.view.sentence_of[i]
                for i in range(len(self.tokens))
                if lemmas[i].lower() in cues or lowers[i] in cues
            }
        found = self._context_sentences[name]
        return self.view.sentence_of[index] in found or len(found) >= _CONTEXT_SENTENCES

    def _is_text_argument(self, token, counts: bool = False) -> bool:
        """As ArgumentReader's, but an abstract noun ("the best way", "an emergency") or an amount counted in a unit
        ("41 points", "2 percent"; not "the peso") is never a participant."""
        if self.entity(token) is None and (
            self.lex.has("abstract_nouns", token.lemma_.lower()) or self.is_amount(token)
        ):
            return False
        return super()._is_text_argument(token, counts)

    def is_amount(self, token) -> bool:
        """Whether a noun is an amount counted in a unit: a unit of amount_nouns with a number ("41 points", "2.6
        percent", "five cents"), not the unit alone ("replace the peso")."""
        counted = any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in self.children(token))
        return counted and self.lex.has("amount_nouns", token.lemma_.lower())

    def _is_instrument(self, token) -> bool:
        """Whether a subject is a thing the event was done with ("the bomb", "a device", "it"), not an actor; a
        relative pronoun is judged by the noun it stands for ("a device that exploded")."""
        token = self._antecedent(token) or token
        if token.tag_ == "PRP":
            return token.lower_ == "it"
        lemma = token.lemma_.lower()
        if self.lex.has("instrument_nouns", lemma):
            return True
        key = self.entity(token)
        if key is not None:
            return self._key_is_place(key)  # "the cafe ..., which killed 13": a place does not act
        return token.pos_ == "NOUN" and not self._could_act(token) and not lemma.endswith(_PERSON_SUFFIXES)

    def _is_moved_thing(self, token) -> bool:
        """Whether the subject or possessor of a motion names a thing that is moved, not a mover: a model name
        with a number ("the Z900", "Flight 12"), "it" standing for no actor, or a common noun for no actor ("the
        jet", "the new tablet"); a relative pronoun is judged by the noun it stands for."""
        token = self._antecedent(token) or token
        if token.pos_ == "PROPN":
            start, end, _ = self.phrase(token)
            words = [t for t in token.subtree if start <= t.idx < end]
            if any(any(c.isdigit() for c in t.text) and "PROPN" in (t.pos_, t.head.pos_) for t in words):
                return True  # "the Z900", "Airbus A400M", "Flight 447": a model or a flight number, not "300 pilots"
        key = self.entity(token)
        if key is not None:
            return self.entity_type(key) not in ACTOR_TYPES and not self._key_is_place(key)
        if token.tag_ in ("PRP", "PRP$"):
            return token.lower_ in ("it", "its")
        lemma = token.lemma_.lower()
        return token.pos_ == "NOUN" and not self._could_act(token) and not lemma.endswith(_PERSON_SUFFIXES)

    def _speaker_before(self, verb) -> list:
        """For a reporting verb the parser left without a subject, return the name that ends just before it
        ("..., Army General Jane Doe, said"), if it names a person or organization; else []."""
        i = verb.i - 1
        while i >= 0 and self.tokens[i].is_punct and self.tokens[i].lower_ in (",", "--", "—", "–"):
            i -= 1
        if i < 0 or i == verb.i - 1 and not self.tokens[i].is_alpha:
            return []
        token = self.tokens[i]
        key = self.entity(token)
        same_sentence = self.view.sentence_of[token.i] == self.view.sentence_of[verb.i]
        if key is not None and self.entity_type(key) in ACTOR_TYPES and same_sentence:
            return [token]
        return []

    @staticmethod
    def _is_acronym(token) -> bool:
        """Whether a token is a short all-capital name ("IS", "ETA", "IRA") the entity finder may have missed."""
        return token.pos_ == "PROPN" and token.is_upper and token.is_alpha and 2 <= len(token.text) <= 5

    def _key_is_place(self, key: str) -> bool:
        """Whether an entity is a place that cannot also act (cities, regions; not countries)."""
        return self.entity_type(key) in PLACE_TYPES and self.entity_type(key) != COUNTRY
