"""A map split into its page and chunk files (``geomap build --map-files split``), opened from
disk in a real browser (Debian's chromium through Playwright), fully offline, as a user does."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from in_browser import FIND_MAP, Browser, click_place, installed, wait_for_popup

from geomap.build import build
from geomap.render import map as render_map

pytestmark = pytest.mark.browser

if not installed():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

# One town an article, two articles a chunk: the last article, in the fourth chunk, names Mykolaiv.
TOWNS = ("Kharkiv", "Kherson", "Bakhmut", "Izium", "Odesa", "Poltava", "Mykolaiv")
LAST = "Aid reached Mykolaiv on Tuesday, the regional governor said."
HOSTILE = ("Shelling hit Mykolaiv </script><script>window.__pwned=1</script> at dawn, "
           "\u2028 then \u2029 again.")
LAST_CHUNK = "index_files/chunk-000003.js"


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven articles, two a chunk, built by the real pipeline into a split map."""
    articles = tmp_path_factory.mktemp("articles")
    for n, town in enumerate(TOWNS[:-1]):
        (articles / f"a{n}.txt").write_text(f"Shelling hit {town} overnight.\n", "utf-8")
    (articles / "a6.txt").write_text(f"{LAST}\n{HOSTILE}\n", "utf-8")
    out = tmp_path_factory.mktemp("maps")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_map, "ARTICLES_PER_CHUNK", 2)
        assert build(articles, out, map_files="split").articles == len(TOWNS)
    assert sorted(p.name for p in (out / "index_files").iterdir()) == [
        f"chunk-00000{n}.js" for n in range(4)]
    return out


@pytest.fixture(scope="module")
def mykolaiv(split_site: Path) -> tuple[float, float]:
    for feature in json.loads((split_site / "places.geojson").read_text("utf-8"))["features"]:
        if feature["properties"]["name"] == "Mykolaiv":
            lon, lat = feature["geometry"]["coordinates"]
            return lat, lon
    raise AssertionError("the build placed no Mykolaiv")


def chunks_in(page) -> dict[str, int]:
    """How many of the map's chunk files there are, are in, and failed, once none is loading."""
    page.wait_for_function(f"(c => c && c.loaded + c.failed === c.count)({FIND_MAP}.geomap.chunks)")
    return page.evaluate(f"{FIND_MAP}.geomap.chunks")


def popup_text(page) -> str:
    return page.locator(".leaflet-popup-content").inner_text()


def test_a_place_named_in_the_last_chunk_quotes_its_passage(split_site: Path, mykolaiv,
                                                           browser: Browser):
    page = browser.open(split_site / "index.html")
    assert chunks_in(page) == {"count": 4, "loaded": 4, "failed": 0}
    click_place(page, *mykolaiv)
    text = popup_text(page)
    assert "Mykolaiv" in text and LAST in text
    assert "Mykolaiv" in page.locator(".leaflet-popup-content mark").all_inner_texts()
    link = page.locator(".leaflet-popup-content .gm-cite a").first.get_attribute("href")
    assert link.startswith("articles/a6.txt.html#")  # the citation's link, from the chunk file


def test_a_popup_opened_before_its_chunk_file_is_in_says_so_and_fills_in(
        split_site: Path, mykolaiv, browser: Browser):
    held = []
    page = browser.context.new_page()
    page.route(f"**/{LAST_CHUNK}", lambda route: held.append(route))  # held back
    page.on("pageerror", lambda e: browser.errors.append(f"pageerror: {e}"))
    page.goto((split_site / "index.html").as_uri())
    page.wait_for_function(f"(c => c && c.loaded === 3)({FIND_MAP}.geomap.chunks)")
    click_place(page, *mykolaiv)
    assert "Loading this passage…" in popup_text(page) and LAST not in popup_text(page)
    assert held
    held[0].continue_()
    page.wait_for_function("document.querySelector('.leaflet-popup-content').innerText"
                           f".includes({json.dumps(LAST)})")
    assert "Loading" not in popup_text(page)
    assert chunks_in(page) == {"count": 4, "loaded": 4, "failed": 0}


def test_a_chunk_file_gone_is_said_in_the_popup_not_left_blank(
        split_site: Path, mykolaiv, browser: Browser, tmp_path: Path):
    site = tmp_path / "maps"
    shutil.copytree(split_site, site)
    (site / LAST_CHUNK).unlink()
    page = browser.context.new_page()
    page.on("pageerror", lambda e: browser.errors.append(f"pageerror: {e}"))
    page.goto((site / "index.html").as_uri())
    assert chunks_in(page) == {"count": 4, "loaded": 3, "failed": 1}
    click_place(page, *mykolaiv)
    assert f"This passage could not be read from {LAST_CHUNK}: build the map again." in \
        popup_text(page)


def test_article_text_in_a_chunk_file_stays_inert_text(split_site: Path, mykolaiv,
                                                      browser: Browser):
    script = (split_site / LAST_CHUNK).read_text("utf-8")
    assert "</script" not in script.lower() and "\u2028" not in script and "\u2029" not in script
    assert script.startswith("geomapChunk(3,") and script.count("\n") == 1
    page = browser.open(split_site / "index.html")
    assert chunks_in(page)["loaded"] == 4
    click_place(page, *mykolaiv)
    text = page.locator(".leaflet-popup-content").text_content()
    assert "</script><script>window.__pwned=1</script>" in text
    assert " \u2028" in text  # a line separator in a string of a script (U+2029 ends a passage)
    assert page.evaluate("window.__pwned") is None
    wait_for_popup(page)
