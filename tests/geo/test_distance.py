"""Distances: between two points, and from a point to a line of points."""
from __future__ import annotations

import math
import random

import pytest

from geomap.geo.distance import km, km_apart_in_longitude, km_to_line

LINE = ((48.0, 37.0), (48.0, 38.0), (49.0, 38.0))  # east along 48°N, then north along 38°E


def test_a_point_beside_a_segment_is_as_far_as_its_foot():
    assert km_to_line(48.1, 37.5, LINE) == pytest.approx(km(48.1, 37.5, 48.0, 37.5), rel=0.01)


def test_a_point_past_the_lines_end_is_as_far_as_the_end():
    assert km_to_line(47.5, 36.0, LINE) == pytest.approx(km(47.5, 36.0, 48.0, 37.0), rel=0.01)


def test_the_nearest_segment_counts_and_a_vertex_is_on_the_line():
    assert km_to_line(48.5, 38.2, LINE) == pytest.approx(km(48.5, 38.2, 48.5, 38.0), rel=0.01)
    assert km_to_line(48.0, 38.0, LINE) == 0.0
    assert km_to_line(48.3, 37.4, ((48.3, 37.4),)) == 0.0


def test_the_longitude_bound_never_exceeds_the_distance_and_is_near_it_on_the_equator():
    rng = random.Random(16)
    for _ in range(20_000):
        lat1, lon1 = rng.uniform(-90, 90), rng.uniform(-180, 180)
        lat2, lon2 = min(90.0, max(-90.0, lat1 + rng.uniform(-2, 2))), rng.uniform(-180, 180)
        cos_lat = min(math.cos(math.radians(lat1)), math.cos(math.radians(lat2)))
        assert km_apart_in_longitude(lon1, lon2, cos_lat) <= km(lat1, lon1, lat2, lon2)
    assert km_apart_in_longitude(179.5, -179.5, 1.0) == pytest.approx(
        2 / math.pi * km(0.0, 179.5, 0.0, -179.5))  # across the antimeridian: 1 degree, not 359
