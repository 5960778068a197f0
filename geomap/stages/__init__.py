"""Parsing an article: split into passages, recognise place names, resolve them to places, find
events. The stages and their order are :data:`geomap.stages.pipeline.STAGES`; this module stays
light (a build that finds nothing changed asks for :func:`parse_version` and imports no stage)."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from geomap import __version__

_PACKAGE = Path(__file__).resolve().parent


@cache
def parse_version() -> str:
    """Identifies the code and data that parse an article: the sources of the parse stages and of
    every geomap module they read (the gazetteer's, geography's, the models, ingest), the data
    files of the package (event types, weights, the gazetteer's sources). Any change invalidates
    the parses cached in catalogs."""
    from geomap.cache import code_files

    h = hashlib.sha256(__version__.encode())
    for path in code_files("geomap.stages.pipeline", "geomap.ingest"):
        h.update(path.read_bytes())
    for path in sorted((_PACKAGE.parent / "data").iterdir()):
        if path.is_file():
            h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"
