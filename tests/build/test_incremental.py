"""Builds that are interrupted, parallel or distributed, and the notebook API."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from build_folders import Killed, killed_after_one_move, outputs
from map_data import data_block
from paths import SEEDS

import geomap
from geomap import build as builder
from geomap import export, ingest
from geomap.build import build, fragments, parse_paths
from geomap.build import outputs as build_outputs
from geomap.build.parallel import Made, Rereading, Workers, list_many, parse_many, render_many
from geomap.errors import GeomapError
from geomap.build import staging
from geomap.build.catalog import parse_rows
from geomap.build.staging import recover
from geomap.render import map as render_map

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
    build(articles, out)
    before = {name: (out / name).read_bytes() for name in ("index.html", "mentions.geojson")}
    text = SEED.read_text("utf-8")
    for i in range(60):
        (articles / f"copy{i:02d}.txt").write_text(f"{text}\nReport {i} from Kharkiv.\n", "utf-8")
    process = subprocess.Popen([sys.executable, "-m", "geomap", "build", "--articles",
                                str(articles), "--out", str(out)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_articles(out / "catalog.gpkg") < 3 and time.monotonic() < deadline:
        assert process.poll() is None, "the build finished before it could be killed"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert {name: (out / name).read_bytes() for name in before} == before
    report = build(articles, out)
    assert report.articles == 61 and 0 < report.parsed < 60
    assert "copy59.txt" in (out / "mentions.geojson").read_text("utf-8")
    assert not list(out.glob(".build-*"))


def test_incremental_builds_write_what_builds_from_scratch_write(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    (articles / "b.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    build(articles, out)
    corrections = ("article,passage,mention,event,field,value\n"
                   "003_18cfb9e21a9eeed5.txt,p1,Bakhmut,,latlon,48.6 38.1\n"
                   "000_5569f9ce00dd0d52.txt,p99,Kyiv,,latlon,50 30\n"
                   "gone.txt,p1,Kyiv,,latlon,50 30\n")
    changes = {
        "add": lambda: (articles / "c.md").write_text(
            "---\ntitle: Talks\n---\nTalks in Kyiv. Shelling near Bakhmut.\n", "utf-8"),
        "edit": lambda: (articles / "b.txt").write_text("Fighting near Bakhmut and Izium.\n", "utf-8"),
        "metadata edit": lambda: (articles / "003_18cfb9e21a9eeed5.yaml").write_text(
            "title: Edited\npublished: 2022-09-21\n", "utf-8"),
        "metadata added": lambda: (articles / "b.yaml").write_text("title: Kharkiv news\n",
                                                                   "utf-8"),
        "corrections added": lambda: (articles / "corrections.csv").write_text(corrections, "utf-8"),
        "edit beside corrections": lambda: (articles / "c.md").write_text("Kherson.\n", "utf-8"),
        "corrections changed": lambda: (articles / "corrections.csv").write_text(
            corrections.replace("48.6 38.1", "48.5 38.0"), "utf-8"),
        "remove": lambda: (articles / "000_5569f9ce00dd0d52.txt").unlink(),
    }
    for step, (what, change) in enumerate(changes.items()):
        change()
        report = build(articles, out)
        fresh = build(articles, tmp_path / f"fresh{step}")
        assert report.parsed <= 1 < fresh.parsed, what
        assert outputs(out) == outputs(tmp_path / f"fresh{step}"), what
        assert (report.mentions, report.skipped) == (fresh.mentions, fresh.skipped), what


def test_with_two_jobs_a_few_changed_articles_are_parsed_aside_and_write_the_same(tmp_path,
                                                                                  monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out, workers=Workers(jobs=2))
    in_process = []
    real_parse_many = builder.parse_many
    monkeypatch.setattr(builder, "parse_many", lambda todo, *a, **k: in_process.extend(todo)
                        or real_parse_many(todo, *a, **k))
    (articles / "b.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    report = build(articles, out, workers=Workers(jobs=2))
    assert report.parsed == 1 and in_process == []  # parsed in the second process
    monkeypatch.undo()
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_lost_or_damaged_fragments_file_costs_time_not_correctness(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    (out / fragments.FILE).write_bytes(b"not a database" * 100)
    (articles / "b.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    assert build(articles, out).parsed == 1
    (out / fragments.FILE).unlink()
    (articles / "b.txt").unlink()
    assert build(articles, out).parsed == 0
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_build_killed_while_moving_its_outputs_in_is_completed_by_the_next(tmp_path, monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    for name in ("b.txt", "c.txt"):
        (articles / name).write_text(f"Shelling hit Kharkiv and Izium ({name}).\n", "utf-8")
    (articles / "000_5569f9ce00dd0d52.txt").unlink()
    moved = killed_after_one_move(monkeypatch, out / "articles", ".html")
    with pytest.raises(Killed):
        build(articles, out)
    monkeypatch.undo()
    assert moved and list(out.glob(".build-*"))  # half moved in
    recover(out)
    assert not list(out.glob(".build-*"))
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert build(articles, out).parsed == 0
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_first_build_killed_once_its_pages_folder_is_moved_in_is_completed_by_the_next(
        tmp_path, monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    replace = os.replace

    def killed_after_the_pages_folder(src, dst):
        replace(src, dst)
        if Path(dst) == out / "articles":  # moved in at once: the maps had no pages yet
            raise Killed

    monkeypatch.setattr(os, "replace", killed_after_the_pages_folder)
    with pytest.raises(Killed):
        build(articles, out)
    monkeypatch.undo()
    assert not (out / "index.html").exists()
    recover(out)
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert build(articles, out).parsed == 0


def records(articles):
    return export.mention_records(articles)


@pytest.fixture(scope="module")
def serial():
    return parse_paths([SEEDS])[0]


def test_a_process_pool_parses_as_one_process_does(serial):
    assert records(parse_paths([SEEDS], workers=Workers(jobs=2, min_pool=1))[0]) == records(serial)


def test_on_a_pool_the_workers_make_of_each_parse_what_this_process_would(serial):
    articles, _ = builder.reading_paths([SEEDS])
    made = Made(builder.made_where_parsed)
    parsed = list(parse_many(articles, Workers(jobs=2, min_pool=1), made=made))
    assert [(a.id, a.lang) for a in parsed] == [(a.id, a.lang) for a in serial]
    assert not any(a.passages or a.mentions or a.events for a in parsed)  # made stands for them
    assert made.rows(parsed) == {a.id: parse_rows(a) for a in serial}
    for article, alone in zip(parsed, serial):
        assert made.take(article.id) == builder.made_where_parsed(alone)
        assert made.take(article.id) is None  # taken once
    assert made.by_id == {}


def test_pages_the_outputs_hold_as_they_are_are_not_written_again_by_a_pool(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    pool = Workers(jobs=2, min_pool=1)
    build(articles, out, workers=pool)
    pages = {p.name: p.stat().st_ino for p in (out / "articles").glob("*.html")}
    (out / "catalog.gpkg").unlink()  # every article parsed again, its page the same
    assert build(articles, out, workers=pool).parsed == len(pages)
    assert {p.name: p.stat().st_ino for p in (out / "articles").glob("*.html")} == pages
    (articles / "b.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    shutil.rmtree(out / "articles")  # none held: every page written again
    build(articles, out, workers=pool)
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_rendered_on_a_pool_as_in_this_process(serial):
    articles, _ = builder.reading_paths([SEEDS])
    render = partial(export.mention_lines, explain=True)
    rendered = [text for batch in render_many(articles, render, Workers(jobs=2, min_pool=1))
                for text in batch]
    assert rendered == [render(a) for a in serial] and all(rendered)


def test_files_read_on_a_pool_are_read_as_here_and_their_warnings_given_here(tmp_path, caplog):
    texts = {"a.txt": "Shelling hit Izium.".encode(), "b.txt": "Обстріл Харкова «знову»".encode(
        "cp1251"), "c.txt": "Shelling «again» in Kherson ©".encode("cp1252"), "d.txt": b"",
        "e.txt": "Shelling hit Izium.".encode(), "f.md": "Shelling hit **Kharkiv**.".encode()}
    for name, data in texts.items():
        (tmp_path / name).write_bytes(data)
    paths = sorted(tmp_path.iterdir())
    read = {}
    for jobs in (1, 2):
        caplog.clear()
        with caplog.at_level("WARNING", logger="geomap"):
            articles, skipped = builder.read_all(paths, workers=Workers(jobs=jobs, min_pool=2))
        read[jobs] = ([a.__reduce__() for a in articles], skipped, caplog.messages)
    assert read[1] == read[2]
    assert [s.reason.split(": ", 1)[1] for s in read[2][1]] == ["empty article",
                                                                "same text as a.txt; read once"]
    assert [m.split(": ", 1)[1][:30] for m in read[2][2]] == ["not UTF-8; read as cp1251 (det",
                                                              "not UTF-8; read as cp1252 (det"]


def test_files_listed_without_their_texts_are_read_again_where_parsed_as_they_were(serial):
    paths = sorted(SEEDS.glob("*.txt"))
    for jobs in (1, 2):
        listed = list_many(paths, Workers(jobs=jobs, min_pool=2))
        assert [key for _, key in listed] == [ingest.text_key(a) for a in serial]
        stubs = [article for article, _ in listed]
        assert not any(a.text or a.source_map for a in stubs)
        made = Made(builder.made_where_parsed)
        parsed = list(parse_many(stubs, Workers(jobs=jobs, min_pool=1), made=made,
                                 reading=Rereading()))
        assert [(a.text, a.sha256, a.source_map, a.lang) for a in parsed] == \
            [(a.text, a.sha256, a.source_map, a.lang) for a in serial]
        rows = made.rows(parsed) if jobs == 2 else {a.id: parse_rows(a) for a in parsed}
        assert rows == {a.id: parse_rows(a) for a in serial}  # here: parsed, nothing made


def test_a_file_changed_after_it_was_listed_is_parsed_as_it_is_now(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Shelling hit Izium.\n", "utf-8")
    [(stub, _)] = list_many([path])
    path.write_text("Shelling hit Kharkiv.\n", "utf-8")
    [parsed] = parse_many([stub], reading=Rereading())
    assert parsed is stub and parsed.text == "Shelling hit Kharkiv.\n"
    assert parsed.sha256 == ingest.read_article(path).sha256  # the catalog holds what it parsed
    assert [m.text for m in parsed.mentions] == ["Kharkiv"]
    path.unlink()
    [(stub, _)] = list_many([SEEDS / "003_18cfb9e21a9eeed5.txt"])
    stub.path = str(path)
    with pytest.raises(GeomapError, match="was it changed meanwhile"):
        list(parse_many([stub], reading=Rereading()))


# read the seeds on a pool of two, then_parsed or not; say which parse resources were loaded
READ_ON_A_POOL = """
import sys
from geomap.build import read_all
from geomap.build.parallel import Workers
from paths import SEEDS
read_all(sorted(SEEDS.glob("*.txt")), workers=Workers(jobs=2, min_pool=2),
         then_parsed=sys.argv[1] == "then parsed")
