"""Outputs written all or nothing: into a staging folder (``.build-*``), then a record of what
goes where, then moved into place; a build killed half-way is settled by the next
(:func:`recover`). One build at a time per output folder (:func:`build_lock`)."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import BusyError
from geomap.files import write_atomically
from geomap.models import Article

if TYPE_CHECKING:
    from geomap.build import fragments

LOCK_NAME = ".geomap.lock"


COMMIT_NAME = ".commit.json"  # in a staging folder: its outputs are being moved into place


def recover(out_dir: Path) -> None:
    """Settle what a build killed half-way left: a staging folder whose outputs were being moved
    into place is moved in completely (see :func:`write_outputs`); others are removed."""
    for staging in out_dir.glob(".build-*"):
        if (staging / COMMIT_NAME).exists():
            _commit(staging, out_dir)
        shutil.rmtree(staging, ignore_errors=True)


def write_outputs(assembly: fragments.Assembly, pages: list[Article], out_dir: Path,
                  page_salt: str | None = None, made_from: Mapping[str, str] | None = None,
                  kept: Iterable[str] = ()) -> list[str]:
    """Write the map, the reader pages and the exports into ``out_dir``, all or nothing.

    The map and the GeoJSON files are those of the ``assembly``; pages are rendered for the
    articles in ``pages``. With ``page_salt`` (what the pages depend on besides what each is
    ``made_from``: its content hash, and the catalog's corrections that touch it), the pages of
    ``kept`` articles (ids), and of ``pages`` unchanged since, stay as they are. Everything is
    written into a staging folder first; once a record of what goes is in it, its files are
    moved into place: a build killed before that leaves the previous outputs, one killed after
    is completed by the next (:func:`recover`).
    """
    from geomap.render.pages import stage_pages

    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".build-"))
    try:
        for name, text in assembly.outputs().items():
            write_atomically(staging / name, text)
        stale = stage_pages(pages, out_dir, staging, page_salt or "", made_from, kept,
                            reuse=page_salt is not None)
        names = sorted(p.name for p in staging.iterdir())
        write_atomically(staging / COMMIT_NAME, json.dumps({"stale": stale}))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _commit(staging, out_dir)
    shutil.rmtree(staging)
    return names


def _commit(staging: Path, out_dir: Path) -> None:
    """Move a staging folder's outputs into ``out_dir``: the pages (and PDF copies) one by one,
    then their manifest, then the other files; remove the pages its record names. Run again on
    the same folder, it completes what is left."""
    from geomap.render.pages import ARTICLES_DIR, MANIFEST

    stale = json.loads((staging / COMMIT_NAME).read_text("utf-8"))["stale"]
    pages, target = staging / ARTICLES_DIR, out_dir / ARTICLES_DIR
    target.mkdir(exist_ok=True)
    for page in sorted(p for p in pages.glob("*") if p.name != MANIFEST):  # pages, PDF copies
        os.replace(page, target / page.name)
    for name in stale:
        (target / name).unlink(missing_ok=True)
    if (pages / MANIFEST).exists():
        os.replace(pages / MANIFEST, target / MANIFEST)
    for path in sorted(staging.iterdir()):
        if path.is_file() and path.name != COMMIT_NAME:
            os.replace(path, out_dir / path.name)


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir``'s build lock; raises :class:`BusyError` if another build holds it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK_NAME, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise BusyError(f"{out_dir}: another geomap build is writing it (pid "
                            f"{f.read().strip() or '?'}); run again when it is done") from None
        f.truncate(0)
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)
