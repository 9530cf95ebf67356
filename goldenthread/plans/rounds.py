"""The quarterly update round: who owes which updates, chasing them, and opening the next period.

Items are led by posts; a post's holders give its updates. An item completed in
an earlier period needs no further update and is left out of the round.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from goldenthread.core import audit, workdays
from goldenthread.core.access import grants_of
from goldenthread.core.models import AuditEntry, Period, Post
from goldenthread.plans import reading
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate, Reminder

logger = logging.getLogger(__name__)

Item = Action | Milestone

NOT_STARTED = "not started"


@dataclass
class ItemState:
    item: Item
    state: str = NOT_STARTED  # a ProgressUpdate state, or NOT_STARTED

    @property
    def outstanding(self) -> bool:
        return self.state in (NOT_STARTED, ProgressUpdate.State.RETURNED)


@dataclass
class LeadRound:
    """One lead's part of the round: their items and where each stands."""

    post: Post
    holders: list
    items: list[ItemState] = field(default_factory=list)
    last_reminder: Reminder | None = None

    def count(self, state: str) -> int:
        return sum(1 for i in self.items if i.state == state)

    @property
    def not_started(self) -> int:
        return self.count(NOT_STARTED)

    @property
    def submitted(self) -> int:
        return self.count(ProgressUpdate.State.SUBMITTED)

    @property
    def approved(self) -> int:
        return self.count(ProgressUpdate.State.APPROVED)

    @property
    def returned(self) -> int:
        return self.count(ProgressUpdate.State.RETURNED)

    @property
    def outstanding(self) -> list[ItemState]:
        return [i for i in self.items if i.outstanding]

    @property
    def emails(self) -> list[str]:
        return sorted({u.email for u in self.holders if u.email})


@dataclass
class Round:
    plan: Plan
    period: Period
    states: list[ItemState]
    leads: list[LeadRound]
    unled: list[ItemState]

    @property
    def given(self) -> int:
        return sum(1 for i in self.states if not i.outstanding)


def _items_with_posts(plan: Plan) -> list[tuple[Item, list[Post]]]:
    """Every item of the plan that takes updates, with the posts that lead it."""
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("plan")
        .prefetch_related("lead_posts__holders")
        .order_by("section__order", "order")
    )
    if not plan.tracks_milestones:
        return [(a, lead_posts_of(a)) for a in actions]
    milestones = (
        Milestone.objects.filter(action__plan=plan)
        .select_related("action__plan")
        .prefetch_related("lead_posts__holders", "action__lead_posts__holders")
        .order_by("action__section__order", "action__order", "order")
    )
    return [(m, lead_posts_of(m)) for m in milestones]


def lead_posts_of(item: Item) -> list[Post]:
    """The posts that lead an item: a milestone's own, else its action's."""
    posts = list(item.lead_posts.all())
    if not posts and isinstance(item, Milestone):
        posts = list(item.action.lead_posts.all())
    return posts


def round_for(plan: Plan, period: Period) -> Round:
    """Each lead's items for the period, and the items no one holding a post can update."""
    current, completed = reading.updates_in_play(plan, period, "state")
    leads: dict[int, LeadRound] = {}
    states: list[ItemState] = []
    unled: list[ItemState] = []
    for item, posts in _items_with_posts(plan):
        if item.pk in completed:
            continue
        state = ItemState(item, current[item.pk][1] if item.pk in current else NOT_STARTED)
        states.append(state)
        held = [p for p in posts if p.holders.all()]
        if not held:
            unled.append(state)
        for post in held:
            lead = leads.setdefault(post.pk, LeadRound(post, list(post.holders.all())))
            lead.items.append(state)
    latest: dict[int, Reminder] = {}
    for reminder in Reminder.objects.filter(plan=plan, period=period).select_related("sent_by"):
        latest.setdefault(reminder.person_id, reminder)  # newest first
    for lead in leads.values():
        found = [latest[u.pk] for u in lead.holders if u.pk in latest]
        lead.last_reminder = max(found, key=lambda r: r.sent_on) if found else None
    ordered = sorted(leads.values(), key=lambda lead: lead.post.title.casefold())
    return Round(plan, period, states, ordered, unled)


