"""A full disk (a file size limit, the way a full disk fails writes) during a build: a clear
message, no traceback, the previous maps intact, and the next build finishes."""
from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from paths import SEEDS


def build(articles: Path, out: Path, max_file_bytes: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run([sys.executable, "-m", "geomap", "build", "--articles", str(articles),
                           "--out", str(out)], capture_output=True, text=True,
                          preexec_fn=limit if max_file_bytes else None)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    assert build(articles, out).returncode == 0
    (articles / "new.txt").write_text("Shelling hit Kharkiv and Izium overnight.\n", "utf-8")
    return articles, out, {p.name: p.read_bytes() for p in out.glob("*.*json")} | {
        "index.html": (out / "index.html").read_bytes()}


@pytest.mark.parametrize("max_file_bytes, says", [(100_000, "cannot write the catalog"),
                                                  (400_000, "cannot write the outputs")])
def test_a_full_disk_fails_clearly_and_keeps_the_previous_maps(built, max_file_bytes, says):
    articles, out, before = built
    r = build(articles, out, max_file_bytes)
    assert r.returncode == 1 and says in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert {name: (out / name).read_bytes() for name in before} == before
    again = build(articles, out)
    assert again.returncode == 0, again.stderr
    assert b"new.txt" in (out / "mentions.geojson").read_bytes()
