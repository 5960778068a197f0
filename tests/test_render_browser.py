"""The rendered site in a real browser (Debian's chromium through Playwright), fully offline."""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from geomap.pipeline import build

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SEED_IDS = ("000_5569f9ce00dd0d52.txt", "003_18cfb9e21a9eeed5.txt")
EVIL_STEM = 'evil "..<x>" Київ'
EVIL = {
    "title": "<script>window.__pwned=1</script>",
    "source": '"><img src=x onerror="window.__pwned=1">',
    "text": "Shelling hit Bakhmut overnight. ${window.__pwned=1} `x` </script><b>bold</b>",
    "url": "javascript:window.__pwned=1",
}
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


# --- the site --------------------------------------------------------------------------------

def write_hostile_article(folder: Path) -> None:
    """An article whose text and every sidecar field try to run script."""
    (folder / f"{EVIL_STEM}.txt").write_text(EVIL["text"], encoding="utf-8")
    meta = {k: EVIL[k] for k in ("title", "source", "url")} | {"published": "2022-09-22"}
    (folder / f"{EVIL_STEM}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                              encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seeds plus the hostile article, built into ``maps/`` by the real pipeline."""
    articles = tmp_path_factory.mktemp("articles")
    for path in SEEDS.iterdir():
        if path.is_file():
            shutil.copy2(path, articles / path.name)
    write_hostile_article(articles)
    out = tmp_path_factory.mktemp("maps")
    report = build(articles, out)
    assert report.skipped == [] and report.articles == len(SEED_IDS) + 1
    return out


@pytest.fixture(scope="module")
def places(site: Path) -> dict[str, tuple[float, float]]:
    """``(lat, lon)`` of each place the build exported, by its name and by each surface form."""
    points = {}
    for feature in json.loads((site / "places.geojson").read_text("utf-8"))["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        props = feature["properties"]
        for name in [props["name"], *props["surfaces"]]:
            points.setdefault(name, (lat, lon))
    return points


# --- the browser -----------------------------------------------------------------------------

@dataclass
class Browser:
    """One chromium context that may only read local files; records what went wrong."""

    context: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: Path | str):
        page = self.context.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.goto(path if isinstance(path, str) else path.as_uri())
        page.wait_for_function(f"window.L && {FIND_MAP} || !document.querySelector('.folium-map')")
        return page


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1200, "height": 800})
        browser = Browser(context)

        def guard(route) -> None:
            if route.request.url.startswith(("file:", "data:", "blob:")):
                route.continue_()
            else:
                browser.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        yield browser
        context.close()


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Browser]:
    """The shared browser; each test ends with no network request and no script error."""
    chromium.blocked.clear()
    chromium.errors.clear()
    yield chromium
    for page in chromium.context.pages:
        page.close()
    assert chromium.blocked == []
    assert chromium.errors == []


def click_place(page, lat: float, lon: float) -> None:
    """Zoom the map to its max on a place and click the marker there."""
    point = page.evaluate(f"""([lat, lon]) => {{
        const map = {FIND_MAP};
        map.setView([lat, lon], map.getMaxZoom(), {{animate: false}});
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }}""", [lat, lon])
    page.wait_for_timeout(300)
    page.mouse.click(*point)
    page.wait_for_selector(".leaflet-popup-content .gm-popup")
    page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# --- tests -----------------------------------------------------------------------------------

def test_the_map_lists_regions_places_and_one_layer_per_article(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    names = page.eval_on_selector_all(".leaflet-control-layers-overlays label",
                                      "spans => spans.map(s => s.textContent.trim())")
    assert names[:2] == ["Regions", "Places"]
    assert len(names) == 2 + 3
    assert any(n.startswith(EVIL["title"]) for n in names)
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() > 0
    assert page.locator(".leaflet-basemap-pane path").count() > 100  # decoded country outlines
    assert page.locator(".leaflet-regions-pane path.leaflet-interactive").count() > 0
    assert page.locator(".gm-legend").is_visible()
    screenshot(page, "map.png")


def test_the_izium_popup_quotes_its_passage_and_links_to_it(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    click_place(page, *places["Izium"])
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == "Izyum"  # GeoNames' name; the text says Izium
    assert "graves near the once-occupied city of Izium" in popup.inner_text()
    assert "Izium" in popup.locator("mark").all_inner_texts()
    screenshot(page, "map-izium-popup.png")

    link = popup.locator(".gm-cite a").filter(has_text=re.compile("Russian-controlled")).first
    passage_id = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/articles/000_5569f9ce00dd0d52.txt.html#{passage_id}")
    target = page.locator(":target")
    assert target.get_attribute("id") == passage_id
    assert "Izium" in target.inner_text()
    screenshot(page, "reader-page.png")


def test_a_place_on_the_reader_page_returns_to_the_map_centred_on_it(site: Path, places,
                                                                        browser: Browser):
    page = browser.open(site / "articles" / "000_5569f9ce00dd0d52.txt.html")
    page.locator("a.place", has_text="Izium").first.click()
    page.wait_for_function(f"window.L && {FIND_MAP}")
    centre, zoom = page.evaluate(f"(() => {{ const m = {FIND_MAP}; "
                                 "const c = m.getCenter(); return [[c.lat, c.lng], m.getZoom()]; })()")
    assert centre == pytest.approx(places["Izium"], abs=1e-3)
    assert zoom == 11


def test_hostile_article_fields_stay_inert_text(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    click_place(page, *places["Bakhmut"])
    popup = page.locator(".leaflet-popup-content")
    assert EVIL["title"] in popup.inner_text()
    assert EVIL["source"] in popup.inner_text()
    assert popup.locator("img, script, b").count() == 0
    label = page.locator(".leaflet-control-layers-overlays label", has_text="window.__pwned")
    label.locator("input").check()
    assert page.evaluate("window.__pwned") is None

    page.goto((site / "articles").as_uri() + "/" + page_of(site, "evil"))
    assert page.locator("h1").inner_text() == EVIL["title"]
    assert EVIL["source"] in page.locator(".meta").inner_text()
    assert "${window.__pwned=1} `x` </script><b>bold</b>" in page.locator(".text").inner_text()
    assert page.locator("main img, main script, main b, a.original").count() == 0
    assert page.evaluate("window.__pwned") is None


def page_of(site: Path, prefix: str) -> str:
    """The file name of the one article page starting with ``prefix``."""
    (name,) = [p.name for p in (site / "articles").iterdir() if p.name.startswith(prefix)]
    return name
