"""Demo data of the delegation app: Havering's write-off scheme as the seed prints it.

Read from ``demo/data/delegation-schemes.yaml`` (see its header for how the printed
tables' empty cells and ``*`` marks are read); every scheme is checked by
:func:`rules.parse_scheme` before it is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import Organisation, Post
from goldenthread.delegation import changes, rules
from goldenthread.delegation.models import Adoption, Designation, Scheme, WriteOffRequest

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "delegation-schemes.yaml"
Report = Callable[[str], None]


class DemoDataError(ValueError):
    """A data file that does not match its schema: names the file and the item."""


def read() -> Any:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _day(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise DemoDataError(f"{where}: {value!r} is not an ISO date.") from exc


def load(by, report: Report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
    schemes, designations = load_schemes(by)
    report(f"Delegation: {schemes} write-off scheme versions, {designations} designated posts.")
    made = load_requests()
    if made:
        report(f"Delegation: {made} demonstration write-off requests.")


def _moment(value: Any, where: str) -> datetime:
    day = _day(value, where)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def load_requests() -> int:
    """The data file's demonstration requests, made and decided by the demo officers
    through the same action functions as the pages (marked as demonstrations)."""
    users = get_user_model().objects
    made = 0
    for row in read()["councils"]:
        council = Organisation.objects.get(code=row["council"])
        for data in row.get("requests") or []:
            where = f"{DATA_FILE.name} {council.code} {data['account_reference']}"
            if WriteOffRequest.objects.filter(
                council=council, account_reference=data["account_reference"]
            ).exists():
                continue
            request = changes.make_request(
                council,
                by=users.get(username=data["made_by"]),
                debt_type=data["debt_type"],
                debtor=data["debtor"],
                account_reference=data["account_reference"],
                amount=Decimal(str(data["amount"])),
                reason=data["reason"],
                evidence_note=data["evidence_note"],
                made_on=_moment(data["made_on"], where),
            )
            decision = data.get("decision")
            if decision:
                changes.decide(
                    request,
                    rules.Event(decision["outcome"]),
                    by=users.get(username=decision["by"]),
                    note=decision.get("note") or "",
                    responses=decision.get("responses") or [],
                    at=_moment(decision["decided_on"], where),
                )
            made += 1
    return made


@transaction.atomic
def load_schemes(by) -> tuple[int, int]:
    schemes = designations = 0
    for row in read()["councils"]:
        council = Organisation.objects.get(code=row["council"])
        for data in row["schemes"]:
            where = f"{DATA_FILE.name} {council.code} version {data['version']}"
            try:
                rules.parse_scheme(data["definition"])
            except rules.SchemeError as exc:
                raise DemoDataError(f"{where}: {exc}") from exc
            adoptions = [
                (a["body"], _day(a["adopted_on"], where), (a.get("note") or "").strip())
                for a in data["adoptions"]
            ]
            scheme, created = Scheme.objects.get_or_create(
                council=council,
                version=int(data["version"]),
                defaults={
                    "title": data["title"],
                    "source_document": (data.get("source_document") or "").strip(),
                    "in_force_from": min(day for _, day, _ in adoptions),
                    "definition": data["definition"],
                },
            )
            if created:
                audit.record_creation(scheme, by=by)
                for body, day, note in adoptions:
                    adoption = Adoption.objects.create(
                        scheme=scheme, body=body, adopted_on=day, note=note
                    )
                    audit.record_creation(adoption, by=by)
            schemes += 1
        for authority, titles in (row.get("designations") or {}).items():
            for title in titles:
                post, _ = Post.objects.get_or_create(title=title)
                designation, created = Designation.objects.get_or_create(
                    council=council, authority=authority, post=post
                )
                if created:
                    audit.record_creation(designation, by=by)
                designations += 1
    return schemes, designations
