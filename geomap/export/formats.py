"""The export formats, one entry each in :data:`FORMATS` (name -> :class:`Format`): its writer,
the file extensions that name it and its help. The command's ``--format`` choices and help, and
the format of ``-o FILE`` when ``--format`` is not given, come from here; adding a format is
adding an entry here.

>>> format_for(None, Path("events.gpkg")).name
'gpkg'
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import GeomapError
from geomap.export import (
    COORD_DECIMALS,
    dumps,
    event_records,
    layer_frame,
    layer_geojson,
    mention_records,
)
from geomap.files import write_atomically
from geomap.models import Article

if TYPE_CHECKING:  # geopandas is imported where frames are made
    import geopandas as gpd

DEFAULT = "geojson"  # when neither --format nor the extension of -o FILE names one


@dataclass(frozen=True)
class Format:
    """An export format: a text format has ``text`` (the layer as text, for standard output or a
    file), a binary one ``save`` (writes the layer into a file); ``suffixes`` are the file
    extensions that name it."""

    name: str
    help: str
    suffixes: tuple[str, ...]
    text: Callable[[list[Article], str], str] | None = None
    save: Callable[[list[Article], str, Path], None] | None = None

    @property
    def binary(self) -> bool:
        """Whether it needs a file (no standard output)."""
        return self.text is None


def _geojson(articles: list[Article], layer: str) -> str:
    return dumps(layer_geojson(articles, layer))


def _geojsonseq(articles: list[Article], layer: str) -> str:
    return "".join(json.dumps(f, ensure_ascii=False) + "\n"
                   for f in layer_geojson(articles, layer)["features"])


def _jsonl(articles: list[Article], layer: str) -> str:
    if layer not in ("mentions", "events"):
        raise GeomapError("--format jsonl is for the mentions and events layers")
    records = event_records(articles) if layer == "events" else mention_records(articles)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _acled(articles: list[Article], layer: str) -> str:
    if layer != "events":
        raise GeomapError("--format acled is for the events layer")
    from geomap.export import acled  # here: only this format needs ACLED's columns

    return acled.csv_text(articles)


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """List fields as ``;``-separated text, for formats without lists (GeoPackage, CSV)."""
    frame = frame.copy()
    for column in frame.columns.drop("geometry"):
        if frame[column].map(lambda v: isinstance(v, list)).any():
            frame[column] = frame[column].map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
    return frame


def _csv(articles: list[Article], layer: str) -> str:
    """CSV with ``lat``/``lon`` columns for points and a ``wkt`` column for other shapes."""
    import pandas as pd

    frame = layer_frame(articles, layer)
    flat = _flat(frame)
    if (frame.geom_type == "Point").all():
        if "lat" not in flat:
            flat["lat"], flat["lon"] = frame.geometry.y.round(COORD_DECIMALS), frame.geometry.x.round(COORD_DECIMALS)
    else:
        flat["wkt"] = frame.geometry.to_wkt()
    return pd.DataFrame(flat.drop(columns="geometry")).to_csv(index=False, lineterminator="\n")


def _gpkg(articles: list[Article], layer: str, path: Path) -> None:
    _flat(layer_frame(articles, layer)).to_file(path, driver="GPKG", layer=layer)


def _parquet(articles: list[Article], layer: str, path: Path) -> None:
    layer_frame(articles, layer).to_parquet(path, index=False)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("geojson", "RFC 7946 GeoJSON", (".geojson", ".json"), text=_geojson),
    Format("geojsonseq", "GeoJSON text sequence, one feature a line",
           (".geojsonl", ".geojsons", ".geojsonseq"), text=_geojsonseq),
    Format("gpkg", "GeoPackage, layer named after --layer, lists as ;-separated text",
           (".gpkg",), save=_gpkg),
    Format("parquet", "GeoParquet, lists kept", (".parquet", ".geoparquet"), save=_parquet),
    Format("csv", "lat/lon columns (wkt for regions), lists as ;-separated text", (".csv",),
           text=_csv),
    Format("jsonl", "mention records, or every event", (".jsonl", ".ndjson"), text=_jsonl),
    Format("acled", "the events as CSV under ACLED's column names", (), text=_acled),
)}


def format_for(name: str | None, path: Path | None) -> Format:
    """The format named ``name``; without one, the format ``path``'s extension names, else
    :data:`DEFAULT`."""
    if name is not None:
        return FORMATS[name]
    suffix = path.suffix.lower() if path is not None else ""
    return next((f for f in FORMATS.values() if suffix in f.suffixes), FORMATS[DEFAULT])


def help_text() -> str:
    """The ``--format`` option's help: each format of :data:`FORMATS` with its extensions."""
    listed = "; ".join(f"{f.name}: {f.help} ({', '.join(f.suffixes)})" for f in FORMATS.values())
    binary = " and ".join(f.name for f in FORMATS.values() if f.binary)
    return (f"{listed}. Default: the format named by the extension of -o FILE, else {DEFAULT}. "
            f"{binary} need -o.")


def text(articles: list[Article], layer: str, fmt: str) -> str:
    """A layer in a text format of :data:`FORMATS`."""
    writer = FORMATS[fmt].text
    if writer is None:
        raise GeomapError(f"--format {fmt} is binary: give an output file with -o")
    return writer(articles, layer)


def write(articles: list[Article], layer: str, fmt: str, path: Path) -> None:
    """Write a layer to ``path`` in any format of :data:`FORMATS`, atomically."""
    chosen = FORMATS[fmt]
    try:
        if chosen.text is not None:
            write_atomically(path, chosen.text(articles, layer))
            return
        assert chosen.save is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.{fmt}")
        try:
            chosen.save(articles, layer, tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as e:
        raise GeomapError(f"{path}: cannot write: {e.strerror or e}") from e
