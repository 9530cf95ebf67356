"""Organisations, services, priorities, people and roles, reporting periods, audit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

from goldenthread.core.periods import PeriodError, PeriodKey, PeriodKind, check_year, parse_period


class Organisation(models.Model):
    """A partner council or the shared service that serves them."""

    class Kind(models.TextChoices):
        PARTNER = "partner", "Partner council"
        SHARED_SERVICE = "shared_service", "Shared service"

    code = models.CharField("short code", max_length=20, unique=True, help_text="e.g. LBH")
    name = models.CharField("name", max_length=200)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.PARTNER)
    gss_code = models.CharField("ONS GSS code", max_length=9, blank=True)
    takes_all_services = models.BooleanField(
        "takes every shared service",
        default=True,
        help_text="Untick for partners that take only some services, then list them.",
    )
    services = models.ManyToManyField(
        "Service", verbose_name="services taken", blank=True, related_name="partners"
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = "organisation"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Service(models.Model):
    """A directorate of the shared service: ICT, Asset Management, HROD, ..."""

    code = models.CharField("short code", max_length=20, unique=True)
    name = models.CharField("name", max_length=200)
    lead = models.CharField("lead", max_length=300, blank=True, help_text="Post or named person")
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "service"

    def __str__(self) -> str:
        return self.name


class CorporatePriority(models.Model):
    """One of a partner council's corporate priorities or themes."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="partner",
        on_delete=models.PROTECT,
        related_name="corporate_priorities",
    )
    code = models.CharField("code", max_length=20, unique=True)
    title = models.CharField("title", max_length=300)
    description = models.TextField("description", blank=True)
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["organisation__code", "order"]
        verbose_name = "corporate priority"
        verbose_name_plural = "corporate priorities"

    def __str__(self) -> str:
        return f"{self.organisation.code}: {self.title}"


class ImprovementPriority(models.Model):
    """A theme the partners set for the shared service (e.g. Operational Delivery)."""

    code = models.CharField("code", max_length=20, unique=True)
    title = models.CharField("title", max_length=200)
    description = models.TextField("description", blank=True)
    order = models.PositiveIntegerField("order", default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = "improvement priority"
        verbose_name_plural = "improvement priorities"

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A post or named person that leads work: "Director of ICT", "Zena Cooke".

    Work is led by posts so that a new post holder inherits it; joint leads are
    several posts.
    """

    title = models.CharField("post or name", max_length=200, unique=True)
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="held by", blank=True, related_name="posts"
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name="line manager",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="The post this one reports to: copied in when its updates are overdue.",
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "post"

    def __str__(self) -> str:
        return self.title


class RoleGrant(models.Model):
    """A role a user holds, optionally for one partner only."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "Administrator"
        LEAD = "lead", "Lead officer"
        APPROVER = "approver", "Approver"
        READER = "reader", "Reader"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="user",
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField("role", max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Organisation,
        verbose_name="for partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Leave empty for every partner.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "partner"], name="unique_role_grant_per_partner"
            )
        ]
        verbose_name = "role"

    def __str__(self) -> str:
        scope = self.partner.code if self.partner else "all partners"
        return f"{self.user} – {self.get_role_display()} ({scope})"


class PeriodQuerySet(models.QuerySet):
    def for_key(self, key: PeriodKey) -> Period:
        """The stored period, created if need be: for writes (a POST) only, never a GET."""
        period, _ = self.get_or_create(year=key.year, kind=key.kind.value, number=key.number)
        return period

    def for_code(self, code: str) -> Period:
        return self.for_key(parse_period(code))

    def existing(self, key: PeriodKey) -> Period | None:
        """The stored period, or None: never creates one."""
        return self.filter(year=key.year, kind=key.kind.value, number=key.number).first()

    def to_read(self, key: PeriodKey) -> Period:
        """The stored period, else a placeholder (:meth:`Period.unstored`) that is never stored.

        For pages that read: a GET names any period in range without writing a row.
        """
        return self.existing(key) or Period.unstored(key)


def period_or_404(text: str, *, stored: bool = False) -> Period:
    """The period a request names (``?period=2019/20 Q1``), without creating it.

    A code that is not a period, or one outside the years we keep, answers 404 with the
    reason. A period with no row yet is a placeholder that every query finds empty,
    unless ``stored`` asks for a 404 then too.
    """
    try:
        key = parse_period(text)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    if stored:
        period = Period.objects.existing(key)
        if period is None:
            raise Http404(f"Nothing is recorded for {key.code}.")
        return period
    return Period.objects.to_read(key)


class Period(models.Model):
    """A reporting period; labels and dates come from :mod:`goldenthread.core.periods`."""

    year = models.PositiveIntegerField("financial year starting")
    kind = models.CharField(
        "kind", max_length=10, choices=[(k.value, k.value.title()) for k in PeriodKind]
    )
    number = models.PositiveSmallIntegerField("number", default=1)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="unique_period")
        ]
        verbose_name = "reporting period"

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        if self.pk == self.UNSTORED_ID:
            raise ValueError("A placeholder period is never saved: use Period.objects.for_key.")
        check_year(self.year)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            check_year(self.year)
            PeriodKey(self.year, PeriodKind(self.kind), self.number)
        except (PeriodError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc

    # The id of a placeholder period: no row has it, so every query for it finds nothing.
    UNSTORED_ID = 0

    @classmethod
    def unstored(cls, key: PeriodKey) -> Period:
        """A period with no row, for a page to read with: its labels and dates are real,
        filtering by it finds nothing, and it must never be saved or written against."""
        period = cls(year=key.year, kind=key.kind.value, number=key.number)
        period.pk = cls.UNSTORED_ID
        period._state.adding = False
        return period

    @property
    def is_stored(self) -> bool:
        return self.pk not in (None, self.UNSTORED_ID)

    @property
    def key(self) -> PeriodKey:
        return PeriodKey(self.year, PeriodKind(self.kind), self.number)

    @property
    def code(self) -> str:
        return self.key.code

    @property
    def long_label(self) -> str:
        return self.key.long_label

    @property
    def start(self):
        return self.key.start

    @property
    def end(self):
        return self.key.end


class AuditEntry(models.Model):
    """Who changed what, when: one row per changed field (or per creation/deletion)."""

    class Verb(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"
        APPROVED = "approved", "Approved"
        DEACTIVATED = "deactivated", "Deactivated"
        LOCKED_OUT = "locked_out", "Locked out"

    at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The person's name as it was, kept when the user is later deleted (``by`` becomes empty).
    by_name = models.CharField("by (name)", max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField("object id")
    object_repr = models.CharField("object", max_length=300)
    verb = models.CharField("what", max_length=20, choices=Verb.choices)
    field = models.CharField("field", max_length=100, blank=True)
    old = models.TextField("old value", blank=True)
    new = models.TextField("new value", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.verb} {self.object_repr} {self.field}"

    def save(self, *args, **kwargs) -> None:
        if self.by_id is not None and not self.by_name:
            self.by_name = person_name(self.by)
        super().save(*args, **kwargs)

    @property
    def who(self) -> str:
        """The person who made the change, by name, even after their user was deleted."""
        if self.by_name:
            return self.by_name
        return person_name(self.by) if self.by_id is not None else "System"


def person_name(user) -> str:
    """How pages and the audit trail name a user: their full name, else their username."""
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username())[:300]
