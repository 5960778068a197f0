"""The catalog: the parsed articles, kept for the next build and for GIS tools.

The build talks to a :class:`Catalog` (the few calls below) opened by :func:`open_catalog`, and
knows nothing of what holds it: by default a :class:`GeoPackageCatalog`, a GeoPackage (SQLite)
file beside the outputs, which QGIS and other tools can open; with a ``postgresql://`` URL, a
:class:`geomap.build.postgis.PostGISCatalog` that several builds share.

Tables: ``articles`` (id = file name, content hash, pipeline version, metadata, text, and the
``layout`` of its source as JSON: styles, PDF pages and source map),
``passages``, ``mentions`` and ``events`` — the last two are point layers (EPSG:4326, a ``geom``
column plus ``lat``/``lon``) — ``corrections`` (:class:`geomap.models.Correction`: what,
who, when, why), and ``sources``: what the last build read of each file (:class:`Source`), a
row each, so that a build writes only those of the files that changed. The catalog holds the
uncorrected parse of each article last seen; an article whose id, content hash and pipeline
are unchanged is never parsed again.

The schema is versioned (``meta.schema_version``); older catalogs are migrated when opened.
"""
from __future__ import annotations

import getpass
import json
import logging
import os
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager, nullcontext
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from geomap.build.staging import build_lock
from geomap.errors import CatalogError, GeomapError
from geomap.models import Article, Correction, Event, Mention, Passage, Place, Style

SCHEMA_VERSION = 8
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10300  # GeoPackage 1.3
WGS84 = 4326
CATALOG_NAME = "catalog.gpkg"
OLD_CATALOG_NAME = "catalog.sqlite"  # schema v1
log = logging.getLogger(__name__)
REBUILD_HINT = "run `geomap build --rebuild` to move it aside and rebuild it from the articles"

