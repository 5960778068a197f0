"""The join stage on the real boundary data: points to country and ISO 3166-2 unit."""
from __future__ import annotations

import csv

import shapely

from geomap.data import UA_SETTLEMENTS_FILE
from geomap.geo import boundaries, join

KHERSON = (46.6354, 32.6169)


def only(lat: float, lon: float) -> tuple[str | None, str | None]:
    return join.locate([(lat, lon)])[0]


def test_kharkiv_is_in_kharkiv_oblast() -> None:
    assert only(49.98, 36.25) == ("UA", "UA-63")


def test_izium_is_in_kharkiv_oblast() -> None:
    assert only(49.2087, 37.2565) == ("UA", "UA-63")


def test_bucha_is_in_kyiv_oblast() -> None:
    assert only(50.5436, 30.2127) == ("UA", "UA-32")


def test_kyiv_is_in_kyiv_city() -> None:
    assert only(50.4501, 30.5234) == ("UA", "UA-30")


def test_simferopol_is_in_crimea_in_ukraine() -> None:
    assert only(44.95, 34.10) == ("UA", "UA-43")


def test_kherson_outside_every_polygon_takes_the_nearest_unit() -> None:
    assert only(*KHERSON) == ("UA", "UA-65")


def test_moscow_is_moscow_city_not_the_oblast() -> None:
    assert only(55.7558, 37.6173) == ("RU", "RU-MOW")


def test_new_york_city_is_in_new_york_state() -> None:
    assert only(40.7128, -74.006) == ("US", "US-NY")


def test_washington_is_in_the_district_of_columbia() -> None:
    assert only(38.9072, -77.0369) == ("US", "US-DC")


def test_a_point_in_mid_atlantic_is_nowhere() -> None:
    assert only(30.0, -40.0) == (None, None)


def test_a_unit_without_an_iso_code_keeps_its_country() -> None:
    assert only(42.6629, 21.1655) == ("XK", None)  # Pristina


def test_locate_keeps_the_order_of_the_points() -> None:
    assert join.locate([(30.0, -40.0), KHERSON, (49.98, 36.25)]) == [
        (None, None), ("UA", "UA-65"), ("UA", "UA-63")]


def test_admin1_has_all_27_ukrainian_units() -> None:
    units = boundaries.admin1()
    assert units.loc[units["country"] == "UA", "iso_3166_2"].nunique() == 27


def test_neighbouring_units_share_their_borders_with_no_sliver_between_or_over_them() -> None:
    units = boundaries.admin1()
    ukraine = units.loc[units["country"] == "UA"].geometry.values
    union = shapely.union_all(ukraine)
    overlap = shapely.area(ukraine).sum() - union.area
    gaps = [ring for part in getattr(union, "geoms", [union]) for ring in part.interiors]
    assert overlap < 1e-9 * union.area  # simplified one by one, they overlapped by 0.04 %
    assert not gaps  # and left 210 slivers between them


def test_countries_have_one_row_per_code() -> None:
    assert boundaries.countries()["iso_a2"].is_unique


def test_countries_draw_crimea_in_ukraine() -> None:
    ukraine = boundaries.countries().set_index("iso_a2").loc["UA", "geometry"]
    assert ukraine.contains(shapely.Point(34.10, 44.95))  # Simferopol


def test_geonames_ua_07_is_kharkiv_oblast() -> None:
    assert join.admin1_by_geonames("UA.07") == "UA-63"


def test_geonames_codes_that_are_not_first_level_units_have_no_crosswalk() -> None:
    assert join.admin1_by_geonames("FR.11") is None  # Île-de-France holds eight departments


def test_distance_to_a_unit_is_zero_inside_it() -> None:
    assert join.distance_to_admin1_km([(49.98, 36.25)], ["UA-63"]) == [0.0]


def test_distance_to_an_unknown_unit_is_none() -> None:
    assert join.distance_to_admin1_km([(49.98, 36.25)], [None]) == [None]


def test_reconcile_trusts_the_gazetteer_near_its_unit() -> None:
    assert join.reconcile("UA-32", "UA-30", distance_km=3.0) == "UA-32"


def test_reconcile_trusts_the_polygon_far_from_the_gazetteer_unit() -> None:
    assert join.reconcile("CN-HA", "CN-HE", distance_km=400.0) == "CN-HE"


def test_reconcile_falls_back_to_the_polygon_without_a_gazetteer_unit() -> None:
    assert join.reconcile(None, "UA-65") == "UA-65"


def test_every_codifier_village_lies_in_the_oblast_the_codifier_gives_it():
    with UA_SETTLEMENTS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 20_000 and {r["located"] for r in rows} == {"hromada", "raion"}
    located = join.locate([(float(r["lat"]), float(r["lon"])) for r in rows])
    agree = sum(admin1 == r["admin1"] for (_, admin1), r in zip(located, rows))
    assert agree / len(rows) > 0.99
