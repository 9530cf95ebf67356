"""Read side of finance: outturn, forecasts, budgets, reserves and savings, totals computed.

Every total and split here is computed from the lines by :mod:`.rules`;
nothing typed is trusted as a total. The views and the report builders both
read through these functions, so a page and its printed report always agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from goldenthread.core.models import Organisation
from goldenthread.finance import access, rules
from goldenthread.finance.models import (
    BudgetLine,
    CostArea,
    FinanceYear,
    Forecast,
    FundingShare,
)

ZERO = Decimal(0)
DEFAULT_THRESHOLD = Decimal(5000)


def partners() -> list[Organisation]:
    """The partners in the shared service's money, in the seeds' order.

    Councils with a share in the funding formula or figures of their own;
    those taking every service first, then by name (Havering, Newham, Bexley).
    Other councils in the system (a Best Value authority, say) are left out.
    """
    found = (
        Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
        .filter(
            Q(funding_shares__isnull=False)
            | Q(budget_lines__isnull=False)
            | Q(reserve_movements__isnull=False)
            | Q(savings_amounts__isnull=False)
            | Q(savings_targets__isnull=False)
        )
        .distinct()
    )
    return sorted(found, key=lambda p: (not p.takes_all_services, p.name))


def finance_year(year: int) -> FinanceYear:
    return FinanceYear.objects.filter(year=year).first() or FinanceYear(year=year)


def years_with_lines(user) -> list[int]:
    return sorted(set(access.visible_lines(user).values_list("year", flat=True)), reverse=True)


@dataclass(frozen=True)
class YearPages:
    """Which of a year's pages have something to show this user (the menu links only those)."""

    year: int
    outturn: bool
    forecast: bool
    budget: bool
    reserves: bool


def year_pages(user, years: list[int]) -> list[YearPages]:
    """Each year's pages, from three queries whatever the number of years.

    The same tests as the pages themselves: an outturn needs a line with an outturn or a
    stated variance, a forecast a forecast, a budget a budgeted line or a funding formula,
    reserves a partner in the money this user may see.
    """
    if not years:
        return []
    reserves = bool(set(access.visible_partners(user)) & set(partners()))
    lines = access.visible_lines(user).filter(year__in=years)
    outturn = set(
        lines.filter(Q(outturn__isnull=False) | Q(stated_variance__isnull=False)).values_list(
            "year", flat=True
        )
    )
    budgeted = set(lines.filter(budget__isnull=False).values_list("year", flat=True))
    budgeted |= set(FundingShare.objects.filter(year__in=years).values_list("year", flat=True))
    forecast = set(
        Forecast.objects.filter(line__in=lines).values_list("line__year", flat=True).distinct()
    )
    return [YearPages(y, y in outturn, y in forecast, y in budgeted, reserves) for y in years]


# --- The funding formula --------------------------------------------------------------------


Formula = dict[int, dict[Organisation, Decimal]]  # cost area id → partner → share (%)


def formula(year: int) -> Formula:
    """Each shared cost area's shares for the year, partners in the seeds' order."""
    order = {p.pk: i for i, p in enumerate(partners())}
    shares: Formula = defaultdict(dict)
    rows = FundingShare.objects.filter(year=year).select_related("partner")
    for row in sorted(rows, key=lambda r: order.get(r.partner_id, 99)):
        shares[row.cost_area_id][row.partner] = row.share
    return dict(shares)


@dataclass
class FormulaView:
    year: int
    partners: list[Organisation]
    rows: list[tuple[CostArea, list[Decimal | None]]]


def formula_view(year: int) -> FormulaView:
    shares = formula(year)
    order = partners()
    areas = CostArea.objects.filter(pk__in=shares).order_by("order", "name")
    rows = [(area, [shares[area.pk].get(p) for p in order]) for area in areas]
    return FormulaView(year, order, rows)


class MissingFormula(ValueError):
    """A whole shared line in a year with no shares for its cost area."""


def parts_of(line: BudgetLine, amount: Decimal | None, shares: Formula) -> dict:
    """Who a line's figure belongs to: partner → amount (``None``: all partners together)."""
    if amount is None:
        return {}
    if not line.cost_area.is_shared or line.partner_id is not None:
        return {line.partner: amount}
    area_shares = shares.get(line.cost_area_id)
    if not area_shares:
        raise MissingFormula(
            f"There is no funding formula for {line.cost_area.name} in "
            f"{rules.year_label(line.year)}, so its figures cannot be split between partners."
        )
    return rules.split(amount, area_shares)


# --- Rows of figures ------------------------------------------------------------------------


