"""A £30,000 business debt write-off: raised by a revenues officer, routed to a Director
with the Cabinet Member and the Section 151 officer as consultees, decided, then found
in the register and in the Joint Committee report (Word and PDF read back)."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from axe_playwright_python.sync_playwright import Axe
from docx import Document as WordDocument

from e2e.conftest import sign_in
from goldenthread.delegation import demo
from goldenthread.delegation.models import WriteOffRequest
from tests.factories import PostFactory, UserFactory, grant

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def fits_a_phone(page) -> bool:
    """No horizontal overflow at the phone width the journey runs at."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def violations(page) -> list[str]:
    results = Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
    return [
        f"{v['id']}: {v['help']} – {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def word_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def havering(partners, people):
    demo.load_schemes(people["admin"])
    director = UserFactory(username="director", first_name="Jane", last_name="West")
    grant(director, "lead")
    PostFactory(title="Director of Finance").holders.add(director)
    requester = UserFactory(username="requester", first_name="Rae", last_name="Quinn")
    grant(requester, "lead")
    PostFactory(title="Revenues Service Manager, Havering").holders.add(requester)
    return {"director": director, "requester": requester}


def test_a_business_debt_goes_to_a_director_is_written_off_and_reported(page, havering, tmp_path):
    page.set_viewport_size(PHONE)
    sign_in(page, "requester")
    page.goto("/delegation/")
    page.get_by_role("link", name="Ask for a debt to be written off").click()
    page.get_by_label("Business debts").check()
    page.get_by_label("Debtor").fill("Acme Trading Ltd")
    page.get_by_label("Account reference").fill("NNDR-004512")
    page.get_by_label("Amount to write off (£)").fill("30,000")
    page.get_by_label("Why the debt cannot be recovered").fill(
        "The company was dissolved; the liquidator reports no assets."
    )
    page.get_by_label("Evidence note").fill("Liquidator's letter, on the revenues file.")
    assert fits_a_phone(page)
    assert violations(page) == []
    page.get_by_role("button", name="Send for decision").click()

    page.get_by_test_id("deciding-post").wait_for()
    request = WriteOffRequest.objects.get()
    assert page.get_by_test_id("deciding-post").inner_text().startswith("Director (Tier 2)")
    assert page.get_by_test_id("consultees").locator("li").all_inner_texts() == [
        "Cabinet Member for Finance and Property",
        "Section 151 officer (or officer nominated by her)",
    ]
    assert page.get_by_test_id("state").inner_text() == "Awaiting decision"
    assert page.get_by_test_id("amount").inner_text() == "£30,000.00"
    assert fits_a_phone(page)
    assert violations(page) == []

    page.context.clear_cookies()
    sign_in(page, "director")
    page.goto("/delegation/")
    page.get_by_role("link", name=request.reference).first.click()
    page.get_by_label("Write the debt off").check()
    page.get_by_label("What the Cabinet Member for Finance and Property said").fill(
        "Agreed by email on the day."
    )
    page.get_by_label("What the Section 151 officer (or officer nominated by her) said").fill(
        "Agreed by the nominated officer."
    )
    assert fits_a_phone(page)
    assert violations(page) == []
    page.get_by_role("button", name="Record decision").click()
    page.get_by_test_id("decision").wait_for()
    assert page.get_by_test_id("state").inner_text() == "Written off"
    assert "Jane West (Director (Tier 2))" in page.get_by_test_id("decision").inner_text()
    request.refresh_from_db()
    assert request.state == "written_off"

    page.goto("/delegation/register/?council=LBH")
    register = page.locator("#register")
    assert request.reference in register.inner_text()
    assert "Cabinet Member for Finance and Property" in register.inner_text()
    assert (
        "1 debt written off, totalling £30,000.00"
        in page.get_by_test_id("register-total").inner_text()
    )
    page.screenshot(path=str(tmp_path / "register-390.png"), full_page=True)
    assert fits_a_phone(page)
    assert violations(page) == []

    for label, reader in (("Word", word_text), ("PDF", pdf_text)):
        response = page.request.get(
            page.get_by_role("link", name=label, exact=True).get_attribute("href")
        )
        assert response.ok
        text = reader(response.body())
        assert request.reference in text, label
        assert "£30,000.00" in text
        assert "Director (Tier 2)" in text
        assert "Cabinet Member for Finance and Property" in text
        assert "oneSource Joint Committee" in text
