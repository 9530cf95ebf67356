"""The scorecard: each line's target, year to date, year figure and directions."""

from __future__ import annotations

from decimal import Decimal

from goldenthread.core.models import Period
from goldenthread.performance import reading
from goldenthread.performance.models import Target
from goldenthread.performance.tests.factories import IndicatorFactory, actual

D = Decimal


def line(indicator, period: str, partner=None) -> reading.Line:
    (found,) = reading.lines([indicator], Period.objects.for_code(period), partner=partner)
    return found


def test_a_partners_own_target_overrides_the_one_written_for_all(nndr, partners):
    Target.objects.create(indicator=nndr, year=2019, partner=partners["LBN"], text="99.0%")
    actual(nndr, "2019/20 Q1", "99.2", partners["LBN"])
    lbn = line(nndr, "2019/20 Q1", partners["LBN"])
    assert (lbn.target_text, lbn.status.label) == ("99.0%", "Green")
    assert line(nndr, "2019/20 Q1", partners["LBH"]).target_text == "98.70%"


def test_a_weighted_year_to_date_uses_the_denominators(ict):
    claims = IndicatorFactory(
        service=ict, unit="days", polarity="lower", ytd_rule="weighted", target="20 days"
    )
    actual(claims, "2019/20 Q1", 30, denominator=D(100))
    actual(claims, "2019/20 Q2", 10, denominator=D(300))
    assert line(claims, "2019/20 Q2").year_to_date == D(15)  # (3000 + 3000) / 400


def test_a_missing_denominator_falls_back_to_the_plain_average(ict):
    claims = IndicatorFactory(service=ict, unit="days", polarity="lower", ytd_rule="weighted")
    actual(claims, "2019/20 Q1", 30, denominator=D(100))
    actual(claims, "2019/20 Q2", 10)
    assert line(claims, "2019/20 Q2").year_to_date == D(20)


def test_a_years_figure_is_made_from_its_quarters(ict):
    savings = IndicatorFactory(service=ict, unit="money", ytd_rule="sum", target="TBC")
    for number, value in enumerate([100, 200, 300], start=1):
        actual(savings, f"2019/20 Q{number}", value)
    year = line(savings, "2019/20")
    assert (year.figure, year.status.label) == (D(600), "No RAG")
    assert "to be confirmed (TBC)" in year.assessment.reason


def test_a_cumulative_figure_compares_its_run_rate_with_last_quarter(nndr, partners):
    nndr.annual_target = True
    nndr.save()
    actual(nndr, "2018/19 Q4", "97.0", partners["LBH"])
    actual(nndr, "2019/20 Q1", "24.5", partners["LBH"])  # runs at 98% a year
    lbh = line(nndr, "2019/20 Q1", partners["LBH"])
    assert lbh.short_term.word == "Improved"
    # 24.675% was due after 1 of 4 quarters: 0.175 points short, within the 1-point tolerance.
    assert lbh.status.label == "Amber"
