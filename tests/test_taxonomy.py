"""The event types have one home, data/event_types.yaml: a type added there is found by the events
stage and shown on the map; a type the map could not show is refused when the file is loaded."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geomap.data import TAXONOMY_FILE
from geomap.errors import DataError
from geomap.models import Article, Event
from geomap.render.basemap import encode
from geomap.render.map import map_html
from geomap.render.records import TypeRecord
from geomap.render.pages import article_page
from geomap.stages import events
from geomap.stages.pipeline import parse_article
from geomap.stages.resources import resources
from geomap.taxonomy import event_types, load
from map_data import data_block, records

CYBER = """
cyberattack:
  label: Cyberattack
  colour: "#123456"
  glyph: C
  description: >-
    Attacks on computer networks.
  triggers:
    en:
      - [cyberattack, 2]
      - [hacker, 1.5]
    uk:
      - [кібератака, 2]
      - [хакер, 1.5]
"""


@pytest.fixture
def taxonomy_copy(tmp_path: Path) -> Path:
    path = tmp_path / "event_types.yaml"
    path.write_text(TAXONOMY_FILE.read_text("utf-8"), "utf-8")
    return path


def test_the_package_taxonomy_has_every_type_styled_in_file_order():
    types = event_types()
    assert list(types)[:2] == ["battle", "shelling"] and list(types)[-1] == "other"
    assert types["shelling"].label == "Shelling, strikes" and types["shelling"].glyph == "S"
    assert ("mass grave", 2.0) in types["violence_against_civilians"].triggers["en"]
    assert ("масове поховання", 2.0) in types["violence_against_civilians"].triggers["uk"]


def test_a_types_toll_words_are_among_its_triggers():
    for etype in event_types().values():
        for lang, phrases in etype.toll.items():
            assert phrases <= {phrase for phrase, _ in etype.triggers[lang]}, (etype.name, lang)
    assert "killing" in event_types()["violence_against_civilians"].toll["en"]


def test_a_type_added_to_a_copy_of_the_yaml_is_found_and_shown_in_the_maps_legend(taxonomy_copy):
    taxonomy_copy.write_text(taxonomy_copy.read_text("utf-8") + CYBER, "utf-8")
    types = load(taxonomy_copy)
    res = replace(resources(), vocabularies=events.Vocabularies(resources().morphology, types))
    text = "A cyberattack hit the power grid in Kharkiv on Friday."
    article = parse_article(Article(id="a.txt", path="", text=text, sha256="0" * 64), res)
    assert [e.type for e in article.events] == ["cyberattack"]

    countries = gpd.GeoDataFrame({"iso_a2": ["UA"], "name": ["Ukraine"]},
                                 geometry=[box(22, 44, 40, 52.3)], crs=4326)
    admin1 = gpd.GeoDataFrame({"iso_3166_2": ["UA-63"], "country": ["UA"], "name": ["Kharkiv"]},
                              geometry=[box(35, 48.8, 38, 50.5)], crs=4326)
    data = data_block(map_html([article], encode(countries, admin1), types))
    assert records(TypeRecord, data["types"])[-1] == TypeRecord("cyberattack", "Cyberattack",
                                                                "#123456", "C")
    assert data["events"]["type"] == [len(types) - 1]  # its legend entry


def test_a_type_without_a_style_is_refused_at_load(taxonomy_copy):
    taxonomy_copy.write_text(taxonomy_copy.read_text("utf-8") + CYBER.replace('  colour: "#123456"\n', ""),
                             "utf-8")
    with pytest.raises(DataError, match="'cyberattack' has no colour"):
        load(taxonomy_copy)


@pytest.mark.parametrize("broken, message", [
    ("  glyph: C\n", "has no glyph"),
    ("  label: Cyberattack\n", "has no label"),
])
def test_the_label_and_glyph_are_required_too(taxonomy_copy, broken, message):
    taxonomy_copy.write_text(taxonomy_copy.read_text("utf-8") + CYBER.replace(broken, ""), "utf-8")
    with pytest.raises(DataError, match=message):
        load(taxonomy_copy)


def test_a_malformed_colour_or_trigger_is_refused_at_load(taxonomy_copy):
    base = taxonomy_copy.read_text("utf-8")
    taxonomy_copy.write_text(base + CYBER.replace("#123456", "blue"), "utf-8")
    with pytest.raises(DataError, match="colour must be #rrggbb"):
        load(taxonomy_copy)
    taxonomy_copy.write_text(base + CYBER.replace("[hacker, 1.5]", "[hacker, heavy]"), "utf-8")
    with pytest.raises(DataError, match="a trigger is a phrase or"):
        load(taxonomy_copy)


BARE_LIST = """
  triggers:
    - [cyberattack, 2]
"""


@pytest.mark.parametrize("triggers, message", [
    (BARE_LIST, "triggers must be a mapping of language codes"),
    (CYBER[CYBER.index("\n  triggers:"):].replace("    uk:", "    de:"), "unknown language de"),
])
def test_triggers_are_listed_per_known_language(taxonomy_copy, triggers, message):
    cyber = CYBER[:CYBER.index("\n  triggers:")] + triggers
    taxonomy_copy.write_text(taxonomy_copy.read_text("utf-8") + cyber, "utf-8")
    with pytest.raises(DataError, match=message):
        load(taxonomy_copy)


def test_the_reader_page_badges_come_from_the_taxonomy():
    article = Article(id="a.txt", path="", text="Shelling hit Izium.", sha256="0" * 64,
                      events=[Event("a.txt#p1:shelling", "shelling", "a.txt", "p1")])
    shelling = event_types()["shelling"]
    assert f'background: {shelling.colour}">{shelling.glyph}</span> {shelling.label}' in \
        article_page(article)
