"""Per-article fragments of the outputs: a build assembles the map and the GeoJSON files from them,
so the articles that did not change need not be loaded from the catalog, and a build holds the
small :class:`Tally` of each article, not its texts (they are written here as each article is
parsed, and read back in order as the outputs are written).

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
from collections.abc import Container, Iterable, Iterator, Mapping
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
JSON_PARTS = ("map_places", "map_counts", "places", "placed", "problems")


@dataclass(slots=True)
class Tally:
    """What the outputs that sum up every article (the places on the map and in the places
    layer, the legends, the count of placed mentions, the corrections' problems) need of one
    article: small, so that a build holds those of every article but none of their texts."""

    map_places: dict[str, list[Any]]  # :attr:`MapPart.places`: key -> [record's fields, mentions]
    map_counts: list[dict[str, int]]  # [:attr:`MapPart.mentions`, :attr:`MapPart.events`]
    places: list[list[Any]]  # :func:`geomap.export.place_summary`
    placed: int  # its mentions placed on the map
    problems: list[list[str]]  # [source, origin, message] of each correction that failed on it

    def map_part(self) -> MapPart:
        """The article's share of the map, without its data (the outputs read it from the
        store as they are written)."""
        places = {key: (PlaceRecord(**row), n) for key, (row, n) in self.map_places.items()}
        return MapPart("", places, *self.map_counts)


@dataclass(slots=True)
class Fragment:
    """What one article puts into the outputs, each part JSON-ready and stored in a column of its
    name (:data:`TEXT_PARTS` as text, :data:`JSON_PARTS` (those of its :class:`Tally`) as
    JSON)."""

    mentions: str  # its mention features, as GeoJSON text
    events: str  # its located events' features, likewise
    map: str  # its share of the map's data (:attr:`MapPart.data`)
    tally: Tally

    def row(self) -> tuple[str, ...]:
        """Its columns as the :class:`Store` keeps them: :data:`TEXT_PARTS`, then
        :data:`JSON_PARTS` as JSON (strings, which a worker sends back quicker than objects)."""
        return (*(getattr(self, p) for p in TEXT_PARTS),
                *(orjson.dumps(getattr(self.tally, p)).decode() for p in JSON_PARTS))


def tally_of(row: tuple[str, ...]) -> Tally:
    """The :class:`Tally` of a fragment's :meth:`Fragment.row`."""
    return Tally(*map(orjson.loads, row[len(TEXT_PARTS):]))


def fragment(article: Article, problems: list[Problem]) -> Fragment:
    """The fragment of a parsed, corrected article."""
    part = map_part(article)
    return Fragment(mentions=export.features_text(export.mention_features(article)),
                    events=export.features_text(export.event_features(article)),
                    map=part.data, tally=Tally(
                        map_places={key: [row._asdict(), n]
                                    for key, (row, n) in part.places.items()},
                        map_counts=[part.mentions, part.events],
                        places=export.place_summary(article),
                        placed=sum(1 for m in article.mentions if m.place),
                        problems=[[p.source, p.origin, p.message] for p in problems]))


class Assembly:
    """The tallies of the articles ``ids`` (in the order of their names) for the map and the
    GeoJSON files, from their :class:`Tally` added in any order: the outputs are the same
    whatever the order, so a build adds those of unchanged articles while the changed ones are
    being parsed. The articles' texts (features, map data) are not held: the outputs take them
    from the :class:`Store` as they are written (:mod:`geomap.build.outputs`)."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.position = {article_id: n for n, article_id in enumerate(ids)}
        self.map = MapAssembly(len(ids))
        self.places = export.PlacesAssembly()
        self.placed = 0  # mentions placed on the map
        self.boundaries = basemap.load()

    def add(self, article_id: str, tally: Tally) -> None:
        """Add an article's tally."""
        n = self.position[article_id]
        self.map.add(n, tally.map_part())
        self.places.add(n, article_id, tally.places)
        self.placed += tally.placed

    def tallies(self) -> dict[str, Any]:
        """What the articles added hold, JSON-ready (:meth:`restore`)."""
        return {"map": self.map.tallies(), "places": self.places.tallies(),
                "placed": self.placed}

    def restore(self, tallies: dict[str, Any]) -> None:
        """Take the :meth:`tallies` of the first articles, those after them yet to be added."""
        self.map.restore(tallies["map"])
        self.places.restore(tallies["places"])
        self.placed = tallies["placed"]


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


