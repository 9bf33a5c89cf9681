"""Small helpers every extractor shares: evidence for a sentence, text of a token span."""

from __future__ import annotations

from kg.records import Evidence

# The class of an event whose trigger the lexicon does not know (kg:Event itself).
GENERIC = "Event"


def sentence_evidence(sent, confidence: float = 0.8) -> Evidence:
    """Return the Evidence for a spaCy sentence Span: its text and character offsets into the article text."""
    start = sent.start_char
    end = sent.end_char
    text = sent.text
    # Keep offsets and text in step when the sentence carries trailing white space.
    stripped = text.rstrip()
    end -= len(text) - len(stripped)
    lead = len(stripped) - len(stripped.lstrip())
    return Evidence(sentence=stripped.lstrip(), start=start + lead, end=end, confidence=round(confidence, 2))
