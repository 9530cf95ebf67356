"""Every write to the commercial pipeline: atomic, audited, version-checked actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from goldenthread.commercial import access, rules
from goldenthread.commercial.models import BusinessCase, Opportunity, StageChange, TestRecord
from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, person_name

CONFLICT_MESSAGE = (
    "Someone else changed this opportunity after you opened it. Nothing was saved: the page "
    "shows what it says now; make your change again."
)


class EditConflict(Exception):
    """The record changed after the form was opened: nothing was written."""

    def __init__(self, current: Any):
        self.current = current
        super().__init__(CONFLICT_MESSAGE)


def _check(by) -> None:
    if not access.can_edit(by):
        raise PermissionDenied("Only administrators and leads of the shared service do this.")


def _locked(opportunity: Opportunity, expected_version: int | None) -> Opportunity:
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    return current


def _bump(current: Opportunity) -> None:
    current.version += 1
    current.save(update_fields=["version"])


@transaction.atomic
def save_opportunity(
    opportunity: Opportunity | None,
    values: dict[str, Any],
    *,
    by,
    expected_version: int | None = None,
) -> Opportunity:
    """Add an opportunity (at *Opportunity arises*), or change one read at
    ``expected_version``. ``values`` may hold ``partners`` and ``actions`` (lists)."""
    _check(by)
    return _save(opportunity, values, by=by, expected_version=expected_version)


def _save(
    opportunity: Opportunity | None, values: dict[str, Any], *, by, expected_version
) -> Opportunity:
    values = dict(values)
    many = {k: list(values.pop(k)) for k in ("partners", "actions") if k in values}
    if opportunity is None:
        created = Opportunity(**values)
        created.full_clean(exclude=["stage"])
        created.save()
        for name, items in many.items():
            getattr(created, name).set(items)
        audit.record_creation(created, by=by)
        return created
    current = _locked(opportunity, expected_version)
    if (
        "one_off" in values
        and values["one_off"] != current.one_off
        and current.stage != rules.Stage.ARISES
    ):
        raise PermissionDenied(
            'Whether a request is "one off" is settled when it arises: '
            "this opportunity has moved on."
        )
    before = audit.snapshot(current)
    changed = [n for n, v in values.items() if getattr(current, n) != v]
    for name in changed:
        setattr(current, name, values[name])
    current.full_clean()
    current.version += 1
    current.save(update_fields=[*changed, "version"])
    for name, items in many.items():
        getattr(current, name).set(items)
    audit.record_changes(current, before, by=by)
    return current


@transaction.atomic
def record_test(
    opportunity: Opportunity, test: str, evidence: str, *, by, expected_version: int | None
) -> TestRecord:
    """Record (or re-record) one of the current stage's tests with its evidence."""
    _check(by)
    return _record(opportunity, test, evidence, by=by, expected_version=expected_version)


def _record(
    opportunity: Opportunity, test: str, evidence: str, *, by, expected_version: int | None
) -> TestRecord:
    current = _locked(opportunity, expected_version)
    if test not in rules.tests_for(current.stage, current.one_off):
        raise PermissionDenied(
            f"{rules.TESTS[test].title if test in rules.TESTS else test!r} is not a test of "
            f"the stage {current.stage_label}."
        )
    evidence = evidence.strip()
    if not evidence:
        raise ValueError("Say what the evidence is.")
    found = TestRecord.objects.filter(opportunity=current, test=test).first()
    if found is None:
        found = TestRecord(opportunity=current, test=test)
        before = None
    else:
        before = audit.snapshot(found)
    found.stage = current.stage
    found.evidence = evidence
    found.recorded_by = by
    found.recorded_by_name = person_name(by)
    found.recorded_on = timezone.now()
    found.full_clean()
    found.save()
    if before is None:
        audit.record_creation(found, by=by)
    else:
        audit.record_changes(found, before, by=by)
    _bump(current)
    return found


