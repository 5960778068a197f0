"""The map: one self-contained ``index.html`` with an offline basemap (and an optional online one),
regions shaded by mentions and by events, clustered places whose popups quote the passages, a heat
map, events by type with a time slider, one layer per article, search, fullscreen and a minimap.

Folium lays out the map and panes and links the Leaflet plugins; the layers and controls are built
in the browser (``static/map.js``) from one JSON data block, so article text never passes
through a JS template literal or ``innerHTML`` (layer-control labels, which the plugin sets as HTML,
are escaped first), and each passage is stored once however many places
it names.

Boundaries (the world basemap and the shaded regions) come encoded from
:mod:`geomap.render.basemap`; the page around the data is laid out by folium in
:mod:`geomap.render.layout`, once per version, and cached.
"""
from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.cache import Artefact
from geomap.gazetteer.alternates import other_names
from geomap import kinds
from geomap.layers import event_counts, region_counts
from geomap.models import Article, Event, Mention, Passage, Place
from geomap.render import basemap
from geomap.render.assets import (
    DATA_SLOT,
    TITLE_SLOT,
    json_members,
    json_object,
    script_json,
)
from geomap.render.pages import page_href, web_url
from geomap.taxonomy import FALLBACK, EventType, event_types

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
CONTEXT_CHARS = 120
LAYOUT_PACKAGES = ("folium", "folium-offline", "branca", "jinja2")  # what the layout is made of


def map_html(articles: list[Article], boundaries: basemap.Basemap,
             types: Mapping[str, EventType] | None = None) -> str:
    """The map page as one HTML string, byte-identical for identical inputs; its events are of
    the ``types`` given (by default the package's, :mod:`geomap.taxonomy`)."""
    page = MapAssembly(len(articles), types)
    for position, article in enumerate(sorted(articles, key=lambda a: a.id)):
        page.add(position, map_part(article, types))
    return page.html(boundaries)


@dataclass(slots=True)
class _PlaceEntry:
    """A place of the page: its row as the first article (by position) naming it has it, and its
    mentions in every article."""

    position: int
    row: dict[str, Any]
    mentions: int


