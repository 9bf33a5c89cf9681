"""Tests for tools/cities_from_geonames.py: one row per name form, the most populous city of that name."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "cities_from_geonames.py"


def _tool():
    spec = importlib.util.spec_from_file_location("cities_from_geonames", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _city(geonameid, name, code, population):
    return {"geonameid": geonameid, "name": name, "countrycode": code, "population": population}


def test_rows_keep_the_most_populous_city_of_a_name_and_an_accent_free_form():
    cities = {
        "1": _city(1, "Pelmora", "GB", 20000),
        "2": _city(2, "Pelmora", "US", 90000),
        "3": _city(3, "Zélbrück", "CH", 40000),
        "4": _city(4, "lowercase town", "FR", 50000),
    }
    rows = _tool().city_rows(cities)
    assert rows == [("Pelmora", "US", 90000, 2), ("Zelbruck", "CH", 40000, 3), ("Zélbrück", "CH", 40000, 3)]


def test_the_committed_table_has_a_header_and_four_columns():
    path = Path(__file__).resolve().parent.parent / "kg" / "lexicon" / "cities.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name\tcountry_iso2\tpopulation\tgeonameid"
    assert all(len(line.split("\t")) == 4 for line in lines[1:])
    assert lines[1:] == sorted(lines[1:])
