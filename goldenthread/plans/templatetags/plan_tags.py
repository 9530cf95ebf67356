"""Template helpers for plan pages."""

from __future__ import annotations

from django import template

from goldenthread.plans import rules
from goldenthread.plans.models import Milestone, ProgressUpdate

register = template.Library()


@register.filter
def update_status(update: ProgressUpdate) -> rules.Status:
    subject = update.subject
    plan = subject.action.plan if isinstance(subject, Milestone) else subject.plan
    return rules.status_of(plan.status_scale, update.status)
