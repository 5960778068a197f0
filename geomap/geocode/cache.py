"""Answers of online geocoders on disk (SQLite in the geomap cache directory), "not found"
included, so that each query is sent once ever."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

from geomap.cache import cache_dir
from geomap.models import Place, place_from_dict

SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
    service TEXT, query TEXT, country TEXT, place TEXT,
    PRIMARY KEY (service, query, country))"""


class AnswerCache:
    """``(service, query, country) -> Place | None``, kept in ``geocode.sqlite``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / "geocode.sqlite"
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, service: str, query: str, country: str) -> tuple[bool, Place | None]:
        """``(known, place)``: whether the query was answered before, and the answer."""
        with self._connect() as db:
            row = db.execute("SELECT place FROM answers WHERE service=? AND query=? AND country=?",
                             (service, query, country)).fetchone()
        if row is None:
            return False, None
        return True, place_from_dict(json.loads(row[0]))

    def put(self, service: str, query: str, country: str, place: Place | None) -> None:
        """Remember an answer (None: the service knows no such place)."""
        value = json.dumps(asdict(place) if place else None)
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                       (service, query, country, value))
