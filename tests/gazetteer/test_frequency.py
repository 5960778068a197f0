"""The cached word frequencies give what wordfreq gives, float for float."""
from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from paths import SEEDS
from wordfreq import zipf_frequency

from geomap.cache import cache_dir
from geomap.gazetteer import frequency


def test_every_word_and_phrase_of_the_seeds_has_wordfreqs_frequency():
    text = " ".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
    tokens = text.split()
    phrases = {" ".join(tokens[i:i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}
    phrases |= set(re.findall(r"[A-Za-z]+", text))
    assert len(phrases) > 3000
    table = frequency.table()
    assert {p: frequency.zipf(p, table) for p in phrases} == {p: zipf_frequency(p, "en") for p in phrases}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Kharkiv", "New", "York", "monday", "the", "Luhanks", "Izium",
                                 "qzx", "NATO", "of", "Donetsk's", "co-op", "1990s", "Київ", ""]),
                min_size=1, max_size=4), st.sampled_from([" ", "  ", "-"]))
def test_phrases_of_any_words_have_wordfreqs_frequency(words: list[str], glue: str):
    text = glue.join(words)
    assert frequency.zipf(text, frequency.table()) == zipf_frequency(text, "en")


def test_a_damaged_table_is_built_again(fresh_cache):
    frequency.table()
    (path,) = cache_dir().glob("wordfreq-en-*.marisa")
    path.write_bytes(b"not a trie")
    assert frequency.zipf("Monday", frequency.table()) == zipf_frequency("Monday", "en")
    assert path.stat().st_size > 1_000_000


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="adehlnoqruy' -ADHOéèÉßİŒœăşŉ\u2018\u2019\u0301\u0307./", min_size=1, max_size=12))
def test_texts_of_letters_hyphens_and_apostrophes_have_wordfreqs_frequency(text: str):
    assert frequency.zipf(text, frequency.table()) == zipf_frequency(text, "en")


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="0129 aéO'-.", min_size=1, max_size=14))
def test_texts_with_numbers_have_wordfreqs_frequency(text: str):
    assert frequency.zipf(text, frequency.table()) == zipf_frequency(text, "en")


def test_numbers_between_spaces_are_tokens_of_their_own():
    texts = ["Paris 04 Hôtel-de-Ville", "Marseille 01", "1", "04", "2019", "1850", "2085", "0000",
             "9999", "12345", "Route 66", "Route 66 East", "4th", "B-52", "1.5", "1,000", "04-05",
             "9/11", "a 1", "1 a", "1  2", " 7 ", "Ligne 1 Métro", "l'an 2000"]
    table = frequency.table()
    assert {t: frequency.zipf(t, table) for t in texts} == {t: zipf_frequency(t, "en") for t in texts}


def test_elisions_hyphens_and_apostrophes_inside_words_are_cut_as_wordfreq_cuts_them():
    texts = ["Côte d'Ivoire", "d'Ivoire", "L'Aquila", "qu'il", "O'Brien", "O'Hara", "y'all",
             "rock'n'roll", "don't", "I'll", "Guinea-Bissau", "Stratford-upon-Avon", "x-ray",
             "e-mail", "a--b", "-a", "'tis", "dogs'", "d''or", "Champs-sur-Marne", "Fátima",
             "Brăila", "Straße", "İzmir", "Eğil", "Gruyère", "L'Île-d'Orléans", "Baha\u2019i",
             "d\u2019Or", "I\u2019ll", "\u2018Amir", "dogs\u2019", "Washington D.C.",
             "F.B.I.", "a..b", "Bubikon / Station", "'tis", "Kem\u2019", "'l'avion", "a.'b"]
    table = frequency.table()
    assert {t: frequency.zipf(t, table) for t in texts} == {t: zipf_frequency(t, "en") for t in texts}


def test_hyphenated_and_elided_names_are_answered_without_wordfreq():
    code = ("import sys; from geomap.gazetteer import frequency; t = frequency.table(); "
            "[frequency.zipf(w, t) for w in ('Guinea-Bissau', \"d'Or\", \"I'll\", 'Fátima', "
            "'Paris 04 Hôtel-de-Ville', '2019')]; "
            "print('wordfreq' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
