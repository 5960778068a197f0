"""Where geomap caches what it derives from installed packages (gazetteer index, boundaries)."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    """``$GEOMAP_CACHE_DIR`` if set, else the user cache directory; created if missing."""
    path = Path(os.environ.get("GEOMAP_CACHE_DIR") or platformdirs.user_cache_dir("geomap"))
    path.mkdir(parents=True, exist_ok=True)
    return path
