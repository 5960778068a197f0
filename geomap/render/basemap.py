"""The boundaries as the map draws them: every country and first-level unit encoded once, with
the country labels, and cached on disk (beside the gazetteer index) keyed by the boundary sources
and this module, so a build reads them in milliseconds and never loads the boundary layers.

Boundaries are most of the page, so their coordinates are stored compactly: each ring is
quantised to a grid, delta-encoded and written as zigzag base-32 varints in a URL-safe
64-character alphabet (usually one character per coordinate), and decoded back into GeoJSON by
the map's script (``static/map.js``).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.cache import cache_dir
from geomap.data import ADMIN1_FILE, COUNTRIES_PACKAGE
from geomap.files import write_atomically
from geomap.render.assets import script_json

if TYPE_CHECKING:  # encoding only: a build reads the encoded boundaries from the cache
    import numpy as np
    import shapely
    from geopandas import GeoDataFrame

REGION_DIGITS = 3  # ~100 m
BASEMAP_DIGITS = 2  # ~1 km
BASEMAP_TOLERANCE = 0.03  # degrees; ~5 px at zoom 8
# The varint alphabet: 64 characters that need no escaping in JSON, HTML or URLs.
RING_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class Basemap:
    """Encoded boundaries, as JSON text ready for the page (a build splices it in, never decodes
    it): ``countries`` (a list of shapes at :data:`BASEMAP_DIGITS`), their ``labels`` (a list of
    ``[name, lat, lon]``, safe inside ``<script>``) and ``regions``, ISO 3166-2 code ->
    ``(name, shape at REGION_DIGITS)``."""

    countries: str
    labels: str
    regions: dict[str, tuple[str, str]]


def encode(countries: GeoDataFrame, admin1: GeoDataFrame) -> Basemap:
    """Encode boundary layers (frames as :mod:`geomap.geo.boundaries` gives them)."""
    return Basemap(
        countries=_compact([encode_shape(g, BASEMAP_DIGITS, BASEMAP_TOLERANCE)
                            for g in countries.geometry if g is not None and not g.is_empty]),
        labels=script_json(country_labels(countries)),
        regions={r.iso_3166_2: (r.name, _compact(encode_shape(r.geometry, REGION_DIGITS)))
                 for r in admin1.sort_values("iso_3166_2").itertuples()
                 if isinstance(r.iso_3166_2, str) and r.geometry is not None
                 and not r.geometry.is_empty})


def _compact(shapes: Any) -> str:
    """Encoded shapes as JSON text (their rings use only :data:`RING_ALPHABET`)."""
    return json.dumps(shapes, separators=(",", ":"))


def load() -> Basemap:
    """The installed boundaries encoded, from the disk cache (encoded and cached first if
    missing: a few seconds, once)."""
    path = cache_dir() / f"basemap-{_source_key()}.json"
    try:
        data = json.loads(path.read_text("utf-8"))
        return Basemap(data["countries"], data["labels"],
                       {iso: (name, shape) for iso, (name, shape) in data["regions"].items()})
    except (OSError, ValueError, KeyError, TypeError):  # missing or damaged: encode again
        pass
    from geomap.geo import boundaries

    basemap = encode(boundaries.countries(), boundaries.admin1())
    write_atomically(path, json.dumps({"countries": basemap.countries, "labels": basemap.labels,
                                       "regions": basemap.regions}))
    return basemap


def _source_key() -> str:
    """Identifies the boundary data and the code that encodes it."""
    h = hashlib.sha256(ADMIN1_FILE.read_bytes())
    h.update(importlib.metadata.version(COUNTRIES_PACKAGE).encode())
    package = Path(__file__).resolve().parent.parent
    for path in (package / "geo" / "boundaries.py", Path(__file__)):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def country_labels(countries: GeoDataFrame) -> list[list[Any]]:
    """``[name, lat, lon]`` per country: its label point, else a point inside it."""
    if {"lat", "lon"} <= set(countries.columns):
        points = zip(countries["lat"], countries["lon"])
    else:
        inner = countries.geometry.representative_point()
        points = zip(inner.y, inner.x)
    return [[name, round(float(lat), 3), round(float(lon), 3)]
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
