"""The map: one self-contained ``index.html`` with an offline basemap (and an optional online one),
regions shaded by mentions and by events, clustered places whose popups quote the passages, a heat
map, events by type with a time slider, one layer per article, search, fullscreen and a minimap.

Folium lays out the map and panes and links the Leaflet plugins; the layers and controls are built
in the browser (``static/map.js``) from one JSON data block, so article text never passes
through a JS template literal or ``innerHTML`` (layer-control labels, which the plugin sets as HTML,
are escaped first), and each passage is stored once however many places
it names. The block holds its records as tables of named columns (``{"lat": [...], "lon":
[...]}``), one kind of record per :class:`~typing.NamedTuple` of :mod:`geomap.render.records`,
whose fields name the columns map.js reads. The articles' own tables (their rows, passages,
mentions, spellings and events) come in chunks of :data:`ARTICLES_PER_CHUNK` articles, each
numbering its articles and passages from 0, that map.js joins into the page's tables: a build
that appends articles to a page adds chunks, or rewrites its last, before the places.

A large map is split (:func:`split_map`): the columns only a popup shows (:data:`DEFERRED`: the
passages' text, where mentions are in them, the events' places, the articles' links) are left out
of the page's chunks and written beside it, a script per chunk (:func:`chunk_file`:
``geomapChunk(n, {...})``) that the page loads once it is shown.

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

import orjson
from more_itertools import chunked

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
from geomap.render.records import (
    ArticleRecord,
    EventRecord,
    LegendRecord,
    MentionRecord,
    PassageRecord,
    PlaceRecord,
    SpellingRecord,
    TypeRecord,
    columns,
    fields,
)
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
    row: PlaceRecord
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
        return {"places": {k: [e.position, e.row._asdict(), e.mentions]
                           for k, e in self.places.items()},
                "mentions": self.mentions, "events": self.events}

    def restore(self, tallies: Mapping[str, Any]) -> None:
        """Take the :meth:`tallies` of the articles before those yet to be added."""
        self.places = {k: _PlaceEntry(position, PlaceRecord(**row), mentions)
                       for k, (position, row, mentions) in tallies["places"].items()}
        self.mentions, self.events = Counter(tallies["mentions"]), Counter(tallies["events"])

    def html(self, boundaries: basemap.Basemap) -> str:
        """The page, once every article's part is added: the :meth:`opening`, the
        :func:`chunks` of the articles' data, the :meth:`closing` (a build writes them from its
        fragments, :mod:`geomap.build.outputs`)."""
        return "".join([self.opening(), *(c.text for c in chunks(self.parts, 0)),
                        self.closing(boundaries)])

    def opening(self) -> str:
        """The page up to its articles' data: the page's head, its title and the data block's
        start."""
        n = len(self.parts)
        title = f"geomap — {len(self.places)} places in {n} article{'s' if n != 1 else ''}"
        head, rest = page_template().split(TITLE_SLOT)
        return head + html.escape(title) + rest.split(DATA_SLOT)[0] + '{"chunks":['

    def closing(self, boundaries: basemap.Basemap, split: bool = False) -> str:
        """The page after its articles' data: the rest of the data block, the rows of the places
        (by key), the event types (:mod:`geomap.taxonomy`) and the kinds of place
        (:mod:`geomap.kinds`: labels and zooms), the legends, the initial view, the regions
        shaded by mentions and by events, and the boundaries spliced in as they are cached;
        if ``split``, the paths of its chunk files (``files``, by chunk); then the rest of the
        page."""
        tail = page_template().split(DATA_SLOT)[1]
        places = {key: self.places[key] for key in sorted(self.places)}
        countries = json_object([("scale", str(10 ** basemap.DIGITS)),
                                 ("shapes", boundaries.countries), ("codes", boundaries.codes)])
        types = (TypeRecord(t.name, t.label, t.colour, t.glyph) for t in self.types.values())
        return "]," + json_members([
            ("places", script_json(columns(PlaceRecord, (e.row for e in places.values())))),
            ("types", script_json(columns(TypeRecord, types))),
            ("kinds", script_json(kinds.for_map())),
            ("legend", script_json({"mentions": columns(LegendRecord, _legend(self.mentions)),
                                    "events": columns(LegendRecord, _legend(self.events))})),
            ("bounds", script_json(_bounds(list(places.values())))),
            ("names", script_json(_area_names(boundaries, [e.row for e in places.values()]))),
            ("regions", _regions(boundaries, self.mentions, self.events)),
            ("countries", countries), ("labels", boundaries.labels),
            *([("files", script_json([chunk_file(n) for n in range(self.chunk_count())]))]
              if split else [])]) + "}" + tail

    def chunk_count(self) -> int:
        """How many chunks the data block holds."""
        return -(-len(self.parts) // ARTICLES_PER_CHUNK)


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


# --- the page's chunks of tables -----------------------------------------------------------

ARTICLES_PER_CHUNK = 100  # articles whose tables make one chunk of the data block

# The tables of records an article adds to the page, by name; their ``article`` and ``passage``
# columns count from 0 in an article's part and from a chunk's first row in the chunk.
ARTICLE_TABLES: dict[str, type[tuple[Any, ...]]] = {
    "passages": PassageRecord, "mentions": MentionRecord, "spellings": SpellingRecord,
    "events": EventRecord}


SPLIT_ABOVE = 5_000  # articles: a map of more is split into the page and chunk files
MAP_FILES = ("auto", "one", "split")  # how a build writes the map: by its size, or as told
CHUNKS_DIR = "index_files"  # the chunk files of a split map, beside its index.html
# The columns of the articles' tables only a popup shows, by table: a split map's chunk files
# hold them, its page the others (every table keeps one, which counts its rows).
DEFERRED: dict[str, tuple[str, ...]] = {
    "articles": ("href", "source", "url"), "passages": ("id", "text"),
    "mentions": ("start", "end"), "events": ("places", "spans")}


def split_map(files: str, articles: int) -> bool:
    """Whether a map of ``articles`` is split into a page and chunk files, built with
    ``--map-files`` ``files`` (one of :data:`MAP_FILES`, else ValueError): when told, else
    above :data:`SPLIT_ABOVE` articles."""
    if files not in MAP_FILES:
        raise ValueError(f"map files {files!r}: not one of {', '.join(MAP_FILES)}")
    return files == "split" or (files == "auto" and articles > SPLIT_ABOVE)


CHUNK_FILES = "chunk-*.js"  # the names of the chunk files, as a glob


def chunk_file(number: int) -> str:
    """The path of a split map's chunk file ``number`` (one of :data:`CHUNK_FILES`), from the
    page's folder."""
    return f"{CHUNKS_DIR}/chunk-{number:06d}.js"


