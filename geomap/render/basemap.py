"""The boundaries as the map draws them: every country and first-level unit encoded once, with
the country labels, and cached on disk (beside the gazetteer index) keyed by the boundary sources
and the code that encodes them, so a build reads them in milliseconds and never loads the
boundary layers.

Boundaries are most of the page, so their coordinates are stored compactly: each ring is
quantised to a grid, delta-encoded and written as zigzag base-32 varints in a URL-safe
64-character alphabet (usually one character per coordinate), and decoded back into GeoJSON by
the map's script (``static/map.js``).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.cache import Artefact
from geomap.data import ADMIN1_FILE, COUNTRIES_PACKAGE
from geomap.render.assets import script_json
from geomap.render.records import LabelRecord, columns

if TYPE_CHECKING:  # encoding only: a build reads the encoded boundaries from the cache
    import numpy as np
    import shapely
    from geopandas import GeoDataFrame

DIGITS = 3  # ~100 m: the grid of every boundary drawn, countries and regions alike
OBLAST_COUNTRIES = {"UA", "RU", "BY"}
# The varint alphabet: 64 characters that need no escaping in JSON, HTML or URLs.
RING_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class Basemap:
    """Encoded boundaries, as JSON text ready for the page (a build splices it in, never decodes
    it): ``countries`` (a list of shapes), their ISO 3166-1 ``codes`` (a list in the same order,
    null where a country has none), their ``labels`` (a table of
    :class:`~geomap.render.records.LabelRecord`, safe inside ``<script>``) and ``regions``,
    ISO 3166-2 code -> ``(English name, shape)``; and ``names``, the countries' names by code.
    Every shape is on the grid of :data:`DIGITS`."""

    countries: str
    codes: str
    labels: str
    regions: dict[str, tuple[str, str]]
    names: dict[str, str]


def encode(countries: GeoDataFrame, admin1: GeoDataFrame) -> Basemap:
    """Encode boundary layers (frames as :mod:`geomap.geo.boundaries` gives them): the regions on
    the grid of :data:`DIGITS`, and the countries as the union of their regions on that grid
    (:func:`~geomap.geo.boundaries.outlines`), so that a region's edge on a border and the
    country's outline are one line at every zoom; names and labels are the countries'."""
    from geomap.geo.boundaries import outlines

    units = admin1.set_geometry([_reduce(g, DIGITS) for g in admin1.geometry], crs=admin1.crs)
    units = units[[not g.is_empty for g in units.geometry]]
    drawn = outlines(units, countries)
    codes = [country_code(code) for code in drawn["iso_a2"]]
    return Basemap(
        countries=_compact([encode_shape(g, DIGITS) for g in drawn.geometry]),
        codes=_compact(codes),
        labels=script_json(columns(LabelRecord, country_labels(countries))),
        regions={r.iso_3166_2: (region_name(r.name, getattr(r, "type_en", None), r.country),
                                _compact(encode_shape(r.geometry, DIGITS)))
                 for r in units.sort_values("iso_3166_2").itertuples()
                 if isinstance(r.iso_3166_2, str)},
        names=dict(sorted((code, name) for code, name in zip(
            map(country_code, countries["iso_a2"]), countries["name"])
            if code and isinstance(name, str))))


def country_code(iso_a2: object) -> str | None:
    """A country's ISO 3166-1 code as Natural Earth writes it (``CN-TW`` for Taiwan: ``TW``);
    None where it has none (``-99``)."""
    code = str(iso_a2).split("-")[-1] if isinstance(iso_a2, str) else ""
    return code if len(code) == 2 and code.isalpha() else None


def region_name(name: str, kind: object, country: object) -> str:
    """A first-level unit's name in English as a reader expects it: Natural Earth's "Region" of
    Ukraine, Russia and Belarus is an oblast (Kharkiv Oblast); other names as they are."""
    if kind == "Region" and country in OBLAST_COUNTRIES and not name.endswith("Oblast"):
        return f"{name} Oblast"
    return name


def _compact(shapes: Any) -> str:
    """Encoded shapes as JSON text (their rings use only :data:`RING_ALPHABET`)."""
    return json.dumps(shapes, separators=(",", ":"))


def load() -> Basemap:
    """The installed boundaries encoded, from the disk cache (encoded and cached first if
    missing: a few seconds, once)."""
    return Artefact("basemap", ".json", _encode_installed, dump=_dump, load=_load,
                    code=(__name__,), data=(ADMIN1_FILE,),
                    packages=(COUNTRIES_PACKAGE, "geopandas", "pyogrio", "shapely")).get()


def _encode_installed() -> Basemap:
    from geomap.geo import boundaries

    return encode(boundaries.countries(), boundaries.admin1())


def _dump(basemap: Basemap) -> str:
    return json.dumps({"countries": basemap.countries, "codes": basemap.codes,
                       "labels": basemap.labels, "regions": basemap.regions,
                       "names": basemap.names})


def _load(path: Path) -> Basemap:
    data = json.loads(path.read_text("utf-8"))
    return Basemap(data["countries"], data["codes"], data["labels"],
                   {iso: (name, shape) for iso, (name, shape) in data["regions"].items()},
                   data["names"])


def country_labels(countries: GeoDataFrame) -> list[LabelRecord]:
    """A label per country: at its label point, else a point inside it."""
    if {"lat", "lon"} <= set(countries.columns):
        points = zip(countries["lat"], countries["lon"])
    else:
        inner = countries.geometry.representative_point()
        points = zip(inner.y, inner.x)
    return [LabelRecord(name, round(float(lat), 3), round(float(lon), 3))
            for name, (lat, lon) in zip(countries["name"], points)
            if name and math.isfinite(lat) and math.isfinite(lon)]


def _reduce(geom: shapely.Geometry, digits: int, tolerance: float = 0.0) -> shapely.Geometry:
    """``geom`` simplified by ``tolerance`` degrees and snapped to a grid of ``10**-digits``."""
    import shapely

    if tolerance:
        geom = shapely.simplify(geom, tolerance)
    try:
        reduced = shapely.set_precision(geom, 10 ** -digits)
    except shapely.errors.GEOSException:
        reduced = geom
    return geom if reduced.is_empty else reduced


def encode_shape(geom: shapely.Geometry, digits: int, tolerance: float = 0.0) -> list[list[str]]:
    """A (multi)polygon as ``[[ring, ...], ...]`` (one list per polygon, outer ring first).

    Each ring is :func:`encode_ring` of its vertices in ``10**-digits`` degree units, without the
    closing vertex (Leaflet closes polygons itself).
    """
    import numpy as np
    import shapely

    scale = 10 ** digits
    geom = _reduce(geom, digits, tolerance)
    polygons = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, shapely.Polygon)]
    out = []
    for polygon in polygons:
        rings = []
        for ring in [polygon.exterior, *polygon.interiors]:
            grid = np.rint(np.asarray(ring.coords)[:-1, :2] * scale).astype(np.int64)
            if len(grid) >= 3:
                rings.append(encode_ring(grid))
        if rings:
            out.append(rings)
    return out


def encode_ring(points: np.ndarray) -> str:
    """Integer ``(x, y)`` vertices as text: the first vertex, then each one's difference from the
    last, every number zigzag-mapped (0, -1, 1, -2 … → 0, 1, 2, 3 …) and written in 5-bit groups,
    low first, one character each, the 6th bit marking that another group follows."""
    import numpy as np

    deltas = np.diff(points, axis=0, prepend=[[0, 0]]).ravel()
    chars = []
    for value in deltas.tolist():
        z = 2 * value if value >= 0 else -2 * value - 1
        while z >= 32:
            chars.append(RING_ALPHABET[32 | (z & 31)])
            z >>= 5
        chars.append(RING_ALPHABET[z])
    return "".join(chars)


def decode_ring(text: str) -> list[tuple[int, int]]:
    """The integer vertices :func:`encode_ring` wrote (the browser does the same in JS)."""
    numbers, z, shift = [], 0, 0
    for char in text:
        c = RING_ALPHABET.index(char)
        z += (c & 31) << shift
        shift += 5
        if not c & 32:
            numbers.append(z // 2 if z % 2 == 0 else -(z + 1) // 2)
            z, shift = 0, 0
    x = y = 0
    out = []
    for dx, dy in zip(numbers[::2], numbers[1::2]):
        x, y = x + dx, y + dy
        out.append((x, y))
    return out
