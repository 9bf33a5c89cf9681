"""Quantities and money: how many an event is about, and what it cost.

Counts ("300 ... have died", "detained 107 people", "killed more than 5,000", "the death toll rose to 2,122")
come from the event's participants: a number that is the participant itself ("2,700 have been injured") or
counts it ("230 Ukrainians"). Which participant counts depends on the class (kg/lexicon/quantities.toml
[counting]): the patient first for deaths, captures, releases...; the agent for migrations, returns, protests;
none for statements, meetings, deals. A nominal trigger carried by a verb like "rose"/"reached"/"stood" takes
the number that verb reaches ("to 2,122", "at 300"); "a death toll of 300" takes the "of" number.
Number words count ("two", "1.5 million"); vague plurals ("hundreds", "dozens") give no number.

Money (a MONEY entity, or a currency symbol/code next to a number) becomes `amount` and ISO 4217 `currency`
on the event that governs it ("$69 billion takeover", "will cost $3,499"), else on the event nearest to it
in its sentence.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.common import children, doc_view

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "lexicon" / "quantities.toml"
_NOT_COUNTS = frozenset({"MONEY", "PERCENT", "DATE", "TIME", "QUANTITY", "ORDINAL"})
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([a-z]+)?")
_REACH_PREPS = frozenset({"to", "at", "past", "above", "over", "beyond"})


@dataclass(frozen=True)
class QuantityWords:
    """Number words, scale words, currency forms (lower case -> ISO code) and counting rules by class."""

    numbers: dict[str, int]
    scales: dict[str, int]
    currencies: dict[str, str]
    patient_first: frozenset[str]
    agent_only: frozenset[str]
    uncounted: frozenset[str]


@lru_cache(maxsize=2)
def load_quantity_words(path: Path | None = None) -> QuantityWords:
    """Load kg/lexicon/quantities.toml (or another file in its format); return QuantityWords."""
    with Path(path or DEFAULT_PATH).open("rb") as handle:
        data = tomllib.load(handle)
    counting = data.get("counting", {})
    return QuantityWords(
        numbers={k.lower(): int(v) for k, v in data.get("numbers", {}).items()},
        scales={k.lower(): int(v) for k, v in data.get("scales", {}).items()},
        currencies={k.lower(): v for k, v in data.get("currencies", {}).items()},
        patient_first=frozenset(counting.get("patient_first", [])),
        agent_only=frozenset(counting.get("agent_only", [])),
        uncounted=frozenset(counting.get("none", [])),
    )


def _integral(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def parse_number(text: str, words: QuantityWords | None = None) -> int | float | None:
    """Read a count from text such as "2,122", "more than 2,400", "1.5 million", "two", "twenty-five".

    Returns an int (or a float when not whole), or None when no exact number is stated ("hundreds").
    """
    words = words or load_quantity_words()
    tokens = re.findall(r"[\d][\d,]*(?:\.\d+)?|[a-z]+", text.lower().replace("-", " "))
    # Read as one says it: `group` is the part under way ("five hundred"), `total` what the thousands,
    # millions and billions already closed ("two thousand"): "two thousand five hundred" is 2,500.
    total: float | None = None
    group: float | None = None
    pending_article = False
    for token in tokens:
        if _NUMBER.match(token):
            if group is not None or total is not None:
                return None  # two numbers: a range or a list, no single count
            group = float(token.replace(",", ""))
        elif token in words.scales and (group is not None or pending_article) and len(token) > 1:
            scaled = (group if group is not None else 1.0) * words.scales[token]
            if words.scales[token] >= 1000:
                total, group = (total or 0.0) + scaled, None
            else:
                group = scaled  # "five hundred", "three dozen": a thousand or more may follow
        elif token in words.numbers:
            number = words.numbers[token]
            if group is None:
                group = float(number)
            elif group >= 100 and group % 100 == 0 and number < 100:
                group += number  # "one hundred (and) twenty"
            elif group % 100 >= 20 and group % 10 == 0 and number < 10:
                group += number  # "twenty five", "one hundred twenty five"
            else:
                return None
        elif token in ("a", "an"):
            pending_article = True
        elif token.endswith("s") and (token[:-1] in words.scales or token[:-1] in words.numbers):
            return None  # "hundreds", "thousands", "dozens", "tens"
    if total is None and group is None:
        return None
    return _integral((total or 0.0) + (group or 0.0))


def parse_money(text: str, words: QuantityWords | None = None) -> tuple[int | float, str] | None:
    """Read an amount of money from text such as "$69 billion", "£20 million", "€5bn", "US$ 40 billion", "3,499 euros",
    or one in words ("ten billion dollars").

    Returns (amount, ISO 4217 code) or None when no currency or no number is found.
    """
    words = words or load_quantity_words()
    lowered = text.lower()
    currency = None
    for form, pattern in _currency_patterns(tuple(words.currencies)):
        if pattern.search(lowered):
            currency = words.currencies[form]
            lowered = pattern.sub(" ", lowered, count=1)
            break
    if currency is None:
        return None
    match = _AMOUNT.search(lowered)
    if not match:
        spelled = parse_number(lowered, words)  # "ten billion dollars", "seventy-three million euros"
        return None if spelled is None else (spelled, currency)
    value = float(match.group(1).replace(",", ""))
    scale = match.group(2)
    if scale and scale in words.scales:
        value *= words.scales[scale]
    return _integral(round(value, 2)), currency


@lru_cache(maxsize=8)
def _currency_patterns(forms: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    """Return (form, compiled pattern) for currency forms, longest first; a word form must stand alone."""
    patterns = []
    for form in sorted(forms, key=len, reverse=True):
        pattern = re.escape(form) if not form.isalpha() else rf"\b{re.escape(form)}\b"
        patterns.append((form, re.compile(pattern)))
    return patterns


def count_of(token, words: QuantityWords | None = None) -> int | float | None:
    """Take a participant's head token; return the number it is or is counted by ("2,700", "230 Ukrainians")."""
    words = words or load_quantity_words()
    if token.ent_type_ in _NOT_COUNTS or _is_proportion(token):
        return None
    if token.pos_ == "NUM" or token.lower_ in words.numbers:
        parts = [t for t in token.subtree if t.i <= token.i and t.dep_ != "prep" and not _after_of(t, token)]
        return parse_number(" ".join(t.text for t in parts), words)
    for child in children(token):
        if child.dep_ == "nummod" and child.ent_type_ not in _NOT_COUNTS:
            return parse_number(" ".join(t.text for t in child.subtree), words)
    return None


