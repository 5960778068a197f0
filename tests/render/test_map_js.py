"""The map script's functions of the data (geomap/render/static/map.js), each called in Debian's
chromium through Playwright, offline, on a page that holds nothing but the script."""
from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from geomap import kinds
from geomap.render.basemap import encode_ring
from geomap.render.map import DEFERRED
from geomap.render.layout import static_text
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
    columns,
)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def script_page() -> Iterator[object]:
    """A blank page with map.js loaded as the map page inlines it; no request leaves it."""
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_content("<!doctype html><meta charset='utf-8'><title>map.js</title>")
        page.add_script_tag(content=static_text("map.js"))
        yield page
        browser.close()
    assert errors == []


def call(page, function: str, *args):
    """``function(...args)`` in the page, its arguments and result passed as JSON."""
    return page.evaluate("([name, args]) => globalThis[name](...args)", [function, list(args)])


# --- gathering the articles' data into layers --------------------------------------------------

KYIV = PlaceRecord("kyiv", "Kyiv", "city", "UA", "UA-30", 50.45, 30.52, None, 2952301, ["Kiev"])
LVIV = PlaceRecord("lviv", "Lviv", "city", "UA", "UA-46", 49.84, 24.03, None, 717273, [])
ARTICLES = [ArticleRecord("First", "A", "2022-09-20", "articles/1.html", None, None),
            ArticleRecord("Second", "B", None, "articles/2.html", None, "https://example.org/2")]
PASSAGES = [PassageRecord(0, "p1", "Kyiv and Kiev."), PassageRecord(0, "p2", "Later, Kyiv."),
            PassageRecord(1, "q1", "Lviv, then Kiev and Kyjiw.")]
MENTIONS = [MentionRecord("kyiv", 0, 0, 4), MentionRecord("kyiv", 0, 9, 13),
            MentionRecord("kyiv", 1, 7, 11), MentionRecord("lviv", 2, 0, 4),
            MentionRecord("kyiv", 2, 11, 15), MentionRecord("kyiv", 2, 20, 25)]
SPELLINGS = [SpellingRecord("kyiv", "Kiev"), SpellingRecord("kyiv", "Kyjiw"),
             SpellingRecord("kyiv", "Kiev")]
EVENTS = [EventRecord(2, "2022-09-20", 1, 50.45, 30.52, ["Kyiv"], [[7, 11]]),
          EventRecord(0, None, 2, 49.84, 24.03, ["Lviv"], [[0, 4]])]
TYPES = [TypeRecord("battle", "Battle", "#123456", "B")]
LEGEND = [LegendRecord("1", "#ffffb2"), LegendRecord("2", "#bd0026")]
LABELS = [LabelRecord("Ukraine", 49.0, 31.4)]
TABLES = {"articles": (ArticleRecord, ARTICLES), "passages": (PassageRecord, PASSAGES),
          "mentions": (MentionRecord, MENTIONS), "spellings": (SpellingRecord, SPELLINGS),
          "events": (EventRecord, EVENTS)}  # the articles' own tables, page-wide
CHUNKS = [  # as geomap.render.map writes them: a chunk per article here, each numbering from 0
    {"articles": columns(ArticleRecord, ARTICLES[:1]),
     "passages": columns(PassageRecord, PASSAGES[:2]),
     "mentions": columns(MentionRecord, MENTIONS[:3]),
     "spellings": columns(SpellingRecord, SPELLINGS[:1]),
     "events": columns(EventRecord, EVENTS[:1])},
    {"articles": columns(ArticleRecord, ARTICLES[1:]),
     "passages": columns(PassageRecord, [p._replace(article=0) for p in PASSAGES[2:]]),
     "mentions": columns(MentionRecord, [m._replace(passage=m.passage - 2) for m in MENTIONS[3:]]),
     "spellings": columns(SpellingRecord, SPELLINGS[1:]),
     "events": columns(EventRecord, [e._replace(passage=e.passage - 2) for e in EVENTS[1:]])}]
DATA = {  # as geomap.render.map writes it: its tables' columns named by the records' fields
    "chunks": CHUNKS,
    "places": columns(PlaceRecord, [KYIV, LVIV]), "types": columns(TypeRecord, TYPES), "kinds": {},
    "legend": {"mentions": columns(LegendRecord, LEGEND), "events": columns(LegendRecord, [])},
    "labels": columns(LabelRecord, LABELS),
}


