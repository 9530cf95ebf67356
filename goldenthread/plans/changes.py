"""Every write to plan progress goes through these functions: atomic and audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, Period, Post
from goldenthread.plans import rules
from goldenthread.plans.models import Action, DeadlineRevision, Milestone, ProgressUpdate

Subject = Action | Milestone


class EditConflict(Exception):
    """Someone else saved the same update since this form was opened."""

    def __init__(self, current: ProgressUpdate | None):
        self.current = current
        who = ""
        if current is not None and current.submitted_by:
            name = current.submitted_by.get_full_name() or current.submitted_by.get_username()
            who = f" by {name} at {timezone.localtime(current.submitted_on):%H:%M on %d %B %Y}"
        super().__init__(
            "This update was changed by someone else while you were editing it"
            f"{who}. Your text is still below: compare it with theirs, then save again."
        )


def _plan(subject: Subject):
    return subject.action.plan if isinstance(subject, Milestone) else subject.plan


def _start_date(subject: Subject) -> date | None:
    action = subject.action if isinstance(subject, Milestone) else subject
    return action.start_date


def update_for(subject: Subject, period: Period) -> ProgressUpdate | None:
    field = "milestone" if isinstance(subject, Milestone) else "action"
    return ProgressUpdate.objects.filter(**{field: subject, "period": period}).first()


def previous_update(subject: Subject, period: Period) -> ProgressUpdate | None:
    """The latest update before ``period``: offered as the start of this period's text."""
    field = "milestone" if isinstance(subject, Milestone) else "action"
    earlier = [
        u
        for u in ProgressUpdate.objects.filter(**{field: subject}).select_related("period")
        if u.period.key < period.key
    ]
    return max(earlier, key=lambda u: u.period.key, default=None)


def validate_update(
    subject: Subject, *, status: str, percent_complete: int | None, progress: str
) -> None:
    """Field errors named by field; raises :class:`ValidationError` with all of them."""
    errors: dict[str, str] = {}
    scale = _plan(subject).scale
    if not status:
        errors["status"] = "Choose a status."
    elif scale.get(status) is None:
        errors["status"] = f"{status!r} is not a status on this plan's scale ({scale.name})."
    message = rules.validate_percent_complete(percent_complete)
    if message:
        errors["percent_complete"] = message
    if not (progress or "").strip():
        errors["progress"] = "Enter the progress to date."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_update(
    subject: Subject,
    period: Period,
    *,
    by,
    status: str,
    progress: str,
    next_steps: str = "",
    percent_complete: int | None = None,
    expected_version: int = 0,
) -> ProgressUpdate:
    """Save a lead's update for a period, refusing it if someone saved in between.

    ``expected_version`` is the version the editor saw: 0 when there was no
    update yet. A save against a stale version raises :class:`EditConflict`.
    """
    validate_update(subject, status=status, percent_complete=percent_complete, progress=progress)
    field = "milestone" if isinstance(subject, Milestone) else "action"
    values = {
        "status": status,
        "percent_complete": percent_complete,
        "progress": progress.strip(),
        "next_steps": (next_steps or "").strip(),
        "state": ProgressUpdate.State.SUBMITTED,
        "submitted_by": by,
        "submitted_on": timezone.now(),
        "approved_by": None,
        "approved_on": None,
    }
    current = (
        ProgressUpdate.objects.select_for_update()
        .filter(**{field: subject, "period": period})
        .first()
    )
    if current is None:
        if expected_version != 0:
            raise EditConflict(None)
        try:
            with transaction.atomic():
                update = ProgressUpdate.objects.create(**{field: subject}, period=period, **values)
        except IntegrityError as exc:  # created by someone else a moment ago
            raise EditConflict(update_for(subject, period)) from exc
        audit.record_creation(update, by=by)
        return update
    if current.version != expected_version:
        raise EditConflict(current)
    before = audit.snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*values, "version"])
    audit.record_changes(current, before, by=by)
    return current


