"""Plain-text articles: the text exactly as decoded (line endings included)."""
from __future__ import annotations

from pathlib import Path

from geomap.ingest.document import Document
from geomap.ingest.encoding import decode
from geomap.ingest.sourcemap import identity


def read(raw: bytes, path: Path, encoding: str | None = None) -> Document:
    """The decoded text of a plain-text file: its own source map."""
    text, used = decode(raw, path, encoding)
    return Document(text, encoding=used, source_map=identity(len(text)))
