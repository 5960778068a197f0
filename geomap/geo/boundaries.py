"""Boundary layers: Natural Earth 10m first-level units and countries, simplified alike, and the
countries' outlines as the map draws them, made of their first-level units.

Both layers are loaded once per process and cached on disk as FlatGeobuf under
:func:`geomap.cache.cache_dir`, keyed by their sources and this code, so a warm load takes
milliseconds:

>>> admin1().set_index("iso_3166_2").loc["UA-63", "name"]
'Kharkiv'
>>> countries().set_index("iso_a2").loc["UA", "name"]
'Ukraine'
"""
from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geomap.cache import Artefact
from geomap.data import ADMIN1_FILE, COUNTRIES_PACKAGE, COUNTRIES_ZIP
from geomap.errors import DataError

TOLERANCE = 0.01  # degrees, Douglas-Peucker (~1.1 km), the same for both layers so borders align
GRID = 1e-4  # degrees (~11 m)


def simplify(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Valid geometry, simplified (topology preserved per feature) on a 1e-4 degree grid."""
    valid = shapely.make_valid(geometry.values)
    simple = shapely.set_precision(shapely.simplify(valid, TOLERANCE, preserve_topology=True), GRID)
    return gpd.GeoSeries(simple, index=geometry.index, crs=geometry.crs)


def _cached_layer(name: str, build: Callable[[], gpd.GeoDataFrame], data: tuple[Path, ...] = (),
                  packages: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """The layer ``build`` makes, cached as FlatGeobuf (an :class:`~geomap.cache.Artefact`)."""
    return Artefact(name, ".fgb", build, dump=_flatgeobuf, load=gpd.read_file, code=(__name__,),
                    data=data, packages=(*packages, "geopandas", "pyogrio", "shapely")).get()


def _flatgeobuf(frame: gpd.GeoDataFrame) -> bytes:
    buffer = io.BytesIO()
    pyogrio.write_dataframe(frame, buffer, driver="FlatGeobuf")
    return buffer.getvalue()


def _read_admin1() -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(f"/vsigzip/{ADMIN1_FILE}")
    except pyogrio.errors.DataSourceError as e:
        raise DataError(f"cannot read {ADMIN1_FILE}: {e}") from e


@cache
def admin1() -> gpd.GeoDataFrame:
    """First-level units (``data/admin1.geojson.gz``, see ``data/README.md``), one row per NE unit.

    Columns: ``iso_3166_2`` (null for NE units without a code), ``country`` (ISO alpha-2),
    ``name``, ``names`` (``|``-joined variants), ``type_en``, ``gn_a1_code``, ``gn_id``,
    ``wikidataid``, ``lat``, ``lon`` (a point inside the unit) and ``geometry``.
    """
    if not ADMIN1_FILE.exists():
        raise DataError(f"missing {ADMIN1_FILE}; rebuild it with data/build_boundaries.py")
    return _cached_layer("admin1", _read_admin1, data=(ADMIN1_FILE,)).astype({"gn_id": "Int64"})


def _iso_a2(ne: pd.DataFrame) -> pd.Series:
    """NE's ISO_A2, else ISO_A2_EH (France, Norway, Kosovo carry -99 in ISO_A2), else null."""
    code = ne["ISO_A2"].where(ne["ISO_A2"] != "-99", ne["ISO_A2_EH"])
    return code.where(code != "-99")


def _read_countries() -> gpd.GeoDataFrame:
    """Countries from the 10m zip, one row per ISO code, attributes from its largest part."""
    with resources.as_file(resources.files(COUNTRIES_PACKAGE) / COUNTRIES_ZIP) as path:
        ne = gpd.read_file(path, encoding="utf-8")
    frame = gpd.GeoDataFrame(
        {"iso_a2": _iso_a2(ne), "name": ne["ADMIN"], "names": _names_in_languages(ne),
         "lat": ne["LABEL_Y"], "lon": ne["LABEL_X"],
         "area": shapely.area(ne.geometry.values)},  # planar degrees: enough to rank parts
        geometry=simplify(ne.geometry), crs=ne.crs,
    ).dropna(subset=["iso_a2"])
    frame = frame.sort_values("area", ascending=False).dissolve("iso_a2", aggfunc="first")
    return frame.drop(columns="area").reset_index().sort_values("iso_a2", ignore_index=True)


def _names_in_languages(ne: gpd.GeoDataFrame) -> list[str]:
    """Each country's names in the other languages geomap reads (NE's ``NAME_UK``, ``NAME_RU``:
    Україна, Украина), ``|``-joined."""
    from geomap.languages import ENGLISH, LANGUAGES

    columns = [f"NAME_{code.upper()}" for code in LANGUAGES if code != ENGLISH]
    return ["|".join(n for n in names if isinstance(n, str)) for names in zip(*(ne[c] for c in columns))]


@cache
def countries() -> gpd.GeoDataFrame:
    """Countries, Crimea in Ukraine: columns ``iso_a2``, ``name``, ``names`` (in the other languages
    geomap reads, ``|``-joined), ``lat``, ``lon``, ``geometry``.

    ``lat``/``lon`` are NE's label point. Units without an ISO code (Bir Tawil, Spratly Islands,
    the British bases on Cyprus) are left out.
    """
    if importlib.util.find_spec(COUNTRIES_PACKAGE) is None:
        raise DataError(f"the package {COUNTRIES_PACKAGE} is not installed")
    return _cached_layer("countries", _read_countries, packages=(COUNTRIES_PACKAGE,))


def outlines(admin1: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Countries made of their first-level units, so that a unit's edge on its country's border is
    the same line as the border: columns ``iso_a2`` (as ``countries`` writes it) and
    ``geometry``, sorted by code.

    A unit goes to the country of ``countries`` its representative point lies in (Crimea to
    Ukraine, Somaliland to Somalia, Puerto Rico to PR), else to the country of its own code
    (Paracel Islands, Lakshadweep: outside the simplified countries); the units of no country at
    all (the British bases on Cyprus, Guantanamo Bay, Spratly Islands) make one shape without a
    code.
    """
    points = gpd.GeoDataFrame(geometry=admin1.geometry.representative_point(), crs=admin1.crs)
    hits = gpd.sjoin(points, countries[["iso_a2", "geometry"]], predicate="within")
    inside = hits["iso_a2"][~hits.index.duplicated()].reindex(admin1.index)
    units = gpd.GeoDataFrame({"iso_a2": inside.fillna(admin1["country"])},
                             geometry=admin1.geometry.values, crs=admin1.crs)
    return units.dissolve("iso_a2", dropna=False, sort=True).reset_index()
