"""The words of a passage as the events and dates stages read them: runs of letters and digits
(:data:`TOKEN`), hyphenated words split; their offsets, and patterns of whole words."""
from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W_]+")
_NOT_WORD_TO_SPACE = bytes(c if chr(c).isalnum() else 32 for c in range(256))  # bytes.translate


def words(text: str) -> list[str]:
    """The words of ``text``, as :data:`TOKEN` finds them; ASCII text (most of it) is split
    without the regular expression, in a third of the time."""
    if text.isascii():
        return text.encode().translate(_NOT_WORD_TO_SPACE).decode().split()
    return TOKEN.findall(text)


def word_starts(text: str, said: list[str], count: int) -> list[int]:
    """The offsets in ``text`` of the first ``count`` of its words ``said`` (:func:`words`):
    each is the first place it is written after the word before it, as nothing but characters
    that are no word's lies between two words."""
    starts, at = [], 0
    for word in said[:count]:
        at = text.find(word, at)
        starts.append(at)
        at += len(word)
    return starts


def any_word(words: tuple[str, ...]) -> str:
    """A pattern of any of ``words`` as a whole word (between ``\\b``), led by a look-ahead for
    their first letters: ``re`` tries a pattern that begins with ``\\b`` at every position of a
    text, one that begins with a class of letters only where one of them is written."""
    firsts = "".join(sorted({re.escape(word[0]) for word in words}))
    return rf"(?=[{firsts}])\b(?:{'|'.join(map(re.escape, words))})\b"
