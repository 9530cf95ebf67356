"""Every main page of the loaded demo, checked with axe-core against WCAG 2.2 A and AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from e2e.conftest import sign_in
from goldenthread.demo.loader import load_all
from goldenthread.governance.models import CommitteeReport
from goldenthread.plans.models import Action, Milestone

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "accessibility-check"
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def violations(page) -> list[str]:
    results = Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def demo_pages() -> list[str]:
    action = Action.objects.get(ref="IP40")
    milestone = Milestone.objects.filter(action__plan__kind="best_value").first()
    report = CommitteeReport.objects.order_by("pk").first()
    return [
        "/",
        "/plans/",
        action.plan.get_absolute_url(),
        milestone.action.plan.get_absolute_url(),
        action.get_absolute_url(),
        f"/action/{action.pk}/update/",
        f"/milestone/{milestone.pk}/update/",
        f"/plans/{action.plan.code}/round/",
        "/golden-thread/LBB/",
        "/approvals/",
        "/indicators/",
        "/indicators/services/ICT/",
        "/indicators/exceptions/",
        "/indicators/strategic/",
        "/finance/",
        "/finance/2018-19/outturn/",
        "/finance/savings/",
        "/finance/savings/by-contribution/",
        "/reports/",
        f"/reports/{report.pk}/",
    ]


def test_the_demos_pages_meet_wcag_2_2_aa(page):
    load_all(password=PASSWORD, report=lambda message: None)
    page.goto("/sign-in/")
    found = {"/sign-in/": violations(page)}
    sign_in(page, "performance", PASSWORD)
    for url in demo_pages():
        response = page.goto(url)
        assert response.status == 200, url
        found[url] = violations(page)
    page.goto(f"/action/{Action.objects.get(ref='IP40').pk}/update/")
    page.get_by_label("% complete").fill("140")
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("There is a problem").wait_for()
    found["update form with errors"] = violations(page)

    page.context.clear_cookies()
    sign_in(page, "cllr.bexley", PASSWORD)  # a councillor's read-only pages
    for url in [
        "/",
        "/golden-thread/LBB/",
        CommitteeReport.objects.get(state="published").get_absolute_url(),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        found[f"{url} (reader)"] = violations(page)

    assert {url: v for url, v in found.items() if v} == {}
