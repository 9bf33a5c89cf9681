"""Events: find the trigger words of a parsed article and make one event for each, its roles filled in.

A verb in the trigger lexicon makes an event (unless it only carries a nominal trigger: "completed its
takeover", "the earthquake struck"); so does a noun in the lexicon that is not a name, a compound modifier
("arrest warrant") or the object of a verb of the same class ("signed a pact" is one event). Any other verb
that heads a clause makes an event of class Event (kg:Event) with confidence 0.4, unless it is a preposition
or adjective in verb form ("according to", "the planned merger") or listed in the lexicon's non_event_verbs.
A lemma the model got wrong ("fined" -> "fin") is repaired from the regular stems the lexicon knows.

Each event keeps two tokens: its trigger, and its *anchor*, the verb whose dependents describe it (time,
place, negation, auxiliaries). For a verb both are the verb; for a nominal trigger the anchor is the light
verb that carries it ("completed", "engage in", "struck"), else the noun itself.

The finder here decides where events are and which tokens carry them; which entity or phrase fills each role
is read off the parse in roles.py (arguments.py says what a token stands for); EventDraft is in drafts.py.
"""

from __future__ import annotations

from kg.extract.common import GENERIC, doc_view
from kg.extract.drafts import PLACE, EventDraft
from kg.extract.headlines import headline_verbs
from kg.extract.modality import ModalityCues, load_cues
from kg.extract.roles import RoleReader
from kg.extract.triggers import ADJECTIVE, NOUN, VERB, TriggerLexicon

_NAMED_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "LAW"})
_SECOND_WORD_DEPS = frozenset({"prt", "advmod", "dobj", "prep", "npadvmod", "oprd"})
# Where a predicative adjective tells of an event: "were dead", "shot dead", "left them injured", "among the dead".
# Prepositions that place an event in time relative to another: their object is no event the verb carries.
_TIME_PREPS = frozenset({"until", "till", "after", "before", "since", "following", "amid", "during", "pending"})
_SEQUENCE_WORDS = frozenset({"following", "after"})
_ADJECTIVE_TRIGGER_DEPS = frozenset({"acomp", "oprd", "xcomp", "ccomp", "advcl", "pobj", "nsubj", "dobj", "conj"})
# Heads whose "of" phrase is a measure, not an event: "73% of the vote", "a share of the vote".
_MEASURE_HEADS = frozenset({"share", "percent", "percentage", "majority", "half", "third", "quarter", "bulk", "rest"})
# Verb forms that head no clause of their own: prepositions ("according to"), adjectives ("planned"), compounds.
_NOT_CLAUSE_DEPS = frozenset({"prep", "amod", "compound", "aux", "auxpass", "case", "mark", "det", "advmod"})
# Adverbs the parser sometimes gives a phrasal verb's particle ("the bid goes through").
_PARTICLE_ADVERBS = frozenset({"through", "up", "down", "out", "off", "over", "back", "away", "on", "in"})
# Prepositions that belong to a three-word phrasal verb after its particle ("come up with", "run out of").
_PHRASAL_PREPS = frozenset({"with", "of"})


