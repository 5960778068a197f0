"""The Python API for notebooks: ``geomap.parse``, ``geomap.load`` and ``geomap.Map``.

>>> import geomap
>>> geomap.parse("Shelling hit Izium, in Kharkiv oblast.")[0]["admin1"]  # doctest: +SKIP
'UA-63'
>>> layers = geomap.load("seeds")          # GeoDataFrames: mentions, places, events, regions
>>> geomap.Map(layers)                     # shown inline in Jupyter  # doctest: +SKIP
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from geomap import export
from geomap.build import load_articles
from geomap.models import Article
from geomap.stages.pipeline import parse_text


def parse(text: str) -> list[dict[str, Any]]:
    """The resolved place mentions of a text, as mention-contract records."""
    return export.mention_records([parse_text(text)])


@dataclass
class Layers:
    """The layers of an archive as GeoDataFrames (EPSG:4326), and the parsed articles."""

    articles: list[Article]
    mentions: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    events: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame


def load(archive: str | Path, out: str | Path | None = None) -> Layers:
    """Parse a folder of articles (corrections applied), reusing the catalog of a build folder
    ``out`` when given, into :class:`Layers`."""
    articles, _ = load_articles(Path(archive), Path(out) if out else None)
    frames = {layer: export.layer_frame(articles, layer) for layer in export.LAYERS}
    return Layers(articles, **frames)


class Map:
    """The interactive map of an archive (a folder, or :class:`Layers`), shown inline in Jupyter."""

    def __init__(self, source: Layers | str | Path, height: int = 600) -> None:
        self.articles = source.articles if isinstance(source, Layers) else load(source).articles
        self.height = height

    def html(self) -> str:
        """The map as one self-contained HTML page (what ``index.html`` holds)."""
        from geomap.render import basemap
        from geomap.render.map import map_html

        return map_html(self.articles, basemap.load())

    def save(self, path: str | Path) -> None:
        """Write the map page to ``path``."""
        Path(path).write_text(self.html(), encoding="utf-8")

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:none"></iframe>')
