"""What geomap derives from its code, its data and installed packages (the gazetteer index, word
lists, boundaries, the map's layout), kept in the cache folder under a key of everything it is made
from: an :class:`Artefact`. Editing any source file it reads (``geo/join.py`` for the index), a data
file or upgrading a package changes the key, and the next run builds it again."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

import platformdirs

from geomap.files import write_atomically

T = TypeVar("T")
KEEP = 3  # versions of an artefact kept side by side: two checkouts do not rebuild each other's
_PACKAGE = Path(__file__).resolve().parent  # geomap's sources (the tests point it at a copy)
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(geomap(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[\w ,]+)|"
                     r"import[ \t]+(geomap(?:\.\w+)*))", re.M)


def cache_dir() -> Path:
    """``$GEOMAP_CACHE_DIR`` if set, else the user cache directory; created if missing."""
    path = Path(os.environ.get("GEOMAP_CACHE_DIR") or platformdirs.user_cache_dir("geomap"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Artefact(Generic[T]):
    """A value derived from geomap's ``code`` (module names: their sources and all they import,
    :func:`code_files`), ``data`` files and installed ``packages`` (distribution names), kept in
    the cache folder as ``name-KEY.suffix``, KEY their :func:`fingerprint`. ``dump`` turns the
    value into the file's bytes (or text), ``load`` reads it back from the file's path."""

    name: str
    suffix: str
    build: Callable[[], T]
    dump: Callable[[T], bytes | str]
    load: Callable[[Path], T]
    code: tuple[str, ...] = ()
    data: tuple[Path, ...] = ()
    packages: tuple[str, ...] = ()

    def path(self) -> Path:
        """Where the artefact is kept for the current sources."""
        key = fingerprint(self.code, self.data, self.packages)
        return cache_dir() / f"{self.name}-{key}{self.suffix}"

    def get(self) -> T:
        """The artefact, loaded from its file; built and written first (atomically) when the file
        is missing or cannot be loaded. Older versions beyond the :data:`KEEP` newest go."""
        path = self.path()
        try:
            return self.load(path)
        except Exception:  # missing, damaged or cut short: however loading fails, build it again
            pass
        write_atomically(path, self.dump(self.build()))
        self._prune(path)
        return self.load(path)  # as a later run will see it

    def _prune(self, path: Path) -> None:
        """Remove the versions of this artefact but ``path`` and the newest others."""
        own = re.compile(rf"{re.escape(self.name)}-[0-9a-f]{{16}}{re.escape(self.suffix)}")
        others = [p for p in path.parent.iterdir() if p != path and own.fullmatch(p.name)]
        for old in sorted(others, key=_mtime, reverse=True)[KEEP - 1:]:
            old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@cache
def fingerprint(code: tuple[str, ...] = (), data: tuple[Path, ...] = (),
                packages: tuple[str, ...] = ()) -> str:
    """16 hex digits that change with the source files of the modules ``code`` (see
    :func:`code_files`), with the ``data`` files and with the installed versions of
    ``packages``; computed once per process."""
    h = hashlib.sha256()
    for path in code_files(*code):
        h.update(f"{path.relative_to(_PACKAGE).as_posix()}\0".encode() + _digest(path))
    for path in data:
        h.update(f"{path.name}\0".encode() + _digest(path))
    for name in packages:
        h.update(f"{name}\0{_version(name)}\0".encode())
    return h.hexdigest()[:16]


@cache
def _digest(path: Path) -> bytes:
    """A file's SHA-256; a marker if it is missing (what reads it says so)."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except FileNotFoundError:
        return b"missing"


@cache
def _version(distribution: str) -> str:
    """The installed version of a distribution, or ``missing`` (what reads it says so)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


@cache
def code_files(*modules: str) -> tuple[Path, ...]:
    """The files a derived value built by geomap's ``modules`` depends on, sorted: their sources
    and those of every geomap module they import, directly or not, at the top or inside a
    function (read from the sources, nothing is imported); the ``__init__.py`` of the packages
    that hold them (whose own imports are followed only where a module imports the package);
    and the files of the resource folders a module names (``"static"`` in ``render/layout.py``:
    its ``render/static/``)."""
    todo: list[Path] = []
    for name in modules:
        if not (path := _module_file(name)):
            raise ValueError(f"no such geomap module: {name}")
        todo.append(path)
    files: set[Path] = set()
    followed: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in followed:
            continue
        followed.add(path)
        imports, resources = _reads(path)
        files.update((path, *_packages_above(path), *resources))
        if path != _PACKAGE / "__init__.py":  # its lazy API (geomap.parse()) is not what they use
            todo += imports
    return tuple(sorted(files))


@cache
def _reads(path: Path) -> tuple[list[Path], list[Path]]:
    """The geomap modules a source file imports, and the files of the resource folders of its
    package (subfolders that are no package) whose name it writes as a string."""
    text = path.read_text("utf-8")
    imports = []
    for base, names, plain in _IMPORT.findall(text):
        if plain:
            imports.append(_module_file(plain))
        else:
            for name in re.findall(r"(\w+)(?:\s+as\s+\w+)?", names.strip("()")):
                imports.append(_module_file(f"{base}.{name}") or _module_file(base))
    resources = [file for folder in sorted(path.parent.iterdir())
                 if folder.is_dir() and not (folder / "__init__.py").exists()
                 and re.search(rf"""["']{re.escape(folder.name)}["']""", text)
                 for file in sorted(folder.rglob("*"))
                 if file.is_file() and "__pycache__" not in file.parts]
    return [p for p in imports if p], resources


def _module_file(name: str) -> Path | None:
    """The source file of a geomap module (or package's ``__init__.py``); none if no such module."""
    target = _PACKAGE.joinpath(*name.split(".")[1:])
    path = target / "__init__.py" if target.is_dir() else target.with_suffix(".py")
    return path if path.is_file() else None


def _packages_above(path: Path) -> list[Path]:
    """The ``__init__.py`` of the packages that hold a module (Python runs them before it)."""
    parts = path.relative_to(_PACKAGE).parts[:-1]
    if path.name == "__init__.py":
        parts = parts[:-1]
    inits = [_PACKAGE.joinpath(*parts[:i], "__init__.py") for i in range(len(parts) + 1)]
    return [p for p in inits if p.is_file()]
