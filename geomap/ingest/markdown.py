"""Markdown articles, read as CommonMark (markdown-it-py, with tables and strikethrough) after
their optional YAML front matter. The article's text is the rendered text — emphasis, links and
headings stripped to their words, so "**Mykolaiv**" is read as "Mykolaiv" — and what they were is
kept as styles over that text, for the reader page. Raw HTML is not passed through: its tags are
dropped and the text of an HTML block kept.

Where each stretch of the text is written in the file is its source map
(:mod:`geomap.ingest.sourcemap`): the parser gives the lines of each block; in them, each line of
the block's content (without container markers and indentation) is found, and in that, each run
of inline text, the markup between skipped (a link's destination and title as the parser reads
them)."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.ingest.document import Document, Writer, normalise_meta
from geomap.ingest.encoding import decode
from geomap.ingest.sourcemap import Segment, align, shifted, to_file

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

HIDDEN_TAG = re.compile(r"<(script|style)\b[^>]*(?<!/)>", re.IGNORECASE)
HIDDEN_END = re.compile(r"</(script|style)\s*>", re.IGNORECASE)
LINE_END = re.compile(r"\r\n?")  # what the parser reads as \n
INLINE_STYLES = {"strong_open": "strong", "em_open": "em", "s_open": "del", "link_open": "link"}


def read(raw: bytes, path: Path, encoding: str | None = None) -> Document:
    """The rendered text of a Markdown file, its styles, where each stretch of it lies in the
    file's text, and its front matter's metadata."""
    import frontmatter
    import yaml

    text, used = decode(raw, path, encoding)
    source, crlf = _normalised(text)
    try:
        post = frontmatter.loads(source)
    except yaml.YAMLError as e:
        raise InputError(f"{path}: front matter is not valid YAML: {e}") from e
    content = post.content  # after the front matter, stripped: the tail of the source
    document = render(content)
    document.source_map = to_file(document.source_map, source.rfind(content), crlf)
    document.meta, document.encoding = normalise_meta(post.metadata, path), used
    return document


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` as the parser reads it, line ends as ``\\n`` (and NUL as U+FFFD, of the same
    length), and the positions in it of the line ends that were ``\\r\\n``."""
    crlf: list[int] = []
    for match in LINE_END.finditer(text):
        if len(match.group()) == 2:
            crlf.append(match.start() - len(crlf))
    return LINE_END.sub("\n", text).replace("\0", "\ufffd"), crlf


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _Source:
    """The Markdown source as the parser reads it, by lines: where the content of a block (its
    lines without container markers and indentation) lies in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line(self, number: int) -> tuple[int, int]:
        """The start and end (before its line end) of a line, from 0."""
        start = self.starts[number] if number < len(self.starts) else len(self.text)
        return start, self.line_end(start)

    def content(self, first_line: int, content: str, cell_from: int | None = None) -> list[int]:
        """Where each line of a block's ``content``, from ``first_line`` on, starts in the
        source: the tail of its line, or, for a table cell, its text after ``cell_from`` (the end
        of the cells before it)."""
        starts = []
        for number, piece in enumerate(content.split("\n"), first_line):
            start, end = self.line(number)
            if cell_from is not None:
                at = self.text.find(piece, max(start, cell_from), end)
            else:
                at = self.text.rfind(piece, start, end)
            if at < 0:  # tabs of the indentation expanded: the line's text without them
                at = self.text.rfind(piece.lstrip(" \t"), start, end)
            starts.append(at if at >= 0 else start)
        return starts

    def lines_map(self, first_line: int, content: str) -> list[Segment]:
        """The source map of a block's ``content`` copied line by line (code)."""
        segments: list[Segment] = []
        offset = 0
        for piece, start in zip(content.split("\n"), self.content(first_line, content)):
            found, _ = align(piece, self.text, start, self.line_end(start), code=True)
            segments += shifted(found, offset)
            offset += len(piece) + 1
        return segments

    def line_end(self, offset: int) -> int:
        """The end of the line holding ``offset``."""
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end


