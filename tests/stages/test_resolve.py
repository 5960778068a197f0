"""Resolution in context: an article of one name ranks its spans as the rounds of context do."""
from __future__ import annotations

import pytest

from geomap.models import Article
from geomap.stages import recognise, resolve, split
from geomap.stages.pipeline import parse_article, parse_text
from geomap.stages.resources import resources


def distinct_spans(text: str, lang: str = "en") -> tuple[resolve.Distinct, list, resolve.Context]:
    """What :func:`geomap.stages.resolve.resolve` ranks for ``text``: its distinct spans, their
    candidates and the fixed context."""
    res = resources()
    article = recognise.stage(split.stage(Article(id="a", path="", text=text, sha256="",
                                                  lang=lang), res), res)
    theatre = frozenset().union(*(t.admin1 for t in res.theatres.of(text, lang)))
    distinct = resolve._distinct([span for _, span in article.spans])
    cands = [resolve._candidates(span, res.gazetteer, theatre) for span in distinct.spans]
    fixed = resolve._fixed_context(distinct.spans, cands, res.weights, theatre,
                                   res.theatres.fronts)
    return distinct, cands, fixed


@pytest.mark.parametrize(("text", "lang"), [
    ("Springfield voted on Tuesday. The Springfield council met again.", "en"),
    ("Alexandria's mayor spoke. In Alexandria, the road reopened.", "en"),
    ("The Kharkiv region was shelled; Kharkiv lost power. KHARKIV stayed dark.", "en"),
    ("Вночі окупанти обстріляли Харків. Харків залишився без світла.", "uk"),
])
def test_an_article_of_one_name_ranks_its_spans_as_the_rounds_of_context_do(text, lang):
    distinct, cands, fixed = distinct_spans(text, lang)
    assert len(set(distinct.names)) == 1
    gaz = resources().gazetteer
    assert resolve._settled_rankings(distinct, cands, fixed, gaz) == \
        resolve._rounds(distinct, cands, fixed, gaz)


def test_an_article_of_two_names_is_ranked_in_rounds_of_context():
    distinct, cands, fixed = distinct_spans("Alexandria and Douglas County wait for snow.")
    assert len(set(distinct.names)) == 2
    gaz = resources().gazetteer
    rounds = resolve._rounds(distinct, cands, fixed, gaz)
    in_fixed = resolve._rankings(distinct, cands, resolve._context(distinct, gaz, fixed, [], True))
    assert resolve._settled_rankings(distinct, cands, fixed, gaz) == rounds != in_fixed


def resolved(text: str) -> dict[str, tuple[str, str | None, str]]:
    """Surface -> (name, admin1, feature) of each mention of ``text``."""
    return {m.text: (m.place.name, m.place.admin1, m.place.feature)
            for m in parse_text(text).mentions}


def test_a_capital_of_a_country_the_article_names_beats_its_namesakes_near_the_article():
    # Written from Washington on Syria: Damascus, Maryland, lies near Washington and in the
    # article's country, which says nothing of which Damascus the article means.
    text = ("Diplomats in Washington said on Monday that talks with Syria could resume if "
            "Damascus ends its support for armed groups, officials in Baltimore added.")
    assert resolved(text)["Damascus"][1] == "SY-DI"


def test_a_capitals_namesake_keeps_its_neighbours_where_the_article_names_no_such_country():
    text = ("A fire in Damascus closed two roads on Monday; crews from Gaithersburg and "
            "Germantown helped, the county said.")
    assert resolved(text)["Damascus"][1] == "US-MD"


def test_a_region_named_like_its_town_is_the_region_where_the_article_names_a_larger_town_of_it():
    # Montreal is Quebec's largest town: an article that names it and a bare Quebec means the
    # province, as Canada's press writes it, not Quebec City.
    text = "Drivers in Montreal may soon turn right on red, as they have done elsewhere in Quebec."
    assert resolved(text)["Quebec"][1:] == ("CA-QC", "admin1")


def test_a_region_named_like_its_largest_town_said_bare_is_still_the_town():
    text = "Tourists in Quebec walked the old walls; others took the ferry to Levis."
    assert resolved(text)["Quebec"][2] == "city"
    text = "Drivers in Chuhuiv waited for fuel while Kharkiv was shelled."
    assert resolved(text)["Kharkiv"][1:] == ("UA-63", "city")


