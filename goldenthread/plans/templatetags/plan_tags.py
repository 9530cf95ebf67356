"""Template helpers for plan pages."""

from __future__ import annotations

from django import template

from goldenthread.plans import rules
from goldenthread.plans.models import Milestone, ProgressUpdate

register = template.Library()


def _scale(update: ProgressUpdate) -> str:
    subject = update.subject
    plan = subject.action.plan if isinstance(subject, Milestone) else subject.plan
    return plan.status_scale


@register.filter
def update_status(update: ProgressUpdate) -> rules.Status:
    """The reported status: an approved update's own, else "Awaiting approval" or
    "Returned" (never an unapproved Green)."""
    return rules.reported_status(_scale(update), update.status, update.state)


@register.filter
def proposed_status(update: ProgressUpdate) -> rules.Status:
    """The status the lead gave, for those who work on the item."""
    return rules.status_of(_scale(update), update.status)
