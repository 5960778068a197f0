"""Ukrainian and Russian articles: the language told, inflected names read, one sentence of our
own per kind of inflection."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from geomap import languages
from geomap.models import Article
from geomap.stages import recognise_cyrillic
from geomap.stages.pipeline import parse_article, parse_text


def places(text: str) -> list[tuple[str, str | None, str]]:
    """(surface, admin1, feature) of each mention."""
    return [(m.text, m.place.admin1, m.place.feature) for m in parse_text(text).mentions]


@pytest.mark.parametrize(("text", "lang"), [
    ("Вночі окупанти обстріляли Харків, є загиблі.", "uk"),
    ("Ночью оккупанты обстреляли Харьков, есть погибшие.", "ru"),
    ("Удар по Харкову", "uk"),  # no letter of one language only: simplemma's dictionaries tell
    ("Удар по Харькову", "ru"),
    ("Shelling hit Kharkiv overnight, the governor said.", "en"),
    ("Shelling hit Kharkiv («Харків») overnight.", "en"),  # a quoted word does not make it Ukrainian
    ("Харків: Kyiv", "uk"),  # more Cyrillic letters than Latin ones
    ("Київ, Kyiv", "en"),  # as many: English
    ("", "en"),
    ("2024-05-01: 3", "en"),  # no letters at all
])
def test_the_language_of_an_article_is_told_from_its_text(text, lang):
    assert languages.detect(text) == lang


def test_the_shares_of_each_language_s_words_are_simplemma_s_article_after_article():
    from simplemma.language_detector import LanguageDetector
    from simplemma.strategies import DefaultStrategy

    from geomap.lemmas import DICTIONARIES, proportions

    simplemma = LanguageDetector(("uk", "ru"), lemmatization_strategy=DefaultStrategy(
        dictionary_factory=DICTIONARIES))
    texts = ["Удар по Харкову вночі", "Удар по Харькову ночью", "Вночі удар по Харкову",
             "Обстрел Харькова ночью: удар по городу"]  # the same words again, and new ones
    for text in texts + texts:
        assert proportions(text, ("uk", "ru")) == simplemma.proportion_in_each_language(text)


@pytest.mark.parametrize(("text", "surface", "admin1", "feature"), [
    ("Вибухи пролунали у Харкові вранці.", "Харкові", "UA-63", "city"),  # locative
    ("Евакуаційний потяг вирушив з Харкова.", "Харкова", "UA-63", "city"),  # genitive
    ("Бої тривають під Бахмутом.", "Бахмутом", "UA-14", "city"),  # instrumental
    ("Ракета влучила по Миколаєву.", "Миколаєву", "UA-48", "city"),  # dative, і/є alternation
    ("Вибухи пролунали у Сумах.", "Сумах", "UA-59", "city"),  # a plural name
    ("Склад знищено у Новій Каховці.", "Новій Каховці", "UA-65", "city"),  # adjective + noun
    ("Окупанти обстріляли село поблизу Часового Яру.", "Часового Яру", "UA-14", "city"),
    ("В Николаеве прогремели взрывы.", "Николаеве", "UA-48", "city"),  # Russian locative
    ("Взрывы прогремели в Запорожье.", "Запорожье", "UA-23", "city"),  # the Russian name
    ("Дрон атаковал нефтебазу под Днепром.", "Днепром", "UA-12", "city"),
])
def test_an_inflected_town_is_found_under_its_nominative(text, surface, admin1, feature):
    assert (surface, admin1, feature) in places(text)


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("Уночі на Донеччині загинули двоє людей.", "Донеччині", "UA-14"),  # a derived region noun
    ("Обстріли на Харківщині не вщухають.", "Харківщині", "UA-63"),
    ("Пожежа на Київщині після атаки дронів.", "Київщині", "UA-32"),  # derived from Київ
    ("Ситуация на Белгородщине остается напряженной.", "Белгородщине", "RU-BEL"),
    ("Херсонская область под обстрелом.", "Херсонская область", "UA-65"),  # the region's name
    ("Вибухи у Запорізькій області.", "Запорізькій області", "UA-23"),
    ("Пожежі у Київській та Львівській областях.", "Київській", "UA-32"),  # a list of regions
    ("Пожежі у Київській та Львівській областях.", "Львівській областях", "UA-46"),
    ("Дрон упал к востоку от Смиги Ровенской области.", "Ровенской области", "UA-56"),  # Ровно
    ("Сбиты беспилотники над Белгородской и Курской областями.", "Белгородской", "RU-BEL"),
    ("Збито дрони над Сумською та Харківською областями.", "Сумською", "UA-59"),  # a list
])
def test_a_region_is_found_by_its_noun_or_its_adjective(text, surface, admin1):
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert found[surface].admin1 == admin1 and found[surface].feature == "admin1", found


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("Уничтожен склад в Бахмутском районе.", "Бахмутском", "UA-14"),  # the raion's town
    ("Разрушена плотина Новокаховской ГЭС.", "Новокаховской", "UA-65"),  # a compound adjective
    ("Інфраструктура Кременчуцького НПЗ знищена.", "Кременчуцького", "UA-53"),
    ("Росіяни вдарили по Кременчуцькому нафтопереробному заводу.", "Кременчуцькому", "UA-53"),
    ("Кременчуцький нафтопереробний завод зупинив роботу.", "Кременчуцький", "UA-53"),  # nominative
    ("Вибухи пролунали у Криворізькому районі.", "Криворізькому", "UA-12"),  # Кривий Ріг: г/з
    ("Пожар начался в Донецкой народной республике.", "Донецкой", "UA-14"),  # not Donetskyi
    ("Аэродром в Криворожском районе атакован.", "Криворожском", "UA-12"),  # Кривой Рог: г/ж
    ("Бои идут на Великоновоселковском направлении.", "Великоновоселковском", "UA-14"),  # -ов-
    ("Обстріляно громади у Шосткинському районі.", "Шосткинському", "UA-59"),  # Шостка: -ин-
    ("Подстанция в Шосткинском районе обесточена.", "Шосткинском", "UA-59"),
    ("Бої тривають на Покровському та Торецькому напрямках.", "Покровському", "UA-14"),  # -ськ
    ("Бої тривають на Покровському та Торецькому напрямках.", "Торецькому", "UA-14"),  # a form
    # pymorphy3 guesses as a noun's (торецьке)
    ("Ворог тисне на Курахівському напрямку.", "Курахівському", "UA-14"),  # Курахове: о -> і
    ("Бои идут на Кураховском направлении.", "Кураховском", "UA-14"),  # Курахово
    ("Обстріляли Білопільську громаду.", "Білопільську", "UA-59"),  # Білопілля
])
def test_an_adjective_before_a_place_noun_names_the_town_it_is_made_from(text, surface, admin1):
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert found[surface].admin1 == admin1 and found[surface].feature == "city", found


@pytest.mark.parametrize("text", [
    "Губернатор Віталій Кім повідомив про вибухи.",  # a surname after a title and a given name
    "Мер Олег Синєгубов розповів подробиці.",
    "Корабли Черноморского флота вышли в море.",  # an adjective of a noun, not the village
    "Перемога буде за нами.",  # an ordinary word starting a sentence, not the village
    "ЗСУ знищили склад.",  # an abbreviation
])
def test_people_words_and_abbreviations_are_no_places(text):
    assert places(text) == []


def test_a_country_qualifying_a_noun_is_whose_not_where():
    found = places("ВС России нанесли удар по складу в Николаеве.")
    assert found == [("Николаеве", "UA-48", "city")]


def test_mentions_carry_code_point_offsets_into_the_cyrillic_text():
    text = "Ракетний удар по Одесі: пошкоджено порт «Південний» і склад у Миколаєві."
    mentions = parse_text(text).mentions
    assert mentions and all(text[m.start:m.end] == m.text for m in mentions)


def test_a_language_given_is_kept_and_decides_the_reading():
    text = "Удар по Харкову"
    forced = parse_article(Article(id="a", path="", text=text, sha256="", lang="ru"))
    assert forced.lang == "ru"
    assert parse_text(text).lang == "uk"
    english = parse_article(Article(id="b", path="", text=text, sha256="", lang="en"))
    assert english.mentions == []  # the English recogniser reads no Cyrillic name


def geomap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True)


def test_the_language_is_recorded_in_the_catalog_and_shown_escaped_on_the_reader_page(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Вночі окупанти обстріляли Харків.", "utf-8")
    (articles / "a.yaml").write_text('title: "Обстріл <script>x</script> Харкова"\n', "utf-8")
    (articles / "b.txt").write_text("Удар по Харкову", "utf-8")
    (articles / "b.yaml").write_text("lang: ru\n", "utf-8")  # given: not told
    r = geomap("build", "--articles", str(articles), "--out", str(tmp_path / "maps"))
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(tmp_path / "maps" / "catalog.gpkg") as db:
        assert dict(db.execute("SELECT id, lang FROM articles")) == {"a.txt": "uk", "b.txt": "ru"}
    page = (tmp_path / "maps" / "articles" / "a.txt.html").read_text("utf-8")
    assert '<article lang="uk">' in page and '<span class="language">Ukrainian</span>' in page
    assert "<script>x</script>" not in page and "Обстріл &lt;script&gt;" in page


def test_parse_reads_in_the_language_given_and_refuses_one_it_does_not_know(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Удар по Харкову", "utf-8")
    r = geomap("parse", str(path), "--lang", "en")
    assert r.returncode == 0 and r.stdout == ""  # read as English: no Cyrillic name is read
    assert geomap("parse", str(path), "--lang", "uk").stdout.count('"admin1": "UA-63"') == 1
    r = geomap("parse", str(path), "--lang", "xx")
    assert r.returncode == 2 and "'xx' is not one of" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "a.yaml").write_text("lang: xx\n", "utf-8")
    r = geomap("parse", str(path))
    assert r.returncode != 0 and "unknown language 'xx'" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("text", [
    "Об этом сообщили в полиции.",  # a preposition that starts a sentence
    "Подоляк о взрывах: Все только начинается.",  # a particle after a colon
    "Аэродромы нужно защитить, заявил спикер.",  # a place noun, no name (Aerodrom, Skopje)
    "Мост через реку Ингулец поврежден.",
])
def test_function_words_and_place_nouns_capitalised_are_no_places(text):
    surfaces = {m.text for m in parse_text(text).mentions}
    assert not surfaces & {"Об", "Все", "Аэродромы", "Мост"}


@pytest.mark.parametrize(("text", "named"), [
    ("Утром взрывы прогремели в Херсоне.", ["Херсоне"]),  # Утро: a name of Outreau, France
    ("Зараз у Харкові тихо.", ["Харкові"]),  # "now"; Zaraza, Venezuela
    ("Під Херсоном знищено дві установки «Град».", ["Херсоном"]),  # a weapon; Grad, Slovenia
    ("Вночі Сили оборони збили 20 дронів над Києвом.", ["Києвом"]),  # a body; Sila, Chad
    ("Вена приняла саммит, переговоры прошли в Вене.", ["Вена", "Вене"]),  # a capital: named
    ("Щастя знову під обстрілом.", ["Щастя"]),  # a town of Luhansk Oblast, not "happiness"
])
def test_an_ordinary_word_names_no_place_abroad_that_a_transliteration_spells(text, named):
    assert [m.text for m in parse_text(text).mentions] == named


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("Вночі у Криму лунали вибухи біля аеродрому.", "Криму", "UA-43"),  # the republic, UA-43
    ("Над подстанцией в Крыму сбили беспилотник.", "Крыму", "UA-43"),
    ("Склад загорелся у села (Крым), сообщают очевидцы.", "Крым", "UA-43"),  # not Krym, Rostov
    ("У Севастополі пролунали вибухи.", "Севастополі", "UA-40"),  # a unit of its own
    ("Дим видно над Кримським півостровом.", "Кримським півостровом", None),  # both units
])
def test_crimea_is_the_autonomous_republic_and_sevastopol_a_unit_of_its_own(text, surface, admin1):
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert found[surface].admin1 == admin1, found


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("Ракета влучила в порт Одеси; Конгрес США ухвалив допомогу.", "Одеси", "UA-51"),
    ("Ракета попала в порт Одессы, а Конгресс США одобрил помощь.", "Одессы", "UA-51"),
    ("После взрыва в Донецке пострадали трое.", "Донецке", "UA-14"),  # not Donetsk, Rostov Oblast
])
def test_a_report_in_ukrainian_or_russian_counts_ukraine_among_the_countries_it_names(
        text, surface, admin1):
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert found[surface].admin1 == admin1, found


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("ВСУ продолжают бои возле Клещеевки, сообщил штаб.", "Клещеевки", "UA-14"),  # Кліщіївка
    ("Склад ВСУ горел в Оборотновке всю ночь.", "Оборотновке", "UA-09"),  # Оборотнівка
])
def test_a_russian_name_of_a_village_the_codifier_names_in_ukrainian_is_found(text, surface, admin1):
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert found[surface].admin1 == admin1, found


@pytest.mark.parametrize(("text", "surface"), [
    ("Директор «Украинских железных дорог» рассказал о ремонте.", "Украинских"),  # qualifies a noun
    ("Пожар в гостинице «Солемар» потушили.", "Солемар"),  # Соломир: the vowels disagree
    ("Об этом рассказал Иван Щербаков на брифинге.", "Щербаков"),  # a surname
])
def test_no_village_is_read_into_a_russian_word_of_another_kind(text, surface):
    assert surface not in {m.text for m in parse_text(text).mentions}


def test_an_adjective_agreeing_with_no_noun_after_it_names_its_town():
    text = "Уночі біля Кропивницького ворог атакував аеродром."
    found = {m.text: m.place for m in parse_text(text).mentions}
    assert found["Кропивницького"].admin1 == "UA-35", found  # not an attribute of "ворог"


@pytest.mark.parametrize(("russian", "ukrainian"), [
    ("Урожайное", "Урожайне"), ("Песчановка", "Піщанівка"), ("Каменка-Днепровская", "Кам'янка-Дніпровська"),
    ("Майское", "Майське"), ("Клещеевка", "Кліщіївка"),
])
def test_russian_and_ukrainian_spellings_of_a_name_share_a_sound_key(russian, ukrainian):
    assert recognise_cyrillic.sound_key(russian) == recognise_cyrillic.sound_key(ukrainian)


@pytest.mark.parametrize(("lemma", "names"), [
    ("новий", True),  # Нова Каховка
    ("новый", True),  # Новая Каховка
    ("івано-франківський", True),  # the last word of a compound: Івано-Франківська
    ("урожайный", True),  # no name of the gazetteer, but the codifier's Урожайне in Russian
    ("телевізійний", False),
    ("вооруженный", False),
])
def test_a_lemma_is_inflected_only_where_its_forms_may_name_a_place(lemma, names):
    assert recognise_cyrillic.may_name(lemma) is names


class NoName:
    """No reading's nominative wanted."""

    def known(self, parse):
        return None

    def may_name(self, parse):
        return False


