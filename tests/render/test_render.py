"""The HTML outputs without a browser: self-contained, deterministic, escaped, safely named."""
from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from geomap.gazetteer.alternates import distinct_names, other_names
from geomap.kinds import KINDS
from geomap.layers import region_counts
from geomap.models import Article, Event, Mention, Passage, Place
from geomap.render.assets import (
    OfflineAssetError,
    check_offline,
    remote_urls,
    script_json,
    without_relative_urls,
)
from geomap.render import basemap
from geomap.render import map as map_module
from geomap.render.basemap import (
    RING_ALPHABET,
    Basemap,
    decode_ring,
    encode,
    encode_ring,
    encode_shape,
    region_name,
)
from geomap.render.map import (
    MapAssembly,
    color_bins,
    legend,
    map_html,
    map_part,
)
from geomap.render.records import (
    ArticleRecord,
    EventRecord,
    LabelRecord,
    LegendRecord,
    MentionRecord,
    PassageRecord,
    PlaceRecord,
    SpellingRecord,
    TypeRecord,
)
from geomap.render.pages import article_page, page_name, sanitised_page_name
from geomap.taxonomy import event_types
from map_data import data_block, records

IZIUM = Place("Izium", "city", "UA", 49.2087, 37.2565, "UA-63", ["UA-63"], 707292)
DONBAS = Place("Donbas", "region", "UA", 48.3, 38.3, None, ["UA-14", "UA-09"])
ELSEWHERE = {"US-PR", "NL-SX", "MA-15", "MA-16"}  # drawn as PR, SX, and Western Sahara (admin-0)
HOSTILE = "<script>x()</script> ${x()} `y` \u2028 & </b>"


def article(text: str = "Shelling near Izium. Fighting in the Donbas.", **meta: str) -> Article:
    start, donbas = text.index("Izium"), text.index("Donbas")
    end = text.index(".") + 1
    return Article(
        id="a.txt", path="", text=text, sha256="0" * 64, passages=[
            Passage("p1", 0, end, 0), Passage("p2", end + 1, len(text), 0)],
        mentions=[Mention("a.txt", start, start + 5, "Izium", "p1", IZIUM, 0.9),
                  Mention("a.txt", donbas, donbas + 6, "Donbas", "p2", DONBAS, 0.8)],
        events=[Event("a.txt#p1:shelling", "shelling", "a.txt", "p1", [0], ["Izyum"], ["UA-63"],
                      49.2087, 37.2565, 1, "2022-09-20", "day"),
                Event("a.txt#p2:battle", "battle", "a.txt", "p2", [1], ["Donbas"], ["UA-14"],
                      48.3, 38.3, 2)],
        **meta)


@pytest.fixture(scope="module")
def shapes() -> Basemap:
    countries = gpd.GeoDataFrame({"iso_a2": ["UA"], "name": ["Ukraine"]},
                                 geometry=[box(22, 44, 40, 52.3)], crs=4326)
    admin1 = gpd.GeoDataFrame(
        {"iso_3166_2": ["UA-63", "UA-14", "UA-09"], "country": ["UA"] * 3,
         "name": ["Kharkiv", "Donetsk", "Luhansk"]},
        geometry=[box(35, 48.8, 38, 50.5), box(36.5, 46.8, 38.5, 48.8), box(38.5, 47.5, 40, 50)],
        crs=4326)
    return encode(countries, admin1)


def test_the_map_is_byte_identical_across_builds(shapes):
    assert map_html([article()], shapes) == map_html([article()], shapes)


def test_the_map_is_the_same_whatever_order_its_articles_are_added(shapes):
    first, second = article(), article("Fighting in Izium. Aid for Donbas.")
    second.id = "b.txt"
    second.mentions[0].place = Place(**dict(IZIUM.__dict__, lat=49.3))  # as corrected
    page = MapAssembly(2)
    page.add(1, map_part(second))
    page.add(0, map_part(first))
    assert page.html(shapes) == map_html([second, first], shapes)
    places = records(PlaceRecord, data_block(page.html(shapes))["places"])
    assert [row.lat for row in places] == [49.2087, 48.3]  # Izium as the first has it


