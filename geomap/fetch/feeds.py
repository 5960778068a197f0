"""``geomap follow``: RSS and Atom feeds (feedparser) and JSON Feeds, polled once or every so
often; each new entry's page goes through ``geomap add``, then the maps are rebuilt.

The feeds followed are listed in ``feeds.txt`` in the articles folder (one URL a line, ``#``
comments); the URLs given on the command line are added to it. What each feed was last seen
with — its ETag and Last-Modified, the ids of the entries handled, its failures in a row — is kept
in the catalog of the output folder, so a restart asks conditionally and fetches only new
entries. A feed that fails is reported and asked again later (after 1, 2, 4… rounds, at most
:data:`MAX_SKIPPED_ROUNDS`), never stopping the others. An entry whose page failed for a reason
that may pass (a timeout, a 5xx) is tried again on the next poll; one refused for good (not an
article, robots.txt) is not.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import FetchError, GeomapError
from geomap.fetch.add import add_url
from geomap.fetch.polite import Fetcher, Policy, Response, check_url, require_user_agent
from geomap.fetch.story import Story
from geomap.files import write_atomically
from geomap.ingest import FEEDS_FILE, MAX_BYTES

if TYPE_CHECKING:
    from geomap.build.catalog import Catalog

SEEN_KEPT = 5000  # entry ids remembered per feed, the latest
MAX_SKIPPED_ROUNDS = 16  # a failing feed is asked again at least every this many rounds
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
FEED_KEY = "feed:"  # the catalog meta key of a feed's state: feed:<url>
FEEDS_HEADER = "# Feeds that `geomap follow` polls: one URL a line.\n"


@dataclass
class Entry:
    """One entry of a feed: its id, the page it links to, and what the feed says of it."""

    id: str
    link: str | None
    title: str | None = None
    published: str | None = None


@dataclass
class FeedResult:
    """One poll of one feed: the entries' pages saved and refused, or why the feed failed."""

    url: str
    saved: list[tuple[Path, str]] = field(default_factory=list)
    refused: list[FetchError] = field(default_factory=list)
    error: FetchError | None = None
    polled: bool = True  # False: skipped this round, as it failed lately


@dataclass
class Round:
    """What one round of ``geomap follow`` did: each feed's result and the build after them (its
    report or the error that stopped it; None when nothing new came and a build was not due)."""

    feeds: list[FeedResult]
    build: Any = None

    @property
    def saved(self) -> int:
        return sum(1 for f in self.feeds for _, status in f.saved if status != "unchanged")


def feed_list(articles_dir: Path) -> list[str]:
    """The feeds listed in ``feeds.txt`` of the articles folder, in order."""
    path = articles_dir / FEEDS_FILE
    if not path.exists():
        return []
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise FetchError(f"{path}: cannot read the feeds listed ({e})") from e
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return list(dict.fromkeys(line for line in lines if line))


def remember(articles_dir: Path, urls: list[str]) -> list[str]:
    """Add the ``urls`` not listed yet to ``feeds.txt``; every feed listed after that. An invalid
    URL raises :class:`FetchError` before anything is written."""
    urls = [check_url(u) for u in urls]
    known = feed_list(articles_dir)
    new = [u for u in dict.fromkeys(urls) if u not in known]
    if new:
        path = articles_dir / FEEDS_FILE
        old = path.read_text("utf-8") if path.exists() else FEEDS_HEADER
        try:
            write_atomically(path, old + ("" if old.endswith("\n") else "\n") +
                             "".join(u + "\n" for u in new))
        except OSError as e:
            raise FetchError(f"{path}: cannot write the feeds listed ({e.strerror or e})") from e
    return known + new


def parse_feed(response: Response) -> tuple[str | None, list[Entry]]:
    """The title and entries of a feed, RSS, Atom or JSON Feed; :class:`FetchError` naming the
    URL when it is none of these."""
    if "json" in response.content_type or response.body.lstrip()[:1] == b"{":
        return _json_feed(response)
    import feedparser

    parsed = feedparser.parse(response.body, response_headers={
        "content-location": response.url, "content-type": response.headers.get("content-type",
                                                                                 "text/xml")})
    if not parsed.version:
        why = f": {parsed.bozo_exception}" if parsed.get("bozo_exception") else ""
        raise FetchError(f"{response.url}: not a feed (not RSS, Atom or JSON Feed{why})")
    entries = [Entry(id=e.get("id") or e.get("link") or _digest(e.get("title"), e.get("summary")),
                     link=e.get("link"), title=e.get("title"),
                     published=_day(e.get("published_parsed") or e.get("updated_parsed")))
               for e in parsed.entries]
    return parsed.feed.get("title"), entries


