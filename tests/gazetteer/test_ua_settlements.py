"""Ukraine's codifier villages matched to GeoNames and placed at their hromada's centre
(data/build_ua_settlements.py): namesakes within an oblast are told apart by where their hromada
lies, and a hromada's point is that of the town it is named after."""
from __future__ import annotations

import csv
import sys

from paths import ROOT

from geomap import gazetteer
from geomap.geo.distance import km

sys.path.insert(0, str(ROOT / "data"))
import build_ua_settlements as build  # noqa: E402

HROMADAS = {"H1": "Лісовська", "H2": "Польська"}
ISO = {"O": "UA-99"}


def unit(code: str, hromada: str, name: str) -> build.Unit:
    return build.Unit(code, "O", "R", hromada, "C", name)


def place(lat: float, lon: float, population: int = 600) -> build.Known:
    return build.Known(lat, lon, population, "UA-99", True)


# Two hromadas 100 km apart, each with a village of its own name known to GeoNames, and a
# Ivanivka in each; GeoNames knows only the Ivanivka by the second hromada.
SETTLEMENTS = [unit("A1", "H1", "Лісове"), unit("A2", "H1", "Іванівка"),
               unit("B1", "H2", "Поле"), unit("B2", "H2", "Іванівка")]
LISY, POLE, IVANIVKA = place(48.0, 37.0, 5000), place(48.0, 38.35, 4000), place(48.05, 38.3)
PLACES = {"лісове": [LISY], "поле": [POLE], "іванівка": [IVANIVKA]}


def test_a_place_that_namesakes_share_goes_to_the_one_whose_hromada_it_lies_in():
    found = build.matches(SETTLEMENTS, ISO, PLACES, HROMADAS)
    assert found == {"A1": LISY, "B1": POLE, "B2": IVANIVKA}


def test_a_namesake_matched_far_from_its_hromada_is_no_match():
    far = place(49.5, 35.0)  # 200 km from both hromadas
    found = build.matches(SETTLEMENTS, ISO, PLACES | {"іванівка": [far]}, HROMADAS)
    assert "A2" not in found and "B2" not in found


def test_a_hromada_is_named_after_its_centre():
    assert build.names_its_hromada(unit("X", "H", "Мирне"), {"H": "Мирненська"})
    assert build.names_its_hromada(unit("X", "H", "Дебальцеве"), {"H": "Дебальцівська"})
    assert not build.names_its_hromada(unit("X", "H", "Андріївка"), {"H": "Мирненська"})


def test_a_hromadas_point_is_its_centres_even_where_a_village_of_it_is_larger():
    big = place(48.0, 37.1, 9000)
    settlements = [unit("A1", "H1", "Лісове"), unit("A3", "H1", "Дуби")]
    centres = build.unit_centres(settlements, {"A1": LISY, "A3": big}, HROMADAS)
    assert centres["H1"] == LISY


def codifier_village(name: str, admin1: str, near: tuple[float, float]) -> float:
    """Kilometres from ``near`` to the nearest codifier village of ``name`` in ``admin1``."""
    gaz = gazetteer.load()
    return min(km(*near, e.lat, e.lon) for e in (gaz.entry(i) for i, _ in gaz.namesakes(name))
               if e.admin1 == admin1 and e.located)


def test_the_shipped_villages_sit_at_their_own_hromadas_centre():
    assert codifier_village("Kniazivka", "UA-65", (47.49, 33.53)) < 10  # Vysokopillia's
    assert codifier_village("Heorhiivka", "UA-14", (47.95, 37.50)) < 10  # Marinka's
    assert codifier_village("Starohnativka", "UA-14", (47.43, 37.73)) < 10  # Myrne's


def test_every_shipped_village_lies_in_the_oblast_the_codifier_gives():
    from geomap.data import UA_SETTLEMENTS_FILE
    from geomap.geo.join import locate

    with UA_SETTLEMENTS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    found = locate([(float(r["lat"]), float(r["lon"])) for r in rows])
    assert [r["katottg"] for r, (_, admin1) in zip(rows, found) if admin1 != r["admin1"]] == []
