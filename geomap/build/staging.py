"""Outputs written all or nothing: into a staging folder (``.build-*``), then a record of what
goes where, then moved into place; a build killed half-way is settled by the next
(:func:`recover`). One build at a time per output folder (:func:`build_lock`)."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geomap.errors import BusyError
from geomap.files import write_atomically

LOCK_NAME = ".geomap.lock"


COMMIT_NAME = ".commit.json"  # in a staging folder: its outputs are being moved into place


def recover(out_dir: Path) -> None:
    """Settle what a build killed half-way left: a staging folder whose outputs were being moved
    into place is moved in completely (see :class:`Staging`); others are removed."""
    for staging in out_dir.glob(".build-*"):
        if (staging / COMMIT_NAME).exists():
            _commit(staging, out_dir)
        shutil.rmtree(staging, ignore_errors=True)


PATCHES_DIR = ".patches"  # in a staging folder: bytes to write into outputs in place


class Staging:
    """The outputs of a build, written all or nothing: into a staging folder (``.build-*``),
    then a record of what goes where, then moved into place (:meth:`commit`); a build killed
    before the record leaves the previous outputs, one killed after is completed by the next
    (:func:`recover`). Use as a context manager: the folder is removed unless committed.

    An output may be written whole (:meth:`whole`) or, when only its end changes (a few
    articles added after the others), patched in place (:meth:`patch`): bytes written from an
    offset on, the file cut where the last patch ends. Patches are applied from the staging
    folder after the record, so applying them again (:func:`recover`) gives the same file.
    Outputs may be in a subfolder (``index_files/chunk-000001.js``), of which an output folder
    keeps only the outputs named (:meth:`keep_only`)."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=".build-"))
        self.patches: dict[str, list[tuple[int, str]]] = {}  # output -> (offset, patch file)
        self.kept: dict[str, tuple[str, list[str]]] = {}  # subfolder -> (glob, files kept)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None or not (self.folder / COMMIT_NAME).exists():  # else recover() ends it
            shutil.rmtree(self.folder, ignore_errors=True)

    def whole(self, name: str, text: str | bytes | Iterable[str | bytes]) -> int:
        """Write the output ``name`` whole (in pieces, see :func:`write_atomically`); its size."""
        write_atomically(self.folder / name, text)
        return (self.folder / name).stat().st_size

    def patch(self, name: str, offset: int, text: str | bytes | Iterable[str | bytes]) -> int:
        """Write ``text`` into the output ``name`` from ``offset`` on, after its earlier patches
        (at lower offsets); the file ends where its last patch does. The patch's size."""
        piece = f"{name}.{len(self.patches.get(name, []))}"
        write_atomically(self.folder / PATCHES_DIR / piece, text)
        self.patches.setdefault(name, []).append((offset, piece))
        return (self.folder / PATCHES_DIR / piece).stat().st_size

    def keep_only(self, folder: str, pattern: str, names: list[str]) -> None:
        """Have the output subfolder ``folder`` hold, of its files matching ``pattern`` (a glob),
        only ``names`` (written now or before) once committed: the others are removed, and the
        folder if it is left empty."""
        self.kept[folder] = (pattern, names)

    def commit(self, stale: list[str]) -> list[str]:
        """Move the outputs into place, removing the pages named ``stale`` (see
        :func:`_commit`); the names of the outputs written."""
        names = sorted({p.name for p in self.folder.iterdir() if p.name != PATCHES_DIR}
                       | set(self.patches))
        write_atomically(self.folder / COMMIT_NAME, json.dumps(
            {"stale": stale, "patches": self.patches, "kept": self.kept}))
        _commit(self.folder, self.out_dir)
        return names


def _commit(staging: Path, out_dir: Path) -> None:
    """Move a staging folder's outputs into ``out_dir``: the pages (and PDF copies) one by one
    (their folder at once if ``out_dir`` has none yet), then their manifest, then the files of
    other subfolders, then the other files, then the patches; remove the pages its record names
    and the files of subfolders it does not keep. Run again on the same folder, it completes
    what is left."""
    from geomap.render.pages import ARTICLES_DIR, MANIFEST

    record = json.loads((staging / COMMIT_NAME).read_text("utf-8"))
    pages, target = staging / ARTICLES_DIR, out_dir / ARTICLES_DIR
    if pages.is_dir() and not target.exists():
        os.replace(pages, target)
    target.mkdir(exist_ok=True)
    for page in sorted(p for p in pages.glob("*") if p.name != MANIFEST):  # pages, PDF copies
        os.replace(page, target / page.name)
    for name in record["stale"]:
        (target / name).unlink(missing_ok=True)
    if (pages / MANIFEST).exists():
        os.replace(pages / MANIFEST, target / MANIFEST)
    for folder in sorted(p for p in staging.iterdir()
                         if p.is_dir() and p.name not in (ARTICLES_DIR, PATCHES_DIR)):
        (out_dir / folder.name).mkdir(exist_ok=True)
        for path in sorted(folder.iterdir()):
            os.replace(path, out_dir / folder.name / path.name)
    for path in sorted(staging.iterdir()):
        if path.is_file() and path.name != COMMIT_NAME:
            os.replace(path, out_dir / path.name)
    for name, patches in record.get("patches", {}).items():
        _apply(out_dir / name, [(offset, staging / PATCHES_DIR / piece)
                                for offset, piece in patches])
    for folder, (pattern, names) in record.get("kept", {}).items():
        _keep_only(out_dir / folder, pattern, set(names))


def _keep_only(folder: Path, pattern: str, names: set[str]) -> None:
    """Remove the files of ``folder`` matching ``pattern`` but not ``names``, and the folder if
    it is left empty."""
    if not folder.is_dir():
        return
    for path in folder.glob(pattern):
        if path.name not in names and path.is_file():
            path.unlink(missing_ok=True)
    if not any(folder.iterdir()):
        folder.rmdir()


def _apply(path: Path, patches: list[tuple[int, Path]]) -> None:
    """Write each patch file's bytes into ``path`` at its offset; cut the file where the last
    ends."""
    with open(path, "r+b") as f:
        for offset, piece in patches:
            f.seek(offset)
            with open(piece, "rb") as source:
                shutil.copyfileobj(source, f)
        f.truncate(f.tell())
        f.flush()
        os.fsync(f.fileno())


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
