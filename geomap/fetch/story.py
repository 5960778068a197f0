"""A story from any source, saved into the articles folder as a text file and its YAML sidecar.

The file is named from the story's canonical URL, folded so that the same story reached another
way — tracking parameters, an AMP or mobile page, ``www.``, http or https, a fragment — gets the
same name: adding it twice keeps one file. Both files are written under temporary names and then
renamed, the sidecar first, so a run killed half-way leaves no article without its metadata.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from geomap.errors import FetchError
from geomap.files import write_atomically

ARTICLE_SUFFIX = ".txt"
SIDECAR_SUFFIX = ".yaml"
HOST_PREFIXES = re.compile(r"^(?:www\d*|m|mobile|amp)\.")
AMP_PATH = re.compile(r"^/amp(?=/)|/amp/?$|\.amp(?=\.html?$)|\.amp$")
AMP_PARAMS = {("amp", ""), ("amp", "1"), ("amp", "true"), ("outputtype", "amp")}
SLUG_CHARS = 60


@dataclass
class Story:
    """An article as a source gives it: its text and provenance."""

    url: str
    text: str
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD

    def sidecar(self, fetched: str) -> dict[str, str]:
        """The sidecar's fields (``fetched``: when it was fetched, ISO 8601, UTC)."""
        fields = {"title": self.title, "source": self.source, "author": self.author,
                  "url": self.url, "published": self.published, "fetched": fetched}
        return {k: v for k, v in fields.items() if v}


def canonical(url: str) -> str:
    """``url`` normalised (courlan): scheme and host lower case, default port, tracking
    parameters (``utm_*``, ``fbclid``…) and the fragment dropped."""
    import courlan

    return courlan.normalize_url(url.split("#", 1)[0], trailing_slash=False)


def story_key(url: str) -> str:
    """What names a story: its canonical URL without scheme, ``www.``/``m.``/``amp.`` hosts, AMP
    paths and parameters, and a trailing slash."""
    parts = urlsplit(canonical(url))
    host = HOST_PREFIXES.sub("", parts.netloc)
    path = AMP_PATH.sub("", parts.path).rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if (k.lower(), v.lower()) not in AMP_PARAMS]
    return urlunsplit(("", host, path, urlencode(sorted(query)), "")).lstrip("/")


def file_name(url: str) -> str:
    """The article file name of the story at ``url``: readable words of its host and path, and a
    digest of its :func:`story_key` that keeps two stories apart."""
    key = story_key(url)
    host, _, rest = key.partition("/")
    words = re.sub(r"[^a-z0-9]+", "-", unquote(rest).lower(), flags=re.ASCII).strip("-")
    slug = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")
    if words:
        slug += "_" + words[-SLUG_CHARS:].lstrip("-")
    return f"{slug}_{hashlib.sha256(key.encode()).hexdigest()[:10]}{ARTICLE_SUFFIX}"


def save(story: Story, folder: Path) -> tuple[Path, str]:
    """Save ``story`` into ``folder``: ``(its article file, "added" | "updated" | "unchanged")``;
    a story whose text is saved already is left as it is."""
    import yaml

    path = folder / file_name(story.url)
    text = story.text.strip() + "\n"
    fetched = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    meta = yaml.safe_dump(story.sidecar(fetched), sort_keys=False, allow_unicode=True, width=1000)
    try:
        if path.exists() and path.read_text("utf-8", errors="replace") == text:
            return path, "unchanged"
        status = "updated" if path.exists() else "added"
        write_atomically(path.with_suffix(SIDECAR_SUFFIX), meta)
        write_atomically(path, text)
    except OSError as e:  # tried again later, by follow: it may be a full disk
        raise FetchError(f"{story.url}: cannot save it as {path} ({e.strerror or e})",
                         transient=True) from e
    return path, status

