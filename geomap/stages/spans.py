"""What recognition hands resolution, whatever the language: :class:`Span`, and the questions
its recognisers ask of a span's candidates."""
from __future__ import annotations

from dataclasses import dataclass, field

from geomap.gazetteer import Entry, Gazetteer

PROMINENT_POPULATION = 100_000
LANDMARK_POPULATION = 10_000  # a Ukrainian town this large tells a story is about Ukraine


@dataclass
class Span:
    """A recognised toponym: its offsets, gazetteer candidates and the cues around it."""

    start: int
    end: int
    text: str
    candidates: list[tuple[int, bool]]
    match: str  # cased | exact | loose | fuzzy
    cues: set[str] = field(default_factory=set)


def entry_is_prominent(e: Entry) -> bool:
    """A country, a region or area, a capital or a town of ``PROMINENT_POPULATION`` or more."""
    return e.feature != "city" or e.capital or e.population >= PROMINENT_POPULATION


def ukrainian_landmark(e: Entry) -> bool:
    """One of Ukraine's regions or areas, or a town of ``LANDMARK_POPULATION`` people or more."""
    return e.country == "UA" and (e.feature != "city" or e.population >= LANDMARK_POPULATION)


def only_codifier_villages(cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    """Whether every candidate is a village known from Ukraine's codifier alone (``located``)."""
    return all(gaz.entry(i).located for i, _ in cands)


def names_country(cands: list[tuple[int, bool]], gaz: Gazetteer) -> bool:
    """Whether a candidate is a country."""
    return any(gaz.entry(i).feature == "country" for i, _ in cands)
