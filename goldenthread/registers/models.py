"""The central registers: contracts, procurement waivers and grants, per council."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from goldenthread.core.models import Organisation, Post
from goldenthread.registers import rules


class Contract(models.Model):
    """A contract, purchase order or framework call-off of a council (seed 003: "a central
    contracts register linked to contract award")."""

    council = models.ForeignKey(
        Organisation, verbose_name="council", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField("contract reference number", max_length=50)
    title = models.CharField("title of agreement", max_length=300)
    department = models.CharField("department responsible", max_length=200)
    description = models.TextField("description of goods and services")
    supplier_name = models.CharField("supplier name", max_length=300)
    supplier_company_number = models.CharField(
        "Companies House number", max_length=8, blank=True, help_text="e.g. 01234567 or SC123456"
    )
    supplier_charity_number = models.CharField(
        "registered charity number", max_length=20, blank=True
    )
    sme = models.BooleanField("small or medium-sized enterprise", default=False)
    vcse = models.BooleanField("voluntary, community or social enterprise", default=False)
    value = models.DecimalField("contract value (£)", max_digits=12, decimal_places=2)
    irrecoverable_vat = models.DecimalField(
        "irrecoverable VAT (£)", max_digits=12, decimal_places=2, default=0
    )
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date", null=True, blank=True)
    review_on = models.DateField("review date", null=True, blank=True)
    route = models.CharField("procurement route", max_length=20, choices=rules.ROUTES)
    redacted_fields = models.CharField(
        "fields withheld from publication", max_length=200, blank=True
    )
    redaction_reason = models.CharField("why they are withheld", max_length=300, blank=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["council__code", "-starts_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="unique_contract_reference"
            )
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        verbose_name = "contract"

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("registers:contract", args=[self.pk])

    @property
    def redaction(self) -> rules.Redaction:
        return rules.Redaction(rules.split_fields(self.redacted_fields), self.redaction_reason)

    @property
    def withheld(self) -> tuple[str, ...]:
        return self.redaction.fields

    @property
    def route_label(self) -> str:
        return rules.ROUTE_LABELS.get(self.route, self.route)

    @property
    def published(self) -> bool:
        return rules.published(self.value)


class Waiver(models.Model):
    """A procurement waiver: a contract let without the usual competition, with the reason
    and the officer who approved it under the council's procedures."""

    council = models.ForeignKey(
        Organisation, verbose_name="council", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField("waiver reference", max_length=50)
    subject = models.CharField("what is bought", max_length=300)
    contract = models.ForeignKey(
        Contract,
        verbose_name="contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waivers",
    )
    reason = models.TextField("reason for the waiver")
    value = models.DecimalField("value (£)", max_digits=12, decimal_places=2)
    approver = models.ForeignKey(
        Post, verbose_name="approved by (post)", on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("approved on")
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["council__code", "-approved_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="unique_waiver_reference")
        ]
        verbose_name = "procurement waiver"

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("registers:waiver", args=[self.pk])


class Grant(models.Model):
    """A grant a council gave, and whether its recipient is a voluntary body."""

    council = models.ForeignKey(
        Organisation, verbose_name="council", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField("grant reference", max_length=50)
    programme = models.CharField("grant programme", max_length=200, blank=True)
    recipient = models.CharField("recipient", max_length=300)
    recipient_number = models.CharField(
        "recipient's registration number",
        max_length=20,
        blank=True,
        help_text="Its charity or Companies House number, where it has one.",
    )
    voluntary_body = models.BooleanField(
        "voluntary, community or social enterprise organisation", default=True
    )
    department = models.CharField("department awarding the grant", max_length=200)
    purpose = models.TextField("purpose")
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    awarded_on = models.DateField("awarded on")
    starts_on = models.DateField("grant period starts")
    ends_on = models.DateField("grant period ends", null=True, blank=True)
    redacted_fields = models.CharField(
        "fields withheld from publication", max_length=200, blank=True
    )
    redaction_reason = models.CharField("why they are withheld", max_length=300, blank=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["council__code", "-awarded_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="unique_grant_reference")
        ]
        verbose_name = "grant"

    def __str__(self) -> str:
        return f"{self.reference} {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("registers:grant", args=[self.pk])

    @property
    def redaction(self) -> rules.Redaction:
        return rules.Redaction(rules.split_fields(self.redacted_fields), self.redaction_reason)

    @property
    def withheld(self) -> tuple[str, ...]:
        return self.redaction.fields
