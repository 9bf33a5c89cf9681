"""Subjects: who a verb's subject is, written on the verb or inherited through control and coordination.

* A verb's own subject (`nsubj`, `csubj`; `nsubjpass` for a passive), leaving out the quotation a reporting verb
  follows (' "Chaos," said the mayor ': the mayor is the subject). A headline drops the passive's auxiliary
  ("Ann Lee appointed as chief", "Acme allowed to bid"): there the subject of such a past form undergoes it.
* A verb without one inherits it: from the verb it is joined to ("signed ... and pledged"), from the governing
  verb's subject ("agreed to buy") or object for object-control verbs ("ordered the army to deploy", "accused
  the police of missing", "quoted Ann Lee as saying"), from the noun a participle modifies ("North Koreans
  fleeing"; a past participle's noun undergoes it: "soldiers captured"), and for a result participle from the
  clause it follows ("a device that exploded, wounding six"). An abstract noun an infinitive modifies does not
  act ("several chances to stop him": the one who had them does).

roles.py builds on this reader.
"""

from __future__ import annotations

from kg.extract.modality import governing_verb
from kg.extract.senses import SenseReader

# What ends a sentence of running text; a line that ends otherwise is a headline.
_FINAL_STOPS = frozenset({".", "!", "?", ":", ";", "…"})


