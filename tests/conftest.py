"""Shared fixtures. Derived data (the gazetteer index, word lists, boundaries) is cached once per
machine for the suite, as for a user, in ``GEOMAP_TEST_CACHE_DIR`` or the user cache's
``geomap-tests`` folder: each file is keyed by what it is made from (:class:`geomap.cache.Artefact`),
so a change of code or data builds it anew. Tests of the cache itself use :func:`fresh_cache`."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest


@pytest.fixture(scope="session", autouse=True)
def geomap_cache_dir() -> Iterator[Path]:
    """Point ``GEOMAP_CACHE_DIR`` at the suite's cache folder of this machine."""
    path = Path(os.environ.get("GEOMAP_TEST_CACHE_DIR")
                or platformdirs.user_cache_dir("geomap-tests"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEOMAP_CACHE_DIR", str(path))
        yield path


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder for one test (one that builds, damages or counts cached files)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def postgis_server() -> Iterator[str]:
    """A PostgreSQL server with PostGIS (Debian's packages; ``make test`` installs them) started
    for the session in a temporary folder, on a random port of 127.0.0.1; its URL without the
    database. Skipped, with the reason, where they are not installed."""
    from postgis_server import PostgresServer, missing

    reason = missing()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        yield server.url