CHUNK = 1000  # fragments read at a time


class Store:
    """The fragments of an output folder, and the record of the outputs they were last
    assembled into (:meth:`record`); use as a context manager. A file SQLite cannot read, or of
    another layout, is replaced by an empty one."""

    def __init__(self, path: Path) -> None:
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
            db.execute("CREATE TABLE IF NOT EXISTS outputs (name TEXT PRIMARY KEY, "
                       "value BLOB NOT NULL)")
            db.execute(f"SELECT id, key, {', '.join((*TEXT_PARTS, *JSON_PARTS))} FROM fragments "
                       "LIMIT 1").fetchone()
            db.execute("SELECT name, value FROM outputs LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def keys(self, record: Mapping[str, Any]) -> dict[str, str]:
        """Article id -> key of each stored fragment: as the :meth:`record` read before says,
        if there is one (no fragment is saved after the record: :meth:`save` forgets it),
        else as the fragments are stored."""
        if "articles" in record:
            return dict(record["articles"])
        return dict(self.db.execute("SELECT id, key FROM fragments"))

    def _rows(self, ids: list[str], columns: str) -> Iterator[tuple[Any, ...]]:
        """The rows (id first, then ``columns``) of the fragments of ``ids``, in that order,
        read :data:`CHUNK` at a time (each must be stored)."""
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            rows = {r[0]: r for r in self.db.execute(
                f"SELECT id, {columns} FROM fragments "
                "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(chunk),))}
            yield from (rows[i] for i in chunk)

    def tallies(self, ids: list[str]) -> Iterator[tuple[str, Tally]]:
        """The :class:`Tally` of each article of ``ids``, in that order."""
        for row in self._rows(ids, ", ".join(JSON_PARTS)):
            yield row[0], Tally(*map(orjson.loads, row[1:]))

    def problems(self, ids: Container[str]) -> dict[str, list[list[str]]]:
        """The problems of corrections (:attr:`Tally.problems`) of the articles of ``ids`` that
        have some, by id."""
        return {i: orjson.loads(text) for i, text in self.db.execute(
            "SELECT id, problems FROM fragments WHERE problems != '[]'") if i in ids}

    def texts(self, ids: list[str], part: str) -> Iterator[bytes]:
        """A text part (:data:`TEXT_PARTS`) of the fragment of each article of ``ids``, in that
        order, as UTF-8 (never decoded)."""
        for _, text in self._rows(ids, f"CAST({part} AS BLOB)"):
            yield text

    def save(self, made: Mapping[str, tuple[str, tuple[str, ...]]]) -> None:
        """Store fragments (article id -> (key, :meth:`Fragment.row`)), replacing those of the
        same articles; the record of the outputs is forgot with the first (it no longer says
        which are stored), until the outputs are written and recorded again."""
        marks = ", ".join("?" * (2 + len(TEXT_PARTS) + len(JSON_PARTS)))
        with self.db:
            self.db.execute("DELETE FROM outputs WHERE name='record'")
            self.db.executemany(f"INSERT OR REPLACE INTO fragments VALUES ({marks})",
                                [(i, k, *row) for i, (k, row) in made.items()])

    def retain(self, ids: Iterable[str]) -> None:
        """Drop the fragments of articles not in ``ids``."""
        ids = set(ids)
        gone = {i for (i,) in self.db.execute("SELECT id FROM fragments")} - ids
        if gone:
            with self.db:
                self.db.executemany("DELETE FROM fragments WHERE id=?", [(i,) for i in sorted(gone)])

    def record(self) -> dict[str, Any]:
        """What :meth:`set_record` recorded of the outputs last written (empty if nothing)."""
        try:
            row = self.db.execute("SELECT value FROM outputs WHERE name='record'").fetchone()
            return orjson.loads(row[0]) if row else {}
        except (sqlite3.DatabaseError, orjson.JSONDecodeError):
            return {}

    def set_record(self, record: dict[str, Any] | None) -> None:
        """Record what the outputs just written hold (see :mod:`geomap.build.outputs`); None
        forgets the record."""
        with self.db:
            self.db.execute("DELETE FROM outputs WHERE name='record'")
            if record is not None:
                self.db.execute("INSERT INTO outputs VALUES ('record', ?)",
                                (orjson.dumps(record),))
