"""The cached word frequencies give what wordfreq gives, float for float."""
from __future__ import annotations

import re

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
