"""On a phone 390 px wide the pages people use each quarter never scroll sideways: tables
reflow or scroll inside their own box with the first column in view."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from e2e.conftest import sign_in
from goldenthread.core.models import Period
from goldenthread.demo.loader import load_all
from goldenthread.plans import changes
from goldenthread.plans.models import Action, DeadlineRevision

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "phones-390"
PHONE = {"width": 390, "height": 844}
LONG = (
    "Started the network work; waiting for the supplier to confirm the dates for upgrading "
    "the core switches at all three sites (Romford, Stratford and Bexleyheath) – see the "
    "programme board paper of 12 July 2019, https://example.org/a-very-long-address/ict"
)

# What the overflow is, when there is one: the widest elements that stick out.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.right > width + 0.5 && parent.right <= width + 0.5) {
      out.push(`${el.tagName}.${el.className} (${Math.round(box.right)}px)`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""


def too_wide(page) -> str | None:
    found = page.evaluate(OVERFLOW)
    if found["scroll"] <= found["width"]:
        return None
    return f"{found['scroll']}px > {found['width']}px: {', '.join(found['out'])}"


def pages_by_role() -> dict[str, list[str]]:
    action = Action.objects.get(ref="IP40")
    revised = DeadlineRevision.objects.filter(milestone__isnull=False).first().milestone.action
    return {
        "ict.director": [
            "/",
            action.get_absolute_url(),
            f"/action/{action.pk}/update/",
            "/indicators/",
            "/indicators/ICT-01/",
        ],
        "performance": [
            "/",
            "/approvals/",
            action.get_absolute_url(),
            revised.get_absolute_url(),
            "/indicators/",
            "/indicators/ET-06/",
            f"{action.plan.get_absolute_url()}round/",
        ],
        "s151.havering": ["/", "/approvals/", action.get_absolute_url()],
        "s151.towerhamlets": ["/approvals/", revised.get_absolute_url()],
        "cllr.bexley": ["/", "/indicators/", "/indicators/FIN-01/"],
    }


def give_updates_with_history() -> None:
    """An update with long words, changed once, so the history and update tables have rows."""
    lead = get_user_model().objects.get(username="ict.director")
    action = Action.objects.get(ref="IP40")
    period = action.plan.reporting_period or Period.objects.for_code("2019/20 Q2")
    first = changes.record_update(
        action, period, by=lead, status="G", progress=LONG, next_steps=LONG, percent_complete=40
    )
    changes.record_update(
        action,
        period,
        by=lead,
        status="A",
        progress=LONG + " Delayed.",
        next_steps=LONG,
        percent_complete=60,
        expected_version=first.version,
    )


def test_the_quarterly_pages_fit_a_phone(page):
    load_all(password=PASSWORD, report=lambda message: None)
    give_updates_with_history()
    page.set_viewport_size(PHONE)
    found = {}
    for username, urls in pages_by_role().items():
        page.context.clear_cookies()
        sign_in(page, username, PASSWORD)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (username, url)
            found[f"{url} as {username}"] = too_wide(page)
    assert {where: what for where, what in found.items() if what} == {}

    # The lead's "Updates due" keeps each Update link on screen.
    page.context.clear_cookies()
    sign_in(page, "ict.director", PASSWORD)
    page.goto("/")
    links = page.locator("#updates-due").get_by_role("link", name="Update")
    assert links.count() > 0
    box = links.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    # A wide table scrolls inside its own box and its first column stays in view.
    page.goto("/indicators/")
    wrap = page.locator(".gt-table-wrap.gt-sticky-first").first
    first_cell = wrap.locator("tbody th").first
    before = first_cell.bounding_box()
    scrolled = wrap.evaluate("box => { box.scrollLeft = box.scrollWidth; return box.scrollLeft; }")
    assert scrolled > 0
    assert first_cell.bounding_box()["x"] == pytest.approx(before["x"], abs=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
