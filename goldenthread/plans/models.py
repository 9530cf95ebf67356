"""Plans, sections, actions, milestones, progress updates and deadline revisions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from goldenthread.core.models import (
    CorporatePriority,
    ImprovementPriority,
    Organisation,
    Period,
    Post,
    Service,
)
from goldenthread.core.periods import revised_date_label
from goldenthread.plans import rules


def action_or_milestone(name: str) -> models.CheckConstraint:
    """Exactly one of ``action`` and ``milestone`` is set."""
    return models.CheckConstraint(
        condition=models.Q(action__isnull=False, milestone__isnull=True)
        | models.Q(action__isnull=True, milestone__isnull=False),
        name=name,
    )


class OnActionOrMilestone:
    """For records that belong to an action or to one of its milestones."""

    action_id: int | None

    @property
    def subject(self) -> Action | Milestone:
        return self.action if self.action_id else self.milestone


class Plan(models.Model):
    """An action plan of one of four kinds; all share sections, actions and milestones."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", "Improvement plan"
        BEST_VALUE = "best_value", "Best Value action plan"
        PROGRAMME = "programme", "Programme plan"
        RECOMMENDATIONS = "recommendations", "Recommendations response"

    class Scale(models.TextChoices):
        RAG = rules.RAG.code, rules.RAG.name
        BEST_VALUE = rules.BEST_VALUE.code, rules.BEST_VALUE.name

    code = models.CharField("code", max_length=30, unique=True)
    title = models.CharField("title", max_length=300)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        Organisation, verbose_name="owner", on_delete=models.PROTECT, related_name="plans"
    )
    status_scale = models.CharField(
        "status scale", max_length=20, choices=Scale.choices, default=Scale.RAG
    )
    description = models.TextField("description", blank=True)
    leads = models.CharField("plan leads", max_length=300, blank=True)
    source = models.CharField("source document", max_length=300, blank=True)
    reporting_period = models.ForeignKey(
        Period,
        verbose_name="period open for updates",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updates_due_by = models.DateField(
        "updates due by",
        null=True,
        blank=True,
        help_text="The date leads are asked to give this period's updates by.",
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "plan"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.code])

    @property
    def scale(self) -> rules.StatusScale:
        return rules.SCALES[self.status_scale]

    @property
    def tracks_milestones(self) -> bool:
        """Best Value plans report progress on milestones; other kinds on actions."""
        return self.kind == self.Kind.BEST_VALUE


class Section(models.Model):
    """An area, theme, workstream or service within a plan."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Service"
        AREA = "area", "Area"
        THEME = "theme", "Theme"
        WORKSTREAM = "workstream", "Workstream"

    plan = models.ForeignKey(
        Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField("order", default=0)
    title = models.CharField("title", max_length=300)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    service = models.ForeignKey(
        Service, verbose_name="service", null=True, blank=True, on_delete=models.PROTECT
    )
    lead = models.CharField("lead", max_length=300, blank=True)
    desired_outcome = models.TextField("desired outcome", blank=True)
    overall_status = models.CharField("overall delivery status", max_length=30, blank=True)
    summary = models.TextField("progress summary", blank=True)
    completed_before_records = models.PositiveIntegerField(
        "milestones completed before they were held here",
        default=0,
        help_text="Counted in 'N milestones have already been completed and are not included'.",
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "section"

    def __str__(self) -> str:
        return f"{self.plan.code} – {self.title}"


class Action(models.Model):
    """An action (a recommendation, an activity) of a plan."""

    plan = models.ForeignKey(
        Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="actions"
    )
    section = models.ForeignKey(
        Section, verbose_name="section", on_delete=models.PROTECT, related_name="actions"
    )
    order = models.PositiveIntegerField("order", default=0)
    ref = models.CharField("reference", max_length=30)
    title = models.TextField("delivery / action")
    theme = models.CharField("theme", max_length=200, blank=True)
    all_partners = models.BooleanField("concerns all partners", default=True)
    partners = models.ManyToManyField(
        Organisation, verbose_name="partners concerned", blank=True, related_name="actions"
    )
    corporate_priorities = models.ManyToManyField(
        CorporatePriority, verbose_name="corporate priorities", blank=True, related_name="actions"
    )
    improvement_priorities = models.ManyToManyField(
        ImprovementPriority,
        verbose_name="improvement priorities",
        blank=True,
        related_name="actions",
    )
    service = models.ForeignKey(
        Service, verbose_name="service", null=True, blank=True, on_delete=models.PROTECT
    )
    outcome = models.TextField("outcome", blank=True)
    lead = models.CharField("lead", max_length=300, blank=True)
    lead_posts = models.ManyToManyField(
        Post, verbose_name="led by", blank=True, related_name="actions"
    )
    resources = models.TextField("resources", blank=True)
    start_date = models.DateField("start date", null=True, blank=True)
    target_date = models.DateField("target date", null=True, blank=True)
    original_target_date = models.DateField("original target date", null=True, blank=True)
    timeline = models.TextField("timeline", blank=True)

    class Meta:
        ordering = ["plan", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="unique_action_ref_per_plan")
        ]
        verbose_name = "action"

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:action", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.target_date and self.target_date < self.start_date:
            raise ValidationError({"target_date": "The target date is before the start date."})

    @property
    def partner_label(self) -> str:
        if self.all_partners:
            return "ALL"
        return "/".join(sorted(p.code for p in self.partners.all()))

    @property
    def target_label(self) -> str:
        if self.target_date is None:
            return self.timeline
        return revised_date_label(self.target_date, self.original_target_date, _day_label)


def _day_label(day) -> str:
    return f"{day.day} {day:%B %Y}"


class Milestone(models.Model):
    """A dated step under an action."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="milestones"
    )
    order = models.PositiveIntegerField("order", default=0)
    title = models.TextField("milestone")
    lead = models.CharField("lead", max_length=300, blank=True)
    lead_posts = models.ManyToManyField(
        Post, verbose_name="led by", blank=True, related_name="milestones"
    )
    deadline = models.DateField("deadline", null=True, blank=True)
    original_deadline = models.DateField("original deadline", null=True, blank=True)
    deadline_note = models.CharField("deadline note", max_length=200, blank=True)

    class Meta:
        ordering = ["action", "order"]
        verbose_name = "milestone"

    def __str__(self) -> str:
        return self.title[:100]

    def get_absolute_url(self) -> str:
        return reverse("plans:action", args=[self.action_id]) + f"#milestone-{self.pk}"

    @property
    def plan(self) -> Plan:
        return self.action.plan

    def clean(self) -> None:
        start = self.action.start_date if self.action_id else None
        if start and self.deadline and self.deadline < start:
            raise ValidationError({"deadline": "The deadline is before the action's start date."})

    @property
    def deadline_label(self) -> str:
        """``Mar-16 (Oct-15)``: the current deadline and, if revised, the original."""
        if self.deadline is None:
            return ""
        label = revised_date_label(self.deadline, self.original_deadline)
        if self.deadline_note:
            label += f" ({self.deadline_note})"
        return label


