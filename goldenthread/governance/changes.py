"""Every write to committee reports goes through these functions: atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from goldenthread.core import audit
from goldenthread.core.models import AuditEntry
from goldenthread.core.periods import PeriodError, parse_period
from goldenthread.documents.model import Completeness
from goldenthread.governance import papers
from goldenthread.governance.models import (
    Appendix,
    CommitteeReport,
    Meeting,
    Publication,
    ReportJob,
)
from goldenthread.governance.papers import report_kinds


class EditConflict(Exception):
    """Someone else saved the report since this form was opened."""

    def __init__(self, current: CommitteeReport):
        self.current = current
        who = ""
        if current.modified_by:
            name = current.modified_by.get_full_name() or current.modified_by.get_username()
            when = timezone.localtime(current.modified_on)
            who = f" by {name} at {when:%H:%M on %d %B %Y}"
        super().__init__(
            "This report was changed by someone else while you were editing it"
            f"{who}. Your text is still below: compare it with theirs, then save again."
        )


class ReportPublished(ValidationError):
    """A published report is frozen: its narrative and appendices no longer change."""

    def __init__(self):
        super().__init__("This report has been published and can no longer be changed.")


REQUIRED = {
    "subject_heading": "Enter the subject heading.",
    "author": "Enter the report author.",
}


def _validate(values: dict[str, Any]) -> None:
    errors = {
        name: message
        for name, message in REQUIRED.items()
        if name in values and not str(values[name] or "").strip()
    }
    unknown = set(values) - set(CommitteeReport.NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"Not narrative fields of a committee report: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def create_report(meeting: Meeting, *, by, **values: Any) -> CommitteeReport:
    """A new draft report for a meeting, placed last on the agenda."""
    _validate({"subject_heading": "", "author": "", **values})
    last = meeting.reports.aggregate(last=Max("agenda_order"))["last"]
    report = CommitteeReport.objects.create(
        meeting=meeting,
        agenda_order=(last or 0) + 1,
        created_by=by,
        modified_by=by,
        **_clean(values),
    )
    audit.record_creation(report, by=by)
    return report


@transaction.atomic
def update_report(
    report: CommitteeReport,
    *,
    by,
    expected_version: int,
    correcting: bool = False,
    **values: Any,
) -> CommitteeReport:
    """Save the narrative, refusing it if someone saved in between or it is published.

    A published report's narrative changes only as part of a correction
    (:func:`correct_report`): its published versions keep the text they were made with.
    """
    _validate(values)
    current = CommitteeReport.objects.select_for_update().get(pk=report.pk)
    if current.is_published and not correcting:
        raise ReportPublished()
    if current.version != expected_version:
        raise EditConflict(current)
    before = audit.snapshot(current)
    for name, value in _clean(values).items():
        setattr(current, name, value)
    current.version += 1
    current.modified_by = by
    current.save(update_fields=[*values, "version", "modified_by", "modified_on"])
    audit.record_changes(current, before, by=by)
    return current


def _locked_draft(report: CommitteeReport) -> CommitteeReport:
    current = CommitteeReport.objects.select_for_update().get(pk=report.pk)
    if current.is_published:
        raise ReportPublished()
    return current


def validate_appendix(*, by, kind: str, subject: str, period: str) -> dict[str, str]:
    """Field errors for an appendix request (empty when it is fine)."""
    errors: dict[str, str] = {}
    found = report_kinds().get(kind)
    if found is None:
        return {"kind": "Choose a kind of report."}
    if subject not in dict(found.subjects(by)):
        errors["subject"] = f"Choose what the {found.title.lower()} is about."
    if found.needs_period:
        if not period.strip():
            errors["period"] = "Enter the period, like 2019/20 Q1."
        else:
            try:
                parse_period(period)
            except PeriodError as exc:
                errors["period"] = str(exc)
    return errors


@transaction.atomic
def add_appendix(
    report: CommitteeReport, *, by, kind: str, subject: str, period: str = "", title: str = ""
) -> Appendix:
    errors = validate_appendix(by=by, kind=kind, subject=subject, period=period)
    if errors:
        raise ValidationError(errors)
    current = _locked_draft(report)
    last = current.appendices.aggregate(last=Max("order"))["last"]
    appendix = Appendix.objects.create(
        report=current,
        order=(last or 0) + 1,
        kind=kind,
        subject=subject,
        period=parse_period(period).code if period.strip() else "",
        title=title.strip(),
    )
    audit.record_creation(appendix, by=by)
    return appendix


@transaction.atomic
def remove_appendix(appendix: Appendix, *, by) -> None:
    _locked_draft(appendix.report)
    audit.record_event(appendix, AuditEntry.Verb.DELETED, by=by, old=str(appendix))
    appendix.delete()


# -- files and publishing ----------------------------------------------------------------------


class IncompletePaper(ValidationError):
    """The paper would report items with no approved update: publishing needs a yes."""

    def __init__(self, gaps: list[Completeness]):
        self.gaps = gaps
        counts = "; ".join(f"{g.subject}: {g.counts}" for g in gaps if g.missing)
        super().__init__(
            {
                "confirm": "Confirm that you want to publish although the paper is incomplete"
                + (f" ({counts})." if counts else ".")
            }
        )


def incomplete_text(gaps: list[Completeness]) -> str:
    """The audit's words for what a confirmed publication was missing."""
    lines = []
    for gap in gaps:
        lines.append(f"{gap.subject}: {gap.counts}." if gap.missing else f"{gap.subject}.")
        lines.extend(gap.notes)
        lines.extend(f"{reason}: {'; '.join(items)}" for reason, items in gap.groups)
    return "\n".join(lines)


