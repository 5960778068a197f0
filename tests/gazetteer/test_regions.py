"""Regions over Natural Earth's units where it lists a country's second level (Catalonia over
Spain's provinces; data/build_regions.py -> geomap/data/regions.csv), and the regions' names that
Natural Earth gives each of their units, which are no longer the units'."""
from __future__ import annotations

import csv
import sys

import geopandas as gpd
import shapely
from paths import ROOT

from geomap import gazetteer
from geomap.data import REGIONS_FILE
from geomap.geo import boundaries
from geomap.stages.pipeline import parse_text

sys.path.insert(0, str(ROOT / "data"))
import build_regions as build  # noqa: E402


def resolved(text: str) -> list[tuple[str, str, str | None, str]]:
    """(surface, name, country, feature) of each mention."""
    return [(m.text, m.place.name, m.place.country, m.place.feature)
            for m in parse_text(text).mentions]


def square(x: float, y: float) -> shapely.Polygon:
    return shapely.box(x, y, x + 1, y + 1)


def test_iso_names_split_their_bracketed_second_name_and_lose_their_inverted_forms():
    assert build.local_names("Catalunya [Cataluña]") == ["Catalunya", "Cataluña"]
    assert build.local_names("wallonne, Région") == []
    assert build.local_names("Lombardia") == ["Lombardia"]


def test_a_name_most_units_of_a_region_share_is_the_regions_unless_another_region_shares_it():
    units = gpd.GeoDataFrame({
        "iso_3166_2": ["XX-A", "XX-B", "XX-C", "XX-D", "XX-E"],
        "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
        "names": ["Alpha|Upland|Mixed|Ol¢d", "Beta|Upland|Mixed|Ol¢d", "Gamma|Upland",
                  "Delta|Mixed|Lowland", "Epsilon|Mixed|Lowland|Alpha"],
    }, geometry=[square(i, 0) for i in range(5)])
    regions = {"XX-1": ["XX-A", "XX-B", "XX-C"], "XX-2": ["XX-D", "XX-E"]}
    # Upland: three of three; Mixed: also the other region's; Ol¢d: mojibake; Alpha: a unit's own
    assert build.shared_names(units, regions) == {"XX-1": ["Upland"], "XX-2": ["Lowland"]}


def test_a_regions_point_lies_inside_its_units_even_where_their_centroid_does_not():
    ring = shapely.union_all([square(0, 0), square(1, 0), square(2, 0), square(0, 1), square(2, 1),
                              square(0, 2), square(1, 2), square(2, 2)])  # a hole in the middle
    assert ring.contains(build.inner_point(ring))
    assert build.inner_point(square(0, 0)).equals(shapely.Point(0.5, 0.5))


def test_every_region_is_made_of_known_units_and_its_point_lies_in_their_union():
    units = boundaries.admin1()
    with REGIONS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"ES-CT", "IT-25", "IT-82", "BE-WAL", "FR-BRE"} <= {r["code"] for r in rows}
    for r in rows:
        members = units[units["iso_3166_2"].isin(r["units"].split("|"))]
        assert len(members) >= 2 and set(members["country"]) == {r["country"]}, r["code"]
        point = shapely.Point(float(r["lon"]), float(r["lat"]))
        assert shapely.union_all(members.geometry).buffer(1e-6).contains(point), r["code"]


def test_a_regions_name_is_no_longer_any_of_its_provinces():
    gaz = gazetteer.load()
    found = [gaz.entry(i) for i, _ in gaz.lookup("Lombardy")[0]]
    assert not any(e.feature == "admin1" for e in found)  # Milan's, Bergamo's… before
    region = next(e for e in found if e.feature == "region")
    assert region.country == "IT" and {"IT-MI", "IT-BG", "IT-BS"} <= set(region.admin1_all)


def test_a_town_named_like_its_unit_keeps_the_units_other_names():
    gaz = gazetteer.load()
    assert {gaz.entry(i).admin1 for i, _ in gaz.lookup("Київ")[0]} == {"UA-30", "UA-32"}


def test_regions_are_found_in_news_sentences():
    assert resolved("Floods hit Catalonia on Monday.") == [
        ("Catalonia", "Catalonia", "ES", "region")]
    assert resolved("Cases rose in the Lombardy region.") == [
        ("Lombardy", "Lombardy", "IT", "region")]
    assert resolved("Fires burned in Sicily and Sardinia.") == [
        ("Sicily", "Sicily", "IT", "region"), ("Sardinia", "Sardinia", "IT", "region")]
    assert resolved("Milan and Lombardy were hit.") == [
        ("Milan", "Milan", "IT", "city"), ("Lombardy", "Lombardy", "IT", "region")]


def test_a_region_named_like_a_town_is_the_town_where_the_text_says_town():
    assert resolved("Police in the town of Andalusia said so.") == [
        ("Andalusia", "Andalusia", "US", "city")]
    assert resolved("Police in Flanders, New Jersey, said so.")[0] == (
        "Flanders", "Flanders", "US", "city")


def test_a_regions_name_that_is_a_word_or_a_given_name_is_no_place():
    assert resolved("Emilia said she would return to Paris.") == [("Paris", "Paris", "FR", "city")]
    assert resolved("The marches were quiet in Rome.") == [("Rome", "Rome", "IT", "city")]
    assert not any(e.feature == "region" for e in (gazetteer.load().entry(i) for i, _ in
                                                   gazetteer.load().lookup("Marches")[0]))
