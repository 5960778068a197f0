"""`geomap correct`: corrections kept in the catalog with who made them and when, applied by the
next build to the articles they touch only, imported from a corrections file, listed."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import SEEDS

from geomap.build import build, fragments
from geomap.build.catalog import CATALOG_NAME, GeoPackageCatalog
from geomap.build.staging import LOCK_NAME
from geomap.render.pages import MANIFEST

A000, A003 = "000_5569f9ce00dd0d52.txt", "003_18cfb9e21a9eeed5.txt"
WHEN = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def geomap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True,
                          text=True, timeout=600, check=False, env=os.environ | (env or {}))


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of a build's outputs (not its catalog, caches and lock), by path."""
    private = {CATALOG_NAME, CATALOG_NAME + ".bak", fragments.FILE, LOCK_NAME}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in private}


def shown(out: Path) -> dict[str, bytes]:
    """The :func:`outputs` a reader sees (not the manifest of what each page was made from)."""
    return {name: text for name, text in outputs(out).items() if not name.endswith(MANIFEST)}


def features(out: Path, layer: str = "mentions") -> list[dict]:
    return json.loads((out / f"{layer}.geojson").read_text("utf-8"))["features"]


def placed(out: Path, text: str) -> dict[str, list]:
    """Where each article's mentions written ``text`` are on the map: article -> [[lon, lat,
    corrected]]."""
    found: dict[str, list] = {}
    for f in features(out):
        if f["properties"]["text"] == text:
            found.setdefault(f["properties"]["article"], []).append(
                [*f["geometry"]["coordinates"], f["properties"]["corrected"]])
    return found