@dataclass
class LineRow:
    """A budget line's figures and, for shared lines, each partner's part of the variance."""

    line: BudgetLine
    budget: Decimal | None
    actual: Decimal | None  # outturn or forecast outturn
    variance: Decimal | None
    parts: dict[Organisation, Decimal] = field(default_factory=dict)
    commentary: str = ""

    @property
    def name(self) -> str:
        return self.line.cost_area.name

    def part(self, partner: Organisation) -> Decimal | None:
        return self.parts.get(partner)


@dataclass
class Block:
    """Rows with their totals: every total computed from the rows."""

    rows: list[LineRow]
    partners: list[Organisation]

    def _sum(self, values: Iterable[Decimal | None]) -> Decimal | None:
        present = [v for v in values if v is not None]
        return sum(present, ZERO) if present else None

    @property
    def budget(self) -> Decimal | None:
        return self._sum(r.budget for r in self.rows)

    @property
    def actual(self) -> Decimal | None:
        return self._sum(r.actual for r in self.rows)

    @property
    def variance(self) -> Decimal | None:
        return self._sum(r.variance for r in self.rows)

    @property
    def by_partner(self) -> dict[Organisation, Decimal]:
        totals = dict.fromkeys(self.partners, ZERO)
        for row in self.rows:
            for partner, amount in row.parts.items():
                if partner is not None:
                    totals[partner] = totals.get(partner, ZERO) + amount
        return totals

    def part_total(self, partner: Organisation) -> Decimal:
        return self.by_partner.get(partner, ZERO)

    @property
    def complete_budgets(self) -> bool:
        return bool(self.rows) and all(r.budget is not None for r in self.rows)


@dataclass
class OutturnView:
    year: int
    shared: Block
    non_shared: Block
    non_shared_partners: list[Organisation]
    threshold: Decimal
    problems: list[str]

    @property
    def label(self) -> str:
        return rules.year_label(self.year)

    @property
    def transferred(self) -> dict[Organisation, Decimal]:
        """Shares of the shared under/overspend that go to reserves (material ones only)."""
        return rules.transfers_to_reserve(self.shared.by_partner, self.threshold)

    def non_shared_total(self, partner: Organisation | None) -> Decimal | None:
        values = [r.variance for r in self.non_shared.rows if r.line.partner == partner]
        present = [v for v in values if v is not None]
        return sum(present, ZERO) if present else None


def year_lines(user, year: int) -> list[BudgetLine]:
    """The year's visible lines: shared first, by area, each area's partners in the seeds' order."""
    order = {p.pk: i for i, p in enumerate(partners())}
    lines = access.visible_lines(user).filter(year=year).select_related("cost_area", "partner")
    return sorted(
        lines,
        key=lambda line: (
            line.cost_area.kind != CostArea.Kind.SHARED,
            line.cost_area.order,
            line.cost_area.name,
            order.get(line.partner_id, -1),
        ),
    )


def outturn(user, year: int) -> OutturnView:
    """The year's outturn: shared by service with each partner's part, non-shared per partner."""
    shares = formula(year)
    order = partners()
    shared, non_shared, problems = [], [], []
    for line in year_lines(user, year):
        if line.outturn is None and line.stated_variance is None:
            continue
        value = line.variance
        try:
            parts = parts_of(line, value, shares)
        except (MissingFormula, rules.SplitError) as exc:
            problems.append(str(exc))
            parts = {}
        row = LineRow(line, line.budget, line.outturn, value, parts, line.commentary)
        (shared if line.is_shared else non_shared).append(row)
    seen = access.visible_partners(user)
    return OutturnView(
        year=year,
        shared=Block(shared, order),
        non_shared=Block(non_shared, [p for p in order if p in seen]),
        non_shared_partners=[p for p in order if p in seen],
        threshold=finance_year(year).reserve_threshold,
        problems=problems,
    )


@dataclass
class ForecastView:
    year: int
    month: int | None
    months: list[int]
    shared: Block
    non_shared: Block
    problems: list[str]

    @property
    def label(self) -> str:
        if self.month is None:
            return rules.year_label(self.year)
        return f"{rules.year_label(self.year)} P{self.month}"


def forecast_months(user, year: int) -> list[int]:
    lines = access.visible_lines(user).filter(year=year)
    found = Forecast.objects.filter(line__in=lines).values_list("period__number", flat=True)
    return sorted(set(found))


def forecast(user, year: int, month: int | None = None) -> ForecastView:
    """Forecast against budget at a month (the latest with forecasts when not given)."""
    months = forecast_months(user, year)
    if month is None and months:
        month = months[-1]
    shares = formula(year)
    order = partners()
    by_line = {
        f.line_id: f for f in Forecast.objects.filter(line__year=year, period__number=month or 0)
    }
    shared, non_shared, problems = [], [], []
    for line in year_lines(user, year):
        entry = by_line.get(line.pk)
        if entry is None:
            continue
        entry.line = line
        value = entry.variance
        try:
            parts = parts_of(line, value, shares)
        except (MissingFormula, rules.SplitError) as exc:
            problems.append(str(exc))
            parts = {}
        row = LineRow(line, line.budget, entry.forecast, value, parts, entry.commentary)
        (shared if line.is_shared else non_shared).append(row)
    seen = access.visible_partners(user)
    return ForecastView(
        year,
        month,
        months,
        Block(shared, order),
        Block(non_shared, [p for p in order if p in seen]),
        problems,
    )


