"""A lead records an update; a reader cannot; a lead cannot touch another lead's action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from e2e.conftest import sign_in
from goldenthread.core.models import AuditEntry
from goldenthread.plans.models import ProgressUpdate
from tests.factories import ActionFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hrod_action(plan, people):
    section = SectionFactory(plan=plan, title="HROD")
    return ActionFactory(section=section, ref="IP31", lead_posts=[people["other_lead"].posts.get()])


def test_a_lead_records_an_amber_update_and_sees_it(page, action, people, tmp_path):
    sign_in(page, "lead")
    page.get_by_role("link", name="Update IP40").click()
    page.get_by_label("Amber").check()
    page.get_by_label("% complete").fill("45")
    page.get_by_label("Progress to date").fill("Supplier delayed the network upgrade.")
    page.get_by_label("Next steps").fill("Escalate to the contract board.")
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Your update for 2019/20 Q2 has been saved.").wait_for()
    page.screenshot(path=str(tmp_path / "after-update.png"), full_page=True)

    history = page.locator("#changes")
    assert "Supplier delayed the network upgrade." in history.inner_text()
    assert "Amber" in page.get_by_test_id("update-2019/20 Q2").inner_text()

    page.goto(reverse("plans:plan", args=[action.plan.code]) + "?period=2019/20 Q2")
    row = page.locator(f"#action-row-{action.pk}")
    # Not yet approved: the lead sees the draft's words, never its status counted as Amber.
    assert "Awaiting approval" in row.get_by_test_id("status").inner_text()
    assert "Supplier delayed the network upgrade." in row.inner_text()

    update = ProgressUpdate.objects.get(action=action)
    assert (update.status, update.percent_complete, update.submitted_by) == (
        "A",
        45,
        people["lead"],
    )
    assert AuditEntry.objects.filter(object_id=update.pk, by=people["lead"]).exists()


def test_a_reader_has_no_edit_control_and_is_forbidden_to_post(page, action, people):
    sign_in(page, "reader_lbb")
    page.goto(action.get_absolute_url())
    assert page.get_by_role("heading", name="IP40").is_visible()
    assert page.get_by_role("link", name="Update progress").count() == 0
    status = page.evaluate(
        """async (url) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken='))
                .split('=')[1];
            const body = new URLSearchParams({status: 'G', progress: 'Sneaky.', version: '0'});
            const response = await fetch(url, {method: 'POST', body,
                headers: {'X-CSRFToken': token}});
            return [response.status, await response.text()];
        }""",
        reverse("plans:update", args=["action", action.pk]),
    )
    assert status[0] == 403
    assert "Only the item" in status[1]
    assert not ProgressUpdate.objects.exists()


def test_a_lead_cannot_edit_another_leads_action(page, action, hrod_action, people):
    sign_in(page, "lead")
    page.goto(hrod_action.get_absolute_url())
    assert page.get_by_role("link", name="Update progress").count() == 0
    response = page.goto(reverse("plans:update", args=["action", hrod_action.pk]))
    assert response.status == 403
    assert page.get_by_role("heading", name="You cannot do that").is_visible()
