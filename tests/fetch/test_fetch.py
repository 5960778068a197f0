"""geomap add and geomap follow against a real local HTTP server started here (pages, redirects,
a 429 with Retry-After, a 500, a slow page, robots.txt, feeds that change, bad answers), and
Telegram exports made here. Nothing leaves 127.0.0.1."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from local_http import serving

from geomap.build.catalog import open_catalog
from geomap.fetch.add import add
from geomap.fetch.feeds import feed_state, follow, poll_all
from geomap.fetch.polite import Policy
from geomap.fetch.story import file_name

UA = "geomap-tests/1.0 (tests@example.org)"
POLICY = Policy(UA, timeout=3.0, delay=0.05, retries=1)  # time enough for a busy machine's server

STORIES = {
    "izium": ("Ukrainian troops raise the flag over Izium",
              "Ukrainian troops raised the national flag over Izium on Saturday after Russian "
              "forces withdrew from the town in Kharkiv oblast, officials in Kyiv said. The "
              "retreat followed a week of rapid advances east of Kharkiv, where Ukrainian units "
              "recaptured Balakliia and Kupiansk and cut the railway that had supplied the "
              "Russian garrison. Residents who stayed through the occupation described months "
              "without electricity or running water, and engineers began clearing mines from "
              "the main road towards Sloviansk in Donetsk oblast on Sunday morning."),
    "kherson": ("Shelling continues around Kherson",
                "Shelling continued around Kherson overnight as Ukrainian forces pressed the "
                "Russian bridgehead on the western bank of the Dnipro, the regional governor "
                "said. Strikes damaged a school in Mykolaiv and a power station near "
                "Nova Kakhovka, and ferries across the river were halted for a second day. "
                "Aid groups in Odesa said they were preparing convoys of food and medicine "
                "for villages north of Kherson that had been cut off since the spring, and "
                "asked both sides to allow safe passage along the Mykolaiv highway."),
    "zaporizhzhia": ("Inspectors reach the Zaporizhzhia plant",
                     "Inspectors from the International Atomic Energy Agency reached the "
                     "Zaporizhzhia nuclear power plant at Enerhodar on Thursday after crossing "
                     "the front line from Zaporizhzhia city, the agency said in Vienna. The "
                     "team was delayed for hours by shelling near the plant, which has been "
                     "held by Russian troops since March and run by its Ukrainian staff. Two "
                     "experts will stay at the site, the agency said, while the others report "
                     "to its board on the damage they found to buildings and power lines."),
    "bakhmut": ("Fighting intensifies near Bakhmut",
                "Fighting intensified near Bakhmut in Donetsk oblast as Russian forces and "
                "Wagner units attacked Ukrainian positions south of the town, the general "
                "staff in Kyiv said on Monday. Artillery fire also hit Soledar and "
                "Kostiantynivka, and the regional administration urged the remaining "
                "residents of Bakhmut to leave through Chasiv Yar while the road was still "
                "open. Ukrainian officials said new defensive lines were being built around "
                "Kramatorsk and Sloviansk in case the town had to be abandoned."),
}


def article_html(key: str, canonical: str | None = None, published: str = "2022-09-10") -> bytes:
    title, text = STORIES[key]
    half = len(text) // 2
    cut = text.index(". ", half) + 1
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<!DOCTYPE html><html><head><title>{title} | Test Wire</title>{link}"
            f'<meta property="og:site_name" content="Test Wire">'
            f'<meta property="article:published_time" content="{published}T08:00:00Z">'
            f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1><p>{text[:cut]}</p><p>{text[cut:].strip()}</p>"
            f"</article><footer>© Test Wire</footer></body></html>").encode()


MENU = ("<html><head><title>Sections</title></head><body><nav><ul>" +
        "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(30)) +
        "</ul></nav><p>Subscribe to read more.</p></body></html>").encode()


def rss(site: Site, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{STORIES[key][0]}</title><link>{site.url(path)}</link>"
        f"<guid>{site.url(path)}</guid><pubDate>Sat, 10 Sep 2022 08:00:00 GMT</pubDate></item>"
        for key, path in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
            f"<link>{site.url('/')}</link><description>News</description>{entries}"
            f"</channel></rss>").encode()


Route = Callable[["Site", BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class Site(ThreadingHTTPServer):
    """A news site: ``routes`` maps paths to answers; ``hits`` counts requests per path, ``times``
    notes when they came, ``agents`` who asked."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.agents: set[str] = set()
        self.feed_items = [("izium", "/news/izium.html"), ("kherson", "/news/kherson.html")]
        self.routes: dict[str, Route] = {
            "/robots.txt": lambda s, h: (200, {"Content-Type": "text/plain"},
                                         b"User-agent: *\nDisallow: /private/\n"),
            "/news/izium.html": page("izium", "/news/izium.html"),
            "/amp/news/izium.html": page("izium", "/news/izium.html"),
            "/news/kherson.html": page("kherson", "/news/kherson.html"),
            "/news/zaporizhzhia.html": page("zaporizhzhia", "/news/zaporizhzhia.html"),
            "/news/bakhmut.html": page("bakhmut", None),
            "/private/secret.html": page("bakhmut", None),
            "/moved": lambda s, h: (301, {"Location": "/news/izium.html"}, b""),
            "/busy": busy,
            "/broken": lambda s, h: (500, {"Content-Type": "text/html"}, b"<h1>Oops</h1>"),
            "/slow": slow,
            "/menu.html": lambda s, h: (200, {"Content-Type": "text/html"}, MENU),
            "/report.pdf": lambda s, h: (200, {"Content-Type": "application/pdf"},
                                         b"%PDF-1.4\n" + b"0" * 1000),
            "/huge.html": lambda s, h: (200, {"Content-Type": "text/html"},
                                        b"<html><body>" + b"<p>war</p>" * 2_000_000),
            "/huge-stream.html": huge_stream,
            "/feed.xml": feed,
            "/feed.json": json_feed,
            "/not-a-feed.xml": lambda s, h: (200, {"Content-Type": "application/rss+xml"},
                                             b"this is { not a feed at all"),
            "/down.xml": lambda s, h: (503, {"Content-Type": "text/plain"}, b"down"),
        }

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


