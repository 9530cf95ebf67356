"""Demo data of the finance app: seed 001's outturn, budgets, reserves and savings.

Everything comes from the ``finance-*.yaml`` files in goldenthread/demo/data and
goes in through the same checks and audited writes as an officer's upload.
Running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from goldenthread.core.models import Organisation, Post, Service
from goldenthread.finance import changes, imports, reading, rules
from goldenthread.finance.models import (
    CostArea,
    DeliveryAction,
    FinanceYear,
    ReserveMovement,
    SavingsItem,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "demo" / "data"


class DemoDataError(ValueError):
    """A finance data file that does not load, or whose figures disagree with the seed's."""


def read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _money(text: object) -> Decimal:
    value = rules.parse_amount(text)
    if value is None:
        raise DemoDataError(f"{text!r} is not an amount.")
    return value


def load_cost_areas(by) -> list[CostArea]:
    areas = []
    for order, row in enumerate(read("finance-cost-areas.yaml")["cost_areas"]):
        service = Service.objects.filter(code=row["service"]).first() if row["service"] else None
        if row["service"] and service is None:
            raise DemoDataError(f"Cost area {row['code']}: no service {row['service']}.")
        area = CostArea.objects.filter(code=row["code"]).first() or CostArea(code=row["code"])
        area, _ = changes.save_audited(
            area,
            {
                "name": row["name"],
                "short_name": row.get("short_name") or "",
                "kind": row["kind"],
                "service": service,
                "description": " ".join((row.get("description") or "").split()),
                "order": order,
            },
            by=by,
        )
        area.lead_posts.set(
            [Post.objects.get_or_create(title=title)[0] for title in row.get("leads") or []]
        )
        areas.append(area)
    return areas


def load_formula(by) -> int:
    partners = {p.code: p for p in Organisation.objects.all()}
    areas = {a.code: a for a in CostArea.objects.all()}
    count = 0
    for year_text, by_area in read("finance-formula.yaml")["years"].items():
        year = rules.parse_year(year_text)
        for code, shares in by_area.items():
            changes.set_formula(
                year,
                areas[code],
                {partners[p]: Decimal(str(v)) for p, v in shares.items()},
                by=by,
            )
            count += 1
    return count


def _sheet_rows(sheet: dict) -> list[imports.Row]:
    rows = [sheet["header"], *sheet["rows"]]
    return [(n, ["" if c is None else str(c) for c in cells]) for n, cells in enumerate(rows, 1)]


def _load_sheet(sheet: dict, *, by, where: str) -> None:
    kind = imports.SheetKind(sheet.get("kind", "savings"))
    try:
        imports.load_rows(
            kind,
            _sheet_rows(sheet),
            by=by,
            status=sheet.get("status", SavingsItem.Status.EXISTING),
        )
    except imports.SheetRefused as exc:
        raise DemoDataError(f"{where}: {exc}") from exc


def load_budgets(by) -> int:
    data = read("finance-budgets.yaml")
    for number, sheet in enumerate(data["sheets"], start=1):
        _load_sheet(sheet, by=by, where=f"finance-budgets.yaml sheet {number}")
    return len(data["sheets"])


@transaction.atomic
def load_reserves(by) -> reading.ReserveView:
    """Transfer the 2018/19 shares, then bring forward what makes the seed's closing balances."""
    data = read("finance-reserves.yaml")
    year = rules.parse_year(data["year"])
    changes.set_reserve_threshold(year, _money(data["reserve_threshold"]), by=by)
    moved = changes.transfer_outturn_to_reserves(year, by=by)
    for code, closing in data["closing_balances"].items():
        partner = Organisation.objects.get(code=code)
        brought = _money(closing) - moved.get(partner, Decimal(0))
        changes.record_reserve_movement(
            partner,
            year,
            ReserveMovement.Kind.BROUGHT_FORWARD,
            brought,
            by=by,
            description="Derived: the seed's closing balance at 31 March 2019 less the transfer",
        )
    view = reading.reserves(None, year)  # every partner's, whoever loads the demo
    if view.closing_total != _money(data["closing_total"]):
        raise DemoDataError(
            f"finance-reserves.yaml: the reserves add up to {rules.pounds(view.closing_total)}, "
            f"not the seed's {data['closing_total']}."
        )
    return view


def load_savings(by) -> int:
    data = read("finance-savings.yaml")
    budget = data["shared_controllable_budget"]
    year = rules.parse_year(budget["year"])
    settings = FinanceYear.objects.filter(year=year).first() or FinanceYear(year=year)
    changes.save_audited(settings, {"shared_controllable_budget": _money(budget["amount"])}, by=by)
    for sheet in data["sheets"]:
        _load_sheet(sheet, by=by, where=f"finance-savings.yaml {sheet['name']}")
    for group in data["delivery_actions"]:
        first, last = (rules.parse_year(y) for y in group["years"])
        for order, row in enumerate(group["actions"]):
            action = DeliveryAction.objects.filter(first_year=first, title=row["title"]).first()
            action = action or DeliveryAction(first_year=first, title=row["title"])
            changes.save_audited(
                action,
                {
                    "last_year": last,
                    "description": " ".join((row.get("description") or "").split()),
                    "amount": _money(row["amount"]) if row.get("amount") else None,
                    "order": order,
                },
                by=by,
            )
    return len(data["sheets"])


def load(by, report: Callable[[str], None]) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
    with transaction.atomic():
        areas = load_cost_areas(by)
        shares = load_formula(by)
        load_budgets(by)
        view = load_reserves(by)
        load_savings(by)
    report(
        f"Finance: {len(areas)} cost areas, {shares} funding formula rows, the 2018/19 outturn "
        f"and period 11 forecast, the 2019/20 base budget, reserves of "
        f"{rules.pounds(view.closing_total)} and the shared savings loaded."
    )
