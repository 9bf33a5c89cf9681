"""Entity cue words: kg/lexicon/entity_cues.toml read once into sets and dicts.

The lists serve every extractor that needs to know a kind of word: organization and place words, titles,
descriptions, pronouns, collectives, group roles and number words; and the names of the world's cities
(kg/lexicon/cities.tsv, from GeoNames).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

CUES_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "entity_cues.toml"
GIVEN_NAMES_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "given_names.toml"
CITIES_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "cities.tsv"


class Cues:
    """The word lists of kg/lexicon/entity_cues.toml, as sets and dicts ready for look-up."""

    def __init__(self, data: dict):
        """Take the parsed TOML; index its lists."""
        org = data["organization"]
        self.org_priority: list[str] = org["priority"]
        self.org_words: dict[str, set[str]] = {kind: set(words) for kind, words in org["words"].items()}
        self.party_names = set(org.get("party_names", []))
        place = data["place"]
        self.region_words = set(place["region_words"])
        self.regions = set(place["regions"])
        self.compass = set(place["compass"])
        self.dateline_words = set(place.get("dateline_words", []))
        self.place_nouns = set(place.get("place_nouns", []))
        self.elsewhere_words = set(place.get("elsewhere_words", []))
        self.place_prepositions = set(place.get("place_prepositions", []))
        self.site_words = set(place.get("site_words", []))
        self.thoroughfare_words = set(place.get("thoroughfare_words", []))
        self.city_of_nouns = set(place.get("city_of_nouns", []))
        self.locative_prepositions = set(place.get("locative_prepositions", []))
        self.junk_patterns = [re.compile(p, re.IGNORECASE) for p in data["junk"]["patterns"]]
        self.junk_words = set(data["junk"]["words"])
        self.descriptions: dict[str, list[str]] = data["descriptions"]
        self.pronouns: dict[str, str] = data["pronouns"]
        self.relative_pronouns = set(data.get("relative_pronouns", {}).get("words", []))
        genders = data.get("genders", {})
        self.gender_words: dict[str, str] = {w: kind for kind in ("female", "male") for w in genders.get(kind, [])}
        self.collectives: dict[str, str] = data["collectives"]
        self.new_entity_modifiers = set(data.get("new_entity", {}).get("modifiers", []))
        titles = data["titles"]
        self.positions = set(titles["positions"])
        self.leader_titles = set(titles["leader"])
        self.founder_titles = set(titles["founder"])
        self.head_of_state = set(titles["head_of_state"])
        self.local_heads = set(titles.get("local_head", []))
        self.title_modifiers = set(titles["title_modifiers"])
        self.title_words = {word for title in self.positions for word in title.split()}
        groups = data["groups"]
        self.roles = set(groups["roles"])
        self.irregular_roles: dict[str, str] = groups["irregular"]
        self.generic_roles = set(groups["generic"])
        self.role_modifiers = set(groups["role_modifiers"])
        numbers = data["numbers"]
        self.number_words: dict[str, int] = numbers["words"]
        self.number_scales: dict[str, int] = numbers["scales"]
        self.vague_numbers = set(numbers["vague"])


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_FILE) -> Cues:
    """Read the cue-word file (default kg/lexicon/entity_cues.toml) once; return it as Cues."""
    with open(path, "rb") as handle:
        return Cues(tomllib.load(handle))


@lru_cache(maxsize=1)
def load_given_names(path: Path = GIVEN_NAMES_FILE) -> dict[str, str]:
    """Read kg/lexicon/given_names.toml once; return {lower-case given name: "female" | "male"}."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {name: kind for kind in ("female", "male") for name in data.get(kind, [])}


@lru_cache(maxsize=1)
def load_city_names(path: Path = CITIES_FILE) -> frozenset[str]:
    """Read kg/lexicon/cities.tsv once; return the lower-case names of its cities (15,000 people or more)."""
    with open(path, encoding="utf-8") as handle:
        next(handle)  # the header
        return frozenset(line.split("\t", 1)[0].lower() for line in handle)