class _Finder:
    """Finds the trigger words of one Doc, then has a RoleReader build each event; holds the lexicon and index."""

    def __init__(self, doc, index, lexicon: TriggerLexicon, cues: ModalityCues):
        self.view = view = doc_view(doc)
        self.tokens = view.tokens  # `doc[i]` and `for token in doc` make new Token objects every time
        self.children = view.children  # Token.children makes new Token objects on every call
        self.index = index
        self.lex = lexicon
        self.cues = cues
        self.nominals: dict[int, tuple[str, str]] = {}  # token index -> (class, trigger)
        self.anchors: dict[int, object] = {}  # nominal token index -> its anchor verb
        self.consumed: set[int] = set()  # tokens that are part of a phrase trigger, not arguments
        self.generic: set[int] = set()  # verbs that make an event of no known class
        self._headline_sentences: dict[int, bool] = {}  # sentence start -> whether it is a title-case line
        # The role reader sees `consumed` and `nominals` as the finder fills them; it reads them only after.
        self.roles = RoleReader(view, index, lexicon, cues, self.consumed, self.nominals)

    # -- triggers ---------------------------------------------------------------------------------
    def find(self) -> list[EventDraft]:
        """Return the event drafts of the Doc, in text order, roles filled in."""
        pos = self.view.column("pos_")
        for token, tag in zip(self.tokens, pos, strict=True):
            if tag == "NOUN" or (tag == "PROPN" and self._in_headline(token)):
                found = self._noun_trigger(token)
                if found:
                    self.nominals[token.i] = found
        verbal: list[tuple[object, str, str]] = []
        adjectival: list[tuple[object, str, str]] = []
        headline_verbs = self._headline_verbs(pos)
        for token, tag in zip(self.tokens, pos, strict=True):
            if token.i in headline_verbs and (tag != "VERB" or token.dep_ in _NOT_CLAUSE_DEPS):
                found = self._headline_verb_trigger(token, headline_verbs[token.i])  # "Destroys" as a compound
                if found:
                    verbal.append((token, *found))
            elif tag == "VERB":
                found = self._verb_trigger(token)
                if found:
                    verbal.append((token, *found))
            elif tag == "ADJ" and token.dep_ in _ADJECTIVE_TRIGGER_DEPS and not self._names_people(token):
                cls = self.lex.lookup(token.lower_, ADJECTIVE)
                if cls:
                    adjectival.append((token, cls, token.lower_))
        drafts = [self.roles.verb_event(token, cls, trigger, token.i in self.generic) for token, cls, trigger in verbal]
        drafts += [self.roles.adjective_event(token, cls, trigger) for token, cls, trigger in adjectival]
        verb_drafts = {draft.token.i: draft for draft in drafts}
        for i, (cls, trigger) in self.nominals.items():
            token = self.tokens[i]
            restated = self._same_event_as_verb(token, cls, verb_drafts)
            if restated is not None:
                self.roles.prepositions(restated, [token])  # "signed a pact in Pyongyang"
                continue
            drafts.append(self.roles.noun_event(token, cls, trigger, self.anchors.get(i, token)))
        drafts.sort(key=lambda d: d.token.i)
        _place_of_the_earlier_step(drafts, self.lex)
        return drafts

    def _in_headline(self, token) -> bool:
        """Whether a token stands in a title-case line ("Court Convicts Friend of Marathon Bombing Suspect"),
        where the tagger makes proper nouns of common words. Decided once per sentence."""
        sentence = self.view.sent(token.i)
        found = self._headline_sentences.get(sentence.start)
        if found is None:
            words = [t for t in self.tokens[sentence.start : sentence.end] if t.is_alpha and len(t) > 3]
            found = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)
            self._headline_sentences[sentence.start] = found
        return found

    def _headline_verbs(self, pos) -> dict[int, str]:
        """Return {token index: lemma} of the verbs of title-case lines the tagger misread ("Ada Lind Quits As
        Coach"), not already noun triggers nor inside a name (kg/extract/headlines.py)."""
        found: dict[int, str] = {}
        done: set[int] = set()
        for token, tag in zip(self.tokens, pos, strict=True):
            if tag not in ("PROPN", "NOUN", "VERB") or token.i in self.nominals:
                continue
            sentence = self.view.sent(token.i)
            if sentence.start not in done:
                done.add(sentence.start)
                found.update(headline_verbs(self.tokens, sentence))
        for i in [i for i in found if i in self.nominals]:
            del found[i]
        for i in list(found):
            mention = self.index.mention_at(self.tokens[i])
            if mention is not None and mention.kind == "name":
                del found[i]
        return found

    def _headline_verb_trigger(self, token, lemma: str) -> tuple[str, str] | None:
        """Return (class, trigger) of a headline verb the tagger missed, by its sentence-case lemma, else None.

        The parse of such a line is unreliable, so the checks that read it (particles, light verbs carrying a
        nominal) are not made: a light verb there is no event ("Quake Hits Coast": the quake is), a verb the
        lexicon knows is of its class, any other verb an event of class Event when the body uses it as a verb too
        (a name or a date the sentence-case tagger calls a verb is none).
        """
        if self.lex.has("light_verbs", lemma) or self.lex.has("subject_light_verbs", lemma):
            return None
        cls = self.lex.lookup(lemma, VERB)
        if cls:
            return cls, lemma
        if len(lemma) < 2 or self.lex.has("non_event_verbs", lemma) or lemma not in self._body_verbs(token):
            return None  # a word the lexicon does not know is a verb only when the body uses it as one
        self.generic.add(token.i)
        return GENERIC, lemma

    def _body_verbs(self, token) -> set[str]:
        """Return the lemmas of the verbs outside the sentence of `token` (the body a headline restates)."""
        sentence = self.view.sent(token.i)
        return {
            t.lemma_.lower() for t in self.tokens if t.pos_ == "VERB" and not (sentence.start <= t.i < sentence.end)
        }

    def _noun_trigger(self, token) -> tuple[str, str] | None:
        compound_event = token.dep_ == "compound" and self.lex.has("event_compound_heads", token.head.lemma_.lower())
        if (token.dep_ in ("compound", "nmod") and not compound_event) or (
            token.ent_type_ in _NAMED_ENTITY_LABELS and token.pos_ != "PROPN"
        ):
            return None
        modifier = token
        while modifier.dep_ == "conj" and modifier.head != modifier:  # "search and rescue teams"
            modifier = modifier.head
        if modifier.dep_ in ("compound", "nmod", "amod") and not compound_event:
            return None
        mention = self.index.mention_at(token)
        if mention is not None and mention.kind == "name" and token.pos_ != "PROPN":
            return None
        if token.dep_ == "pobj" and self.lex.has("not_event_idioms", f"{token.head.lower_} {token.lemma_.lower()}"):
            return None  # "in charge of", "came under fire"
        if self._is_measure(token) or self._names_people(token) or self._is_hearsay(token):
            return None
        lemma = token.lemma_.lower()
        if token.pos_ == "PROPN":  # a headline word: "Bombing", "Shootings"
            lemma = token.lower_
            if not self.lex.lookup(lemma, NOUN) and lemma.endswith("s"):
                lemma = lemma[:-1]
        for child in self.children(token):
            if child.dep_ in ("compound", "amod", "nmod") and child.i < token.i:
                cls = self.lex.lookup_phrase(child.lemma_, lemma, NOUN)
                if cls:
                    self.consumed.add(child.i)
                    return cls, f"{child.lemma_.lower()} {lemma}"
        cls = self.lex.lookup(lemma, NOUN)
        return (cls, lemma) if cls else None

    def _names_people(self, token) -> bool:
        """Whether an adjective used as a noun names people by their owner ("mourned their dead"): no event."""
        return token.lower_ == "dead" and any(c.dep_ == "poss" for c in self.children(token))

    def _is_hearsay(self, token) -> bool:
        """Whether a noun is talk about an event ("talk of a takeover"): no meeting, only a rumour."""
        return (
            token.tag_ == "NN"
            and self.cues.has("hearsay_nouns", token.lemma_)
            and any(c.dep_ == "prep" and c.lower_ in ("of", "about") for c in self.children(token))
        )

    def _phrasal(self, verb, lemma: str) -> str:
        """Return the verb's lemma with its particle, and a preposition that completes it ("come up with")."""
        kids = self.children(verb)
        particle = next(
            (
                c
                for c in kids
                if c.dep_ == "prt" or (c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in _PARTICLE_ADVERBS)
            ),
            None,
        )
        if particle is None:
            return lemma
        words = [lemma, particle.lower_]
        if any(c.dep_ == "prep" and c.i == particle.i + 1 and c.lower_ in _PHRASAL_PREPS for c in kids):
            words.append(self.tokens[particle.i + 1].lower_)
        return " ".join(words)

    @staticmethod
    def _is_measure(token) -> bool:
        """Whether a noun is the "of" object of a share or a number ("73% of the vote"): a measure, no event."""
        prep = token.head
        if token.dep_ != "pobj" or prep.lower_ != "of":
            return False
        head = prep.head
        return head.ent_type_ in ("PERCENT", "CARDINAL") or head.lemma_.lower() in _MEASURE_HEADS or head.pos_ == "NUM"

    def _second_words(self, verb):
        """Yield (token, word) pairs that may complete a two-word verb trigger: particles, objects, prepositions."""
        for child in self.children(verb):
            if child.dep_ in _SECOND_WORD_DEPS:
                yield child, child.lemma_.lower()
                if child.dep_ == "prep":
                    for pobj in self.children(child):
                        if pobj.dep_ == "pobj":
                            yield pobj, pobj.lemma_.lower()

    def _verb_trigger(self, verb) -> tuple[str, str] | None:
        if verb.dep_ in ("amod", "aux", "auxpass", "compound") or self.roles.is_misparsed_participle(verb):
            return None
        lemma = self._lemma(verb)
        for child, word in self._second_words(verb):
            phrase = f"{lemma} {word}"
            if self.lex.has("light_verbs", phrase) and self._carry_nominal(verb):
                return None
            cls = self.lex.lookup_phrase(lemma, word, VERB)
            if cls:
                if child.dep_ in ("dobj", "pobj"):
                    self.consumed.add(child.i)
                return cls, phrase
        if self.lex.has("resultative_verbs", lemma) and self._says_result(verb):
            return None  # "left 20 people dead": the adjective or participle is the event
        if self.lex.has("subject_light_verbs", lemma) and self._anchor_subject_nominal(verb):
            return None
        if self.lex.has("light_verbs", lemma) and self._carry_nominal(verb):
            return None
        cls = self.lex.lookup(lemma, VERB)
        if cls and self.lex.has("bare_object_verbs", lemma):
            deps = {c.dep_ for c in self.children(verb)}
            if "dobj" not in deps or deps & {"ccomp", "xcomp", "oprd", "acomp"}:
                cls = None  # "making him president" is no Production; it may still be an event of no known class
        if cls:
            return cls, lemma
        if self._is_plain_verb(verb, lemma):
            self.generic.add(verb.i)
            return GENERIC, self._phrasal(verb, lemma)  # "crop up", "come up with": the particle keeps the sense
        return None

    def _says_result(self, verb) -> bool:
        """Whether an adjective or participle after the verb's object says the result ("left 20 people injured")."""
        for child in self.children(verb):
            if child.dep_ in ("ccomp", "oprd", "xcomp") and child.tag_ in ("JJ", "VBN"):
                return True
            if child.dep_ == "dobj" and any(
                g.dep_ in ("acl", "amod") and g.tag_ in ("JJ", "VBN") and g.i > child.i for g in self.children(child)
            ):
                return True
        return False

    def _lemma(self, verb) -> str:
        """Return the verb's lemma, repaired when the model got an inflected form wrong ("fined" -> "fin").

        A past or -ing form whose model lemma the lexicon does not know takes the first form the lexicon knows
        among the regular stems ("fine", "fin"; "closing" -> "close").
        """
        lemma = verb.lemma_.lower()
        if self.lex.lookup(lemma, VERB):
            return lemma
        text = verb.lower_
        stems = []
        if text.endswith("ed") and verb.tag_ in ("VBD", "VBN"):
            stems = [text[:-1], text[:-2], text[:-3] if text[-3:-2] == text[-4:-3] else text[:-2]]
        elif text.endswith("ing") and verb.tag_ == "VBG":
            stems = [text[:-3] + "e", text[:-3]]
        return next((stem for stem in stems if self.lex.lookup(stem, VERB)), lemma)

    def _is_plain_verb(self, verb, lemma: str) -> bool:
        """Whether a verb the lexicon does not know still tells of an event: a content verb that heads a clause.

        Not: prepositions and adjectives in verb form ("according to", "based in", "the planned merger"), verbs
        inside a name, and the verbs the lexicon lists as no events of their own.
        """
        if verb.dep_ in _NOT_CLAUSE_DEPS or not verb.is_alpha or len(lemma) < 2:
            return False
        if self.lex.has("non_event_verbs", lemma):
            return False
        mention = self.index.mention_at(verb)
        return mention is None or mention.kind != "name"

    def _carry_nominal(self, verb) -> bool:
        """A light verb whose object (or prepositional object) is a nominal trigger anchors it; return True."""
        for child in self.roles.dependents(verb):
            targets = [child] if child.dep_ in ("dobj", "nsubjpass") else []
            if child.dep_ == "prep" and child.lower_ not in _TIME_PREPS:  # "held until trial" holds no trial
                targets = [g for g in self.children(child) if g.dep_ == "pobj"]
            for target in map(self.roles.measured, targets):  # "launched a series of attacks"
                if target.i in self.nominals and target.i not in self.anchors:
                    self.anchors[target.i] = verb
                    return True
        return False

    def _anchor_subject_nominal(self, verb) -> bool:
        """A verb like "struck" or "rose" whose subject is (or contains) a nominal trigger anchors it."""
        subjects = [c for c in self.children(verb) if c.dep_ in ("nsubj", "nsubjpass")]
        for subject in subjects:
            if subject.i in self.nominals:
                self.anchors[subject.i] = verb  # a written subject beats a guess made from a modifier clause
                return True
        if verb.dep_ in ("acl", "relcl") and not subjects:
            # "the toll from the worst storm to reach the coast": the nearest trigger before the verb.
            subjects = [verb.head]
        for subject in subjects:
            inside = [t.i for t in subject.subtree if t.i in self.nominals and t.i < verb.i]
            if inside:
                self.anchors.setdefault(max(inside), verb)
                return True
        return False

    def _same_event_as_verb(self, noun, cls: str, verb_drafts: dict):
        """Return the verb event a noun restates ("signed a pact", "swapped prisoners in a swap"), else None."""
        if noun.i in self.anchors:
            return None
        head = noun.head
        if noun.dep_ == "dobj" and head.i in verb_drafts and verb_drafts[head.i].type == cls:
            return verb_drafts[head.i]
        if noun.dep_ == "pobj" and head.dep_ == "prep":
            verb = verb_drafts.get(head.head.i)
            if verb is not None and verb.type == cls:
                return verb
        return None


