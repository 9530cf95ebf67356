"""Every write to the money goes through these functions: validated, atomic and audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, Organisation, Period
from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.finance import reading, rules
from goldenthread.finance.models import (
    BudgetLine,
    CostArea,
    FinanceYear,
    Forecast,
    FundingShare,
    ReserveMovement,
    SavingsAmount,
    SavingsItem,
    SavingsTarget,
)


class EditConflict(Exception):
    """Someone else saved the same forecast since this form was opened."""


def save_audited(obj, values: dict, *, by) -> tuple:
    """Create ``obj`` or change it to ``values``, writing the audit trail; (obj, changed)."""
    if obj.pk is None:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        audit.record_creation(obj, by=by)
        return obj, True
    before = audit.snapshot(obj)
    changed = [n for n, v in values.items() if getattr(obj, n) != v]
    if not changed:
        return obj, False
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=changed)
    audit.record_changes(obj, before, by=by)
    return obj, True


def takes_service(partner: Organisation, area: CostArea) -> bool:
    """Whether the partner takes the area's service (Bexley: finance and transactional only)."""
    if area.service_id is None or partner.takes_all_services:
        return True
    return partner.services.filter(pk=area.service_id).exists()


def check_line(
    year: int,
    area: CostArea,
    partner: Organisation | None,
    *,
    budget: Decimal | None,
    outturn: Decimal | None,
    stated_variance: Decimal | None,
) -> dict[str, str]:
    """Errors by field for a budget line, before anything is saved."""
    errors: dict[str, str] = {}
    try:
        rules.variance(budget, outturn, stated_variance)
    except rules.VarianceMismatch as exc:
        errors["stated_variance"] = f"The outturn variance does not agree: {exc}."
    if partner is not None and area.is_shared and not takes_service(partner, area):
        errors["partner"] = f"{partner.name} does not take {area.name}."
    others = BudgetLine.objects.filter(year=year, cost_area=area)
    if area.is_shared:
        if partner is None and others.filter(partner__isnull=False).exists():
            errors["partner"] = (
                f"{area.name} in {rules.year_label(year)} is already held as partners' parts: "
                "give the partner."
            )
        if partner is not None and others.filter(partner__isnull=True).exists():
            errors["partner"] = (
                f"{area.name} in {rules.year_label(year)} is already held whole, split by the "
                "funding formula: leave the partner empty."
            )
    return errors


@transaction.atomic
def save_line(
    year: int,
    area: CostArea,
    partner: Organisation | None,
    *,
    by,
    budget: Decimal | None,
    outturn: Decimal | None = None,
    stated_variance: Decimal | None = None,
    commentary: str = "",
) -> BudgetLine:
    """Create or change a budget line; a stated variance must agree with the figures."""
    errors = check_line(
        year, area, partner, budget=budget, outturn=outturn, stated_variance=stated_variance
    )
    if errors:
        raise ValidationError(errors)
    line = BudgetLine.objects.filter(year=year, cost_area=area, partner=partner).first()
    line = line or BudgetLine(year=year, cost_area=area, partner=partner)
    values = {
        "budget": budget,
        "outturn": outturn,
        # A variance is kept only where the figures cannot give it: totals are never typed.
        "stated_variance": None if budget is not None and outturn is not None else stated_variance,
        "commentary": (commentary or "").strip(),
    }
    save_audited(line, values, by=by)
    return line


def month_period(year: int, month: int) -> Period:
    return Period.objects.for_key(PeriodKey(year, PeriodKind.MONTH, month))


@transaction.atomic
def record_forecast(
    line: BudgetLine,
    month: int,
    *,
    by,
    forecast: Decimal | None,
    stated_variance: Decimal | None = None,
    commentary: str = "",
    expected_version: int | None = None,
) -> Forecast:
    """Save a month's forecast for a line, refusing a stale edit (``expected_version``)."""
    errors: dict[str, str] = {}
    if forecast is None and stated_variance is None:
        errors["forecast"] = "Enter the forecast outturn, or the forecast variance."
    elif forecast is None and line.budget is not None:
        errors["forecast"] = "This line has a budget: enter the forecast outturn."
    try:
        rules.variance(line.budget, forecast, stated_variance)
    except rules.VarianceMismatch as exc:
        errors["stated_variance"] = f"The forecast variance does not agree: {exc}."
    if errors:
        raise ValidationError(errors)
    period = month_period(line.year, month)
    current = (
        Forecast.objects.select_for_update().filter(line=line, period=period).order_by("pk").first()
    )
    if expected_version is not None and (current.version if current else 0) != expected_version:
        raise EditConflict(
            "This forecast was changed by someone else while you were editing it. "
            "Check the figures below and save again."
        )
    entry = current or Forecast(line=line, period=period)
    values = {
        "forecast": forecast,
        "stated_variance": None
        if forecast is not None and line.budget is not None
        else stated_variance,
        "commentary": (commentary or "").strip(),
    }
    _, changed = save_audited(entry, values, by=by)
    if changed and current is not None:
        entry.version += 1
        entry.save(update_fields=["version"])
    return entry


