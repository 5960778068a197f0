"""The catalog in PostgreSQL + PostGIS, shared by a team's builds (``--catalog postgresql://...``).

The tables are those of the GeoPackage catalog (:mod:`.catalog`), in the schema ``geomap``, with
``geometry(Point, 4326)`` columns made from ``lat``/``lon`` and GiST indexes; each article says who
parsed it and when. Views for QGIS: ``places`` (each resolved place with its counts) and
``events_by_oblast`` (first-level units, polygons, with their events counted), over the table
``admin1`` of the boundaries geomap maps with. ``corrections`` keeps the team's corrections, each
with who made it (by default the database user) and when.

Several builds write at once. What a build records of its own folder (``meta``, and which
articles it holds) is kept under its *scope*, the host and the output folder. An article to parse
is claimed with an advisory lock, so a build that finds another parsing it waits and takes that
parse; each batch of articles is stored in one transaction; an article is dropped once no folder
holds it.
One build at a time per output folder, by an advisory lock on its scope.

The schema is versioned (``meta.schema_version``, scope ``''``): a catalog is made, or brought
up to date, by running the :data:`MIGRATIONS` from its version, under a lock.
"""
from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from geomap.build.catalog import (
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    SOURCE_COLUMNS,
    Source,
    ParseRows,
    layout_json,
    passage_rows,
    read_articles,
    rows_of,
    sources_of_records,
)
from geomap.errors import BusyError, CatalogError
from geomap.models import Article, Correction

if TYPE_CHECKING:
    import psycopg

SCHEMA = "geomap"
SCHEMA_VERSION = 6
URL_SCHEMES = ("postgresql", "postgres")
# geomap's advisory locks: (kind, what) pairs of int4; what is 0 or the hashtext of a name
LOCK_SPACE = 0x67656F0
SCHEMA_LOCK, BUILD_LOCK, PARSE_LOCK = LOCK_SPACE + 1, LOCK_SPACE + 2, LOCK_SPACE + 3
CONNECT_TIMEOUT = 10  # seconds

_V1_TABLES = """
CREATE TABLE meta (scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                   PRIMARY KEY (scope, key));
CREATE TABLE articles (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, pipeline TEXT NOT NULL, path TEXT, title TEXT,
    source TEXT, url TEXT, published TEXT, text TEXT NOT NULL);
CREATE INDEX articles_parse ON articles (id, sha256, pipeline);
CREATE TABLE holdings (scope TEXT NOT NULL, article TEXT NOT NULL, PRIMARY KEY (scope, article));
CREATE INDEX holdings_article ON holdings (article);
CREATE TABLE passages (
    article TEXT NOT NULL REFERENCES articles ON DELETE CASCADE, id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, paragraph INTEGER NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY (article, id));
CREATE TABLE mentions (
    fid BIGSERIAL PRIMARY KEY,
    geom geometry(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    article TEXT NOT NULL REFERENCES articles ON DELETE CASCADE, seq INTEGER NOT NULL,
    passage TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    name TEXT, feature TEXT, country TEXT, admin1 TEXT, admin1_all TEXT, lat DOUBLE PRECISION,
    lon DOUBLE PRECISION, geonameid BIGINT, population BIGINT, confidence DOUBLE PRECISION,
    why TEXT, located TEXT);
CREATE INDEX mentions_article ON mentions (article);
CREATE INDEX mentions_geom ON mentions USING GIST (geom);
CREATE TABLE events (
    fid BIGSERIAL PRIMARY KEY,
    geom geometry(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    id TEXT NOT NULL, article TEXT NOT NULL REFERENCES articles ON DELETE CASCADE,
    seq INTEGER NOT NULL, passage TEXT NOT NULL, type TEXT NOT NULL, date TEXT,
    date_precision TEXT, precision INTEGER, places TEXT, admin1 TEXT, lat DOUBLE PRECISION,
    lon DOUBLE PRECISION, confidence DOUBLE PRECISION, triggers TEXT, mentions TEXT);
CREATE INDEX events_article ON events (article);
CREATE INDEX events_geom ON events USING GIST (geom);
"""

