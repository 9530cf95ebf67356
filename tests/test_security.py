"""Sign-in hardening: lockout after repeated failures, security headers, private pages,
sessions that end; and the sign-in page never errs for a signed-in user."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from goldenthread.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-0"


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_signs_in(client, people):
    response = sign_in(client, "lead", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, people):
    for _ in range(50):
        response = sign_in(client, "lead", "wrong-password")
        assert response.status_code in (200, 429)
        assert not signed_in(client)
    response = sign_in(client, "lead", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "You cannot sign in for now" in response.content.decode()


def test_the_lockout_starts_at_the_failure_limit(client, people):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, "lead", "wrong-password").status_code == 200
    assert sign_in(client, "lead", "wrong-password").status_code == 429
    assert sign_in(client, "lead", PASSWORD).status_code == 429


def test_a_lockout_is_audited_against_the_user(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong-password")
    entry = AuditEntry.objects.get(
        verb=AuditEntry.Verb.LOCKED_OUT,
        content_type=ContentType.objects.get_for_model(people["lead"]),
        object_id=people["lead"].pk,
    )
    assert "192.0.2.10" in entry.new


def test_a_lockout_is_per_username_and_address(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lead", "wrong-password")
    assert sign_in(client, "other_lead", PASSWORD).status_code == 302  # another user
    client.logout()
    assert sign_in(client, "lead", PASSWORD, address="192.0.2.99").status_code == 302


def test_signed_in_pages_are_never_stored(client, people):
    client.force_login(people["lead"])
    for url in ["/", "/plans/", "/indicators/", "/finance/", "/reports/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url


def test_signed_out_pages_may_be_cached(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_has_a_content_security_policy_without_inline_scripts(client, people):
    client.force_login(people["lead"])
    response = client.get("/plans/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    body = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", body)
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline, "the page's own inline scripts are expected"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert directives["frame-ancestors"] == "'none'"
    assert "<style" not in body  # styles come from our static files
    assert '"includeIndicatorStyles": false' in body  # htmx adds no <style> element


def test_the_sign_in_page_has_the_security_headers(client):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_session_ends_with_the_browser_and_after_eight_hours(client, people):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    sign_in(client, "lead", PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


def test_sign_in_pointing_back_to_itself_sends_a_signed_in_user_home(client, people):
    client.force_login(people["lead"])
    response = client.get("/sign-in/", {"next": "/sign-in/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_sends_a_signed_in_user_on_to_next(client, people):
    client.force_login(people["lead"])
    response = client.get("/sign-in/", {"next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = (p.strip() for p in policy.split(";"))
    return dict((part.split(" ", 1) + [""])[:2] for part in parts if part)


def test_a_paper_as_a_web_page_may_carry_its_own_styles_but_pages_may_not(client, people, action):
    client.force_login(people["admin"])
    paper = client.get(
        "/reports/papers/plans.progress/",
        {"subject": action.plan.code, "period": "2019/20 Q2", "format": "html"},
    )
    assert paper.status_code == 200
    assert paper["Content-Disposition"].startswith("inline;")
    assert "<style>" in paper.content.decode()
    assert "'unsafe-inline'" in _directives(paper)["style-src"]
    assert "'unsafe-inline'" not in _directives(paper)["script-src"]
    page = client.get("/plans/")
    assert "'unsafe-inline'" not in _directives(page)["style-src"]
