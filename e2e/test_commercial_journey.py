"""A lead takes an opportunity through its first stage of the Commercial Protocol on a
phone: the move is refused until the tests are recorded, then the outline business case
is written and printed. Every page fits 390px and passes axe's WCAG 2.2 AA checks."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from docx import Document as WordDocument

from e2e.conftest import sign_in
from goldenthread.commercial import changes, rules
from goldenthread.commercial.models import Opportunity
from goldenthread.commercial.tests.conftest import opportunity_values

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def violations(page) -> list[str]:
    results = Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} – {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def check(page) -> None:
    assert fits_a_phone(page)
    assert violations(page) == []


def test_a_lead_records_the_tests_moves_the_stage_and_prints_the_case(page, people, partners):
    opportunity = changes.save_opportunity(None, opportunity_values(partners), by=people["admin"])
    page.set_viewport_size(PHONE)
    sign_in(page, "lead")
    page.goto("/commercial/")
    check(page)
    page.get_by_role("link", name="COM-001").click()
    check(page)

    page.get_by_role("button", name="Move to Develop draft business case").click()
    problem = page.get_by_test_id("problem").inner_text()
    assert "record the tests: Commissioners notified, Legal power" in problem
    check(page)

    for key in rules.tests_for(rules.Stage.ARISES, False):
        title = rules.TESTS[key].title
        item = page.get_by_test_id(f"test-{key}")
        item.locator("summary").click()
        item.get_by_label(f"Evidence: {title}").fill(f"Evidence for {title}.")
        item.get_by_role("button", name=f"Record {title.lower()}").click()
        page.get_by_test_id(f"test-{key}").get_by_text("Recorded", exact=True).wait_for()
    check(page)
    page.get_by_role("button", name="Move to Develop draft business case").click()
    page.get_by_test_id("stage").get_by_text("Develop draft business case").wait_for()
    assert Opportunity.objects.get(pk=opportunity.pk).stage == rules.Stage.DRAFT_CASE
    check(page)

    page.get_by_role("link", name="Write the outline business case").click()
    for _name, heading, _question in rules.FIVE_CASES:
        page.get_by_label(heading).fill(f"Our {heading.lower()}.")
    check(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Outline business case").wait_for()
    check(page)
    response = page.request.get(page.get_by_role("link", name="Word").get_attribute("href"))
    document = WordDocument(io.BytesIO(response.body()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Our management case." in text