_V2_WHO_AND_VIEWS = """
ALTER TABLE articles ADD COLUMN parsed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                     ADD COLUMN parsed_by TEXT NOT NULL DEFAULT current_user,
                     ADD COLUMN scope TEXT;
CREATE TABLE admin1 (
    fid SERIAL PRIMARY KEY, iso_3166_2 TEXT NOT NULL, country TEXT, name TEXT,
    geom geometry(MultiPolygon, 4326) NOT NULL);
CREATE INDEX admin1_iso ON admin1 (iso_3166_2);
CREATE INDEX admin1_geom ON admin1 USING GIST (geom);
CREATE VIEW places AS
    SELECT row_number() OVER (ORDER BY country, admin1, name, lat, lon)::integer AS fid,
           name, feature, country, admin1, geonameid, lat, lon,
           count(*)::integer AS mentions, count(DISTINCT article)::integer AS articles,
           ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geometry(Point, 4326) AS geom
    FROM mentions WHERE lat IS NOT NULL
    GROUP BY name, feature, country, admin1, geonameid, lat, lon;
CREATE VIEW events_by_oblast AS
    SELECT u.fid, u.iso_3166_2, u.name, u.country,
           count(*)::integer AS events, count(DISTINCT e.article)::integer AS articles,
           min(e.date) AS first_date, max(e.date) AS last_date, u.geom
    FROM admin1 u JOIN events e ON e.lat IS NOT NULL AND e.admin1::jsonb ? u.iso_3166_2
    GROUP BY u.fid;
"""


def _migrate_v0(db: psycopg.Connection) -> int:
    """An empty database -> v1: the tables of the GeoPackage catalog, and what each folder holds."""
    db.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    db.execute(_V1_TABLES)
    return 1


def _migrate_v1(db: psycopg.Connection) -> int:
    """v1 -> v2: who parsed each article and when; the first-level units and the QGIS views."""
    db.execute(_V2_WHO_AND_VIEWS)
    _fill_admin1(db)
    return 2


def _fill_admin1(db: psycopg.Connection) -> None:
    """The first-level units geomap maps with (those with an ISO 3166-2 code), as polygons."""
    import shapely

    from geomap.geo import boundaries

    units = boundaries.admin1().dropna(subset=["iso_3166_2"])
    units = units[units.geometry.notna()]
    parts, owners = shapely.get_parts(units.geometry.values, return_index=True)
    polygons = shapely.get_type_id(parts) == 3  # what make_valid left of lines and points goes
    parts, owners = parts[polygons], owners[polygons]
    multi = shapely.set_srid(shapely.multipolygons(parts, indices=owners), 4326)
    with db.cursor().copy("COPY admin1 (iso_3166_2, country, name, geom) FROM STDIN") as copy:
        shapes = shapely.to_wkb(multi, hex=True, include_srid=True)
        for row, ewkb in zip(units.itertuples(), shapes):
            copy.write_row((row.iso_3166_2, row.country, row.name, ewkb))


def _migrate_v2(db: psycopg.Connection) -> int:
    """v2 -> v3: articles keep the layout of their source (styles, PDF pages), as in the
    GeoPackage catalog."""
    db.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS layout TEXT")
    return 3


_V5_CORRECTIONS = """
CREATE TABLE corrections (
    id BIGSERIAL PRIMARY KEY, article TEXT NOT NULL, passage TEXT NOT NULL,
    mention TEXT NOT NULL, event TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', made_by TEXT NOT NULL DEFAULT current_user,
    made_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE INDEX mentions_text ON mentions (text);
"""
# made_at as the GeoPackage catalog keeps it: UTC, ISO 8601, to the second
_MADE_AT = """to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
_CORRECTION_COLUMNS = f"article, passage, mention, event, field, value, note, made_by, {_MADE_AT}, id"


def _migrate_v3(db: psycopg.Connection) -> int:
    """v3 -> v4: articles say the language they were read in, as in the GeoPackage catalog."""
    db.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS lang TEXT")
    return 4


def _migrate_v4(db: psycopg.Connection) -> int:
    """v4 -> v5: the team's corrections, with who made each and when; mentions found by how
    they are written (what a correction names)."""
    db.execute(_V5_CORRECTIONS)
    return 5


_V6_SOURCES = """
CREATE TABLE sources (
    scope TEXT NOT NULL, name TEXT NOT NULL, stat TEXT, digest TEXT NOT NULL, encoding TEXT,
    sha256 TEXT, text_key TEXT, PRIMARY KEY (scope, name));
