"""Tests for kg.resolve.gazetteer: the shipped facts, the tolerant look-ups and user extra files."""

from __future__ import annotations

import pytest

from kg.resolve.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer, normalize, read_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.parametrize(
    ("name", "label", "qid"),
    [
        ("Britain", "United Kingdom", "Q145"),
        ("UK", "United Kingdom", "Q145"),
        ("U.K.", "United Kingdom", "Q145"),
        ("Great Britain", "United Kingdom", "Q145"),
        ("Britain's", "United Kingdom", "Q145"),
        ("the Emirates", "United Arab Emirates", "Q878"),
        ("UAE", "United Arab Emirates", "Q878"),
        ("South Korea", "South Korea", "Q884"),
        ("Republic of Korea", "South Korea", "Q884"),
        ("ROK", "South Korea", "Q884"),
        ("North Korea", "North Korea", "Q423"),
        ("DPRK", "North Korea", "Q423"),
        ("US", "United States", "Q30"),
        ("U.S.", "United States", "Q30"),
        ("the U.S.'s", "United States", "Q30"),
        ("America", "United States", "Q30"),
        ("RUSSIA", "Russia", "Q159"),
        ("ukraine", "Ukraine", "Q212"),
    ],
)
def test_country_names_and_aliases(gazetteer, name, label, qid):
    entry = gazetteer.lookup(name)
    assert entry is not None and (entry.label, entry.type, entry.qid) == (label, "Country", qid)


@pytest.mark.parametrize(
    ("name", "label", "kind", "country"),
    [
        ("Activision", "Activision Blizzard", "Company", "United States"),
        ("Activision Blizzard", "Activision Blizzard", "Company", "United States"),
        ("Meta", "Meta Platforms", "Company", "United States"),
        ("NIS", "National Intelligence Service", "GovernmentOrganization", "South Korea"),
        ("CMA", "Competition and Markets Authority", "GovernmentOrganization", "United Kingdom"),
        ("CIO", "Corruption Investigation Office for High-ranking Officials", "GovernmentOrganization", "South Korea"),
        ("SBU", "Security Service of Ukraine", "GovernmentOrganization", "Ukraine"),
        ("the Pentagon", "United States Department of Defense", "GovernmentOrganization", "United States"),
        ("F.B.I.", "Federal Bureau of Investigation", "GovernmentOrganization", "United States"),
        ("EADS", "EADS", "Company", None),
        ("NATO", "NATO", "Organization", None),
        ("Doctors Without Borders", "Médecins Sans Frontières", "Organization", None),
        ("Workers Party of Korea", "Workers' Party of Korea", "PoliticalParty", "North Korea"),
        ("Johnson and Johnson", "Johnson & Johnson", "Company", "United States"),
    ],
)
def test_organizations(gazetteer, name, label, kind, country):
    entry = gazetteer.lookup(name)
    assert entry is not None and (entry.label, entry.type, entry.country) == (label, kind, country)


def test_enough_organizations(gazetteer):
    assert len(gazetteer.organizations) >= 300
    assert {e.type for e in gazetteer.organizations} == {
        "Organization",
        "GovernmentOrganization",
        "ArmedForce",
        "PoliticalParty",
        "Company",
    }


def test_unknown_and_ambiguous_names(gazetteer):
    assert gazetteer.lookup("Korea") is None  # both Koreas: deliberately absent
    assert gazetteer.lookup("Congo") is None
    assert gazetteer.lookup("Zorblaxia") is None
    assert gazetteer.lookup("") is None


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("Ukrainian", "Ukraine"),
        ("Emirati", "United Arab Emirates"),
        ("British", "United Kingdom"),
        ("Briton", "United Kingdom"),
        ("South Korean", "South Korea"),
        ("North Koreans", "North Korea"),
        ("north korean", "North Korea"),
    ],
)
def test_demonyms(gazetteer, word, label):
    assert gazetteer.by_demonym(word).label == label


def test_shared_demonym_is_not_guessed(gazetteer):
    assert gazetteer.by_demonym("Congolese") is None
    assert gazetteer.by_demonym("Martian") is None


@pytest.mark.parametrize(
    ("seat", "label"),
    [("Pyongyang", "North Korea"), ("the Kremlin", "Russia"), ("Kremlin", "Russia"), ("Washington", "United States")],
)
def test_seats(gazetteer, seat, label):
    assert gazetteer.by_seat(seat).label == label


def test_a_country_name_is_not_a_seat(gazetteer):
    assert gazetteer.by_seat("Russia") is None


