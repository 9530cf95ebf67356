"""Writes to committee reports: audited, refused when stale, frozen once published."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from goldenthread.core.audit import history_for
from goldenthread.core.models import AuditEntry
from goldenthread.governance import changes
from goldenthread.governance.models import CommitteeReport, ReportJob
from tests.factories import PlanFactory


def test_it_requires_a_subject_heading_and_an_author(meeting, people):
    with pytest.raises(ValidationError) as caught:
        changes.create_report(meeting, by=people["admin"], subject_heading=" ", summary="x")
    assert set(caught.value.message_dict) == {"subject_heading", "author"}
    assert not CommitteeReport.objects.exists()


def test_reports_go_last_on_the_agenda(report, meeting, people):
    second = changes.create_report(meeting, by=people["admin"], subject_heading="B", author="A")
    assert second.agenda_order == report.agenda_order + 1


def test_an_update_is_saved_versioned_and_audited(report, people):
    changes.update_report(
        report, by=people["admin"], expected_version=1, summary="A new summary.", key_decision=True
    )
    report.refresh_from_db()
    assert (report.summary, report.key_decision, report.version) == ("A new summary.", True, 2)
    fields = {e.field for e in history_for([report]) if e.verb == AuditEntry.Verb.CHANGED}
    assert {"summary", "key decision"} <= fields
    assert report.modified_by == people["admin"]


def test_a_stale_edit_is_refused_and_nothing_is_saved(report, people):
    changes.update_report(report, by=people["admin"], expected_version=1, summary="First.")
    with pytest.raises(changes.EditConflict, match="changed by someone else"):
        changes.update_report(report, by=people["lead"], expected_version=1, summary="Second.")
    report.refresh_from_db()
    assert report.summary == "First." and report.version == 2


def test_only_narrative_fields_can_be_written(report, people):
    with pytest.raises(ValueError, match="state"):
        changes.update_report(report, by=people["admin"], expected_version=1, state="published")


def test_an_appendix_names_a_known_kind_a_visible_subject_and_a_real_period(report, people):
    PlanFactory(code="IP1920", title="Improvement Plan")
    admin = people["admin"]
    with pytest.raises(ValidationError) as caught:
        changes.add_appendix(report, by=admin, kind="nope.kind", subject="IP1920")
    assert set(caught.value.message_dict) == {"kind"}
    with pytest.raises(ValidationError) as caught:
        changes.add_appendix(report, by=admin, kind="plans.progress", subject="X", period="Q1")
    assert set(caught.value.message_dict) == {"subject", "period"}
    appendix = changes.add_appendix(
        report, by=admin, kind="plans.progress", subject="IP1920", period=" 2019/20 q1 "
    )
    assert (appendix.period, appendix.order) == ("2019/20 Q1", 1)
    appendix_id = appendix.pk
    changes.remove_appendix(appendix, by=admin)
    assert not report.appendices.exists()
    entries = AuditEntry.objects.filter(content_type__model="appendix", object_id=appendix_id)
    verbs = [e.verb for e in entries]
    assert AuditEntry.Verb.DELETED in verbs and AuditEntry.Verb.CREATED in verbs


def test_asking_for_files_twice_gives_the_same_waiting_job(report, people):
    first = changes.request_files(report, by=people["admin"])
    again = changes.request_files(report, by=people["admin"], publish=True)
    assert again.pk == first.pk and again.publish
    assert ReportJob.objects.count() == 1


def test_only_a_finished_job_can_be_published(report, people):
    job = changes.request_files(report, by=people["admin"])
    with pytest.raises(ValidationError, match="finished"):
        changes.publish(job)
    report.refresh_from_db()
    assert not report.is_published


def test_a_job_is_handed_to_the_worker_once_the_request_commits(
    report, people, django_capture_on_commit_callbacks, settings
):
    from django_tasks import default_task_backend

    from goldenthread.governance import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = changes.request_files(report, by=people["admin"])
    assert len(callbacks) == 1 and default_task_backend.results == []  # nothing before commit
    callbacks[0]()
    (enqueued,) = default_task_backend.results
    assert enqueued.task.name == tasks.make_report_files.name and enqueued.args == [job.pk]
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED  # the worker makes it, not the web process


# -- corrections of published reports ----------------------------------------------------------


@pytest.fixture
def published(report, people):
    from goldenthread.governance import jobs

    jobs.run_job(changes.request_files(report, by=people["admin"], publish=True).pk)
    report.refresh_from_db()
    return report


def test_publishing_makes_version_1(published, people):
    (version,) = published.publications.all()
    assert (version.number, version.reason) == (1, "")
    assert version.job_id == published.published_job_id
    assert version.published_by == people["admin"]
    assert version.published_on == published.published_on


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_correction_requires_a_reason(published, people, reason):
    with pytest.raises(ValidationError) as caught:
        changes.request_correction(published, by=people["admin"], reason=reason)
    assert caught.value.message_dict == {"reason": ["Enter why the report is being corrected."]}
    assert not published.jobs.filter(publish=True, correction_reason__gt="").exists()


def test_only_a_published_report_is_corrected(report, people):
    with pytest.raises(ValidationError, match="Only a published report"):
        changes.request_correction(report, by=people["admin"], reason="Wrong figure.")
    assert not report.jobs.exists()


def test_a_correction_at_a_time(published, people):
    changes.request_correction(published, by=people["admin"], reason="Wrong figure.")
    with pytest.raises(ValidationError, match="already being published"):
        changes.request_correction(published, by=people["admin"], reason="Another.")
    assert published.jobs.filter(state=ReportJob.State.QUEUED).count() == 1


def test_a_correction_is_a_new_version_and_audited(published, people):
    from goldenthread.governance import jobs

    admin = people["admin"]
    first_job = published.published_job
    job = changes.request_correction(published, by=admin, reason="  Appendix 1 was Q1.  ")
    assert job.publish and job.correction_reason == "Appendix 1 was Q1."
    jobs.run_job(job.pk)
    published.refresh_from_db()
    assert published.is_published and published.published_job_id == job.pk
    assert [(v.number, v.job_id, v.reason) for v in published.publications.all()] == [
        (1, first_job.pk, ""),
        (2, job.pk, "Appendix 1 was Q1."),
    ]
    entries = history_for([published]).filter(by=admin)
    assert entries.filter(field="files", new="correction requested: Appendix 1 was Q1.").exists()
    version = entries.get(field="published version", new="2: Appendix 1 was Q1.")
    assert version.old == "1" and version.verb == AuditEntry.Verb.CHANGED
    # Who and when, old and new: the report's published date moved from version 1's.
    moved = entries.filter(field="published on").order_by("pk").last()
    assert moved.old == str(first_job.finished_on) and moved.new == str(published.published_on)
    # The same files cannot be published twice.
    job.refresh_from_db()
    with pytest.raises(ValidationError, match="published already"):
        changes.publish(job)