def test_a_table_of_columns_reads_back_as_its_records(script_page):
    assert call(script_page, "records", columns(EventRecord, EVENTS)) == [
        e._asdict() for e in EVENTS]
    assert call(script_page, "records", columns(EventRecord, [])) == []
    assert call(script_page, "records", {}) == []


def test_chunks_join_into_the_pages_tables_their_articles_and_passages_renumbered(script_page):
    assert call(script_page, "joinChunks", CHUNKS) == {
        name: columns(kind, rows) for name, (kind, rows) in TABLES.items()}
    assert call(script_page, "joinChunks", CHUNKS[:1] + [CHUNKS[0]])["mentions"]["passage"] == [
        0, 0, 1, 2, 2, 3]  # the second chunk's passages after the first's two
    assert call(script_page, "joinChunks", []) == {}


def split(chunk: dict, deferred: bool) -> dict:
    """A chunk's tables with only the columns a split map's chunk file holds (``deferred``), or
    only those its page holds; tables left with none left out (geomap.render.map.chunk)."""
    tables = {name: {f: c for f, c in table.items() if (f in DEFERRED.get(name, ())) == deferred}
              for name, table in chunk.items()}
    return {name: table for name, table in tables.items() if table}


FILL = """([data, files]) => {
    const gathered = gather(data);
    const filled = files.map(([n, tables]) => fillChunk(gathered, n, tables));
    return [filled, ...["articles", "passages", "mentions", "events"].map(n => gathered[n])];
}"""


def test_a_split_maps_chunk_files_fill_in_the_records_its_page_gathered(script_page):
    whole = script_page.evaluate(FILL, [DATA, []])[1:]
    page = DATA | {"chunks": [split(c, deferred=False) for c in CHUNKS]}
    files = [[n, split(c, deferred=True)] for n, c in enumerate(CHUNKS)]
    filled, *records = script_page.evaluate(FILL, [page, files[::-1]])  # in any order
    assert filled == [True, True] and records == whole
    gathered = script_page.evaluate(FILL, [page, files[:1]])
    assert gathered[2][2] == {"article": 1}  # the second chunk's passage: not filled in yet
    assert gathered[1][0] == {"title": "First", "published": "2022-09-20", "file": None,
                              "href": "articles/1.html", "source": "A", "url": None}


def test_a_chunk_file_whose_rows_are_not_its_pages_is_refused(script_page):
    page = DATA | {"chunks": [split(c, deferred=False) for c in CHUNKS]}
    other = split(CHUNKS[0], deferred=True)
    other["passages"] = {f: c[:1] for f, c in other["passages"].items()}  # a row short
    filled, _, passages, *_ = script_page.evaluate(FILL, [page, [[0, other], [5, other]]])
    assert filled == [False, False] and all("text" not in p for p in passages)


def test_a_row_is_found_in_its_chunk(script_page):
    starts = call(script_page, "chunkStarts", CHUNKS)
    assert starts == [{"articles": 0, "passages": 0, "mentions": 0, "spellings": 0, "events": 0},
                      {"articles": 1, "passages": 2, "mentions": 3, "spellings": 1, "events": 1}]
    assert [call(script_page, "chunkOf", starts, "passages", row) for row in range(3)] == [0, 0, 1]


def test_a_page_without_chunks_gathers_no_articles(script_page):
    gathered = call(script_page, "gather", DATA | {"chunks": []})
    assert [gathered[name] for name in ("articles", "passages", "events", "places")] == [[]] * 4


def test_gathering_reads_the_tables_as_records(script_page):
    gathered = call(script_page, "gather", DATA)
    assert gathered["passages"] == [p._asdict() for p in PASSAGES]
    assert gathered["events"] == [e._asdict() for e in EVENTS]
    assert gathered["types"] == [t._asdict() for t in TYPES]
    assert gathered["legend"] == {"mentions": [r._asdict() for r in LEGEND], "events": []}
    assert gathered["labels"] == [{"name": "Ukraine", "lat": 49.0, "lon": 31.4}]
    assert gathered["articles"] == [a._asdict() for a in ARTICLES]
    assert gathered["kinds"] == {}  # kept as it is


