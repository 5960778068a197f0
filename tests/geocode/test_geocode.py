"""Online geocoding against a real local HTTP server speaking Nominatim's /search API, with
recorded-style answers (tests/fixtures/nominatim_search.json) and slow, failing and malformed ones.
Nothing leaves localhost."""
from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut
from local_http import serving
from paths import FIXTURES

from geomap import geocode
from geomap.geocode.cache import AnswerCache
from geomap.geocode.nominatim import Nominatim
from geomap.stages.pipeline import parse_text

ANSWERS = json.loads((FIXTURES / "nominatim_search.json").read_text("utf-8"))
TEXT = "Shelling hit the village of Zzyxovka near Kharkiv; troops held the Qqrivka district."


class Server(ThreadingHTTPServer):
    """A Nominatim stand-in: answers from the fixtures, plus Slowtown (slow), Busy (429 once),
    Broken (500) and Garbled (not JSON). ``asked`` counts requests per query."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.asked: Counter[str] = Counter()
        self.times: list[float] = []
        self.user_agents: set[str] = set()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = parse_qs(url.query)["q"][0]
        self.server.asked[query] += 1
        self.server.times.append(time.monotonic())
        self.server.user_agents.add(self.headers["User-Agent"])
        if url.path != "/search":
            return self._send(404, b"[]")
        if query == "Slowtown":
            time.sleep(0.6)
        if query == "Busy" and self.server.asked[query] == 1:
            return self._send(429, b'{"error": "Too Many Requests"}', {"Retry-After": "0"})
        if query == "Broken":
            return self._send(500, b"<html>Internal Server Error</html>", {"Content-Type": "text/html"})
        if query == "Garbled":
            return self._send(200, b'[{"lat": "49.1", "lon": ')
        answer = ANSWERS["Zzyxovka"] if query == "Busy" else ANSWERS.get(query, [])
        self._send(200, json.dumps(answer).encode())

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for name, value in ({"Content-Type": "application/json"} | (headers or {})).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    with serving(Server()) as srv:
        yield srv


@pytest.fixture
def online(server: Server, tmp_path: Path) -> Nominatim:
    return Nominatim("geomap-tests/1.0", domain=server.domain, scheme="http", timeout=0.3,
                     min_delay=0.05, retries=2, backoff=0.05, cache=AnswerCache(tmp_path / "g.sqlite"))


def test_a_name_is_found_with_its_country_feature_and_admin1(online, server):
    place = online.lookup("Zzyxovka", "UA")
    assert (place.name, place.feature, place.country, place.admin1) == ("Zzyxovka", "city", "UA", "UA-63")
    assert (place.lat, place.lon) == (49.7167, 37.0833)
    assert server.user_agents == {"geomap-tests/1.0"}


def test_each_query_is_asked_once_ever_found_or_not(online, server, tmp_path):
    for _ in range(2):
        assert online.lookup("Zzyxovka", "UA") is not None
        assert online.lookup("Nowhere", "UA") is None
    again = Nominatim("geomap-tests/1.0", domain=server.domain, scheme="http",
                      cache=AnswerCache(tmp_path / "g.sqlite"))
    assert again.lookup("Zzyxovka", "UA") is not None
    assert server.asked == {"Zzyxovka": 1, "Nowhere": 1}


def test_requests_are_spaced_by_the_rate_limit(server, tmp_path):
    """The server sees the requests at least ``min_delay`` apart, however late one arrives: the
    delay is counted from the previous answer, which the server sends after it saw the request."""
    slow = Nominatim("geomap-tests/1.0", domain=server.domain, scheme="http", min_delay=0.6,
                     cache=AnswerCache(tmp_path / "g.sqlite"))
    for name in ("Zzyxovka", "Qqrivka", "Nowhere"):
        slow.lookup(name)
    gaps = [b - a for a, b in zip(server.times, server.times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.6


def test_the_default_rate_is_nominatims_one_request_a_second():
    assert Nominatim("geomap-tests/1.0").ask.min_delay_seconds == 1.0


def test_a_429_is_retried_after_a_wait(online, server):
    assert online.lookup("Busy").name == "Zzyxovka"
    assert server.asked["Busy"] == 2


@pytest.mark.parametrize("query, error, tries", [
    ("Slowtown", GeocoderTimedOut, 3),
    ("Broken", GeocoderServiceError, 3),
    ("Garbled", GeocoderParseError, 1),
    ("Oddshape", GeocoderParseError, 1),
])
def test_failures_are_retried_when_retrying_can_help_then_raised(online, server, query, error, tries):
    with pytest.raises(error):
        online.lookup(query)
    assert server.asked[query] == tries


def test_failures_are_not_cached(online, server):
    for _ in range(2):
        with pytest.raises(GeocoderServiceError):
            online.lookup("Broken")
    assert server.asked["Broken"] == 6


def test_names_the_gazetteer_cannot_place_are_added_from_online(online, server):
    article = parse_text(TEXT)
    offline = [m.text for m in article.mentions]
    assert "Zzyxovka" not in offline and "Kharkiv" in offline
    assert geocode.place_unplaced([article], online) == 2
    added = [m for m in article.mentions if m.why == ["online: nominatim"]]
    assert [m.text for m in added] == ["Zzyxovka", "Qqrivka"]
    assert all(TEXT[m.start:m.end] == m.text for m in article.mentions)
    assert [m.start for m in article.mentions] == sorted(m.start for m in article.mentions)
    assert added[1].place.feature == "admin2" and added[1].place.admin1 is None


def test_a_failing_service_leaves_the_offline_result_and_warns(server, tmp_path, caplog):
    down = Nominatim("geomap-tests/1.0", domain="127.0.0.1:9", scheme="http", timeout=0.2,
                     min_delay=0.0, retries=0, cache=AnswerCache(tmp_path / "g.sqlite"))
    article = parse_text(TEXT + " Fighting went on in Wwwoxka, Yyyvka and Xxxivka village.")
    before = [m.record() for m in article.mentions]
    with caplog.at_level(logging.WARNING, logger="geomap"):
        assert geocode.place_unplaced([article], down) == 0
    assert [m.record() for m in article.mentions] == before
    assert "nominatim: 'Zzyxovka' not geocoded (Geocoder" in caplog.text
    assert "the offline result stands" in caplog.text
    assert "nominatim: gave up after 3 failures" in caplog.text


def test_the_command_line_asks_the_service_only_when_told(server, tmp_path, geomap_cache_dir):
    import subprocess
    import sys

    # the command line keeps its answers in the suite's cache folder, by service and host: an
    # earlier run's server on the same port would have answered this one's questions
    (geomap_cache_dir / "geocode.sqlite").unlink(missing_ok=True)
    article = tmp_path / "a.txt"
    article.write_text(TEXT, "utf-8")
    offline = subprocess.run([sys.executable, "-m", "geomap", "parse", str(article)],
                             capture_output=True, text=True)
    assert "Zzyxovka" not in offline.stdout and not server.asked
    online = subprocess.run([sys.executable, "-m", "geomap", "parse", str(article), "--online",
                             "nominatim", "--online-url", f"http://{server.domain}",
                             "--user-agent", "geomap-tests/1.0"], capture_output=True, text=True)
    assert online.returncode == 0, online.stderr
    found = [json.loads(line) for line in online.stdout.splitlines()]
    assert any(r["text"] == "Zzyxovka" and r["admin1"] == "UA-63" for r in found)
    assert server.user_agents == {"geomap-tests/1.0"}


def test_an_online_service_without_a_user_agent_is_a_usage_error(tmp_path):
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text(TEXT, "utf-8")
    r = subprocess.run([sys.executable, "-m", "geomap", "parse", str(article), "--online", "nominatim"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "--user-agent" in r.stderr and "Traceback" not in r.stderr