class Asking:
    """Every reading's nominative wanted, and each reading asked about noted."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def known(self, parse):
        return None

    def may_name(self, parse):
        self.asked.append(parse.normal_form)
        return True


def test_a_word_whose_lemma_names_nothing_keeps_no_nominative_of_its_own():
    from geomap.gazetteer.morphology import Morphology

    forms = [r.form for r in Morphology("uk").readings("київської")]
    assert forms == ["київської", "київська", "київський"]
    assert [r.form for r in Morphology("uk", NoName()).readings("київської")] \
        == ["київської", "київський"]


@pytest.mark.parametrize(("word", "lang", "region"), [
    ("областях", "uk", True), ("області", "uk", True), ("области", "ru", True),
    ("краю", "ru", True), ("обласний", "uk", False), ("облаке", "ru", False),
])
def test_a_region_noun_is_told_by_its_written_forms(word, lang, region):
    from geomap.stages.resources import resources

    assert recognise_cyrillic._region_noun(word, resources().morphology[lang]) is region


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("В Івано-Франківській області стався вибух на нафтобазі.", "Івано-Франківській області",
     "UA-26"),  # a compound adjective and its region noun: one name
    ("Пожежі у Київській та Івано-Франківській областях.", "Івано-Франківській областях", "UA-26"),
    ("Окупанти обстріляли Великі Копані вночі.", "Великі Копані", "UA-65"),  # a nominative
    ("Вибухи пролунали у Чернівцях.", "Чернівцях", "UA-77"),  # a plural name inflected
])
def test_names_that_need_their_nominative_are_still_found(text, surface, admin1):
    assert any(s == surface and a == admin1 for s, a, _ in places(text))


@pytest.mark.parametrize(("word", "lang"), [("нпз", "uk"), ("аес", "uk"), ("зсу", "uk")])
def test_an_indeclinable_word_is_its_own_nominative_without_inflecting(word, lang):
    from geomap.gazetteer.morphology import Morphology

    names = Asking()
    morph = Morphology(lang, names)
    assert morph.readings(word)[0].form == word and names.asked == []


# Sentences of our own; every word's nominative readings that may be a name's words are the same
# whether recognition inflects every reading or looks most up in the table of name words.
OWN_SENTENCES = {
    "uk": ["Уночі ворог обстріляв Нову Каховку та околиці Нової Каховки.",
           "Вибухи пролунали в Київській, Львівській та Івано-Франківській областях.",
           "У Чернівцях і Сумах оголосили тривогу, а в Кривому Розі відновили світло.",
           "Партизани підірвали міст біля Великої Новосілки та Старобільська."],
    "ru": ["Ночью враг обстрелял Новую Каховку и окрестности Новой Каховки.",
           "Взрывы прогремели в Киевской, Львовской и Ивано-Франковской областях.",
           "В Черновцах и Сумах объявили тревогу, а в Кривом Роге восстановили свет.",
           "Партизаны взорвали мост у Великой Новоселки и в Урожайном."],
}


def _words_of(lang: str) -> list[str]:
    return [w.lower() for text in OWN_SENTENCES[lang]
            for w in recognise_cyrillic._TOKEN.findall(text)]


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_nominatives_that_may_name_a_place_are_those_every_inflection_gives(lang):
    from geomap.gazetteer import load
    from geomap.gazetteer.morphology import Morphology

    gaz = load()
    every, tabled = Morphology(lang), Morphology(lang, recognise_cyrillic.CyrillicNames(lang))
    for word in _words_of(lang):
        naming = [r for r in every.readings(word) if gaz.lookup(r.form)[0] or gaz.extensible(r.form)]
        assert [r for r in tabled.readings(word) if r in naming] == naming, word


@pytest.mark.parametrize(("lang", "word", "nominative"), [
    ("uk", "нової", "нова"), ("uk", "херсонській", "херсонська"), ("uk", "кривому", "кривий"),
    ("uk", "чернівцях", "чернівці"), ("ru", "новой", "новая"), ("ru", "херсонской", "херсонская"),
])
def test_a_name_word_s_nominative_comes_from_the_table_as_inflection_gives_it(lang, word, nominative):
    from geomap.gazetteer.morphology import Morphology

    names = recognise_cyrillic.CyrillicNames(lang)
    parses = [p for p in Morphology(lang).parses(word) if names.known(p)]
    assert parses and all(names.known(p) == p.inflect({"nomn"}).word for p in parses)
    assert nominative in {names.known(p) for p in parses}


@pytest.mark.parametrize(("lang", "word", "inflected"), [
    ("uk", "телевізійної", False),  # no name's word has that lemma
    ("ru", "вооруженных", False),
    ("uk", "нових", True),  # нові: no key in the table, but a nominative of новий names places
    ("ru", "урожайного", True),  # Урожайне, the codifier's village, spelt in Russian
])
def test_a_dictionary_reading_is_inflected_only_if_its_lemma_has_a_name_word(lang, word, inflected):
    from geomap.gazetteer.morphology import Morphology

    names = recognise_cyrillic.CyrillicNames(lang)
    parses = [p for p in Morphology(lang).parses(word) if p.tag.POS in ("ADJF", "NOUN")]
    assert any(names.may_name(p) for p in parses) is inflected


@pytest.mark.parametrize(("lang", "word"), [
    ("uk", "широкому"), ("uk", "зеленій"), ("uk", "старих"), ("uk", "селищах"),
    ("uk", "зруйнованого"), ("ru", "широкому"), ("ru", "зелёной"), ("ru", "зеленой"),
    ("ru", "старых"), ("ru", "посёлках"), ("ru", "разрушенного"), ("ru", "этого"),
    ("ru", "военного"), ("ru", "больших"),  # anim accusatives: no nominative has every grammeme
])
def test_a_dictionary_reading_s_nominative_is_read_off_its_paradigm_as_inflection_gives_it(lang, word):
    from geomap.gazetteer.morphology import Morphology, from_dictionary

    morph = Morphology(lang)
    parses = [p for p in morph.parses(word) if from_dictionary(p) and "nomn" not in p.tag.grammemes
              and p.tag.POS in ("ADJF", "PRTF", "NOUN")]
    read = [(morph._paradigm_nominative(p), p.inflect({"nomn"}).word) for p in parses]
    assert read and all(mine == inflected for mine, inflected in read)


@pytest.mark.parametrize(("lang", "word", "guessed_by"), [
    ("ru", "кракозяброй", "KnownSuffixAnalyzer"), ("ru", "зябловского", "KnownSuffixAnalyzer"),
    ("ru", "псевдокошками", "KnownPrefixAnalyzer"), ("uk", "зябрівському", "UnknownPrefixAnalyzer"),
    ("uk", "кракозябрі", "KnownSuffixAnalyzer"), ("uk", "недомістах", "KnownPrefixAnalyzer"),
])
def test_a_guess_s_nominative_is_read_off_the_paradigm_it_is_guessed_from_as_inflection_gives_it(
        lang, word, guessed_by):
    from geomap.gazetteer.morphology import Morphology, from_dictionary

    morph = Morphology(lang)
    parses = [p for p in morph.parses(word) if "nomn" not in p.tag.grammemes
              and p.tag.POS in ("ADJF", "PRTF", "NOUN")]
    assert parses and not any(from_dictionary(p) for p in parses)
    assert any(type(p.methods_stack[-1][0]).__name__ == guessed_by for p in parses)
    read = [(morph._paradigm_nominative(p), p.inflect({"nomn"}).word) for p in parses]
    assert all(mine == inflected for mine, inflected in read)


def test_a_guess_by_hyphenated_parts_is_left_to_inflection():
    from geomap.gazetteer.morphology import Morphology, paradigm_form

    parses = Morphology("ru").parses("кракозябро-зябловского")
    assert {type(p.methods_stack[0][0]).__name__ for p in parses} == {"HyphenatedWordsAnalyzer"}
    assert all(paradigm_form(p) is None for p in parses)


@pytest.mark.parametrize(("lang", "word", "known"), [
    ("ru", "ёж", True), ("ru", "еж", True),  # е written for ё: pymorphy3's variants
    ("ru", "зеленой", True), ("uk", "селище", True), ("uk", "ґанок", True),
    ("ru", "зеленойх", False), ("uk", "селищеф", False),
])
def test_a_word_is_known_as_written_or_with_the_letters_written_for_others(lang, word, known):
    from geomap.gazetteer.morphology import Morphology

    morph = Morphology(lang)
    assert morph.known(word) is known is morph.analyser.word_is_known(word)


@pytest.mark.parametrize(("lang", "adjective", "word", "agree"), [
    ("ru", "черноморского", "флота", True), ("uk", "кропивницького", "росіяни", False),
    ("uk", "київській", "області", True), ("ru", "новой", "каховки", True),
    ("ru", "новой", "каховку", False), ("uk", "великі", "копані", True),
])
def test_an_adjective_agrees_with_a_noun_in_case_number_and_gender(lang, adjective, word, agree):
    from geomap.gazetteer.morphology import Morphology

    morph = Morphology(lang)
    assert morph.agree(adjective, word) is agree
    assert agree is any(  # as the readings' tags say, pair by pair
        a.tag.case == n.tag.case and a.tag.number == n.tag.number
        and (a.tag.number == "plur" or a.tag.gender == n.tag.gender)
        for a in morph.parses(adjective) if a.tag.POS == "ADJF"
        for n in morph.parses(word) if n.tag.POS == "NOUN")


def test_a_russian_nominative_that_may_spell_a_codifier_village_is_kept():
    from geomap.gazetteer.morphology import Morphology

    morph = Morphology("ru", recognise_cyrillic.CyrillicNames("ru"))
    assert "урожайная" in [r.form for r in morph.readings("урожайной")]  # урожайная: no name's
    # word, but its sound key is Урожайне's
    assert "урожайное" in [r.form for r in morph.readings("урожайного")]


@pytest.mark.parametrize(("lang", "word", "nothing"), [
    ("uk", "Синєгубов", True),  # a surname
    ("uk", "Внаслідок", True),  # a sentence's first word
    ("uk", "Часового", True),  # names nothing alone, only with Яру after it
    ("uk", "Харкові", False),
    ("uk", "Бахмутський", False),  # an adjective made from a town's name
    ("uk", "Донеччині", False),  # a derived region noun
    ("ru", "Песчановке", True),  # nothing alone: a codifier village only as its Russian spelling
])
def test_a_word_that_names_no_place_alone_is_told_once(lang, word, nothing):
    from geomap.stages.resources import resources

    res = resources()
    assert recognise_cyrillic._names_nothing_alone(word, res.gazetteer, res.morphology[lang]) is nothing


@pytest.mark.parametrize(("text", "surface", "admin1"), [
    ("Часового графіка немає. Окупанти обстріляли Часового Яру.", "Часового Яру", "UA-14"),
    ("Песчановке не повезло. Взрывы прогремели в Песчановке, сообщили в Украине.", "Песчановке",
     "UA-65"),  # passed over at a sentence's start, inside a sentence the village Піщанівка
])
def test_a_word_passed_over_still_begins_a_name_or_spells_a_village(text, surface, admin1):
    found = [(m.text, m.place.admin1) for m in parse_text(text).mentions]
    assert found[0] == (surface, admin1), found


@pytest.mark.parametrize(("gap", "joined"), [
    (" ", True), ("\u00a0", True), (" \n", True), ("  ", False), ("\n", False), (", ", False),
    (" — ", False)])
def test_two_words_are_joined_by_a_single_space(gap, joined):
    text = f"Нова{gap}Каховка"
    toks = list(recognise_cyrillic._TOKEN.finditer(text))
    assert recognise_cyrillic._joined(text, toks, 1) is joined


@pytest.mark.parametrize(("lang", "words", "size", "name"), [
    ("uk", ("Нової", "Каховки"), 2, "Nova Kakhovka"),  # both words a name
    ("uk", ("Часового", "Яру", "Вночі"), 2, "Chasiv Yar"),  # the first two of three
    ("ru", ("Херсонской", "области"), 2, "Kherson"),  # a region noun after an adjective
    ("uk", ("Віталій", "Кім"), 0, None),  # no two words name a place together
])
def test_a_run_of_words_is_matched_once_with_the_words_it_spans(lang, words, size, name):
    from geomap.stages.resources import resources

    res = resources()
    gaz, morph = res.gazetteer, res.morphology[lang]
    found, cands = recognise_cyrillic._run_match(words, gaz, morph)
    assert found == size
    assert (name is None) is (cands == ())
    assert name is None or any(name in gaz.entry(k).name for k, _ in cands), [
        gaz.entry(k).name for k, _ in cands]


def test_a_run_met_again_in_another_report_is_found_as_the_first_time():
    texts = ["Вибухи пролунали у Новій Каховці вранці.", "У Новій Каховці знову вибухи."]
    found = [[(m.text, m.place.admin1) for m in parse_text(t).mentions] for t in texts]
    assert found == [[("Новій Каховці", "UA-65")], [("Новій Каховці", "UA-65")]]


@pytest.mark.parametrize(("text", "surface", "name"), [
    ("Бої тривають на Покровському та Торецькому напрямках.", "Покровському", "Pokrovsk"),
    ("Бої тривають на Покровському та Торецькому напрямках.", "Торецькому", "Toretsk"),
])
def test_the_town_an_axis_is_named_after_is_the_town_not_a_village_of_the_adjectives_form(
        text, surface, name):
    assert {m.text: m.place.name for m in parse_text(text).mentions}[surface] == name


@pytest.mark.parametrize("text", ["Окупанти обстріляли село Прогрес.",
                                  "Оккупанты обстреляли село Прогрес."])
def test_an_ordinary_word_after_a_settlement_word_is_the_settlement_of_that_name_in_ukraine(text):
    (mention,) = parse_text(text).mentions
    assert (mention.text, mention.place.country) == ("Прогрес", "UA")
