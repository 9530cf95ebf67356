"""Demo data of the registers: Tower Hamlets' contracts, waivers and grants
(``demo/data/registers.yaml``, demonstration values; see its header)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from goldenthread.core.models import Organisation, Post
from goldenthread.registers import changes, rules
from goldenthread.registers.models import Contract, Grant, Waiver

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "registers.yaml"
Report = Callable[[str], None]


def read() -> Any:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def load(by, report: Report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
    contracts, waivers, grants = load_registers(by)
    report(f"Registers: contracts {contracts}, procurement waivers {waivers}, grants {grants}.")


@transaction.atomic
def load_registers(by) -> tuple[int, int, int]:
    data = read()
    council = Organisation.objects.filter(code=data["council"]).first()
    if council is None:  # the Best Value plan's loader adds Tower Hamlets
        council, _ = Organisation.objects.get_or_create(
            code=data["council"],
            defaults={"name": "London Borough of Tower Hamlets", "gss_code": "E09000030"},
        )
    for row in data["contracts"]:
        if Contract.objects.filter(council=council, reference=row["reference"]).exists():
            continue
        changes.load(
            Contract,
            {
                "council": council,
                "reference": row["reference"],
                "title": row["title"],
                "department": row["department"],
                "description": _text(row["description"]),
                "supplier_name": row["supplier_name"],
                "supplier_company_number": _text(row.get("supplier_company_number")),
                "supplier_charity_number": _text(row.get("supplier_charity_number")),
                "sme": bool(row["sme"]),
                "vcse": bool(row["vcse"]),
                "value": rules.parse_money(row["value"]),
                "irrecoverable_vat": rules.parse_money(row.get("irrecoverable_vat"), required=False)
                or Decimal("0.00"),
                "starts_on": rules.parse_date(row["starts_on"]),
                "ends_on": rules.parse_date(row.get("ends_on"), required=False),
                "review_on": rules.parse_date(row.get("review_on"), required=False),
                "route": rules.parse_route(row["route"]),
                "redacted_fields": _text(row.get("redacted_fields")),
                "redaction_reason": _text(row.get("redaction_reason")),
            },
            by=by,
        )
    for row in data["waivers"]:
        if Waiver.objects.filter(council=council, reference=row["reference"]).exists():
            continue
        contract = (
            Contract.objects.get(council=council, reference=row["contract"])
            if row.get("contract")
            else None
        )
        approver, _ = Post.objects.get_or_create(title=row["approver"])
        changes.load(
            Waiver,
            {
                "council": council,
                "reference": row["reference"],
                "subject": row["subject"],
                "contract": contract,
                "reason": _text(row["reason"]),
                "value": rules.parse_money(row["value"]),
                "approver": approver,
                "approved_on": rules.parse_date(row["approved_on"]),
            },
            by=by,
        )
    for row in data["grants"]:
        if Grant.objects.filter(council=council, reference=row["reference"]).exists():
            continue
        changes.load(
            Grant,
            {
                "council": council,
                "reference": row["reference"],
                "programme": _text(row.get("programme")),
                "recipient": row["recipient"],
                "recipient_number": _text(row.get("recipient_number")),
                "voluntary_body": bool(row["voluntary_body"]),
                "department": row["department"],
                "purpose": _text(row["purpose"]),
                "amount": rules.parse_money(row["amount"]),
                "awarded_on": rules.parse_date(row["awarded_on"]),
                "starts_on": rules.parse_date(row["starts_on"]),
                "ends_on": rules.parse_date(row.get("ends_on"), required=False),
                "redacted_fields": _text(row.get("redacted_fields")),
                "redaction_reason": _text(row.get("redaction_reason")),
            },
            by=by,
        )
    return (
        Contract.objects.filter(council=council).count(),
        Waiver.objects.filter(council=council).count(),
        Grant.objects.filter(council=council).count(),
    )
