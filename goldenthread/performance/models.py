"""Indicators, their targets and actuals, period sign-offs and benchmark comparators."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from goldenthread.core.models import Organisation, Period, Post, Service
from goldenthread.performance import rules
from goldenthread.performance.units import Unit, format_difference, plain

_UNIT_CHOICES = [(u.value, label) for u, label in rules.UNIT_LABELS.items()]
_POLARITY_CHOICES = [(p.value, label) for p, label in rules.POLARITY_LABELS.items()]


class Forum(models.Model):
    """A meeting that receives indicators: the Joint Committee, the Section 151 forum."""

    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("name", max_length=200)
    description = models.TextField("description", blank=True)
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "forum"

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A performance indicator: what is measured, how, and for whom."""

    class Level(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        OPERATIONAL = "operational", "Operational"

    class Frequency(models.TextChoices):
        MONTHLY = rules.Frequency.MONTHLY.value, "Monthly"
        QUARTERLY = rules.Frequency.QUARTERLY.value, "Quarterly"
        BIANNUAL = rules.Frequency.BIANNUAL.value, "Biannual"
        ANNUAL = rules.Frequency.ANNUAL.value, "Annual"

    class ToleranceKind(models.TextChoices):
        ABSOLUTE = rules.ToleranceKind.ABSOLUTE.value, "Absolute (in the indicator's unit)"
        RELATIVE = rules.ToleranceKind.RELATIVE.value, "Relative (% of the target)"

    class YtdRule(models.TextChoices):
        SUM = rules.YtdRule.SUM.value, "Sum of the periods"
        AVERAGE = rules.YtdRule.AVERAGE.value, "Average of the periods"
        LATEST = rules.YtdRule.LATEST.value, "Latest period (cumulative figure)"
        WEIGHTED = rules.YtdRule.WEIGHTED.value, "Average weighted by a denominator"

    ref = models.CharField("reference", max_length=20, unique=True)
    name = models.TextField("indicator")
    service = models.ForeignKey(
        Service, verbose_name="service", on_delete=models.PROTECT, related_name="indicators"
    )
    service_area = models.CharField("service area", max_length=200, blank=True)
    level = models.CharField("level", max_length=20, choices=Level.choices)
    unit = models.CharField("unit", max_length=20, choices=_UNIT_CHOICES)
    polarity = models.CharField("polarity", max_length=20, choices=_POLARITY_CHOICES)
    frequency = models.CharField(
        "reporting frequency", max_length=20, choices=Frequency.choices, default="quarterly"
    )
    forums = models.ManyToManyField(
        Forum, verbose_name="reported to", blank=True, related_name="indicators"
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name="reported for partners",
        blank=True,
        related_name="indicators",
        help_text="Leave empty when one figure is reported for the whole shared service.",
    )
    definition = models.TextField("definition", blank=True)
    notes = models.TextField("notes", blank=True)
    data_owner = models.ForeignKey(
        Post,
        verbose_name="data owner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    tolerance_kind = models.CharField(
        "tolerance kind",
        max_length=20,
        choices=ToleranceKind.choices,
        default=ToleranceKind.ABSOLUTE,
    )
    tolerance = models.DecimalField(
        "tolerance",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="How far worse than target is still amber. Empty: any miss is red.",
    )
    band = models.DecimalField(
        "band either side of the target",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="For 'within a band' indicators: green within the target ± this.",
    )
    annual_target = models.BooleanField(
        "the target is for the whole year",
        default=False,
        help_text="A period is then assessed on its year to date against the target pro rata.",
    )
    ytd_rule = models.CharField(
        "year-to-date rule", max_length=20, choices=YtdRule.choices, default=YtdRule.LATEST
    )
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["level", "order", "ref"]
        verbose_name = "indicator"

    def __str__(self) -> str:
        return f"{self.ref} {self.name[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("performance:indicator", args=[self.ref])

    def clean(self) -> None:
        errors = {}
        if self.tolerance is not None and self.tolerance < 0:
            errors["tolerance"] = "The tolerance cannot be negative."
        if self.polarity == rules.Polarity.BAND and self.band is None:
            errors["band"] = "Give the band for an indicator reported 'within a band'."
        if self.band is not None and self.band < 0:
            errors["band"] = "The band cannot be negative."
        if self.polarity == rules.Polarity.COMPLIANT and self.unit != Unit.YES_NO:
            errors["unit"] = "A compliant / not compliant indicator is measured yes/no."
        if errors:
            raise ValidationError(errors)

    @property
    def tolerance_rule(self) -> rules.Tolerance | None:
        if self.tolerance is None:
            return None
        return rules.Tolerance(rules.ToleranceKind(self.tolerance_kind), self.tolerance)

    @property
    def tolerance_label(self) -> str:
        """The amber tolerance in words: "1 percentage point", "10% of the target"."""
        if self.tolerance is None:
            return "None: any miss is red"
        if self.tolerance_kind == rules.ToleranceKind.RELATIVE:
            return f"{plain(self.tolerance)}% of the target"
        return format_difference(self.tolerance, self.unit)

    @property
    def unit_label(self) -> str:
        return rules.UNIT_LABELS[Unit(self.unit)]

    @property
    def frequency_words(self) -> str:
        """How often it is reported, in words: "annually", "twice a year"."""
        return rules.FREQUENCY_WORDS[rules.Frequency(self.frequency)]

    def is_due(self, period: Period) -> bool:
        """Whether an actual may be recorded for the period (its reporting frequency)."""
        return rules.is_due(self.frequency, period.key)


class Target(models.Model):
    """An indicator's target for a financial year, exactly as written.

    One target may name several partners ("98.70% (LBH) 99.6% (LBN)"); a
    target for one partner only overrides it for that partner.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name="indicator", on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveIntegerField("financial year starting", help_text="2019 for 2019/20")
    partner = models.ForeignKey(
        Organisation,
        verbose_name="for partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leave empty for the target as written for every partner.",
    )
    text = models.CharField(
        "target as written",
        max_length=300,
        help_text='e.g. "98.70% (LBH) 99.6% (LBN)", "<£20,000", ">90%", "TBD"',
    )

    class Meta:
        ordering = ["indicator", "year", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "partner"],
                condition=models.Q(partner__isnull=False),
                name="one_target_per_indicator_year_partner",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(partner__isnull=True),
                name="one_general_target_per_indicator_year",
            ),
        ]
        verbose_name = "target"

    def __str__(self) -> str:
        who = f" ({self.partner.code})" if self.partner_id else ""
        return f"{self.indicator.ref} {self.financial_year}{who}: {self.text}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def parsed(self) -> rules.Target:
        return rules.parse_target(self.text, self.indicator.unit)

    def clean(self) -> None:
        if self.indicator_id:
            problems = rules.check_target(self.parsed, self.indicator.polarity)
            if problems:
                raise ValidationError({"text": problems})


class Actual(models.Model):
    """The figure for one indicator, period and partner, with the lead's explanation."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="indicator", on_delete=models.CASCADE, related_name="actuals"
    )
    period = models.ForeignKey(
        Period, verbose_name="period", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for a figure for the whole shared service.",
    )
    value = models.DecimalField("actual", max_digits=16, decimal_places=4)
    denominator = models.DecimalField(
        "denominator",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Cases, invoices... behind the figure: weights a weighted year to date.",
    )
    reason = models.TextField("reason for the level of performance", blank=True)
    remedial_action = models.TextField("remedial action", blank=True)
    demonstration = models.BooleanField(
        "demonstration value",
        default=False,
        help_text="Generated for the demo: the seeds give no actuals.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="entered by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_on = models.DateTimeField("entered on", null=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["indicator", "period__year", "period__kind", "period__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "partner"],
                condition=models.Q(partner__isnull=False),
                name="one_actual_per_indicator_period_partner",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(partner__isnull=True),
                name="one_whole_service_actual_per_indicator_period",
            ),
        ]
        verbose_name = "actual"

    def __str__(self) -> str:
        who = self.partner.code if self.partner_id else "oneSource"
        return f"{self.indicator.ref} {self.period} {who}"


class SignOff(models.Model):
    """An approver's sign-off of a partner's actuals for a period: they are then fixed."""

    period = models.ForeignKey(
        Period, verbose_name="period", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the whole shared service's figures.",
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signed off by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_on = models.DateTimeField("signed off on")
    note = models.TextField("note", blank=True)

    class Meta:
        ordering = ["period__year", "period__kind", "period__number", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "partner"],
                condition=models.Q(partner__isnull=False),
                name="one_sign_off_per_period_partner",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(partner__isnull=True),
                name="one_whole_service_sign_off_per_period",
            ),
        ]
        verbose_name = "period sign-off"

    def __str__(self) -> str:
        who = self.partner.code if self.partner_id else "oneSource"
        return f"{self.period} {who} signed off"


