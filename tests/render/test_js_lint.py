"""The map's script passes ESLint's recommended rules (tests/js/eslint.config.js), with ESLint as
``make test`` installs it from tests/js/package-lock.json."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from paths import ROOT

ESLINT = ROOT / "tests/js/node_modules/.bin/eslint"
SCRIPTS = "geomap/render/static"

if shutil.which("node") is None:
    pytest.skip("node is not installed: the map's JavaScript is not linted", allow_module_level=True)


def eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """ESLint run from the repository's top folder with geomap's config (warnings count)."""
    if not ESLINT.exists():
        pytest.fail("ESLint is not installed: run `make test`, or `npm ci` in tests/js")
    return subprocess.run([str(ESLINT), "--config", "tests/js/eslint.config.js", "--max-warnings",
                           "0", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_the_map_script_passes_eslint():
    done = eslint(SCRIPTS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_eslint_reports_what_is_wrong_in_the_map_script():
    script = (ROOT / SCRIPTS / "map.js").read_text("utf-8")
    done = eslint("--stdin", "--stdin-filename", f"{SCRIPTS}/map.js",
                  stdin=script + "\nfunction broken() { return undefinedName; }\n")
    assert done.returncode == 1
    assert "'undefinedName' is not defined" in done.stdout
    assert "'broken' is defined but never used" in done.stdout
