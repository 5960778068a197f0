"""Fetching politely, for every source kind: the user agent the user names, robots.txt honoured
(``urllib.robotparser``, its ``Crawl-delay`` too), one request per host per ``delay`` seconds,
retries with backoff on 429 and 5xx honouring ``Retry-After`` (urllib3's ``Retry``), timeouts,
and a size limit checked before and while reading. Redirects are followed here, hop by hop, so
that each hop is checked against its host's robots.txt and spaced like any other request.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from urllib3.util.retry import Retry

from geomap.errors import FetchError

if TYPE_CHECKING:  # requests is imported when the first request is made
    import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WAIT = 60.0  # seconds: the longest Retry-After waited for, and Crawl-delay honoured
MAX_REDIRECTS = 10
ROBOTS_REDIRECTS = 5  # RFC 9309
ROBOTS_MAX_BYTES = 500_000  # RFC 9309: at least 500 KiB of a robots.txt are read
CHUNK = 65_536


@dataclass(frozen=True)
class Policy:
    """How to fetch: who is asking (``user_agent``, required before anything is fetched), how
    long to wait for an answer (``timeout``, seconds, for each request and for reading its body),
    how long between two requests to one host (``delay``), how often to try again (``retries``),
    and how large a response may be (``max_bytes``)."""

    user_agent: str | None = None
    timeout: float = 20.0
    delay: float = 1.0
    retries: int = 3
    max_bytes: int = 5_000_000


@dataclass
class Response:
    """A response read whole: the URL it came from after redirects, its status and headers."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, lower case, without parameters ("" when none was given)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type header names, if any."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None


class _LongWait(Exception):
    """A server asked (``Retry-After``) to wait longer than :data:`MAX_WAIT`."""

    def __init__(self, status: int, seconds: float) -> None:
        super().__init__(status, seconds)
        self.status, self.seconds = status, seconds