def render(source: str) -> Document:
    """The plain text of CommonMark ``source`` (line ends as ``\\n``) as a reader sees it
    rendered, with its styles and its source map (into ``source``): blocks separated by blank
    lines, list items on lines of their own (``• ``, ``1. ``), table cells by tabs."""
    out = Writer()
    lines = _Source(source)
    lists: list[bool] = []  # open lists, whether ordered
    opened: list[tuple[str, int, str | None]] = []  # open blocks and inline styles
    first_in_item, cells, cell_from = False, 0, None
    for token in _parser().parse(source):
        kind = token.type
        if kind == "inline":
            starts = lines.content(_first_line(token), token.content, cell_from)
            end = _inline(token.children or [], out, lines, starts)
            cell_from = end if cell_from is not None else None
        elif kind in ("paragraph_open", "heading_open", "blockquote_open", "table_open"):
            if lists and kind == "paragraph_open":
                if not first_in_item:
                    out.line()
                first_in_item = False
            else:
                out.block()
            if kind != "paragraph_open":
                opened.append((_block_style(token), out.mark(), None))
        elif kind in ("heading_close", "blockquote_close", "table_close"):
            style, start, _ = opened.pop()
            if style:
                out.style(start, style)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if lists:
                out.line()
            else:
                out.block()
            lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            out.line()
            out.write("  " * (len(lists) - 1) + (f"{token.info}. " if lists[-1] else "• "))
            first_in_item = True
        elif kind == "tr_open":
            out.line()
            cells, cell_from = 0, lines.line(_first_line(token))[0]
        elif kind == "tr_close":
            cell_from = None
        elif kind in ("th_open", "td_open"):
            if cells:
                out.write("\t")
            cells += 1
        elif kind in ("fence", "code_block"):
            out.block()
            start = out.mark()
            code = token.content.rstrip("\n")
            out.write(code, lines.lines_map(_first_line(token) + (kind == "fence"), code))
            out.style(start, "pre")
        elif kind == "html_block":
            out.block()
            text = _html_text(token.content)
            first = _first_line(token)
            last = first + token.content.rstrip("\n").count("\n")
            start, end = lines.line(first)[0], lines.line(last)[1]
            out.write(text, align(text, source, start, end, tags=True)[0])
    return out.document()


def _first_line(token: Token) -> int:
    """The line (from 0) of the source a block token starts on."""
    return token.map[0] if token.map else 0


def _block_style(token: Token) -> str | None:
    return {"heading_open": token.tag, "blockquote_open": "quote"}.get(token.type)


def _inline(tokens: list[Token], out: Writer, lines: _Source, starts: list[int]) -> int:
    """Write the text of a block's inline tokens, styled, with their source map (``starts``: where
    each line of the block's content starts in the source); raw HTML tags are dropped, and the
    code of scripts and styles. Returns the position in the source after the last."""
    source = lines.text
    opened: list[tuple[str, int, str | None]] = []
    hidden = False  # within a raw <script> or <style>
    pos, end = starts[0], lines.line_end(starts[-1])
    for token in tokens:
        kind = token.type
        if kind == "html_inline":
            hidden = bool(HIDDEN_TAG.match(token.content)) or (
                hidden and not HIDDEN_END.match(token.content))
            at = source.find(token.content, pos, end)
            pos = at + len(token.content) if at >= 0 else pos
        elif kind in ("softbreak", "hardbreak"):
            if not hidden:
                out.line()
            following = bisect_right(starts, pos)
            pos = starts[following] if following < len(starts) else pos
        elif hidden:
            pos = align(token.content, source, pos, end)[1]
        elif kind in ("text", "code_inline", "image"):  # an image: its alt text
            start = out.mark()
            found, pos = align(token.content, source, pos, end, code=kind == "code_inline")
            out.write(token.content, found)
            if kind == "code_inline":
                out.style(start, "code")
            elif kind == "image":
                pos = _after_link(source, pos, end)
        elif kind in INLINE_STYLES:
            href = token.attrs.get("href")
            opened.append((INLINE_STYLES[kind], out.mark(), str(href) if href else None))
        elif kind.endswith("_close") and opened:
            style, start, href = opened.pop()
            out.style(start, style, href)
            if kind == "link_close":
                pos = _after_link(source, pos, end, token.markup == "autolink")
    return pos


def _after_link(source: str, pos: int, end: int, autolink: bool = False) -> int:
    """Where the source goes on after the text of a link or image ending at ``pos``: past its
    ``](destination "title")``, ``][label]``, ``]`` or an autolink's ``>``."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    close = source.find(">" if autolink else "]", pos, end)
    if close < 0:
        return pos
    pos = close + 1
    if autolink or pos >= end or source[pos] not in "([":
        return pos
    if source[pos] == "[":
        label = source.find("]", pos, end)
        return label + 1 if label >= 0 else pos
    at = _spaces(source, pos + 1, end)
    destination = parseLinkDestination(source, at, end)
    if destination.ok:
        at = destination.pos
        spaced = _spaces(source, at, end)
        title = parseLinkTitle(source, spaced, end) if spaced > at else None
        at = _spaces(source, title.pos if title and title.ok else spaced, end)
    return at + 1 if at < end and source[at] == ")" else pos


def _spaces(source: str, pos: int, end: int) -> int:
    """The first position from ``pos`` that is not a space, tab or line end."""
    while pos < end and source[pos] in " \t\n":
        pos += 1
    return pos

def _html_text(html: str) -> str:
    """The text of a block of raw HTML, whitespace collapsed (tags, comments, scripts and styles
    dropped)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for code in root.xpath(".//script | .//style"):
        code.drop_tree()
    return " ".join(root.text_content().split())