def test_gathering_holds_each_place_once_with_every_articles_mentions(script_page):
    places = call(script_page, "gather", DATA)["places"]
    assert [p["name"] for p in places] == ["Kyiv", "Lviv"]  # in the order first mentioned
    kyiv = places[0]
    assert kyiv["mentions"] == [m._asdict() for m in MENTIONS if m.place == "kyiv"]
    assert kyiv["spellings"] == ["Kiev", "Kyjiw"]  # each spelling once, sorted
    assert {k: kyiv[k] for k in PlaceRecord._fields} == KYIV._asdict()
    assert places[1]["mentions"] == [MENTIONS[3]._asdict()] and places[1]["spellings"] == []


def test_gathering_leaves_the_page_data_as_it_was(script_page):
    assert script_page.evaluate("""data => {
        const before = JSON.stringify(data);
        gather(data);
        return JSON.stringify(data) === before;
    }""", DATA)


def test_each_articles_layer_holds_the_places_it_names(script_page):
    gathered = "data => articlePlaces(gather(data)).map(s => [...s])"
    assert script_page.evaluate(gathered, DATA) == [[0], [0, 1]]


def test_a_places_mentions_are_grouped_by_passage(script_page):
    mentions = [m._asdict() for m in MENTIONS if m.place == "kyiv"]
    assert call(script_page, "passageHits", mentions) == [
        {"passage": 0, "ranges": [[0, 4], [9, 13]]}, {"passage": 1, "ranges": [[7, 11]]},
        {"passage": 2, "ranges": [[11, 15], [20, 25]]}]
    assert call(script_page, "passageHits", []) == []


def test_rings_decode_to_what_the_basemap_encoded(script_page):
    rng = random.Random(7)
    for size in (1, 3, 40):
        points = [[rng.randint(-18_000_000, 18_000_000), rng.randint(-9_000_000, 9_000_000)]
                  for _ in range(size)]
        text = encode_ring(np.array(points, dtype=np.int64))
        assert call(script_page, "decodeRing", text, 100) == [[x / 100, y / 100] for x, y in points]


# --- the date filter of the events -------------------------------------------------------------

def test_an_events_date_spans_its_day_month_or_year(script_page):
    assert call(script_page, "dateSpan", "2022-09-22") == ["2022-09-22", "2022-09-22"]
    assert call(script_page, "dateSpan", "2022-09") == ["2022-09-01", "2022-09-31"]
    assert call(script_page, "dateSpan", "2022") == ["2022-01-01", "2022-12-31"]
    assert call(script_page, "dateSpan", None) is None
    assert call(script_page, "dateSpan", "") is None


def test_an_event_without_a_date_of_its_own_is_placed_on_its_articles_date(script_page):
    assert call(script_page, "eventWhen", None, "2022-09-21") == {
        "span": ["2022-09-21", "2022-09-21"], "text": "reported on 2022-09-21", "reported": True}
    assert call(script_page, "eventWhen", None, None) == {
        "span": None, "text": "undated", "reported": False}


def test_an_events_own_date_is_said_at_its_precision(script_page):
    assert call(script_page, "eventWhen", "2022-09-23", "2022-09-21")["text"] == "2022-09-23"
    assert call(script_page, "eventWhen", "2022-09", None)["text"] == "in September 2022"
    year = call(script_page, "eventWhen", "2014", "2022-09-21")
    assert year["text"] == "in 2014" and year["span"] == ["2014-01-01", "2014-12-31"]
    assert not year["reported"]


def test_the_sliders_step_through_the_days_events_are_dated_to(script_page):
    spans = [["2022-09-30", "2022-09-30"], None, ["2022-09-01", "2022-09-31"],
             ["2022-09-30", "2022-09-30"], ["2014-01-01", "2014-12-31"],
             ["2022-09-20", "2022-09-20"]]
    assert call(script_page, "spanDays", spans) == ["2022-09-20", "2022-09-30"]


def test_with_no_event_dated_to_a_day_the_sliders_step_through_months_and_years(script_page):
    spans = [["2022-09-01", "2022-09-31"], None, ["2014-01-01", "2014-12-31"]]
    assert call(script_page, "spanDays", spans) == ["2014-01-01", "2022-09-01"]
    assert call(script_page, "spanDays", [None]) == []


DAYS = ["2022-09-01", "2022-09-20", "2022-09-23", "2022-09-30"]


def shown(page, type_: int, date: str | None, first: int, last: int, undated: bool = True,
          types: tuple[int, ...] = (0, 1)) -> bool:
    """Whether the filter from DAYS[first] to DAYS[last] shows an event of ``type_`` on ``date``."""
    return page.evaluate("""([type, date, filter, days]) =>
        eventShown(type, dateSpan(date), Object.assign(filter, {types: new Set(filter.types)}),
                   days)""",
                         [type_, date, {"types": list(types), "from": first, "to": last,
                                        "undated": undated}, DAYS])