def page(key: str, canonical: str | None) -> Route:
    return lambda s, h: (200, {"Content-Type": "text/html; charset=utf-8"},
                         article_html(key, s.url(canonical) if canonical else None))


def busy(site: Site, handler: BaseHTTPRequestHandler):
    if site.hits["/busy"] == 1:
        return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"
    return 200, {"Content-Type": "text/html"}, article_html("bakhmut")


def slow(site: Site, handler: BaseHTTPRequestHandler):
    time.sleep(1.0)
    return 200, {"Content-Type": "text/html"}, article_html("bakhmut")


def huge_stream(site: Site, handler: BaseHTTPRequestHandler):
    return 200, {"Content-Type": "text/html", "X-No-Length": "1"}, b"<p>war</p>" * 2_000_000


def feed(site: Site, handler: BaseHTTPRequestHandler):
    body = rss(site, site.feed_items)
    etag = '"' + hashlib.sha256(body).hexdigest()[:12] + '"'
    if handler.headers.get("If-None-Match") == etag:
        return 304, {"ETag": etag}, b""
    return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, body


def json_feed(site: Site, handler: BaseHTTPRequestHandler):
    items = [{"id": "z1", "url": site.url("/news/zaporizhzhia.html"), "title": "Inspectors",
              "date_published": "2022-09-01T10:00:00Z"}]
    return 200, {"Content-Type": "application/feed+json"}, json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON Wire", "items": items}
    ).encode()


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = urlsplit(self.path).path
        self.server.hits[path] += 1
        self.server.times[path].append(time.monotonic())
        self.server.agents.add(self.headers["User-Agent"])
        route = self.server.routes.get(path)
        status, headers, body = route(self.server, self) if route else (404, {}, b"not found")
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "X-No-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: a timeout or a size limit

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    with serving(Site()) as server:
        yield server


def sidecar(path: Path) -> dict:
    return yaml.safe_load(path.with_suffix(".yaml").read_text("utf-8"))


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def geomap(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=900)  # the first build indexes the gazetteer


# --- geomap add: pages ---

