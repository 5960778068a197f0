"""The rendered site in a real browser (Debian's chromium through Playwright), fully offline."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from in_browser import (
    FIND_MAP,
    Browser,
    centre_on,
    click_place,
    installed,
    map_value,
    on_map,
    settle,
    still,
    wait_for_popup,
)
from paths import ARTIFACTS, SEEDS

from geomap.build import build

pytestmark = pytest.mark.browser

if not installed():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

SEED_IDS = ("000_5569f9ce00dd0d52.txt", "003_18cfb9e21a9eeed5.txt")
EVIL_STEM = 'evil "..<x>" Київ'
EVIL = {
    "title": "<script>window.__pwned=1</script>",
    "source": '"><img src=x onerror="window.__pwned=1">',
    "text": "Fighting near Bakhmut went on overnight. ${window.__pwned=1} `x` </script><b>bold</b>",
    "url": "javascript:window.__pwned=1",
}




# --- the site --------------------------------------------------------------------------------

VILLAGE = "Ukrainian troops entered Robotyne, a village of a few hundred people, on Monday.\n"
VILLAGE_URL = "https://news.example.org/2023/08/28/robotyne"  # never opened: only linked


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
    (articles / "village.yaml").write_text(f"url: {VILLAGE_URL}\n", encoding="utf-8")
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


def badge_beside(page, spot: tuple[float, float]) -> tuple[float, float]:
    """The page coordinates of the event badge drawn nearest up and right of ``spot``."""
    return tuple(page.evaluate("""([x, y]) => {
        const centre = b => [(b.left + b.right) / 2, (b.top + b.bottom) / 2];
        const away = b => Math.hypot(centre(b)[0] - x, centre(b)[1] - y);
        const boxes = [...document.querySelectorAll(".gm-event-icon")]
          .map(e => e.getBoundingClientRect()).filter(b => b.left >= x && b.bottom <= y);
        return centre(boxes.reduce((a, b) => away(b) < away(a) ? b : a));
    }""", list(spot)))


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
    assert names[:11] == ["Countries (offline)", "OpenStreetMap (online)", "Mentions per region",
                          "Events per region", "No shading", "Places",
                          "Countries and regions named", "Names", "Heat map", "Events",
                          "000_5569f9ce00dd0d52.txt (2022-09-20)"]  # no title: its file name
    assert len(names) == 10 + 4  # three seeds, the hostile article and the village
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
        if feature["properties"]["feature"] not in ("country", "admin1"):  # areas, not points
            exported.append([round(lat, 5), round(lon, 5), feature["properties"]["mentions"]])
        shared += len(feature["properties"]["articles"]) > 1
    assert sorted(drawn) == sorted(exported)
    assert shared > 0  # places named by several articles, each drawn once


def test_every_overlay_toggles(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    page.hover(".leaflet-control-layers")
    overlays = page.locator(".leaflet-control-layers-overlays " + LAYER_LABELS)
    for i in range(overlays.count()):
        box = overlays.nth(i).locator("input[type=checkbox]")
        if not box.count():
            continue  # the regions' shading: one of three
        before = box.is_checked()
        box.click()
        assert box.is_checked() != before, overlays.nth(i).inner_text()
        box.click()
    layer_input(page, "Heat map").check()
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    layer_input(page, "Names").uncheck()
    assert page.locator(".gm-place-label").count() == 0
    layer_input(page, "Names").check()
    layer_input(page, "Countries and regions named").uncheck()
    assert page.locator(".gm-area-badge").count() == 0


def test_the_regions_are_shaded_by_one_count_or_none_and_the_legend_follows(site: Path,
                                                                          browser: Browser):
    page = browser.open(site / "index.html")
    assert layer_input(page, "Mentions per region").get_attribute("type") == "radio"
    layer_input(page, "Events per region").check()
    sync_api.expect(layer_input(page, "Mentions per region")).not_to_be_checked()
    assert page.locator(".gm-legend").count() == 1
    assert page.locator(".gm-legend").inner_text().startswith("Events per region")
    layer_input(page, "No shading").check()
    assert page.locator(".gm-legend").count() == 0
    assert page.locator(".leaflet-regions-pane path").count() == 0
    layer_input(page, "Mentions per region").check()
    assert page.locator(".gm-legend").inner_text().startswith("Mentions per region")
    swatch = page.locator(".gm-swatch b").first.evaluate("b => getComputedStyle(b).opacity")
    fill = map_value(page, "map.geomap.regions.mentions.getLayers()[0].options.fillOpacity")
    assert float(swatch) == pytest.approx(fill)  # the swatches look as the fills do


def test_the_layers_of_events_toggle_with_their_panel(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
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


def map_view(page) -> tuple[int, list[float]]:
    """The map's zoom and bounds ``[south, west, north, east]``."""
    return map_value(page, "[map.getZoom(), [map.getBounds().getSouth(), map.getBounds().getWest(),"
                           " map.getBounds().getNorth(), map.getBounds().getEast()]]")


