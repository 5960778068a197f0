"""What the build tests share: a build folder's outputs, and a build killed half-way (an
exception none of the build's handlers catches, raised at a chosen step)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from geomap.build import fragments
from geomap.build.catalog import CATALOG_NAME
from geomap.build.staging import LOCK_NAME


class Killed(BaseException):
    """Stands for the build process being killed."""


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of a build's outputs (not its catalog, caches and lock), by path."""
    private = {CATALOG_NAME, fragments.FILE, LOCK_NAME}
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in private}


def killed_after_one_move(monkeypatch: pytest.MonkeyPatch, into: Path,
                          suffix: str = "") -> list[str]:
    """Make the build die as it moves its second file (ending in ``suffix``) into the folder
    ``into``: the first is moved in, then :class:`Killed` is raised. Returns the moved files."""
    replace, moved = os.replace, []

    def killed_after_one(src, dst):
        if Path(dst).parent == into and str(dst).endswith(suffix):
            if moved:
                raise Killed
            moved.append(dst)
        replace(src, dst)

    monkeypatch.setattr(os, "replace", killed_after_one)
    return moved
