"""Generic statements: clauses that say what usually holds or what a word means, not what happened.

"A strike is when workers stop work", "Staff are often laid off in takeovers", "Only one takeover in four
pays off", "Firms can lose customers, resulting in losses": no event took place, so such events get the
modality kg:Generic. Cue words live in kg/lexicon/modality.toml (generic_adverbs, definition_words,
generic_determiners, temporal_marks). A clause is generic when its verb

* carries a habitual adverb ("sometimes", "often", "usually", "always", "generally");
* is a present-tense "be" that a "when"/"where" clause defines ("A strike is when ...");
* is in the simple present (or takes "can") and its subject is generic: a bare plural ("takeovers", not
  "several buildings"), an indefinite singular ("a strike"), "every"/"any", or a proportion ("one takeover
  in four"), unless it reports speech or hearsay ("Analysts say ...", "Buildings are reported to ...") or
  stands in a headline (no final stop); a progressive verb ("are often negotiating") is never generic;
* is in the simple present and is joined with another simple-present clause by "when", "after", "once"
  ("the virus spreads after the patient dies"): both are habitual.

An event is generic when the verb that carries it is, or a clause above it is (reached through purpose and
participle clauses, control, coordination and the "when" clause of a definition; never through the
complement of a reporting verb). A nominal event goes by the verb it is the subject, object or "in" object of.
"""

from __future__ import annotations

from kg.extract.common import children, doc_view

_PRESENT = frozenset({"VBZ", "VBP"})
# Dependencies through which a clause inherits genericity from the clause above it.
_INHERIT_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_SENTENCE_ENDS = (".", "!", "?", '"', "'", "”", "’")


def _is_simple_present(verb) -> bool:
    """Whether a verb is in the simple present: "spreads", "is spread", "does not work", "can reduce"."""
    auxes = [c for c in children(verb) if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ in _PRESENT:
        return not auxes
    if verb.tag_ == "VBN":
        return len(auxes) == 1 and auxes[0].dep_ == "auxpass" and auxes[0].tag_ in _PRESENT
    if verb.tag_ == "VB":
        return len(auxes) == 1 and auxes[0].lower_ in ("do", "does", "can")
    return False


def _subject_is_generic(verb, cues) -> bool:
    """Whether the verb's subject names a kind, not particular things: "takeovers", "a strike", "one in four"."""
    for subject in children(verb):
        if subject.dep_ not in _SUBJECT_DEPS:
            continue
        kids = children(subject)
        if any(c.dep_ == "det" and cues.has("generic_determiners", c.lower_) for c in kids):
            return True
        proportion = any(c.dep_ == "nummod" for c in kids) and any(
            c.dep_ == "prep" and c.lower_ in ("in", "out") for c in kids
        )
        if proportion:
            return True
        counted = any(
            c.dep_ in ("det", "poss", "nummod", "quantmod") or cues.has("counting_words", c.lower_) for c in kids
        )
        bare = not counted
        if bare and subject.tag_ == "NNS":
            return True
    return False


def _in_headline(verb) -> bool:
    """Whether the verb's sentence lacks a final stop, as headlines do ("Rebels seize town")."""
    view = doc_view(verb.doc)  # the shared view: sentences found once per Doc, not once per verb
    sent = view.sent(verb.i)
    return not view.span_text(sent.start, sent.end).rstrip().endswith(_SENTENCE_ENDS)


def _defined_by_when(verb, cues) -> bool:
    """Whether a present-tense "be" has a "when"/"where" clause that defines its subject ("A strike is when")."""
    if verb.lemma_ != "be" or verb.tag_ not in _PRESENT:
        return False
    for clause in children(verb):
        if clause.dep_ in ("advcl", "ccomp", "attr", "acl") and any(
            c.dep_ in ("advmod", "mark") and cues.has("definition_words", c.lower_) for c in children(clause)
        ):
            return True
    return False


def _habitual_pair(verb, cues) -> bool:
    """Whether two simple-present clauses are joined by "when"/"after"/"once" (the verb is either one)."""
    if not _is_simple_present(verb):
        return False

    def marked(clause) -> bool:
        return any(c.dep_ in ("mark", "advmod") and cues.has("temporal_marks", c.lower_) for c in children(clause))

    if verb.dep_ == "advcl" and marked(verb) and _is_simple_present(verb.head):
        return True
    return any(c.dep_ == "advcl" and marked(c) and _is_simple_present(c) for c in children(verb))


def clause_is_generic(verb, cues) -> bool:
    """Take a verb token and the modality cues; return whether its own clause states something generic."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    progressive = verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in children(verb))
    if progressive:  # "we are sometimes negotiating": things going on now, however often
        return False
    if any(c.dep_ == "advmod" and cues.has("generic_adverbs", c.lower_) for c in children(verb)):
        return True
    if _in_headline(verb):
        return False
    if _defined_by_when(verb, cues) or _habitual_pair(verb, cues):
        return True
    # "Analysts say ...", "Buildings are reported to have fallen": a report about particular things
    reports = any(c.dep_ == "ccomp" for c in children(verb)) or cues.has("report_verbs", verb.lemma_)
    return not reports and _is_simple_present(verb) and _subject_is_generic(verb, cues)


def is_generic(anchor, cues, governing=None) -> bool:
    """Take an event's anchor token, the modality cues and, for a nominal event, the verb governing its noun;
    return whether the event is stated generically (its clause, or a clause above it, is generic)."""
    token = governing if governing is not None else anchor
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") and clause_is_generic(token, cues):
            return True
        head = token.head
        if head == token:
            return False
        definition = token.dep_ in ("advcl", "ccomp", "acl") and _defined_by_when(head, cues)
        if token.dep_ not in _INHERIT_DEPS and not definition:
            return False
        token = head
    return False
