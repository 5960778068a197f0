"""Sentence offsets of texts not in ASCII (geomap.stages.split)."""
from __future__ import annotations

import pytest

from geomap.stages import split

SENTENCES = ["Вибух у Києві.", "Пожежа 🙂 у Львові!", "Ракета влучила в Ізюм…", "Ok.",
             "Ǆemal — e\u0301té.", "Дрон\u200b", "Удар по Одесі?"]


def decoded_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` with each byte offset decoded from the text's start."""
    data = text.encode()
    spans = [(len(data[:s].decode()), len(data[:last + 1].decode("utf-8", "replace")))
             for s, last in split._sentence_bytes(data)]
    return [(s, e) for s, e in spans if text[s:e].strip()] or [(0, len(text))]


@pytest.mark.parametrize("count", [1, 2, 7, 60])
@pytest.mark.parametrize("joint", [" ", "  ", "\u200b "])
def test_the_offsets_of_many_sentences_are_those_decoded_from_the_start(count, joint):
    text = joint.join(SENTENCES[i % len(SENTENCES)] for i in range(count))
    assert split.sentences(text, 0, len(text)) == decoded_spans(text)
    assert len(split.sentences(text, 0, len(text))) > count // 2


def test_offsets_that_do_not_ascend_are_counted_from_the_start():
    data = "Київ 🙂 Львів".encode()
    offsets = [9, 4, 11, 13, 0, len(data)]  # 11: inside the emoji, which counts as begun
    assert list(split._code_points(data, offsets)) == [5, 2, 6, 6, 0, 12]
    assert [len(data[:k].decode("utf-8", "replace")) for k in offsets] == [5, 2, 6, 6, 0, 12]
