"""Exports: the layers (:data:`LAYER_BUILDERS`: ``mentions``, ``places``, ``events``,
``regions``) as RFC 7946 GeoJSON, and as GeoDataFrames for the other formats, whose writers are
registered in :mod:`geomap.export.formats`.

GeoJSON is written with longitude-latitude order, no ``crs`` member, polygons by the right-hand
rule and features in a stable order, so the same articles give byte-identical files. The other
formats go through a GeoDataFrame (:func:`layer_frame`):

>>> layer_frame(articles, "places")[["name", "mentions"]].head(1)  # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from geomap.errors import InputError
from geomap.layers import event_counts, region_counts
from geomap.models import Article, Event, Mention

COORD_DECIMALS = 5
MAX_LISTED = 10  # article names an error about --article lists

if TYPE_CHECKING:  # geopandas is imported where frames are made: GeoJSON and the CLI need none
    import geopandas as gpd
INTEGER_COLUMNS = ("geonameid", "precision", "start", "end", "source_start", "source_end")


def mention_records(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """The mention contract of every resolved mention, in article and text order."""
    return [a.record(m) for a in articles for m in a.mentions if m.place]


def mention_lines(article: Article, explain: bool = False) -> str:
    """The mention contract of an article's resolved mentions as JSON lines, in text order,
    each ending in a newline (what ``geomap parse --format jsonl`` prints); with ``explain``,
    each with why its place won (``why``)."""
    return "".join(json.dumps(article.record(m) | ({"why": m.why} if explain else {}),
                              ensure_ascii=False) + "\n"
                   for m in article.mentions if m.place)


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)]}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _passages_and_metadata(article: Article) -> tuple[dict[str, str], dict[str, Any]]:
    """An article's passage texts by id, and the metadata its features carry."""
    texts = {p.id: article.text[p.start:p.end] for p in article.passages}
    return texts, {k: v for k, v in article.metadata().items() if k != "article"}


def mention_features(article: Article) -> list[dict[str, Any]]:
    """An article's resolved mentions as GeoJSON features: the contract fields, passage text and
    article metadata."""
    texts, meta = _passages_and_metadata(article)
    features = []
    for m in article.mentions:
        if m.place:
            props = article.record(m) | {"passage_text": texts[m.passage],
                                         "corrected": m.corrected} | meta
            features.append({"type": "Feature", "geometry": _point(m.place.lat, m.place.lon),
                             "properties": props})
    return features


def mentions_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection with one point per resolved mention."""
    return _collection([f for a in articles for f in mention_features(a)])


def places_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection with one point per distinct place, counting its mentions and articles."""
    return orjson.loads(places_text([(a.id, place_summary(a)) for a in articles]))


def place_summary(article: Article) -> list[list[Any]]:
    """What :func:`places_geojson` needs of one article, JSON-ready: for each place it names (in
    the order first named) ``[key, feature of the place as first named (JSON text), mentions,
    spellings]``."""
    places: dict[str, list[Any]] = {}
    for m in article.mentions:
        if m.place:
            key = m.place.key
            entry = places.get(key) or places.setdefault(key, [key, _place_feature(m), 0, []])
            entry[2] += 1
            if m.text not in entry[3]:
                entry[3].append(m.text)
    return list(places.values())


def _place_feature(m: Mention) -> str:
    """The feature of a mention's place, without the counts, as JSON text (properties last)."""
    p = m.place
    assert p is not None
    return orjson.dumps({"type": "Feature", "geometry": _point(p.lat, p.lon), "properties": {
        "key": p.key, "name": p.name, "feature": p.feature, "country": p.country,
        "admin1": p.admin1, "admin1_all": p.admin1_all, "geonameid": p.geonameid,
        "located": p.located}}).decode()


def places_text(summaries: list[tuple[str, list[list[Any]]]]) -> str:
    """:func:`places_geojson` as :func:`dumps` writes it, from each article's id and
    :func:`place_summary`, in article order."""
    places = PlacesAssembly()
    for position, (article_id, summary) in enumerate(summaries):
        places.add(position, article_id, summary)
    return places.text()


@dataclass(slots=True)
class _PlaceTally:
    """A place of the places layer: its feature as the first article (by position) naming it has
    it, its mentions, the articles naming it and their spellings of it (each once)."""

    position: int
    feature: str
    mentions: int
    articles: list[str]
    spellings: set[str]


class PlacesAssembly:
    """:func:`places_geojson` of articles whose :func:`place_summary` are added in any order,
    each at its article's position: the same whatever the order, a place's feature being the
    one of the first article, by position, that names it. The features' texts are extended
    with their counts, not decoded."""

    def __init__(self) -> None:
        self.places: dict[str, _PlaceTally] = {}

    def add(self, position: int, article_id: str, summary: list[list[Any]]) -> None:
        """Add the summary of the article at ``position``."""
        for key, feature, count, spellings in summary:
            entry = self.places.get(key)
            if entry is None:
                self.places[key] = _PlaceTally(position, feature, count, [article_id],
                                               set(spellings))
                continue
            if position < entry.position:
                entry.position, entry.feature = position, feature
            entry.mentions += count
            entry.articles.append(article_id)  # once: a summary names each place once
            entry.spellings.update(spellings)

    def tallies(self) -> dict[str, list[Any]]:
        """What the layer holds of the articles added, JSON-ready: a layer of more articles,
        added after these, starts from it (:meth:`restore`)."""
        return {k: [p.position, p.feature, p.mentions, p.articles, sorted(p.spellings)]
                for k, p in self.places.items()}

    def restore(self, tallies: Mapping[str, list[Any]]) -> None:
        """Take the :meth:`tallies` of the articles before those yet to be added."""
        self.places = {k: _PlaceTally(position, feature, mentions, articles, set(spellings))
                       for k, (position, feature, mentions, articles, spellings)
                       in tallies.items()}

    def text(self) -> str:
        """The FeatureCollection's text."""
        return collection_text(_with_properties(p.feature, {
            "mentions": p.mentions, "articles": sorted(p.articles),
            "surfaces": sorted(p.spellings)})
            for p in (self.places[key] for key in sorted(self.places)))


