"""The tallies the map's layers and the exports share: mentions and located events per
first-level unit (ISO 3166-2), the counts that shade the map's *Regions* and that the
``regions`` export carries. Both :mod:`geomap.render.map` and :mod:`geomap.export` count here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from geomap.models import Article


def region_counts(articles: Iterable[Article]) -> Counter[str]:
    """Mentions per first-level unit: each counts in every code of ``admin1_all`` (or ``admin1``)."""
    counts: Counter[str] = Counter()
    for article in articles:
        for m in article.mentions:
            if m.place is not None:
                counts.update(set(m.place.admin1_all or ([m.place.admin1] if m.place.admin1 else [])))
    return counts


def event_counts(articles: Iterable[Article]) -> Counter[str]:
    """Located events per first-level unit they are placed in."""
    return Counter(code for a in articles for e in a.events if e.lat is not None
                   for code in set(e.admin1))
