"""Names an article gives a place that the offline gazetteer does not know.

A run of capitalised words, placed by its context ("in X", "near X", "village of X",
"X region"), whose last word is rare in English (not "in March", "in Parliament"), that overlaps
no mention and that the gazetteer has no entry for (a name it knows but the recogniser turned
down, as a person's or an organisation's, stays turned down).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from wordfreq import zipf_frequency

from geomap.gazetteer import Gazetteer
from geomap.models import Article, Passage

MAX_WORDS = 4
MAX_ZIPF = 3.0  # the last word of a place name is a rare English word
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_CUE_BEFORE = re.compile(r"\b(?:in|near|outside|around|towards|(?:village|town|city|settlement)"
                         r" of)\s+$")
_CUE_AFTER = re.compile(r"\s+(?:region|oblast|province|district|village|raion)\b")


def _runs(text: str, passage: Passage) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each run of up to :data:`MAX_WORDS` capitalised words."""
    words = [w for w in _WORD.finditer(text, passage.start, passage.end)]
    i = 0
    while i < len(words):
        if not words[i].group()[0].isupper():
            i += 1
            continue
        j = i + 1
        while (j < len(words) and j - i < MAX_WORDS and words[j].group()[0].isupper()
               and text[words[j - 1].end():words[j].start()] == " "):
            j += 1
        end = words[j - 1].end()
        possessive = _POSSESSIVE.search(text, words[i].start(), end)
        yield words[i].start(), possessive.start() if possessive else end
        i = j


def _placed_by_context(text: str, passage: Passage, start: int, end: int) -> bool:
    return bool(_CUE_BEFORE.search(text[passage.start:start])
                or _CUE_AFTER.match(text[end:passage.end]))


def _rare(name: str) -> bool:
    return zipf_frequency(name.split()[-1].lower(), "en") < MAX_ZIPF


def unplaced_names(article: Article, gaz: Gazetteer) -> list[tuple[str, int, int]]:
    """``(passage id, start, end)`` of the place-like names no mention covers."""
    taken = [(m.start, m.end) for m in article.mentions]
    out = []
    for passage in article.passages:
        for start, end in _runs(article.text, passage):
            name = article.text[start:end]
            if (_placed_by_context(article.text, passage, start, end) and _rare(name)
                    and not any(s < end and start < e for s, e in taken)
                    and not gaz.lookup(name)[0]):
                out.append((passage.id, start, end))
    return out
