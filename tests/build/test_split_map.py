"""The map split into its page and chunk files: when a build splits it, what an append rewrites,
what is removed, what a build killed half-way leaves; and a chunk file's text."""
from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from build_folders import Killed, killed_after_one_move, outputs
from map_data import data_block

from geomap.build import build
from geomap.build.staging import recover
from geomap.cli import cli
from geomap.render import map as render_map
from geomap.render.records import ArticleRecord, PassageRecord, columns

TOWNS = ("Kharkiv", "Kherson", "Bakhmut", "Izium", "Odesa", "Poltava", "Mykolaiv")
CHUNKS = "index_files"


def write_articles(folder: Path, count: int) -> None:
    """``count`` articles, one town each (``a0.txt``, ``a1.txt``, …)."""
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"a{n}.txt").write_text(f"Shelling hit {TOWNS[n]} overnight.\n", "utf-8")


def chunk_files(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """The map's chunk files by name: inode, modification time and bytes."""
    folder = out / CHUNKS
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.iterdir())} if folder.exists() else {}


@pytest.fixture
def two_a_chunk(monkeypatch):
    monkeypatch.setattr(render_map, "ARTICLES_PER_CHUNK", 2)


def test_appending_rewrites_the_last_chunk_file_and_the_page_only(tmp_path, two_a_chunk):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    write_articles(articles, 5)
    build(articles, out, map_files="split")
    before = chunk_files(out)
    assert list(before) == ["chunk-000000.js", "chunk-000001.js", "chunk-000002.js"]
    (articles / "a5.txt").write_text("Shelling hit Poltava overnight.\n", "utf-8")  # joins chunk 2
    page = (out / "index.html").stat()
    assert build(articles, out, map_files="split").parsed == 1
    after = chunk_files(out)
    assert {n: after[n] for n in ("chunk-000000.js", "chunk-000001.js")} == {
        n: before[n] for n in ("chunk-000000.js", "chunk-000001.js")}  # not written again
    assert after["chunk-000002.js"][1:] != before["chunk-000002.js"][1:]
    assert b"Poltava" in after["chunk-000002.js"][2]
    assert (out / "index.html").stat().st_mtime_ns != page.st_mtime_ns
    build(articles, tmp_path / "fresh", map_files="split")
    assert outputs(out) == outputs(tmp_path / "fresh")

    (articles / "a6.txt").write_text("Aid reached Mykolaiv.\n", "utf-8")  # starts chunk 3
    build(articles, out, map_files="split")
    again = chunk_files(out)
    assert {n: again[n] for n in after} == after and list(again)[-1] == "chunk-000003.js"
    build(articles, tmp_path / "fresh2", map_files="split")
    assert outputs(out) == outputs(tmp_path / "fresh2")


def test_the_page_holds_the_first_views_columns_and_its_chunk_files_the_popups(tmp_path,
                                                                             two_a_chunk):
    articles = tmp_path / "articles"
    write_articles(articles, 3)
    build(articles, tmp_path / "one", map_files="one")
    build(articles, tmp_path / "split", map_files="split")
    whole = data_block((tmp_path / "one" / "index.html").read_text("utf-8"))
    split = data_block((tmp_path / "split" / "index.html").read_text("utf-8"))
    assert "files" not in whole and split["files"] == [
        f"{CHUNKS}/chunk-000000.js", f"{CHUNKS}/chunk-000001.js"]
    for name, deferred in render_map.DEFERRED.items():
        assert set(split[name]) == set(whole[name]) - set(deferred)  # each keeps a column
        assert split[name] == {f: c for f, c in whole[name].items() if f not in deferred}
    scripts = [(tmp_path / "split" / f).read_text("utf-8") for f in split["files"]]
    tables = [re.fullmatch(r"geomapChunk\((\d+),(.*)\);\n", s, re.S) for s in scripts]
    assert [int(t[1]) for t in tables] == [0, 1]
    # what else the build writes is the same, one file or split
    assert {k: v for k, v in outputs(tmp_path / "split").items()
            if k != "index.html" and not k.startswith(CHUNKS)} == {
        k: v for k, v in outputs(tmp_path / "one").items() if k != "index.html"}


