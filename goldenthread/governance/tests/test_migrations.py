"""Reports published before versions existed become version 1 of themselves."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("governance", "0001_initial")]
AFTER = [("governance", "0002_report_versions")]


@pytest.mark.django_db(transaction=True)
def test_published_reports_get_their_first_version(people):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    committee = old.get_model("governance", "Committee").objects.create(name="Joint Committee")
    meeting = old.get_model("governance", "Meeting").objects.create(
        committee=committee, date=date(2019, 7, 12)
    )
    Report = old.get_model("governance", "CommitteeReport")
    Job = old.get_model("governance", "ReportJob")
    draft = Report.objects.create(meeting=meeting, subject_heading="Draft", author="A")
    report = Report.objects.create(meeting=meeting, subject_heading="Out", author="A")
    finished = timezone.now()
    job = Job.objects.create(report=report, publish=True, state="done", finished_on=finished)
    Report.objects.filter(pk=report.pk).update(
        state="published",
        published_job=job,
        published_by_id=people["admin"].pk,
        published_on=finished,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Publication = new.get_model("governance", "Publication")
    (version,) = Publication.objects.all()
    assert (version.report_id, version.number, version.job_id) == (report.pk, 1, job.pk)
    assert version.published_by_id == people["admin"].pk and version.published_on == finished
    assert not Publication.objects.filter(report_id=draft.pk).exists()
