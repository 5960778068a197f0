"""Recognition and resolution rules on short texts: spellings, cues, people and organisations."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import FIXTURES

from geomap import gazetteer
from geomap.gazetteer import lexicon
from geomap.geo.distance import km
from geomap.models import Passage
from geomap.stages import recognise
from geomap.stages.pipeline import parse_text
from geomap.stages.resolve import to_place


def resolved(text: str) -> list[tuple[str, str, str | None, str]]:
    """(surface, name, admin1, feature) of each mention."""
    return [(m.text, m.place.name, m.place.admin1, m.place.feature) for m in parse_text(text).mentions]


CONVENTIONS = yaml.safe_load((FIXTURES / "conventions.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CONVENTIONS, ids=[c["text"][:40] for c in CONVENTIONS])
def test_press_spellings_and_cues_resolve_as_the_conventions_say(case):
    found = {r[0]: r for r in resolved(case["text"])}
    assert case["surface"] in found, found
    _, _, admin1, feature = found[case["surface"]]
    assert (admin1, feature) == (case["admin1"], case["feature"])


def test_areas_and_water_carry_the_units_they_cover():
    found = {m.text: m.place for m in parse_text(
        "Ships in the Black Sea, the Donbas and the Crimean peninsula.").mentions}
    assert found["Black Sea"].feature == "other"
    assert sorted(found["Donbas"].admin1_all) == ["UA-09", "UA-14"]
    assert sorted(found["Crimean peninsula"].admin1_all) == ["UA-40", "UA-43"]


def test_crimea_is_the_autonomous_republic_and_sevastopol_a_unit_of_its_own():
    found = {m.text: m.place for m in parse_text(
        "Explosions were heard in Crimea overnight, and later in Sevastopol.").mentions}
    assert (found["Crimea"].feature, found["Crimea"].admin1) == ("admin1", "UA-43")
    assert found["Sevastopol"].admin1 == "UA-40"


@pytest.mark.parametrize("text", [
    "Mr Putin spoke.", "Prime Minister Liz Truss spoke.", "Dmitry Peskov said so.",
    "NATO met.", "The Kramatorsk Post reported it.", "Andrew Trapani is a producer. Trapani's film opened.",
    "He posted on Telegram.", "Ukrainian forces advanced.", "Charlotte Graham won.",
    "James C. Verduin was found. Verduin had drowned.", "Elizabeth Fairfield pleaded. Fairfield wept.",
    "Officials met Karen and Hamid.",
    "Police found Terry A. Corbin on the road. Corbin died.", "The singer Kelly Clarkson sang.",
    "Man booked for assault.",
])
def test_people_organisations_and_demonyms_are_not_places(text):
    assert resolved(text) == []


def test_explain_names_the_features_that_decided():
    [m] = parse_text("Shelling hit the Kharkiv region.").mentions
    assert any(line.startswith("region cue") for line in m.why)


def test_a_dotted_region_abbreviation_is_read_but_not_a_date_era():
    assert [r[2] for r in resolved("Wildfires in B.C. spread.")] == ["CA-BC"]
    assert [r[0] for r in resolved("Rome in 300 B.C. was large.")] == ["Rome"]


def test_a_speaker_named_like_a_country_is_a_person_throughout_the_article():
    text = ('Georgia skated at six. "I am dedicated to it," said Georgia. '
            "Georgia was named the state champion in Alberta.")
    assert [r[0] for r in resolved(text)] == ["Alberta"]


def test_a_plural_common_word_is_not_a_region_when_it_names_a_business():
    assert resolved("The firm formed Lakes Edge Apartments in Orlando.")[0][0] == "Orlando"


def test_the_dictionary_word_list_is_cached_as_a_trie_and_rebuilt_if_damaged(fresh_cache):
    from geomap.cache import cache_dir

    lexicon.lowercase_words()
    (path,) = cache_dir().glob("lowercase-words-*.marisa")
    path.unlink()  # a new file, not the mapped one rewritten in place
    path.write_bytes(b"not a trie")
    lex = lexicon.load()
    assert lex.is_common_word("Pool") and lex.is_common_word("Lakes")
    assert not lex.is_common_word("Moscow") and not lex.is_common_word("Bucha")
    assert path.stat().st_size > 500_000  # 210,768 words


def test_a_short_place_name_ending_a_sentence_is_not_an_abbreviation():
    assert [r[0] for r in resolved("Troops died in Iraq. Gov. Smith spoke in Ohio.")] == ["Iraq", "Ohio"]


def test_a_town_in_capitals_opening_a_paragraph_as_a_dateline_is_a_place_not_an_abbreviation():
    text = "KYIV, June 3 (Reuters) - Drones hit a depot.\n\nLVIV (AP) — Sirens sounded. The UN, NATO met."
    assert [r[:2] for r in resolved(text)] == [("KYIV", "Kyiv"), ("LVIV", "Lviv")]


def test_a_region_word_in_the_possessive_still_names_the_region():
    found = resolved("Shelling hit the Belgorod region's border villages and the Kursk region’s capital.")
    assert [r[::3] for r in found] == [("Belgorod", "admin1"), ("Kursk", "admin1")]


def test_a_us_county_is_found_whole_and_placed_in_its_state():
    found = {r[0]: r for r in resolved("Deputies in Laurel County found it. London, Ky. is the seat.")}
    assert found["Laurel County"][2:] == ("US-KY", "admin2")


def test_a_given_name_before_a_surname_is_a_person_there_only():
    text = "Dennis Miller spoke. He lives in Dennis. CBC Toronto reported it."
    assert [r[0] for r in resolved(text)] == ["Dennis", "Toronto"]


def test_namesakes_resolve_together_where_the_article_is():
    text = "Schools in Gainesville, Athens and Macon are growing. Georgia lawmakers met in Atlanta."
    assert {r[2] for r in resolved(text)} == {"US-GA"}
    text = "Deputies from Walker County drove to Huntsville. Houston police helped."
    assert {r[2] for r in resolved(text)} == {"US-TX"}


def test_typo_candidates_are_those_one_damerau_levenshtein_edit_away():
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    from geomap import gazetteer
    from geomap.gazetteer.names import exact_key

    gaz = gazetteer.load()
    keys = sorted(k for ks in gaz.prominent.values() for k in ks)
    rng = random.Random(6)
    for key in rng.sample(keys, 300):
        i = rng.randrange(len(key) - 1)
        for typo in (key[:i] + key[i + 1] + key[i] + key[i + 2:], key[:i] + key[i + 1:],
                     key[:i] + "q" + key[i:], key[:i] + "x" + key[i + 1:]):
            folded = exact_key(typo)
            choices = [k for n in (len(folded) - 1, len(folded), len(folded) + 1)
                       for k in gaz.prominent.get((folded[:1], n), ())]
            hit = process.extractOne(folded, choices, scorer=DamerauLevenshtein.distance, score_cutoff=1)
            expected = [(i, p) for i, p in gaz._postings(gaz.exact[hit[0]]) if p] if hit else []
            assert gaz.typo_candidates(typo) == expected, typo


def test_a_village_under_500_people_is_placed_near_its_hromada_town_and_says_so():
    robotyne = next(m.place for m in parse_text("Ukrainian troops took Robotyne.").mentions)
    assert (robotyne.admin1, robotyne.located, robotyne.geonameid) == ("UA-23", "hromada", None)
    assert km(robotyne.lat, robotyne.lon, 47.45, 35.84) < 50  # Tokmak's point, 23 km off
    record = parse_text("Troops took Robotyne, south of Orikhiv.").mentions[0].record()
    assert record["located"] == "hromada"


def test_a_codifier_village_name_is_a_place_only_in_a_story_about_ukraine():
    assert resolved("Sasha went to the mall in Columbus, Ohio.")[0][0] == "Columbus"
    assert [r[0] for r in resolved("Shelling near Klishchiivka, south of Bakhmut.")] == [
        "Klishchiivka", "Bakhmut"]


def test_codifier_villages_have_their_own_keys_and_do_not_outrank_geonames_towns():
    found = parse_text("Shelling hit Kostiantynivka and Andriivka.").mentions
    assert found[0].place.geonameid and found[0].place.located is None
    entries = map(gazetteer.Entry._make, gazetteer.load().rows)
    twins = [e for e in entries if e.name == "Novooleksandrivka" and e.located]
    assert len(twins) > 1 and len({to_place(e).key for e in twins}) == len(twins)


def test_a_region_named_by_a_dictionary_word_that_the_dictionary_also_gives_as_a_name():
    assert [r[0] for r in resolved("He flew from Michigan to Montana, then on to Colorado.")] \
        == ["Michigan", "Montana", "Colorado"]
    assert resolved("Storms hit the South and the Gulf.") == []


@pytest.mark.parametrize("text, surfaces", [
    ("Officers found him in Butte, Mont., on Monday.", ["Butte", "Mont."]),
    ("A man from Wichita, Kan., and one from Greenwood, W. Va., were held.",
     ["Wichita", "Kan.", "W. Va."]),
    ("Julia Kinsey, of Hurricane, West Virginia, won.", ["Hurricane", "West Virginia"]),
    ("Escaped Ind. fugitives were held in a Neb. jail.", ["Ind.", "Neb."]),
    ("Sen. Bob Casey, D-Pa., called it troubling.", ["Pa."]),
    ("Gov. Jones met Sen. Smith in Dec. last year.", []),
])
def test_a_town_before_its_region_and_a_region_abbreviated_as_news_writes_it(text, surfaces):
    assert [r[0] for r in resolved(text)] == surfaces


@pytest.mark.parametrize("text, surface, admin1", [
    ("The crash happened two miles south of Bovina, Missouri, on Friday.", "Bovina", "US-MO"),
    ("He spent the night in a cell in Gruver, Ohio, before his trial.", "Gruver", "US-OH"),
    ("The inmate is held in the regional jail in Sealy, W. Va., until May.", "Sealy", "US-WV")])
def test_a_town_the_gazetteer_lacks_before_its_region_is_placed_in_that_region(text, surface,
                                                                                admin1):
    # No Bovina lies in Missouri in the gazetteer, only one in Texas, hundreds of kilometres off;
    # the state the text names is where the town is.
    found = {r[0]: r for r in resolved(text)}
    assert found[surface][2:] == (admin1, "admin1")


def test_a_town_before_a_neighbouring_region_stays_the_town():
    # Reports write a town near a border with the region next door; Rainsville, Alabama, lies
    # near Tennessee, and is the one meant, not Tennessee itself.
    found = {r[0]: r for r in resolved("Storms hit homes near Rainsville, Tenn., on Monday.")}
    assert found["Rainsville"][2:] == ("US-AL", "city")


def test_a_list_of_towns_is_no_town_before_a_region_of_another_country():
    found = {r[0]: r for r in resolved("Residents of Sealy, Devon and Cornwall met the board.")}
    assert found["Sealy"][2:] == ("US-TX", "city")


@pytest.mark.parametrize("text, surface, admin1", [
    ("The skater from Calgary, Alberta, grew up in Somerset, England as a child.", "Somerset",
     "GB-SOM"),
    ("Fans flew to Georgia, Canada and Mexico.", "Georgia", None)])
def test_a_country_written_after_a_name_keeps_the_namesakes_in_that_country(text, surface,
                                                                             admin1):
    # The article's Canadian places favour a town named Somerset in Alberta; the country written
    # after the name says which Somerset; a list of countries says nothing of the kind.
    found = {r[0]: r for r in resolved(text)}
    assert found[surface][2] == admin1


def test_a_frequent_region_name_is_a_place_before_a_word_it_does_not_know():
    found = [r[0] for r in resolved("He will appear in Henry County General Sessions Court. "
                                    "The Ohio Turnpike was closed. Kayaks on the Catawba River.")]
    assert found == ["Henry County", "Ohio", "Catawba"]


def test_a_county_is_also_named_without_county_unless_the_name_is_a_town_or_a_person():
    assert resolved("Deputies in Gwinnett arrested him.") == [
        ("Gwinnett", "Gwinnett County", "US-GA", "admin2")]
    assert resolved("Andrew Brunson was freed. Brunson flew home.") == []


def test_a_day_before_a_town_is_no_given_name_that_makes_the_town_a_person():
    text = "Around 7:35 p.m. Sunday Alexandria Police went to the house. Parents in Alexandria wept."
    assert [r[0] for r in resolved(text)] == ["Alexandria", "Alexandria"]


def test_a_region_divided_among_units_is_known_by_the_name_they_share():
    [(surface, name, admin1, feature)] = resolved("Fighting spread across Darfur.")
    assert (surface, feature) == ("Darfur", "region")
    [m] = parse_text("Fighting spread across Darfur.").mentions
    assert {"SD-DN", "SD-DS"} <= set(m.place.admin1_all)


@pytest.mark.parametrize("gap", [" ", "-", "–", ". "])
def test_a_run_of_words_stops_growing_only_where_no_longer_name_can_follow(gap):
    import random

    gaz = gazetteer.load()
    rng = random.Random(6)
    names = [gaz.entry(i).name for i in rng.sample(range(len(gaz.rows)), 20_000)]
    names = [name for name in names if " " in name]
    for words in [name.split() for name in names] + [["Zzqx", "Ь"], ["Ь", "Kyiv"], ["Kyiv", "ь"]]:
        for k in range(1, len(words)):
            longer = [gap.join(words[:n]) for n in range(k + 1, len(words) + 1)]
            if any(gaz.lookup(surface)[0] for surface in longer):
                assert gaz.extensible(gap.join(words[:k])), longer


def test_the_names_of_a_list_before_counties_or_parishes_are_counties():
    text = "Storms hit farms in Pipestone, Murray and Rock counties. Tim Rock said so on Friday."
    assert resolved(text)[:3] == [("Pipestone", "Pipestone County", "US-MN", "admin2"),
                                  ("Murray", "Murray County", "US-MN", "admin2"),
                                  ("Rock", "Rock County", "US-MN", "admin2")]
    assert resolved("Levees held in Plaquemines and St. Bernard parishes.") == [
        ("Plaquemines", "Plaquemines Parish", "US-LA", "admin2"),
        ("St. Bernard", "St. Bernard Parish", "US-LA", "admin2")]
    assert all(r[3] != "admin2" for r in resolved("Flights from Douglas and Murray reach the counties."))


def test_a_town_before_police_is_the_town_and_a_place_before_a_newspaper_is_its_name():
    text = "Dyersburg Police arrested two men. Staff at the Elkins Police Department said so."
    assert [r[1:3] for r in resolved(text)] == [("Dyersburg", "US-TN"), ("Elkins", "US-WV")]
    text = "Readers of The Washington Post and the Los Angeles Times saw it. China Daily said more."
    assert resolved(text) == []
    assert [r[0] for r in resolved("Officials in Los Angeles and Washington spoke.")] == [
        "Los Angeles", "Washington"]


def test_a_list_of_names_that_all_name_units_of_one_country_is_a_list_of_those_units():
    text = "Illnesses were reported in Missouri, Arkansas, California, Nevada and Oregon."
    assert {r[3] for r in resolved(text)} == {"admin1"}
    text = "Shells hit Kherson, Mykolaiv and Odesa overnight."  # towns their oblasts are named after
    assert {r[3] for r in resolved(text)} == {"city"}


def test_a_state_cue_means_the_state_not_the_city_region_its_town_fills():
    for text in ("A cow from a Washington state farm fell ill.", "He moved to the state of Washington."):
        assert [r[2:] for r in resolved(text)] == [("US-WA", "admin1")]
    assert [r[2:] for r in resolved("Shelling hit the Kharkiv region.")] == [("UA-63", "admin1")]


def test_a_place_name_before_virus_or_fever_names_the_disease():
    text = "Three horses in Ohio died of West Nile virus. Marburg haemorrhagic fever spread in Angola."
    assert [r[0] for r in resolved(text)] == ["Ohio", "Angola"]
    assert [r[0] for r in resolved("The United States flu season began.")] == ["United States"]


def test_a_place_after_a_word_that_opens_an_organisation_name_is_part_of_that_name():
    text = "Agence France-Presse reported from Lyon that Club America would play in Dallas."
    assert [r[0] for r in resolved(text)] == ["Lyon", "Dallas"]
    assert [r[0] for r in resolved("Real Madrid flew to Tokyo for the Club World Cup.")] \
        == ["Tokyo"]


def test_a_dotted_region_abbreviation_is_also_read_without_its_dots_unless_it_spells_a_word():
    assert resolved("Floods hit towns across NSW on Monday.") == [
        ("NSW", "New South Wales", "AU-NSW", "admin1")]
    assert [r[0] for r in resolved("ACT scores rose in Ohio.")] == ["Ohio"]


def test_england_wales_and_scotland_are_regions_of_the_united_kingdom_not_the_kingdom():
    text = "Schools closed in Wales, and flu spread across England. The UK government met."
    assert [r[1:] for r in resolved(text)] == [("Wales", None, "region"), ("England", None, "region"),
                                               ("United Kingdom", None, "country")]


def test_a_name_right_after_a_relatives_word_is_the_relatives():
    text = "She is survived by her husband, Lincoln, and a son, Austin. They lived near Denver."
    assert [r[0] for r in resolved(text)] == ["Denver"]
    assert [r[0] for r in resolved("Her son moved to Austin in May.")] == ["Austin"]


def test_a_name_before_a_governor_or_premier_is_the_state_or_province():
    assert [r[1:] for r in resolved("New York Gov. Kathy Hochul spoke.")] == [
        ("New York", "US-NY", "admin1")]
    assert [r[1:] for r in resolved("The Quebec Premier met mayors.")] == [("Quebec", "CA-QC", "admin1")]


@pytest.mark.parametrize("text", [
    "Trucks blocked Richmond Street, London city council said. Ontario officials agreed.",
    "The London District Catholic School Board met in London. Ontario officials agreed.",
])
def test_no_region_cue_from_a_street_before_a_name_nor_from_a_longer_names_word(text):
    assert {r[1:] for r in resolved(text) if r[0] == "London"} == {("London", "CA-ON", "city")}


def test_a_country_abbreviation_joined_to_a_dollar_sign_is_a_currency():
    text = "Aid to Kenya rose to US$10 million, and NZ$4 million came too; $US 2 billion is asked."
    assert [r[0] for r in resolved(text)] == ["Kenya"]


def test_a_name_runs_on_through_the_particles_of_place_names():
    found = resolved("Cases rose in Santa Catarina, Rio Grande do Sul and Mato Grosso do Sul.")
    assert [(r[0], r[2], r[3]) for r in found] == [
        ("Santa Catarina", "BR-SC", "admin1"), ("Rio Grande do Sul", "BR-RS", "admin1"),
        ("Mato Grosso do Sul", "BR-MS", "admin1")]


def test_a_name_before_a_persons_title_is_no_part_of_a_longer_name():
    text = "New York City Mayor Eric Adams spoke, and Berea Mayor Bruce Fraley agreed."
    assert [r[:2] for r in resolved(text)] == [("New York City", "New York City"), ("Berea", "Berea")]


def test_a_towns_own_ending_in_i_is_no_demonym():
    assert [r[:2] for r in resolved("Russian jets bombed Tskhinvali on Friday.")] == [
        ("Tskhinvali", "Ts’khinvali")]
    assert [r[0] for r in resolved("Shelling hit Horenychi, Kyiv Oblast.")][0] == "Horenychi"


@pytest.mark.parametrize("text, country", [
    ("Militias clashed in Tripoli, the Libyan capital, on Friday.", "LY"),  # a capital
    ("Factories in Shanghai reopened after the lockdown.", "CN"),  # a city of millions
    ("French troops left Mali last year.", "ML"),  # a country
])
def test_a_landmark_ending_like_a_demonym_is_the_place(text, country):
    assert [m.place.country for m in parse_text(text).mentions] == [country]


@pytest.mark.parametrize("text, name", [
    ("Aid reached Port-au-Prince on Monday.", "Port-au-Prince"),  # a particle inside a name
    ("Cocoa prices rose in Côte d'Ivoire.", "Ivory Coast"),  # an elided article
    ("Tourists left Acapulco after the storm.", "Acapulco de Juárez"),  # the head of its name
])
def test_names_with_particles_and_short_forms_of_large_towns_are_found(text, name):
    assert [r[1] for r in resolved(text)] == [name]


@pytest.mark.parametrize("text, admin1", [
    ("Flights from Caracas and Maracaibo reached Valencia in eastern Spain.", "ES-V"),  # not
    # Valencia, Venezuela, which the article's other places would favour
    ("Flights from Caracas and Maracaibo reached Valencia, Spain, on Tuesday.", "ES-V"),
])
def test_a_country_written_after_a_name_keeps_its_namesakes_there(text, admin1):
    assert [r[2] for r in resolved(text) if r[0] == "Valencia"] == [admin1]


def test_a_state_after_a_name_the_gazetteer_lacks_is_not_taken_for_a_city_region_by_a_suburb():
    # Maryland City, Maryland bears the state's name only as another of its names: the state
    # is no city-region, and of the two units named Maryland the article's country chooses.
    text = ("Samples came from ducks in Qwertyham County, Maryland, and from farms in "
            "Pennsylvania and Ohio.")
    assert resolved(text)[0] == ("Maryland", "Maryland", "US-MD", "admin1")


@pytest.mark.parametrize("text, admin1", [
    ("Cases were confirmed in Washington, Oregon and Idaho.", "US-WA"),
    ("A drone was shot down in Kyiv region on Monday.", "UA-32")])
def test_a_region_cue_means_the_region_not_the_city_region_of_the_same_name(text, admin1):
    # Washington, D.C. and Kyiv city are first-level units named like their town; a list of
    # states or the word "region" means the state or the oblast of the name.
    assert (resolved(text)[0][2], resolved(text)[0][3]) == (admin1, "admin1")


@pytest.mark.parametrize("text, expected", [
    ("Victoria's premier spoke on Monday.", ("Victoria", "AU-VIC")),  # not Victoria, Hong Kong
    ("Quebec's premier spoke on Monday.", ("Quebec", "CA-QC")),  # not the city
    ("Georgia's governor signed the bill.", ("Georgia", "US-GA")),  # not the country
    ("Mexico's state of Sonora was hit by floods.", ("Mexico", None)),  # a unit of it, not it
])
def test_a_states_office_after_its_possessive_is_a_region_cue(text, expected):
    surface, admin1 = expected
    assert [(r[2], r[3]) for r in resolved(text) if r[0] == surface] == [
        (admin1, "admin1" if admin1 else "country")]


def test_a_name_before_said_is_a_person_unless_right_after_in():
    assert resolved("Paris said she would stay.") == []  # the person
    assert [r[:2] for r in resolved("Officials in Paris said the talks would go on.")] == [
        ("Paris", "Paris")]


@pytest.mark.parametrize("text", ["Sunni clerics met Iraqi, Kuwaiti and Yemeni officials.",
                                  "Israeli and Pakistani envoys met Sunni leaders.",
                                  "Shells hit the Moskovskyi and Komsomolski districts."])
def test_words_in_i_after_a_countrys_name_as_frequent_as_demonyms_or_adjectives_are_not_places(
        text):
    assert resolved(text) == []


def test_a_name_before_a_towns_or_countys_office_is_the_town_or_county():
    text = "Litchfield Selectman Ann Ruiz spoke, and the Kanawha Circuit Court ruled on Monday."
    assert [r[0] for r in resolved(text)] == ["Litchfield", "Kanawha"]


def test_city_after_a_name_that_no_town_bears_as_its_own_is_the_named_towns():
    text = "Springfield, Ohio — The Springfield City Schools board met on Monday."
    assert [r[:3] for r in resolved(text) if r[0].startswith("Springfield")] == [
        ("Springfield", "Springfield", "US-OH")] * 2
    assert [r[1:] for r in resolved("Ferries left Quebec City on Monday.")] == [
        ("Québec", "CA-QC", "city")]
    assert [r[0] for r in resolved("Kansas City police said so.")] == ["Kansas City"]


def test_the_city_is_no_name():
    text = "The City Council met on Monday. The City of Edwardsville agreed."
    assert [r[0] for r in resolved(text)] == ["Edwardsville"]


def test_a_common_given_name_that_names_only_small_towns_is_a_person_alone():
    assert resolved("Martha was born in 1913 and became a nurse.") == []
    assert [r[0] for r in resolved("He retired to Marion, Ohio, in May.")] == ["Marion", "Ohio"]
    assert [r[0] for r in resolved("Marion Police said so on Monday.")] == ["Marion"]
    assert [r[0] for r in resolved("Banks opened in Gainesville and Lindsay last year.")] == [
        "Gainesville", "Lindsay"]


def test_a_dictionary_word_right_after_in_or_near_is_the_town_it_names_unless_frequent():
    assert [r[:3] for r in resolved("She was born in Lombard and moved away.")] == [
        ("Lombard", "Lombard", "US-IL")]
    assert resolved("Each year, Lombard settlers wrote letters.") == []
    text = "The vote is in May, and a sign in East Oxford was replaced."
    assert [r[0] for r in resolved(text)] == ["Oxford"]


def test_a_longer_names_first_words_are_the_place_the_article_names_alone_elsewhere():
    text = "Police in Mount Pleasant, Texas, said pupils of Mount Pleasant High School were safe."
    assert [r[:3] for r in resolved(text) if r[0] == "Mount Pleasant"] == [
        ("Mount Pleasant", "Mount Pleasant", "US-TX")] * 2
    assert resolved("Pupils of Mount Pleasant High School were safe.") == []
    assert [r[0] for r in resolved("Moscow officials told The Moscow Times so.")] == ["Moscow"]


def test_a_name_ending_in_a_buildings_word_after_a_determiner_or_before_a_title_is_the_building():
    assert resolved("Aides at the White House met on Monday.") == []
    assert [r[:3] for r in resolved("Police in White House, Tenn., said so.")][0] == (
        "White House", "White House", "US-TN")
    assert resolved("The White House condemned it; White House spokesman Tom Vietor agreed.") == []
    assert resolved("A White House statement said so.") == []
    text = "Walsh goes to Trillium Health Centre in Mississauga."
    assert [r[0] for r in resolved(text)] == ["Mississauga"]


def test_a_name_before_a_newspapers_two_word_name_is_the_papers():
    assert resolved("The Lansing State Journal reported it.") == []
    assert [r[0] for r in resolved("Lansing officials agreed.")] == ["Lansing"]
    text = "Lansing officials agreed, the Lansing State Journal said."
    assert [r[0] for r in resolved(text)] == ["Lansing"]


def test_another_name_of_a_town_far_better_known_as_something_else_is_not_the_town():
    assert [r[0] for r in resolved("Talks between Israel and Hamas collapsed on Monday.")] == [
        "Israel"]
    text = "Rallies were held in Kiev and in Bangalore on Sunday."
    assert [r[:2] for r in resolved(text)] == [("Kiev", "Kyiv"), ("Bangalore", "Bengaluru")]


def test_a_name_after_a_and_a_year_is_a_vehicles_make_throughout_the_article():
    text = "A 1992 Toyota Corolla hit a wall in Reno. The Toyota was towed away."
    assert [r[0] for r in resolved(text)] == ["Reno"]
    assert [r[0] for r in resolved("The 2008 Beijing Olympics opened in August.")] == ["Beijing"]


def test_a_small_town_named_like_a_state_of_its_country_gains_nothing_from_its_neighbours():
    text = "Officials in Pittsburgh, Pa., said California salmon were scarce."
    assert [r[1:] for r in resolved(text) if r[0] == "California"] == [
        ("California", "US-CA", "admin1")]
    text = "Officials in California, Pa., said the river rose."
    assert [r[1:] for r in resolved(text) if r[0] == "California"] == [
        ("California", "US-PA", "city")]
    text = "Laurel County deputies said a London man was arrested in Corbin."
    assert [r[2] for r in resolved(text) if r[0] == "London"] == ["US-KY"]  # not a unit of its
    # own country: London, Kentucky, keeps its neighbours


def test_a_very_frequent_given_name_before_a_surname_is_a_person_whatever_region_it_names():
    assert resolved("Superintendent Paul Calvert retired in Omaha.")[0][0] == "Omaha"
    assert [r[0] for r in resolved("Also watching was Paul Allen, in Omaha.")] == ["Omaha"]
    assert [r[1:] for r in resolved("Virginia Smith moved to Richmond, Virginia.")
            if r[0] == "Virginia"] == [("Virginia", "US-VA", "admin1")]


def test_a_name_right_after_a_childs_or_cousins_word_is_the_relative_throughout_the_article():
    text = "The couple lost their first child, Hailey, in May. Hailey is never far from them."
    assert resolved(text) == []
    assert [r[0] for r in resolved("Her aunt, Bea, lived in Boise.")] == ["Boise"]


def test_a_populous_countrys_name_is_the_country_whatever_towns_the_article_names():
    text = "Danbury police said the man moved from Mexico."
    assert [r[1:] for r in resolved(text) if r[0] == "Mexico"] == [("Mexico", None, "country")]
    text = "A Palestine man was arrested by Anderson County deputies near Crockett."
    assert [r[1:] for r in resolved(text) if r[0] == "Palestine"] == [
        ("Palestine", "US-TX", "city")]  # a smaller country's name: the town of local news


def test_a_name_after_an_officials_or_officers_title_is_a_person_throughout_the_article():
    text = "Commissioner Wade McKinney objected. McKinney said the budget was tight."
    assert resolved(text) == []
    assert resolved("Trooper Drew Ledbetter opened fire. Ledbetter was unhurt.") == []
    text = "Chief Kanawha Circuit Judge Jim Stucky accepted the plea."
    assert [r[0] for r in resolved(text)] == ["Kanawha"]


def test_a_common_given_name_that_ends_like_a_demonym_reads_as_a_given_name():
    assert resolved("His business partner, Brian Gilbert, left. Gilbert said so.") == []
    assert resolved("The women were identified as Toni Botkins and Lillian Dunn.") == []


def test_a_common_given_name_before_a_word_no_place_bears_nor_dictionary_gives_is_a_person():
    assert [r[0] for r in resolved("Joey Stadnick beat Tyler Zilverberg in Omaha.")] == ["Omaha"]
    assert [r[0] for r in resolved("The Tyler Police said so.")] == ["Tyler"]


def test_what_a_name_tells_is_kept_for_the_same_surface_and_candidates_only():
    gaz, lex = gazetteer.load(), lexicon.load()
    paris, kind = gaz.lookup("Paris")
    name = recognise._name("Paris", kind, paris, gaz, lex)
    assert recognise._name("Paris", kind, list(paris), gaz, lex) is name  # equal candidates
    fewer = paris[:1]
    other = recognise._name("Paris", kind, fewer, gaz, lex)
    assert other is not name and other.cands == fewer
    for surface in ("Paris", "The", "Georgia", "Charlotte", "Canadian", "Monday"):
        cands, kind = gaz.lookup(surface)
        facts = recognise._name(surface, kind, cands, gaz, lex)
        assert (facts.big_area, facts.prominent, facts.names_country, facts.common_word_ok,
                facts.demonym) == (
            recognise._big_area(cands, gaz), recognise._prominent(cands, gaz),
            recognise.names_country(cands, gaz),
            recognise._common_word_ok(surface, cands, gaz, lex),
            recognise._reads_as_demonym(surface, gaz, lex))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\"'“‘([—-xA.", max_size=8))
def test_a_sentence_starts_where_only_openings_come_before_the_word(before):
    text = before + "Kyiv"
    tok = recognise._TOKEN.search(text, len(before))
    assert tok.start() == len(before)
    expected = not before.strip(" \t\n\"'“‘([—-")
    assert recognise._is_sentence_start(text, Passage("p1", 0, len(text), 0), tok) == expected


_PLAIN_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’ʼ](?!s\b)[^\W\d_]+)*")  # the
# tokens as first written: a dotted abbreviation, else letters joined by apostrophes


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="AUSBsxyzéЖжß_0. ,'’ʼ-\n", max_size=24))
def test_the_tokens_are_those_of_the_plain_pattern(text):
    assert [m.span() for m in recognise._TOKEN.finditer(text)] \
        == [m.span() for m in _PLAIN_TOKEN.finditer(text)]


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="sonwifeSONCityofſ ,.\n", max_size=20))
def test_the_patterns_tried_from_a_first_letter_find_what_they_would_anywhere(text):
    plain_kin = re.compile(rf"\b(?:{'|'.join(recognise._KIN)}),? $", re.I)
    assert bool(recognise._KIN_BEFORE.search(text)) == bool(plain_kin.search(text))
    assert bool(recognise._ANY_OF_CUE.search(text)) \
        == any(pattern.search(text) for pattern, _ in recognise._OF_CUES)


@pytest.mark.parametrize("before, cues", [
    ("They shelled the city of ", {"city"}),
    ("Troops entered selo ", {"city"}),
    ("Rain fell on the region of ", {"region"}),
    ("He moved to the State of ", {"region", "state"}),
    ("Aid reached the provinces of  ", {"region_list"}),
    ("In the heart of ", set()),
    ("of ", set()),
])
def test_the_cue_words_before_a_name_are_read(before, cues):
    text = before + "Kherson."
    start = len(before)
    passage = Passage("p1", 0, len(text), 0)
    assert recognise._cues(text, passage, start, start + len("Kherson")) == cues


@pytest.mark.parametrize("text, surface", [
    ("Shelling hit New York City overnight.", "New York City"),
    ("A strike on Kryvyi Rih and Nikopol.", "Kryvyi Rih"),
    ("Ships left Rio de Janeiro today.", "Rio de Janeiro"),
    ("He drove to Stratford-upon-Avon.", "Stratford-upon-Avon"),
    ("Troops near New \nYork said so.", "New \nYork"),  # a gap as a line's end leaves it
])
def test_the_longest_run_of_words_naming_a_place_is_matched(text, surface):
    toks = list(recognise._TOKEN.finditer(text))
    i = next(k for k, tok in enumerate(toks) if tok.start() == text.index(surface.split()[0]))
    j, cands, _ = recognise._longest_match(text, toks, i, gazetteer.load())
    assert text[toks[i].start():toks[j - 1].end()] == surface and cands


@pytest.mark.parametrize("word, opens", [
    ("Kharkiv", True),  # a place
    ("Rio", True),  # and the first word of Rio de Janeiro
    ("Ky", True),  # Ky. after a town
    ("B.C.", True),  # a dotted abbreviation
    ("NSW", True),  # N.S.W. without its dots
    ("Luhanks", True),  # Luhansk misspelt
    ("Tuesday", False), ("Putin", False), ("Officials", False), ("They", False),
])
def test_only_words_that_may_open_a_span_are_read_in_their_context(word, opens):
    assert recognise._may_open_a_span(word, gazetteer.load(), lexicon.load()) is opens


def test_words_that_open_no_span_are_passed_over_and_the_places_around_them_found():
    text = "On Tuesday Putin said Officials in Kharkiv and Rio de Janeiro, Luhanks and NSW agreed."
    spans = recognise.recognise(text, Passage("p1", 0, len(text), 0), gazetteer.load(),
                                lexicon.load())
    assert [s.text for s in spans] == ["Kharkiv", "Rio de Janeiro", "Luhanks", "NSW"]


def test_a_hamlet_named_like_a_region_of_several_countries_gains_nothing_from_its_neighbours():
    # A hamlet of Maryland is called Middle East; an American article's other places lie near it,
    # which says nothing of which Middle East the article means.
    found = {r[0]: r for r in resolved("Since the president took office in Washington, hopes "
                                       "spread over the Middle East. Officials in Baltimore "
                                       "agreed.")}
    assert found["Middle East"][2:] == (None, "region")


def test_a_misspelt_name_before_a_town_far_from_every_reading_of_it_is_part_of_that_town():
    # "Greenlamd" reads as Greenland only by a typo; written before Auckland with a comma it is a
    # suburb the gazetteer lacks, placed at Auckland.
    gaz, lex = gazetteer.load(), lexicon.load()
    text = "She ate at a cafe in Greenlamd, Auckland, New Zealand on Monday."
    spans = recognise.recognise(text, Passage("p", 0, len(text), 0), gaz, lex)
    first, second = spans[0], spans[1]
    assert first.text == "Greenlamd" and first.candidates == second.candidates


def test_a_misspelt_name_in_a_list_keeps_its_own_reading():
    gaz, lex = gazetteer.load(), lexicon.load()
    text = "Troops left the Kharkiv, Luhanks, Kherson and Sumy regions."
    spans = {s.text: s for s in recognise.recognise(text, Passage("p", 0, len(text), 0), gaz, lex)}
    assert spans["Luhanks"].candidates != spans["Kherson"].candidates


def test_a_town_named_like_a_river_said_with_the_is_the_river_unless_a_place_word_follows():
    found = resolved("Boats crossed the Dnipro at night; missiles hit Dnipro and the Dnipro airport.")
    assert [(r[0], r[3]) for r in found] == [("Dnipro", "other"), ("Dnipro", "city"), ("Dnipro", "city")]


def test_oblast_before_an_office_or_in_the_possessive_still_names_the_oblast():
    found = resolved("Bryansk Oblast Governor Alexander Bogomaz spoke. In Kharkiv Oblast's Izium "
                     "district, a man died.")
    assert [(r[0], r[3]) for r in found][:2] == [("Bryansk", "admin1"), ("Kharkiv", "admin1")]


def test_a_town_before_a_regions_name_in_a_list_that_goes_on_is_not_replaced_by_the_region():
    found = resolved("Shelling was reported in Kharkov, Nikolaev, Zaporozhye, Lugansk and Sumy.")
    assert ("Nikolaev", "Mykolaiv", "UA-48", "city") in found
    found = resolved("Offices in Nashville, Tennessee, Richmond, Virginia, and Orlando, Florida.")
    assert ("Richmond", "Richmond", "US-VA", "city") in found
