"""Score geomap's events against gold events (``seeds.events.gold.json``).

A gold event is matched by the predicted event of its article whose passage holds the gold
``phrase``. Over the gold events: *recall* (an event was found in that passage), and the share
with the right *type*, the right *location* (the same set of first-level units and, where the
gold gives a point, the event's point within :data:`POINT_KM` of it) and, over those the gold
dates, the right *date*. *Precision* is over the located events (those the map shows): the share
that match a gold event. *Actor errors* count gold ``not_event_locations`` given as a location.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from geomap import corrections
from geomap.build import parse_paths
from geomap.errors import InputError
from geomap.geo.distance import km
from geomap.models import Article, Event

POINT_KM = 25.0


@dataclass
class EventScores:
    """Counts of an evaluation, and the gold events that were missed or got wrong."""

    gold: int = 0
    gold_dated: int = 0
    found: int = 0
    type_ok: int = 0
    location_ok: int = 0
    date_ok: int = 0
    located: int = 0
    located_matched: int = 0
    actor_errors: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """The summary figures, 0..1."""
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0
        return {"recall": ratio(self.found, self.gold),
                "precision": ratio(self.located_matched, self.located),
                "type": ratio(self.type_ok, self.gold),
                "location": ratio(self.location_ok, self.gold),
                "date": ratio(self.date_ok, self.gold_dated),
                "actor_errors": self.actor_errors}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def is_events_gold(path: Path) -> bool:
    """Whether a gold file holds events (one JSON object with an ``events`` list), not mentions."""
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(4096).lstrip()
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith("{") and '"events"' in head and path.suffix == ".json"


def load_gold(path: Path) -> dict:
    """The gold file: ``{"events": [...], "not_event_locations": [...]}``."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read gold events: {e}") from e
    if not isinstance(gold, dict) or not isinstance(gold.get("events"), list):
        raise InputError(f"{path}: gold events must be an object with an 'events' list")
    return gold


def match(article: Article, phrase: str) -> Event | None:
    """The article's event whose passage holds ``phrase``, or None."""
    want = _norm(phrase)
    return next((e for e in article.events if want in _norm(article.passage_text(e.passage))), None)


def _location_ok(e: Event, g: dict) -> bool:
    if sorted(e.admin1) != sorted(g.get("admin1", [])):
        return False
    if "lat" in g and e.lat is not None:
        return km(e.lat, e.lon, g["lat"], g["lon"]) <= POINT_KM
    return "lat" not in g


def _score_gold(s: EventScores, g: dict, e: Event | None) -> None:
    s.gold += 1
    s.gold_dated += "date" in g
    label = f"{g['article']}: {g['phrase']!r}"
    if e is None:
        s.errors.append(f"missed {g['type']} {label}")
        return
    s.found += 1
    checks = {"type": e.type == g["type"], "location": _location_ok(e, g),
              "date": "date" not in g or e.date == g["date"]}
    s.type_ok += checks["type"]
    s.location_ok += checks["location"]
    s.date_ok += "date" in g and checks["date"]
    for what, ok in checks.items():
        if not ok:
            s.errors.append(f"wrong {what} {label}: got {e.type} {e.admin1} {e.date}")


def _names(articles: dict[str, Article], e: Event) -> set[str]:
    """The event's location names, canonical and as written."""
    return set(e.places) | {articles[e.article].mentions[i].text for i in e.mentions}


def score(gold: dict, articles: list[Article]) -> EventScores:
    """Score the articles' events against the gold."""
    s = EventScores()
    by_id = {a.id: a for a in articles}
    matched: set[str] = set()
    for g in gold["events"]:
        article = by_id.get(g["article"])
        e = match(article, g["phrase"]) if article else None
        if e is not None:
            matched.add(e.id)
        _score_gold(s, g, e)
    located = [e for a in articles for e in a.events if e.places]
    s.located, s.located_matched = len(located), sum(e.id in matched for e in located)
    for n in gold.get("not_event_locations", []):
        wrong = [e for e in located if e.article == n["article"] and n["place"] in _names(by_id, e)]
        s.actor_errors += len(wrong)
        s.errors += [f"actor as location: {n['place']} in {e.id}" for e in wrong]
    return s


def evaluate(gold_path: Path, articles_dir: Path) -> EventScores:
    """Parse the articles (with their corrections) and score their events against the gold."""
    gold = load_gold(gold_path)
    names = {g["article"] for g in gold["events"]}
    paths = [articles_dir / n for n in sorted(names)]
    articles, _ = parse_paths(paths)
    corrections.apply(articles_dir, articles)
    return score(gold, articles)


def report(s: EventScores, quiet: bool = False) -> str:
    """The errors (unless ``quiet``) and one summary line of figures."""
    f = s.figures()
    summary = (f"events: recall {f['recall']:.3f}  precision {f['precision']:.3f}  "
               f"type {f['type']:.3f}  location {f['location']:.3f}  date {f['date']:.3f}  "
               f"actor errors {f['actor_errors']}  (gold {s.gold}, located events {s.located})")
    return "\n".join(([] if quiet else s.errors) + [summary])
