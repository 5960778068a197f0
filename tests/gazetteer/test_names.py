"""The keys names are looked up by: one key for the spellings the press mixes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.gazetteer.names import _FOLDED, _LOOSE, exact_key, folded_key, loose_key


@pytest.mark.parametrize("written, official", [
    ("Zaporizhzhya", "Zaporizhzhia"), ("Kryvyy Rih", "Kryvyi Rih"), ("Schastia", "Shchastia"),
    ("Shchastya", "Shchastia"), ("Mykolayiv", "Mykolaiv"), ("Novaya Kakhovka", "Nova Kakhovka")])
def test_transliteration_variants_share_a_loose_key(written, official):
    assert loose_key(written) == loose_key(official)


@pytest.mark.parametrize("one, other", [("Luhans'k", "Luhansk"), ("Dnipro-Rudne", "Dnipro Rudne"),
                                        ("Kyïv", "Kyiv")])
def test_apostrophes_dashes_and_diacritics_fold_in_the_exact_key(one, other):
    assert exact_key(one) == exact_key(other)


def test_different_places_keep_different_keys():
    assert loose_key("Kyiv") != loose_key("Kiev") and exact_key("Luhansk") != exact_key("Lugansk")


@pytest.mark.parametrize("russian_form, ukrainian", [
    ("Gnutovo", "Hnutove"), ("Starognatovka", "Starohnativka"), ("Novoluganskoe", "Novoluhanske"),
    ("Verkhnyotoretske", "Verkhnotoretske"), ("Lichanka", "Lychanka")])
def test_russian_forms_of_ukrainian_names_share_the_folded_key_not_the_loose_one(russian_form,
                                                                                 ukrainian):
    assert folded_key(russian_form) == folded_key(ukrainian)
    assert loose_key(russian_form) != loose_key(ukrainian)


def test_the_fold_keeps_different_names_apart():
    assert folded_key("Mykolaivka") != folded_key("Mykhailivka")
    assert folded_key("Ivanivka") != folded_key("Ivanove")


@pytest.mark.parametrize(("name", "loose"), [
    ("Запоріжжя", "запоріжя"),  # Cyrillic: only doubled letters fold
    ("Новоолександрівка", "новолександрівка"),
    ("Kyiv Ззз", "kiv з"),  # Latin letters beside: every rule
])
def test_a_cyrillic_key_folds_its_doubled_letters_alone(name, loose):
    assert loose_key(name) == loose and folded_key(name) == loose


def test_a_cyrillic_key_folds_as_unicode_decomposes_it():
    import unicodedata

    from geomap.gazetteer.names import fold

    def by_unicode(text: str) -> str:
        base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        return " ".join(unicodedata.normalize("NFC", base).lower().split())

    letters = [chr(c) for c in range(0x400, 0x500)] + [chr(c) for c in range(128)]
    assert all(fold(a + b) == by_unicode(a + b) for a in letters for b in letters)
    assert fold("Й Ї ё") == "и і е" and fold("Kyïv Київ") == "kyiv ки\u0456в"


_KEY_LETTERS = st.text(alphabet="aeiouyghkscvo -", max_size=12)  # the letters the rules read


@settings(max_examples=2_000, deadline=None)
@given(_KEY_LETTERS)
def test_a_transliteration_rule_matches_only_in_a_key_holding_what_it_needs(key):
    for pattern, _, needles in (*_LOOSE, *_FOLDED):
        if pattern.search(key):
            assert any(needle in key for needle in needles), (pattern.pattern, key)