_GPKG_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
    srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
    ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
    ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
    ('WGS 84 geodetic', {WGS84}, 'EPSG', {WGS84}, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",
6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,
AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],
AUTHORITY["EPSG","4326"]]', 'longitude/latitude on WGS 84');
CREATE TABLE IF NOT EXISTS gpkg_contents (
    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT
    (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE,
    max_y DOUBLE, srs_id INTEGER);
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
"""

_V2_TABLES = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, pipeline TEXT NOT NULL, path TEXT, title TEXT,
    source TEXT, url TEXT, published TEXT, text TEXT NOT NULL);
CREATE TABLE passages (
    article TEXT NOT NULL, id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    paragraph INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (article, id));
CREATE TABLE mentions (
    fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, article TEXT NOT NULL,
    seq INTEGER NOT NULL, passage TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, name TEXT, feature TEXT, country TEXT, admin1 TEXT, admin1_all TEXT,
    lat REAL, lon REAL, geonameid INTEGER, population INTEGER, confidence REAL, why TEXT);
CREATE INDEX mentions_article ON mentions (article);
CREATE TABLE events (
    fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, id TEXT NOT NULL, article TEXT NOT NULL,
    seq INTEGER NOT NULL, passage TEXT NOT NULL, type TEXT NOT NULL, date TEXT,
    date_precision TEXT, precision INTEGER, places TEXT, admin1 TEXT, lat REAL, lon REAL,
    confidence REAL, triggers TEXT, mentions TEXT);
CREATE INDEX events_article ON events (article);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('articles', 'attributes', 'articles', 'Articles as last parsed', NULL),
    ('passages', 'attributes', 'passages', 'Sentences of the articles', NULL),
    ('mentions', 'features', 'mentions', 'Place mentions (uncorrected)', 4326),
    ('events', 'features', 'events', 'Events (uncorrected)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('mentions', 'geom', 'POINT', 4326, 0, 0),
    ('events', 'geom', 'POINT', 4326, 0, 0);
"""

_V4_INDEX = "CREATE INDEX articles_parse ON articles (id, sha256, pipeline);"

_V7_CORRECTIONS = """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT, article TEXT NOT NULL, passage TEXT NOT NULL,
    mention TEXT NOT NULL, event TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', made_by TEXT NOT NULL, made_at TEXT NOT NULL);
CREATE INDEX mentions_text ON mentions (text);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('corrections', 'attributes', 'corrections', 'Corrections: what, who, when, why', NULL);
"""

_V8_SOURCES = """
CREATE TABLE sources (
    name TEXT PRIMARY KEY, stat TEXT, digest TEXT NOT NULL, encoding TEXT, sha256 TEXT,
    text_key TEXT) WITHOUT ROWID;
"""
CORRECTION_COLUMNS = "article, passage, mention, event, field, value, note, made_by, made_at, id"

MENTION_COLUMNS = ("geom, article, seq, passage, start, \"end\", text, name, feature, country, "
                    "admin1, admin1_all, lat, lon, geonameid, population, confidence, why, located")
EVENT_COLUMNS = ("geom, id, article, seq, passage, type, date, date_precision, precision, places, "
                  "admin1, lat, lon, confidence, triggers, mentions")


class Source(NamedTuple):
    """What a build records of one file of the articles folder for the next (a row of the
    catalog's ``sources``; see :mod:`geomap.build.changes`)."""

    name: str  # the file's name (the article's id)
    stat: str | None  # its stat and its sidecar's (changes.stat_text); None: not to be trusted
    digest: str  # its bytes' and its sidecar's digest, as of that stat
    encoding: str | None  # the --encoding it was read with (None: none given)
    sha256: str | None  # the article's content hash as read; None if it is no article
    text_key: str | None  # its text key (geomap.ingest.text_key), likewise


SOURCE_COLUMNS = ", ".join(Source._fields)


def gpkg_point(lon: float | None, lat: float | None) -> bytes | None:
    """A GeoPackage geometry blob (header, SRS id, little-endian WKB) of a WGS84 point."""
    if lon is None or lat is None:
        return None
    return b"GP\x00\x01" + struct.pack("<i", WGS84) + struct.pack("<BIdd", 1, 1, lon, lat)


def _migrate_v1(db: sqlite3.Connection) -> int:
    """v1 (``parses`` keyed by hash as JSON, ``members`` of the last build) -> v2 tables,
    brought to the current schema before the parses are moved in."""
    from geomap.models import article_from_dict

    rows = db.execute("SELECT m.id, p.pipeline, p.article FROM members m JOIN parses p "
                      "ON p.sha256 = m.sha256").fetchall()
    db.executescript(_V2_TABLES)
    version = 2
    while version < SCHEMA_VERSION:
        version = MIGRATIONS[version](db)
    for article_id, pipeline, blob in rows:
        article = article_from_dict(json.loads(blob))
        article.id = article_id
        _insert(db, [article], pipeline, [parse_rows(article)])
    db.executescript("DROP TABLE parses; DROP TABLE members;")
    return version


def _migrate_v2(db: sqlite3.Connection) -> int:
    """v2 -> v3: mentions say where an approximate point comes from (``located``)."""
    db.execute("ALTER TABLE mentions ADD COLUMN located TEXT")
    return 3


def _migrate_v3(db: sqlite3.Connection) -> int:
    """v3 -> v4: an index that tells each article's hash and pipeline without reading its text."""
    db.executescript(_V4_INDEX)
    return 4


def _migrate_v4(db: sqlite3.Connection) -> int:
    """v4 -> v5: articles keep the layout of their source (styles, PDF pages)."""
    db.execute("ALTER TABLE articles ADD COLUMN layout TEXT")
    return 5


def _migrate_v5(db: sqlite3.Connection) -> int:
    """v5 -> v6: articles say the language they were read in (``lang``)."""
    db.execute("ALTER TABLE articles ADD COLUMN lang TEXT")
    return 6


def _migrate_v6(db: sqlite3.Connection) -> int:
    """v6 -> v7: corrections, with who made each and when; mentions found by how they are
    written (what a correction names)."""
    db.executescript(_V7_CORRECTIONS)
    return 7


def _migrate_v7(db: sqlite3.Connection) -> int:
    """v7 -> v8: what the last build recorded of each file, a row each (``sources``), where it
    was two JSON records rewritten whole by every build (``meta``)."""
    db.executescript(_V8_SOURCES)
    meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('file_stats', "
                           "'last_sources')"))
    db.executemany(f"INSERT INTO sources VALUES ({_marks(SOURCE_COLUMNS)})", sources_of_records(
        json.loads(meta.get("file_stats", "{}")), json.loads(meta.get("last_sources", "{}"))))
    db.execute("DELETE FROM meta WHERE key IN ('file_stats', 'last_sources')")
    return 8