class ProgressUpdate(OnActionOrMilestone, models.Model):
    """A lead's update on an action or a milestone for one reporting period."""

    # The change history shows a status code by its label ("G" → "Green"): core/history.py.
    audit_value_labels = {
        "status": {s.code: s.label for scale in rules.SCALES.values() for s in scale.statuses}
    }

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"

    action = models.ForeignKey(
        Action,
        verbose_name="action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="updates",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="milestone",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="updates",
    )
    period = models.ForeignKey(
        Period, verbose_name="period", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("status", max_length=30)
    percent_complete = models.PositiveSmallIntegerField("% complete", null=True, blank=True)
    progress = models.TextField("progress to date")
    next_steps = models.TextField("next steps / action planned and risks", blank=True)
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="submitted by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateTimeField("submitted on", null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="approved by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateTimeField("approved on", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="returned by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_on = models.DateTimeField("returned on", null=True, blank=True)
    return_reason = models.TextField(
        "returned because", blank=True, help_text="Shown to the lead until they resubmit."
    )
    corrected_on = models.DateTimeField(
        "corrected on",
        null=True,
        blank=True,
        help_text="When an approved correction last changed this approved update.",
    )
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["period__year", "period__kind", "period__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period"],
                condition=models.Q(action__isnull=False),
                name="one_update_per_action_and_period",
            ),
            models.UniqueConstraint(
                fields=["milestone", "period"],
                condition=models.Q(milestone__isnull=False),
                name="one_update_per_milestone_and_period",
            ),
            action_or_milestone("update_is_on_an_action_or_a_milestone"),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100)
                | models.Q(percent_complete__isnull=True),
                name="percent_complete_at_most_100",
            ),
        ]
        verbose_name = "progress update"

    def __str__(self) -> str:
        return f"{self.subject} – {self.period}"


