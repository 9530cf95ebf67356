"""Budgets, forecasts, outturn, the funding formula, reserves and the savings tracker.

Figures are pounds held as :class:`~decimal.Decimal` with pence. Totals are
never stored: they are computed from the lines (see :mod:`.reading`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from goldenthread.core.models import Organisation, Period, Post, Service
from goldenthread.finance import rules

MONEY = {"max_digits": 14, "decimal_places": 2}


class CostArea(models.Model):
    """A service or budget area that budgets are held against.

    Shared areas are oneSource services whose cost the partners share by the
    funding formula; non-shared areas are each council's own budgets that
    oneSource manages. Most areas are one of the core services; areas the
    outturn names that are not (Business Services, the balance of the shared
    total) have no service.
    """

    class Kind(models.TextChoices):
        SHARED = "shared", "Shared"
        NON_SHARED = "non_shared", "Non-shared"

    code = models.CharField("short code", max_length=20, unique=True)
    name = models.CharField("name", max_length=200)
    short_name = models.CharField(
        "short name", max_length=30, blank=True, help_text="For chart labels, e.g. “HR”."
    )
    kind = models.CharField("shared or non-shared", max_length=12, choices=Kind.choices)
    service = models.ForeignKey(
        Service,
        verbose_name="service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cost_areas",
    )
    lead_posts = models.ManyToManyField(
        Post,
        verbose_name="led by",
        blank=True,
        related_name="cost_areas",
        help_text="The posts whose holders may update this area's forecasts.",
    )
    description = models.TextField("description", blank=True)
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["kind", "order", "name"]
        verbose_name = "cost area"

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.kind == self.Kind.SHARED

    @property
    def label(self) -> str:
        return self.short_name or self.name


class FinanceYear(models.Model):
    """Settings of one financial year: the reserve materiality threshold and the savings base."""

    year = models.PositiveIntegerField("financial year starting", unique=True)
    reserve_threshold = models.DecimalField(
        "reserve transfer threshold (£)",
        **MONEY,
        default=Decimal(5000),
        help_text="A partner's share of the shared under- or overspend smaller than this "
        "is not transferred to its reserve.",
    )
    shared_controllable_budget = models.DecimalField(
        "shared controllable budget net of income and savings (£)",
        **MONEY,
        null=True,
        blank=True,
        help_text="The budget the savings report measures future savings against.",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = "financial year"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return rules.year_label(self.year)


class FundingShare(models.Model):
    """One partner's percentage share of one shared cost area in one year: the funding formula."""

    year = models.PositiveIntegerField("financial year starting")
    cost_area = models.ForeignKey(
        CostArea,
        verbose_name="cost area",
        on_delete=models.PROTECT,
        related_name="funding_shares",
        limit_choices_to={"kind": CostArea.Kind.SHARED},
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        on_delete=models.PROTECT,
        related_name="funding_shares",
    )
    share = models.DecimalField("share (%)", max_digits=7, decimal_places=3)

    class Meta:
        ordering = ["year", "cost_area__order", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cost_area", "partner"], name="one_share_per_partner_area_year"
            )
        ]
        verbose_name = "funding formula share"

    def __str__(self) -> str:
        return f"{rules.year_label(self.year)} {self.cost_area.code} {self.partner.code}"


class BudgetLine(models.Model):
    """The budget and outturn of one cost area in one year, shared or one partner's.

    In a shared area a line with no partner is the whole service, split
    between the partners by the funding formula; a line with a partner is
    that partner's part as the source reports it. In a non-shared area a line
    is one partner's; with no partner it is the partners' non-shared budgets
    together, where the source does not split them.
    """

    year = models.PositiveIntegerField("financial year starting")
    cost_area = models.ForeignKey(
        CostArea, verbose_name="cost area", on_delete=models.PROTECT, related_name="lines"
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    budget = models.DecimalField("budget (£)", **MONEY, null=True, blank=True)
    outturn = models.DecimalField("outturn (£)", **MONEY, null=True, blank=True)
    stated_variance = models.DecimalField(
        "outturn variance as reported (£)",
        **MONEY,
        null=True,
        blank=True,
        help_text="Only where the source gives the variance without the budget and outturn.",
    )
    commentary = models.TextField("commentary", blank=True)

    class Meta:
        ordering = ["year", "cost_area__kind", "cost_area__order", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cost_area", "partner"],
                name="one_line_per_area_partner_year",
            ),
            models.UniqueConstraint(
                fields=["year", "cost_area"],
                condition=Q(partner__isnull=True),
                name="one_whole_line_per_area_year",
            ),
        ]
        verbose_name = "budget line"

    def __str__(self) -> str:
        who = f" – {self.partner.code}" if self.partner_id else ""
        return f"{rules.year_label(self.year)} {self.cost_area.name}{who}"

    @property
    def is_shared(self) -> bool:
        return self.cost_area.is_shared

    @property
    def variance(self) -> Decimal | None:
        """Outturn less budget, or the reported variance where those are not held."""
        return rules.variance(self.budget, self.outturn, self.stated_variance)