class MapAssembly:
    """The map page of articles whose :class:`MapPart` are added in any order, each at its
    article's position (in the order of their ids): the page is the same whatever the order, a
    place's row being the one of the first article, by position, that names it. A build adds
    the parts of unchanged articles while it waits for the others to be parsed."""

    def __init__(self, size: int, types: Mapping[str, EventType] | None = None) -> None:
        self.types = event_types() if types is None else types
        self.parts: list[str] = [""] * size
        self.places: dict[str, _PlaceEntry] = {}
        self.mentions: Counter[str] = Counter()
        self.events: Counter[str] = Counter()

    def add(self, position: int, part: MapPart) -> None:
        """Add the part of the article at ``position``."""
        self.parts[position] = part.data
        for key, (row, count) in part.places.items():
            entry = self.places.get(key)
            if entry is None:
                self.places[key] = _PlaceEntry(position, row, count)
                continue
            entry.mentions += count
            if position < entry.position:
                entry.position, entry.row = position, row
        self.mentions.update(part.mentions)
        self.events.update(part.events)

    def tallies(self) -> dict[str, Any]:
        """What the page holds of the articles added but their data, JSON-ready: a page of more
        articles, added after these, starts from it (:meth:`restore`)."""
        return {"places": {k: [e.position, e.row, e.mentions] for k, e in self.places.items()},
                "mentions": self.mentions, "events": self.events}

    def restore(self, tallies: Mapping[str, Any]) -> None:
        """Take the :meth:`tallies` of the articles before those yet to be added."""
        self.places = {k: _PlaceEntry(*entry) for k, entry in tallies["places"].items()}
        self.mentions, self.events = Counter(tallies["mentions"]), Counter(tallies["events"])

    def html(self, boundaries: basemap.Basemap) -> str:
        """The page, once every article's part is added."""
        return "".join(self.pieces(boundaries))

    def pieces(self, boundaries: basemap.Basemap,
               parts: Iterable[str | bytes] | None = None) -> Iterator[str | bytes]:
        """:meth:`html` in pieces, to be written one after the other: the data block holds the
        articles' data as their parts hold it (or as ``parts`` gives them, in order, if the parts
        were added without their data), then the rows of the places (by key), the event
        types (:mod:`geomap.taxonomy`) and the kinds of place (:mod:`geomap.kinds`: labels and
        zooms), the legends, the initial view, the regions shaded by mentions and by events, and
        the boundaries spliced in as they are cached."""
        yield self.opening()
        for k, part in enumerate(self.parts if parts is None else parts):
            if k:
                yield ","
            yield part
        yield self.closing(boundaries)

    def opening(self) -> str:
        """The page up to its articles' data: the page's head, its title and the data block's
        start."""
        n = len(self.parts)
        title = f"geomap — {len(self.places)} places in {n} article{'s' if n != 1 else ''}"
        head, rest = page_template().split(TITLE_SLOT)
        return head + html.escape(title) + rest.split(DATA_SLOT)[0] + '{"articles":['

    def closing(self, boundaries: basemap.Basemap) -> str:
        """The page after its articles' data."""
        tail = page_template().split(DATA_SLOT)[1]
        places = {key: self.places[key] for key in sorted(self.places)}
        countries = json_object([("scale", str(10 ** basemap.DIGITS)),
                                 ("shapes", boundaries.countries), ("codes", boundaries.codes)])
        return "]," + json_members([
            ("places", script_json({key: entry.row for key, entry in places.items()})),
            ("types", script_json([[t.name, t.label, t.colour, t.glyph]
                                   for t in self.types.values()])),
            ("kinds", script_json(kinds.for_map())),
            ("legend", script_json({"mentions": _legend(self.mentions),
                                    "events": _legend(self.events)})),
            ("bounds", script_json(_bounds(list(places.values())))),
            ("names", script_json(_area_names(boundaries, [e.row for e in places.values()]))),
            ("regions", _regions(boundaries, self.mentions, self.events)),
            ("countries", countries), ("labels", boundaries.labels)]) + "}" + tail


def page_template() -> str:
    """The page around the data (:mod:`geomap.render.layout`), from the disk cache; laid out by
    folium and cached first if missing."""
    return Artefact("map-layout", ".html", _lay_out, dump=str, load=_read_layout,
                    code=("geomap.render.layout",), packages=LAYOUT_PACKAGES).get()


def _lay_out() -> str:
    from geomap.render import layout

    return layout.render_template()


def _read_layout(path: Path) -> str:
    page = path.read_text("utf-8")
    if not page.count(TITLE_SLOT) == page.count(DATA_SLOT) == 1:
        raise ValueError(f"{path} is no page layout")
    return page


# --- data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPart:
    """One article's share of the map: ``data``, its :func:`article_data` as JSON text that is
    safe in a ``<script>`` element (the page holds it as it is: a build splices it in, the
    browser gathers the articles' data); the ``places`` it names, key -> ``[row, mentions]``;
    its ``mentions`` and located ``events`` by first-level unit."""

    data: str
    places: dict[str, list[Any]]
    mentions: dict[str, int]
    events: dict[str, int]


def map_part(article: Article, types: Mapping[str, EventType] | None = None) -> MapPart:
    """An article's :class:`MapPart`, its events of the ``types`` given (by default the
    package's)."""
    places: dict[str, list[Any]] = {}
    for mention in sorted(article.mentions, key=lambda m: m.start):
        if mention.place is not None:
            places.setdefault(mention.place.key, [_place_row(mention.place), 0])[1] += 1
    return MapPart(script_json(article_data(article, types)), places,
                   dict(region_counts([article])), dict(event_counts([article])))


