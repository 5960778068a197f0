"""The geomap command as a user runs it: contract output, summaries, and bad input."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

from paths import SEEDS

from geomap.build import parse_paths
from geomap.gazetteer.index import INDEX


def geomap(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True,
                          cwd=cwd)


def on_a_terminal(*args: str, first_line: bool = False) -> str:
    """What ``geomap ARGS`` writes on its stderr, a terminal (where it draws progress bars):
    all of it, or its first line (the process is then killed)."""
    terminal, stderr = pty.openpty()
    fcntl.ioctl(stderr, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    with subprocess.Popen([sys.executable, "-m", "geomap", *args], stdout=subprocess.DEVNULL,
                          stderr=stderr) as process:
        os.close(stderr)
        written = b""
        while not (first_line and b"\n" in written):
            if not select.select([terminal], [], [], 120)[0]:
                break
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the process closed the terminal: it ended
                chunk = b""
            if not chunk:
                break
            written += chunk
        process.kill()
    os.close(terminal)
    text = written.decode("utf-8", "replace")
    return text.splitlines()[0] if first_line and text else text


def test_the_first_run_says_it_indexes_the_gazetteer_and_later_runs_do_not(fresh_cache,
                                                                           monkeypatch,
                                                                           geomap_cache_dir):
    article = str(SEEDS / "003_18cfb9e21a9eeed5.txt")
    # before the progress bar, which would sit at 0 while the index is built (half a minute)
    said = on_a_terminal("parse", article, first_line=True)
    assert said == "indexing the gazetteer (once, about 30 s)"
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(geomap_cache_dir))
    INDEX.get()  # indexed (as a run of the suite may not have yet): nothing to say
    warm = on_a_terminal("parse", article)
    assert "parse: 100%" in warm and "indexing" not in warm


def test_parse_prints_one_contract_record_per_line():
    r = geomap("parse", str(SEEDS / "003_18cfb9e21a9eeed5.txt"), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert records and all(rec["article"] == "003_18cfb9e21a9eeed5.txt" for rec in records)
    assert {"Bakhmut", "New York", "Crimea"} <= {rec["text"] for rec in records}


def test_the_process_ends_with_all_its_output_and_its_exit_code(tmp_path):
    r = geomap("parse", str(SEEDS), "--format", "jsonl")
    articles, _ = parse_paths([SEEDS])
    assert len(r.stdout.splitlines()) == sum(len(a.mentions) for a in articles)
    r = geomap("parse", str(tmp_path / "none"))
    assert r.returncode != 0 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_parse_explain_says_why_a_place_won():
    r = geomap("parse", str(SEEDS / "003_18cfb9e21a9eeed5.txt"), "--explain")
    rec = next(json.loads(l) for l in r.stdout.splitlines() if json.loads(l)["text"] == "Luhanks")
    assert any("region cue" in why for why in rec["why"])


def test_build_json_summary_counts_articles_and_mentions(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    r = geomap("build", "--articles", "seeds", "--out", "maps", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert {k: summary[k] for k in ("articles", "parsed", "unchanged", "removed")} == \
        {"articles": 2, "parsed": 2, "unchanged": 0, "removed": 0}
    assert summary["mentions"] > 50


def test_a_missing_folder_is_a_clear_error_not_a_traceback(tmp_path):
    r = geomap("build", "--articles", str(tmp_path / "nowhere"), "--out", str(tmp_path / "maps"))
    assert r.returncode == 1
    assert "nowhere: no such folder" in r.stderr and "Traceback" not in r.stderr


def test_bad_files_are_skipped_by_name_other_encodings_read_and_the_rest_built(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / "empty.txt").write_text("", "utf-8")
    (articles / "latin1.txt").write_bytes("Kyiv caf\xe9".encode("latin-1"))
    r = geomap("build", "--articles", str(articles), "--out", str(tmp_path / "maps"), "--json")
    assert r.returncode == 3 and "Traceback" not in r.stderr
    assert "skipped: " in r.stderr and "empty.txt: empty article" in r.stderr
    assert "warning: " in r.stderr and "latin1.txt: not UTF-8; read as" in r.stderr
    summary = json.loads(r.stdout)
    assert summary["articles"] == 3 and len(summary["skipped"]) == 1
    assert (tmp_path / "maps" / "index.html").exists()
    again = geomap("build", "--articles", str(articles), "--out", str(tmp_path / "maps"), "--json")
    assert again.returncode == 3 and "empty.txt: empty article" in again.stderr  # still said
    assert json.loads(again.stdout) | {"outputs": []} == summary | {"parsed": 0, "unchanged": 3,
                                                                    "outputs": []}


def test_a_failed_build_leaves_the_previous_maps_intact(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    assert geomap("build", "--articles", str(articles), "--out", str(out)).returncode == 0
    before = (out / "index.html").read_bytes()
    shutil.rmtree(articles)
    r = geomap("build", "--articles", str(articles), "--out", str(out))
    assert r.returncode == 1 and (out / "index.html").read_bytes() == before


def test_export_writes_rfc7946_geojson_to_a_file(tmp_path):
    out = tmp_path / "mentions.geojson"
    r = geomap("export", "--articles", str(SEEDS), "--format", "geojson", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text("utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc and len(doc["features"]) > 50
    assert all(f["properties"]["passage_text"] for f in doc["features"])


def seed_paragraphs(folder: Path) -> Path:
    """Every paragraph of the seeds, and every two consecutive ones, as an article of its own:
    more articles than a process pool starts for (``Workers.min_pool``)."""
    folder.mkdir()
    paragraphs = [line for seed in sorted(SEEDS.glob("*.txt"))
                  for line in seed.read_text("utf-8").splitlines() if line.strip()]
    texts = paragraphs + [f"{a}\n\n{b}" for a, b in zip(paragraphs, paragraphs[1:])]
    for n, text in enumerate(texts):
        (folder / f"p{n:03d}.txt").write_text(text + "\n", "utf-8")
    assert len(texts) >= 64
    return folder


def test_two_jobs_print_and_build_byte_for_byte_what_one_process_does(tmp_path):
    articles = seed_paragraphs(tmp_path / "articles")
    printed, built = {}, {}
    for jobs in ("1", "2"):
        r = geomap("parse", str(articles), "--explain", "-j", jobs)
        assert r.returncode == 0, r.stderr
        printed[jobs] = r.stdout
        out = tmp_path / f"maps-{jobs}"
        r = geomap("build", "--articles", str(articles), "--out", str(out), "-j", jobs)
        assert r.returncode == 0, r.stderr
        built[jobs] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
                       if p.is_file() and p.suffix in (".html", ".geojson")}
    assert printed["1"].count("\n") > 200 and printed["1"] == printed["2"]
    assert len(built["1"]) > 64 and built["1"] == built["2"]