@dataclass(frozen=True)
class Chunk:
    """A chunk of the data block (:func:`chunks`): its ``number`` (from 0), its ``text`` in the
    page (after a comma unless it is the page's first) and, in a split map, its ``script``
    (the chunk file's text) holding the :data:`DEFERRED` columns."""

    number: int
    text: str
    script: str | None


def chunks(parts: Iterable[str | bytes], first: int, split: bool = False) -> Iterator[Chunk]:
    """The data block's chunks of the articles whose parts' data (JSON text) are ``parts``, in
    order, the first of them at position ``first`` on the page (where a chunk starts): each
    chunk the articles' rows and tables (:func:`chunk`) of :data:`ARTICLES_PER_CHUNK` articles
    (the last may have fewer); if ``split``, their :data:`DEFERRED` columns in its script. A
    chunk is the same whether the page is written whole or appended to, and map.js joins the
    chunks into the page's tables (``joinChunks``) and a script's columns into them
    (``geomapChunk``)."""
    for batch in chunked(parts, ARTICLES_PER_CHUNK):
        number = first // ARTICLES_PER_CHUNK
        articles, tables = chunk_tables(batch)
        if split:
            text = chunk(articles, tables, keep=False)
            script = f"geomapChunk({number},{chunk(articles, tables, keep=True)});\n"
        else:
            text, script = chunk(articles, tables), None
        yield Chunk(number, ("," if first else "") + text, script)
        first += len(batch)


