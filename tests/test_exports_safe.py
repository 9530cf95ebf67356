"""Exports are safe to open: text a user typed never becomes a spreadsheet formula.

Each export of the demo is downloaded after a lead's text was set to formula-like
payloads (``=HYPERLINK(...)``, ``+``, ``-``, ``@``), and read back: no Excel cell
is a formula, and every CSV field starting with a formula character is quoted
with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from goldenthread.documents import cells
from goldenthread.documents.excel import render_xlsx
from goldenthread.documents.model import (
    Column,
    Document,
    KeyValues,
    Paragraph,
    Row,
    Section,
    Table,
)
from goldenthread.finance.models import SavingsItem
from goldenthread.governance import papers
from goldenthread.governance.models import CommitteeReport
from goldenthread.performance.models import Actual, Indicator
from goldenthread.plans.models import Action, ProgressUpdate

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
PAYLOADS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|x"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, with a lead's texts set to the payloads in every place an export shows."""
    with django_db_blocker.unblock():
        call_command("load_demo", password="pw-for-tests-0", stdout=io.StringIO())
        update = ProgressUpdate.objects.filter(action__plan__code="IP1920").order_by("pk").first()
        Action.objects.filter(pk=update.action_id).update(title=PAYLOADS[1], lead=PAYLOADS[3])
        ProgressUpdate.objects.filter(action__plan__code="IP1920").update(
            progress=HYPERLINK, next_steps=PAYLOADS[2]
        )
        Actual.objects.update(reason=HYPERLINK, remedial_action=PAYLOADS[2])
        item = SavingsItem.objects.order_by("pk").first()
        SavingsItem.objects.filter(pk=item.pk).update(title=HYPERLINK)
        yield {"update": update}
        call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo):
    client.force_login(get_user_model().objects.get(username="performance"))
    return client


def xlsx_texts(content: bytes) -> list[str]:
    """Every text cell of the workbook, after checking none of its cells is a formula."""
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def csv_fields(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    fields = [field for row in rows for field in row]
    for field in fields:
        assert not field.startswith(cells.RISKY_STARTS) or not cells.is_risky(field), field
    return fields


def test_the_plan_csv_quotes_formula_text(admin_client, demo):
    period = demo["update"].period.code
    response = admin_client.get("/plans/IP1920/export.csv", {"period": period})
    assert response.status_code == 200
    fields = csv_fields(response.content)
    assert "'" + HYPERLINK in fields
    assert "'" + PAYLOADS[1] in fields
    assert "'" + PAYLOADS[2] in fields
    assert "'" + PAYLOADS[3] in fields


def test_the_plan_excel_stores_formula_text_as_text(admin_client, demo):
    period = demo["update"].period.code
    response = admin_client.get("/plans/IP1920/export.xlsx", {"period": period})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    texts = xlsx_texts(response.content)
    for payload in PAYLOADS:
        assert payload in texts


def test_the_indicator_exception_report_in_excel_has_no_formula(admin_client):
    response = admin_client.get("/indicators/exceptions/", {"format": "xlsx"})
    assert response.status_code == 200
    texts = xlsx_texts(response.content)
    assert HYPERLINK in texts
    assert PAYLOADS[2] in texts


def test_the_quick_plan_paper_in_excel_has_no_formula(admin_client, demo):
    period = demo["update"].period.code
    response = admin_client.get(
        "/reports/papers/plans.progress/",
        {"subject": "IP1920", "period": period, "format": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    texts = xlsx_texts(response.content)
    assert any(HYPERLINK in text for text in texts)


def test_the_committee_paper_in_excel_has_no_formula(demo):
    report = CommitteeReport.objects.order_by("pk").first()
    report.summary = HYPERLINK
    report.recommendations = PAYLOADS[3]
    admin = get_user_model().objects.get(username="performance")
    texts = xlsx_texts(render_xlsx(papers.build_document(report, admin)))
    assert HYPERLINK in texts
    assert any(PAYLOADS[3] in text for text in texts)


def test_the_savings_report_in_excel_has_no_formula(admin_client):
    years = sorted({a.year for a in SavingsItem.objects.get(title=HYPERLINK).amounts.all()})
    year = years[0]
    response = admin_client.get(f"/finance/reports/savings/{year}-{(year + 1) % 100:02d}.xlsx")
    assert response.status_code == 200
    texts = xlsx_texts(response.content)
    assert HYPERLINK in texts


def test_the_upload_template_csv_quotes_formula_text(admin_client):
    first = csv_fields(admin_client.get("/indicators/upload/template.csv").content)
    indicator = Indicator.objects.filter(ref__in=first).order_by("pk").first()
    Indicator.objects.filter(pk=indicator.pk).update(ref="@SUM(1)")
    response = admin_client.get("/indicators/upload/template.csv")
    assert response.status_code == 200
    fields = csv_fields(response.content)
    assert "'@SUM(1)" in fields and "@SUM(1)" not in fields


def test_every_excel_block_keeps_formula_text_as_text_and_numbers_as_numbers():
    document = Document(
        title=HYPERLINK,
        subtitle=PAYLOADS[1],
        sections=(
            Section(
                title="Report",
                front_sheet=True,
                blocks=(Paragraph(PAYLOADS[2]), KeyValues(((PAYLOADS[3], HYPERLINK),))),
            ),
            Section(
                title="Appendix",
                blocks=(
                    Table(
                        name="Figures",
                        caption=HYPERLINK,
                        columns=(Column("=Name"), Column("Count", align="right")),
                        rows=(Row((_cell(HYPERLINK), _cell("-12", "right"))),),
                    ),
                ),
            ),
        ),
    )
    book = load_workbook(io.BytesIO(render_xlsx(document)))
    texts = xlsx_texts(render_xlsx(document))
    for payload in [*PAYLOADS, "=Name"]:
        assert payload in texts
    figures = book["Figures"]
    assert figures["B3"].value == -12 and figures["B3"].data_type == "n"


def _cell(text: str, align: str = "left"):
    from goldenthread.documents.model import Align, Cell

    return Cell(text, align=Align(align))


@pytest.mark.parametrize(
    ("value", "risky"),
    [
        (HYPERLINK, True),
        ("+44 20 7946 0000", True),
        ("-2+3+cmd|' /C calc'!A0", True),
        ("@SUM(A1)", True),
        ("\tx", True),
        ("\r=1", True),
        ("-0.727", False),
        ("-12%", False),
        ("+5", False),
        ("-", True),
        ("Plain text", False),
        (-0.727, False),
        (None, False),
    ],
)
def test_risky_text_is_what_starts_like_a_formula(value, risky):
    assert cells.is_risky(value) is risky
    assert cells.csv_value(value) == (f"'{value}" if risky else value)


def test_every_spreadsheet_writer_goes_through_cells():
    """A new CSV or Excel export must put its cells through documents.cells too."""
    root = Path(__file__).resolve().parent.parent / "goldenthread"
    writers = [
        path
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path != root / "documents" / "cells.py"  # the safe writers themselves
        and re.search(r"csv\.(writer|DictWriter)\(|Workbook\(\)", path.read_text())
    ]
    assert writers, "the exports are expected to be found"
    unsafe = [
        str(path.relative_to(root))
        for path in writers
        if not re.search(r"\bcells\.(csv_row|csv_value|append|put|as_text)\(", path.read_text())
    ]
    assert unsafe == []
