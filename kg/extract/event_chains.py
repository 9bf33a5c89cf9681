"""Event coreference inside one article: the mentions of one real-world event chained together.

"Cisco completed its acquisition of Splunk ... first announced the deal in September" holds two
mentions of one acquisition. `event_chains(extraction)` walks the events in text order; each joins
the nearest earlier chain it is compatible with, else starts a chain of its own. A mention and a
chain are compatible when:

- they have the same class, and that class is a known one (a plain kg:Event, whose trigger the
  lexicon does not know, joins only mentions of the same trigger lemma);
- they agree on polarity (a negated mention never joins an asserted one) and on modality;
- no participant role contradicts: for agent, patient and place, when both name entities, they
  share at least one;
- their dates do not contradict: equal, or one a prefix of the other ("2024-09" and "2024-09-12"),
  or one missing;
- for statements (said, told) only: the same speaker, and the same trigger lemma; two quotes by
  one person are often two statements, so statements chain only within one sentence's distance.

Works on plain records, so the same article always gives the same chains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.records import Event, Extraction

PLAIN_EVENT = "Event"
STATEMENT = "Statement"
CHAINED_ROLES = ("agent", "patient", "place")


@dataclass
class EventChain:
    """One real-world event as one article tells it: its mentions' keys in text order and what they say together.

    `roles` maps a role name (agent, patient, place) to the entity keys any mention gives it;
    `dates` holds every date a mention carries.
    """

    type: str
    trigger: str
    negated: bool
    modality: str
    keys: list[str] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    last_end: int = 0

    @property
    def head(self) -> str:
        """Return the key of the chain's first mention, which names the chain."""
        return self.keys[0]

    def add(self, event: Event) -> None:
        """Take one more mention into the chain."""
        self.keys.append(event.key)
        for name, keys in _roles(event).items():
            self.roles.setdefault(name, set()).update(keys)
        if event.date:
            self.dates.add(event.date)
        self.last_end = max(self.last_end, event.evidence.end)


def _roles(event: Event) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for role in event.roles:
        if role.name in CHAINED_ROLES and role.entity is not None:
            roles.setdefault(role.name, set()).add(role.entity)
    return roles


def _dates_agree(a: set[str], b: str | None) -> bool:
    if not a or not b:
        return True
    return any(x.startswith(b) or b.startswith(x) for x in a)


def compatible(chain: EventChain, event: Event) -> bool:
    """Return True when an event mention may be one more mention of the chain's event (rules in the module notes)."""
    if event.type != chain.type or event.negated != chain.negated or event.modality != chain.modality:
        return False
    if event.type == PLAIN_EVENT and event.trigger != chain.trigger:
        return False
    mine = _roles(event)
    for name in CHAINED_ROLES:
        if mine.get(name) and chain.roles.get(name) and not (mine[name] & chain.roles[name]):
            return False
    if event.type == STATEMENT:
        if event.trigger != chain.trigger or not (mine.get("agent") and chain.roles.get("agent")):
            return False
        if event.evidence.start > chain.last_end + 1:
            return False
    return _dates_agree(chain.dates, event.date)


def event_chains(extraction: Extraction) -> list[EventChain]:
    """Chain an article's event mentions that tell of one event.

    Takes an Extraction; returns its EventChains in the order of their first mention; every event
    is in exactly one chain (most are alone).
    """
    chains: list[EventChain] = []
    for event in sorted(extraction.events, key=lambda e: (e.start, e.end, e.key)):
        target = next((c for c in reversed(chains) if compatible(c, event)), None)
        if target is None:
            target = EventChain(event.type, event.trigger, event.negated, event.modality)
            chains.append(target)
        target.add(event)
    return chains
