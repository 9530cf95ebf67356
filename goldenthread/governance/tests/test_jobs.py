"""Making, publishing and freezing a committee paper's files in the background."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from goldenthread.core import schedule
from goldenthread.core.models import Period
from goldenthread.documents.serialise import from_json, to_json
from goldenthread.governance import changes, jobs, papers, tasks
from goldenthread.governance.models import ReportJob
from goldenthread.governance.tests.conftest import NARRATIVE
from goldenthread.plans import changes as plan_changes
from goldenthread.plans.models import Action
from tests.factories import ActionFactory, PlanFactory, SectionFactory

FORMATS = {"html", "docx", "xlsx", "pdf"}


@pytest.fixture
def small_paper(report, people):
    """The January report with a three-action plan's progress as its appendix."""
    plan = PlanFactory(code="IPX", title="Small Improvement Plan")
    section = SectionFactory(plan=plan, title="ICT", lead="Director of ICT")
    q2 = Period.objects.for_code("2019/20 Q2")
    for ref, status in [("IP40", "G"), ("IP41", "A"), ("IP42", "R")]:
        action = ActionFactory(section=section, ref=ref)
        update = plan_changes.record_update(
            action, q2, by=people["admin"], status=status, progress=f"{ref} progress."
        )
        plan_changes.approve_update(update, by=people["admin"])
    changes.add_appendix(
        report, by=people["admin"], kind="plans.progress", subject="IPX", period="2019/20 Q2"
    )
    return report


@pytest.fixture
def paper(demo_plan, report, people):
    """The January report with the Improvement Plan's quarter-1 progress as its appendix."""
    changes.add_appendix(
        report,
        by=people["admin"],
        kind="plans.progress",
        subject="IP1920",
        period="2019/20 Q1",
        title="Improvement Action Plan progress (April – June 2019)",
    )
    return report


def _files(job: ReportJob) -> dict[str, bytes]:
    return {f.fmt: bytes(f.content) for f in job.files.all()}


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def test_a_job_makes_every_format_reports_progress_and_repeats_itself(
    small_paper, people, monkeypatch
):
    paper = small_paper
    steps: list[tuple[str, int]] = []
    record = jobs._set_progress
    monkeypatch.setattr(
        jobs,
        "_set_progress",
        lambda pk, stamp, step, p: (steps.append((step, p)), record(pk, stamp, step, p)),
    )
    job = jobs.run_job(changes.request_files(paper, by=people["admin"]).pk)
    assert (job.state, job.progress, job.error) == (ReportJob.State.DONE, 100, "")
    files = _files(job)
    assert set(files) == FORMATS
    assert files["pdf"].startswith(b"%PDF") and files["docx"].startswith(b"PK")
    assert [p for _, p in steps] == sorted(p for _, p in steps)  # the bar only moves forward
    assert any(s.startswith("Making appendix 1 of 1") for s, _ in steps)
    assert "PDF ready" in dict(steps) and steps[-1][1] == 99
    # The stored document is the one the files were made from.
    assert from_json(job.document_json) == papers.build_document(paper, people["admin"])
    # Made again from the same data: the same files, byte for byte.
    again = jobs.run_job(changes.request_files(paper, by=people["admin"]).pk)
    assert _files(again) == files


def test_the_workbook_opens_with_the_report_front_sheet(small_paper, people):
    job = jobs.run_job(changes.request_files(small_paper, by=people["admin"]).pk)
    book = load_workbook(io.BytesIO(_files(job)["xlsx"]))
    assert book.sheetnames[0] == "Report" and len(book.sheetnames) > 1
    front = book["Report"]
    rows = [tuple(c.value for c in row) for row in front.iter_rows(max_col=2)]
    for pair in [
        ("Committee", "oneSource Joint Committee"),
        ("Date", "19 January 2018"),
        ("Subject heading", "oneSource update for January 2018"),
        (
            "Report author and contact details",
            "Jane West\nJane.west@onesource.co.uk\n020 3373 2703",
        ),
        ("Is this a Key Decision?", "No"),
        ("Financial summary", NARRATIVE["financial_summary"]),
    ]:
        assert pair in rows
    assert (None, "The Joint Committee is asked to note the report.") in rows
    (appendix,) = [r for r in rows if str(r[0]).startswith("Appendix 1:")]
    assert appendix[1] and set(appendix[1].split(", ")) <= set(book.sheetnames[1:])
    assert front.oddHeader.center.text == "oneSource Joint Committee – 19 January 2018"
    assert book.properties.created.date().isoformat() == "2018-01-19"


