"""What every reader makes of a file (:class:`Document`), and the text it builds one from."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.ingest.sourcemap import Segment, shifted
from geomap.models import Style

META_FIELDS = ("title", "source", "url", "published", "lang")  # lang: as geomap.languages codes it
WEB_LINK = re.compile(r"(https?|mailto):", re.IGNORECASE)  # the links a reader page may follow


@dataclass
class Document:
    """A file as read: its plain text, metadata found in it, how parts of the text were set
    (``styles``), where each page starts (PDF), where the text lies in the file's text
    (``source_map``, see :mod:`~geomap.ingest.sourcemap`; none when the file is no text, or
    its reader does not say) and the legacy encoding it was decoded from."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    styles: list[Style] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    encoding: str | None = None
    source_map: list[Segment] = field(default_factory=list)


class Writer:
    """Builds a document's text piece by piece, with its styles: blocks are separated by a blank
    line (a paragraph break for the splitter), lines of one block by a line break."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.styles: list[Style] = []
        self.source_map: list[Segment] = []
        self._break = ""

    def write(self, text: str, source: list[Segment] | None = None) -> None:
        """Append ``text`` (after the pending break, if any text came before); ``source`` is
        where it was read from (segments of ``text``)."""
        if not text:
            return
        if self._break and self.length:
            self.parts.append(self._break)
            self.length += len(self._break)
        self._break = ""
        if source:
            self.source_map += shifted(source, self.length)
        self.parts.append(text)
        self.length += len(text)

    def block(self) -> None:
        """Start a new block (paragraph, heading, table…) with the next text written."""
        self._break = "\n\n"

    def line(self) -> None:
        """Start a new line of the same block, unless a new block is pending."""
        self._break = self._break or "\n"

    def mark(self) -> int:
        """The offset at which the next text written will start."""
        return self.length + (len(self._break) if self._break and self.length else 0)

    def style(self, start: int, kind: str, href: str | None = None) -> None:
        """Set the text written since ``start`` (a :meth:`mark`) as ``kind``; a link is kept
        only to a web or mail address."""
        if kind == "link" and not (href and WEB_LINK.match(href.strip())):
            return
        if self.length > start:
            self.styles.append(Style(start, self.length, kind, href if kind == "link" else None))

    def document(self, meta: dict[str, str] | None = None) -> Document:
        """The document written, with ``meta``."""
        return Document("".join(self.parts), meta or {}, sorted(self.styles, key=_nesting),
                        source_map=self.source_map)


def _nesting(style: Style) -> tuple[int, int]:
    return style.start, -style.end


def normalise_meta(meta: dict, path: Path) -> dict[str, str]:
    """The metadata fields geomap knows, as text (dates as ``YYYY-MM-DD``); raises
    :class:`InputError` for a field that is not text."""
    out = {}
    for key in META_FIELDS:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()[:10] if key == "published" else value.isoformat()
        if not isinstance(value, (str, int, float)):
            raise InputError(f"{path}: metadata field {key!r} must be text")
        out[key] = str(value)
    return out
