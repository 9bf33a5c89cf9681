"""Events: find trigger words and read each event's participants off the dependency parse.

A verb in the trigger lexicon makes an event (unless it only carries a nominal trigger: "completed its
takeover", "the earthquake struck"); so does a noun in the lexicon that is not a name, a compound modifier
("arrest warrant") or the object of a verb of the same class ("signed a pact" is one event).

An ambiguous verb takes its class from the lexicon's senses table by its object: a person or group ("released
the hostages": Release) or a thing ("released a video": Launch).

Each event keeps two tokens: its trigger, and its *anchor*, the verb whose dependents describe it (time,
place, negation, auxiliaries). For a verb both are the verb; for a nominal trigger the anchor is the light
verb that carries it ("completed", "engage in", "struck"), else the noun itself.

Roles (entity keys, through the EntityIndex, so coreference is already applied):

* agent: `nsubj` (relative pronouns replaced by the noun they modify: "Activision, which makes ..."), the
  passive "by" phrase, conjuncts and appositions of either; when the verb has no subject of its own, the
  controller: the subject of the governing verb ("agreed to strengthen", "expressed willingness to hand",
  "no interest in seeking"), its object for object-control verbs ("ordered the army to deploy"), the first
  conjunct's subject ("signed ... and pledged"), or the noun a participle modifies ("North Koreans fleeing").
* patient: `dobj`, `nsubjpass`, the noun a past participle modifies ("soldiers captured by Ukrainian forces"),
  the subject of a verb like "die"; for nouns the "of" phrase ("takeover of Activision").
* recipient: dative objects and "to" phrases for classes that hand something over (Transfer, Sale, ...);
  the object of a Statement verb ("told reporters").
* place: a Place entity in an "in"/"at"/"near" phrase, found through chains of such phrases ("at his official
  residence in Seoul" -> Seoul), or a Place the "to" phrase names for movements.
* nominal agents: the possessive ("its takeover"), the "by" phrase ("questioning ... by Ukrainian
  authorities"), else the light verb's subject.

Confidence reflects the cues used: a verb with agent and patient 0.9, a verb with one role 0.8, a verb alone
0.7, a passive or controlled reading a little less, a nominal 0.6 to 0.8.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.common import sentence_evidence
from kg.extract.modality import ModalityCues, governing_verb, load_cues
from kg.extract.triggers import NOUN, VERB, TriggerLexicon
from kg.records import ASSERTED, COUNTRY, PLACE_TYPES, Event, Role

AGENT = "agent"
PATIENT = "patient"
RECIPIENT = "recipient"
PLACE = "place"
REPORTED_BY = "reportedBy"

_PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "within", "throughout", "on", "into"})
_DESTINATION_PREPS = frozenset({"to", "toward", "towards", "into"})
_PLACE_CHAIN_PREPS = frozenset({"in", "at", "near", "of", "outside", "inside"})
_NAMED_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "LAW"})
# Words whose "of" phrase names what they count: "hundreds of prisoners", "one of the soldiers".
_PARTITIVES = frozenset(
    {"hundred", "thousand", "dozen", "million", "some", "many", "all", "most", "none", "several", "few", "number",
     "group", "lot", "one", "each", "both", "half", "rest", "majority", "dozens", "hundreds", "thousands"}
)  # fmt: skip
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
_SECOND_WORD_DEPS = frozenset({"prt", "advmod", "dobj", "prep", "npadvmod"})


@dataclass
class EventDraft:
    """An event while extraction still fills it in; `freeze()` makes the Event record.

    `token` is the trigger's head token, `anchor` the verb whose dependents describe the event,
    `nominal` whether the trigger is a noun; the other fields mirror kg.records.Event.
    """

    token: object
    type: str
    trigger: str
    anchor: object
    nominal: bool = False
    roles: list[Role] = field(default_factory=list)
    confidence: float = 0.7
    date: str | None = None
    time_text: str | None = None
    quantity: float | int | None = None
    amount: float | int | None = None
    currency: str | None = None
    negated: bool = False
    modality: str = ASSERTED
    about: list[str] = field(default_factory=list)
    extra_holders: list = field(default_factory=list)

    @property
    def holders(self) -> list:
        """The tokens whose dependents describe the event: the anchor (and the trigger, and a repaired participle)."""
        tokens = [self.anchor] if self.anchor == self.token else [self.anchor, self.token]
        return tokens + self.extra_holders

    @property
    def key(self) -> str:
        """The event's key within its article: "ev" and the trigger's character offset."""
        return f"ev{self.token.idx}"

    def add_role(self, name: str, entity_key: str | None) -> bool:
        """Add a role once; ignore a missing key. Return whether a role was added."""
        if entity_key is None:
            return False
        role = Role(name, entity_key)
        if role in self.roles:
            return False
        self.roles.append(role)
        return True

    def role_keys(self, name: str) -> list[str]:
        """Return the entity keys of every role with this name, in order."""
        return [role.entity for role in self.roles if role.name == name]

    def freeze(self) -> Event:
        """Return the frozen Event record, with the trigger's sentence as evidence."""
        token = self.token
        return Event(
            key=self.key,
            type=self.type,
            trigger=self.trigger,
            start=token.idx,
            end=token.idx + len(token.text),
            evidence=sentence_evidence(token.sent, self.confidence),
            roles=tuple(self.roles),
            date=self.date,
            time_text=self.time_text,
            quantity=self.quantity,
            amount=self.amount,
            currency=self.currency,
            negated=self.negated,
            modality=self.modality,
            about=tuple(self.about),
        )


