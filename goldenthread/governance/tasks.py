"""Governance's background work: making report files, and finding runs that were lost.

The worker process (`manage.py db_worker`) runs these; `manage.py run_scheduler` enqueues
the periodic ones in `SCHEDULE`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django_tasks import task

from goldenthread.core.schedule import Periodic
from goldenthread.governance import jobs

logger = logging.getLogger(__name__)


@task()
def make_report_files(job_id: int) -> str:
    """Make (and publish, if asked) one report job's files; returns the job's state."""
    return jobs.run_job(job_id).state


def make_files_once_committed(job_id: int) -> None:
    """Hand the job to the worker when the transaction that created it commits."""
    transaction.on_commit(partial(make_report_files.enqueue, job_id))


@task()
def recover_stale_report_jobs(stale_minutes: int | None = None) -> list[int]:
    """Put jobs whose run was lost (left "running" for longer than `stale_minutes`,
    `GT_REPORT_JOB_STALE_MINUTES` by default) back in the queue and hand them to the worker.
    Returns the ids of the jobs started again."""
    if stale_minutes is None:
        stale_minutes = settings.GT_REPORT_JOB_STALE_MINUTES
    requeued = jobs.requeue_stale(timedelta(minutes=stale_minutes))
    for job_id in requeued:
        logger.warning("Report job %s was left running; it starts again", job_id)
        make_report_files.enqueue(job_id)
    return requeued


SCHEDULE = [Periodic("report-job-recovery", "*/10 * * * *", recover_stale_report_jobs)]