def assert_around(page, point: tuple[float, float]) -> None:
    """The map is at a town's surroundings (zoom 6 to 10) with ``point`` in view."""
    zoom, (south, west, north, east) = map_view(page)
    assert 6 <= zoom <= 10
    assert south < point[0] < north and west < point[1] < east


def search_and_press_enter(page, query: str) -> None:
    box = page.locator(".gm-search input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 1")  # one gone
    wait_for_popup(page)


def test_search_lands_on_the_place_with_its_popup_and_passage_open(site: Path, places,
                                                                    browser: Browser):
    page = browser.open(site / "index.html")
    search_and_press_enter(page, "izium")
    assert_around(page, places["Izium"])
    popup = page.locator(".leaflet-popup-content")
    assert "graves near the once-occupied city of Izium" in popup.inner_text()
    assert "Izium" in popup.locator("mark").all_inner_texts()
    assert "town in Kharkiv Oblast, Ukraine" in popup.inner_text()
    assert page.locator("path.gm-focus").count() == 1  # the mark ringed
    assert page.locator(".gm-search li").count() == 0
    screenshot(page, "map-search-izium.png")


def test_search_finds_a_place_by_its_former_or_other_name(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    page.locator(".gm-search input").fill("Artemivsk")
    assert page.locator(".gm-search li").first.inner_text().startswith("Artemivs'kBakhmut, town")
    page.locator(".gm-search li").first.click()
    wait_for_popup(page)
    assert page.locator(".leaflet-popup-content .gm-place h3").first.inner_text() == "Bakhmut"
    assert_around(page, places["Bakhmut"])
    search_and_press_enter(page, "Kiev")
    assert page.locator(".leaflet-popup-content .gm-place h3").first.inner_text() == "Kyiv"
    assert_around(page, places["Kyiv"])


def test_arrow_keys_move_through_the_suggestions(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    box = page.locator(".gm-search input")
    box.fill("k")
    items = page.locator(".gm-search li")
    assert items.count() > 2
    assert "gm-active" in items.nth(0).get_attribute("class")
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowUp")
    assert "gm-active" in items.nth(1).get_attribute("class")
    assert "gm-active" not in (items.nth(0).get_attribute("class") or "")
    chosen = items.nth(1).evaluate("li => li.firstChild.textContent")
    box.press("Enter")
    assert box.input_value() == chosen


def test_a_search_that_finds_nothing_says_so(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    page.locator(".gm-search input").fill("Xyzzyville")
    assert page.locator(".gm-search li").all_inner_texts() == ["No place or article matches"]
    page.locator(".gm-search input").press("Enter")  # nothing to go to: the map stays
    assert page.locator(".leaflet-popup").count() == 0


def test_searching_an_article_shows_its_layer(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    page.locator(".gm-search input").fill("shelled-out")
    page.locator(".gm-search input").press("Enter")
    assert layer_input(page, "003_18cfb9e21a9eeed5.txt", whole=False).is_checked()


def slide(page, selector: str, value: int) -> None:
    page.evaluate("([s, v]) => { const i = document.querySelector(s); i.value = v;"
                  " i.dispatchEvent(new Event('input')); }", [selector, value])


def test_the_time_slider_filters_events_by_their_date_or_their_articles(site: Path, events,
                                                                        browser: Browser):
    published = {"000_5569f9ce00dd0d52.txt": "2022-09-20", "003_18cfb9e21a9eeed5.txt": "2022-09-21",
                 f"{EVIL_STEM}.txt": "2022-09-22"}
    reported = [e["date_precision"] == "reported" for e in events]  # the article's date
    when = [e["date"] or published.get(e["article"]) for e in events]
    assert sum(reported) >= 5 and all(w == published[e["article"]]
                                      for e, w, r in zip(events, when, reported) if r)
    days = sorted({w for e, w, r in zip(events, when, reported)
                   if w and (e["date_precision"] == "day" or r)})
    page = browser.open(site / "index.html")
    shown = "map.geomap.events.getLayers().length"
    assert map_value(page, shown) == len(events)
    assert page.locator(".gm-when").inner_text() == f"{days[0]} – {days[-1]}"  # not 2014
    slide(page, ".gm-from", len(days) - 1)
    assert page.locator(".gm-when").inner_text() == f"{days[-1]} – {days[-1]}"
    undated = sum(w is None for w in when)
    on_last_day = sum(w == days[-1] for w in when)
    assert map_value(page, shown) == undated + on_last_day
    slide(page, ".gm-from", 0)
    slide(page, ".gm-to", 0)  # the first day: events reported later are hidden too
    reported_first = sum(r and w == days[0] for w, r in zip(when, reported))
    first = sum(w == days[0] or (w and w < days[0]) for w in when)
    assert reported_first > 0
    assert map_value(page, shown) == undated + first
    slide(page, ".gm-to", len(days) - 1)
    undated_box = page.locator(".gm-events label", has_text="undated").locator("input")
    assert undated_box.count() == (undated > 0)  # only if there are events of no date at all
    if undated:
        undated_box.uncheck()
    assert map_value(page, shown) == len(events) - undated
    page.locator(".gm-events label", has_text="Referendum").locator("input").uncheck()
    remaining = sum(w is not None and e["type"] != "referendum" for e, w in zip(events, when))
    assert map_value(page, shown) == remaining
    layer_input(page, "Events").uncheck()
    layer_input(page, "Events").check()  # the panel comes back as it was left
    assert map_value(page, shown) == remaining


def test_dragging_across_the_timeline_sets_the_range(site: Path, events, browser: Browser):
    page = browser.open(site / "index.html")
    bars = page.locator(".gm-timeline .gm-bar")
    n = bars.count()
    assert n >= 3 and page.locator(".gm-timeline .gm-bar i").count() >= n
    first, second = bars.nth(0).bounding_box(), bars.nth(1).bounding_box()
    page.mouse.move(first["x"] + 2, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(second["x"] + 2, second["y"] + second["height"] / 2, steps=4)
    page.mouse.up()
    assert page.locator(".gm-from").input_value() == "0"
    assert page.locator(".gm-to").input_value() == "1"
    assert page.locator(".gm-timeline .gm-out").count() == n - 2
    assert map_value(page, "map.geomap.events.getLayers().length") < len(events)
    screenshot(page, "map-timeline.png")


def test_an_event_without_a_date_says_when_it_was_reported(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    centre_on(page, *places["Bakhmut"], "events")
    if page.locator(".gm-event-cluster").count():  # two events there: spread them out
        page.locator(".gm-event-cluster").first.click()
        page.wait_for_timeout(500)
    page.locator(".gm-event-icon:not(.gm-event-cluster)").first.click()
    wait_for_popup(page)
    assert re.search(r"reported on 2022-09-2[12]", page.locator(".leaflet-popup-content").inner_text())


def test_an_event_popup_quotes_its_passage_with_type_and_date(site: Path, events, browser: Browser):
    page = browser.open(site / "index.html")
    centre_on(page, 48.145, 37.7933, "events")  # two referendums there
    page.locator(".gm-event-cluster").first.click()
    page.wait_for_timeout(500)  # the cluster spreads out its events
    page.locator(".gm-event-icon:not(.gm-event-cluster)").first.click()
    wait_for_popup(page)
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".gm-event h4").first.inner_text().endswith("Referendum")
    assert "2022-09-23" in popup.inner_text() and "Donetsk" in popup.inner_text()
    assert popup.locator("blockquote mark").count() > 0
    assert popup.locator(".gm-cite a").first.get_attribute("href").startswith("articles/")
    screenshot(page, "map-event-popup.png")


def test_hovering_an_event_badge_says_its_type_and_date(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    centre_on(page, 48.145, 37.7933, "events")  # two referendums there, each with its badge
    page.locator(".gm-event-cluster").first.click()
    page.wait_for_timeout(500)
    badges = page.locator(".gm-event-icon:not(.gm-event-cluster) .gm-badge")
    assert badges.count() == 2 and badges.first.inner_text() == badges.last.inner_text()
    badges.first.hover()
    assert page.locator(".leaflet-tooltip").inner_text() == "Referendum · 2022-09-23"


def test_one_click_at_a_town_shows_what_happened_and_what_was_said_there(site: Path, places,
                                                                        browser: Browser):
    page = browser.open(site / "index.html")
    izium = places["Izium"]
    point = page.evaluate(f"""([lat, lon]) => {{
        const map = {FIND_MAP};
        map.setView([lat, lon], 10, {{animate: false}});
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }}""", list(izium))
    page.wait_for_timeout(300)
    assert page.locator(".gm-event-icon").count() > 0  # its events are on the map, beside it
    page.mouse.click(*point)  # the town's own mark, all layers on
    wait_for_popup(page)
    popup = page.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert "WHAT HAPPENED HERE" in text.upper() and "Violence against civilians" in text
    assert popup.locator(".gm-place h3").inner_text() == "Izium"  # the official name
    assert "graves near the once-occupied city of Izium" in text
    screenshot(page, "map-town-places-and-events.png")
    page.keyboard.press("Escape")
    page.mouse.click(*badge_beside(page, point))  # and the town's badge: the same spot, both
    wait_for_popup(page)
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".gm-event").count() > 0 and popup.locator(".gm-place h3").count() == 1


def test_the_izium_popup_quotes_its_passage_and_links_to_it(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    click_place(page, *places["Izium"])
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == "Izium"  # the official name, as the text says it
    assert "town in Kharkiv Oblast, Ukraine" in popup.inner_text()
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


def test_a_popup_links_to_the_original_article_when_it_has_a_url(site: Path, places,
                                                                  browser: Browser):
    page = browser.open(site / "index.html")
    click_place(page, *places["Robotyne"])
    original = page.locator(".leaflet-popup-content .gm-cite a.gm-original")
    assert original.inner_text() == "original ↗"
    assert original.get_attribute("href") == VILLAGE_URL
    assert original.get_attribute("rel") == "noopener noreferrer"
    screenshot(page, "map-popup-original-link.png")
    page.goto((site / "articles" / "village.txt.html").as_uri())
    assert page.locator("a.original").get_attribute("href") == VILLAGE_URL


def test_a_place_on_the_reader_page_returns_to_the_map_centred_on_it(site: Path, places,
                                                                        browser: Browser):
    page = browser.open(site / "articles" / "000_5569f9ce00dd0d52.txt.html")
    assert page.locator(".places li").count() > 5
    assert page.locator(".events li", has_text="Violence against civilians").count() > 0
    page.locator("a.place", has_text="Izium").first.click()
    page.wait_for_function(f"window.L && {FIND_MAP}")
    wait_for_popup(page)
    assert_around(page, places["Izium"])
    assert "graves near the once-occupied city of Izium" in page.locator(
        ".leaflet-popup-content").inner_text()
    assert page.locator("path.gm-focus").count() == 1


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


def boxes_of(page, selector: str) -> list[list[float]]:
    """``[left, top, right, bottom]`` of each element matching ``selector`` that is drawn."""
    return page.eval_on_selector_all(selector, """nodes => nodes.map(n => n.getBoundingClientRect())
        .filter(r => r.width > 0).map(r => [r.left, r.top, r.right, r.bottom])""")


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_towns_are_named_at_zoom_7_and_no_name_covers_another(site: Path, places,
                                                             browser: Browser):
    page = browser.open(site / "index.html")
    on_map(page, f"map.setView([{places['Bakhmut'][0]}, {places['Bakhmut'][1]}], 7, "
                    "{animate: false})")
    still(page)
    names = page.locator(".gm-place-label span").all_inner_texts()
    assert {"Bakhmut", "Izium"} <= set(names)
    assert "Ukraine" not in names  # a country is an area, named by its badge
    labels = boxes_of(page, ".gm-place-label span")
    badges = boxes_of(page, ".gm-area-badge")
    assert not any(overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1:])
    assert not any(overlap(a, b) for a in labels for b in badges)
    screenshot(page, "map-names-zoom7.png")
    on_map(page, "map.setZoom(5, {animate: false})")
    still(page)
    assert page.locator(".gm-place-label").count() == 0  # below zoom 6, country names only


def test_a_country_named_without_a_town_is_an_outlined_area_not_a_point(site: Path, places,
                                                                       browser: Browser):
    page = browser.open(site / "index.html")
    badge = page.locator(".gm-area-badge", has_text="Ukraine")
    assert badge.count() == 1
    drawn = map_value(page, "map.geomap.places.getLayers().map(m => m.getLatLng())"
                            ".map(p => [p.lat, p.lng])")
    assert [round(x, 3) for x in places["Ukraine"]] not in [[round(x, 3) for x in p] for p in drawn]
    assert page.locator(".leaflet-areas-pane path").count() >= 2  # Ukraine and its regions named
    badge.click()
    wait_for_popup(page)
    assert page.locator(".leaflet-popup-content .gm-place h3").first.inner_text() == "Ukraine"


def test_each_article_layer_has_its_own_colour_beside_its_name(site: Path, browser: Browser):
    page = browser.open(site / "index.html")
    dots = page.eval_on_selector_all(".leaflet-control-layers-overlays .gm-dot",
                                     "ds => ds.map(d => getComputedStyle(d).backgroundColor)")
    assert len(dots) == 4 and len(set(dots)) == 4
    layer_input(page, "000_5569f9ce00dd0d52.txt", whole=False).check()
    layer_input(page, "003_18cfb9e21a9eeed5.txt", whole=False).check()
    fills = map_value(page, """map.geomap.articles.slice(0, 2).map(l => [...new Set(l.getLayers()
        .filter(m => m.setRadius).map(m => m.options.fillColor))])""")
    assert len(fills[0]) == len(fills[1]) == 1 and fills[0] != fills[1]


def test_on_a_phone_the_map_stays_mostly_visible(site: Path, browser: Browser):
    width, height = 390, 844
    page = open_at(browser, site, width, height)
    covered = sum(max(0, min(r, width) - max(l, 0)) * max(0, min(b, height) - max(t, 0))
                  for l, t, r, b in boxes_of(page, ".leaflet-control, footer"))
    assert covered / (width * height) <= 0.30  # overlaps counted twice: at most this
    assert page.locator(".gm-events").evaluate("d => d.open") is False  # folded to its title
    screenshot(page, "map-phone.png")
    page.locator(".gm-events summary").click()
    assert page.locator(".gm-events label").first.is_visible()


def open_at(browser: Browser, site: Path, width: int, height: int):
    """The map in a new page of ``width`` × ``height`` pixels."""
    return browser.open(site / "index.html", size=(width, height))


BOTTOM = {"attribution": ".leaflet-control-attribution", "scale": ".leaflet-control-scale",
          "minimap": ".leaflet-control-minimap", "legend": ".gm-legend", "events": ".gm-events",
          "footer": "footer"}


@pytest.mark.parametrize("width,height", [(390, 844), (1200, 800)])
def test_the_credits_scale_and_panels_at_the_bottom_do_not_cover_each_other(
        site: Path, browser: Browser, width: int, height: int):
    page = open_at(browser, site, width, height)
    on_map(page, "map.geomap.online.addTo(map)")  # the longest credits: OpenStreetMap's too
    page.wait_for_timeout(300)
    boxes = {name: box for name, selector in BOTTOM.items() for box in boxes_of(page, selector)}
    assert {"attribution", "footer", "minimap", "legend"} <= set(boxes)
    assert ("scale" in boxes) == (width > 600)  # a phone has no room for it
    names = sorted(boxes)
    covered = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
               if overlap(boxes[a], boxes[b])]
    assert covered == []
    assert page.locator("footer").evaluate(
        "f => f.scrollWidth <= f.clientWidth && f.scrollHeight <= f.clientHeight")  # not cut
    screenshot(page, f"map-bottom-{width}.png")
    browser.blocked.clear()
    browser.errors.clear()  # the refused tiles


def test_no_tooltip_shows_over_an_open_popup(site: Path, places, browser: Browser):
    page = browser.open(site / "index.html")
    pane = "getComputedStyle(document.querySelector('.leaflet-tooltip-pane')).display"
    click_place(page, *places["Izium"])
    assert page.evaluate(pane) == "none"
    on_map(page, "map.closePopup()")
    assert page.evaluate(pane) != "none"


def test_the_minimap_still_draws_the_countries_at_the_highest_zoom(site: Path, places,
                                                                   browser: Browser):
    page = browser.open(site / "index.html")
    on_map(page, f"map.setView([{places['Izium'][0]}, {places['Izium'][1]}], map.getMaxZoom(),"
                    " {animate: false})")
    page.wait_for_timeout(500)
    mini = boxes_of(page, ".leaflet-control-minimap")[0]
    inside = [b for b in boxes_of(page, ".leaflet-control-minimap path")
              if overlap(b, mini) and b[2] - b[0] > 1]
    assert inside  # outlines in view, not an empty grey box
    screenshot(page, "map-minimap-max-zoom.png")


BORDER = (50.35, 36.9)  # Kharkiv Oblast's border with Russia's Belgorod Oblast


def test_a_region_edge_and_its_country_border_are_one_line_at_zoom_8(site: Path,
                                                                      browser: Browser):
    page = browser.open(site / "index.html")
    on_map(page, f"map.setView([{BORDER[0]}, {BORDER[1]}], 8, {{animate: false}})")
    page.wait_for_timeout(300)
    shared = page.evaluate(f"""(() => {{
        const map = {FIND_MAP};
        const codes = JSON.parse(document.getElementById("geomap-data").textContent).countries.codes;
        const country = code => map.geomap.offline.getLayers()[codes.indexOf(code)];
        const points = layer => new Set(layer.feature.geometry.coordinates.flat(2)
            .map(p => p.join(",")));
        const kharkiv = map.geomap.regions.mentions.getLayers()
            .find(l => l.feature.properties.iso === "UA-63");
        const [ukraine, russia] = [country("UA"), country("RU")].map(points);
        const onRussia = [...points(kharkiv)].filter(p => russia.has(p));
        return [country("UA").getBounds().contains([50.45, 30.52]),
                onRussia.length, onRussia.filter(p => !ukraine.has(p)).length];
    }})()""")
    # its drawn edge along Russia: the very vertices of both countries' outlines
    assert shared[0] and shared[1] > 20 and shared[2] == 0
    screenshot(page, "map-border-zoom8.png")


def test_a_map_of_no_articles_says_there_are_none_yet(tmp_path: Path, browser: Browser):
    (tmp_path / "articles").mkdir()
    build(tmp_path / "articles", tmp_path / "maps")
    page = browser.open(tmp_path / "maps" / "index.html")
    assert page.locator(".gm-empty").inner_text().startswith("No articles yet")


def test_a_region_many_screens_away_is_drawn_and_named_once_the_map_is_dragged_there(
        site: Path, browser: Browser):
    """Outlines are projected near the view only: one far off at a high zoom is drawn, shaded
    and named on hover once the map is moved there in drags of less than a screen."""
    regions = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in json.loads(
        (site / "places.geojson").read_text("utf-8"))["features"]
        if f["properties"]["feature"] == "admin1"}
    (start_lon, start_lat), (lon, lat) = regions["Kharkiv"], regions["Kherson"]
    page = browser.open(site / "index.html")
    on_map(page, f"map.setView([{start_lat}, {start_lon}], 11, {{animate: false}})")
    steps = map_value(page, f"""(() => {{
        const far = map.project([{lat - 0.1}, {lon}]).subtract(map.project(map.getCenter()));
        const n = Math.ceil(far.distanceTo([0, 0]) / 300);
        for (let k = 0; k < n; k++) map.panBy(far.divideBy(n), {{animate: false}});
        return n;
    }})()""")
    assert steps > 20  # many screens away
    settle(page)
    box = page.locator(".folium-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".leaflet-tooltip .gm-tip strong")
    tip.wait_for()
    assert "Kherson" in tip.inner_text()
