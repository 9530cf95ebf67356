"""An approver returns an update with a reason; the lead sees it on the form and resubmits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from e2e.conftest import sign_in
from goldenthread.core.models import Period
from goldenthread.plans import changes
from goldenthread.plans.models import ProgressUpdate

pytestmark = pytest.mark.django_db(transaction=True)


def fits_a_phone(page) -> bool:
    """No horizontal overflow at the phone width the journey runs at."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_returned_update_shows_its_reason_to_the_lead_until_resubmitted(
    page, action, people, tmp_path
):
    approver = people["approver"]
    approver.first_name, approver.last_name = "Hana", "Approver"
    approver.save()
    q2 = Period.objects.for_code("2019/20 Q2")
    changes.record_update(action, q2, by=people["lead"], status="G", progress="All fine.")

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "approver_lbh")
    page.goto(reverse("plans:approvals"))
    card = page.get_by_test_id("update-card")
    assert "Improvement Plan" in card.get_by_test_id("card-plan").inner_text()
    assert fits_a_phone(page)
    card.get_by_label("If returning it, what should the lead change?").fill(
        "Say which sites are done."
    )
    card.get_by_role("button", name="Return for changes").click()
    page.get_by_text("Returned IP40").wait_for()
    assert page.get_by_test_id("update-card").count() == 0
    returned = ProgressUpdate.objects.get(action=action)
    assert (returned.state, returned.returned_by) == ("returned", approver)

    page.context.clear_cookies()
    sign_in(page, "lead")
    page.goto(action.get_absolute_url())
    assert "Say which sites are done." in page.get_by_test_id("returned").inner_text()
    page.get_by_role("link", name="Update progress").click()
    banner = page.locator("#returned")
    text = banner.inner_text()
    assert "Say which sites are done." in text
    assert "Hana Approver" in text
    assert f"{returned.returned_on:%-d %B %Y}" in text
    # The banner comes before the form, at the top of the page's content.
    assert banner.bounding_box()["y"] < page.get_by_label("Progress to date").bounding_box()["y"]
    page.screenshot(path=str(tmp_path / "returned-form.png"), full_page=True)
    assert fits_a_phone(page)
    page.get_by_label("Progress to date").fill("Six of nine sites are done.")
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Your update for 2019/20 Q2 has been saved.").wait_for()
    assert page.get_by_test_id("returned").count() == 0

    page.context.clear_cookies()
    sign_in(page, "approver_lbh")
    page.goto(reverse("plans:approvals"))
    card = page.get_by_test_id("update-card")
    assert "Six of nine sites are done." in card.inner_text()
    card.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved the 2019/20 Q2 update").wait_for()
    assert ProgressUpdate.objects.get(action=action).state == "approved"
