"""Importing the contracts or grants register from Excel or CSV: all or nothing.

The sheet is read by the one reader (:mod:`goldenthread.core.sheets`); its first row
names the columns of :data:`rules.CONTRACT_COLUMNS` or :data:`rules.GRANT_COLUMNS` (the
register's own export and the published quarterly file both have them, in any order).
Every row is checked before anything is written; one problem anywhere and nothing is,
and each problem names its row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from openpyxl.utils import get_column_letter

from goldenthread.core.models import Organisation
from goldenthread.core.sheets import SheetError, Source, read_rows
from goldenthread.registers import access, changes, rules
from goldenthread.registers.models import Contract, Grant

OPTIONAL = {
    "Redacted fields",
    "Redaction reason",
    "Organisation name",
    "Organisation GSS code",
    *rules.GRANT_REGISTER_EXTRA,
}


class ImportRefused(Exception):
    """The file was not imported; ``problems`` say where and why."""

    def __init__(self, problems: list[SheetError]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    changed: int


def _header(cells: list[object], all_columns: list[str], noun: str) -> dict[str, int]:
    found: dict[str, int] = {}
    problems = []
    known = {c.lower(): c for c in all_columns}
    for index, value in enumerate(cells):
        name = str(value or "").strip().lstrip("\ufeff")
        letter = get_column_letter(index + 1)
        if not name:
            continue
        if name.lower() not in known:
            problems.append(
                SheetError(
                    f"“{name[:40]}” is not a column of the {noun} register.",
                    row=1,
                    column=letter,
                )
            )
            continue
        column = known[name.lower()]
        if column in found:
            problems.append(SheetError(f"“{column}” is named twice.", row=1, column=letter))
        found[column] = index
    missing = [c for c in all_columns if c not in found and c not in OPTIONAL]
    if "Organisation name" not in found and "Organisation GSS code" not in found:
        missing.insert(0, "Organisation GSS code")
    for column in missing:
        problems.append(SheetError(f"The column “{column}” is missing.", row=1))
    if problems:
        raise ImportRefused(problems)
    return found


class _Row:
    """One row's cells by column name, collecting the problems found in it."""

    def __init__(self, number: int, cells: list[object], columns: dict[str, int]):
        self.number = number
        self.cells = cells
        self.columns = columns
        self.problems: list[SheetError] = []

    def raw(self, column: str) -> object:
        index = self.columns.get(column)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def where(self, column: str) -> str:
        index = self.columns.get(column)
        letter = get_column_letter(index + 1) if index is not None else "?"
        return f"{letter} ({column})"

    def read(self, column: str, parse, *args, **kwargs) -> Any:
        try:
            return parse(self.raw(column), *args, **kwargs)
        except rules.CellError as exc:
            self.problems.append(SheetError(str(exc), row=self.number, column=self.where(column)))
            return None

    def text(self, column: str, *, required: bool, longest: int) -> str:
        value = rules.text_cell(self.raw(column))
        if value == rules.REDACTED:
            self.problems.append(
                SheetError(
                    "This cell was withheld for publication: import the register's own "
                    "export, which holds the value, not the published file.",
                    row=self.number,
                    column=self.where(column),
                )
            )
        elif required and not value:
            self.problems.append(
                SheetError(
                    "This cell must not be empty.", row=self.number, column=self.where(column)
                )
            )
        elif len(value) > longest:
            self.problems.append(
                SheetError(
                    f"At most {longest} characters.", row=self.number, column=self.where(column)
                )
            )
        return value


def _council(row: _Row, councils: dict[str, Organisation]) -> Organisation | None:
    for column in ("Organisation GSS code", "Organisation name"):
        key = rules.text_cell(row.raw(column)).lower()
        if key:
            found = councils.get(key)
            if found is None:
                row.problems.append(
                    SheetError(
                        f"“{key[:40]}” is not a council whose register you keep.",
                        row=row.number,
                        column=row.where(column),
                    )
                )
            return found
    row.problems.append(
        SheetError("Name the council.", row=row.number, column=row.where("Organisation GSS code"))
    )
    return None


def _contract_values(row: _Row, councils: dict[str, Organisation]) -> dict[str, Any]:
    redaction = row.read(
        "Redacted fields",
        rules.parse_redaction,
        row.raw("Redaction reason"),
        rules.CONTRACT_REDACTABLE,
    ) or rules.Redaction((), "")
    values = {
        "council": _council(row, councils),
        "reference": row.text("Contract reference number", required=True, longest=50),
        "title": row.text("Title of agreement", required=True, longest=300),
        "department": row.text("Department responsible", required=True, longest=200),
        "description": row.text("Description of goods and services", required=True, longest=10000),
        "supplier_name": row.text("Supplier name", required=True, longest=300),
        "supplier_company_number": row.text(
            "Supplier registered company number", required=False, longest=8
        ),
        "supplier_charity_number": row.text(
            "Supplier registered charity number", required=False, longest=20
        ),
        "sme": row.read("SME supplier", rules.parse_yes_no),
        "vcse": row.read("VCSE supplier", rules.parse_yes_no),
        "value": row.read("Contract value", rules.parse_money),
        "irrecoverable_vat": row.read("Irrecoverable VAT", rules.parse_money, required=False),
        "starts_on": row.read("Contract start date", rules.parse_date),
        "ends_on": row.read("End date", rules.parse_date, required=False),
        "review_on": row.read("Review date", rules.parse_date, required=False),
        "route": row.read("Procurement route", rules.parse_route),
        "redacted_fields": ",".join(redaction.fields),
        "redaction_reason": redaction.reason,
    }
    if values["irrecoverable_vat"] is None:
        values["irrecoverable_vat"] = Decimal("0.00")
    start, end = values["starts_on"], values["ends_on"]
    if start and end and end < start:
        row.problems.append(
            SheetError(
                "The end date is before the start date.",
                row=row.number,
                column=row.where("End date"),
            )
        )
    return values


