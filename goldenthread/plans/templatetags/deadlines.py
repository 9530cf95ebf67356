"""Due dates in words: ``{{ plan.updates_due_by|deadline }}`` → "due by 14 October 2019",
"due today, …" or "overdue by 3 working days (due by …)", counted from today."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone

from goldenthread.core.workdays import Deadline

register = template.Library()


@register.filter
def deadline(due: date | None, style: str = "") -> str:
    """The due date seen from today; ``|deadline:"short"`` writes "14 Oct 2019"."""
    if due is None:
        return ""
    return Deadline(due).describe(timezone.localdate(), short=style == "short")


@register.filter
def overdue(due: date | None) -> str:
    """ "overdue by 3 working days" once past the due date, else empty."""
    if due is None:
        return ""
    late = Deadline(due).overdue_by(timezone.localdate())
    if not late:
        return ""
    return f"overdue by {late:,} working day{'' if late == 1 else 's'}"
