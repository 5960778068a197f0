"""The catalog: a GeoPackage other tools open, versioned and migrated, and a clear way out when
it is damaged."""
from __future__ import annotations

from dataclasses import replace

import json
import os
import shutil
import sqlite3
import time

import geopandas as gpd
import pyogrio
import pytest
from paths import SEEDS

import geomap.build
from geomap import ingest
from geomap.build import build, changes, parse_paths, stored
from geomap.build.catalog import (
    SCHEMA_VERSION,
    GeoPackageCatalog,
    Source,
    catalog_path,
    parse_rows,
    sources_of_records,
)
from geomap.build.staging import build_lock
from geomap.errors import BusyError, CatalogError
from geomap.models import Correction, article_to_dict
from geomap.stages.pipeline import parse_text

V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE parses (sha256 TEXT NOT NULL, pipeline TEXT NOT NULL, article TEXT NOT NULL,
                     PRIMARY KEY (sha256, pipeline));
CREATE TABLE members (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
"""


@pytest.fixture(scope="module")
def article():
    articles, _ = parse_paths([SEEDS / "003_18cfb9e21a9eeed5.txt"])
    return articles[0]


def test_a_stored_article_comes_back_exactly_as_parsed(tmp_path, article):
    with GeoPackageCatalog(tmp_path / "c.gpkg") as catalog:
        catalog.put([article], "v")
        assert catalog.index() == {article.id: (article.sha256, "v")}
        back = catalog.load()[article.id]
    assert article_to_dict(back) == article_to_dict(article)


def test_an_article_stored_from_its_rows_comes_back_as_one_stored_from_its_parse(tmp_path,
                                                                                 article):
    bare = replace(article, passages=[], mentions=[], events=[])  # as a pool's worker leaves it
    with GeoPackageCatalog(tmp_path / "c.gpkg") as catalog:
        catalog.put([bare], "v", {article.id: parse_rows(article)})
        back = catalog.load()[article.id]
    assert article.mentions and article_to_dict(back) == article_to_dict(article)


def test_the_catalog_opens_as_a_geopackage_with_point_layers(tmp_path, article):
    path = tmp_path / "c.gpkg"
    with GeoPackageCatalog(path) as catalog:
        catalog.put([article], "v")
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"mentions": "Point", "events": "Point", "articles": None, "passages": None,
                      "corrections": None}
    mentions = gpd.read_file(path, layer="mentions")
    assert mentions.crs.to_epsg() == 4326
    resolved = mentions.dropna(subset=["lat"])
    assert len(resolved) == sum(1 for m in article.mentions if m.place)
    assert (resolved.geometry.x.round(6) == resolved["lon"].round(6)).all()
    assert {"article", "text", "name", "admin1", "passage"} <= set(mentions.columns)


def test_a_v1_catalog_is_migrated_with_its_parses(tmp_path, article):
    path = tmp_path / "catalog.gpkg"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.execute("INSERT INTO parses VALUES (?, 'v', ?)",
               (article.sha256, json.dumps(article_to_dict(article))))
    db.execute("INSERT INTO members VALUES ('renamed.txt', ?)", (article.sha256,))
    db.commit()
    db.close()
    with GeoPackageCatalog(path) as catalog:
        assert catalog.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert catalog.index() == {"renamed.txt": (article.sha256, "v")}
        assert len(catalog.load()["renamed.txt"].mentions) == len(article.mentions)
        tables = {r[0] for r in catalog.db.execute("SELECT name FROM sqlite_master")}
    assert not {"parses", "members"} & tables


def test_a_v2_catalog_gains_the_located_column_the_parse_index_the_layout_the_language_and_corrections_and_keeps_its_mentions(
        tmp_path, article):
    path = tmp_path / "catalog.gpkg"
    with GeoPackageCatalog(path) as catalog:
        catalog.put([article], "v")
    db = sqlite3.connect(path)  # back to v2: no `located` column, no index of the parses, no
    # layout, no language, no corrections
    db.execute("ALTER TABLE mentions DROP COLUMN located")
    db.execute("ALTER TABLE articles DROP COLUMN layout")
    db.execute("ALTER TABLE articles DROP COLUMN lang")
    db.execute("DROP INDEX articles_parse")
    db.execute("DROP TABLE corrections")
    db.execute("DROP INDEX mentions_text")
    db.execute("DELETE FROM gpkg_contents WHERE table_name = 'corrections'")
    db.execute("DROP TABLE sources")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with GeoPackageCatalog(path) as catalog:
        assert catalog.get_meta("schema_version") == str(SCHEMA_VERSION) == "8"
        back = catalog.load()[article.id]
        plan = catalog.db.execute("EXPLAIN QUERY PLAN SELECT id, sha256, pipeline FROM articles")
        assert "articles_parse" in " ".join(str(r) for r in plan)
        (kept,) = catalog.add_corrections([Correction("", "", "Bakhmut", "", "delete", "")])
        assert catalog.corrections() == [kept] and kept.id == 1 and kept.by
        assert ("003_18cfb9e21a9eeed5.txt", "p1", "Bakhmut") in catalog.where_named(["Bakhmut"])
    assert back.lang is None and article.lang == "en"  # not recorded before: told at the next parse
    v2 = article_to_dict(replace(article, lang=None)) | {"source_map": []}  # nor a layout
    assert article_to_dict(back) == v2
    assert "corrections" in dict(pyogrio.list_layers(path))


def test_a_v7_build_folder_keeps_its_record_of_files_and_reads_none_of_them_again(tmp_path,
                                                                                 monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    time.sleep(1.1)  # older than a tick: their stat can be trusted
    build(articles, out)
    with GeoPackageCatalog(out / "catalog.gpkg") as catalog:
        rows = catalog.sources()
    db = sqlite3.connect(out / "catalog.gpkg")  # back to v7: the records of files were JSON
    stats = {name: [[[int(n) for n in row.stat.split()[:4]], [int(n) for n in row.stat.split()[4:]]
                     or None], row.digest] for name, row in rows.items()}
    read = {name: [row.digest, row.sha256, row.text_key] for name, row in rows.items()}
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("file_stats", json.dumps(stats)),
                                                      ("last_sources", json.dumps(read))])
    db.execute("DROP TABLE sources")
    db.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    hashed, real_digest = [], changes.file_digest
    monkeypatch.setattr(changes, "file_digest", lambda path, *a: hashed.append(
        os.path.basename(path)) or real_digest(path, *a))
    monkeypatch.setattr(ingest, "read_article", lambda path, *a: pytest.fail(f"{path} read"))
    assert build(articles, out).parsed == 0
    assert hashed == ["corrections.csv"]  # looked for; no article or sidecar read
    with GeoPackageCatalog(out / "catalog.gpkg") as catalog:
        assert catalog.sources() == rows and catalog.get_meta("file_stats") is None
    assert [s.stat for s in rows.values()] and all(len(s.stat.split()) == 8 for s in rows.values())


def test_an_article_read_with_an_encoding_given_is_migrated_as_a_file_to_read_again():
    stats = {"a.txt": [[[1, 2, 3, 4], None], "raw"], "b.txt": [[[5, 6, 7, 8], None], "raw b"]}
    read = {"a.txt": ["as cp1251", "sha", "key"], "b.txt": ["raw b", "sha b", "key b"],
            "c.txt": ["racy", "sha c", "key c"]}
    assert sources_of_records(stats, read) == [
        Source("a.txt", "1 2 3 4", "raw", None, None, None),
        Source("b.txt", "5 6 7 8", "raw b", None, "sha b", "key b"),
        Source("c.txt", None, "racy", None, "sha c", "key c")]


def test_the_old_catalog_file_name_is_taken_over(tmp_path):
    (tmp_path / "catalog.sqlite").write_bytes(b"old")
    assert catalog_path(tmp_path).read_bytes() == b"old"
    assert not (tmp_path / "catalog.sqlite").exists()


def test_a_catalog_from_a_newer_geomap_is_refused_with_a_way_out(tmp_path):
    path = tmp_path / "c.gpkg"
    with GeoPackageCatalog(path) as catalog:
        catalog.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(CatalogError, match="--rebuild"):
        GeoPackageCatalog(path)


def test_a_corrupt_catalog_is_a_clear_error_and_rebuild_moves_it_aside(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "a.txt").write_text("Shelling hit Kharkiv.\n", "utf-8")
    out.mkdir()
    (out / "catalog.gpkg").write_bytes(b"not a database at all" * 100)
    with pytest.raises(CatalogError, match="--rebuild"):
        build(articles, out)
    report = build(articles, out, rebuild=True)
    assert report.parsed == 1 and (out / "catalog.gpkg.bak").exists()


def test_a_second_build_of_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    with build_lock(tmp_path):
        with pytest.raises(BusyError, match="another geomap build"):
            with build_lock(tmp_path):
                pass
    with build_lock(tmp_path):
        pass


def _committed(path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_parsed_articles_are_committed_in_batches_as_large_as_all_before(tmp_path, monkeypatch):
    monkeypatch.setattr(geomap.build, "COMMIT_SECONDS", 3600.0)  # by count only, here
    articles = [parse_text(f"Shelling hit Kharkiv ({i}).", f"a{i}.txt") for i in range(10)]
    path = tmp_path / "c.gpkg"
    seen = []
    with GeoPackageCatalog(path) as catalog:
        for _ in stored(articles, catalog, "v"):
            seen.append(_committed(path))  # as another process sees it: only what is committed
        assert _committed(path) == 10
    assert seen == [1, 2, 4, 4, 8, 8, 8, 8, 10, 10]  # each given once committed


def test_the_index_read_once_is_kept_up_to_date_as_articles_are_put_and_let_go(tmp_path, article):
    with GeoPackageCatalog(tmp_path / "c.gpkg") as catalog:
        catalog.put([article], "v1")
        index = catalog.index()
        catalog.put([replace(article, id="other.txt"), replace(article, sha256="new")], "v2")
        assert catalog.index() is index  # not read again
        assert index == {article.id: ("new", "v2"), "other.txt": (article.sha256, "v2")}
        assert catalog.retain(["other.txt"]) == 1
    with GeoPackageCatalog(tmp_path / "c.gpkg") as catalog:  # as another process reads it
        assert catalog.index() == {"other.txt": (article.sha256, "v2")}
