"""Arguments: what a token of the parse stands for when it fills an event role.

Roles carry the entity key (through the EntityIndex, so coreference is already applied) and the argument
phrase (`Role.start/end/text`: the head's left modifiers, the head and its "of" phrases, no clauses). An
agent, patient or recipient that is no entity ("the airline", "shares of Orbitel") is kept as a phrase with
no key; pronouns nothing resolves, numbers, dates and amounts are left out. A relative pronoun stands for the
noun it modifies ("Activision, which makes ..."), a number or partitive for its "of" phrase ("hundreds of
prisoners"). Which role a token fills is decided in roles.py.
"""

from __future__ import annotations

from kg.extract.drafts import EventDraft

# Words whose "of" phrase names what they count: "hundreds of prisoners", "one of the soldiers".
_PARTITIVES = frozenset(
    {"hundred", "thousand", "dozen", "million", "some", "many", "all", "most", "none", "several", "few", "number",
     "group", "lot", "one", "each", "both", "half", "rest", "majority", "dozens", "hundreds", "thousands"}
)  # fmt: skip
# Partitives that name a participant of their own when no "of" phrase follows: "the rebel group said".
_COLLECTIVE_PARTITIVES = frozenset({"group"})
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
# Argument phrases: left dependents that do not start one, right dependents that continue one.
_PHRASE_SKIP_DEPS = frozenset({"punct", "cc", "preconj", "advmod", "prep"})
_PHRASE_RIGHT_DEPS = frozenset({"compound", "nummod", "quantmod", "case", "amod", "nmod", "flat", "poss"})
# Words that stand for a counted group of people on their own: "five more were wounded", "injuring scores more".
_COUNTING_WORDS = frozenset({"more", "other", "others", "many", "several", "dozens", "hundreds", "thousands", "scores"})
# Numbers that count no people: dates, times, amounts, ordinals.
_NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
# Entity labels of numbers, dates and amounts: such a phrase is a value of the event, not a participant.
VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})