def _is_proportion(token) -> bool:
    """Whether a noun is counted as a share, "one takeover in three": a rate, not how many took part."""
    return any(c.dep_ == "prep" and c.lower_ in ("in", "out") for c in children(token)) and any(
        c.dep_ == "nummod" for c in children(token)
    )


def _after_of(token, head) -> bool:
    """Whether `token` sits inside an "of" phrase of `head` ("one of the soldiers": only "one" counts)."""
    current = token
    while current != head and current.head != current:
        if current.dep_ == "prep":
            return True
        current = current.head
    return False


def _role_tokens(draft) -> dict[str, list]:
    """The tokens the event's participants were read from: subjects, objects, the modified noun."""
    anchor = draft.anchor
    agents, patients = [], []
    if draft.nominal and anchor != draft.token:
        return {"agent": agents, "patient": patients}
    for child in children(anchor):
        if child.dep_ in ("nsubj",):
            agents.append(child)
        elif child.dep_ in ("nsubjpass", "dobj"):
            patients.append(child)
        elif child.dep_ == "agent":
            agents.extend(g for g in children(child) if g.dep_ == "pobj")
    if not agents and not patients and anchor.dep_ in ("acl", "relcl") and anchor.head.i < anchor.i:
        (patients if anchor.tag_ == "VBN" else agents).append(anchor.head)
    return {"agent": agents, "patient": patients}