def sources_of_records(stats: dict[str, list], read: dict[str, list[str]]) -> list[Source]:
    """The :class:`Source` rows of the two JSON records builds kept before: ``stats`` (file name
    -> [[inode, size, modification and change times] of the file and of its sidecar or None,
    digest]) and ``read`` (article id -> [digest (given the encoding, if one was), content
    hash, text key]). An article is taken as read with no encoding given where both digests
    agree; elsewhere it is read again."""
    rows = []
    for name in sorted(stats.keys() | read.keys()):
        (keys, digest), article = stats.get(name, (None, None)), read.get(name)
        stat = None if keys is None or keys[0] is None else " ".join(
            str(n) for key in keys if key is not None for n in key)
        if article is not None and digest in (None, article[0]):
            rows.append(Source(name, stat, article[0], None, article[1], article[2]))
        elif digest is not None:
            rows.append(Source(name, stat, digest, None, None, None))
    return rows


# Each migration brings a catalog from its version to the one it returns.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], int]] = {
    1: _migrate_v1, 2: _migrate_v2, 3: _migrate_v3, 4: _migrate_v4, 5: _migrate_v5, 6: _migrate_v6,
    7: _migrate_v7}


class Catalog(Protocol):
    """What a build asks of a catalog. Articles are keyed by id (their file name); each is stored
    with the content hash and parse version it was parsed at. Each ``put`` of a batch is
    committed on its own, so a build killed half-way keeps the batches it put (see
    :func:`geomap.build.stored`). A catalog several builds write at once hands each article to
    parse to one of them (:meth:`claim`, :meth:`wait`)."""

    def index(self) -> dict[str, tuple[str, str]]:
        """``(content hash, parse version)`` of every stored article, by id."""

    def load(self, ids: Iterable[str] | None = None) -> dict[str, Article]:
        """The stored articles of ``ids`` (all if None), parsed, by id."""

    def put(self, articles: Sequence[Article], pipeline: str,
            rows: Mapping[str, ParseRows] | None = None) -> None:
        """Store parsed articles (replacing any of the same ids), in one transaction; those
        whose parse is given as ``rows`` (by id, see :func:`parse_rows`) stored from them."""

    def retain(self, ids: Iterable[str]) -> int:
        """Keep the articles ``ids`` for this build's folder and no others; how many it let go."""

    def claim(self, ids: list[str]) -> list[str]:
        """Of the articles ``ids`` to parse, those this build is to parse and ``put``: the others
        another build is parsing now (:meth:`wait` for them)."""

    def wait(self, ids: list[str]) -> None:
        """Return once no other build is parsing the articles ``ids``."""

    def sources(self) -> dict[str, Source]:
        """What the last build of this folder recorded of each of its files, by name."""

    def record_sources(self, changed: Iterable[Source], gone: Iterable[str]) -> None:
        """Record the files ``changed`` since the last build's record (new rows or replacing
        those of the same names) and let go of those ``gone`` (names), in one transaction."""

    def get_meta(self, key: str) -> str | None:
        """A value the build recorded, or None."""

    def set_meta(self, key: str, value: str) -> None:
        """Record a value for the next build."""

    @property
    def name(self) -> str:
        """What the catalog is, for messages: its file, or its URL without the password."""

    def corrections(self) -> list[Correction]:
        """Every correction kept, in the order they were made."""

    def add_corrections(self, new: list[Correction]) -> list[Correction]:
        """Keep corrections (their ``id`` and ``at`` are given them; ``by``, if empty, is who
        this catalog knows the user as); they are returned as kept."""

    def where_named(self, texts: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
        """``(article, passage, text)`` of each stored mention written as one of ``texts`` (every
        mention if None), in the order of the articles and their text."""


@contextmanager
def open_catalog(out_dir: Path, rebuild: bool = False, url: str | None = None,
                 building: bool = False) -> Iterator[Catalog]:
    """The catalog of the outputs in ``out_dir`` — its GeoPackage, or the PostGIS database at
    ``url`` — open for the ``with`` block; the database's errors in the block become errors that
    say what to do. ``rebuild`` starts afresh (a GeoPackage is moved aside). ``building`` holds
    ``out_dir`` for one build (a file lock beside a GeoPackage; an advisory lock in PostGIS)."""
    if url is not None:
        from geomap.build.postgis import open_postgis

        with open_postgis(url, out_dir, rebuild, building) as catalog:
            yield catalog
        return
    path = catalog_path(out_dir, rebuild)
    with build_lock(out_dir) if building else nullcontext(), _geopackage(path) as catalog:
        if rebuild:
            catalog.take_corrections(path.with_name(path.name + ".bak"))
        yield catalog


@contextmanager
def _geopackage(path: Path) -> Iterator[GeoPackageCatalog]:
    """The GeoPackage catalog at ``path``, its errors turned into messages."""
    try:
        with GeoPackageCatalog(path) as catalog:
            yield catalog
    except sqlite3.OperationalError as e:
        if not _write_failure(e):
            raise CatalogError(f"{path}: catalog damaged ({e}); {REBUILD_HINT}") from e
        raise GeomapError(f"{path}: cannot write the catalog ({e}: disk full?); nothing was "
                          "changed, free space and build again") from e
    except sqlite3.DatabaseError as e:
        raise CatalogError(f"{path}: catalog damaged ({e}); {REBUILD_HINT}") from e


def _write_failure(e: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed to write (a full disk or a file size limit), not to read."""
    return any(s in str(e) for s in ("disk I/O error", "database or disk is full"))


class GeoPackageCatalog:
    """A catalog in a GeoPackage file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._index: dict[str, tuple[str, str]] | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=30)
            self._prepare()
        except sqlite3.DatabaseError as e:
            raise CatalogError(f"{path}: catalog unreadable ({e}); {REBUILD_HINT}") from e

    def _prepare(self) -> None:
        """Create a new catalog, or migrate an older one to :data:`SCHEMA_VERSION` (a current one
        is opened without writing)."""
        if self._schema_version() == str(SCHEMA_VERSION):
            return
        with self.db:
            self.db.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
            self.db.executescript("CREATE TABLE IF NOT EXISTS meta "
                                  "(key TEXT PRIMARY KEY, value TEXT NOT NULL);" + _GPKG_SCHEMA)
            version = self.get_meta("schema_version")
            if version is None:
                self.db.executescript(_V2_TABLES)
                version = 2
            elif int(version) > SCHEMA_VERSION:
                raise CatalogError(f"{self.path}: catalog schema {version} is newer than this "
                                   f"geomap reads ({SCHEMA_VERSION}); {REBUILD_HINT}")
            v = int(version)
            while v < SCHEMA_VERSION:
                v = MIGRATIONS[v](self.db)
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def _schema_version(self) -> str | None:
        """``meta.schema_version``, or None when there is no meta table yet."""
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
            return None
        return self.get_meta("schema_version")

    @property
    def name(self) -> str:
        """The catalog's file."""
        return str(self.path)

    def __enter__(self) -> GeoPackageCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table, or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``meta`` table, committed."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def sources(self) -> dict[str, Source]:
        """What the last build recorded of each file, by name."""
        return {row[0]: Source._make(row) for row in self.db.execute(
            f"SELECT {SOURCE_COLUMNS} FROM sources")}

    def record_sources(self, changed: Iterable[Source], gone: Iterable[str]) -> None:
        """Write the rows of the files ``changed`` and drop those of the files ``gone``."""
        with self.db:
            self.db.executemany(
                f"INSERT OR REPLACE INTO sources VALUES ({_marks(SOURCE_COLUMNS)})", changed)
            self.db.executemany("DELETE FROM sources WHERE name = ?", ((n,) for n in gone))

    def index(self) -> dict[str, tuple[str, str]]:
        """Every stored article: id -> (content hash, pipeline version). Read once, then kept
        up to date as articles are put (one build at a time writes a GeoPackage); not to be
        modified."""
        if self._index is None:
            self._index = {i: (s, p) for i, s, p in
                           self.db.execute("SELECT id, sha256, pipeline FROM articles")}
        return self._index

    def put(self, articles: Sequence[Article], pipeline: str,
            rows: Mapping[str, ParseRows] | None = None) -> None:
        """Store parsed articles, replacing what was stored under their ids, in one
        transaction; those whose parse is given as ``rows`` (by id) stored from them."""
        stored = self.index()
        with self.db:
            _delete(self.db, [a.id for a in articles if a.id in stored])  # else none to replace
            _insert(self.db, articles, pipeline, [rows_of(a, rows) for a in articles])
        stored.update((a.id, (a.sha256, pipeline)) for a in articles)

    def retain(self, ids: Iterable[str]) -> int:
        """Drop every article whose id is not in ``ids``; how many."""
        gone = set(self.index()) - set(ids)
        if gone:
            self._index = None
            with self.db:
                _delete(self.db, sorted(gone))
        return len(gone)

    def corrections(self) -> list[Correction]:
        """Every correction kept, in the order they were made."""
        return [Correction(*r) for r in self.db.execute(
            f"SELECT {CORRECTION_COLUMNS} FROM corrections ORDER BY id")]

    def add_corrections(self, new: list[Correction]) -> list[Correction]:
        """Keep corrections, made now, by the login name where they do not say who."""
        at, user = _now(), _login()
        with self.db:
            ids = [self.db.execute(
                f"INSERT INTO corrections ({CORRECTION_COLUMNS.rsplit(', ', 1)[0]}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*c.what(), c.note, c.by or user, at)
            ).lastrowid for c in new]
        return [Correction(*c.what(), c.note, c.by or user, at, i) for c, i in zip(new, ids)]

    def take_corrections(self, old: Path) -> None:
        """Keep the corrections of the catalog ``old`` (moved aside by ``--rebuild``), as they
        were made; a catalog too damaged to give them is named in a warning."""
        if not old.exists():
            return
        try:
            with closing(sqlite3.connect(f"{old.as_uri()}?mode=ro", uri=True)) as db:
                if not db.execute("SELECT 1 FROM sqlite_master WHERE name='corrections'"
                                  ).fetchone():
                    return
                rows = db.execute(f"SELECT {CORRECTION_COLUMNS} FROM corrections").fetchall()
        except sqlite3.DatabaseError as e:
            log.warning("%s: its corrections could not be read (%s): make them again with "
                        "`geomap correct` (or --import a corrections file)", old, e)
            return
        with self.db:
            self.db.executemany(f"INSERT OR IGNORE INTO corrections ({CORRECTION_COLUMNS}) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def where_named(self, texts: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
        """``(article, passage, text)`` of the stored mentions written as one of ``texts`` (all
        if None)."""
        where, args = ("", ()) if texts is None else (
            " WHERE text IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(texts))),))
        return self.db.execute(f"SELECT article, passage, text FROM mentions{where} "
                               "ORDER BY article, seq", args).fetchall()

    def claim(self, ids: list[str]) -> list[str]:
        """All of ``ids``: one build at a time writes a GeoPackage."""
        return ids

    def wait(self, ids: list[str]) -> None:
        """Nothing to wait for (see :meth:`claim`)."""

    def load(self, ids: Iterable[str] | None = None) -> dict[str, Article]:
        """Stored articles by id (all of them when ``ids`` is None), rebuilt as parsed."""
        where, args = ("", ()) if ids is None else (
            " WHERE {} IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),))
        return read_articles(self.db, where, args)


def _now() -> str:
    """The time, UTC, to the second, as corrections record it (2024-05-01T10:22:03Z)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _login() -> str:
    """Who the user is logged in as, or ``unknown``."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, as in some containers
        return "unknown"


def _delete(db: sqlite3.Connection, ids: list[str]) -> None:
    for table, key in (("articles", "id"), ("passages", "article"), ("mentions", "article"),
                       ("events", "article")):
        db.executemany(f"DELETE FROM {table} WHERE {key}=?", [(i,) for i in ids])


def layout_json(a: Article) -> str | None:
    """An article's styles, pages and source map as JSON, or None when it has none."""
    if not a.styles and not a.pages and not a.source_map:
        return None
    return json.dumps({"styles": [[s.start, s.end, s.kind, s.href] for s in a.styles],
                       "pages": a.pages, "source": a.source_map}, ensure_ascii=False)


def with_layout(a: Article, layout: str | None) -> Article:
    """``a`` given the styles, pages and source map of its stored :func:`layout_json`."""
    if layout:
        stored = json.loads(layout)
        a.styles = [Style(*s) for s in stored["styles"]]
        a.pages = stored["pages"]
        a.source_map = stored.get("source", [])  # none in a layout stored before them
    return a


class ParseRows(NamedTuple):
    """What parsing found in an article as the catalog's rows: its passages' spans (id, start,
    end, paragraph; the rows add the article's id and the passage's text), its mentions' and its
    events' rows (:func:`mention_row`, :func:`event_row`). Made where the article was parsed,
    they are sent back instead of the parse, and are smaller and quicker to store."""

    passages: list[tuple[str, int, int, int]]
    mentions: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]


def parse_rows(a: Article) -> ParseRows:
    """An article's parse as the catalog's rows."""
    return ParseRows([(p.id, p.start, p.end, p.paragraph) for p in a.passages],
                     [mention_row(a.id, i, m) for i, m in enumerate(a.mentions)],
                     [event_row(a.id, i, e) for i, e in enumerate(a.events)])


def rows_of(a: Article, rows: Mapping[str, ParseRows] | None) -> ParseRows:
    """The parse of ``a`` as the catalog's rows: as given in ``rows`` (by id), else made now."""
    given = rows.get(a.id) if rows else None
    return given if given is not None else parse_rows(a)


def passage_rows(a: Article, rows: ParseRows) -> list[tuple[Any, ...]]:
    """The rows of an article's passages: each passage's span with the article's id and the
    passage's text."""
    return [(a.id, i, start, end, paragraph, a.text[start:end])
            for i, start, end, paragraph in rows.passages]


def _insert(db: sqlite3.Connection, articles: Sequence[Article], pipeline: str,
            rows: Sequence[ParseRows]) -> None:
    """Insert the ``articles`` and their parses (``rows``, in the same order): each table's
    rows in one statement, in the articles' order (so the mentions and events are numbered as
    if each article were inserted in turn)."""
    db.executemany("INSERT INTO articles (id, sha256, pipeline, path, title, source, url, "
                   "published, text, layout, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(a.id, a.sha256, pipeline, a.path, a.title, a.source, a.url, a.published,
                     a.text, layout_json(a), a.lang) for a in articles])
    db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?)",
                   chain.from_iterable(map(passage_rows, articles, rows)))
    db.executemany(f"INSERT INTO mentions ({MENTION_COLUMNS}) VALUES ({_marks(MENTION_COLUMNS)})",
                   chain.from_iterable(r.mentions for r in rows))
    db.executemany(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({_marks(EVENT_COLUMNS)})",
                   chain.from_iterable(r.events for r in rows))


