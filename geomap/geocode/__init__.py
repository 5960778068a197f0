"""Online geocoding, only when asked: names the offline gazetteer cannot place, through geopy.

One module per service behind one interface (:class:`~geomap.geocode.base.OnlineGeocoder`), as
geopy does it. Answers are cached on disk (:mod:`geomap.geocode.cache`) so a name is asked once
ever; requests are rate-limited and retried; any failure leaves the offline result as it was, with
a warning. Places found online are added as mentions with ``why: ["online: <service>"]``; they
come after the events stage, so they are mapped and exported but locate no event.
"""
from __future__ import annotations

import logging
from collections import Counter

from geopy.exc import GeopyError

from geomap import gazetteer
from geomap.geocode.base import OnlineGeocoder
from geomap.geocode.nominatim import Nominatim
from geomap.geocode.unplaced import unplaced_names
from geomap.models import Article, Mention

SERVICES: dict[str, type[OnlineGeocoder]] = {"nominatim": Nominatim}
ONLINE_CONFIDENCE = 0.5
MAX_FAILURES = 3  # consecutive failures after which the service is not asked again this run

log = logging.getLogger(__name__)


def geocoder(service: str, user_agent: str, **options) -> OnlineGeocoder:
    """The online geocoder named ``service`` (a key of :data:`SERVICES`)."""
    return SERVICES[service](user_agent=user_agent, **options)


def main_country(article: Article) -> str | None:
    """The country most of the article's placed mentions lie in."""
    counts = Counter(m.place.country for m in article.mentions if m.place and m.place.country)
    return counts.most_common(1)[0][0] if counts else None


def place_unplaced(articles: list[Article], online: OnlineGeocoder) -> int:
    """Add the places ``online`` finds for names the gazetteer could not place; returns how many.

    Stops asking after :data:`MAX_FAILURES` failures in a row; every failure is a warning."""
    gaz, added, failures = gazetteer.load(), 0, 0
    for article in articles:
        country = main_country(article)
        for passage, start, end in unplaced_names(article, gaz):
            if failures >= MAX_FAILURES:
                log.warning("%s: gave up after %d failures; the rest stays unplaced",
                            online.name, failures)
                return added
            name = article.text[start:end]
            try:
                place = online.lookup(name, country)
                failures = 0
            except GeopyError as e:
                failures += 1
                log.warning("%s: %r not geocoded (%s); the offline result stands", online.name,
                            name, e.__class__.__name__)
                continue
            if place is not None:
                article.mentions.append(Mention(article.id, start, end, name, passage, place,
                                                ONLINE_CONFIDENCE, [f"online: {online.name}"]))
                added += 1
        article.mentions.sort(key=lambda m: m.start)
    return added