def test_the_articles_tables_come_in_chunks_that_join_into_those_of_one(shapes, monkeypatch):
    texts = ["Shelling near Izium. Fighting in the Donbas.", "Fighting in Izium. Aid for Donbas.",
             "Aid for Izium. Shelling in the Donbas.", "Izium shelled. Donbas calm."]
    articles = [article(text) for text in texts]
    for n, each in enumerate(articles):
        each.id = f"{n}.txt"
    whole = data_block(map_html(articles, shapes))
    monkeypatch.setattr(map_module, "ARTICLES_PER_CHUNK", 3)
    chunked = data_block(map_html(articles, shapes))
    assert [len(c["articles"]["title"]) for c in chunked["chunks"]] == [3, 1]
    assert chunked["chunks"][1]["passages"]["article"] == [0, 0]  # numbered within the chunk
    assert chunked["chunks"][1]["events"]["passage"] == [0, 1]
    assert len(whole["chunks"]) == 1 and chunked | {"chunks": []} == whole | {"chunks": []}


def test_the_page_carries_the_kinds_of_place_and_the_event_types_from_their_tables(shapes):
    data = data_block(map_html([article()], shapes))
    assert data["kinds"] == {kind.name: {"label": kind.label, "zoom": kind.zoom,
                                         "outline": kind.outline} for kind in KINDS.values()}
    assert {name for name, k in data["kinds"].items() if k["outline"]} == {"country", "admin1"}
    assert records(TypeRecord, data["types"]) == [
        TypeRecord(t.name, t.label, t.colour, t.glyph) for t in event_types().values()]


def test_the_map_loads_nothing_remote_and_drops_bootstrap(shapes):
    page = map_html([article(url="https://example.com/a")], shapes)
    assert remote_urls(page) == []
    assert "bootstrap" not in page.lower() and "jquery" not in page.lower()
    assert "L.markerClusterGroup" in page