def _marks(columns: str) -> str:
    return ", ".join("?" * len(columns.split(",")))


def mention_row(article_id: str, seq: int, m: Mention) -> tuple[Any, ...]:
    p = m.place
    place = ((p.name, p.feature, p.country, p.admin1, json.dumps(p.admin1_all), p.lat, p.lon,
              p.geonameid, p.population) if p else (None, None, None, None, "[]", None, None, None, None))
    return (gpkg_point(p.lon, p.lat) if p else None, article_id, seq, m.passage, m.start, m.end,
            m.text, *place, m.confidence, json.dumps(m.why, ensure_ascii=False),
            p.located if p else None)


def event_row(article_id: str, seq: int, e: Event) -> tuple[Any, ...]:
    return (gpkg_point(e.lon, e.lat), e.id, article_id, seq, e.passage, e.type, e.date,
            e.date_precision, e.precision, json.dumps(e.places, ensure_ascii=False),
            json.dumps(e.admin1), e.lat, e.lon, e.confidence, json.dumps(e.triggers, ensure_ascii=False),
            json.dumps(e.mentions))


def read_articles(db: Any, where: str = "", args: tuple[Any, ...] = ()) -> dict[str, Article]:
    """The articles of a catalog's tables (SQLite or PostgreSQL: a connection whose ``execute``
    takes a query and its parameters), rebuilt as parsed: those ``where`` keeps (a filter with
    ``{}`` for the id column, its parameters ``args``), or all."""
    articles = {r[0]: with_layout(Article(id=r[0], sha256=r[1], path=r[2], title=r[3],
                                          source=r[4], url=r[5], published=r[6], text=r[7],
                                          lang=r[9]), r[8])
                for r in db.execute("SELECT id, sha256, path, title, source, url, published, "
                                    "text, layout, lang FROM articles" + where.format("id"), args)}
    for r in db.execute('SELECT article, id, start, "end", paragraph FROM passages'
                        + where.format("article") + " ORDER BY article, start", args):
        if r[0] in articles:
            articles[r[0]].passages.append(Passage(r[1], r[2], r[3], r[4]))
    for table, columns, build in (("mentions", MENTION_COLUMNS, mention_from_row),
                                  ("events", EVENT_COLUMNS, event_from_row)):
        for article_id, item in _rows(db, table, columns, build, where.format("article"), args):
            if article_id in articles:
                getattr(articles[article_id], table).append(item)
    return articles


