"""Shared fixtures: every test session caches derived data in its own temporary directory."""
from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def geomap_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point ``GEOMAP_CACHE_DIR`` at a fresh directory for the whole session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GEOMAP_CACHE_DIR", str(tmp_path_factory.mktemp("geomap-cache")))
        yield


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
