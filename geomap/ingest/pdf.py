"""PDF reports, read through pdfminer.six's layout analysis: text boxes in reading order, one
paragraph each; a word hyphenated at a line end joined again ("Myko-" + "laiv"); running headers,
footers and page numbers dropped (the lines at the top or bottom edge of the pages that repeat
on at least half of them, digits aside, and lone page numbers); a paragraph that runs on over a
page break joined. The document's title and creation date are its metadata (a sidecar wins), and
the offset at which each page starts is kept, for the reader page's links to ``file.pdf#page=N``.
A PDF without a text layer (a scan) is refused: it needs OCR first."""
from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import InputError
from geomap.ingest.document import Document, normalise_meta

EDGE_BAND = 0.07  # the top and bottom share of a page where running headers and footers lie
EDGE_DEPTH = 3  # running lines peeled off each edge of a page, at most
PAGE_NUMBER = re.compile(r"^\W*(page|p\.|pp\.|seite|стор\.|страница|сторінка)?\s*\d+"
                         r"(\s*(/|of|из|з)\s*\d+)?\W*$", re.IGNORECASE)
HYPHENS = "-\u2010\u00ad"  # hyphen-minus, hyphen, soft hyphen
SENTENCE_END = tuple(".!?:;\"'”’»)]")
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}


@dataclass
class Line:
    """A line of text on a page: its text and its top and bottom, as a share of the page's
    height from its bottom."""

    text: str
    top: float
    bottom: float


def read(raw: bytes, path: Path, encoding: str | None = None) -> Document:
    """The text of a PDF, its pages' offsets, and its title and date."""
    pages, info = _layout(raw, path)
    if not any(line.text.strip() for page in pages for box in page for line in box):
        raise InputError(f"{path}: no text layer; run OCR first (e.g. ocrmypdf), then read "
                         "its output")
    _drop_running_lines(pages)
    text, starts = _assemble([[_paragraph(box) for box in page if box] for page in pages])
    if len(UNMAPPED_GLYPH.findall(text)) * 8 > len(text):
        raise InputError(f"{path}: its text layer cannot be read (fonts without a Unicode "
                         "map); run OCR first (e.g. ocrmypdf), then read its output")
    return Document(text, normalise_meta(_metadata(info), path), pages=starts)


