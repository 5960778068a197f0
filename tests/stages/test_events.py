"""Events: the seeds against the gold events, the location and date rules, corrections that last
across rebuilds, and the events GeoJSON.

The bar on the seeds (tests/fixtures/seeds.events.gold.json, a copy of the shared gold): every
gold event found with the right type, first-level units (and point, for towns) and date; no
actor (Slovenia, Germany, Washington) as a location; at least 70% of the located events gold.
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
from click.testing import CliRunner
from paths import ROOT

from geomap import corrections, ingest
from geomap.build import build, parse_paths
from geomap.cli import cli
from geomap.evaluate import events as evaluate_events
from geomap.models import DatePrecision, article_from_dict, article_to_dict
from geomap.stages import dates, events
from geomap.stages.resources import resources
from geomap.taxonomy import event_types

SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "seeds.events.gold.json"
A000 = "000_5569f9ce00dd0d52.txt"
A003 = "003_18cfb9e21a9eeed5.txt"


@pytest.fixture(scope="module")
def seeds():
    articles, skipped = parse_paths([SEEDS])
    assert not skipped
    return articles


@pytest.fixture(scope="module")
def gold():
    return evaluate_events.load_gold(GOLD)


def test_seed_events_meet_the_gold(seeds, gold):
    s = evaluate_events.score(gold, seeds)
    f = s.figures()
    assert (f["recall"], f["type"], f["location"], f["date"]) == (1.0, 1.0, 1.0, 1.0), s.errors
    assert f["precision"] >= 0.7
    assert f["actor_errors"] == 0


@pytest.mark.parametrize("place", ["Slovenia", "Germany", "Washington"])
def test_actors_are_not_event_locations(seeds, place):
    a = next(a for a in seeds if a.id == A000)
    assert all(place not in e.places for e in a.events)
    assert all(a.mentions[i].text != place for e in a.events for i in e.mentions)


def test_event_fields(seeds):
    a = next(a for a in seeds if a.id == A003)
    shelling = next(e for e in a.events if e.passage == "p1")
    assert shelling.type == "shelling" and shelling.precision == 1
    assert shelling.admin1 == ["UA-14"] and shelling.id == f"{A003}#p1:shelling"
    assert round(shelling.lat, 1) == 48.6 and round(shelling.lon, 1) == 38.0
    assert 0 < shelling.confidence <= 1 and "shelled" in shelling.triggers
    assert all(e.type in event_types() for a in seeds for e in a.events)


def test_events_round_trip_through_the_catalog_form(seeds):
    for a in seeds:
        assert article_from_dict(json.loads(json.dumps(article_to_dict(a)))) == a


@pytest.mark.parametrize("text, published, value, precision", [
    ("referendums starting on Friday", "2022-09-20", "2022-09-23", "day"),
    ("the meeting in New York, on Tuesday.", "2022-09-21", "2022-09-20", "day"),
    ("said on Tuesday", "2022-09-20", "2022-09-20", "day"),
    ("last Friday", "2022-09-20", "2022-09-16", "day"),
    ("next Tuesday", "2022-09-20", "2022-09-27", "day"),
    ("a referendum in Crimea in 2014", "2022-09-21", "2014", "year"),
    ("scheduled between September 23 - 27.", "2022-09-21", "2022-09-23", "day"),
    ("an order on July 3, 2020", "2022-09-21", "2020-07-03", "day"),
    ("on 24 February", "2022-09-21", "2022-02-24", "day"),
    ("promising tanks this week", "2022-09-20", "2022-09-20", "week"),
    ("shelled yesterday", "2022-09-20", "2022-09-19", "day"),
    ("began seven months ago", "2022-09-20", "2022-02", "month"),
    ("in March 2022", "2022-09-20", "2022-03", "month"),
    ("aid given this year", "2022-09-20", "2022", "year"),
])
def test_dates_resolve_against_the_publication_date(text, published, value, precision):
    (d,) = dates.find_dates(text, date.fromisoformat(published))
    assert (d.value, d.precision) == (value, precision)


def test_relative_dates_need_a_publication_date():
    (d,) = dates.find_dates("on Friday", None)
    assert d.value is None
    assert dates.find_dates("in 2014", None)[0].value == "2014"


def test_since_marks_a_standing_situation():
    (d,) = dates.find_dates("gripped by fighting since 2014", date(2022, 9, 20))
    assert d.since


def _located(text: str, names: list[str]) -> list[str]:
    spans = []
    for n in names:
        start = text.index(n, spans[-1][1] if spans else 0)
        spans.append((start, start + len(n)))
    return [names[i] for i in events.locations(text, spans)]


@pytest.mark.parametrize("text, names, expected", [
    ("Shelling hit homes in the strategically important Kupiansk overnight.", ["Kupiansk"],
     ["Kupiansk"]),
    ("Troops pushed into Russian-occupied Lyman.", ["Lyman"], ["Lyman"]),
    ("Graves were found near the once-occupied city of Izium.", ["Izium"], ["Izium"]),
    ("Fighting raged in the Donetsk, Luhansk and partly occupied Zaporizhzhia regions.",
     ["Donetsk", "Luhansk", "Zaporizhzhia"], ["Donetsk", "Luhansk", "Zaporizhzhia"]),
    ("Russian forces withdrew from Kherson.", ["Kherson"], ["Kherson"]),
    ("Heavy fighting in the Kharkiv region.", ["Kharkiv"], ["Kharkiv"]),
    ("Slovenia this week promising 28 tanks and Germany pledging howitzers.",
     ["Slovenia", "Germany"], []),
    ("A Washington-based think tank said troops advanced.", ["Washington"], []),
    ("Officials in Kyiv said the strike killed four.", ["Kyiv"], []),
    ("Russia's offensive in Ukraine stalled.", ["Russia", "Ukraine"], ["Ukraine"]),
    ("The US, Germany and France have said they would not recognise the vote.",
     ["US", "Germany", "France"], []),
    ("Russia annexed the Crimean peninsula.", ["Russia", "Crimean peninsula"], []),
    ("A missile hit the centre of Sumy and the northern parts of Okhtyrka.", ["Sumy", "Okhtyrka"],
     ["Sumy", "Okhtyrka"]),
    ("Residents of Vovchansk fled as fighting for control of Lyptsi grew.", ["Vovchansk", "Lyptsi"],
     ["Vovchansk", "Lyptsi"]),
    ("Drones hit an air base in Crimea's Saky.", ["Crimea", "Saky"], ["Saky"]),
    ("Shells fell near the Zaporizhzhia Nuclear Power Plant in Enerhodar.",
     ["Zaporizhzhia", "Enerhodar"], ["Enerhodar"]),  # the plant is named after the oblast
])
def test_location_rules(text, names, expected):
    assert _located(text, names) == expected


@pytest.mark.parametrize("text, expected", [
    ("Russian missiles struck a power plant in Kharkiv.", "shelling"),
    ("Ukrainian troops recaptured the village of Kupiansk.", "territorial_change"),
    ("Investigators exhumed bodies from a mass grave near Izium.", "violence_against_civilians"),
    ("Heavy fighting continued around Bakhmut.", "battle"),
    ("Thousands of protesters rallied in Tbilisi.", "protest"),
    ("Germany pledged more military aid to Kyiv.", "aid"),
    ("Leaders met for talks at a summit in Brussels.", "diplomacy"),
    ("Occupation authorities held a referendum in Kherson.", "referendum"),
    ("A drone attack set fuel tanks ablaze in Reni.", "shelling"),
    ("Two people were killed when a drone hit a car near Beryslav.", "shelling"),  # not the toll's
    ("Overnight, three strikes hit the port of Izmail.", "shelling"),
    ("Ukrainian forces have advanced near Robotyne.", "battle"),
    ("Miners in Pavlohrad went on strike, hitting coal output.", "protest"),
    ("Prisoners in Kharkiv are on hunger strike.", "protest"),
])
def test_triggers_choose_the_type(text, expected):
    chosen = events.choose_type(text, events.find_triggers(text, resources().vocabularies["en"]), [])
    assert chosen is not None and chosen[0] == expected


@pytest.mark.parametrize("text", [
    "“That is why they fear those referendums so much in Kyiv,” he said.",
    "Its troops could deliver more defeats with additional deliveries.",
    "After the strike, officials said nothing.",
])
def test_rhetoric_conditionals_and_background_report_no_event(text):
    hits = [h for h in events.find_triggers(text, resources().vocabularies["en"]) if h.start >= events.background_end(text)]
    assert events.choose_type(text, hits, []) is None


def test_taxonomy_is_documented():
    types = event_types()
    assert all(t.description and t.label and t.glyph for t in types.values())
    assert all(t.triggers for name, t in types.items() if name != "other")


CORRECTIONS = f"""article,passage,mention,event,field,value
{A000},p19,,territorial_change,type,battle
{A000},p3,,referendum,places,Donetsk;Luhansk
{A000},p31,,violence_against_civilians,date,2022-04-02
{A000},p27,,violence_against_civilians,delete,
{A003},p1,Bakhmut,,latlon,48.6 38.1
{A000},p99,,battle,type,battle
{A000},p3,,referendum,colour,red
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    (articles / ingest.CORRECTIONS_FILE).write_text(CORRECTIONS, encoding="utf-8")
    return articles