def test_the_date_filter_shows_events_within_the_range(script_page):
    assert shown(script_page, 0, "2022-09-20", 1, 2)
    assert shown(script_page, 0, "2022-09-23", 1, 2)  # the range's bounds are in it
    assert shown(script_page, 0, "2022-09-22", 0, 3)


def test_the_date_filter_hides_events_outside_the_range(script_page):
    assert not shown(script_page, 0, "2022-09-19", 1, 2)
    assert not shown(script_page, 0, "2022-09-24", 1, 2)
    assert not shown(script_page, 0, "2022-10-01", 0, 2)
    assert not shown(script_page, 0, "2022-08-31", 1, 3)


def test_a_slider_at_its_end_leaves_that_side_of_the_range_open(script_page):
    assert shown(script_page, 0, "2014", 0, 3)
    assert shown(script_page, 0, "2022-10-01", 1, 3)
    assert shown(script_page, 0, "2021", 0, 1)
    assert not shown(script_page, 0, "2021", 1, 3)


def test_an_event_dated_by_month_or_year_is_shown_if_the_range_meets_it(script_page):
    assert shown(script_page, 0, "2022-09", 3, 3)
    assert shown(script_page, 0, "2022", 1, 1)
    assert not shown(script_page, 0, "2022-08", 1, 3)
    assert not shown(script_page, 0, "2021", 1, 2)


def test_undated_events_follow_their_own_box(script_page):
    assert shown(script_page, 0, None, 2, 2, undated=True)
    assert not shown(script_page, 0, None, 0, 3, undated=False)


def test_the_date_filter_hides_types_left_unticked(script_page):
    assert not shown(script_page, 1, "2022-09-20", 0, 3, types=(0,))
    assert not shown(script_page, 1, None, 0, 3, types=(0,))


def test_with_no_dated_event_every_event_of_a_ticked_type_is_shown(script_page):
    filter_ = "{types: new Set([0]), from: 0, to: -1, undated: false}"
    assert script_page.evaluate(f"eventShown(0, dateSpan('2022-09-20'), {filter_}, [])")


# --- labels, search and links ------------------------------------------------------------------

def test_article_labels_are_cut_dated_and_numbered_when_repeated(script_page):
    long = "A title that goes on and on, well past what the layer control can show"
    articles = [{"title": long, "published": None},
                {"title": "Shelling", "published": "2022-09-20"},
                {"title": "Shelling", "published": "2022-09-20"},
                {"title": "Shelling", "published": None},
                {"title": "Not listed", "published": None}]
    assert call(script_page, "articleLabels", articles, 4) == [
        long[:59].rstrip() + "…", "Shelling (2022-09-20)", "Shelling (2022-09-20) [2]", "Shelling"]


def test_an_article_without_a_title_is_labelled_by_its_file_name(script_page):
    articles = [{"title": "The first line of the text", "file": "kyiv-report.txt",
                 "published": "2022-09-21"}]
    assert call(script_page, "articleLabels", articles, 4) == ["kyiv-report.txt (2022-09-21)"]


def test_each_article_has_a_colour_of_its_own_among_ten(script_page):
    colours = [call(script_page, "articleColour", i) for i in range(11)]
    assert len(set(colours[:10])) == 10 and colours[10] == colours[0]


def test_labels_set_as_html_are_escaped(script_page):
    assert (call(script_page, "escapeHtml", """<b a="1">'x' & y</b>""")
            == "&#60;b a=&#34;1&#34;&#62;&#39;x&#39; &#38; y&#60;/b&#62;")


SEARCHED = {"places": [{"name": "Kharkiv", "spellings": ["Charkiw", "Kharkov"]},
                       {"name": "Kherson", "spellings": []}, {"name": "Mykolaiv", "spellings": []},
                       {"name": "Bakhmut", "spellings": [],
                        "other_names": ["Artemivs'k", "Artemovsk", "Bachmut"]}],
            "articles": [{"title": "The road to Kherson"}, {"title": "Kharkiv's metro"},
                         {"title": "First line", "file": "odesa-notes.txt"}]}


