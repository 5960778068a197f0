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

import hashlib
import html
import importlib.metadata
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.cache import cache_dir
from geomap.files import write_atomically
from geomap.models import Article, Event, Mention, Passage, Place
from geomap.render import basemap
from geomap.render.assets import json_members, json_object, script_json
from geomap.render.pages import EVENT_STYLES, ZOOM, page_href

PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
CONTEXT_CHARS = 120
LAYOUT_PACKAGES = ("folium", "folium-offline", "branca", "jinja2")  # what the layout is made of
TITLE_SLOT, DATA_SLOT = "@@geomap-title@@", "@@geomap-data@@"  # in the layout, filled per build


def map_html(articles: list[Article], boundaries: basemap.Basemap) -> str:
    """The map page as one HTML string, byte-identical for identical inputs."""
    page = MapAssembly(len(articles))
    for position, article in enumerate(sorted(articles, key=lambda a: a.id)):
        page.add(position, map_part(article))
    return page.html(boundaries)


class MapAssembly:
    """The map page of articles whose :class:`MapPart` are added in any order, each at its
    article's position (in the order of their ids): the page is the same whatever the order, a
    place's row being the one of the first article, by position, that names it. A build adds
    the parts of unchanged articles while it waits for the others to be parsed."""

    def __init__(self, size: int) -> None:
        self.parts: list[str] = [""] * size
        self.places: dict[str, list[Any]] = {}  # key -> [position of the row, row, mentions]
        self.mentions: Counter[str] = Counter()
        self.events: Counter[str] = Counter()

    def add(self, position: int, part: MapPart) -> None:
        """Add the part of the article at ``position``."""
        self.parts[position] = part.data
        for key, (row, count) in part.places.items():
            entry = self.places.get(key)
            if entry is None:
                self.places[key] = [position, row, count]
                continue
            entry[2] += count
            if position < entry[0]:
                entry[0], entry[1] = position, row
        self.mentions.update(part.mentions)
        self.events.update(part.events)

    def html(self, boundaries: basemap.Basemap) -> str:
        """The page, once every article's part is added."""
        return "".join(self.pieces(boundaries))

    def pieces(self, boundaries: basemap.Basemap) -> Iterator[str]:
        """:meth:`html` in pieces, to be written one after the other: the data block holds the
        articles' data as their parts hold it, then the rows of the places (by key), the
        regions shaded by mentions and by events, the legends, the initial view, and the
        boundaries spliced in as they are cached."""
        n = len(self.parts)
        title = f"geomap — {len(self.places)} places in {n} article{'s' if n != 1 else ''}"
        head, rest = page_template().split(TITLE_SLOT)
        middle, tail = rest.split(DATA_SLOT)
        yield from (head, html.escape(title), middle, '{"articles":[')
        for k, part in enumerate(self.parts):
            yield f",{part}" if k else part
        places = {key: self.places[key][1:] for key in sorted(self.places)}
        countries = json_object([("scale", str(10 ** basemap.BASEMAP_DIGITS)),
                                 ("shapes", boundaries.countries)])
        yield "]," + json_members([
            ("places", script_json({key: row for key, (row, _) in places.items()})),
            ("types", script_json([[key, *EVENT_STYLES[key]] for key in EVENT_STYLES])),
            ("zooms", script_json(ZOOM)),
            ("legend", script_json({"mentions": _legend(self.mentions),
                                    "events": _legend(self.events)})),
            ("bounds", script_json(_bounds(list(places.values())))),
            ("regions", _regions(boundaries, self.mentions, self.events)),
            ("countries", countries), ("labels", boundaries.labels)]) + "}"
        yield tail


def page_template() -> str:
    """The page around the data (:mod:`geomap.render.layout`), from the disk cache; laid out by
    folium and cached first if missing."""
    path = cache_dir() / f"map-layout-{_layout_key()}.html"
    try:
        page = path.read_text("utf-8")
        if page.count(TITLE_SLOT) == page.count(DATA_SLOT) == 1:
            return page
    except (OSError, UnicodeDecodeError):
        pass
    from geomap.render import layout

    page = layout.render_template()
    write_atomically(path, page)
    return page


