"""The quarterly update round: who owes which updates, chasing them, and opening the next period.

Items are led by posts; a post's holders give its updates. An item completed in
an earlier period needs no further update and is left out of the round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.access import grants_of
from goldenthread.core.models import AuditEntry, Period, Post
from goldenthread.plans import reading
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate, Reminder

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
        latest.setdefault(reminder.post_id, reminder)
    for lead in leads.values():
        lead.last_reminder = latest.get(lead.post.pk)
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


def _message(plan: Plan, period: Period, lead: LeadRound, base_url: str) -> EmailMessage:
    count = len(lead.outstanding)
    subject = f"{plan.title}: {count} update{'' if count == 1 else 's'} due for {period.code}"
    body = render_to_string(
        "plans/email/reminder.txt",
        {"plan": plan, "period": period, "lead": lead, "base_url": base_url.rstrip("/")},
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, lead.emails)


@transaction.atomic
def send_reminders(
    plan: Plan, period: Period, post_ids: list[int], *, by, base_url: str
) -> list[Reminder]:
    """Email each chosen lead the updates they still owe, and record that they were chased.

    Leads with nothing outstanding or no email address are not sent anything; the
    caller is told which through :class:`ValidationError` when none could be sent.
    """
    chosen = [lead for lead in round_for(plan, period).leads if lead.post.pk in post_ids]
    sendable = [lead for lead in chosen if lead.outstanding and lead.emails]
    if not sendable:
        raise ValidationError(
            {"leads": "Choose at least one lead with updates outstanding and an email address."}
        )
    now = timezone.now()
    reminders = []
    with get_connection() as connection:
        for lead in sendable:
            message = _message(plan, period, lead, base_url)
            message.connection = connection
            message.send()
            reminder = Reminder.objects.create(
                plan=plan,
                period=period,
                post=lead.post,
                recipients="\n".join(lead.emails),
                outstanding=len(lead.outstanding),
                sent_by=by,
                sent_on=now,
            )
            audit.record_event(
                plan,
                AuditEntry.Verb.CHANGED,
                by=by,
                field="reminder sent",
                new=f"{lead.post}: {len(lead.outstanding)} update(s) for {period.code}",
            )
            reminders.append(reminder)
    return reminders


@transaction.atomic
def open_period(plan: Plan, period: Period, due_by: date | None, *, by) -> Plan:
    """Open a period for updates (and say when they are due), recording the change."""
    if due_by is not None and due_by < period.start:
        starts = f"{period.start.day} {period.start:%B %Y}"
        message = f"The due date must be on or after the period starts ({starts})."
        raise ValidationError({"updates_due_by": message})
    before = audit.snapshot(plan)
    plan.reporting_period = period
    plan.updates_due_by = due_by
    plan.save(update_fields=["reporting_period", "updates_due_by"])
    audit.record_changes(plan, before, by=by)
    return plan


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