def test_capitals_and_cities(gazetteer):
    assert gazetteer.capital_of("Seoul").label == "South Korea"
    assert gazetteer.capital_of("Kiev").label == "Ukraine"
    kyiv = gazetteer.city("Kiev")
    assert (kyiv.label, kyiv.type, kyiv.qid, kyiv.country) == ("Kyiv", "City", "Q1899", "Ukraine")
    assert gazetteer.city("Pyongyang").qid == "Q18808"
    assert gazetteer.city("Ukraine") is None
    assert gazetteer.lookup("Seoul").type == "City"
    assert gazetteer.lookup("Singapore").type == "Country"  # the country wins over its city-state capital


def test_by_qid(gazetteer):
    assert gazetteer.by_qid("Q423").label == "North Korea"
    assert gazetteer.by_qid("Q8684").label == "Seoul"
    assert gazetteer.by_qid("Q0") is None


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("the U.S.'s", "us"),
        ("Kim Jong-un", "kim jong un"),
        ("Médecins Sans Frontières", "medecins sans frontieres"),
        ("Workers’ Party", "workers party"),
        ("  The   Hague ", "hague"),
        ("AT&T", "at and t"),
    ],
)
def test_normalize(raw, key):
    assert normalize(raw) == key


def test_no_alias_points_to_two_entries(gazetteer):
    owners: dict[str, set[str]] = {}
    for entry in (*gazetteer.countries, *gazetteer.organizations):
        for name in entry.names:
            owners.setdefault(normalize(name), set()).add(entry.label)
    assert {key: labels for key, labels in owners.items() if len(labels) > 1} == {}


def test_extra_file_adds_and_overrides(tmp_path):
    extra = tmp_path / "extra.tsv"
    extra.write_text(
        "name\taliases\ttype\tcountry_iso2\twikidata\n"
        "Quillfeather Games\tQuillfeather\tCompany\tKR\t\n"
        "Ubisoft\tUbi\tCompany\tFR\tQ999999999\n",
        encoding="utf-8",
    )
    gazetteer = read_gazetteer(extra)
    quill = gazetteer.lookup("Quillfeather")
    assert (quill.label, quill.type, quill.country) == ("Quillfeather Games", "Company", "South Korea")
    ubisoft = gazetteer.lookup("Ubi")
    assert ubisoft.qid == "Q999999999"
    assert gazetteer.lookup("Ubisoft Entertainment") is None  # the override replaced the old aliases
    assert load_gazetteer().lookup("Quillfeather") is None


def test_extra_country_file(tmp_path):
    extra = tmp_path / "countries.tsv"
    extra.write_text(
        "name\tofficial_name\taliases\tdemonyms\tiso2\tiso3\twikidata\tcapital\tcapital_wikidata\t"
        "seat_of_government_aliases\nFreedonia\tRepublic of Freedonia\tFDN\tFreedonian|Freedonians\tXF\tXFD\t\t"
        "Marxburg\t\tMarxburg\n",
        encoding="utf-8",
    )
    gazetteer = read_gazetteer(extra)
    assert gazetteer.lookup("FDN").label == "Freedonia"
    assert gazetteer.by_demonym("Freedonians").label == "Freedonia"
    assert gazetteer.capital_of("Marxburg").label == "Freedonia"
    assert gazetteer.lookup("UK").label == "United Kingdom"


def test_load_is_cached():
    assert load_gazetteer() is load_gazetteer()


def test_entries_are_frozen(gazetteer):
    entry = gazetteer.lookup("UK")
    assert isinstance(entry, GazetteerEntry)
    with pytest.raises(AttributeError):
        entry.label = "Elsewhere"  # type: ignore[misc]


def test_a_malformed_qid_in_a_user_file_is_ignored_with_a_warning(tmp_path, caplog):
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "name\taliases\ttype\tcountry_iso2\twikidata\n"
        'Nordlicht Energi\tNordlicht\tCompany\tNO\tQ1> <x:y> "z" . } } ; DROP ALL ; #\n',
        encoding="utf-8",
    )
    from kg.resolve.gazetteer import read_gazetteer

    with caplog.at_level("WARNING", logger="kg.resolve.gazetteer"):
        gazetteer = read_gazetteer(extra)
    entry = gazetteer.lookup("Nordlicht Energi")
    assert entry is not None and entry.qid is None
    assert f"{extra}:2" in caplog.text and "not a Wikidata QID" in caplog.text