@transaction.atomic
def request_files(
    report: CommitteeReport, *, by, publish: bool = False, confirm_incomplete: bool = False
) -> ReportJob:
    """Queue the making of the report's files (and its publication, if asked).

    Publishing a paper whose appendices miss updates (no update, awaiting approval,
    returned) or report a period not yet published raises :class:`IncompletePaper`
    unless ``confirm_incomplete``; a confirmed one records what was missing.
    A report has at most one job waiting or running: asking again returns it.
    The job starts in the background once this transaction commits.
    """
    from goldenthread.governance import tasks

    current = _locked_draft(report)
    gaps = papers.completeness(current, by) if publish else []
    if gaps and not confirm_incomplete:
        raise IncompletePaper(gaps)
    if gaps:
        audit.record_event(
            current,
            AuditEntry.Verb.CHANGED,
            by=by,
            field="published although incomplete",
            new=incomplete_text(gaps),
        )
    active = current.jobs.filter(state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING])
    job = active.first()
    if job is not None:
        if publish and not job.publish:
            job.publish = True
            job.save(update_fields=["publish"])
        return job
    job = ReportJob.objects.create(report=current, publish=publish, requested_by=by)
    audit.record_event(
        current,
        AuditEntry.Verb.CHANGED,
        by=by,
        field="files",
        new="publication requested" if publish else "files requested",
    )
    tasks.make_files_once_committed(job.pk)
    return job


REASON_REQUIRED = "Enter why the report is being corrected."


@transaction.atomic
def request_correction(report: CommitteeReport, *, by, reason: str) -> ReportJob:
    """Queue a correction of a published report: a new version made from today's data.

    The versions published before stay, with their files; the new one supersedes them
    once its files are made. The job starts in the background once this commits.
    """
    from goldenthread.governance import tasks

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    current = CommitteeReport.objects.select_for_update().get(pk=report.pk)
    if not current.is_published:
        raise ValidationError({NON_FIELD_ERRORS: "Only a published report can be corrected."})
    if current.jobs.filter(state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING]).exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: "A correction is already being published: wait for it to finish."}
        )
    job = ReportJob.objects.create(
        report=current, publish=True, requested_by=by, correction_reason=reason
    )
    audit.record_event(
        current,
        AuditEntry.Verb.CHANGED,
        by=by,
        field="files",
        new=f"correction requested: {reason}",
    )
    tasks.make_files_once_committed(job.pk)
    return job


@transaction.atomic
def correct_report(
    report: CommitteeReport,
    *,
    by,
    reason: str,
    narrative: dict[str, Any] | None = None,
    expected_version: int = 0,
) -> ReportJob:
    """Correct a published report's text (when given) and publish the correction.

    All or nothing: if the correction cannot be queued, the text is not changed either.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if narrative is not None:
        current = CommitteeReport.objects.get(pk=report.pk)
        changed = {k: v for k, v in _clean(narrative).items() if getattr(current, k) != v}
        if changed:
            update_report(
                report, by=by, expected_version=expected_version, correcting=True, **changed
            )
    return request_correction(report, by=by, reason=reason)


@transaction.atomic
def publish(job: ReportJob) -> CommitteeReport:
    """Freeze a finished job's files and document as the report's published papers.

    The first publication is version 1; a correction job adds the next version, and
    the report then shows and offers the newest. Earlier versions keep their files.
    """
    report = CommitteeReport.objects.select_for_update().get(pk=job.report_id)
    if report.is_published and not job.is_correction:
        raise ReportPublished()
    if job.is_correction and not report.is_published:
        raise ValidationError("Only a published report can be corrected.")
    if job.state != ReportJob.State.DONE or not job.document_json:
        raise ValidationError("Only a finished set of files can be published.")
    if Publication.objects.filter(job=job).exists():
        raise ValidationError("These files have been published already.")
    last = report.publications.aggregate(last=Max("number"))["last"] or 0
    before = audit.snapshot(report)
    report.state = CommitteeReport.State.PUBLISHED
    report.published_job = job
    report.published_by = job.requested_by
    report.published_on = job.finished_on or timezone.now()
    report.version += 1
    report.save(update_fields=["state", "published_job", "published_by", "published_on", "version"])
    audit.record_changes(report, before, by=job.requested_by)
    audit.record_event(
        report,
        AuditEntry.Verb.CHANGED,
        by=job.requested_by,
        field="published version",
        old=str(last) if last else "",
        new=f"{last + 1}: {job.correction_reason}" if job.is_correction else str(last + 1),
    )
    publication = Publication.objects.create(
        report=report,
        number=last + 1,
        job=job,
        published_by=job.requested_by,
        published_on=report.published_on,
        reason=job.correction_reason,
    )
    audit.record_creation(publication, by=job.requested_by)
    return report