class ArgumentReader:
    """Reads the arguments of events off one Doc's parse: entities, phrases, conjuncts; repairs one misparse.

    Shares with the trigger finder (kg/extract/events.py) the tokens that are part of a phrase trigger
    (`consumed`) and the nominal triggers (`nominals`), which are no arguments; both are filled before any
    argument is read.
    """

    def __init__(self, view, index, consumed: set[int], nominals: dict[int, tuple[str, str]]):
        self.view = view
        self.tokens = view.tokens  # `doc[i]` and `for token in doc` make new Token objects every time
        self.text = view.text  # built from the tokens on every `doc.text`: read it once
        self.children = view.children  # Token.children makes new Token objects on every call
        self.index = index
        self.consumed = consumed
        self.nominals = nominals

    # -- parse repairs ----------------------------------------------------------------------------
    def is_misparsed_participle(self, token) -> bool:
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

    def dependents(self, verb) -> list:
        """The verb's children, plus those of a misparsed participle adjective that follows it."""
        children = list(self.children(verb))
        for child in list(children):
            if child.i == verb.i + 1 and self.is_misparsed_participle(child):
                children.extend(self.children(child))
        return children

    # -- entities ---------------------------------------------------------------------------------
    @staticmethod
    def _antecedent(token):
        """The noun a relative pronoun stands for ("Activision, which makes ..." -> Activision), else None."""
        if token.tag_ in _RELATIVE_TAGS and token.head.dep_ == "relcl":
            return token.head.head
        return None

    def entity(self, token) -> str | None:
        """Take a token; return the key of the entity it stands for (through a relative pronoun's antecedent or a
        counting word's "of" phrase), or None."""
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

    def entity_type(self, key: str) -> str:
        """Return the type of the entity with this key ("Person", "City", ...), or "" for an unknown key."""
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
            if current.dep_ == "appos" and current.pos_ == "NOUN":
                stack.extend(self._names_after_of_phrase(current))
            for child in self.children(current):
                if child.dep_ == "appos" and self._restates_name(current, child):
                    # "Ann Lee, the treasurer, Bo Park and ...": the parse may hang the rest of a list on it
                    stack.extend(g for g in self.children(child) if g.dep_ == "conj")
                    stack.extend(self._names_after_of_phrase(child))
                    continue
                if child.dep_ == "appos" or (child.dep_ == "conj" and not self._repeats_governor(current, child)):
                    stack.append(child)
                elif child.dep_ == "prep" and child.lower_ == "including":  # "12 people, including two women"
                    stack.extend(g for g in self.children(child) if g.dep_ == "pobj")
        return sorted(out, key=lambda t: t.i)

    @staticmethod
    def _repeats_governor(token, conjunct) -> bool:
        """Whether a conjunct repeats the noun that governs the token's clause, and so is coordinated with that noun
        ("one count of stealing cars and two counts of fraud": the counts are not stolen)."""
        lemma = conjunct.lemma_.lower()
        head = token.head
        for _ in range(4):
            if head.head == head:
                break
            head = head.head
            if head.pos_ == "NOUN" and head.lemma_.lower() == lemma:
                return True
        return False

    def _names_after_of_phrase(self, apposition) -> list:
        """Return the names the parse hangs on the "of" phrase of an apposition in a list ("Ann Lee, wife of the
        painter Bo Park, Cy Diaz and Di Moss": Diaz comes out as an apposition of Park, and Moss as its
        conjunct); a name beside a name is the next member of the list, not the same person again."""
        found = []
        for prep in self.children(apposition):
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            objects = [g for g in self.children(prep) if g.dep_ == "pobj"]
            # "wife of Bo Park" or "wife of the painter Bo Park", where the name may be the noun's apposition
            objects += [g for o in objects for g in self.children(o) if g.dep_ == "appos"]
            for name in objects:
                if name.pos_ != "PROPN" or self.index.entity_for_token(name) is None:
                    continue
                found.extend(
                    g
                    for g in self.children(name)
                    if g.dep_ in ("appos", "conj")
                    and g.pos_ == "PROPN"
                    and not self._is_bracketed(g)
                    and self.index.entity_for_token(g) is not None
                )
        return found

    def _is_bracketed(self, token) -> bool:
        """Whether a token's phrase opens with a bracket ("Acme Corp (ACM)")."""
        return token.left_edge.i > 0 and self.tokens[token.left_edge.i - 1].text in ("(", "[")

    def _restates_name(self, head, apposition) -> bool:
        """Whether an apposition only restates the name it follows: a common noun ("Acme Corp, the toy maker, ...")
        or a bracketed short name ("Acme Corp (ACM)") after a token that names an entity is the same participant."""
        if apposition.i < head.i or self.index.entity_for_token(head) is None:
            return False
        return apposition.pos_ == "NOUN" or self._is_bracketed(apposition)  # "Acme Corp (ACM)": its short name

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

    def _is_text_argument(self, token, counts: bool = False) -> bool:
        """Whether a token that names no entity still makes an argument phrase: a common or proper noun that is
        no number, date or amount, no nominal event and no apposition (which restates its head); or a number or
        partitive that counts an "of" phrase ("20 of its planes", "a number of passengers"; "the rebel group" needs
        none). With `counts` (the
        patient of a counting class) a bare number or counting word is one too ("killed 12", "five were hurt")."""
        if token.dep_ == "appos" or token.i in self.nominals or self._restates(token):
            return False
        if not any(c.isalnum() for c in token.text):  # a stray dash or quote the parse made a noun
            return False
        lemma = token.lemma_.lower()
        counted = token.pos_ == "NUM" or lemma in _COUNTING_WORDS or lemma in _PARTITIVES
        if counts and counted and token.ent_type_ not in _NOT_COUNTS:
            return True
        has_of = any(child.dep_ == "prep" and child.lower_ == "of" for child in self.children(token))
        if lemma in _COLLECTIVE_PARTITIVES and not has_of:
            return token.pos_ == "NOUN"
        if token.pos_ == "NUM" or lemma in _PARTITIVES:
            return has_of
        return token.pos_ in ("NOUN", "PROPN") and token.ent_type_ not in VALUE_LABELS

    @staticmethod
    def _restates(token) -> bool:
        """Whether a conjunct belongs to an apposition ("Ann Lee, a lawyer and a critic of the board": the critic
        is Ann Lee again, no second participant)."""
        while token.dep_ == "conj":
            token = token.head
        return token.dep_ == "appos"

    def add(self, draft: EventDraft, name: str, tokens, *, text: bool = True, counts: bool = False) -> bool:
        """Add the entities (and, when `text`, the other noun phrases; with `counts`, bare numbers too) of tokens,
        their conjuncts and appositions as roles; return whether any was added. A description whose apposition
        is a name gives way to the name ("the interior minister, Jane Roe" is Jane Roe)."""
        added = False
        for token in tokens:
            for item in self._expand(token):
                if self._named_apposition(item) is not None:
                    continue
                key = self.entity(item)
                if key is None:
                    # A relative pronoun's phrase is its antecedent's when no entity stands behind it.
                    item = self._antecedent(item) or item
                    if not (text and self._is_text_argument(item, counts)):
                        continue
                added |= draft.add_role(name, key, self.phrase(item))
        return added

    def _named_apposition(self, token):
        """Return the proper-name apposition of a common noun or a partitive ("the minister, Jane Roe" -> Roe; "one
        of them, Jane Roe"), else None."""
        if token.pos_ != "NOUN" and not (token.pos_ == "NUM" or token.lemma_.lower() in _PARTITIVES):
            return None
        for child in self.children(token):
            if child.dep_ == "appos" and child.pos_ == "PROPN" and self.index.entity_for_token(child) is not None:
                return child
        return None

    def add_entity(self, draft: EventDraft, name: str, token) -> bool:
        """Add the entity a token names as a role, with the token's phrase; return whether one was added."""
        key = self.entity(token)
        return draft.add_role(name, key, self.phrase(token)) if key is not None else False
