"""HTML pages, read through an article extractor (trafilatura), which also finds their title,
site and date. A page whose extracted text is only its menu, links or boilerplate (navigation,
header, footer, cookie notices) is refused: it holds no article."""
from __future__ import annotations

import re
from pathlib import Path

from geomap.errors import InputError
from geomap.ingest.document import Document, normalise_meta
from geomap.ingest.encoding import decode

BOILERPLATE_TAGS = {"a", "nav", "header", "footer", "aside", "menu", "form", "button", "label"}
BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "menu", "menubar", "dialog"}
BOILERPLATE_NAMES = {"cookie", "cookies", "consent", "gdpr", "banner", "menu", "nav", "navbar",
                     "navigation", "footer", "header", "sidebar", "breadcrumb", "breadcrumbs",
                     "newsletter", "subscribe", "share", "social", "copyright"}
_NAME_TOKENS = re.compile(r"[^a-z0-9]+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def read(raw: bytes, path: Path, encoding: str | None = None) -> Document:
    """The article text of an HTML page and its metadata."""
    import trafilatura

    text, used = decode(raw, path, encoding)
    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                            include_tables=False)
    doc = extracted.as_dict() if extracted else {}
    if not doc.get("text"):
        raise InputError(f"{path}: no article text found in the HTML")
    if only_boilerplate(doc["text"], text):
        raise InputError(f"{path}: only a menu or boilerplate in the HTML (links, navigation, "
                         "notices), no article text")
    meta = {"title": doc.get("title"), "source": doc.get("sitename"), "url": doc.get("url"),
            "published": doc.get("date")}
    return Document(doc["text"], normalise_meta(meta, path), encoding=used)


def only_boilerplate(extracted: str, page: str) -> bool:
    """Whether every line of the ``extracted`` text is the text of a link, or of a navigation,
    header, footer or notice element of the ``page`` (or punctuation alone)."""
    boilerplate = None
    for line in extracted.splitlines():
        words = _EDGE_PUNCTUATION.sub("", " ".join(line.split()))
        if not words:
            continue
        if boilerplate is None:
            boilerplate = _boilerplate_text(page)
        if words not in boilerplate:
            return False
    return True


def _boilerplate_text(page: str) -> str:
    """The texts of the page's links and boilerplate elements, whitespace collapsed, one a
    line; empty if the page cannot be parsed again."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(page)
    except (etree.ParserError, ValueError):
        return ""
    texts = []
    for element in root.iter(tag=etree.Element):
        if _is_boilerplate(element):
            texts.append(" ".join(element.text_content().split()))
    return "\n".join(texts)


def _is_boilerplate(element) -> bool:
    if element.tag in BOILERPLATE_TAGS or element.get("role") in BOILERPLATE_ROLES:
        return True
    names = f"{element.get('id', '')} {element.get('class', '')}".lower()
    return not BOILERPLATE_NAMES.isdisjoint(_NAME_TOKENS.split(names))
