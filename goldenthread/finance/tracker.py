"""Read side of the savings tracker: items by year and partner, shares, and the split by
contribution with the savings grossed up. Totals are computed, never read from a sheet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from goldenthread.core.models import Organisation
from goldenthread.finance import rules
from goldenthread.finance.models import (
    CostArea,
    DeliveryAction,
    SavingsAmount,
    SavingsItem,
    SavingsTarget,
)
from goldenthread.finance.reading import formula, partners

ZERO = Decimal(0)


@dataclass
class SavingsYear:
    """One year's savings: item by partner, and each partner's total and share."""

    year: int
    partners: list[Organisation]
    items: list[tuple[SavingsItem, dict[Organisation | None, Decimal]]]
    targets: dict[Organisation, Decimal]

    @property
    def label(self) -> str:
        return rules.year_label(self.year)

    @property
    def split_by_partner(self) -> bool:
        """Every item is split by partner (Table 1), rather than given as one figure (Table 2)."""
        return all(None not in amounts for _, amounts in self.items)

    def item_total(self, amounts: dict) -> Decimal:
        return sum(amounts.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((self.item_total(a) for _, a in self.items), ZERO)

    @property
    def by_partner(self) -> dict[Organisation, Decimal]:
        """Each partner's saving: the partners' MTFS targets if set, else the items' split."""
        if self.targets:
            return {p: self.targets.get(p, ZERO) for p in self.partners}
        totals = dict.fromkeys(self.partners, ZERO)
        for _, amounts in self.items:
            for partner, amount in amounts.items():
                if partner is not None:
                    totals[partner] = totals.get(partner, ZERO) + amount
        return totals

    @property
    def unsplit(self) -> Decimal:
        """The part of the items' total no partner split accounts for."""
        if self.targets:
            return ZERO
        return sum((a.get(None, ZERO) for _, a in self.items), ZERO)

    @property
    def percentages(self) -> dict[Organisation, int]:
        """Each partner's whole-number share of the year's savings (none for mixed signs)."""
        try:
            return rules.percentages(self.by_partner)
        except rules.SplitError:
            return {}

    @property
    def problems(self) -> list[str]:
        """Where the items and the partners' targets disagree: named, with the difference."""
        found = []
        if self.targets and self.items:
            _, mismatch = rules.check_total(
                f"{self.label} partners' savings", "total", self.total, self.targets.values()
            )
            if mismatch:
                found.append(
                    f"{self.label}: the savings items add up to {rules.pounds(self.total)} but "
                    f"the partners' savings add up to {rules.pounds(mismatch.computed)}, a "
                    f"difference of {rules.pounds(self.total - mismatch.computed)}."
                )
            for _item, amounts in self.items:
                for partner, amount in amounts.items():
                    if partner is not None and partner not in self.targets and amount:
                        found.append(
                            f"{self.label}: {partner.name} has savings items but no savings target."
                        )
        return found


@dataclass
class SavingsView:
    status: str
    partners: list[Organisation]
    years: list[SavingsYear]
    items: list[SavingsItem]
    actions: list[DeliveryAction]

    def year(self, year: int) -> SavingsYear | None:
        return next((y for y in self.years if y.year == year), None)

    def item_by_year(self, item: SavingsItem) -> dict[int, Decimal]:
        found = {}
        for savings_year in self.years:
            for candidate, amounts in savings_year.items:
                if candidate.pk == item.pk:
                    found[savings_year.year] = sum(amounts.values(), ZERO)
        return found

    def item_total(self, item: SavingsItem) -> Decimal:
        return sum(self.item_by_year(item).values(), ZERO)

    @property
    def year_numbers(self) -> list[int]:
        return [y.year for y in self.years]

    @property
    def item_rows(self) -> list[tuple[SavingsItem, dict[int, Decimal], Decimal]]:
        """Each item with its saving by year and in total: the tracker's item-by-year table."""
        return [(i, self.item_by_year(i), self.item_total(i)) for i in self.items]

    @property
    def partners_total(self) -> dict[Organisation, Decimal]:
        return self.partner_totals()

    @property
    def future(self) -> dict | None:
        """The years after the first, together: the seed's "future years" (Tables 2 and 3)."""
        years = self.year_numbers[1:]
        if not years:
            return None
        totals = self.partner_totals(years)
        try:
            shares = rules.percentages(totals)
        except rules.SplitError:
            shares = {}
        return {
            "label": f"{rules.year_label(years[0])} – {rules.year_label(years[-1])}",
            "by_partner": totals,
            "percentages": shares,
            "total": self.years_total(years),
        }

    @property
    def percentages(self) -> dict[Organisation, int]:
        try:
            return rules.percentages(self.partner_totals())
        except rules.SplitError:
            return {}

    def years_total(self, years: Iterable[int] | None = None) -> Decimal:
        chosen = set(years) if years is not None else None
        return sum(
            (y.total for y in self.years if chosen is None or y.year in chosen),
            ZERO,
        )

    def partner_totals(self, years: Iterable[int] | None = None) -> dict[Organisation, Decimal]:
        chosen = set(years) if years is not None else None
        totals = dict.fromkeys(self.partners, ZERO)
        for savings_year in self.years:
            if chosen is None or savings_year.year in chosen:
                for partner, amount in savings_year.by_partner.items():
                    totals[partner] = totals.get(partner, ZERO) + amount
        return totals

    @property
    def problems(self) -> list[str]:
        return [p for y in self.years for p in y.problems]