class DeadlineRevision(OnActionOrMilestone, models.Model):
    """A proposed new deadline for an action or milestone, and the board's decision."""

    class Decision(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        REJECTED = "rejected", "Not agreed"

    action = models.ForeignKey(
        Action,
        verbose_name="action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="milestone",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    previous_date = models.DateField("deadline before", null=True, blank=True)
    previous_text = models.CharField(
        "timescale before",
        max_length=500,
        blank=True,
        help_text="The words the plan gave instead of a date, when it had no date.",
    )
    proposed_date = models.DateField("proposed deadline")
    reason = models.TextField("reason")
    decision = models.CharField(
        "decision", max_length=20, choices=Decision.choices, default=Decision.PROPOSED
    )
    board = models.CharField("agreed by (board)", max_length=200, blank=True)
    decided_on = models.DateField("decided on", null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposed by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_on = models.DateTimeField("proposed on", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["proposed_on", "pk"]
        constraints = [action_or_milestone("revision_is_on_an_action_or_a_milestone")]
        verbose_name = "deadline revision"

    def __str__(self) -> str:
        return f"{self.previous_label} → {self.proposed_date} ({self.get_decision_display()})"

    @property
    def previous_label(self) -> str:
        """The deadline before, or the plan's words when it had no date."""
        if self.previous_date is None:
            return self.previous_text or "no date"
        return _day_label(self.previous_date)


class UpdateCorrection(models.Model):
    """A change to an approved update of a period no longer open, with its reason.

    It goes through approval like an update (submitted → approved or returned); until it
    is approved the update keeps its approved values, and once approved they are replaced
    and the update shows as corrected.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name="update corrected",
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    status = models.CharField("status", max_length=30)
    percent_complete = models.PositiveSmallIntegerField("% complete", null=True, blank=True)
    progress = models.TextField("progress to date")
    next_steps = models.TextField("next steps / action planned and risks", blank=True)
    reason = models.TextField("reason for the correction")
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.SUBMITTED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposed by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_on = models.DateTimeField("proposed on")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="decided by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateTimeField("decided on", null=True, blank=True)
    return_reason = models.TextField("returned because", blank=True)
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["proposed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["update"],
                condition=models.Q(state="submitted"),
                name="one_pending_correction_per_update",
            )
        ]
        verbose_name = "update correction"

    def __str__(self) -> str:
        return f"Correction of {self.update} ({self.get_state_display()})"


class OutcomeMeasure(models.Model):
    """An outcome a section tracks, with its date and current status, as the plan prints it."""

    section = models.ForeignKey(
        Section, verbose_name="section", on_delete=models.CASCADE, related_name="outcome_measures"
    )
    order = models.PositiveIntegerField("order", default=0)
    group = models.CharField("group", max_length=200, blank=True)
    outcome = models.TextField("outcome")
    date_text = models.CharField("date", max_length=50, blank=True)
    current_status = models.TextField("current status", blank=True)

    class Meta:
        ordering = ["section", "order"]
        verbose_name = "outcome measure"

    def __str__(self) -> str:
        return self.outcome[:100]


class Reminder(models.Model):
    """One person chased by email for the updates they owe on a plan in a period.

    The daily job sends each scheduled step once (before, on and after the due date); an
    administrator may remind from the update round at any time. One email to a person
    lists everything they owe, so it is recorded once for each plan it lists.
    """

    class Step(models.TextChoices):
        MANUAL = "manual", "Sent from the update round"
        BEFORE = "before", "Before the due date"
        DUE = "due", "On the due date"
        OVERDUE = "overdue", "Overdue, line manager copied in"

    plan = models.ForeignKey(
        Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="reminders"
    )
    period = models.ForeignKey(
        Period, verbose_name="period", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="person reminded",
        on_delete=models.CASCADE,
        related_name="+",
    )
    step = models.CharField("step", max_length=10, choices=Step.choices, default=Step.MANUAL)
    due_by = models.DateField("due date given", null=True, blank=True)
    recipients = models.TextField("sent to", help_text="The email addresses, one per line.")
    outstanding = models.PositiveIntegerField("updates outstanding")
    items = models.TextField("updates listed", blank=True, help_text="One per line.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sent by",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the daily reminder job sent it.",
    )
    sent_on = models.DateTimeField("sent on")

    class Meta:
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "person", "step"],
                condition=~models.Q(step="manual"),
                name="one_scheduled_reminder_per_step",
            )
        ]
        verbose_name = "reminder"

    def __str__(self) -> str:
        return f"{self.person} – {self.period} – {self.get_step_display()}"


class PlanPeriod(models.Model):
    """A plan's reporting period: open for updates → closed → published.

    Readers see published periods only; the open or closed round is a draft shown to
    administrators, the items' leads and their approvers. Changed only through
    :mod:`goldenthread.plans.periods`.
    """

    class State(models.TextChoices):
        OPEN = "open", "Open for updates"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Published"

    plan = models.ForeignKey(
        Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="plan_periods"
    )
    period = models.ForeignKey(
        Period, verbose_name="period", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.OPEN)
    due_by = models.DateField("updates due by", null=True, blank=True)
    opened_on = models.DateTimeField("opened on", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="opened by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_on = models.DateTimeField("closed on", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="closed by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_on = models.DateTimeField("published on", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="published by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "period__year", "period__kind", "period__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_state_per_plan_period")
        ]
        verbose_name = "plan period"

    def __str__(self) -> str:
        return f"{self.plan.code} {self.period.code} ({self.get_state_display().lower()})"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_draft(self) -> bool:
        """Not yet reported: readers do not see it."""
        return self.state != self.State.PUBLISHED
