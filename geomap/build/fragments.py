"""Per-article fragments of the outputs: a build assembles the map and the GeoJSON files from them,
so the articles that did not change need not be loaded from the catalog.

A fragment holds what one article (as corrected) puts into the outputs: its share of the map's
data, its mention and event features as GeoJSON text, what the places layer needs of it, its
count of placed mentions and the problems of the corrections that failed on it. It is stored
under the article's id and keyed as its reader page is (:func:`geomap.render.pages.page_key`: its
content hash, the catalog's corrections that touch it and the page salt, i.e. the code that
renders and the corrections file), and kept in ``.fragments.sqlite`` in the output folder: a
cache, whose loss or damage costs one slower build, never a wrong output.
"""
from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from geomap import export
from geomap.models import Article
from geomap.render import basemap
from geomap.render.map import MapAssembly, MapPart, map_part
from geomap.render.records import PlaceRecord

if TYPE_CHECKING:  # corrections imports the parse stages: a build that parses nothing skips them
    from geomap.corrections import Problem

FILE = ".fragments.sqlite"
TEXT_PARTS = ("mentions", "events", "map")  # GeoJSON text and the map's data, stored as they are
BYTES_PARTS = ("mentions", "events")  # read back as UTF-8 and written out so: never decoded
JSON_PARTS = ("map_places", "map_counts", "places", "placed", "problems")


@dataclass(slots=True)
class Fragment:
    """What one article puts into the outputs, each part JSON-ready and stored in a column of its
    name (:data:`TEXT_PARTS` as text, :data:`JSON_PARTS` as JSON)."""

    mentions: str | bytes  # its mention features, as GeoJSON text (UTF-8 bytes when read back)
    events: str | bytes  # its located events' features, likewise
    map: str  # its share of the map's data (:attr:`MapPart.data`)
    map_places: dict[str, list[Any]]  # :attr:`MapPart.places`: key -> [record's fields, mentions]
    map_counts: list[dict[str, int]]  # [:attr:`MapPart.mentions`, :attr:`MapPart.events`]
    places: list[list[Any]]  # :func:`geomap.export.place_summary`
    placed: int  # its mentions placed on the map
    problems: list[list[str]]  # [source, origin, message] of each correction that failed on it

    def map_part(self) -> MapPart:
        """The article's share of the map."""
        places = {key: (PlaceRecord(**row), n) for key, (row, n) in self.map_places.items()}
        return MapPart(self.map, places, *self.map_counts)


def fragment(article: Article, problems: list[Problem]) -> Fragment:
    """The fragment of a parsed, corrected article."""
    part = map_part(article)
    return Fragment(mentions=export.features_text(export.mention_features(article)),
                    events=export.features_text(export.event_features(article)),
                    map=part.data,
                    map_places={key: [row._asdict(), n] for key, (row, n) in part.places.items()},
                    map_counts=[part.mentions, part.events],
                    places=export.place_summary(article),
                    placed=sum(1 for m in article.mentions if m.place),
                    problems=[[p.source, p.origin, p.message] for p in problems])


