"""How frequent an English word or phrase is, on wordfreq's Zipf scale, without importing wordfreq
for the words it lists: their frequencies are kept as a trie in the cache folder, which maps in a
millisecond where wordfreq's import and word list take a third of a second, more than parsing an
article. Texts of Latin letters and some punctuation are cut into wordfreq's tokens here
(its rules for those characters, checked against wordfreq by the tests); what the table cannot
answer exactly (digits, other punctuation, marks, a stray apostrophe) goes to wordfreq itself.
"""
from __future__ import annotations

import math
import re
import unicodedata

import marisa_trie

from geomap.cache import Artefact

LANGUAGE = "en"
_ASCII_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")  # most texts: their words are the tokens
_LETTERS = "[a-zß-öø-ɏḁ-ỿ\u0307]"  # Latin letters as case folding leaves them (İ: i, dot)
_TEXT = re.compile(rf"(?:{_LETTERS}|['\u2018\u2019 ./-])+")  # the texts cut into tokens here
_QUOTES = "'\u2018\u2019"  # not part of a token at its ends
_UNCURLED = str.maketrans("\u2018\u2019", "''")  # as wordfreq straightens them, once cut
_BREAKS = re.compile(rf"[ /-]+|\.(?!{_LETTERS})|(?<!{_LETTERS})\.")  # a period between two
# letters is inside a token ("d.c"), any other ends it
_TOKEN = re.compile(rf"{_LETTERS}+(?:['.]{_LETTERS}+)*")  # kept whole: "o'brien", "f.b.i"
_ELISION = re.compile(  # a token of its own: "l'", "d'", "qu'" before a vowel or h, as wordfreq's
    rf"({_LETTERS}{_LETTERS}?)'(?=[aehiouyáéíóúàèìòùâêîôûåïöœ])")
_FORMAT = "<d"  # the frequency wordfreq stores, as it stores it
_MINIMUM = 10 ** 0 / 1e9  # wordfreq's floor for zipf_frequency's default minimum of 0


def zipf(text: str, table: marisa_trie.RecordTrie) -> float:
    """``wordfreq.zipf_frequency(text, "en")``, the same float; ``table`` is :func:`table`'s."""
    words = _tokens(text)
    if words is None:
        from wordfreq import zipf_frequency

        return zipf_frequency(text, LANGUAGE)
    one_over = 0.0
    for word in words:  # wordfreq's formula: 1 / f = 1 / f1 + 1 / f2 + ...
        found = table.get(word)
        if not found:
            return _zipf(_MINIMUM)
        one_over += 1.0 / found[0][0]
    freq = max(1.0 / one_over, _MINIMUM)
    return _zipf(round(freq, math.floor(-math.log(freq, 10)) + 3))  # to 3 significant digits


def _tokens(text: str) -> list[str] | None:
    """wordfreq's English tokens of a text, or None if it is not one this module cuts as wordfreq
    does: in NFC and case-folded (Straße: strasse), Latin letters, spaces, hyphens, slashes,
    periods and apostrophes. Tokens end at spaces, hyphens, slashes and periods not between two
    letters ("D.C.": d.c) and lose the quotes at their ends; one or two letters and a straight
    apostrophe before a vowel or h are a token of their own ("d'Or": d, or; "O'Brien" and
    "d’Or" are one); curly apostrophes are straightened once the text is cut ("I’ll": i'll)."""
    if _ASCII_WORDS.fullmatch(text):
        return text.lower().split(" ")
    folded = (text if text.isascii() else unicodedata.normalize("NFC", text)).casefold()
    if not _TEXT.fullmatch(folded):
        return None
    tokens = []
    for chunk in _BREAKS.split(folded):
        chunk = chunk.strip(_QUOTES)
        while elided := _ELISION.match(chunk):
            tokens.append(elided[1])
            chunk = chunk[elided.end():]
        if chunk:
            tokens.append(chunk.translate(_UNCURLED))
    if not tokens or not all(_TOKEN.fullmatch(t) for t in tokens):
        return None  # two apostrophes together, an apostrophe next to a period
    return tokens


def load_fallback() -> None:
    """Import wordfreq and read its list now, as :func:`zipf` does for the first word its table
    cannot answer (half a second): before worker processes fork, so that they share it."""
    from wordfreq import zipf_frequency

    zipf_frequency("a", LANGUAGE)


def _zipf(freq: float) -> float:
    """wordfreq's Zipf value of a frequency, to the hundredth."""
    return round(math.log(freq, 10) + 9, 2)


def table() -> marisa_trie.RecordTrie:
    """wordfreq's English frequencies of its words of Latin letters (and apostrophes inside
    them), from the cache folder (built there first if missing or damaged: a second, once)."""
    return Artefact(f"wordfreq-{LANGUAGE}", ".marisa", _build_table,
                    dump=marisa_trie.RecordTrie.tobytes,
                    load=lambda path: marisa_trie.RecordTrie(_FORMAT).mmap(str(path)),
                    code=(__name__,), packages=("wordfreq", "marisa-trie")).get()


def _build_table() -> marisa_trie.RecordTrie:
    from wordfreq import get_frequency_dict

    return marisa_trie.RecordTrie(_FORMAT, (
        (word, (freq,)) for word, freq in get_frequency_dict(LANGUAGE, "best").items()
        if _TOKEN.fullmatch(word)))
