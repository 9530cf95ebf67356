"""Working days in England and Wales, and deadlines counted in them.

A working day is a weekday that is not a bank holiday. The bank holidays are England's
(Wales keeps the same ones) from the ``holidays`` library, which follows the published
calendar, substitute days and one-off holidays included, so nothing here is typed by hand.
No database: every function takes its dates as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a calendar year."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (before it when ``days`` is negative).

    With ``days`` = 0 it is ``start`` itself if that is a working day, else the next one.
    """
    if days == 0:
        return next_working_day(start)
    step = timedelta(days=1 if days > 0 else -1)
    day, left = start, abs(days)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days come after ``start`` up to and including ``end``.

    Negative when ``end`` is before ``start`` (counting those after ``end`` up to
    ``start``), so ``working_days_between(a, b) == -working_days_between(b, a)``.
    Counted by whole weeks, then the bank holidays that fall on weekdays in between.
    """
    if end < start:
        return -working_days_between(end, start)
    weeks, extra = divmod((end - start).days, 7)
    weekday = start.weekday()
    weekdays = weeks * 5 + sum(1 for i in range(1, extra + 1) if (weekday + i) % 7 < 5)
    holidays_off = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return weekdays - holidays_off


def long_date(day: date) -> str:
    """``14 October 2019``."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """``14 Oct 2019``."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Deadline:
    """A date something is due by, seen from a given day."""

    due: date

    def overdue_by(self, today: date) -> int:
        """Working days past the due date (0 on or before it)."""
        return max(0, working_days_between(self.due, today))

    def describe(self, today: date, *, short: bool = False) -> str:
        """``due by 14 October 2019``, ``due today, …`` or ``overdue by 3 working days (…)``."""
        when = short_date(self.due) if short else long_date(self.due)
        if today == self.due:
            return f"due today, {when}"
        late = self.overdue_by(today)
        if late == 0:  # before the due date, or after it but only on days off
            return f"due by {when}"
        days = "working day" if late == 1 else "working days"
        return f"overdue by {late:,} {days} (due by {when})"


class Step(StrEnum):
    """The scheduled reminders of a deadline, in the order they are sent."""

    BEFORE = "before"  # a reminder some working days before the due date
    DUE = "due"  # on the due date
    OVERDUE = "overdue"  # some working days after it, copied to the line manager


@dataclass(frozen=True)
class ReminderSteps:
    """When each reminder step falls: working days before and after the due date.

    ``before`` or ``after`` of 0 turns that step off; ``on_due_date`` False turns off the
    reminder on the due date itself.
    """

    before: int = 5
    on_due_date: bool = True
    after: int = 3

    def __post_init__(self) -> None:
        if self.before < 0 or self.after < 0:
            raise ValueError("Reminder steps are counted in working days of 0 or more.")

    def days(self, due: date) -> dict[Step, date]:
        """Each step that is on and the day it falls on (always a working day)."""
        days: dict[Step, date] = {}
        if self.before:
            days[Step.BEFORE] = add_working_days(due, -self.before)
        if self.on_due_date:
            days[Step.DUE] = next_working_day(due)
        if self.after:
            days[Step.OVERDUE] = add_working_days(due, self.after)
        return days

    def step_on(self, due: date, today: date) -> Step | None:
        """The latest step whose day has come by ``today`` (none before the first).

        A step whose day was missed (the job did not run) is still given by the next
        run, until the following step's day arrives.
        """
        reached = [step for step, day in self.days(due).items() if day <= today]
        return reached[-1] if reached else None
