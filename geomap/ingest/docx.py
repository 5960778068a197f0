"""Word documents (.docx), read through python-docx: the body's paragraphs and tables in order,
headings (styles "Title", "Heading N"), bold, italic and links kept as styles; a table's rows on
lines of their own, its cells separated by tabs. The document's title is its metadata (a sidecar
wins); its dates are not, as they are the template's as often as the report's."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import InputError
from geomap.ingest.document import Document, Writer, normalise_meta

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

HEADING = re.compile(r"heading (\d)", re.IGNORECASE)


def read(raw: bytes, path: Path, encoding: str | None = None) -> Document:
    """The text of a Word document, its styles and its title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(raw))
        out = Writer()
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                _table(block, out)
            else:
                _paragraph(block, out)
        title = document.core_properties.title
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as e:
        raise InputError(f"{path}: not a readable Word document (.docx): {e}") from e
    return out.document(normalise_meta({"title": title}, path))


def _paragraph(paragraph: Paragraph, out: Writer) -> None:
    """Write a paragraph as a block: its runs, bold and italic ones and links styled."""
    out.block()
    start = out.mark()
    for item in paragraph.iter_inner_content():
        at = out.mark()
        if hasattr(item, "address"):  # a hyperlink
            out.write(item.text)
            out.style(at, "link", item.address)
            continue
        out.write(item.text)
        if item.bold:
            out.style(at, "strong")
        if item.italic:
            out.style(at, "em")
    level = _heading_level(paragraph)
    if level:
        out.style(start, f"h{level}")


def _heading_level(paragraph: Paragraph) -> int | None:
    """1 for a title, N for a heading N (up to 6), None for another paragraph."""
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.lower() == "title":
        return 1
    heading = HEADING.match(name)
    return min(int(heading.group(1)), 6) if heading else None


def _table(table: Table, out: Writer) -> None:
    """Write a table as a block: a row a line, cells separated by tabs (a merged cell once)."""
    out.block()
    for row in table.rows:
        out.line()
        seen = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):
                continue
            if seen:
                out.write("\t")
            seen.append(cell._tc)
            out.write(" ".join(cell.text.split()))