def test_a_published_reports_files_do_not_change_when_the_plan_does(paper, people, client):
    admin = people["admin"]
    job = jobs.run_job(changes.request_files(paper, by=admin, publish=True).pk)
    paper.refresh_from_db()
    assert paper.is_published and paper.published_job == job
    assert paper.published_by == admin and paper.published_on == job.finished_on
    frozen_files, frozen_document = _files(job), job.document_json

    action = Action.objects.get(plan__code="IP1920", ref="IP14")
    update = action.updates.get(period__year=2019, period__number=1)
    correction = plan_changes.propose_correction(
        update,
        by=admin,
        reason="The status was wrong.",
        status="R",
        progress="Changed after the report was published.",
    )
    plan_changes.approve_correction(correction, by=admin)

    job.refresh_from_db()
    assert _files(job) == frozen_files
    assert job.document_json == frozen_document
    live = to_json(papers.build_document(paper, admin))
    assert "Changed after the report was published." in live
    assert "Changed after the report was published." not in frozen_document
    assert "Changed after the report was published." not in _pdf_text(frozen_files["pdf"])

    client.force_login(admin)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Published for the meeting on 19 January 2018 by" in page
    assert "Changed after the report was published." not in page
    download = client.get(f"{paper.get_absolute_url()}file.docx")
    assert download.content == frozen_files["docx"]


def test_a_published_report_can_no_longer_change(small_paper, people):
    paper = small_paper
    admin = people["admin"]
    job = changes.request_files(paper, by=admin, publish=True, confirm_incomplete=True)
    jobs.run_job(job.pk)
    with pytest.raises(changes.ReportPublished):
        changes.update_report(paper, by=admin, expected_version=paper.version, summary="Late.")
    with pytest.raises(changes.ReportPublished):
        changes.request_files(paper, by=admin)


def test_a_failing_job_says_why_and_publishes_nothing(report, people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the plan could not be read")

    monkeypatch.setattr(papers, "build_document", broken)
    job = jobs.run_job(changes.request_files(report, by=people["admin"], publish=True).pk)
    assert job.state == ReportJob.State.FAILED
    assert "the plan could not be read" in job.error
    report.refresh_from_db()
    assert not report.is_published and not job.files.exists()


def test_a_job_runs_once(report, people):
    job = jobs.run_job(changes.request_files(report, by=people["admin"]).pk)
    again = jobs.run_job(job.pk)
    assert again.finished_on == job.finished_on
    assert again.files.count() == len(FORMATS)


def test_the_command_runs_waiting_and_stale_jobs(report, people):
    job = changes.request_files(report, by=people["admin"])
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.RUNNING, started_on=timezone.now() - timedelta(hours=2)
    )
    out = io.StringIO()
    call_command("run_report_jobs", stdout=out)
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE
    assert "1 stale job(s) put back in the queue." in out.getvalue()


def test_the_command_can_hand_waiting_jobs_to_the_worker(report, people, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = changes.request_files(report, by=people["admin"])
    call_command("run_report_jobs", "--enqueue", stdout=io.StringIO())
    assert [r.args for r in default_task_backend.results] == [[job.pk]]
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED


def test_a_requested_job_is_made_by_the_task_once_the_request_commits(
    report, people, django_capture_on_commit_callbacks
):
    # The test settings run tasks as they are enqueued; production hands them to db_worker.
    with django_capture_on_commit_callbacks(execute=True):
        job = changes.request_files(report, by=people["admin"])
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.files.count() == len(FORMATS)


def test_recovery_restarts_a_job_left_running_by_a_stopped_worker(report, people):
    job = changes.request_files(report, by=people["admin"])
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.RUNNING, started_on=timezone.now() - timedelta(minutes=31)
    )
    assert tasks.recover_stale_report_jobs.call() == [job.pk]
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.files.count() == len(FORMATS)


