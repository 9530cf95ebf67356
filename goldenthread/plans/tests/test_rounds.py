"""The update round: who owes updates, reminders by email, opening the next period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goldenthread.core.models import AuditEntry, Period
from goldenthread.plans import changes, rounds
from goldenthread.plans.models import Reminder
from tests.factories import ActionFactory, PostFactory, SectionFactory


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


@pytest.fixture
def lead(people):
    people["lead"].email = "ict.director@example.org"
    people["lead"].save()
    return people["lead"]


def lead_row(the_round, title):
    return next(row for row in the_round.leads if row.post.title == title)


def test_the_round_counts_each_leads_items_by_state(action, lbh_action, lead, people, q1, q2):
    done = ActionFactory(section=action.section, ref="IP41", lead_posts=[lead.posts.get()])
    delivered = changes.record_update(done, q1, by=lead, status="B", progress="Delivered.")
    changes.approve_update(delivered, by=people["admin"])  # completed, and approved, in Q1
    changes.record_update(lbh_action, q2, by=lead, status="G", progress="On track.")
    unheld = ActionFactory(
        section=action.section, ref="IP42", lead_posts=[PostFactory(title="Vacant post")]
    )

    the_round = rounds.round_for(action.plan, q2)

    ict = lead_row(the_round, "Director of ICT")
    assert sorted(s.item.ref for s in ict.items) == ["IP23", "IP40"]
    assert (ict.not_started, ict.submitted, ict.approved, ict.returned) == (1, 1, 0, 0)
    assert [s.item for s in the_round.unled] == [unheld]
    assert "IP41" not in [s.item.ref for s in the_round.states]  # completed in Q1
    assert (the_round.given, len(the_round.states)) == (1, 3)


def test_reminders_list_what_is_outstanding_and_are_recorded(
    action, lbh_action, lead, people, q2, settings
):
    settings.GT_SITE_URL = "https://gt.example.org/"
    changes.record_update(lbh_action, q2, by=lead, status="G", progress="On track.")
    post = lead.posts.get()

    sent = rounds.send_reminders(action.plan, [post.pk], by=people["admin"])

    assert [m.to for m in mail.outbox] == [["ict.director@example.org"]]
    body = mail.outbox[0].body
    assert "IP40" in body and "IP23" not in body  # IP23's update is given
    assert "https://gt.example.org" + reverse("plans:update", args=["action", action.pk]) in body
    assert [(r.person, r.outstanding, r.sent_by, r.step) for r in sent] == [
        (lead, 1, people["admin"], "manual")
    ]
    entry = AuditEntry.objects.get(field="reminder sent")
    assert entry.by == people["admin"]
    assert entry.new == (
        f"{lead.get_full_name()} (Director of ICT): 1 update(s) for 2019/20 Q2, "
        "sent from the update round"
    )


def test_a_lead_with_nothing_outstanding_is_not_sent_anything(action, lead, people, q2):
    changes.record_update(action, q2, by=lead, status="G", progress="On track.")
    with pytest.raises(ValidationError) as raised:
        rounds.send_reminders(action.plan, [lead.posts.get().pk], by=people["admin"])
    assert "leads" in raised.value.message_dict
    assert mail.outbox == [] and not Reminder.objects.exists()


@pytest.mark.parametrize("who", ["reader", "lead", "other_lead", "approver"])
def test_the_round_is_for_administrators_only(client, action, people, who):
    plan = action.plan
    client.force_login(people[who])
    assert client.get(reverse("plans:round", args=[plan.code])).status_code == 403
    remind = client.post(reverse("plans:remind", args=[plan.code]), {"leads": [1]})
    opened = client.post(reverse("plans:open_period", args=[plan.code]), {"period": "2019/20 Q3"})
    assert (remind.status_code, opened.status_code) == (403, 403)
    assert client.get(reverse("plans:remind", args=[plan.code])).status_code == 405
    assert mail.outbox == [] and not Reminder.objects.exists()
    plan.refresh_from_db()
    assert plan.reporting_period.code == "2019/20 Q2"


def test_the_round_page_shows_the_deadline_and_the_reminder_days(client, action, people):
    plan = action.plan
    client.force_login(people["admin"])
    page = client.get(reverse("plans:round", args=[plan.code])).content.decode()
    assert 'data-post="Director of ICT"' in page and "Email reminders" in page
    assert "Set a due date to have reminders sent" in page  # the factory's plan has none
    plan.updates_due_by = date(2019, 10, 14)
    plan.save()
    page = client.get(reverse("plans:round", args=[plan.code])).content.decode()
    assert "overdue by " in page and "(due by 14 October 2019)" in page
    assert "Before the due date: Monday 7 October 2019" in page
    assert "On the due date: Monday 14 October 2019" in page
    assert "Overdue, line manager copied in: Thursday 17 October 2019" in page


def test_leads_see_the_deadline_on_their_home_page_and_form(client, action, people):
    plan = action.plan
    plan.updates_due_by = timezone.localdate() + timedelta(days=40)
    plan.save()
    client.force_login(people["lead"])
    due = f"due by {plan.updates_due_by.day} {plan.updates_due_by:%b %Y}"
    home = client.get(reverse("home")).content.decode()
    assert due in home and "overdue by" not in home
    form = client.get(reverse("plans:update", args=["action", action.pk])).content.decode()
    assert f"Updates for 2019/20 Q2 are <strong>due by {plan.updates_due_by.day} " in form

    plan.updates_due_by = date(2019, 10, 14)
    plan.save()
    home = client.get(reverse("home")).content.decode()
    assert "due by 14 Oct 2019" in home and "overdue by " in home
    form = client.get(reverse("plans:update", args=["action", action.pk])).content.decode()
    assert "<strong>overdue by " in form and "(due by 14 October 2019)" in form


def test_the_administrator_reminds_a_lead_from_the_page(client, action, lead, people):
    client.force_login(people["admin"])
    response = client.post(
        reverse("plans:remind", args=[action.plan.code]), {"leads": [lead.posts.get().pk]}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    page = client.get(response.url).content.decode()
    assert f"Reminders sent to 1 person: {lead.get_full_name()}." in page
    assert "Not yet" not in page  # the row shows when the lead was last reminded


def test_opening_a_period_is_checked_and_recorded(client, action, people):
    plan = action.plan
    client.force_login(people["admin"])
    url = reverse("plans:open_period", args=[plan.code])

    refused = client.post(url, {"period": "2019/20 Q3", "updates_due_by": "15/07/2019"})
    assert refused.status_code == 400
    assert "The due date must be on or after the period starts (1 October 2019)" in (
        refused.content.decode()
    )
    plan.refresh_from_db()
    assert plan.reporting_period.code == "2019/20 Q2"

    assert client.post(url, {"period": "2020/21 Q1"}).status_code == 400  # not offered
    accepted = client.post(url, {"period": "2019/20 Q3", "updates_due_by": "15/01/2020"})
    assert accepted.status_code == 302
    plan.refresh_from_db()
    assert (plan.reporting_period.code, str(plan.updates_due_by)) == ("2019/20 Q3", "2020-01-15")
    entry = AuditEntry.objects.get(field="period open for updates")
    assert (entry.by, entry.old, entry.new) == (people["admin"], "2019/20 Q2", "2019/20 Q3")


def test_a_section_lead_post_with_joint_holders_reaches_both(action, people, q2):
    joint = PostFactory(title="Zena Cooke / Zamil Ahmed")
    for name in ("zena", "zamil"):
        user = people["admin"].__class__.objects.create(username=name, email=f"{name}@x.org")
        joint.holders.add(user)
    ActionFactory(section=SectionFactory(plan=action.plan), ref="IP05", lead_posts=[joint])

    rounds.send_reminders(action.plan, [joint.pk], by=people["admin"])

    # one email each: a reminder goes to a person, with everything they owe
    assert sorted(m.to[0] for m in mail.outbox) == ["zamil@x.org", "zena@x.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_returning_an_update_emails_its_lead_with_the_reason(client, lbh_action, lead, people, q2):
    update = changes.record_update(lbh_action, q2, by=lead, status="G", progress="On track.")
    client.force_login(people["approver"])  # Havering's approver
    response = client.post(
        reverse("plans:approve", args=[update.pk]),
        {"return": "1", "reason": "Say which sites are late.", "version": update.version},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["ict.director@example.org"]
    assert "IP23" in message.subject and "2019/20 Q2" in message.subject
    assert "Say which sites are late." in message.body
    assert reverse("plans:update", args=["action", lbh_action.pk]) in message.body
    update.refresh_from_db()
    assert update.state == "returned"


def test_after_approving_the_page_goes_back_only_to_this_site(client, lbh_action, lead, people, q2):
    update = changes.record_update(lbh_action, q2, by=lead, status="G", progress="On track.")
    client.force_login(people["approver"])
    url = reverse("plans:approve", args=[update.pk])
    outside = client.post(url, {"next": "https://evil.example.com/", "version": update.version})
    assert outside.url == reverse("plans:approvals")
    update2 = changes.record_update(
        lbh_action, Period.objects.for_code("2019/20 Q3"), by=lead, status="G", progress="Fine."
    )
    inside = client.post(
        reverse("plans:approve", args=[update2.pk]),
        {"next": lbh_action.get_absolute_url(), "version": update2.version},
    )
    assert inside.url == lbh_action.get_absolute_url()


def test_a_return_stands_when_the_mail_server_is_down(
    client, lbh_action, lead, people, q2, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    update = changes.record_update(lbh_action, q2, by=lead, status="G", progress="On track.")
    client.force_login(people["approver"])
    response = client.post(
        reverse("plans:approve", args=[update.pk]),
        {"return": "1", "reason": "Say which sites are late.", "version": update.version},
        follow=True,
    )
    assert "the email to its lead could not be sent: tell them yourself." in (
        response.content.decode()
    )
    update.refresh_from_db()
    assert update.state == "returned"


def test_opening_a_period_without_a_due_date_gives_the_default(client, action, people, settings):
    settings.GT_UPDATES_DUE_WORKING_DAYS = 10
    plan = action.plan
    client.force_login(people["admin"])
    page = client.get(reverse("plans:round", args=[plan.code])).content.decode()
    assert "Leave it empty for 10 working days after the period ends" in page

    response = client.post(reverse("plans:open_period", args=[plan.code]), {"period": "2019/20 Q3"})

    assert response.status_code == 302
    plan.refresh_from_db()
    # 31 December 2019 + 10 working days, skipping New Year's Day
    assert plan.updates_due_by == date(2020, 1, 15)
