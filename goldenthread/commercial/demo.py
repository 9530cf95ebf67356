"""Demo data of the commercial pipeline (``demo/data/commercial.yaml``): demonstration
opportunities taken through the Commercial Protocol by the same action functions as the
pages, so each stage change is refused unless its tests are recorded."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from goldenthread.commercial import changes
from goldenthread.commercial.models import Opportunity
from goldenthread.core.models import Organisation, Service
from goldenthread.plans.models import Action

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "commercial.yaml"
Report = Callable[[str], None]


def read() -> Any:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _actions(refs: list[str]) -> list[Action]:
    found = []
    for ref in refs:
        plan_code, _, action_ref = ref.partition("/")
        action = Action.objects.filter(plan__code=plan_code, ref=action_ref).first()
        if action is not None:  # a plan not loaded leaves the link out
            found.append(action)
    return found


def load(by, report: Report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
    added = load_opportunities(by)
    report(f"Commercial: {added} demonstration opportunities added.")


@transaction.atomic
def load_opportunities(by) -> int:
    added = 0
    for row in read()["opportunities"]:
        if Opportunity.objects.filter(reference=row["reference"]).exists():
            continue
        values = {
            "reference": row["reference"],
            "title": row["title"],
            "client": row["client"],
            "client_kind": row["client_kind"],
            "service": Service.objects.get(code=row["service"]),
            "partners": list(Organisation.objects.filter(code__in=row["partners"])),
            "description": row["description"].strip(),
            "one_off": bool(row["one_off"]),
            "estimated_income": Decimal(row["estimated_income"]),
            "estimated_costs": Decimal(row["estimated_costs"]),
            "actions": _actions(row.get("actions") or []),
            "demonstration": True,
        }
        changes.load(values, row.get("steps") or [], by=by)
        added += 1
    return added