@dataclass
class TrendRow:
    """One shared cost area: its budget and the variance forecast at each month, and outturn."""

    area: CostArea
    budget: Decimal | None
    by_month: dict[int, Decimal | None]
    outturn: Decimal | None


def forecast_trend(user, year: int) -> tuple[list[int], list[TrendRow]]:
    """Variance against budget by cost area, month by month, then the outturn: the chart's data."""
    months = forecast_months(user, year)
    rows: dict[int, TrendRow] = {}
    lines = year_lines(user, year)
    entries: dict[int, list[Forecast]] = defaultdict(list)
    for entry in Forecast.objects.filter(line__in=lines).select_related("period"):
        entries[entry.line_id].append(entry)
    for line in lines:
        if not line.is_shared:
            continue
        row = rows.setdefault(
            line.cost_area_id, TrendRow(line.cost_area, None, dict.fromkeys(months), None)
        )
        if line.budget is not None:
            row.budget = (row.budget or ZERO) + line.budget
        for entry in entries[line.pk]:
            entry.line = line
            value = entry.variance
            if value is not None:
                number = entry.period.number
                row.by_month[number] = (row.by_month[number] or ZERO) + value
        if line.variance is not None:
            row.outturn = (row.outturn or ZERO) + line.variance
    return months, list(rows.values())


@dataclass
class BudgetView:
    year: int
    shared: Block
    non_shared: Block
    problems: list[str]

    @property
    def label(self) -> str:
        return rules.year_label(self.year)


def budget(user, year: int) -> BudgetView:
    """The base budget: shared areas with each partner's part by the formula, and non-shared."""
    shares = formula(year)
    order = partners()
    shared, non_shared, problems = [], [], []
    for line in year_lines(user, year):
        if line.budget is None:
            continue
        try:
            parts = parts_of(line, line.budget, shares)
        except (MissingFormula, rules.SplitError) as exc:
            problems.append(str(exc))
            parts = {}
        row = LineRow(line, line.budget, None, None, parts, line.commentary)
        (shared if line.is_shared else non_shared).append(row)
    seen = access.visible_partners(user)
    return BudgetView(
        year, Block(shared, order), Block(non_shared, [p for p in order if p in seen]), problems
    )


# --- Reserves -------------------------------------------------------------------------------


@dataclass
class ReserveView:
    year: int
    partners: list[Organisation]
    brought_forward: dict[Organisation, Decimal]
    transfers: dict[Organisation, Decimal]
    other: dict[Organisation, Decimal]

    @property
    def label(self) -> str:
        return rules.year_label(self.year)

    @property
    def closing(self) -> dict[Organisation, Decimal]:
        return {
            p: self.brought_forward.get(p, ZERO)
            + self.transfers.get(p, ZERO)
            + self.other.get(p, ZERO)
            for p in self.partners
        }

    @staticmethod
    def total(values: dict[Organisation, Decimal]) -> Decimal:
        return sum(values.values(), ZERO)

    @property
    def closing_total(self) -> Decimal:
        return self.total(self.closing)

    @property
    def brought_forward_total(self) -> Decimal:
        return self.total(self.brought_forward)

    @property
    def transfers_total(self) -> Decimal:
        return self.total(self.transfers)

    @property
    def other_total(self) -> Decimal:
        return self.total(self.other)


def reserve_years(user) -> list[int]:
    found = access.visible_reserve_movements(user).values_list("year", flat=True)
    return sorted(set(found), reverse=True)


def reserves(user, year: int) -> ReserveView:
    """Each visible partner's reserve over the year, in the seed's order (by name)."""
    seen = set(access.visible_partners(user))
    shown = sorted((p for p in partners() if p in seen), key=lambda p: p.name)
    movements = access.visible_reserve_movements(user).filter(year__lte=year)
    carried = dict.fromkeys(shown, ZERO)
    brought, transfers, other = dict(carried), dict(carried), dict(carried)
    for movement in movements:
        partner = movement.partner
        if partner not in carried:
            continue
        if movement.year < year or movement.kind == movement.Kind.BROUGHT_FORWARD:
            brought[partner] += movement.amount
        elif movement.kind == movement.Kind.OUTTURN_TRANSFER:
            transfers[partner] += movement.amount
        else:
            other[partner] += movement.amount
    return ReserveView(year, shown, brought, transfers, other)
