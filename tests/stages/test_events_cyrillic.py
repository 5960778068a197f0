"""Events in Ukrainian and Russian: triggers per language, locations after their prepositions,
dates in their words; sentences of our own."""
from __future__ import annotations

from datetime import date

import pytest

from geomap.export.acled import sub_event_type
from geomap.models import Article
from geomap.stages import dates
from geomap.stages.pipeline import parse_article
from geomap.stages.resources import resources

PUBLISHED = "2023-03-13"  # a Monday


def events(text: str, published: str | None = PUBLISHED) -> list:
    article = parse_article(Article(id="a.txt", path="", text=text, sha256="0" * 64,
                                    published=published))
    return article.events


def only_event(text: str, published: str | None = PUBLISHED):
    found = events(text, published)
    assert len(found) == 1, [(e.type, e.places) for e in found]
    return found[0]


@pytest.mark.parametrize(("text", "etype", "admin1"), [
    ("Уночі окупанти обстріляли Херсон.", "shelling", ["UA-65"]),
    ("Ночью оккупанты обстреляли Херсон.", "shelling", ["UA-65"]),
    ("Дрони атакували нафтобазу в Житомирі.", "shelling", ["UA-18"]),
    ("Над Одесою збили дві ракети.", "shelling", ["UA-51"]),
    ("Беспилотник атаковал подстанцию около Белгорода.", "shelling", ["RU-BEL"]),
    ("Запеклі бої тривають під Бахмутом.", "battle", ["UA-14"]),
    ("Ожесточенные бои продолжаются под Бахмутом.", "battle", ["UA-14"]),
    ("Двоє бійців загинули в бою під Бахмутом.", "battle", ["UA-14"]),  # бою: бій, not бой
    ("Сили оборони звільнили Херсон.", "territorial_change", ["UA-65"]),
    ("Российские войска отступили из Херсона.", "territorial_change", ["UA-65"]),
    ("У Бучі слідчі виявили масове поховання.", "violence_against_civilians", ["UA-32"]),
    ("В Харькове задержали корректировщика огня.", "other", ["UA-63"]),
    ("У Львові відбувся мітинг на підтримку полонених.", "protest", ["UA-46"]),
    ("Зафіксовано 40 бойових зіткнень біля Куп'янська.", "battle", ["UA-63"]),
    ("Произошло боевое столкновение у Купянска.", "battle", ["UA-63"]),
    ("Минобороны заявило об освобождении населенного пункта Торецк.", "territorial_change",
     ["UA-14"]),
    ("Сили оборони оголосили про звільнення села Роботине.", "territorial_change", ["UA-23"]),
])
def test_a_report_in_ukrainian_or_russian_has_its_event_type_and_place(text, etype, admin1):
    event = only_event(text)
    assert (event.type, event.admin1) == (etype, admin1)


@pytest.mark.parametrize(("text", "admin1"), [
    ("Росія заявила про удар по Одесі.", ["UA-51"]),  # Russia says: an actor
    ("Удар по аеродрому Миргорода.", ["UA-53"]),  # the facility's town, in the genitive
    ("Дрони атакували Кременчуцький НПЗ.", ["UA-53"]),  # the town's adjective
    ("У Київській та Львівській областях пролунали вибухи.", ["UA-32", "UA-46"]),  # a list
    ("В результате обстрела в поселке Казачья Лопань ранен мужчина.", ["UA-63"]),
])
def test_the_place_of_an_event_is_told_by_its_preposition_or_object(text, admin1):
    assert only_event(text).admin1 == admin1


@pytest.mark.parametrize("text", [
    "Окупанти можуть обстріляти Херсон.",  # a supposition
    "Если россияне обстреляют Херсон, город останется без света.",  # a condition
    "Після того як окупанти обстріляли Херсон, місто залишилося без світла.",  # background
])
def test_supposed_and_recalled_strikes_are_no_events(text):
    assert events(text) == []


@pytest.mark.parametrize(("text", "day", "precision"), [
    ("В ніч на 12 березня окупанти обстріляли Харків.", "2023-03-12", "day"),
    ("Вчора окупанти обстріляли Харків.", "2023-03-12", "day"),
    ("Сегодня утром в Белгороде прогремели взрывы.", "2023-03-13", "day"),
    ("12 марта 2022 года российский самолет нанес авиаудар по Мариуполю.", "2022-03-12", "day"),
    ("Минулого тижня дрони атакували Одесу.", "2023-03-06", "week"),
    ("Уночі окупанти обстріляли Херсон.", PUBLISHED, "reported"),
])
def test_an_event_is_dated_in_its_language(text, day, precision):
    event = only_event(text)
    assert (event.date, event.date_precision) == (day, precision)


