"""The gazetteer: countries, their capitals and seats of government, and well-known organizations.

Facts live in TSV files under kg/lexicon/ (see kg/lexicon/README.md for their sources):
`countries.tsv` and `organizations.tsv` (copied from the project's checked fact tables),
`organizations_added.tsv` (organizations this project added) and `city_aliases.tsv` (other
spellings of capitals). Every name is indexed once, in dicts keyed by `normalize(name)`, so a
look-up costs one normalisation and one dict access.
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent.parent / "lexicon"
COUNTRIES_FILE = LEXICON / "countries.tsv"
ORGANIZATIONS_FILES = (LEXICON / "organizations.tsv", LEXICON / "organizations_added.tsv")
CITY_ALIASES_FILE = LEXICON / "city_aliases.tsv"

# The fact tables type bodies with a few kinds the ontology folds into kg:Organization.
_ONTOLOGY_TYPE = {"InternationalOrganization": "Organization", "NGO": "Organization"}

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")
_DROPPED = re.compile(r"[.']")  # "U.S." -> "us", "People's" -> "peoples"
_SEPARATORS = re.compile(r"[^\w]+")  # hyphens, commas, slashes, brackets ... -> one space
_LEADING_THE = re.compile(r"^the ")


@lru_cache(maxsize=1 << 17)
def normalize(name: str) -> str:
    """Return the look-up key of a name.

    Takes any surface form; returns it with accents stripped (NFKD), case folded, "&" read as
    "and", a final possessive "'s" and a leading "the" dropped, dots and apostrophes removed
    and every other run of punctuation or white space turned into one space:
    "the U.S.'s" -> "us", "Kim Jong-un" -> "kim jong un", "Médecins" -> "medecins".
    """
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()
    text = _POSSESSIVE.sub("", text).replace("&", " and ")
    text = _SEPARATORS.sub(" ", _DROPPED.sub("", text)).strip()
    return _LEADING_THE.sub("", text)


@dataclass(frozen=True)
class GazetteerEntry:
    """One known country, capital city or organization.

    `label` is the canonical name, `type` the ontology class local name (Country, City, Company,
    GovernmentOrganization, ArmedForce, PoliticalParty, Organization), `qid` the Wikidata item or
    None when unknown; `seats` the metonyms news uses for a country's government; `country` the
    label of the country an organization or capital belongs to.
    """

    label: str
    type: str
    qid: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    iso2: str | None = None
    capital: str | None = None
    seats: tuple[str, ...] = ()
    country: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Return the label followed by every alias."""
        return (self.label, *self.aliases)


_AMBIGUOUS = GazetteerEntry(label="", type="", qid=None, aliases=(), demonyms=())


def _index(index: dict[str, GazetteerEntry], names: Iterable[str], entry: GazetteerEntry) -> None:
    """Add names -> entry to an index; a key already held by another entry becomes ambiguous."""
    for name in names:
        key = normalize(name)
        if not key:
            continue
        held = index.get(key)
        if held is None:
            index[key] = entry
        elif held is not entry and held.label != entry.label:
            index[key] = _AMBIGUOUS


def _found(index: dict[str, GazetteerEntry], name: str) -> GazetteerEntry | None:
    entry = index.get(normalize(name))
    return None if entry is None or entry is _AMBIGUOUS else entry


class Gazetteer:
    """In-memory indexes over gazetteer entries: by name or alias, demonym, seat of government and capital."""

    def __init__(self, countries: Iterable[GazetteerEntry], organizations: Iterable[GazetteerEntry], cities=()):
        """Build the indexes from country, organization and city entries (in priority order)."""
        self.countries = tuple(countries)
        self.organizations = tuple(organizations)
        self.cities = tuple(cities)
        self._names: dict[str, GazetteerEntry] = {}
        self._demonyms: dict[str, GazetteerEntry] = {}
        self._seats: dict[str, GazetteerEntry] = {}
        self._capitals: dict[str, GazetteerEntry] = {}
        self._cities: dict[str, GazetteerEntry] = {}
        self._qids: dict[str, GazetteerEntry] = {}
        named = self.countries + self.organizations
        # Labels first, so that an entry's own name always beats another entry's alias.
        for entry in named:
            self._names.setdefault(normalize(entry.label), entry)
        for entry in named:
            for alias in entry.aliases:
                self._names.setdefault(normalize(alias), entry)
        by_label = {entry.label: entry for entry in self.countries}
        for entry in self.countries:
            _index(self._demonyms, entry.demonyms, entry)
            _index(self._seats, entry.seats, entry)
        for city in self.cities:
            _index(self._cities, city.names, city)
            if city.country in by_label:
                _index(self._capitals, city.names, by_label[city.country])
        for entry in named + self.cities:
            if entry.qid:
                self._qids.setdefault(entry.qid, entry)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        """Yield every entry: countries, organizations, then capital cities."""
        yield from self.countries
        yield from self.organizations
        yield from self.cities

    def lookup(self, name: str) -> GazetteerEntry | None:
        """Return the country or organization a name or alias denotes, else the capital city it names, else None.

        Tolerant of case, accents, punctuation, a leading "the" and a possessive "'s":
        "Britain", "the U.K.", "UK's" -> United Kingdom; "Seoul" -> the City entry of Seoul.
        """
        key = normalize(name)
        entry = self._names.get(key) or self._cities.get(key)
        return None if entry is None or entry is _AMBIGUOUS else entry

    def by_demonym(self, word: str) -> GazetteerEntry | None:
        """Return the country of a demonym ("North Korean", "North Koreans", "Briton"), None if unknown or shared."""
        key = normalize(word)
        entry = self._demonyms.get(key)
        if entry is None and key.endswith("s"):
            entry = self._demonyms.get(key[:-1])
        return None if entry is None or entry is _AMBIGUOUS else entry

    def by_seat(self, name: str) -> GazetteerEntry | None:
        """Return the country whose government a seat metonym names ("Pyongyang", "the Kremlin"), else None."""
        return _found(self._seats, name)

    def capital_of(self, name: str) -> GazetteerEntry | None:
        """Return the country whose capital is named ("Seoul" -> South Korea, "Kiev" -> Ukraine), else None."""
        return _found(self._capitals, name)

    def city(self, name: str) -> GazetteerEntry | None:
        """Return the City entry of a capital by name or alias (qid is the capital's QID), else None."""
        return _found(self._cities, name)

    def by_qid(self, qid: str) -> GazetteerEntry | None:
        """Return the entry linked to a Wikidata QID ("Q423" -> North Korea), else None."""
        return self._qids.get(qid)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def _unique(names: Iterable[str], *, besides: str) -> tuple[str, ...]:
    """Return names in first-seen order without repeats and without `besides`."""
    seen = {besides}
    kept = []
    for name in names:
        if name not in seen:
            seen.add(name)
            kept.append(name)
    return tuple(kept)


