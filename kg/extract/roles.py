"""Roles: read each event's agent, patient, recipient and place off the dependency parse.

An ambiguous verb takes its class from the lexicon's senses table by its object: a person or group ("released
the hostages": Release) or a thing ("released a video": Launch).

* agent: the subject (kg/extract/subjects.py: written, or inherited through control and coordination), the
  passive "by" phrase, conjuncts and appositions of either; a thing that is the subject of a killing or an
  attack, or the bomb that is detonated, is the instrument instead.
* patient: `dobj`, `nsubjpass`, the noun a past participle modifies ("soldiers captured by Ukrainian forces"),
  the subject of a verb like "die", and the subject of a change-of-state verb with no object but an amount
  ("shares fell 3%", "the index lost 41 points", but "the airline cut fares" and "the firm lost $6 billion"),
  and the thing that flies, lands or comes ("the jet flew to Oslo", "the tablet comes with a stylus": a thing
  and no actor is what moves, not who moves it); for nouns the "of" phrase ("takeover of Activision").
* recipient: dative objects and "to" phrases for classes that hand something over (Transfer, Sale, ...), the
  object of "supply", "provide", "equip" with a "with" phrase, which names the patient ("supplied the navy with
  boats");
  the object of a Statement verb of telling ("told reporters"; the object of "announced a tablet" is its patient).
* place: a Place entity in an "in"/"at"/"near" phrase, found through chains of such phrases ("at his official
  residence in Seoul" -> Seoul), or a Place the "to" phrase names for movements.
* nominal agents: the possessive ("its takeover"), the "by" phrase ("questioning ... by Ukrainian
  authorities"), else the light verb's subject (its patient for "suffer", "sustain": "40 people suffered
  injuries"). The possessive is the patient instead for the classes in possessor_patient_classes ("their
  capture") and when it names no actor ("the plane's first flight"); so is a thing that moves, as possessive,
  modifier or light-verb subject of a movement ("the Z900 flight", "the jet made its first flight"); a place
  possessor is the place of protests, disasters and elections ("Venezuela's protests").

Confidence reflects the cues used: a verb with agent and patient 0.9, a verb with one role 0.8, a verb alone
0.7, a passive or controlled reading a little less, a nominal 0.6 to 0.8, a verb of no known class 0.4.
"""

from __future__ import annotations

from kg.extract.arguments import VALUE_LABELS
from kg.extract.drafts import AGENT, INSTRUMENT, PATIENT, PLACE, RECIPIENT, EventDraft
from kg.extract.modality import ModalityCues
from kg.extract.places import PlaceReader
from kg.extract.senses import ACTOR_TYPES
from kg.extract.triggers import TriggerLexicon
from kg.records import PLACE_TYPES

# Prepositions whose object a nominal event is done to, by class: "attacks on forces", "injuries to people".
_NOMINAL_PATIENT_PREPS = {
    "on": "patient_on_classes",
    "against": "patient_on_classes",
    "to": "patient_to_classes",
    "in": "patient_in_classes",
}
# The confidence of an event whose trigger the lexicon does not know (class GENERIC).
GENERIC_CONFIDENCE = 0.4