"""
_UPSERT_SOURCE = (f"INSERT INTO sources (scope, {SOURCE_COLUMNS}) "
                  f"VALUES (%s, {', '.join(['%s'] * len(Source._fields))}) "
                  f"ON CONFLICT (scope, name) DO UPDATE SET ({SOURCE_COLUMNS}) = "
                  f"ROW({', '.join(f'EXCLUDED.{c}' for c in Source._fields)})")


def _migrate_v5(db: psycopg.Connection) -> int:
    """v5 -> v6: what each folder's last build recorded of each file, a row each (``sources``),
    where it was two JSON records rewritten whole by every build (``meta``)."""
    db.execute(_V6_SOURCES)
    records: dict[str, dict[str, str]] = {}
    for scope, key, value in db.execute("SELECT scope, key, value FROM meta "
                                        "WHERE key IN ('file_stats', 'last_sources')"):
        records.setdefault(scope, {})[key] = value
    with db.cursor() as cur:
        for scope, meta in records.items():
            cur.executemany(_UPSERT_SOURCE, [(scope, *row) for row in sources_of_records(
                json.loads(meta.get("file_stats", "{}")),
                json.loads(meta.get("last_sources", "{}")))])
    db.execute("DELETE FROM meta WHERE key IN ('file_stats', 'last_sources')")
    return 6


# Each migration brings a catalog from its version to the one it returns; 0 is an empty database.
MIGRATIONS: dict[int, Callable[[psycopg.Connection], int]] = {
    0: _migrate_v0, 1: _migrate_v1, 2: _migrate_v2, 3: _migrate_v3, 4: _migrate_v4,
    5: _migrate_v5}


def is_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL database (``postgresql://...``)."""
    return urlsplit(text).scheme in URL_SCHEMES


