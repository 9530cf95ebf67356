"""An administrator runs the update round: opens the next period, chases the lead who owes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

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
    due = page.get_by_role("group", name="Updates due by")
    for box, value in (("Day", "15"), ("Month", "1"), ("Year", "2020")):
        due.get_by_label(box).fill(value)
    page.get_by_role("button", name="Open for updates").click()
    page.get_by_text("2019/20 Q3 is open for updates.").wait_for()

    row = page.locator('tr[data-post="Director of ICT"]')
    assert row.locator('[data-state="not started"]').inner_text() == "1"
    assert row.get_by_label("Remind Director of ICT").is_checked()
    page.get_by_role("button", name="Email reminders to the ticked leads").click()
    name = people["lead"].get_full_name()
    page.get_by_text(f"Reminders sent to 1 person: {name}.").wait_for()
    page.screenshot(path=str(tmp_path / "round.png"), full_page=True)

    assert [m.to for m in mail.outbox] == [["ict.director@example.org"]]
    assert "due by 15 January 2020" in mail.outbox[0].body
    assert reverse("plans:update", args=["action", action.pk]) in mail.outbox[0].body
    assert Reminder.objects.get().period.code == "2019/20 Q3"

    page.context.clear_cookies()
    sign_in(page, "lead")
    due = page.locator("tr", has=page.get_by_role("link", name="Update IP40"))
    assert "2019/20 Q3" in due.inner_text() and "due by 15 Jan 2020" in due.inner_text()
