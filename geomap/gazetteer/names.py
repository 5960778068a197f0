"""Name normalisation shared by the gazetteer index and the recogniser.

Two keys per name: ``exact_key`` folds case, diacritics, apostrophes and dashes (Luhans'k = Luhansk,
Dnipro-Rudne = Dnipro Rudne); ``loose_key`` also folds the transliteration variants the press mixes
(Zaporizhzhya/Zaporizhzhia, Kryvyy/Kryvyi, Shchastia/Schastia, doubled letters), so that a spelling the gazetteer
lacks still finds its place, at a lower score. ``folded_key`` folds further, for Ukraine's places
alone: Russian-form and older spellings of their names (Logvinovo/Lohvynove, Lichanka/Lychanka).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’ʼ`´ʹ‘ьЬъЪ"
_DASHES = "-‐‑‒–—"
_STRIP = str.maketrans({c: None for c in _APOSTROPHES} | {c: " " for c in _DASHES} | {".": None})
Rule = tuple[re.Pattern, str, tuple[str, ...]]  # pattern, replacement, and what a key holds
# (one of them) wherever the pattern can match: a key without it is left alone unsearched
_DOUBLED_LETTERS: Rule = (re.compile(r"(.)(?=\1)"), "", ("",))  # a run kept as its last letter
_LATIN_LETTER = re.compile(r"[a-z]")  # what every other rule below needs (keys are lower case)
_LOOSE: list[Rule] = [
    (re.compile(r"(?<=[a-z])y(?=[aeiou])"), "i", ("y",)),  # ya/yu/ye -> ia/iu/ie
    (re.compile(r"[iy]{2,}"), "i", ("y", "ii")),  # iy, yi, yy
    (re.compile(r"y\b"), "i", ("y",)),  # word-final y
    (re.compile(r"shch"), "sch", ("shch",)),  # Shchastia / Schastia
    _DOUBLED_LETTERS,
    (re.compile(r"kh"), "h", ("kh",)),
    (re.compile(r"aia\b"), "a", ("aia",)),  # Russian -aya / Ukrainian -a: Novaya / Nova
]


def _applied(rules: list[Rule], key: str) -> str:
    """``key`` with each rule's substitution made in turn."""
    for pattern, repl, needles in rules:
        for needle in needles:
            if needle in key:
                key = pattern.sub(repl, key)
                break
    return key


def fold(text: str) -> str:
    """Lower-case, strip diacritics (not Cyrillic letters themselves) and collapse spaces."""
    if text.isascii():  # most names: nothing to decompose or strip
        return " ".join(text.lower().split())
    if _ASCII_OR_CYRILLIC.fullmatch(text):  # the few letters with a mark replaced (й: и)
        low = _MARKED_LETTER.sub(_base_letter, text.lower())
        return " ".join(low.split())
    return " ".join(_without_diacritics(text).lower().split())


def _without_diacritics(text: str) -> str:
    """``text`` decomposed (NFKD), without its combining marks, composed again (NFC)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _base_letter(letter: re.Match) -> str:
    return _BASE_LETTERS[letter[0]]


_ASCII_OR_CYRILLIC = re.compile(r"[\x00-\x7f\u0400-\u04ff]*")
_BASE_LETTERS = {letter: _without_diacritics(letter) for letter in
                 {chr(code).lower() for code in range(0x400, 0x500)}
                 if _without_diacritics(letter) != letter}  # й: и, ї: і, ё: е, a lone mark: ""
_MARKED_LETTER = re.compile(f"[{''.join(sorted(_BASE_LETTERS))}]")
# no letter of the Cyrillic block composes with another once their marks are gone, and none
# changes case by its neighbours: a word folds a letter at a time, as Unicode would


@lru_cache(maxsize=200_000)
def exact_key(name: str) -> str:
    """The lookup key of a name: folded, without apostrophes, soft signs, dots and dashes."""
    return fold(name.translate(_STRIP))


@lru_cache(maxsize=200_000)
def loose_key(name: str) -> str:
    """A looser key that also folds transliteration variants (ia/ya, iy/yi, doubled letters)."""
    key = exact_key(name)
    return _applied(_LOOSE if _LATIN_LETTER.search(key) else [_DOUBLED_LETTERS], key)


_FOLDED: list[Rule] = [
    (re.compile(r"g"), "h", ("g",)),  # Russian г as g, Ukrainian г as h: Logvinovo / Lohvynove
    (re.compile(r"y"), "i", ("y",)),  # и, і, ы alike: Lichanka / Lychanka, Yavkine / Yavkyne
    (re.compile(r"(?<=[^aeiou ])i(?=o)"), "", ("io",)),  # a soft sign before o: Verkhnyotoretske
    (re.compile(r"(?<=[oe])vo\b"), "ve", ("vo",)),  # Russian -ово, -ево / Ukrainian -ове, -еве
    (re.compile(r"skoi?e\b"), "ske", ("sko",)),  # Russian -ское / Ukrainian -ське
    (re.compile(r"[oe]vka\b"), "ivka", ("vka",)),  # Russian -овка, -евка / Ukrainian -івка
]


@lru_cache(maxsize=200_000)
def folded_key(name: str) -> str:
    """The :func:`loose_key` with Russian and Ukrainian transliterations of one Ukrainian name
    folded together (g/h, y/i, -ovo/-ove, -ovka/-ivka, a soft sign before o)."""
    key = loose_key(name)
    if not _LATIN_LETTER.search(key):  # Cyrillic: nothing to fold
        return key
    return _applied(_FOLDED, key)
