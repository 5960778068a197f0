"""Theatres: the areas an article is set in by the words it uses or the language it is written
in (``data/theatres.yaml``), so that a village the article names without its region is looked
for there first."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from geomap.data import THEATRES_FILE


@dataclass(frozen=True)
class Theatre:
    """An area of a conflict: its country and the first-level units (ISO 3166-2) it covers, the
    languages every article written in is set in it, and its front: a line of ``(lat, lon)``
    points along which its fighting is reported."""

    name: str
    country: str
    admin1: frozenset[str]
    languages: frozenset[str] = frozenset()
    front: tuple[tuple[float, float], ...] = ()


class Theatres:
    """The theatres and one pattern that finds any of their cue words in a text."""

    def __init__(self, cues: dict[str, Theatre], by_language: tuple[Theatre, ...] = ()) -> None:
        self._by_cue = cues
        self._by_language = by_language
        every = dict.fromkeys([*cues.values(), *by_language])
        # each theatre's units and front, where it has one
        self.fronts = tuple((t.admin1, t.front) for t in every if t.front)
        words = sorted({*cues, *map(_capitalised, cues)}, key=len, reverse=True)
        # a cue ending a word; whether one begins a word is asked of each match (a pattern that
        # begins with the cues, not with ``\b``, lets ``re`` skip to their first letters)
        self._pattern = re.compile(r"(?:" + "|".join(map(re.escape, words)) + r")\b")
        self._last: tuple[str, str | None, list[Theatre]] | None = None  # the last text's

    def of(self, text: str, lang: str | None = None) -> list[Theatre]:
        """The theatres whose cues ``text`` uses, each once, in the order first used, after
        those every article in ``lang`` is set in. The last text's are kept: recognition and
        resolution both ask of each article."""
        last = self._last
        if last is not None and last[0] == text and last[1] == lang:
            return list(last[2])
        found = (self._by_cue.get(cue) or self._by_cue[_uncapitalised(cue)]
                 for cue in self._cues_in(text))
        theatres = list(dict.fromkeys([*(t for t in self._by_language if lang in t.languages),
                                       *found]))
        self._last = (text, lang, theatres)
        return list(theatres)

    def _cues_in(self, text: str) -> Iterator[str]:
        """The cue words of ``text`` in order, each a whole word: the matches that
        ``\b(?:cue|…)\b`` finds, a match at a position inside a word skipped for the next
        position's."""
        pos = 0
        while m := self._pattern.search(text, pos):
            if _WORD_START.match(text, m.start()):
                yield m.group()
                pos = m.end()
            else:
                pos = m.start() + 1


_WORD_START = re.compile(r"\b")  # where a cue (each begins with a letter) begins a word


def _capitalised(cue: str) -> str:
    return cue[:1].upper() + cue[1:]


def _uncapitalised(cue: str) -> str:
    return cue[:1].lower() + cue[1:]


def load(path: Path = THEATRES_FILE) -> Theatres:
    """The theatres of ``path`` (``data/theatres.yaml`` by default)."""
    with open(path, encoding="utf-8") as f:
        rows = yaml.safe_load(f)["theatres"]
    cues = {}
    for row in rows:
        theatre = Theatre(row["name"], row["country"], frozenset(row["admin1"]),
                          frozenset(row.get("languages") or ()),
                          tuple((float(lat), float(lon)) for lat, lon in row.get("front") or ()))
        cues.update((cue, theatre) for cue in row["cues"])
    return Theatres(cues, tuple({t for t in cues.values() if t.languages}))