def _led_by(user, plan: Plan) -> list[Item]:
    """The plan's items the user leads through a post they hold, in the plan's order."""
    posts = grants_of(user).post_ids
    if not posts:
        return []
    if plan.tracks_milestones:
        return list(
            Milestone.objects.filter(action__plan=plan)
            .filter(Q(lead_posts__in=posts) | Q(action__lead_posts__in=posts))
            .select_related("action__plan")
            .distinct()
            .order_by("action__section__order", "action__order", "order")
        )
    return list(
        Action.objects.filter(plan=plan, lead_posts__in=posts)
        .select_related("plan")
        .distinct()
        .order_by("section__order", "order")
    )


def items_due(user, plan: Plan, period: Period) -> list[ItemState]:
    """The user's part of the round: their items still outstanding for the period.

    One query for the plan's updates, not one per item; items completed in an earlier
    period need no update.
    """
    current, completed = reading.updates_in_play(plan, period, "state")
    states = [
        ItemState(item, current[item.pk][1] if item.pk in current else NOT_STARTED)
        for item in _led_by(user, plan)
        if item.pk not in completed
    ]
    return [state for state in states if state.outstanding]


# -- the due date ---------------------------------------------------------------------------


def default_due_by(period: Period) -> date:
    """Updates are due ``GT_UPDATES_DUE_WORKING_DAYS`` working days after the period ends."""
    return workdays.add_working_days(period.end, settings.GT_UPDATES_DUE_WORKING_DAYS)


def reminder_steps() -> workdays.ReminderSteps:
    """When the daily job reminds, from the settings."""
    return workdays.ReminderSteps(
        before=settings.GT_REMINDER_DAYS_BEFORE_DUE,
        on_due_date=settings.GT_REMINDER_ON_DUE_DATE,
        after=settings.GT_REMINDER_DAYS_AFTER_DUE,
    )


def reminder_days(plan: Plan) -> list[tuple[str, date]]:
    """When the daily job reminds the plan's leads this round: (what, day) in order."""
    if plan.reporting_period_id is None or plan.updates_due_by is None:
        return []
    return [
        (Reminder.Step(step).label, day)
        for step, day in reminder_steps().days(plan.updates_due_by).items()
    ]


@transaction.atomic
def open_period(plan: Plan, period: Period, due_by: date | None, *, by) -> Plan:
    """Open a period for updates and say when they are due, recording the change.

    Without a due date the default is :func:`default_due_by`.
    """
    if due_by is None:
        due_by = default_due_by(period)
    if due_by < period.start:
        starts = f"{period.start.day} {period.start:%B %Y}"
        message = f"The due date must be on or after the period starts ({starts})."
        raise ValidationError({"updates_due_by": message})
    before = audit.snapshot(plan)
    plan.reporting_period = period
    plan.updates_due_by = due_by
    plan.save(update_fields=["reporting_period", "updates_due_by"])
    audit.record_changes(plan, before, by=by)
    return plan


# -- what each person owes, across every plan open for updates ------------------------------


@dataclass
class PlanOwed:
    """One person's outstanding items on one plan, and the posts they lead them through."""

    plan: Plan
    period: Period
    items: list[ItemState] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)

    def add(self, post: Post, states: list[ItemState]) -> None:
        if post not in self.posts:
            self.posts.append(post)
        known = {s.item.pk for s in self.items}
        self.items.extend(s for s in states if s.item.pk not in known)

    @property
    def deadline(self) -> workdays.Deadline | None:
        due = self.plan.updates_due_by
        return workdays.Deadline(due) if due else None


@dataclass
class PersonOwes:
    """Everything one person owes: a part per plan, whichever posts they hold."""

    person: object  # a user
    parts: dict[int, PlanOwed] = field(default_factory=dict)

    def part(self, plan: Plan, period: Period) -> PlanOwed:
        return self.parts.setdefault(plan.pk, PlanOwed(plan, period))

    @property
    def count(self) -> int:
        return sum(len(part.items) for part in self.parts.values())


def open_plans() -> list[Plan]:
    """Plans with a period open for updates, in title order."""
    return list(
        Plan.objects.filter(reporting_period__isnull=False).select_related("reporting_period")
    )