class RoleReader(PlaceReader):
    """Fills the roles of the events of one Doc; holds the lexicon, cues and entity index while it works."""

    def __init__(self, view, index, lexicon: TriggerLexicon, cues: ModalityCues, consumed: set[int], nominals: dict):
        super().__init__(view, index, lexicon, consumed, nominals)
        self.cues = cues

    def _stray_by_phrase(self, noun):
        """A "by" phrase right after the noun but attached to an active verb belongs to the noun; return it."""
        following = noun.right_edge.i + 1
        if following >= len(self.tokens):
            return None
        by = self.tokens[following]
        verb = by.head
        if by.lower_ != "by" or by.dep_ not in ("agent", "prep") or verb.pos_ != "VERB":
            return None
        active = any(c.dep_ == "nsubj" for c in self.children(verb)) and not self.is_passive(verb)
        return by if active else None

    def measured(self, token):
        """Return the noun a measure word counts ("a series of attacks", "a wave of arrests" -> the attacks, the
        arrests), else the token itself."""
        if not self.lex.has("measure_nouns", token.lemma_.lower()):
            return token
        for prep in self.children(token):
            if prep.dep_ == "prep" and prep.lower_ == "of":
                return next((g for g in self.children(prep) if g.dep_ == "pobj"), token)
        return token

    # -- building events --------------------------------------------------------------------------
    def verb_event(self, verb, cls: str, trigger: str, generic: bool) -> EventDraft:
        """Take a verb trigger, its class and trigger text, and whether the lexicon does not know it (`generic`);
        return its EventDraft with roles, sense and confidence."""
        draft = EventDraft(token=verb, type=cls, trigger=trigger, anchor=verb)
        draft.extra_holders = [c for c in self.children(verb) if c.i == verb.i + 1 and self.is_misparsed_participle(c)]
        dependents = self.dependents(verb)
        subjects, passive_subjects = self._direct_subjects(verb)
        by_agents = []
        passive = self.is_passive(verb) or (verb.tag_ == "VBN" and not subjects)
        for child in dependents:
            if passive and (child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by")):
                by_agents.extend(g for g in self.children(child) if g.dep_ == "pobj")
        controlled = False
        if not subjects and not passive_subjects and not by_agents or (by_agents and not passive_subjects):
            inherited_agents, inherited_patients = self._controller(verb, 0)
            controlled = bool(inherited_agents or inherited_patients)
            subjects = subjects or inherited_agents
            passive_subjects = passive_subjects or inherited_patients
        if cls == "Statement" and not subjects and not passive_subjects and not by_agents:
            subjects = self._speaker_before(verb)
        lemma = verb.lemma_.lower()
        moved: list = []  # "the jet flew": the thing that moved by itself, never its own instrument
        if self.lex.subject_undergoes(lemma, trigger) or (
            (self.lex.has("change_of_state_verbs", lemma) or self.lex.has("change_of_state_verbs", trigger))
            and not self._has_real_object(dependents)
            and not self._earns_money(subjects, dependents)
            and self.infinitive_sense(verb) is None  # "the firm declined to comment": the firm acts
        ):
            passive_subjects, subjects = passive_subjects + subjects, []
        elif self.lex.has("motion_theme_verbs", lemma) and subjects and all(self._is_moved_thing(t) for t in subjects):
            moved, passive_subjects, subjects = subjects, passive_subjects + subjects, []  # "the jet flew to Oslo"
        objects = [c for c in dependents if c.dep_ == "dobj" and c.i not in self.consumed]
        draft.type = self._sense(verb, draft.type, passive_subjects + objects)
        used = []
        means_class = self.lex.has("instrument_classes", draft.type) or self.lex.is_a(draft.type, "Movement")
        if means_class and self.lex.has("instrument_object_verbs", lemma):  # "detonated 20 bombs", "drove a van"
            operated = [t for t in objects + passive_subjects if t not in moved]
            used = [t for t in operated if self.lex.has("instrument_nouns", t.lemma_.lower())]
            objects = [t for t in objects if t not in used]
            passive_subjects = [t for t in passive_subjects if t not in used]
        if self.lex.has("instrument_classes", draft.type):
            # "the bomb killed three": a thing that is the subject is what it was done with
            instruments = [t for t in subjects + by_agents if self._is_instrument(t)]
            subjects = [t for t in subjects if t not in instruments]
            by_agents = [t for t in by_agents if t not in instruments]
            used = instruments + used
        self.add(draft, INSTRUMENT, used)
        if self.lex.has("place_object_verbs", lemma):  # "left the restaurant", "visited Kyiv": where, not what
            for token in objects:
                if self._names_place(token):
                    self.add_entity(draft, PLACE, token)
            objects = [t for t in objects if not self._names_place(t) and self._could_act(t)]
        has_agent = self.add(draft, AGENT, subjects + by_agents)
        counts = self.lex.has("counting_classes", draft.type)
        including = [g for c in dependents if c.dep_ == "prep" and c.lower_ == "including" for g in self.children(c)]
        supplied = self._with_theme(lemma, dependents, objects + passive_subjects)
        if supplied:  # "supplied the navy with boats": the object gets what the "with" phrase names
            has_patient = self.add(draft, RECIPIENT, objects + passive_subjects) | self.add(draft, PATIENT, supplied)
        elif cls == "Statement":  # "told reporters": the addressee; "announced a tablet": what it is about
            told = objects if self.lex.has("addressee_object_verbs", lemma) else []
            said = [] if told or self.lex.has("clause_statement_verbs", lemma) else objects
            has_patient = self.add(draft, RECIPIENT, told) | self.add(draft, PATIENT, passive_subjects + said)
        elif self.lex.has("addressee_classes", draft.type) and (
            addressed := self._addressees(verb, objects + passive_subjects)
        ):  # "urged residents to leave": the residents are asked, not acted on; "demanded a recount" stays patient
            rest = [t for t in objects + passive_subjects if t not in addressed]
            has_patient = self.add(draft, RECIPIENT, addressed) | self.add(draft, PATIENT, rest)
        else:
            # "were arrested, including X and Y": the listed people undergo it too
            patients = passive_subjects + objects + (including if passive_subjects or objects else [])
            has_patient = self.add(draft, PATIENT, patients, counts=counts)
        self.prepositions(draft, [verb])
        if not draft.has_role(PLACE):  # "detained by personnel in the Emirates": the parse hangs it on the noun
            self.prepositions(draft, objects + by_agents, places_only=True)
        has_patient |= draft.has_role(RECIPIENT)
        score = 0.7 + 0.1 * has_agent + 0.1 * has_patient
        if self.is_passive(verb) or controlled:
            score = min(score, 0.8)
        if generic:
            score = GENERIC_CONFIDENCE
        draft.confidence = round(score, 2)
        return draft

    def _addressees(self, verb, objects) -> list:
        """Return the objects of a request or threat that name who is asked or pressed: all of them when an
        infinitive follows ("begged voters to stay home"), else those that could act ("threatened the editors")."""
        if any(c.dep_ == "xcomp" for c in self.children(verb)):
            return list(objects)
        return [t for t in objects if self._could_act(t)]

    def _with_theme(self, lemma: str, dependents, receivers) -> list:
        """For a verb of with_theme_verbs ("supply", "provide", "equip") with an object and a "with" phrase, on the
        verb or hung on the object by the parse, return the "with" phrase's nouns (what is handed over); else []."""
        if not receivers or not self.lex.has("with_theme_verbs", lemma):
            return []
        holders = [*dependents, *(c for r in receivers for c in self.children(r) if c.i > r.i)]
        return [
            g for c in holders if c.dep_ == "prep" and c.lower_ == "with" for g in self.children(c) if g.dep_ == "pobj"
        ]

    def _earns_money(self, subjects, dependents) -> bool:
        """Whether actors gain or lose a sum of money ("the firm lost $6 billion", "it gained $1 billion"): they do
        it, where a thing that changes by an amount undergoes it ("shares lost 5%", "the index gained 41 points")."""
        money = any(c.dep_ == "dobj" and c.ent_type_ == "MONEY" for c in dependents)
        actors = [t for t in subjects if (key := self.entity(t)) is not None and self.entity_type(key) in ACTOR_TYPES]
        return money and bool(subjects) and len(actors) == len(subjects)

    def _has_real_object(self, dependents) -> bool:
        """Whether a verb has a direct object that is more than an amount ("raised prices", not "rose 5%" nor
        "gained 41 points")."""
        return any(
            c.dep_ == "dobj"
            and c.i not in self.consumed  # "hit a record high": the object is part of the trigger
            and c.ent_type_ not in VALUE_LABELS
            and c.pos_ not in ("NUM", "SYM")
            and not self.is_amount(c)
            for c in dependents
        )

    def noun_event(self, noun, cls: str, trigger: str, anchor) -> EventDraft:
        """Take a nominal trigger, its class and trigger text and its anchor (the light verb that carries it, or
        the noun itself); return its EventDraft with roles and confidence."""
        cls = self._sense(noun, cls, [])
        draft = EventDraft(token=noun, type=cls, trigger=trigger, anchor=anchor, nominal=True)
        possessor = PATIENT if self.lex.has("possessor_patient_classes", cls) else AGENT
        counts = self.lex.has("counting_classes", cls)
        carried_preps = []
        if anchor != noun and noun.dep_ == "dobj" and noun.head == anchor:  # "caused injuries to six passengers"
            carried_preps = [
                c for c in self.children(anchor) if c.dep_ == "prep" and c.lower_ in _NOMINAL_PATIENT_PREPS
            ]
        for child in [*self.children(noun), *carried_preps]:
            if child.dep_ == "poss" and self._is_place_of(child, cls):  # "Venezuela's protests"
                self.add_entity(draft, PLACE, child)
            elif child.dep_ == "poss":  # "Nokia's takeover": who does it; "their capture": who undergoes it
                # A possessor that names no actor undergoes the event: "the plane's first flight".
                agentive = possessor == AGENT and self._could_act(child) and not self._moves_as_thing(child, cls)
                self.add(draft, AGENT if agentive else PATIENT, [child])
            elif child.dep_ == "prep" and child.lower_ == "by":
                self.add(draft, AGENT, [g for g in self.children(child) if g.dep_ == "pobj"])
            elif child.dep_ == "prep" and child.lower_ == "of":
                self.add(draft, PATIENT, [g for g in self.children(child) if g.dep_ == "pobj"], counts=counts)
            elif child.dep_ == "prep" and self.lex.has(_NOMINAL_PATIENT_PREPS.get(child.lower_, ""), cls):
                blamed = noun.dep_ == "dobj" and self.lex.has("own_on_phrase_verbs", noun.head.lemma_)
                if child.lower_ == "on" and blamed:
                    continue  # "blamed the attack on rebels": the rebels are blamed, not attacked
                objects = [g for g in self.children(child) if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
                if child.lower_ == "in":  # "a rise in revenue"; not "a rise in Europe" nor "a loss in young fans"
                    objects = [g for g in objects if not self._names_place(g) and not self._could_act(g)]
                self.add(draft, PATIENT, objects)
            elif child.dep_ == "compound" and child.i not in self.consumed:
                key = self.entity(child)
                if key is not None:
                    place = self._is_place_of(child, cls) or self._key_is_place(key)
                    moved = self._moves_as_thing(child, cls)  # "the Z900 flight": the plane is flown
                    self.add_entity(draft, PLACE if place else PATIENT if moved else AGENT, child)
                elif self._is_acronym(child) and cls != "Disaster":  # "IS attacks", "ETA bombings"
                    draft.add_role(AGENT, None, self.phrase(child))
                elif child.pos_ == "NOUN" and self.lex.has("compound_patient_classes", cls):  # "car sales"
                    self.add(draft, PATIENT, [child])
        self._winner_of(draft, noun)
        if not draft.has_role(AGENT):
            self.add(draft, AGENT, self._responsible_for(noun))
        if noun.dep_ == "conj" and noun.head.i in self.nominals and not draft.has_role(PATIENT):
            # "the killing and maiming of civilians": the "of" phrase of the first noun is the second's too
            for child in self.children(noun.head):
                if child.dep_ == "prep" and child.lower_ == "of":
                    self.add(draft, PATIENT, [g for g in self.children(child) if g.dep_ == "pobj"], counts=counts)
        stray_by = self._stray_by_phrase(noun)
        if stray_by is not None:  # "after mediation by Oman", with "by" hung on an active verb
            self.add(draft, AGENT, [g for g in self.children(stray_by) if g.dep_ == "pobj"])
        holders = [noun]
        if anchor == noun and noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
            holders.append(noun.head)  # "the final is in Lisbon on Sunday"
        if anchor != noun:
            holders.append(anchor)
            carrier = noun.head.head if noun.dep_ == "pobj" and self.measured(noun.head.head) == noun else noun
            carried = (carrier.dep_ == "dobj" and carrier.head == anchor) or (
                carrier.dep_ == "pobj" and carrier.head.dep_ == "prep" and carrier.head.head == anchor
            )  # "launched attacks", "took part in talks", "carried out a series of raids"
            if noun.dep_ == "nsubjpass" and noun.head == anchor:  # "the attack was carried out by ETA"
                by = [g for c in self.children(anchor) if c.dep_ == "agent" for g in self.children(c)]
                if not draft.has_role(AGENT):
                    self.add(draft, AGENT, by)
            elif carried and self.lex.has("patient_light_verbs", anchor.lemma_.lower()):
                self.add(draft, PATIENT, self.subject_of(anchor), counts=counts)  # "40 people suffered injuries"
            elif carried and not draft.has_role(AGENT):
                subjects = self.subject_of(anchor)
                if subjects and all(self._moves_as_thing(t, cls) for t in subjects):  # "the jet made its first flight"
                    self.add(draft, PATIENT, subjects)
                    subjects = []
                if self.lex.has("instrument_classes", cls):  # "glass from the windows caused the injuries"
                    self.add(draft, INSTRUMENT, [t for t in subjects if self._is_instrument(t)])
                    subjects = [t for t in subjects if not self._is_instrument(t)]
                self.add(draft, AGENT, subjects)
            else:  # subject-light anchor: "the earthquake hit Morocco"
                for child in self.children(anchor):
                    if child.dep_ == "dobj":
                        key = self.entity(child)
                        if key is not None and self.entity_type(key) in PLACE_TYPES:
                            self.add_entity(draft, PLACE, child)
        self.prepositions(draft, holders)
        has_agent = draft.has_role(AGENT)
        has_patient = draft.has_role(PATIENT) or draft.has_role(RECIPIENT)
        draft.confidence = round(0.6 + 0.1 * has_agent + 0.05 * has_patient + 0.05 * (anchor != noun), 2)
        return draft

    def _moves_as_thing(self, token, cls: str) -> bool:
        """Whether a possessor, modifier or light-verb subject of a nominal of class `cls` is the thing that moves
        (motion_theme_classes): "the Z900's flight", "the jet made its first flight"."""
        return self.lex.has("motion_theme_classes", cls) and self._is_moved_thing(token)

    def _winner_of(self, draft: EventDraft, noun) -> None:
        """ "X was declared the winner of the election", "X, the winner of the race": X is the event's agent."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "of" or not self.lex.has("agent_role_nouns", prep.head.lemma_.lower()):
            return
        role_noun = prep.head
        if role_noun.dep_ == "appos":
            self.add(draft, AGENT, [role_noun.head])
        elif role_noun.dep_ in ("attr", "oprd"):
            verb = role_noun.head
            self.add(draft, AGENT, [c for c in self.children(verb) if c.dep_ in ("nsubj", "nsubjpass")])

    def _responsible_for(self, noun) -> list:
        """Return who the text holds responsible for a nominal event: "X claimed responsibility for the attack",
        "X was responsible for the attack", "the cell responsible for the attack" make X its agent; a denial or a
        negation ("denied responsibility", "was not responsible") makes no one."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "for" or not self.lex.has("responsibility_words", prep.head.lemma_):
            return []
        word = prep.head
        if word.dep_ == "amod" and word.head.pos_ in ("NOUN", "PROPN"):  # "the cell responsible for"
            return [word.head]
        verb = word.head
        if word.dep_ == "dobj" and not self.lex.has("claiming_verbs", verb.lemma_.lower()):
            return []
        if word.dep_ not in ("dobj", "acomp") or any(c.dep_ == "neg" for c in self.children(verb)):
            return []
        # "no group has claimed responsibility": nobody
        return [t for t in self.subject_of(verb) if not any(c.lower_ == "no" for c in self.children(t))]

    def adjective_event(self, adjective, cls: str, trigger: str) -> EventDraft:
        """Take a predicative adjective trigger ("were dead", "shot dead", "left 20 people injured"), its class
        and trigger; return its EventDraft, whose patient is the noun the adjective is said of."""
        head = adjective.head
        anchor = (
            head if adjective.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "advcl") and head != adjective else adjective
        )
        draft = EventDraft(token=adjective, type=cls, trigger=trigger, anchor=anchor, confidence=0.7)
        own = [c for c in self.children(adjective) if c.dep_ in ("nsubj", "nsubjpass")]
        if own:
            patients = own
        elif adjective.dep_ == "acomp":
            patients = [c for c in self.children(head) if c.dep_ in ("nsubj", "nsubjpass")]
        elif anchor != adjective:
            patients = [c for c in self.children(head) if c.dep_ == "dobj"] or [
                c for c in self.children(head) if c.dep_ in ("nsubjpass", "nsubj")
            ]
            if not patients and head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PROPN"):
                patients = [head.head]  # "the gunman, shot dead by police, ..."
        else:
            patients = []
        self.add(draft, PATIENT, patients, counts=True)
        if anchor != adjective and self.is_passive(anchor):  # "shot dead by police": the police killed
            by = [g for c in self.children(anchor) if c.dep_ == "agent" for g in self.children(c) if g.dep_ == "pobj"]
            instruments = [t for t in by if self._is_instrument(t)]
            self.add(draft, INSTRUMENT, instruments)
            self.add(draft, AGENT, [t for t in by if t not in instruments])
        self.prepositions(draft, [anchor] if anchor != adjective else [adjective])
        return draft
