"""The data that flows through the pipeline: articles, passages, mentions, places and events.

Every stage takes and returns these plain dataclasses; offsets are Unicode code points into
``Article.text`` so that ``article.text[m.start:m.end] == m.text`` always holds.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal, TypeVar

T = TypeVar("T")


def pickled_by_fields(cls: type[T]) -> type[T]:
    """Pickle a dataclass as its constructor and its field values, not as its ``__dict__``: parse
    results sent back by worker processes pickle and unpickle several times faster."""
    values = attrgetter(*(f.name for f in fields(cls) if not f.metadata.get("transient")))
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


@pickled_by_fields
@dataclass
class Passage:
    """A sentence of an article, addressable by ``id`` (``p<n>``) in the reader page."""

    id: str
    start: int
    end: int
    paragraph: int


@pickled_by_fields
@dataclass
class Place:
    """A gazetteer entry a mention resolves to, joined to its country and first-level region."""

    name: str
    feature: str
    country: str | None
    lat: float
    lon: float
    admin1: str | None = None
    admin1_all: list[str] = field(default_factory=list)
    geonameid: int | None = None
    population: int = 0
    located: str | None = None  # "hromada"/"raion": the point is that unit's main town's

    @property
    def key(self) -> str:
        """A stable identifier for grouping mentions of the same place."""
        if self.geonameid:
            return f"gn:{self.geonameid}"
        key = f"{self.feature}:{self.country}:{self.admin1 or ''}:{self.name}"
        return f"{key}:{self.lat:.4f},{self.lon:.4f}" if self.located else key


@pickled_by_fields
@dataclass
class Mention:
    """A place name found in an article, with its resolution (``place`` is None if unresolved)."""

    article: str
    start: int
    end: int
    text: str
    passage: str
    place: Place | None = None
    confidence: float = 0.0
    why: list[str] = field(default_factory=list)
    corrected: bool = False

    def record(self, source: tuple[int, int] | tuple[None, None] = (None, None)) -> dict[str, Any]:
        """The mention contract (README, "The mention contract") as one flat JSON-ready dict;
        ``source`` is where the mention lies in its file's text (see
        :meth:`Article.source_span`)."""
        p = self.place
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "source_start": source[0],
            "source_end": source[1],
            "text": self.text,
            "name": p.name if p else None,
            "feature": p.feature if p else None,
            "country": p.country if p else None,
            "admin1": p.admin1 if p else None,
            "admin1_all": list(p.admin1_all) if p else [],
            "lat": round(p.lat, 5) if p else None,
            "lon": round(p.lon, 5) if p else None,
            "geonameid": p.geonameid if p else None,
            "located": p.located if p else None,
            "confidence": round(self.confidence, 3),
            "passage": self.passage,
        }


DatePrecision = Literal["day", "week", "month", "year", "reported", "none"]


@pickled_by_fields
@dataclass
class Event:
    """What a passage reports: its type, where (its location mentions) and when.

    ``mentions`` index ``Article.mentions``; ``places``, ``admin1``, ``lat``/``lon`` (of the most
    precise location) and ``precision`` (1 town, 2 region, 3 country, as ACLED's geo-precision)
    derive from them. ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` per ``date_precision``.
    ``id`` (article, passage and detected type) stays the same across rebuilds and corrections.
    """

    id: str
    type: str
    article: str
    passage: str
    mentions: list[int] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    date: str | None = None
    date_precision: DatePrecision = "none"
    confidence: float = 0.0
    triggers: list[str] = field(default_factory=list)
    corrected: bool = False

    def record(self) -> dict[str, Any]:
        """The event as one flat JSON-ready dict (the properties of its GeoJSON feature)."""
        return {
            "id": self.id, "type": self.type, "date": self.date,
            "date_precision": self.date_precision, "precision": self.precision,
            "article": self.article, "passage": self.passage, "places": list(self.places),
            "admin1": list(self.admin1), "confidence": round(self.confidence, 3),
            "triggers": list(self.triggers), "corrected": self.corrected,
        }


STYLES = ("h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "quote", "del",
          "link")


@pickled_by_fields
@dataclass
class Style:
    """How a stretch of an article's text was set in its source (a Markdown or Word heading,
    emphasis, a link to ``href``), for the reader page; ``kind`` is one of :data:`STYLES`."""

    start: int
    end: int
    kind: str
    href: str | None = None


@pickled_by_fields
@dataclass
class Article:
    """One input article: its text as read (the plain text of a Markdown, HTML, PDF or Word
    file), metadata, and what the stages found in it. ``styles`` say how the source set parts of
    the text; ``pages`` hold the offset at which each page of a PDF starts (none for others);
    ``source_map`` where the text lies in the file's text (:mod:`geomap.ingest.sourcemap`: a
    plain-text file's is the whole text, a Markdown file's its words; none for others)."""

    id: str
    path: str
    text: str
    sha256: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str | None = None  # the language it is read in (geomap.languages), detected if not given
    passages: list[Passage] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    source_map: list[list[int]] = field(default_factory=list)
    spans: list = field(default_factory=list, repr=False, compare=False,
                        metadata={"transient": True})  # recognition's, for resolution only

    @property
    def display_title(self) -> str:
        """The title, or the first line of the text when the article has none."""
        if self.title:
            return self.title
        first = self.text.strip().split("\n", 1)[0].strip()
        return first if len(first) <= 90 else first[:87].rstrip() + "…"

    def metadata(self) -> dict[str, Any]:
        """The article metadata carried into exports."""
        return {
            "article": self.id,
            "title": self.display_title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
        }

    def page_of(self, offset: int) -> int:
        """The number (from 1) of the PDF page on which ``offset`` of the text lies; 1 for an
        article of no pages."""
        return max(1, bisect_right(self.pages, offset))

    def source_span(self, start: int, end: int) -> tuple[int, int] | tuple[None, None]:
        """Where ``text[start:end]`` lies in the file's text as decoded (its first and last
        characters read from it; a Markdown name in ``**`` is its letters), or ``(None, None)``
        for an article whose file is not text (HTML, PDF, Word)."""
        from geomap.ingest.sourcemap import source_span

        return source_span(self.source_map, start, end)

    def record(self, mention: Mention) -> dict[str, Any]:
        """The mention contract of one of its mentions, with where it lies in the file."""
        return mention.record(self.source_span(mention.start, mention.end))

    def passage_text(self, passage_id: str) -> str:
        """The text of one passage."""
        for p in self.passages:
            if p.id == passage_id:
                return self.text[p.start:p.end]
        raise KeyError(passage_id)


@dataclass(frozen=True)
class Correction:
    """One correction of what geomap decided, as the catalog keeps it (applied by
    :mod:`geomap.corrections`): which mention or event, what to set, who made it, when and why.
    A place correction with no ``article`` holds for every article, one with no ``passage`` for
    every passage of its article(s)."""

    article: str  # file name; "" for every article
    passage: str  # "p12"; "" for every passage
    mention: str  # the place name as written; "" for an event correction
    event: str  # the type geomap gave the event; "" for a place correction
    field: str  # see geomap.corrections: PLACE_FIELDS, EVENT_FIELDS
    value: str
    note: str = ""
    by: str = ""
    at: str = ""  # when it was recorded, UTC, ISO 8601 (e.g. 2024-05-01T10:22:03Z)
    id: int = 0  # its number in the catalog, in the order corrections were made

    def what(self) -> tuple[str, str, str, str, str, str]:
        """What it corrects and to what, without who, when and why (two equal ones are one)."""
        return (self.article, self.passage, self.mention, self.event, self.field, self.value)


def place_from_dict(d: dict[str, Any] | None) -> Place | None:
    """Rebuild a Place from its ``asdict`` form (as stored in the catalog)."""
    return Place(**d) if d else None


def mention_from_dict(d: dict[str, Any]) -> Mention:
    """Rebuild a Mention from its ``asdict`` form (as stored in the catalog)."""
    d = dict(d)
    d["place"] = place_from_dict(d.get("place"))
    return Mention(**d)


def article_to_dict(a: Article) -> dict[str, Any]:
    """A JSON-ready dict of the whole article, for the catalog."""
    return asdict(a)


def article_from_dict(d: dict[str, Any]) -> Article:
    """Rebuild an Article from :func:`article_to_dict` output."""
    d = dict(d)
    d["passages"] = [Passage(**p) for p in d.get("passages", [])]
    d["mentions"] = [mention_from_dict(m) for m in d.get("mentions", [])]
    d["events"] = [Event(**e) for e in d.get("events", [])]
    d["styles"] = [Style(**s) for s in d.get("styles", [])]
    return Article(**d)
