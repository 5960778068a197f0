"""Corrections that last: ``corrections.csv`` in the articles folder, applied on every build.

Each row fixes one thing the machine decided, keyed by article file name and passage id (the
``#p12`` anchor of the reader page) so that it survives regeneration::

    article,passage,mention,event,field,value
    000_5569f9ce00dd0d52.txt,p25,Washington,,geonameid,4140963
    000_5569f9ce00dd0d52.txt,p27,Izium,,latlon,49.2087 37.2565
    000_5569f9ce00dd0d52.txt,p27,Izium,,admin1,UA-63
    000_5569f9ce00dd0d52.txt,p19,,territorial_change,type,battle
    000_5569f9ce00dd0d52.txt,p19,,territorial_change,places,Kharkiv
    000_5569f9ce00dd0d52.txt,p3,,referendum,date,2022-09-23
    000_5569f9ce00dd0d52.txt,p26,,violence_against_civilians,delete,

A row with ``mention`` (the place name as written in that passage) fixes that mention's place:
``geonameid`` (a GeoNames id of the gazetteer), ``latlon`` ("lat lon"), ``admin1`` (ISO 3166-2
codes, ``;``-separated) or ``delete`` (not a place). A row with ``event`` (the type geomap gave
the passage's event) fixes that event: ``type``, ``places`` (mention texts of the passage,
``;``-separated; empty for none), ``date`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty) or
``delete``. Corrected mentions and events carry ``corrected: true``. A row that cannot be
applied is reported with its file and line; the others are applied.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from geomap import gazetteer
from geomap.ingest import CORRECTIONS_FILE, Skipped
from geomap.models import EVENT_TYPES, Article, Event, Mention, Place
from geomap.stages import events
from geomap.stages.resolve import to_place

COLUMNS = ("article", "passage", "mention", "event", "field", "value")
PLACE_FIELDS = ("geonameid", "latlon", "admin1", "delete")
EVENT_FIELDS = ("type", "places", "date", "delete")
_DATE_PRECISION = {4: "year", 7: "month", 10: "day"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class RowError(ValueError):
    """A correction row that cannot be applied."""


@dataclass
class Row:
    """One row of the corrections file, with its line number."""

    line: int
    article: str
    passage: str
    mention: str
    event: str
    field: str
    value: str


def read_rows(path: Path) -> tuple[list[Row], list[str]]:
    """The rows of a corrections file and the messages of the lines that are not rows."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [], [f"{path}:1: missing column(s) {', '.join(missing)}; the header must be "
                        f"{','.join(COLUMNS)}"]
        rows = [Row(reader.line_num, **{c: (r.get(c) or "").strip() for c in COLUMNS})
                for r in reader]
    return [r for r in rows if any((r.article, r.passage, r.field))], []


@lru_cache(maxsize=1)
def _by_geonameid() -> dict[int, int]:
    gaz = gazetteer.load()
    ids = (gaz.entry(i).geonameid for i in range(len(gaz.rows)))
    return {gid: i for i, gid in enumerate(ids) if gid}


def _place_from_geonameid(value: str) -> Place:
    index = _by_geonameid().get(int(value)) if value.isdigit() else None
    if index is None:
        raise RowError(f"no gazetteer place with geonameid {value!r}")
    return to_place(gazetteer.load().entry(index))


