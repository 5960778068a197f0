"""The catalog: an SQLite store of parsed articles, keyed by content hash and pipeline version.

An article whose bytes, metadata and pipeline are unchanged is never parsed again. The ``members``
table holds the articles of the last build of an output folder, so a rebuild knows what was
added, changed and removed.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from geomap.errors import CatalogError
from geomap.models import Article, article_from_dict, article_to_dict

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parses (
    sha256 TEXT NOT NULL, pipeline TEXT NOT NULL, article TEXT NOT NULL,
    PRIMARY KEY (sha256, pipeline));
CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
"""


class Catalog:
    """A catalog file; use as a context manager so writes are committed or rolled back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as e:
            raise CatalogError(f"{path}: catalog unreadable ({e}); delete it to rebuild from the "
                               "articles") from e

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise CatalogError(f"{self.path}: catalog schema {row[0]}, this geomap reads "
                               f"{SCHEMA_VERSION}; delete it to rebuild from the articles")

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def get(self, sha256: str, pipeline: str) -> Article | None:
        """A parsed article by content hash, or None if it was never parsed by this pipeline."""
        row = self.db.execute("SELECT article FROM parses WHERE sha256=? AND pipeline=?",
                              (sha256, pipeline)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    def put(self, article: Article, pipeline: str) -> None:
        """Store a parsed article."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO parses VALUES (?, ?, ?)",
                            (article.sha256, pipeline, json.dumps(article_to_dict(article))))

    def members(self) -> dict[str, str]:
        """The last build's articles: id -> content hash."""
        with closing(self.db.execute("SELECT id, sha256 FROM members")) as cur:
            return dict(cur.fetchall())

    def set_members(self, members: dict[str, str]) -> None:
        """Record the articles of the build just written, and drop parses no build uses."""
        with self.db:
            self.db.execute("DELETE FROM members")
            self.db.executemany("INSERT INTO members VALUES (?, ?)", sorted(members.items()))
            self.db.execute("DELETE FROM parses WHERE sha256 NOT IN (SELECT sha256 FROM members)")