class _Finder:
    """Finds the events of one Doc; holds the lexicon, cues and entity index while it works."""

    def __init__(self, doc, index, lexicon: TriggerLexicon, cues: ModalityCues):
        self.doc = doc
        self.index = index
        self.lex = lexicon
        self.cues = cues
        self.nominals: dict[int, tuple[str, str]] = {}  # token index -> (class, trigger)
        self.anchors: dict[int, object] = {}  # nominal token index -> its anchor verb
        self.consumed: set[int] = set()  # tokens that are part of a phrase trigger, not arguments

    # -- triggers ---------------------------------------------------------------------------------
    def find(self) -> list[EventDraft]:
        """Return the event drafts of the Doc, in text order, roles filled in."""
        for token in self.doc:
            if token.pos_ == "NOUN":
                found = self._noun_trigger(token)
                if found:
                    self.nominals[token.i] = found
        verbal: list[tuple[object, str, str]] = []
        for token in self.doc:
            if token.pos_ == "VERB":
                found = self._verb_trigger(token)
                if found:
                    verbal.append((token, *found))
        drafts = [self._verb_event(token, cls, trigger) for token, cls, trigger in verbal]
        verb_drafts = {draft.token.i: draft for draft in drafts}
        for i, (cls, trigger) in self.nominals.items():
            token = self.doc[i]
            restated = self._same_event_as_verb(token, cls, verb_drafts)
            if restated is not None:
                self._prepositions(restated, [token])  # "signed a pact in Pyongyang"
                continue
            drafts.append(self._noun_event(token, cls, trigger))
        drafts.sort(key=lambda d: d.token.i)
        return drafts

    def _noun_trigger(self, token) -> tuple[str, str] | None:
        if token.dep_ in ("compound", "nmod") or token.ent_type_ in _NAMED_ENTITY_LABELS:
            return None
        modifier = token
        while modifier.dep_ == "conj" and modifier.head != modifier:  # "search and rescue teams"
            modifier = modifier.head
        if modifier.dep_ in ("compound", "nmod", "amod"):
            return None
        mention = self.index.mention_at(token)
        if mention is not None and mention.kind == "name":
            return None
        lemma = token.lemma_.lower()
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod") and child.i < token.i:
                cls = self.lex.lookup_phrase(child.lemma_, lemma, NOUN)
                if cls:
                    self.consumed.add(child.i)
                    return cls, f"{child.lemma_.lower()} {lemma}"
        cls = self.lex.lookup(lemma, NOUN)
        return (cls, lemma) if cls else None

    def _second_words(self, verb):
        """Yield (token, word) pairs that may complete a two-word verb trigger: particles, objects, prepositions."""
        for child in verb.children:
            if child.dep_ in _SECOND_WORD_DEPS:
                yield child, child.lemma_.lower()
                if child.dep_ == "prep":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            yield pobj, pobj.lemma_.lower()

    def _verb_trigger(self, verb) -> tuple[str, str] | None:
        if verb.dep_ in ("amod", "aux", "auxpass", "compound") or self._is_misparsed_participle(verb):
            return None
        lemma = verb.lemma_.lower()
        for child, word in self._second_words(verb):
            phrase = f"{lemma} {word}"
            if self.lex.has("light_verbs", phrase) and self._carry_nominal(verb):
                return None
            cls = self.lex.lookup_phrase(lemma, word, VERB)
            if cls:
                if child.dep_ in ("dobj", "pobj"):
                    self.consumed.add(child.i)
                return cls, phrase
        if self.lex.has("subject_light_verbs", lemma) and self._anchor_subject_nominal(verb):
            return None
        if self.lex.has("light_verbs", lemma) and self._carry_nominal(verb):
            return None
        cls = self.lex.lookup(lemma, VERB)
        if not cls:
            return None
        if self.lex.has("bare_object_verbs", lemma):
            deps = {c.dep_ for c in verb.children}
            if "dobj" not in deps or deps & {"ccomp", "xcomp", "oprd", "acomp"}:
                return None
        return cls, lemma

    def _carry_nominal(self, verb) -> bool:
        """A light verb whose object (or prepositional object) is a nominal trigger anchors it; return True."""
        for child in self._dependents(verb):
            targets = [child] if child.dep_ == "dobj" else []
            if child.dep_ == "prep":
                targets = [g for g in child.children if g.dep_ == "pobj"]
            for target in targets:
                if target.i in self.nominals and target.i not in self.anchors:
                    self.anchors[target.i] = verb
                    return True
        return False

    def _anchor_subject_nominal(self, verb) -> bool:
        """A verb like "struck" or "rose" whose subject is (or contains) a nominal trigger anchors it."""
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subject in subjects:
            if subject.i in self.nominals:
                self.anchors[subject.i] = verb  # a written subject beats a guess made from a modifier clause
                return True
        if verb.dep_ in ("acl", "relcl") and not subjects:
            # "the toll from the strongest earthquake to hit Morocco": the nearest trigger before the verb.
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

    # -- parse repairs ----------------------------------------------------------------------------
    def _is_misparsed_participle(self, token) -> bool:
        """Spot "detained impeached President Yoon": a participle after an object-less verb is an adjective."""
        head = token.head
        return (
            token.tag_ == "VBN"
            and token.dep_ in ("advcl", "xcomp", "ccomp", "conj", "dep")
            and head.i == token.i - 1
            and head.pos_ == "VERB"
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i != token.i for c in head.children)
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in token.children)
            and any(c.dep_ == "dobj" for c in token.children)
        )

    def _dependents(self, verb) -> list:
        """The verb's children, plus those of a misparsed participle adjective that follows it."""
        children = list(verb.children)
        for child in list(children):
            if child.i == verb.i + 1 and self._is_misparsed_participle(child):
                children.extend(child.children)
        return children

    # -- entities ---------------------------------------------------------------------------------
    def _entity(self, token) -> str | None:
        key = self.index.entity_for_token(token)
        if key is None and (token.pos_ == "NUM" or token.lemma_.lower() in _PARTITIVES):
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self.index.entity_for_token(pobj)
        return key

    def _entity_type(self, key: str) -> str:
        try:
            return self.index.entity(key).type
        except KeyError:
            return ""

    def _expand(self, token) -> list:
        """A role token with its conjuncts and appositions ("Spain and Britain", "the leader, Kim Jong Un")."""
        out, stack = [], [token]
        while stack:
            current = stack.pop()
            if current in out or current.i in self.consumed:
                continue
            out.append(current)
            stack.extend(c for c in current.children if c.dep_ in ("conj", "appos"))
        return sorted(out, key=lambda t: t.i)

    def _add(self, draft: EventDraft, name: str, tokens) -> bool:
        added = False
        for token in tokens:
            for item in self._expand(token):
                added |= draft.add_role(name, self._entity(item))
        return added

    # -- subjects and control ---------------------------------------------------------------------
    @staticmethod
    def _relative(token, verb):
        if token.tag_ in _RELATIVE_TAGS and verb.dep_ == "relcl":
            return verb.head
        return token

    @staticmethod
    def _is_passive(verb) -> bool:
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
            return True
        return verb.tag_ == "VBN" and verb.dep_ == "acl"

    def _direct_subjects(self, verb) -> tuple[list, list]:
        """Return (subjects, passive subjects) written on the verb itself."""
        active = [self._relative(c, verb) for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        passive = [self._relative(c, verb) for c in verb.children if c.dep_ == "nsubjpass"]
        return active, passive

    def subject_of(self, verb, depth: int = 0) -> list:
        """Take a verb; return the tokens of its subject, written or inherited through control/coordination."""
        active, passive = self._direct_subjects(verb)
        if active or passive:
            return active or passive
        agents, patients = self._controller(verb, depth)
        return agents or patients

    def _controller(self, verb, depth: int) -> tuple[list, list]:
        """For a verb without a subject, return (agents, patients) it inherits from the structure above it."""
        head, dep = verb.head, verb.dep_
        if head == verb or depth > 4:
            return [], []
        has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        passive = self._is_passive(verb)
        if dep == "conj" and head.pos_ in ("VERB", "AUX"):
            subjects = self.subject_of(head, depth + 1)
            return ([], subjects) if passive else (subjects, [])
        if dep == "xcomp":
            if self.lex.has("object_control_verbs", head.lemma_.lower()):
                objects = [c for c in head.children if c.dep_ == "dobj"]
                if objects:
                    return ([], objects) if passive else (objects, [])
            subjects = self.subject_of(head, depth + 1) if head.pos_ in ("VERB", "AUX") else []
            if not subjects and head.pos_ == "ADJ":  # "is ready to hand over"
                verb_of_adj = head.head if head.dep_ in ("acomp", "attr") else None
                subjects = self.subject_of(verb_of_adj, depth + 1) if verb_of_adj is not None else []
            return ([], subjects) if passive else (subjects, [])
        if dep == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            if has_to and self.cues.has("planned_nouns", head.lemma_):
                governor = governing_verb(head)
                subjects = self.subject_of(governor, depth + 1) if governor is not None else []
                return ([], subjects) if passive else (subjects, [])
            if verb.tag_ == "VBN":
                return [], [head]
            return [head], []
        if dep == "pcomp" and head.dep_ == "prep":
            governor = head.head
            if governor.pos_ in ("NOUN", "PROPN"):
                governor = governing_verb(governor)
            if governor is not None and governor.pos_ in ("VERB", "AUX"):
                subjects = self.subject_of(governor, depth + 1)
                return ([], subjects) if passive else (subjects, [])
            return [], []
        if dep == "advcl" and (has_to or verb.tag_ == "VBG") and head.pos_ in ("VERB", "AUX"):
            subjects = self.subject_of(head, depth + 1)
            return ([], subjects) if passive else (subjects, [])
        return [], []

    # -- places and recipients --------------------------------------------------------------------
    def _place_in(self, token, depth: int = 0) -> str | None:
        """Return the first Place entity at `token` or down a short chain of in/at phrases.

        "at his official residence in Seoul" -> Seoul; "in the outskirts of Kyiv" -> Kyiv ("of" only right
        after the first noun, so "in the wake of X's involvement in the war in Y" does not reach Y).
        """
        key = self._entity(token)
        if key is not None and self._entity_type(key) in PLACE_TYPES:
            return key
        if depth >= 2:
            return None
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in _PLACE_CHAIN_PREPS and (depth == 0 or child.lower_ != "of"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self._place_in(pobj, depth + 1)
                        if found:
                            return found
        return None

    def _prepositions(self, draft: EventDraft, holders) -> None:
        """Read place, recipient and party roles from the prepositional and dative dependents of `holders`."""
        recipient_class = self.lex.has("recipient_classes", draft.type)
        with_party = self.lex.has("with_party_classes", draft.type)
        children = []
        for holder in holders:
            for child in self._dependents(holder) if holder.pos_ == "VERB" else holder.children:
                children.append(child)
                if child.dep_ in ("prt", "advmod"):  # "hand ... back to North Korea"
                    children.extend(c for c in child.children if c.dep_ == "prep")
        for child in children:
            lower = child.lower_
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if child.dep_ == "dative":
                self._add(draft, RECIPIENT, objects or [child])
            elif child.dep_ != "prep" or child.i in self.consumed:
                continue
            elif lower in _DESTINATION_PREPS:
                for pobj in objects:
                    key = self._entity(pobj)
                    if key is None:
                        continue
                    if recipient_class:
                        self._add(draft, RECIPIENT, [pobj])
                    elif self._entity_type(key) in PLACE_TYPES:
                        draft.add_role(PLACE, key)
            elif lower == "with" and with_party:
                self._add(draft, AGENT, objects)
            if lower in _PLACE_PREPS and child.dep_ == "prep":
                for pobj in objects:
                    if pobj.ent_type_ in ("DATE", "TIME"):
                        continue
                    draft.add_role(PLACE, self._place_in(pobj))

    def _stray_by_phrase(self, noun):
        """A "by" phrase right after the noun but attached to an active verb belongs to the noun; return it."""
        following = noun.right_edge.i + 1
        if following >= len(self.doc):
            return None
        by = self.doc[following]
        verb = by.head
        if by.lower_ != "by" or by.dep_ not in ("agent", "prep") or verb.pos_ != "VERB":
            return None
        active = any(c.dep_ == "nsubj" for c in verb.children) and not self._is_passive(verb)
        return by if active else None

    # -- building events --------------------------------------------------------------------------
    def _verb_event(self, verb, cls: str, trigger: str) -> EventDraft:
        draft = EventDraft(token=verb, type=cls, trigger=trigger, anchor=verb)
        draft.extra_holders = [c for c in verb.children if c.i == verb.i + 1 and self._is_misparsed_participle(c)]
        dependents = self._dependents(verb)
        subjects, passive_subjects = self._direct_subjects(verb)
        by_agents = []
        passive = self._is_passive(verb) or (verb.tag_ == "VBN" and not subjects)
        for child in dependents:
            if passive and (child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by")):
                by_agents.extend(g for g in child.children if g.dep_ == "pobj")
        controlled = False
        if not subjects and not passive_subjects and not by_agents or (by_agents and not passive_subjects):
            inherited_agents, inherited_patients = self._controller(verb, 0)
            controlled = bool(inherited_agents or inherited_patients)
            subjects = subjects or inherited_agents
            passive_subjects = passive_subjects or inherited_patients
        if self.lex.has("patient_subject_verbs", verb.lemma_.lower()):
            passive_subjects, subjects = passive_subjects + subjects, []
        has_agent = self._add(draft, AGENT, subjects + by_agents)
        objects = [c for c in dependents if c.dep_ == "dobj" and c.i not in self.consumed]
        if cls == "Statement":  # "told reporters", "briefed lawmakers": the addressee; what is said is `about`
            has_patient = self._add(draft, RECIPIENT, objects) | self._add(draft, PATIENT, passive_subjects)
        else:
            has_patient = self._add(draft, PATIENT, passive_subjects + objects)
        draft.type = self._sense(verb, draft.type, passive_subjects + objects)
        self._prepositions(draft, [verb])
        has_patient |= bool(draft.role_keys(RECIPIENT))
        score = 0.7 + 0.1 * has_agent + 0.1 * has_patient
        if self._is_passive(verb) or controlled:
            score = min(score, 0.8)
        draft.confidence = round(score, 2)
        return draft

    def _sense(self, verb, cls: str, patients: list) -> str:
        """Pick the class of an ambiguous verb by what it is done to ("released the hostages" / "released a video")."""
        senses = self.lex.senses.get(verb.lemma_.lower())
        if not senses or not patients:
            return cls
        key = self._entity(patients[0])
        kind = self._entity_type(key) if key is not None else ""
        if kind in ("Person", "Group"):
            return senses.get("person", cls)
        if key is None and patients[0].pos_ == "NOUN":
            return senses.get("thing", cls)
        return cls

    def _noun_event(self, noun, cls: str, trigger: str) -> EventDraft:
        anchor = self.anchors.get(noun.i, noun)
        draft = EventDraft(token=noun, type=cls, trigger=trigger, anchor=anchor, nominal=True)
        for child in noun.children:
            if child.dep_ == "poss":
                self._add(draft, AGENT, [child])
            elif child.dep_ == "prep" and child.lower_ == "by":
                self._add(draft, AGENT, [g for g in child.children if g.dep_ == "pobj"])
            elif child.dep_ == "prep" and child.lower_ == "of":
                self._add(draft, PATIENT, [g for g in child.children if g.dep_ == "pobj"])
            elif child.dep_ == "compound" and child.i not in self.consumed:
                key = self._entity(child)
                if key is not None:
                    place = self._entity_type(key) in PLACE_TYPES and (cls == "Disaster" or key_is_place(self, key))
                    draft.add_role(PLACE if place else AGENT, key)
        stray_by = self._stray_by_phrase(noun)
        if stray_by is not None:  # "after mediation by Oman", with "by" hung on an active verb
            self._add(draft, AGENT, [g for g in stray_by.children if g.dep_ == "pobj"])
        holders = [noun]
        if anchor != noun:
            holders.append(anchor)
            carried = (noun.dep_ == "dobj" and noun.head == anchor) or (
                noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head == anchor
            )
            if carried:
                if not draft.role_keys(AGENT):
                    self._add(draft, AGENT, self.subject_of(anchor))
            else:  # subject-light anchor: "the earthquake hit Morocco"
                for child in anchor.children:
                    if child.dep_ == "dobj":
                        key = self._entity(child)
                        if key is not None and self._entity_type(key) in PLACE_TYPES:
                            draft.add_role(PLACE, key)
        self._prepositions(draft, holders)
        has_agent = bool(draft.role_keys(AGENT))
        has_patient = bool(draft.role_keys(PATIENT) or draft.role_keys(RECIPIENT))
        draft.confidence = round(0.6 + 0.1 * has_agent + 0.05 * has_patient + 0.05 * (anchor != noun), 2)
        return draft


def key_is_place(finder: _Finder, key: str) -> bool:
    """Whether an entity is a place that cannot also act (cities, regions; not countries)."""
    return finder._entity_type(key) in PLACE_TYPES and finder._entity_type(key) != COUNTRY


def find_events(doc, index, lexicon: TriggerLexicon, cues: ModalityCues | None = None) -> list[EventDraft]:
    """Find the events of a parsed Doc.

    Takes the Doc, its EntityIndex (kg/extract/index.py), the TriggerLexicon and optional modality cues (for
    the list of control nouns); returns EventDraft objects in text order with type, trigger, anchor, roles and
    confidence set. Modality, times, quantities and attribution are added by their own modules.
    """
    return _Finder(doc, index, lexicon, cues or load_cues()).find()
