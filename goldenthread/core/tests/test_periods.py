from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.core.periods import (
    PeriodError,
    PeriodKey,
    PeriodKind,
    parse_period,
    period_containing,
    revised_date_label,
)

keys = st.builds(
    lambda year, kind, n: PeriodKey(
        year, kind, n % {"year": 1, "half": 2, "quarter": 4, "month": 12}[kind.value] + 1
    ),
    st.integers(2000, 2090),
    st.sampled_from(list(PeriodKind)),
    st.integers(0, 1000),
)


def test_it_labels_a_quarter_as_the_papers_do():
    q1 = parse_period("2019/20 Q1")
    assert q1.code == "2019/20 Q1"
    assert q1.long_label == "Quarter 1: April to June 2019"
    assert (q1.start, q1.end) == (date(2019, 4, 1), date(2019, 6, 30))


def test_it_labels_the_last_quarter_across_the_new_year():
    q4 = parse_period("2019/20 Q4")
    assert q4.long_label == "Quarter 4: January to March 2020"
    assert q4.end == date(2020, 3, 31)


def test_it_counts_months_from_april():
    assert parse_period("2018/19 P1").long_label == "Period 1: April 2018"
    assert parse_period("2018/19 P11").start == date(2019, 2, 1)
    assert parse_period("2018/19 H2").long_label == "Half-year 2: October 2018 to March 2019"


def test_it_derives_the_current_period_from_a_date():
    assert period_containing(date(2019, 7, 12)).code == "2019/20 Q2"
    assert period_containing(date(2020, 3, 31)).code == "2019/20 Q4"
    assert period_containing(date(2020, 2, 1), PeriodKind.MONTH).code == "2019/20 P11"
    assert period_containing(date(2019, 4, 1), PeriodKind.YEAR).code == "2019/20"


@pytest.mark.parametrize("text", ["2019/21 Q1", "2019/20 Q5", "Q1 2019", "", "2019/20 P13"])
def test_it_refuses_what_is_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_it_prints_a_revised_deadline_with_the_original_in_brackets():
    assert revised_date_label(date(2016, 3, 31), date(2015, 10, 31)) == "Mar-16 (Oct-15)"
    assert revised_date_label(date(2016, 3, 31), None) == "Mar-16"
    assert revised_date_label(date(2016, 3, 31), date(2016, 3, 31)) == "Mar-16"


@given(keys)
def test_periods_chain_without_gaps(key):
    assert key.next().start.toordinal() == key.end.toordinal() + 1
    assert key.next().previous() == key
    assert parse_period(key.code) == key


@given(keys, st.dates(date(2000, 4, 1), date(2090, 3, 31)))
def test_the_period_containing_a_date_contains_it(key, day):
    found = period_containing(day, key.kind)
    assert found.contains(day)
    assert found.same_period_last_year().year == found.year - 1