def search(page, query: str, limit: int = 12) -> list[str]:
    return page.evaluate("([data, query, limit]) => searchFor(searchEntries(data), query, limit)"
                         ".map(e => e.kind + ' ' + e.label)", [SEARCHED, query, limit])


def test_search_finds_names_starting_with_the_query_first(script_page):
    assert search(script_page, "kher") == ["place Kherson", "article The road to Kherson"]
    assert search(script_page, "kh") == ["place Kharkiv", "place Kherson", "article Kharkiv's metro",
                                         "place Bakhmut", "article The road to Kherson"]


def test_search_lists_a_place_once_whichever_spellings_match(script_page):
    assert search(script_page, "khark") == ["place Kharkiv", "article Kharkiv's metro"]
    assert search(script_page, "charkiw") == ["place Charkiw"]


def test_search_finds_a_place_by_its_former_and_other_names(script_page):
    assert search(script_page, "artemivsk") == ["place Artemivs'k"]
    assert search(script_page, "Artemivs'k") == ["place Artemivs'k"]
    assert search(script_page, "arte") == ["place Artemivs'k"]  # Bakhmut once
    assert search(script_page, "bach") == ["place Bachmut"]


def test_search_finds_an_article_by_its_file_name(script_page):
    assert search(script_page, "odesa") == ["article odesa-notes.txt"]


def test_search_ignores_case_accents_and_blanks_and_stops_at_its_limit(script_page):
    assert search(script_page, "  MÝKOLAÏV ") == ["place Mykolaiv"]
    assert search(script_page, "   ") == []
    assert search(script_page, "k", limit=2) == ["place Kharkiv", "place Kherson"]


# --- where things are, and their names ---------------------------------------------------------

def test_places_and_events_at_one_spot_are_found_together(script_page):
    sites = script_page.evaluate("data => [...sitesOf(gather(data)).entries()]", DATA)
    assert sites == [["50.4500/30.5200", {"places": [0], "events": [0]}],
                     ["49.8400/24.0300", {"places": [1], "events": [1]}]]


def test_names_are_given_to_the_most_mentioned_towns_first_never_to_countries(script_page):
    places = [{"name": "Ukraine", "feature": "country", "mentions": [1, 2, 3, 4],
               "population": 4e7},
              {"name": "Lyman", "feature": "city", "mentions": [1], "population": 20000},
              {"name": "Izium", "feature": "city", "mentions": [1, 2], "population": 45000},
              {"name": "Kupiansk", "feature": "city", "mentions": [1], "population": 27000},
              {"name": "Kharkiv", "feature": "admin1", "mentions": [1, 2, 3], "population": 0},
              {"name": "Balakliia", "feature": "city", "mentions": [1], "population": 27000}]
    assert call(script_page, "labelOrder", places, kinds.for_map()) == [2, 5, 3, 1]  # equal: by
    # name; countries and regions are drawn as their outlines


def test_labels_that_would_overlap_one_before_them_are_left_out(script_page):
    boxes = [[0, 0, 50, 16], [40, 8, 90, 24], [50, 0, 100, 16], [0, 16, 50, 32], [200, 0, 250, 16]]
    assert call(script_page, "placeLabels", boxes, 10) == [0, 2, 3, 4]
    assert call(script_page, "placeLabels", boxes, 2) == [0, 2]
    assert call(script_page, "placeLabels", boxes, 10, [[190, 0, 210, 10]]) == [0, 2, 3]


def test_a_link_to_a_spot_gives_its_view(script_page):
    assert call(script_page, "parseHash", "#49.19/37.28/11") == [49.19, 37.28, 11]
    assert call(script_page, "parseHash", "#-33.9/-70.6/5.5") == [-33.9, -70.6, 5.5]
    for wrong in ("", "#", "#91/0/5", "#0/181/5", "#1/2", "#1/2/-3", "#a/b/c", "#1/2/3/4"):
        assert call(script_page, "parseHash", wrong) is None, wrong


def test_the_timeline_counts_each_days_events_by_type(script_page):
    spans = [["2022-09-20", "2022-09-20"], ["2022-09-20", "2022-09-20"], None,
             ["2022-09-23", "2022-09-23"], ["2022-09-01", "2022-09-31"],
             ["2022-09-20", "2022-09-20"]]
    types = [3, 1, 0, 3, 2, 3]
    assert call(script_page, "eventsPerDay", spans, types, ["2022-09-20", "2022-09-23"]) == [
        [[1, 1], [3, 2]], [[3, 1]]]
