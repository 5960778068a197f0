"""The offline gazetteer: the index of every place name (:mod:`.index`), the keys names are
folded to for lookup (:mod:`.names`) and the word lists that tell names from words
(:mod:`.lexicon`, :mod:`.frequency`)."""
from geomap.gazetteer.index import (
    LOOKUP_CACHE_SIZE,
    Entry,
    Gazetteer,
    load,
    source_fingerprint,
)

__all__ = ["LOOKUP_CACHE_SIZE", "Entry", "Gazetteer", "load", "source_fingerprint"]
