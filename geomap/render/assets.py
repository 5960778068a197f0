"""Self-contained HTML: folium's CDN resources inlined from ``folium-offline``, nothing remote left.

The JS/CSS files come from the ``folium-offline`` package installed alongside geomap (its table
maps each CDN URL folium uses to the file's text); none is copied into this repository. geomap's
own script and styles are package data in ``static/``
(:func:`geomap.render.layout.static_text`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any

import orjson

from geomap.errors import GeomapError

TITLE_SLOT, DATA_SLOT = "@@geomap-title@@", "@@geomap-data@@"  # in the layout, filled per build


class OfflineAssetError(GeomapError):
    """A page would load something from the network, or an asset has no offline copy."""


_SCRIPT_SRC = re.compile(r'<script src="([^"]+)"></script>')
_CSS_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')
_REMOTE = re.compile(r"^\s*(?:https?:|//|\\\\)", re.IGNORECASE)
_RELATIVE_CSS_URL = re.compile(r"""url\(\s*['"]?(?!data:|#|['"]?\))[^'")]*['"]?\s*\)""",
                               re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)|@import\s+['"]([^'"]*)""", re.IGNORECASE)
# Attributes whose URL the browser fetches by itself, per tag (None: on any tag).
_LOADING_ATTRS: dict[str, str | None] = {
    "src": None, "poster": None, "background": None, "data": "object",
}
_LOADING_HREF_TAGS = {"link", "base", "image", "use", "feimage"}
def resource(url: str) -> str:
    """The offline text of a CDN resource folium links to."""
    from offlinefolium.elements import (
        _res as offline,  # it imports folium: only for a layout
    )

    try:
        return offline[url]
    except KeyError:
        raise OfflineAssetError(f"no offline copy of {url} in folium-offline") from None


def inline_resources(html: str) -> str:
    """Replace every CDN ``<script src>`` and stylesheet ``<link>`` with its inline content."""
    html = _SCRIPT_SRC.sub(lambda m: inline_tag("script", resource(m.group(1))), html)
    return _CSS_LINK.sub(lambda m: inline_tag("style", without_relative_urls(resource(m.group(1)))),
                         html)


def without_relative_urls(css: str) -> str:
    """``css`` with images it names by relative path (files the package lacks) set to ``none``."""
    return _RELATIVE_CSS_URL.sub("none", css)


def inline_tag(tag: str, content: str) -> str:
    """``<tag>content</tag>`` with any closing ``</tag`` inside the content neutralised."""
    safe = re.sub(rf"</({tag})", r"<\\/\1", content, flags=re.IGNORECASE)
    return f"<{tag}>{safe}</{tag}>"


def script_json(data: Any) -> str:
    """JSON that is inert inside an HTML ``<script>`` element (no ``<``, ``>``, ``&``, U+2028/9)."""
    text = orjson.dumps(data).decode()
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def json_object(members: Iterable[tuple[str, str]]) -> str:
    """A JSON object of ``(key, value as JSON text)`` members, the values spliced in as they are."""
    return "{" + json_members(members) + "}"


def json_members(members: Iterable[tuple[str, str]]) -> str:
    """The members of :func:`json_object`, without its braces."""
    return ",".join(f"{json.dumps(key)}:{value}" for key, value in members)


def remote_urls(html: str) -> list[str]:
    """Every http(s) or protocol-relative URL the browser would load by itself from ``html``."""
    finder = _LoadFinder()
    finder.feed(html)
    finder.close()
    return [url for url in finder.urls if _REMOTE.match(url)]


def check_offline(html: str) -> None:
    """Raise :class:`OfflineAssetError` if ``html`` would load anything from the network."""
    found = remote_urls(html)
    if found:
        raise OfflineAssetError(f"remote resources left in the page: {', '.join(found[:5])}")


def _css_urls(css: str) -> Iterator[str]:
    for m in _CSS_URL.finditer(css):
        yield m.group(1) if m.group(1) is not None else m.group(2)


class _LoadFinder(HTMLParser):
    """Collects URLs from loading attributes, inline styles and ``<style>`` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            elif name in _LOADING_ATTRS and _LOADING_ATTRS[name] in (None, tag):
                self.urls.append(value)
            elif name in ("href", "xlink:href") and tag in _LOADING_HREF_TAGS:
                self.urls.append(value)
            elif name == "style":
                self.urls.extend(_css_urls(value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend(_css_urls(data))