def built_afresh(articles: Path, out: Path, corrected_like: Path) -> Path:
    """``out`` built from scratch with the corrections of the catalog in ``corrected_like``."""
    with GeoPackageCatalog(corrected_like / CATALOG_NAME) as source, \
            GeoPackageCatalog(out / CATALOG_NAME) as catalog:
        catalog.add_corrections(source.corrections())
    build(articles, out)
    return out


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, Path]:
    """The seeds copied and built: (articles, out)."""
    articles, out = tmp_path / "articles", tmp_path / "maps"
    shutil.copytree(SEEDS, articles)
    build(articles, out)
    return articles, out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A build of the seeds for commands that only read it."""
    out = tmp_path_factory.mktemp("built") / "maps"
    build(SEEDS, out)
    return out


def test_a_correction_changes_the_next_build_in_its_article_only_as_a_build_from_scratch_would(
        folder, tmp_path):
    articles, out = folder
    pages = {a: (out / "articles" / f"{a}.html").stat().st_ino for a in (A000, A003)}
    r = geomap("correct", "Kharkiv", "--to", "49.99,36.23", "--article", f"{A003[:-4]}#p11",
               "--by", "anna", "--note", "the city centre", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert re.match(rf"correction 1 by anna at {WHEN}: Kharkiv in {A003}#p11 -> 49.99, 36.23 "
                    r"\(2 mentions in 1 article now\)", r.stderr), r.stderr
    before = placed(out, "Kharkiv")
    report = build(articles, out)
    assert (report.parsed, report.unchanged, report.skipped) == (0, 2, [])
    after = placed(out, "Kharkiv")
    assert [36.23, 49.99, True] in after[A003] and after[A000] == before[A000]
    assert (out / "articles" / f"{A000}.html").stat().st_ino == pages[A000]  # not rendered again
    assert (out / "articles" / f"{A003}.html").stat().st_ino != pages[A003]
    assert outputs(out) == outputs(built_afresh(articles, tmp_path / "fresh", out))
    assert build(articles, out).outputs == []  # nothing changed since


def test_a_correction_of_every_article_holds_for_articles_added_later(folder, tmp_path):
    articles, out = folder
    r = geomap("correct", "Kyiv", "--not-a-place", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Kyiv in every article -> not a place (" in r.stderr
    assert placed(out, "Kyiv").keys() == {A000, A003}
    build(articles, out)
    assert placed(out, "Kyiv") == {}
    (articles / "new.txt").write_text("Talks in Kyiv. Shelling hit Izium.\n", "utf-8")
    report = build(articles, out)
    assert report.parsed == 1 and placed(out, "Kyiv") == {} and "new.txt" in placed(out, "Izium")
    assert outputs(out) == outputs(built_afresh(articles, tmp_path / "fresh", out))


def test_the_history_says_who_made_each_correction_and_when(folder):
    _, out = folder
    env = {"GEOMAP_USER": "desk"}
    assert geomap("correct", "Izium", "--to", "707292", "--out", str(out), env=env).returncode == 0
    assert geomap("correct", "Bakhmut", "--to", "48.59 38.0", "--article", A003, "--by", "anna",
                  "--note", "the town, not the district", "--out", str(out),
                  env=env).returncode == 0
    listed = geomap("correct", "--list", "--out", str(out))
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"\s+1  {WHEN}  desk  Izium in every article -> geonameid 707292",
                        lines[0])
    assert re.fullmatch(rf"\s+2  {WHEN}  anna  Bakhmut in {A003} -> 48.59, 38.0  "
                        r"\(the town, not the district\)", lines[1])
    only = geomap("correct", "--list", "--article", A000, "--out", str(out))
    assert only.stdout.splitlines() == lines[:1]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["Kharkov", "--to", "706483"], 1, "no mention 'Kharkov' in .*catalog.gpkg; did you mean "
                                       "Kharkiv\\?"),
    (["Kharkiv", "--to", "north"], 1, "--to 'north': give a GeoNames id"),
    (["Kharkiv", "--to", "1"], 1, "Kharkiv: no gazetteer place with geonameid '1'"),
    (["Kharkiv", "--to", "91,30"], 1, "latlon '91 30' is out of range"),
    (["Kharkiv", "--to", "706483", "--not-a-place"], 1, "say what the place is"),
    (["Kharkiv"], 1, "say what the place is"),
    (["Kharkiv", "--to", "706483", "--article", "nope"], 1, "--article nope: no such article"),
    (["Kharkiv", "--to", "706483", "--article", f"{A003}#3"], 1, "a passage is written #p12"),
    (["Kharkiv", "--to", "706483", "--article", f"{A003}#p9"], 1,
     f"no mention 'Kharkiv' in {A003}#p9"),
    (["--import", "missing.csv"], 1, "missing.csv: cannot read corrections"),
    ([], 2, "give a PLACE to correct, --import FILE.csv or --list"),
    (["Kharkiv", "--list"], 2, "give a PLACE to correct, --import FILE.csv or --list"),
    (["--list", "--not-a-place"], 2, "--to and --not-a-place go with a PLACE"),
])
def test_what_cannot_be_corrected_is_said_without_a_traceback(built, args, code, message):
    r = geomap("correct", *args, "--out", str(built))
    assert r.returncode == code and "Traceback" not in r.stderr
    assert re.search(message, r.stderr), r.stderr
    assert geomap("correct", "--list", "--out", str(built)).stdout == ""  # nothing recorded


def test_a_folder_never_built_has_no_catalog_to_correct(tmp_path):
    r = geomap("correct", "Kharkiv", "--to", "706483", "--out", str(tmp_path / "maps"))
    assert r.returncode == 1 and "no catalog there; build first" in r.stderr
    assert not (tmp_path / "maps").exists()


CORRECTIONS = f"""article,passage,mention,event,field,value
{A000},p19,,territorial_change,type,battle
{A000},p27,,violence_against_civilians,delete,
{A003},p1,Bakhmut,,latlon,48.6 38.1
{A000},p99,,battle,type,battle
{A000},p3,,referendum,colour,red
"""


def test_a_corrections_file_is_imported_once_and_its_rows_applied_once(folder, tmp_path):
    articles, out = folder
    (articles / "corrections.csv").write_text(CORRECTIONS, "utf-8")
    with_file = build(articles, out)
    expected = shown(out)
    r = geomap("correct", "--import", str(articles / "corrections.csv"), "--out", str(out))
    assert r.returncode == 3  # a row refused
    assert f"refused: {articles / 'corrections.csv'}:6: event field 'colour'" in r.stderr
    assert "corrections.csv: 4 corrections imported into" in r.stderr
    again = geomap("correct", "--import", str(articles / "corrections.csv"), "--out", str(out))
    assert "0 corrections imported into" in again.stderr and "4 there already" in again.stderr
    history = geomap("correct", "--list", "--out", str(out)).stdout.splitlines()
    assert len(history) == 4 and history[2].endswith("(imported from corrections.csv:4)")
    both = build(articles, out)  # the file's rows and the catalog's: each applied once
    assert shown(out) == expected and both.skipped == with_file.skipped
    (articles / "corrections.csv").unlink()
    alone = build(articles, out)
    assert shown(out) == expected
    assert [s.reason for s in alone.skipped] == [
        f"{out / CATALOG_NAME}: correction 4: no battle event in passage p99"]


def test_a_rebuild_keeps_the_corrections(folder):
    articles, out = folder
    assert geomap("correct", "Kyiv", "--not-a-place", "--out", str(out)).returncode == 0
    report = build(articles, out, rebuild=True)
    assert report.parsed == 2 and (out / f"{CATALOG_NAME}.bak").exists()
    assert placed(out, "Kyiv") == {}
    assert "Kyiv in every article -> not a place" in geomap("correct", "--list", "--out",
                                                             str(out)).stdout


def test_a_correction_that_no_longer_applies_is_reported_by_its_number(folder):
    articles, out = folder
    assert geomap("correct", "Bakhmut", "--to", "48.6,38.1", "--article", f"{A003}#p1",
                  "--out", str(out)).returncode == 0
    seed = articles / A003
    seed.write_text(seed.read_text("utf-8").replace("Bakhmut", "Soledar", 1), "utf-8")
    problem = [f"{out / CATALOG_NAME}: correction 1: no mention 'Bakhmut' in passage p1"]
    assert [s.reason for s in build(articles, out).skipped] == problem
    (articles / "new.txt").write_text("Shelling hit Izium.\n", "utf-8")
    report = build(articles, out)  # the article kept as it was: its problem too
    assert report.parsed == 1 and [s.reason for s in report.skipped] == problem
    r = geomap("build", "--articles", str(articles), "--out", str(out))
    assert r.returncode == 3 and problem[0] in r.stderr


def test_an_export_applies_the_catalogs_corrections(folder):
    articles, out = folder
    assert geomap("correct", "Bakhmut", "--to", "48.6,38.1", "--out", str(out)).returncode == 0
    r = geomap("export", "--articles", str(articles), "--out", str(out), "--layer", "mentions")
    bakhmut = [f for f in json.loads(r.stdout)["features"] if f["properties"]["text"] == "Bakhmut"]
    assert bakhmut and all(f["geometry"]["coordinates"] == [38.1, 48.6]
                           and f["properties"]["corrected"] for f in bakhmut)
