"""Making a committee report's files in the background.

A job is claimed by exactly one runner (a thread started by the web process
when the request commits, or ``manage.py run_report_jobs``), reports its
progress in the database so the page can poll it, and stores the document it
rendered as JSON beside the files. The user may leave and come back.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from goldenthread.documents import render
from goldenthread.documents.serialise import to_json
from goldenthread.governance import changes, papers
from goldenthread.governance.models import CommitteeReport, Publication, ReportFile, ReportJob

logger = logging.getLogger(__name__)

FORMATS = ("html", "docx", "xlsx", "pdf")


def _set_progress(job_id: int, step: str, progress: int) -> None:
    ReportJob.objects.filter(pk=job_id).update(step=step[:200], progress=min(progress, 100))


def claim(job_id: int) -> bool:
    """Take a waiting job; only one runner ever gets it."""
    return bool(
        ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
            state=ReportJob.State.RUNNING,
            started_on=timezone.now(),
            step="Starting",
            progress=1,
        )
    )


def run_job(job_id: int, *, parallel: bool = True) -> ReportJob:
    """Make every format of the report's paper; publish it too if the job asks.

    ``parallel`` lays the PDF out in a worker process while this one writes the
    other formats. Tests call this directly, without threads.
    """
    if not claim(job_id):
        return ReportJob.objects.get(pk=job_id)
    job = ReportJob.objects.select_related("report__meeting__committee", "requested_by").get(
        pk=job_id
    )
    try:
        report = job.report
        appendices = report.appendices.count()
        # Appendices take the first half of the bar, the four formats the second.
        steps = max(appendices, 1)

        def appendix_progress(step: str, number: int) -> None:
            _set_progress(job_id, step, 5 + 45 * number // steps)

        document = papers.build_document(report, job.requested_by, progress=appendix_progress)
        _set_progress(job_id, "Writing the web page, Word and Excel files; laying out the PDF", 55)
        done: list[str] = []

        def format_done(fmt: str) -> None:
            done.append(fmt)
            label = render.label(fmt)
            _set_progress(job_id, f"{label} ready", 55 + 45 * len(done) // len(FORMATS) - 1)

        files = render.render_all(document, FORMATS, parallel=parallel, on_done=format_done)
        with transaction.atomic():
            for fmt, data in files.items():
                ReportFile.objects.create(
                    job=job,
                    fmt=fmt,
                    content=data,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            job.document_json = to_json(document)
            job.state = ReportJob.State.DONE
            job.progress = 100
            job.step = "Files ready"
            job.finished_on = timezone.now()
            job.save(update_fields=["document_json", "state", "progress", "step", "finished_on"])
            if job.publish:
                changes.publish(job)
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            state=ReportJob.State.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_on=timezone.now(),
            step="Failed",
        )
    job.refresh_from_db()
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        connection.close()


def start_in_background(job_id: int) -> None:
    """Run the job in a thread of this process (off with GT_REPORT_JOBS_IN_THREAD = False,
    when ``manage.py run_report_jobs`` runs them instead)."""
    if not getattr(settings, "GT_REPORT_JOBS_IN_THREAD", True):
        return
    threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"report-job-{job_id}", daemon=True
    ).start()


def requeue_stale(older_than: timedelta) -> int:
    """Jobs left "running" by a process that stopped go back to the queue."""
    cutoff = timezone.now() - older_than
    return ReportJob.objects.filter(state=ReportJob.State.RUNNING, started_on__lt=cutoff).update(
        state=ReportJob.State.QUEUED, step="Waiting to start again", progress=0
    )


def run_waiting(*, parallel: bool = True) -> list[ReportJob]:
    """Run every waiting job, oldest first."""
    finished = []
    waiting = ReportJob.objects.filter(state=ReportJob.State.QUEUED).order_by("requested_on", "pk")
    for job_id in list(waiting.values_list("pk", flat=True)):
        finished.append(run_job(job_id, parallel=parallel))
    return finished


def latest_files(report: CommitteeReport) -> ReportJob | None:
    """The job whose files the report page offers: the published one, else the newest made."""
    if report.published_job_id:
        return report.published_job
    return report.jobs.filter(state=ReportJob.State.DONE).order_by("-finished_on", "-pk").first()


@dataclass(frozen=True)
class Version:
    """A published version of a report and the one that superseded it (None: the newest)."""

    publication: Publication
    superseded_by: Publication | None

    @property
    def number(self) -> int:
        return self.publication.number


def versions(report: CommitteeReport) -> list[Version]:
    """Every published version of the report, newest first."""
    published = list(report.publications.select_related("published_by").order_by("number"))
    later = [*published[1:], None]
    return [Version(p, n) for p, n in zip(published, later, strict=True)][::-1]


def version_files(report: CommitteeReport, number: int) -> ReportJob | None:
    """The job holding one published version's files."""
    publication = report.publications.select_related("job").filter(number=number).first()
    return publication.job if publication else None
