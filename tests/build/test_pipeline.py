"""The pipeline on the real seeds: the mention contract, GeoJSON exports and regeneration."""
from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from paths import SEEDS

from geomap import build as builder
from geomap import ingest
from geomap.build import build, changes, parse_paths
from geomap.build.catalog import GeoPackageCatalog
from geomap.build.changes import file_digest

CONTRACT = {"article", "start", "end", "source_start", "source_end", "text", "name", "feature",
            "country", "admin1", "located", "admin1_all", "lat", "lon", "geonameid", "confidence",
            "passage"}


@pytest.fixture(scope="module")
def seed_articles():
    articles, skipped = parse_paths([SEEDS])
    assert not skipped
    return articles


def by_text(articles, text):
    return [m for a in articles for m in a.mentions if m.text == text]


def test_every_mention_carries_the_contract_fields_and_valid_offsets(seed_articles):
    for a in seed_articles:
        for m in a.mentions:
            rec = a.record(m)
            assert set(rec) == CONTRACT
            assert a.text[rec["start"]:rec["end"]] == rec["text"]
            assert (rec["source_start"], rec["source_end"]) == (rec["start"], rec["end"])  # text
            assert -90 <= rec["lat"] <= 90 and -180 <= rec["lon"] <= 180
            assert rec["feature"] in {"country", "admin1", "admin2", "region", "city", "other"}
            assert 0 <= rec["confidence"] <= 1
            assert any(p.id == rec["passage"] and p.start <= m.start < p.end for p in a.passages)


def test_parsed_articles_come_back_equal_through_pickle_as_from_a_worker(seed_articles):
    back = pickle.loads(pickle.dumps(seed_articles))
    assert back == seed_articles


def test_a_typo_luhanks_resolves_to_luhansk_oblast(seed_articles):
    [m] = by_text(seed_articles, "Luhanks")
    assert (m.place.country, m.place.admin1) == ("UA", "UA-09")


def test_donetsk_in_a_list_of_regions_is_the_oblast_not_the_city(seed_articles):
    m = by_text(seed_articles, "Donetsk")[0]
    assert (m.place.feature, m.place.admin1) == ("admin1", "UA-14")


def test_donbas_covers_donetsk_and_luhansk_oblasts(seed_articles):
    for m in by_text(seed_articles, "Donbas"):
        assert m.place.feature == "region"
        assert sorted(m.place.admin1_all) == ["UA-09", "UA-14"]


def test_izium_is_a_town_in_kharkiv_oblast(seed_articles):
    m = by_text(seed_articles, "Izium")[0]
    assert m.place.feature == "city" and m.place.admin1 == "UA-63"
    assert abs(m.place.lat - 49.2087) < 0.05 and abs(m.place.lon - 37.2565) < 0.05


def test_crimea_is_in_ukraine(seed_articles):
    m = by_text(seed_articles, "Crimea")[0]
    assert m.place.country == "UA" and "UA-43" in m.place.admin1_all


@pytest.mark.parametrize("name", ["NATO", "United Nations", "Telegram", "Ukrainian", "Soviet",
                                  "Putin", "Pushilin", "Peskov", "Truss"])
def test_organisations_people_and_demonyms_are_not_places(seed_articles, name):
    assert not by_text(seed_articles, name)


def copy_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


def test_the_build_writes_maps_pages_and_rfc7946_geojson(tmp_path):
    out = tmp_path / "maps"
    report = build(copy_seeds(tmp_path), out)
    assert (report.articles, report.parsed, report.unchanged, report.removed) == (2, 2, 0, 0)
    assert (out / "index.html").exists()
    pages = ["000_5569f9ce00dd0d52.txt.html", "003_18cfb9e21a9eeed5.txt.html"]
    assert sorted(p.name for p in (out / "articles").iterdir()) == [".pages.json", *pages]
    assert sorted(json.loads((out / "articles" / ".pages.json").read_text("utf-8"))) == pages
    for name in ("mentions.geojson", "places.geojson"):
        doc = json.loads((out / name).read_text("utf-8"))
        assert doc["type"] == "FeatureCollection" and "crs" not in doc
        for f in doc["features"]:
            lon, lat = f["geometry"]["coordinates"]
            assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    mentions = json.loads((out / "mentions.geojson").read_text("utf-8"))["features"]
    assert len(mentions) == report.mentions
    props = mentions[0]["properties"]
    assert CONTRACT <= set(props) and {"passage_text", "title", "published"} <= set(props)
    assert props["text"] in props["passage_text"]


