"""Where the text geomap read lies in the file it was read from: a *source map*, a list of
segments ``[text_start, text_length, source_start, source_length]`` in text order. A segment of
equal lengths maps its characters one to one (a run of words copied from the source); another maps
its text as a whole to its stretch of the source (``&amp;`` read as ``&``, ``\\*`` as ``*``); text
no segment covers (a list's bullet, the line between two blocks) was written by the reader.

Offsets are code points: into the article's text, and into the file's text as decoded (a
Markdown file's, front matter included). :func:`align` finds the segments of a run of rendered
text in its source; :func:`source_span` maps a stretch of text back.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

Segment = list[int]  # [text_start, text_length, source_start, source_length]

ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # CommonMark's backslash escapes
HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
RUN_END = re.compile(r"[&\\\n]")  # where a run copied from the source may end
MAX_GAP = 256  # characters of markup between two characters of text, at most (tags aside)
MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)  # what an HTML source hides


def identity(length: int) -> list[Segment]:
    """The map of a text that is its source, character for character."""
    return [[0, length, 0, length]] if length else []


def shifted(segments: Sequence[Segment], text_offset: int) -> list[Segment]:
    """``segments`` of a piece of text written at ``text_offset``."""
    return [[t + text_offset, n, s, m] for t, n, s, m in segments]


def align(text: str, source: str, pos: int, end: int, tags: bool = False,
          code: bool = False) -> tuple[list[Segment], int]:
    """The segments of ``text`` (rendered from ``source[pos:end]``, in order, with markup
    dropped) and the position in ``source`` after it. Each character is found at or after the
    last one's end: as itself (any white space as a space: a code span's line end, white space
    collapsed), as a backslash escape or an HTML entity that reads as it; the markup between is
    skipped (with ``tags``, also HTML tags, comments, scripts and styles). In ``code``, escapes
    and entities are what they are written as. A character not found maps to nothing."""
    segments: list[Segment] = []
    i = 0
    while i < len(text):
        found = _find(text[i], source, pos, end, tags, code)
        if found is None:
            i += 1
            continue
        start, pos = found
        length = _same_run(text, i, source, start, end) if pos - start == 1 else 0
        if length:  # a run copied from the source
            pos = start + length
            _add(segments, [i, length, start, length], text, source)
            i += length
        else:  # an entity, an escape, a space read from other white space
            segments.append([i, 1, start, pos - start])
            i += 1
    return segments, pos


def _same_run(text: str, i: int, source: str, start: int, end: int) -> int:
    """How many characters of ``text`` from ``i`` are those of ``source`` from ``start``, up to
    a line end or what may be an entity or escape (0 if the first is not: a space read from
    other white space)."""
    limit = min(len(text) - i, end - start)
    stop = RUN_END.search(source, start + 1, start + limit)
    limit = limit if stop is None else stop.start() - start
    low, high = 0, limit  # the longest common run, by halves: slices compare in C
    while low < high:
        middle = (low + high + 1) // 2
        if text[i:i + middle] == source[start:start + middle]:
            low = middle
        else:
            high = middle - 1
    return low if source[start] != "\n" else 0


def _add(segments: list[Segment], segment: Segment, text: str, source: str) -> None:
    """Append a run copied from the source, joined to the last segment where that is a copied
    run too (not a space read from a tab or a line end) and both run on."""
    last = segments[-1] if segments else None
    t, n, s, _ = segment
    if last and last[1] == last[3] and last[0] + last[1] == t and last[2] + last[3] == s \
            and text[t - 1] == source[s - 1]:
        last[1] += n
        last[3] += n
    else:
        segments.append(segment)


def _find(char: str, source: str, pos: int, end: int, tags: bool,
          code: bool) -> tuple[int, int] | None:
    """Where ``char`` is read from in ``source[pos:end]``: the first place that reads as it,
    past at most :data:`MAX_GAP` characters of markup (so that one not found takes no more)."""
    stop = min(end, pos + MAX_GAP)
    while pos < stop:
        here = source[pos]
        if here == "&" and not code:
            entity = ENTITY.match(source, pos, end)
            if entity and html.unescape(entity.group()) == char:
                return pos, entity.end()
        if here == "\\" and not code and char in ESCAPABLE and source.startswith(char, pos + 1):
            return pos, pos + 2
        if here == char or (char == " " and here.isspace()):
            return pos, pos + 1
        if tags and here == "<":
            skip = HIDDEN.match(source, pos, end) or MARKUP.match(source, pos, end)
            if skip:
                stop = min(end, stop + skip.end() - pos)
                pos = skip.end()
                continue
        pos += 1
    return None


def source_span(segments: Sequence[Segment], start: int,
                end: int) -> tuple[int, int] | tuple[None, None]:
    """The stretch of the source that ``text[start:end]`` was read from (from the source of its
    first character the source holds to that of its last), or ``(None, None)`` if it holds none."""
    i = bisect_right(segments, start, key=_text_start) - 1
    if i < 0 or segments[i][0] + segments[i][1] <= start:
        i += 1  # start lies before segment i: its first character the source holds
    j = bisect_left(segments, end, key=_text_start) - 1  # the last segment starting before end
    if i >= len(segments) or j < i:
        return None, None
    t, n, s, m = segments[i]
    first = s + max(start - t, 0) if n == m else s
    t, n, s, m = segments[j]
    last = s + min(end, t + n) - t if n == m else s + m
    return first, last


def _text_start(segment: Segment) -> int:
    return segment[0]


def to_file(segments: list[Segment], base: int, crlf: Sequence[int]) -> list[Segment]:
    """Segments into a stretch of a normalised text (line ends as ``\\n``) from its offset
    ``base`` on, made segments into the file's text it came from, whose line ends at the sorted
    positions ``crlf`` of the normalised text were ``\\r\\n`` (no segment of equal lengths
    runs across a line end)."""
    def at(offset: int) -> int:
        return base + offset + bisect_left(crlf, base + offset)

    return [[t, n, at(s), at(s + m) - at(s)] for t, n, s, m in segments]
