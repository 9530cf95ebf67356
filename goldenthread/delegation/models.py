"""Schemes of delegation (versioned per council) and write-off requests decided under them."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from goldenthread.core.models import Organisation, Post
from goldenthread.delegation import rules


class Scheme(models.Model):
    """One version of a council's scheme of delegation for writing off debt.

    The tables are kept as data (``definition``, read by :func:`rules.parse_scheme`);
    a version applies to requests made on or after the day it was first adopted.
    """

    council = models.ForeignKey(
        Organisation, verbose_name="council", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("version")
    title = models.CharField("title", max_length=300)
    source_document = models.TextField("source document", blank=True)
    in_force_from = models.DateField(
        "in force from", help_text="Requests made on or after this day are routed under it."
    )
    definition = models.JSONField("levels, posts and tables")

    class Meta:
        ordering = ["council__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["council", "version"], name="unique_scheme_version")
        ]
        verbose_name = "scheme of delegation"
        verbose_name_plural = "schemes of delegation"

    def __str__(self) -> str:
        return f"{self.council.code} write-off scheme, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("delegation:scheme", args=[self.pk])

    @cached_property
    def rules(self) -> rules.Scheme:
        return rules.parse_scheme(self.definition)


class Adoption(models.Model):
    """Who adopted a scheme version, and when (the Leader; then the Joint Committee)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="scheme", on_delete=models.CASCADE, related_name="adoptions"
    )
    body = models.CharField("adopted by", max_length=300)
    adopted_on = models.DateField("adopted on")
    note = models.TextField("note", blank=True)

    class Meta:
        ordering = ["adopted_on", "pk"]
        verbose_name = "adoption"

    def __str__(self) -> str:
        return f"{self.body}, {self.adopted_on:%d/%m/%Y}"


class Designation(models.Model):
    """A post of the organisation designated as one of the scheme's deciding posts."""

    council = models.ForeignKey(
        Organisation, verbose_name="council", on_delete=models.CASCADE, related_name="+"
    )
    authority = models.CharField(
        "deciding post in the scheme", max_length=50, help_text="e.g. director"
    )
    post = models.ForeignKey(
        Post, verbose_name="post", on_delete=models.CASCADE, related_name="designations"
    )

    class Meta:
        ordering = ["council__code", "authority", "post__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "authority", "post"], name="unique_designation"
            )
        ]
        verbose_name = "designated post"

    def __str__(self) -> str:
        return f"{self.post} as {self.authority} ({self.council.code})"


STATE_CHOICES = [(s.value, rules.STATE_LABELS[s]) for s in rules.State]


class WriteOffRequest(models.Model):
    """A request to write off one debt, routed under the scheme in force when made."""

    council = models.ForeignKey(
        Organisation, verbose_name="council", on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name="scheme", on_delete=models.PROTECT, related_name="requests"
    )
    debt_type = models.CharField("type of debt", max_length=30)
    debtor = models.CharField("debtor", max_length=300)
    account_reference = models.CharField("account reference", max_length=100)
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    reason = models.TextField("reason for writing off")
    evidence = models.FileField("evidence file", upload_to="delegation/evidence/", blank=True)
    evidence_note = models.TextField("evidence note", blank=True)
    band = models.CharField("value band", max_length=100)
    authority = models.CharField("deciding post in the scheme", max_length=50)
    authority_title = models.CharField("to be decided by", max_length=200)
    source = models.CharField("statutory source", max_length=300)
    state = models.CharField("state", max_length=20, choices=STATE_CHOICES, default="submitted")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="made by", on_delete=models.PROTECT, related_name="+"
    )
    made_on = models.DateTimeField("made on")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="decided by",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_as = models.CharField("decided as", max_length=200, blank=True)
    decided_on = models.DateTimeField("decided on", null=True, blank=True)
    decision_note = models.TextField("decision note", blank=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["-made_on", "-pk"]
        indexes = [models.Index(fields=["council", "state", "decided_on"])]
        verbose_name = "write-off request"

    def __str__(self) -> str:
        return f"{self.reference} {self.debtor}"

    def get_absolute_url(self) -> str:
        return reverse("delegation:request", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"WO-{self.council.code}-{self.pk or 0:05d}"

    @property
    def debt_type_title(self) -> str:
        try:
            return self.scheme.rules.debt_type(self.debt_type).title
        except rules.SchemeError:
            return self.debt_type

    @property
    def decided_date(self) -> date | None:
        return timezone.localdate(self.decided_on) if self.decided_on else None


class Consultation(models.Model):
    """One consultee of a request, in the scheme's order, and what they said."""

    request = models.ForeignKey(
        WriteOffRequest,
        verbose_name="request",
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    order = models.PositiveSmallIntegerField("order")
    consultee = models.CharField("consultee", max_length=300)
    response = models.TextField("response", blank=True)
    recorded_on = models.DateTimeField("recorded on", null=True, blank=True)

    class Meta:
        ordering = ["request", "order"]
        constraints = [
            models.UniqueConstraint(fields=["request", "order"], name="unique_consultation_order")
        ]
        verbose_name = "consultation"

    def __str__(self) -> str:
        return f"{self.consultee} on {self.request.reference}"