def shown(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def scope_of(out_dir: Path) -> str:
    """What names one build folder among those sharing a catalog: the host and its path."""
    return f"{socket.gethostname()}:{out_dir.resolve()}"


@contextmanager
def open_postgis(url: str, out_dir: Path, rebuild: bool = False,
                 building: bool = False) -> Iterator[PostGISCatalog]:
    """The PostGIS catalog at ``url``, for the outputs in ``out_dir`` (see
    :func:`geomap.build.catalog.open_catalog`); the database's errors become clear messages."""
    import psycopg

    try:
        with PostGISCatalog(url, scope_of(out_dir)) as catalog:
            if building:
                out_dir.mkdir(parents=True, exist_ok=True)
                catalog.hold_scope()
            if rebuild:
                catalog.forget_scope()
            yield catalog
    except psycopg.OperationalError as e:
        raise CatalogError(f"{shown(url)}: cannot reach the catalog database ({_first_line(e)}); "
                           "check the URL and that the server is running") from e
    except psycopg.Error as e:
        raise CatalogError(f"{shown(url)}: catalog database error ({_first_line(e)})") from e


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


class PostGISCatalog:
    """A catalog in a PostGIS database, for the build folder named ``scope``; use as a context
    manager."""

    def __init__(self, url: str, scope: str) -> None:
        import psycopg

        self.url, self.scope = url, scope
        self._index: dict[str, tuple[str, str]] | None = None
        self._claims: set[str] = set()
        self.db = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                  application_name="geomap")
        try:
            self._use_postgis()
            self._prepare()
        except BaseException:
            self.db.close()
            raise

    @property
    def name(self) -> str:
        """The database's URL, without its password."""
        return shown(self.url)

    def __enter__(self) -> PostGISCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()  # ends the session: its advisory locks go with it

    def _use_postgis(self) -> None:
        """Make sure the PostGIS extension is there, and look for tables in ``geomap`` then in
        the extension's schema."""
        import psycopg

        where = self._postgis_schema()
        if where is None:
            if not self.db.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"
                                   ).fetchone():
                raise CatalogError(
                    f"{shown(self.url)}: the server has no PostGIS; install it beside PostgreSQL "
                    "(Debian: apt-get install postgresql-15-postgis-3, for the server's version)")
            try:
                with self.db.transaction():  # one process at a time, as the schema
                    self.db.execute("SELECT pg_advisory_xact_lock(%s, 0)", (SCHEMA_LOCK,))
                    self.db.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.errors.InsufficientPrivilege as e:
                raise CatalogError(
                    f"{shown(self.url)}: PostGIS is not enabled in this database and this user "
                    "may not enable it; ask its owner to run: CREATE EXTENSION postgis;") from e
            where = self._postgis_schema()
        self.db.execute(f"SET search_path TO {SCHEMA}, {where}")

    def _postgis_schema(self) -> str | None:
        row = self.db.execute("SELECT quote_ident(extnamespace::regnamespace::text) "
                              "FROM pg_extension WHERE extname = 'postgis'").fetchone()
        return row[0] if row else None

    def _version(self) -> int:
        """The catalog's schema version; 0 for a database without one."""
        if not self.db.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.meta",)).fetchone()[0]:
            return 0
        row = self.db.execute("SELECT value FROM meta WHERE scope = '' AND key = 'schema_version'"
                              ).fetchone()
        return int(row[0]) if row else 0

    def _prepare(self) -> None:
        """Make the catalog, or migrate an older one, to :data:`SCHEMA_VERSION`, one process at a
        time (a current one is opened without writing)."""
        if self._version() == SCHEMA_VERSION:
            return
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s, 0)", (SCHEMA_LOCK,))
            version = self._version()
            if version > SCHEMA_VERSION:
                raise CatalogError(f"{shown(self.url)}: catalog schema {version} is newer than "
                                   f"this geomap reads ({SCHEMA_VERSION}); upgrade geomap")
            while version < SCHEMA_VERSION:
                version = MIGRATIONS[version](self.db)
            self.db.execute("INSERT INTO meta VALUES ('', 'schema_version', %s) ON CONFLICT "
                            "(scope, key) DO UPDATE SET value = EXCLUDED.value", (str(version),))

    def hold_scope(self) -> None:
        """Hold this build folder for one build (an advisory lock on its scope, for this
        session); raises :class:`BusyError` if another build holds it."""
        if not self.db.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                               (BUILD_LOCK, self.scope)).fetchone()[0]:
            raise BusyError(f"{self.scope}: another geomap build is writing it; run again when it "
                            "is done")

    def forget_scope(self) -> None:
        """Start this folder afresh: drop what it recorded and the articles it held, so that
        they are parsed again."""
        self._index = None
        with self.db.transaction():
            held = [r[0] for r in self.db.execute(
                "DELETE FROM holdings WHERE scope = %s RETURNING article", (self.scope,))]
            self.db.execute("DELETE FROM articles WHERE id = ANY(%s)", (held,))
            self.db.execute("DELETE FROM meta WHERE scope = %s", (self.scope,))
            self.db.execute("DELETE FROM sources WHERE scope = %s", (self.scope,))

    def sources(self) -> dict[str, Source]:
        """What this folder's last build recorded of each of its files, by name."""
        return {row[0]: Source._make(row) for row in self.db.execute(
            f"SELECT {SOURCE_COLUMNS} FROM sources WHERE scope = %s", (self.scope,))}

    def record_sources(self, changed: Iterable[Source], gone: Iterable[str]) -> None:
        """Write the rows of this folder's files ``changed`` and drop those of the files
        ``gone``, in one transaction."""
        with self.db.transaction(), self.db.cursor() as cur:
            cur.executemany(_UPSERT_SOURCE, [(self.scope, *row) for row in changed])
            cur.execute("DELETE FROM sources WHERE scope = %s AND name = ANY(%s)",
                        (self.scope, list(gone)))

    def get_meta(self, key: str) -> str | None:
        """What this folder's builds recorded under ``key``, or None."""
        row = self.db.execute("SELECT value FROM meta WHERE scope = %s AND key = %s",
                              (self.scope, key)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record a value for this folder's next build."""
        self.db.execute("INSERT INTO meta VALUES (%s, %s, %s) ON CONFLICT (scope, key) DO UPDATE "
                        "SET value = EXCLUDED.value", (self.scope, key, value))

    def corrections(self) -> list[Correction]:
        """Every correction the team made, in the order they were made."""
        return [Correction(*r) for r in self.db.execute(
            f"SELECT {_CORRECTION_COLUMNS} FROM corrections ORDER BY id")]

    def add_corrections(self, new: list[Correction]) -> list[Correction]:
        """Keep corrections, in one transaction, made now, by the database user where they do
        not say who."""
        with self.db.transaction(), self.db.cursor() as cur:
            kept = []
            for c in new:
                cur.execute("INSERT INTO corrections (article, passage, mention, event, field, "
                            "value, note, made_by) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                            f"coalesce(%s, current_user)) RETURNING {_CORRECTION_COLUMNS}",
                            (*c.what(), c.note, c.by or None))
                kept.append(Correction(*cur.fetchone()))
        return kept

    def where_named(self, texts: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
        """``(article, passage, text)`` of the stored mentions written as one of ``texts`` (all
        if None)."""
        where, args = ("", ()) if texts is None else (" WHERE text = ANY(%s)", (sorted(set(texts)),))
        return self.db.execute(f"SELECT article, passage, text FROM mentions{where} "
                               "ORDER BY article, seq", args).fetchall()

    def index(self) -> dict[str, tuple[str, str]]:
        """Every stored article, whichever folder it came from: id -> (content hash, pipeline
        version). Read once until this catalog changes or waits; not to be modified."""
        if self._index is None:
            self._index = {i: (s, p) for i, s, p in
                           self.db.execute("SELECT id, sha256, pipeline FROM articles")}
        return self._index

    def claim(self, ids: list[str]) -> list[str]:
        """Of ``ids``, those no other build is parsing: each is claimed (an advisory lock) until
        it is ``put``, or this build waits, or this catalog is closed. The index is read again
        (another build may have stored some just before)."""
        free = {r[0] for r in self.db.execute(
            "SELECT id FROM unnest(%s::text[]) AS id "
            "WHERE pg_try_advisory_lock(%s, hashtext(id))",
            ([i for i in ids if i not in self._claims], PARSE_LOCK))}
        self._claims |= free
        self._index = None
        return [i for i in ids if i in self._claims]

    def wait(self, ids: list[str]) -> None:
        """Wait until the builds that claimed ``ids`` have stored them (or stopped); this
        build's own claims are let go first, so that two builds never wait for each other."""
        self.db.execute("SELECT pg_advisory_unlock(%s, hashtext(id)) FROM unnest(%s::text[]) id",
                        (PARSE_LOCK, sorted(self._claims)))
        self._claims.clear()
        for i in ids:
            self.db.execute("SELECT pg_advisory_lock(%(k)s, hashtext(%(i)s)), "
                            "pg_advisory_unlock(%(k)s, hashtext(%(i)s))", {"k": PARSE_LOCK, "i": i})
        self._index = None

    def put(self, articles: Sequence[Article], pipeline: str,
            rows: Mapping[str, ParseRows] | None = None) -> None:
        """Store parsed articles (replacing what was stored under their ids) in one transaction,
        held by this folder (those whose parse is given as ``rows``, by id, stored from them);
        their claims are let go once it is committed."""
        self._index = None
        parses = [(a, rows_of(a, rows)) for a in articles]
        with self.db.transaction():
            self.db.execute("DELETE FROM articles WHERE id = ANY(%s)", ([a.id for a in articles],))
            with self.db.cursor() as cur:
                cur.executemany("INSERT INTO articles (id, sha256, pipeline, path, title, source, "
                                "url, published, text, scope, layout, lang) "
                                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                                [(a.id, a.sha256, pipeline, a.path, a.title, a.source, a.url,
                                  a.published, a.text, self.scope, layout_json(a), a.lang)
                                 for a in articles])
                cur.executemany("INSERT INTO passages VALUES (%s, %s, %s, %s, %s, %s)",
                                [row for a, parse in parses for row in passage_rows(a, parse)])
                cur.executemany(_insert("mentions", MENTION_COLUMNS),  # no GeoPackage point
                                [row[1:] for _, parse in parses for row in parse.mentions])
                cur.executemany(_insert("events", EVENT_COLUMNS),
                                [row[1:] for _, parse in parses for row in parse.events])
                cur.executemany("INSERT INTO holdings VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                [(self.scope, a.id) for a in articles])
        claimed = sorted({a.id for a in articles} & self._claims)
        if claimed:
            self._claims -= set(claimed)
            self.db.execute("SELECT pg_advisory_unlock(%s, hashtext(id)) "
                            "FROM unnest(%s::text[]) id", (PARSE_LOCK, claimed))

    def retain(self, ids: Iterable[str]) -> int:
        """This folder holds the articles ``ids`` and no others; an article no folder holds any
        more is dropped. How many this folder let go."""
        ids = sorted(set(ids))
        with self.db.transaction():
            gone = [r[0] for r in self.db.execute(
                "DELETE FROM holdings WHERE scope = %s AND NOT (article = ANY(%s)) "
                "RETURNING article", (self.scope, ids))]
            self.db.execute("INSERT INTO holdings SELECT %s, id FROM articles WHERE id = ANY(%s) "
                            "ON CONFLICT DO NOTHING", (self.scope, ids))
            self.db.execute("DELETE FROM articles a WHERE id = ANY(%s) AND NOT EXISTS "
                            "(SELECT 1 FROM holdings h WHERE h.article = a.id)", (gone,))
        if gone:
            self._index = None
        return len(gone)

    def load(self, ids: Iterable[str] | None = None) -> dict[str, Article]:
        """Stored articles by id (all of them when ``ids`` is None), rebuilt as parsed."""
        where, args = ("", ()) if ids is None else (" WHERE {} = ANY(%s)", (sorted(set(ids)),))
        return read_articles(self.db, where, args)


def _insert(table: str, columns: str) -> str:
    """An INSERT of the ``columns`` (but ``geom``, made from lat/lon by the database)."""
    names = columns.split(", ", 1)[1]
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(names.split(',')))})"