def _read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Yield a table's rows as dicts; a malformed QID is dropped with a warning naming the file and line."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            if not (row.get("name") or row.get("capital") or "").strip():
                continue
            row = {key: (value or "").strip() for key, value in row.items() if key}
            for column in ("wikidata", "capital_wikidata"):
                if row.get(column) and not _QID.fullmatch(row[column]):
                    _log.warning(
                        "%s:%d: %s %r is not a Wikidata QID; ignored", path, reader.line_num, column, row[column]
                    )
                    row[column] = ""
            yield row


_QID = re.compile(r"Q[1-9][0-9]*")
_log = logging.getLogger("kg.resolve.gazetteer")


def _country_entry(row: dict[str, str]) -> GazetteerEntry:
    label = row["name"]
    names = (*_split(row.get("official_name")), *_split(row.get("aliases")))
    return GazetteerEntry(
        label=label,
        type="Country",
        qid=row.get("wikidata") or None,
        aliases=_unique(names, besides=label),
        demonyms=_split(row.get("demonyms")),
        iso2=row.get("iso2") or None,
        capital=row.get("capital") or None,
        seats=_split(row.get("seat_of_government_aliases")),
    )


def _organization_entry(row: dict[str, str], country_of_iso2: dict[str, str]) -> GazetteerEntry:
    label = row["name"]
    kind = row.get("type") or "Organization"
    return GazetteerEntry(
        label=label,
        type=_ONTOLOGY_TYPE.get(kind, kind),
        qid=row.get("wikidata") or None,
        aliases=_unique(_split(row.get("aliases")), besides=label),
        demonyms=(),
        country=country_of_iso2.get(row.get("country_iso2", "")) or None,
    )


def _city_entries(
    countries: Iterable[GazetteerEntry], country_rows: dict[str, dict[str, str]], extra_aliases: dict[str, tuple]
) -> list[GazetteerEntry]:
    """Return a City entry for each country's capital, with its QID from the country row."""
    cities = []
    for country in countries:
        if not country.capital:
            continue
        aliases = _unique(extra_aliases.get(country.capital, ()), besides=country.capital)
        cities.append(
            GazetteerEntry(
                label=country.capital,
                type="City",
                qid=country_rows[country.label].get("capital_wikidata") or None,
                aliases=aliases,
                demonyms=(),
                country=country.label,
            )
        )
    return cities


def _is_country_table(path: Path) -> bool:
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
    return "iso3" in header or "official_name" in header


def read_gazetteer(extra: Path | None = None) -> Gazetteer:
    """Read the lexicon TSV files, plus an optional extra file, into a new Gazetteer.

    `extra` is a TSV in the format of countries.tsv (recognised by its `official_name`/`iso3`
    columns) or of organizations.tsv; its rows add entries, or replace the entry with the same name.
    """
    country_rows = {row["name"]: row for row in _read_rows(COUNTRIES_FILE)}
    org_rows = {row["name"]: row for path in ORGANIZATIONS_FILES for row in _read_rows(path)}
    if extra is not None:
        target = country_rows if _is_country_table(Path(extra)) else org_rows
        for row in _read_rows(Path(extra)):
            target.pop(row["name"], None)
            target[row["name"]] = row
    countries = [_country_entry(row) for row in country_rows.values()]
    country_of_iso2 = {entry.iso2: entry.label for entry in countries if entry.iso2}
    organizations = [_organization_entry(row, country_of_iso2) for row in org_rows.values()]
    extra_aliases = {row["capital"]: _split(row.get("aliases")) for row in _read_rows(CITY_ALIASES_FILE)}
    cities = _city_entries(countries, country_rows, extra_aliases)
    return Gazetteer(countries, organizations, cities)


@lru_cache(maxsize=8)
def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """Return the Gazetteer of the lexicon files (plus `extra`, see read_gazetteer), built once per argument."""
    return read_gazetteer(extra)
