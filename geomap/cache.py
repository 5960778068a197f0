"""Where geomap caches what it derives from its data and installed packages (gazetteer index,
word lists, boundaries, the map's layout), and what such a derived file depends on."""
from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent
_ROOT_INIT = _PACKAGE / "__init__.py"
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(geomap(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[\w ,]+)|"
                     r"import[ \t]+(geomap(?:\.\w+)*))", re.M)


def cache_dir() -> Path:
    """``$GEOMAP_CACHE_DIR`` if set, else the user cache directory; created if missing."""
    path = Path(os.environ.get("GEOMAP_CACHE_DIR") or platformdirs.user_cache_dir("geomap"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def code_files(*modules: str) -> tuple[Path, ...]:
    """The source files of geomap's ``modules`` and of every geomap module they import, directly
    or not, at the top or inside a function (read from the sources, nothing is imported), with
    the packages that hold them; sorted. What a derived file built by ``modules`` depends on."""
    seen: set[Path] = set()
    todo = [path for name in modules for path in _module_files(name)]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if path == _ROOT_INIT:
            continue  # its lazy API (geomap.parse(), geomap.Map) is not what modules use
        for base, names, plain in _IMPORT.findall(path.read_text("utf-8")):
            if plain:
                todo += _module_files(plain)
            else:
                for name in re.findall(r"(\w+)(?:\s+as\s+\w+)?", names.strip("()")):
                    sub = _module_files(f"{base}.{name}")
                    todo += sub or _module_files(base)
    return tuple(sorted(seen))


def _module_files(name: str) -> list[Path]:
    """The file of a geomap module (or package) and the ``__init__.py`` of the packages above
    it; none if there is no such module."""
    parts = name.split(".")[1:]
    target = _PACKAGE.joinpath(*parts)
    path = target / "__init__.py" if target.is_dir() else target.with_suffix(".py")
    if not path.is_file():
        return []
    inits = [_PACKAGE.joinpath(*parts[:i], "__init__.py") for i in range(len(parts))]
    return [path, *(p for p in inits if p.is_file())]