def _grant_values(row: _Row, councils: dict[str, Organisation]) -> dict[str, Any]:
    redaction = row.read(
        "Redacted fields",
        rules.parse_redaction,
        row.raw("Redaction reason"),
        rules.GRANT_REDACTABLE,
    ) or rules.Redaction((), "")
    values = {
        "council": _council(row, councils),
        "reference": row.text("Grant reference", required=True, longest=50),
        "awarded_on": row.read("Date the grant was awarded", rules.parse_date),
        "starts_on": row.read("Grant period start date", rules.parse_date),
        "ends_on": row.read("Grant period end date", rules.parse_date, required=False),
        "department": row.text("Department awarding the grant", required=True, longest=200),
        "recipient": row.text("Beneficiary", required=True, longest=300),
        "recipient_number": row.text("Beneficiary registration number", required=False, longest=20),
        "purpose": row.text("Summary of the purpose of the grant", required=True, longest=10000),
        "amount": row.read("Amount", rules.parse_money),
        "redacted_fields": ",".join(redaction.fields),
        "redaction_reason": redaction.reason,
        "programme": row.text("Grant programme", required=False, longest=200),
        # A published file lists grants to voluntary bodies only, and has no such column.
        "voluntary_body": True
        if "Voluntary body" not in row.columns
        else row.read("Voluntary body", rules.parse_yes_no),
    }
    start, end = values["starts_on"], values["ends_on"]
    if start and end and end < start:
        row.problems.append(
            SheetError(
                "The grant period ends before it starts.",
                row=row.number,
                column=row.where("Grant period end date"),
            )
        )
    return values


@dataclass(frozen=True)
class _Kind:
    noun: str
    columns: list[str]
    reference_column: str
    values: Any  # (row, councils) -> dict


CONTRACTS = _Kind(
    "contracts", rules.CONTRACT_COLUMNS, "Contract reference number", _contract_values
)
GRANTS = _Kind(
    "grants", rules.GRANT_COLUMNS + rules.GRANT_REGISTER_EXTRA, "Grant reference", _grant_values
)


def _read(kind: _Kind, name: str, source: Source, *, by) -> list[dict[str, Any]]:
    try:
        rows = read_rows(name, source)
    except SheetError as exc:
        raise ImportRefused([exc]) from exc
    if not rows:
        raise ImportRefused([SheetError("The file is empty: it has no header row.")])
    columns = _header(rows[0][1], kind.columns, kind.noun)
    readable = access.councils_readable(by) if access.can_edit(by) else Organisation.objects.none()
    councils: dict[str, Organisation] = {}
    for council in readable:
        councils[council.name.lower()] = council
        if council.gss_code:
            councils[council.gss_code.lower()] = council
    checked: list[dict[str, Any]] = []
    problems: list[SheetError] = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in rows[1:]:
        row = _Row(number, cells, columns)
        values = kind.values(row, councils)
        council, reference = values["council"], values["reference"]
        if council is not None and reference:
            key = (council.pk, reference)
            if key in seen:
                row.problems.append(
                    SheetError(
                        f"The reference {reference} is also on row {seen[key]:,}.",
                        row=number,
                        column=row.where(kind.reference_column),
                    )
                )
            seen[key] = number
        problems.extend(row.problems)
        checked.append(values)
    if problems:
        raise ImportRefused(problems)
    if not checked:
        raise ImportRefused([SheetError(f"The file has a header row but no {kind.noun}.")])
    return checked


def read_contracts(name: str, source: Source, *, by) -> list[dict[str, Any]]:
    """The checked rows of an uploaded contracts register, or :class:`ImportRefused`."""
    return _read(CONTRACTS, name, source, by=by)


def read_grants(name: str, source: Source, *, by) -> list[dict[str, Any]]:
    """The checked rows of an uploaded grants register, or :class:`ImportRefused`."""
    return _read(GRANTS, name, source, by=by)


@transaction.atomic
def import_contracts(name: str, source: Source, *, by) -> ImportResult:
    """Check every row, then create or change each contract; nothing if any row is wrong."""
    rows = read_contracts(name, source, by=by)
    created, changed = changes.apply_rows(Contract, rows, by=by)
    return ImportResult(rows=len(rows), created=created, changed=changed)


@transaction.atomic
def import_grants(name: str, source: Source, *, by) -> ImportResult:
    """Check every row, then create or change each grant; nothing if any row is wrong."""
    rows = read_grants(name, source, by=by)
    created, changed = changes.apply_rows(Grant, rows, by=by)
    return ImportResult(rows=len(rows), created=created, changed=changed)
