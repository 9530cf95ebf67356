"""Every governance view as administrator, lead, another lead and a reader of another partner."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from goldenthread.core.models import Period
from goldenthread.governance import changes, jobs
from goldenthread.governance.models import Committee, CommitteeReport, Meeting, ReportJob
from goldenthread.governance.tests.conftest import NARRATIVE
from goldenthread.plans.models import PlanPeriod
from tests.factories import ActionFactory, PlanFactory, SectionFactory

PEOPLE = ["admin", "lead", "other_lead", "reader"]


def _form(report: CommitteeReport, **changes_: str) -> dict:
    data = {name: getattr(report, name) for name in CommitteeReport.NARRATIVE_FIELDS}
    data["key_decision"] = "yes" if report.key_decision else "no"
    data["version"] = str(report.version)
    return {**data, **changes_}


@pytest.fixture
def published(report, people):
    job = changes.request_files(report, by=people["admin"], publish=True)
    jobs.run_job(job.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def lbh_only_report(people, partners):
    committee = Committee.objects.create(name="Havering Audit Committee")
    committee.partners.set([partners["LBH"]])
    meeting = Meeting.objects.create(committee=committee, date=date(2019, 7, 20))
    report = changes.create_report(meeting, by=people["admin"], **NARRATIVE)
    job = changes.request_files(report, by=people["admin"], publish=True)
    jobs.run_job(job.pk)
    return report


def test_it_requires_sign_in(client, report):
    response = client.get(reverse("governance:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who, sees_draft", [("admin", True), ("lead", True), ("reader", False)])
def test_the_index_lists_drafts_to_staff_only(client, report, people, who, sees_draft):
    client.force_login(people[who])
    page = client.get(reverse("governance:index")).content.decode()
    assert (report.subject_heading in page) is sees_draft
    assert ("Write a committee report" in page) is (who == "admin")


@pytest.mark.parametrize(
    "who, expected", [("admin", 200), ("lead", 200), ("other_lead", 200), ("reader", 404)]
)
def test_a_draft_is_read_by_staff_only(client, report, people, who, expected):
    client.force_login(people[who])
    assert client.get(report.get_absolute_url()).status_code == expected


def test_a_reader_reads_published_papers_of_their_committees_only(
    client, published, lbh_only_report, people
):
    client.force_login(people["reader"])  # Bexley
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert "Published for the meeting" in page.content.decode()
    assert client.get(f"{published.get_absolute_url()}file.pdf").status_code == 200
    assert client.get(lbh_only_report.get_absolute_url()).status_code == 404
    index = client.get(reverse("governance:index")).content.decode()
    assert published.subject_heading in index and "Havering Audit Committee" not in index


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 403)]
)
def test_only_administrators_write_reports(client, meeting, people, who, expected):
    client.force_login(people[who])
    data = {**NARRATIVE, "key_decision": "no", "meeting": str(meeting.pk)}
    response = client.post(reverse("governance:create"), data)
    assert response.status_code == expected
    assert CommitteeReport.objects.exists() == (expected == 302)


def test_a_report_without_a_subject_names_the_field(client, meeting, people):
    client.force_login(people["admin"])
    data = {**NARRATIVE, "subject_heading": "", "key_decision": "no", "meeting": str(meeting.pk)}
    response = client.post(reverse("governance:create"), data)
    assert response.status_code == 400
    assert "Enter the subject heading." in response.content.decode()
    assert not CommitteeReport.objects.exists()


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 404)]
)
def test_only_administrators_edit_the_narrative(client, report, people, who, expected):
    client.force_login(people[who])
    url = reverse("governance:edit", args=[report.pk])
    response = client.post(url, _form(report, summary="Edited summary."))
    assert response.status_code == expected
    report.refresh_from_db()
    assert (report.summary == "Edited summary.") is (expected == 302)


def test_a_stale_edit_shows_the_conflict_and_keeps_the_text(client, report, people):
    changes.update_report(report, by=people["lead"], expected_version=1, summary="Theirs.")
    client.force_login(people["admin"])
    url = reverse("governance:edit", args=[report.pk])
    response = client.post(url, _form(report, summary="Mine.", version="1"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page and "Mine." in page
    report.refresh_from_db()
    assert report.summary == "Theirs."


def test_an_appendix_is_added_in_two_steps(client, report, people):
    plan = PlanFactory(code="IP1920", title="Improvement Plan")
    ActionFactory(section=SectionFactory(plan=plan, title="ICT"), ref="IP40")
    client.force_login(people["admin"])
    url = reverse("governance:appendix_add", args=[report.pk])
    assert "Plan progress report" in client.get(url).content.decode()
    step_two = client.get(url, {"kind": "plans.progress"}).content.decode()
    assert "Improvement Plan (IP1920)" in step_two
    bad = client.post(url, {"kind": "plans.progress", "subject": "IP1920", "period": "Q9"})
    assert bad.status_code == 400 and "is not a period" in bad.content.decode()
    good = client.post(url, {"kind": "plans.progress", "subject": "IP1920", "period": "2019/20 Q2"})
    assert good.status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Appendix 1: Plan progress report: IP1920, 2019/20 Q2" in page
    assert "IP40" in page


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 404)]
)
def test_only_administrators_make_files(client, report, people, who, expected):
    client.force_login(people[who])
    response = client.post(reverse("governance:make_files", args=[report.pk]))
    assert response.status_code == expected
    assert ReportJob.objects.filter(report=report).exists() == (expected == 302)


def test_making_files_is_a_post(client, report, people):
    client.force_login(people["admin"])
    assert client.get(reverse("governance:make_files", args=[report.pk])).status_code == 405


def test_the_progress_panel_polls_until_the_files_are_ready(client, report, people):
    client.force_login(people["admin"])
    job = changes.request_files(report, by=people["admin"])
    url = reverse("governance:job", args=[report.pk, job.pk])
    waiting = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "You can leave this page" in detail
    jobs.run_job(job.pk)
    ready = client.get(url).content.decode()
    assert "hx-trigger" not in ready
    assert reverse("governance:file", args=[report.pk, "docx"]) in ready


def test_a_file_is_offered_only_once_made(client, report, people):
    client.force_login(people["admin"])
    url = reverse("governance:file", args=[report.pk, "docx"])
    assert client.get(url).status_code == 404
    jobs.run_job(changes.request_files(report, by=people["admin"]).pk)
    response = client.get(url)
    assert response.status_code == 200
    assert "DRAFT.docx" in response["Content-Disposition"]
    assert client.get(reverse("governance:file", args=[report.pk, "exe"])).status_code == 404


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 404)]
)
def test_only_administrators_publish(client, report, people, who, expected):
    client.force_login(people[who])
    response = client.post(reverse("governance:publish", args=[report.pk]))
    assert response.status_code == expected
    assert ReportJob.objects.filter(report=report, publish=True).exists() == (expected == 302)


def test_a_published_report_cannot_be_edited_or_published_again(client, published, people):
    client.force_login(people["admin"])
    assert client.get(reverse("governance:edit", args=[published.pk])).status_code == 403
    assert client.post(reverse("governance:publish", args=[published.pk])).status_code == 403
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Edit the report" not in page


@pytest.mark.parametrize("who", PEOPLE)
def test_a_paper_straight_from_the_data(client, people, partners, who):
    plan = PlanFactory(code="IP", title="Improvement Plan")
    section = SectionFactory(plan=plan, title="ICT")
    ActionFactory(section=section, ref="IP40")
    ActionFactory(section=section, ref="IP23", partner_list=[partners["LBH"]])
    q2 = Period.objects.for_code("2019/20 Q2")
    PlanPeriod.objects.create(plan=plan, period=q2, state=PlanPeriod.State.PUBLISHED)
    client.force_login(people[who])
    url = reverse("governance:quick", args=["plans.progress"])
    page = client.get(url, {"subject": "IP", "period": "2019/20 Q2"}).content.decode()
    assert "IP40" in page
    assert ("IP23" in page) is (who != "reader")  # Bexley does not see a Havering action
    word = client.get(url, {"subject": "IP", "period": "2019/20 Q2", "format": "docx"})
    assert word["Content-Disposition"] == 'attachment; filename="IP-2019-20-Q2.docx"'


def test_a_paper_with_a_bad_period_names_the_field(client, people):
    PlanFactory(code="IP", title="Improvement Plan")
    client.force_login(people["admin"])
    url = reverse("governance:quick", args=["plans.progress"])
    response = client.get(url, {"subject": "IP", "period": "sometime"})
    assert response.status_code == 400 and "is not a period" in response.content.decode()
    assert client.get(reverse("governance:quick", args=["no.such"])).status_code == 404


def test_the_index_and_a_report_page_take_few_queries(
    client, report, meeting, people, django_assert_max_num_queries
):
    for number in range(5):
        changes.create_report(
            meeting, by=people["admin"], subject_heading=f"Report {number}", author="A"
        )
    client.force_login(people["admin"])
    client.get(reverse("governance:index"))  # warm the session and grants
    with django_assert_max_num_queries(12):
        client.get(reverse("governance:index"))
    with django_assert_max_num_queries(15):
        client.get(report.get_absolute_url())


# -- corrections of published reports ----------------------------------------------------------


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 403)]
)
def test_only_administrators_publish_a_correction(client, published, people, who, expected):
    client.force_login(people[who])
    url = reverse("governance:correct", args=[published.pk])
    response = client.post(url, {"reason": "The wrong quarter's figures."})
    assert response.status_code == expected
    assert published.jobs.filter(correction_reason__gt="").exists() == (expected == 302)
    assert client.get(url).status_code == (200 if who == "admin" else 403)


def test_a_correction_posted_without_the_token_is_refused(published, people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["admin"])
    url = reverse("governance:correct", args=[published.pk])
    assert strict.post(url, {"reason": "Wrong figures."}).status_code == 403
    assert not published.jobs.filter(correction_reason__gt="").exists()


def test_a_correction_needs_a_reason(client, published, people):
    client.force_login(people["admin"])
    response = client.post(reverse("governance:correct", args=[published.pk]), {"reason": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_reason"' in page
    assert 'class="govuk-error-message"' in page
    assert "Enter why the report is being corrected." in page
    assert not published.jobs.filter(correction_reason__gt="").exists()


def _text_form(report: CommitteeReport, **changes_: str) -> dict:
    return {f"text-{name}": value for name, value in _form(report, **changes_).items()}


def test_a_correction_may_correct_the_text_and_the_first_version_keeps_its_own(
    client, published, people
):
    from goldenthread.core.audit import history_for

    first_summary = published.summary
    client.force_login(people["admin"])
    url = reverse("governance:correct", args=[published.pk])
    assert 'name="text-summary"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"reason": "The summary gave the wrong date.", **_text_form(published, summary="Fixed.")},
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.summary == "Fixed."
    entry = history_for([published]).get(field="summary")
    assert (entry.by, entry.old, entry.new) == (people["admin"], first_summary, "Fixed.")

    jobs.run_job(published.jobs.get(state=ReportJob.State.QUEUED).pk)
    first, second = published.publications.order_by("number")
    assert "Fixed." in second.job.document_json and "Fixed." not in first.job.document_json


def test_a_correction_with_text_is_all_or_nothing(client, published, people):
    client.force_login(people["admin"])
    url = reverse("governance:correct", args=[published.pk])
    blank_reason = client.post(url, {"reason": " ", **_text_form(published, summary="Fixed.")})
    assert blank_reason.status_code == 400
    blank_heading = client.post(
        url, {"reason": "Wrong.", **_text_form(published, subject_heading="", summary="Fixed.")}
    )
    assert blank_heading.status_code == 400
    assert "Enter the subject heading." in blank_heading.content.decode()
    published.refresh_from_db()
    assert published.summary != "Fixed."
    assert not published.jobs.filter(correction_reason__gt="").exists()
    # A correction already under way: the text is not changed either.
    changes.request_correction(published, by=people["admin"], reason="First.")
    busy = client.post(url, {"reason": "Second.", **_text_form(published, summary="Fixed.")})
    assert busy.status_code == 400 and "already being published" in busy.content.decode()
    published.refresh_from_db()
    assert published.summary != "Fixed."


def test_a_published_reports_text_is_not_edited_outside_a_correction(client, published, people):
    client.force_login(people["admin"])
    response = client.post(
        reverse("governance:edit", args=[published.pk]), _form(published, summary="Sneaky.")
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.summary != "Sneaky."


def test_a_draft_has_no_correction(client, report, people):
    client.force_login(people["admin"])
    url = reverse("governance:correct", args=[report.pk])
    assert client.post(url, {"reason": "Wrong."}).status_code == 403
    assert "Publish a correction" not in client.get(report.get_absolute_url()).content.decode()


def test_the_report_page_lists_both_versions_and_marks_the_superseded_one(
    client, published, people
):
    admin = people["admin"]
    client.force_login(admin)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Publish a correction" in page and 'id="version-1"' in page
    assert "Superseded" not in page
    job = changes.request_correction(published, by=admin, reason="Appendix 1 showed Q1.")
    jobs.run_job(job.pk)
    published.refresh_from_db()
    day = timezone.localtime(published.published_on)

    for who in ("admin", "reader"):
        client.force_login(people[who])
        page = client.get(published.get_absolute_url()).content.decode()
        assert 'id="version-2"' in page and 'id="version-1"' in page
        assert page.index('id="version-2"') < page.index('id="version-1"')  # newest first
        name = admin.get_full_name() or admin.username
        assert f"Superseded on {day.day} {day:%B %Y} by {name}: Appendix 1 showed Q1." in page
        assert page.count("Superseded on ") == 1  # version 2 is current
        assert "Version 2, a correction, published" in page
        for number in (1, 2):
            assert reverse("governance:version_file", args=[published.pk, number, "pdf"]) in page
        assert ("Publish a correction" in page) is (who == "admin")