def _json_feed(response: Response) -> tuple[str | None, list[Entry]]:
    try:
        data = json.loads(response.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise FetchError(f"{response.url}: not a feed (not valid JSON: {e})") from e
    if not (isinstance(data, dict) and str(data.get("version", "")).startswith(JSON_FEED_VERSION)
            and isinstance(data.get("items"), list)):
        raise FetchError(f"{response.url}: not a feed (JSON, but no JSON Feed version and items)")
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        published = str(item.get("date_published") or "")[:10] or None
        entries.append(Entry(id=str(item.get("id") or link or _digest(item.get("title"), link)),
                             link=link, title=item.get("title"), published=published))
    return data.get("title"), entries


def poll(url: str, fetcher: Fetcher, state: dict[str, Any], articles_dir: Path) -> FeedResult:
    """Fetch a feed (conditionally, with the validators in ``state``) and add its new entries'
    pages; ``state`` is updated in place with what was seen."""
    result = FeedResult(url)
    headers = {k: v for k, v in (("If-None-Match", state.get("etag")),
                                 ("If-Modified-Since", state.get("modified"))) if v}
    response = fetcher.get(url, headers)
    if response.status == 304:
        return result
    title, entries = parse_feed(response)
    seen = state.get("seen", [])
    known, retry = set(seen), False
    for entry in reversed(entries):  # oldest first
        if entry.id in known:
            continue
        try:
            if not entry.link:
                raise FetchError(f"{url}: entry {entry.id!r} links to no page")
            fallback = Story(url=entry.link, text="", title=entry.title, source=title,
                             published=entry.published)
            result.saved.append(add_url(entry.link, fetcher, articles_dir, fallback))
        except FetchError as e:
            result.refused.append(e)
            if e.transient:
                retry = True
                continue
        seen.append(entry.id)
        known.add(entry.id)
    state["seen"] = seen[-SEEN_KEPT:]
    if not retry:  # else the next poll must not be told "not modified"
        state["etag"] = response.headers.get("etag")
        state["modified"] = response.headers.get("last-modified")
    return result


def poll_all(urls: list[str], policy: Policy, out_dir: Path, articles_dir: Path,
             force: bool = False) -> list[FeedResult]:
    """Poll each feed (those that failed lately only when due, unless ``force``), each on its
    own: one failing never stops the others. Their states are kept in the catalog of
    ``out_dir``, each committed as soon as its feed is done."""
    from geomap.build.catalog import open_catalog

    results = []
    with Fetcher(policy) as fetcher, open_catalog(out_dir) as catalog:
        for url in urls:
            state = feed_state(catalog, url)
            if not force and state.get("wait", 0) > 0:
                state["wait"] -= 1
                results.append(FeedResult(url, polled=False))
            else:
                results.append(_poll_one(url, fetcher, state, articles_dir))
            catalog.set_meta(FEED_KEY + url, json.dumps(state, ensure_ascii=False))
    return results


def feed_state(catalog: Catalog, url: str) -> dict[str, Any]:
    """What was last seen of a feed (``etag``, ``modified``, ``seen`` entry ids, ``failures``
    in a row and rounds to ``wait``), kept as a catalog ``meta`` value; empty for a new feed."""
    return json.loads(catalog.get_meta(FEED_KEY + url) or "{}")


def _poll_one(url: str, fetcher: Fetcher, state: dict[str, Any], articles_dir: Path) -> FeedResult:
    """:func:`poll`, with a failure counted in ``state`` and put off 1, 2, 4… rounds."""
    try:
        result = poll(url, fetcher, state, articles_dir)
    except FetchError as e:
        state["failures"] = state.get("failures", 0) + 1
        state["wait"] = min(2 ** (state["failures"] - 1), MAX_SKIPPED_ROUNDS) - 1
        return FeedResult(url, error=e)
    state.pop("failures", None)
    state.pop("wait", None)
    return result


def follow(urls: list[str], articles_dir: Path, out_dir: Path, policy: Policy,
           on_round: Callable[[Round], None], every: float | None = None,
           stop: threading.Event | None = None, max_bytes: int = MAX_BYTES,
           **build_options: Any) -> None:
    """Add ``urls`` to ``feeds.txt``, then poll every feed listed and build: once when ``every``
    is None, else every ``every`` seconds until ``stop`` is set (rebuilding only when a round
    brought something new, with what a build needs kept loaded in between, as ``geomap watch``
    does). Each round's result goes to ``on_round``. ``max_bytes`` limits pages and articles."""
    from geomap.watch import build_once, first_build

    require_user_agent(policy)
    feeds = remember(articles_dir, urls)
    if not feeds:
        raise FetchError(f"no feeds to follow: give FEED_URL, or list them in "
                         f"{articles_dir / FEEDS_FILE}")
    stop = stop or threading.Event()
    policy = replace(policy, max_bytes=max_bytes)
    build_options["max_bytes"] = max_bytes
    first = True
    while True:
        started = time.monotonic()
        done = Round(poll_all(feeds, policy, out_dir, articles_dir, force=every is None))
        if first or done.saved:
            options = (articles_dir, out_dir, build_options)
            done.build = _build(first_build if first and every else build_once, *options)
        on_round(done)
        first = False
        if every is None or stop.wait(max(0.0, every - (time.monotonic() - started))):
            return
        feeds = feed_list(articles_dir) or feeds  # feeds.txt may have been edited meanwhile


def _build(how: Callable, articles_dir: Path, out_dir: Path, options: dict[str, Any]):
    try:
        return how(articles_dir, out_dir, options)
    except GeomapError as e:  # first_build's warm-up
        return e


def _day(parsed: time.struct_time | None) -> str | None:
    """``YYYY-MM-DD`` of a date feedparser parsed (UTC), or None."""
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc).date().isoformat()


def _digest(*parts: Any) -> str:
    """An id for an entry that has none: a digest of what it says."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
