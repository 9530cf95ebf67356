"""A plan's reporting periods move open → closed → published: atomic, audited actions.

Opening a period makes it the plan's period open for updates (``Plan.reporting_period``);
closing ends the round (no period is then open); publishing makes the period the one
readers see. Publishing a period whose updates are incomplete needs an explicit
confirmation, and what was missing is written to the audit trail.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, Period
from goldenthread.documents.model import Completeness
from goldenthread.plans import reading, rounds, rules
from goldenthread.plans.models import Action, Plan, PlanPeriod

MISSING_ORDER = (rules.NO_UPDATE, rules.AWAITING_APPROVAL, rules.RETURNED)


class IncompletePeriod(ValidationError):
    """Publishing would report items without an approved update: confirm it first."""

    def __init__(self, completeness: Completeness):
        self.completeness = completeness
        super().__init__(
            {"confirm": f"Confirm you want to publish although {completeness.counts}."}
        )


def _label(item) -> str:
    ref = getattr(item, "ref", "")
    return f"{ref} {item.title}".strip() if ref else item.title


def completeness(plan: Plan, period: Period, actions=None) -> Completeness:
    """Which of the plan's items have no approved update for the period: no update,
    awaiting approval, returned (items completed earlier need none), and whether the
    period has been published."""
    views = reading.plan_sections(
        plan, period, actions if actions is not None else Action.objects.all()
    )
    rows = [row for view in views for row in view.counted if not row.completed_before]
    groups = []
    for status in MISSING_ORDER:
        items = tuple(_label(r.item) for r in rows if r.status is status)
        if items:
            groups.append((status.label, items))
    found = reading.state_of(plan, period)
    notes = ()
    if found is None or found.is_draft:
        state = found.get_state_display().lower() if found else "not opened"
        notes = (f"{period.code} is {state} for {plan.title}, not yet published.",)
    noun = "milestones" if plan.tracks_milestones else "actions"
    return Completeness(
        subject=f"{plan.title}, {period.code}",
        total=len(rows),
        groups=tuple(groups),
        notes=notes,
        noun=noun,
    )


def _locked(plan: Plan, period: Period) -> PlanPeriod | None:
    return PlanPeriod.objects.select_for_update().filter(plan=plan, period=period).first()


def _forget(plan: Plan) -> None:
    plan.__dict__.pop("_gt_plan_periods", None)


@transaction.atomic
def open_period(plan: Plan, period: Period, due_by: date | None, *, by) -> PlanPeriod:
    """Open ``period`` for updates (the round's due date too); the period open before, if
    another, is closed. A published period is not opened again."""
    row = _locked(plan, period)
    if row is not None and row.is_published:
        raise ValidationError(
            {"period": f"{period.code} has been published: it cannot be opened again."}
        )
    previous = plan.reporting_period
    rounds.open_period(plan, period, due_by, by=by)
    due_by = plan.updates_due_by  # the round's default when none was given
    if previous is not None and previous.pk != period.pk:
        earlier = _locked(plan, previous)
        if earlier is None:
            earlier = PlanPeriod.objects.create(plan=plan, period=previous, opened_by=None)
        if earlier.state == PlanPeriod.State.OPEN:
            _set(earlier, PlanPeriod.State.CLOSED, by=by, field="closed")
    now = timezone.now()
    if row is None:
        row = PlanPeriod.objects.create(
            plan=plan, period=period, due_by=due_by, opened_on=now, opened_by=by
        )
        audit.record_creation(row, by=by)
    else:
        before = audit.snapshot(row)
        row.state = PlanPeriod.State.OPEN
        row.due_by = due_by
        row.opened_on = now
        row.opened_by = by
        row.save(update_fields=["state", "due_by", "opened_on", "opened_by"])
        audit.record_changes(row, before, by=by)
    _forget(plan)
    return row


def _set(row: PlanPeriod, state: str, *, by, field: str) -> None:
    before = audit.snapshot(row)
    row.state = state
    setattr(row, f"{field}_on", timezone.now())
    setattr(row, f"{field}_by", by)
    row.save(update_fields=["state", f"{field}_on", f"{field}_by"])
    audit.record_changes(row, before, by=by)


def _row_for(plan: Plan, period: Period) -> PlanPeriod:
    row = _locked(plan, period)
    if row is None:
        if plan.reporting_period_id != period.pk:
            raise ValidationError({"period": f"{period.code} has not been opened for this plan."})
        row = PlanPeriod.objects.create(plan=plan, period=period, due_by=plan.updates_due_by)
    return row


def _stop_updates(plan: Plan, period: Period, *, by) -> None:
    """The plan no longer takes updates for ``period``."""
    if plan.reporting_period_id == period.pk:
        before = audit.snapshot(plan)
        plan.reporting_period = None
        plan.save(update_fields=["reporting_period"])
        audit.record_changes(plan, before, by=by)


@transaction.atomic
def close_period(plan: Plan, period: Period, *, by) -> PlanPeriod:
    """End the round: no more updates for the period; approvals may still be given.
    Readers go on seeing the period published before until this one is published."""
    row = _row_for(plan, period)
    if row.state != PlanPeriod.State.OPEN:
        raise ValidationError(
            {"period": f"{period.code} is {row.get_state_display().lower()}, not open."}
        )
    _set(row, PlanPeriod.State.CLOSED, by=by, field="closed")
    _stop_updates(plan, period, by=by)
    _forget(plan)
    return row


@transaction.atomic
def publish_period(plan: Plan, period: Period, *, by, confirmed: bool = False) -> PlanPeriod:
    """Make the period the reported position readers see (closing it if still open).

    When items have no approved update, raises :class:`IncompletePeriod` unless
    ``confirmed``; a confirmed publication records what was missing in the audit.
    """
    row = _row_for(plan, period)
    if row.is_published:
        raise ValidationError({"period": f"{period.code} has been published already."})
    found = completeness(plan, period)
    if found.missing and not confirmed:
        raise IncompletePeriod(found)
    if row.state == PlanPeriod.State.OPEN:
        _set(row, PlanPeriod.State.CLOSED, by=by, field="closed")
        _stop_updates(plan, period, by=by)
    _set(row, PlanPeriod.State.PUBLISHED, by=by, field="published")
    if found.missing:
        audit.record_event(
            row,
            AuditEntry.Verb.CHANGED,
            by=by,
            field="published although incomplete",
            new=missing_text(found),
        )
    _forget(plan)
    return row


def missing_text(found: Completeness) -> str:
    """The audit's words for what was missing: the counts, then each group's items."""
    lines = [f"Confirmed: {found.counts}."]
    for reason, items in found.groups:
        lines.append(f"{reason}: {'; '.join(items)}")
    return "\n".join(lines)
