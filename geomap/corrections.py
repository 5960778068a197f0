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

A row with ``mention`` (the place name as written in that passage) fixes the place of the
mentions so written there:
``geonameid`` (a GeoNames id of the gazetteer), ``latlon`` ("lat lon"), ``admin1`` (ISO 3166-2
codes, ``;``-separated) or ``delete`` (not a place). A row with ``event`` (the type geomap gave
the passage's event) fixes that event: ``type``, ``places`` (mention texts of the passage,
``;``-separated; empty for none), ``date`` (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty) or
``delete``. Corrected mentions and events carry ``corrected: true``. A row that cannot be
applied is reported with its file and line; the others are applied.

A place correction may name no article (every article it is written in, now and later) and no
passage (every passage of its article).

The catalog keeps corrections too (:class:`geomap.models.Correction`, made with ``geomap
correct``, :mod:`geomap.correct`), with who made each and when: they are applied after the file's
rows, in the order they were made (the latest correction of a mention wins), one equal to a row of
the file once. One naming an article the build does not hold (another folder's, in a shared
catalog) is not a problem.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from geomap import gazetteer
from geomap.ingest import CORRECTIONS_FILE, Skipped
from geomap.models import Article, Correction, Event, Mention, Place
from geomap.stages import events
from geomap.stages.resolve import to_place
from geomap.taxonomy import event_types