def _events_by_id(out: Path) -> dict[str, dict]:
    collection = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f for f in collection["features"]}


def _assert_corrected(feats: dict[str, dict]) -> None:
    p19 = feats[f"{A000}#p19:territorial_change"]["properties"]
    assert p19["type"] == "battle" and p19["corrected"] is True
    assert feats[f"{A000}#p3:referendum"]["properties"]["admin1"] == ["UA-14", "UA-09"]
    assert feats[f"{A000}#p31:violence_against_civilians"]["properties"]["date"] == "2022-04-02"
    assert f"{A000}#p27:violence_against_civilians" not in feats
    assert feats[f"{A003}#p1:shelling"]["geometry"]["coordinates"] == [38.1, 48.6]
    assert not feats[f"{A003}#p2:diplomacy"]["properties"]["corrected"]


def test_corrections_apply_on_every_build_and_report_bad_rows(folder: Path, tmp_path: Path):
    out = tmp_path / "maps"
    first = build(folder, out)
    assert first.parsed == 2
    reasons = [s.reason for s in first.skipped]
    assert reasons == [f"{folder / 'corrections.csv'}:7: no battle event in passage p99",
                       f"{folder / 'corrections.csv'}:8: event field 'colour' is not one of "
                       "type, places, date, delete"]
    _assert_corrected(_events_by_id(out))
    second = build(folder, out)
    assert (second.parsed, second.unchanged) == (0, 2)
    _assert_corrected(_events_by_id(out))
    mentions = json.loads((out / "mentions.geojson").read_text(encoding="utf-8"))["features"]
    bakhmut = [f for f in mentions if f["properties"]["text"] == "Bakhmut"]
    assert bakhmut[0]["properties"]["corrected"] is True


