"""The words of a passage, their offsets, and whole-word patterns (geomap.stages.tokens)."""
from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.stages.tokens import TOKEN, any_word, word_starts, words

TEXTS = [
    "Russian missiles struck a power plant in Kharkiv on 5 March.",
    "Обстріл об'єкта в Івано-Франківську: 3 ракети, 2 БПЛА_ударних.",
    "  Удар по Одесі…Одеса, одеса; ОДЕСА 12березня — «Одеса»  ",
    "x", "", "…", "a_b a a aa", "ᲀᲁ mᲂe 🙂 e\u0301 ٣٤ Ǆ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_words_start_where_the_token_pattern_finds_them(text):
    said = words(text)
    assert said == TOKEN.findall(text)
    assert word_starts(text, said, len(said)) == [m.start() for m in TOKEN.finditer(text)]
    assert word_starts(text, said, 2) == [m.start() for m in TOKEN.finditer(text)][:2]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Київ", "київ", "ab", "a", "_", " ", "'", "-", "1", "ᲀ", "é",
                                 "\u0301", "🙂", "\n"]) | st.text(max_size=4), max_size=30).map("".join))
def test_word_starts_of_any_text(text):
    said = words(text)
    assert word_starts(text, said, len(said)) == [m.start() for m in TOKEN.finditer(text)]


MODALS = ("може", "можуть", "б", "если", "could", "if", "İstanbul", "ſo")


@pytest.mark.parametrize("flags", [0, re.I])
def test_the_first_letters_look_ahead_admits_what_the_words_first_letters_match(flags):
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    ahead = re.compile(any_word(MODALS).split(r"\b", 1)[0], flags)
    firsts = re.compile(f"(?={'|'.join(re.escape(word[0]) for word in MODALS)})", flags)
    admitted = [m.start() for m in ahead.finditer(every_character)]
    assert admitted == [m.start() for m in firsts.finditer(every_character)]
    assert len(admitted) > len(MODALS) - 2


@pytest.mark.parametrize("flags", [0, re.I])
def test_a_whole_word_pattern_finds_what_a_plain_alternation_finds(flags):
    plain = re.compile(rf"\b(?:{'|'.join(map(re.escape, MODALS))})\b\w*", flags)
    led = re.compile(any_word(MODALS) + r"\w*", flags)
    for text in TEXTS + ["Б може бути, якби; МОЖУТЬ можутьб Если ЕСЛИ if If IF iF İF ıf ſO",
                         "xif if_ _if 2if if2 можеможуть"]:
        assert [m.span() for m in led.finditer(text)] == [m.span() for m in plain.finditer(text)]
