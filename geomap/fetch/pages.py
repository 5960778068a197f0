"""Web pages: fetch one, extract its article with trafilatura (text, title, site, author, date,
canonical URL), and refuse by name what is not an article — not HTML, no text, or so little text
that it is a paywall stub, a menu or an index page."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from geomap.errors import FetchError
from geomap.fetch.polite import Fetcher, Response
from geomap.fetch.story import Story, canonical

HTML_TYPES = ("text/html", "application/xhtml+xml")
MIN_WORDS = 60  # fewer words of running text: not an article
MIN_LINE_WORDS = 8  # a shorter line is a menu item, a link or a headline, not prose
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?:\s|$)")
HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                        re.IGNORECASE | re.DOTALL)


def fetch_page(url: str, fetcher: Fetcher, fallback: Story | None = None) -> Story:
    """The article at ``url``; ``fallback`` (what a feed said of it) fills in what the page does
    not say. Raises :class:`FetchError` naming the URL when it cannot be fetched or is not an
    article."""
    response = fetcher.get(url)
    if not is_html(response):
        kind = response.content_type or "no Content-Type"
        raise FetchError(f"{url}: not an HTML page ({kind})")
    return extract(response, fallback)


def is_html(response: Response) -> bool:
    """Whether the response is an HTML page (by its type; by its start when it names none)."""
    if response.content_type:
        return response.content_type in HTML_TYPES
    return bool(HTML_START.match(response.body[:1024]))


def extract(response: Response, fallback: Story | None = None) -> Story:
    """The article of an HTML response, or :class:`FetchError` if it holds none."""
    import trafilatura

    html = _decoded(response)
    doc = trafilatura.bare_extraction(html, url=response.url, with_metadata=True,
                                      include_comments=False, include_tables=False)
    doc = doc.as_dict() if doc else {}
    text = (doc.get("text") or "").strip()
    if not text:
        raise FetchError(f"{response.url}: not an article (no article text in the page)")
    words = prose_words(text)
    if words < MIN_WORDS:
        raise FetchError(f"{response.url}: not an article (only {words} words of running text: "
                         "a paywall stub, a menu or an index page?)")
    fallback = fallback or Story(url=response.url, text="")
    return Story(url=page_url(response.url, doc.get("url")), text=text,
                 title=doc.get("title") or fallback.title,
                 source=doc.get("sitename") or fallback.source or urlsplit(response.url).hostname,
                 author=doc.get("author") or fallback.author,
                 published=_day(doc.get("date")) or fallback.published)


def prose_words(text: str) -> int:
    """The words of ``text`` in lines that read as sentences (:data:`MIN_LINE_WORDS` words or
    more, a sentence's end): not those of menus, link lists or headlines."""
    count = 0
    for line in text.splitlines():
        words = len(line.split())
        if words >= MIN_LINE_WORDS and SENTENCE_END.search(line):
            count += words
    return count


def page_url(fetched: str, declared: str | None) -> str:
    """The story's URL: the canonical one the page declares (``<link rel=canonical>``,
    ``og:url``), unless it is no http(s) URL or points at a site's home page instead of the
    story (a common misconfiguration); else the URL fetched. Normalised either way."""
    if declared:
        declared = urljoin(fetched, declared.strip())
        parts = urlsplit(declared)
        if parts.scheme in ("http", "https") and parts.hostname and parts.path.strip("/"):
            return canonical(declared)
    return canonical(fetched)


def _decoded(response: Response) -> str | bytes:
    """The page as text when its Content-Type names a charset Python knows; else its bytes,
    which trafilatura decodes by what the page declares or looks like."""
    if response.charset:
        try:
            return response.body.decode(response.charset, errors="replace")
        except LookupError:
            pass
    return response.body


def _day(date: str | None) -> str | None:
    """``YYYY-MM-DD`` of a date trafilatura found, or None."""
    return date[:10] if date and re.match(r"\d{4}-\d{2}-\d{2}", date) else None
