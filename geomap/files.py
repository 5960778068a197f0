"""File writing that never leaves a half-written file behind."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomically(path: Path, data: bytes | str | Iterable[str | bytes]) -> None:
    """Write a file so that readers see the old or the new content, never a part of it. It may
    come in pieces, text or UTF-8, written one after the other (never joined in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pieces = [data] if isinstance(data, (bytes, str)) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in pieces:
                f.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
