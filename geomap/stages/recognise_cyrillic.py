"""Find toponym spans in Ukrainian and Russian text, where names are inflected.

A run of capitalised words (with a region noun after it: "Харківської області") is looked up in
the gazetteer's Cyrillic names under each nominative form the language's morphology gives its
words ("у Харкові" -> Харків, "Нової Каховки" -> Нова Каховка, "в Николаеве" -> Николаев,
"на Донеччині" -> Донеччина, a region noun the gazetteer derives from "Донецька область"). A
capitalised adjective before a word such as район, область, ГЕС or направление names the place it
is made from ("Бахмутский район" -> Бахмут, "Новокаховской ГЭС" -> Нова Каховка). Precision comes
from the morphology and the context: a person's name (after a title or a given name, or read only
as a surname), an ordinary word capitalised to start a sentence, an abbreviation (ЗСУ).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import marisa_trie

from geomap.cache import Artefact
from geomap.gazetteer import LOOKUP_CACHE_SIZE, Entry, Gazetteer, nominatives
from geomap.gazetteer.index import INDEX
from geomap.gazetteer.morphology import Morphology, Reading, from_dictionary
from geomap.gazetteer.names import exact_key
from geomap.models import Passage
from geomap.stages.spans import (
    LANDMARK_POPULATION,
    PROMINENT_POPULATION,
    Span,
    entry_is_prominent,
    names_country,
    only_codifier_villages,
    ukrainian_landmark,
)

if TYPE_CHECKING:
    from pymorphy3.analyzer import Parse

MAX_TOKENS = 3
MAX_ABBREVIATION = 5  # letters of a word in capitals read as an abbreviation (ЗСУ, БПЛА)
MIN_STEM = 4  # letters of an adjective's stem that a prefix search of names needs
_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
_GAPS = frozenset({" ", "\u00a0", "-", " \n", "\u00a0\n", "-\n"})  # what joins two words of
# a name: a space or a dash, a line's end after it allowed
REGION_NOUNS = {"область", "регіон", "регион", "край", "обл", "ова", "ода", "вга", "півострів",
                "полуостров", "республіка", "республика"}  # ОВА: its military administration;
# Донецкая народная республика: the oblast's
PLACE_NOUNS = REGION_NOUNS | {
    "район", "громада", "округ", "напрямок", "направление", "гес", "гэс", "аес", "аэс", "тес",
    "тэс", "тец", "тэц", "водосховище", "водохранилище", "міськрада", "горсовет", "агломерація",
    "агломерация", "порт", "аеропорт", "аэропорт", "мва", "нпз", "завод", "аеродром",
    "аэродром", "нафтобаза", "нефтебаза", "тпп", "комбінат", "комбинат", "міст", "мост",
    "вокзал", "підстанція", "подстанция", "лісництво", "лесничество", "ліс", "лес"}
CITY_WORDS = {"місто", "міста", "місті", "містом", "м", "город", "города", "городе", "городом",
              "г", "село", "села", "селі", "селе", "селом", "селище", "селища", "селищі", "смт",
              "пгт", "поселок", "посёлок", "поселка", "посёлка", "поселке", "посёлке"}
_PLACE_OR_CITY_WORDS = PLACE_NOUNS | CITY_WORDS  # nouns a country in the genitive after them
# still names a place of (міста України), not a possessor
PERSON_TITLES = {
    "президент", "прем'єр", "премьер", "міністр", "министр", "мер", "мэр", "голова", "глава",
    "губернатор", "речник", "речниця", "спікер", "посол", "генерал", "командувач", "командующий",
    "депутат", "очільник", "начальник", "директор", "керівник", "руководитель", "прокурор",
    "представник", "представитель", "пресс-секретарь", "секретар", "секретарь", "радник",
    "советник", "журналіст", "журналист", "полковник", "лейтенант", "сержант", "солдат",
    "пан", "пані", "господин", "госпожа"}
_BEFORE_NAME = " \u00a0.«\"„“'"  # what may stand between a settlement word and its name
REGION_NOUN_ENDINGS = ("щина", "ччина", "тчина")
_ADJECTIVE_ENDINGS = ("ський", "цький", "зький", "ский", "цкий", "зкий", "ской", "цкой")
_COMPOUND_LINK = re.compile(r"^(\w{3,}?)о(\w{3,})$")  # ново|каховский, криво|ріг


def recognise_article(text: str, passages: list[Passage], gaz: Gazetteer, morph: Morphology,
                      countries: set[str] = frozenset()) -> list[tuple[str, Span]]:
    """``(passage id, span)`` of every toponym of a Ukrainian or Russian article set in
    ``countries`` by its words or language (:mod:`geomap.gazetteer.theatres`). A name only a
    codifier village bears is a place only in an article set in Ukraine, or that names Ukraine,
    one of its regions or towns of 10,000 people or more."""
    spans = [(p.id, s) for p in passages for s in recognise(text, p, gaz, morph)]
    villages = {s.text for _, s in spans if only_codifier_villages(s.candidates, gaz)}
    if villages and "UA" not in countries and not re.search("Україн|Украин", text) and not any(
            ukrainian_landmark(gaz.entry(i)) for _, s in spans for i, _ in s.candidates):
        spans = [(pid, s) for pid, s in spans if s.text not in villages]
    return spans


def recognise(text: str, passage: Passage, gaz: Gazetteer, morph: Morphology) -> list[Span]:
    """Toponym spans of one passage, left to right, not overlapping."""
    toks = list(_TOKEN.finditer(text, passage.start, passage.end))
    spans: list[Span] = []
    after = 0
    for i, tok in enumerate(toks):
        if i < after or not tok[0][0].isupper() or not _cyrillic(tok[0]):
            continue
        longest = _run_end(text, toks, i, morph)
        spelling = morph.lang == "ru" and not _abbreviation(tok[0]) \
            and _inside_sentence(text, toks, i, passage)
        if longest == i + 1 and _names_nothing_alone(tok[0], gaz, morph) \
                and not (spelling and _village_spellings(tok[0].lower(), gaz, morph)):
            continue  # most capitalised words, met again and again: no morphology asked
        j, cands = _longest_match(toks, i, longest, gaz, morph)
        if j == i + 1:  # an adjective before a place noun: the place it is made from, too
            cands = _merged(cands, _adjective_of_place(text, toks, i, gaz, morph))
        if not cands:
            j, cands = i + 1, _region_of_noun(toks[i][0], gaz, morph)
        if j == i + 1 and spelling:
            spelt = _ukrainian_spelling(toks[i][0].lower(), cands, gaz, morph)
            if spelt and not _qualifies_next(text, toks, i, morph):  # the next word parsed
                cands = _merged(cands, spelt)  # only for a village found
        if not cands or _rejected(text, toks, i, j, cands, passage, gaz, morph):
            continue
        start, end = tok.start(), toks[j - 1].end()
        cues = _cues(text, toks, i, j, morph)
        if "region" in cues and any(gaz.entry(k).feature != "city" for k, _ in cands):
            cands = [(k, p) for k, p in cands if gaz.entry(k).feature != "city"]
        spans.append(Span(start, end, text[start:end], cands, "exact", cues))
        after = j
    return spans


def _inside_sentence(text: str, toks: list[re.Match], i: int, passage: Passage) -> bool:
    """Whether a word stands inside its sentence, where a capital letter marks a name."""
    return i > 0 and toks[i - 1].start() >= passage.start \
        and not text[toks[i - 1].end():toks[i].start()].strip(" ,«\"„“'(-–—")


def _qualifies_next(text: str, toks: list[re.Match], i: int, morph: Morphology) -> bool:
    """Whether ``toks[i]`` may be an adjective that agrees with the lower-case noun or
    adjective a space after it («Украинских железных дорог», Житомирской областной
    администрации; not "в Оборотновке всю ночь")."""
    if i + 1 >= len(toks) or text[toks[i].end():toks[i + 1].start()] != " ":
        return False
    word = toks[i + 1][0]
    return word.islower() and morph.agree(toks[i][0].lower(), word, _QUALIFIED)


_QUALIFIED = frozenset({"NOUN", "ADJF"})


def _ukrainian_spelling(word: str, cands: list[tuple[int, bool]], gaz: Gazetteer,
                        morph: Morphology) -> list[tuple[int, bool]]:
    """The villages of Ukraine's codifier, which names them in Ukrainian only, that a Russian
    name inside a sentence spells in Russian (Урожайного: Урожайне, в Песчановке: Піщанівка,
    Каменке-Днепровской: Кам'янка-Дніпровська), where it names no place in Ukraine and no large
    place: its nominative readings and the villages' names alike as :func:`sound_key` spells
    them; not a person's name (Щербаков)."""
    if any(gaz.entry(k).country == "UA" or _landmark(gaz.entry(k)) for k, _ in cands):
        return []
    return list(_village_spellings(word, gaz, morph))


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _village_spellings(word: str, gaz: Gazetteer, morph: Morphology
                       ) -> tuple[tuple[int, bool], ...]:
    """The codifier villages a lower-case Russian word's nominative readings may spell
    (:func:`_ukrainian_spelling`), whatever else it names; none for a person's name. Once per
    word."""
    if morph.person_first(word):
        return ()
    spellings = _codifier_spellings()
    return tuple(hit for r in morph.readings(word) if not r.person
                 for name in spellings.get(sound_key(r.form), ())
                 if _vowels_agree(r.form, name.lower()) for hit in gaz.namesakes(name))


_VOWELS = re.compile(r"[аеєиіїоуюяыэё]+")
UKRAINIAN_VOWELS = {  # a Russian vowel -> the Ukrainian vowels a name may have in its place
    "а": "ая", "я": "яаї", "о": "оі", "е": "еєіїя", "ё": "еоі", "и": "іиї", "ы": "и", "у": "ую",
    "ю": "юу", "э": "е"}
_SILENT = str.maketrans("", "", "ьъйʼ’'")  # letters and marks a sound key leaves out
MIN_SOUND_KEY = 5  # letters of a key that names few enough villages


def _vowels_agree(russian: str, ukrainian: str) -> bool:
    """Whether each run of vowels of a Russian name may stand for the Ukrainian name's run in
    its place (Песчановка, Піщанівка: е/і, о/і; not Солемар, Соломир: е/о)."""
    ours = _VOWELS.findall(russian.translate(_SILENT))
    theirs = _VOWELS.findall(ukrainian.translate(_SILENT))
    return len(ours) == len(theirs) and all(
        set(run) & set("".join(UKRAINIAN_VOWELS.get(v, v) for v in own))
        for own, run in zip(ours, theirs))


def sound_key(name: str) -> str:
    """What Russian and Ukrainian spellings of a name share: its consonants, each run of
    vowels as one (Урожайное, Урожайне: урVжVнV; Песчановка, Піщанівка: пVсчVнVвкV)."""
    key = name.lower().replace("щ", "сч").translate(_SILENT).replace("ґ", "г")
    return _VOWELS.sub("V", key)


@dataclass(frozen=True)
class CyrillicNames:
    """The readings of one language whose nominatives recognition wants (a
    :class:`~geomap.gazetteer.morphology.NameForms`). A dictionary word's reading is inflected
    only if its normal form is a nominative name word's (:mod:`geomap.gazetteer.nominatives`),
    and the table of those nominatives gives most without inflecting (Нової: нова); in Russian
    also where its :func:`sound_key` may be a codifier village's (:func:`_ukrainian_spelling`).
    A word the dictionary does not know (a guess by its ending) as :func:`may_name` says."""

    lang: str

    def known(self, parse: Parse) -> str | None:
        if not from_dictionary(parse):
            return None
        found = nominatives.load(self.lang).nominatives.get(nominatives.nominative_key(parse))
        if found == "" and self.lang == "ru" and _may_sound_like_a_village(parse.normal_form):
            return None  # no name's word, but it may spell a codifier village: inflected
        return found

    def may_name(self, parse: Parse) -> bool:
        if not from_dictionary(parse):
            return may_name(parse.normal_form)
        return parse.normal_form in nominatives.load(self.lang).lemmas \
            or (self.lang == "ru" and _may_sound_like_a_village(parse.normal_form))


def may_name(lemma: str) -> bool:
    """Whether the forms of a lower-case lemma may be words of a place name recognition looks
    up, and are worth inflecting: some word of the gazetteer's Cyrillic names begins as the lemma
    does but for its last two letters, which inflection changes (новий: нова; сума: суми),
    folded as the gazetteer's keys are; or, its :func:`sound_key` alike, some village of the
    codifier's, spelt in Ukrainian (урожайный: Урожайне)."""
    stem = lemma[:-2]
    return next(_name_words().iterkeys(exact_key(stem).rsplit(" ", 1)[-1]), None) is not None \
        or _may_sound_like_a_village(lemma)


def _may_sound_like_a_village(lemma: str) -> bool:
    """Whether a codifier village's :func:`sound_key` begins as the lemma's does but for its last
    two letters (урожайный: Урожайне)."""
    return next(_codifier_sound_keys().iterkeys(sound_key(lemma[:-2])), None) is not None


@cache
def _name_words() -> marisa_trie.Trie:
    """The words of the gazetteer's keys written in Cyrillic letters, kept in the cache folder
    (:data:`CYRILLIC_NAME_WORDS`)."""
    return CYRILLIC_NAME_WORDS.get()


def _build_name_words() -> marisa_trie.Trie:
    from geomap.gazetteer import load

    return marisa_trie.Trie({word for key in load().exact.keys() if key and _cyrillic(key)
                             for word in key.split(" ")})


CYRILLIC_NAME_WORDS = Artefact(
    "cyrillic-name-words", ".marisa", _build_name_words, dump=marisa_trie.Trie.tobytes,
    load=lambda path: marisa_trie.Trie().mmap(str(path)), code=(__name__,), data=INDEX.data,
    packages=(*INDEX.packages, "marisa-trie"))


@cache
def _codifier_sound_keys() -> marisa_trie.Trie:
    """The :func:`sound_key` of each codifier village's name that :func:`_ukrainian_spelling`
    reads."""
    return marisa_trie.Trie(_codifier_spellings())


@lru_cache(maxsize=1)
def _codifier_spellings() -> dict[str, tuple[str, ...]]:
    """The Ukrainian names of the codifier's villages (``data/ua_settlements.csv``) by their
    :func:`sound_key`, where it is long enough."""
    import csv

    from geomap.data import UA_SETTLEMENTS_FILE

    found: dict[str, set[str]] = {}
    with UA_SETTLEMENTS_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = sound_key(row["name_uk"])
            if len(key) >= MIN_SOUND_KEY:
                found.setdefault(key, set()).add(row["name_uk"])
    return {key: tuple(sorted(names)) for key, names in found.items()}


def _merged(cands: list[tuple[int, bool]], more: Iterable[tuple[int, bool]]
            ) -> list[tuple[int, bool]]:
    """Candidates of both lists, each once."""
    found = dict(cands)
    for k, primary in more:
        found[k] = found.get(k, False) or primary
    return list(found.items())


def _cyrillic(word: str) -> bool:
    return "\u0400" <= word[0] <= "\u04ff"


def _joined(text: str, toks: list[re.Match], k: int) -> bool:
    """Whether ``toks[k]`` is written as the next word of a name after ``toks[k - 1]``: a single
    space or a dash between them."""
    return text[toks[k - 1].end():toks[k].start()] in _GAPS


def _run_end(text: str, toks: list[re.Match], i: int, morph: Morphology) -> int:
    """Where a run of words that may be one name, beginning at ``toks[i]``, ends: the words
    after it that are capitalised or a region noun, a space or a dash before them, at most
    :data:`MAX_TOKENS` in all."""
    longest, end = i + 1, min(i + MAX_TOKENS, len(toks))
    while longest < end and _joined(text, toks, longest) \
            and (toks[longest][0][0].isupper() or _region_noun(toks[longest][0].lower(), morph)):
        longest += 1
    return longest


def _longest_match(toks: list[re.Match], i: int, longest: int, gaz: Gazetteer,
                   morph: Morphology) -> tuple[int, list[tuple[int, bool]]]:
    """The longest run ``toks[i:j]``, ``j`` up to ``longest`` (:func:`_run_end`), whose
    nominative readings name places, with the candidates of all its readings (Харькове: the
    village Харькове and Харьков, which resolution tells apart)."""
    if longest > i + 1:
        size, cands = _run_match(tuple(tok[0] for tok in toks[i:longest]), gaz, morph)
        if size:
            return i + size, list(cands)
    return i + 1, list(_word_candidates(toks[i][0], gaz, morph))


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _run_match(words: tuple[str, ...], gaz: Gazetteer, morph: Morphology
               ) -> tuple[int, tuple[tuple[int, bool], ...]]:
    """The number of the first words of a run, two or more, whose nominative readings name
    places, as many as may, with the candidates of all their readings; ``(0, ())`` if no two or
    more do. Once per run of words as written: runs come back report after report (Херсонской
    области, ВС России)."""
    for size in range(len(words), 1, -1):
        found: dict[int, bool] = {}
        for surface in _run_readings(words[:size], gaz, morph):
            for k, primary in gaz.lookup(surface)[0]:
                found[k] = found.get(k, False) or primary
        if found:
            return size, tuple(found.items())
    return 0, ()


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _word_candidates(word: str, gaz: Gazetteer, morph: Morphology) -> tuple[tuple[int, bool], ...]:
    """The candidates of the nominative readings of one word as written, none if every reading
    that names a place is a person's name (:func:`_only_a_person`); once per word: names come
    back report after report."""
    found: dict[int, bool] = {}
    for surface in _forms(word, morph):
        for k, primary in gaz.lookup(surface)[0]:
            found[k] = found.get(k, False) or primary
    return () if found and _only_a_person(word.lower(), gaz, morph) else tuple(found.items())


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _names_nothing_alone(word: str, gaz: Gazetteer, morph: Morphology) -> bool:
    """Whether a capitalised word as written, with no other word of a name after it, names no
    place whatever its context: no candidates of its own (:func:`_word_candidates`), no place an
    adjective reading of it is made from (:func:`_adjective_places`), no region it names as a
    derived noun (:func:`_region_of_noun`). Once per word: most capitalised words name nothing
    (people, bodies, a sentence's first word) and come back report after report."""
    return not _word_candidates(word, gaz, morph) \
        and not _adjective_places(word.lower(), gaz, morph) \
        and not _region_of_noun(word, gaz, morph)


def _region_noun(word: str, morph: Morphology) -> bool:
    """Whether a lower-case word is a form of a region noun (області, регионе): parsed only if it
    is written as a form of a place noun."""
    return word in _forms_of_place_nouns(morph) and morph.lemma(word) in REGION_NOUNS


@cache
def _forms_of_place_nouns(morph: Morphology) -> frozenset[str]:
    """Every written form of the place nouns (:data:`PLACE_NOUNS`) in a language."""
    return frozenset(form for noun in PLACE_NOUNS for form in morph.forms(noun))


def _run_readings(run: tuple[str, ...], gaz: Gazetteer, morph: Morphology) -> list[str]:
    """Each way of reading a run of words as one name, a nominative reading per word, bar
    those whose first words begin no name of the gazetteer (:meth:`Gazetteer.extensible`): the
    next word is then not read at all."""
    surfaces = _forms(run[0], morph)
    for word in run[1:]:
        surfaces = [s for s in surfaces if gaz.extensible(s)]
        if not surfaces:
            return []
        surfaces = [f"{s} {form}" for s in surfaces for form in _forms(word, morph)]
    return surfaces


def _forms(word: str, morph: Morphology) -> list[str]:
    """The nominative forms a word as written can stand for; an abbreviation (ЗСУ, США) is
    not inflected, and is read as written without asking the morphology."""
    if _abbreviation(word):
        return [word.lower()]
    return [r.form for r in morph.readings(word.lower())]


def _abbreviation(word: str) -> bool:
    return word.isupper() and len(word) <= MAX_ABBREVIATION


def _only_a_person(word: str, gaz: Gazetteer, morph: Morphology) -> bool:
    """Whether every reading of a word that names a place is a person's name (Кім, Зеленський
    read as surnames), none an ordinary noun or adjective, and the places are no landmarks (a
    surname Бахмут, Николаев is first of all a town)."""
    readings: tuple[Reading, ...] = morph.readings(word)
    naming = [r for r in readings[1:] if gaz.lookup(r.form)[0]]
    return bool(naming) and all(r.person for r in naming) and not any(
        _landmark(gaz.entry(k)) for r in naming for k, _ in gaz.lookup(r.form)[0])


def _adjective_of_place(text: str, toks: list[re.Match], i: int, gaz: Gazetteer,
                        morph: Morphology) -> list[tuple[int, bool]]:
    """The place a capitalised adjective names where a place noun follows it, after other
    adjectives or in a list (Бахмутский район, Новокаховской ГЭС, Кременчуцькому
    нафтопереробному заводу, Київській та Івано-Франківській областях), and before "область"
    the oblast (:func:`_oblast_of_adjective`); none otherwise."""
    noun = _place_noun_after(text, toks, i, morph)
    if noun is None:
        return []
    word = toks[i][0].lower()
    hits = _adjective_places(word, gaz, morph)
    return _merged(hits, _oblast_of_adjective(word, gaz, morph) if noun == "область" else ())


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _adjective_places(word: str, gaz: Gazetteer, morph: Morphology
                      ) -> tuple[tuple[int, bool], ...]:
    """The place the first adjective reading of a lower-case word that is made from a place's
    name names (:func:`_named_from`), or none. Once per word."""
    for reading in morph.readings(word):
        if reading.pos == "ADJF" or reading.form.endswith(_ADJECTIVE_ENDINGS):
            hits = _named_from(reading.lemma, gaz)
            if hits:
                return tuple(hits)
    m = _ADJECTIVE_CASE_FORM.match(word)  # a form the morphology guesses as a noun's
    return tuple(_named_from(m.group(1) + "ий", gaz)) if m else ()


_ADJECTIVE_CASE_FORM = re.compile(r"^(\w+?(?:ськ|цьк|зьк|ск|цк|зк))"
                                  r"(?:ому|ого|ім|ій|ої|ою|ую|ом|ой|ая|у|а|і|их|им|ими)$")
# торецькому, which pymorphy3 guesses as a form of a noun торецьке: the adjective торецький


_LIST_WORDS = {"та", "і", "й", "и", "або", "или", ","}
MAX_NOUN_DISTANCE = 6  # words from an adjective to the place noun of its list


def _place_noun_after(text: str, toks: list[re.Match], i: int, morph: Morphology) -> str | None:
    """The lemma of the place noun an adjective at ``toks[i]`` qualifies: the next word, or
    the first after other adjectives and list words (та, і, и, commas); None if there is none.
    The words are parsed only if one of them is written as a form of a place noun."""
    words = []
    for k in range(i + 1, min(i + 1 + MAX_NOUN_DISTANCE, len(toks))):
        if text[toks[k - 1].end():toks[k].start()].strip() not in ("", ",", "-", "—", "–"):
            break
        words.append(toks[k][0].lower())
    if _forms_of_place_nouns(morph).isdisjoint(words):
        return None
    for word in words:
        lemma = morph.lemma(word)
        if lemma in PLACE_NOUNS:
            return lemma
        if word not in _LIST_WORDS and not morph.adjective(word) \
                and not _ADJECTIVE_CASE_FORM.match(word):
            return None
    return None


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _oblast_of_adjective(word: str, gaz: Gazetteer, morph: Morphology
                         ) -> tuple[tuple[int, bool], ...]:
    """The oblast an adjective names before "область" further on ("Белгородской и Курской
    областей", "Сумською та Харківською областями": Белгородская область, Сумська область),
    where the run of adjective and noun the gazetteer names is broken by the list."""
    for reading in morph.readings(word)[1:]:
        if reading.pos == "ADJF" and reading.lemma.endswith(("ий", "ый", "ой")):
            feminine = reading.lemma[:-2] + ("ая" if morph.lang == "ru" else "а")
            return tuple((k, p) for k, p in gaz.lookup(f"{feminine} область")[0]
                         if gaz.entry(k).feature == "admin1")
    return ()


def _region_of_noun(word: str, gaz: Gazetteer, morph: Morphology) -> list[tuple[int, bool]]:
    """The region a derived noun names by its centre's name (Київщина, Киевщина -> Київ, the
    region around it) where the gazetteer has no such name; none otherwise."""
    lemma = morph.lemma(word.lower())
    for ending in REGION_NOUN_ENDINGS:
        if lemma.endswith(ending):
            hits = gaz.lookup(lemma[:-len(ending)])[0]
            return [(k, p) for k, p in hits if gaz.entry(k).feature == "admin1"]
    return []


@lru_cache(maxsize=LOOKUP_CACHE_SIZE)
def _named_from(adjective: str, gaz: Gazetteer) -> list[tuple[int, bool]]:
    """Candidates of the place an adjective (masculine, lower case) is made from. Cached: the
    same list for the same adjective, not to be modified."""
    for ending in _ADJECTIVE_ENDINGS:
        if adjective.endswith(ending):
            stem = adjective[:-len(ending)]
            break
    else:
        return []
    hits: list[tuple[int, bool]] = []
    keys, fallbacks = _town_keys(stem, ending)
    for key in keys:
        hits = _merged(hits, gaz.lookup(key)[0])
    for key in fallbacks if not hits else ():
        hits = _merged(hits, gaz.lookup(key)[0])
    if hits:
        return hits
    hits = next((found for form in (stem, *_without_suffix(stem)) if len(form) >= MIN_STEM
                 and (found := _nearest_name(form, gaz, lambda key: " " not in key))), [])
    # Запоріз- -> Запоріжжя, Одесс- -> Одесса, шосткин- -> Шостка; and a compound's, which
    # resolution tells apart (Криворіз-: the village Криворіжжя and Кривий Ріг)
    compounds = [hit for form in _stem_forms(stem, ending) for hit in _compound(form, gaz)]
    return _merged(hits, compounds)


def _town_keys(stem: str, ending: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names an adjective's stem may be a town's: those it may be as it stands — the stem
    (Бахмут), the stem and the adjective's consonant (Донецьк; покровський: Покров and Покровськ
    both), a name in -ілля (миропільський: Миропіль and Миропілля) — and those looked up only
    where none of them names a place: a name in -ове / -ово whose о the adjective turns to і in
    Ukrainian (курахівський: Курахове; кураховский: Курахово; not харківський: Харкове)."""
    keys = (stem, stem + ending[:-2].rstrip("с").rstrip("з"))
    if stem.endswith("іль"):
        keys += (stem[:-1] + "ля",)
    if stem.endswith("ів"):
        return keys, (stem[:-2] + "ове",)
    if stem.endswith("ов"):
        return keys, (stem + "о",)
    return keys, ()


_ALTERNATIONS = {"з": "г", "ж": "г", "ц": "к", "ч": "к", "с": "х", "ш": "х"}  # Ріг: різький,
# рожский; Кременчук: кременчуцький
_ADJECTIVE_SUFFIXES = ("ов", "ев", "ів", "ин")  # Новосілка: новосілківський, новоселковский;
# Шостка: шосткинський


def _stem_forms(stem: str, ending: str) -> list[str]:
    """The stem an adjective is made from as its name may end: as written, its last consonant
    (or the ending's first) changed back (криворіз-, криворож-: криворіг, криворог), without the
    suffix that made the adjective (великоновоселков-: великоновоселк)."""
    consonant = ending[0] if ending[0] in "зц" else stem[-1:]
    base = stem if consonant == ending[0] else stem[:-1]
    forms = [stem, base + _ALTERNATIONS[consonant]] if consonant in _ALTERNATIONS else [stem]
    return forms + _without_suffix(stem)


def _without_suffix(stem: str) -> list[str]:
    """The stem without the suffix that made the adjective (великоновоселков-: великоновоселк,
    шосткин-: шостк), if it has one."""
    return [stem[:-2] for suffix in _ADJECTIVE_SUFFIXES if stem.endswith(suffix)]


def _compound(stem: str, gaz: Gazetteer) -> list[tuple[int, bool]]:
    """Candidates of the two-word name a compound stem is made of (Новокаховськ-: Нова
    Каховка, Новая Каховка), or none."""
    m = _COMPOUND_LINK.match(stem)
    if not m:
        return []
    first, second = m.groups()
    return _nearest_name(first, gaz, lambda key: key.count(" ") == 1
                         and key.split(" ")[1].startswith(second))


def _nearest_name(prefix: str, gaz: Gazetteer, keep) -> list[tuple[int, bool]]:
    """The candidates of the shortest key that begins with ``prefix`` (at most three letters
    more in each word) and that ``keep`` keeps, if it names a town or a region."""
    keys = sorted((k for k in gaz.keys_from(prefix) if keep(k)), key=len)
    for key in keys:
        if len(key.split(" ")[0]) > len(prefix) + 3 and " " not in key:
            break
        hits = [(k, p) for k, p in gaz.by_key(key) if entry_is_prominent(gaz.entry(k))
                or gaz.entry(k).population > 0]
        if hits:
            return hits
    return []


def _rejected(text: str, toks: list[re.Match], i: int, j: int, cands: list[tuple[int, bool]],
              passage: Passage, gaz: Gazetteer, morph: Morphology) -> bool:
    """Whether a run that names a place is here something else: an abbreviation (ЗСУ), a
    function word or a place noun capitalised (Об, Все; Аэродром, Мост), a person (after a title
    or a given name, or a given name before a surname), an ordinary word capitalised to start a
    sentence that names no large place (Удар, Перемога)."""
    word = toks[i][0]
    if j == i + 1 and _abbreviation(word) and not names_country(cands, gaz):
        return True
    if j == i + 1 and (morph.function_word(word.lower()) or morph.lemma(word.lower()) in PLACE_NOUNS):
        return True  # "Об этом", "Все только начинается"; "Аэродром", "Мост": a noun, no name
    prev = toks[i - 1] if i > 0 and toks[i - 1].start() >= passage.start else None
    if prev and j == i + 1 and morph.person_first(word) \
            and (morph.lemma(prev[0].lower()) in PERSON_TITLES
                 or (prev[0][0].isupper() and morph.given_name(prev[0]))):
        return True  # губернатор Кім, Віталій Кім
    nxt = toks[j] if j < len(toks) and toks[j].start() < passage.end else None
    if j == i + 1 and nxt and nxt[0][0].isupper() and morph.given_name(word) \
            and text[toks[i].end():nxt.start()] == " ":
        return True  # Олег Синєгубов
    if j == i + 1 and prev and text[prev.end():toks[i].start()] == " " \
            and names_country(cands, gaz) and _possessor(prev[0], word, morph):
        return True  # ВС России, Минобороны РФ: whose forces, as "Russian forces", not where
    if j == i + 1 and nxt and _attribute(word, nxt[0], text[toks[i].end():nxt.start()], morph) \
            and _place_noun_after(text, toks, i, morph) is None:
        return True  # Черноморского флота: an adjective of a noun, not a village named so
    if j > i + 1 or not morph.common_word(word.lower()) \
            or prev and prev[0].lower() in CITY_WORDS:  # село Прогрес: a settlement's name
        return False
    if not text[passage.start:toks[i].start()].strip(" \t\n\"'«„“(—-–"):  # a sentence's start
        return not any(_named_at_a_start(gaz.entry(k)) for k, _ in cands)  # Удар, Утром, Усі
    return all(_transliterated(gaz.entry(k)) for k, _ in cands)  # «Град», Сили оборони


def _possessor(before: str, word: str, morph: Morphology) -> bool:
    """Whether a country's name in the genitive (or an abbreviation: РФ) follows a noun or an
    abbreviation it qualifies: "ВС России", "армия РФ", "Міноборони Росії"."""
    genitive = word.isupper() or morph.genitive_noun(word.lower())
    noun = before.isupper() or before[0].isupper() is False and any(
        r.pos == "NOUN" for r in morph.readings(before.lower())[1:2])
    return genitive and noun and morph.lemma(before.lower()) not in _PLACE_OR_CITY_WORDS


def _attribute(word: str, following: str, gap: str, morph: Morphology) -> bool:
    """Whether a capitalised word read only as an adjective qualifies the lower-case noun after
    it, agreeing with it (Черноморского флота; not "біля Кропивницького росіяни")."""
    readings = morph.readings(word.lower())[1:]
    return gap == " " and following.islower() and bool(readings) \
        and all(r.pos == "ADJF" for r in readings) \
        and any(r.pos == "NOUN" for r in morph.readings(following)[1:2]) \
        and morph.agree(word.lower(), following)


OWN_NAMES = frozenset({"UA", "RU", "BY"})  # countries whose places a Ukrainian or Russian text
# names by their own names; elsewhere a Cyrillic name is a transliteration, which an ordinary
# word can spell by chance (Утро: Outreau, Усі: Wuxi, Град: Grad, Slovenia)


def _named_at_a_start(e: Entry) -> bool:
    """A place that an ordinary word starting a sentence names: a country, a capital (Вена), a
    landmark (:func:`_landmark`) of a country that names it in Cyrillic."""
    return e.feature == "country" or e.capital or (e.country in OWN_NAMES and _landmark(e))


def _transliterated(e: Entry) -> bool:
    """A place of another country than ``OWN_NAMES``, neither a country, a capital nor a town of
    ``PROMINENT_POPULATION``: an ordinary word capitalised inside a sentence (a name of a weapon,
    of a body: «Град», Сили оборони) does not name it."""
    return e.country not in OWN_NAMES and e.feature != "country" and not e.capital \
        and (e.feature != "city" or e.population < PROMINENT_POPULATION)


def _landmark(e: Entry) -> bool:
    """A country, a region or a town of ``LANDMARK_POPULATION`` people or more: its name
    starts a sentence as a name, not as an ordinary word that a village bears."""
    return e.feature != "city" or e.population >= LANDMARK_POPULATION


def _cues(text: str, toks: list[re.Match], i: int, j: int, morph: Morphology) -> set[str]:
    """A region noun in or after the run, or after the list it is in (області, Київській та
    Львівській областях) -> ``region``; a settlement word right before it (місто, село, смт;
    not before a bracket: "села Майское (Крым)" names the village's region) -> ``city``."""
    cues = set()
    noun = morph.lemma(toks[j - 1][0].lower()) if j > i + 1 else _place_noun_after(text, toks, i, morph)
    if noun in REGION_NOUNS:
        cues.add("region")
    if i > 0 and toks[i - 1][0].lower() in CITY_WORDS \
            and not text[toks[i - 1].end():toks[i].start()].strip(_BEFORE_NAME):
        cues.add("city")
    return cues
