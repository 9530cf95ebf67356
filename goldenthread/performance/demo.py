"""Demo data of the performance app: the seed's 4 + 61 indicators and generated actuals.

Definitions and targets come from ``demo/data/performance-indicators.yaml``
(targets exactly as the seed writes them). The seed gives no actuals, so the
demo generates them from ``performance-demo.yaml``: deterministic (a random
generator seeded per indicator, partner and period), marked as demonstration
values, and written through the same audited functions as a lead's entries.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from goldenthread.core import audit
from goldenthread.core.models import Organisation, Period, Post, Service
from goldenthread.performance import changes, imports, rules
from goldenthread.performance.models import (
    ComparatorValue,
    Forum,
    Indicator,
    SignOff,
    Target,
)
from goldenthread.performance.reading import WHOLE_SERVICE, Scorecard, lines_of
from goldenthread.performance.units import Unit

DATA_DIR = Path(__file__).resolve().parent.parent / "demo" / "data"
INDICATORS_FILE = "performance-indicators.yaml"
DEMO_FILE = "performance-demo.yaml"
Report = Callable[[str], None]


class DemoDataError(ValueError):
    """A data file that does not match its schema: names the file and the item."""


def read(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def indicator_rows() -> list[dict]:
    """Every indicator of the data file, strategic first, with its level."""
    data = read(INDICATORS_FILE)
    return [
        {**row, "level": level} for level in ("strategic", "operational") for row in data[level]
    ]


def load(by, report: Report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
    count = load_indicators(by)
    report(f"Performance: {count} indicators with their 2019/20 targets as written.")
    created = load_actuals(by)
    report(
        f"Performance: {created} demonstration actuals generated"
        if created
        else "Performance: demonstration actuals already loaded."
    )
    compared = load_benchmarks(by)
    if compared:
        report(f"Performance: {compared} demonstration comparator values imported.")


@transaction.atomic
def load_indicators(by) -> int:
    data = read(INDICATORS_FILE)
    year = int(data["year"])
    forums = {}
    for order, row in enumerate(data["forums"]):
        forums[row["code"]], _ = Forum.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "description": row.get("description", ""),
                "order": order,
            },
        )
    services = {s.code: s for s in Service.objects.all()}
    partners = {o.code: o for o in Organisation.objects.all()}
    for order, row in enumerate(indicator_rows()):
        where = f"{INDICATORS_FILE} {row.get('ref')}"
        level = data["levels"][row["level"]]
        try:
            service = services[row["service"]]
            reported_for = [partners[c] for c in row.get("partners") or []]
            forum_list = [forums[c] for c in row.get("forums") or level["forums"]]
        except KeyError as exc:
            raise DemoDataError(f"{where}: unknown code {exc}.") from exc
        owner_title = row.get("data_owner") or data["owners"][row["service"]]
        owner, _ = Post.objects.get_or_create(title=owner_title)
        tolerance = row.get("tolerance") or [None, None]
        indicator, created = Indicator.objects.update_or_create(
            ref=row["ref"],
            defaults={
                "name": row["name"],
                "service": service,
                "service_area": row.get("area") or "",
                "level": row["level"],
                "unit": row["unit"],
                "polarity": row["polarity"],
                "frequency": row.get("frequency") or level["frequency"],
                "definition": row.get("definition", ""),
                "notes": row.get("notes", ""),
                "data_owner": owner,
                "tolerance_kind": tolerance[0] or rules.ToleranceKind.ABSOLUTE.value,
                "tolerance": None if tolerance[1] is None else Decimal(str(tolerance[1])),
                "band": None if row.get("band") is None else Decimal(str(row["band"])),
                "annual_target": bool(row.get("annual_target")),
                "ytd_rule": row["ytd"],
                "order": order,
            },
        )
        indicator.full_clean()
        indicator.forums.set(forum_list)
        indicator.partners.set(reported_for)
        target, _ = Target.objects.update_or_create(
            indicator=indicator, year=year, partner=None, defaults={"text": row["target"]}
        )
        target.full_clean()
        if created:
            audit.record_creation(indicator, by=by)
    return len(indicator_rows())


# ---------------------------------------------------------------------------
# Generated actuals

_PLACES = {
    Unit.PERCENT: 2,
    Unit.MONEY: 0,
    Unit.DAYS: 1,
    Unit.WEEKS: 1,
    Unit.MONTHS: 1,
    Unit.COUNT: 1,
    Unit.RATING: 1,
    Unit.YES_NO: 0,
}


def _round(value: float, unit: Unit, whole: bool = False) -> Decimal:
    places = 0 if whole else _PLACES[unit]
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _aim(rng: random.Random, aims: dict, downgrade: float) -> str:
    roll = rng.random()
    aim = (
        "green"
        if roll < aims["green"]
        else "amber"
        if roll < aims["green"] + aims["amber"]
        else "red"
    )
    if downgrade and rng.random() < downgrade:
        aim = {"green": "amber", "amber": "red", "red": "red"}[aim]
    return aim


def generate_value(
    indicator: Indicator,
    part: rules.TargetPart | None,
    key,
    rng: random.Random,
    aim: str,
    hints: dict,
) -> Decimal:
    """A plausible demonstration actual aiming at a status (the rules decide the real one)."""
    unit = Unit(indicator.unit)
    polarity = rules.Polarity(indicator.polarity)
    whole = unit is Unit.COUNT and indicator.ytd_rule == rules.YtdRule.SUM
    if part is None or part.value is None:
        around = float(hints.get("around", 50))
        spread = float(hints.get("spread", 0.2))
        value = around * (1 + rng.uniform(-spread, spread))
        if indicator.annual_target or indicator.ytd_rule == rules.YtdRule.SUM:
            value /= len(rules.due_quarters(indicator.frequency))  # each entry's share
        if unit is Unit.PERCENT:
            value = min(value, 100.0)
        return _round(max(value, 0.0), unit, whole)
    if polarity is rules.Polarity.COMPLIANT or part.compliance:
        return Decimal(0) if aim == "red" else Decimal(1)
    goal = float(part.value)
    periods_gone, per_year = key.number, 4
    if indicator.annual_target:
        if indicator.ytd_rule == rules.YtdRule.SUM:
            # Each entry's share (a quarter, a half, or the year for an annual indicator):
            # the year to date is what is assessed.
            goal = goal / len(rules.due_quarters(indicator.frequency))
        else:
            goal = goal * periods_gone / per_year
    tolerance = indicator.tolerance_rule
    allowed = float(tolerance.allowed(Decimal(str(goal)))) if tolerance else abs(goal) * 0.05
    allowed = allowed or max(abs(goal) * 0.05, 1.0)
    strict = part.comparator in (rules.Comparator.GT, rules.Comparator.LT)
    if polarity is rules.Polarity.LOWER:
        if aim == "green":
            value = goal - rng.uniform(0.01 if strict else 0, max(goal * 0.25, 0.01))
        elif aim == "amber":
            value = goal + rng.uniform(0.05, 0.95) * allowed
        else:
            value = goal + rng.uniform(1.2, 2.5) * allowed
        value = max(value, 0.0)
    else:
        ceiling = 100.0 if unit is Unit.PERCENT else None
        if aim == "green":
            headroom = (ceiling - goal) if ceiling is not None else goal * 0.15
            value = goal + rng.uniform(0.01 if strict else 0, max(min(headroom, allowed), 0.0))
        elif aim == "amber":
            value = goal - rng.uniform(0.05, 0.95) * allowed
        else:
            value = goal - rng.uniform(1.2, 2.5) * allowed
        if ceiling is not None:
            value = min(value, ceiling)
        value = max(value, 0.0)
    return _round(value, unit, whole)


def load_actuals(by, periods: list[str] | None = None) -> int:
    """Generate the demonstration actuals that are not there yet; returns how many.

    ``periods`` limits them to some of the data file's periods (each line's value is
    the same whichever are generated).
    """
    settings = read(DEMO_FILE)
    data = read(INDICATORS_FILE)
    rows = [row for level in ("strategic", "operational") for row in data[level]]
    hints = {row["ref"]: row.get("demo") or {} for row in rows}
    indicators = list(
        Indicator.objects.filter(ref__in=hints)
        .select_related("service")
        .prefetch_related("partners")
    )
    target_year = int(data["year"])
    created = 0
    for code in settings["periods"]:
        if periods is not None and code not in periods:
            continue
        period = Period.objects.for_code(code)
        card = Scorecard(indicators, [period.year - 1, period.year, target_year])
        created += _generate_period(indicators, period, card, settings, hints, target_year, by)
    for row in settings["sign_offs"]:
        if periods is not None and row["period"] not in periods:
            continue
        period = Period.objects.for_code(row["period"])
        for code in row["partners"]:
            partner = None if code == WHOLE_SERVICE else Organisation.objects.get(code=code)
            if not SignOff.objects.filter(period=period, partner=partner).exists():
                changes.sign_off(period, partner, by=by, note="Demonstration sign-off.")
    return created


@transaction.atomic
def _generate_period(indicators, period, card, settings, hints, target_year, by) -> int:
    key = period.key
    downgrade = float(settings["earlier_year_drift"]) if key.year < target_year else 0.0
    created = 0
    for indicator in indicators:
        if not rules.is_due(indicator.frequency, key):
            continue  # an annual indicator has only its Q4, a biannual one Q2 and Q4
        for partner in lines_of(indicator):
            if card.actual(indicator, partner, key) is not None:
                continue
            who = partner.code if partner else WHOLE_SERVICE
            seed = f"{settings['seed']}|{indicator.ref}|{who}|{key.code}"
            rng = random.Random(seed)  # noqa: S311 - repeatable demo figures, not secrets
            aim = _aim(rng, settings["aims"], downgrade)
            # Generated against the 2019/20 target (the only one the seed gives).
            _, part = card.target_part(indicator, partner, target_year)
            value = generate_value(indicator, part, key, rng, aim, hints.get(indicator.ref, {}))
            denominator = None
            if indicator.ytd_rule == rules.YtdRule.WEIGHTED:
                denominator = Decimal(rng.randint(20, 400))
            ytd = card.year_to_date(indicator, partner, key, value=value, denominator=denominator)
            status = card.assess(indicator, partner, key, value, year_to_date=ytd).status
            reason = remedial = ""
            if status.code == rules.RED.code or (
                status.code == rules.AMBER.code and rng.random() < 0.6
            ):
                reason = rng.choice(settings["reasons"])
                remedial = rng.choice(settings["remedial_actions"])
            changes.record_actual(
                indicator,
                period,
                partner,
                by=by,
                value=value,
                denominator=denominator,
                reason=reason,
                remedial_action=remedial,
                demonstration=True,
                card=card,
            )
            created += 1
    return created


def load_benchmarks(by) -> int:
    count = 0
    for row in read(DEMO_FILE).get("benchmarks") or []:
        indicator = Indicator.objects.filter(ref=row["indicator"]).first()
        if indicator is None or ComparatorValue.objects.filter(indicator=indicator).exists():
            continue
        content = (DATA_DIR / row["file"]).read_bytes()
        count += imports.import_benchmarks(
            indicator, row["file"], content, by=by, demonstration=True
        )
    return count
