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

from geomap.build import build

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
    "text": "Fighting near Bakhmut went on overnight. ${window.__pwned=1} `x` </script><b>bold</b>",
    "url": "javascript:window.__pwned=1",
}
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


# --- the site --------------------------------------------------------------------------------

VILLAGE = "Ukrainian troops entered Robotyne, a village of a few hundred people, on Monday.\n"


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
    (articles / "village.txt").write_text(VILLAGE, encoding="utf-8")
    out = tmp_path_factory.mktemp("maps")
    report = build(articles, out)
    assert report.skipped == [] and report.articles == len(SEED_IDS) + 2
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


def click_place(page, lat: float, lon: float, layer: str = "places") -> None:
    """Zoom the map to its max on a place and click the marker there, in ``layer`` alone."""
    page.mouse.click(*centre_on(page, lat, lon, layer))
    wait_for_popup(page)


def wait_for_popup(page) -> None:
    page.wait_for_selector(".leaflet-popup-content .gm-popup")
    page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")


def centre_on(page, lat: float, lon: float, layer: str) -> tuple[float, float]:
    """Show only ``layer`` of the marks, zoom in to its max on a spot; its page coordinates."""
    point = page.evaluate(f"""([lat, lon, layer]) => {{
        const map = {FIND_MAP};
        for (const name of ["places", "events"]) if (name !== layer) map.geomap[name].remove();
        map.setView([lat, lon], map.getMaxZoom(), {{animate: false}});
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }}""", [lat, lon, layer])
    page.wait_for_timeout(300)
    return point


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# --- tests -----------------------------------------------------------------------------------

LAYER_LABELS = ".leaflet-control-layers label:not(.leaflet-control-layers-group-label)"


def layer_input(page, name: str, whole: bool = True):
    """The checkbox (or radio button) of the layer labelled ``name`` (or starting with it)."""
    page.hover(".leaflet-control-layers")  # it opens on hover
    label = re.compile(rf"^\s*{re.escape(name)}" + (r"\s*$" if whole else ""))
    return page.locator(LAYER_LABELS, has_text=label).first.locator("input")


def map_value(page, expression: str):
    """``expression`` evaluated with ``map`` bound to the page's Leaflet map."""
    return page.evaluate(f"(() => {{ const map = {FIND_MAP}; return {expression}; }})()")


@pytest.fixture(scope="module")
def events(site: Path) -> list[dict]:
    """The located events the build exported."""
    return [f["properties"] for f in json.loads((site / "events.geojson").read_text("utf-8"))
            ["features"] if f["geometry"]]


