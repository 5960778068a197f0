"""Great-circle distance, shared by resolution and evaluation, and a point's distance to a line."""
from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # the mean radius, as the geoparsing literature and score.py use


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def km_apart_in_longitude(lon1: float, lon2: float, cos_lat: float) -> float:
    """A lower bound of :func:`km` between points at longitudes ``lon1`` and ``lon2`` whose
    latitudes' cosines are both at least ``cos_lat``: from the haversine's second term,
    ``asin(x) >= x`` and ``sin(y) >= 2y/pi`` on ``[0, pi/2]``, so ``2/pi`` of the distance along
    the parallel where the cosine is ``cos_lat``. Cheaper than :func:`km` by a sine and a root."""
    delta = abs(lon2 - lon1) % 360.0
    return _BOUND_KM_PER_DEGREE * cos_lat * min(delta, 360.0 - delta)


_BOUND_KM_PER_DEGREE = 2 / math.pi * EARTH_RADIUS_KM * math.pi / 180  # see km_apart_in_longitude
KM_PER_DEGREE = 111.19  # of latitude, and of longitude at the equator (the mean radius)


def km_to_line(lat: float, lon: float, line: tuple[tuple[float, float], ...]) -> float:
    """Kilometres from a point to the nearest point of a line of ``(lat, lon)`` vertices, on a
    plane tangent at the point (exact enough within a few hundred km)."""
    scale = math.cos(math.radians(lat)) * KM_PER_DEGREE
    xy = [((v_lon - lon) * scale, (v_lat - lat) * KM_PER_DEGREE) for v_lat, v_lon in line]
    if len(xy) == 1:
        return math.hypot(*xy[0])
    return min(_to_segment(a, b) for a, b in zip(xy, xy[1:]))


def _to_segment(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from the origin to the segment ``a``-``b`` of a plane."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if not length else max(0.0, min(1.0, -(a[0] * dx + a[1] * dy) / length))
    return math.hypot(a[0] + t * dx, a[1] + t * dy)
