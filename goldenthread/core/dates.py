"""Dates as people write and read them: pure rules, no database.

Reading: the GOV.UK date input's three boxes (day, month, year), or a whole date
typed in one box: ``31 March 2021``, ``31 Mar 2021``, ``31/03/2021``, ``31-3-2021``,
``2021-03-31``. A problem is a :class:`DateProblem` saying which parts are missing
or wrong, so the form can word the error the GOV.UK way ("… must include a year").

Writing: :func:`govuk_date` prints ``31 March 2021`` and :func:`govuk_datetime`
``31 March 2021 at 3:05pm``, as the GOV.UK style guide asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

PARTS = ("day", "month", "year")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
}


class Problem(StrEnum):
    """What is wrong with a date someone entered."""

    EMPTY = "empty"  # nothing entered
    INCOMPLETE = "incomplete"  # some parts missing (see ``DateProblem.parts``)
    YEAR_DIGITS = "year_digits"  # a year not written with 4 numbers
    NOT_REAL = "not_real"  # not a date that exists (31 June, month 13, "soon")


@dataclass(eq=False)
class DateProblem(ValueError):
    """Why a date could not be read; ``parts`` are the boxes at fault (day, month, year)."""

    problem: Problem
    parts: tuple[str, ...] = field(default=PARTS)

    def __str__(self) -> str:
        return describe_problem(self, "The date")


def describe_problem(error: DateProblem, label: str) -> str:
    """The GOV.UK error message for a date problem, naming the field: "Decided on must …"."""
    if error.problem is Problem.EMPTY:
        return f"Enter {label[:1].lower()}{label[1:]}"
    if error.problem is Problem.INCOMPLETE:
        return f"{label} must include a {' and '.join(error.parts)}"
    if error.problem is Problem.YEAR_DIGITS:
        return f"{label} must include a year with 4 numbers, like 2021"
    return f"{label} must be a real date"


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


def _month(text: str) -> int | None:
    text = text.strip().lower().rstrip(".")
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    return MONTHS.get(text)


def parse_parts(day: str, month: str, year: str) -> date:
    """A date from the three boxes of the GOV.UK date input (month as a number or a name).

    A whole date typed in any one box, the others empty, is read as :func:`parse_text` reads it.
    """
    given = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    filled = [part for part in PARTS if given[part]]
    if not filled:
        raise DateProblem(Problem.EMPTY)
    if len(filled) == 1 and _looks_whole(given[filled[0]]):
        return parse_text(given[filled[0]])
    missing = tuple(part for part in PARTS if not given[part])
    if missing:
        raise DateProblem(Problem.INCOMPLETE, missing)
    return _build(given["day"], given["month"], given["year"])


def _looks_whole(text: str) -> bool:
    return len(re.findall(r"[a-z]+|[0-9]+", text.lower())) >= 2


def _build(day_text: str, month_text: str, year_text: str) -> date:
    day, month, year = _number(day_text), _month(month_text), _number(year_text)
    wrong = tuple(
        part
        for part, value in zip(PARTS, (day, month, year), strict=True)
        if value is None or value < 1
    )
    if wrong:
        raise DateProblem(Problem.NOT_REAL, wrong)
    if len(year_text.lstrip("0")) != 4:
        raise DateProblem(Problem.YEAR_DIGITS, ("year",))
    if month > 12:
        raise DateProblem(Problem.NOT_REAL, ("month",))
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        raise DateProblem(Problem.NOT_REAL, ("day",)) from None


def parse_text(text: str) -> date:
    """A whole date in one string: ``31 March 2021``, ``31/03/2021``, ``2021-03-31``, …

    Day-month-year as the UK writes it (a numeric month never comes first); a month as a
    number or a name (``March 31 2021`` is read too); ordinals (``31st``) and a leading
    weekday allowed; ISO order when the first number has four digits.
    """
    words = re.findall(r"[a-z]+|[0-9]+", text.lower())
    words = [w for w in words if w not in WEEKDAYS]
    if not words:
        raise DateProblem(Problem.EMPTY)
    # "31st" → "31"; "st" on its own is the ordinal's tail.
    words = [w for w in words if w not in {"st", "nd", "rd", "th", "of"}]
    if len(words) == 3 and len(words[0]) == 4 and _number(words[0]) is not None:
        year, month, day = words
        return _build(day, month, year)
    if len(words) == 3:
        day, month, year = words
        if (
            _number(day) is None and _number(month) is not None
        ):  # "March 31 2021": month named first
            day, month = month, day
        return _build(day, month, year)
    if len(words) == 2:
        first, second = words
        if len(second) == 4 and _number(second) is not None and _month(first) is not None:
            raise DateProblem(Problem.INCOMPLETE, ("day",))
        if _month(second) is not None and _number(first) is not None:
            raise DateProblem(Problem.INCOMPLETE, ("year",))
    raise DateProblem(Problem.NOT_REAL)


def govuk_date(day: date | None) -> str:
    """``31 March 2021``: no leading zero, the month in full (GOV.UK style)."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


def govuk_time(moment: datetime) -> str:
    """``3:05pm``, ``10am``, ``midday`` and ``midnight`` (GOV.UK style)."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def govuk_datetime(moment: datetime | None) -> str:
    """``31 March 2021 at 3:05pm`` (pass a local time: the caller chooses the zone)."""
    if moment is None:
        return ""
    return f"{govuk_date(moment.date())} at {govuk_time(moment)}"
