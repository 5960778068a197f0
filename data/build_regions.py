"""Build ``geomap/data/regions.csv``: the regions that group Natural Earth's first-level units
where Natural Earth lists a country's second level (Spain's autonomous communities over its
provinces, Italy's regions, France's regions, Belgium's regions).

Sources: ISO 3166-2 as the PyPI package ``pycountry`` 26.2.16 gives it (LGPL 2.1; each
subdivision's ``parent_code``: ES-B's parent is ES-CT), which says which Natural Earth units
(``geomap/data/admin1.geojson.gz``, by their ISO code) make each region, and the region's local
name(s) ("Catalunya [Cataluña]" -> Catalunya, Cataluña); the English names of the dr5hn
countries-states-cities database as the PyPI package ``countrystatecity-countries`` 2.0.1 ships it
(ODbL 1.0; ``data/by-country/XX/states.json``: "Catalonia", "Lombardy"). Its coordinates are not
used: a region's point is the representative point of the union of its units' polygons (the
centroid where that lies inside), so it is always inside the region. A region is written when two
or more units of ``admin1.geojson.gz`` make it (one unit is the region already: Asturias, Madrid)
and its country is one of :data:`COUNTRIES`. Install both packages into a temporary folder::

    pip install --no-deps --target /tmp/regions pycountry==26.2.16 countrystatecity-countries==2.0.1

then run, from the repository root::

    PYTHONPATH=/tmp/regions .venv/bin/python data/build_regions.py [geomap/data/regions.csv]

The output is deterministic (sorted by ISO code, 4 decimals).
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGET = ROOT / "geomap" / "data" / "regions.csv"
ADMIN1 = ROOT / "geomap" / "data" / "admin1.geojson.gz"
COUNTRIES = ("ES", "IT", "FR", "BE", "RS")  # where Natural Earth's units are ISO's second level
_BRACKETED = re.compile(r"^(.+?) \[(.+)\]$")  # "Catalunya [Cataluña]": two local names
_WORDS = re.compile(r"^[^\W\d_][\w .'’\-–]*$")  # not Natural Earth's mojibake (C¢rsega)


def local_names(iso_name: str) -> list[str]:
    """ISO 3166-2's name(s) of a subdivision, without its inverted forms ("wallonne, Région")."""
    m = _BRACKETED.match(iso_name)
    names = [m.group(1), m.group(2)] if m else [iso_name]
    return [n for n in names if "," not in n]


def english_names(country: str) -> dict[str, str]:
    """ISO code -> the dr5hn database's English name of each state of ``country``."""
    path = (resources.files("countrystatecity_countries") / "data" / "by-country" / country
            / "states.json")
    return {s["iso3166_2"]: s["name"] for s in json.loads(path.read_text("utf-8"))
            if s.get("iso3166_2")}


def groups(units: gpd.GeoDataFrame) -> dict[str, list[str]]:
    """Parent ISO code -> the codes of the Natural Earth units it holds, for the regions that no
    Natural Earth unit is itself."""
    import pycountry

    codes = set(units["iso_3166_2"].dropna())
    out: dict[str, list[str]] = {}
    for code in sorted(codes):
        sub = pycountry.subdivisions.get(code=code)
        if sub is not None and sub.parent_code and sub.parent_code not in codes \
                and sub.country_code in COUNTRIES:
            out.setdefault(sub.parent_code, []).append(code)
    return {parent: members for parent, members in out.items() if len(members) >= 2}


def shared_names(units: gpd.GeoDataFrame, regions: dict[str, list[str]]) -> dict[str, list[str]]:
    """Parent ISO code -> the other names (Natural Earth's ``name_alt``) that two or more and at
    least half of its units carry and that are no unit's own name: the region's (Lombardy,
    Lombardei on each of Lombardy's provinces; Brittany on Finistère and its neighbours). A name
    that two regions' units carry (Latium on Lazio's and Liguria's) is neither's."""
    own = set(units["name"])
    names_of = {code: set(str(names).split("|")) - {name}
                for code, name, names in zip(units["iso_3166_2"], units["name"], units["names"])}
    found: dict[str, list[str]] = {}
    for parent, members in regions.items():
        counts = Counter(n for code in members for n in names_of.get(code, ()))
        found[parent] = [n for n, k in sorted(counts.items()) if k >= max(2, len(members) / 2)
                         and n not in own and _WORDS.match(n)]
    claims = Counter(n for names in found.values() for n in names)
    return {parent: [n for n in names if claims[n] == 1] for parent, names in found.items()}


def inner_point(shape: shapely.Geometry) -> shapely.Point:
    """The centroid where it lies inside ``shape``, else a representative point."""
    centroid = shape.centroid
    return centroid if shape.contains(centroid) else shape.representative_point()


def rows() -> list[tuple]:
    """One row per region: code, country, English name, other names, units, lat, lon."""
    import pycountry

    units = gpd.read_file(f"/vsigzip/{ADMIN1}")
    english: dict[str, dict[str, str]] = {}
    regions = groups(units)
    shared = shared_names(units, regions)
    out = []
    for parent, members in sorted(regions.items()):
        sub = pycountry.subdivisions.get(code=parent)
        country = sub.country_code
        english.setdefault(country, english_names(country))
        local = local_names(sub.name)
        name = english[country].get(parent) or local[0]
        if "," in name:  # "Asturias, Principality of": ISO's inverted form
            name = local[0]
        others = [n for n in dict.fromkeys([*local, *shared[parent]]) if n != name]
        point = inner_point(shapely.union_all(units[units["iso_3166_2"].isin(members)].geometry))
        out.append((parent, country, name, "|".join(others), "|".join(members),
                    f"{point.y:.4f}", f"{point.x:.4f}"))
    return out


def build(target: Path) -> int:
    """Write the CSV; the number of regions written."""
    written = rows()
    with target.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["code", "country", "name", "names", "units", "lat", "lon"])
        out.writerows(written)
    return len(written)


def main(argv: list[str]) -> None:
    target = Path(argv[0]) if argv else DEFAULT_TARGET
    print(f"{build(target)} regions -> {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
