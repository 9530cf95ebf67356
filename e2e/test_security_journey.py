"""In the browser, the Content-Security-Policy blocks nothing of ours, and a person locked
out after repeated failures is told so."""

from __future__ import annotations

import pytest

from e2e.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_run_their_scripts_under_the_policy(page, people, action):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, "lead")
    for url in ["/", "/plans/", "/indicators/", f"/actions/{action.pk}/"]:
        page.goto(url)
        classes = page.locator("body").get_attribute("class") or ""
        assert "js-enabled" in classes, url  # the inline script ran, by its nonce
        assert "govuk-frontend-supported" in classes, url
        # GOV.UK Frontend's module script ran: the skip link is initialised.
        page.wait_for_function(
            "document.querySelector('[data-module=govuk-skip-link]')"
            ".getAttribute('data-govuk-skip-link-init') !== null"
        )
    assert violations == []


def test_a_locked_out_person_is_told_and_cannot_sign_in(page, people):
    for _ in range(5):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("lead")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="You cannot sign in for now").wait_for()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("pw-for-tests-0")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="You cannot sign in for now").wait_for()
