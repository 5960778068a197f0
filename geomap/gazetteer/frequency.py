"""How frequent an English word or phrase is, on wordfreq's Zipf scale, without importing wordfreq
for the words it lists: their frequencies are kept as a trie in the cache folder, which maps in a
millisecond where wordfreq's import and word list take a third of a second, more than parsing an
article. What the table cannot answer exactly (hyphens, apostrophes, digits, other scripts) goes
to wordfreq itself.
"""
from __future__ import annotations

import math
import re

import marisa_trie

from geomap.cache import Artefact

LANGUAGE = "en"
_ASCII_WORD = re.compile(r"[a-z]+")  # wordfreq tokenizes these as they are, lower-cased
_FORMAT = "<d"  # the frequency wordfreq stores, as it stores it
_MINIMUM = 10 ** 0 / 1e9  # wordfreq's floor for zipf_frequency's default minimum of 0


def zipf(text: str, table: marisa_trie.RecordTrie) -> float:
    """``wordfreq.zipf_frequency(text, "en")``, the same float; ``table`` is :func:`table`'s."""
    words = text.lower().split(" ")
    if not all(_ASCII_WORD.fullmatch(w) for w in words):
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


def load_fallback() -> None:
    """Import wordfreq and read its list now, as :func:`zipf` does for the first word its table
    cannot answer (half a second): before worker processes fork, so that they share it."""
    from wordfreq import zipf_frequency

    zipf_frequency("a", LANGUAGE)


def _zipf(freq: float) -> float:
    """wordfreq's Zipf value of a frequency, to the hundredth."""
    return round(math.log(freq, 10) + 9, 2)


def table() -> marisa_trie.RecordTrie:
    """wordfreq's English frequencies of its words of ASCII letters, from the cache folder (built
    there first if missing or damaged: a second, once)."""
    return Artefact(f"wordfreq-{LANGUAGE}", ".marisa", _build_table,
                    dump=marisa_trie.RecordTrie.tobytes,
                    load=lambda path: marisa_trie.RecordTrie(_FORMAT).mmap(str(path)),
                    code=(__name__,), packages=("wordfreq", "marisa-trie")).get()


def _build_table() -> marisa_trie.RecordTrie:
    from wordfreq import get_frequency_dict

    return marisa_trie.RecordTrie(_FORMAT, (
        (word, (freq,)) for word, freq in get_frequency_dict(LANGUAGE, "best").items()
        if _ASCII_WORD.fullmatch(word)))
