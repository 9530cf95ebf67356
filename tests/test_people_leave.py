"""People leave, history stays: users are deactivated, not deleted, and every page that
showed their changes still answers and still names them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from goldenthread.core import people as people_module
from goldenthread.core.models import AuditEntry, Period
from goldenthread.plans import changes

pytestmark = pytest.mark.django_db

NAME = "Leah Leaving"


@pytest.fixture
def history(people, action):
    """The lead, named Leah Leaving, submits an update the approver approves."""
    lead = people["lead"]
    lead.first_name, lead.last_name = "Leah", "Leaving"
    lead.save()
    period = Period.objects.for_code("2019/20 Q2")
    update = changes.record_update(action, period, by=lead, status="G", progress="On track.")
    changes.approve_update(update, by=people["admin"])
    assert AuditEntry.objects.filter(by=lead).exists()
    return {"lead": lead, "action": action, "update": update}


def pages(history) -> list[str]:
    return [f"/actions/{history['action'].pk}/", "/approvals/"]


def staff_admin(people):
    admin = people["admin"]
    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    return admin


def test_audit_entries_keep_the_persons_name_as_text(history):
    entry = AuditEntry.objects.filter(by=history["lead"]).first()
    assert entry.by_name == NAME
    assert entry.who == NAME


def test_deactivating_keeps_history_and_is_audited(client, people, history):
    lead = history["lead"]
    assert people_module.deactivate(lead, by=people["admin"]) is True
    lead.refresh_from_db()
    assert not lead.is_active
    entry = AuditEntry.objects.get(
        verb=AuditEntry.Verb.DEACTIVATED,
        content_type=ContentType.objects.get_for_model(lead),
        object_id=lead.pk,
    )
    assert entry.by == people["admin"] and entry.new == "No"
    assert people_module.deactivate(lead, by=people["admin"]) is False  # once only
    client.force_login(people["admin"])
    for url in pages(history):
        response = client.get(url)
        assert response.status_code == 200, url
    assert NAME in client.get(pages(history)[0]).content.decode()


def test_a_deactivated_user_cannot_sign_in(client, history):
    people_module.deactivate(history["lead"], by=None)
    response = client.post(
        "/sign-in/", {"username": history["lead"].username, "password": "pw-for-tests-0"}
    )
    assert response.status_code == 200  # the form again, not a redirect into the app
    assert "_auth_user_id" not in client.session


def test_a_hard_delete_leaves_the_name_and_every_page_answers(client, people, history):
    lead = history["lead"]
    lead_pk = lead.pk
    ids = list(AuditEntry.objects.filter(by=lead).values_list("pk", flat=True))
    lead.delete()
    kept = AuditEntry.objects.filter(pk__in=ids)
    assert kept.count() == len(ids)
    assert all(e.by_id is None and e.who == NAME for e in kept)
    assert AuditEntry.objects.filter(
        verb=AuditEntry.Verb.DELETED,
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=lead_pk,
        old=NAME,
    ).exists()
    client.force_login(people["admin"])
    for url in pages(history):
        response = client.get(url)
        assert response.status_code == 200, url
    assert NAME in client.get(pages(history)[0]).content.decode()


def test_set_up_cannot_delete_a_user(client, people, history):
    client.force_login(staff_admin(people))
    lead = history["lead"]
    listing = client.get("/setup/auth/user/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert 'value="deactivate"' in body and 'value="delete_selected"' not in body
    assert client.get(f"/setup/auth/user/{lead.pk}/delete/").status_code == 403
    assert client.post(f"/setup/auth/user/{lead.pk}/delete/", {"post": "yes"}).status_code == 403
    lead.refresh_from_db()


def test_set_up_deactivates_with_an_audited_action(client, people, history):
    client.force_login(staff_admin(people))
    lead = history["lead"]
    response = client.post(
        "/setup/auth/user/",
        {"action": "deactivate", "_selected_action": [lead.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 user deactivated." in response.content.decode()
    lead.refresh_from_db()
    assert not lead.is_active
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.DEACTIVATED, object_id=lead.pk)
    assert entry.by == people["admin"]


def test_the_audit_log_in_set_up_names_a_deleted_person(client, people, history):
    history["lead"].delete()
    client.force_login(staff_admin(people))
    response = client.get("/setup/core/auditentry/")
    assert response.status_code == 200
    assert NAME in response.content.decode()


def test_user_changes_in_set_up_never_copy_the_password(client, people, history):
    client.force_login(staff_admin(people))
    lead = history["lead"]
    response = client.get(f"/setup/auth/user/{lead.pk}/change/")
    assert response.status_code == 200
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(lead))
    assert not entries.filter(field__icontains="password").exists()