print("gazetteer" if "geomap.gazetteer.index" in sys.modules else "",
      "wordfreq" if "wordfreq" in sys.modules else "")
"""


def test_files_to_parse_on_a_pool_are_read_while_the_parse_stages_load():
    tests = Path(__file__).resolve().parents[1]
    loaded = {then: subprocess.run([sys.executable, "-c", READ_ON_A_POOL, then], cwd=tests,
                                   capture_output=True, text=True, check=True).stdout.split()
              for then in ("then parsed", "only read")}
    assert loaded == {"then parsed": ["gazetteer", "wordfreq"], "only read": []}


def test_a_dask_local_cluster_of_two_workers_parses_as_one_process_does(serial):
    workers = Workers(jobs=2, dask=True, processes=False)
    assert records(parse_paths([SEEDS], workers=workers)[0]) == records(serial)


def test_a_build_on_dask_fills_the_same_catalog(tmp_path):
    workers = Workers(jobs=2, dask=True, processes=False)
    report = build(SEEDS, tmp_path, workers=workers)
    assert report.parsed == 2 and stored_articles(tmp_path / "catalog.gpkg") == 2
    assert build(SEEDS, tmp_path).unchanged == 2


def test_the_api_parses_text_loads_layers_and_shows_a_map():
    mentions = geomap.parse("Shelling hit Izium, in Kharkiv oblast.")
    assert [m["admin1"] for m in mentions if m["text"] == "Izium"] == ["UA-63"]
    layers = geomap.load(SEEDS)
    assert len(layers.mentions) > 50 and len(layers.regions) > 3
    assert layers.places.crs.to_epsg() == 4326
    shown = geomap.Map(layers)._repr_html_()
    assert shown.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') or \
        shown.startswith('<iframe srcdoc="&lt;!doctype html&gt;')


def test_the_readmes_static_plot_of_the_regions_draws_with_the_plot_extra(tmp_path):
    pyplot = pytest.importorskip("matplotlib.pyplot", reason="the extra geomap[plot]")
    pyplot.switch_backend("Agg")
    layers = geomap.load(SEEDS)
    axes = layers.regions.plot(column="mentions")  # as the README shows it
    assert len(axes.collections[0].get_paths()) >= len(layers.regions) > 3
    axes.figure.savefig(tmp_path / "regions.png")
    assert (tmp_path / "regions.png").read_bytes().startswith(b"\x89PNG")
    pyplot.close(axes.figure)


def test_a_saved_map_has_the_reader_pages_its_popups_link_to(tmp_path):
    layers = geomap.load(SEEDS)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "other.html").write_text("kept", "utf-8")
    geomap.Map(layers).save(tmp_path / "map.html")
    page = (tmp_path / "map.html").read_text("utf-8")
    links = set(data_block(page)["articles"]["href"])
    assert len(links) == 2 and all((tmp_path / link).is_file() for link in links)
    assert (tmp_path / "articles" / "other.html").read_text("utf-8") == "kept"


BIG_OUTPUTS = ("index.html", "mentions.geojson", "events.geojson")  # grow with the archive


def test_articles_added_after_the_others_are_appended_to_the_big_outputs_in_place(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    inodes = {name: (out / name).stat().st_ino for name in BIG_OUTPUTS}
    (articles / "zz_new.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    assert build(articles, out).parsed == 1
    assert {name: (out / name).stat().st_ino for name in BIG_OUTPUTS} == inodes  # not replaced
    assert "zz_new.txt" in (out / "mentions.geojson").read_text("utf-8")
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    (articles / "aa_first.txt").write_text("Shelling hit Kherson.\n", "utf-8")  # before them
    assert build(articles, out).parsed == 1
    assert all((out / name).stat().st_ino != inodes[name] for name in BIG_OUTPUTS)
    build(articles, tmp_path / "fresh2")
    assert outputs(out) == outputs(tmp_path / "fresh2")


def test_outputs_changed_since_the_last_build_are_written_whole_not_appended_to(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    (out / "mentions.geojson").write_text('{"type":"FeatureCollection","features":[]}\n', "utf-8")
    (articles / "zz_new.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    build(articles, out)
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_build_killed_while_appending_is_completed_by_the_next(tmp_path, monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    (articles / "zz_new.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    real_apply, applied = staging._apply, []

    def killed_after_one_file(path, patches):
        if applied:
            raise Killed
        applied.append(path)
        real_apply(path, patches)

    monkeypatch.setattr(staging, "_apply", killed_after_one_file)
    with pytest.raises(Killed):
        build(articles, out)
    monkeypatch.undo()
    (folder,) = out.glob(".build-*")  # one file patched, the others not yet
    staging._commit(folder, out)
    recover(out)  # its patches applied again give the same files
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert build(articles, out).parsed == 0
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_the_catalog_holds_articles_as_parsed_whatever_the_build_does_with_them_after(tmp_path,
                                                                                   monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    for n in range(12):
        (articles / f"b{n:02d}.txt").write_text(f"Shelling hit Kharkiv and Izium ({n}).\n", "utf-8")
    (articles / "corrections.csv").write_text("article,passage,mention,event,field,value\n"
                                              ",,Izium,,latlon,49.2 37.3\n", "utf-8")
    monkeypatch.setattr(builder, "BATCH", 3)  # made into outputs (and let go) 3 at a time
    build(articles, out)
    from_catalog, _ = builder.load_articles(articles, out)  # corrected again as it loads them
    assert records(from_catalog) == records(builder.load_articles(articles)[0])


def test_articles_appended_join_the_maps_last_chunk_or_start_one_as_a_build_from_scratch(
        tmp_path, monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)  # two articles
    monkeypatch.setattr(render_map, "ARTICLES_PER_CHUNK", 2)
    (articles / "zz_1.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    build(articles, out)
    inode = (out / "index.html").stat().st_ino
    for n, text in ((2, "Shelling hit Kherson."), (3, "Fighting near Bakhmut."),
                    (4, "Aid reached Mykolaiv.")):  # joins the last chunk, starts one, joins it
        (articles / f"zz_{n}.txt").write_text(f"{text}\n", "utf-8")
        assert build(articles, out).parsed == 1
        assert (out / "index.html").stat().st_ino == inode  # appended to
        fresh = tmp_path / f"fresh{n}"
        build(articles, fresh)
        assert outputs(out) == outputs(fresh)
    page = (out / "index.html").read_text("utf-8")
    assert [len(c["articles"]["title"]) for c in data_block(page)["chunks"]] == [2, 2, 2]
    assert build(articles, out).parsed == 0 and outputs(out) == outputs(fresh)


def test_a_map_of_chunks_of_another_size_is_written_whole(tmp_path, monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    monkeypatch.setattr(render_map, "ARTICLES_PER_CHUNK", 1)
    (articles / "zz_new.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    build(articles, out)
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert len(data_block((out / "index.html").read_text("utf-8"))["chunks"]) == 3


def test_fragments_saved_by_a_build_killed_before_it_recorded_its_outputs_are_not_taken_as_recorded(
        tmp_path, monkeypatch):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    (articles / "zz_a.txt").write_text("Shelling hit Kharkiv and Izium on Friday.\n", "utf-8")
    build(articles, out)
    (articles / "corrections.csv").write_text("article,passage,mention,event,field,value\n"
                                              ",,Izium,,latlon,49.2 37.3\n", "utf-8")

    def killed(*args):
        raise Killed

    monkeypatch.setattr(build_outputs, "write", killed)  # after every fragment is saved, corrected
    with pytest.raises(Killed):
        build(articles, out)
    monkeypatch.undo()
    (articles / "corrections.csv").unlink()  # the keys of the last recorded outputs again
    (articles / "aa_first.txt").write_text("Shelling hit Kherson.\n", "utf-8")  # written whole
    assert build(articles, out).parsed == 1
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_new_file_before_a_known_one_with_the_same_text_is_read_and_the_known_one_skipped(
        tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    (articles / "000_first.txt").write_bytes(SEED.read_bytes())  # sorts before the seed
    report = build(articles, out)
    assert (report.articles, report.parsed) == (2, 1)
    assert [s.reason.split(": ", 1)[1] for s in report.skipped] == [
        "same text as 000_first.txt; read once"]
    build(articles, tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")
