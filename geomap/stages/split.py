"""Split an article into passages: sentences within paragraphs, with code-point offsets."""
from __future__ import annotations

import ctypes
import importlib.util
import itertools
import platform
import re
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.models import Article, Passage

if TYPE_CHECKING:
    from geomap.stages.resources import Resources

_BLINGFIRE_LIBRARY = {"Windows": "blingfiretokdll.dll", "Darwin": "libblingfiretokdll.dylib"}

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
    data = chunk.encode("utf-8")
    spans = [(s, last + 1) for s, last in _sentence_bytes(data)]
    if len(data) != len(chunk):  # not ASCII: byte offsets to code points
        counts = _code_points(data, itertools.chain.from_iterable(spans))
        spans = list(zip(counts, counts))  # each start and end, in pairs
    spans = [(start + s, start + e) for s, e in spans if chunk[s:e].strip()]
    return spans or [(start, end)]


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))  # the bytes of UTF-8 that begin no character


def _code_points(data: bytes, offsets: Iterable[int]) -> Iterator[int]:
    """Byte offsets of UTF-8 ``data`` as the number of characters begun before each (a character
    cut by an offset counts: decoded, it would be one U+FFFD), counted on from the offset before
    where they ascend, as a text's sentences' do, else from the start."""
    at = count = 0
    for offset in offsets:
        if offset < at:
            at = count = 0
        count += len(data[at:offset].translate(None, _CONTINUATION_BYTES))
        at = offset
        yield count


def _sentence_bytes(data: bytes) -> list[tuple[int, int]]:
    """``(start, last)`` byte offsets of the sentences of UTF-8 ``data`` (the first byte of each,
    and a byte of its last character), from blingfire's C function: its Python wrapper maps
    offsets byte by byte in Python, a quarter of the parse time."""
    size = 2 * len(data) + 1
    out, starts, ends = _buffers(size)
    n = _blingfire().TextToSentencesWithOffsets(data, len(data), out, starts, ends, size)
    if n < 0 or n > size:
        return []
    count = ctypes.string_at(out, n).count(b"\n") + 1
    return list(zip(starts[:count], ends[:count]))


_BUFFERS = threading.local()  # blingfire's output buffers, reused: making them anew took three
# quarters of a short text's split


def _buffers(size: int) -> tuple[ctypes.Array, ctypes.Array, ctypes.Array]:
    """This thread's buffers for blingfire's output (its text, the starts and ends of the
    sentences), of ``size`` items at least: grown when a text needs more."""
    held = getattr(_BUFFERS, "held", None)
    if held is None or len(held[0]) < size:
        held = _BUFFERS.held = (ctypes.create_string_buffer(size), (ctypes.c_int32 * size)(),
                                (ctypes.c_int32 * size)())
    return held


@cache
def _blingfire() -> ctypes.CDLL:
    """blingfire's C library, loaded as its Python module loads it but without importing that
    module, which imports numpy (a tenth of a second) for functions geomap does not use."""
    folder = Path(importlib.util.find_spec("blingfire").origin).parent
    return ctypes.CDLL(str(folder / _BLINGFIRE_LIBRARY.get(platform.system(), "libblingfiretokdll.so")))


def split(text: str) -> list[Passage]:
    """Every sentence of the text as a passage ``p1``, ``p2``…; offsets cover the text in order."""
    passages = []
    for n, (ps, pe) in enumerate(paragraphs(text), 1):
        for s, e in sentences(text, ps, pe):
            passages.append(Passage(id=f"p{len(passages) + 1}", start=s, end=e, paragraph=n))
    return passages


def stage(article: Article, res: Resources) -> Article:
    """The splitting stage: the article's passages."""
    article.passages = split(article.text)
    return article
