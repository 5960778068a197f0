"""``geomap correct``: corrections kept in the catalog, each with who made it, when and why, so
that everyone building from one catalog sees one history (:class:`geomap.models.Correction`;
:mod:`geomap.corrections` applies them on every build).

A correction names a place as it is written in the articles ("Izium"): in every article (now
and later), in one article, or in one passage of it (``000_x.txt#p27``, as the reader page's
address ends), and says what it is: a GeoNames place, a point, or not a place at all.
``corrections.csv`` files are imported row by row.
"""
from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from geomap.build.catalog import Catalog
from geomap.errors import InputError
from geomap.models import Correction

MAX_SUGGESTED = 5
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$")


def place_target(to: str | None, not_a_place: bool) -> tuple[str, str]:
    """``--to`` (a GeoNames id, or "lat,lon") or ``--not-a-place`` as the field and value of a
    place correction; raises :class:`InputError` for anything else."""
    if not_a_place == (to is not None):
        raise InputError("say what the place is: --to GEONAMEID, --to \"LAT,LON\", or "
                         "--not-a-place")
    if not_a_place:
        return "delete", ""
    if to.strip().isdigit():
        return "geonameid", to.strip()
    if m := _LATLON.match(to):
        return "latlon", f"{m[1]} {m[2]}"
    raise InputError(f"--to {to!r}: give a GeoNames id (e.g. 707753) or a point as "
                     "\"LAT,LON\" in degrees (e.g. \"49.21,37.26\")")


def article_and_passage(catalog: Catalog, name: str) -> tuple[str, str]:
    """The article (its id) and passage (or "") that ``name`` gives: a file name or stem,
    optionally with ``#p12``; a reader page's name or address works too."""
    name, _, passage = name.strip().partition("#")
    if passage and not re.fullmatch(r"p\d+", passage):
        raise InputError(f"--article {name}#{passage}: a passage is written #p12, as the reader "
                         "page's address ends")
    name = Path(name).name.removesuffix(".html")
    ids = sorted(catalog.index())
    found = [i for i in ids if name in (i, Path(i).stem)]
    if not found:
        close = difflib.get_close_matches(name, ids, MAX_SUGGESTED)
        raise InputError(f"--article {name}: no such article in {catalog.name}"
                         + (f"; did you mean {', '.join(close)}?" if close else
                            "; build first if it is new"))
    if len(found) > 1:
        raise InputError(f"--article {name}: which one? {', '.join(found)}")
    return found[0], passage


@dataclass
class Recorded:
    """A correction just kept, and the mentions it corrects now: ``(article, passage)`` each."""

    correction: Correction
    mentions: list[tuple[str, str]]

    def summary(self) -> str:
        """What it does, in one line: ``Izium in every article -> geonameid 707753: Izium,
        UA-63 (3 mentions in 2 articles now)``."""
        c, articles = self.correction, len({a for a, _ in self.mentions})
        place = ""
        if c.field == "geonameid":
            from geomap.corrections import place_from_geonameid

            p = place_from_geonameid(c.value)
            place = f": {p.name}, {p.admin1 or p.country or p.feature}"
        return (f"{describe(c)}{place} ({len(self.mentions)} mention"
                f"{'s' * (len(self.mentions) != 1)} in {articles} article"
                f"{'s' * (articles != 1)} now)")


def correct_place(catalog: Catalog, mention: str, field: str, value: str,
                  article: str | None = None, by: str = "", note: str = "") -> Recorded:
    """Keep a correction of the place ``mention`` (as written) names: in every article, or in
    ``article`` (a name as :func:`article_and_passage` reads it). Raises :class:`InputError` if
    the catalog holds no such mention (naming the close ones) or the value is no place."""
    from geomap import corrections

    article_id, passage = article_and_passage(catalog, article) if article else ("", "")
    named = [(a, p) for a, p, _ in catalog.where_named([mention])
             if a == (article_id or a) and p == (passage or p)]
    if not named:
        raise InputError(_not_found(catalog, mention, article))
    c = Correction(article_id, passage, mention, "", field, value, note, by)
    try:
        corrections.check(corrections.Row("", "", *c.what()))
    except corrections.RowError as e:
        raise InputError(f"{mention}: {e}") from None
    (kept,) = catalog.add_corrections([c])
    return Recorded(kept, named)


def _not_found(catalog: Catalog, mention: str, article: str | None) -> str:
    """Why a mention cannot be corrected, with the mentions written most like it."""
    texts = sorted({t for _, _, t in catalog.where_named()})
    close = difflib.get_close_matches(mention, texts, MAX_SUGGESTED) or \
        [t for t in texts if t.casefold() == mention.casefold()]
    where = f" in {article}" if article else ""
    hint = (f"; did you mean {', '.join(close)}?" if close else
            "; give the name as it is written in the article")
    return f"no mention {mention!r}{where} in {catalog.name}{hint} (build first if it is new)"


@dataclass
class Imported:
    """What an import did: the corrections kept, how many rows were there already, and the
    problems of the rows refused (``FILE:LINE: why``)."""

    added: list[Correction]
    already: int
    problems: list[str]


def import_file(catalog: Catalog, path: Path, by: str = "", note: str = "") -> Imported:
    """Keep the rows of a corrections file (see :mod:`geomap.corrections`) in the catalog, in
    their order, each noted as imported from its line (or with ``note``); rows the catalog
    holds already are not kept twice, and rows that can apply nowhere are refused."""
    from geomap import corrections

    try:
        rows, unreadable = corrections.read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{path}: cannot read corrections: {getattr(e, 'strerror', None) or e}"
                         ) from None
    if unreadable:
        raise InputError(unreadable[0])
    there = {c.what() for c in catalog.corrections()}
    new, problems, already = [], [], 0
    for row in rows:
        try:
            corrections.check(row)
        except corrections.RowError as e:
            problems.append(f"{row.origin}: {e}")
            continue
        if row.what() in there:
            already += 1
            continue
        there.add(row.what())
        line = row.origin.rsplit(":", 1)[1]
        new.append(Correction(*row.what(), note or f"imported from {path.name}:{line}", by))
    return Imported(catalog.add_corrections(new) if new else [], already, problems)


def listed(catalog: Catalog, article: str | None = None) -> list[Correction]:
    """The catalog's corrections, in the order they were made; with ``article``, those that
    can touch it (naming it, or no article)."""
    found = catalog.corrections()
    if article is None:
        return found
    article_id, _ = article_and_passage(catalog, article)
    return [c for c in found if c.article in ("", article_id)]


def describe(c: Correction) -> str:
    """What a correction does, in words: ``Izium in 000_x.txt#p27 -> 49.21, 37.26``."""
    where = c.article + (f"#{c.passage}" if c.passage else "") if c.article else "every article"
    if c.event:
        change = {"delete": "deleted", "type": f"type -> {c.value}",
                  "places": f"places -> {c.value or 'none'}",
                  "date": f"date -> {c.value or 'none'}"}.get(c.field, f"{c.field} -> {c.value}")
        return f"{c.event} event in {where}: {change}"
    change = {"geonameid": f"-> geonameid {c.value}", "latlon": f"-> {', '.join(c.value.split())}",
              "admin1": f"region -> {c.value}", "delete": "-> not a place"}.get(
                  c.field, f"{c.field} -> {c.value}")
    return f"{c.mention} in {where} {change}"


def history_line(c: Correction) -> str:
    """One line of ``geomap correct --list``: number, when, who, what, and why."""
    return f"{c.id:>4}  {c.at}  {c.by}  {describe(c)}" + (f"  ({c.note})" if c.note else "")