def chunk_tables(parts: list[str | bytes]) -> tuple[list[ArticleRecord],
                                                    dict[str, dict[str, list[Any]]]]:
    """The rows of the articles whose parts' data are ``parts`` and their tables
    (:data:`ARTICLE_TABLES`): each part's columns appended in order, its ``article`` and
    ``passage`` columns moved on by the article's position in the chunk and its first
    passage's row."""
    articles: list[ArticleRecord] = []
    tables: dict[str, dict[str, list[Any]]] = {
        name: {field: [] for field in fields(kind)} for name, kind in ARTICLE_TABLES.items()}
    for position, text in enumerate(parts):
        part = orjson.loads(text)
        articles.append(ArticleRecord(**part["article"]))
        shift = {"article": position, "passage": len(tables["passages"]["text"])}
        for name, table in tables.items():
            for field, column in table.items():
                values = part[name][field]
                column.extend([v + shift[field] for v in values] if field in shift else values)
    return articles, tables


def chunk(articles: list[ArticleRecord], tables: Mapping[str, Mapping[str, list[Any]]],
          keep: bool | None = None) -> str:
    """The articles' rows (``articles``) and their tables as a JSON object: every column, or
    (``keep`` given) only the :data:`DEFERRED` ones (True) or only the others (False); a table
    left with no column is left out."""
    def wanted(name: str, field: str) -> bool:
        return keep is None or (field in DEFERRED.get(name, ())) == keep

    kept = [(name, {f: c for f, c in table.items() if wanted(name, f)})
            for name, table in [("articles", columns(ArticleRecord, articles)), *tables.items()]]
    return json_object([(name, script_json(table)) for name, table in kept if table])


# --- an article's part ----------------------------------------------------------------------

@dataclass(frozen=True)
class MapPart:
    """One article's share of the map: ``data``, its :func:`article_data` as JSON text (a build
    keeps it as it is in its fragments; the page gathers the articles' tables into its own);
    the ``places`` it names, key -> (record, mentions); its ``mentions`` and located ``events``
    by first-level unit."""

    data: str
    places: dict[str, tuple[PlaceRecord, int]]
    mentions: dict[str, int]
    events: dict[str, int]


def map_part(article: Article, types: Mapping[str, EventType] | None = None) -> MapPart:
    """An article's :class:`MapPart`, its events of the ``types`` given (by default the
    package's)."""
    counts: Counter[str] = Counter()
    rows: dict[str, PlaceRecord] = {}
    for mention in sorted(article.mentions, key=lambda m: m.start):
        if mention.place is not None:
            counts[mention.place.key] += 1
            rows.setdefault(mention.place.key, _place_record(mention.place))
    places = {key: (row, counts[key]) for key, row in rows.items()}
    return MapPart(orjson.dumps(article_data(article, types)).decode(), places,
                   dict(region_counts([article])), dict(event_counts([article])))


def article_data(article: Article, types: Mapping[str, EventType] | None = None) -> dict[str, Any]:
    """One article's data for the page, JSON-ready: its row (``article``) and its tables of
    :data:`ARTICLE_TABLES` as :func:`columns`, as if it were the page's only article: the
    passages it quotes, numbered from 0, the mentions of its places (whose rows are the page's
    ``places``) and their other spellings, and its located events (their types numbered in the
    order of ``types``, by default the package's)."""
    passages = _Passages()
    mentions: list[MentionRecord] = []
    spellings: dict[tuple[str, str], SpellingRecord] = {}
    for mention in sorted(article.mentions, key=lambda m: m.start):
        if mention.place is None:
            continue
        pi, (start, end) = passages.quoting(article, mention)
        key = mention.place.key
        mentions.append(MentionRecord(key, pi, start, end))
        if mention.text != mention.place.name:
            spellings.setdefault((key, mention.text), SpellingRecord(key, mention.text))
    order = _type_numbers(event_types() if types is None else types)
    events = [_event_record(article, event, passages, order)
              for event in article.events if event.lat is not None]
    return {"article": _article_record(article)._asdict(),
            "passages": columns(PassageRecord, passages.rows),
            "mentions": columns(MentionRecord, mentions),
            "spellings": columns(SpellingRecord, spellings.values()),
            "events": columns(EventRecord, events)}


