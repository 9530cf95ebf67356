"""Every write to plan progress goes through these functions: atomic and audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, Period, Post
from goldenthread.plans import access, rules
from goldenthread.plans.models import (
    Action,
    DeadlineRevision,
    Milestone,
    ProgressUpdate,
    UpdateCorrection,
)

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


class ApprovalConflict(Exception):
    """An approver acted on an update or a revised date that is no longer what they read.

    Either it changed since (``current`` is the version to read now) or it is no longer
    waiting for a decision (approved, returned or decided already).
    """

    def __init__(self, current: ProgressUpdate | DeadlineRevision, message: str):
        self.current = current
        super().__init__(message)


STALE_MESSAGE = (
    "This was changed after you opened it. Nothing was recorded: read the text now "
    "saved, below, and decide again."
)


def _plan(subject: Subject):
    return subject.action.plan if isinstance(subject, Milestone) else subject.plan


def _start_date(subject: Subject) -> date | None:
    action = subject.action if isinstance(subject, Milestone) else subject
    return action.start_date


def update_for(
    subject: Subject, period: Period, *, with_people: bool = False
) -> ProgressUpdate | None:
    field = "milestone" if isinstance(subject, Milestone) else "action"
    updates = ProgressUpdate.objects.filter(**{field: subject, "period": period})
    if with_people:
        updates = updates.select_related("submitted_by", "approved_by", "returned_by")
    return updates.first()


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
    """Submit (or resubmit) a lead's update for a period, refusing it if someone saved in between.

    ``expected_version`` is the version the editor saw: 0 when there was no
    update yet. A save against a stale version raises :class:`EditConflict`.
    An approved update of a period no longer open for updates is locked: refused
    with a :class:`ValidationError` on ``period``. Resubmitting a returned update
    clears the return (the audit keeps it).
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
        "returned_by": None,
        "returned_on": None,
        "return_reason": "",
    }
    locked = _plan(subject).reporting_period_id != period.pk
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
    try:
        rules.next_update_state(current.state, rules.UpdateEvent.SUBMIT, locked=locked)
    except rules.TransitionRefused as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if current.version != expected_version:
        raise EditConflict(current)
    before = audit.snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.save(update_fields=[*values, "version"])
    audit.record_changes(current, before, by=by)
    return current


def _decide_update(
    update: ProgressUpdate, event: rules.UpdateEvent, *, by, expected_version: int | None
) -> tuple[ProgressUpdate, str]:
    """The update, row-locked, and the state ``event`` moves it to.

    Refused unless ``by`` approves for its plan, the step is allowed from its state
    and it is still the version the approver read.
    """
    current = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if not access.can_approve(by, current.subject):
        raise PermissionDenied("Only an approver of the plan's organisation may decide this.")
    try:
        state = rules.next_update_state(current.state, event)
    except rules.TransitionRefused as exc:
        raise ApprovalConflict(current, str(exc)) from exc
    if expected_version is not None and current.version != expected_version:
        raise ApprovalConflict(current, STALE_MESSAGE)
    return current, state


@transaction.atomic
def approve_update(
    update: ProgressUpdate, *, by, expected_version: int | None = None
) -> ProgressUpdate:
    """Approve a submitted update, once, as the version the approver read.

    ``expected_version`` is the version on the approver's screen (``None`` only for
    scripted callers that read the update in the same transaction).
    """
    current, state = _decide_update(
        update, rules.UpdateEvent.APPROVE, by=by, expected_version=expected_version
    )
    before = audit.snapshot(current)
    current.state = state
    current.approved_by = by
    current.approved_on = timezone.now()
    current.version += 1
    current.save(update_fields=["state", "approved_by", "approved_on", "version"])
    audit.record_changes(current, before, by=by)
    return current


