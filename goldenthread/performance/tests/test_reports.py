"""The exception and strategic reports as documents, and the exception report in Word."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument

from goldenthread.core.periods import parse_period
from goldenthread.documents.model import ReportRequest, RowKind, Tone
from goldenthread.documents.render import render
from goldenthread.performance import reading, reports
from goldenthread.performance.tests.factories import ForumFactory, IndicatorFactory, actual


@pytest.fixture
def quarter(availability, nndr, partners):
    """Q1 2019/20: ICT-02 amber, ET-06 red for Havering and green for Newham."""
    actual(availability, "2018/19 Q1", 90)
    actual(availability, "2018/19 Q4", 92)
    actual(availability, "2019/20 Q1", 87, reason="Patching overran.", remedial_action="")
    actual(nndr, "2019/20 Q1", 96, partners["LBH"], reason="Appeals.", remedial_action="Chase.")
    actual(nndr, "2019/20 Q1", 99.7, partners["LBN"])
    return "2019/20 Q1"


def exception_report(user, subject="S151", period="2019/20 Q1"):
    return reports.build_exception_report(ReportRequest(subject=subject, period=period, user=user))


def test_off_target_lines_are_shown_in_full_grouped_by_service(quarter, people):
    document = exception_report(people["admin"])
    table = next(t for t in document.tables if t.name == "Exceptions")
    assert [c.title for c in table.columns] == [
        "Ref",
        "Indicator",
        "Partner",
        "Target",
        "Actual",
        "Status",
        "Since last period",
        "Since last year",
        "Reason for performance",
        "Remedial action",
    ]
    assert [(r.kind, r.cells[0].text) for r in table.rows] == [
        (RowKind.GROUP, "ICT"),
        (RowKind.BODY, "ICT-02"),
        (RowKind.GROUP, "Exchequer & Transactional"),
        (RowKind.BODY, "ET-06"),
    ]
    ict = [c.text for c in table.rows[1].cells]
    assert ict == [
        "ICT-02",
        "% of system availability",
        "oneSource",
        ">90%",
        "87%",
        "Amber",
        "▼ Worse",
        "▼ Worse",
        "Patching overran.",
        "",
    ]
    assert table.rows[1].cells[5].tone is Tone.AMBER
    assert table.rows[3].cells[2].text == "LBH" and table.rows[3].cells[5].tone is Tone.RED


def test_the_rest_are_counted_by_status_per_service(quarter, people):
    summary = next(t for t in exception_report(people["admin"]).tables if t.name == "Summary")
    counts = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows}
    # Green, Amber, Red, No RAG, No actual, Total
    assert counts["ICT"] == ["0", "1", "0", "0", "0", "1"]
    assert counts["Exchequer & Transactional"] == ["1", "0", "1", "0", "0", "2"]
    assert counts["All services"] == ["1", "1", "1", "0", "0", "3"]
    assert summary.rows[-1].kind is RowKind.TOTAL


def test_a_partners_report_keeps_its_own_and_whole_service_lines(quarter, people):
    document = exception_report(people["admin"], subject="S151:LBN")
    table = next(t for t in document.tables if t.name == "Exceptions")
    assert [r.cells[0].text for r in table.rows if r.kind is RowKind.BODY] == ["ICT-02"]
    assert "Newham" in document.subtitle


def test_a_reader_cannot_ask_for_another_partners_report(quarter, people):
    with pytest.raises(reports.ReportError):
        exception_report(people["reader"], subject="S151:LBH")
    subjects = dict(reports.forum_subjects(people["reader"]))
    assert "S151:LBB" in subjects and "S151:LBH" not in subjects


def test_each_exception_has_a_trend_chart_with_its_target(quarter, people):
    document = exception_report(people["admin"])
    charts = [b for s in document.sections for b in s.blocks if type(b).__name__ == "Chart"]
    ict = next(c for c in charts if c.title.startswith("ICT-02"))
    assert ict.kind == "line" and ict.target == 90.0
    assert ict.categories == (
        "2018/19 Q1",
        "2018/19 Q4",
        "2019/20 Q1",
    )  # periods without figures are left out
    assert "2019/20 Q1 87%" in ict.description and "target >90%" in ict.description


def test_the_strategic_report_gives_the_years_figure_and_partners_side_by_side(
    people, nndr, partners
):
    nndr.level = "strategic"
    nndr.save()
    nndr.forums.add(ForumFactory(code="JC", name="oneSource Joint Committee"))
    for number, (lbh, lbn) in enumerate([(30, 31), (55, 56), (80, 81), (98.9, 99.2)], start=1):
        actual(nndr, f"2019/20 Q{number}", lbh, partners["LBH"])
        actual(
            nndr,
            f"2019/20 Q{number}",
            lbn,
            partners["LBN"],
            reason="Late payers." if number == 4 else "",
            remedial_action="",
        )
    document = reports.build_strategic_report(
        ReportRequest(subject="JC", period="2019/20", user=people["admin"])
    )
    (table,) = document.tables
    rows = {r.cells[2].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["LBH"][3:6] == ["98.70%", "98.9%", "Green"]
    assert rows["LBN"][3:6] == ["99.6%", "99.2%", "Amber"]
    assert rows["LBN"][8] == "Late payers."  # the year's explanation from its last quarter
    charts = [b for s in document.sections for b in s.blocks if type(b).__name__ == "Chart"]
    side = next(c for c in charts if c.kind == "bar")
    assert [s.name for s in side.series] == ["LBH", "LBN"]


def test_the_report_kinds_are_offered_to_committee_reports(quarter):
    assert [k.code for k in reports.REPORT_KINDS] == [
        "performance.exceptions",
        "performance.strategic",
    ]
    kind = reports.REPORT_KINDS[0]
    assert ("S151", "Section 151 Forum and Strategic Commissioning Group – all partners") in (
        kind.subjects(None)
    )
    system = kind.build(ReportRequest(subject="S151", period="2019/20 Q1"))  # no user
    assert len(next(t for t in system.tables if t.name == "Exceptions").rows) == 4


def test_the_exception_report_reads_back_from_word(quarter, people):
    document = exception_report(people["admin"])
    word = WordDocument(io.BytesIO(render(document, "docx")))
    cells = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    ict = next(row for row in cells if row and row[0] == "ICT-02")
    assert ict[2:6] == ["oneSource", ">90%", "87%", "Amber"]
    assert ict[8] == "Patching overran."
    assert any(row[:1] == ["ET-06"] and "Red" in row for row in cells)


def test_an_indicator_without_figures_gives_no_exception(people, ict):
    IndicatorFactory(ref="ICT-09", service=ict, target="TBD")
    document = exception_report(people["admin"])
    assert not [t for t in document.tables if t.name == "Exceptions"]
    assert "No indicator is off target" in document.sections[1].blocks[0].text


def test_an_indicator_not_due_is_not_counted_as_no_actual(quarter, people, ict):
    IndicatorFactory(ref="SI-9", service=ict, frequency="annual", target="80%")
    IndicatorFactory(ref="T-1", service=ict, target="80%")  # quarterly, nothing entered
    document = exception_report(people["admin"])
    summary = next(t for t in document.tables if t.name == "Summary")
    counts = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows}
    # Green, Amber, Red, No RAG, No actual, Total: T-1 has no actual, SI-9 is not counted.
    assert counts["ICT"] == ["0", "1", "0", "0", "1", "2"]
    assert "1 more is not due this period" in document.sections[0].blocks[0].text


@pytest.fixture
def income(exchequer, partners):
    """AM-19: income summed over the year against £1.0m a year, for Havering."""
    return IndicatorFactory(
        ref="AM-19",
        name="Gross external income",
        unit="money",
        ytd_rule="sum",
        annual_target=True,
        tolerance_kind="relative",
        tolerance=10,
        target="£1.0m",
        partner_list=[partners["LBH"]],
        service=exchequer,
    )


def keys_of(*codes: str) -> list:
    return [parse_period(c) for c in codes]


def test_a_cumulative_target_is_charted_to_date(income, partners):
    for quarter, value in [(1, 240_000), (2, 280_000), (3, 260_000)]:
        actual(income, f"2019/20 Q{quarter}", value, partners["LBH"])
    keys = keys_of("2019/20 Q1", "2019/20 Q2", "2019/20 Q3", "2019/20 Q4")
    card = reading.Scorecard([income], [2019])
    chart = reports.trend_chart(card, income, partners["LBH"], keys)
    assert chart.categories == ("2019/20 Q1", "2019/20 Q2", "2019/20 Q3")
    assert [(s.name, s.values) for s in chart.series] == [
        ("LBH year to date", (240_000.0, 520_000.0, 780_000.0)),
        ("Target to date", (250_000.0, 500_000.0, 750_000.0)),
    ]
    assert chart.target is None  # no flat line at the whole year's £1.0m
    assert "2019/20 Q2 £520,000 against £500,000" in chart.description
    assert "£1.0m is for the whole year, shown pro rata" in chart.description


def test_a_cumulative_rate_is_charted_against_its_target_to_date(nndr, partners):
    nndr.annual_target = True
    nndr.save()
    actual(nndr, "2018/19 Q4", "97.9", partners["LBN"])
    actual(nndr, "2019/20 Q1", "24.5", partners["LBN"])
    actual(nndr, "2019/20 Q2", "49.9", partners["LBN"])
    keys = keys_of("2018/19 Q4", "2019/20 Q1", "2019/20 Q2")
    card = reading.Scorecard([nndr], [2018, 2019])
    chart = reports.trend_chart(card, nndr, partners["LBN"], keys)
    (to_date, target_line) = chart.series
    assert to_date.values == (97.9, 24.5, 49.9)  # the latest rule: the figure is to date
    assert target_line.values == (99.6, 24.9, 49.8)  # 2019/20's 99.6% for LBN, pro rata
    assert "2018/19 had no numeric target: 2019/20's is shown." in chart.description


def test_an_indicator_judged_per_period_keeps_its_flat_target_line(quarter, people):
    document = exception_report(people["admin"])
    charts = [b for s in document.sections for b in s.blocks if type(b).__name__ == "Chart"]
    ict = next(c for c in charts if c.title.startswith("ICT-02"))
    assert len(ict.series) == 1 and ict.target == 90.0
