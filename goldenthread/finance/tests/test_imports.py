"""Sheets in: checked row by row, all or nothing, totals computed and typed totals checked."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from goldenthread.core.models import AuditEntry
from goldenthread.finance import imports, tracker
from goldenthread.finance.imports import SheetKind, SheetRefused
from goldenthread.finance.models import BudgetLine, Forecast, FundingShare, SavingsAmount

pytestmark = pytest.mark.django_db


def rows(text: str) -> list[imports.Row]:
    return imports.read_rows("sheet.csv", text.encode("utf-8"))


def load(kind: SheetKind, text: str, admin, **options) -> imports.ImportResult:
    return imports.load_rows(kind, rows(text), by=admin, **options)


def refused(kind: SheetKind, text: str, admin, **options) -> list[str]:
    with pytest.raises(SheetRefused) as caught:
        load(kind, text, admin, **options)
    return [str(p) for p in caught.value.problems]


def test_a_savings_total_that_disagrees_names_the_row_and_the_difference(money, people):
    problems = refused(
        SheetKind.SAVINGS,
        "Existing Future Years Savings,2020/21,2021/22,2022/23,Total\n"
        "Sale of oneSource services,-64000,-279000,214000,-557000\n",
        people["admin"],
    )
    assert problems == [
        "Row 2 (Sale of oneSource services), Total: the total given is (£557,000) but the "
        "parts add up to (£129,000): a difference of (£428,000)."
    ]


def test_a_total_row_that_disagrees_names_the_column(money, people):
    problems = refused(
        SheetKind.SAVINGS,
        "19/20 Savings,Havering,Newham,Bexley,Total\n"
        "Reduction in support,-100000,-150000,,-250000\n"
        "TOTAL,-100000,-160000,-,-250000\n",
        people["admin"],
    )
    assert problems == [
        "Row 3 (Total), Newham: the total given is (£160,000) but the parts add up to "
        "(£150,000): a difference of (£10,000)."
    ]


def test_a_percentage_row_that_disagrees_is_refused(money, people):
    problems = refused(
        SheetKind.SAVINGS,
        "19/20 Savings,Havering,Newham,Bexley,Total\n"
        "Reduction in support,-100000,-150000,,-250000\n"
        "%,50%,60%,0%,\n",
        people["admin"],
    )
    assert problems[0].startswith("Row 3 (%), Havering: the share given is 50% but")


def test_one_bad_row_loads_nothing_at_all(money, people):
    before = SavingsAmount.objects.count()
    problems = refused(
        SheetKind.SAVINGS,
        "19/20 Savings,Havering,Newham,Bexley,Total\n"
        "Reduction in support,-100000,-150000,,-250000\n"
        "General Efficiency,-125000,lots,,\n",
        people["admin"],
    )
    assert problems == ["Row 3 (General Efficiency), Newham: 'lots' is not an amount of money."]
    assert SavingsAmount.objects.count() == before


def test_the_year_comes_from_the_first_heading_and_blank_totals_are_filled(money, people):
    load(
        SheetKind.SAVINGS,
        "19/20 Savings,Havering,Newham,Bexley,Total\nEnforcement Income,-67000,,,\n",
        people["admin"],
    )
    year = tracker.savings().year(2019)
    totals = {item.title: year.item_total(amounts) for item, amounts in year.items}
    assert totals["Enforcement Income"] == Decimal(-67000)


def test_partners_savings_must_agree_with_the_items_of_the_year(money, people):
    admin = people["admin"]
    load(SheetKind.SAVINGS, "Item,2020/21,Total\nGeneral Efficiency,-250000,-250000\n", admin)
    problems = refused(
        SheetKind.SAVINGS, "Year,Havering,Newham,Total\n2020/21,-100000,-100000,-200000\n", admin
    )
    assert (
        "the savings items add up to (£250,000) but the partners' savings add up to"
        in (problems[0])
    )
    load(SheetKind.SAVINGS, "Year,Havering,Newham,Total\n2020/21,-100000,-150000,-250000\n", admin)
    shares = tracker.savings().year(2020).percentages
    assert {p.code: v for p, v in shares.items()} == {"LBH": 40, "LBN": 60, "LBB": 0}


def test_a_budget_variance_that_disagrees_with_budget_and_outturn_is_refused(money, people):
    problems = refused(
        SheetKind.BUDGET,
        "Year,Cost area,Partner,Budget,Outturn,Variance\n2019/20,ICT,,1000,900,-50\n",
        people["admin"],
    )
    assert (
        problems
        == [
            "Row 2 (2019/20), Variance: the variance given is (£50) but the figures give (£100): "
            "a difference of £50."
        ]
        or "difference of £50" in problems[0]
    )


def test_a_budget_sheet_names_unknown_areas_and_partners(money, people):
    problems = refused(
        SheetKind.BUDGET,
        "Year,Cost area,Partner,Budget\n2019/20,Catering,,10\n2019/20,ICT,Narnia,10\n",
        people["admin"],
    )
    assert problems == [
        "Row 2, Cost area: “Catering” is not a cost area.",
        "Row 3, Partner: “Narnia” is not a partner council.",
    ]


def test_a_partner_cannot_hold_a_part_of_a_service_it_does_not_take(money, people):
    problems = refused(
        SheetKind.BUDGET,
        "Year,Cost area,Partner,Budget\n2020/21,ICT,Bexley,10\n",
        people["admin"],
    )
    assert problems == ["Row 2 (ICT), Partner: Bexley does not take ICT."]


def test_a_budget_total_row_is_checked_against_the_lines(money, people):
    problems = refused(
        SheetKind.BUDGET,
        "Year,Cost area,Partner,Budget\n2020/21,ICT,,£1.2m\n2020/21,HROD,,£0.3m\nTotal,,,£1.6m\n",
        people["admin"],
    )
    assert (
        problems
        == [
            "Row 4 (Total), Budget: the total given is £1,600,000 but the parts add up to "
            "£1,500,000: a difference of £100,000."
        ]
        or "(£1,200,000)" in problems[0]
    )


def test_forecasts_load_for_a_period_and_are_audited(money, people):
    load(
        SheetKind.FORECAST,
        "Year,Period,Cost area,Partner,Forecast\n2019/20,P6,ICT,,1100000\n",
        people["admin"],
    )
    forecast = Forecast.objects.get(line=money["lines"]["ict"], period__number=6)
    assert forecast.variance == Decimal(100000)
    assert AuditEntry.objects.filter(object_id=forecast.pk, verb="created").exists()


def test_a_forecast_needs_a_real_period(money, people):
    problems = refused(
        SheetKind.FORECAST,
        "Year,Period,Cost area,Partner,Forecast\n2019/20,P13,ICT,,1\n",
        people["admin"],
    )
    assert problems == ["Row 2 (ICT), Period: 'P13': a period is P1 to P12."]


def test_the_same_line_twice_is_refused(money, people):
    problems = refused(
        SheetKind.BUDGET,
        "Year,Cost area,Partner,Budget\n2020/21,ICT,,1\n2020/21,ICT,,2\n",
        people["admin"],
    )
    assert problems == ["Row 3 (ICT): This line is already on row 2."]


def test_formula_shares_must_add_up_to_100_and_respect_the_services_taken(money, people):
    problems = refused(
        SheetKind.FORMULA,
        "Year,Cost area,Havering,Newham,Bexley,Total\n"
        "2020/21,ICT,40,50,10,100\n"
        "2020/21,HROD,40,50,,100\n",
        people["admin"],
    )
    assert problems[0] == "Row 2 (ICT), Bexley: Bexley does not take ICT, so cannot share its cost."
    assert problems[1].startswith("Row 3 (HROD), Total: the total given is 100% but the shares")


def test_a_formula_sheet_sets_the_years_shares(money, people):
    load(SheetKind.FORMULA, "Year,Cost area,LBH,LBN\n2020/21,ICT,45.5,54.5\n", people["admin"])
    shares = dict(FundingShare.objects.filter(year=2020).values_list("partner__code", "share"))
    assert shares == {"LBH": Decimal("45.5"), "LBN": Decimal("54.5")}


def test_an_excel_workbook_is_read_like_a_csv(money, people):
    book = Workbook()
    sheet = book.active
    sheet.append(["Year", "Cost area", "Partner", "Budget", "Outturn"])
    sheet.append(["2020/21", "ICT", None, 1250000, 1200000.5])
    buffer = io.BytesIO()
    book.save(buffer)
    imports.load_file(SheetKind.BUDGET, "budget.xlsx", buffer.getvalue(), by=people["admin"])
    line = BudgetLine.objects.get(year=2020, cost_area__code="ICT")
    assert line.variance == Decimal("-49999.50")


def test_a_file_that_is_neither_csv_nor_excel_is_refused(money, people):
    with pytest.raises(SheetRefused, match="Upload a .csv or .xlsx file"):
        imports.load_file(SheetKind.BUDGET, "budget.pdf", b"%PDF", by=people["admin"])


def test_a_csv_that_is_not_utf8_is_refused(money, people):
    with pytest.raises(SheetRefused, match="not UTF-8"):
        imports.load_file(SheetKind.BUDGET, "b.csv", "Year,£".encode("cp1252"), by=people["admin"])
