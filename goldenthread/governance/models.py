"""Committees, meetings, committee reports, their appendices, and the files made from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from goldenthread.core.models import Organisation


class Committee(models.Model):
    """A committee that receives reports, such as the oneSource Joint Committee."""

    name = models.CharField("name", max_length=200, unique=True)
    partners = models.ManyToManyField(
        Organisation,
        verbose_name="partner councils represented",
        blank=True,
        related_name="committees",
        help_text="Readers of these partners see the committee's published reports. "
        "Leave empty for a committee whose papers every partner may read.",
    )
    description = models.TextField("description", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "committee"

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name="committee", on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField("date")
    venue = models.CharField("venue", max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "committee__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="one_meeting_a_day")
        ]
        verbose_name = "meeting"

    def __str__(self) -> str:
        return f"{self.committee.name}, {self.date.day} {self.date:%B %Y}"


class CommitteeReport(models.Model):
    """A report to a meeting in the committee template of the seeds (002 and 001).

    The narrative is typed here; the plan, indicator and budget tables are
    generated appendices. Publishing freezes the files and the document they
    were made from (see :class:`ReportJob`). A correction publishes a new
    version from today's data; every version stays (see :class:`Publication`),
    and ``published_job``, ``published_by`` and ``published_on`` are the newest.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    meeting = models.ForeignKey(
        Meeting, verbose_name="meeting", on_delete=models.PROTECT, related_name="reports"
    )
    agenda_order = models.PositiveIntegerField("agenda order", default=0)
    subject_heading = models.CharField("subject heading", max_length=300)
    author = models.CharField("report author", max_length=200)
    author_contact = models.TextField("author's contact details", blank=True)
    financial_summary = models.TextField("financial summary", blank=True)
    key_decision = models.BooleanField("key decision", default=False)
    summary = models.TextField("summary", blank=True)
    recommendations = models.TextField("recommendations", blank=True)
    report_detail = models.TextField("report detail", blank=True)
    financial_implications = models.TextField("financial implications and risks", blank=True)
    legal_implications = models.TextField("legal implications and risks", blank=True)
    hr_implications = models.TextField("human resources implications and risks", blank=True)
    equalities_implications = models.TextField("equalities implications and risks", blank=True)
    background_papers = models.TextField("background papers", blank=True)
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.DRAFT)
    published_job = models.OneToOneField(
        "ReportJob",
        verbose_name="published files",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_report",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="published by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_on = models.DateTimeField("published on", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="created by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_on = models.DateTimeField("created on", auto_now_add=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last changed by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    modified_on = models.DateTimeField("last changed on", auto_now=True)
    version = models.PositiveIntegerField("version", default=1)

    NARRATIVE_FIELDS = (
        "subject_heading",
        "author",
        "author_contact",
        "financial_summary",
        "key_decision",
        "summary",
        "recommendations",
        "report_detail",
        "financial_implications",
        "legal_implications",
        "hr_implications",
        "equalities_implications",
        "background_papers",
    )

    class Meta:
        ordering = ["-meeting__date", "agenda_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(published_job__isnull=False),
                name="published_reports_have_their_files",
            )
        ]
        verbose_name = "committee report"

    def __str__(self) -> str:
        return f"{self.subject_heading} ({self.meeting})"

    def get_absolute_url(self) -> str:
        return reverse("governance:report", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class Appendix(models.Model):
    """A generated appendix: a report kind of a domain app, its subject and period."""

    report = models.ForeignKey(
        CommitteeReport,
        verbose_name="committee report",
        on_delete=models.CASCADE,
        related_name="appendices",
    )
    order = models.PositiveIntegerField("order", default=0)
    kind = models.CharField("kind of report", max_length=100, help_text="e.g. plans.progress")
    subject = models.CharField("subject", max_length=100, help_text="e.g. a plan code")
    period = models.CharField("period", max_length=20, blank=True, help_text="e.g. 2019/20 Q1")
    title = models.CharField(
        "title", max_length=300, blank=True, help_text="Leave empty to use the report's own title."
    )

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = "appendix"
        verbose_name_plural = "appendices"

    def __str__(self) -> str:
        return self.title or f"{self.kind} {self.subject} {self.period}".strip()


class ReportJob(models.Model):
    """Making a report's files in the background; a publishing job's files are frozen."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    report = models.ForeignKey(
        CommitteeReport,
        verbose_name="committee report",
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    publish = models.BooleanField("publish when made", default=False)
    correction_reason = models.TextField(
        "reason for the correction",
        blank=True,
        help_text="Set when the job publishes a correction of a published report.",
    )
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("% done", default=0)
    step = models.CharField("current step", max_length=200, blank=True)
    error = models.TextField("error", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="requested by",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_on = models.DateTimeField("requested on", auto_now_add=True)
    started_on = models.DateTimeField("started on", null=True, blank=True)
    finished_on = models.DateTimeField("finished on", null=True, blank=True)
    document_json = models.TextField("document the files were made from (JSON)", blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "report job"

    def __str__(self) -> str:
        return f"Files for {self.report.subject_heading}: {self.get_state_display()}"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_correction(self) -> bool:
        return bool(self.correction_reason)


class ReportFile(models.Model):
    """One file a job made. Never changed after it is written."""

    job = models.ForeignKey(
        ReportJob, verbose_name="job", on_delete=models.CASCADE, related_name="files"
    )
    fmt = models.CharField("format", max_length=10)
    content = models.BinaryField("file")
    size = models.PositiveIntegerField("size in bytes")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["job", "fmt"]
        constraints = [
            models.UniqueConstraint(fields=["job", "fmt"], name="one_file_per_format_per_job")
        ]
        verbose_name = "report file"

    def __str__(self) -> str:
        return f"{self.job.report.subject_heading} ({self.fmt})"


class Publication(models.Model):
    """One published version of a report: its frozen files, who published it and when, and,
    for a correction, why. Versions are never changed or removed; a newer one supersedes it."""

    report = models.ForeignKey(
        CommitteeReport,
        verbose_name="committee report",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    number = models.PositiveIntegerField("version")
    job = models.OneToOneField(
        ReportJob,
        verbose_name="published files",
        on_delete=models.PROTECT,
        related_name="publication",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="published by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_on = models.DateTimeField("published on")
    reason = models.TextField("reason for the correction", blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number_each")
        ]
        verbose_name = "published version"

    def __str__(self) -> str:
        return f"Version {self.number} of {self.report.subject_heading}"
