"""geomap's events in ACLED's form: one CSV row per located event, under ACLED's column names, so
that analysts can merge them with ACLED's own data (``geomap export --layer events --format
acled``).

ACLED's event type comes from the ``acled`` entry of each type in ``geomap/data/event_types.yaml``, and
its sub-event type where the event's triggers say it (shelled → Shelling/artillery/missile
attack, drone → Air/drone strike, small arms → Armed clash); what geomap does not know (actors,
fatalities, admin2) is left empty. ``geo_precision`` is ACLED's (1 town, 2 region, 3 country),
``time_precision`` too (1 day, 2 week or reported, 3 month or year).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache

from geomap.gazetteer.morphology import Morphology
from geomap.languages import CYRILLIC, ENGLISH
from geomap.models import Article, Event
from geomap.stages.events import Vocabularies, words
from geomap.taxonomy import EventType, event_types

COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
           "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
           "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
           "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
           "source_scale", "notes", "fatalities", "tags", "timestamp")
TIME_PRECISION = {"day": 1, "week": 2, "reported": 2, "month": 3, "year": 3}
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}


@cache
def _vocabularies() -> Vocabularies:
    """The events stage's vocabularies, whose lemmatisers read the triggers (a language's
    morphology loads on first use)."""
    return Vocabularies({lang: Morphology(lang) for lang in CYRILLIC})


def _lemmas(phrase: str, lang: str) -> frozenset[str]:
    return frozenset(map(_vocabularies()[lang].grammar.lemma, words(phrase)))


@cache
def _sub_event_rules(lang: str) -> dict[str, list[tuple[str, list[frozenset[str]]]]]:
    """type -> [(sub-event type, the lemma sets of its phrases in ``lang``)], in the
    taxonomy's order."""
    return {name: [(sub, [_lemmas(p, lang) for p in phrases.get(lang, ())])
                   for sub, phrases in t.acled_sub_types]
            for name, t in event_types().items()}


def event_type(event: Event) -> str:
    """ACLED's event type for a geomap event type."""
    known = event_types().get(event.type)
    return known.acled_type if known else EventType.acled_type


def sub_event_type(event: Event, lang: str | None = ENGLISH) -> str:
    """ACLED's sub-event type that the event's triggers (in ``lang``, the article's language)
    say, or "" if none does."""
    lang = lang or ENGLISH
    said = [_lemmas(t, lang) for t in event.triggers]
    for sub, phrases in _sub_event_rules(lang).get(event.type, []):
        if any(p <= t for p in phrases for t in said):
            return sub
    return ""


@cache
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """Country names by ISO 3166-1 code and first-level unit names by ISO 3166-2 code."""
    from geomap.geo import (
        boundaries,  # here: only this export needs the boundary tables
    )

    countries = boundaries.countries()
    units = boundaries.admin1().dropna(subset=["iso_3166_2"]).drop_duplicates("iso_3166_2")
    return dict(zip(countries.iso_a2, countries.name)), dict(zip(units.iso_3166_2, units.name))


def _location(article: Article, event: Event) -> tuple[str, str | None]:
    """The name and country of the event's most precise place (the one its point is)."""
    places = [article.mentions[i].place for i in event.mentions if article.mentions[i].place]
    primary = next((p for p in places if (p.lat, p.lon) == (event.lat, event.lon)), places[0])
    return primary.name, primary.country


def row(article: Article, event: Event) -> dict[str, object]:
    """One located event as an ACLED row."""
    countries, units = _names()
    location, country = _location(article, event)
    etype = event_type(event)
    date = event.date or ""
    p = article.passages[[q.id for q in article.passages].index(event.passage)]
    return {
        "event_id_cnty": event.id, "event_date": date, "year": date[:4],
        "time_precision": TIME_PRECISION.get(event.date_precision, ""),
        "disorder_type": DISORDER.get(etype, ""), "event_type": etype,
        "sub_event_type": sub_event_type(event, article.lang), "iso": "", "country": countries.get(country or "", ""),
        "admin1": "; ".join(units.get(a, a) for a in event.admin1), "location": location,
        "latitude": round(event.lat, 4), "longitude": round(event.lon, 4),
        "geo_precision": event.precision, "source": article.source or article.id,
        "notes": article.text[p.start:p.end].strip(),
    }


def csv_text(articles: Iterable[Article]) -> str:
    """The located events of the articles as ACLED CSV (every column of :data:`COLUMNS`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for a in articles:
        for e in a.events:
            if e.mentions and e.lat is not None:
                writer.writerow(row(a, e))
    return out.getvalue()
