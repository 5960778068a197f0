"""The kinds of place (a place's ``feature``), in one table: each kind's name, its label (the
map's popups and search, the reader pages), whether it is an area, the geo-precision of an event
located there (ACLED's: 1 town, 2 region, 3 country) and the zoom the map shows it at. The
places' sources give these names (the gazetteer's index; an online geocoder maps its own
vocabulary onto them, as :mod:`geomap.geocode.nominatim` does); the map's script gets the labels
and zooms through the page's data block.

>>> KINDS["city"].label
'town'
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of place: ``local`` kinds (towns, districts) are where a namesake's neighbours
    are looked for when resolving; a kind with an ``outline`` is drawn on the map as its shape
    in that boundary layer (``countries`` or ``regions``) rather than as a point."""

    name: str
    label: str
    area: bool
    local: bool
    precision: int
    zoom: int
    outline: str | None = None


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("country", "country", area=True, local=False, precision=3, zoom=5, outline="countries"),
    Kind("admin1", "region", area=True, local=False, precision=2, zoom=7, outline="regions"),
    Kind("region", "area", area=True, local=False, precision=2, zoom=7),  # areas such as Donbas
    Kind("admin2", "district", area=True, local=True, precision=2, zoom=9),
    Kind("city", "town", area=False, local=True, precision=1, zoom=9),  # among its surroundings
    Kind("other", "place", area=False, local=False, precision=3, zoom=9),  # seas, rivers
)}
FEATURES = tuple(KINDS)
AREAS = frozenset(kind.name for kind in KINDS.values() if kind.area)
REGIONS = frozenset(kind.name for kind in KINDS.values() if kind.area and kind.precision == 2)
# areas within a country: what "X region" and "the X, Y and Z regions" name
LOCAL = frozenset(kind.name for kind in KINDS.values() if kind.local)
OTHER = KINDS["other"]  # what a feature the table lacks is taken as
SETTLEMENT_WORDS = frozenset({"selyshche", "selishche", "selo", "khutir", "khutor", "posyolok",
                              "poselok", "smt"})  # a town's kind in Ukrainian and Russian,
# transliterated before its name as the original writes it: "Selyshche Zhovtneve" is the
# settlement Zhovtneve


def kind_of(feature: str) -> Kind:
    """The kind named ``feature``; :data:`OTHER` for a name the table lacks."""
    return KINDS.get(feature, OTHER)


def for_map() -> dict[str, dict]:
    """What the map's script reads of each kind (the page's ``kinds``): label, zoom, outline."""
    return {kind.name: {"label": kind.label, "zoom": kind.zoom, "outline": kind.outline}
            for kind in KINDS.values()}


def zoom_at_precision(precision: int) -> int:
    """The zoom the map shows an event of ACLED's geo-precision ``precision`` at: its widest kind's."""
    return min((kind.zoom for kind in KINDS.values() if kind.precision == precision),
               default=KINDS["city"].zoom)


def label(feature: str) -> str:
    """How a kind of place is called to readers; a name the table lacks is shown as it is."""
    kind = KINDS.get(feature)
    return kind.label if kind else feature
