"""geomap: news articles in, places found and resolved, layered source-linked maps out."""

__version__ = "0.2.0"
