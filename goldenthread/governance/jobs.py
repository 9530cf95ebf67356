"""Making a committee report's files in the background.

A job is claimed by exactly one run (the task `governance.tasks.make_report_files`,
which the worker process runs once the request that asked for it commits), reports its
progress in the database so the page can poll it, and stores the document it rendered
as JSON beside the files. The user may leave and come back.

A run that stops half-way (its worker was killed or restarted) leaves the job "running";
the periodic task `governance.tasks.recover_stale_report_jobs` puts it back in the queue.
Each claim is stamped with its start time, and a run writes only while its stamp is still
the job's, so a run that was given up for lost can never overwrite the run that took over.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from goldenthread.documents import render
from goldenthread.documents.serialise import to_json
from goldenthread.governance import changes, papers
from goldenthread.governance.models import CommitteeReport, Publication, ReportFile, ReportJob

logger = logging.getLogger(__name__)

FORMATS = ("html", "docx", "xlsx", "pdf")


class Superseded(Exception):
    """This run's claim was given up for lost and another run took the job over."""


def claim(job_id: int) -> datetime | None:
    """Take a waiting job; only one run ever gets it. Returns the claim's stamp."""
    stamp = timezone.now()
    taken = ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
        state=ReportJob.State.RUNNING, started_on=stamp, step="Starting", progress=1
    )
    return stamp if taken else None


def _mine(job_id: int, stamp: datetime) -> QuerySet[ReportJob]:
    """The job, while the run holding this claim still has it."""
    return ReportJob.objects.filter(pk=job_id, state=ReportJob.State.RUNNING, started_on=stamp)


def _set_progress(job_id: int, stamp: datetime, step: str, progress: int) -> None:
    if not _mine(job_id, stamp).update(step=step[:200], progress=min(progress, 100)):
        raise Superseded


def run_job(job_id: int) -> ReportJob:
    """Make every format of the report's paper; publish it too if the job asks.

    The worker runs this through the task; tests and the demo loader call it directly.
    A job that is not waiting (already made, or being made) is returned as it is.
    """
    stamp = claim(job_id)
    if stamp is None:
        return ReportJob.objects.get(pk=job_id)
    job = ReportJob.objects.select_related("report__meeting__committee", "requested_by").get(
        pk=job_id
    )

    set_progress = partial(_set_progress, job_id, stamp)
    try:
        report = job.report
        appendices = report.appendices.count()
        # Appendices take the first half of the bar, the four formats the second.
        steps = max(appendices, 1)

        def appendix_progress(step: str, number: int) -> None:
            set_progress(step, 5 + 45 * number // steps)

        document = papers.build_document(report, job.requested_by, progress=appendix_progress)
        set_progress("Writing the web page, Word, Excel and PDF files", 55)
        done: list[str] = []

        def format_done(fmt: str) -> None:
            done.append(fmt)
            set_progress(f"{render.label(fmt)} ready", 55 + 45 * len(done) // len(FORMATS) - 1)

        files = render.render_all(document, FORMATS, parallel=False, on_done=format_done)
        with transaction.atomic():
            if not _mine(job_id, stamp).select_for_update().exists():
                raise Superseded
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
    except Superseded:
        logger.warning("Report job %s was taken over by another run; this run stops", job_id)
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        _mine(job_id, stamp).update(
            state=ReportJob.State.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_on=timezone.now(),
            step="Failed",
        )
    job.refresh_from_db()
    return job


def requeue_stale(older_than: timedelta) -> list[int]:
    """Jobs left "running" by a run that stopped go back to the queue; returns their ids."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = list(
            ReportJob.objects.select_for_update()
            .filter(state=ReportJob.State.RUNNING, started_on__lt=cutoff)
            .values_list("pk", flat=True)
        )
        ReportJob.objects.filter(pk__in=stale).update(
            state=ReportJob.State.QUEUED, step="Waiting to start again", progress=0
        )
    return stale


def waiting() -> list[int]:
    """The ids of every waiting job, oldest first."""
    queued = ReportJob.objects.filter(state=ReportJob.State.QUEUED)
    return list(queued.order_by("requested_on", "pk").values_list("pk", flat=True))


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
