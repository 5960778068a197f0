"""The catalog in PostGIS: against a real PostgreSQL + PostGIS the session starts (see
conftest.postgis_server), one fresh database per test, made from a template that holds a current
catalog."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT, SEEDS

from geomap import export
from geomap.build import build, fragments, load_articles
from geomap.build.catalog import CATALOG_NAME, Source
from geomap.build.postgis import MIGRATIONS, SCHEMA_VERSION, PostGISCatalog
from geomap.build.staging import LOCK_NAME
from geomap.export import formats
from geomap.models import Style
from geomap.stages.pipeline import parse_text

SEED = SEEDS / "003_18cfb9e21a9eeed5.txt"
POSTGIS_TEMPLATE, CATALOG_TEMPLATE = "geomap_postgis", "geomap_catalog"


def _admin(server: str, *statements: str, db: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(f"{server}/{db}", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _query(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def templates(postgis_server: str) -> str:
    """Two template databases: one with the PostGIS extension, one with a current catalog too."""
    _admin(postgis_server, f"CREATE DATABASE {POSTGIS_TEMPLATE}")
    _admin(postgis_server, "CREATE EXTENSION postgis", db=POSTGIS_TEMPLATE)
    _admin(postgis_server, f"CREATE DATABASE {CATALOG_TEMPLATE} TEMPLATE {POSTGIS_TEMPLATE}")
    PostGISCatalog(f"{postgis_server}/{CATALOG_TEMPLATE}", "setup").db.close()
    return postgis_server


def _database(server: str, template: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(server, f"CREATE DATABASE {name} TEMPLATE {template}")
    yield f"{server}/{name}"
    _admin(server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def catalog_url(templates: str) -> Iterator[str]:
    """A fresh database holding an empty current catalog."""
    yield from _database(templates, CATALOG_TEMPLATE)


@pytest.fixture
def postgis_url(templates: str) -> Iterator[str]:
    """A fresh database with PostGIS and no catalog yet."""
    yield from _database(templates, POSTGIS_TEMPLATE)


def stored(url: str) -> set[str]:
    """The ids of the articles the catalog at ``url`` holds."""
    return {r[0] for r in _query(url, "SELECT id FROM geomap.articles")}


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of a build's outputs (not its catalog, caches and lock), by path."""
    private = {CATALOG_NAME, fragments.FILE, LOCK_NAME}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in private}


def geomap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True,
                          text=True, timeout=600, check=False)


