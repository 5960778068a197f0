"""The nominatives of the gazetteer's Cyrillic name words, read from pymorphy3's dictionary of a
language once, with the index (an :class:`~geomap.cache.Artefact` per language): recognition
looks up an inflected word under its nominative readings ("Нової" -> нова, "Київській" ->
київська), and inflecting a reading costs pymorphy3 a paradigm (60-100 µs). Here every
dictionary word whose key (:func:`~geomap.gazetteer.names.exact_key`, or the loose key) is made of
the words of the gazetteer's Cyrillic keys is a *name form*; the table keeps

- ``lemmas``: the normal form of every name form that is a nominative: a dictionary reading
  whose normal form is not among them has no nominative that is a name's word, so it need not be
  inflected at all;
- ``nominatives``: by the normal form and grammemes but the case of each form of those
  nominatives' paradigms, what pymorphy3's inflection to the nominative gives if it is a name
  form ("" if it is not: київській -> київська, no name's word), where every paradigm of that
  normal form gives the same.

A reading of a word the dictionary does not know (a guess by its ending) has a paradigm of its
own, which no table holds.
"""
from __future__ import annotations

import pickle
import re
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from geomap.cache import Artefact
from geomap.gazetteer import index
from geomap.gazetteer.morphology import CASES, INFLECTED_POS, from_dictionary
from geomap.gazetteer.names import exact_key, loose_key

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pymorphy3 import MorphAnalyzer
    from pymorphy3.analyzer import Parse

NominativeKey = tuple[str, frozenset[str]]  # a reading's normal form, its grammemes but the case


class NameInflections(NamedTuple):
    """What one language's dictionary says of the gazetteer's Cyrillic name words."""

    lemmas: frozenset[str]  # normal forms of the dictionary's nominatives that are name words
    nominatives: dict[NominativeKey, str]  # the nominative inflection gives, "" if no name's


def nominative_key(parse: Parse) -> NominativeKey:
    """What a reading's nominative depends on: its normal form and its grammemes but the case
    (pymorphy3 inflects to the form of the paradigm nearest those grammemes and the nominative)."""
    return parse.normal_form, parse.tag.grammemes - CASES


def inflected(parse: Parse) -> bool:
    """Whether a reading's nominative is found by inflecting it: a word with cases, not a
    singular noun (whose nominative is its normal form), not indeclinable."""
    grammemes = parse.tag.grammemes
    return parse.tag.POS in INFLECTED_POS and "Fixd" not in grammemes \
        and not (parse.tag.POS == "NOUN" and "plur" not in grammemes)


def build(lang: str) -> NameInflections:
    """Read the dictionary of ``lang`` for the gazetteer's Cyrillic name words (seconds)."""
    from pymorphy3 import MorphAnalyzer

    gaz = index.load()
    analyser = MorphAnalyzer(lang=lang)
    keys = _KeyWords(_words(gaz.exact.keys()), _words(gaz.loose.keys()))
    names = set(keys.name_forms(list(_dictionary_words(analyser))))
    lemmas: set[str] = set()
    found: dict[NominativeKey, set[str]] = {}
    paradigms: set[tuple[str, int]] = set()
    for word in names:
        for parse in analyser.parse(word):
            if "nomn" not in parse.tag.grammemes or not from_dictionary(parse):
                continue
            lemmas.add(parse.normal_form)
            paradigm = (parse.normal_form, parse.methods_stack[0][2])
            if parse.tag.POS in INFLECTED_POS and paradigm not in paradigms:
                paradigms.add(paradigm)
                for key, nominative in _nominatives_of(parse.lexeme):
                    found.setdefault(key, set()).add(nominative if nominative in names else "")
    grammemes: dict[frozenset[str], frozenset[str]] = {}  # each set once: a smaller file
    return NameInflections(frozenset(lemmas), {
        (lemma, grammemes.setdefault(rest, rest)): next(iter(values))
        for (lemma, rest), values in found.items() if len(values) == 1})


def _nominatives_of(lexeme: list[Parse]) -> Iterator[tuple[NominativeKey, str]]:
    """The nominative pymorphy3's inflection gives each form of a paradigm that has cases, by
    its :func:`nominative_key`, where a form of the paradigm has exactly the grammemes it seeks
    (the form's, the nominative for its case): inflection prefers the paradigm's first such form
    (``Parse.inflect`` scores each nominative by the grammemes it shares with those sought,
    less a tenth of those either has alone)."""
    first: dict[frozenset[str], str] = {}
    for form in lexeme:
        first.setdefault(form.tag.grammemes, form.word)
    for form in lexeme:
        if inflected(form):
            sought = form.tag.updated_grammemes(frozenset({"nomn"}))
            if sought in first:
                yield nominative_key(form), first[sought]