@transaction.atomic
def return_update(
    update: ProgressUpdate, *, by, reason: str, expected_version: int | None = None
) -> ProgressUpdate:
    """Return a submitted update to its lead with a reason, kept on it until resubmitted."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what the lead should change."})
    current, state = _decide_update(
        update, rules.UpdateEvent.RETURN, by=by, expected_version=expected_version
    )
    before = audit.snapshot(current)
    current.state = state
    current.returned_by = by
    current.returned_on = timezone.now()
    current.return_reason = reason.strip()
    current.version += 1
    current.save(update_fields=["state", "returned_by", "returned_on", "return_reason", "version"])
    audit.record_changes(current, before, by=by)
    return current


def current_deadline(subject: Subject) -> date | None:
    return subject.deadline if isinstance(subject, Milestone) else subject.target_date


def current_deadline_text(subject: Subject) -> str:
    """The words a plan gives instead of a date (``"This will be an ongoing programme…"``)."""
    text = subject.deadline_note if isinstance(subject, Milestone) else subject.timeline
    return (text or "").strip()


@transaction.atomic
def propose_revision(subject: Subject, *, by, proposed_date: date, reason: str) -> DeadlineRevision:
    """A lead proposes a new deadline; the old one (or the plan's words) stands until agreed.

    An item with no date, only words, may be given its first real date this way.
    """
    errors: dict[str, str] = {}
    previous = current_deadline(subject)
    start = _start_date(subject)
    if previous is not None and proposed_date == previous:
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
        previous_text="" if previous else current_deadline_text(subject)[:500],
        proposed_date=proposed_date,
        reason=reason.strip(),
        proposed_by=by,
    )
    audit.record_creation(revision, by=by)
    return revision


@transaction.atomic
def decide_revision(
    revision: DeadlineRevision,
    *,
    by,
    agreed: bool,
    board: str,
    decided_on: date,
    expected_version: int | None = None,
) -> DeadlineRevision:
    """Record the board's decision, once, by an approver of the plan's organisation.

    An agreed date replaces the deadline, keeping the original. ``expected_version`` is
    the version the approver read; a changed or already decided revision raises
    :class:`ApprovalConflict`.
    """
    current = DeadlineRevision.objects.select_for_update().get(pk=revision.pk)
    if not access.can_approve(by, current.subject):
        raise PermissionDenied("Only an approver of the plan's organisation may decide this.")
    try:
        decision = rules.next_revision_decision(current.decision, agreed=agreed)
    except rules.TransitionRefused as exc:
        raise ApprovalConflict(current, str(exc)) from exc
    if expected_version is not None and current.version != expected_version:
        raise ApprovalConflict(current, STALE_MESSAGE)
    if not board.strip():
        raise ValidationError({"board": "Name the board that decided."})
    before = audit.snapshot(current)
    current.decision = decision
    current.board = board.strip()
    current.decided_on = decided_on
    current.decided_by = by
    current.version += 1
    current.save(update_fields=["decision", "board", "decided_on", "decided_by", "version"])
    audit.record_changes(current, before, by=by)
    if agreed:
        apply_deadline(current.subject, current.proposed_date, by=by)
    return current


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


# -- corrections of approved updates of periods no longer open -------------------------------


@transaction.atomic
def propose_correction(
    update: ProgressUpdate,
    *,
    by,
    reason: str,
    status: str,
    progress: str,
    next_steps: str = "",
    percent_complete: int | None = None,
) -> UpdateCorrection:
    """A lead asks to change an approved update whose period is closed; approved in turn.

    The update keeps its approved values, and readers keep seeing them, until an
    approver approves the correction.
    """
    current = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    subject = current.subject
    if not access.can_update(by, subject):
        raise PermissionDenied("Only the item's lead or an administrator may correct it.")
    errors: dict[str, str] = {}
    if current.state != ProgressUpdate.State.APPROVED:
        errors["__all__"] = "Only an approved update is corrected; change this one directly."
    elif _plan(subject).reporting_period_id == current.period_id:
        errors["__all__"] = "This period is still open for updates: change the update instead."
    elif current.corrections.filter(state=UpdateCorrection.State.SUBMITTED).exists():
        errors["__all__"] = "A correction of this update is already awaiting approval."
    if not reason.strip():
        errors["reason"] = "Give the reason for the correction."
    try:
        validate_update(
            subject, status=status, percent_complete=percent_complete, progress=progress
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    correction = UpdateCorrection.objects.create(
        update=current,
        status=status,
        percent_complete=percent_complete,
        progress=progress.strip(),
        next_steps=(next_steps or "").strip(),
        reason=reason.strip(),
        proposed_by=by,
        proposed_on=timezone.now(),
    )
    audit.record_creation(correction, by=by)
    return correction


def _decide_correction(
    correction: UpdateCorrection, event: rules.UpdateEvent, *, by, expected_version: int | None
) -> tuple[UpdateCorrection, str]:
    current = (
        UpdateCorrection.objects.select_for_update().select_related("update").get(pk=correction.pk)
    )
    if not access.can_approve(by, current.update.subject):
        raise PermissionDenied("Only an approver of the plan's organisation may decide this.")
    try:
        state = rules.next_update_state(current.state, event)
    except rules.TransitionRefused as exc:
        raise ApprovalConflict(current, str(exc).replace("update", "correction")) from exc
    if expected_version is not None and current.version != expected_version:
        raise ApprovalConflict(current, STALE_MESSAGE)
    return current, state


@transaction.atomic
def approve_correction(
    correction: UpdateCorrection, *, by, expected_version: int | None = None
) -> UpdateCorrection:
    """Approve a correction: its values replace the update's, which shows as corrected."""
    current, state = _decide_correction(
        correction, rules.UpdateEvent.APPROVE, by=by, expected_version=expected_version
    )
    before = audit.snapshot(current)
    current.state = state
    current.decided_by = by
    current.decided_on = timezone.now()
    current.version += 1
    current.save(update_fields=["state", "decided_by", "decided_on", "version"])
    audit.record_changes(current, before, by=by)
    update = ProgressUpdate.objects.select_for_update().get(pk=current.update_id)
    before = audit.snapshot(update)
    fields = ["status", "percent_complete", "progress", "next_steps"]
    for name in fields:
        setattr(update, name, getattr(current, name))
    update.corrected_on = current.decided_on
    update.version += 1
    update.save(update_fields=[*fields, "corrected_on", "version"])
    audit.record_changes(update, before, by=by)
    audit.record_event(
        update, AuditEntry.Verb.CHANGED, by=by, field="corrected because", new=current.reason
    )
    return current


@transaction.atomic
def return_correction(
    correction: UpdateCorrection, *, by, reason: str, expected_version: int | None = None
) -> UpdateCorrection:
    """Return a correction to its lead; the approved update stands unchanged."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what the lead should change."})
    current, state = _decide_correction(
        correction, rules.UpdateEvent.RETURN, by=by, expected_version=expected_version
    )
    before = audit.snapshot(current)
    current.state = state
    current.decided_by = by
    current.decided_on = timezone.now()
    current.return_reason = reason.strip()
    current.version += 1
    current.save(update_fields=["state", "decided_by", "decided_on", "return_reason", "version"])
    audit.record_changes(current, before, by=by)
    return current
