"""Source maps: where the text read from a Markdown file lies in the file."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from geomap.errors import InputError
from geomap.ingest.markdown import read, render
from geomap.ingest.sourcemap import align, source_span


def span_in(source: str, word: str, text: str, segments) -> str:
    start = text.index(word)
    first, last = source_span(segments, start, start + len(word))
    return source[first:last]


def test_entities_and_escapes_map_to_what_they_are_written_as():
    source = "Kyiv &amp; \\*Lviv\\* &#8212; Odesa"
    document = render(source)
    assert document.text == "Kyiv & *Lviv* — Odesa"
    for word, written in (("&", "&amp;"), ("*Lviv*", "\\*Lviv\\*"), ("—", "&#8212;"),
                          ("Odesa", "Odesa"), ("Kyiv & *Lviv", "Kyiv &amp; \\*Lviv")):
        assert span_in(source, word, document.text, document.source_map) == written


def test_text_the_reader_wrote_maps_to_the_words_around_it():
    source = "- Sumy\n- Poltava\n"
    document = render(source)
    assert document.text == "• Sumy\n• Poltava"
    assert span_in(source, "• Sumy\n• Poltava", document.text, document.source_map) == \
        "Sumy\n- Poltava"
    assert source_span(document.source_map, 0, 2) == (None, None)  # the bullet alone


def test_a_character_not_in_the_source_takes_nothing_after_it():
    segments, end = align("Kyiv€Lviv", "Kyiv Lviv", 0, 9)
    assert segments == [[0, 4, 0, 4], [5, 4, 5, 4]] and end == 9


PIECES = ["Kyiv", "**Lviv**", "*Odesa*", "_Sumy_", "[Izium](http://x.org/Izium)", "`Dnipro`",
          "&amp;", "&eacute;", "\\*", "<b>Rivne</b>", "\n", "\n\n", "# ", "> ", "- ", "1. ", "  ",
          "\t", "| a | b |\n|---|---|\n| Kyiv | Kyiv |\n", "```\nKharkiv &amp;\n```\n",
          "<div>Poltava &amp;</div>\n", "![Lutsk](y.png)", "<https://a.org/x>", "~~Uman~~",
          "[ref]", "\n[ref]: http://r.org\n", "    Chernihiv\n", "***", "\\", "[", "]", "(", ")",
          "<", ">", "Bakhmut\\\n", "Mariupol  \n", " word ", "<script>Kherson</script>", "\r\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text(st.characters(exclude_categories=("Cs", "Cc")),
                                                  max_size=6), max_size=30).map("".join))
@example("<div>Poltava &amp;</div>\nKyiv\tKyiv")  # a space read from a tab, then a run: two segments
def test_every_segment_of_any_markdown_maps_text_to_where_it_is_written(source):
    try:
        document = read(source.encode("utf-8"), Path("a.md"))
    except InputError:  # empty, binary
        assume(False)
    text, file = document.text, source.removeprefix("\ufeff")  # as decoded
    seen = 0
    for t, n, s, m in document.source_map:
        assert seen <= t and t + n <= len(text) and 0 <= s <= s + m <= len(file)
        seen = t + n
        if n == m:  # copied: the same characters (or a space read from other white space)
            assert text[t:t + n] == file[s:s + n] or (n == 1 and text[t] == " "
                                                      and file[s].isspace())
    for name in ("Kyiv", "Lviv", "Odesa", "Izium", "Dnipro", "Rivne", "Poltava", "Uman"):
        at = text.find(name)
        if at >= 0:
            first, last = source_span(document.source_map, at, at + len(name))
            assert first is not None and name[0] == file[first] and name[-1] == file[last - 1]
