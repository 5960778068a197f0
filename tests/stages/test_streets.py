"""Street names read as mentions of the town they lie in."""
from __future__ import annotations

from geomap.stages.pipeline import parse_text
from geomap.stages.streets import STREET_HEADS


def places(text: str) -> list[tuple[str, str, str | None]]:
    """(surface, place name, admin1) of each mention."""
    return [(m.text, m.place.name, m.place.admin1) for m in parse_text(text).mentions]


def test_a_street_before_its_town_takes_that_towns_place():
    found = places("Trucks blocked Richmond Street, London city council said. Ontario agreed.")
    assert found[:2] == [("Richmond Street", "London", "CA-ON"), ("London", "London", "CA-ON")]


def test_a_street_takes_the_town_named_before_it_else_the_one_after_it():
    assert ("Main Street", "Paris", "US-TX") in places(
        "Police in Paris, Texas, said a fire broke out on Main Street on Monday.")
    assert places("A fire on Oak Drive spread. Firemen from Dallas came.")[0] == (
        "Oak Drive", "Dallas", "US-TX")


def test_a_street_in_an_article_that_names_no_town_is_left_out():
    assert places("A fire broke out on Main Street on Monday.") == []


def test_a_street_word_inside_a_longer_name_or_after_a_possessive_is_no_street():
    assert [m[0] for m in places("He told the Wall Street Journal in Boston.")] == ["Boston"]
    assert places("Residents of Augusta's Highland Avenue met. Augusta, Ga. agreed.")[:2] == [
        ("Augusta", "Augusta", "US-GA"), ("Highland Avenue", "Augusta", "US-GA")]


def test_a_street_named_after_a_place_is_left_to_that_place():
    found = [m[0] for m in places("Crews closed Dublin Road in Columbus, Ohio.")]
    assert "Dublin Road" not in found and "Columbus" in found


def test_a_township_takes_the_place_of_a_town_the_article_names():
    text = "A museum opened in Readington Township. Officials from Flemington, N.J., came."
    assert places(text)[0] == ("Readington Township", "Flemington", "US-NJ")
    assert [m[0] for m in places("The Township agreed with Flemington, N.J.")] == [
        "Flemington", "N.J."]


def test_every_street_head_is_read_in_a_passage_of_its_own():
    """Each head of :data:`STREET_HEADS` makes a street, in the one passage of several that holds
    it (the passages without a head are not scanned)."""
    for head in STREET_HEADS:
        found = places(f"Firemen from Dallas came. A fire on Oak {head} spread. Nobody was hurt.")
        assert (f"Oak {head}", "Dallas", "US-TX") in found, head
