"""Bulk uploads: every row checked, errors by row and column, nothing saved unless all valid."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from goldenthread.core.models import AuditEntry, Period
from goldenthread.performance import imports
from goldenthread.performance.models import Actual, ComparatorValue
from goldenthread.performance.tests.factories import IndicatorFactory, actual

HEAD = "Indicator ref,Partner,Period,Actual,Reason,Remedial action\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEAD + "\n".join(rows) + "\n").encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Indicator ref", "Partner", "Period", "Actual", "Reason", "Remedial action"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot() -> tuple:
    return (
        list(Actual.objects.order_by("pk").values_list("pk", "value", "version")),
        AuditEntry.objects.count(),
        Period.objects.count(),
    )


def test_a_bad_upload_is_refused_whole_with_row_and_column_messages(
    availability, nndr, people, partners
):
    actual(availability, "2019/20 Q1", 95)  # already there: must stay untouched
    before = snapshot()
    content = csv_bytes(
        "ET-06,LBH,2019/20 Q1,98.9,,",  # valid
        "ICT-02,,2019/20 Q1,ninety-five,,",  # text in a numeric column
        "ICT-99,,2019/20 Q1,95,,",  # unknown indicator ref
        "ET-06,LBN,2020/21 Q1,99.1,,",  # a period outside the year
        "ET-06,LBN,2019/20 Q2,99.7,,",  # valid
    )
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_actuals("actuals.csv", content, year=2019, by=people["admin"])
    messages = [str(e) for e in refused.value.errors]
    assert messages == [
        "Row 3, column D (Actual): “ninety-five” is not a number.",
        "Row 4, column A (Indicator ref): There is no indicator “ICT-99”.",
        "Row 5, column C (Period): 2020/21 Q1 is outside the financial year 2019/20.",
    ]
    assert snapshot() == before  # nothing saved, not even the valid rows


def test_a_good_upload_saves_every_row_audited(availability, nndr, people, partners):
    content = csv_bytes(
        "ICT-02,,2019/20 Q1,95.5%,,",
        "ET-06,LBH,2019/20 Q1,98.9,,",
        "ET-06,lbn,2019/20 Q1,97,Billing system migration.,Recovery team extended.",
    )
    assert imports.import_actuals("actuals.csv", content, year=2019, by=people["admin"]) == 3
    lbn = Actual.objects.get(indicator=nndr, partner=partners["LBN"])
    assert (lbn.value, lbn.reason, lbn.entered_by) == (
        Decimal(97),
        "Billing system migration.",
        people["admin"],
    )
    assert AuditEntry.objects.filter(verb="created", by=people["admin"]).count() == 3


def test_an_excel_upload_is_read_like_a_csv(availability, people):
    content = xlsx_bytes([["ICT-02", None, "2019/20 Q2", 93.25, None, None]])
    assert imports.import_actuals("q2.xlsx", content, year=2019, by=people["lead"]) == 1
    assert Actual.objects.get().value == Decimal("93.25")


def test_a_red_row_without_explanation_names_both_columns(availability, people):
    content = csv_bytes("ICT-02,,2019/20 Q1,60,,")
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_actuals("a.csv", content, year=2019, by=people["admin"])
    assert [(e.row, e.column) for e in refused.value.errors] == [
        (2, "E (Reason)"),
        (2, "F (Remedial action)"),
    ]


def test_a_lead_may_upload_only_their_own_indicators(availability, nndr, people):
    content = csv_bytes("ET-06,LBH,2019/20 Q1,99,,")
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_actuals("a.csv", content, year=2019, by=people["lead"])
    assert "not one of your indicators" in refused.value.errors[0].message
    assert not Actual.objects.exists()


def test_the_same_line_twice_and_unknown_partners_are_refused(nndr, people):
    content = csv_bytes(
        "ET-06,LBH,2019/20 Q1,99,,",
        "ET-06,LBH,2019/20 Q1,98,,",
        "ET-06,XYZ,2019/20 Q1,98,,",
        "ET-06,LBB,2019/20 Q1,98,,",
    )
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_actuals("a.csv", content, year=2019, by=people["admin"])
    assert [str(e) for e in refused.value.errors] == [
        "Row 3: ET-06 2019/20 Q1 LBH is also on row 2.",
        "Row 4, column B (Partner): There is no partner “XYZ”.",
        "Row 5, column B (Partner): ET-06 is reported for LBH/LBN, not LBB.",
    ]


def test_missing_headings_and_wrong_files_are_named(people):
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_actuals(
            "a.csv", b"Ref,Period\nICT-02,2019/20 Q1\n", year=2019, by=people["admin"]
        )
    assert [e.message for e in refused.value.errors] == [
        "The heading row has no “partner” column.",
        "The heading row has no “actual” column.",
    ]
    with pytest.raises(imports.UploadRefused, match="1 problem"):
        imports.import_actuals("a.txt", b"x", year=2019, by=people["admin"])


def test_lg_inform_comparators_are_imported_and_replaced(nndr, people):
    content = b"Area code,Area name,Period,Value\nE09000016,Havering,2018/19,97.1\n"
    content += b"E09000002,Barking and Dagenham,2018/19,96.0\n"
    assert imports.import_benchmarks(nndr, "lg.csv", content, by=people["admin"]) == 2
    again = b"area_code,period,value\nE09000016,2018/19,97.4\n"
    imports.import_benchmarks(nndr, "lg.csv", again, by=people["admin"])
    assert ComparatorValue.objects.get(area_code="E09000016").value == Decimal("97.4")
    assert ComparatorValue.objects.count() == 2


def test_a_bad_comparator_file_saves_nothing(nndr, people):
    content = b"Area code,Period,Value\nE09000016,2018/19,high\n,2018/19,95\n"
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_benchmarks(nndr, "lg.csv", content, by=people["admin"])
    assert [str(e) for e in refused.value.errors] == [
        "Row 2, column C (Value): “high” is not a number.",
        "Row 3, column A (Area code): Enter the area code.",
    ]
    assert not ComparatorValue.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_row_for_a_period_the_indicator_is_not_due_is_refused_whole(
    availability, ict, people, kind
):
    IndicatorFactory(ref="SI-1", service=ict, frequency="biannual", target="80%")
    rows = [
        ["ICT-02", None, "2019/20 Q1", 95, None, None],  # valid
        ["SI-1", None, "2019/20 Q1", 85, None, None],  # biannual: not due in Q1
        ["SI-1", None, "2019/20 Q2", 85, None, None],  # valid
        ["SI-1", None, "2019/20 P6", "n/a", None, None],  # a month, and not a number
    ]
    if kind == "csv":
        content = csv_bytes(*(",".join("" if c is None else str(c) for c in r) for r in rows))
    else:
        content = xlsx_bytes(rows)
    before = snapshot()
    with pytest.raises(imports.UploadRefused) as refused:
        imports.import_actuals(f"a.{kind}", content, year=2019, by=people["admin"])
    assert [str(e) for e in refused.value.errors] == [
        "Row 3, column C (Period): SI-1 is reported twice a year, so is not due for "
        "2019/20 Q1: enter its actual for Q2 and Q4 (the half-year ends) or H1 and H2.",
        "Row 5, column C (Period): SI-1 is reported twice a year, so is not due for "
        "2019/20 P6: enter its actual for Q2 and Q4 (the half-year ends) or H1 and H2.",
        "Row 5, column D (Actual): “n/a” is not a number.",
    ]
    assert snapshot() == before  # nothing saved, not even the valid rows
