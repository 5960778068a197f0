"""Reading articles: formats, metadata and refusal of what is not an article (more bad input in
test_robustness.py)."""
from __future__ import annotations

import pytest
from paths import SEEDS

from geomap.errors import InputError
from geomap.ingest import read_article


def test_a_seed_takes_its_publication_date_from_the_sidecar():
    a = read_article(SEEDS / "000_5569f9ce00dd0d52.txt")
    assert a.id == "000_5569f9ce00dd0d52.txt" and a.published == "2022-09-20"
    assert a.text == (SEEDS / "000_5569f9ce00dd0d52.txt").read_text("utf-8")


def test_markdown_front_matter_gives_metadata_and_is_not_part_of_the_text(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: Kherson\nsource: Wire\nurl: https://example.org/a\n"
                 "published: 2022-11-11\n---\nTroops entered Kherson.\n", "utf-8")
    a = read_article(p)
    assert (a.title, a.source, a.url, a.published) == ("Kherson", "Wire", "https://example.org/a",
                                                        "2022-11-11")
    assert a.text.strip() == "Troops entered Kherson."


def test_html_is_read_through_an_extractor_not_as_markup(tmp_path):
    p = tmp_path / "a.html"
    body = "<p>Russian forces shelled Kharkiv overnight, officials in the city said on Monday.</p>" * 3
    p.write_text(f"<html><head><title>Kharkiv shelled</title><script>var x = 1;</script></head>"
                 f"<body><article>{body}</article></body></html>", "utf-8")
    a = read_article(p)
    assert "Kharkiv" in a.text and "<p>" not in a.text and "var x" not in a.text
    assert a.title == "Kharkiv shelled"


@pytest.mark.parametrize("content, message", [
    (b"", "empty article"),
    (b"   \n\n", "empty article"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary"),
])
def test_unusable_files_are_refused_with_a_message_naming_them(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as e:
        read_article(p)
    assert "bad.txt" in str(e.value)


def test_a_sidecar_that_is_not_a_mapping_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("Kyiv.", "utf-8")
    (tmp_path / "a.yaml").write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(InputError, match="a.yaml"):
        read_article(tmp_path / "a.txt")
