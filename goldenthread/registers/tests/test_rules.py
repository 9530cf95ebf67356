"""Pure rules: the column sets, quarters and their addresses, cells read and written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.registers import rules

# The published column sets: the Code's fields, with the LGA schema's titles where known.
# A change here changes every file councils and the public have downloaded.
LGA_CONTRACT_COLUMNS = [
    "Organisation name",
    "Organisation GSS code",
    "Contract reference number",
    "Title of agreement",
    "Department responsible",
    "Description of goods and services",
    "Supplier name",
    "Supplier registered company number",
    "Supplier registered charity number",
    "SME supplier",
    "VCSE supplier",
    "Contract value",
    "Irrecoverable VAT",
    "Contract start date",
    "End date",
    "Review date",
    "Procurement route",
    "Redacted fields",
    "Redaction reason",
]
LGA_GRANT_COLUMNS = [
    "Organisation name",
    "Organisation GSS code",
    "Grant reference",
    "Date the grant was awarded",
    "Grant period start date",
    "Grant period end date",
    "Department awarding the grant",
    "Beneficiary",
    "Beneficiary registration number",
    "Summary of the purpose of the grant",
    "Amount",
    "Redacted fields",
    "Redaction reason",
]


def test_the_contract_columns_are_the_published_set():
    assert rules.CONTRACT_COLUMNS == LGA_CONTRACT_COLUMNS


def test_the_grant_columns_are_the_published_set():
    assert rules.GRANT_COLUMNS == LGA_GRANT_COLUMNS


def test_every_redactable_field_names_a_column():
    assert set(rules.CONTRACT_REDACTABLE.values()) <= set(rules.CONTRACT_COLUMNS)
    assert set(rules.GRANT_REDACTABLE.values()) <= set(rules.GRANT_COLUMNS)


@given(st.integers(2000, 2098), st.integers(1, 4))
def test_a_quarter_address_reads_back_as_its_quarter(year, number):
    quarter = PeriodKey(year, PeriodKind.QUARTER, number)
    assert rules.parse_quarter_slug(rules.quarter_slug(quarter)) == quarter


def test_a_quarter_address_looks_like_the_financial_year():
    assert rules.quarter_slug(PeriodKey(2019, PeriodKind.QUARTER, 2)) == "2019-20-Q2"
    assert rules.quarter_slug(PeriodKey(2099, PeriodKind.QUARTER, 4)) == "2099-00-Q4"


@pytest.mark.parametrize(
    "slug",
    [
        "2019-20-Q5",
        "2019-20-Q0",
        "2019-21-Q1",
        "2019-20",
        "19-20-Q1",
        "2019-20-q1",
        "1999-00-Q1",
        "2019-20-Q1 ",
        "",
        "2019–20-Q1",
    ],
)
def test_a_bad_quarter_address_is_refused(slug):
    with pytest.raises(rules.QuarterError):
        rules.parse_quarter_slug(slug)


@given(st.dates(date(2000, 4, 1), date(2099, 3, 31)))
def test_every_day_is_in_the_quarter_that_contains_it(day):
    quarter = rules.quarter_of(day)
    assert quarter.start <= day <= quarter.end


Q1 = PeriodKey(2019, PeriodKind.QUARTER, 1)  # 1 April to 30 June 2019


@pytest.mark.parametrize(
    ("starts", "ends", "live"),
    [
        (date(2019, 6, 30), None, True),  # starts on the quarter's last day
        (date(2019, 7, 1), None, False),  # starts the day after
        (date(2018, 1, 1), date(2019, 4, 1), True),  # ends on its first day
        (date(2018, 1, 1), date(2019, 3, 31), False),  # ended the day before
        (date(2018, 1, 1), None, True),  # no end date: still running
    ],
)
def test_a_contract_is_in_each_quarter_it_ran_in(starts, ends, live):
    assert rules.live_in(Q1, starts, ends) is live


@given(st.dates(date(2000, 4, 1), date(2098, 1, 1)), st.integers(0, 2000))
def test_a_contract_is_in_the_quarters_of_its_first_and_last_day(starts, days):
    ends = starts + timedelta(days=days)
    assert rules.live_in(rules.quarter_of(starts), starts, ends)
    assert rules.live_in(rules.quarter_of(ends), starts, ends)
    assert not rules.live_in(rules.quarter_of(starts).previous(), starts, ends)
    assert not rules.live_in(rules.quarter_of(ends).next(), starts, ends)


def test_only_contracts_over_5000_are_published():
    assert not rules.published(Decimal("5000.00"))
    assert rules.published(Decimal("5000.01"))


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("25000", "25000.00"),
        ("25,000.50", "25000.50"),
        ("£1,250,000", "1250000.00"),
        (25000, "25000.00"),
        (1234.5, "1234.50"),
        (Decimal("7.1"), "7.10"),
    ],
)
def test_amounts_are_read_as_pounds(cell, amount):
    assert rules.parse_money(cell) == Decimal(amount)


@pytest.mark.parametrize("cell", ["-5", "12.345", "ten pounds", "1,00", True, "=1+1"])
def test_bad_amounts_are_refused(cell):
    with pytest.raises(rules.CellError):
        rules.parse_money(cell)


@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_an_amount_written_as_open_data_reads_back_the_same(amount):
    text = rules.money_text(amount)
    assert "£" not in text and "," not in text
    assert rules.parse_money(text) == amount


def test_dates_are_read_in_iso_8601_or_as_written_in_england():
    assert rules.parse_date("2019-07-01") == date(2019, 7, 1)
    assert rules.parse_date("01/07/2019") == date(2019, 7, 1)
    with pytest.raises(rules.CellError):
        rules.parse_date("07/31/2019")


def test_text_loses_only_the_apostrophe_our_exports_put_before_a_formula():
    assert rules.text_cell('\'=HYPERLINK("x")') == '=HYPERLINK("x")'
    assert rules.text_cell("O'Brien's") == "O'Brien's"
    assert rules.text_cell("'quoted'") == "'quoted'"


def test_a_redaction_names_columns_and_needs_a_reason():
    found = rules.parse_redaction("Supplier name", "Personal data", rules.CONTRACT_REDACTABLE)
    assert found == rules.Redaction(("supplier_name",), "Personal data")
    with pytest.raises(rules.CellError):
        rules.parse_redaction("Supplier name", "", rules.CONTRACT_REDACTABLE)
    with pytest.raises(rules.CellError):
        rules.parse_redaction("Contract value", "Secret", rules.CONTRACT_REDACTABLE)