def _words(keys: list[str]) -> set[str]:
    """The words of the keys written in Cyrillic letters."""
    return {word for key in keys if key and "\u0400" <= key[0] <= "\u04ff" for word in key.split(" ")}


def _dictionary_words(analyser: MorphAnalyzer) -> Iterator[str]:
    """Every word the dictionary holds, once (it lists a word once per reading, in order)."""
    last = None
    for word in analyser.dictionary.words.iterkeys(""):
        if word != last:
            yield word
            last = word


class _KeyWords:
    """Which dictionary words are name forms: every word of its exact key among the exact keys'
    words, or of its loose key among the loose keys'. Six million words are asked, so they are
    folded all at once as bytes of the Windows-1251 code page, a letter at a time (as
    :func:`exact_key` folds Cyrillic: :mod:`geomap.gazetteer.names`); a word with a letter the
    code page lacks, or that folds to no single byte, is asked of the keys themselves."""

    def __init__(self, exact: set[str], loose: set[str]) -> None:
        self.exact, self.loose = exact, loose
        self.exact_bytes = {w.encode(_CODE_PAGE) for w in exact if _encodable(w)}
        self.loose_bytes = {w.encode(_CODE_PAGE) for w in loose if _encodable(w)}

    def name_forms(self, words: list[str]) -> list[str]:
        """The name forms among ``words`` (none holding a line break), in their order."""
        raw = "\n".join(words).encode(_CODE_PAGE, errors="replace")  # "?": no letter of it
        folded = raw.translate(_BYTE_FOLD, _BYTES_DROPPED)
        exact = folded.split(b"\n")
        loose = _DOUBLED_BYTES.sub(b"", folded).split(b"\n")
        return [word for word, e, lo in zip(words, exact, loose)
                if e in self.exact_bytes or lo in self.loose_bytes
                or ((b" " in e or b"?" in e) and self._name_form(word))]

    def _name_form(self, word: str) -> bool:
        return all(w in self.exact for w in exact_key(word).split(" ")) \
            or all(w in self.loose for w in loose_key(word).split(" "))


_CODE_PAGE = "cp1251"
_DOUBLED_BYTES = re.compile(rb"([^\n])(?=\1)")  # names' _DOUBLED_LETTERS, on bytes


def _encodable(word: str) -> bool:
    try:
        word.encode(_CODE_PAGE)
    except UnicodeEncodeError:
        return False
    return True


def _byte_folds() -> tuple[bytes, bytes]:
    """The translation of each byte of the code page to its letter's exact key (a space for a
    dash or a space, "?" for a letter whose key is no single byte; a line break kept) and the
    bytes that key drops (apostrophes, soft signs, dots)."""
    table, dropped = bytearray(range(256)), bytearray()
    for byte in range(256):
        try:
            letter = bytes([byte]).decode(_CODE_PAGE)
        except UnicodeDecodeError:
            table[byte] = ord("?")
            continue
        key, between = exact_key(letter), exact_key(f"a{letter}a")
        if letter == "\n":
            continue
        if between == "a a":
            table[byte] = ord(" ")
        elif between == "aa":
            dropped.append(byte)
        elif len(key) == 1 and _encodable(key):
            table[byte] = key.encode(_CODE_PAGE)[0]
        else:
            table[byte] = ord("?")
    return bytes(table), bytes(dropped)


_BYTE_FOLD, _BYTES_DROPPED = _byte_folds()

ARTEFACTS = {lang: Artefact(
    f"cyrillic-nominatives-{lang}", ".pickle", lambda lang=lang: build(lang),
    dump=lambda table: pickle.dumps(tuple(table), protocol=pickle.HIGHEST_PROTOCOL),
    load=lambda path: NameInflections(*pickle.loads(path.read_bytes())),
    code=(__name__,), data=index.INDEX.data,
    packages=(*index.INDEX.packages, "pymorphy3", f"pymorphy3-dicts-{lang}", "DAWG2"))
    for lang in ("uk", "ru")}


@cache
def load(lang: str) -> NameInflections:
    """The table of ``lang`` (``uk`` or ``ru``), from the cache folder; built first if missing."""
    return ARTEFACTS[lang].get()
