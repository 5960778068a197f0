"""Conflict reporting as monitors and analysts write it: one behaviour per test, on sentences
written for these tests (in the manner of OSCE and ACLED notes and of war news, not taken from
them)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from geomap.build import parse_paths
from geomap.models import Article


def parse(tmp_path: Path, text: str, published: str | None = "2022-03-10") -> Article:
    """The one article a folder holding ``text`` (and its publication date) parses into."""
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    (folder / "report.txt").write_text(text, encoding="utf-8")
    if published:
        (folder / "report.yaml").write_text(f"published: {published}\n", encoding="utf-8")
    articles, skipped = parse_paths([folder])
    assert not skipped
    return articles[0]


@pytest.mark.parametrize("text, expected", [
    ("On 3 March 2022, monitors counted 14 projectiles involving unknown weapons near Avdiivka.",
     "shelling"),
    ("On 3 March 2022, monitors counted 9 bursts of fire involving small arms near Avdiivka.",
     "battle"),
    ("On 3 March 2022, the army fired 120mm mortars at the positions of the rebels near Avdiivka.",
     "shelling"),
    ("On 3 March 2022, rebels fired grenade launchers and small arms at army positions near Avdiivka.",
     "battle"),
    ("On 3 March 2022, the two sides exchanged fire near Avdiivka.", "battle"),
    ("On 3 March 2022, monitors counted 40 explosions in both directions of the line near Avdiivka.",
     "battle"),
    ("On 3 March 2022, air defences shot down a drone near Avdiivka.", "shelling"),
    ("On 3 March 2022, soldiers shot dead a teacher in Avdiivka.", "violence_against_civilians"),
    ("On 3 March 2022, troops shelled Avdiivka, killing two civilians.", "shelling"),  # a toll
    ("On 3 March 2022, soldiers tortured and killed a civilian in Avdiivka.",
     "violence_against_civilians"),
    ("On 3 March 2022, hundreds of residents held a march in Avdiivka against the occupation.",
     "protest"),
])
def test_monitors_vocabulary_reports_the_event_type(tmp_path, text, expected):
    a = parse(tmp_path, text)
    assert a.events and a.events[0].type == expected
    assert a.events[0].admin1 == ["UA-14"]


def test_a_reports_stated_date_carries_to_its_later_sentences(tmp_path):
    a = parse(tmp_path, "On 13 January 2022, rebels shelled Avdiivka. Later, troops clashed with "
                        "them near Marinka.", published="2022-01-20")
    assert [(e.type, e.date, e.date_precision) for e in a.events] == [
        ("shelling", "2022-01-13", "day"), ("battle", "2022-01-13", "day")]


def test_an_undated_event_takes_the_articles_date_as_reported(tmp_path):
    a = parse(tmp_path, "Rebels shelled Avdiivka.", published="2022-01-20")
    assert (a.events[0].date, a.events[0].date_precision) == ("2022-01-20", "reported")


def test_an_undated_event_of_an_undated_article_has_no_date(tmp_path):
    a = parse(tmp_path, "Rebels shelled Avdiivka.", published=None)
    assert (a.events[0].date, a.events[0].date_precision) == (None, "none")


def test_a_consequence_without_a_place_happened_where_the_event_before_it_did(tmp_path):
    a = parse(tmp_path, "On 3 March 2022, rebels shelled Avdiivka. As a result, two civilians "
                        "were killed.")
    assert [e.admin1 for e in a.events] == [["UA-14"], ["UA-14"]]


def test_the_same_event_told_on_is_one_event(tmp_path):
    a = parse(tmp_path, "On 3 March 2022, rebels shelled Avdiivka. The shelling went on all day.")
    assert [e.type for e in a.events] == ["shelling"]


def test_a_statement_verb_past_a_comma_leaves_the_place_an_event_location(tmp_path):
    a = parse(tmp_path, "On 1 February 2022, about 50 activists protested in Kyiv, demanding "
                        "new elections.")
    assert a.events[0].type == "protest" and a.events[0].admin1 == ["UA-30"]


def test_a_name_that_ends_its_sentence_is_found(tmp_path):
    a = parse(tmp_path, "Shelling hit Kiev.")
    assert [(m.text, m.place.admin1) for m in a.mentions] == [("Kiev", "UA-30")]


@pytest.mark.parametrize("oblast, code", [("Donetsk", "UA-14"), ("Mykolaiv", "UA-48"),
                                          ("Zaporizhzhia", "UA-23")])
def test_the_oblast_written_after_a_town_chooses_its_namesake_there(tmp_path, oblast, code):
    a = parse(tmp_path, f"On 3 March 2022, Russian forces shelled Ivanivka, {oblast}. Casualties unknown.")
    town, region = a.mentions
    assert (town.text, town.place.admin1) == ("Ivanivka", code)
    assert region.place.feature == "admin1" and region.place.admin1 == code


def test_a_list_of_regions_is_no_town_and_its_region(tmp_path):
    a = parse(tmp_path, "Votes were held in the Donetsk, Luhansk and Kherson regions.")
    assert [m.place.feature for m in a.mentions] == ["admin1"] * 3


@pytest.mark.parametrize("name", ["Kherson", "Zaporizhia", "Chernihiv"])
def test_a_city_sharing_its_oblasts_name_is_the_city_without_a_region_cue(tmp_path, name):
    a = parse(tmp_path, f"On 6 March 2022, hundreds of residents protested in {name} against the "
                        "occupation.")
    assert [m.place.feature for m in a.mentions] == ["city"]


def test_a_region_cue_keeps_the_region_reading(tmp_path):
    a = parse(tmp_path, "Troops were sent to the Kherson region.")
    assert [m.place.feature for m in a.mentions] == ["admin1"]


@pytest.mark.parametrize("text", [
    "Rockets hit Zaporizhzhia overnight. Later, troops moved across the Zaporizhzhia region.",
    "Fighting spread through Kherson oblast. By evening, troops had retaken Kherson.",
    "Drones attacked the Kyiv region overnight; debris fell in Kyiv.",  # a city-region apart
])
def test_a_region_named_as_such_leaves_the_bare_name_elsewhere_the_city(tmp_path, text):
    a = parse(tmp_path, text)
    features = {m.start: m.place.feature for m in a.mentions}
    bare = [m.start for m in a.mentions if not text[m.end:].lstrip().lower().startswith(
        ("region", "oblast"))]
    assert len(bare) == 1 and features.pop(bare[0]) == "city"
    assert list(features.values()) == ["admin1"]


def test_a_list_of_regions_gives_their_names_the_regions_sense_in_the_whole_article(tmp_path):
    a = parse(tmp_path, "Referendums were staged in the Donetsk, Luhansk and Zaporizhzhia "
                        "regions. Ukraine vowed to push on into Russian-held Luhansk.")
    luhansk = [m.place.feature for m in a.mentions if m.text == "Luhansk"]
    assert luhansk == ["admin1", "admin1"]


@pytest.mark.parametrize("text, code", [
    ("On 3 March 2022, rebels fired mortars at army positions near Mine 12/3, Donetsk.", "UA-14"),
    ("On 3 March 2022, Russian forces shelled with heavy weapons Lysychansk, Luhansk.", "UA-09"),
    ("On 3 March 2022, a missile hit the area near the airport of Odesa.", "UA-51"),
    ("On 3 March 2022, troops clashed outside of Mykolaiv.", "UA-48"),
    ("On 3 March 2022, people gathered in Kharkiv. Protesters carried flags.", "UA-63"),
])
def test_the_event_lies_where_the_report_puts_it(tmp_path, text, code):
    a = parse(tmp_path, text)
    assert a.events and a.events[0].admin1 == [code]


@pytest.mark.parametrize("text", [
    "Vladimir Putin spoke on Monday about the war.",
    "The Kremlin said Vladimir Putin had met his generals.",  # a verb after an auxiliary
    "Vladimir Putin will visit the front, his spokesman said.",
])
def test_a_person_is_no_place(tmp_path, text):
    a = parse(tmp_path, text)
    assert not a.mentions


@pytest.mark.parametrize("text, places", [
    ("Rebels of the Luhansk People's Militia fired mortars near Popasna.", ["Popasna"]),
    ("The Donetsk People’s Republic's leader said Avdiivka had fallen.", ["Avdiivka"]),
])
def test_a_body_named_after_an_oblast_is_no_place(tmp_path, text, places):
    a = parse(tmp_path, text)
    assert [m.text for m in a.mentions] == places


def test_a_river_is_not_the_village_named_after_it(tmp_path):
    a = parse(tmp_path, "Troops crossed the Oskil river near Kupiansk.")
    assert [m.text for m in a.mentions] == ["Kupiansk"]


def test_a_misspelt_prominent_place_is_not_a_short_namesake(tmp_path):
    a = parse(tmp_path, "Shelling hit Bila Tservka overnight.")
    assert [(m.text, m.place.admin1) for m in a.mentions] == [("Bila Tservka", "UA-32")]


@pytest.mark.parametrize("written, name", [("Izyum", "Izium"), ("Kupyansk", "Kupiansk"),
                                           ("Mykolayiv", "Mykolaiv"), ("Zaporizhzhya", "Zaporizhzhia"),
                                           ("Bilozerka", "Bilozerka")])  # not a village whose
# name is one of its GeoNames alternates (Skadovka)
def test_ukrainian_towns_bear_their_official_transliteration(tmp_path, written, name):
    a = parse(tmp_path, f"Shelling hit {written} on Monday.")
    assert [(m.text, m.place.name, m.place.feature) for m in a.mentions] == [(written, name, "city")]


def test_an_oblast_bears_its_official_transliteration_too(tmp_path):
    a = parse(tmp_path, "Shelling hit the Odessa region on Monday.")  # Natural Earth: Odessa
    assert [(m.place.name, m.place.feature) for m in a.mentions] == [("Odesa", "admin1")]


def _report(rid: str, text: str, day: str, etype: str, sub: str, iso: str, lat: float, lon: float) -> dict:
    return {"id": rid, "text": text, "published": day,
            "gold": {"event_date": day, "type": etype, "sub_event_type": sub, "admin1_iso": iso,
                     "latitude": lat, "longitude": lon, "geo_precision": 1, "location": "", "also": []}}


REPORTS = [
    _report("R1", "On 2 March 2022, Russian forces shelled Kharkiv. Casualties unknown.", "2022-03-02",
            "shelling", "Shelling/artillery/missile attack", "UA-63", 49.98, 36.25),
    _report("R2", "On 4 March 2022, hundreds of residents protested in Kherson.", "2022-03-04",
            "protest", "Peaceful protest", "UA-65", 46.64, 32.61),
    _report("R3", "Residents of Sumy waited for news.", "2022-03-05",
            "other", "Displacement", "UA-59", 50.91, 34.80),
]


def test_eval_reports_scores_report_form_gold(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import cli

    gold = tmp_path / "reports.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["place@25km"] == 1.0 and figures["oblast"] == 1.0
    assert (figures["event found"], figures["type"], figures["date"]) == (0.667, 0.667, 0.667)
    assert figures["event oblast"] == 0.667 and figures["sub-event"] == 1.0
    assert any(e.startswith("event found: R3") for e in figures["errors"])


def test_eval_reports_refuses_a_missing_gold_with_a_message(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import cli

    result = CliRunner().invoke(cli, ["eval-reports", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and "cannot read report gold" in result.output


def test_export_acled_writes_acleds_columns(tmp_path):
    from click.testing import CliRunner

    from geomap.cli import cli
    from geomap.export import acled

    folder = tmp_path / "articles"
    folder.mkdir()
    for r in REPORTS:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
        (folder / f"{r['id']}.yaml").write_text(f"published: {r['published']}\n", encoding="utf-8")
    out = tmp_path / "maps"
    assert CliRunner().invoke(cli, ["build", "--articles", str(folder), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(cli, ["export", "--articles", str(folder), "--out", str(out),
                                      "--layer", "events", "--format", "acled"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == acled.COLUMNS
    shelling = next(r for r in rows if r["event_id_cnty"].startswith("R1"))
    assert (shelling["event_type"], shelling["sub_event_type"]) == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert (shelling["event_date"], shelling["time_precision"], shelling["geo_precision"]) == (
        "2022-03-02", "1", "1")
    assert (shelling["country"], shelling["admin1"], shelling["location"]) == ("Ukraine", "Kharkiv", "Kharkiv")
    refused = CliRunner().invoke(cli, ["export", "--articles", str(folder), "--out", str(out),
                                       "--layer", "places", "--format", "acled"])
    assert refused.exit_code != 0 and "events layer" in refused.output


def test_a_region_after_a_town_the_gazetteer_lacks_is_the_region_around_the_city(tmp_path):
    a = parse(tmp_path, "On 11 March 2022, Russian forces shelled Qwertivka, Kyiv.")
    assert [(m.text, m.place.feature, m.place.admin1) for m in a.mentions] == [("Kyiv", "admin1", "UA-32")]
    assert a.events[0].admin1 == ["UA-32"]


@pytest.mark.parametrize("cue", [
    "SMM monitors recorded 7 explosions", "Shelling along the contact line was heard",
    "DPR forces fired mortars"])
def test_a_report_set_in_the_donbas_finds_its_village_there(tmp_path, cue):
    a = parse(tmp_path, f"On 5 May 2021, {cue} near Nahirne.")  # namesakes in Odesa and Donetsk oblasts
    assert [(m.text, m.place.admin1) for m in a.mentions] == [("Nahirne", "UA-14")]


def test_a_report_set_nowhere_keeps_the_larger_namesake(tmp_path):
    a = parse(tmp_path, "On 5 May 2021, holidaymakers returned to Nahirne.")
    assert [(m.text, m.place.admin1) for m in a.mentions] == [("Nahirne", "UA-51")]


def test_a_monitors_report_is_set_in_ukraine_without_saying_so(tmp_path):
    a = parse(tmp_path, "On 5 May 2021, the OSCE SMM recorded 2 explosions near Vozdvyzhenka.")
    assert [(m.text, m.place.admin1) for m in a.mentions] == [("Vozdvyzhenka", "UA-14")]


@pytest.mark.parametrize("text, expected", [
    ("On 6 May 2022, troops repelled an assault on Husarivka.", "battle"),
    ("On 6 May 2022, soldiers fired unspecified weapons at positions near Husarivka.", "battle"),
    ("On 6 May 2022, the army fired heavy weapons at positions near Husarivka.", "shelling"),
    ("On 6 May 2022, troops fired cluster munitions at Husarivka.", "shelling"),
    ("On 6 May 2022, sappers blew up the bridge at Husarivka.", "shelling"),
    ("On 6 May 2022, gunmen took two drivers hostage in Husarivka.", "violence_against_civilians"),
    ("On 6 May 2022, the army took back Husarivka.", "territorial_change"),
    ("On 6 May 2022, 140 residents were evacuated from Husarivka.", "other"),
    ("On 6 May 2022, soldiers looted shops in Husarivka.", "other"),
])
def test_war_reporting_vocabulary_reports_the_event_type(tmp_path, text, expected):
    a = parse(tmp_path, text)
    assert [(e.type, e.date) for e in a.events] == [(expected, "2022-05-06")]
    assert a.events[0].admin1 == ["UA-63"]


@pytest.mark.parametrize("text, sub", [
    ("On 6 May 2022, sappers blew up the bridge at Husarivka.", "Remote explosive/landmine/IED"),
    ("On 6 May 2022, troops fired cluster munitions at Husarivka.", "Shelling/artillery/missile attack"),
    ("On 6 May 2022, gunmen took two drivers hostage in Husarivka.", "Abduction/forced disappearance"),
])
def test_the_acled_sub_event_type_follows_the_trigger(tmp_path, text, sub):
    from geomap.export.acled import sub_event_type

    assert sub_event_type(parse(tmp_path, text).events[0]) == sub


@pytest.mark.parametrize("text", [
    "On 6 May 2022, the army fired artillery in the direction of Husarivka.",
    "On 6 May 2022, rockets hit the residential areas of Husarivka.",
    "On 6 May 2022, rockets hit the districts of Husarivka.",
])
def test_a_direction_or_the_areas_of_a_town_locate_the_event(tmp_path, text):
    a = parse(tmp_path, text)
    assert [(e.type, e.admin1) for e in a.events] == [("shelling", ["UA-63"])]


@pytest.mark.parametrize("town, region", [("Kherson", "Kherson oblast"),
                                          ("Mykolaiv", "Mykolaiv region")])
def test_a_town_written_before_its_namesake_region_is_the_town(tmp_path, town, region):
    a = parse(tmp_path, f"On 6 May 2022, residents protested in {town}, {region}, against the "
                        "occupation.")
    assert [(m.text, m.place.feature) for m in a.mentions] == [(town, "city"), (town, "admin1")]


def test_a_name_before_a_bracketed_note_ends_its_sentence(tmp_path):
    a = parse(tmp_path, "On 6 May 2022, pensioners protested outside the parliament in Kiev. "
                        "[size=no report]")
    assert [(m.text, m.place.name) for m in a.mentions] == [("Kiev", "Kyiv")]


def test_a_village_of_the_region_written_after_it_beats_its_namesake_town_elsewhere(tmp_path):
    a = parse(tmp_path, "On 1 April 2022, artillery shelled Nahirne, Donetsk.")  # a town in Odesa
    # Oblast; a village of the codifier in Donetsk Oblast
    assert [(m.text, m.place.admin1) for m in a.mentions] == [("Nahirne", "UA-14"),
                                                            ("Donetsk", "UA-14")]


def test_a_russian_form_no_source_gives_finds_the_ukrainian_village(tmp_path):
    a = parse(tmp_path, "On 9 February 2022, monitors of the SMM recorded 3 explosions near "
                        "Gladosovo and 2 near Novoluganskoe. Troops shelled Starognatovka, "
                        "Donetsk.")
    assert [(m.text, m.place.name, m.place.admin1) for m in a.mentions if m.place] == [
        ("Gladosovo", "Hladosove", "UA-14"), ("Novoluganskoe", "Novoluhanske", "UA-14"),
        ("Starognatovka", "Starohnativka", "UA-14"), ("Donetsk", "Donetsk", "UA-14")]


def test_of_a_theatres_namesakes_the_one_by_its_front_is_chosen(tmp_path):
    a = parse(tmp_path, "On 5 February 2022, the OSCE SMM recorded 4 explosions near Plotyna.")
    (plotyna,) = [m.place for m in a.mentions if m.place]
    assert plotyna.admin1 == "UA-09" and plotyna.lat < 49  # by Stanytsia Luhanska, not the north
    assert "near the theatre's front" in " ".join(a.mentions[0].why)


def test_of_namesakes_in_a_theatres_region_written_after_the_town_the_one_by_its_front_is_chosen(
        tmp_path):
    a = parse(tmp_path, "On 2 April 2022, troops shelled Pshenychne, Luhansk oblast.")
    pshenychne = a.mentions[0].place
    assert pshenychne.admin1 == "UA-09" and pshenychne.lat < 48.8  # by the line, not the north's


def test_a_sizable_town_of_the_theatre_is_its_own_beside_a_larger_namesake_elsewhere(tmp_path):
    a = parse(tmp_path, "The SMM recorded ceasefire violations near Pervomaisk on Monday.")
    assert [m.place.admin1 for m in a.mentions if m.place] == ["UA-09"]
    (tmp_path / "b").mkdir()
    b = parse(tmp_path / "b", "Farmers met in Pervomaisk on Monday.")
    assert [m.place.admin1 for m in b.mentions if m.place] == ["UA-48"]


def test_a_small_namesake_by_the_front_gains_nothing_beside_a_large_town_elsewhere(tmp_path):
    a = parse(tmp_path, "Diplomats met in New York to discuss the shelling of Donetsk oblast.")
    (new_york,) = [m for m in a.mentions if m.text == "New York"]
    assert not any("front" in line for line in new_york.why)


@pytest.mark.parametrize("town, region, admin1", [("Myrne", "Kherso", "UA-65"),
                                                  ("Zarichne", "Kharkv", "UA-63")])
def test_a_region_misspelt_by_a_letter_after_a_town_chooses_the_towns_namesake(
        tmp_path, town, region, admin1):
    a = parse(tmp_path, f"On 31 March 2022, troops retook {town}, {region}. No one was hurt.")
    assert [m.place.admin1 for m in a.mentions if m.text == town] == [admin1]


def test_a_spelling_geonames_gives_a_namesake_elsewhere_finds_the_theatres_village_of_that_name(
        tmp_path):
    a = parse(tmp_path, "On 5 February 2022, the SMM recorded 5 explosions near Jevhenivka.")
    assert [(m.place.name, m.place.admin1) for m in a.mentions if m.place] == [
        ("Yevhenivka", "UA-14")]


def test_a_large_town_of_the_theatre_is_not_lost_to_a_village_by_the_front(tmp_path):
    a = parse(tmp_path, "Вибухи пролунали вночі в Луганську, повідомили в ЛНР.")
    assert [(m.place.name, m.place.admin1) for m in a.mentions if m.place] == [("Luhansk", "UA-09")]


def test_a_large_towns_former_name_hides_no_town_of_the_theatre_that_bears_it_now(tmp_path):
    a = parse(tmp_path, "On 8 June 2021, the SMM counted 12 explosions near Oleksandrivsk.")
    assert [m.place.admin1 for m in a.mentions if m.place] == ["UA-09"]  # not Zaporizhzhia
    (tmp_path / "b").mkdir()
    b = parse(tmp_path / "b", "Oleksandrivsk was renamed long ago, a historian said.")
    assert [m.place.name for m in b.mentions if m.place] == ["Zaporizhzhia"]  # set nowhere


@pytest.mark.parametrize("text, region", [
    ("On 2 May 2022, rebels fired mortars at Zavod imeni Kirova, Luhansk. No one was hurt.", "UA-09"),
    ("On 6 May 2022, troops shelled Shakhta imeni Lenina, Donetsk. Two houses burned.", "UA-14")])
def test_a_facility_named_after_someone_is_no_place_and_its_region_is_read(tmp_path, text, region):
    a = parse(tmp_path, text)
    assert [(m.place.feature, m.place.admin1) for m in a.mentions if m.place] == [("admin1", region)]


@pytest.mark.parametrize("written, village", [("Selyshche Vozdvyzhenka", "Vozdvyzhenka"),
                                              ("Khutir Nahirne", "Nahirne")])
def test_a_settlements_kind_written_before_its_name_is_no_place_of_its_own(
        tmp_path, written, village):
    a = parse(tmp_path, f"On 5 May 2021, the SMM recorded 2 explosions near {written}.")
    assert [(m.text, m.place.admin1) for m in a.mentions if m.place] == [(village, "UA-14")]
    assert "city cue" in " ".join(a.mentions[0].why)
    assert [e.admin1 for e in a.events] == [["UA-14"]]  # the event lies there too
