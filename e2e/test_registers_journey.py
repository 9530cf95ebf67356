"""The register pages and the public open data in a browser: no sideways scrolling on a
phone 390 px wide, and no WCAG 2.2 AA failures found by axe-core."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from e2e.conftest import sign_in
from goldenthread.registers import demo
from goldenthread.registers.models import Contract, Grant, Waiver
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
WIDTH = """() => ({scroll: document.documentElement.scrollWidth, width: window.innerWidth})"""


def _pages() -> list[str]:
    contract = Contract.objects.get(reference="LBTH-C-2015-0412")
    return [
        "/registers/",
        "/registers/contracts/",
        "/registers/contracts/?council=LBTH&q=design&published=yes",
        contract.get_absolute_url(),
        f"/registers/contracts/{contract.pk}/edit/",
        "/registers/contracts/new/",
        "/registers/contracts/import/",
        "/registers/waivers/",
        Waiver.objects.get().get_absolute_url(),
        f"/registers/waivers/{Waiver.objects.get().pk}/edit/",
        "/registers/grants/",
        Grant.objects.first().get_absolute_url(),
        "/registers/grants/new/",
    ]


def _problems(tab) -> list[str]:
    results = Axe().run(tab, options={**WCAG, "resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} – {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def test_the_registers_fit_a_phone_and_meet_wcag(page, tmp_path):
    admin = UserFactory(username="registers-admin")
    grant(admin, "administrator")
    demo.load_registers(admin)
    page.set_viewport_size(PHONE)
    wide, failures = {}, {}
    page.goto("/open-data/")
    for url in ["/open-data/"]:
        found = page.evaluate(WIDTH)
        wide[url] = found["scroll"] > found["width"]
        failures[url] = _problems(page)
    sign_in(page, "registers-admin")
    for url in _pages():
        response = page.goto(url)
        assert response.status == 200, url
        found = page.evaluate(WIDTH)
        wide[url] = found["scroll"] > found["width"]
        failures[url] = _problems(page)
    assert {url for url, too_wide in wide.items() if too_wide} == set()
    assert {url: found for url, found in failures.items() if found} == {}

    # A failed import lists its problems by row and column, still within the screen.
    sheet = tmp_path / "register.csv"
    sheet.write_text("Organisation GSS code,Contract value\nE09000030,a lot\n", encoding="utf-8")
    page.goto("/registers/contracts/import/")
    page.get_by_label("Contracts register (.xlsx or .csv)").set_input_files(str(sheet))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("Nothing was imported").is_visible()
    assert page.locator("#problems tbody tr").count() > 1
    found = page.evaluate(WIDTH)
    assert found["scroll"] <= found["width"]
    assert _problems(page) == []
