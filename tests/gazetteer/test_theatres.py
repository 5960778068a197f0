"""The theatres an article's words set it in (data/theatres.yaml)."""
from __future__ import annotations

from geomap.gazetteer import theatres


def names(text: str) -> list[str]:
    return [t.name for t in theatres.load().of(text)]


def test_cues_set_an_article_in_its_theatres_once_each_in_order():
    assert names("Ukrainian troops held the contact line; the SMM saw the line of contact.") == [
        "Ukraine", "Donbas"]


def test_a_cue_at_a_sentences_start_is_capitalised():
    assert names("Contact line villages were shelled.") == ["Donbas"]


def test_cues_are_whole_words_as_written():
    assert names("SMMS and the dpr's bakery; an Ukrainer; LPRX") == []


def test_the_donbas_is_donetsk_and_luhansk_oblasts_in_ukraine():
    (donbas,) = theatres.load().of("near the contact line")
    assert (donbas.country, donbas.admin1) == ("UA", frozenset({"UA-14", "UA-09"}))


def test_a_report_in_ukrainian_or_russian_is_set_in_ukraine_one_in_english_by_its_words():
    assert [t.name for t in theatres.load().of("Вибухи пролунали вночі.", "uk")] == ["Ukraine"]
    assert [t.name for t in theatres.load().of("Взрывы прогремели ночью.", "ru")] == ["Ukraine"]
    assert [t.name for t in theatres.load().of("Explosions were heard overnight.", "en")] == []


def test_ukrainian_and_russian_cues_set_a_report_in_ukraine_and_the_donbas():
    assert names("ВСУ обстреляли Донецк, сообщили в ДНР.") == ["Ukraine", "Donbas"]
    assert names("Обстріли вздовж лінії зіткнення тривають.") == ["Donbas"]


def test_the_donbas_front_runs_from_the_sea_of_azov_to_the_siverskyi_donets():
    from geomap.geo.distance import km_to_line

    (donbas,) = theatres.load().of("near the contact line")
    assert len(donbas.front) > 10
    assert km_to_line(48.14, 37.75, donbas.front) < 1  # Avdiivka, on it
    assert km_to_line(48.74, 37.58, donbas.front) > 40  # Kramatorsk, behind it


def test_a_cue_inside_a_word_does_not_hide_a_whole_cue_within_it():
    assert names("The xOSCE SMM monitors") == ["Donbas"]  # "SMM", after "OSCE" inside a word
    assert names("ЗЗСУ") == [] and names("ЗЗСУ ЗСУ") == ["Ukraine"]


def test_asking_again_of_the_same_text_gives_the_same_theatres_each_a_new_list():
    all_theatres = theatres.load()
    first = all_theatres.of("ВСУ обстреляли Донецк, сообщили в ДНР.", "ru")
    first.clear()
    again = all_theatres.of("ВСУ обстреляли Донецк, сообщили в ДНР.", "ru")
    assert [t.name for t in again] == ["Ukraine", "Donbas"]
    assert [t.name for t in all_theatres.of("ВСУ обстреляли Донецк, сообщили в ДНР.", "en")] == [
        "Ukraine", "Donbas"]
    assert all_theatres.of("Explosions were heard overnight.", "uk")[0].name == "Ukraine"