class _Retry(Retry):
    """urllib3's Retry, waiting at least ``backoff_factor`` (the host's delay) between two tries;
    a ``Retry-After`` longer than :data:`MAX_WAIT` ends the tries (:class:`_LongWait`)."""

    def get_backoff_time(self) -> float:
        return max(self.backoff_factor, super().get_backoff_time())

    def get_retry_after(self, response) -> float | None:
        after = super().get_retry_after(response)
        if after is not None and after > MAX_WAIT:
            raise _LongWait(response.status, after)
        return after


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host; else :class:`FetchError`."""
    try:
        parts = urlsplit(url.strip())
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise FetchError(f"{url}: not a URL (http:// or https://)")
    return url.strip()


def require_user_agent(policy: Policy) -> None:
    """Raise :class:`FetchError` unless the policy names who is asking."""
    if not policy.user_agent:
        raise FetchError("fetching needs --user-agent (who is asking, e.g. "
                         "'my-project/1.0 (me@example.org)'), or GEOMAP_USER_AGENT")


class Fetcher:
    """Fetches URLs under a :class:`Policy`; one per run, so that its hosts' robots.txt are read
    once and its requests to each host spaced."""

    def __init__(self, policy: Policy) -> None:
        require_user_agent(policy)
        self.policy = policy
        self.session = _session(policy)
        self._robots: dict[str, RobotFileParser | FetchError] = {}  # by host, or why unread
        self._last: dict[str, float] = {}  # host -> when its last request ended

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """The response to a GET of ``url`` (a 2xx, or a 304 when ``headers`` ask conditionally),
        redirects followed; :class:`FetchError` for anything else, ``transient`` when trying
        again later may succeed."""
        url, response = self._follow(check_url(url), headers or {}, MAX_REDIRECTS, robots=True)
        return self._read(url, response, self.policy.max_bytes)

    def _follow(self, url: str, headers: dict[str, str], hops: int,
                robots: bool) -> tuple[str, requests.Response]:
        """The first answer to ``url`` that is not a redirect, and the URL that gave it; each hop
        checked against robots.txt (unless it is robots.txt being read) and spaced."""
        for _ in range(hops + 1):
            if robots:
                self._allowed(url)
            response = self._send(url, headers)
            if not response.is_redirect:
                return url, response
            response.close()
            url = check_url(urljoin(url, response.headers["location"]))
        raise FetchError(f"{url}: more than {hops} redirects")

    def _send(self, url: str, headers: dict[str, str]) -> requests.Response:
        import requests

        host = urlsplit(url).netloc.lower()
        self._wait_for(host)
        try:
            return self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                    timeout=self.policy.timeout)
        except requests.RequestException as e:
            raise _failure(url, e, self.policy.timeout) from e
        except _LongWait as e:
            raise FetchError(f"{url}: HTTP {e.status}, asked to wait {e.seconds:.0f} s "
                             f"(Retry-After), longer than {MAX_WAIT:g} s; try again later",
                             transient=True) from e
        finally:
            self._last[host] = time.monotonic()

    def _wait_for(self, host: str) -> None:
        """Sleep until ``host`` may be asked again: ``delay`` seconds after its last answer, or
        its robots.txt's Crawl-delay if longer."""
        robots = self._robots.get(host)
        crawl_delay = (robots.crawl_delay(self.policy.user_agent)
                       if isinstance(robots, RobotFileParser) else None)
        delay = max(self.policy.delay, min(float(crawl_delay or 0), MAX_WAIT))
        wait = self._last.get(host, -delay) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def _read(self, url: str, response: requests.Response, limit: int) -> Response:
        """The body, read up to ``limit`` bytes and the deadline; the status checked."""
        import requests

        with response:
            status = response.status_code
            if status not in range(200, 300) and status != 304:
                raise FetchError(f"{url}: HTTP {status} {response.reason or ''}".rstrip(),
                                 transient=status in RETRY_STATUSES)
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise FetchError(_too_large(url, int(length), limit))
            body, deadline = bytearray(), time.monotonic() + self.policy.timeout
            try:
                for chunk in response.iter_content(CHUNK):
                    body += chunk
                    if len(body) > limit:
                        raise FetchError(_too_large(url, len(body), limit, at_least=True))
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: not read within {self.policy.timeout:g} s "
                                         "(--timeout)", transient=True)
            except requests.RequestException as e:
                raise _failure(url, e, self.policy.timeout) from e
            return Response(url, status, {k.lower(): v for k, v in response.headers.items()},
                            bytes(body))

    def _allowed(self, url: str) -> None:
        """Raise unless the host's robots.txt lets our user agent fetch ``url``."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            try:
                self._robots[host] = self._read_robots(f"{parts.scheme}://{parts.netloc}"
                                                       "/robots.txt")
            except FetchError as e:  # the host's other URLs of this run are refused at once
                self._robots[host] = e
        robots = self._robots[host]
        if isinstance(robots, FetchError):
            raise FetchError(f"{url}: not fetched, as {robots}", transient=True)
        if not robots.can_fetch(self.policy.user_agent, url):
            raise FetchError(f"{url}: robots.txt of {host} disallows it for this user agent")

    def _read_robots(self, robots_url: str) -> RobotFileParser:
        """A host's robots.txt, as RFC 9309 says: none (4xx) allows everything, 401 and 403
        allow nothing, and one that cannot be read (5xx, no answer) allows nothing for now."""
        robots = RobotFileParser(robots_url)
        try:
            url, response = self._follow(robots_url, {}, ROBOTS_REDIRECTS, robots=False)
            if 400 <= response.status_code < 500:
                response.close()
                robots.disallow_all = response.status_code in (401, 403)
                robots.allow_all = not robots.disallow_all
                return robots
            body = self._read(url, response, ROBOTS_MAX_BYTES).body
        except FetchError as e:
            raise FetchError(f"{robots_url} cannot be read, nothing is fetched from its host "
                             f"for now ({e})", transient=True) from e
        robots.parse(body.decode("utf-8", "replace").splitlines())
        return robots


def _session(policy: Policy) -> requests.Session:
    import requests
    from requests.adapters import HTTPAdapter

    retry = _Retry(total=policy.retries, connect=policy.retries, read=policy.retries,
                   status=policy.retries, other=0, redirect=False,
                   allowed_methods=frozenset({"GET"}), status_forcelist=RETRY_STATUSES,
                   backoff_factor=policy.delay, backoff_max=MAX_WAIT, raise_on_status=False,
                   respect_retry_after_header=True)
    session = requests.Session()
    session.headers["User-Agent"] = policy.user_agent or ""
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _failure(url: str, error: Exception, timeout: float) -> FetchError:
    """A requests error as a transient :class:`FetchError` that says what happened."""
    import requests
    from urllib3.exceptions import ReadTimeoutError

    reason = getattr(error.args[0], "reason", None) if error.args else None
    if isinstance(error, requests.Timeout) or isinstance(reason, ReadTimeoutError):
        return FetchError(f"{url}: no answer within {timeout:g} s (--timeout)", transient=True)
    words = str(reason or error).split(": ", 1)[-1][:200]
    return FetchError(f"{url}: cannot connect ({words})", transient=True)


def _too_large(url: str, size: int, limit: int, at_least: bool = False) -> str:
    if at_least:
        return f"{url}: more than {limit / 1e6:g} MB, over the size limit (--max-size)"
    return f"{url}: {size / 1e6:.1f} MB is over the size limit of {limit / 1e6:g} MB (--max-size)"
