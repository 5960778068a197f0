"""Reader pages: one HTML page per article, every passage addressable, every place linked to the map,
and lists of the article's places and events."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from pathlib import Path
from urllib.parse import quote

import orjson
from jinja2 import Environment
from markupsafe import Markup, escape

from geomap.kinds import kind_of, zoom_at_precision
from geomap.kinds import label as kind_label
from geomap.languages import ENGLISH, LANGUAGES
from geomap.models import Article, Event, Mention, Passage, Place, Style
from geomap.taxonomy import FALLBACK, event_types

ARTICLES_DIR = "articles"
MANIFEST = ".pages.json"  # in ARTICLES_DIR: page name -> key of what it was rendered from
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}
_MAX_STEM = 100
_SAFE = re.compile(rf"[a-z0-9_-][a-z0-9._-]{{0,{_MAX_STEM - 1}}}")  # a name page_name keeps

log = logging.getLogger(__name__)


@cache  # a build asks for every article's twice
def page_name(article_id: str) -> str:
    """A file name for the article's page, safe on any file system and unique per id
    (:func:`sanitised_page_name`; an id that is such a name already is tested as one).

    >>> page_name("000_5569f9ce00dd0d52.txt")
    '000_5569f9ce00dd0d52.txt.html'
    >>> page_name("../Київ news.txt")
    '_news.txt_10a33faa6b.html'
    """
    if _SAFE.fullmatch(article_id) and article_id.split(".", 1)[0] not in _WINDOWS_RESERVED:
        return f"{article_id}.html"
    return sanitised_page_name(article_id)


def sanitised_page_name(article_id: str) -> str:
    """:func:`page_name` step by step: the id made safe, and, if that changed it, a digest of
    the id to keep it unique."""
    safe = _UNSAFE.sub("_", article_id.lower()).lstrip(".")[:_MAX_STEM]
    if safe.split(".")[0] in _WINDOWS_RESERVED:
        safe = "_" + safe
    if safe and safe == article_id:
        return f"{safe}.html"
    digest = hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:10]
    return f"{safe}_{digest}.html"


def page_href(article: Article, passage_id: str | None = None) -> str:
    """The link from the map (``index.html``) to an article page, at a passage if given."""
    href = f"{ARTICLES_DIR}/{page_name(article.id)}"
    return f"{href}#{quote(passage_id, safe='')}" if passage_id else href


def map_href(place: Place) -> str:
    """The link from an article page to the map centred on ``place`` (``#lat/lon/zoom``)."""
    return f"../index.html#{place.lat:.4f}/{place.lon:.4f}/{kind_of(place.feature).zoom}"


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, the only kind that becomes a link; else None."""
    return url if url and re.match(r"https?://", url.strip(), re.IGNORECASE) else None


def stage_pages(articles: list[Article], site: Path, staging: Path, salt: str = "",
                made_from: Mapping[str, str] | None = None, kept: Iterable[str] = (),
                reuse: bool = False) -> list[str]:
    """Write into ``staging/articles`` the pages ``site/articles`` is to hold anew (and a copy of
    each PDF article beside its page), and its new manifest; return the names of the pages (and
    PDF copies) it holds that are to go (of articles gone).

    Each page is keyed in ``articles/.pages.json`` by what it is ``made_from`` (article id ->
    its content hash, and the catalog's corrections that touch it; the content hash if not
    given) and ``salt`` (what else the pages depend on: the code, the corrections file). With
    ``reuse``, a page that ``site`` holds under the same key is not written again, nor are those
    of ``kept`` (ids of articles not given, whose pages ``site`` holds under their keys).
    """
    pages = PageStaging(site, staging, salt, reuse)
    pages.keep({i: page_key(salt, made_from[i]) for i in kept})
    pages.add(articles, made_from or {})
    return pages.finish()


class PageStaging:
    """:func:`stage_pages` in steps, for articles given a batch at a time (in any order): each
    batch's pages are written as it is given, so that a build need not hold every article."""

    def __init__(self, site: Path, staging: Path, salt: str = "", reuse: bool = False) -> None:
        self.folder, self.target = Path(staging) / ARTICLES_DIR, Path(site) / ARTICLES_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.salt, self.present = salt, pages_in(self.target)
        self.known = manifest(self.target) if reuse else {}
        self.keys: dict[str, str] = {}  # page name -> key, of every article given or kept

    def keep(self, kept: Mapping[str, str]) -> None:
        """Keep the pages of the ``kept`` articles (id -> :func:`page_key`) as ``site`` holds
        them."""
        self.keys |= {page_name(i): key for i, key in kept.items()}

    def add(self, articles: Iterable[Article], made_from: Mapping[str, str],
            rendered: Mapping[str, str] | None = None) -> None:
        """Write the pages of ``articles`` that ``site`` does not hold under their keys (those
        ``rendered`` already, by article id, as they were)."""
        rendered = rendered or {}
        for article in sorted(articles, key=lambda a: a.id):
            name = page_name(article.id)
            key = self.keys[name] = page_key(self.salt, made_from.get(article.id, article.sha256))
            if self.known.get(name) != key or name not in self.present:
                page = rendered.get(article.id)
                (self.folder / name).write_text(article_page(article) if page is None else page,
                                                encoding="utf-8", newline="\n")
                if article.pages:
                    _attach(article, self.folder / attachment_name(name))

    def finish(self) -> list[str]:
        """Write the manifest; the names of the pages (and PDF copies) of articles gone."""
        (self.folder / MANIFEST).write_bytes(orjson.dumps(self.keys, option=orjson.OPT_SORT_KEYS))
        gone = sorted(self.present - set(self.keys))
        return gone + [a for p in gone if (self.target / (a := attachment_name(p))).exists()]


def _attach(article: Article, copy: Path) -> None:
    """Copy an article's PDF beside its page, which links to its pages."""
    try:
        shutil.copyfile(article.path, copy)
    except OSError as e:
        log.warning("%s: not copied beside its reader page (%s); its page links to it in vain",
                    article.path, e.strerror or e)


def pages_in(folder: Path) -> set[str]:
    """The names of the pages in a folder (none if there is no such folder)."""
    try:
        return {name for name in os.listdir(folder) if name.endswith(".html")}
    except OSError:
        return set()


def page_key(salt: str, made_from: str) -> str:
    """What a page is rendered from: its article's content hash (and corrections, see
    :func:`stage_pages`) and the ``salt`` (hashed once, not with each of thousands of
    articles)."""
    return f"{_digest(salt)}:{made_from}"


@cache
def _digest(salt: str) -> str:
    return hashlib.sha256(salt.encode()).hexdigest()[:32]


def manifest(folder: Path) -> dict[str, str]:
    """Page name -> key of what it was rendered from, as a folder's manifest says; {} if none."""
    try:
        keys = orjson.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def article_page(article: Article) -> str:
    """The reader page of one article as HTML."""
    document = attachment_name(page_name(article.id)) if article.pages else None
    return _PAGE.render(
        title=article.display_title,
        source=article.source,
        published=article.published,
        language=language_shown(article.lang),
        lang=article.lang,
        url=web_url(article.url),
        document=quote(document) if document else None,
        pages=len(article.pages),
        styled=bool(article.styles or article.pages),
        body=marked_text(article),
        places=place_rows(article),
        events=event_rows(article),
    )


def language_shown(code: str | None) -> str | None:
    """The name of an article's language as its reader page says it: none for English, the
    language of the page itself."""
    return LANGUAGES[code].name if code in LANGUAGES and code != ENGLISH else None


def marked_text(article: Article) -> Markup:
    """The article text, each passage in a ``<span class="passage" id=…>`` (starting with a link
    to its page of a PDF), places linked, and what the source styled (headings, emphasis,
    links) set so: passages outermost, styles within them, places innermost (a link the source
    had is left off the places in it)."""
    passages = _passages(article)
    tags = _passage_tags(article, passages)
    mentions = _linkable(article, passages)
    if not article.styles:  # plain text, HTML, PDF: passages and places nest as they are
        return Markup(_flat(article.text, passages, tags, mentions))
    elements = [_Element(p.start, p.end, 0, i, tag, "</span>")
                for i, (p, tag) in enumerate(zip(passages, tags))]
    elements += [_style_element(s, i) for i, s in enumerate(article.styles)]
    elements += [_mention_element(m, i) for i, m in enumerate(mentions)]
    return Markup(_nest(article.text, [e for e in elements if e.start < e.end]))


def _flat(text: str, passages: list[Passage], tags: list[str], mentions: list[Mention]) -> str:
    """Escaped ``text`` with its passages (opened by ``tags``) and its places, each of which
    lies within one passage or one stretch between passages (see :func:`_linkable`)."""
    out: list[str] = []
    places = iter(mentions)
    place = next(places, None)

    def stretch(start: int, end: int) -> None:
        nonlocal place
        while place is not None and place.end <= end:
            out.extend((escape(text[start:place.start]), _place_tag(place),
                        escape(text[place.start:place.end]), "</mark></a>"))
            start, place = place.end, next(places, None)
        out.append(escape(text[start:end]))

    pos = 0
    for passage, tag in zip(passages, tags):
        stretch(pos, passage.start)
        out.append(tag)
        stretch(passage.start, passage.end)
        out.append("</span>")
        pos = passage.end
    stretch(pos, len(text))
    return "".join(out)


@dataclass(slots=True)
class _Element:
    """An element around ``text[start:end]`` of a reader page: ``layer`` 0 a passage, 1 a
    style, 2 a place; ``link``: an ``<a>``, left off the places in it. ``order`` is its place in
    the stack of open elements: outer layers first, then the earlier and longer outside."""

    start: int
    end: int
    layer: int
    seq: int
    open: str
    close: str
    link: bool = False
    order: tuple[int, int, int, int] = ()

    def __post_init__(self) -> None:
        self.order = (self.layer, self.start, -self.end, self.seq)


STYLE_TAGS = {"em": ("<em>", "</em>"), "strong": ("<strong>", "</strong>"),
              "code": ("<code>", "</code>"), "del": ("<del>", "</del>"),
              **{kind: (f'<span class="{kind}">', "</span>")
                 for kind in ("pre", "quote", "h1", "h2", "h3", "h4", "h5", "h6")}}


def _passages(article: Article) -> list[Passage]:
    """The article's passages in text order, but one that overlaps the one before."""
    out: list[Passage] = []
    for passage in sorted(article.passages, key=lambda p: p.start):
        if not out or passage.start >= out[-1].end:
            out.append(passage)
    return out


def _passage_tags(article: Article, passages: list[Passage]) -> list[str]:
    """The opening tag of each passage; in a PDF's, a link to its page (shown at the first
    passage of each page, and at any passage pointed at or hovered)."""
    tags = [f'<span class="passage" id="{escape(p.id)}">' for p in passages]
    if not article.pages:
        return tags
    href = escape(quote(attachment_name(page_name(article.id))))
    out, last = [], None
    for tag, passage in zip(tags, passages):
        page = article.page_of(passage.start)
        kind = "pdf-page" if page == last else "pdf-page new"
        out.append(f'{tag}<a class="{kind}" href="{href}#page={page}" '
                   f'title="page {page} of the PDF">p.&nbsp;{page}</a>')
        last = page
    return out


def _style_element(style: Style, seq: int) -> _Element:
    if style.kind == "link":
        url = web_url(style.href) or _mail_url(style.href)
        if url:
            tag = f'<a class="link" href="{escape(url)}" rel="noopener noreferrer">'
            return _Element(style.start, style.end, 1, seq, tag, "</a>", link=True)
        return _Element(style.start, style.end, 1, seq, '<span class="link">', "</span>")
    tags = STYLE_TAGS.get(style.kind, ("<span>", "</span>"))
    return _Element(style.start, style.end, 1, seq, *tags)


def _mail_url(url: str | None) -> str | None:
    """``url`` if it is a mailto: URL; else None."""
    return url if url and url.strip().lower().startswith("mailto:") else None


def _mention_element(m: Mention, seq: int) -> _Element:
    return _Element(m.start, m.end, 2, seq, _place_tag(m), "</mark></a>")


def _place_tag(m: Mention) -> str:
    """The opening tags of a place's link to the map (closed by ``</mark></a>``)."""
    place = m.place
    assert place is not None
    label = f"{place.name} — {kind_label(place.feature)}"
    return f'<a class="place" href="{escape(map_href(place))}" title="{escape(label)}"><mark>'


def _linkable(article: Article, passages: list[Passage]) -> list[Mention]:
    """The resolved mentions to link: each lying wholly within one passage or one stretch
    between passages, the first by start of those that overlap."""
    starts, ends = [0], []
    for p in passages:
        ends.append(p.start)
        starts.append(p.start)
        ends.append(p.end)
        starts.append(p.end)
    ends.append(len(article.text))
    reached = list(starts)  # per stretch: where its last linked mention ends
    out = []
    for m in sorted((m for m in article.mentions if m.place), key=lambda m: m.start):
        i = bisect_right(starts, m.start) - 1
        if m.start >= reached[i] and m.end <= ends[i]:
            out.append(m)
            reached[i] = m.end
    return out


def _nest(text: str, elements: list[_Element]) -> str:
    """Escaped ``text`` with the ``elements`` around their stretches, properly nested: where one
    ends inside another it is closed and opened again."""
    starting: dict[int, list[_Element]] = {}
    for e in elements:
        starting.setdefault(e.start, []).append(e)
    bounds = sorted({0, len(text), *starting, *(e.end for e in elements)})
    by_order = attrgetter("order")
    active: list[_Element] = []  # the elements around the stretch, outermost first
    stack: list[_Element] = []  # the elements open
    out: list[str] = []
    for at, until in zip(bounds, bounds[1:]):
        active = [e for e in active if e.end > at]  # a new list: the stack may be the last
        if at in starting:
            active += starting[at]
            active.sort(key=by_order)
        wanted = active
        if active and active[-1].layer == 2 and any(e.link for e in active):  # in a place
            wanted = [e for e in active if not e.link]
        keep, depth = 0, min(len(stack), len(wanted))
        while keep < depth and stack[keep] is wanted[keep]:
            keep += 1
        if keep < len(stack):
            out += [e.close for e in reversed(stack[keep:])]
        if keep < len(wanted):
            out += [e.open for e in wanted[keep:]]
        stack = wanted
        out.append(escape(text[at:until]))
    out += [e.close for e in reversed(stack)]
    return "".join(out)


def attachment_name(page: str) -> str:
    """The name of the copy of an article's PDF beside its reader page ``page``."""
    stem = page.removesuffix(".html")
    return stem if stem.endswith(".pdf") else f"{stem}.pdf"


@dataclass
class PlaceRow:
    """One line of an article page's list of places."""

    name: str
    kind: str
    where: str
    href: str
    passages: list[tuple[str, str]]
    count: int


def place_rows(article: Article) -> list[PlaceRow]:
    """The article's distinct places, most mentioned first, with the passages naming them."""
    places: dict[str, Place] = {}
    passages: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for m in article.mentions:
        if m.place is None:
            continue
        key = m.place.key
        places.setdefault(key, m.place)
        counts[key] += 1
        ids = passages.setdefault(key, [])
        if m.passage and m.passage not in ids:
            ids.append(m.passage)
    order = sorted(places, key=lambda k: (-counts[k], places[k].name))
    return [_row(places[k], passages[k], counts[k]) for k in order]


def _row(place: Place, passage_ids: list[str], count: int) -> PlaceRow:
    where = ", ".join(x for x in (place.admin1, place.country) if x)
    return PlaceRow(place.name, kind_label(place.feature), where,
                    map_href(place), [(p, f"#{quote(p, safe='')}") for p in passage_ids], count)


@dataclass
class EventRow:
    """One line of an article page's list of events."""

    label: str
    colour: str
    glyph: str
    date: str | None
    places: str
    href: str | None
    passage: str
    passage_href: str


def event_rows(article: Article) -> list[EventRow]:
    """The article's events in text order, each linked to its passage and to the map."""
    order = {p.id: i for i, p in enumerate(article.passages)}
    return [_event_row(e) for e in sorted(article.events,
                                         key=lambda e: (order.get(e.passage, 0), e.id))]


def _event_row(event: Event) -> EventRow:
    types = event_types()
    shown = types.get(event.type) or types[FALLBACK]
    href = None
    if event.lat is not None and event.lon is not None:
        zoom = zoom_at_precision(event.precision or 1)
        href = f"../index.html#{event.lat:.4f}/{event.lon:.4f}/{zoom}"
    return EventRow(shown.label, shown.colour, shown.glyph, event.date, ", ".join(event.places), href,
                    event.passage, f"#{quote(event.passage, safe='')}")


_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_PAGE = _ENV.from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — geomap</title>
<style>
body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: #222; background: #fafaf7; }
nav, footer { font: 14px/1.4 system-ui, sans-serif; padding: .6em 1.2em; background: #eee; }
main { max-width: 44em; margin: 0 auto; padding: 1em 1.2em 3em; }
h1 { font-size: 1.6em; line-height: 1.25; margin: .4em 0 .2em; }
.meta { font: 14px/1.4 system-ui, sans-serif; color: #555; margin: 0 0 1.5em; }
.text { white-space: pre-wrap; overflow-wrap: break-word; }
.passage { scroll-margin-top: 30vh; border-radius: 3px; }
.passage:target { background: #fff1a8; box-shadow: 0 0 0 3px #fff1a8, 0 0 0 5px #e0b000; }
a.place { color: inherit; text-decoration: none; }
a.place mark { background: #ffe0b2; border-bottom: 2px solid #e65100; padding: 0 1px; }
a.place:hover mark, a.place:focus mark { background: #ffb74d; }
.places { font: 15px/1.5 system-ui, sans-serif; border-top: 1px solid #ccc; margin-top: 2em; }
.places h2 { font-size: 1.1em; }
.places .kind { color: #666; }
.places .refs a, .events .refs a { color: #555; font-size: .9em; }
.events { font: 15px/1.5 system-ui, sans-serif; }
.events h2 { font-size: 1.1em; }
.badge { display: inline-block; min-width: 1.3em; padding: 0 .25em; border-radius: 4px; color: #fff;
  font: bold 12px/1.5 system-ui, sans-serif; text-align: center; }
</style>{% if styled %}
<style>
.text .h1, .text .h2, .text .h3, .text .h4, .text .h5, .text .h6 { font-weight: bold; line-height: 1.3; }
.text .h1 { font-size: 1.4em; } .text .h2 { font-size: 1.25em; } .text .h3 { font-size: 1.1em; }
.text .quote { display: inline-block; border-left: 3px solid #ccc; padding-left: .8em; color: #444; }
.text .pre, .text code { font: .9em/1.4 ui-monospace, monospace; background: #f0efe9; }
.text .pre { display: inline-block; padding: .3em .5em; }
.text a.link { color: #1a4f9c; }
.pdf-page { font: 12px/1 system-ui, sans-serif; color: #777; margin-right: .4em; vertical-align: super; }
.pdf-page { display: none; }
.pdf-page.new, .passage:target .pdf-page, .passage:hover .pdf-page { display: inline; }
</style>{% endif %}
</head>
<body>
<nav><a href="../index.html">← Map</a></nav>
<main>
<article{% if language %} lang="{{ lang }}"{% endif %}>
<h1>{{ title }}</h1>
<p class="meta">
{%- if language %}<span class="language">{{ language }}</span>{% if source or published or url or document %} · {% endif %}{% endif %}
{%- if source %}<span class="source">{{ source }}</span>{% endif %}
{%- if source and published %} · {% endif %}
{%- if published %}<time>{{ published }}</time>{% endif %}
{%- if url %}{% if source or published %} · {% endif %}<a class="original" href="{{ url }}" rel="noopener noreferrer">Original article ↗</a>{% endif -%}
{%- if document %}{% if source or published or url %} · {% endif %}<a class="document" href="{{ document }}">PDF, {{ pages }} page{{ "s" if pages != 1 }} ↗</a>{% endif -%}
</p>
<div class="text">{{ body }}</div>
</article>
{%- if places %}
<section class="places">
<h2>Places in this article</h2>
<ul>
{%- for p in places %}
<li><a href="{{ p.href }}">{{ p.name }}</a> <span class="kind">{{ p.kind }}{% if p.where %}, {{ p.where }}{% endif %}</span> · {{ p.count }} mention{{ "s" if p.count != 1 }}
<span class="refs">{% for pid, href in p.passages %} <a href="{{ href }}">{{ pid }}</a>{% endfor %}</span></li>
{%- endfor %}
</ul>
</section>
{%- endif %}
{%- if events %}
<section class="events">
<h2>Events in this article</h2>
<ul>
{%- for e in events %}
<li><span class="badge" style="background: {{ e.colour }}">{{ e.glyph }}</span> {{ e.label }}
{%- if e.date %} · <time>{{ e.date }}</time>{% endif %}
{%- if e.places %} · {% if e.href %}<a href="{{ e.href }}">{{ e.places }}</a>{% else %}{{ e.places }}{% endif %}{% endif %}
<span class="refs"> <a href="{{ e.passage_href }}">{{ e.passage }}</a></span></li>
{%- endfor %}
</ul>
</section>
{%- endif %}
</main>
<footer>Places: GeoNames (CC BY 4.0) · Boundaries: Natural Earth (public domain) · Region names: countries-states-cities (ODbL) · Made with geomap</footer>
</body>
</html>
""")