def test_the_map_groups_its_layers_and_draws_them(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    groups = page.eval_on_selector_all(".leaflet-control-layers-group-name",
                                       "spans => spans.map(s => s.textContent)")
    assert groups == ["Regions", "Places", "Events", "Articles"]
    names = page.eval_on_selector_all(LAYER_LABELS, "ls => ls.map(l => l.textContent.trim())")
    assert names[:8] == ["Countries (offline)", "OpenStreetMap (online)", "Mentions per region",
                         "Events per region", "Places", "Heat map", "Events",
                         "Russian-controlled regions of eastern and southern Ukraine… (2022-09-20)"]
    assert len(names) == 7 + 4  # three seeds, the hostile article and the village
    assert any(n.startswith(EVIL["title"]) for n in names)
    assert page.locator(".leaflet-basemap-pane path").count() > 100  # decoded country outlines
    assert page.locator(".leaflet-regions-pane path.leaflet-interactive").count() > 0
    assert page.locator(".gm-legend").inner_text().startswith("Mentions per region")
    assert page.locator(".gm-event-icon").count() > 0
    assert page.locator(".leaflet-control-minimap .leaflet-interactive, "
                        ".leaflet-control-minimap path").count() > 100  # the offline outlines
    assert page.locator(".leaflet-control-scale, .leaflet-control-zoom-fullscreen").count() == 2
    assert "GeoNames (CC BY 4.0)" in page.locator("footer").inner_text()
    screenshot(page, "map.png")
    page.hover(".leaflet-control-layers")
    screenshot(page, "map-layers.png")


def test_the_browser_gathers_each_place_once_with_every_articles_mentions(site: Path,
                                                                           browser: Browser):
    page = browser.open(site / "index.html")
    drawn = page.evaluate(f"{FIND_MAP}.geomap.heat._latlngs.map(p => [p[0], p[1], p[2]])")
    exported, shared = [], 0
    for feature in json.loads((site / "places.geojson").read_text("utf-8"))["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        exported.append([round(lat, 5), round(lon, 5), feature["properties"]["mentions"]])
        shared += len(feature["properties"]["articles"]) > 1
    assert sorted(drawn) == sorted(exported)
    assert shared > 0  # places named by several articles, each drawn once


def test_every_overlay_toggles(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    page.hover(".leaflet-control-layers")
    overlays = page.locator(".leaflet-control-layers-overlays " + LAYER_LABELS)
    for i in range(overlays.count()):
        box = overlays.nth(i).locator("input")
        before = box.is_checked()
        box.click()
        assert box.is_checked() != before, overlays.nth(i).inner_text()
        box.click()
    layer_input(page, "Heat map").check()
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    layer_input(page, "Events per region").check()
    sync_api.expect(layer_input(page, "Mentions per region")).not_to_be_checked()
    assert page.locator(".gm-legend").inner_text().startswith("Events per region")
    layer_input(page, "Events").uncheck()
    assert page.locator(".gm-event-icon, .gm-events").count() == 0


def test_the_online_basemap_loads_tiles_only_when_chosen(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    page.wait_for_timeout(200)
    assert browser.blocked == []
    layer_input(page, "OpenStreetMap (online)").check()
    page.wait_for_function(f"{FIND_MAP}.geomap.online._loading === false || true")
    page.wait_for_timeout(300)
    assert browser.blocked and all("tile.openstreetmap.org" in u for u in browser.blocked)
    assert page.locator(".leaflet-basemap-pane path").count() == 0
    browser.blocked.clear()
    browser.errors.clear()  # the refused tiles


def test_search_finds_izium_and_zooms_there(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    page.locator(".gm-search input").fill("izium")
    result = page.locator(".gm-search li").first
    assert result.inner_text().startswith("Izium")
    result.click()
    page.wait_for_timeout(400)
    centre, zoom = map_value(page, "[[map.getCenter().lat, map.getCenter().lng], map.getZoom()]")
    assert centre == pytest.approx(places["Izium"], abs=1e-3) and zoom == 11
    assert page.locator("path.gm-focus").count() == 1


def test_searching_an_article_shows_its_layer(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    page.locator(".gm-search input").fill("shelled-out")
    page.locator(".gm-search input").press("Enter")
    assert layer_input(page, "A shelled-out building", whole=False).is_checked()


def test_the_time_slider_filters_events(site: Path, events, browser: Browser):
    page = browser.open(site / "index.html")
    shown = "map.geomap.events.getLayers().length"
    assert map_value(page, shown) == len(events)
    firsts = {1: "{}-01-01", 2: "{}-01", 3: "{}"}  # the map's steps: each date's first day
    days = sorted({firsts[len(e["date"].split("-"))].format(e["date"]) for e in events if e["date"]})
    slide = "(s, v) => { const i = document.querySelector(s); i.value = v; i.dispatchEvent(new Event('input')); }"
    page.evaluate(f"([s, v]) => ({slide})(s, v)", [".gm-from", len(days) - 1])
    undated = sum(e["date"] is None for e in events)
    on_last_day = sum(e["date"] == days[-1] for e in events)
    assert page.locator(".gm-when").inner_text() == f"{days[-1]} – {days[-1]}"
    assert map_value(page, shown) == undated + on_last_day
    page.locator(".gm-events label", has_text="undated").locator("input").uncheck()
    assert map_value(page, shown) == on_last_day
    page.locator(".gm-events label", has_text="Referendum").locator("input").uncheck()
    remaining = sum(e["date"] == days[-1] and e["type"] != "referendum" for e in events)
    assert map_value(page, shown) == remaining
    layer_input(page, "Events").uncheck()
    layer_input(page, "Events").check()  # the panel comes back as it was left
    assert page.locator(".gm-when").inner_text() == f"{days[-1]} – {days[-1]}"
    assert map_value(page, shown) == remaining


def test_an_event_popup_quotes_its_passage_with_type_and_date(site: Path, events, browser: Browser):
    page = browser.open(site / "index.html")
    page.mouse.click(*centre_on(page, 48.145, 37.7933, "events"))  # two referendums there
    page.wait_for_timeout(500)  # the cluster spreads out its events
    page.locator(".gm-event-icon:not(.gm-event-cluster)").first.click()
    wait_for_popup(page)
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text().endswith("Referendum")
    assert "2022-09-23" in popup.inner_text() and "Donetsk" in popup.inner_text()
    assert popup.locator("blockquote mark").count() > 0
    assert popup.locator(".gm-cite a").get_attribute("href").startswith("articles/")
    screenshot(page, "map-event-popup.png")


def test_the_izium_popup_quotes_its_passage_and_links_to_it(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    click_place(page, *places["Izium"])
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == "Izium"  # the official name, as the text says it
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


def test_a_village_placed_at_its_hromada_town_says_so_in_its_popup(site: Path, places,
                                                                    browser: Browser):
    page = browser.open(site / "index.html")
    click_place(page, *places["Robotyne"])
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == "Robotyne"
    assert "Approximate point: the main town of its hromada" in popup.inner_text()


def test_a_place_on_the_reader_page_returns_to_the_map_centred_on_it(site: Path, places,
                                                                        browser: Browser):
    page = browser.open(site / "articles" / "000_5569f9ce00dd0d52.txt.html")
    assert page.locator(".places li").count() > 5
    assert page.locator(".events li", has_text="Violence against civilians").count() > 0
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
    layer_input(page, EVIL["title"], whole=False).check()
    page.locator(".gm-search input").fill("<script>")
    assert page.locator(".gm-search li").first.inner_text().startswith(EVIL["title"])
    assert page.locator(".gm-search li img, .gm-search li script").count() == 0
    popups = map_value(page, """map.geomap.events.getLayers().map(m => {
        const node = m.getPopup().getContent()(m);
        return [node.querySelectorAll("img, script, b").length, node.textContent]; })""")
    assert any(EVIL["title"] in text for _, text in popups)
    assert all(count == 0 for count, _ in popups)
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