class Forecast(models.Model):
    """A month's forecast outturn of a budget line (P1–P12 of the line's year)."""

    line = models.ForeignKey(
        BudgetLine, verbose_name="budget line", on_delete=models.CASCADE, related_name="forecasts"
    )
    period = models.ForeignKey(
        Period, verbose_name="period", on_delete=models.PROTECT, related_name="+"
    )
    forecast = models.DecimalField("forecast outturn (£)", **MONEY, null=True, blank=True)
    stated_variance = models.DecimalField(
        "forecast variance as reported (£)",
        **MONEY,
        null=True,
        blank=True,
        help_text="Only where the source gives the variance without the forecast outturn.",
    )
    commentary = models.TextField("commentary", blank=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["line", "period__number"]
        constraints = [
            models.UniqueConstraint(fields=["line", "period"], name="one_forecast_per_line_period")
        ]
        verbose_name = "forecast"

    def __str__(self) -> str:
        return f"{self.line} {self.period.code}"

    @property
    def variance(self) -> Decimal | None:
        return rules.variance(self.line.budget, self.forecast, self.stated_variance)


class ReserveMovement(models.Model):
    """A movement on a partner's oneSource reserve: the balance is the sum of its movements."""

    class Kind(models.TextChoices):
        BROUGHT_FORWARD = "brought_forward", "Balance brought forward"
        OUTTURN_TRANSFER = "outturn_transfer", "Share of the shared outturn transferred"
        OTHER = "other", "Other movement"

    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        on_delete=models.PROTECT,
        related_name="reserve_movements",
    )
    year = models.PositiveIntegerField("financial year starting")
    kind = models.CharField("kind", max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        "amount (£)", **MONEY, help_text="A contribution to the reserve is negative (a credit)."
    )
    description = models.CharField("description", max_length=300, blank=True)

    class Meta:
        ordering = ["year", "partner__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year", "kind"],
                condition=~Q(kind="other"),
                name="one_brought_forward_and_transfer_per_year",
            )
        ]
        verbose_name = "reserve movement"

    def __str__(self) -> str:
        return f"{self.partner.code} {rules.year_label(self.year)} {self.get_kind_display()}"


class SavingsItem(models.Model):
    """A saving from the shared budgets: "Investment in ICT and automations"."""

    class Status(models.TextChoices):
        EXISTING = "existing", "Existing (in the MTFS)"
        POTENTIAL = "potential", "Potential"

    title = models.CharField("saving", max_length=300, unique=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.EXISTING
    )
    delivery_rag = models.CharField(
        "delivery status",
        max_length=1,
        choices=[(s.code, s.label) for s in rules.DELIVERY_RAG],
        blank=True,
    )
    delivery_plan = models.TextField("how it will be delivered", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["status", "order", "title"]
        verbose_name = "savings item"

    def __str__(self) -> str:
        return self.title

    @property
    def rag(self) -> rules.DeliveryStatus:
        return rules.delivery_status(self.delivery_rag)


class SavingsAmount(models.Model):
    """One item's saving in one year, for one partner or not split by partner (negative)."""

    item = models.ForeignKey(
        SavingsItem, verbose_name="savings item", on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveIntegerField("financial year starting")
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="savings_amounts",
        help_text="Empty where the source does not split the item's saving by partner.",
    )
    amount = models.DecimalField("saving (£)", **MONEY, help_text="A saving is negative.")

    class Meta:
        ordering = ["year", "item__order", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "year", "partner"], name="one_amount_per_item_year_partner"
            ),
            models.UniqueConstraint(
                fields=["item", "year"],
                condition=Q(partner__isnull=True),
                name="one_unsplit_amount_per_item_year",
            ),
        ]
        verbose_name = "savings amount"

    def __str__(self) -> str:
        who = self.partner.code if self.partner_id else "not split"
        return f"{self.item} {rules.year_label(self.year)} {who}"


class SavingsTarget(models.Model):
    """The saving from the shared budgets a partner has built into its MTFS for a year."""

    year = models.PositiveIntegerField("financial year starting")
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        on_delete=models.PROTECT,
        related_name="savings_targets",
    )
    amount = models.DecimalField("saving (£)", **MONEY, help_text="A saving is negative.")

    class Meta:
        ordering = ["year", "partner__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "partner"], name="one_target_per_partner_year")
        ]
        verbose_name = "partner savings target"

    def __str__(self) -> str:
        return f"{self.partner.code} {rules.year_label(self.year)}"


class DeliveryAction(models.Model):
    """How savings will be delivered: "£200k savings within ICT", or a future work stream."""

    first_year = models.PositiveIntegerField("from financial year starting")
    last_year = models.PositiveIntegerField("to financial year starting")
    item = models.ForeignKey(
        SavingsItem,
        verbose_name="savings item",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delivery_actions",
        help_text="Empty for actions that deliver the year's savings as a whole.",
    )
    title = models.CharField("action", max_length=300)
    description = models.TextField("description", blank=True)
    amount = models.DecimalField("saving (£)", **MONEY, null=True, blank=True)
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["first_year", "order"]
        verbose_name = "delivery action"

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return rules.year_label(self.first_year)
        return f"{rules.year_label(self.first_year)} – {rules.year_label(self.last_year)}"
