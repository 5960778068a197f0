"""The outputs that sum up the archive: the map (``index.html``), the mention and event layers
and the places layer, written from the fragments (:mod:`.fragments`) into a build's staging
folder (:class:`~geomap.build.staging.Staging`).

Those that grow with the archive are not written anew for a few articles added: when the
articles the last build wrote come first (by name) and unchanged, and its files are as it left
them (:func:`held`), the new articles' features are appended to the GeoJSON layers, and their
map data to the map's data block, as chunks of its tables (the last chunk written anew if they
join it), whose head (the title) and end (the places, legends and regions) are written anew;
files patched so are the same bytes a build from scratch writes. The
places layer, whose every feature counts its articles, is written whole, from tallies. What the
outputs hold is recorded with the fragments (:meth:`~geomap.build.fragments.Store.record`).

A large map is split (:func:`geomap.render.map.split_map`): each chunk's columns only a popup
shows go into a chunk file beside the page (``index_files/``), written whole: an append writes
those of the chunks it writes into the page, and the files of chunks the map no longer has
are removed as the outputs are moved into place.
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
from geomap.render import map as page

MAP = "index.html"
PLACES = "places.geojson"
LAYERS = {"mentions.geojson": "mentions", "events.geojson": "events"}  # file -> fragment part
APPENDED = (MAP, *LAYERS)  # the files appended to in place
OPEN, CLOSE = '{"type":"FeatureCollection","features":[', "]}\n"  # as export.collection_pieces


@dataclass
class Held:
    """The outputs as the last build left them, holding its first ``articles`` as they are to
    be; ``record`` is what it recorded of them (:func:`recorded`) but the list of its articles
    and their keys (a pair an article: not held while the build goes on)."""

    articles: int
    record: dict[str, Any]


def held(record: dict[str, Any], out_dir: Path, ids: list[str], keys: Mapping[str, str],
         kept: Container[str]) -> Held | None:
    """What the outputs in ``out_dir`` hold of the articles ``ids`` (each under its ``keys``)
    as they are to be: those the last build wrote (its ``record``, :meth:`Store.record`), if
    they are the first of ``ids``, unchanged and ``kept``, and its files (the map's chunk files
    too) are as it recorded them; None if the outputs are to be written whole."""
    written = record.get("articles")
    if written is None or len(written) > len(ids) or any(
            ids[n] != i or keys[i] != key or i not in kept for n, (i, key) in enumerate(written)):
        return None
    if any(_stat(out_dir / name) != record["files"].get(name)
           for name in {*APPENDED, *record["files"]}):
        return None
    return Held(len(written), {k: v for k, v in record.items() if k != "articles"})


def start(assembly: Assembly, store: Store, kept: list[str], held: Held | None) -> None:
    """Add to ``assembly`` the tallies of the ``kept`` articles (ids): from the record of the
    outputs for those they hold, if ``held``, else from their fragments."""
    if held is not None:
        assembly.restore(held.record.pop("tallies"))  # not held after: write makes new ones
        kept = [i for i in kept if assembly.position[i] >= held.articles]
    for article_id, tally in store.tallies(kept):
        assembly.add(article_id, tally)


def write(staging: Staging, assembly: Assembly, store: Store, held: Held | None,
          split: bool = False) -> dict[str, Any]:
    """Write the outputs into ``staging``, appending to those in place what the articles after
    those they hold add, if ``held``, the map ``split`` into a page and chunk files or not;
    what they hold, to be recorded once they are in place (:func:`recorded`)."""
    ids, previous = assembly.ids, held.record if held is not None else {}
    staging.whole(PLACES, [assembly.places.text()])
    map_record = _write_map(staging, assembly, store, held, split)
    features: dict[str, bool] = {}
    for name, part in LAYERS.items():
        if held is not None:
            size, before = previous["files"][name][0], previous["features"][name]
            texts = _nonempty(store.texts(ids[held.articles:], part), features, name, before)
            staging.patch(name, size - len(CLOSE), chain(_joined(texts, before), [CLOSE]))
        else:
            texts = _nonempty(store.texts(ids, part), features, name, False)
            staging.whole(name, chain([OPEN], _joined(texts, False), [CLOSE]))
    return {"map": map_record, "features": features, "tallies": assembly.tallies()}


def _write_map(staging: Staging, assembly: Assembly, store: Store, held: Held | None,
               split: bool) -> dict[str, Any]:
    """Write the map into ``staging``: whole; or, if ``held`` (as ``split`` as now) and its
    title is as long as before, its title, then the :func:`~geomap.render.map.chunks` of the
    articles from the held ones' last chunk on (if new articles join it, else from the end of
    the held ones' data) and the closing part; if ``split``, the chunk files of the chunks
    written, the others kept as far as the map has chunks. Where its parts are: the size of
    its opening (``head``), the articles of a chunk, where its last chunk and its closing part
    start (``last``, ``end``); whether it is split and its chunk files."""
    opening = assembly.map.opening()
    closing = assembly.map.closing(assembly.boundaries, split)
    ids, head, tail = assembly.ids, len(opening.encode()), len(closing.encode())
    before = held.record["map"] if held is not None else {}
    starts: list[int] = []  # where each chunk written starts
    if held is not None and before["head"] == head and before["chunk"] == page.ARTICLES_PER_CHUNK \
            and before.get("split", False) == split:
        done = held.articles
        first = done - done % page.ARTICLES_PER_CHUNK if len(ids) > done else done
        at = before["last"] if first < done else before["end"]
        staging.patch(MAP, 0, opening)  # the title, of the same length
        texts = _scripts(staging, page.chunks(store.texts(ids[first:], "map"), first, split))
        end = at - tail + staging.patch(MAP, at, chain(_measured(texts, at, starts), [closing]))
        last = starts[-1] if starts else before["last"]
    else:
        texts = _scripts(staging, page.chunks(store.texts(ids, "map"), 0, split))
        end = staging.whole(MAP, chain([opening], _measured(texts, head, starts),
                                       [closing])) - tail
        last = starts[-1] if starts else end
    files = [page.chunk_file(n) for n in range(assembly.map.chunk_count())] if split else []
    staging.keep_only(page.CHUNKS_DIR, page.CHUNK_FILES, [Path(f).name for f in files])
    return {"head": head, "chunk": page.ARTICLES_PER_CHUNK, "last": last, "end": end,
            "split": split, "files": files}


def _scripts(staging: Staging, chunks: Iterable[page.Chunk]) -> Iterator[str]:
    """The ``chunks``' texts in the page, each one's script written (if any) as its chunk
    file."""
    for chunk in chunks:
        if chunk.script is not None:
            staging.whole(page.chunk_file(chunk.number), chunk.script)
        yield chunk.text


def recorded(written: dict[str, Any], out_dir: Path, articles: list[tuple[str, str]]) -> dict:
    """The record of the outputs ``written`` (:func:`write`) once in ``out_dir``, of the
    ``articles`` (id, key) in order."""
    names = [*APPENDED, *written["map"]["files"]]
    return written | {"articles": articles,
                      "files": {name: _stat(out_dir / name) for name in names}}


def _joined(texts: Iterable[bytes], after: bool) -> Iterator[bytes]:
    """The ``texts`` comma-separated, with a comma before the first ``after`` others."""
    for text in texts:
        if after:
            yield b","
        yield text
        after = True


def _measured(pieces: Iterable[str], offset: int, starts: list[int]) -> Iterator[bytes]:
    """The ``pieces`` as UTF-8, where each starts (from ``offset`` on) appended to ``starts``."""
    for piece in pieces:
        data = piece.encode()
        starts.append(offset)
        offset += len(data)
        yield data


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