def test_recovery_leaves_a_job_that_is_still_being_made(report, people):
    job = changes.request_files(report, by=people["admin"])
    jobs.claim(job.pk)
    assert tasks.recover_stale_report_jobs.call() == []
    job.refresh_from_db()
    assert job.state == ReportJob.State.RUNNING


def test_a_run_given_up_for_lost_does_not_overwrite_the_run_that_took_over(
    report, people, monkeypatch
):
    job = changes.request_files(report, by=people["admin"])
    build = papers.build_document

    def taken_over_meanwhile(*args, **kwargs):
        # While this run builds the paper, recovery gives it up and another run finishes it.
        monkeypatch.setattr(papers, "build_document", build)
        assert jobs.requeue_stale(timedelta(0)) == [job.pk]
        assert jobs.run_job(job.pk).state == ReportJob.State.DONE
        return build(*args, **kwargs)

    monkeypatch.setattr(papers, "build_document", taken_over_meanwhile)
    lost = jobs.run_job(job.pk)
    assert lost.state == ReportJob.State.DONE and lost.error == ""
    assert lost.files.count() == len(FORMATS)  # the second run's files only, once


def test_recovery_runs_every_ten_minutes():
    (periodic,) = [p for p in schedule.declared() if p.name == "report-job-recovery"]
    assert periodic.task.name == tasks.recover_stale_report_jobs.name
    assert periodic.cron == "*/10 * * * *"


def test_report_kinds_are_found_in_the_installed_apps():
    kinds = papers.report_kinds()
    assert kinds["plans.progress"].title == "Plan progress report"
    assert all(code == kind.code for code, kind in kinds.items())


def test_a_correction_is_made_from_todays_data_and_the_old_files_stay(small_paper, people, client):
    admin = people["admin"]
    job = changes.request_files(small_paper, by=admin, publish=True, confirm_incomplete=True)
    first = jobs.run_job(job.pk)
    first_files, first_document = _files(first), first.document_json

    action = Action.objects.get(plan__code="IPX", ref="IP41")
    update = action.updates.get()
    corrected = plan_changes.record_update(
        action,
        Period.objects.for_code("2019/20 Q2"),
        by=admin,
        status="R",
        progress="Corrected after publication.",
        expected_version=update.version,
    )
    plan_changes.approve_update(corrected, by=admin)  # only approved words are reported
    client.force_login(admin)
    response = client.post(
        f"{small_paper.get_absolute_url()}correct/", {"reason": "IP41 was shown as Amber."}
    )
    assert response.status_code == 302
    correction = jobs.run_job(small_paper.jobs.get(state=ReportJob.State.QUEUED).pk)
    assert correction.state == ReportJob.State.DONE

    # The new version is made from today's data; the first one's files are untouched.
    assert "Corrected after publication." in correction.document_json
    first.refresh_from_db()
    assert _files(first) == first_files and first.document_json == first_document
    assert "Corrected after publication." not in first_document
    assert _files(correction)["docx"] != first_files["docx"]

    # Downloads default to the newest version; the first stays downloadable.
    url = small_paper.get_absolute_url()
    assert client.get(f"{url}file.docx").content == _files(correction)["docx"]
    old = client.get(f"{url}versions/1/file.pdf")
    assert old.status_code == 200 and old.content == first_files["pdf"]
    assert "version-1-SUPERSEDED.pdf" in old["Content-Disposition"]
    new = client.get(f"{url}versions/2/file.xlsx")
    assert new.content == _files(correction)["xlsx"]
    assert client.get(f"{url}versions/3/file.pdf").status_code == 404

    # The page shows the newest paper, and both versions.
    page = client.get(url).content.decode()
    assert "Corrected after publication." in page
    assert 'id="version-1"' in page and 'id="version-2"' in page
    assert "IP41 was shown as Amber." in page