@pytest.mark.parametrize(("text", "lang", "found"), [
    ("у березні 2022 року", "uk", [("березні 2022 року", "2022-03", "month", False)]),
    ("в марте", "ru", [("в марте", "2023-03", "month", False)]),
    ("в прошлую пятницу", "ru", [("в прошлую пятницу", "2023-03-10", "day", False)]),
    ("у середу", "uk", [("у середу", "2023-03-08", "day", False)]),  # the last, as reported
    ("три дні тому", "uk", [("три дні тому", "2023-03-10", "day", False)]),
    ("на прошлой неделе", "ru", [("на прошлой неделе", "2023-03-06", "week", False)]),
    ("минулої ночі", "uk", [("минулої ночі", "2023-03-12", "day", False)]),
    ("12.03.2023", "uk", [("12.03.2023", "2023-03-12", "day", False)]),
    ("з 2014 року", "uk", [("з 2014 року", "2014", "year", True)]),  # since: a standing situation
    ("в 2014 году", "ru", [("2014 году", "2014", "year", False)]),
    ("загинули 2000 людей", "uk", []),  # a number, not a year
    ("окружающая среда", "ru", []),  # the word, not Wednesday
    ("30 лютого", "uk", [("30 лютого", None, "day", False)]),  # no such day
])
def test_date_expressions_in_ukrainian_and_russian(text, lang, found):
    assert [(d.text, d.value, d.precision, d.since)
            for d in dates.find_dates(text, date.fromisoformat(PUBLISHED), lang)] == found


def test_a_date_without_its_year_needs_the_publication_date():
    assert [d.value for d in dates.find_dates("12 березня", None, "uk")] == [None]


@pytest.mark.parametrize(("text", "lang", "sub"), [
    ("Уночі окупанти обстріляли Херсон.", "uk", "Shelling/artillery/missile attack"),
    ("Дрони атакували нафтобазу в Житомирі.", "uk", "Air/drone strike"),
    ("Ожесточенные бои продолжаются под Бахмутом.", "ru", "Armed clash"),
])
def test_acled_sub_event_types_are_read_from_the_triggers_language(text, lang, sub):
    assert sub_event_type(only_event(text), lang) == sub


@pytest.mark.parametrize("text", ["Росія заявила про удар по Одесі.", "Россия заявила об ударе по Одессе."])
def test_a_country_that_speaks_is_no_event_location(text):
    assert only_event(text).places == ["Odesa"]


@pytest.mark.parametrize(("lang", "word", "lemma"), [
    ("uk", "обстрілів", "обстріл"), ("uk", "Обстрілами", "обстріл"), ("uk", "бою", "бій"),
    ("ru", "миномета", "миномёт"),  # written with е for ё
    ("ru", "обстреляли", "обстрелять"),
])
def test_a_form_of_a_trigger_word_is_read_under_its_lemma(lang, word, lemma):
    grammar = resources().vocabularies[lang].grammar
    assert lemma in grammar.lemmas(word)


@pytest.mark.parametrize(("lang", "word"), [("uk", "будинок"), ("uk", "вранці"), ("ru", "погода")])
def test_a_dictionary_word_of_no_trigger_is_not_lemmatised_for_the_trigger_search(lang, word):
    grammar = resources().vocabularies[lang].grammar
    assert grammar.lemmas(word) == () and grammar.lemma(word)  # no trigger's lemma; still read


@pytest.mark.parametrize("text", [
    "Уночі окупанти з артилерії та мінометів знову обстріляли прикордонні села поблизу Куп'янська",
    "Вечером 5 мая беспилотники атаковали нефтебазу-хранилище в пригороде Новороссийска",
    "Ворожий дрон-камікадзе влучив у будівлю пʼятиповерхівки на вулиці Сумській у Харкові",
    "Российские войска 12-13 марта выпустили по объектам инфраструктуры в районе Запорожья",
])
def test_the_words_before_a_place_read_from_its_last_characters_are_the_whole_text_s(text):
    from geomap.stages.events_cyrillic import _WORD, PREFIX_WORDS, _last_words

    for end in range(len(text) + 1):
        before = text[:end]
        whole, last = _WORD.findall(before), _last_words(before)
        keep = PREFIX_WORDS + 2
        assert last[-keep:] == whole[-keep:] and (len(last) > keep) == (len(whole) > keep), end