def _reached_number(anchor, words: QuantityWords) -> int | float | None:
    """The number a verb like "rose"/"reached"/"stood" arrives at: "to 2,122", "at 300", or its object."""
    for child in children(anchor):
        if child.dep_ == "prep" and child.lower_ in _REACH_PREPS:
            for pobj in children(child):
                if pobj.dep_ == "pobj":
                    value = count_of(pobj, words)
                    if value is not None:
                        return value
        if child.dep_ in ("dobj", "attr"):
            value = count_of(child, words)
            if value is not None:
                return value
    return None


def attach_counts(drafts, lexicon=None, words: QuantityWords | None = None) -> None:
    """Set `quantity` on each event draft from its participants, as the module docstring describes; return None."""
    words = words or load_quantity_words()
    for draft in drafts:
        if draft.type in words.uncounted:
            continue
        value = None
        if draft.nominal:
            if draft.anchor != draft.token:
                value = _reached_number(draft.anchor, words)
            if value is None:
                for child in children(draft.token):
                    if child.dep_ == "prep" and child.lower_ == "of":
                        objects = [g for g in children(child) if g.dep_ == "pobj"]
                        value = next((v for v in (count_of(g, words) for g in objects) if v is not None), None)
        if value is None:
            tokens = _role_tokens(draft)
            if lexicon is not None and lexicon.subject_undergoes(draft.anchor.lemma_.lower(), draft.trigger):
                tokens = {"agent": [], "patient": tokens["agent"] + tokens["patient"]}
            if draft.type in words.agent_only:
                order = tokens["agent"]
            elif draft.type in words.patient_first:
                order = tokens["patient"] + tokens["agent"]
            else:
                order = tokens["patient"] + tokens["agent"]
            for token in order:
                value = count_of(token, words)
                if value is not None:
                    break
        if value is not None:
            draft.quantity = value


def _amount_part(token, words: QuantityWords) -> bool:
    """A token that can continue an amount after a currency symbol: "40", "billion", "1.2bn"."""
    if token.like_num or token.lower_ in words.scales:
        return True
    match = re.fullmatch(r"\d[\d,.]*([a-z]+)", token.lower_)
    return bool(match and match.group(1) in words.scales)


def _money_spans(doc, words: QuantityWords) -> list:
    view = doc_view(doc)
    spans = [ent for ent in view.ents if ent.label_ == "MONEY"]
    covered = {i for span in spans for i in range(span.start, span.end)}
    tokens = view.tokens
    for token, lower in zip(tokens, view.column("lower_"), strict=True):
        # "US$ 40 billion" and symbols the NER missed: a currency form followed by a number.
        if token.i in covered or lower not in words.currencies or token.is_alpha:
            continue
        end = token.i + 1
        while end < len(tokens) and end - token.i < 4 and _amount_part(tokens[end], words):
            end += 1
        if end > token.i + 1:
            spans.append(doc[token.i : end])
    return spans


def attach_money(drafts, doc, words: QuantityWords | None = None) -> None:
    """Give each amount of money in the Doc to the event that governs it, else the nearest event in its sentence."""
    words = words or load_quantity_words()
    view = doc_view(doc)
    by_token: dict[int, object] = {}
    for draft in drafts:
        by_token.setdefault(draft.token.i, draft)
        by_token.setdefault(draft.anchor.i, draft)
    for span in _money_spans(doc, words):
        money = parse_money(view.span_text(span.start, span.end), words)
        if money is None:
            continue
        target = None
        token = span.root
        for _ in range(4):
            if token.head == token:
                break
            token = token.head
            if token.i in by_token:
                target = by_token[token.i]
                break
        if target is None:
            here = view.sentence_of[span.start]
            sentence = [d for d in drafts if view.sentence_of[d.token.i] == here]
            if sentence:
                target = min(sentence, key=lambda d: (abs(d.token.i - span.root.i), d.token.i))
        if target is not None and target.amount is None:
            target.amount, target.currency = money
