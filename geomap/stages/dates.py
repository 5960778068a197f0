"""Date expressions in a passage, resolved against the article's publication date.

Expressions are found by pattern ("on Friday", "September 23 - 27", "in 2014", "this week",
"seven months ago", "yesterday") and the absolute and relative ones parsed by ``dateparser``
with the publication date as its base. A bare weekday is the nearest such day to the publication
date (Friday in an article of Tuesday 2022-09-20 is 2022-09-23; Tuesday in one of Wednesday
2022-09-21 is 2022-09-20); ``last``/``next`` pick the one before or after. Ukrainian and Russian
dates are found by :mod:`geomap.stages.dates_cyrillic`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

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
_IGNORECASE = int(re.I)  # an int: & with the enum takes 0.5 µs, with the int 0.02 µs
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


def nearest_weekday(base: date, weekday: int, which: str | None = None) -> date:
    """The day of the week ``weekday`` (0 Monday) nearest to ``base``, or the one before
    (``last``) or after (``next``) it."""
    delta = (weekday - base.weekday()) % 7
    if which == "last":
        delta = delta - 7 if delta else -7
    elif which == "next":
        delta = delta or 7
    elif delta > 3:
        delta -= 7
    return base + timedelta(days=delta)


@lru_cache(maxsize=4096)  # dateparser takes about a millisecond; news repeats its dates
def parse(text: str, base: date | None, lang: str = ENGLISH) -> datetime | None:
    """``dateparser``'s reading of a date expression in ``lang``, relative to ``base``."""
    import dateparser  # here: its import (0.06 s) is skipped by articles without such dates

    settings = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "current_period"}
    if base:
        settings["RELATIVE_BASE"] = datetime.combine(base, datetime.min.time())
    return dateparser.parse(text, languages=[lang], settings=settings)


def _resolve(m: re.Match, kind: str, precision: str, base: date | None) -> tuple[str | None, str]:
    """The date an expression names, formatted to its precision, and that precision."""
    text = m.group(0)
    if kind == "year":
        return m.group(2), "year"
    if kind == "weekday":
        if base is None:
            return None, "day"
        return nearest_weekday(base, _WEEKDAYS.index(m.group(2)), m.group(1)).isoformat(), "day"
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
    parsed = parse(re.split(r"\s*[-–]\s*\d", re.sub(r"^(?:in|on|this) ", "", text))[0], base)
    return (parsed.strftime(_DATE_FORMATS[precision]) if parsed else None), precision


def find_dates(text: str, published: date | None, lang: str | None = ENGLISH) -> list[DateMention]:
    """Every date expression of ``text`` (in ``lang``), in text order, resolved against
    ``published``."""
    if lang in CYRILLIC:
        from geomap.stages import dates_cyrillic  # here: it imports this module

        return dates_cyrillic.find_dates(text, published, lang)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    lower = text.lower()
    for pattern, kind, precision, needles in _PATTERNS:
        haystack = lower if pattern.flags & _IGNORECASE else text
        if not any(map(haystack.__contains__, needles)):
            continue
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            value, prec = _resolve(m, kind, precision, published)
            since = kind == "year" and m.group(1) == "since"
            found.append(DateMention(m.start(), m.end(), m.group(0), value, prec, since))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