COLUMNS = ("article", "passage", "mention", "event", "field", "value")
PLACE_FIELDS = ("geonameid", "latlon", "admin1", "delete")
EVENT_FIELDS = ("type", "places", "date", "delete")
_DATE_PRECISION = {4: "year", 7: "month", 10: "day"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class RowError(ValueError):
    """A correction row that cannot be applied."""


@dataclass
class Row:
    """One correction to apply: a row of a corrections file, or one the catalog keeps
    (``shared``). ``source`` is the file or catalog it is in; ``origin`` names it in messages
    (``corrections.csv:4``, ``maps/catalog.gpkg: correction 12``)."""

    source: str
    origin: str
    article: str
    passage: str
    mention: str
    event: str
    field: str
    value: str
    shared: bool = False

    def what(self) -> tuple[str, str, str, str, str, str]:
        """What it corrects and to what (see :meth:`Correction.what`)."""
        return (self.article, self.passage, self.mention, self.event, self.field, self.value)


def read_rows(path: Path) -> tuple[list[Row], list[str]]:
    """The rows of a corrections file and the messages of the lines that are not rows."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return [], [f"{path}:1: missing column(s) {', '.join(missing)}; the header must be "
                        f"{','.join(COLUMNS)}"]
        rows = [Row(str(path), f"{path}:{reader.line_num}",
                    **{c: (r.get(c) or "").strip() for c in COLUMNS}) for r in reader]
    return [r for r in rows if any((r.article, r.passage, r.field))], []


def catalog_row(c: Correction, catalog: str) -> Row:
    """A correction the ``catalog`` (its name) keeps, as a row to apply."""
    return Row(catalog, f"{catalog}: correction {c.id}", *c.what(), shared=True)


def check(row: Row) -> None:
    """Raise :class:`RowError` if ``row`` could apply to no article whatever it says: a field
    or a value that is not one, a place unknown to the gazetteer, an event with no passage."""
    if bool(row.mention) == bool(row.event):
        raise RowError("give either a mention (to fix a place) or an event type (to fix an event)")
    if row.mention:
        if row.field not in PLACE_FIELDS:
            raise RowError(f"place field {row.field!r} is not one of {', '.join(PLACE_FIELDS)}")
        if row.field in _PLACE_VALUES:
            _PLACE_VALUES[row.field](row.value)
        return
    if not (row.article and row.passage):
        raise RowError("an event correction names its article and passage")
    if row.field not in EVENT_FIELDS:
        raise RowError(f"event field {row.field!r} is not one of {', '.join(EVENT_FIELDS)}")
    if row.field == "type":
        _event_type(row.value)
    elif row.field == "date":
        _date(row.value)


@lru_cache(maxsize=1)
def _by_geonameid() -> dict[int, int]:
    gaz = gazetteer.load()
    ids = (gaz.entry(i).geonameid for i in range(len(gaz.rows)))
    return {gid: i for i, gid in enumerate(ids) if gid}


def place_from_geonameid(value: str) -> Place:
    """The gazetteer's place of a GeoNames id (given as text); raises :class:`RowError` if it has
    none."""
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


def _event_type(value: str) -> str:
    if value not in event_types():
        raise RowError(f"type {value!r} is not one of {', '.join(event_types())}")
    return value


def _date(value: str) -> str:
    if value and not _DATE.match(value):
        raise RowError(f"date must be YYYY-MM-DD, YYYY-MM, YYYY or empty, not {value!r}")
    return value


_PLACE_VALUES: dict[str, Callable[[str], object]] = {
    "geonameid": place_from_geonameid, "latlon": _latlon, "admin1": _codes,
}  # how each place field's value is read (raising RowError)


def correct_place(m: Mention, field: str, value: str) -> None:
    """Apply one place correction to a mention."""
    base = m.place or Place(name=m.text, feature="other", country=None, lat=0.0, lon=0.0)
    if field == "geonameid":
        m.place = place_from_geonameid(value)
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
        e.type = _event_type(value)
    elif field == "places":
        names = [n.strip() for n in value.split(";") if n.strip()]
        indexes = [events.mention_of(article, e.passage, n) for n in names]
        if None in indexes:
            raise RowError(f"no place {names[indexes.index(None)]!r} in passage {e.passage}")
        events.relocate(article, e, indexes)
    else:
        e.date, e.date_precision = _date(value) or None, _DATE_PRECISION.get(len(value), "none")
    e.corrected, e.confidence = True, 1.0
    return True


def _apply_place_row(article: Article, row: Row) -> None:
    """Correct the mentions ``row`` names in ``article`` (those so written in its passage, or in
    every passage if it names none); raises if there are none (but for a row of every article)."""
    if row.field not in PLACE_FIELDS:
        raise RowError(f"place field {row.field!r} is not one of {', '.join(PLACE_FIELDS)}")
    named = [i for i, m in enumerate(article.mentions)
             if m.text == row.mention and m.passage == (row.passage or m.passage)]
    if not named and row.article:
        where = f"passage {row.passage}" if row.passage else "the article"
        raise RowError(f"no mention {row.mention!r} in {where}")
    for index in named:
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


def apply(folder: Path, articles: list[Article], rules: list[Row] = ()) -> list[Skipped]:
    """Apply the corrections file of an articles folder (if it has one), then the catalog's
    ``rules`` (:func:`catalog_row`), to the articles, in place.

    Returns one :class:`Skipped` per row that could not be applied, naming its file and line or
    its catalog and number.
    """
    return [Skipped(Path(p.source), p.message) for p in problems(folder, articles, rules=rules)]


@dataclass
class Problem:
    """Why a row (or the file, line 1) could not be applied, and the article it names ("" for
    none, or every article); ``source`` and ``origin`` are the row's."""

    source: str
    origin: str
    article: str
    message: str


def problems(folder: Path, articles: list[Article],
             kept: Mapping[str, list[Problem]] | None = None,
             rules: list[Row] = (), elsewhere: Container[str] = ()) -> list[Problem]:
    """:func:`apply`, returning the problems in the order of the rows. The rows of articles in
    ``kept`` are not applied (the outputs hold them applied, from an earlier build with the same
    corrections): their problems are those ``kept`` gives. Those of articles ``elsewhere`` (ids
    of articles corrected by another call) are left to it."""
    rows, found = _file_rows(folder / CORRECTIONS_FILE)
    in_file = {r.what() for r in rows}
    rows += [r for r in rules if r.what() not in in_file]
    by_id = {a.id: a for a in articles}
    kept = kept or {}
    for row in rows:
        if row.article in kept:
            found.extend(p for p in kept[row.article] if p.origin == row.origin)
        elif row.article in elsewhere:
            continue
        elif row.article or not row.mention:
            if row.shared and row.article not in by_id:
                continue  # an article of another folder
            try:
                apply_row(by_id, row)
            except RowError as e:
                found.append(Problem(row.source, row.origin, row.article, f"{row.origin}: {e}"))
        else:
            found.extend(_apply_everywhere(by_id, row, kept))
    return found


def _file_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """The rows of a corrections file (none if there is none), and the problems of reading it."""
    if not path.is_file():
        return [], []
    try:
        rows, unreadable = read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return [], [Problem(str(path), f"{path}:1", "", f"{path}: cannot read corrections: {e}")]
    return rows, [Problem(str(path), f"{path}:1", "", message) for message in unreadable]


def _apply_everywhere(by_id: dict[str, Article], row: Row,
                      kept: Mapping[str, list[Problem]]) -> list[Problem]:
    """Apply a place row that names no article to every article (but the ``kept``, whose
    problems are taken as they are); its problems, by article."""
    try:
        check(row)
    except RowError as e:
        return [Problem(row.source, row.origin, "", f"{row.origin}: {e}")]
    found = [p for ps in kept.values() for p in ps if p.origin == row.origin]
    for article in by_id.values():
        try:
            _apply_place_row(article, row)
        except RowError as e:
            found.append(Problem(row.source, row.origin, article.id,
                                 f"{row.origin}: {article.id}: {e}"))
    return sorted(found, key=lambda p: p.article)
