"""Set-up through Django admin is audited like every other change."""

from __future__ import annotations

from django.urls import reverse

from goldenthread.core.models import AuditEntry


def test_an_admin_change_records_old_and_new(client, action, people):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:plans_action_change", args=[action.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "title": "A clearer delivery text",
            "partners": [],
            "corporate_priorities": [],
            "improvement_priorities": [],
            "lead_posts": [p.pk for p in action.lead_posts.all()],
            "milestones-TOTAL_FORMS": "1",
            "milestones-INITIAL_FORMS": "0",
            "milestones-0-title": "Sign the contract",
            "milestones-0-order": "1",
            "milestones-0-lead": "Director of ICT",
            "milestones-0-deadline": "2020-03-31",
        }
    )
    for key in ("start_date", "target_date", "original_target_date", "service"):
        data.setdefault(key, "")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(field="delivery / action")
    assert (entry.old, entry.new, entry.by) == (action.title, "A clearer delivery text", admin)
    assert AuditEntry.objects.filter(verb="created", object_repr="Sign the contract").exists()


def test_the_admin_refuses_a_target_before_the_start(client, action, people):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:plans_action_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "start_date": "2019-04-01",
            "target_date": "2019-01-31",
            "lead_posts": [],
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
        }
    )
    for key in ("original_target_date", "service", "partners"):
        data.setdefault(key, "")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The target date is before the start date." in response.content.decode()
    assert not AuditEntry.objects.exists()
