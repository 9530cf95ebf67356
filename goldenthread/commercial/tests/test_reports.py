"""The Joint Committee's report on commercial activity and income: an appendix kind of
committee papers, and a download in Word and PDF, each within the reader's scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.commercial import changes, reports
from goldenthread.commercial.tests.conftest import opportunity_values, pdf_text, word_text
from goldenthread.documents.model import ReportRequest
from goldenthread.governance.papers import report_kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def bexley_work(people, partners):
    return changes.save_opportunity(
        None,
        opportunity_values(
            partners,
            reference="COM-003",
            title="Payroll for an academy",
            partners=[partners["LBB"]],
            estimated_income=Decimal("10000.00"),
            estimated_costs=Decimal("12000.00"),
        ),
        by=people["admin"],
    )


def test_it_is_an_appendix_kind_of_committee_papers(people, opportunity, bexley_work):
    kind = report_kinds()["commercial.activity"]
    assert not kind.needs_period
    assert [s for s, _ in kind.subjects(people["admin"])] == ["ALL", "LBB", "LBH", "LBN"]
    assert [s for s, _ in kind.subjects(people["approver"])] == ["ALL", "LBH", "LBN"]
    document = kind.build(ReportRequest(subject="ALL", user=people["admin"]))
    table = document.tables[0]
    total = [c.text for c in table.rows[-1].cells]
    # Income 240,000 + 10,000; costs 186,500.50 + 12,000; a deficit on Bexley's.
    assert total == ["Total", "2", "£250,000.00", "£198,500.50", "£51,499.50"]
    listing = str(document.tables[1])
    assert "COM-001" in listing and "COM-003" in listing and "-£2,000.00" in listing


def test_a_reader_builds_only_their_partners_report(people, opportunity, bexley_work):
    kind = report_kinds()["commercial.activity"]
    document = kind.build(ReportRequest(subject="ALL", user=people["reader"]))
    listing = str(document.tables[1])
    assert "COM-003" in listing and "COM-001" not in listing
    with pytest.raises(Exception, match="no commercial opportunities"):
        kind.build(ReportRequest(subject="LBH", user=people["reader"]))


@pytest.mark.parametrize(("fmt", "reader"), [("docx", word_text), ("pdf", pdf_text)])
def test_the_report_prints_in_word_and_pdf(client, people, opportunity, fmt, reader):
    client.force_login(people["approver"])
    response = client.get(reverse("commercial:activity_report", args=[fmt]))
    assert response.status_code == 200
    text = reader(response.content)
    assert reports.ACTIVITY_TITLE in text
    assert "COM-001" in text and "£240,000.00" in text and "£53,499.50" in text
    assert "regular reports on commercial activity and income" in text.replace("\n", " ")
