"""Builds that are interrupted, parallel or distributed, and the notebook API."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import geomap
from geomap import export, pipeline
from geomap.workers import Workers

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = SEEDS / "003_18cfb9e21a9eeed5.txt"


def stored_articles(catalog: Path) -> int:
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_build_killed_half_way_leaves_the_maps_and_the_next_build_completes(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "seed.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    pipeline.build(articles, out)
    before = {name: (out / name).read_bytes() for name in ("index.html", "mentions.geojson")}
    text = SEED.read_text("utf-8")
    for i in range(60):
        (articles / f"copy{i:02d}.txt").write_text(f"{text}\nReport {i} from Kharkiv.\n", "utf-8")
    build = subprocess.Popen([sys.executable, "-m", "geomap", "build", "--articles", str(articles),
                              "--out", str(out)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_articles(out / "catalog.gpkg") < 3 and time.monotonic() < deadline:
        assert build.poll() is None, "the build finished before it could be killed"
        time.sleep(0.02)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert {name: (out / name).read_bytes() for name in before} == before
    report = pipeline.build(articles, out)
    assert report.articles == 61 and 0 < report.parsed < 60
    assert "copy59.txt" in (out / "mentions.geojson").read_text("utf-8")
    assert not list(out.glob(".build-*"))


def records(articles):
    return export.mention_records(articles)


@pytest.fixture(scope="module")
def serial():
    return pipeline.parse_paths([SEEDS])[0]


def test_a_process_pool_parses_as_one_process_does(serial):
    assert records(pipeline.parse_paths([SEEDS], workers=Workers(jobs=2, min_pool=1))[0]) == records(serial)


def test_a_dask_local_cluster_of_two_workers_parses_as_one_process_does(serial):
    workers = Workers(jobs=2, dask=True, processes=False)
    assert records(pipeline.parse_paths([SEEDS], workers=workers)[0]) == records(serial)


def test_a_build_on_dask_fills_the_same_catalog(tmp_path):
    workers = Workers(jobs=2, dask=True, processes=False)
    report = pipeline.build(SEEDS, tmp_path, workers=workers)
    assert report.parsed == 2 and stored_articles(tmp_path / "catalog.gpkg") == 2
    assert pipeline.build(SEEDS, tmp_path).unchanged == 2


def test_the_api_parses_text_loads_layers_and_shows_a_map():
    mentions = geomap.parse("Shelling hit Izium, in Kharkiv oblast.")
    assert [m["admin1"] for m in mentions if m["text"] == "Izium"] == ["UA-63"]
    layers = geomap.load(SEEDS)
    assert len(layers.mentions) > 50 and len(layers.regions) > 3
    assert layers.places.crs.to_epsg() == 4326
    shown = geomap.Map(layers)._repr_html_()
    assert shown.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') or \
        shown.startswith('<iframe srcdoc="&lt;!doctype html&gt;')