def _layout(raw: bytes, path: Path) -> tuple[list[list[list[Line]]], dict]:
    """Each page's text boxes, each a list of lines, in reading order; and the document's
    information dictionary."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(raw)))
        resources = PDFResourceManager()
        device = PDFPageAggregator(resources, laparams=LAParams())
        interpreter = PDFPageInterpreter(resources, device)
        pages = []
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            layout = device.get_result()
            height = layout.height or 1
            pages.append([[Line(_line_text(line), line.y1 / height, line.y0 / height)
                           for line in box if isinstance(line, LTTextLine)]
                          for box in layout if isinstance(box, LTTextBox)])
        return pages, _info(document)
    except (PDFEncryptionError, PDFPasswordIncorrect) as e:
        raise InputError(f"{path}: the PDF is encrypted; save a copy without a password") from e
    except InputError:
        raise
    except Exception as e:  # pdfminer raises many kinds of error on a damaged file
        raise InputError(f"{path}: not a readable PDF ({type(e).__name__}: {e})") from e


def _line_text(line) -> str:
    """A line's text, without the invisible spaces a soft hyphen becomes in some PDFs (a space
    glyph the next character overlaps), ligatures (ﬁ, ﬂ…) as their letters."""
    from pdfminer.layout import LTChar

    items = list(line)
    out = []
    for i, item in enumerate(items):
        text = item.get_text()
        if text == "\n":
            continue
        if text == " " and isinstance(item, LTChar) and i + 1 < len(items):
            following = items[i + 1]
            if isinstance(following, LTChar) and following.x0 < item.x0 + item.width / 2:
                continue
        out.append(text)
    return "".join(out).strip().translate(LIGATURES)


def _info(document) -> dict:
    """The document information dictionary (title, dates…), its values resolved."""
    from pdfminer.pdftypes import resolve1

    info = {}
    for entry in document.info:
        for key, value in resolve1(entry).items():
            info[key] = resolve1(value)
    return info


def _metadata(info: dict) -> dict[str, str | None]:
    """geomap's metadata from a PDF's information dictionary: its title and creation date."""
    from pdfminer.utils import decode_text

    title = info.get("Title")
    title = decode_text(title) if isinstance(title, bytes) else title
    created = info.get("CreationDate")
    created = decode_text(created) if isinstance(created, bytes) else created
    date = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", created or "")
    published = "-".join(date.groups()) if date and _valid_date(*date.groups()) else None
    return {"title": " ".join(title.split()) if isinstance(title, str) else None,
            "published": published}


def _valid_date(year: str, month: str, day: str) -> bool:
    import datetime as dt

    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _drop_running_lines(pages: list[list[list[Line]]]) -> None:
    """Remove, from the top and the bottom edge of every page, the running headers and footers
    (a line in the edge band whose text, digits aside, is at the same edge on at least half the
    pages, and two or more) and page numbers, peeling up to :data:`EDGE_DEPTH` lines an edge."""
    needed = max(2, math.ceil(len(pages) / 2))
    for top in (True, False):
        for _ in range(EDGE_DEPTH):
            edges = [_edge_line(page, top) for page in pages]
            seen = Counter(_shape(line.text) for _, line in filter(None, edges))
            dropped = False
            for edge in edges:
                if edge is None:
                    continue
                box, line = edge
                if seen[_shape(line.text)] >= needed or PAGE_NUMBER.match(line.text):
                    box[:] = [other for other in box if other is not line]
                    dropped = True
            if not dropped:
                break


def _edge_line(page: list[list[Line]], top: bool) -> tuple[list[Line], Line] | None:
    """The box and line at the top (or bottom) of a page, if it lies in the edge band."""
    lines = [(box, line) for box in page for line in box]
    if not lines:
        return None
    if top:
        box, line = max(lines, key=lambda bl: bl[1].top)
        return (box, line) if line.bottom >= 1 - EDGE_BAND else None
    box, line = min(lines, key=lambda bl: bl[1].bottom)
    return (box, line) if line.top <= EDGE_BAND else None


def _shape(text: str) -> str:
    """A line's text with its digits and spacing evened out (page 3 of 9 ~ page 4 of 9)."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _paragraph(box: list[Line]) -> str:
    """The lines of a text box as one paragraph, hyphenated words joined."""
    text = ""
    for line in box:
        text = _join(text, line.text) if text else line.text
    return text


def _join(before: str, after: str) -> str:
    """Two pieces of a paragraph cut at a line end: a word broken there joined again (a letter,
    a hyphen, then a lower-case letter: without the hyphen; "pro-" and "Russian": with it), else
    the two with a space."""
    if len(before) > 1 and before[-1] in HYPHENS and before[-2].isalpha() and after[:1].isalpha():
        dropped = after[0].islower() or before[-1] == "\u00ad"
        return before[:-1] + after if dropped else before + after
    return f"{before} {after}" if before and after else before + after


def _assemble(pages: list[list[str]]) -> tuple[str, list[int]]:
    """The text of the pages' paragraphs, separated by blank lines (a paragraph cut by a page
    break joined again), and the offset at which each page starts."""
    done: list[str] = []
    length, starts = 0, []  # length: of the text so far
    for paragraphs in pages:
        paragraphs = [p for p in paragraphs if p]
        if paragraphs and done and _runs_on(done[-1], paragraphs[0]):
            joined = _join(done[-1], paragraphs[0])
            length += len(joined) - len(done[-1])
            done[-1] = joined
            starts.append(length - len(paragraphs[0]))
            paragraphs = paragraphs[1:]
        else:
            starts.append(length + (2 if done and paragraphs else 0))
        for paragraph in paragraphs:
            length += len(paragraph) + (2 if done else 0)
            done.append(paragraph)
    return "\n\n".join(done), starts


def _runs_on(text: str, paragraph: str) -> bool:
    """Whether a page's first paragraph goes on with the last of the page before: that one
    ends without a sentence's end, and this one starts with a lower-case letter."""
    return not text.endswith(SENTENCE_END) and paragraph[:1].islower()
