"""The disk cache (geomap.cache): derived files keyed by the sources, data and packages they are
made from. Edits are made to a copy of geomap's sources that the key computation is pointed at;
each step clears the in-process memos, as a new process starts without them."""
from __future__ import annotations

import os
import pickle
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import geomap
from geomap import cache
from geomap.build.changes import outputs_version
from geomap.cache import Artefact, code_files, fingerprint
from geomap.stages import parse_version


def new_process() -> None:
    """Forget what this process computed of the sources, as the next run of geomap starts."""
    for memo in (cache.fingerprint, cache.code_files, cache._reads, cache._digest, cache._version,
                 parse_version, outputs_version):
        memo.cache_clear()


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of geomap's sources, which the cache keys are computed from; a cache folder of its
    own."""
    copy = tmp_path / "src" / "geomap"
    shutil.copytree(Path(geomap.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE", copy)
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    new_process()
    yield copy
    new_process()


def edit(path: Path) -> None:
    path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")
    new_process()


class Builds:
    """An artefact's build that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def probe(build: Builds, **key: tuple) -> Artefact:
    return Artefact("probe", ".pickle", build, dump=pickle.dumps,
                    load=lambda path: pickle.loads(path.read_bytes()), **key)


def test_editing_the_join_changes_the_gazetteer_index_key(sources: Path):
    from geomap.gazetteer.index import INDEX

    before = INDEX.path()
    edit(sources / "render" / "map.py")  # not what the index is built with
    assert INDEX.path() == before
    edit(sources / "geo" / "join.py")  # the index is built with it, through a function's import
    assert INDEX.path() != before
    assert INDEX.path().name.startswith("gazetteer-") and INDEX.path().suffix == ".pickle"


def test_an_artefact_is_built_once_then_loaded(sources: Path):
    build = Builds({"places": 3})
    assert probe(build, code=("geomap.geo.join",)).get() == {"places": 3}
    new_process()
    assert probe(build, code=("geomap.geo.join",)).get() == {"places": 3}
    assert build.calls == 1
    (path,) = cache.cache_dir().iterdir()
    assert path.name == f"probe-{fingerprint(('geomap.geo.join',))}.pickle"


def test_editing_a_module_it_imports_rebuilds_it(sources: Path):
    build = Builds([1, 2])
    artefact = probe(build, code=("geomap.geo.join",))
    artefact.get()
    first = artefact.path()
    edit(sources / "geo" / "boundaries.py")  # imported by join.py
    assert artefact.path() != first
    assert artefact.get() == [1, 2] and build.calls == 2
    assert artefact.path().exists() and first.exists()


def test_editing_a_data_file_rebuilds_it(sources: Path, tmp_path: Path):
    data = tmp_path / "areas.yaml"
    data.write_text("Donbas: [UA-14, UA-09]\n", "utf-8")
    build = Builds("index")
    probe(build, data=(data,)).get()
    data.write_text("Donbas: [UA-14, UA-09]\nCrimea: [UA-43]\n", "utf-8")
    new_process()
    probe(build, data=(data,)).get()
    assert build.calls == 2


def test_a_damaged_file_is_built_again(sources: Path):
    build = Builds(list(range(1000)))
    artefact = probe(build, code=("geomap.files",))
    artefact.get()
    path = artefact.path()
    path.write_bytes(path.read_bytes()[:100])  # cut short
    new_process()
    assert artefact.get() == list(range(1000)) and build.calls == 2
    assert pickle.loads(path.read_bytes()) == list(range(1000))


def test_older_versions_go_but_the_newest_and_other_artefacts_stay(sources: Path):
    other = Artefact("probe-words", ".pickle", Builds("other"), dump=pickle.dumps,
                     load=lambda path: pickle.loads(path.read_bytes()), code=("geomap.files",))
    other.get()
    others = other.path()
    paths = []
    for age in range(cache.KEEP + 2, 0, -1):
        artefact = probe(Builds("value"), code=("geomap.files",))
        artefact.get()
        paths.append(artefact.path())
        os.utime(paths[-1], (time.time() - age, time.time() - age))  # built a while ago
        edit(sources / "files.py")
    kept = sorted(p for p in cache.cache_dir().iterdir() if p != others)
    assert kept == sorted(paths[-cache.KEEP:])
    assert others.exists()


def test_a_real_word_list_is_rebuilt_when_its_module_changes(sources: Path):
    from geomap.gazetteer import lexicon

    names = lexicon.load().surnames
    (first,) = cache.cache_dir().glob("census-dist.all.last-*.txt")
    edit(sources / "gazetteer" / "lexicon.py")
    assert lexicon.load().surnames == names and "graham" in names
    second = set(cache.cache_dir().glob("census-dist.all.last-*.txt")) - {first}
    assert len(second) == 1 and second.pop().read_text("ascii") == first.read_text("ascii")


def test_a_module_depends_on_the_resource_folder_it_names():
    layout = {p.relative_to(Path(geomap.__file__).parent).as_posix()
              for p in code_files("geomap.render.layout")}
    basemap = {p.relative_to(Path(geomap.__file__).parent).as_posix()
               for p in code_files("geomap.render.basemap")}
    assert {"render/static/map.js", "render/static/map.css", "render/layout.py"} <= layout
    assert "render/static/map.js" not in basemap  # it imports assets.py, which reads no file
    assert {"render/basemap.py", "render/assets.py", "render/__init__.py",
            "geo/boundaries.py"} <= basemap  # its package's __init__, its lazy import
    assert "render/pages.py" not in basemap  # imported by render/__init__.py, not by basemap


def test_a_module_that_does_not_exist_is_an_error_not_an_empty_key():
    with pytest.raises(ValueError, match="geomap.gazeteer.index"):
        code_files("geomap.gazeteer.index")


def test_the_outputs_version_changes_with_the_maps_script_the_parse_version_not(sources: Path):
    before = outputs_version(), parse_version()
    edit(sources / "render" / "static" / "map.js")
    assert outputs_version() != before[0] and parse_version() == before[1]
    edit(sources / "stages" / "resolve.py")
    assert parse_version() != before[1]