def _layout_key() -> str:
    """Identifies the code and packages the layout is rendered from."""
    h = hashlib.sha256(" ".join(importlib.metadata.version(p) for p in LAYOUT_PACKAGES).encode())
    render = Path(__file__).parent
    for path in sorted([*render.glob("*.py"), *(render / "static").iterdir()]):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


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


def map_part(article: Article) -> MapPart:
    """An article's :class:`MapPart`."""
    places: dict[str, list[Any]] = {}
    for mention in sorted(article.mentions, key=lambda m: m.start):
        if mention.place is not None:
            places.setdefault(mention.place.key, [_place_row(mention.place), 0])[1] += 1
    return MapPart(script_json(article_data(article)), places, dict(region_counts([article])),
                   dict(event_counts([article])))


def article_data(article: Article) -> dict[str, Any]:
    """One article's data for the page, JSON-ready, its passages numbered from 0: the article row
    (``a``), the passages it quotes (``p``: ``[id, text]``), its places (``l``: ``[key,
    [[passage, start, end], ...], spellings]``; their rows are the page's ``places``) and its
    located events (``e``)."""
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
    events = [_event_row(article, event, passages)
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


def _event_row(article: Article, event: Event, passages: _Passages) -> list[Any]:
    """``[type, date, passage row, lat, lon, places, [[start, end], ...]]`` of one event."""
    mentions = sorted((article.mentions[i] for i in event.mentions
                       if 0 <= i < len(article.mentions)), key=lambda m: m.start)
    quoted = [passages.quoting(article, m) for m in mentions]
    if quoted:
        pi, spans = quoted[0][0], [span for row, span in quoted if row == quoted[0][0]]
    else:
        passage = next(p for p in article.passages if p.id == event.passage)
        pi = passages.add(passage.id, passage.start, article.text[passage.start:passage.end])
        spans = []
    kind = event.type if event.type in EVENT_STYLES else "other"
    return [list(EVENT_STYLES).index(kind), event.date, pi, round(event.lat, 5),
            round(event.lon, 5), event.places, spans]


def _article_row(article: Article) -> dict[str, Any]:
    return {"t": article.display_title, "s": article.source, "d": article.published,
            "h": page_href(article)}


def _place_row(place: Place) -> dict[str, Any]:
    return {"n": place.name, "f": place.feature, "c": place.country, "a": place.admin1,
            "y": round(place.lat, 5), "x": round(place.lon, 5), "l": place.located}


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


def region_counts(articles: list[Article]) -> Counter[str]:
    """Mentions per first-level unit: each counts in every code of ``admin1_all`` (or ``admin1``)."""
    counts: Counter[str] = Counter()
    for article in articles:
        for m in article.mentions:
            if m.place is not None:
                counts.update(set(m.place.admin1_all or ([m.place.admin1] if m.place.admin1 else [])))
    return counts


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


def event_counts(articles: list[Article]) -> Counter[str]:
    """Located events per first-level unit they are placed in."""
    return Counter(code for a in articles for e in a.events if e.lat is not None
                   for code in set(e.admin1))


def _regions(boundaries: basemap.Basemap, counts: Counter[str], events: Counter[str]) -> str:
    """The first-level units with mentions or events, shaded by each, as JSON text."""
    bins = color_bins(max(counts.values(), default=0))
    event_bins = color_bins(max(events.values(), default=0))
    features = [json_object([("properties", script_json({
        "iso": iso, "name": name, "count": counts[iso], "color": color_for(counts[iso], bins),
        "events": events[iso], "ecolor": color_for(events[iso], event_bins)})), ("shape", shape)])
        for iso, (name, shape) in sorted(boundaries.regions.items())
        if iso in counts or iso in events]
    return json_object([("scale", str(10 ** basemap.REGION_DIGITS)),
                        ("features", f"[{','.join(features)}]")])


def _bounds(places: list[list[Any]]) -> list[list[float]] | None:
    """The initial view: around the places (``[row, mentions]``) of the most mentioned country,
    leaving out countries' symbolic points if it can."""
    places = [p for p in places if p[0]["f"] != "country"] or places
    if not places:
        return None
    weight: Counter[str | None] = Counter()
    for row, count in places:
        weight[row["c"]] += count
    top = min(weight, key=lambda c: (-weight[c], c or ""))
    rows = [row for row, _ in places if row["c"] == top]
    lats = [row["y"] for row in rows]
    lons = [row["x"] for row in rows]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


