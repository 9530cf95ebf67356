"""Reminders run themselves: the daily job, on a fixed clock, through its three steps.

Quarter 4 of 2019/20 ends on Tuesday 31 March 2020. Ten working days later, over Good
Friday (10 April) and Easter Monday (13 April), updates are due on Thursday 16 April;
five working days before is Tuesday 7 April and three after is Tuesday 21 April.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from goldenthread.core.models import AuditEntry, Period
from goldenthread.core.schedule import TIME_ZONE, declared, firing
from goldenthread.plans import changes, rounds
from goldenthread.plans.models import Reminder
from goldenthread.plans.tasks import send_due_reminders
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PlanFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
    grant,
)

SITE = "https://gt.example.org"


@pytest.fixture
def q4(db):
    return Period.objects.for_code("2019/20 Q4")


@pytest.fixture
def partnership(people, plan, q4, settings):
    """Two plans open for 2019/20 Q4 with the default due date. The lead holds two posts,
    Director of ICT (an action in each plan) and Head of Digital (another action in the
    second plan); both report to the Executive Director. Another lead has one action."""
    settings.GT_SITE_URL = SITE
    settings.GT_UPDATES_DUE_WORKING_DAYS = 10
    settings.GT_REMINDER_DAYS_BEFORE_DUE = 5
    settings.GT_REMINDER_ON_DUE_DATE = True
    settings.GT_REMINDER_DAYS_AFTER_DUE = 3
    lead, other = people["lead"], people["other_lead"]
    for user in (lead, other):
        user.email = f"{user.username}@example.org"
        user.save()
    executive = UserFactory(username="executive", email="executive@example.org")
    grant(executive, "lead")
    director = PostFactory(title="Executive Director")
    director.holders.add(executive)
    ict = lead.posts.get(title="Director of ICT")
    digital = PostFactory(title="Head of Digital", reports_to=director)
    digital.holders.add(lead)
    ict.reports_to = director
    ict.save()
    second = PlanFactory(code="DP", title="Digital Programme")
    actions = {
        "IP40": ActionFactory(section=SectionFactory(plan=plan), ref="IP40", lead_posts=[ict]),
        "IP07": ActionFactory(
            section=SectionFactory(plan=plan), ref="IP07", lead_posts=[other.posts.get()]
        ),
        "DP01": ActionFactory(section=SectionFactory(plan=second), ref="DP01", lead_posts=[ict]),
        "DP02": ActionFactory(
            section=SectionFactory(plan=second), ref="DP02", lead_posts=[digital]
        ),
    }
    for each in (plan, second):
        rounds.open_period(each, q4, None, by=people["admin"])
    return {"plans": (plan, second), "actions": actions, "executive": executive}


def run_scheduler(start: date, end: date, *, twice: bool = False) -> dict[date, list]:
    """Fire the declared schedule from ``start`` to ``end`` (Europe/London): each time
    the reminders job falls due, run its task as the worker would on that day. Returns
    the emails sent each day."""
    sent: dict[date, list] = {}
    begin = datetime(start.year, start.month, start.day, tzinfo=TIME_ZONE) - timedelta(seconds=1)
    finish = datetime(end.year, end.month, end.day, 23, 59, tzinfo=TIME_ZONE)
    for when, periodic in firing(declared(), begin, finish):
        if periodic.name != "reminders":
            continue
        before = len(mail.outbox)
        for _ in range(2 if twice else 1):
            periodic.task.call(when.date().isoformat())
        if len(mail.outbox) > before:
            sent[when.date()] = mail.outbox[before:]
    return sent


def test_opening_a_period_sets_the_due_date_ten_working_days_after_it_ends(partnership):
    plan, second = partnership["plans"]
    assert plan.updates_due_by == date(2020, 4, 16)  # over Good Friday and Easter Monday
    assert second.updates_due_by == date(2020, 4, 16)
    entries = AuditEntry.objects.filter(field="updates due by")
    assert entries.count() == 2 and {e.new for e in entries} == {"2020-04-16"}


def test_the_schedule_runs_the_reminders_every_morning():
    (reminders,) = [p for p in declared() if p.name == "reminders"]
    assert reminders.task is send_due_reminders
    assert reminders.cron == "0 7 * * *"


def test_the_three_steps_go_on_the_right_days_one_email_per_person(partnership, people):
    sent = run_scheduler(date(2020, 3, 30), date(2020, 5, 1), twice=True)

    assert list(sent) == [date(2020, 4, 7), date(2020, 4, 16), date(2020, 4, 21)]
    for day, step in zip(sent, ["before", "due", "overdue"], strict=True):
        # one email for each person, however many posts and plans: never twice a day
        assert sorted(m.to[0] for m in sent[day]) == [
            "lead@example.org",
            "other_lead@example.org",
        ], day
        assert Reminder.objects.filter(step=step).count() == 3  # lead: 2 plans; other: 1
    assert Reminder.objects.filter(sent_by__isnull=True).count() == 9  # 3 steps × 3 parts

    lead_mail = {day: next(m for m in sent[day] if m.to == ["lead@example.org"]) for day in sent}
    before = lead_mail[date(2020, 4, 7)]
    assert before.subject == "Reminder: 3 updates to give, due by 16 April 2020"
    assert before.cc == []
    for ref in ("IP40", "DP01", "DP02"):  # across both plans and both posts
        assert ref in before.body
    assert "IP07" not in before.body  # the other lead's
    actions = partnership["actions"]
    for ref in ("IP40", "DP01", "DP02"):
        link = SITE + reverse("plans:update", args=["action", actions[ref].pk])
        assert link in before.body
    assert "As Director of ICT and Head of Digital:" in before.body
    assert lead_mail[date(2020, 4, 16)].subject.startswith("Due today: 3 updates")

    overdue = lead_mail[date(2020, 4, 21)]
    assert overdue.subject.startswith("Overdue: 3 updates")
    assert overdue.cc == ["executive@example.org"]  # the posts' line manager, once
    assert "overdue by 3 working days (due by 16 April 2020)" in overdue.body
    other_overdue = next(m for m in sent[date(2020, 4, 21)] if m.to == ["other_lead@example.org"])
    assert other_overdue.cc == []  # Director of HROD has no line manager recorded
    assert "Your post has no line manager recorded" in other_overdue.body

    record = Reminder.objects.get(person=people["lead"], step="overdue", plan__code="DP")
    assert record.outstanding == 2 and record.due_by == date(2020, 4, 16)
    assert record.recipients.split() == ["lead@example.org", "executive@example.org"]
    assert sorted(line.split()[0] for line in record.items.splitlines()) == ["DP01", "DP02"]
    assert AuditEntry.objects.filter(field="reminder sent", by__isnull=True).count() == 9


def test_running_again_the_same_day_sends_nothing(partnership):
    first = rounds.send_due_reminders(date(2020, 4, 16))
    count = len(mail.outbox)
    again = rounds.send_due_reminders(date(2020, 4, 16))
    later = rounds.send_due_reminders(date(2020, 4, 20))  # still the due date's step
    assert len(first) == 3 and again == [] and later == []
    assert len(mail.outbox) == count == 2
    assert Reminder.objects.count() == 3


def test_a_missed_day_is_caught_up_on_the_next_run(partnership):
    # the job did not run on 7 April; on 8 April the first step still goes, once
    assert [r.step for r in rounds.send_due_reminders(date(2020, 4, 8))] == ["before"] * 3
    assert rounds.send_due_reminders(date(2020, 4, 9)) == []


def test_nothing_goes_before_the_first_step_or_on_days_off(partnership):
    for day in (date(2020, 4, 1), date(2020, 4, 6)):
        assert rounds.send_due_reminders(day) == []
    assert mail.outbox == []


def test_people_who_have_given_their_updates_are_left_alone(partnership, people, q4):
    lead = people["lead"]
    actions = partnership["actions"]
    rounds.send_due_reminders(date(2020, 4, 7))
    for ref in ("IP40", "DP01", "DP02"):
        changes.record_update(actions[ref], q4, by=lead, status="G", progress="On track.")
    mail.outbox.clear()

    rounds.send_due_reminders(date(2020, 4, 16))

    assert [m.to for m in mail.outbox] == [["other_lead@example.org"]]


def test_a_returned_update_is_outstanding_again(partnership, people, q4):
    update = changes.record_update(
        partnership["actions"]["IP40"], q4, by=people["lead"], status="G", progress="Fine."
    )
    changes.return_update(update, by=people["admin"], reason="Say which sites.")

    rounds.send_due_reminders(date(2020, 4, 7))

    body = next(m for m in mail.outbox if m.to == ["lead@example.org"]).body
    assert "IP40" in body and "(returned to you for changes)" in body


def test_each_step_can_be_turned_off(partnership, settings):
    settings.GT_REMINDER_DAYS_BEFORE_DUE = 0
    settings.GT_REMINDER_ON_DUE_DATE = False
    sent = run_scheduler(date(2020, 4, 1), date(2020, 4, 30))
    assert list(sent) == [date(2020, 4, 21)]


def test_a_closed_round_is_not_chased(partnership, people):
    for plan in partnership["plans"]:
        plan.reporting_period = None
        plan.save(update_fields=["reporting_period"])
    assert rounds.send_due_reminders(date(2020, 4, 21)) == []
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # the task closes its connection when it ends
def test_the_scheduler_hands_the_job_to_the_worker(partnership, settings):
    from goldenthread.core.management.commands.run_scheduler import enqueue

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    (reminders,) = [p for p in declared() if p.name == "reminders"]

    enqueue(reminders)  # today is long after 16 April 2020: the overdue step

    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.org", "other_lead@example.org"]
    assert set(Reminder.objects.values_list("step", flat=True)) == {"overdue"}


def test_the_manual_reminder_sends_the_same_email(partnership, people, client):
    plan = partnership["plans"][0]
    client.force_login(people["admin"])
    ict = people["lead"].posts.get(title="Director of ICT")

    response = client.post(reverse("plans:remind", args=[plan.code]), {"leads": [ict.pk]})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["lead@example.org"]
    for ref in ("IP40", "DP01", "DP02"):
        link = SITE + reverse("plans:update", args=["action", partnership["actions"][ref].pk])
        assert link in message.body
    assert set(Reminder.objects.values_list("step", "sent_by")) == {("manual", people["admin"].pk)}
    # a manual reminder does not use up a scheduled step
    assert len(rounds.send_due_reminders(date(2020, 4, 7))) == 3


def test_the_demo_directors_report_to_the_executive_director(db):
    from goldenthread.core.models import Post
    from goldenthread.demo import loader

    loader.load_organisations(None)
    OrganisationFactory(code="LBTH")  # the Best Value plan's council, loaded with it
    loader.load_people("a-demo-password-0")

    assert Post.objects.get(title="Director of ICT").reports_to.title == "Executive Director"
    director = Post.objects.get(title="Executive Director")
    assert [u.username for u in director.holders.all()] == ["executive.director"]


def test_a_failed_send_leaves_no_record_and_is_tried_again(partnership, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2

    assert rounds.send_due_reminders(date(2020, 4, 7)) == []
    assert not Reminder.objects.exists()
    assert not AuditEntry.objects.filter(field="reminder sent").exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(rounds.send_due_reminders(date(2020, 4, 8))) == 3  # caught up the next day


def test_reminding_needs_the_forms_csrf_token(partnership, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["admin"])
    plan = partnership["plans"][0]
    ict = people["lead"].posts.get(title="Director of ICT")
    response = client.post(reverse("plans:remind", args=[plan.code]), {"leads": [ict.pk]})
    assert response.status_code == 403
    assert mail.outbox == []
