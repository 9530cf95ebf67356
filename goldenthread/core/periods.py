"""Reporting periods: pure rules, no database.

A financial year runs April to March and is named by its first year ("2019/20"
starts on 1 April 2019). Within it: quarters Q1–Q4 (Q1 = April–June),
half-years H1–H2 and months P1–P12 (April = P1).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


_PER_YEAR = {PeriodKind.YEAR: 1, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}
_MONTHS_EACH = {PeriodKind.YEAR: 12, PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
_PREFIX = {PeriodKind.HALF: "H", PeriodKind.QUARTER: "Q", PeriodKind.MONTH: "P"}
_LONG_NAME = {
    PeriodKind.HALF: "Half-year",
    PeriodKind.QUARTER: "Quarter",
    PeriodKind.MONTH: "Period",
}

_CODE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})(?:\s+([HQP])\s*(\d{1,2}))?\s*$", re.IGNORECASE)


# The financial years a period may be in: anything else in an address or a file is a mistake,
# and so far from today that its dates would fall outside what a date can hold.
FIRST_YEAR = 2000
LAST_YEAR = 2099


class PeriodError(ValueError):
    """A period code or number that does not name a reporting period."""


def check_year(year: int) -> int:
    """``year`` (a financial year's first calendar year) if it is within the range we keep."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            f"{year} is not a financial year we keep: they run from "
            f"{FIRST_YEAR}/{(FIRST_YEAR + 1) % 100:02d} to {LAST_YEAR}/{(LAST_YEAR + 1) % 100:02d}."
        )
    return year


@dataclass(frozen=True, order=True)
class PeriodKey:
    """One reporting period: the financial year's first calendar year, a kind and a number."""

    year: int
    kind: PeriodKind
    number: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.number <= _PER_YEAR[self.kind]:
            most = _PER_YEAR[self.kind]
            raise PeriodError(f"A {self.kind.value} number must be 1 to {most}, not {self.number}.")

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def code(self) -> str:
        """The short label, e.g. ``2019/20 Q1``; a whole year is just ``2019/20``."""
        if self.kind is PeriodKind.YEAR:
            return self.financial_year
        return f"{self.financial_year} {_PREFIX[self.kind]}{self.number}"

    @property
    def start(self) -> date:
        return _month_start(self.year, 4 + (self.number - 1) * _MONTHS_EACH[self.kind])

    @property
    def end(self) -> date:
        first = self.start
        last = _month_start(first.year, first.month + _MONTHS_EACH[self.kind] - 1)
        return last.replace(day=calendar.monthrange(last.year, last.month)[1])

    @property
    def long_label(self) -> str:
        """The long form: ``Quarter 1: April to June 2019``, ``Period 1: April 2019``.

        Half-years read ``Half-year 1: April to September 2019``; a year reads
        ``Financial year 2019/20``.
        """
        if self.kind is PeriodKind.YEAR:
            return f"Financial year {self.financial_year}"
        start, end = self.start, self.end
        if self.kind is PeriodKind.MONTH:
            span = f"{start:%B %Y}"
        elif start.year == end.year:
            span = f"{start:%B} to {end:%B %Y}"
        else:
            span = f"{start:%B %Y} to {end:%B %Y}"
        return f"{_LONG_NAME[self.kind]} {self.number}: {span}"

    def previous(self) -> PeriodKey:
        if self.number > 1:
            return PeriodKey(self.year, self.kind, self.number - 1)
        return PeriodKey(self.year - 1, self.kind, _PER_YEAR[self.kind])

    def next(self) -> PeriodKey:
        if self.number < _PER_YEAR[self.kind]:
            return PeriodKey(self.year, self.kind, self.number + 1)
        return PeriodKey(self.year + 1, self.kind, 1)

    def same_period_last_year(self) -> PeriodKey:
        return PeriodKey(self.year - 1, self.kind, self.number)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_start(year: int, month: int) -> date:
    """First day of ``month`` counted from January of ``year`` (month may exceed 12)."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def financial_year_of(day: date) -> int:
    """The first calendar year of the financial year holding ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def period_containing(day: date, kind: PeriodKind = PeriodKind.QUARTER) -> PeriodKey:
    """The period of the given kind that holds ``day`` (the current period for today)."""
    year = financial_year_of(day)
    months_in = (day.month - 4) % 12
    return PeriodKey(year, kind, months_in // _MONTHS_EACH[kind] + 1)


def parse_period(text: str) -> PeriodKey:
    """Read a period code: ``2019/20``, ``2019/20 Q1``, ``2019/20 H2``, ``2019/20 P12``.

    Financial years before 2000/01 or after 2099/00 are refused (see :func:`check_year`).
    """
    match = _CODE.match(text or "")
    if not match:
        raise PeriodError(f"{text!r} is not a period: write it like 2019/20 Q1, H1 or P1.")
    year, second, letter, number = match.groups()
    if int(second) != (int(year) + 1) % 100:
        raise PeriodError(f"{text!r}: the years of a financial year must follow each other.")
    check_year(int(year))
    if letter is None:
        return PeriodKey(int(year), PeriodKind.YEAR, 1)
    kind = {"H": PeriodKind.HALF, "Q": PeriodKind.QUARTER, "P": PeriodKind.MONTH}[letter.upper()]
    return PeriodKey(int(year), kind, int(number))


def month_label(day: date) -> str:
    """The seeds' short month form: ``Mar-16``."""
    return f"{day:%b-%y}"


def revised_date_label(current: date, original: date | None, fmt=month_label) -> str:
    """A deadline as the committee papers print it: new date, original in brackets.

    ``Mar-16 (Oct-15)`` when the deadline was revised, ``Mar-16`` when not.
    """
    text = fmt(current)
    if original is not None and original != current:
        text += f" ({fmt(original)})"
    return text
