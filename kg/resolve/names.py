"""Names of entities: match keys, initials, acronyms, canonical labels and gazetteer links.

The name helpers the resolver and the known-entity index share: `spelling_key` (match key with
doubled letters collapsed), `initials` and `acronym` (organizations), `canonical_label` (the label
an entity is named and minted by) and `gazetteer_match` (the gazetteer entry a QID, a form or a
country-qualified form names).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from kg.records import coarse_type
from kg.resolve.gazetteer import Gazetteer, GazetteerEntry, normalize

# Words an acronym skips ("Competition and Markets Authority" -> "CMA").
_FUNCTION_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"}) | frozenset(
    {"de", "del", "der", "des", "du", "la", "le", "und", "van", "von"}
)
_DOUBLED = re.compile(r"(\w)\1+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{2,6}$")  # three letters at least: two-letter ones collide too often
# A nickname in quotes between a given name and a surname: 'Ada "the Hawk" Lind'.
_NICKNAME = re.compile(r"(?<=\w)\s+[\"“”‘’'][^\"“”‘’']+[\"“”‘’']\s+(?=\w)")
_POSSESSIVE_HEAD = re.compile(r"^(?P<head>.+?)['’]s\s+(?P<rest>.+)$")
VARIANTS_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "name_variants.toml"


@lru_cache(maxsize=1)
def _variants() -> tuple[tuple[tuple[str, ...], ...], dict[str, str]]:
    data = tomllib.loads(VARIANTS_FILE.read_text(encoding="utf-8"))
    suffixes = tuple(sorted((tuple(s.split()) for s in data["legal_suffixes"]), key=lambda t: (-len(t), t)))
    return suffixes, dict(data["abbreviations"])


@lru_cache(maxsize=1)
def _given_name_forms() -> dict[str, str]:
    return dict(tomllib.loads(VARIANTS_FILE.read_text(encoding="utf-8")).get("given_name_forms", {}))


@lru_cache(maxsize=1 << 17)
def name_key(name: str, coarse: str) -> str:
    """Return the variant-blind match key of a name of a coarse type ("person", "organization", "place").

    Builds on `normalize`; for organizations and places an abbreviated country word is spelled out
    ("U.S. Geological Survey" -> "united states geological survey"), and for organizations a final
    legal form is dropped ("Acme Widgets, Inc." -> "acme widgets"), leaving one word at least; for
    persons a nickname in quotes inside the name is ('Ada "the Hawk" Lind' -> "ada lind").
    Other types get the plain match key.
    """
    if coarse == "person":
        return normalize(_NICKNAME.sub(" ", name))
    key = normalize(name)
    if coarse not in ("organization", "place") or not key:
        return key
    suffixes, abbreviations = _variants()
    tokens = key.split()
    if len(tokens) > 1:
        tokens = " ".join(abbreviations.get(t, t) for t in tokens).split()
    if coarse == "organization":
        for suffix in suffixes:
            if len(tokens) > len(suffix) and tuple(tokens[-len(suffix) :]) == suffix:
                tokens = tokens[: -len(suffix)]
                break
    return " ".join(tokens)


def person_core(key: str) -> tuple[str, str]:
    """Split a person's match key into (key without initials, the initials).

    "ada m lind" -> ("ada lind", "m"); "j ada lind" -> ("ada lind", "j"), a leading initial before a
    given name ("W. Mark Felt" goes by "Mark Felt"). One-letter tokens count strictly inside the name,
    or first before a longer given name and a surname; a name without them keeps all its tokens, with
    initials "". A short given name is read as its full form (kg/lexicon/name_variants.toml,
    given_name_forms): "tom m lind" -> ("thomas lind", "m"), "tom lind" -> ("thomas lind", "").
    """
    core, letters = _core_and_initials(key)
    tokens = core.split()
    if len(tokens) > 1 and (full := _given_name_forms().get(tokens[0])) is not None:
        core = " ".join([full, *tokens[1:]])
    return core, letters


def _core_and_initials(key: str) -> tuple[str, str]:
    tokens = key.split()
    if len(tokens) < 3:
        return key, ""
    start = 1 if len(tokens[0]) == 1 and len(tokens[1]) > 1 else 0
    inner = tokens[start:]
    if len(inner) < 2:
        return key, ""
    middle = tokens[:start] + [t for t in inner[1:-1] if len(t) == 1]
    if not middle:
        return key, ""
    core = [inner[0], *(t for t in inner[1:-1] if len(t) != 1), inner[-1]]
    return " ".join(core), "".join(middle)


@lru_cache(maxsize=1 << 17)
def spelling_key(name: str) -> str:
    """Return the match key of a name with doubled letters collapsed: "Zelenskyy" -> "zelensky"."""
    return _DOUBLED.sub(r"\1", normalize(name))


def initials(name: str) -> str | None:
    """Return the initials of a name's capitalised words ("Competition and Markets Authority" -> "CMA").

    Function words are skipped; a hyphenated word counts once. Returns None for fewer than two words.
    """
    words = [w for w in re.split(r"[\s/]+", name.strip()) if w and w.lower() not in _FUNCTION_WORDS]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def acronym(name: str) -> str | None:
    """Return the letters of a name written as an acronym ("NIS", "U.N." -> "UN"), else None."""
    letters = name.strip().replace(".", "")
    return letters if _ACRONYM.match(letters) else None


def canonical_label(
    type: str, forms: Iterable[tuple[str, int]], qid: str | None, gazetteer: Gazetteer | None
) -> tuple[str, tuple[str, ...]]:
    """Choose an entity's label and alternative labels from every name form seen, with counts.

    Takes the entity's class name, (form, count) pairs (a form may repeat; counts add up), its QID
    and the gazetteer. Returns (label, sorted other forms). The label is the gazetteer's canonical
    name when the QID or a form links there, else the fullest form: most tokens, then longest, then
    most frequent, then first in code-point order. Order of `forms` never matters.
    """
    counts: Counter[str] = Counter()
    for form, count in forms:
        if form and form.strip():
            counts[form.strip()] += count
    entry = _linked_entry(type, counts, qid, gazetteer)
    if entry is not None:
        label = entry.label
    elif counts:
        label = min(counts, key=lambda f: (-len(f.split()), -len(f), -counts[f], f))
    else:
        return "", ()
    return label, tuple(sorted(f for f in counts if f != label))


def _linked_entry(type: str, counts, qid: str | None, gazetteer: Gazetteer | None) -> GazetteerEntry | None:
    if gazetteer is None:
        return None
    return gazetteer_match(type, sorted(counts, key=lambda f: (-counts[f], f)), qid, gazetteer)


def gazetteer_match(type: str, forms: Iterable[str], qid: str | None, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """Return the gazetteer entry of compatible type that a QID, a form, or a country-qualified form names."""
    if qid and (entry := gazetteer.by_qid(qid)) is not None and _compatible(type, entry.type):
        return entry
    forms = [f for f in forms if f]
    for form in forms:
        entry = gazetteer.lookup(form)
        if entry is not None and _compatible(type, entry.type):
            return entry
    if coarse_type(type) == "organization":
        for form in forms:
            if (entry := _country_qualified(form, gazetteer)) is not None:
                return entry
    return None


def _compatible(type_a: str, type_b: str) -> bool:
    return coarse_type(type_a) == coarse_type(type_b)


def _country_qualified(form: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """Return the organization a country-qualified name denotes, else None.

    "Britain's Competition and Markets Authority" -> the CMA (a UK body); "Russia's defence ministry"
    -> "Russian defence ministry"; "Ukraine's armed forces" -> "armed forces of Ukraine".
    """
    match = _POSSESSIVE_HEAD.match(form.strip())
    splits = [(match["head"], match["rest"])] if match else []
    words = form.split()
    splits += [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, min(3, len(words) - 1) + 1)]
    for head, rest in splits:
        country = gazetteer.lookup(head)
        if country is None or country.type != "Country":
            continue
        variants = [rest, *(f"{demonym} {rest}" for demonym in country.demonyms[:1]), f"{rest} of {country.label}"]
        for variant in variants:
            entry = gazetteer.lookup(variant)
            if entry is not None and coarse_type(entry.type) == "organization" and entry.country == country.label:
                return entry
    return None
