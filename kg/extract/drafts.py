"""Event drafts: an event while extraction still fills it in, and the names of the roles it carries.

find_events (kg/extract/events.py) makes one draft per trigger and roles.py fills its participants; modality,
times, quantities and attribution add to the drafts in turn, and `EventDraft.freeze()` makes the Event record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.common import doc_view
from kg.records import ASSERTED, Event, Role

AGENT = "agent"
PATIENT = "patient"
RECIPIENT = "recipient"
PLACE = "place"
INSTRUMENT = "instrument"
DATELINE_PLACE = "datelinePlace"
REPORTED_BY = "reportedBy"


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
