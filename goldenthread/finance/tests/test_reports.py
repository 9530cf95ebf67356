"""The finance reports: the documents' tables carry the seed's figures, and so do Word and PDF."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest
from docx import Document as WordDocument

from goldenthread.documents.model import ReportRequest, RowKind, Table
from goldenthread.documents.render import render
from goldenthread.finance import reports
from goldenthread.finance.tests.test_demo import seed  # noqa: F401 - the demo, loaded once

pytestmark = pytest.mark.django_db
MEETING = date(2019, 7, 12)


def build(kind: str, subject: str, user=None):
    return reports.BUILDERS[kind](ReportRequest(subject, report_date=MEETING, user=user))


def table(document, caption_start: str) -> Table:
    return next(t for t in document.tables if t.caption.startswith(caption_start))


def cells(row) -> list[str]:
    return [c.text for c in row.cells]


def total_row(t: Table) -> list[str]:
    return cells(next(r for r in t.rows if r.kind is RowKind.TOTAL))


def row_named(t: Table, name: str) -> list[str]:
    return cells(next(r for r in t.rows if r.cells[0].text == name))


def test_the_outturn_report_splits_the_shared_underspend_by_partner(seed):  # noqa: F811
    document = build("outturn", "2018/19")
    shared = table(document, "Shared 2018/19 outturn by service")
    assert [c.title for c in shared.columns][-3:] == ["Havering £m", "Newham £m", "Bexley £m"]
    assert total_row(shared) == ["Total", "(0.727)", "(0.307)", "(0.418)", "(0.002)"]
    assert row_named(shared, "Legal & Governance")[4] == ""  # Bexley takes no legal service


def test_the_outturn_report_has_non_shared_per_partner_and_the_reserve_table(seed):  # noqa: F811
    document = build("outturn", "2018/19")
    non_shared = table(document, "Non-shared 2018/19 outturn")
    assert [cells(r)[2] for r in non_shared.rows][:3] == ["(0.835)", "(1.193)", "(0.445)"]
    reserve = table(document, "oneSource reserve")
    assert [c.title for c in reserve.columns][1:] == [
        "Bexley £",
        "Havering £",
        "Newham £",
        "Total £",
    ]
    assert total_row(reserve) == [
        "Closing balance as at 31 March 2019",
        "(63,112)",
        "(867,880)",
        "(995,042)",
        "(1,926,034)",
    ]


def test_the_outturn_report_charts_forecast_and_outturn_by_service(seed):  # noqa: F811
    document = build("outturn", "2018/19")
    charts = [b for s in document.sections for b in s.blocks if type(b).__name__ == "Chart"]
    assert charts and "Exchequer" in charts[0].categories
    assert "outturn (£0.916m)" in charts[0].description


def test_a_bexley_reader_gets_bexleys_figures_and_the_shared_ones_only(seed, people):  # noqa: F811
    document = build("outturn", "2018/19", user=people["reader"])
    non_shared = table(document, "Non-shared 2018/19 outturn")
    assert [cells(r)[0] for r in non_shared.rows] == ["Bexley", "Total"]
    assert total_row(table(document, "Shared 2018/19"))[1] == "(0.727)"
    reserve = table(document, "oneSource reserve")
    assert [c.title for c in reserve.columns][1:] == ["Bexley £", "Total £"]


def test_the_savings_report_prints_tables_1_to_3_as_the_seed(seed):  # noqa: F811
    document = build("savings", "2019/20")
    t1 = table(document, "Table 1")
    assert total_row(t1) == ["TOTAL", "(456,000)", "(487,000)", "-", "(943,000)"]
    assert row_named(t1, "%")[1:4] == ["48%", "52%", "0%"]
    assert row_named(t1, "Sale of oneSource services")[-1] == "(64,000)"  # filled from its parts
    t2 = table(document, "Table 2")
    assert total_row(t2) == ["TOTAL", "(1,058,000)", "(1,092,000)", "(306,000)", "(2,456,000)"]
    t3 = table(document, "Table 3")
    assert total_row(t3) == ["TOTAL", "(1,645,000)", "(811,000)", "-", "(2,456,000)"]
    assert row_named(t3, "%")[1:4] == ["67%", "33%", "0%"]


def test_the_savings_report_shows_the_split_by_contribution_and_the_gap(seed):  # noqa: F811
    document = build("savings", "2019/20")
    view = table(document, "2019/20: savings split by contribution")
    assert row_named(view, "Bexley")[2:5] == ["-", "(70,725)", "70,725"]
    assert "£9,222,000" in str(document.sections[-1].blocks)


def test_the_budget_report_has_the_base_budget(seed):  # noqa: F811
    document = build("budget", "2019/20")
    assert total_row(table(document, "Shared base budget"))[1] == "33.508"
    assert total_row(table(document, "Non-shared base budget"))[2] == "12.942"


def test_a_year_without_figures_is_a_report_error(seed):  # noqa: F811
    with pytest.raises(reports.ReportError, match="2030/31"):
        build("outturn", "2030/31")


def test_the_same_data_gives_the_same_document(seed):  # noqa: F811
    assert build("savings", "2019/20") == build("savings", "2019/20")


@pytest.fixture(scope="module")
def printed(seed, django_db_blocker):  # noqa: F811
    """The outturn and savings reports in Word and PDF, rendered once for the module."""
    files = {}
    with django_db_blocker.unblock():
        for kind, subject in (("outturn", "2018/19"), ("savings", "2019/20")):
            document = reports.BUILDERS[kind](ReportRequest(subject, report_date=MEETING))
            files[kind] = {fmt: render(document, fmt) for fmt in ("docx", "pdf")}
    return files


def word_text(data: bytes) -> str:
    word = WordDocument(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    for t in word.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize("reader", [word_text, pdf_text], ids=["word", "pdf"])
def test_the_outturn_report_reads_back_with_the_seeds_figures(printed, reader):
    content = reader(printed["outturn"]["docx" if reader is word_text else "pdf"])
    for figure in ["(£0.727m)", "(£0.307m)", "(£0.418m)", "(£0.002m)", "(1,926,034)"]:
        assert figure in content


@pytest.mark.parametrize("reader", [word_text, pdf_text], ids=["word", "pdf"])
def test_the_savings_report_reads_back_with_the_seeds_figures(printed, reader):
    content = reader(printed["savings"]["docx" if reader is word_text else "pdf"])
    for figure in [
        "(943,000)",
        "(456,000)",
        "(487,000)",
        "48%",
        "52%",
        "(1,058,000)",
        "(1,092,000)",
        "(306,000)",
        "(2,456,000)",
        "67%",
        "33%",
    ]:
        assert figure in content
