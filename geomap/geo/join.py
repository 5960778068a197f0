"""The join stage: points to their country and first-level unit (ISO 3166-2).

>>> locate([(49.98, 36.25), (46.6354, 32.6169), (30.0, -40.0)])
[('UA', 'UA-63'), ('UA', 'UA-65'), (None, None)]

Distances are equirectangular: degrees of longitude are scaled by the cosine of the latitude
and one degree counts 111.32 km, which is within 0.5 % of the geodesic distance at the few
kilometres these rules look at.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.geo.boundaries import admin1, countries

NEAREST_KM = 5.0  # a point in no unit takes the nearest one within this distance
RECONCILE_KM = 50.0  # the gazetteer's own unit wins if the point is at most this far from it
KM_PER_DEGREE = 111.32

Point = tuple[float, float]


def _frame(points: Sequence[Point]) -> gpd.GeoDataFrame:
    """(lat, lon) pairs as a point layer indexed 0..n-1."""
    lat, lon = np.asarray(points, dtype=float).reshape(-1, 2).T
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)


def _distance_km(points: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Equirectangular length of the shortest line from each point to its geometry."""
    ends = shapely.get_coordinates(shapely.shortest_line(points, geoms)).reshape(-1, 2, 2)
    dlon, dlat = ends[:, 1, 0] - ends[:, 0, 0], ends[:, 1, 1] - ends[:, 0, 1]
    return KM_PER_DEGREE * np.hypot(dlon * np.cos(np.radians(ends[:, :, 1].mean(axis=1))), dlat)


def _within(frame: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> pd.Series:
    """Row label in ``layer`` of the (first) polygon holding each point, NaN for none."""
    hits = gpd.sjoin(frame, layer[["geometry"]], predicate="within", how="inner")
    return hits["index_right"][~hits.index.duplicated()].reindex(frame.index)


def _nearest(frame: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, max_km: float) -> pd.Series:
    """Row label in ``layer`` of the polygon nearest to each point if within ``max_km``."""
    if frame.empty:
        return pd.Series(np.nan, index=frame.index)
    top = min(float(frame.geometry.y.abs().max()), 85.0)
    degrees = max_km / (KM_PER_DEGREE * np.cos(np.radians(top)))  # a bound in every direction
    point_i, layer_i = layer.sindex.query(frame.geometry.values, predicate="dwithin",
                                          distance=degrees)
    pairs = pd.DataFrame({
        "point": frame.index[point_i], "row": layer.index[layer_i],
        "km": _distance_km(frame.geometry.values[point_i], layer.geometry.values[layer_i]),
    })
    best = pairs[pairs["km"] <= max_km].sort_values("km", kind="stable").drop_duplicates("point")
    return best.set_index("point")["row"].reindex(frame.index)


def locate(points: Sequence[Point]) -> list[tuple[str | None, str | None]]:
    """(country ISO alpha-2, ISO 3166-2 code) of each (lat, lon) point; None where unknown.

    A point takes the unit whose polygon holds it, else the nearest unit within
    :data:`NEAREST_KM` (riverside and coastal towns fall just outside the simplified polygons).
    Its country is that unit's; with no unit, the country whose polygon holds the point.
    """
    frame = _frame(points)
    units = admin1()
    rows = _within(frame, units)
    missing = rows.isna()
    rows[missing] = _nearest(frame[missing], units, NEAREST_KM)
    unit = units.reindex(rows.to_numpy())
    country = pd.Series(unit["country"].to_numpy(), index=frame.index)
    no_country = country.isna()
    shapes = countries()
    country[no_country] = shapes["iso_a2"].reindex(_within(frame[no_country], shapes)).to_numpy()
    return [(_text(c), _text(a)) for c, a in zip(country, unit["iso_3166_2"])]


def _text(value: object) -> str | None:
    return None if pd.isna(value) else str(value)


@cache
def _crosswalk() -> dict[str, str]:
    """GeoNames admin1 code -> ISO 3166-2 code, for GeoNames codes that name a single unit.

    Where GeoNames' first level is coarser than NE's (France's regions hold several
    departments, the Philippines' regions several provinces) the code is left out.
    """
    pairs = admin1()[["gn_a1_code", "iso_3166_2"]].dropna().drop_duplicates()
    return dict(pairs.drop_duplicates("gn_a1_code", keep=False).itertuples(index=False))


def admin1_by_geonames(code: str) -> str | None:
    """The ISO 3166-2 code of a GeoNames admin1 code: ``"UA.07"`` -> ``"UA-63"``; None if none
    or several."""
    return _crosswalk().get(code)


def distance_to_admin1_km(points: Sequence[Point],
                          codes: Sequence[str | None]) -> list[float | None]:
    """Distance from each (lat, lon) point to the polygon(s) of its ISO 3166-2 code, 0 inside.

    None where the code is None or unknown.
    """
    frame = _frame(points)
    units = admin1().dropna(subset=["iso_3166_2"])
    pairs = pd.DataFrame({"code": list(codes)}).reset_index().merge(
        units[["iso_3166_2", "geometry"]], left_on="code", right_on="iso_3166_2")
    km = _distance_km(frame.geometry.values[pairs["index"]], pairs["geometry"].to_numpy())
    nearest = pd.Series(km).groupby(pairs["index"].to_numpy()).min().reindex(frame.index)
    return [_number(v) for v in nearest]


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def reconcile(gazetteer_admin1: str | None, polygon_admin1: str | None,
              distance_km: float | None = None, max_km: float = RECONCILE_KM) -> str | None:
    """Choose between the gazetteer's own first-level unit and the polygon the point falls in.

    The gazetteer's unit wins unless the point lies more than ``max_km`` from that unit's
    polygon (``distance_km``, from :func:`distance_to_admin1_km`; None means not measured).
    Near borders the simplified polygons are coarser than GeoNames' codes, even across
    countries (Ukrainian border villages fall in Romanian or Russian polygons), and NE lacks
    enclaves and exclaves (Slavutych, 34 km from Kyiv Oblast's polygon, belongs to it); a code
    far beyond that is a crosswalk or gazetteer error, so there the polygon wins.
    """
    if gazetteer_admin1 is None:
        return polygon_admin1
    if polygon_admin1 is None or distance_km is None or distance_km <= max_km:
        return gazetteer_admin1
    return polygon_admin1