def test_build_with_a_bad_corrections_row_exits_3_naming_the_line(folder: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", "--articles", str(folder), "--out",
                                      str(tmp_path / "maps")])
    assert result.exit_code == 3
    assert "corrections.csv:8: event field 'colour'" in result.stderr


def test_corrections_file_without_the_header_is_reported(tmp_path: Path, seeds):
    (tmp_path / ingest.CORRECTIONS_FILE).write_text("a,b\n1,2\n", encoding="utf-8")
    (problem,) = corrections.apply(tmp_path, seeds)
    assert ":1: missing column(s)" in problem.reason


def test_a_place_row_without_article_or_passage_corrects_every_mention_so_written(
        tmp_path: Path, seeds):
    (tmp_path / ingest.CORRECTIONS_FILE).write_text(
        "article,passage,mention,event,field,value\n,,Kyiv,,delete,\n"
        f"{A003},,Kharkiv,,latlon,49.99 36.23\n", encoding="utf-8")
    articles = [article_from_dict(article_to_dict(a)) for a in seeds]
    assert corrections.apply(tmp_path, articles) == []
    kyiv = [m for a in articles for m in a.mentions if m.text == "Kyiv"]
    assert {m.article for m in kyiv} == {A000, A003}
    assert all(m.place is None and m.corrected for m in kyiv)
    kharkiv = [(m.article, m.place.lat) for a in articles for m in a.mentions
               if m.text == "Kharkiv"]
    assert sorted(kharkiv)[1:] == [(A003, 49.99), (A003, 49.99)]  # both of its mentions
    assert kharkiv.count((A003, 49.99)) == 2 and sorted(kharkiv)[0][0] == A000
    assert sorted(kharkiv)[0][1] != 49.99


