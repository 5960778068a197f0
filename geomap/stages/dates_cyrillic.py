"""Date expressions in Ukrainian and Russian passages, resolved against the publication date.

Found by pattern: a day of a month ("12 березня", "в ніч на 12 березня", "12-13 марта 2023
года", "12.03.2023"), a month with or without its year ("у березні 2022", "в марте"), a weekday after "у"/"в"
or "минулого"/"прошлой" ("у п'ятницю", "в прошлую пятницу"), yesterday and today ("вчора",
"сьогодні", "позавчера", "минулої ночі", "этой ночью"), "N днів тому" / "N дней назад", this, last or next week,
month or year ("минулого тижня", "на прошлой неделе", "в этом году"), and a year written with
its noun ("у 2014 році", "с 2014 года": since). Yesterday and today are read by ``dateparser``
in the passage's language; the rest by the month and weekday tables here (a day without its
year is in the publication's year, as ``dateparser`` reads English ones).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from geomap.stages.dates import DateMention, parse, weekday_date

_MONTH_FORMS = {  # month number -> its forms (nominative, genitive, locative) in both languages
    1: "січень січня січні январь января январе",
    2: "лютий лютого лютому февраль февраля феврале",
    3: "березень березня березні март марта марте",
    4: "квітень квітня квітні апрель апреля апреле",
    5: "травень травня травні май мая мае",
    6: "червень червня червні июнь июня июне",
    7: "липень липня липні июль июля июле",
    8: "серпень серпня серпні август августа августе",
    9: "вересень вересня вересні сентябрь сентября сентябре",
    10: "жовтень жовтня жовтні октябрь октября октябре",
    11: "листопад листопада листопаді ноябрь ноября ноябре",
    12: "грудень грудня грудні декабрь декабря декабре",
}
MONTHS = {form: number for number, forms in _MONTH_FORMS.items() for form in forms.split()}
_WEEKDAY_FORMS = (  # Monday first: the forms said after "у"/"в" and "минулого"/"прошлый"
    "понеділок понеділка понедельник понедельника",
    "вівторок вівторка вторник вторника",
    "середу середи середа среду среды",
    "четвер четверга четверг",
    "п'ятницю п’ятницю пʼятницю п'ятниці п’ятниці пʼятниці пятницу пятницы",
    "суботу суботи субботу субботы",
    "неділю неділі воскресенье воскресенья",
)
WEEKDAYS = {form: day for day, forms in enumerate(_WEEKDAY_FORMS) for form in forms.split()}
_LAST = r"минул\w*|попередн\w*|прошл\w*|минувш\w*"
_NEXT = r"наступн\w*|следующ\w*"
_THIS = r"ц[еіюьи]\w{0,3}|эт\w{0,2}|нинішн\w*|текущ\w*"
_NUMBER = {"один": 1, "одна": 1, "одну": 1, "два": 2, "дві": 2, "две": 2, "три": 3,
           "чотири": 4, "четыре": 4, "п'ять": 5, "п’ять": 5, "пять": 5}
_UNITS = {"день": "day", "дні": "day", "днів": "day", "дня": "day", "дней": "day",
          "тиждень": "week", "тижні": "week", "тижнів": "week", "неделю": "week", "недели": "week",
          "недель": "week", "місяць": "month", "місяці": "month", "місяців": "month",
          "месяц": "month", "месяца": "month", "месяцев": "month", "рік": "year", "роки": "year",
          "років": "year", "год": "year", "года": "year", "лет": "year"}
_PERIOD_UNITS = {"тиж": "week", "нед": "week", "міся": "month", "меся": "month", "рок": "year",
                 "рік": "year", "год": "year"}
_NIGHTS = {"минулої ночі": -1, "прошлой ночью": -1, "цієї ночі": 0, "этой ночью": 0}  # days


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_M = _alternation(MONTHS)
_W = _alternation(WEEKDAYS)
_YEAR_NOUN = r"(?:року|році|рік|роки|рр?\.|года|году|год|гг?\.)"
_RELATIVE = ("позавчора", "позавчера", "учора", "вчора", "вчера", "сьогодні", "сегодня")
_PERIOD_WORDS = ("тиждень", "тижня", "тижні", "неделе", "неделю", "недели", "місяць", "місяця",
                 "місяці", "месяц", "месяца", "месяце", "рік", "року", "році", "год", "года", "году")
# (pattern, kind, needles): earlier patterns win where matches overlap; a pattern is tried only
# on a passage that has one of its needle words (a digit, for the needles None)
_PATTERNS: list[tuple[re.Pattern, str, frozenset[str] | None]] = [
    (re.compile(p, re.I), kind, None if needles is None else frozenset(needles))
    for p, kind, needles in (
        (rf"\b(\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?\s+({_M})(?:\s+((?:19|20)\d{{2}}))?\b"
         rf"(?:\s*{_YEAR_NOUN})?", "day", MONTHS),
        (r"\b(\d{1,2})\.(\d{2})\.((?:19|20)\d{2})\b", "numeric", None),
        (rf"\b({_M})\s+((?:19|20)\d{{2}})\b(?:\s*{_YEAR_NOUN})?", "month of year", MONTHS),
        (rf"\b(?:у|в|во)\s+(?:(?:({_LAST})|({_NEXT})|{_THIS})\s+)?({_M})\b", "month", MONTHS),
        (rf"\b(?:(?:у|в|во)\s+)?(?:({_LAST})|({_NEXT})|{_THIS})\s+({_W})(?!\w)|"
         rf"\b(?:у|в|во)\s+({_W})(?!\w)", "weekday", WEEKDAYS),
        (rf"\b(?:{_alternation(_RELATIVE)})\b", "relative", _RELATIVE),
        (rf"\b(?:{_alternation(_NIGHTS)})\b", "night", ("ночі", "ночью")),
        (rf"\b(?:(\d+|{_alternation(_NUMBER)})\s+)?({_alternation(_UNITS)})\s+(?:тому|назад)\b",
         "ago", ("тому", "назад")),
        (rf"\b(?:на\s+|в\s+|у\s+)?(?:({_LAST})|({_NEXT})|{_THIS})\s+"
         r"(тиж\w*|недел\w*|міся\w*|меся\w*|рок\w*|рік|год\w*)\b", "period", _PERIOD_WORDS),
        (rf"\b(?:(з|із|зі|с|со|від|починаючи з|начиная с)\s+)?((?:19|20)\d{{2}})\s*{_YEAR_NOUN}",
         "year", None),
    )]
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_NEEDLES = frozenset().union(*(needles for _, _, needles in _PATTERNS if needles))
_DIGIT = re.compile("[0-9]")  # what the patterns without needle words need


def find_dates(text: str, published: date | None, lang: str) -> list[DateMention]:
    """Every date expression of ``text`` (Ukrainian or Russian, ``lang``), in text order,
    resolved against ``published``."""
    found: list[DateMention] = []
    said = _NEEDLES.intersection(_WORD.findall(text.lower()))
    digits = _DIGIT.search(text) is not None
    if not said and not digits:
        return found  # most passages
    for pattern, kind, needles in _PATTERNS:
        if not (digits if needles is None else not needles.isdisjoint(said)):
            continue
        for m in pattern.finditer(text):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            value, precision = _resolve(m, kind, published, lang)
            since = kind == "year" and bool(m.group(1))
            found.append(DateMention(m.start(), m.end(), m.group(0), value, precision, since))
    return sorted(found, key=lambda d: d.start)


def _resolve(m: re.Match, kind: str, base: date | None, lang: str) -> tuple[str | None, str]:
    """The date an expression names, formatted to its precision, and that precision."""
    if kind == "day":
        year = m.group(3) or (base.year if base else None)
        return (_day(year, MONTHS[m.group(2).lower()], m.group(1)) if year else None), "day"
    if kind == "numeric":
        return _day(m.group(3), m.group(2), m.group(1)), "day"
    if kind == "month of year":
        return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}", "month"
    if kind == "month":
        if base is None:
            return None, "month"
        shift = -1 if m.group(1) else 1 if m.group(2) else 0
        return f"{base.year + shift}-{MONTHS[m.group(3).lower()]:02d}", "month"
    if kind == "year":
        return m.group(2), "year"
    if base is None:
        return None, {"weekday": "day", "relative": "day", "period": "week"}.get(kind, "day")
    if kind == "weekday":
        which = "last" if m.group(1) else "next" if m.group(2) else None
        return weekday_date(base, WEEKDAYS[(m.group(3) or m.group(4)).lower()], which).isoformat(), "day"
    if kind == "night":
        return (base + timedelta(days=_NIGHTS[m.group(0).lower()])).isoformat(), "day"
    if kind == "relative":
        parsed = parse(m.group(0), base, lang)
        return (parsed.strftime("%Y-%m-%d") if parsed else None), "day"
    if kind == "ago":
        count = int(m.group(1)) if (m.group(1) or "").isdigit() else _NUMBER.get((m.group(1) or "").lower(), 1)
        return _shifted(base, _UNITS[m.group(2).lower()], -count)
    shift = -1 if m.group(1) else 1 if m.group(2) else 0
    unit = next(u for stem, u in _PERIOD_UNITS.items() if m.group(3).lower().startswith(stem))
    return _shifted(base, unit, shift)


def _day(year: str | int, month: str | int, day: str) -> str | None:
    """``YYYY-MM-DD`` of a day, or None if there is no such day."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _shifted(base: date, unit: str, count: int) -> tuple[str, str]:
    """``base`` moved by ``count`` days, weeks, months or years, at that precision."""
    if unit == "day":
        return (base + timedelta(days=count)).isoformat(), "day"
    if unit == "week":
        return (base + timedelta(days=7 * count)).isoformat(), "week"
    if unit == "month":
        months = base.year * 12 + base.month - 1 + count
        return f"{months // 12}-{months % 12 + 1:02d}", "month"
    return str(base.year + count), "year"
