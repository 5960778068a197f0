"""The outputs that sum up the archive: the map (``index.html``), the mention and event layers
and the places layer, written from the fragments (:mod:`.fragments`) into a build's staging
folder (:class:`~geomap.build.staging.Staging`).

Those that grow with the archive are not written anew for a few articles added: when the
articles the last build wrote come first (by name) and unchanged, and its files are as it left
them (:func:`held`), the new articles' features are appended to the GeoJSON layers, and their
map data to the map's data block, whose head (the title) and end (the places, legends and
regions) are written anew; files patched so are the same bytes a build from scratch writes. The
places layer, whose every feature counts its articles, is written whole, from tallies. What the
outputs hold is recorded with the fragments (:meth:`~geomap.build.fragments.Store.record`).
"""
from __future__ import annotations

import os
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from geomap.build.fragments import Assembly, Store
from geomap.build.staging import Staging

MAP = "index.html"
PLACES = "places.geojson"
LAYERS = {"mentions.geojson": "mentions", "events.geojson": "events"}  # file -> fragment part
APPENDED = (MAP, *LAYERS)  # the files appended to in place
OPEN, CLOSE = '{"type":"FeatureCollection","features":[', "]}\n"  # as export.collection_pieces


@dataclass
class Held:
    """The outputs as the last build left them, holding its first ``articles`` as they are to
    be; ``record`` is what it recorded of them (:func:`recorded`)."""

    articles: int
    record: dict[str, Any]


def held(store: Store, out_dir: Path, ids: list[str], keys: Mapping[str, str],
         kept: Container[str]) -> Held | None:
    """What the outputs in ``out_dir`` hold of the articles ``ids`` (each under its ``keys``)
    as they are to be: those the last build wrote, if they are the first of ``ids``, unchanged
    and ``kept``, and its files are as it recorded them; None if the outputs are to be written
    whole."""
    record = store.record()
    written = record.get("articles")
    if written is None or len(written) > len(ids) or any(
            ids[n] != i or keys[i] != key or i not in kept for n, (i, key) in enumerate(written)):
        return None
    if any(_stat(out_dir / name) != record["files"].get(name) for name in APPENDED):
        return None
    return Held(len(written), record)


def start(assembly: Assembly, store: Store, kept: list[str], held: Held | None) -> None:
    """Add to ``assembly`` the tallies of the ``kept`` articles (ids): from the record of the
    outputs for those they hold, if ``held``, else from their fragments."""
    if held is not None:
        assembly.restore(held.record["tallies"])
        kept = [i for i in kept if assembly.position[i] >= held.articles]
    for article_id, tally in store.tallies(kept):
        assembly.add(article_id, tally)


def write(staging: Staging, assembly: Assembly, store: Store,
          held: Held | None) -> dict[str, Any]:
    """Write the outputs into ``staging``, appending to those in place what the articles after
    those they hold add, if ``held``; what they hold, to be recorded once they are in place
    (:func:`recorded`)."""
    ids, previous = assembly.ids, held.record if held is not None else {}
    staging.whole(PLACES, [assembly.places.text()])
    opening, closing = assembly.map.opening(), assembly.map.closing(assembly.boundaries)
    head, tail = len(opening.encode()), len(closing.encode())
    if held is not None and head == previous["map"][0]:
        staging.patch(MAP, 0, opening)  # the title, of the same length
        added = staging.patch(MAP, previous["map"][1], chain(
            _joined(store.texts(ids[held.articles:], "map"), held.articles > 0), [closing]))
        map_end = previous["map"][1] + added - tail
    else:
        map_end = staging.whole(MAP, chain([opening], _joined(store.texts(ids, "map"), False),
                                           [closing])) - tail
    features: dict[str, bool] = {}
    for name, part in LAYERS.items():
        if held is not None:
            size, before = previous["files"][name][0], previous["features"][name]
            texts = _nonempty(store.texts(ids[held.articles:], part), features, name, before)
            staging.patch(name, size - len(CLOSE), chain(_joined(texts, before), [CLOSE]))
        else:
            texts = _nonempty(store.texts(ids, part), features, name, False)
            staging.whole(name, chain([OPEN], _joined(texts, False), [CLOSE]))
    return {"map": [head, map_end], "features": features, "tallies": assembly.tallies()}


def recorded(written: dict[str, Any], out_dir: Path, articles: list[tuple[str, str]]) -> dict:
    """The record of the outputs ``written`` (:func:`write`) once in ``out_dir``, of the
    ``articles`` (id, key) in order."""
    return written | {"articles": articles,
                      "files": {name: _stat(out_dir / name) for name in APPENDED}}


def _joined(texts: Iterable[bytes], after: bool) -> Iterator[bytes]:
    """The ``texts`` comma-separated, with a comma before the first ``after`` others."""
    for text in texts:
        if after:
            yield b","
        yield text
        after = True


def _nonempty(texts: Iterable[bytes], found: dict[str, bool], name: str,
              before: bool) -> Iterator[bytes]:
    """The ``texts`` that are not empty; ``found[name]`` says whether there were any (or
    ``before``)."""
    found[name] = before
    for text in texts:
        if text:
            found[name] = True
            yield text


def _stat(path: Path) -> list[int] | None:
    """What tells a file was changed: its size, time and inode (None if there is none)."""
    try:
        s = os.stat(path)
    except OSError:
        return None
    return [s.st_size, s.st_mtime_ns, s.st_ino]
