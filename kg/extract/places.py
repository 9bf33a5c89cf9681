"""Places and recipients of an event: the "in"/"at"/"near" phrases of its verb or noun, followed through
chains of such phrases ("at his official residence in Seoul" -> Seoul) and through time phrases ("before dawn
in X"), and the "to" phrases that name who receives or where a movement goes. kg/extract/roles.py builds on it.
"""

from __future__ import annotations

from kg.extract.drafts import AGENT, PATIENT, PLACE, RECIPIENT, EventDraft
from kg.extract.subjects import SubjectReader
from kg.records import PLACE_TYPES

_PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "within", "throughout", "on", "into"})
_DESTINATION_PREPS = frozenset({"to", "toward", "towards", "into"})
# Prepositions of time whose object may carry the event's place: "before dawn in X", "on Sunday in X".
_TIME_PREPS = frozenset({"before", "after", "during", "until", "at", "on", "by", "around", "in"})
_PLACE_CHAIN_PREPS = frozenset({"in", "at", "near", "of", "outside", "inside"})


class PlaceReader(SubjectReader):
    """Reads where an event happens and to whom or where it goes, for kg.extract.roles.RoleReader."""

    # -- places and recipients --------------------------------------------------------------------
    def _place_in(self, token, depth: int = 0):
        """Return the first token naming a Place entity at `token` or down a short chain of in/at phrases.

        "at his official residence in Seoul" -> Seoul; "in the outskirts of Kyiv" -> Kyiv ("of" only right
        after the first noun, so "in the wake of X's involvement in the war in Y" does not reach Y).
        """
        key = self.entity(token)
        if key is not None and self.entity_type(key) in PLACE_TYPES:
            return token
        if depth > 0 and token.i in self.nominals:
            return None  # "resulted in deaths in Zabul": the place is the deaths', read from their own phrases
        for child in self.children(token):
            if child.dep_ == "appos":  # "in the capital, Minsk"
                key = self.entity(child)
                if key is not None and self.entity_type(key) in PLACE_TYPES:
                    return child
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

    def _is_time(self, token) -> bool:
        """Whether a token is a time expression: a DATE/TIME name or a time-of-day noun ("dawn", "nightfall")."""
        return token.ent_type_ in ("DATE", "TIME") or self.lex.has("time_nouns", token.lemma_)

    def _place_after_time(self, time):
        """Return the place token of an in/at phrase hung on a time expression ("on Sunday in Kabul"), or None.

        The parser often attaches the place phrase to the time noun rather than to the verb the time modifies.
        """
        for prep in self.children(time):
            if prep.dep_ == "prep" and prep.lower_ in _PLACE_CHAIN_PREPS and prep.lower_ != "of":
                for pobj in self.children(prep):
                    if pobj.dep_ == "pobj" and (found := self._place_in(pobj, 1)) is not None:
                        return found
        return None

    def prepositions(self, draft: EventDraft, holders, places_only: bool = False) -> None:
        """Read place, recipient and party roles from the prepositional and dative dependents of `holders`
        (with `places_only`, only places: for the nouns of an event's object or "by" phrase)."""
        recipient_class = self.lex.has("recipient_classes", draft.type) and not places_only
        with_party = self.lex.has("with_party_classes", draft.type) and not places_only
        with_patient = self.lex.has("with_patient_classes", draft.type) and not places_only
        children = []
        for holder in holders:
            for child in self.dependents(holder) if holder.pos_ == "VERB" else self.children(holder):
                children.append(child)
                if child.dep_ in ("prt", "advmod"):  # "hand ... back to North Korea"
                    children.extend(c for c in self.children(child) if c.dep_ == "prep")
        for child in children:
            lower = child.lower_
            objects = [g for g in self.children(child) if g.dep_ == "pobj"]
            if child.dep_ == "dative" and not places_only:
                self.add(draft, RECIPIENT, objects or [child])
            elif child.dep_ != "prep" or child.i in self.consumed:
                continue
            elif lower in _DESTINATION_PREPS:
                for pobj in objects:
                    key = self.entity(pobj)
                    if key is None:
                        continue
                    if recipient_class:
                        self.add(draft, RECIPIENT, [pobj])
                    elif self.entity_type(key) in PLACE_TYPES:
                        self.add_entity(draft, PLACE, pobj)
            elif lower == "with" and with_patient:
                self.add(draft, PATIENT, objects, text=False)  # "Acme merged with Bolt": Bolt is merged into it
            elif lower == "with" and with_party:
                self.add(draft, AGENT, objects, text=False)
            if child.dep_ == "prep" and lower in _TIME_PREPS:
                for pobj in objects:
                    if self._is_time(pobj) and (place := self._place_after_time(pobj)) is not None:
                        self.add_entity(draft, PLACE, place)  # "before dawn in Laghman province"
            if child.dep_ == "prep" and (
                lower in _PLACE_PREPS or (lower == "of" and draft.nominal and not places_only)
            ):
                for pobj in objects:
                    if self._is_time(pobj):
                        continue
                    place = self._place_in(pobj, 1 if lower == "of" else 0)
                    if place is not None:
                        self.add_entity(draft, PLACE, place)

    def _names_place(self, token) -> bool:
        """Whether a token stands for a Place entity."""
        key = self.entity(token)
        return key is not None and self.entity_type(key) in PLACE_TYPES

    def _is_place_of(self, token, cls: str) -> bool:
        """Whether a possessor or modifier names where a nominal event of class `cls` happens rather than who does
        it: any place for the classes of place_possessor_classes ("Venezuela's protests", "the Chile quake")."""
        key = self.entity(token)
        return key is not None and self.entity_type(key) in PLACE_TYPES and self.lex.has("place_possessor_classes", cls)