def _latlon(value: str) -> tuple[float, float]:
    try:
        lat, lon = (float(x) for x in re.split(r"[\s;]+", value.strip()))
    except ValueError:
        raise RowError(f"latlon must be 'lat lon' in degrees, not {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RowError(f"latlon {value!r} is out of range")
    return lat, lon


def _codes(value: str) -> list[str]:
    codes = [c.strip() for c in value.split(";") if c.strip()]
    if not codes or any(not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", c) for c in codes):
        raise RowError(f"admin1 must be ISO 3166-2 codes separated by ';', not {value!r}")
    return codes


def correct_place(m: Mention, field: str, value: str) -> None:
    """Apply one place correction to a mention."""
    base = m.place or Place(name=m.text, feature="other", country=None, lat=0.0, lon=0.0)
    if field == "geonameid":
        m.place = _place_from_geonameid(value)
    elif field == "latlon":
        lat, lon = _latlon(value)
        m.place = replace(base, lat=lat, lon=lon)
    elif field == "admin1":
        if m.place is None:
            raise RowError("an unresolved mention needs a geonameid or latlon row before admin1")
        codes = _codes(value)
        m.place = replace(base, admin1=codes[0], admin1_all=codes, country=codes[0][:2])
    else:
        m.place = None
    m.corrected, m.confidence = True, 1.0


def correct_event(article: Article, e: Event, field: str, value: str) -> bool:
    """Apply one event correction; False if the event is to be deleted."""
    if field == "delete":
        return False
    if field == "type":
        if value not in EVENT_TYPES:
            raise RowError(f"type {value!r} is not one of {', '.join(EVENT_TYPES)}")
        e.type = value
    elif field == "places":
        names = [n.strip() for n in value.split(";") if n.strip()]
        indexes = [events.mention_of(article, e.passage, n) for n in names]
        if None in indexes:
            raise RowError(f"no place {names[indexes.index(None)]!r} in passage {e.passage}")
        events.relocate(article, e, indexes)
    else:
        if value and not _DATE.match(value):
            raise RowError(f"date must be YYYY-MM-DD, YYYY-MM, YYYY or empty, not {value!r}")
        e.date, e.date_precision = value or None, _DATE_PRECISION.get(len(value), "none")
    e.corrected, e.confidence = True, 1.0
    return True


def _apply_place_row(article: Article, row: Row) -> None:
    if row.field not in PLACE_FIELDS:
        raise RowError(f"place field {row.field!r} is not one of {', '.join(PLACE_FIELDS)}")
    index = next((i for i, m in enumerate(article.mentions)
                  if m.passage == row.passage and m.text == row.mention), None)
    if index is None:
        raise RowError(f"no mention {row.mention!r} in passage {row.passage}")
    correct_place(article.mentions[index], row.field, row.value)
    for e in article.events:
        if index in e.mentions:
            events.relocate(article, e, [i for i in e.mentions if article.mentions[i].place])
            e.corrected = True


def _apply_event_row(article: Article, row: Row) -> None:
    if row.field not in EVENT_FIELDS:
        raise RowError(f"event field {row.field!r} is not one of {', '.join(EVENT_FIELDS)}")
    wanted = f"{article.id}#{row.passage}:{row.event}"
    e = next((e for e in article.events if e.id == wanted), None)
    if e is None:
        raise RowError(f"no {row.event} event in passage {row.passage}")
    if not correct_event(article, e, row.field, row.value):
        article.events.remove(e)


def apply_row(articles: dict[str, Article], row: Row) -> None:
    """Apply one row; raises :class:`RowError` saying why it cannot be."""
    article = articles.get(row.article)
    if article is None:
        raise RowError(f"no article {row.article!r}")
    if bool(row.mention) == bool(row.event):
        raise RowError("give either a mention (to fix a place) or an event type (to fix an event)")
    if row.mention:
        _apply_place_row(article, row)
    else:
        _apply_event_row(article, row)


def apply(folder: Path, articles: list[Article]) -> list[Skipped]:
    """Apply the corrections file of an articles folder (if it has one) to the articles, in place.

    Returns one :class:`Skipped` per row that could not be applied, naming the file and line.
    """
    return [Skipped(folder / CORRECTIONS_FILE, p.message) for p in problems(folder, articles)]


@dataclass
class Problem:
    """Why a row (or the file, line 1) could not be applied, and the article it names."""

    line: int
    article: str
    message: str


def problems(folder: Path, articles: list[Article],
             kept: Mapping[str, list[Problem]] | None = None) -> list[Problem]:
    """:func:`apply`, returning the problems in the order of the file. The rows of articles in
    ``kept`` are not applied (the outputs hold them applied, from an earlier build with the same
    corrections): their problems are those ``kept`` gives."""
    path = folder / CORRECTIONS_FILE
    if not path.is_file():
        return []
    try:
        rows, unreadable = read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return [Problem(1, "", f"{path}: cannot read corrections: {e}")]
    found = [Problem(1, "", message) for message in unreadable]
    by_id = {a.id: a for a in articles}
    kept = kept or {}
    for row in rows:
        if row.article in kept:
            found.extend(p for p in kept[row.article] if p.line == row.line)
            continue
        try:
            apply_row(by_id, row)
        except RowError as e:
            found.append(Problem(row.line, row.article, f"{path}:{row.line}: {e}"))
    return found