class RagScheme(models.Model):
    """How an organisation colours its indicators (councils differ)."""

    class Scheme(models.TextChoices):
        TOLERANCE = rules.Scheme.TOLERANCE.value, "Amber: worse than target, within tolerance"
        LAST_YEAR = rules.Scheme.LAST_YEAR.value, "Amber: worse than target, better than last year"

    organisation = models.OneToOneField(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="rag_scheme",
    )
    scheme = models.CharField(
        "amber means", max_length=20, choices=Scheme.choices, default=Scheme.TOLERANCE
    )
    narrative_blue = models.BooleanField(
        "show blue 'narrative only' for indicators without a numeric target", default=False
    )

    class Meta:
        verbose_name = "RAG scheme"

    def __str__(self) -> str:
        return f"{self.organisation.code}: {self.get_scheme_display()}"


class ComparatorValue(models.Model):
    """A value of an indicator for a comparator area (as LG Inform exports them)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name="indicator",
        on_delete=models.CASCADE,
        related_name="comparator_values",
    )
    area_code = models.CharField("area code (ONS GSS)", max_length=12)
    area_name = models.CharField("area name", max_length=200, blank=True)
    period = models.CharField("period", max_length=40, help_text="As the source writes it")
    value = models.DecimalField("value", max_digits=16, decimal_places=4)
    demonstration = models.BooleanField("demonstration value", default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="imported by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_on = models.DateTimeField("imported on", null=True)

    class Meta:
        ordering = ["indicator", "period", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "period"], name="one_value_per_area_and_period"
            )
        ]
        verbose_name = "comparator value"

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.area_code} {self.period}: {self.value}"
