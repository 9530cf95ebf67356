"""Working days in England and Wales: weekends and bank holidays from the holidays library."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.core.workdays import (
    Deadline,
    ReminderSteps,
    Step,
    add_working_days,
    bank_holidays,
    is_working_day,
    next_working_day,
    working_days_between,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=-40, max_value=40)


def test_it_knows_england_and_wales_bank_holidays_with_substitute_days():
    assert date(2019, 8, 26) in bank_holidays(2019)  # late summer bank holiday
    assert date(2020, 5, 8) in bank_holidays(2020)  # VE day moved the May holiday
    assert date(2020, 12, 28) in bank_holidays(2020)  # Boxing Day fell on a Saturday
    assert date(2022, 9, 19) in bank_holidays(2022)  # the Queen's state funeral
    assert date(2019, 3, 18) not in bank_holidays(2019)  # St Patrick's Day: Northern Ireland
    assert date(2019, 8, 5) not in bank_holidays(2019)  # Scotland's summer holiday


def test_it_skips_christmas_and_the_new_year():
    # Tuesday 24 December 2019 + 1 working day: not Christmas, Boxing Day or the weekend.
    assert add_working_days(date(2019, 12, 24), 1) == date(2019, 12, 27)
    assert add_working_days(date(2019, 12, 27), 1) == date(2019, 12, 30)
    assert add_working_days(date(2019, 12, 31), 1) == date(2020, 1, 2)
    assert add_working_days(date(2020, 1, 2), -3) == date(2019, 12, 27)


def test_it_skips_easter():
    # Thursday 18 April 2019 + 1: Good Friday and Easter Monday are bank holidays.
    assert add_working_days(date(2019, 4, 18), 1) == date(2019, 4, 23)
    assert working_days_between(date(2019, 4, 18), date(2019, 4, 23)) == 1


def test_ten_working_days_after_a_quarter_ends():
    assert add_working_days(date(2019, 9, 30), 10) == date(2019, 10, 14)
    assert add_working_days(date(2019, 12, 31), 10) == date(2020, 1, 15)


def test_zero_days_rolls_forward_to_a_working_day():
    assert add_working_days(date(2019, 12, 25), 0) == date(2019, 12, 27)
    assert add_working_days(date(2019, 12, 27), 0) == date(2019, 12, 27)


@given(days, counts)
def test_it_never_lands_on_a_weekend_or_bank_holiday(start, count):
    landed = add_working_days(start, count)
    assert landed.weekday() < 5
    assert landed not in bank_holidays(landed.year)


@given(days, st.integers(min_value=1, max_value=40))
def test_counting_forward_gives_back_the_count(start, count):
    landed = add_working_days(start, count)
    assert landed > start
    assert working_days_between(start, landed) == count
    # and no working day is skipped: the day before is fewer working days away
    assert working_days_between(start, landed - timedelta(days=1)) == count - 1


@given(days, st.integers(min_value=1, max_value=40))
def test_counting_back_from_a_working_day_gives_back_the_count(start, count):
    start = next_working_day(start)
    landed = add_working_days(start, -count)
    assert landed < start
    assert working_days_between(landed, start) == count
    assert add_working_days(landed, count) == start


@given(days, days)
def test_counting_between_is_antisymmetric_and_bounded(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert abs(working_days_between(a, b)) <= abs((b - a).days)


@given(days, counts, counts)
def test_adding_in_two_steps_is_adding_once_forward(start, first, second):
    first, second = abs(first) + 1, abs(second) + 1
    assert add_working_days(add_working_days(start, first), second) == add_working_days(
        start, first + second
    )


def test_a_deadline_says_when_it_is_due_and_how_late():
    deadline = Deadline(date(2019, 12, 23))  # a Monday
    assert deadline.describe(date(2019, 12, 20)) == "due by 23 December 2019"
    assert deadline.describe(date(2019, 12, 23)) == "due today, 23 December 2019"
    assert deadline.overdue_by(date(2019, 12, 24)) == 1
    assert deadline.overdue_by(date(2019, 12, 27)) == 2  # Christmas and Boxing Day are off
    assert deadline.describe(date(2019, 12, 30)) == (
        "overdue by 3 working days (due by 23 December 2019)"
    )
    assert deadline.describe(date(2019, 12, 24)).startswith("overdue by 1 working day ")


@given(days, days)
def test_a_deadline_is_overdue_only_after_it(due, today):
    overdue = Deadline(due).overdue_by(today)
    assert overdue >= 0
    assert (overdue > 0) == (working_days_between(due, today) > 0)
    assert ("overdue" in Deadline(due).describe(today)) == (overdue > 0)


def test_the_three_steps_fall_on_working_days_around_christmas():
    steps = ReminderSteps(before=5, after=3)
    due = date(2020, 1, 2)  # Thursday after New Year's Day
    assert steps.days(due) == {
        Step.BEFORE: date(2019, 12, 23),  # back over New Year's Day, Boxing Day and Christmas
        Step.DUE: due,
        Step.OVERDUE: date(2020, 1, 7),
    }
    assert steps.step_on(due, date(2019, 12, 20)) is None
    assert steps.step_on(due, date(2019, 12, 23)) == Step.BEFORE
    assert steps.step_on(due, date(2020, 1, 1)) == Step.BEFORE
    assert steps.step_on(due, date(2020, 1, 2)) == Step.DUE
    assert steps.step_on(due, date(2020, 1, 6)) == Step.DUE
    assert steps.step_on(due, date(2020, 1, 7)) == Step.OVERDUE
    assert steps.step_on(due, date(2020, 6, 1)) == Step.OVERDUE


def test_a_step_can_be_turned_off():
    steps = ReminderSteps(before=0, on_due_date=False, after=2)
    assert list(steps.days(date(2020, 1, 2))) == [Step.OVERDUE]
    assert steps.step_on(date(2020, 1, 2), date(2020, 1, 3)) is None
    with pytest.raises(ValueError):
        ReminderSteps(before=-1)


@given(days, st.integers(0, 15), st.booleans(), st.integers(0, 15))
def test_steps_fall_in_order_on_working_days(due, before, on_due, after):
    due = next_working_day(due)
    steps = ReminderSteps(before=before, on_due_date=on_due, after=after)
    falls = list(steps.days(due).values())
    assert falls == sorted(falls)
    assert all(is_working_day(day) for day in falls)
    for step, day in steps.days(due).items():
        assert steps.step_on(due, day) == step


def test_a_deadline_can_be_described_briefly():
    deadline = Deadline(date(2020, 1, 15))
    assert deadline.describe(date(2020, 1, 2), short=True) == "due by 15 Jan 2020"
    assert deadline.describe(date(2026, 11, 25), short=True).startswith("overdue by 1,")


@given(days, st.integers(min_value=0, max_value=800))
def test_counting_between_is_counting_day_by_day(start, span):
    end = start + timedelta(days=span)
    by_day = sum(1 for i in range(1, span + 1) if is_working_day(start + timedelta(days=i)))
    assert working_days_between(start, end) == by_day