def test_a_page_is_saved_once_with_its_metadata_however_its_url_is_written(site, tmp_path):
    urls = [site.url("/news/izium.html"), site.url("/news/izium.html?utm_source=feed#top"),
            site.url("/amp/news/izium.html"), site.url("/moved")]
    report = add(urls, tmp_path, POLICY)
    assert [o.error for o in report.outcomes] == [None] * 4
    assert [o.saved[0][1] for o in report.outcomes] == ["added", "unchanged", "unchanged",
                                                        "unchanged"]
    name = file_name(site.url("/news/izium.html"))
    assert files(tmp_path) == [name, name.replace(".txt", ".yaml")]
    text = (tmp_path / name).read_text("utf-8")
    assert "Ukrainian troops raised the national flag over Izium on Saturday" in text
    meta = sidecar(tmp_path / name)
    assert meta["url"] == site.url("/news/izium.html")
    assert meta["title"] == "Ukrainian troops raise the flag over Izium"
    assert meta["source"] == "Test Wire" and str(meta["published"]) == "2022-09-10"
    assert "T" in meta["fetched"]
    assert site.agents == {UA}
    assert site.hits["/robots.txt"] == 1  # read once per host and run


def test_requests_to_one_host_are_spaced_by_the_delay(site, tmp_path):
    add([site.url("/news/izium.html"), site.url("/news/kherson.html"),
         site.url("/news/bakhmut.html")], tmp_path, Policy(UA, timeout=1, delay=0.25, retries=0))
    times = sorted(t for ts in site.times.values() for t in ts)
    assert len(times) == 4  # robots.txt and three pages
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.24


def test_a_429_is_tried_again_after_its_retry_after(site, tmp_path):
    report = add([site.url("/busy")], tmp_path, POLICY)
    assert report.outcomes[0].error is None
    first, second = site.times["/busy"]
    assert second - first >= 0.95 and site.hits["/busy"] == 2


def test_a_429_asking_for_a_long_wait_is_left_for_later(site, tmp_path):
    site.routes["/busy"] = lambda s, h: (429, {"Retry-After": "3600"}, b"come back in an hour")
    report = add([site.url("/busy")], tmp_path, POLICY)
    error = report.outcomes[0].error
    assert error.transient and "asked to wait 3600 s (Retry-After)" in str(error)
    assert site.hits["/busy"] == 1


def test_a_500_is_tried_again_then_refused_by_name(site, tmp_path):
    report = add([site.url("/broken")], tmp_path, Policy(UA, timeout=3.0, delay=0.05, retries=2))
    error = report.outcomes[0].error
    assert error.transient
    assert str(error) == f"{site.url('/broken')}: HTTP 500 Internal Server Error"
    assert site.hits["/broken"] == 3
    assert files(tmp_path) == []


def test_a_slow_page_times_out(site, tmp_path):
    started = time.monotonic()
    report = add([site.url("/slow")], tmp_path, Policy(UA, timeout=0.3, delay=0.05, retries=1))
    assert "no answer within 0.3 s (--timeout)" in str(report.outcomes[0].error)
    assert time.monotonic() - started < 2.0 and files(tmp_path) == []


def test_a_path_robots_txt_disallows_is_never_fetched(site, tmp_path):
    report = add([site.url("/private/secret.html")], tmp_path, POLICY)
    assert "robots.txt of 127.0.0.1" in str(report.outcomes[0].error)
    assert site.hits["/private/secret.html"] == 0 and files(tmp_path) == []


def test_a_host_whose_robots_txt_cannot_be_read_is_asked_nothing_else(site, tmp_path):
    site.routes["/robots.txt"] = lambda s, h: (503, {}, b"down")
    report = add([site.url("/news/izium.html"), site.url("/news/kherson.html")], tmp_path, POLICY)
    errors = [str(o.error) for o in report.outcomes]
    assert all("robots.txt cannot be read, nothing is fetched from its host" in e for e in errors)
    assert all(o.error.transient for o in report.outcomes)
    assert dict(site.hits) == {"/robots.txt": 2}  # one try and one retry, once for the host


def test_a_page_that_is_not_an_article_is_refused_by_name(site, tmp_path):
    report = add([site.url("/menu.html")], tmp_path, POLICY)
    error = str(report.outcomes[0].error)
    assert error.startswith(site.url("/menu.html") + ": not an article")
    assert not report.outcomes[0].error.transient and files(tmp_path) == []


def test_pages_over_the_size_limit_are_refused_with_or_without_a_length(site, tmp_path):
    report = add([site.url("/huge.html"), site.url("/huge-stream.html")], tmp_path, POLICY)
    first, second = (str(o.error) for o in report.outcomes)
    assert "20.0 MB is over the size limit of 5 MB (--max-size)" in first
    assert "more than 5 MB, over the size limit (--max-size)" in second
    assert files(tmp_path) == []