def article_data(article: Article, types: Mapping[str, EventType] | None = None) -> dict[str, Any]:
    """One article's data for the page, JSON-ready, its passages numbered from 0: the article row
    (``a``), the passages it quotes (``p``: ``[id, text]``), its places (``l``: ``[key,
    [[passage, start, end], ...], spellings]``; their rows are the page's ``places``) and its
    located events (``e``, their types numbered in the order of ``types``, by default the
    package's)."""
    passages = _Passages()
    places: dict[str, list[Any]] = {}
    for mention in sorted(article.mentions, key=lambda m: m.start):
        if mention.place is None:
            continue
        pi, span = passages.quoting(article, mention)
        key = mention.place.key
        entry = places.setdefault(key, [key, [], []])
        entry[1].append([pi, *span])
        if mention.text != mention.place.name and mention.text not in entry[2]:
            entry[2].append(mention.text)
    order = _type_numbers(event_types() if types is None else types)
    events = [_event_row(article, event, passages, order)
              for event in article.events if event.lat is not None]
    return {"a": _article_row(article), "p": passages.rows, "l": list(places.values()),
            "e": events}


class _Passages:
    """An article's quoted passages: each stored once, ``[passage id, text]``."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[str, int], int] = {}

    def add(self, pid: str, start: int, text: str) -> int:
        """The row of the passage ``pid`` (starting at ``start``), added if new."""
        key = (pid, start)
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append([pid, text])
        return self._index[key]

    def quoting(self, article: Article, mention: Mention) -> tuple[int, list[int]]:
        """The row of the passage quoting ``mention`` and the mention's UTF-16 span in it."""
        pid, start, text = _context(article, mention)
        span = _utf16_span(text, mention.start - start, mention.end - start)
        return self.add(pid, start, text), list(span)


def _type_numbers(types: Mapping[str, EventType]) -> dict[str, int]:
    """Each event type's number: its position among the page's ``types``."""
    return {name: n for n, name in enumerate(types)}


def _event_row(article: Article, event: Event, passages: _Passages,
               order: Mapping[str, int]) -> list[Any]:
    """``[type number, date, passage row, lat, lon, places, [[start, end], ...]]`` of one event
    (a type ``order`` lacks, of an event made by hand, shows as :data:`FALLBACK`)."""
    mentions = sorted((article.mentions[i] for i in event.mentions
                       if 0 <= i < len(article.mentions)), key=lambda m: m.start)
    quoted = [passages.quoting(article, m) for m in mentions]
    if quoted:
        pi, spans = quoted[0][0], [span for row, span in quoted if row == quoted[0][0]]
    else:
        passage = next(p for p in article.passages if p.id == event.passage)
        pi = passages.add(passage.id, passage.start, article.text[passage.start:passage.end])
        spans = []
    number = order[event.type] if event.type in order else order[FALLBACK]
    # A date the events stage took from the article ("reported") is left to the map to say so.
    date = None if event.date_precision == "reported" else event.date
    return [number, date, pi, round(event.lat, 5),
            round(event.lon, 5), event.places, spans]


def _article_row(article: Article) -> dict[str, Any]:
    """The page's row of an article; ``u``, its original's URL, only when it has one; ``f``,
    its file name, where it has no title of its own."""
    row = {"t": article.display_title, "s": article.source, "d": article.published,
           "h": page_href(article), "f": None if article.title else article.id}
    url = web_url(article.url)
    return row | {"u": url} if url else row


def _place_row(place: Place) -> dict[str, Any]:
    """A place as the map shows it; ``o``, its other names (former names, other spellings), is
    what the search box also finds it by."""
    return {"n": place.name, "f": place.feature, "c": place.country, "a": place.admin1,
            "y": round(place.lat, 5), "x": round(place.lon, 5), "l": place.located,
            "p": place.population, "o": other_names(place.geonameid)}


def _context(article: Article, mention: Mention) -> tuple[str, int, str]:
    """The passage holding a mention (id, start, text), or a window of text around it."""
    passage = passage_of(article, mention)
    if passage is not None:
        return passage.id, passage.start, article.text[passage.start:passage.end]
    start = max(0, mention.start - CONTEXT_CHARS)
    return "", start, article.text[start:mention.end + CONTEXT_CHARS]


