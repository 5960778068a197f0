"""Dates read without dateparser read as dateparser reads them."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from geomap.stages import dates

BASES = [date(2022, 1, 10), date(2022, 9, 20), date(2022, 12, 31), date(2024, 2, 29), None]
MONTHS = ["January", "Jan", "Jan.", "February", "Feb", "March", "Mar.", "April", "May", "June",
          "Jun", "July", "Jul.", "August", "Aug", "September", "Sept", "Sept.", "Sep", "October",
          "Oct.", "November", "Nov", "December", "Dec."]
DAYS = ["1", "2nd", "3rd", "4th", "13th", "21st", "22", "29", "30", "31"]
PHRASES = (
    [f"{m} {d}" for m, d in itertools.product(MONTHS, DAYS)]
    + [f"{m} {d}, 2009" for m, d in itertools.product(MONTHS[::3], DAYS)]
    + [f"{d} {m.rstrip('.')}" for m, d in itertools.product(MONTHS[::2], DAYS)]
    + [f"{d} {m.rstrip('.')} 2015" for m, d in itertools.product(MONTHS[::4], DAYS)]
    + [f"{m.rstrip('.')} {y}" for m, y in itertools.product(MONTHS, ["1923", "2008", "2022"])]
    + [m.rstrip(".") for m in MONTHS]
    + ["yesterday", "Yesterday", "today", "tonight", "last night", "Last night",
       "last month", "this month", "next month", "Last month"]
    + [f"{n} {u}{s} ago" for n, u, s in itertools.product(
        ["a", "an", "one", "two", "seven", "twelve", "3", "18", "A", "Two"],
        ["day", "week", "month", "year"], ["", "s"])]
)


@pytest.mark.parametrize("base", BASES, ids=str)
def test_common_forms_are_read_as_dateparser_reads_them(base):
    read_here = 0
    for phrase in PHRASES:
        found = dates._common_form(phrase, base)
        if found is None:
            continue
        read_here += 1
        expected = dates.parse(phrase, base)
        assert expected is not None and found == expected.date(), (phrase, base)
    assert read_here > len(PHRASES) // (4 if base is None else 2)


def test_impossible_dates_and_other_forms_are_left_to_dateparser():
    for phrase in ("February 30", "Sep 31", "February 29", "last March", "the 5th",
                   "Someday 3", "9999999 days ago"):
        assert dates._common_form(phrase, date(2022, 1, 10)) is None, phrase
    assert dates._parse("February 29", date(2022, 1, 10)) == dates.parse(
        "February 29", date(2022, 1, 10))


@pytest.mark.parametrize("phrase, value", [
    ("Sept. 23, 2022", "2022-09-23"), ("24 February", "2022-02-24"), ("March 2022", "2022-03"),
    ("in March", "2022-03"), ("on Friday", "2022-09-16"), ("Yesterday", "2022-09-19"),
    ("two weeks ago", "2022-09-06"), ("last week", "2022-09-13"), ("next year", "2023"),
    ("since 2014", "2014"),
])
def test_each_kind_of_date_is_found_in_a_sentence(phrase, value):
    """Every pattern is tried on a text that holds its needles, wherever they are."""
    text = f"Shelling went on {phrase}, officials said."
    (found,) = dates.find_dates(text, date(2022, 9, 20))
    assert (found.text.removeprefix("on ").removeprefix("in "), found.value) == (
        phrase.removeprefix("on ").removeprefix("in "), value)
    assert dates.find_dates("Shelling went on, officials said.", date(2022, 9, 20)) == []


@pytest.mark.parametrize("text, value", [
    ("Shelling hit the city on Friday, officials said.", "2022-09-16"),  # the last Friday
    ("Shelling hit the city on Tuesday.", "2022-09-20"),  # the day itself
    ("Referendums starting on Friday were announced.", "2022-09-23"),  # what is to come
    ("Ministers will meet on Monday, officials said.", "2022-09-26"),
    ("Leaders, who plans to hold votes angered, spoke at the UN, in New York, on Monday.",
     "2022-09-19"),  # a future word in another clause, far from the day
])
def test_a_weekday_is_the_last_one_unless_its_clause_speaks_of_what_is_to_come(text, value):
    (found,) = dates.find_dates(text, date(2022, 9, 20))  # a Tuesday
    assert found.value == value
