"""Split an article into passages: sentences within paragraphs, with code-point offsets."""
from __future__ import annotations

import re

import blingfire

from geomap.models import Passage

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank paragraph, separated by blank lines."""
    spans, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, as offsets into ``text``."""
    chunk = text[start:end]
    _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
    spans = [(start + s, start + e) for s, e in offsets if chunk[s:e].strip()]
    return spans or [(start, end)]


def split(text: str) -> list[Passage]:
    """Every sentence of the text as a passage ``p1``, ``p2``…; offsets cover the text in order."""
    passages = []
    for n, (ps, pe) in enumerate(paragraphs(text), 1):
        for s, e in sentences(text, ps, pe):
            passages.append(Passage(id=f"p{len(passages) + 1}", start=s, end=e, paragraph=n))
    return passages

