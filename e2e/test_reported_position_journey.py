"""The reported position is the approved position, in the browser.

- A returned update is not counted as its status anywhere a reader looks, nor in a paper
  generated afterwards.
- A councillor keeps seeing the last published position while the next round is open.
- Publishing a period or a committee paper with missing updates lists them and asks for an
  explicit confirmation.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from e2e.conftest import sign_in
from e2e.test_accessibility import violations
from goldenthread.core.models import AuditEntry, Period
from goldenthread.governance import changes as paper_changes
from goldenthread.governance.models import Committee, Meeting, ReportJob
from goldenthread.plans import changes
from goldenthread.plans.models import PlanPeriod, ProgressUpdate
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reported_q1(action, people):
    """IP40 (the lead's, all partners) Green and IP41 Amber, approved and published for Q1;
    Q2 is open for updates."""
    ip41 = ActionFactory(section=action.section, ref="IP41", title="Modernise the data centre")
    q1 = Period.objects.for_code("2019/20 Q1")
    for item, status in [(action, "G"), (ip41, "A")]:
        update = changes.record_update(
            item, q1, by=people["admin"], status=status, progress=f"{item.ref} in Q1."
        )
        changes.approve_update(update, by=people["admin"])
    PlanPeriod.objects.create(plan=action.plan, period=q1, state=PlanPeriod.State.PUBLISHED)
    return {"plan": action.plan, "ip40": action, "ip41": ip41}


def glance(page, plan) -> dict[str, str]:
    page.goto("/")
    cell = page.locator(f'#plans-at-a-glance td[data-plan="{plan.code}"]').inner_text()
    return dict(
        re.findall(r"(Green|Amber|Red|Complete|Awaiting approval|Returned|No update) (\d+)", cell)
    )


def summary_count(page, code: str) -> str:
    """The whole plan's count for a status in the plan page's summary (the last row)."""
    cells = page.locator(f'#summary [data-status="{code}"]')
    return cells.nth(cells.count() - 1).inner_text().split()[0]


def test_a_councillor_keeps_the_published_position_while_the_next_round_is_open(
    page, reported_q1, people
):
    plan, ip40 = reported_q1["plan"], reported_q1["ip40"]
    sign_in(page, "lead")
    page.goto(reverse("plans:update", args=["action", ip40.pk]))
    page.get_by_role("radio", name=re.compile("^Red")).check()
    page.get_by_label("Progress to date").fill("The supplier went into administration.")
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Your update for 2019/20 Q2 has been saved.").wait_for()

    # The lead sees the open round as a draft, the Red not counted.
    page.goto(plan.get_absolute_url() + "?period=2019/20 Q2")
    assert "Draft – not yet reported" in page.locator("#plan-body").inner_text()
    row = page.locator(f"#action-row-{ip40.pk}")
    assert "Awaiting approval" in row.get_by_test_id("status").inner_text()
    assert summary_count(page, "R") == "0"
    page.context.clear_cookies()

    sign_in(page, "reader_lbb")
    assert glance(page, plan) == {"Green": "1", "Amber": "1"}
    glance_row = page.locator(
        "#plans-at-a-glance tr", has=page.locator(f'[data-plan="{plan.code}"]')
    )
    assert "2019/20 Q1" in glance_row.inner_text()
    assert "No updates for this period" not in glance_row.inner_text()

    page.goto(plan.get_absolute_url())
    body = page.locator("#plan-body").inner_text()
    assert "Quarter 1" in body and "Draft" not in body
    assert "Green" in page.locator(f"#action-row-{ip40.pk}").get_by_test_id("status").inner_text()
    assert "supplier went into administration" not in page.content()
    assert summary_count(page, "G") == "1"
    options = page.locator("#period option").all_inner_texts()
    assert not any("2019/20 Q2" in o for o in options)
    response = page.goto(plan.get_absolute_url() + "?period=2019/20 Q2")
    assert response.status == 404


def test_a_returned_update_is_not_counted_as_its_status_anywhere_a_reader_looks(
    page, reported_q1, people
):
    plan, ip40, ip41 = reported_q1["plan"], reported_q1["ip40"], reported_q1["ip41"]
    q2 = Period.objects.for_code("2019/20 Q2")
    changes.record_update(ip40, q2, by=people["lead"], status="G", progress="All fine, trust me.")
    approved = changes.record_update(ip41, q2, by=people["admin"], status="A", progress="Slow.")
    changes.approve_update(approved, by=people["admin"])

    # A Havering approver returns the Green update for changes.
    sign_in(page, "approver_lbh")
    page.goto(reverse("plans:approvals"))
    page.get_by_label("If returning it, what should the lead change?").first.fill(
        "Give the evidence behind Green."
    )
    page.get_by_role("button", name="Return for changes").first.click()
    page.get_by_text("Returned").first.wait_for()
    assert ProgressUpdate.objects.get(action=ip40, period=q2).state == "returned"
    page.context.clear_cookies()

    # The administrator publishes Q2: the page lists the returned update and asks to confirm.
    sign_in(page, "admin")
    page.goto(reverse("plans:round", args=[plan.code]))
    page.get_by_role("link", name="Publish 2019/20 Q2").click()
    assert violations(page) == []
    missing = page.get_by_test_id("completeness").inner_text()
    assert "1 of 2 actions: 1 returned" in missing
    assert "IP40" in page.locator('[data-reason="Returned"]').inner_text()
    page.get_by_role("button", name="Publish 2019/20 Q2").click()
    assert "Confirm that you want to publish" in page.locator(".govuk-error-summary").inner_text()
    assert violations(page) == []
    assert not PlanPeriod.objects.filter(plan=plan, period=q2, state="published").exists()
    page.get_by_label(re.compile("Publish although 1 of 2 actions")).check()
    page.get_by_role("button", name="Publish 2019/20 Q2").click()
    page.get_by_text("2019/20 Q2 is published").wait_for()
    assert AuditEntry.objects.filter(field="published although incomplete", by=people["admin"])
    page.context.clear_cookies()

    # The councillor: home page, plan page and a paper made now count it as Returned.
    sign_in(page, "reader_lbb")
    assert glance(page, plan) == {"Amber": "1", "Returned": "1"}
    page.goto(plan.get_absolute_url())
    assert "Quarter 2" in page.locator("#plan-body").inner_text()
    status = page.locator(f"#action-row-{ip40.pk}").get_by_test_id("status").inner_text()
    assert "Returned" in status and "Green" in status  # "Returned – last reported Q1: Green"
    assert status.index("Returned") < status.index("Green")
    assert summary_count(page, "G") == "0" and summary_count(page, "returned") == "1"
    assert "All fine, trust me." not in page.content()

    query = f"?subject={plan.code}&period=2019%2F20+Q2"
    page.goto(reverse("governance:quick", args=["plans.progress"]) + query)
    paper = page.locator(".gt-document-preview")
    (row,) = [r for r in paper.locator("tr").all_inner_texts() if r.startswith("IP40")]
    assert "Returned – last reported Q1: Green" in row
    assert "All fine, trust me." not in paper.inner_text()


def test_publishing_a_paper_with_missing_updates_lists_them_and_asks(page, reported_q1, people):
    plan = reported_q1["plan"]
    committee = Committee.objects.create(name="oneSource Joint Committee")
    meeting = Meeting.objects.create(committee=committee, date=date(2019, 10, 11))
    report = paper_changes.create_report(
        meeting, by=people["admin"], subject_heading="Improvement Plan Q2", author="Jane West"
    )
    paper_changes.add_appendix(
        report, by=people["admin"], kind="plans.progress", subject=plan.code, period="2019/20 Q2"
    )
    sign_in(page, "admin")
    page.goto(reverse("governance:publish", args=[report.pk]))
    assert violations(page) == []
    gap = page.get_by_test_id("gap").inner_text()
    assert "2 of 2 actions: 2 no update" in gap
    assert "IP40" in gap and "IP41" in gap
    assert "not yet published" in gap
    page.get_by_role("button", name="Publish the report").click()
    assert "Confirm that you want to publish" in page.locator(".govuk-error-summary").inner_text()
    assert not ReportJob.objects.filter(report=report, publish=True).exists()
    page.get_by_label("Publish although the paper is incomplete").check()
    page.get_by_role("button", name="Publish the report").click()
    page.wait_for_url(re.compile(rf"/{report.pk}/"))
    assert ReportJob.objects.filter(report=report, publish=True).exists()
    entry = AuditEntry.objects.get(field="published although incomplete", object_id=report.pk)
    assert "IP40" in entry.new and "IP41" in entry.new