def owed_by_person(plans: list[Plan]) -> dict[int, PersonOwes]:
    """Who owes which updates on these plans (each for its open period), by user id.

    A person holding two posts, or leading items in two plans, is one entry; signed-out
    (inactive) accounts are left out.
    """
    owed: dict[int, PersonOwes] = {}
    for plan in plans:
        period = plan.reporting_period
        for lead in round_for(plan, period).leads:
            if not lead.outstanding:
                continue
            for person in lead.holders:
                if not person.is_active:
                    continue
                owes = owed.setdefault(person.pk, PersonOwes(person))
                owes.part(plan, period).add(lead.post, lead.outstanding)
    return owed


# -- reminders: one email per person --------------------------------------------------------

Step = Reminder.Step
URGENCY = [Step.MANUAL, Step.BEFORE, Step.DUE, Step.OVERDUE]
SUBJECT = {
    Step.MANUAL: "Reminder",
    Step.BEFORE: "Reminder",
    Step.DUE: "Due today",
    Step.OVERDUE: "Overdue",
}


def item_link(item: Item, site_url: str) -> str:
    """The absolute address of the item's update form."""
    kind = "milestone" if isinstance(item, Milestone) else "action"
    return site_url.rstrip("/") + reverse("plans:update", args=[kind, item.pk])


def _label(item: Item) -> str:
    ref = getattr(item, "ref", "")
    return f"{ref} {item.title}" if ref else item.title


def _line_managers(posts: list[Post], person) -> list:
    """The holders of the posts these posts report to (not the person themself)."""
    found = []
    for post in Post.objects.filter(pk__in=[p.pk for p in posts]).select_related("reports_to"):
        if post.reports_to is None:
            continue
        for manager in post.reports_to.holders.filter(is_active=True):
            if manager.pk != person.pk and manager not in found:
                found.append(manager)
    return found


def _message(owes: PersonOwes, step: str, managers: list, today: date, site_url: str):
    parts = sorted(owes.parts.values(), key=lambda part: part.plan.title.casefold())
    count = owes.count
    subject = f"{SUBJECT[step]}: {count} update{'' if count == 1 else 's'} to give"
    deadlines = {part.plan.updates_due_by for part in parts}
    if len(deadlines) == 1 and None not in deadlines:
        subject += f", due by {workdays.long_date(deadlines.pop())}"
    body = render_to_string(
        "plans/email/reminder.txt",
        {
            "person": owes.person,
            "count": count,
            "step": step,
            "managers": managers,
            "parts": [
                {
                    "plan": part.plan,
                    "period": part.period,
                    "posts": part.posts,
                    "deadline": part.deadline.describe(today) if part.deadline else "",
                    "items": [
                        {
                            "label": _label(s.item),
                            "returned": s.state == ProgressUpdate.State.RETURNED,
                            "link": item_link(s.item, site_url),
                        }
                        for s in part.items
                    ],
                }
                for part in parts
            ],
            "home": site_url.rstrip("/") + reverse("home"),
        },
    )
    cc = sorted({m.email for m in managers if m.email} - {owes.person.email})
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [owes.person.email], cc=cc)


def _send(
    owes: PersonOwes, steps: dict[int, str], *, by, today: date, site_url: str, connection
) -> list[Reminder]:
    """Email one person everything they owe and record it against each plan in ``steps``
    (plan id → step). Records are written before the email goes, in one transaction: a
    second run that tries the same scheduled step fails on the unique constraint, and a
    failed send leaves no record, so the next run tries again."""
    step = max(steps.values(), key=URGENCY.index)
    managers: list = []
    if step == Step.OVERDUE:
        overdue = [owes.parts[pk] for pk, s in steps.items() if s == Step.OVERDUE]
        managers = _line_managers([p for part in overdue for p in part.posts], owes.person)
    message = _message(owes, step, managers, today, site_url)
    message.connection = connection
    recipients = "\n".join(message.to + message.cc)
    now = timezone.now()
    name = owes.person.get_full_name() or owes.person.get_username()
    reminders = []
    with transaction.atomic():
        for plan_pk, plan_step in steps.items():
            part = owes.parts[plan_pk]
            reminders.append(
                Reminder.objects.create(
                    plan=part.plan,
                    period=part.period,
                    person=owes.person,
                    step=plan_step,
                    due_by=part.plan.updates_due_by,
                    recipients=recipients,
                    outstanding=len(part.items),
                    items="\n".join(_label(s.item)[:200] for s in part.items),
                    sent_by=by,
                    sent_on=now,
                )
            )
            copied = f"; copied to {', '.join(message.cc)}" if message.cc else ""
            audit.record_event(
                part.plan,
                AuditEntry.Verb.CHANGED,
                by=by,
                field="reminder sent",
                new=(
                    f"{name} ({', '.join(p.title for p in part.posts)}): "
                    f"{len(part.items)} update(s) for {part.period.code}, "
                    f"{Step(plan_step).label.lower()}{copied}"
                ),
            )
        message.send()
    return reminders