@transaction.atomic
def approve_update(update: ProgressUpdate, *, by) -> ProgressUpdate:
    before = audit.snapshot(update)
    update.state = ProgressUpdate.State.APPROVED
    update.approved_by = by
    update.approved_on = timezone.now()
    update.version += 1
    update.save(update_fields=["state", "approved_by", "approved_on", "version"])
    audit.record_changes(update, before, by=by)
    return update


@transaction.atomic
def return_update(update: ProgressUpdate, *, by, reason: str) -> ProgressUpdate:
    if not reason.strip():
        raise ValidationError({"reason": "Say what the lead should change."})
    before = audit.snapshot(update)
    update.state = ProgressUpdate.State.RETURNED
    update.version += 1
    update.save(update_fields=["state", "version"])
    audit.record_changes(update, before, by=by)
    audit.record_event(update, AuditEntry.Verb.CHANGED, by=by, field="returned because", new=reason)
    return update


def current_deadline(subject: Subject) -> date | None:
    return subject.deadline if isinstance(subject, Milestone) else subject.target_date


@transaction.atomic
def propose_revision(subject: Subject, *, by, proposed_date: date, reason: str) -> DeadlineRevision:
    """A lead proposes a new deadline; the old one stands until a board agrees."""
    errors: dict[str, str] = {}
    previous = current_deadline(subject)
    start = _start_date(subject)
    if previous is None:
        errors["proposed_date"] = "This item has no deadline to revise: set one first."
    elif proposed_date == previous:
        errors["proposed_date"] = "The proposed deadline is the same as the current one."
    if start and proposed_date < start:
        errors["proposed_date"] = f"The proposed deadline is before the start ({start:%d %B %Y})."
    if not reason.strip():
        errors["reason"] = "Give the reason for the new date."
    if errors:
        raise ValidationError(errors)
    field = "milestone" if isinstance(subject, Milestone) else "action"
    revision = DeadlineRevision.objects.create(
        **{field: subject},
        previous_date=previous,
        proposed_date=proposed_date,
        reason=reason.strip(),
        proposed_by=by,
    )
    audit.record_creation(revision, by=by)
    return revision


@transaction.atomic
def decide_revision(
    revision: DeadlineRevision, *, by, agreed: bool, board: str, decided_on: date
) -> DeadlineRevision:
    """Record the board's decision; an agreed date replaces the deadline, keeping the original."""
    if revision.decision != DeadlineRevision.Decision.PROPOSED:
        raise ValidationError({"decision": "This revision has already been decided."})
    if not board.strip():
        raise ValidationError({"board": "Name the board that decided."})
    before = audit.snapshot(revision)
    revision.decision = (
        DeadlineRevision.Decision.AGREED if agreed else DeadlineRevision.Decision.REJECTED
    )
    revision.board = board.strip()
    revision.decided_on = decided_on
    revision.decided_by = by
    revision.save(update_fields=["decision", "board", "decided_on", "decided_by"])
    audit.record_changes(revision, before, by=by)
    if agreed:
        apply_deadline(revision.subject, revision.proposed_date, by=by)
    return revision


def apply_deadline(subject: Subject, new: date, *, by) -> None:
    """Move a deadline, keeping the first one ever set as the original."""
    before = audit.snapshot(subject)
    if isinstance(subject, Milestone):
        if subject.original_deadline is None:
            subject.original_deadline = subject.deadline
        subject.deadline = new
        subject.save(update_fields=["deadline", "original_deadline"])
    else:
        if subject.original_target_date is None:
            subject.original_target_date = subject.target_date
        subject.target_date = new
        subject.save(update_fields=["target_date", "original_target_date"])
    audit.record_changes(subject, before, by=by)


def posts_for_lead(lead: str) -> list[Post]:
    """The posts named by a lead text, created when new (joint leads are several)."""
    return [Post.objects.get_or_create(title=title)[0] for title in rules.lead_titles(lead)]