def test_hostile_text_cannot_leave_the_data_block(shapes):
    page = map_html([article(f"Izium. Donbas {HOSTILE}", title=HOSTILE, source=HOSTILE)], shapes)
    block = re.search(r'id="geomap-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and "\u2028" not in block
    assert data_block(page)["articles"]["title"] == [HOSTILE]
    assert "<script>x()" not in page


def test_region_counts_spread_an_area_over_every_unit_it_covers():
    assert region_counts([article()]) == {"UA-63": 1, "UA-14": 1, "UA-09": 1}


def test_colour_classes_cover_every_count():
    assert [label for label, _ in legend(color_bins(9), 9)] == ["1", "2", "3–4", "5–9"]
    assert [label for label, _ in legend(color_bins(2), 2)] == ["1", "2"]


def test_mention_offsets_in_the_data_are_utf16_for_javascript(shapes):
    text = "🙂 Izium. Donbas."
    data = data_block(map_html([article(text)], shapes))
    izium, _ = records(MentionRecord, data["mentions"])
    passage = records(PassageRecord, data["passages"])[izium.passage].text
    start, end = izium.start, izium.end
    assert passage.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le") == "Izium"


def test_the_reader_page_escapes_everything_and_links_only_web_urls():
    page = article_page(article(f"Izium. Donbas {HOSTILE}", title=HOSTILE, source=HOSTILE,
                                url="javascript:alert(1)"))
    assert "<script>x()" not in page and "javascript:" not in page
    assert '<span class="passage" id="p1">' in page
    assert 'href="../index.html#49.2087/37.2565/9"' in page
    assert 'href="../index.html#48.3000/38.3000/7"' in page


def test_the_map_and_the_reader_pages_credit_every_data_source_they_show():
    from geomap.render.layout import FOOTER

    shown = [re.sub(r"<[^>]+>", "", FOOTER), article_page(article("Izium. Donbas."))]
    for credit in ("GeoNames (CC BY 4.0)", "Natural Earth (public domain)",
                   "countries-states-cities (ODbL)"):
        assert all(credit in text for text in shown), credit


@pytest.mark.parametrize("article_id", ["../../etc/passwd", 'a "quoted" name.txt', "Київ.txt",
                                        "CON", "", "x" * 400])
def test_page_names_are_safe_file_names(article_id):
    name = page_name(article_id)
    assert re.fullmatch(r"[a-z0-9_][a-z0-9._-]*\.html", name) and len(name) < 130


@given(st.text(alphabet="abcz09._-AZ/ Кn", max_size=110)
       | st.sampled_from(["con", "con.txt", "nul.a.b", "lpt9", "conx.txt", "a" * 100, "a" * 101]))
def test_an_id_taken_as_its_page_name_is_one_sanitising_would_leave_alone(article_id):
    assert page_name(article_id) == sanitised_page_name(article_id)


def test_page_names_stay_distinct_when_sanitised_alike():
    assert len({page_name(i) for i in ["a b", "a_b", "a?b", "A_B"]}) == 4


def test_check_offline_rejects_remote_loads_but_not_links():
    check_offline('<a href="https://example.com">source</a>')
    for bad in ('<script src="https://x/a.js"></script>', '<link rel="stylesheet" href="//x/a.css">',
                '<img src="http://x/a.png">', "<style>a{background:url('https://x/i.png')}</style>"):
        with pytest.raises(OfflineAssetError):
            check_offline(bad)


def test_script_json_is_plain_json():
    assert json.loads(script_json({"a": HOSTILE})) == {"a": HOSTILE}


def test_boundary_rings_survive_encoding_exactly():
    rng = np.random.default_rng(7)
    points = np.cumsum(rng.integers(-40, 41, size=(500, 2)), axis=0)
    points = np.vstack([[[18000, -9000]], points, [[-18000, 9000], [0, 0], [-1, 1], [15, -16]]])
    text = encode_ring(points)
    assert set(text) <= set(RING_ALPHABET)
    assert decode_ring(text) == [tuple(p) for p in points.tolist()]


def test_small_steps_take_one_character_per_coordinate():
    assert len(encode_ring(np.array([[3, -4], [18, -19], [3, -4]]))) == 6  # steps in -16..15


def test_shapes_keep_every_polygon_and_hole_on_the_grid():
    holed = Polygon([(30, 50), (31.256, 50), (31.256, 51), (30, 51)],
                    [[(30.2, 50.2), (30.4, 50.2), (30.4, 50.4), (30.2, 50.4)]])
    shape = encode_shape(MultiPolygon([holed, box(-1.5, -2, -1, -1.25)]), 2)
    rings = sorted(sorted(decode_ring(r)) for polygon in shape for r in polygon)
    assert [len(polygon) for polygon in shape] in ([2, 1], [1, 2])
    assert rings == sorted([
        sorted([(3000, 5000), (3126, 5000), (3126, 5100), (3000, 5100)]),
        sorted([(3020, 5020), (3040, 5020), (3040, 5040), (3020, 5040)]),
        sorted([(-150, -200), (-100, -200), (-100, -125), (-150, -125)]),
    ])


def test_boundaries_are_stored_encoded(shapes):
    data = data_block(map_html([article()], shapes))
    assert data["countries"]["scale"] == data["regions"]["scale"] == 1000
    (outline,) = data["countries"]["shapes"]  # the union of its regions, not its own box
    regions = shapely.union_all([box(35, 48.8, 38, 50.5), box(36.5, 46.8, 38.5, 48.8),
                                 box(38.5, 47.5, 40, 50)])
    assert drawn(json.dumps(outline)).equals(regions)
    assert [f["properties"]["iso"] for f in data["regions"]["features"]] == ["UA-09", "UA-14",
                                                                            "UA-63"]


def test_events_share_the_passages_and_name_their_type(shapes):
    data = data_block(map_html([article()], shapes))
    types = data["types"]["name"]
    (shelling, battle) = records(EventRecord, data["events"])
    assert types[shelling.type] == "shelling" and types[battle.type] == "battle"
    assert shelling.date == "2022-09-20" and battle.date is None
    assert (shelling.lat, shelling.lon, shelling.places) == (49.2087, 37.2565, ["Izyum"])
    passages = records(PassageRecord, data["passages"])
    assert len(passages) == 2  # the events quote the passages the places already do
    (start, end), = shelling.spans
    assert passages[shelling.passage].text[start:end] == "Izium"


def test_the_pages_tables_hold_every_articles_records_pointing_at_its_own_passages(shapes):
    first, second = article(), article("Fighting in Izium. Aid for Donbas.")
    second.id = "b.txt"
    data = data_block(map_html([second, first], shapes))
    passages = records(PassageRecord, data["passages"])
    assert [(p.article, p.id) for p in passages] == [(0, "p1"), (0, "p2"), (1, "p1"), (1, "p2")]
    articles = records(ArticleRecord, data["articles"])
    assert [articles[p.article].file for p in passages] == ["a.txt"] * 2 + ["b.txt"] * 2
    quoted = [passages[m.passage].text[m.start:m.end] for m in records(MentionRecord,
                                                                         data["mentions"])]
    assert quoted == ["Izium", "Donbas", "Izium", "Donbas"]
    events = records(EventRecord, data["events"])
    assert [(passages[e.passage].article, passages[e.passage].id) for e in events] == [
        (0, "p1"), (0, "p2"), (1, "p1"), (1, "p2")]


def test_regions_are_shaded_by_mentions_and_by_events(shapes):
    regions = {f["properties"]["iso"]: f["properties"]
               for f in data_block(map_html([article()], shapes))["regions"]["features"]}
    assert {iso: p["events"] for iso, p in regions.items()} == {"UA-09": 0, "UA-14": 1,
                                                                "UA-63": 1}
    assert regions["UA-09"]["ecolor"] is None and regions["UA-14"]["ecolor"]


def test_the_legends_and_the_country_labels_are_tables_of_their_records(shapes):
    data = data_block(map_html([article()], shapes))
    assert records(LegendRecord, data["legend"]["mentions"]) == legend(color_bins(1), 1)
    assert records(LegendRecord, data["legend"]["events"]) == [LegendRecord("1", "#fd8d3c")]
    (ukraine,) = records(LabelRecord, data["labels"])
    assert ukraine.name == "Ukraine" and 44 < ukraine.lat < 52.3 and 22 < ukraine.lon < 40


def test_places_are_searchable_by_the_spelling_in_the_text(shapes):
    izium = dict(IZIUM.__dict__, name="Izyum")
    a = article()
    a.mentions[0].place = Place(**izium)
    data = data_block(map_html([a], shapes))
    (spelling,) = records(SpellingRecord, data["spellings"])
    places = {p.key: p for p in records(PlaceRecord, data["places"])}
    assert places[spelling.place].name == "Izyum" and spelling.text == "Izium"


def test_places_are_searchable_by_their_other_names_from_the_gazetteer(shapes):
    data = data_block(map_html([article()], shapes))
    places = {p.key: p for p in records(PlaceRecord, data["places"])}
    izium = places["gn:707292"]
    assert {"Izjum", "Isjum"} <= set(izium.other_names) and "Izyum" not in izium.other_names
    assert places[DONBAS.key].other_names == []  # no GeoNames town


def test_other_names_are_latin_spellings_each_once():
    assert distinct_names("Kyiv", ["Kiev", "KIEV", "Kyïv", "IEV", "Київ", "kiv", "Kyiv", "Kijów",
                                   "Kijow"]) == ["Kiev", "Kijów"]
    assert "Artemovsk" in other_names(713174)  # Bakhmut
    assert other_names(None) == []


def test_the_map_names_the_countries_and_regions_of_its_places(shapes):
    data = data_block(map_html([article()], shapes))
    assert data["names"] == {"UA": "Ukraine", "UA-63": "Kharkiv"}
    assert data["countries"]["codes"] == ["UA"]


def test_a_ukrainian_region_is_an_oblast_and_a_us_state_is_itself():
    assert region_name("Kharkiv", "Region", "UA") == "Kharkiv Oblast"
    assert region_name("Kyiv Oblast", "Region", "UA") == "Kyiv Oblast"
    assert region_name("Texas", "State", "US") == "Texas"
    assert region_name("Kyiv", "City", "UA") == "Kyiv"


def test_the_reader_page_lists_events_linked_to_passage_and_map():
    page = article_page(article())
    assert "Events in this article" in page
    assert '<a href="../index.html#49.2087/37.2565/9">Izyum</a>' in page
    assert '<a href="#p1">p1</a>' in page and "<time>2022-09-20</time>" in page


def test_plugin_css_loses_images_it_would_fetch_from_disk():
    css = ('a{background-image:url("images/toggle.svg")} b{x:url(data:image/png;base64,AA)} '
           "c{behavior:url(#default#VML)} d{y:url(images/x.png)}")
    assert without_relative_urls(css) == ("a{background-image:none} b{x:url(data:image/png;base64,AA)} "
                                          "c{behavior:url(#default#VML)} d{y:none}")


def test_installed_boundaries_are_encoded_once_then_read_from_the_cache(fresh_cache):
    from geomap.cache import cache_dir

    first = basemap.load()
    (cached,) = cache_dir().glob("basemap-*.json")
    assert basemap.load() == first
    name, shape = first.regions["UA-63"]
    lon, lat = zip(*(p for ring in json.loads(shape)[0] for p in decode_ring(ring)))
    assert name == "Kharkiv Oblast" and 34.5 < min(lon) / 1000 < max(lon) / 1000 < 38.5
    assert 48.5 < min(lat) / 1000 < max(lat) / 1000 < 50.5
    assert "UA-43" in first.regions and len(json.loads(first.countries)) > 200  # Crimea; the world
    cached.write_text('{"countries": [', "utf-8")  # cut short, as by a full disk
    assert basemap.load() == first
    assert json.loads(cached.read_text("utf-8"))["regions"]["UA-63"][0] == "Kharkiv Oblast"
    assert first.names["UA"] == "Ukraine" and first.names["RU"] == "Russia"
    assert dict(zip(json.loads(first.codes), json.loads(first.countries)))["UA"]  # its outline


def drawn(shape: str) -> shapely.MultiPolygon:
    """A shape of the basemap as the browser draws it (``static/map.js`` decodes it so)."""
    scale = 10 ** basemap.DIGITS
    return shapely.MultiPolygon([
        (ring[0], ring[1:]) for ring in (
            [[(x / scale, y / scale) for x, y in decode_ring(r)] for r in rings]
            for rings in json.loads(shape))])


def outlines(installed: Basemap) -> dict[str, shapely.MultiPolygon]:
    return {code: drawn(json.dumps(shape)) for code, shape in
            zip(json.loads(installed.codes), json.loads(installed.countries)) if code}


@pytest.mark.parametrize("country", ["UA", "BY", "PL", "RO", "SK", "HU", "DE", "US"])
def test_regions_fill_their_country_outline_exactly(country):
    installed = basemap.load()
    outline = outlines(installed)[country]
    regions = shapely.union_all([drawn(shape) for iso, (_, shape) in installed.regions.items()
                                 if iso.startswith(f"{country}-") and iso not in ELSEWHERE])
    # Natural Earth's admin-0 countries, simplified apart from the regions, differed by 0.8 %.
    assert shapely.symmetric_difference(regions, outline).area < 1e-6 * outline.area


def test_every_region_lies_within_its_country_outline():
    installed = basemap.load()
    countries = outlines(installed)
    outside = {iso: drawn(shape).difference(countries[iso[:2]]).area
               for iso, (_, shape) in installed.regions.items()
               if iso[:2] in countries and iso not in ELSEWHERE}
    # at most a speck of rounding (Po delta): 5e-5 square degrees, about a pixel at zoom 8
    assert len(outside) > 4000 and max(outside.values()) < 5e-5


def test_regions_draw_no_border_their_neighbours_do_not_share():
    installed = basemap.load()
    shapes = [drawn(shape) for iso, (_, shape) in installed.regions.items()
              if iso[:2] in ("UA", "RU", "BY")]
    overlap = sum(s.area for s in shapes) - shapely.union_all(shapes).area
    assert overlap < 1e-6 * sum(s.area for s in shapes)


def test_the_page_layout_is_rendered_by_folium_once_then_read_from_the_cache(shapes, fresh_cache):
    from geomap.cache import cache_dir
    from geomap.render.map import page_template

    first = map_html([article()], shapes)
    (cached,) = cache_dir().glob("map-layout-*.html")
    assert page_template() == cached.read_text("utf-8")
    cached.unlink()
    cached.write_text("<html>cut short", "utf-8")  # damaged: laid out again
    assert map_html([article()], shapes) == first
    assert remote_urls(first) == [] and "L.markerClusterGroup" in first