def test_urls_without_a_user_agent_are_refused_before_anything_is_fetched(site, tmp_path):
    from geomap.errors import FetchError

    with pytest.raises(FetchError, match="--user-agent"):
        add([site.url("/news/izium.html")], tmp_path, Policy(None))
    assert sum(site.hits.values()) == 0


def test_bad_input_is_refused_by_name_and_leaves_nothing(site, tmp_path):
    articles = tmp_path / "articles"
    r = geomap("add", "not a url", "ftp://example.org/x", site.url("/report.pdf"),
               site.url("/huge.html"), "--articles", str(articles), "--out", str(tmp_path / "maps"),
               "--user-agent", UA, "--delay", "0.05", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "refused: not a url: not a URL (http:// or https://)" in r.stderr
    assert "refused: ftp://example.org/x: not a URL" in r.stderr
    assert f"refused: {site.url('/report.pdf')}: not an HTML page (application/pdf)" in r.stderr
    assert "over the size limit" in r.stderr and "Traceback" not in r.stderr
    assert files(articles) == [] and not (tmp_path / "maps").exists()


# --- geomap add: Telegram exports ---

def telegram_export(path: Path) -> Path:
    path.write_text(json.dumps({"name": "Frontline Notes", "type": "public_channel", "id": 1777,
                                "messages": [
        {"id": 1, "type": "service", "date": "2022-09-01T09:00:00", "action": "create_channel"},
        {"id": 2, "type": "message", "date": "2022-09-10T07:15:00", "from": "Frontline Notes",
         "text": ["Ukrainian troops entered ", {"type": "bold", "text": "Izium"},
                  " in Kharkiv oblast this morning."],
         "text_entities": [{"type": "plain", "text": "Ukrainian troops entered "},
                           {"type": "bold", "text": "Izium"},
                           {"type": "plain", "text": " in Kharkiv oblast this morning."}]},
        {"id": 3, "type": "message", "date": "2022-09-11T18:40:00", "from": "Frontline Notes",
         "forwarded_from": "Kherson Daily", "text": "Explosions were heard in Kherson tonight."},
        {"id": 4, "type": "message", "date": "2022-09-12T10:00:00", "photo": "photos/1.jpg",
         "text": ""},
    ]}), encoding="utf-8")
    return path


def test_each_post_of_a_telegram_export_is_an_article(tmp_path):
    export = telegram_export(tmp_path / "result.json")
    articles = tmp_path / "articles"
    report = add([str(export)], articles, Policy(None))
    assert [s for _, s in report.outcomes[0].saved] == ["added", "added"]
    first, second = (path for path, _ in report.outcomes[0].saved)
    post = "Ukrainian troops entered Izium in Kharkiv oblast this morning."
    assert first.read_text("utf-8") == post + "\n"
    assert sidecar(first) | {"fetched": None} == {
        "title": "Ukrainian troops entered Izium in Kharkiv oblast this morning.",
        "source": "Frontline Notes", "url": "https://t.me/c/1777/2", "published": "2022-09-10",
        "fetched": None}
    assert sidecar(second)["source"] == "Kherson Daily"
    assert sidecar(second)["url"] == "https://t.me/c/1777/3"
    again = add([str(export)], articles, Policy(None))
    assert [s for _, s in again.outcomes[0].saved] == ["unchanged", "unchanged"]
    assert len(files(articles)) == 4


def test_a_json_file_that_is_no_telegram_export_is_refused(tmp_path):
    (tmp_path / "other.json").write_text('{"rows": []}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"messages": [', encoding="utf-8")
    report = add([str(tmp_path / "other.json"), str(tmp_path / "broken.json")],
                 tmp_path / "articles", Policy(None))
    errors = [str(o.error) for o in report.outcomes]
    assert "not a Telegram Desktop export" in errors[0] and "not JSON" in errors[1]
    assert files(tmp_path / "articles") == []


# --- geomap follow ---

def test_a_second_poll_fetches_nothing_new_and_a_changed_feed_only_its_new_entry(site, tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    feed_url = site.url("/feed.xml")
    first = poll_all([feed_url], POLICY, out, articles)
    assert [s for _, s in first[0].saved] == ["added", "added"]
    kherson = next(p for p, _ in first[0].saved if "kherson" in p.name)
    assert sidecar(kherson)["url"] == site.url("/news/kherson.html")
    assert poll_all([feed_url], POLICY, out, articles)[0].saved == []
    assert site.hits["/news/izium.html"] == site.hits["/news/kherson.html"] == 1
    site.feed_items.insert(0, ("zaporizhzhia", "/news/zaporizhzhia.html"))
    third = poll_all([feed_url], POLICY, out, articles)
    assert [p.name for p, _ in third[0].saved] == [file_name(site.url("/news/zaporizhzhia.html"))]
    assert site.hits["/news/izium.html"] == site.hits["/news/kherson.html"] == 1
    assert site.hits["/feed.xml"] == 3
    with open_catalog(out) as catalog:
        assert len(feed_state(catalog, feed_url)["seen"]) == 3


def test_a_failing_feed_leaves_the_others_working_and_is_asked_again_later(site, tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    feeds = [site.url("/down.xml"), site.url("/not-a-feed.xml"), site.url("/feed.json")]
    down, garbled, good = poll_all(feeds, POLICY, out, articles)
    assert down.error.transient and "HTTP 503" in str(down.error)
    assert str(garbled.error).startswith(site.url("/not-a-feed.xml") + ": not a feed")
    assert [p.name for p, _ in good.saved] == [file_name(site.url("/news/zaporizhzhia.html"))]
    assert sidecar(good.saved[0][0])["published"] == "2022-09-10"  # the page's date wins
    second = poll_all(feeds, POLICY, out, articles)  # failed once: asked again next round
    assert [r.polled for r in second] == [True, True, True]
    third = poll_all(feeds, POLICY, out, articles)  # failed twice: skipped one round
    assert [r.polled for r in third] == [False, False, True]
    assert [r.polled for r in poll_all(feeds, POLICY, out, articles)] == [True, True, True]


def test_an_entry_whose_page_failed_for_now_is_tried_again_on_the_next_poll(site, tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    site.feed_items = [("bakhmut", "/broken")]
    first = poll_all([site.url("/feed.xml")], POLICY, out, articles)
    assert first[0].error is None and first[0].refused[0].transient
    poll_all([site.url("/feed.xml")], POLICY, out, articles)
    assert site.hits["/feed.xml"] == 2 and site.hits["/broken"] == 4  # 2 tries a poll


def test_follow_once_adds_and_builds_and_a_feed_that_is_not_xml_is_named(site, tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    r = geomap("follow", site.url("/feed.xml"), site.url("/not-a-feed.xml"), "--once",
               "--articles", str(articles), "--out", str(out), "--user-agent", UA,
               "--delay", "0.05", "--timeout", "2", cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    assert f"error: {site.url('/not-a-feed.xml')}: not a feed" in r.stderr
    assert f"feed {site.url('/feed.xml')}: 2 new" in r.stderr
    assert (articles / "feeds.txt").read_text("utf-8").splitlines()[1:] == [
        site.url("/feed.xml"), site.url("/not-a-feed.xml")]
    page = (out / "index.html").read_text("utf-8")
    assert "Ukrainian troops raise the flag over Izium" in page
    assert json.dumps(site.url("/news/izium.html")) in page  # the popups' link to the original
    reader = next((out / "articles").glob("*izium*.html")).read_text("utf-8")
    assert f'href="{site.url("/news/izium.html")}"' in reader
    again = geomap("follow", "--once", "--articles", str(articles), "--out", str(out),
                   "--user-agent", UA, "--delay", "0.05", cwd=tmp_path)
    assert "feed " + site.url("/feed.xml") + ": 0 new" in again.stderr
    assert site.hits["/news/izium.html"] == 1


def test_follow_every_polls_until_stopped_and_rebuilds_when_a_feed_changes(site, tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    rounds, stop = [], threading.Event()

    def on_round(done) -> None:
        rounds.append(done)
        if len(rounds) == 1:
            site.feed_items.append(("bakhmut", "/news/bakhmut.html"))
        elif len(rounds) == 3:
            stop.set()

    follow([site.url("/feed.xml")], articles, out, POLICY, on_round, every=0.1, stop=stop)
    assert [r.saved for r in rounds] == [2, 1, 0]
    assert [r.build is not None for r in rounds] == [True, True, False]
    assert rounds[1].build.parsed == 1
    assert "Fighting intensifies near Bakhmut" in (out / "index.html").read_text("utf-8")