def distinct_articles(folder: Path, prefix: str, count: int) -> None:
    """``count`` articles of their own (a seed's text and a line of its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text("utf-8")
    for i in range(count):
        (folder / f"{prefix}{i:02d}.txt").write_text(f"{text}\nReport {prefix}{i} from Kharkiv.\n",
                                                     "utf-8")


def test_the_seeds_built_into_postgis_give_the_map_and_exports_of_the_geopackage_build(
        tmp_path, catalog_url):
    reference = build(SEEDS, tmp_path / "gpkg")
    first = build(SEEDS, tmp_path / "pg", catalog_url=catalog_url)
    second = build(SEEDS, tmp_path / "pg2", catalog_url=catalog_url)  # another folder, one catalog
    assert (first.parsed, second.parsed, second.unchanged) == (2, 0, 2)
    assert not (tmp_path / "pg" / CATALOG_NAME).exists()
    expected = outputs(tmp_path / "gpkg")
    assert outputs(tmp_path / "pg") == expected and outputs(tmp_path / "pg2") == expected
    assert first.summary() | {"outputs": []} == reference.summary() | {"outputs": []}
    from_gpkg, _ = load_articles(SEEDS, tmp_path / "gpkg")
    from_pg, _ = load_articles(SEEDS, tmp_path / "elsewhere", catalog_url=catalog_url)
    for layer in export.LAYERS:
        for fmt in ("geojson", "csv"):
            assert formats.text(from_pg, layer, fmt) == formats.text(from_gpkg, layer, fmt)


def test_the_export_command_reads_the_parses_from_postgis(tmp_path, catalog_url):
    build(SEEDS, tmp_path / "pg", catalog_url=catalog_url)
    empty = tmp_path / "not-a-build"
    result = geomap("export", "--articles", str(SEEDS), "--out", str(empty), "--layer", "events",
                    "--catalog", catalog_url)
    reference = geomap("export", "--articles", str(SEEDS), "--out", str(empty), "--layer",
                       "events")
    assert result.returncode == 0, result.stderr
    assert result.stdout == reference.stdout and json.loads(result.stdout)["features"]


def test_two_builds_at_once_adding_different_articles_both_land_and_shared_ones_are_parsed_once(
        tmp_path, catalog_url):
    folders = {}
    for side in ("a", "b"):
        folders[side] = tmp_path / side
        shutil.copytree(SEEDS, folders[side])
        distinct_articles(folders[side], side, 6)
    env = os.environ | {"GEOMAP_CATALOG": catalog_url}
    processes = [subprocess.Popen([sys.executable, "-m", "geomap", "build", "--json",
                                   "--articles", str(folder), "--out", str(tmp_path / f"out-{s}")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=env) for s, folder in folders.items()]
    results = [p.communicate(timeout=600) + (p.returncode,) for p in processes]
    assert [rc for _, _, rc in results] == [0, 0], [err for _, err, _ in results]
    reports = [json.loads(out) for out, _, _ in results]
    assert [r["articles"] for r in reports] == [8, 8]
    assert sum(r["parsed"] for r in reports) == 14  # the two seeds once, by one of the builds
    assert stored(catalog_url) == {p.name for f in folders.values() for p in f.glob("*.txt")}
    for side in folders:
        assert f"{side}05.txt" in (tmp_path / f"out-{side}" / "mentions.geojson").read_text("utf-8")


def test_an_article_stays_while_another_folder_holds_it_and_goes_with_the_last(
        tmp_path, catalog_url):
    a, b = tmp_path / "a", tmp_path / "b"
    distinct_articles(a, "x", 2)
    shutil.copytree(a, b)
    build(a, tmp_path / "out-a", catalog_url=catalog_url)
    build(b, tmp_path / "out-b", catalog_url=catalog_url)
    (a / "x00.txt").unlink()
    assert build(a, tmp_path / "out-a", catalog_url=catalog_url).removed == 1
    assert stored(catalog_url) == {"x00.txt", "x01.txt"}
    (b / "x00.txt").unlink()
    build(b, tmp_path / "out-b", catalog_url=catalog_url)
    assert stored(catalog_url) == {"x01.txt"}


def test_a_build_killed_with_kill_9_then_a_build_completes(tmp_path, catalog_url):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    distinct_articles(articles, "copy", 60)
    process = subprocess.Popen([sys.executable, "-m", "geomap", "build", "--articles",
                                str(articles), "--out", str(out), "--catalog", catalog_url],
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _query(catalog_url, "SELECT count(*) FROM geomap.articles")[0][0] < 3 \
            and time.monotonic() < deadline:
        assert process.poll() is None, "the build finished before it could be killed"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "index.html").exists()
    report = build(articles, out, catalog_url=catalog_url)  # its locks went with its session
    assert report.articles == 60 and 0 < report.parsed < 60
    assert not list(out.glob(".build-*"))
    assert outputs(out) == outputs(_built(articles, tmp_path / "reference"))


def _built(articles: Path, out: Path) -> Path:
    build(articles, out)
    return out


def test_a_catalog_of_schema_1_is_migrated_with_its_articles(postgis_url):
    import psycopg

    with psycopg.connect(postgis_url, autocommit=True) as db, db.transaction():
        db.execute("SET search_path TO geomap, public")  # as the catalog sets it
        MIGRATIONS[0](db)
        db.execute("INSERT INTO meta VALUES ('', 'schema_version', '1')")
        db.execute("INSERT INTO articles VALUES ('old.txt', 'abc', 'v', 'old.txt', NULL, NULL, "
                   "NULL, NULL, 'Shelling hit Kharkiv.')")
        db.execute("INSERT INTO passages VALUES ('old.txt', 'p1', 0, 21, 0, "
                   "'Shelling hit Kharkiv.')")
        db.execute("INSERT INTO mentions (article, seq, passage, start, \"end\", text, name, "
                   "feature, country, admin1, admin1_all, lat, lon, confidence, why) VALUES "
                   "('old.txt', 0, 'p1', 13, 20, 'Kharkiv', 'Kharkiv', 'city', 'UA', 'UA-63', "
                   "'[\"UA-63\"]', 49.98, 36.25, 0.9, '{}')")
        db.execute("INSERT INTO events (id, article, seq, passage, type, places, admin1, lat, lon, "
                   "confidence, triggers, mentions) VALUES ('e1', 'old.txt', 0, 'p1', 'shelling', "
                   "'[\"Kharkiv\"]', '[\"UA-63\"]', 49.98, 36.25, 0.8, '[]', '[0]')")
    with PostGISCatalog(postgis_url, "somewhere") as catalog:
        assert catalog.index() == {"old.txt": ("abc", "v")}
        article = catalog.load()["old.txt"]
        assert [m.place.lat for m in article.mentions] == [49.98]
    rows = _query(postgis_url, "SELECT value FROM geomap.meta WHERE key = 'schema_version'")
    assert rows == [(str(SCHEMA_VERSION),)]
    assert _query(postgis_url, "SELECT parsed_by FROM geomap.articles") == [("postgres",)]
    assert _query(postgis_url, "SELECT name, mentions, articles FROM geomap.places") == [
        ("Kharkiv", 1, 1)]
    assert _query(postgis_url, "SELECT iso_3166_2, events, ST_Contains(geom, "
                  "ST_SetSRID(ST_MakePoint(36.25, 49.98), 4326)) FROM geomap.events_by_oblast") == [
        ("UA-63", 1, True)]


def test_the_layers_read_back_by_geopandas_from_postgis_are_those_geomap_exports(
        tmp_path, catalog_url):
    import geopandas as gpd
    import psycopg

    build(SEEDS, tmp_path / "pg", catalog_url=catalog_url)
    articles, _ = load_articles(SEEDS)
    with psycopg.connect(catalog_url) as db, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas prefers SQLAlchemy; psycopg does
        mentions = gpd.read_postgis("SELECT * FROM geomap.mentions WHERE geom IS NOT NULL", db)
        places = gpd.read_postgis("SELECT * FROM geomap.places", db)
        oblasts = gpd.read_postgis("SELECT * FROM geomap.events_by_oblast", db)
    assert mentions.crs.to_epsg() == places.crs.to_epsg() == oblasts.crs.to_epsg() == 4326
    exported = export.layer_frame(articles, "mentions")
    assert sorted(zip(mentions["article"], mentions["text"], mentions.geometry.x.round(6),
                      mentions.geometry.y.round(6))) == \
        sorted(zip(exported["article"], exported["text"], exported.geometry.x.round(6),
                   exported.geometry.y.round(6)))
    assert places["mentions"].sum() == len(mentions)
    regions = export.layer_frame(articles, "regions")
    with_events = regions[regions["events"] > 0]
    assert dict(zip(oblasts["iso_3166_2"], oblasts["events"])) == \
        dict(zip(with_events["iso_3166_2"], with_events["events"]))
    assert set(oblasts.geom_type) <= {"MultiPolygon"}


def test_a_catalog_server_that_cannot_be_reached_is_a_clear_message(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = geomap("build", "--articles", str(SEEDS), "--out", str(tmp_path / "out"),
                    "--catalog", f"postgresql://team:secret@127.0.0.1:{port}/archive")
    assert result.returncode == 1
    assert result.stderr.startswith("error: postgresql://team:***@127.0.0.1")
    assert "cannot reach the catalog database" in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


def test_a_catalog_option_that_is_not_a_postgresql_url_is_refused(tmp_path):
    result = geomap("build", "--articles", str(SEEDS), "--out", str(tmp_path / "out"),
                    "--catalog", "archive.gpkg")
    assert result.returncode == 2 and "postgresql://USER@HOST/DB" in result.stderr


def test_a_user_who_may_not_enable_postgis_is_told_whom_to_ask(tmp_path, templates):
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(templates, "DO $$ BEGIN CREATE ROLE analyst LOGIN; EXCEPTION WHEN duplicate_object "
           "THEN NULL; END $$", f"CREATE DATABASE {name} OWNER analyst")
    url = templates.replace("postgres@", "analyst@") + f"/{name}"
    try:
        result = geomap("build", "--articles", str(SEEDS), "--out", str(tmp_path / "out"),
                        "--catalog", url)
    finally:
        _admin(templates, f"DROP DATABASE {name} WITH (FORCE)")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "CREATE EXTENSION postgis" in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_geomap_add_builds_what_it_saves_into_postgis(tmp_path, catalog_url):
    export = tmp_path / "result.json"
    export.write_text(json.dumps({"name": "Frontline Notes", "type": "public_channel", "id": 1777,
                                  "messages": [{"id": 2, "type": "message",
                                                "date": "2022-09-10T07:15:00",
                                                "text": "Ukrainian troops entered Izium."}]}),
                      encoding="utf-8")
    result = geomap("add", str(export), "--articles", str(tmp_path / "articles"), "--out",
                    str(tmp_path / "maps"), "--catalog", catalog_url)
    assert result.returncode == 0, result.stderr
    assert len(stored(catalog_url)) == 1 and not (tmp_path / "maps" / CATALOG_NAME).exists()
    assert "Izium" in (tmp_path / "maps" / "places.geojson").read_text("utf-8")


def test_an_article_keeps_the_layout_of_its_source_as_in_the_geopackage(tmp_path, catalog_url):
    article = parse_text("# Mykolaiv\n\nShelling hit **Mykolaiv**.", "report.md")
    article.sha256 = "abc"
    article.styles = [Style(0, 8, "h1"), Style(27, 35, "strong", None)]
    article.pages = [0, 12]
    with PostGISCatalog(catalog_url, "somewhere") as catalog:
        catalog.put([article], "v")
        back = catalog.load(["report.md"])["report.md"]
    assert (back.styles, back.pages) == (article.styles, article.pages)


def test_a_team_sees_one_history_of_corrections_and_builds_them_as_a_geopackage_would(
        tmp_path, catalog_url):
    from geomap.build.catalog import GeoPackageCatalog

    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(SEEDS, a)
    shutil.copytree(SEEDS, b)
    build(a, tmp_path / "out-a", catalog_url=catalog_url)
    first = geomap("correct", "Kyiv", "--not-a-place", "--catalog", catalog_url)
    second = geomap("correct", "Kharkiv", "--to", "49.99,36.23", "--article",
                    "003_18cfb9e21a9eeed5.txt#p11", "--by", "anna", "--note", "the centre",
                    "--catalog", catalog_url)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "correction 1 by postgres at " in first.stderr  # the database user, by default
    history = geomap("correct", "--list", "--catalog", catalog_url).stdout.splitlines()
    assert [line.strip().split("  ")[2:] for line in history] == [
        ["postgres", "Kyiv in every article -> not a place"],
        ["anna", "Kharkiv in 003_18cfb9e21a9eeed5.txt#p11 -> 49.99, 36.23", "(the centre)"]]
    report_a = build(a, tmp_path / "out-a", catalog_url=catalog_url)
    report_b = build(b, tmp_path / "out-b", catalog_url=catalog_url)  # another folder
    assert (report_a.parsed, report_b.parsed) == (0, 0)
    reference = tmp_path / "gpkg"
    with PostGISCatalog(catalog_url, "somewhere") as shared, \
            GeoPackageCatalog(reference / CATALOG_NAME) as catalog:
        catalog.add_corrections(shared.corrections())
    build(SEEDS, reference)
    expected = outputs(reference)
    assert outputs(tmp_path / "out-a") == expected and outputs(tmp_path / "out-b") == expected
    assert '"text": "Kyiv"' not in (tmp_path / "out-b" / "mentions.geojson").read_text("utf-8")


@contextmanager
def catalog_of_schema(schema: int, postgis_url: str) -> Iterator[Any]:
    """A connection, in a transaction, to a catalog whose tables an older geomap of ``schema``
    made (the migrations up to it), to fill as that geomap would have."""
    import psycopg

    with psycopg.connect(postgis_url, autocommit=True) as db, db.transaction():
        db.execute("SET search_path TO geomap, public")
        version = 0
        while version < schema:
            version = MIGRATIONS[version](db)
        db.execute("INSERT INTO meta VALUES ('', 'schema_version', %s)", (str(schema),))
        yield db


def test_a_catalog_of_schema_3_gains_the_corrections(postgis_url):
    with catalog_of_schema(3, postgis_url) as db:
        db.execute("INSERT INTO articles (id, sha256, pipeline, text) VALUES "
                   "('old.txt', 'abc', 'v', 'Shelling hit Kharkiv.')")
        db.execute("INSERT INTO mentions (article, seq, passage, start, \"end\", text, "
                   "admin1_all, why) VALUES ('old.txt', 0, 'p1', 13, 20, 'Kharkiv', '[]', '[]')")
    assert _query(postgis_url, "SELECT to_regclass('geomap.corrections')") == [(None,)]
    from geomap.models import Correction

    with PostGISCatalog(postgis_url, "somewhere") as catalog:
        assert catalog.corrections() == [] and catalog.index() == {"old.txt": ("abc", "v")}
        (kept,) = catalog.add_corrections([Correction("", "", "Kharkiv", "", "delete", "")])
        assert (kept.id, kept.by) == (1, "postgres") and catalog.corrections() == [kept]
        assert catalog.where_named(["Kharkiv"]) == [("old.txt", "p1", "Kharkiv")]
    assert _query(postgis_url, "SELECT value FROM geomap.meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)]


def test_a_catalog_of_schema_5_keeps_what_each_folder_recorded_of_its_files_as_rows(postgis_url):
    stats = {"a.txt": [[[1, 2, 3, 4], [5, 6, 7, 8]], "dig a"], "b.txt": [[[9, 9, 9, 9], None], "b"]}
    read = {"a.txt": ["dig a", "sha a", "key a"]}
    with catalog_of_schema(5, postgis_url) as db:
        for scope in ("here", "there"):
            db.execute("INSERT INTO meta VALUES (%s, 'file_stats', %s), (%s, 'last_sources', %s)",
                       (scope, json.dumps(stats), scope, json.dumps(read)))
    with PostGISCatalog(postgis_url, "here") as catalog:
        assert catalog.get_meta("file_stats") is None and catalog.sources() == {
            "a.txt": Source("a.txt", "1 2 3 4 5 6 7 8", "dig a", None, "sha a", "key a"),
            "b.txt": Source("b.txt", "9 9 9 9", "b", None, None, None)}
        catalog.record_sources([Source("c.txt", None, "c", "cp1251", "sha c", "key c")], ["b.txt"])
        assert sorted(catalog.sources()) == ["a.txt", "c.txt"]
        catalog.forget_scope()
        assert catalog.sources() == {}
    with PostGISCatalog(postgis_url, "there") as catalog:
        assert sorted(catalog.sources()) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("command", [["correct", "--list"], ["export", "--layer", "places"],
                                     ["build"]])
def test_a_database_that_is_not_there_is_a_clear_message_for_every_command(
        tmp_path, templates, command):
    url = f"{templates}/no_such_archive"
    result = geomap(*command, "--articles", str(SEEDS), "--out", str(tmp_path / "out"),
                    "--catalog", url) if command[0] != "correct" else \
        geomap(*command, "--catalog", url)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {url}: cannot reach the catalog database")
    assert 'database "no_such_archive" does not exist' in result.stderr


def _readme_gdal_lines() -> list[str]:
    """The GDAL command lines of the README's section on PostGIS, continuation lines joined."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("### A shared catalog in PostGIS", 1)[1].split("\n### ", 1)[0]
    block = section.split("With GDAL:\n\n```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


@pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL's command-line tools are not "
                    "installed (Debian: apt-get install gdal-bin; make test does)")
