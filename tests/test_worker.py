"""A report job survives the death of its worker: the real `db_worker` is killed mid-job,
started again, and the periodic recovery (enqueued as the scheduler does) finishes the job."""

from __future__ import annotations

import sys
import time

from tests import production


def _job(site: production.Site, job_id: int) -> tuple[str, int]:
    ((state, progress),) = site.query(
        "SELECT state, progress FROM governance_reportjob WHERE id = %s", (job_id,)
    )
    return state, progress


def _wait_for(site: production.Site, job_id: int, states: set[str], worker, seconds=180):
    deadline = time.monotonic() + seconds
    while (state := _job(site, job_id)[0]) not in states:
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} is still {state}:\n{worker.output()[-4000:]}")
        if worker.popen.poll() is not None:
            raise AssertionError(f"the worker stopped:\n{worker.output()[-4000:]}")
        time.sleep(0.02)
    return state


def _worker(site: production.Site, log, **env: str) -> production.Process:
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return production.start([*command, "--interval", "0.2"], {**site.env, **env}, log)


def test_a_report_job_finishes_after_its_worker_is_killed_mid_job(demo_site, tmp_path):
    (report,) = demo_site.query(
        "SELECT id FROM governance_committeereport WHERE published_job_id IS NULL"
    )
    # Files asked for as the report page does: the job is handed over when the request commits.
    job_id = int(
        demo_site.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User\n"
            "from goldenthread.governance import changes\n"
            "from goldenthread.governance.models import CommitteeReport\n"
            f"report = CommitteeReport.objects.get(pk={report[0]})\n"
            "admin = User.objects.get(username='performance')\n"
            "print(changes.request_files(report, by=admin).pk)\n",
        ).split()[-1]
    )
    assert _job(demo_site, job_id) == ("queued", 0)

    log = tmp_path / "worker.log"
    first = _worker(demo_site, log)
    try:
        _wait_for(demo_site, job_id, {"running", "done", "failed"}, first)
        first.kill()
    finally:
        first.stop()
    state, progress = _job(demo_site, job_id)
    assert state == "running" and progress < 100  # killed mid-job, left "running"

    # Started again, the worker does not pick up the task it was running when it died ...
    second = _worker(demo_site, log, GT_REPORT_JOB_STALE_MINUTES="0")
    try:
        time.sleep(1)
        assert _job(demo_site, job_id)[0] == "running"
        # ... until the periodic recovery puts the job back in the queue.
        demo_site.manage("run_scheduler", "--now", "report-job-recovery")
        assert _wait_for(demo_site, job_id, {"done", "failed"}, second) == "done"
    finally:
        second.stop()
    files = demo_site.query(
        "SELECT fmt FROM governance_reportfile WHERE job_id = %s ORDER BY fmt", (job_id,)
    )
    assert [fmt for (fmt,) in files] == ["docx", "html", "pdf", "xlsx"]  # once each
    assert "path=goldenthread.governance.tasks.recover_stale_report_jobs state=SUCCESSFUL" in (
        log.read_text()
    )
