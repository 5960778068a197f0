"""The records of the map page's data block: one :class:`~typing.NamedTuple` per kind, whose
fields name the columns of the kind's table on the page (:func:`columns`: ``{"lat": [...],
"lon": [...]}``) and the records map.js reads back from them (its ``records``): Python and the
page's script share these names and no positions."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class ArticleRecord(NamedTuple):
    """An article as the map cites and lists it: its title (or the start of its text), source,
    date of publication and reader page; its file name only where it has no title of its own
    (to be labelled by); its original's URL only if it is a web one."""

    title: str
    source: str | None
    published: str | None
    href: str
    file: str | None
    url: str | None


class PlaceRecord(NamedTuple):
    """A place as the map shows it: its key (mentions name it by), name, kind (``feature``),
    country and first-level unit (ISO codes), point, what its point is the main town of when it
    stands for an area (``located``), population, and its other names (former names, other
    spellings) that the search box also finds it by."""

    key: str
    name: str
    feature: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    located: str | None
    population: int | None
    other_names: list[str]


class PassageRecord(NamedTuple):
    """A passage the map quotes: its article (by position on the page), its id in the article
    ("" for a window of text around a mention outside every passage) and its text."""

    article: int
    id: str
    text: str


class MentionRecord(NamedTuple):
    """A mention of a place: the place's key (the page's ``places``), the passage quoting it
    and the mention's span in that passage, in UTF-16 code units as JavaScript counts."""

    place: str
    passage: int
    start: int
    end: int


class SpellingRecord(NamedTuple):
    """A spelling of a place in an article other than the place's name (search finds it)."""

    place: str
    text: str


class EventRecord(NamedTuple):
    """A located event: its type (by position among the page's ``types``), its own date (None
    when the events stage took the article's), the passage quoting it, its point, the places it
    names and the spans of its mentions in the passage."""

    type: int
    date: str | None
    passage: int
    lat: float
    lon: float
    places: list[str]
    spans: list[list[int]]


class TypeRecord(NamedTuple):
    """An event type as the legend and the badges show it (:mod:`geomap.taxonomy`)."""

    name: str
    label: str
    colour: str
    glyph: str


class LegendRecord(NamedTuple):
    """A class of the regions' shading: its counts (``"2–4"``) and its colour."""

    label: str
    colour: str


class LabelRecord(NamedTuple):
    """A country's name on the basemap and where it is written."""

    name: str
    lat: float
    lon: float


def columns(kind: type[tuple[Any, ...]], records: Iterable[tuple[Any, ...]]
            ) -> dict[str, list[Any]]:
    """Records of one ``kind`` as the page holds them: a column of values per field, by name."""
    rows = list(records)
    return {field: [getattr(row, field) for row in rows] for field in fields(kind)}


def fields(kind: type[tuple[Any, ...]]) -> tuple[str, ...]:
    """The fields of a kind of record, in order: the names of its table's columns."""
    return kind._fields  # type: ignore[attr-defined]  # a NamedTuple's