class Assembly:
    """The map and the GeoJSON files of the articles ``ids`` (in the order of their names), from
    their fragments added in any order: the outputs are the same whatever the order, so a build
    adds the fragments of unchanged articles while the changed ones are being parsed."""

    def __init__(self, ids: list[str]) -> None:
        self.position = {article_id: n for n, article_id in enumerate(ids)}
        self.map = MapAssembly(len(ids))
        self.places = export.PlacesAssembly()
        self.mentions: list[str | bytes] = [""] * len(ids)
        self.events: list[str | bytes] = [""] * len(ids)
        self.placed = 0  # mentions placed on the map
        self.boundaries = basemap.load()

    def add(self, article_id: str, fragment: Fragment) -> None:
        """Add an article's fragment."""
        n = self.position[article_id]
        self.map.add(n, fragment.map_part())
        self.places.add(n, article_id, fragment.places)
        self.mentions[n], self.events[n] = fragment.mentions, fragment.events
        self.placed += fragment.placed

    def outputs(self) -> dict[str, Iterable[str | bytes]]:
        """The files' texts by name, in pieces to be written one after the other, once every
        article's fragment is added."""
        return {"index.html": self.map.pieces(self.boundaries),
                "mentions.geojson": export.collection_pieces(self.mentions),
                "places.geojson": [self.places.text()],
                "events.geojson": export.collection_pieces(self.events)}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Within the block, no cyclic garbage collection, and what it made is then left out of
    collections (frozen, see :func:`gc_frozen`): assembling outputs from thousands of fragments
    makes millions of objects and no cycles, and collections would rescan them all, the first one
    as soon as collections resume. Refcounting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def gc_frozen() -> Iterator[None]:
    """Within the block, the objects alive at its start (the fragments loaded, the parse stages)
    are left out of garbage collections: they make no cycles, and every collection of the oldest
    generation would scan them all again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class Store:
    """The fragments of an output folder; use as a context manager. A file SQLite cannot read, or
    of another layout, is replaced by an empty one. The fragments a process loaded or saved last
    are kept in memory for its next build (``geomap watch``): a fragment never changes under its
    key, so they need no checking against the file."""

    _memory: dict[Path, dict[str, tuple[str, Fragment]]] = {}  # file -> id -> (key, fragment)

    def __init__(self, path: Path) -> None:
        self.memory = self._memory.setdefault(path.resolve(), {})
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30)
        try:
            columns = ", ".join(f"{c} TEXT NOT NULL" for c in (*TEXT_PARTS, *JSON_PARTS))
            db.execute("CREATE TABLE IF NOT EXISTS fragments "
                       f"(id TEXT PRIMARY KEY, key TEXT NOT NULL, {columns})")
            db.execute(f"SELECT id, key, {', '.join((*TEXT_PARTS, *JSON_PARTS))} FROM fragments "
                       "LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def keys(self) -> dict[str, str]:
        """Article id -> key of each stored fragment."""
        return dict(self.db.execute("SELECT id, key FROM fragments"))

    def load(self, keys: Mapping[str, str]) -> dict[str, Fragment]:
        """The stored fragments whose key is that given for their article, by article id."""
        found = {i: f for i, (k, f) in self.memory.items() if keys.get(i) == k}
        wanted = sorted(set(keys) - set(found))
        try:
            columns = [f"CAST({p} AS BLOB)" if p in BYTES_PARTS else p for p in TEXT_PARTS]
            rows = self.db.execute(
                f"SELECT id, key, {', '.join((*columns, *JSON_PARTS))} FROM fragments "
                "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)).fetchall()
        except sqlite3.DatabaseError:
            rows = []
        width = len(TEXT_PARTS)
        with gc_paused():
            found |= {r[0]: Fragment(**dict(zip(TEXT_PARTS, r[2:2 + width])),
                                     **{part: orjson.loads(text)
                                        for part, text in zip(JSON_PARTS, r[2 + width:])})
                      for r in rows if keys.get(r[0]) == r[1]}
            self.memory.clear()
            self.memory.update((i, (keys[i], f)) for i, f in found.items())
        return found

    def save(self, made: Mapping[str, tuple[str, Fragment]]) -> None:
        """Store fragments (article id -> (key, fragment)), replacing those of the same articles."""
        marks = ", ".join("?" * (2 + len(TEXT_PARTS) + len(JSON_PARTS)))
        with self.db:
            self.db.executemany(f"INSERT OR REPLACE INTO fragments VALUES ({marks})", [
                (i, k, *(getattr(f, p) for p in TEXT_PARTS),
                 *(orjson.dumps(getattr(f, p)).decode() for p in JSON_PARTS))
                for i, (k, f) in made.items()])
        self.memory.update(made)

    def retain(self, ids: Iterable[str]) -> None:
        """Drop the fragments of articles not in ``ids``."""
        ids = set(ids)
        gone = {i for (i,) in self.db.execute("SELECT id FROM fragments")} - ids
        if gone:
            with self.db:
                self.db.executemany("DELETE FROM fragments WHERE id=?", [(i,) for i in sorted(gone)])
        for i in set(self.memory) - ids:
            del self.memory[i]
