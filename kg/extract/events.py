"""Events: find trigger words and read each event's participants off the dependency parse.

A verb in the trigger lexicon makes an event (unless it only carries a nominal trigger: "completed its
takeover", "the earthquake struck"); so does a noun in the lexicon that is not a name, a compound modifier
("arrest warrant") or the object of a verb of the same class ("signed a pact" is one event). Any other verb
that heads a clause makes an event of class Event (kg:Event) with confidence 0.4, unless it is a preposition
or adjective in verb form ("according to", "the planned merger") or listed in the lexicon's non_event_verbs.
A lemma the model got wrong ("fined" -> "fin") is repaired from the regular stems the lexicon knows.

An ambiguous verb takes its class from the lexicon's senses table by its object: a person or group ("released
the hostages": Release) or a thing ("released a video": Launch).

Each event keeps two tokens: its trigger, and its *anchor*, the verb whose dependents describe it (time,
place, negation, auxiliaries). For a verb both are the verb; for a nominal trigger the anchor is the light
verb that carries it ("completed", "engage in", "struck"), else the noun itself.

Roles carry the entity key (through the EntityIndex, so coreference is already applied) and the argument
phrase (`Role.start/end/text`: the head's left modifiers, the head and its "of" phrases, no clauses). An
agent, patient or recipient that is no entity ("the airline", "shares of Orbitel") is kept as a phrase with
no key; pronouns nothing resolves, numbers, dates and amounts are left out.

* agent: `nsubj` (a relative pronoun stands for the noun it modifies: "Activision, which makes ..."), the
  passive "by" phrase, conjuncts and appositions of either; when the verb has no subject of its own, the
  controller: the subject of the governing verb ("agreed to strengthen", "expressed willingness to hand",
  "no interest in seeking"), its object for object-control verbs ("ordered the army to deploy"), the first
  conjunct's subject ("signed ... and pledged"), or the noun a participle modifies ("North Koreans fleeing").
* patient: `dobj`, `nsubjpass`, the noun a past participle modifies ("soldiers captured by Ukrainian forces"),
  the subject of a verb like "die", and the subject of a change-of-state verb with no object but an amount
  ("shares fell 3%", but "the airline cut fares"); for nouns the "of" phrase ("takeover of Activision").
* recipient: dative objects and "to" phrases for classes that hand something over (Transfer, Sale, ...);
  the object of a Statement verb ("told reporters").
* place: a Place entity in an "in"/"at"/"near" phrase, found through chains of such phrases ("at his official
  residence in Seoul" -> Seoul), or a Place the "to" phrase names for movements.
* nominal agents: the possessive ("its takeover"), the "by" phrase ("questioning ... by Ukrainian
  authorities"), else the light verb's subject. The possessive is the patient instead for the classes in
  possessor_patient_classes ("their capture") and when it names no actor ("the plane's first flight").

Confidence reflects the cues used: a verb with agent and patient 0.9, a verb with one role 0.8, a verb alone
0.7, a passive or controlled reading a little less, a nominal 0.6 to 0.8, a verb of no known class 0.4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.common import GENERIC, doc_view
from kg.extract.entities import load_cues as load_entity_cues
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
# Argument phrases: left dependents that do not start one, right dependents that continue one.
_PHRASE_SKIP_DEPS = frozenset({"punct", "cc", "preconj", "advmod", "prep"})
_PHRASE_RIGHT_DEPS = frozenset({"compound", "nummod", "quantmod", "case", "amod", "nmod", "flat", "poss"})
# Entity labels of numbers, dates and amounts: such a phrase is a value of the event, not a participant.
_VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
_SECOND_WORD_DEPS = frozenset({"prt", "advmod", "dobj", "prep", "npadvmod", "oprd"})
# The confidence of an event whose trigger the lexicon does not know (class GENERIC).
GENERIC_CONFIDENCE = 0.4
# Verb forms that head no clause of their own: prepositions ("according to"), adjectives ("planned"), compounds.
_NOT_CLAUSE_DEPS = frozenset({"prep", "amod", "compound", "aux", "auxpass", "case", "mark", "det", "advmod"})


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

    def add_role(self, name: str, entity_key: str | None, phrase: tuple[int, int, str] | None = None) -> bool:
        """Add a role once. Return whether a role was added.

        Takes the role name, the entity key (None for an argument that is no entity) and the argument phrase as
        (start, end, text) character offsets; a role needs an entity key or a phrase. An entity fills a role once
        per event; a phrase without entity once per span.
        """
        if entity_key is None and phrase is None:
            return False
        for role in self.roles:
            if role.name != name:
                continue
            if entity_key is not None and role.entity == entity_key:
                return False
            if entity_key is None and phrase is not None and (role.start, role.end) == phrase[:2]:
                return False
        self.roles.append(Role(name, entity_key, *phrase) if phrase else Role(name, entity_key))
        return True

    def role_keys(self, name: str) -> list[str]:
        """Return the entity keys of every role with this name that an entity fills, in order."""
        return [role.entity for role in self.roles if role.name == name and role.entity is not None]

    def has_role(self, name: str) -> bool:
        """Return whether any role of this name is filled, by an entity or by a phrase."""
        return any(role.name == name for role in self.roles)

    def freeze(self) -> Event:
        """Return the frozen Event record, with the trigger's sentence as evidence."""
        token = self.token
        view = doc_view(token.doc)
        return Event(
            key=self.key,
            type=self.type,
            trigger=self.trigger,
            start=token.idx,
            end=token.idx + len(token.text),
            evidence=view.evidence(view.sent(token.i), self.confidence),
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
        self.view = view = doc_view(doc)
        self.tokens = view.tokens  # `doc[i]` and `for token in doc` make new Token objects every time
        self.text = view.text  # built from the tokens on every `doc.text`: read it once
        self.children = view.children  # Token.children makes new Token objects on every call
        self.index = index
        self.lex = lexicon
        self.cues = cues
        self.nominals: dict[int, tuple[str, str]] = {}  # token index -> (class, trigger)
        self.anchors: dict[int, object] = {}  # nominal token index -> its anchor verb
        self.consumed: set[int] = set()  # tokens that are part of a phrase trigger, not arguments
        self.generic: set[int] = set()  # verbs that make an event of no known class

    # -- triggers ---------------------------------------------------------------------------------
    def find(self) -> list[EventDraft]:
        """Return the event drafts of the Doc, in text order, roles filled in."""
        pos = self.view.column("pos_")
        for token, tag in zip(self.tokens, pos, strict=True):
            if tag == "NOUN":
                found = self._noun_trigger(token)
                if found:
                    self.nominals[token.i] = found
        verbal: list[tuple[object, str, str]] = []
        for token, tag in zip(self.tokens, pos, strict=True):
            if tag == "VERB":
                found = self._verb_trigger(token)
                if found:
                    verbal.append((token, *found))
        drafts = [self._verb_event(token, cls, trigger) for token, cls, trigger in verbal]
        verb_drafts = {draft.token.i: draft for draft in drafts}
        for i, (cls, trigger) in self.nominals.items():
            token = self.tokens[i]
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
        for child in self.children(token):
            if child.dep_ in ("compound", "amod", "nmod") and child.i < token.i:
                cls = self.lex.lookup_phrase(child.lemma_, lemma, NOUN)
                if cls:
                    self.consumed.add(child.i)
                    return cls, f"{child.lemma_.lower()} {lemma}"
        cls = self.lex.lookup(lemma, NOUN)
        return (cls, lemma) if cls else None

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
        if verb.dep_ in ("amod", "aux", "auxpass", "compound") or self._is_misparsed_participle(verb):
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
            return GENERIC, lemma
        return None

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
        for child in self._dependents(verb):
            targets = [child] if child.dep_ == "dobj" else []
            if child.dep_ == "prep":
                targets = [g for g in self.children(child) if g.dep_ == "pobj"]
            for target in targets:
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

    # -- parse repairs ----------------------------------------------------------------------------
    def _is_misparsed_participle(self, token) -> bool:
        """Spot "detained impeached President Yoon": a participle after an object-less verb is an adjective."""
        head = token.head
        return (
            token.tag_ == "VBN"
            and token.dep_ in ("advcl", "xcomp", "ccomp", "conj", "dep")
            and head.i == token.i - 1
            and head.pos_ == "VERB"
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i != token.i for c in self.children(head))
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in self.children(token))
            and any(c.dep_ == "dobj" for c in self.children(token))
        )

    def _dependents(self, verb) -> list:
        """The verb's children, plus those of a misparsed participle adjective that follows it."""
        children = list(self.children(verb))
        for child in list(children):
            if child.i == verb.i + 1 and self._is_misparsed_participle(child):
                children.extend(self.children(child))
        return children

    # -- entities ---------------------------------------------------------------------------------
    @staticmethod
    def _antecedent(token):
        """The noun a relative pronoun stands for ("Activision, which makes ..." -> Activision), else None."""
        if token.tag_ in _RELATIVE_TAGS and token.head.dep_ == "relcl":
            return token.head.head
        return None

    def _entity(self, token) -> str | None:
        antecedent = self._antecedent(token)
        if antecedent is not None:
            token = antecedent
        key = self.index.entity_for_token(token)
        if key is None and (token.pos_ == "NUM" or token.lemma_.lower() in _PARTITIVES):
            for child in self.children(token):
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in self.children(child):
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
            stack.extend(c for c in self.children(current) if c.dep_ in ("conj", "appos"))
        return sorted(out, key=lambda t: t.i)

    def phrase(self, token) -> tuple[int, int, str]:
        """Return (start, end, text) of the argument phrase a token heads: its left modifiers, the token, and
        the modifiers and "of" phrases right after it ("the value of the contract"), without clauses."""
        tokens = self.tokens
        start = token.i
        for child in self.view.lefts(token):
            if child.dep_ not in _PHRASE_SKIP_DEPS:
                start = min(start, child.left_edge.i)
                break
        end = token.i + 1
        for child in self.view.rights(token):
            if child.dep_ not in _PHRASE_RIGHT_DEPS and not (child.dep_ == "prep" and child.lower_ == "of"):
                break
            end = child.right_edge.i + 1
        while end - 1 > token.i and (
            tokens[end - 1].is_punct or tokens[end - 1].is_space or tokens[end - 1].tag_ == "POS"
        ):
            end -= 1  # "the court's" names the court
        first, last = tokens[start], tokens[end - 1]
        start_char, end_char = first.idx, last.idx + len(last.text)
        return start_char, end_char, self.text[start_char:end_char]

    def _is_text_argument(self, token) -> bool:
        """Whether a token that names no entity still makes an argument phrase: a common or proper noun that is
        no number, date or amount, no nominal event and no apposition (which restates its head); or a number or
        partitive that counts an "of" phrase ("20 of its planes", "a number of passengers")."""
        if token.dep_ == "appos" or token.i in self.nominals:
            return False
        if token.pos_ == "NUM" or token.lemma_.lower() in _PARTITIVES:
            return any(child.dep_ == "prep" and child.lower_ == "of" for child in self.children(token))
        return token.pos_ in ("NOUN", "PROPN") and token.ent_type_ not in _VALUE_LABELS

    def _add(self, draft: EventDraft, name: str, tokens, *, text: bool = True) -> bool:
        """Add the entities (and, when `text`, the other noun phrases) of tokens, their conjuncts and appositions
        as roles; return whether any was added."""
        added = False
        for token in tokens:
            for item in self._expand(token):
                key = self._entity(item)
                if key is None:
                    # A relative pronoun's phrase is its antecedent's when no entity stands behind it.
                    item = self._antecedent(item) or item
                    if not (text and self._is_text_argument(item)):
                        continue
                added |= draft.add_role(name, key, self.phrase(item))
        return added

    def _add_entity(self, draft: EventDraft, name: str, token) -> bool:
        """Add the entity a token names as a role, with the token's phrase; return whether one was added."""
        key = self._entity(token)
        return draft.add_role(name, key, self.phrase(token)) if key is not None else False

    # -- subjects and control ---------------------------------------------------------------------
    def _is_passive(self, verb) -> bool:
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in self.children(verb)):
            return True
        return verb.tag_ == "VBN" and verb.dep_ == "acl"

    def _direct_subjects(self, verb) -> tuple[list, list]:
        """Return (subjects, passive subjects) written on the verb itself."""
        # A relative pronoun stays as written; _entity reads its antecedent ("Activision, which makes ...").
        active = [c for c in self.children(verb) if c.dep_ in ("nsubj", "csubj")]
        passive = [c for c in self.children(verb) if c.dep_ == "nsubjpass"]
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
        has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in self.children(verb))
        passive = self._is_passive(verb)
        if dep == "conj" and head.pos_ in ("VERB", "AUX"):
            subjects = self.subject_of(head, depth + 1)
            return ([], subjects) if passive else (subjects, [])
        if dep == "xcomp":
            if self.lex.has("object_control_verbs", head.lemma_.lower()):
                objects = [c for c in self.children(head) if c.dep_ == "dobj"]
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
    def _place_in(self, token, depth: int = 0):
        """Return the first token naming a Place entity at `token` or down a short chain of in/at phrases.

        "at his official residence in Seoul" -> Seoul; "in the outskirts of Kyiv" -> Kyiv ("of" only right
        after the first noun, so "in the wake of X's involvement in the war in Y" does not reach Y).
        """
        key = self._entity(token)
        if key is not None and self._entity_type(key) in PLACE_TYPES:
            return token
        if depth >= 2:
            return None
        for child in self.children(token):
            if child.dep_ == "prep" and child.lower_ in _PLACE_CHAIN_PREPS and (depth == 0 or child.lower_ != "of"):
                for pobj in self.children(child):
                    if pobj.dep_ == "pobj":
                        found = self._place_in(pobj, depth + 1)
                        if found is not None:
                            return found
        return None

    def _prepositions(self, draft: EventDraft, holders) -> None:
        """Read place, recipient and party roles from the prepositional and dative dependents of `holders`."""
        recipient_class = self.lex.has("recipient_classes", draft.type)
        with_party = self.lex.has("with_party_classes", draft.type)
        children = []
        for holder in holders:
            for child in self._dependents(holder) if holder.pos_ == "VERB" else self.children(holder):
                children.append(child)
                if child.dep_ in ("prt", "advmod"):  # "hand ... back to North Korea"
                    children.extend(c for c in self.children(child) if c.dep_ == "prep")
        for child in children:
            lower = child.lower_
            objects = [g for g in self.children(child) if g.dep_ == "pobj"]
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
                        self._add_entity(draft, PLACE, pobj)
            elif lower == "with" and with_party:
                self._add(draft, AGENT, objects, text=False)
            if lower in _PLACE_PREPS and child.dep_ == "prep":
                for pobj in objects:
                    if pobj.ent_type_ in ("DATE", "TIME"):
                        continue
                    place = self._place_in(pobj)
                    if place is not None:
                        self._add_entity(draft, PLACE, place)

    def _stray_by_phrase(self, noun):
        """A "by" phrase right after the noun but attached to an active verb belongs to the noun; return it."""
        following = noun.right_edge.i + 1
        if following >= len(self.tokens):
            return None
        by = self.tokens[following]
        verb = by.head
        if by.lower_ != "by" or by.dep_ not in ("agent", "prep") or verb.pos_ != "VERB":
            return None
        active = any(c.dep_ == "nsubj" for c in self.children(verb)) and not self._is_passive(verb)
        return by if active else None

    # -- building events --------------------------------------------------------------------------
    def _verb_event(self, verb, cls: str, trigger: str) -> EventDraft:
        draft = EventDraft(token=verb, type=cls, trigger=trigger, anchor=verb)
        draft.extra_holders = [c for c in self.children(verb) if c.i == verb.i + 1 and self._is_misparsed_participle(c)]
        dependents = self._dependents(verb)
        subjects, passive_subjects = self._direct_subjects(verb)
        by_agents = []
        passive = self._is_passive(verb) or (verb.tag_ == "VBN" and not subjects)
        for child in dependents:
            if passive and (child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by")):
                by_agents.extend(g for g in self.children(child) if g.dep_ == "pobj")
        controlled = False
        if not subjects and not passive_subjects and not by_agents or (by_agents and not passive_subjects):
            inherited_agents, inherited_patients = self._controller(verb, 0)
            controlled = bool(inherited_agents or inherited_patients)
            subjects = subjects or inherited_agents
            passive_subjects = passive_subjects or inherited_patients
        lemma = verb.lemma_.lower()
        if self.lex.has("patient_subject_verbs", lemma) or (
            self.lex.has("change_of_state_verbs", lemma) and not self._has_real_object(dependents)
        ):
            passive_subjects, subjects = passive_subjects + subjects, []
        has_agent = self._add(draft, AGENT, subjects + by_agents)
        objects = [c for c in dependents if c.dep_ == "dobj" and c.i not in self.consumed]
        if cls == "Statement":  # "told reporters", "briefed lawmakers": the addressee; what is said is `about`
            has_patient = self._add(draft, RECIPIENT, objects) | self._add(draft, PATIENT, passive_subjects)
        else:
            has_patient = self._add(draft, PATIENT, passive_subjects + objects)
        draft.type = self._sense(verb, draft.type, passive_subjects + objects)
        self._prepositions(draft, [verb])
        has_patient |= draft.has_role(RECIPIENT)
        score = 0.7 + 0.1 * has_agent + 0.1 * has_patient
        if self._is_passive(verb) or controlled:
            score = min(score, 0.8)
        if verb.i in self.generic:
            score = GENERIC_CONFIDENCE
        draft.confidence = round(score, 2)
        return draft

    @staticmethod
    def _has_real_object(dependents) -> bool:
        """Whether a verb has a direct object that is more than an amount ("raised prices", not "rose 5%")."""
        return any(
            c.dep_ == "dobj" and c.ent_type_ not in _VALUE_LABELS and c.pos_ not in ("NUM", "SYM") for c in dependents
        )

    def _could_act(self, token) -> bool:
        """Whether a noun may name an actor: an entity, a name, or a word for people or organizations."""
        if self._entity(token) is not None or token.pos_ == "PROPN":
            return True
        cues = load_entity_cues()
        lemma = token.lemma_.lower()
        return lemma in cues.descriptions or lemma in cues.roles or lemma in cues.irregular_roles

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
        possessor = PATIENT if self.lex.has("possessor_patient_classes", cls) else AGENT
        for child in self.children(noun):
            if child.dep_ == "poss":  # "Nokia's takeover": who does it; "their capture": who undergoes it
                # A possessor that names no actor undergoes the event: "the plane's first flight".
                agentive = possessor == AGENT and self._could_act(child)
                self._add(draft, AGENT if agentive else PATIENT, [child])
            elif child.dep_ == "prep" and child.lower_ == "by":
                self._add(draft, AGENT, [g for g in self.children(child) if g.dep_ == "pobj"])
            elif child.dep_ == "prep" and child.lower_ == "of":
                self._add(draft, PATIENT, [g for g in self.children(child) if g.dep_ == "pobj"])
            elif child.dep_ == "compound" and child.i not in self.consumed:
                key = self._entity(child)
                if key is not None:
                    place = self._entity_type(key) in PLACE_TYPES and (cls == "Disaster" or key_is_place(self, key))
                    self._add_entity(draft, PLACE if place else AGENT, child)
        stray_by = self._stray_by_phrase(noun)
        if stray_by is not None:  # "after mediation by Oman", with "by" hung on an active verb
            self._add(draft, AGENT, [g for g in self.children(stray_by) if g.dep_ == "pobj"])
        holders = [noun]
        if anchor != noun:
            holders.append(anchor)
            carried = (noun.dep_ == "dobj" and noun.head == anchor) or (
                noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head == anchor
            )
            if carried:
                if not draft.has_role(AGENT):
                    self._add(draft, AGENT, self.subject_of(anchor))
            else:  # subject-light anchor: "the earthquake hit Morocco"
                for child in self.children(anchor):
                    if child.dep_ == "dobj":
                        key = self._entity(child)
                        if key is not None and self._entity_type(key) in PLACE_TYPES:
                            self._add_entity(draft, PLACE, child)
        self._prepositions(draft, holders)
        has_agent = draft.has_role(AGENT)
        has_patient = draft.has_role(PATIENT) or draft.has_role(RECIPIENT)
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
