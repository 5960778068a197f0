"""Markdown articles, read as CommonMark (markdown-it-py, with tables and strikethrough) after
their optional YAML front matter. The article's text is the rendered text — emphasis, links and
headings stripped to their words, so "**Mykolaiv**" is read as "Mykolaiv" — and what they were is
kept as styles over that text, for the reader page. Raw HTML is not passed through: its tags are
dropped and the text of an HTML block kept."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.ingest.document import Document, Writer, normalise_meta
from geomap.ingest.encoding import decode

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

HIDDEN_TAG = re.compile(r"<(script|style)\b[^>]*(?<!/)>", re.IGNORECASE)
HIDDEN_END = re.compile(r"</(script|style)\s*>", re.IGNORECASE)
INLINE_STYLES = {"strong_open": "strong", "em_open": "em", "s_open": "del", "link_open": "link"}


def read(raw: bytes, path: Path, encoding: str | None = None) -> Document:
    """The rendered text of a Markdown file, its styles and its front matter's metadata."""
    import frontmatter
    import yaml

    text, used = decode(raw, path, encoding)
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as e:
        raise InputError(f"{path}: front matter is not valid YAML: {e}") from e
    document = render(post.content)
    document.meta, document.encoding = normalise_meta(post.metadata, path), used
    return document


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def render(source: str) -> Document:
    """The plain text of CommonMark ``source`` as a reader sees it rendered, with its styles:
    blocks separated by blank lines, list items on lines of their own (``• ``, ``1. ``), table
    cells by tabs."""
    out = Writer()
    lists: list[bool] = []  # open lists, whether ordered
    opened: list[tuple[str, int, str | None]] = []  # open blocks and inline styles
    first_in_item, cells = False, 0
    for token in _parser().parse(source):
        kind = token.type
        if kind == "inline":
            _inline(token.children or [], out)
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
            cells = 0
        elif kind in ("th_open", "td_open"):
            if cells:
                out.write("\t")
            cells += 1
        elif kind in ("fence", "code_block"):
            out.block()
            start = out.mark()
            out.write(token.content.rstrip("\n"))
            out.style(start, "pre")
        elif kind == "html_block":
            out.block()
            out.write(_html_text(token.content))
    return out.document()


def _block_style(token: Token) -> str | None:
    return {"heading_open": token.tag, "blockquote_open": "quote"}.get(token.type)


def _inline(tokens: list[Token], out: Writer) -> None:
    """Write the text of a block's inline tokens, styled; raw HTML tags are dropped, and the
    code of scripts and styles."""
    opened: list[tuple[str, int, str | None]] = []
    hidden = False  # within a raw <script> or <style>
    for token in tokens:
        kind = token.type
        if kind == "html_inline":
            hidden = bool(HIDDEN_TAG.match(token.content)) or (
                hidden and not HIDDEN_END.match(token.content))
        elif hidden:
            continue
        elif kind == "text":
            out.write(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out.line()
        elif kind == "code_inline":
            start = out.mark()
            out.write(token.content)
            out.style(start, "code")
        elif kind == "image":
            out.write(token.content)  # its alt text
        elif kind in INLINE_STYLES:
            href = token.attrs.get("href")
            opened.append((INLINE_STYLES[kind], out.mark(), str(href) if href else None))
        elif kind.endswith("_close") and opened:
            style, start, href = opened.pop()
            out.style(start, style, href)


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