def _check_rfc7946(collection: dict) -> None:
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    for f in collection["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = f["properties"]
        for key in ("type", "date", "date_precision", "precision", "article", "passage",
                    "passage_text", "places", "admin1", "confidence", "published"):
            assert key in props
        assert props["places"] and props["precision"] in (1, 2, 3)
        assert props["date_precision"] in get_args(DatePrecision)


def test_export_events_layer_is_rfc7946():
    result = CliRunner().invoke(cli, ["export", "--articles", str(SEEDS), "--layer", "events"])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    _check_rfc7946(collection)
    ids = [f["properties"]["id"] for f in collection["features"]]
    assert f"{A000}#p3:referendum" in ids
    bakhmut = next(f for f in collection["features"] if f["properties"]["id"] == f"{A003}#p1:shelling")
    lon, lat = bakhmut["geometry"]["coordinates"]
    assert abs(lon - 38.0) < 0.1 and abs(lat - 48.6) < 0.1


def test_jsonl_events_keep_the_unlocated(seeds):
    result = CliRunner().invoke(cli, ["export", "--articles", str(SEEDS), "--layer", "events",
                                      "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(not r["places"] for r in rows) and len(rows) == sum(len(a.events) for a in seeds)


def test_eval_events_command_prints_the_figures():
    result = CliRunner().invoke(cli, ["eval-events", str(GOLD), "--articles", str(SEEDS), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "recall 1.000" in result.stdout and "actor errors 0" in result.stdout


def test_geomap_eval_scores_events_gold_as_eval_events_does():
    result = CliRunner().invoke(cli, ["eval", str(GOLD), "--articles", str(SEEDS), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "type 1.000" in result.stdout and "date 1.000" in result.stdout


@pytest.mark.parametrize("text", [
    "Fighting raged near  the once-occupied\tcity of Izium's outskirts, officials said.",
    "Troops withdrew from the town (“Lyman”) — 6/7 km east of Mine 6/7, Donetsk.",
])
def test_the_last_words_before_a_place_are_the_whole_text_s(text):
    whole = events._WORD_OR_SIGN.findall  # the words and signs of the whole text before a place
    for end in range(len(text) + 1):
        assert events._last_words(text[:end], 4) == whole(text[:end])[::-1][:4], end


@pytest.mark.parametrize("text, names, expected", [
    ("Shelling hit the OUTSKIRTS OF  \n Kharkiv.", ["Kharkiv"], ["Kharkiv"]),
    ("Troops were pushed out of the\tLyman area.", ["Lyman"], ["Lyman"]),
    ("Shelling hit near Pisky ,  Donetsk overnight.", ["Donetsk"], ["Donetsk"]),
    ("Shelling hit Pisky, Donetsk overnight.", ["Donetsk"], []),
])
def test_location_cues_read_past_spaces_and_case(text, names, expected):
    assert _located(text, names) == expected


def test_a_vocabulary_that_forgot_the_words_it_met_finds_the_same_triggers(monkeypatch):
    texts = ["Russian missiles struck a power plant in Kharkiv.",
             "Thousands of protesters rallied in Tbilisi.", "Nothing happened in Kyiv."]
    vocabulary = resources().vocabularies["en"]
    found = [events.find_triggers(t, vocabulary) for t in texts]
    assert [len(hits) > 0 for hits in found] == [True, True, False]
    forgetful = events.Vocabulary(vocabulary.triggers, vocabulary.grammar)
    monkeypatch.setattr(events, "READ_WORDS", 2)
    assert [events.find_triggers(t, forgetful) for t in texts * 2] == found * 2
    assert forgetful.starting({"struck", "the", "Kyiv"}) == {"struck"}


def test_a_date_in_a_relative_clause_the_trigger_is_not_in_does_not_date_the_event():
    from geomap.models import Article
    from geomap.stages.pipeline import parse_article
    text = ("Fighting continued near Avdiivka, which Russian forces captured last month.\n\n"
            "Avdiivka, which Russian artillery shelled on Monday, is empty.")
    found = parse_article(Article(id="a", path="", text=text, sha256="", published="2024-03-22"))
    assert [(e.type, e.date, e.date_precision) for e in found.events] == [
        ("battle", "2024-03-22", "reported"), ("shelling", "2024-03-18", "day")]