@pytest.mark.parametrize(("text", "name"), [
    ("A tsunami hit the Indonesian island of Java on Monday, officials in Jakarta said.", "Java"),
    ("Kayakers paddled on Lake Cunningham near Greer on Sunday.", "Cunningham"),
    ("Researchers from Seattle counted the orcas of Puget Sound in June.", "Puget"),
])
def test_a_name_beside_a_features_word_is_no_far_small_town_of_that_name(text, name):
    # The gazetteer has no island, lake or sound: a hamlet in Georgia, a village in England and a
    # town in France are not what the article means.
    assert name not in resolved(text)


@pytest.mark.parametrize(("text", "name", "admin1"), [
    ("Volunteers cleaned the banks of the Monongahela River near Pittsburgh.", "Monongahela",
     "US-PA"),  # a river named like a town on it, near the article's places
    ("Snow fell across the Las Vegas Valley on Monday.", "Las Vegas", "US-NV"),  # a large town
    ("Farmers in the Bekaa Valley protested.", "Bekaa", "LB-BI"),  # a region holds its valley
])
def test_a_name_beside_a_features_word_keeps_a_place_that_holds_the_feature(text, name, admin1):
    assert resolved(text)[name][1] == admin1


@pytest.mark.parametrize(("text", "name"), [
    ("TfL said on Monday that buses in London would run late; Camden residents complained.",
     "TfL"),  # a town's code in Brazil
    ("Medicines worth KSh 17 million were sent to Nairobi and Mombasa.", "KSh"),  # in Iran
])
def test_a_name_only_another_name_of_a_far_town_the_article_is_not_tied_to_is_none(text, name):
    assert name not in resolved(text)


def test_a_large_towns_other_name_stays_its_name_far_from_the_articles_places():
    assert resolved("Officials in London said Bombay traders closed early.")["Bombay"][1] == \
        "IN-MH"


@pytest.mark.parametrize(("text", "name", "country", "feature"), [
    ("Zaire has sustained the largest outbreaks, officials in Kinshasa said.", "Zaire", "CD",
     "country"),  # the Congo's name until 1997
    ("Officials in Luanda said the Zaire province had floods.", "Zaire", "AO", "admin1"),
    ("Refugees from Bosnia reached Zagreb.", "Bosnia", "BA", "country"),
])
def test_a_countrys_short_or_former_name_is_the_country(text, name, country, feature):
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert (found[name].country, found[name].feature) == (country, feature)


def test_a_town_of_a_million_in_a_country_the_article_names_beats_its_namesakes_nearby():
    # Written from Tampa on a Russian museum: St. Petersburg, Florida, lies near Tampa, which
    # says nothing of which St. Petersburg the article means.
    text = ("A museum in Tampa lent the paintings to Russia; their show in St. Petersburg "
            "opens in May, after Moscow.")
    assert resolved(text)["St. Petersburg"][1] == "RU-SPE"


def test_a_ukrainian_name_the_gazetteer_has_only_as_another_name_is_kept():
    # Херсон is Kherson's other name: in a Ukrainian report it is no far town's old name.
    article = parse_article(Article(id="a.txt", path="", text="Сили оборони звільнили Херсон.",
                                    sha256="0" * 64))
    assert "UA-65" in [m.place.admin1 for m in article.mentions]


def _places(text: str) -> list[tuple[str, str | None, str]]:
    return [(m.text, m.place.admin1, m.place.feature) for m in parse_text(text).mentions]


def test_a_town_a_dateline_gives_alone_is_the_best_known_of_its_name():
    text = ("WASHINGTON — Senators from Louisiana and Texas voted.\n\nA tornado struck Joplin, Mo., "
            "and Union, Mo.")
    assert _places(text)[0] == ("WASHINGTON", "US-DC", "city")
    text = "UNION, Mo. (AP) — A tornado struck Joplin, Mo."  # the region written after it
    assert _places(text)[0] == ("UNION", "US-MO", "city")


@pytest.mark.parametrize("text", ["Storms hit Oklahoma.", "The governor of Oklahoma spoke."])
def test_a_region_a_town_is_named_after_as_its_city_is_the_region(text):
    assert _places(text) == [("Oklahoma", "US-OK", "admin1")]


def test_the_governor_of_a_region_named_like_its_town_is_the_regions():
    assert _places("The governor of Kharkiv met the mayor of Sumy.") == [
        ("Kharkiv", "UA-63", "admin1"), ("Sumy", "UA-59", "city")]
