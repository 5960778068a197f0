"""Exports in every format, read back; the regions layer; filters; the export command."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from paths import SEEDS

from geomap import export
from geomap.build import build, parse_paths
from geomap.cli import cli
from geomap.export import formats

POINT_LAYERS = ("mentions", "places", "events")


@pytest.fixture(scope="module")
def articles():
    parsed, _ = parse_paths([SEEDS])
    return parsed


def count(articles, layer):
    return len(export.layer_geojson(articles, layer)["features"])


@pytest.mark.parametrize("layer", export.LAYERS)
def test_geojson_sequences_hold_one_feature_a_line(tmp_path, articles, layer):
    path = tmp_path / "x.geojsonl"
    formats.write(articles, layer, "geojsonseq", path)
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == count(articles, layer) > 0
    assert all(json.loads(line)["type"] == "Feature" for line in lines)


@pytest.mark.parametrize("layer", export.LAYERS)
def test_geopackage_layers_read_back_with_readable_field_names(tmp_path, articles, layer):
    path = tmp_path / "x.gpkg"
    formats.write(articles, layer, "gpkg", path)
    frame = gpd.read_file(path, layer=layer)
    assert len(frame) == count(articles, layer) and frame.crs.to_epsg() == 4326
    assert all(c.isidentifier() and c.islower() for c in frame.columns)


@pytest.mark.parametrize("layer", export.LAYERS)
def test_geoparquet_reads_back_with_its_lists(tmp_path, articles, layer):
    path = tmp_path / "x.parquet"
    formats.write(articles, layer, "parquet", path)
    frame = gpd.read_parquet(path)
    assert len(frame) == count(articles, layer) and frame.crs.to_epsg() == 4326
    if layer == "places":
        assert isinstance(list(frame["articles"].iloc[0]), list)


@pytest.mark.parametrize("layer", POINT_LAYERS)
def test_csv_of_points_has_lat_lon_columns(tmp_path, articles, layer):
    path = tmp_path / "x.csv"
    formats.write(articles, layer, "csv", path)
    frame = pd.read_csv(path)
    assert len(frame) == count(articles, layer)
    assert frame["lat"].between(-90, 90).all() and frame["lon"].between(-180, 180).all()


def test_csv_of_regions_has_wkt_polygons(tmp_path, articles):
    path = tmp_path / "x.csv"
    formats.write(articles, "regions", "csv", path)
    frame = pd.read_csv(path)
    shapes = shapely.from_wkt(frame["wkt"])
    assert shapely.is_valid(shapes).all() and set(shapely.get_type_id(shapes)) <= {3, 6}


def test_regions_count_mentions_and_events_with_right_hand_rule_polygons(articles):
    features = export.regions_geojson(articles)["features"]
    kharkiv = next(f["properties"] for f in features if f["properties"]["iso_3166_2"] == "UA-63")
    assert kharkiv["name"] == "Kharkiv" and kharkiv["mentions"] > 0 and kharkiv["events"] > 0
    for f in features:
        shape = shapely.geometry.shape(f["geometry"])
        for polygon in getattr(shape, "geoms", [shape]):
            assert polygon.exterior.is_ccw


def test_since_and_article_filters_choose_articles(articles):
    assert [a.id for a in export.select(articles, names=["003_18cfb9e21a9eeed5"])] == [
        "003_18cfb9e21a9eeed5.txt"]
    published = sorted(a.published for a in articles)
    later = export.select(articles, since=dt.date.fromisoformat(published[-1]))
    assert [a.published for a in later] == [published[-1]]
    assert export.select(articles, since=dt.date(2100, 1, 1)) == []


def test_binary_formats_to_stdout_are_refused_with_a_message():
    r = CliRunner().invoke(cli, ["export", "--articles", str(SEEDS), "--format", "parquet"])
    assert r.exit_code == 1 and "-o" in r.output and r.exception.__class__ is SystemExit


def test_export_reuses_the_build_catalog_and_filters_by_article(tmp_path):
    out = tmp_path / "maps"
    build(SEEDS, out)
    r = CliRunner().invoke(cli, ["export", "--articles", str(SEEDS), "--out", str(out), "--layer",
                                 "events", "--format", "geojsonseq", "--article",
                                 "003_18cfb9e21a9eeed5.txt"])
    assert r.exit_code == 0, r.output
    events = [json.loads(line) for line in r.output.splitlines()]
    assert events and {e["properties"]["article"] for e in events} == {"003_18cfb9e21a9eeed5.txt"}


def test_places_come_out_the_same_whatever_order_their_articles_are_added(articles):
    summaries = [(a.id, export.place_summary(a)) for a in articles]
    in_order = export.places_text(summaries)
    places = export.PlacesAssembly()
    for position, (article_id, summary) in reversed(list(enumerate(summaries))):
        places.add(position, article_id, summary)
    assert places.text() == in_order
    assert json.loads(in_order) == export.places_geojson(articles)


def test_the_format_is_inferred_from_the_output_files_extension(tmp_path):
    out = tmp_path / "maps"
    build(SEEDS, out)
    common = ["export", "--articles", str(SEEDS), "--out", str(out), "--layer", "events"]
    for name in ("events.csv", "events.gpkg", "events.parquet", "events.jsonl", "events.txt",
                 "as-asked.csv"):
        asked = ["--format", "geojson"] if name == "as-asked.csv" else []
        r = CliRunner().invoke(cli, [*common, *asked, "-o", str(tmp_path / name)])
        assert r.exit_code == 0, r.output
    assert list(pd.read_csv(tmp_path / "events.csv"))[:2] == ["id", "type"]
    assert len(gpd.read_file(tmp_path / "events.gpkg", layer="events")) == \
        len(gpd.read_parquet(tmp_path / "events.parquet")) > 0
    assert json.loads((tmp_path / "events.jsonl").read_text("utf-8").splitlines()[0])["id"]
    for name in ("events.txt", "as-asked.csv"):  # no format named: GeoJSON; --format wins
        assert json.loads((tmp_path / name).read_text("utf-8"))["type"] == "FeatureCollection"


def test_a_named_format_wins_over_the_extension_and_geojson_is_the_default():
    assert formats.format_for(None, Path("x.GPKG")).name == "gpkg"
    assert formats.format_for("csv", Path("x.gpkg")).name == "csv"
    assert formats.format_for(None, None).name == formats.DEFAULT


def test_the_commands_help_lists_every_registered_format():
    r = CliRunner().invoke(cli, ["export", "--help"], terminal_width=1000)
    assert r.exit_code == 0
    assert f"--format [{'|'.join(formats.FORMATS)}]" in r.output
    for f in formats.FORMATS.values():
        assert f"{f.name}: {f.help} ({', '.join(f.suffixes)})" in r.output