class _Passages:
    """An article's quoted passages: each stored once."""

    def __init__(self) -> None:
        self.rows: list[PassageRecord] = []
        self._index: dict[tuple[str, int], int] = {}

    def add(self, pid: str, start: int, text: str) -> int:
        """The row of the passage ``pid`` (starting at ``start``), added if new."""
        key = (pid, start)
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append(PassageRecord(0, pid, text))
        return self._index[key]

    def quoting(self, article: Article, mention: Mention) -> tuple[int, tuple[int, int]]:
        """The row of the passage quoting ``mention`` and the mention's UTF-16 span in it."""
        pid, start, text = _context(article, mention)
        span = _utf16_span(text, mention.start - start, mention.end - start)
        return self.add(pid, start, text), span


def _type_numbers(types: Mapping[str, EventType]) -> dict[str, int]:
    """Each event type's number: its position among the page's ``types``."""
    return {name: n for n, name in enumerate(types)}


def _event_record(article: Article, event: Event, passages: _Passages,
                  order: Mapping[str, int]) -> EventRecord:
    """The record of one event (a type ``order`` lacks, of an event made by hand, shows as
    :data:`FALLBACK`)."""
    mentions = sorted((article.mentions[i] for i in event.mentions
                       if 0 <= i < len(article.mentions)), key=lambda m: m.start)
    quoted = [passages.quoting(article, m) for m in mentions]
    if quoted:
        pi, spans = quoted[0][0], [list(span) for row, span in quoted if row == quoted[0][0]]
    else:
        passage = next(p for p in article.passages if p.id == event.passage)
        pi = passages.add(passage.id, passage.start, article.text[passage.start:passage.end])
        spans = []
    number = order[event.type] if event.type in order else order[FALLBACK]
    # A date the events stage took from the article ("reported") is left to the map to say so.
    date = None if event.date_precision == "reported" else event.date
    return EventRecord(number, date, pi, round(event.lat, 5), round(event.lon, 5),
                       event.places, spans)


def _article_record(article: Article) -> ArticleRecord:
    """An article as the map cites and lists it."""
    return ArticleRecord(article.display_title, article.source, article.published,
                         page_href(article), None if article.title else article.id,
                         web_url(article.url))


def _place_record(place: Place) -> PlaceRecord:
    """A place as the map shows it."""
    return PlaceRecord(place.key, place.name, place.feature, place.country, place.admin1,
                       round(place.lat, 5), round(place.lon, 5), place.located, place.population,
                       other_names(place.geonameid))


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


def _legend(counts: Counter[str]) -> list[LegendRecord]:
    """The legend of regions shaded by ``counts``."""
    most = max(counts.values(), default=0)
    return legend(color_bins(most), most)


def legend(bins: list[tuple[int, str]], max_count: int) -> list[LegendRecord]:
    """Legend rows, e.g. ``LegendRecord("2–4", "#fecc5c")``."""
    rows = []
    for (low, colour), nxt in zip(bins, [b[0] for b in bins[1:]] + [max_count + 1]):
        high = nxt - 1
        rows.append(LegendRecord(str(low) if high == low else f"{low}–{high}", colour))
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


def _area_names(boundaries: basemap.Basemap, rows: list[PlaceRecord]) -> dict[str, str]:
    """The English names of the countries and first-level units of the places, by code."""
    codes = {code for row in rows for code in (row.country, row.admin1) if code}
    names = {code: boundaries.regions[code][0] for code in codes if code in boundaries.regions}
    names.update((code, boundaries.names[code]) for code in codes if code in boundaries.names)
    return dict(sorted(names.items()))


def _bounds(places: list[_PlaceEntry]) -> list[list[float]] | None:
    """The initial view: around the places of the most mentioned country, leaving out countries'
    symbolic points if it can."""
    places = [p for p in places if p.row.feature != "country"] or places
    if not places:
        return None
    weight: Counter[str | None] = Counter()
    for p in places:
        weight[p.row.country] += p.mentions
    top = min(weight, key=lambda c: (-weight[c], c or ""))
    rows = [p.row for p in places if p.row.country == top]
    lats = [row.lat for row in rows]
    lons = [row.lon for row in rows]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