def _rows(db: Any, table: str, columns: str, build: Callable[[tuple[Any, ...]], Any],
          where: str = "", args: tuple[Any, ...] = ()) -> Iterable[tuple[str, Any]]:
    names = columns.split(", ", 1)[1]  # all but geom: lat/lon carry the point
    for row in db.execute(f"SELECT {names} FROM {table}{where} ORDER BY article, seq", args):
        yield row[0] if table == "mentions" else row[1], build(row)


def mention_from_row(r: tuple[Any, ...]) -> Mention:
    (article, _seq, passage, start, end, text, name, feature, country, admin1, admin1_all, lat, lon,
     geonameid, population, confidence, why, located) = r
    place = None if lat is None else Place(name, feature, country, lat, lon, admin1,
                                            json.loads(admin1_all), geonameid, population, located)
    return Mention(article, start, end, text, passage, place, confidence, json.loads(why))


def event_from_row(r: tuple[Any, ...]) -> Event:
    (event_id, article, _seq, passage, type_, date, date_precision, precision, places, admin1, lat,
     lon, confidence, triggers, mentions) = r
    return Event(event_id, type_, article, passage, json.loads(mentions), json.loads(places),
                 json.loads(admin1), lat, lon, precision, date, date_precision, confidence,
                 json.loads(triggers))


def catalog_path(out_dir: Path, rebuild: bool = False) -> Path:
    """The catalog of ``out_dir`` (a v1 ``catalog.sqlite`` is renamed, then migrated on opening);
    with ``rebuild``, the existing one is moved aside as ``catalog.gpkg.bak`` first."""
    path, old = out_dir / CATALOG_NAME, out_dir / OLD_CATALOG_NAME
    if old.exists() and not path.exists():
        os.replace(old, path)
    if rebuild and path.exists():
        os.replace(path, path.with_name(path.name + ".bak"))
    return path
