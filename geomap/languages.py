"""The languages geomap reads, in one registry (:data:`LANGUAGES`), and how an article's language
is told: a text written mostly in Cyrillic letters is Ukrainian or Russian, as simplemma's
language detector (over its own word lists, already installed for the events' lemmas) tells them
apart; any other text is read as English. Add a language here, then its recogniser
(:mod:`geomap.stages.recognise`), its event triggers (``data/event_types.yaml``) and dates."""
from __future__ import annotations

import re
from dataclasses import dataclass

ENGLISH = "en"


@dataclass(frozen=True)
class Language:
    """A language geomap reads: its ISO 639-1 code, English name and script."""

    code: str
    name: str
    script: str  # "Latin" or "Cyrillic": which recogniser reads it


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language(ENGLISH, "English", "Latin"),
    Language("uk", "Ukrainian", "Cyrillic"),
    Language("ru", "Russian", "Cyrillic"),
)}
CYRILLIC = tuple(code for code, lang in LANGUAGES.items() if lang.script == "Cyrillic")
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u04FF]+")  # what a count of Cyrillic letters removes
_NOT_LATIN = re.compile(r"[^A-Za-z\u00C0-\u024F]+")
_UKRAINIAN_LETTER = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_LETTER = re.compile(r"[ыэъёЫЭЪЁ]")
SAMPLE = 4000  # characters read to tell the language: the start of a long article says it


def detect(text: str) -> str:
    """The code of the language geomap reads ``text`` in: for a text written mostly in
    Cyrillic letters, ``uk`` if it has letters only Ukrainian writes (і, ї, є, ґ) and none only
    Russian writes (ы, э, ъ, ё), ``ru`` the other way round, else whichever of the two
    simplemma finds more of its words of (``ru`` on a tie: Ukrainian seldom goes a sentence
    without an і); ``en`` for any other text."""
    sample = text[:SAMPLE]
    cyrillic = _letters(_NOT_CYRILLIC, sample)
    if not cyrillic or cyrillic <= _letters(_NOT_LATIN, sample):
        return ENGLISH
    ukrainian, russian = bool(_UKRAINIAN_LETTER.search(sample)), bool(_RUSSIAN_LETTER.search(sample))
    if ukrainian != russian:
        return "uk" if ukrainian else "ru"
    from geomap.lemmas import proportions  # here: an English text loads no other language

    found = proportions(sample, ("uk", "ru"))
    return "uk" if found.get("uk", 0.0) > found.get("ru", 0.0) else "ru"


def _letters(others: re.Pattern, text: str) -> int:
    """How many letters of a script ``text`` has: its length without the runs of ``others``
    (no list of the letters made, as counting their matches would)."""
    return len(others.sub("", text))


def checked(code: str) -> str:
    """``code`` if geomap reads that language; else a ValueError naming those it reads."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; geomap reads {', '.join(LANGUAGES)}")
    return code
