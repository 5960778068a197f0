"""The wheel carries everything geomap reads: installed from it (not editable) into a fresh
virtual environment, geomap builds the seeds' map from another folder."""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from paths import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """geomap's wheel, built from the repository as ``pip install .`` builds it."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(ROOT)], check=True)
    return next(out.glob("geomap-*.whl"))


def fresh_venv(path: Path) -> Path:
    """A new virtual environment that sees the dependencies installed beside this one (a path
    line, so this environment's editable geomap is not on its path), but not geomap itself."""
    venv.create(path, with_pip=True)
    python = path / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def test_the_wheel_holds_the_data_and_the_map_assets(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("admin1.geojson.gz", "areas.yaml", "event_types.yaml", "resolve_weights.yaml",
                 "ua_settlements.csv", "us_counties.csv"):
        assert f"geomap/data/{data}" in names
    assert "geomap/render/static/map.js" in names and "geomap/render/static/map.css" in names


def test_geomap_installed_from_the_wheel_builds_the_seeds_map_from_another_folder(wheel, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
                    "--quiet", str(wheel)], check=True)  # beside, never over, the editable one
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "seeds", elsewhere / "articles")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    located = subprocess.run([python, "-c", "import geomap; print(geomap.__file__)"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert Path(located.stdout.strip()).is_relative_to(tmp_path / "venv")
    done = subprocess.run([tmp_path / "venv" / "bin" / "geomap", "build", "--articles", "articles",
                           "--out", "maps"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Izium" in (elsewhere / "maps" / "places.geojson").read_text("utf-8")
    assert (elsewhere / "maps" / "index.html").stat().st_size > 100_000