def test_the_readmes_gdal_lines_open_the_views_as_written(tmp_path, catalog_url):
    from urllib.parse import urlsplit

    import geopandas as gpd

    build(SEEDS, tmp_path / "pg", catalog_url=catalog_url)
    where = urlsplit(catalog_url)
    ours = f"host={where.hostname} port={where.port} dbname={where.path[1:]} user={where.username}"
    lines = _readme_gdal_lines()
    assert [line.split()[0] for line in lines] == ["ogrinfo", "ogr2ogr", "ogr2ogr"]
    ran = [subprocess.run(["bash", "-c", line.replace(
        "host=db.example.org dbname=archive user=analyst", ours)], cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=False) for line in lines]
    assert [r.returncode for r in ran] == [0, 0, 0], [r.stderr for r in ran]
    assert "Geometry: Multi Polygon" in ran[0].stdout
    articles, _ = load_articles(SEEDS)
    regions = export.layer_frame(articles, "regions")
    oblasts = gpd.read_file(tmp_path / "oblasts.gpkg")
    assert oblasts.crs.to_epsg() == 4326
    assert dict(zip(oblasts["iso_3166_2"], oblasts["events"])) == dict(
        zip(regions["iso_3166_2"][regions["events"] > 0], regions["events"][regions["events"] > 0]))
    places = gpd.read_file(tmp_path / "places.geojson")
    ukrainian = [m for a in articles for m in a.mentions if m.place and m.place.country == "UA"]
    assert places["mentions"].sum() == len(ukrainian) and "Kharkiv" in set(places["name"])
