"""Publishing a committee paper whose appendices miss approved updates lists what is
missing and needs an explicit confirmation, recorded in the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.core.models import AuditEntry, Period
from goldenthread.documents.serialise import from_json
from goldenthread.governance import changes, jobs, papers
from goldenthread.governance.models import ReportJob
from goldenthread.plans import changes as plan_changes
from goldenthread.plans.models import PlanPeriod
from tests.factories import ActionFactory, PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(report, people):
    """The January report with a three-action plan's Q1 (published) as its appendix:
    one Green approved, one Green returned, one with no update."""
    plan = PlanFactory(code="IPX", title="Small Improvement Plan")
    section = SectionFactory(plan=plan, title="ICT")
    q1 = Period.objects.for_code("2019/20 Q1")
    admin = people["admin"]
    approved = ActionFactory(section=section, ref="IP40")
    returned = ActionFactory(section=section, ref="IP41")
    ActionFactory(section=section, ref="IP42")
    update = plan_changes.record_update(approved, q1, by=admin, status="G", progress="Fine.")
    plan_changes.approve_update(update, by=admin)
    update = plan_changes.record_update(returned, q1, by=admin, status="G", progress="Hm.")
    plan_changes.return_update(update, by=admin, reason="Evidence, please.")
    PlanPeriod.objects.create(plan=plan, period=q1, state=PlanPeriod.State.PUBLISHED)
    changes.add_appendix(
        report, by=admin, kind="plans.progress", subject="IPX", period="2019/20 Q1"
    )
    return report


def test_the_plans_hook_names_what_the_appendix_misses(paper, people):
    (gap,) = papers.completeness(paper, people["admin"])
    assert gap.counts == "2 of 3 actions: 1 no update, 1 returned"
    assert [reason for reason, _ in gap.groups] == ["No update", "Returned"]
    assert not gap.notes  # the period is published


def test_a_complete_paper_has_nothing_to_confirm(report, people):
    assert papers.completeness(report, people["admin"]) == []
    job = changes.request_files(report, by=people["admin"], publish=True)
    assert job.publish


def test_publishing_an_incomplete_paper_is_refused_without_confirmation(paper, people):
    with pytest.raises(changes.IncompletePaper) as refused:
        changes.request_files(paper, by=people["admin"], publish=True)
    assert "2 of 3 actions" in str(refused.value)
    assert not ReportJob.objects.filter(report=paper).exists()
    # Making draft files needs no confirmation: nothing is published.
    assert not changes.request_files(paper, by=people["admin"]).publish


def test_a_confirmed_publication_records_what_was_missing(paper, people):
    job = changes.request_files(paper, by=people["admin"], publish=True, confirm_incomplete=True)
    entry = AuditEntry.objects.get(field="published although incomplete", object_id=paper.pk)
    assert entry.by == people["admin"]
    assert "2 of 3 actions: 1 no update, 1 returned" in entry.new
    assert "IP41" in entry.new and "IP42" in entry.new
    job = jobs.run_job(job.pk)
    paper.refresh_from_db()
    assert paper.is_published
    # The paper made afterwards reports the returned update as returned, never as Green.
    statuses = {
        row.cells[0].text: row.cells[5].text
        for table in from_json(job.document_json).tables
        if table.columns[0].title == "P Ref"
        for row in table.rows
    }
    assert statuses == {"IP40": "Green", "IP41": "Returned", "IP42": "No update"}
    assert "Hm." not in job.document_json  # the returned words are not reported


def test_the_publish_page_lists_the_missing_and_asks_for_the_tick(client, paper, people):
    client.force_login(people["admin"])
    url = reverse("governance:publish", args=[paper.pk])
    page = client.get(url).content.decode()
    assert "2 of 3 actions: 1 no update, 1 returned" in page
    assert "IP41" in page and "IP42" in page
    assert 'name="confirm"' in page
    refused = client.post(url)
    assert refused.status_code == 400
    assert "Confirm that you want to publish" in refused.content.decode()
    assert not ReportJob.objects.filter(report=paper, publish=True).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert ReportJob.objects.filter(report=paper, publish=True).exists()


@pytest.mark.parametrize("who, expected", [("lead", 403), ("other_lead", 403), ("reader", 404)])
def test_only_administrators_see_or_confirm_it(client, paper, people, who, expected):
    client.force_login(people[who])
    url = reverse("governance:publish", args=[paper.pk])
    assert client.get(url).status_code == expected
    assert client.post(url, {"confirm": "yes"}).status_code == expected
    assert not ReportJob.objects.filter(report=paper).exists()
