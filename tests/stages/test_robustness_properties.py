"""Property-based tests of parse (hypothesis): never crashes, offsets valid, deterministic."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geomap.models import Article
from geomap.stages.pipeline import parse_article, parse_text

PLACE_WORDS = ["Kyiv", "Kharkiv", "Luhanks", "Donetsk", "Bakhmut", "Crimea", "New York", "Paris",
               "region", "oblast", "city of", "Mr", "said", "and", ",", ".", "\n\n", "\r\n", "Київ",
               "Zaporizhzhia", "B.C.", "Louisville, Ky.", "'s", "-based", "—", "«", "»", "\u200b",
               "\t", "e\u0301", "🇺🇦", "NATO"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PLACE_WORDS) | st.text(max_size=8), max_size=60).map(" ".join),
)


def check(article: Article) -> None:
    """Every offset points at its surface, in its passage, and mentions are in text order."""
    text = article.text
    for p in article.passages:
        assert 0 <= p.start <= p.end <= len(text)
    passages = {p.id: p for p in article.passages}
    for m in article.mentions:
        assert text[m.start:m.end] == m.text and m.text
        assert passages[m.passage].start <= m.start <= m.end <= passages[m.passage].end
    assert [m.start for m in article.mentions] == sorted(m.start for m in article.mentions)


@SETTINGS
@given(texts)
@example("Ѐ:\U00017000")  # a Cyrillic text with a letter Unicode names not: pymorphy3 raised on it
def test_parse_never_crashes_and_every_offset_is_valid(text):
    check(parse_text(text))


@SETTINGS
@given(texts)
def test_parse_is_deterministic(text):
    first, second = parse_text(text), parse_text(text)
    assert [m.record() for m in first.mentions] == [m.record() for m in second.mentions]
    assert [e.record() for e in first.events] == [e.record() for e in second.events]


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts)
def test_fuzz_ten_thousand_generated_articles(text):
    check(parse_article(Article(id="fuzz", path="", text=text, sha256="")))


@SETTINGS
@given(texts)
@example("\u200b")  # a sentence ending in a zero-width space: its end falls mid-character
@example("Київ. Харків 🙂 ok. a\u200b")
@example("\u200b ")  # the wrapper ends a last sentence whose end is mid-character at the text's end
@example("\u200b\u200b")  # and counts a zero-width space after the end in
def test_sentences_are_those_of_blingfires_own_wrapper(text):
    """The same sentences as blingfire's wrapper finds, up to the white space after a sentence's
    end (which its Python mapping, unlike the C function, counts in when it cannot place an end),
    blingfire's white space including the zero-width space, which Python's does not."""
    import re

    import blingfire

    from geomap.stages import split

    trailing_space = re.compile(r"[\s\u200b]+$")

    def trimmed(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(s, s + len(trailing_space.sub("", text[s:e]))) for s, e in spans]

    for start, end in split.paragraphs(text):
        chunk = text[start:end]
        _, spans = blingfire.text_to_sentences_and_offsets(chunk)
        expected = [(start + s, start + e) for s, e in spans if chunk[s:e].strip()]
        assert trimmed(split.sentences(text, start, end)) == trimmed(expected or [(start, end)])


def test_a_short_text_split_after_a_long_one_keeps_its_own_sentences():
    """blingfire's output buffers are reused: what a longer text left in them is not read."""
    from geomap.stages import split

    split.split("Перше речення. Друге речення!\n\n" * 300)
    assert [(p.start, p.end) for p in split.split("Одне речення без крапки")] == [(0, 23)]
    assert [(p.start, p.end) for p in split.split("Вибух у Києві. Пожежа у Львові.")] \
        == [(0, 14), (15, 31)]
