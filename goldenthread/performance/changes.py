"""Every write to indicator data goes through these functions: atomic and audited."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry, Organisation, Period
from goldenthread.performance import rules
from goldenthread.performance.models import Actual, ComparatorValue, Indicator, SignOff
from goldenthread.performance.reading import Scorecard, partner_label, scorecard_for

PLACES = Decimal("0.0001")


class EditConflict(Exception):
    """Someone else saved the same actual since the grid was opened."""

    def __init__(self, current: Actual | None):
        self.current = current
        who = ""
        if current is not None and current.entered_by:
            name = current.entered_by.get_full_name() or current.entered_by.get_username()
            when = timezone.localtime(current.entered_on)
            who = f" by {name} at {when:%H:%M on %d %B %Y}"
        super().__init__(
            f"This actual was changed by someone else while you were editing it{who}. "
            "Your figures are still on the screen: check theirs, then save again."
        )


def actual_for(indicator: Indicator, period: Period, partner: Organisation | None) -> Actual | None:
    found = Actual.objects.filter(indicator=indicator, period=period, partner=partner)
    return found.order_by("pk").first()


def sign_off_for(period: Period, partner: Organisation | None) -> SignOff | None:
    return SignOff.objects.filter(period=period, partner=partner).first()


@dataclass(frozen=True)
class Checked:
    """An actual that passed every check, with the status it will show."""

    assessment: rules.Assessment


def check_actual(
    indicator: Indicator,
    period: Period,
    partner: Organisation | None,
    *,
    value: Decimal | None,
    denominator: Decimal | None = None,
    reason: str = "",
    remedial_action: str = "",
    card: Scorecard | None = None,
) -> Checked:
    """Every rule an actual must meet; raises :class:`ValidationError` naming the fields.

    The partner must be one the indicator is reported for; the period must fit
    the indicator's reporting frequency (an annual indicator takes Q4 or the
    year) and must not be signed off; a red actual needs the reason and the
    remedial action.
    """
    errors: dict[str, str] = {}
    reported_for = {p.pk for p in indicator.partners.all()}
    if reported_for and (partner is None or partner.pk not in reported_for):
        codes = "/".join(sorted(p.code for p in indicator.partners.all()))
        errors["partner"] = (
            f"{indicator.ref} is reported for {codes}, not {partner_label(partner)}."
        )
    elif not reported_for and partner is not None:
        errors["partner"] = (
            f"{indicator.ref} is one figure for the whole shared service: leave the partner empty."
        )
    if not rules.is_due(indicator.frequency, period.key):
        errors["period"] = rules.not_due_reason(indicator.ref, indicator.frequency, period.key)
        raise ValidationError(errors)
    card = card or scorecard_for([indicator], period)
    if card.signed_off(partner, period.key):
        errors["value"] = (
            f"{period} is signed off for {partner_label(partner)}: "
            "ask an approver to reopen it before changing its figures."
        )
    if value is None:
        errors.setdefault("value", f"Enter the actual for {indicator.ref}.")
        raise ValidationError(errors)
    ytd = card.year_to_date(indicator, partner, period.key, value=value, denominator=denominator)
    assessment = card.assess(indicator, partner, period.key, value, year_to_date=ytd)
    if rules.needs_explanation(assessment.status):
        if not (reason or "").strip():
            errors["reason"] = "The actual is red: give the reason for the level of performance."
        if not (remedial_action or "").strip():
            errors["remedial_action"] = "The actual is red: give the remedial action."
    if errors:
        raise ValidationError(errors)
    return Checked(assessment)


def _stored(value: Decimal | None) -> Decimal | None:
    """The value as the database holds it (4 places), so the audit compares like with like."""
    return None if value is None else value.quantize(PLACES)


@transaction.atomic
def record_actual(
    indicator: Indicator,
    period: Period,
    partner: Organisation | None,
    *,
    by,
    value: Decimal | None,
    denominator: Decimal | None = None,
    reason: str = "",
    remedial_action: str = "",
    demonstration: bool = False,
    expected_version: int | None = None,
    card: Scorecard | None = None,
) -> Actual:
    """Save an actual with its explanation; refused if invalid or changed meanwhile.

    ``expected_version`` is the version the editor saw (0: there was none);
    ``None`` skips that check (uploads replace what is there).
    """
    check_actual(
        indicator,
        period,
        partner,
        value=value,
        denominator=denominator,
        reason=reason,
        remedial_action=remedial_action,
        card=card,
    )
    values = {
        "value": _stored(value),
        "denominator": _stored(denominator),
        "reason": (reason or "").strip(),
        "remedial_action": (remedial_action or "").strip(),
        "demonstration": demonstration,
        "entered_by": by if getattr(by, "is_authenticated", False) else None,
        "entered_on": timezone.now(),
    }
    current = (
        Actual.objects.select_for_update()
        .filter(indicator=indicator, period=period, partner=partner)
        .order_by("pk")
        .first()
    )
    if current is None:
        if expected_version not in (None, 0):
            raise EditConflict(None)
        try:
            with transaction.atomic():
                actual = Actual.objects.create(
                    indicator=indicator, period=period, partner=partner, **values
                )
        except IntegrityError as exc:  # entered by someone else a moment ago
            raise EditConflict(actual_for(indicator, period, partner)) from exc
        audit.record_creation(actual, by=by)
        return actual
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
    before = audit.snapshot(current)
    for name, new in values.items():
        setattr(current, name, new)
    current.version += 1
    current.save(update_fields=[*values, "version"])
    audit.record_changes(current, before, by=by)
    return current


@transaction.atomic
def sign_off(period: Period, partner: Organisation | None, *, by, note: str = "") -> SignOff:
    """An approver signs off a partner's figures for a period; they are fixed from then on."""
    if sign_off_for(period, partner) is not None:
        raise ValidationError(
            {"period": f"{period} is already signed off for {partner_label(partner)}."}
        )
    done = SignOff.objects.create(
        period=period, partner=partner, signed_by=by, signed_on=timezone.now(), note=note.strip()
    )
    audit.record_event(done, AuditEntry.Verb.APPROVED, by=by, new=str(done))
    return done


@transaction.atomic
def reopen(done: SignOff, *, by, reason: str) -> None:
    """Withdraw a sign-off so that the figures may be corrected; the reason is kept."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the period is reopened."})
    audit.record_event(
        done, AuditEntry.Verb.DELETED, by=by, field="reopened because", old=str(done), new=reason
    )
    done.delete()


@transaction.atomic
def replace_comparators(
    indicator: Indicator, rows: list[dict], *, by, demonstration: bool = False
) -> int:
    """Store comparator values (area code, name, period, value), replacing those of the
    same area and period. Rows are already checked by the import."""
    now = timezone.now()
    count = 0
    for row in rows:
        found, created = ComparatorValue.objects.update_or_create(
            indicator=indicator,
            area_code=row["area_code"],
            period=row["period"],
            defaults={
                "area_name": row.get("area_name", ""),
                "value": row["value"],
                "demonstration": demonstration,
                "imported_by": by if getattr(by, "is_authenticated", False) else None,
                "imported_on": now,
            },
        )
        count += 1
        if created:
            audit.record_creation(found, by=by)
    return count
