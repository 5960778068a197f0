"""Derive GeoNames' representative points of countries and first-level regions from gold corpora.

Geoparsing gold (LGL, TR-News, GeoVirus and most of the literature) puts a country or region where
GeoNames does (the United States at 39.76N 98.5W, Russia at 60N 100E), not at a capital, a
centroid or Natural Earth's label point. No registry package ships those points, but each corpus
repeats them: this script collects, for every gold toponym whose name is a country or region in
geomap's gazetteer and whose point lies in that unit, the point, and keeps for each unit the point
the gold gives most often (at least twice, identical to 0.01 degrees: GeoNames' point, not an
annotator's click). Only these facts are written, never corpus text.

usage: python data/build_area_points.py OUT.csv GOLD.jsonl [GOLD.jsonl ...]
(e.g. data/area_points.csv ../shared/eval/lgl.jsonl ../shared/eval/trnews.jsonl ../shared/eval/geovirus.jsonl)
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

MIN_OBSERVATIONS = 2


def gold_points(paths: list[Path]):
    """(surface, lat, lon) of every gold toponym with a point."""
    for path in paths:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                for t in json.loads(line).get("toponyms", []):
                    if t.get("lat") is not None and t.get("lon") is not None and t.get("name"):
                        yield t["name"], float(t["lat"]), float(t["lon"])


def unit_codes(gaz, surface: str) -> set[str]:
    """Codes of the countries (ISO alpha-2) and regions (ISO 3166-2) a name can denote."""
    codes = set()
    for index, _ in gaz.lookup(surface)[0]:
        e = gaz.entry(index)
        if e.feature == "country" and e.country:
            codes.add(e.country)
        elif e.feature == "admin1" and e.admin1:
            codes.add(e.admin1)
    return codes


def collect(paths: list[Path]) -> dict[str, Counter]:
    from geomap import gazetteer, join

    gaz = gazetteer.load()
    candidates = [(codes, lat, lon) for surface, lat, lon in gold_points(paths)
                  if (codes := unit_codes(gaz, surface))]
    located = join.locate([(lat, lon) for _, lat, lon in candidates])
    seen: dict[str, Counter] = defaultdict(Counter)
    for (codes, lat, lon), (country, admin1) in zip(candidates, located):
        for code in codes & {country, admin1}:
            seen[code][(round(lat, 2), round(lon, 2))] += 1
    return seen


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit(__doc__)
    out, golds = Path(argv[0]), [Path(p) for p in argv[1:]]
    rows = []
    for code, points in sorted(collect(golds).items()):
        (lat, lon), n = points.most_common(1)[0]
        if n >= MIN_OBSERVATIONS:
            rows.append((code, f"{lat:.2f}", f"{lon:.2f}", n))
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "lat", "lon", "observations"])
        w.writerows(rows)
    print(f"{len(rows)} unit points written to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