def _with_properties(feature: str, properties: dict[str, Any]) -> str:
    """A feature's JSON text, its properties last and not empty, with more properties."""
    return f"{feature[:-2]},{orjson.dumps(properties).decode()[1:]}}}"


def article_event_records(article: Article) -> list[tuple[Event, dict[str, Any]]]:
    """An article's events, each with its flat record: its fields, the passage text and the
    article metadata."""
    texts, meta = _passages_and_metadata(article)
    return [(e, e.record() | {"passage_text": texts[e.passage]} | meta) for e in article.events]


def event_records(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """Every event, located or not, in article and text order."""
    return [record for a in articles for _, record in article_event_records(a)]


def events_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection with one point per located event, at its most precise location."""
    return _collection([f for a in articles for f in event_features(a)])


def event_features(article: Article) -> list[dict[str, Any]]:
    """An article's located events as GeoJSON features."""
    return [{"type": "Feature", "geometry": _point(e.lat, e.lon), "properties": record}
            for e, record in article_event_records(article) if e.lat is not None]


def dumps(obj: Any) -> str:
    """Stable, compact-but-readable JSON text for files users diff."""
    return orjson.dumps(obj).decode() + "\n"


def features_text(features: list[dict[str, Any]]) -> str:
    """Features as :func:`dumps` writes them inside a FeatureCollection (comma-separated)."""
    return dumps(features)[1:-2]


def collection_text(parts: Iterable[str]) -> str:
    """:func:`dumps` of the FeatureCollection of the features in ``parts`` (each from
    :func:`features_text`), without decoding them."""
    return "".join(collection_pieces(parts))


def collection_pieces(parts: Iterable[str | bytes]) -> Iterator[str | bytes]:
    """:func:`collection_text` in pieces, to be written one after the other (a part may be UTF-8
    bytes, as :mod:`geomap.build.fragments` reads them back)."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for part in parts:
        if part:
            if not first:
                yield ","
            yield part
            first = False
    yield "]}\n"


def select(articles: Iterable[Article], since: dt.date | None = None,
           names: Iterable[str] = ()) -> list[Article]:
    """The articles published on or after ``since`` (undated ones are left out then) and, if
    ``names`` are given, named by one of them (file name or stem); raises :class:`InputError`
    for a name that matches no article, naming those there are."""
    articles, wanted = list(articles), set(names)
    known = {a.id for a in articles} | {Path(a.id).stem for a in articles}
    if unknown := sorted(wanted - known):
        there = sorted(a.id for a in articles)
        listed = ", ".join(there[:MAX_LISTED]) + (f", … ({len(there)} in all)"
                                                 if len(there) > MAX_LISTED else "")
        raise InputError(f"--article {', '.join(unknown)}: no such article; the articles are "
                         f"{listed or 'none'}")
    return [a for a in articles
            if (since is None or (a.published or "") >= since.isoformat())
            and (not wanted or a.id in wanted or Path(a.id).stem in wanted)]


def regions_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection of the first-level units with mentions or located events, with their
    counts (counted as the map shades them) and right-hand-rule polygons."""
    import shapely

    from geomap.geo import boundaries

    articles = list(articles)
    mentions, events = region_counts(articles), event_counts(articles)
    units = boundaries.admin1()
    units = units[units["iso_3166_2"].isin(list(mentions | events))].sort_values("iso_3166_2")
    return _collection([
        {"type": "Feature",
         "geometry": json.loads(shapely.to_geojson(shapely.orient_polygons(u.geometry))),
         "properties": {"iso_3166_2": u.iso_3166_2, "name": u.name, "country": u.country,
                        "mentions": mentions[u.iso_3166_2], "events": events[u.iso_3166_2]}}
        for u in units.itertuples() if u.geometry is not None])


LAYER_BUILDERS = {"mentions": mentions_geojson, "places": places_geojson,
                  "events": events_geojson, "regions": regions_geojson}
LAYERS = tuple(LAYER_BUILDERS)


def layer_geojson(articles: Iterable[Article], layer: str) -> dict[str, Any]:
    """One layer of :data:`LAYERS` as a FeatureCollection."""
    return LAYER_BUILDERS[layer](articles)


def layer_frame(articles: Iterable[Article], layer: str) -> gpd.GeoDataFrame:
    """One layer as a GeoDataFrame in EPSG:4326 (list fields stay lists)."""
    import geopandas as gpd

    features = layer_geojson(articles, layer)["features"]
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    if frame.empty:
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    for column in INTEGER_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame[[*features[0]["properties"], "geometry"]]
