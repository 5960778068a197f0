"""Exports: RFC 7946 GeoJSON of mentions, places and events, and JSON Lines of mentions and events.

GeoJSON is written with longitude-latitude order, no ``crs`` member, and features in a stable
order, so the same articles give byte-identical files.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Iterable

from geomap.models import Article, Event, Mention

COORD_DECIMALS = 5


def mention_records(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """The mention contract of every resolved mention, in article and text order."""
    return [m.record() for a in articles for m in a.mentions if m.place]


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)]}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def mention_feature(article: Article, m: Mention) -> dict[str, Any]:
    """One mention as a GeoJSON feature: the contract fields, passage text and article metadata."""
    props = m.record()
    props["passage_text"] = article.passage_text(m.passage)
    props["corrected"] = m.corrected
    props.update({k: v for k, v in article.metadata().items() if k != "article"})
    return {"type": "Feature", "geometry": _point(m.place.lat, m.place.lon), "properties": props}


def mentions_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection with one point per resolved mention."""
    return _collection([mention_feature(a, m) for a in articles for m in a.mentions if m.place])


def places_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection with one point per distinct place, counting its mentions and articles."""
    groups: dict[str, list[tuple[Article, Mention]]] = defaultdict(list)
    for a in articles:
        for m in a.mentions:
            if m.place:
                groups[m.place.key].append((a, m))
    features = []
    for key in sorted(groups):
        a0, m0 = groups[key][0]
        p = m0.place
        props = {"key": key, "name": p.name, "feature": p.feature, "country": p.country,
                 "admin1": p.admin1, "admin1_all": p.admin1_all, "geonameid": p.geonameid,
                 "mentions": len(groups[key]),
                 "articles": sorted({a.id for a, _ in groups[key]}),
                 "surfaces": sorted({m.text for _, m in groups[key]})}
        features.append({"type": "Feature", "geometry": _point(p.lat, p.lon), "properties": props})
    return _collection(features)


def event_record(article: Article, e: Event) -> dict[str, Any]:
    """One event as a flat dict: its fields, the passage text and the article metadata."""
    props = e.record()
    props["passage_text"] = article.passage_text(e.passage)
    props.update({k: v for k, v in article.metadata().items() if k != "article"})
    return props


def event_records(articles: Iterable[Article]) -> list[dict[str, Any]]:
    """Every event, located or not, in article and text order."""
    return [event_record(a, e) for a in articles for e in a.events]


def events_geojson(articles: Iterable[Article]) -> dict[str, Any]:
    """A FeatureCollection with one point per located event, at its most precise location."""
    return _collection([{"type": "Feature", "geometry": _point(e.lat, e.lon),
                         "properties": event_record(a, e)}
                        for a in articles for e in a.events if e.lat is not None])


def dumps(obj: Any) -> str:
    """Stable, compact-but-readable JSON text for files users diff."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"
