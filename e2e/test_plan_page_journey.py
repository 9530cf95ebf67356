"""The plan page on a phone and in a browser: no sideways scrolling at 390 px, filters in
the address with and without JavaScript, and the dashboards."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from e2e.conftest import sign_in
from goldenthread.core.models import Period
from goldenthread.plans import changes, periods
from tests.factories import ActionFactory, OrganisationFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def busy_plan(plan, people, partners):
    """60 actions in two services, Q2 published: every fifth Red, the rest Green; long
    words that would push a table wide. Every third action is Bexley's only."""
    OrganisationFactory(code="OS", kind="shared_service")
    q2 = Period.objects.for_code("2019/20 Q2")
    admin = people["admin"]
    sections = [
        SectionFactory(plan=plan, title="Information and Communication Technology", order=1),
        SectionFactory(plan=plan, title="Human Resources and Organisational Development", order=2),
    ]
    for n in range(60):
        action = ActionFactory(
            section=sections[n % 2],
            ref=f"IP{n:02d}",
            order=n,
            title="Replace the network in every office and library " * 3,
            partner_list=[partners["LBB"]] if n % 3 == 0 else None,
        )
        update = changes.record_update(
            action,
            q2,
            by=admin,
            status="R" if n % 5 == 0 else "G",
            progress="Procurement under way with the framework supplier. " * 4,
        )
        changes.approve_update(update, by=admin)
    periods.publish_period(plan, q2, by=admin)  # readers see it
    return plan


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shown_rows(page) -> int:
    return page.locator('tr[id^="action-row-"]').count()


def test_the_plan_page_and_dashboards_fit_a_phone(page, busy_plan, people, tmp_path):
    page.set_viewport_size(PHONE)
    sign_in(page, "admin")
    for url in [
        busy_plan.get_absolute_url(),
        busy_plan.get_absolute_url() + "?status=R&sort=status",
        reverse("dashboards:index"),
        reverse("dashboards:dashboard", args=["OS"]),
        reverse("dashboards:dashboard", args=["LBB"]),
    ]:
        page.goto(url)
        assert no_sideways_scroll(page), url
    page.goto(busy_plan.get_absolute_url())
    page.screenshot(path=str(tmp_path / "plan-page-390.png"), full_page=True)
    # The results table scrolls in its own box, its first column (the reference) in view.
    first = page.locator('tr[id^="action-row-"] th').first
    assert first.is_visible() and first.bounding_box()["x"] >= 0


def test_filters_work_with_javascript_and_stay_in_the_address(page, busy_plan, people):
    sign_in(page, "admin")
    page.goto(busy_plan.get_absolute_url())
    assert shown_rows(page) == 50  # the first page of 60
    page.get_by_label("Red").check()  # htmx refreshes the results and the address
    page.wait_for_url(lambda url: "status=R" in url)
    page.get_by_text("12 actions match your filters").wait_for()
    assert shown_rows(page) == 12
    page.get_by_label("Search").fill("IP05")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(lambda url: "q=IP05" in url)
    page.get_by_text("1 action matches your filters").wait_for()
    assert shown_rows(page) == 1

    # The address is the view: opened afresh it shows the same, and the export follows it.
    page.goto(page.url)
    assert shown_rows(page) == 1
    csv_link = page.get_by_role("link", name="CSV").get_attribute("href")
    query = parse_qs(urlparse(csv_link).query)
    assert query["status"] == ["R"] and query["q"] == ["IP05"]


def test_filters_work_without_javascript(browser, live_server, busy_plan, people):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "reader_lbb")
        page.goto(busy_plan.get_absolute_url())
        page.get_by_label("Red").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(lambda url: "status=R" in url)
        # Bexley's reader: the Red actions for all partners or for Bexley (every 5th).
        assert shown_rows(page) == 12
        assert page.get_by_role("link", name="Page 2").count() == 0
    finally:
        context.close()


def test_paging_keeps_the_filters(page, busy_plan, people):
    sign_in(page, "admin")
    page.goto(busy_plan.get_absolute_url() + "?sort=status")
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(lambda url: "page=2" in url and "sort=status" in url)
    assert shown_rows(page) == 10


def test_the_plan_page_and_dashboards_meet_wcag_2_2_aa(page, busy_plan, people):
    from e2e.test_accessibility import violations

    sign_in(page, "admin")
    found = {}
    for url in [
        busy_plan.get_absolute_url() + "?status=R&sort=status",
        busy_plan.get_absolute_url() + "?q=nothing-matches-this",
        reverse("dashboards:index"),
        reverse("dashboards:dashboard", args=["LBB"]),
    ]:
        page.goto(url)
        found[url] = violations(page)
    assert {url: v for url, v in found.items() if v} == {}