def has_existing_savings() -> bool:
    """Whether :func:`savings` of existing items has a year to show (the split needs one)."""
    existing = SavingsAmount.objects.filter(item__status=SavingsItem.Status.EXISTING)
    return existing.exists() or SavingsTarget.objects.exists()


def savings(status: str = SavingsItem.Status.EXISTING) -> SavingsView:
    """Savings items of one status (existing or potential), year by year."""
    order = partners()
    items = list(SavingsItem.objects.filter(status=status).order_by("order", "title"))
    amounts = SavingsAmount.objects.filter(item__status=status).select_related("item", "partner")
    by_year: dict[int, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
    for amount in amounts:
        by_year[amount.year][amount.item_id][amount.partner] = amount.amount
    targets: dict[int, dict[Organisation, Decimal]] = defaultdict(dict)
    if status == SavingsItem.Status.EXISTING:
        for target in SavingsTarget.objects.select_related("partner"):
            targets[target.year][target.partner] = target.amount
    years = []
    for year in sorted(set(by_year) | set(targets)):
        rows = [(item, by_year[year][item.pk]) for item in items if item.pk in by_year[year]]
        years.append(SavingsYear(year, order, rows, targets.get(year, {})))
    actions = list(
        DeliveryAction.objects.filter(item__isnull=True)
        if status == SavingsItem.Status.EXISTING
        else DeliveryAction.objects.filter(item__status=status)
    )
    return SavingsView(status, order, years, items, actions)


@dataclass
class ContributionView:
    """Planned savings against what each partner would save if split by the formula."""

    title: str
    years: list[int]
    partners: list[Organisation]
    rows: dict[Organisation, rules.ContributionRow]
    grossed_up: Decimal | None
    grossed_up_parts: dict[Organisation, Decimal]
    shares: dict[Organisation, Decimal]
    problem: str = ""

    @property
    def planned_total(self) -> Decimal:
        return sum((r.planned for r in self.rows.values()), ZERO)


def whole_budget_area() -> CostArea | None:
    """The cost area standing for the whole shared budget (the savings' formula)."""
    return (
        CostArea.objects.filter(kind=CostArea.Kind.SHARED, service__isnull=True)
        .filter(code="ALLSHARED")
        .first()
    )


def contribution(
    title: str, views: list[SavingsView], years: list[int], formula_year: int | None = None
) -> ContributionView:
    """Split the planned savings of ``years`` by the whole-budget funding formula.

    Each year is split by that year's formula and the parts added; the grossed-up
    total is the sum of each year's grossing up (the seed's "in the region of £10m").
    """
    order = partners()
    area = whole_budget_area()
    planned = dict.fromkeys(order, ZERO)
    fair = dict.fromkeys(order, ZERO)
    grossed = ZERO
    grossed_parts = dict.fromkeys(order, ZERO)
    shares_shown: dict[Organisation, Decimal] = {}
    for year in years:
        year_plan = dict.fromkeys(order, ZERO)
        for view in views:
            savings_year = view.year(year)
            if savings_year is None:
                continue
            for partner, amount in savings_year.by_partner.items():
                year_plan[partner] = year_plan.get(partner, ZERO) + amount
        shares = formula(formula_year or year).get(area.pk) if area else None
        if not shares:
            return ContributionView(
                title,
                years,
                order,
                {},
                None,
                {},
                {},
                problem=f"There is no funding formula for the whole shared budget in "
                f"{rules.year_label(formula_year or year)}.",
            )
        shares_shown = shares
        for partner, row in rules.by_contribution(year_plan, shares).items():
            planned[partner] = planned.get(partner, ZERO) + row.planned
            fair[partner] = fair.get(partner, ZERO) + row.by_contribution
        try:
            year_gross = rules.grossed_up_total(year_plan, shares)
        except rules.SplitError as exc:
            return ContributionView(title, years, order, {}, None, {}, shares, problem=str(exc))
        grossed += year_gross
        for partner, part in rules.split(year_gross, shares).items():
            grossed_parts[partner] += part
    rows = {p: rules.ContributionRow(planned[p], fair[p]) for p in order}
    return ContributionView(title, years, order, rows, grossed, grossed_parts, shares_shown)
