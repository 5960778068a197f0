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
