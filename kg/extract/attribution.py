"""Attribution: who says so. Links Statement events to what they report, and reported events to their source.

* A Statement verb ("said", "confirmed", "reported", "stated", "told", "estimates" ...) reports the events of
  its complement clause (`ccomp`: "X said that ..."), of its object ("confirmed its involvement in the
  questioning"), of the clause it interrupts ("..., the ministry said, ..." is parsed as `parataxis` of the
  main verb), or of the noun it modifies ("the acquisition, first announced in January").
  Those events' keys go to the Statement's `about`, and each gets `reportedBy` = the Statement's agent(s).
  A Statement nested inside the complement reports its own complement; the outer one reports the nested
  Statement only.
* A sentence that opens a quotation and has no verb of saying is said by the speaker of the statement that
  closes the quotation later in its paragraph, else of the last statement in its own or the previous paragraph.
* Where the Statement's subject is the topic rather than the speaker (a passive Statement verb, "is predicted
  to win", or its infinitive complement), the subject never becomes `reportedBy` of its own event.
* "according to X, ..." gives every event of the clause it modifies `reportedBy` = X (no Statement is made:
  the text names no act of saying).
The speaker is whatever the EntityIndex resolves the subject to, so "the agency stated" reaches the agency's
entity and "according to two legislators" the group of legislators.
"""

from __future__ import annotations

from kg.extract.common import children, doc_view
from kg.extract.drafts import AGENT, REPORTED_BY

STATEMENT = "Statement"


def _events_at(drafts) -> dict[int, list]:
    """Map each trigger and anchor token index to the drafts it belongs to."""
    at: dict[int, list] = {}
    for draft in drafts:
        for holder in draft.holders:
            at.setdefault(holder.i, []).append(draft)
    return at


def _reported_region(statement) -> tuple[set[int], set[int]]:
    """Return (token indices the statement reports on, token indices to leave out) for a Statement draft."""
    verb = statement.anchor
    region: set[int] = set()
    excluded = {t.i for t in verb.subtree} if verb.dep_ == "parataxis" else set()
    for child in children(verb):
        if child.dep_ in ("ccomp", "dobj") or (child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX")):
            region.update(t.i for t in child.subtree)
    if verb.dep_ == "parataxis":
        region.update(t.i for t in verb.head.subtree if t.i not in excluded)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        region.add(verb.head.i)
    region.discard(verb.i)
    return region, excluded


def _inside_other_statement(token, statement_verb, statement_tokens: set[int]) -> bool:
    """Whether a nested Statement verb lies between `token` and `statement_verb` on the way up the tree."""
    current = token
    for _ in range(40):
        if current.head == current or current.i == statement_verb.i:
            return False
        current = current.head
        if current.i in statement_tokens and current.i != statement_verb.i:
            return True
    return False


def attach_attribution(drafts, doc, index) -> None:
    """Fill `about` on Statement drafts and add `reportedBy` roles to the events they report.

    Takes the event drafts, the Doc and the EntityIndex; changes the drafts in place; returns None.
    """
    at = _events_at(drafts)
    statements = [d for d in drafts if d.type == STATEMENT and not d.nominal]
    statement_tokens = {d.token.i for d in statements}
    for statement in statements:
        region, _ = _reported_region(statement)
        speakers = statement.role_keys(AGENT)
        raised = _raised_region(statement.anchor)
        for i in sorted(region):
            for reported in at.get(i, []):
                if reported is statement or reported.key in statement.about:
                    continue
                if _inside_other_statement(reported.token, statement.anchor, statement_tokens):
                    continue
                statement.about.append(reported.key)
                _report(reported, speakers, not_own=i in raised)
    _quote_paragraphs(drafts, doc, statements)
    _according_to(doc, index, at)


def _report(reported, speakers, *, not_own: bool = False) -> None:
    """Add `reportedBy` for each speaker; with `not_own`, never the reported event's own agent."""
    own = set(reported.role_keys(AGENT)) if not_own else set()
    for speaker in speakers:
        if speaker not in own:
            reported.add_role(REPORTED_BY, speaker)


def _raised_region(verb) -> set[int]:
    """Token indices where the Statement's subject is the topic, not the speaker: a passive Statement verb
    ("Labor is predicted to win", "has been confirmed ... and predicted to win": the subject is who wins, the
    speaker is unnamed) or its infinitive complement. There the subject never reports its own event."""
    passive = any(c.dep_ == "auxpass" for c in children(verb)) or (
        verb.dep_ == "conj"
        and verb.tag_ == "VBN"
        and any(c.dep_ == "auxpass" for c in children(verb.head))
        and not any(c.dep_ in ("aux", "nsubj") for c in children(verb))
    )
    if passive:
        return {t.i for t in verb.subtree}
    return {t.i for c in children(verb) if c.dep_ == "xcomp" for t in c.subtree}


_OPEN_QUOTES = ('"', "\u201c", "\u2018", "'")


def _quote_paragraphs(drafts, doc, statements) -> None:
    """A sentence that opens a quotation and has no verb of saying is said by the speaker of a nearby statement.

    That is the statement that closes the quotation later in the same paragraph ('"Ships will dock. The cranes
    work," he said.'), else the last statement before it in the same or the previous paragraph ('The mayor
    said ...' then a paragraph '"We will rebuild."'). Takes the drafts, the Doc and the Statement drafts.
    """
    view = doc_view(doc)
    spoken = sorted((s for s in statements if s.role_keys(AGENT)), key=lambda s: s.token.i)
    if not spoken:
        return
    statement_tokens = {s.token.i for s in statements}
    for sentence in view.sentences:
        text = sentence.text.strip()
        if not text.startswith(_OPEN_QUOTES) or any(sentence.start <= i < sentence.end for i in statement_tokens):
            continue
        after = [s for s in spoken if s.token.i >= sentence.end]
        before = [s for s in spoken if s.token.i < sentence.start]
        if after and "\n\n" not in doc.text[sentence.end_char : after[0].token.idx]:
            statement = after[0]  # a quotation of several sentences: '"... . ...," he said.'
        elif before and doc.text[before[-1].token.idx : sentence.start_char].count("\n\n") <= 1:
            statement = before[-1]
        else:
            continue
        for draft in drafts:
            if draft is not statement and sentence.start <= draft.token.i < sentence.end:
                if draft.key not in statement.about:
                    statement.about.append(draft.key)
                _report(draft, statement.role_keys(AGENT), not_own=True)


def _according_to(doc, index, at: dict[int, list]) -> None:
    """Handle "according to X, ...": give the events of the modified clause `reportedBy` X."""
    view = doc_view(doc)
    for token, lower in zip(view.tokens, view.column("lower_"), strict=True):
        if lower != "according":
            continue
        objects = [
            pobj
            for prep in children(token)
            if prep.dep_ == "prep" and prep.lower_ == "to"
            for pobj in children(prep)
            if pobj.dep_ == "pobj"
        ]
        if not objects:
            continue
        speakers = []
        for pobj in objects:
            for item in [pobj, *[c for c in children(pobj) if c.dep_ == "conj"]]:
                key = index.entity_for_token(item)
                if key is not None and key not in speakers:
                    speakers.append(key)
        if not speakers:
            continue
        clause = token.head
        own = {t.i for t in token.subtree}
        seen = set()
        for t in clause.subtree:
            if t.i in own:
                continue
            for reported in at.get(t.i, []):
                if id(reported) in seen:
                    continue
                seen.add(id(reported))
                _report(reported, speakers)
