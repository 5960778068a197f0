"""Reader pages: one HTML page per article, every passage addressable, every place linked to the map,
and lists of the article's places and events."""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

import orjson
from jinja2 import Environment
from markupsafe import Markup, escape

from geomap.models import Article, Event, Mention, Place

ARTICLES_DIR = "articles"
MANIFEST = ".pages.json"  # in ARTICLES_DIR: page name -> key of what it was rendered from
# The map's zoom around a place: a town among its surroundings, a region or a country whole.
ZOOM = {"country": 5, "admin1": 7, "region": 7, "admin2": 8, "city": 9, "other": 9}
FEATURE_LABELS = {
    "country": "country", "admin1": "first-level region", "admin2": "district",
    "region": "area", "city": "town", "other": "place",
}
# Event type -> (label, colour, glyph): the map's icons and the reader page's badges.
EVENT_STYLES = {
    "battle": ("Battle", "#c62828", "B"),
    "shelling": ("Shelling, strikes", "#ef6c00", "S"),
    "violence_against_civilians": ("Violence against civilians", "#6a1b9a", "V"),
    "territorial_change": ("Territorial change", "#2e7d32", "T"),
    "referendum": ("Referendum", "#1565c0", "R"),
    "diplomacy": ("Diplomacy", "#00838f", "D"),
    "aid": ("Aid", "#ad1457", "A"),
    "protest": ("Protest", "#f9a825", "P"),
    "other": ("Other", "#546e7a", "O"),
}
EVENT_ZOOM = {1: 9, 2: 7, 3: 5}  # by the event's geo-precision (town, region, country)
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}
_MAX_STEM = 100


@cache  # a build asks for every article's twice
def page_name(article_id: str) -> str:
    """A file name for the article's page, safe on any file system and unique per id.

    >>> page_name("000_5569f9ce00dd0d52.txt")
    '000_5569f9ce00dd0d52.txt.html'
    >>> page_name("../Київ news.txt")
    '_news.txt_10a33faa6b.html'
    """
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
    return f"../index.html#{place.lat:.4f}/{place.lon:.4f}/{ZOOM.get(place.feature, 9)}"


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, the only kind that becomes a link; else None."""
    return url if url and re.match(r"https?://", url.strip(), re.IGNORECASE) else None


def write_article_pages(articles: list[Article], out_dir: Path) -> list[str]:
    """Write ``out_dir/articles/<page>`` for each article; remove pages of articles now gone.
    Returns the page names."""
    folder = Path(out_dir) / ARTICLES_DIR
    for name in stage_pages(articles, out_dir, out_dir):
        (folder / name).unlink()
    return sorted(page_name(a.id) for a in articles)


def stage_pages(articles: list[Article], site: Path, staging: Path, salt: str = "",
                kept: Mapping[str, str] | None = None, reuse: bool = False) -> list[str]:
    """Write into ``staging/articles`` the pages ``site/articles`` is to hold anew, and its new
    manifest; return the names of the pages it holds that are to go (of articles gone).

    Each page is keyed by its article's content hash and ``salt`` (what else the pages depend on:
    the code, the corrections) in ``articles/.pages.json``. With ``reuse``, a page that ``site``
    holds under the same key is not written again, nor are those of ``kept`` (article id ->
    content hash: articles not given, whose pages ``site`` holds under those keys).
    """
    folder, target = Path(staging) / ARTICLES_DIR, Path(site) / ARTICLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    present = pages_in(target)
    known = manifest(target) if reuse else {}
    keys = {page_name(i): page_key(salt, sha256) for i, sha256 in (kept or {}).items()}
    for article in sorted(articles, key=lambda a: a.id):
        name = page_name(article.id)
        keys[name] = page_key(salt, article.sha256)
        if known.get(name) != keys[name] or name not in present:
            (folder / name).write_text(article_page(article), encoding="utf-8", newline="\n")
    (folder / MANIFEST).write_bytes(orjson.dumps(keys, option=orjson.OPT_SORT_KEYS))
    return sorted(present - set(keys))


def pages_in(folder: Path) -> set[str]:
    """The names of the pages in a folder (none if there is no such folder)."""
    try:
        return {name for name in os.listdir(folder) if name.endswith(".html")}
    except OSError:
        return set()


def page_key(salt: str, sha256: str) -> str:
    """What a page is rendered from: its article's content hash and the ``salt`` (hashed once,
    not with each of thousands of articles)."""
    return f"{_digest(salt)}:{sha256}"


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
    return _PAGE.render(
        title=article.display_title,
        source=article.source,
        published=article.published,
        url=web_url(article.url),
        body=marked_text(article),
        places=place_rows(article),
        events=event_rows(article),
    )


def marked_text(article: Article) -> Markup:
    """The article text, each passage in a ``<span class="passage" id=…>``, places linked."""
    resolved = sorted((m for m in article.mentions if m.place), key=lambda m: m.start)
    out: list[str] = []
    pos = 0
    for passage in sorted(article.passages, key=lambda p: p.start):
        if passage.start < pos:
            continue
        out.append(_linked(article.text, pos, passage.start, resolved))
        out.append(f'<span class="passage" id="{escape(passage.id)}">'
                   f"{_linked(article.text, passage.start, passage.end, resolved)}</span>")
        pos = passage.end
    out.append(_linked(article.text, pos, len(article.text), resolved))
    return Markup("".join(out))


def _linked(text: str, start: int, end: int, mentions: list[Mention]) -> str:
    """Escaped ``text[start:end]`` with the mentions lying wholly inside it linked to the map."""
    out: list[str] = []
    pos = start
    for m in mentions:
        if m.start < pos or m.end > end:
            continue
        place = m.place
        assert place is not None
        label = f"{place.name} — {FEATURE_LABELS.get(place.feature, place.feature)}"
        out.append(str(escape(text[pos:m.start])))
        out.append(f'<a class="place" href="{escape(map_href(place))}" title="{escape(label)}">'
                   f"<mark>{escape(text[m.start:m.end])}</mark></a>")
        pos = m.end
    out.append(str(escape(text[pos:end])))
    return "".join(out)


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
    return PlaceRow(place.name, FEATURE_LABELS.get(place.feature, place.feature), where,
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
    label, colour, glyph = EVENT_STYLES.get(event.type, EVENT_STYLES["other"])
    href = None
    if event.lat is not None and event.lon is not None:
        zoom = EVENT_ZOOM.get(event.precision or 1, 9)
        href = f"../index.html#{event.lat:.4f}/{event.lon:.4f}/{zoom}"
    return EventRow(label, colour, glyph, event.date, ", ".join(event.places), href,
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
</style>
</head>
<body>
<nav><a href="../index.html">← Map</a></nav>
<main>
<article>
<h1>{{ title }}</h1>
<p class="meta">
{%- if source %}<span class="source">{{ source }}</span>{% endif %}
{%- if source and published %} · {% endif %}
{%- if published %}<time>{{ published }}</time>{% endif %}
{%- if url %}{% if source or published %} · {% endif %}<a class="original" href="{{ url }}" rel="noopener noreferrer">Original article ↗</a>{% endif -%}
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
<footer>Places: GeoNames (CC BY 4.0) · Boundaries: Natural Earth (public domain) · Made with geomap</footer>
</body>
</html>
""")