class SubjectReader(SenseReader):
    """A SenseReader that finds the subjects of verbs; `cues` (ModalityCues) is set by the subclass."""

    cues = None

    def is_passive(self, verb) -> bool:
        """Whether a verb is passive: it has a passive auxiliary, subject or "by" agent ("X, shot dead by police"),
        or is a participle modifying a noun (also when the parse tags it as a past tense with no subject)."""
        deps = {c.dep_ for c in self.children(verb)}
        if deps & {"auxpass", "nsubjpass"} or ("agent" in deps and "nsubj" not in deps):
            return True  # a "by" agent on a verb with an active subject is the parse's stray ("... after talks by X")
        # "the soldiers killed": a participle after a noun; the parse may tag it as a past tense without a subject
        participle = verb.dep_ == "acl" and (verb.tag_ == "VBN" or (verb.tag_ == "VBD" and "nsubj" not in deps))
        return participle or self.is_headline_passive(verb)

    def is_headline_passive(self, verb) -> bool:
        """Whether a verb is a headline's passive, written without its auxiliary ("Ann Lee appointed as chief",
        "Acme allowed to bid for contracts", "Acme swamped by orders"): in a line with no final stop, a past form
        at the root with a subject and no object or auxiliary, followed by an "as" or "by" phrase or, for an
        object-control verb, a to-infinitive. Headlines tell of what was done in the present tense ("Acme
        appoints Ann Lee"), so such a past form is the participle."""
        if verb.tag_ not in ("VBN", "VBD") or verb.dep_ != "ROOT":
            return False
        deps = {c.dep_ for c in self.children(verb)}
        if "nsubj" not in deps or deps & {"aux", "auxpass", "dobj", "dative", "ccomp", "prt"}:
            return False
        sentence = self.view.sent(verb.i)
        words = [t for t in self.tokens[sentence.start : sentence.end] if not t.is_space]
        if not words or words[-1].text in _FINAL_STOPS or words[-1].is_quote:
            return False
        for child in self.children(verb):
            if child.i < verb.i:
                continue
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ in ("as", "by")):
                return True
            controlled = child.dep_ == "xcomp" and self.lex.has("object_control_verbs", verb.lemma_.lower())
            if controlled and any(g.dep_ == "aux" and g.lower_ == "to" for g in self.children(child)):
                return True
        return False

    def _direct_subjects(self, verb) -> tuple[list, list]:
        """Return (subjects, passive subjects) written on the verb itself."""
        # A relative pronoun stays as written; _entity reads its antecedent ("Activision, which makes ...").
        active = [c for c in self.children(verb) if c.dep_ in ("nsubj", "csubj")]
        active = [c for c in active if not self._is_quote_before(c, verb) and not self._is_title_before(c, active)]
        before = [c for c in active if c.i < verb.i and c.dep_ == "nsubj"]
        if len(before) > 1 and not any(self._is_title_before(c, active) for c in before):
            # Two subjects of one verb are a misparse of a run-on list ("..., Jo Bell, US Navy, Ed Park said"):
            # the one next to the verb is the subject.
            active = [c for c in active if c not in before[:-1]]
        active = [self._last_of_run_on(c) if c.i < verb.i else c for c in active]
        passive = [c for c in self.children(verb) if c.dep_ == "nsubjpass"]
        if active and self.is_headline_passive(verb):  # "Ann Lee appointed as chief": she was appointed
            return [], passive + active
        return active, passive

    def _last_of_run_on(self, subject):
        """For a subject that heads a run-on list, three names or more joined by commas alone with no "and" or
        "or" anywhere (a list the text lost its breaks in: "Navy, Air Force, Jo Bell said"), return the last name,
        next to the verb; else the subject itself."""
        if subject.pos_ != "PROPN":
            return subject
        names, stack = [], [subject]
        while stack:
            token = stack.pop()
            if any(c.dep_ in ("cc", "preconj") for c in self.children(token)):
                return subject
            names.append(token)
            stack.extend(c for c in self.children(token) if c.dep_ in ("conj", "appos") and c.pos_ == "PROPN")
        return max(names, key=lambda t: t.i) if len(names) >= 3 else subject

    def subject_of(self, verb, depth: int = 0) -> list:
        """Take a verb; return the tokens of its subject, written or inherited through control/coordination."""
        active, passive = self._direct_subjects(verb)
        if active or passive:
            return active or passive
        agents, patients = self._controller(verb, depth)
        return agents or patients

    @staticmethod
    def _is_title_before(token, subjects) -> bool:
        """Whether a common-noun subject is a description that the parse split off the name after it ("the
        carmaker Acme said": "carmaker" and "Acme" both come out as subjects; only Acme speaks)."""
        return token.pos_ == "NOUN" and any(
            other.pos_ == "PROPN" and other.left_edge.i == token.i + 1 for other in subjects
        )

    def _is_quote_before(self, token, verb) -> bool:
        """Whether a subject is the quotation that a reporting verb follows (' "Chaos," said the mayor ': the
        mayor speaks; "Chaos" is what was said)."""
        left, right = token.left_edge.i, token.right_edge.i
        opened = self.tokens[left].is_quote or (left > 0 and self.tokens[left - 1].is_quote)
        if right >= verb.i or not opened:
            return False
        return any(self.tokens[i].is_quote for i in range(max(left + 1, token.i), verb.i))

    def _controller(self, verb, depth: int) -> tuple[list, list]:
        """For a verb without a subject, return (agents, patients) it inherits from the structure above it."""
        head, dep = verb.head, verb.dep_
        if head == verb or depth > 4:
            return [], []
        has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in self.children(verb))
        passive = self.is_passive(verb)
        if dep == "conj" and head.pos_ in ("VERB", "AUX"):
            # "was arrested and charged": a bare participle joined to a passive verb is passive too.
            passive = passive or (verb.tag_ == "VBN" and self.is_passive(head))
            subjects = self.subject_of(head, depth + 1)
            return ([], subjects) if passive else (subjects, [])
        # "saw the suspect leave": a bare infinitive the parse makes a clause of its own
        bare = dep == "ccomp" and verb.tag_ == "VB" and not has_to
        if dep == "xcomp" or bare:
            if self.lex.has("object_control_verbs", head.lemma_.lower()):
                objects = [c for c in self.children(head) if c.dep_ == "dobj"]
                if objects:
                    return ([], objects) if passive else (objects, [])
            if bare:
                return [], []
            if self.lex.has("means_verbs", head.lemma_.lower()) and self.is_passive(head):
                # "drones could be used by gangs to carry drugs": the gangs carry; the drones are the means
                by = [g for c in self.children(head) if c.dep_ == "agent" for g in self.children(c) if g.dep_ == "pobj"]
                return ([], by) if passive else (by, [])
            subjects = self.subject_of(head, depth + 1) if head.pos_ in ("VERB", "AUX") else []
            if not subjects and head.pos_ == "ADJ":  # "is ready to hand over"
                verb_of_adj = head.head if head.dep_ in ("acomp", "attr") else None
                subjects = self.subject_of(verb_of_adj, depth + 1) if verb_of_adj is not None else []
            return ([], subjects) if passive else (subjects, [])
        if dep == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            if has_to and self.cues.has("planned_nouns", head.lemma_):
                owners = [c for c in self.children(head) if c.dep_ == "poss"]
                if owners:  # "the party's decision to boycott the vote": the party decided, and boycotts
                    return ([], owners) if passive else (owners, [])
                governor = governing_verb(head)
                subjects = self.subject_of(governor, depth + 1) if governor is not None else []
                return ([], subjects) if passive else (subjects, [])
            while head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN", "NUM"):
                head = head.head  # "two women and four men injured": the participle is said of all of them
            if verb.tag_ == "VBN" or passive:
                return [], [head]
            if has_to and not self._could_act(head):
                # "missed several opportunities to stop him": an abstract noun does not act; the one who
                # has the chance (the governing verb's subject) does, if it can
                # only the verb the noun is an argument of: "a speech against the deal to lease jets" gives the
                # speaker no part in the leasing
                governor = head.head if head.dep_ in ("dobj", "attr", "nsubjpass") else None
                subjects = self.subject_of(governor, depth + 1) if governor is not None else []
                subjects = [t for t in subjects if self._could_act(t)]
                return ([], subjects) if passive else (subjects, [])
            return [head], []
        if dep == "pcomp" and head.dep_ == "prep":
            governor = head.head
            if governor.pos_ in ("NOUN", "PROPN"):
                governor = governing_verb(governor)
            if governor is not None and governor.pos_ in ("VERB", "AUX"):
                objects = [c for c in self.children(governor) if c.dep_ == "dobj"]
                if objects and governor == head.head and self.lex.has("object_control_verbs", governor.lemma_.lower()):
                    return ([], objects) if passive else (objects, [])  # "accused the police of missing ..."
                subjects = self.subject_of(governor, depth + 1)
                return ([], subjects) if passive else (subjects, [])
            return [], []
        if dep == "advcl" and has_to and self.lex.has("object_control_verbs", head.lemma_.lower()):
            # "selected Acme on Monday to build the ships": the parse hangs the infinitive on the verb, not as xcomp
            objects = [c for c in self.children(head) if c.dep_ == "dobj" and c.i < verb.i]
            if objects:
                return ([], objects) if passive else (objects, [])
        if dep == "advcl" and (has_to or verb.tag_ == "VBG") and head.pos_ in ("VERB", "AUX"):
            head = self._nearest_clause(verb, head)
            if self.is_passive(head):  # "X was hit by a blast, killing 20": the blast did it, not X
                return [g for c in self.children(head) if c.dep_ == "agent" for g in self.children(c)], []
            subjects = self.subject_of(head, depth + 1)
            return ([], subjects) if passive else (subjects, [])
        return [], []

    def _nearest_clause(self, participle, head):
        """For a participle after a comma that the parse hangs on the main verb, return the verb of the clause
        that ends right before the comma when that is a relative or participle clause below the main verb ("found
        a device that exploded, wounding six": the blast wounded them, not the finders); else the head."""
        i = participle.i - 1
        if i <= head.i or not self.tokens[i].is_punct:
            return head
        token = self.tokens[i - 1]
        while token != head and token.head != token:
            if token.pos_ in ("VERB", "AUX") and token.dep_ in ("relcl", "acl") and token.i > head.i:
                return token
            token = token.head
        return head
