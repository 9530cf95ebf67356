"""Every write to the registers: atomic, audited, version-checked action functions."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from goldenthread.core import audit
from goldenthread.registers import access
from goldenthread.registers.models import Contract, Grant, Waiver

Record = TypeVar("Record", Contract, Waiver, Grant)

CONFLICT_MESSAGE = (
    "Someone else saved this entry after you opened it. Nothing was saved: the form below "
    "shows what it says now; make your change again."
)


class EditConflict(Exception):
    """The entry changed after the form was opened: nothing was written."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(CONFLICT_MESSAGE)


def _check(by) -> None:
    if not access.can_edit(by):
        raise PermissionDenied("Only administrators change the registers.")


def _create(model: type[Record], values: dict[str, Any], *, by) -> Record:
    record = model(**values)
    record.full_clean()
    record.save()
    audit.record_creation(record, by=by)
    return record


def _change(
    record: Record, values: dict[str, Any], *, by, expected_version: int | None
) -> tuple[Record, bool]:
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current, False
    before = audit.snapshot(current)
    for name in changed:
        setattr(current, name, values[name])
    current.full_clean()
    current.version += 1
    current.save(update_fields=[*changed, "version"])
    audit.record_changes(current, before, by=by)
    return current, True


@transaction.atomic
def save_contract(
    contract: Contract | None,
    values: dict[str, Any],
    *,
    by,
    expected_version: int | None = None,
) -> Contract:
    """Add a contract to the register, or change one as read at ``expected_version``."""
    _check(by)
    if contract is None:
        return _create(Contract, values, by=by)
    return _change(contract, values, by=by, expected_version=expected_version)[0]


@transaction.atomic
def save_waiver(
    waiver: Waiver | None, values: dict[str, Any], *, by, expected_version: int | None = None
) -> Waiver:
    """Record a procurement waiver, or change one as read at ``expected_version``."""
    _check(by)
    if waiver is None:
        return _create(Waiver, values, by=by)
    return _change(waiver, values, by=by, expected_version=expected_version)[0]


@transaction.atomic
def save_grant(
    grant: Grant | None, values: dict[str, Any], *, by, expected_version: int | None = None
) -> Grant:
    """Record a grant, or change one as read at ``expected_version``."""
    _check(by)
    if grant is None:
        return _create(Grant, values, by=by)
    return _change(grant, values, by=by, expected_version=expected_version)[0]


@transaction.atomic
def load(model: type[Record], values: dict[str, Any], *, by) -> Record:
    """Add an entry as a data loader (the demo), which acts as the system, not as a
    signed-in user: validated and audited like any other entry."""
    return _create(model, values, by=by)


def apply_rows(model: type[Record], rows: list[dict[str, Any]], *, by) -> tuple[int, int]:
    """Create or change entries from checked import rows, matched by council and
    reference; (created, changed). Called inside the import's transaction."""
    _check(by)
    existing = {
        (r.council_id, r.reference): r
        for r in model.objects.filter(
            reference__in=[r["reference"] for r in rows]
        ).select_for_update()
    }
    created = changed = 0
    for values in rows:
        found = existing.get((values["council"].pk, values["reference"]))
        if found is None:
            _create(model, values, by=by)
            created += 1
        elif _change(found, values, by=by, expected_version=None)[1]:
            changed += 1
    return created, changed
