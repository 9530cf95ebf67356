"""The commercial pipeline: opportunities, the protocol's tests recorded at each stage,
stage changes, and business cases in the Five Case Model."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from goldenthread.commercial import rules
from goldenthread.core.models import Organisation, Service
from goldenthread.plans.models import Action

STAGE_CHOICES = [(s.value, rules.STAGE_LABELS[s]) for s in rules.Stage]
TEST_CHOICES = [(t.key, t.title) for t in rules.TESTS.values()]
PHASE_CHOICES = [(p.value, rules.CASE_PHASE_LABELS[p]) for p in rules.CasePhase]


class Opportunity(models.Model):
    """External work for a client, taken through the Commercial Protocol."""

    class ClientKind(models.TextChoices):
        COUNCIL = "council", "Another council"
        COMPANY = "company", "Council-owned company"
        SCHOOL = "school", "School"
        PUBLIC_BODY = "public_body", "Other public body"

    reference = models.CharField("reference", max_length=30, unique=True)
    title = models.CharField("title", max_length=300)
    client = models.CharField("client", max_length=300)
    client_kind = models.CharField(
        "kind of client", max_length=20, choices=ClientKind.choices, default=ClientKind.COUNCIL
    )
    service = models.ForeignKey(
        Service, verbose_name="service", on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name="partner councils whose service would do the work",
        related_name="commercial_opportunities",
    )
    description = models.TextField("what the client asks for")
    one_off = models.BooleanField(
        '"one off" or ad hoc request',
        default=False,
        help_text="Handled proportionately: a brief analysis instead of business cases.",
    )
    estimated_income = models.DecimalField("estimated income (£)", max_digits=12, decimal_places=2)
    estimated_costs = models.DecimalField("estimated costs (£)", max_digits=12, decimal_places=2)
    stage = models.CharField(
        "stage", max_length=30, choices=STAGE_CHOICES, default=rules.Stage.ARISES.value
    )
    actions = models.ManyToManyField(
        Action, verbose_name="linked plan actions", blank=True, related_name="+"
    )
    demonstration = models.BooleanField(
        "demonstration content", default=False, help_text="Figures invented for the demo."
    )
    created_on = models.DateTimeField("created on", default=timezone.now)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["reference"]
        verbose_name = "opportunity"
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("commercial:opportunity", args=[self.pk])

    @property
    def surplus(self):
        return rules.surplus(self.estimated_income, self.estimated_costs)

    @property
    def stage_label(self) -> str:
        return rules.STAGE_LABELS[rules.Stage(self.stage)]

    @property
    def partner_label(self) -> str:
        return "/".join(sorted(p.code for p in self.partners.all()))


class TestRecord(models.Model):
    """One of the protocol's tests, recorded with its evidence, by whom and when."""

    __test__ = False  # not a pytest test class

    opportunity = models.ForeignKey(
        Opportunity, verbose_name="opportunity", on_delete=models.CASCADE, related_name="tests"
    )
    test = models.CharField("test", max_length=40, choices=TEST_CHOICES)
    stage = models.CharField("recorded at stage", max_length=30, choices=STAGE_CHOICES)
    evidence = models.TextField("evidence")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_name = models.CharField("recorded by (name)", max_length=200)
    recorded_on = models.DateTimeField("recorded on", default=timezone.now)

    class Meta:
        ordering = ["opportunity", "recorded_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "test"], name="unique_protocol_test")
        ]
        verbose_name = "protocol test"

    def __str__(self) -> str:
        return f"{self.opportunity.reference}: {self.get_test_display()}"


class StageChange(models.Model):
    """A move from one stage to the next, with who decided it."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name="opportunity",
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField("from stage", max_length=30, choices=STAGE_CHOICES)
    to_stage = models.CharField("to stage", max_length=30, choices=STAGE_CHOICES)
    decided_by = models.CharField("decided by", max_length=300)
    decided_on = models.DateField("decided on")
    note = models.TextField("decision and reference", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField("recorded by (name)", max_length=200)
    at = models.DateTimeField("recorded at", default=timezone.now)

    class Meta:
        ordering = ["opportunity", "at", "pk"]
        verbose_name = "stage change"

    def __str__(self) -> str:
        return f"{self.opportunity.reference}: {self.from_stage} → {self.to_stage}"


class BusinessCase(models.Model):
    """An outline or full business case in HM Treasury's Five Case Model."""

    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name="opportunity",
        on_delete=models.CASCADE,
        related_name="business_cases",
    )
    phase = models.CharField("phase", max_length=10, choices=PHASE_CHOICES)
    strategic = models.TextField("strategic case")
    economic = models.TextField("economic case")
    commercial = models.TextField("commercial case")
    financial = models.TextField("financial case")
    management = models.TextField("management case")
    updated_on = models.DateTimeField("updated on", default=timezone.now)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["opportunity", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "phase"], name="unique_case_phase")
        ]
        verbose_name = "business case"

    def __str__(self) -> str:
        return f"{self.opportunity.reference} {self.get_phase_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("commercial:case", args=[self.opportunity_id, self.phase])
