"""Parsing an article: split into passages, recognise place names, resolve them to places, find
events. The stages and their order are :data:`geomap.stages.pipeline.STAGES`; this module stays
light (a build that finds nothing changed asks for :func:`parse_version` and imports no stage)."""
from __future__ import annotations

from functools import cache

from geomap import __version__

PARSE_CODE = ("geomap.stages.pipeline", "geomap.ingest")  # what parses an article


@cache
def parse_version() -> str:
    """Identifies the code and data that parse an article: the sources of the parse stages and of
    every geomap module they read (the gazetteer's, geography's, the models, ingest), the data
    files of the package (event types, weights, the gazetteer's sources); the same
    :func:`~geomap.cache.fingerprint` as the cached artefacts'. Any change invalidates the parses
    cached in catalogs."""
    from geomap.cache import fingerprint
    from geomap.data import DATA_DIR
    from geomap.ingest import (
        READERS,  # its readers are imported by name, when first needed
    )

    readers = tuple(sorted({f"geomap.ingest.{module}" for module in READERS.values()}))
    data = tuple(sorted(path for path in DATA_DIR.iterdir() if path.is_file()))
    return f"{__version__}+{fingerprint(code=PARSE_CODE + readers, data=data)}"