def test_a_map_is_one_file_up_to_the_threshold_and_split_above_it(tmp_path, two_a_chunk,
                                                                   monkeypatch):
    monkeypatch.setattr(render_map, "SPLIT_ABOVE", 3)
    articles, out = tmp_path / "articles", tmp_path / "maps"
    write_articles(articles, 3)
    build(articles, out)
    assert not (out / CHUNKS).exists() and "files" not in data_block(
        (out / "index.html").read_text("utf-8"))
    write_articles(articles, 4)  # one more: split
    build(articles, out)
    assert list(chunk_files(out)) == ["chunk-000000.js", "chunk-000001.js"]
    build(articles, tmp_path / "fresh", map_files="split")
    assert outputs(out) == outputs(tmp_path / "fresh")
    build(articles, out, map_files="one")  # told: one file, its chunk files removed
    assert not (out / CHUNKS).exists()
    build(articles, tmp_path / "fresh-one", map_files="one")
    assert outputs(out) == outputs(tmp_path / "fresh-one")
    for name in ("a2.txt", "a3.txt"):
        (articles / name).unlink()
    build(articles, out, map_files="split")  # told: split, however small
    assert list(chunk_files(out)) == ["chunk-000000.js"]


def test_chunk_files_of_articles_gone_are_removed(tmp_path, two_a_chunk):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    write_articles(articles, 6)
    build(articles, out, map_files="split")
    (out / CHUNKS / "notes.txt").write_text("not the map's", "utf-8")
    for n in range(2, 6):
        (articles / f"a{n}.txt").unlink()
    build(articles, out, map_files="split")
    assert sorted(p.name for p in (out / CHUNKS).iterdir()) == ["chunk-000000.js", "notes.txt"]
    (out / CHUNKS / "notes.txt").unlink()
    build(articles, tmp_path / "fresh", map_files="split")
    assert outputs(out) == outputs(tmp_path / "fresh")


@pytest.fixture
def two_more_to_build(tmp_path: Path, two_a_chunk) -> tuple[Path, Path, dict[str, bytes]]:
    """Three articles built split into ``maps``, two more written since: the articles folder,
    the output folder and its outputs as built."""
    articles, out = tmp_path / "articles", tmp_path / "maps"
    write_articles(articles, 3)
    build(articles, out, map_files="split")
    before = outputs(out)
    write_articles(articles, 5)
    return articles, out, before


def test_a_split_build_killed_while_moving_its_chunk_files_in_is_completed_by_the_next(
        tmp_path, two_more_to_build, monkeypatch):
    articles, out, before = two_more_to_build
    moved = killed_after_one_move(monkeypatch, out / CHUNKS)
    with pytest.raises(Killed):
        build(articles, out, map_files="split")
    monkeypatch.undo()
    assert moved and outputs(out)["index.html"] == before["index.html"]  # the page not yet
    recover(out)
    monkeypatch.setattr(render_map, "ARTICLES_PER_CHUNK", 2)
    build(articles, tmp_path / "fresh", map_files="split")
    assert outputs(out) == outputs(tmp_path / "fresh")
    assert build(articles, out, map_files="split").parsed == 0
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_split_build_killed_before_its_outputs_move_leaves_the_map_as_it_was(
        two_more_to_build, monkeypatch):
    articles, out, before = two_more_to_build
    real = render_map.chunk_tables

    def killed_at_the_third_chunk(parts):
        if "Bakhmut" not in str(parts):  # the chunks after the second
            raise Killed
        return real(parts)

    monkeypatch.setattr(render_map, "chunk_tables", killed_at_the_third_chunk)
    with pytest.raises(Killed):
        build(articles, out, map_files="split")
    assert outputs(out) == before and not list(out.glob(".build-*"))


def test_a_chunk_files_script_cannot_be_ended_or_broken_by_an_articles_text():
    evil = "a </script><script>alert(1)</script> \u2028 b \u2029 c <!-- d"
    part = {"article": ArticleRecord("t", None, None, "articles/t.html", None, None)._asdict(),
            "passages": columns(PassageRecord, [PassageRecord(0, "p1", evil)]),
            **{name: columns(kind, []) for name, kind in render_map.ARTICLE_TABLES.items()
               if name != "passages"}}
    (chunk,) = render_map.chunks([orjson.dumps(part)], 0, split=True)
    for text in (chunk.script, chunk.text):
        assert not re.search(r"</script|<!--|[\u2028\u2029<>]", text, re.I)
    assert "p1" not in chunk.text and "a \\u003c/script\\u003e" in chunk.script


def test_the_help_says_when_the_map_is_split():
    shown = " ".join(CliRunner().invoke(cli, ["build", "--help"]).output.split())
    assert f"one file up to {render_map.SPLIT_ABOVE:,} articles, split above" in shown
    assert render_map.MAP_FILES == ("auto", "one", "split") and "[auto|one|split]" in shown
    assert render_map.split_map("auto", render_map.SPLIT_ABOVE) is False
    assert render_map.split_map("auto", render_map.SPLIT_ABOVE + 1) is True
    assert render_map.split_map("one", 10 ** 6) is False and render_map.split_map("split", 1)
    with pytest.raises(ValueError, match="not one of auto, one, split"):
        render_map.split_map("two", 1)
