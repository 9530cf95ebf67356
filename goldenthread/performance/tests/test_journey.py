"""A lead enters a quarter's actuals through the service grid and sees the statuses and the
exception report change: Playwright driving Debian's Chromium against a live server."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from goldenthread.core.models import AuditEntry
from goldenthread.performance.models import Actual
from goldenthread.performance.tests.factories import IndicatorFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls of the set-up and
# the checks stay synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PERIOD = quote("2019/20 Q1")


@pytest.fixture
def page(transactional_db, live_server):
    """A browser page on the live server (the test database is set up first, so that it
    is torn down after the server has closed its connections)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url)
        yield context.new_page()
        context.close()
        browser.close()
        connections.close_all()  # those the test opened while Playwright ran


@pytest.fixture
def ict_indicators(ict, people):
    owner = people["lead"].posts.get()
    return [
        IndicatorFactory(
            ref="ICT-02",
            name="% of system availability",
            service=ict,
            data_owner=owner,
            tolerance=0.5,
            target="99.50%",
        ),
        IndicatorFactory(
            ref="ICT-03",
            name="% of calls resolved within SLA",
            service=ict,
            data_owner=owner,
            tolerance=3,
            target="82.90%",
        ),
    ]


def sign_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests-0")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def test_a_lead_enters_a_quarter_and_the_exception_report_changes(
    page, ict_indicators, people, tmp_path
):
    sign_in(page, "lead")
    exceptions = reverse("performance:exceptions") + f"?period={PERIOD}"
    page.goto(exceptions)
    expect(page.get_by_text("No indicator is off target for this period.")).to_be_visible()

    page.goto(reverse("performance:index") + f"?period={PERIOD}")
    page.get_by_role("link", name="Enter 2019/20 Q1 actuals for ICT").click()
    expect(page.get_by_role("heading", name="Enter ICT actuals")).to_be_visible()

    availability = page.locator("#row-ICT-02")
    expect(availability.get_by_test_id("status")).to_contain_text("No actual")
    availability.get_by_label("Actual for ICT-02").fill("99.7")
    availability.get_by_role("button", name="Save ICT-02").click()
    expect(page.locator("#row-ICT-02").get_by_text("Saved ICT-02")).to_be_visible()
    expect(page.locator("#row-ICT-02").get_by_test_id("status")).to_contain_text("Green")

    calls = page.locator("#row-ICT-03")
    calls.get_by_label("Actual for ICT-03").fill("70")
    calls.get_by_role("button", name="Save ICT-03").click()
    expect(page.locator("#row-ICT-03")).to_contain_text("The actual is red: give the reason")
    assert not Actual.objects.filter(indicator__ref="ICT-03").exists()

    calls = page.locator("#row-ICT-03")
    calls.get_by_label("Reason for the level of performance of ICT-03").fill(
        "Service desk vacancies."
    )
    calls.get_by_label("Remedial action for ICT-03").fill("Agency analysts until March.")
    calls.get_by_role("button", name="Save ICT-03").click()
    expect(page.locator("#row-ICT-03").get_by_text("Saved ICT-03")).to_be_visible()
    expect(page.locator("#row-ICT-03").get_by_test_id("status")).to_contain_text("Red")
    page.screenshot(path=str(tmp_path / "grid.png"), full_page=True)

    page.goto(exceptions)
    report = page.locator("table[data-table='Exceptions']")
    expect(report).to_contain_text("ICT-03")
    expect(report).to_contain_text("Service desk vacancies.")
    expect(report).to_contain_text("Agency analysts until March.")
    assert "ICT-02" not in report.inner_text()  # on target: counted, not shown
    summary = page.locator("table[data-table='Summary'] tbody tr").first
    assert summary.inner_text().split() == ["ICT", "1", "0", "1", "0", "0", "2"]

    page.goto(reverse("performance:index") + f"?period={PERIOD}")
    expect(page.locator("#line-ICT-03-oneSource").get_by_test_id("status")).to_contain_text("Red")
    assert AuditEntry.objects.filter(by=people["lead"], verb="created").count() == 2