@transaction.atomic
def move_stage(
    opportunity: Opportunity,
    to_stage: str,
    *,
    by,
    expected_version: int | None,
    decided_by: str = "",
    decided_on: date | None = None,
    note: str = "",
) -> StageChange:
    """Move the opportunity to the next stage of its route, if the protocol allows:
    every test of the stage recorded and its business case written. Refused with
    :class:`rules.StageRefused` naming what is missing."""
    _check(by)
    return _move(
        opportunity,
        to_stage,
        by=by,
        expected_version=expected_version,
        decided_by=decided_by,
        decided_on=decided_on,
        note=note,
    )


def _move(
    opportunity: Opportunity,
    to_stage: str,
    *,
    by,
    expected_version: int | None,
    decided_by: str,
    decided_on: date | None,
    note: str,
) -> StageChange:
    current = _locked(opportunity, expected_version)
    recorded = TestRecord.objects.filter(opportunity=current).values_list("test", flat=True)
    cases = BusinessCase.objects.filter(opportunity=current).values_list("phase", flat=True)
    reason = rules.refusal(current.stage, current.one_off, recorded, cases, to_stage)
    if reason is not None:
        raise rules.StageRefused(reason)
    change = StageChange.objects.create(
        opportunity=current,
        from_stage=current.stage,
        to_stage=to_stage,
        decided_by=decided_by.strip() or rules.decided_by(current.stage, current.one_off),
        decided_on=decided_on or timezone.localdate(),
        note=note.strip(),
        by=by,
        by_name=person_name(by),
    )
    audit.record_event(
        current,
        AuditEntry.Verb.CHANGED,
        by=by,
        field="stage",
        old=current.stage_label,
        new=rules.STAGE_LABELS[rules.Stage(to_stage)],
    )
    current.stage = to_stage
    current.version += 1
    current.save(update_fields=["stage", "version"])
    return change


@transaction.atomic
def save_case(
    opportunity: Opportunity,
    phase: str,
    values: dict[str, str],
    *,
    by,
    expected_version: int | None,
) -> BusinessCase:
    """Write or change the outline or full business case (``expected_version`` is the
    case's version, ``None`` for a new one)."""
    _check(by)
    return _save_case(opportunity, phase, values, by=by, expected_version=expected_version)


def _save_case(
    opportunity: Opportunity, phase: str, values: dict[str, str], *, by, expected_version
) -> BusinessCase:
    if opportunity.one_off:
        raise PermissionDenied('A "one off" request needs a brief analysis, not a business case.')
    rules.CasePhase(phase)
    Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    case = (
        BusinessCase.objects.select_for_update()
        .filter(opportunity=opportunity, phase=phase)
        .first()
    )
    if case is None:
        case = BusinessCase(opportunity=opportunity, phase=phase, **values)
        case.full_clean()
        case.save()
        audit.record_creation(case, by=by)
        return case
    if expected_version is not None and case.version != expected_version:
        raise EditConflict(case)
    before = audit.snapshot(case)
    changed = [n for n, v in values.items() if getattr(case, n) != v]
    if not changed:
        return case
    for name in changed:
        setattr(case, name, values[name])
    case.updated_on = timezone.now()
    case.full_clean()
    case.version += 1
    case.save(update_fields=[*changed, "updated_on", "version"])
    audit.record_changes(case, before, by=by)
    return case


@transaction.atomic
def load(values: dict[str, Any], steps: list[dict[str, Any]], *, by) -> Opportunity:
    """Add an opportunity as a data loader (the demo), which acts as the system rather than
    a signed-in user, and take it through ``steps`` by the same rules as everyone:
    ``{"test": key, "evidence": text}``, ``{"case": phase, ...the five cases}`` or
    ``{"move": stage, "decided_by": ..., "decided_on": date, "note": ...}``."""
    opportunity = _save(None, values, by=by, expected_version=None)
    for step in steps:
        if "test" in step:
            _record(opportunity, step["test"], step["evidence"], by=by, expected_version=None)
        elif "case" in step:
            texts = {name: step[name] for name, _h, _q in rules.FIVE_CASES}
            _save_case(opportunity, step["case"], texts, by=by, expected_version=None)
        else:
            _move(
                opportunity,
                step["move"],
                by=by,
                expected_version=None,
                decided_by=step.get("decided_by", ""),
                decided_on=step.get("decided_on"),
                note=step.get("note", ""),
            )
        opportunity.refresh_from_db()
    return opportunity
