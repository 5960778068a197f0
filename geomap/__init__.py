"""geomap: news articles in, places found and resolved, layered source-linked maps out.

``geomap.parse``, ``geomap.load`` and ``geomap.Map`` (see :mod:`geomap.api`) are imported on
first use, so ``import geomap`` stays light.
"""

__version__ = "0.2.0"
_API = ("parse", "load", "Map", "Layers")


def __getattr__(name: str):
    if name in _API:
        from geomap import api

        return getattr(api, name)
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")
