"""Bad input, file by file: parsed correctly or refused with a message, the rest still read."""
from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import time

import pytest
from paths import SEEDS

from geomap.build import build
from geomap.errors import InputError
from geomap.ingest import read_article, read_articles
from geomap.stages.pipeline import parse_article

SEED = SEEDS / "003_18cfb9e21a9eeed5.txt"
RUSSIAN = "Российские войска обстреляли Харьков ночью, сообщили власти Харьковской области."
FRENCH = "Les troupes sont entrées à Kherson. Le café près de la gare était fermé, a dit l'élu."


def geomap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True)


@pytest.mark.parametrize("text, encoding", [(RUSSIAN, "cp1251"), (FRENCH, "latin-1")])
def test_text_that_is_not_utf8_is_decoded_and_the_encoding_is_named(tmp_path, caplog, text, encoding):
    p = tmp_path / "old.txt"
    p.write_bytes(text.encode(encoding))
    with caplog.at_level(logging.WARNING, logger="geomap"):
        assert read_article(p).text == text
    assert "old.txt: not UTF-8; read as cp125" in caplog.text


@pytest.mark.parametrize("bom, codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_a_byte_order_mark_is_dropped_and_the_text_kept(tmp_path, bom, codec):
    p = tmp_path / "bom.txt"
    p.write_bytes(bom + "Shelling hit Kharkiv.".encode(codec))
    assert read_article(p).text == "Shelling hit Kharkiv."


def test_crlf_articles_keep_their_line_ends_and_offsets_stay_valid(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    crlf, lf = parse_article(read_article(p)), parse_article(read_article(SEED))
    assert "\r\n" in crlf.text
    assert all(crlf.text[m.start:m.end] == m.text for m in crlf.mentions)
    assert [m.record()["name"] for m in crlf.mentions] == [m.record()["name"] for m in lf.mentions]


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file"),
    (bytes(range(1, 32)) * 100, "binary file"),
    (b"\n \r\n\t", "empty article"),
])
def test_binary_and_empty_files_are_refused_by_name(tmp_path, content, message):
    p = tmp_path / "junk.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=f"junk.txt: {message}"):
        read_article(p)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as f:
        f.truncate(50_000_000)
    started = time.monotonic()
    with pytest.raises(InputError, match=r"huge.txt: 50.0 MB is over the size limit of 5 MB \(--max-size\)"):
        read_article(p)
    assert time.monotonic() - started < 1
    p.write_text("Kyiv. " * 10, "utf-8")
    assert read_article(p, max_bytes=100).text.startswith("Kyiv")


@pytest.mark.parametrize("depth", [100, 5000])
def test_deeply_nested_html_is_read_or_refused_without_a_traceback(tmp_path, depth):
    p = tmp_path / "deep.html"
    body = "<p>Russian forces shelled Kharkiv overnight, officials in the city said on Monday.</p>" * 3
    p.write_text(f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>", "utf-8")
    try:
        assert "Kharkiv" in read_article(p).text
    except InputError as e:
        assert "deep.html: no article text found in the HTML" in str(e)


def test_duplicate_text_under_two_names_is_read_once(tmp_path):
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEED, tmp_path / name)
    articles, skipped = read_articles([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [a.id for a in articles] == ["a.txt"]
    assert [s.reason for s in skipped] == [f"{tmp_path / 'b.txt'}: same text as a.txt; read once"]


HOSTILE_NAMES = ['with spaces.txt', 'it\'s "quoted".txt', 'Київ — Харків.txt', '..dots.txt',
                 '<img src=x onerror=alert(1)>.txt', 'CON.txt']


def test_file_names_of_any_kind_build_and_nothing_is_written_outside_out(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "deep" / "maps"
    articles.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        (articles / name).write_text(f"Shelling hit Bakhmut and Kharkiv, report {i}.", "utf-8")
    report = build(articles, out)
    assert report.articles == len(HOSTILE_NAMES) and not report.skipped
    written = [p.resolve() for p in tmp_path.rglob("*") if not p.is_relative_to(articles)]
    assert all(p.is_relative_to(out.resolve()) or p == out.parent.resolve() for p in written)
    assert len(list((out / "articles").glob("*.html"))) == len(HOSTILE_NAMES)


def test_a_path_through_dotdot_names_the_article_by_its_file_name(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "a.txt").write_text("Troops entered Kherson.", "utf-8")
    r = geomap("parse", str(tmp_path / "in" / ".." / "a.txt"))
    assert r.returncode == 0, r.stderr
    assert {json.loads(line)["article"] for line in r.stdout.splitlines()} == {"a.txt"}


def test_exit_codes_say_whether_all_some_or_none_was_read(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Troops entered Kherson.", "utf-8")
    bad.write_bytes(b"\x00\x01binary")
    assert geomap("parse", str(good)).returncode == 0
    some = geomap("parse", str(good), str(bad))
    assert some.returncode == 3 and "skipped: " in some.stderr and some.stdout
    none = geomap("parse", str(bad))
    assert none.returncode == 1 and "Traceback" not in none.stderr
    assert "error: none of the 1 files could be read (" in none.stderr and "bad.txt: binary" in none.stderr


def test_the_size_limit_is_an_option(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("Troops entered Kherson. " * 100, "utf-8")
    refused = geomap("parse", str(p), "--max-size", "0.001")
    assert refused.returncode == 1 and "over the size limit of 0.001 MB" in refused.stderr
    assert geomap("parse", str(p), "--max-size", "1").returncode == 0