def send_reminders(plan: Plan, post_ids: list[int], *, by) -> list[Reminder]:
    """An administrator's reminder from the update round: each holder of the chosen lead
    posts gets one email listing everything they owe (on every plan open for updates).

    Returns this plan's records, one per person. Leads with nothing outstanding or no
    email address are not sent anything; :class:`ValidationError` when none could be.
    """
    chosen = [
        owes
        for owes in owed_by_person(open_plans()).values()
        if plan.pk in owes.parts
        and owes.person.email
        and any(post.pk in post_ids for post in owes.parts[plan.pk].posts)
    ]
    if not chosen:
        raise ValidationError(
            {"leads": "Choose at least one lead with updates outstanding and an email address."}
        )
    today = timezone.localdate()
    sent = []
    with get_connection() as connection:
        for owes in sorted(chosen, key=lambda o: o.person.pk):
            records = _send(
                owes,
                dict.fromkeys(owes.parts, Step.MANUAL),
                by=by,
                today=today,
                site_url=settings.GT_SITE_URL,
                connection=connection,
            )
            sent.extend(r for r in records if r.plan_id == plan.pk)
    return sent


def send_due_reminders(today: date) -> list[Reminder]:
    """The daily job: for each plan open for updates, the reminder step that ``today``
    has reached (before, on or after the due date, counted in working days), sent once
    per person, plan, period and step. Each person gets one email listing everything
    they owe; the step after the due date copies in their posts' line managers.

    Running it again the same day (or any later day before the next step) sends nothing
    already sent. A person whose email fails is logged and tried again on the next run.
    """
    rule = reminder_steps()
    plans = open_plans()
    step_of = {p.pk: rule.step_on(p.updates_due_by, today) for p in plans if p.updates_due_by}
    if not any(step_of.values()):
        return []
    given = set(
        Reminder.objects.filter(plan__in=[pk for pk, step in step_of.items() if step])
        .exclude(step=Step.MANUAL)
        .values_list("person_id", "plan_id", "period_id", "step")
    )
    due: list[tuple[PersonOwes, dict[int, str]]] = []
    for owes in owed_by_person(plans).values():
        steps = {
            pk: step_of[pk]
            for pk, part in owes.parts.items()
            if step_of.get(pk) and (owes.person.pk, pk, part.period.pk, step_of[pk]) not in given
        }
        if steps and owes.person.email:
            due.append((owes, steps))
    if not due:
        return []
    sent: list[Reminder] = []
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.exception("No reminders sent: the mail server could not be reached")
        return []
    try:
        for owes, steps in due:
            try:
                sent.extend(
                    _send(
                        owes,
                        steps,
                        by=None,
                        today=today,
                        site_url=settings.GT_SITE_URL,
                        connection=connection,
                    )
                )
            except IntegrityError:
                logger.info("Reminder to %s was sent by another run", owes.person)
            except (smtplib.SMTPException, OSError):
                logger.exception("Reminder to %s could not be sent", owes.person)
    finally:
        connection.close()
    return sent


def notify_returned(update: ProgressUpdate, reason: str, *, by, base_url: str) -> list[str]:
    """Tell the item's leads that their update was returned, why, and where to change it.

    Returns the addresses written to (none when no lead has an email address).
    """
    item = update.subject
    emails = sorted(
        {u.email for post in lead_posts_of(item) for u in post.holders.all() if u.email}
    )
    if not emails:
        return []
    kind = "milestone" if isinstance(item, Milestone) else "action"
    body = render_to_string(
        "plans/email/returned.txt",
        {
            "item": item,
            "update": update,
            "reason": reason,
            "by": by,
            "link": base_url.rstrip("/") + reverse("plans:update", args=[kind, item.pk]),
        },
    )
    label = getattr(item, "ref", "") or item.title[:60]
    subject = f"Returned for changes: your {update.period.code} update on {label}"
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, emails).send()
    return emails