def passage_of(article: Article, mention: Mention) -> Passage | None:
    """The passage a mention belongs to: by id, else the one containing its offsets."""
    containing = [p for p in article.passages if p.start <= mention.start and mention.end <= p.end]
    return next((p for p in containing if p.id == mention.passage),
                containing[0] if containing else None)


def _utf16_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Code-point offsets into ``text`` as the UTF-16 offsets JavaScript strings use."""
    if text.isascii():
        return start, end

    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2
    return units(text[:start]), units(text[:end])


def color_bins(max_count: int) -> list[tuple[int, str]]:
    """Lower bounds of the shading classes with their colours, for counts 1..max_count."""
    if max_count <= 0:
        return []
    if max_count <= len(PALETTE):
        lows = list(range(1, max_count + 1))
    else:
        steps = len(PALETTE)
        lows = sorted({1, *(_nice(max_count ** (k / steps)) for k in range(1, steps))})
        lows = [x for x in lows if x <= max_count]
    last = len(PALETTE) - 1
    picks = [round(k * last / (len(lows) - 1)) for k in range(len(lows))] if len(lows) > 1 else [2]
    return [(low, PALETTE[i]) for low, i in zip(lows, picks)]


def _nice(x: float) -> int:
    """The smallest of 1, 2, 3, 5 × 10ⁿ that is ≥ x."""
    power = 10 ** max(0, math.floor(math.log10(x)))
    return next(m * power for m in (1, 2, 3, 5, 10) if m * power >= x)


def color_for(count: int, bins: list[tuple[int, str]]) -> str | None:
    """The colour of the class ``count`` falls in; None below the first class."""
    return next((colour for low, colour in reversed(bins) if low <= count), None)


def _legend(counts: Counter[str]) -> list[tuple[str, str]]:
    """The legend of regions shaded by ``counts``."""
    most = max(counts.values(), default=0)
    return legend(color_bins(most), most)


def legend(bins: list[tuple[int, str]], max_count: int) -> list[tuple[str, str]]:
    """Legend rows (label, colour), e.g. ``("2–4", "#fecc5c")``."""
    rows = []
    for (low, colour), nxt in zip(bins, [b[0] for b in bins[1:]] + [max_count + 1]):
        high = nxt - 1
        rows.append((str(low) if high == low else f"{low}–{high}", colour))
    return rows


def _regions(boundaries: basemap.Basemap, counts: Counter[str], events: Counter[str]) -> str:
    """The first-level units with mentions or events, shaded by each, as JSON text."""
    bins = color_bins(max(counts.values(), default=0))
    event_bins = color_bins(max(events.values(), default=0))
    features = [json_object([("properties", script_json({
        "iso": iso, "name": name, "count": counts[iso], "color": color_for(counts[iso], bins),
        "events": events[iso], "ecolor": color_for(events[iso], event_bins)})), ("shape", shape)])
        for iso, (name, shape) in sorted(boundaries.regions.items())
        if iso in counts or iso in events]
    return json_object([("scale", str(10 ** basemap.DIGITS)),
                        ("features", f"[{','.join(features)}]")])


def _area_names(boundaries: basemap.Basemap, rows: list[dict[str, Any]]) -> dict[str, str]:
    """The English names of the countries and first-level units of the places, by code."""
    codes = {code for row in rows for code in (row["c"], row["a"]) if code}
    names = {code: boundaries.regions[code][0] for code in codes if code in boundaries.regions}
    names.update((code, boundaries.names[code]) for code in codes if code in boundaries.names)
    return dict(sorted(names.items()))


def _bounds(places: list[_PlaceEntry]) -> list[list[float]] | None:
    """The initial view: around the places of the most mentioned country, leaving out countries'
    symbolic points if it can."""
    places = [p for p in places if p.row["f"] != "country"] or places
    if not places:
        return None
    weight: Counter[str | None] = Counter()
    for p in places:
        weight[p.row["c"]] += p.mentions
    top = min(weight, key=lambda c: (-weight[c], c or ""))
    rows = [p.row for p in places if p.row["c"] == top]
    lats = [row["y"] for row in rows]
    lons = [row["x"] for row in rows]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


