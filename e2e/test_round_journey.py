"""An administrator runs the update round: opens the next period, chases the lead who owes."""

from __future__ import annotations

import pytest
from django.core import mail

from e2e.conftest import sign_in
from goldenthread.plans.models import Reminder

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_opens_a_period_and_reminds_the_lead(page, action, people, tmp_path):
    people["lead"].email = "ict.director@example.org"
    people["lead"].save()
    sign_in(page, "admin")
    page.goto(action.plan.get_absolute_url())
    page.get_by_role("link", name="Update round").click()

    page.get_by_label("2019/20 Q3").check()
    page.get_by_label("Updates due by").fill("15/01/2020")
    page.get_by_role("button", name="Open for updates").click()
    page.get_by_text("2019/20 Q3 is open for updates.").wait_for()

    row = page.locator('tr[data-post="Director of ICT"]')
    assert row.locator('[data-state="not started"]').inner_text() == "1"
    assert row.get_by_label("Remind Director of ICT").is_checked()
    page.get_by_role("button", name="Email reminders to the ticked leads").click()
    page.get_by_text("Reminders sent to 1 lead(s): Director of ICT.").wait_for()
    page.screenshot(path=str(tmp_path / "round.png"), full_page=True)

    assert [m.to for m in mail.outbox] == [["ict.director@example.org"]]
    assert "due by 15 January 2020" in mail.outbox[0].body
    assert Reminder.objects.get().period.code == "2019/20 Q3"

    page.context.clear_cookies()
    sign_in(page, "lead")
    due = page.locator("tr", has=page.get_by_role("link", name="Update IP40"))
    assert "2019/20 Q3" in due.inner_text() and "due by 15 Jan 2020" in due.inner_text()