def test_rebuilding_parses_only_what_changed_and_drops_what_was_removed(tmp_path):
    articles, out = copy_seeds(tmp_path), tmp_path / "maps"
    build(articles, out)
    again = build(articles, out)
    assert (again.parsed, again.unchanged, again.removed) == (0, 2, 0)

    (articles / "010_new.md").write_text("---\ntitle: Shelling\n---\nShelling hit Kharkiv and Izium.\n",
                                         "utf-8")
    added = build(articles, out)
    assert (added.articles, added.parsed, added.unchanged) == (3, 1, 2)

    (articles / "000_5569f9ce00dd0d52.txt").unlink()
    removed = build(articles, out)
    assert (removed.articles, removed.parsed, removed.removed) == (2, 0, 1)
    geo = (out / "mentions.geojson").read_text("utf-8")
    assert "000_5569f9ce00dd0d52.txt" not in geo and "010_new.md" in geo
    assert not (out / "articles" / "000_5569f9ce00dd0d52.txt.html").exists()


def test_rebuilding_the_same_articles_gives_byte_identical_outputs(tmp_path):
    articles = copy_seeds(tmp_path)
    build(articles, tmp_path / "a")
    build(articles, tmp_path / "b")
    for name in ("index.html", "mentions.geojson", "places.geojson",
                 "articles/000_5569f9ce00dd0d52.txt.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_editing_metadata_reparses_the_article(tmp_path):
    articles, out = copy_seeds(tmp_path), tmp_path / "maps"
    build(articles, out)
    (articles / "003_18cfb9e21a9eeed5.yaml").write_text("title: Edited\npublished: 2022-09-21\n", "utf-8")
    report = build(articles, out)
    assert (report.parsed, report.unchanged) == (1, 1)
    assert "Edited" in (out / "places.geojson").read_text("utf-8") or \
        "Edited" in (out / "mentions.geojson").read_text("utf-8")


def test_pages_of_unchanged_articles_are_kept_and_changed_ones_rendered_again(tmp_path):
    articles, out = copy_seeds(tmp_path), tmp_path / "maps"
    build(articles, out)
    kept, edited = (out / "articles" / f"{stem}.txt.html"
                    for stem in ("000_5569f9ce00dd0d52", "003_18cfb9e21a9eeed5"))
    inodes = {kept: kept.stat().st_ino, edited: edited.stat().st_ino}
    (articles / "003_18cfb9e21a9eeed5.yaml").write_text("title: Edited <b>here</b>\n", "utf-8")
    (articles / "010_new.txt").write_text("Shelling hit Kharkiv and Izium.\n", "utf-8")
    build(articles, out)
    assert kept.stat().st_ino == inodes[kept]  # the same file, linked into the new outputs
    assert edited.stat().st_ino != inodes[edited]
    assert "Edited &lt;b&gt;here&lt;/b&gt;" in edited.read_text("utf-8")
    assert (out / "articles" / "010_new.txt.html").exists()

    fresh = tmp_path / "fresh"
    build(articles, fresh)  # rendering every page gives the very same pages
    for page in (out / "articles").glob("*.html"):
        assert page.read_bytes() == (fresh / "articles" / page.name).read_bytes(), page.name

    (articles / "corrections.csv").write_text(
        "article,passage,mention,event,field,value\n"
        "003_18cfb9e21a9eeed5.txt,p1,Bakhmut,,latlon,48.6 38.1\n", "utf-8")
    build(articles, out)
    assert kept.stat().st_ino != inodes[kept]  # corrections can change any page


def test_a_rebuild_reads_only_the_files_whose_bytes_changed(tmp_path, monkeypatch):
    articles, out = copy_seeds(tmp_path), tmp_path / "maps"
    build(articles, out)
    read = []
    real_read = ingest.read_article
    monkeypatch.setattr(ingest, "read_article",
                        lambda path, *a: read.append(path.name) or real_read(path, *a))
    (articles / "010_new.txt").write_text("Shelling hit Kharkiv and Izium.\n", "utf-8")
    (articles / "011_copy.txt").write_text("Shelling hit Kharkiv and Izium.\n", "utf-8")
    report = build(articles, out)
    assert sorted(read) == ["010_new.txt", "011_copy.txt"]
    assert [s.reason.split(": ", 1)[1] for s in report.skipped] == ["same text as 010_new.txt; read once"]
    (articles / "010_new.txt").write_text("Fighting near Bakhmut.\n", "utf-8")
    read.clear()
    report = build(articles, out)
    assert sorted(read) == ["010_new.txt", "011_copy.txt"]  # the copy is a text of its own now
    assert (report.articles, report.parsed, report.skipped) == (4, 2, [])
    assert "Izium" in (out / "articles" / "011_copy.txt.html").read_text("utf-8")


def test_a_build_of_many_files_reads_each_to_parse_again_where_parsed_and_writes_the_same(
        tmp_path, monkeypatch):
    articles, out, kept = copy_seeds(tmp_path), tmp_path / "maps", tmp_path / "kept"
    (articles / "corrections.csv").write_text(  # parses corrected after the parse, here
        "article,passage,mention,event,field,value\n"
        "003_18cfb9e21a9eeed5.txt,p1,Bakhmut,,latlon,48.6 38.1\n", "utf-8")
    build(articles, kept)
    monkeypatch.setattr(builder, "TEXTS_KEPT", 1)  # more files than that: texts not kept
    read = []
    real_read = ingest.read_article
    monkeypatch.setattr(ingest, "read_article",
                        lambda path, *a: read.append(path.name) or real_read(path, *a))
    report = build(articles, out)
    assert sorted(read) == sorted([p.name for p in articles.glob("*.txt")] * 2)  # listed, parsed
    assert report.parsed == 2
    for name in ("index.html", "mentions.geojson", "places.geojson", "events.geojson"):
        assert (out / name).read_bytes() == (kept / name).read_bytes(), name


def test_files_whose_stat_is_unchanged_are_not_read_again_and_an_edit_always_shows(
        tmp_path, monkeypatch):
    articles, out = copy_seeds(tmp_path), tmp_path / "maps"
    seed = articles / "003_18cfb9e21a9eeed5.txt"
    time.sleep(1.1)  # older than a tick: their stat can be trusted
    build(articles, out)
    hashed = []
    real_digest = file_digest
    monkeypatch.setattr(changes, "file_digest", lambda path, *a: hashed.append(
        os.path.basename(path)) or real_digest(path, *a))
    assert build(articles, out).parsed == 0
    assert hashed == ["corrections.csv"]  # looked for; no article or sidecar read

    text, stat = seed.read_text("utf-8"), seed.stat()
    seed.write_text(text.replace("Bakhmut", "Bakhmot", 1), "utf-8")  # same size
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same modification time
    report = build(articles, out)
    assert (report.parsed, report.unchanged) == (1, 1)  # its change time gave it away


def test_a_build_finding_every_file_as_stated_last_time_looks_up_no_file_record(tmp_path,
                                                                              monkeypatch):
    articles, out = copy_seeds(tmp_path), tmp_path / "maps"
    time.sleep(1.1)  # older than a tick: their stat can be trusted
    build(articles, out)
    looked_up = []
    real_sources = GeoPackageCatalog.sources
    monkeypatch.setattr(GeoPackageCatalog, "sources",
                        lambda self: looked_up.append(1) or real_sources(self))
    assert build(articles, out).unchanged == 2 and looked_up == []
    seed = articles / "003_18cfb9e21a9eeed5.yaml"
    seed.write_text(seed.read_text("utf-8") + "title: Edited\n", "utf-8")
    assert build(articles, out).parsed == 1 and looked_up == [1]