@transaction.atomic
def set_formula(
    year: int, area: CostArea, shares: dict[Organisation, Decimal], *, by
) -> list[FundingShare]:
    """Set one cost area's shares for a year: they must add up to 100% (0% shares are kept)."""
    errors = []
    if not area.is_shared:
        errors.append(f"{area.name} is not shared: it has no funding formula.")
    try:
        rules.check_shares(shares)
    except rules.SplitError as exc:
        errors.append(f"{area.name} {rules.year_label(year)}: {exc}")
    for partner, share in shares.items():
        if share and not takes_service(partner, area):
            errors.append(f"{partner.name} does not take {area.name}, so cannot share its cost.")
    if errors:
        raise ValidationError(errors)
    saved = []
    for partner, share in shares.items():
        row = FundingShare.objects.filter(year=year, cost_area=area, partner=partner).first()
        row = row or FundingShare(year=year, cost_area=area, partner=partner)
        saved.append(save_audited(row, {"share": share}, by=by)[0])
    for stale in FundingShare.objects.filter(year=year, cost_area=area).exclude(
        partner__in=list(shares)
    ):
        audit.record_event(stale, AuditEntry.Verb.DELETED, by=by, old=str(stale.share))
        stale.delete()
    return saved


@transaction.atomic
def set_reserve_threshold(year: int, threshold: Decimal, *, by) -> FinanceYear:
    if threshold < 0:
        raise ValidationError({"reserve_threshold": "The threshold cannot be negative."})
    settings = FinanceYear.objects.filter(year=year).first() or FinanceYear(year=year)
    return save_audited(settings, {"reserve_threshold": threshold}, by=by)[0]


@transaction.atomic
def record_reserve_movement(
    partner: Organisation, year: int, kind: str, amount: Decimal, *, by, description: str = ""
) -> ReserveMovement:
    """Record a movement; a year's balance brought forward or transfer is replaced, not added."""
    if kind == ReserveMovement.Kind.OTHER:
        movement = ReserveMovement(partner=partner, year=year, kind=kind)
    else:
        movement = ReserveMovement.objects.filter(partner=partner, year=year, kind=kind).first()
        movement = movement or ReserveMovement(partner=partner, year=year, kind=kind)
    return save_audited(movement, {"amount": amount, "description": description}, by=by)[0]


@transaction.atomic
def transfer_outturn_to_reserves(year: int, *, by) -> dict[Organisation, Decimal]:
    """Move each partner's material share of the shared outturn into its reserve.

    Shares below the year's threshold stay out (Bexley's £0.002m in 2018/19);
    running it again replaces the year's transfers rather than adding to them.
    """
    view = reading.outturn(None, year)  # every partner's share, whoever asks for the transfer
    if view.problems:
        raise ValidationError(view.problems)
    moved = view.transferred
    for partner in view.shared.partners:
        amount = moved.get(partner)
        existing = ReserveMovement.objects.filter(
            partner=partner, year=year, kind=ReserveMovement.Kind.OUTTURN_TRANSFER
        ).first()
        if amount is None:
            if existing is not None:
                audit.record_event(existing, AuditEntry.Verb.DELETED, by=by, old=str(existing))
                existing.delete()
            continue
        record_reserve_movement(
            partner,
            year,
            ReserveMovement.Kind.OUTTURN_TRANSFER,
            amount,
            by=by,
            description=f"Share of the {rules.year_label(year)} shared outturn",
        )
    return moved


@transaction.atomic
def save_savings_item(
    title: str, *, by, status: str | None = None, source: str = "", order: int | None = None
) -> SavingsItem:
    """Find an item by its title, creating it; the status and order given are set."""
    title = " ".join(title.split())
    item = SavingsItem.objects.filter(title__iexact=title).first() or SavingsItem(title=title)
    values = {}
    if status is not None:
        values["status"] = status
    if item.pk is None:
        values["status"] = status or SavingsItem.Status.EXISTING
        values["source"] = source
        values["order"] = order if order is not None else SavingsItem.objects.count()
    elif order is not None:
        values["order"] = order
    return save_audited(item, values, by=by)[0]


@transaction.atomic
def set_savings(
    item: SavingsItem, year: int, amounts: dict[Organisation | None, Decimal], *, by
) -> None:
    """Replace an item's savings for a year: by partner, or one figure not split (``None``)."""
    if None in amounts and len(amounts) > 1:
        raise ValidationError(
            f"{item.title} {rules.year_label(year)}: give the saving by partner or as one "
            "figure, not both."
        )
    for partner, amount in amounts.items():
        row = SavingsAmount.objects.filter(item=item, year=year, partner=partner).first()
        row = row or SavingsAmount(item=item, year=year, partner=partner)
        save_audited(row, {"amount": amount}, by=by)
    keep = [p.pk for p in amounts if p is not None]
    stale = SavingsAmount.objects.filter(item=item, year=year).exclude(
        Q(partner_id__in=keep) | (Q(partner__isnull=True) if None in amounts else Q(pk__in=[]))
    )
    for row in stale:
        audit.record_event(row, AuditEntry.Verb.DELETED, by=by, old=str(row.amount))
        row.delete()


@transaction.atomic
def set_savings_target(partner: Organisation, year: int, amount: Decimal, *, by) -> SavingsTarget:
    target = SavingsTarget.objects.filter(partner=partner, year=year).first()
    target = target or SavingsTarget(partner=partner, year=year)
    return save_audited(target, {"amount": amount}, by=by)[0]


@transaction.atomic
def set_delivery(item: SavingsItem, *, by, rag: str, plan: str) -> SavingsItem:
    """Record an item's delivery status (with its word) and how it will be delivered."""
    try:
        rules.delivery_status(rag)
    except ValueError as exc:
        raise ValidationError({"delivery_rag": str(exc)}) from exc
    values = {"delivery_rag": rag, "delivery_plan": (plan or "").strip()}
    return save_audited(item, values, by=by)[0]
