"""Street names as mentions of the town they lie in: "Richmond Street, London", "a fire on Main
Street" in a story on Paris, Texas; so are townships ("Readington Township", "St. Clair Twp."),
the civil divisions around towns. No gazetteer of streets is installed, so a street takes the
place of a town the article names beside it, once resolved: the town written right after it
("Darby Street, Dublin", "Main Street in Paris"), else the nearest town named before it, else
the first after it; a street in an article that names no town is left out. English only.
"""
from __future__ import annotations

import re
from dataclasses import replace

from geomap.models import Mention, Passage

STREET_HEADS = ("Street", "Road", "Avenue", "Drive", "Boulevard", "Lane", "Parkway", "St.", "Rd.",
                "Ave.", "Blvd.", "Township", "Twp.")
_NAME_WORD = r"[A-Z](?:[\w-]|['’](?!s\b))*\.?"  # not a possessive: Augusta's Highland Avenue
_STREET = re.compile(rf"\b(?:{_NAME_WORD} ){{1,3}}(?:{'|'.join(map(re.escape, STREET_HEADS))})"
                     r"(?![\w'’-]| [A-Z])")  # nor a longer name's part: the Wall Street Journal,
# Fort St. John
_NOT_NAMES = {"The", "A", "An", "On", "In", "At", "Of", "And", "Or", "To", "From", "By", "Off",
              "Near", "Along", "Down", "Up", "Across", "This", "That", "Its", "His", "Her"}
_TOWN_AFTER = re.compile(r"(?:,| in| of) ?$")  # "Darby Street, Dublin", "Main Street in Paris"
_HEADS = re.compile("|".join(map(re.escape, STREET_HEADS)))  # what every street name holds


def _street_runs(text: str, passage: Passage) -> list[tuple[int, int]]:
    """Offsets of the street names of a passage, without a leading article or preposition
    ("On Main Street": Main Street)."""
    if not _HEADS.search(text, passage.start, passage.end):
        return []  # most passages: a scan for the heads alone
    runs = []
    for m in _STREET.finditer(text, passage.start, passage.end):
        words = m[0].split(" ")
        start = m.start()
        while len(words) > 2 and words[0] in _NOT_NAMES:
            start += len(words.pop(0)) + 1
        if words[0] not in _NOT_NAMES:
            runs.append((start, m.end()))
    return runs


def _town_of(start: int, end: int, text: str, towns: list[Mention]) -> Mention | None:
    """The town a street at ``[start, end)`` lies in: the one written right after it, else the
    nearest before it, else the first after it."""
    after = [t for t in towns if t.start >= end]
    if after and _TOWN_AFTER.match(text[end:after[0].start]):
        return after[0]
    before = [t for t in towns if t.end <= start]
    if before:
        return before[-1]
    return after[0] if after else None


def with_streets(text: str, passages: list[Passage], mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with one for each street name of the article that lies in a town it names
    (:func:`_town_of`), at that town's place, in text order; a street whose name holds a
    mention ("Washington" of Washington Avenue) is left to that mention."""
    if not _HEADS.search(text):
        return mentions  # most articles
    towns = [m for m in mentions if m.place is not None and m.place.feature == "city"]
    streets: list[Mention] = []
    for passage in passages:
        for start, end in _street_runs(text, passage):
            if any(m.start < end and start < m.end for m in mentions):
                continue  # a place of the street's name: North Druid Hills Road
            town = _town_of(start, end, text, towns)
            if town is not None:
                streets.append(replace(town, start=start, end=end, text=text[start:end],
                                       passage=passage.id, why=[f"street in {town.text}"]))
    return sorted(mentions + streets, key=lambda m: m.start) if streets else mentions
