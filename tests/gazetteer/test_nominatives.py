"""The table of the nominatives of the gazetteer's Cyrillic name words (built from pymorphy3's
dictionaries): which dictionary words are name forms, and that the byte-wise fold agrees with the
keys'."""
from __future__ import annotations

import pytest

from geomap.gazetteer import morphology, nominatives
from geomap.gazetteer.names import exact_key, loose_key

NAME_KEYS = ["нова каховка", "київська область", "кривий ріг", "івано франківська", "одеса",
             "суми", "чернівці", "новая каховка"]


def keys() -> nominatives._KeyWords:
    return nominatives._KeyWords({w for k in NAME_KEYS for w in exact_key(k).split()},
                                 {w for k in NAME_KEYS for w in loose_key(k).split()})


@pytest.mark.parametrize(("word", "names"), [
    ("нова", True), ("київська", True), ("івано-франківська", True), ("кривий", True),
    ("одесса", True),  # a doubled letter: the loose key's
    ("ріг", True), ("новий", False), ("київ", False), ("каховки", False),
    ("кам'янка", False), ("суми", True), ("сумі", False), ("нова-каховка", True),
    ("новая", True), ("новaя", False),  # a Latin "a": no name's word
    ("ѝ", False),  # a letter no Windows code page holds
])
def test_a_dictionary_word_is_a_name_form_if_its_key_is_made_of_name_words(word, names):
    assert (keys().name_forms([word]) == [word]) is names


def test_the_byte_fold_agrees_with_the_keys_on_every_letter_pair():
    letters = [chr(c) for c in range(0x400, 0x460)] + list("-'’ʼ. ёґ") + ["a", "Z"]
    words = [a + b + "а" for a in letters for b in letters]
    ours = keys()
    assert ours.name_forms(words) == [w for w in words if ours._name_form(w)]
    assert ours.name_forms(["новая", "каховка", "нова"]) == ["новая", "каховка", "нова"]


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_table_s_nominatives_are_what_inflection_gives(lang):
    from pymorphy3 import MorphAnalyzer

    from geomap.gazetteer import load

    gaz = load()
    name_forms = nominatives._KeyWords(nominatives._words(gaz.exact.keys()),
                                       nominatives._words(gaz.loose.keys()))
    table = nominatives.load(lang)
    analyser = MorphAnalyzer(lang=lang)
    words = {"uk": ["нової", "новій", "київської", "кривому", "чернівцях", "великій", "областях",
                    "херсонському", "сумах", "ударів"],
             "ru": ["новой", "новую", "киевской", "кривом", "черновцах", "великой", "областях",
                    "херсонскому", "сумах", "ударов"]}[lang]
    named = unnamed = 0
    for word in words:
        for parse in analyser.parse(word):
            known = table.nominatives.get(nominatives.nominative_key(parse))
            if known is None or not morphology.from_dictionary(parse):
                continue
            inflected = parse.inflect({"nomn"}).word
            if known:
                assert known == inflected, (word, parse.tag)
                named += 1
            else:  # no name's word: not kept
                assert not name_forms.name_forms([inflected]), (word, parse.tag)
                unnamed += 1
    assert named >= 5 and unnamed >= 1


def test_a_guessed_reading_is_no_dictionary_word_s():
    from pymorphy3 import MorphAnalyzer

    analyser = MorphAnalyzer(lang="uk")
    assert morphology.from_dictionary(analyser.parse("нової")[0])
    assert not morphology.from_dictionary(analyser.parse("бахмутівщинський")[0])
