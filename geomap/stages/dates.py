"""Date expressions in a passage, resolved against the article's publication date.

Expressions are found by pattern ("on Friday", "September 23 - 27", "in 2014", "this week",
"seven months ago", "yesterday") and resolved with the publication date as their base: the
common forms ("Sept. 23, 2022", "24 February", "March 2022", "two weeks ago", "last month") as
``dateparser`` reads them but without it (a thousandth of its time, and no import), the others
by ``dateparser`` itself. A bare weekday is the last such day up to the publication date, as
news reports what happened (Friday in an article of Tuesday 2022-09-20 is 2022-09-16), or the
next from it where the sentence speaks of what is to come ("referendums starting on Friday":
2022-09-23; "will", "is to", "scheduled"…); ``last``/``next`` pick the one before or after.
Ukrainian and Russian dates are found by :mod:`geomap.stages.dates_cyrillic`.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from geomap.languages import CYRILLIC, ENGLISH

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"

_MONTH_NEEDLES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (pattern, kind, precision, needles); earlier patterns win where matches overlap. A pattern is
# tried only on a text holding one of its needles (the lower-cased text, for a case-blind pattern;
# no such needle holds an "i" or "s", which those patterns also match as "ı" and "ſ").
_PATTERNS: list[tuple[re.Pattern, str, str, tuple[str, ...]]] = [
    (re.compile(rf"\b{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?\b(?:\s*[-–]\s*\d{{1,2}}\b)?(?:,? \d{{4}}\b)?"),
     "absolute", "day", _MONTH_NEEDLES),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}\b(?: \d{{4}}\b)?"), "absolute", "day",
     _MONTH_NEEDLES),
    (re.compile(rf"\b{_MONTH} \d{{4}}\b"), "absolute", "month", _MONTH_NEEDLES),
    (re.compile(rf"\b(?:last|next|this|on) {_MONTH}\b|\bin {_MONTH}\b(?! \d)"), "month", "month",
     _MONTH_NEEDLES),
    (re.compile(rf"\b(?:(last|next|this|on) )?({'|'.join(_WEEKDAYS)})\b"), "weekday", "day", ("day",)),
    (re.compile(r"\b(?:yesterday|today|tonight|last night)\b", re.I), "relative", "day",
     ("day", "ght")),
    (re.compile(rf"\b{_NUMBER} (day|week|month|year)s? ago\b", re.I), "ago", "", ("ago",)),
    (re.compile(r"\b(?:(?:later|earlier) )?(this|last|next) week\b", re.I), "week", "week", ("week",)),
    (re.compile(r"\b(this|last|next) (month|year)\b", re.I), "period", "", ("month", "year")),
    (re.compile(r"\b(?:(since|in|by|during|until|from|to|of) )?((?:19|20)\d{2})\b"), "year", "year",
     ("19", "20")),
]
_NEEDS = [(needles, bool(pattern.flags & re.I)) for pattern, _, _, needles in _PATTERNS]  # what
# each pattern is tried for: its needles, in the lower-cased text or not
_FINDERS = {need: re.compile("|".join(map(re.escape, need[0]))) for need in _NEEDS}  # one for
# the patterns that share needles (the month patterns)
_UNIT_PRECISION = {"day": "day", "week": "week", "month": "month", "year": "year"}
_DATE_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


@dataclass
class DateMention:
    """A date expression at ``start``-``end`` of a passage, resolved (``value`` None if it could
    not be); ``since`` marks "since …", a situation that lasts rather than an event."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str
    since: bool = False


def parse_published(published: str | None) -> date | None:
    """The publication date of an article's metadata, or None if it has none or it is malformed."""
    try:
        return date.fromisoformat(str(published)[:10]) if published else None
    except ValueError:
        return None


def weekday_date(base: date, weekday: int, which: str | None = None, future: bool = False) -> date:
    """The day of the week ``weekday`` (0 Monday) before ``base`` (``last``), after it
    (``next``), or else the last up to it, or with ``future`` the next from it."""
    ahead = (weekday - base.weekday()) % 7
    if which == "last":
        delta = ahead - 7 if ahead else -7
    elif which == "next":
        delta = ahead or 7
    else:
        delta = ahead if future or not ahead else ahead - 7
    return base + timedelta(days=delta)


_FUTURE = re.compile(r"\b(?:will|won't|won’t|shall|(?:is|are) (?:due |set |expected )?to|"
                     r"scheduled|planned|plans? to|starting|starts|begins?|upcoming)\b|[’']ll\b",
                     re.I)  # what a clause says is to come
FUTURE_WINDOW = 6  # words before a weekday read for what is to come ("referendums starting on")


def _to_come(text: str, start: int) -> bool:
    """Whether the words of its clause right before offset ``start`` say that what happens on
    a weekday is to come ("will meet on Tuesday", "referendums starting on Friday"; not "plans
    to hold referendums…, leaders slammed them at the UN, on Tuesday")."""
    clause = re.split(r"[.;:!?]", text[:start])[-1]
    return _FUTURE.search(" ".join(clause.split()[-FUTURE_WINDOW:])) is not None


def _parse(text: str, base: date | None) -> date | None:
    """The date an English expression names, read as ``dateparser`` reads it (:func:`parse`):
    directly for the forms :func:`_common_form` knows."""
    found = _common_form(text, base)
    return parse(text, base) if found is None else found


_MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(calendar.month_name)
                  if name}
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY = re.compile(rf"([A-Za-z]+)\.? {_ORDINAL}(?:,? (\d{{4}}))?")  # Sept. 23, 2022
_DAY_MONTH = re.compile(rf"{_ORDINAL} ([A-Za-z]+)(?: (\d{{4}}))?")  # 24 February 2022
_MONTH_YEAR = re.compile(r"([A-Za-z]+)(?: (\d{4}))?")  # March 2022, March
_MONTH_NAME = re.compile(_MONTH)
_AGO = re.compile(r"(\d+|[a-z]+) (day|week|month|year)s? ago")
_NUMBER_WORDS = {word: n for n, word in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve"))} | {"a": 1, "an": 1}
_DAYS_BEFORE = {"yesterday": 1, "last night": 1, "today": 0, "tonight": 0}
_MONTHS_AFTER = {"last month": -1, "this month": 0, "next month": 1}


def _common_form(text: str, base: date | None) -> date | None:
    """The date of an expression in a form read here as ``dateparser`` reads it (a missing year
    is the base's, or this year's; a missing day the first; an impossible date is left to
    dateparser), or None for any other form."""
    year = (base or date.today()).year
    if (m := _MONTH_DAY.fullmatch(text)) and _MONTH_NAME.fullmatch(m[1]):
        return _valid(int(m[3] or year), m[1], int(m[2]))
    if (m := _DAY_MONTH.fullmatch(text)) and _MONTH_NAME.fullmatch(m[2]):
        return _valid(int(m[3] or year), m[2], int(m[1]))
    if (m := _MONTH_YEAR.fullmatch(text)) and _MONTH_NAME.fullmatch(m[1]):
        return _valid(int(m[2] or year), m[1], 1)
    if base is None:
        return None
    low = text.lower()
    if low in _DAYS_BEFORE:
        return base - timedelta(days=_DAYS_BEFORE[low])
    if low in _MONTHS_AFTER:
        return _months_after(base, _MONTHS_AFTER[low])
    m = _AGO.fullmatch(low)
    n = (int(m[1]) if m[1].isdigit() else _NUMBER_WORDS.get(m[1])) if m else None
    if n is None:
        return None
    if m[2] in ("day", "week"):
        try:
            return base - timedelta(days=n * (7 if m[2] == "week" else 1))
        except OverflowError:
            return None
    return _months_after(base, -n * (12 if m[2] == "year" else 1))


def _valid(year: int, month: str, day: int) -> date | None:
    """The date of a month's name or abbreviation, if it exists."""
    try:
        return date(year, _MONTH_NUMBERS[month[:3].lower()], day)
    except ValueError:
        return None


def _months_after(base: date, months: int) -> date | None:
    """The first of the month ``months`` after the base's (before it, if negative)."""
    index = base.year * 12 + base.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) if index >= 12 else None


@lru_cache(maxsize=4096)  # dateparser takes about a millisecond; news repeats its dates
def parse(text: str, base: date | None, lang: str = ENGLISH) -> datetime | None:
    """``dateparser``'s reading of a date expression in ``lang``, relative to ``base``."""
    import dateparser  # here: articles without such dates never import it

    settings = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "current_period"}
    if base:
        settings["RELATIVE_BASE"] = datetime.combine(base, datetime.min.time())
    return dateparser.parse(text, languages=[lang], settings=settings)


def _resolve(m: re.Match, kind: str, precision: str, base: date | None) -> tuple[str | None, str]:
    """The date an expression names, formatted to its precision, and that precision (a
    weekday's as :func:`weekday_date` reads it where ``m`` was found: :func:`_to_come`)."""
    text = m.group(0)
    if kind == "year":
        return m.group(2), "year"
    if kind == "weekday":
        if base is None:
            return None, "day"
        future = _to_come(m.string, m.start())
        return weekday_date(base, _WEEKDAYS.index(m.group(2)), m.group(1), future).isoformat(), "day"
    if kind == "week":
        if base is None:
            return None, "week"
        shift = {"last": -7, "next": 7}.get(m.group(1).lower(), 0)
        return (base + timedelta(days=shift)).isoformat(), "week"
    if kind == "ago":
        precision = _UNIT_PRECISION[m.group(1).lower()]
    elif kind == "period":
        precision = m.group(2).lower()
        if precision == "year" and base is not None:
            return str(base.year + {"last": -1, "next": 1}.get(m.group(1).lower(), 0)), "year"
    if kind in ("relative", "ago", "period", "month") and base is None:
        return None, precision
    parsed = _parse(re.split(r"\s*[-–]\s*\d", re.sub(r"^(?:in|on|this) ", "", text))[0], base)
    return (parsed.strftime(_DATE_FORMATS[precision]) if parsed else None), precision


@cache
def _cyrillic_dates() -> Callable[[str, date | None, str], list[DateMention]]:
    """:func:`geomap.stages.dates_cyrillic.find_dates`, imported on first use (it imports this
    module)."""
    from geomap.stages.dates_cyrillic import find_dates as find_cyrillic_dates

    return find_cyrillic_dates


def find_dates(text: str, published: date | None, lang: str | None = ENGLISH) -> list[DateMention]:
    """Every date expression of ``text`` (in ``lang``), in text order, resolved against
    ``published``."""
    if lang in CYRILLIC:
        return _cyrillic_dates()(text, published, lang)
    lower = text.lower()
    held = {need: finder.search(lower if need[1] else text) is not None
            for need, finder in _FINDERS.items()}
    found: list[DateMention] = []
    if not any(held.values()):
        return found  # most passages
    taken: list[tuple[int, int]] = []
    for (pattern, kind, precision, _), need in zip(_PATTERNS, _NEEDS):
        if not held[need]:
            continue
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value, prec = _resolve(m, kind, precision, published)
            since = kind == "year" and m.group(1) == "since"
            found.append(DateMention(m.start(), m.end(), m.group(0), value, prec, since))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
