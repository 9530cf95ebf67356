"""An administrator publishes a correction of a published report; both versions stay."""

from __future__ import annotations

from datetime import date

import pytest

from e2e.conftest import sign_in
from goldenthread.governance import changes, jobs
from goldenthread.governance.models import Committee, Meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(people):
    committee = Committee.objects.create(name="oneSource Joint Committee")
    meeting = Meeting.objects.create(committee=committee, date=date(2019, 7, 12))
    report = changes.create_report(
        meeting, by=people["admin"], subject_heading="oneSource update", author="Jane West"
    )
    jobs.run_job(changes.request_files(report, by=people["admin"], publish=True).pk)
    return report


def test_an_administrator_publishes_a_correction(page, published, people):
    sign_in(page, "admin")
    page.goto(published.get_absolute_url())
    page.get_by_role("link", name="Publish a correction").click()
    page.get_by_role("button", name="Publish the correction").click()
    page.get_by_role("link", name="Enter why the report is being corrected.").wait_for()

    page.get_by_label("Why is the report being corrected?").fill("Appendix 1 showed Q1.")
    page.get_by_role("button", name="Publish the correction").click()
    page.locator("#version-2").wait_for(timeout=120_000)  # the page reloads when it is made

    superseded = page.get_by_test_id("superseded-1").inner_text()
    assert superseded.startswith("Superseded on ") and superseded.endswith(
        ": Appendix 1 showed Q1."
    )
    assert "Current" in page.locator("#version-2").inner_text()
    with page.expect_download() as old:
        page.locator("#version-1").get_by_role("link", name="Word").click()
    assert old.value.suggested_filename.endswith("version-1-SUPERSEDED.docx")