def find_events(doc, index, lexicon: TriggerLexicon, cues: ModalityCues | None = None) -> list[EventDraft]:
    """Find the events of a parsed Doc.

    Takes the Doc, its EntityIndex (kg/extract/index.py), the TriggerLexicon and optional modality cues (for
    the list of control nouns); returns EventDraft objects in text order with type, trigger, anchor, roles and
    confidence set. Modality, times, quantities and attribution are added by their own modules.
    """
    return _Finder(doc, index, lexicon, cues or load_cues()).find()


def _place_of_the_earlier_step(drafts: list[EventDraft], lexicon: TriggerLexicon) -> None:
    """Give a step of a proceeding the place of the step its sentence says it followed.

    "They were sentenced on Monday following a retrial in Lagos": a sentence and the trial it ends belong
    to one proceeding (the lexicon's `proceeding_classes`, by the class they refine), so the sentencing took
    place where the trial did. Takes the drafts of a Doc in text order; adds `place` roles to them.
    """
    for earlier in drafts:
        word = earlier.token.head
        if not earlier.nominal or earlier.token.dep_ != "pobj" or word.lower_ not in _SEQUENCE_WORDS:
            continue
        places = earlier.role_keys(PLACE)
        family = _proceeding(earlier.type, lexicon)
        if not places or family is None:
            continue
        sentence_of = doc_view(earlier.token.doc).sentence_of
        for draft in drafts:
            if draft is earlier or draft.token.i > word.i or draft.role_keys(PLACE):
                continue
            if (
                sentence_of[draft.token.i] == sentence_of[earlier.token.i]
                and _proceeding(draft.type, lexicon) == family
            ):
                for key in places:
                    draft.add_role(PLACE, key)


def _proceeding(cls: str, lexicon: TriggerLexicon) -> str | None:
    """Return the class of `proceeding_classes` that a class is or refines ("Sentence" -> "LegalAction"), or None."""
    families = lexicon.syntax.get("proceeding_classes", frozenset())
    return next((c for c in lexicon.lineage(cls) if c in families), None)
