"""Reported position = approved position, as each role sees it: a returned or submitted
update never counts as its status on the plan page, the home page, an export or a paper;
readers see the latest published period while the next round is open."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goldenthread.core.models import Period
from goldenthread.documents.model import ReportRequest
from goldenthread.plans import changes, reading, reports, rules
from goldenthread.plans.models import Action, PlanPeriod
from tests.factories import ActionFactory, MilestoneFactory, SectionFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "lead", "reader", "approver"]
DRAFT_READERS = {"admin", "lead", "approver"}  # the reader (a Bexley councillor) is not one


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


def _approved(item, period, status, by, approver, text="Reported."):
    update = changes.record_update(item, period, by=by, status=status, progress=text)
    return changes.approve_update(update, by=approver)


@pytest.fixture
def round_open(action, lbh_action, people, q1, q2):
    """Q1 published (IP40 Green, IP23 Amber); Q2 open: IP40 returned as Green, IP23
    submitted as Red."""
    lead, admin = people["lead"], people["admin"]
    _approved(action, q1, "G", lead, admin)
    _approved(lbh_action, q1, "A", lead, admin)
    PlanPeriod.objects.create(plan=action.plan, period=q1, state="published")
    returned = changes.record_update(action, q2, by=lead, status="G", progress="Returned text.")
    changes.return_update(returned, by=admin, reason="Give the evidence.")
    changes.record_update(lbh_action, q2, by=lead, status="R", progress="Submitted text.")
    return action.plan


def glance(client, plan) -> dict[str, str]:
    page = client.get(reverse("home")).content.decode()
    cell = re.search(rf'data-plan="{plan.code}">(.*?)</td>', page, re.S).group(1)
    return dict(re.findall(r'data-status="[^"]*">\s*<strong[^>]*>([^<]+)</strong>\s*(\d+)', cell))


def counts(page: str) -> dict[str, int]:
    """The plan page's summary cells: status code → the largest count shown for it."""
    found: dict[str, int] = {}
    for code, count in re.findall(r'data-status="(\w+)"[^>]*>(\d+) ', page):
        found[code] = max(found.get(code, 0), int(count))
    return found


# -- which period each role sees ----------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_everyone_opens_on_the_published_period_while_the_round_is_open(
    client, round_open, people, who, q1
):
    client.force_login(people[who])
    response = client.get(round_open.get_absolute_url())
    assert response.status_code == 200
    assert response.context["period"] == q1 and not response.context["draft"]
    page = response.content.decode()
    assert "Returned text." not in page and "Submitted text." not in page


@pytest.mark.parametrize("who", ROLES)
def test_the_open_round_is_a_draft_only_for_those_who_work_on_it(client, round_open, people, who):
    client.force_login(people[who])
    response = client.get(round_open.get_absolute_url() + "?period=2019/20 Q2")
    if who not in DRAFT_READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200 and response.context["draft"]
    shown = [p.period.code for p in response.context["periods"]]
    assert shown == ["2019/20 Q1", "2019/20 Q2"]


def test_visible_periods_per_role(round_open, people):
    seen = {
        who: [(p.period.code, p.state) for p in reading.visible_periods(people[who], round_open)]
        for who in ROLES
    }
    assert seen["reader"] == [("2019/20 Q1", "published")]
    for who in DRAFT_READERS:
        assert seen[who] == [("2019/20 Q1", "published"), ("2019/20 Q2", "open")]
    assert not reading.may_see_drafts(people["other_lead"], round_open)  # leads none of it


# -- a returned or submitted update never counts as its status ------------------------------


@pytest.mark.parametrize("who", sorted(DRAFT_READERS))
def test_the_draft_plan_page_counts_returned_and_awaiting_apart(client, round_open, people, who):
    client.force_login(people[who])
    page = client.get(round_open.get_absolute_url() + "?period=2019/20 Q2").content.decode()
    found = counts(page)
    assert found.get("G", 0) == 0 and found.get("R", 0) == 0
    assert found["returned"] == 1
    assert found["awaiting"] == 1  # IP23 is Havering's: each of these roles sees it


def test_the_plan_sections_report_the_approved_position(round_open, people, q2):
    for who in ROLES:
        views = reading.plan_sections(round_open, q2, Action.objects.all(), user=people[who])
        rows = {a.action.ref: a.row for v in views for a in v.actions}
        assert rows["IP40"].status is rules.RETURNED
        assert rows["IP40"].status_label == "Returned – last reported Q1: Green"
        assert rows["IP23"].status is rules.AWAITING_APPROVAL
        whole = reading.plan_summary(round_open, views)
        assert whole.count("G") == whole.count("R") == 0 and whole.reported == 0
        assert whole.stale == 2  # neither has an approved Q2 update
        # Readers never get the unapproved words; those who work on it do.
        visible = rows["IP40"].update is not None
        assert visible is (who in DRAFT_READERS)


@pytest.mark.parametrize("who", ROLES)
def test_the_home_page_shows_the_published_counts_during_the_round(client, round_open, people, who):
    client.force_login(people[who])
    expected = {"Green": "1"} if who == "reader" else {"Green": "1", "Amber": "1"}
    assert glance(client, round_open) == expected  # not "No updates for this period yet"


def test_the_home_page_counts_a_published_period_with_a_returned_update_as_returned(
    client, round_open, people, q2
):
    PlanPeriod.objects.create(plan=round_open, period=q2, state="published")
    client.force_login(people["reader"])
    assert glance(client, round_open) == {"Returned": "1"}  # IP23 is not Bexley's
    client.force_login(people["admin"])
    assert glance(client, round_open) == {"Awaiting approval": "1", "Returned": "1"}


@pytest.mark.parametrize("who", sorted(DRAFT_READERS))
def test_the_export_never_gives_an_unapproved_status(client, round_open, people, who):
    client.force_login(people[who])
    url = reverse("plans:export", args=[round_open.code, "csv"]) + "?period=2019/20 Q2"
    rows = {r["Ref"]: r for r in csv.DictReader(io.StringIO(client.get(url).content.decode()))}
    assert rows["IP40"]["Status"] == "Returned – last reported Q1: Green"
    assert rows["IP40"]["Update state"] == "Returned for changes"
    assert rows["IP40"]["Stale"] == "Stale"
    assert rows["IP23"]["Status"] == "Awaiting approval – last reported Q1: Amber"


def test_a_readers_export_is_the_published_period(client, round_open, people):
    client.force_login(people["reader"])
    base = reverse("plans:export", args=[round_open.code, "csv"])
    assert client.get(base + "?period=2019/20 Q2").status_code == 404
    rows = list(csv.DictReader(io.StringIO(client.get(base).content.decode())))
    assert [(r["Ref"], r["Status"], r["Period"]) for r in rows] == [("IP40", "Green", "2019/20 Q1")]


def _status_cells(document) -> dict[str, str]:
    found = {}
    for table in document.tables:
        if table.columns[0].title != "P Ref":
            continue
        for row in table.rows:
            found[row.cells[0].text] = row.cells[5].text
    return found


@pytest.mark.parametrize("who", sorted(DRAFT_READERS))
def test_a_paper_made_for_the_round_reports_what_was_approved(round_open, people, who):
    request = ReportRequest(round_open.code, "2019/20 Q2", None, people[who])
    document = reports.build_progress(request)
    assert reports.DRAFT in document.subtitle
    statuses = _status_cells(document)
    assert statuses["IP40"] == "Returned – last reported Q1: Green"
    assert statuses["IP23"] == "Awaiting approval – last reported Q1: Amber"
    text = str(document)
    assert "Returned text." not in text and "Submitted text." not in text
    summary = next(t for t in document.tables if t.name == "Summary")
    words = [r.cells[3].text for r in summary.rows if len(r.cells) == 4 and r.cells[1].text != "0"]
    assert "Green" not in words and "Red" not in words


def test_a_reader_cannot_have_a_paper_of_the_open_round(round_open, people):
    with pytest.raises(reports.ReportError):
        reports.build_progress(ReportRequest(round_open.code, "2019/20 Q2", None, people["reader"]))
    document = reports.build_progress(ReportRequest(round_open.code, "", None, people["reader"]))
    assert _status_cells(document) == {"IP40": "Green"}
    assert reports.DRAFT not in document.subtitle


def test_the_golden_thread_shows_the_published_status(client, round_open, people, partners):
    from goldenthread.core.models import CorporatePriority

    priority = CorporatePriority.objects.create(
        organisation=partners["LBB"], code="LBB1", title="A strong Bexley", order=1
    )
    round_open.actions.get(ref="IP40").corporate_priorities.add(priority)
    client.force_login(people["reader"])
    page = client.get(reverse("plans:golden_thread", args=["LBB"])).content.decode()
    cell = re.search(r'data-testid="reported-status">(.*?)</td>', page, re.S).group(1)
    assert "Green" in cell and "2019/20 Q1" in cell and "Returned" not in cell


# -- overdue and stale: flags apart from the status -----------------------------------------


def test_an_overdue_item_keeps_its_status_and_is_flagged(action, people, q1):
    from datetime import date

    action.target_date = date(2019, 5, 31)
    action.save(update_fields=["target_date"])
    _approved(action, q1, "G", people["lead"], people["admin"])
    views = reading.plan_sections(action.plan, q1, Action.objects.all())
    row = views[0].actions[0].row
    assert row.status.code == "G" and row.overdue and not row.stale
    assert (views[0].summary.count("G"), views[0].summary.overdue) == (1, 1)
    assert views[0].summary.count("R") == 0


# -- constant queries -------------------------------------------------------------------------


def test_the_plan_sections_and_the_glance_take_the_same_queries_for_2_and_20_items(
    plan, people, q1, q2
):
    section = SectionFactory(plan=plan)
    PlanPeriod.objects.create(plan=plan, period=q1, state="published")

    def queries(n):
        for i in range(n):
            a = ActionFactory(section=section, ref=f"N{n}-{i}")
            MilestoneFactory(action=a)
            _approved(a, q1, "G", people["admin"], people["admin"])
            changes.record_update(a, q2, by=people["admin"], status="A", progress="x")
        fresh = type(plan).objects.get(pk=plan.pk)
        for who in ("approver", "reader"):  # their roles, read once per request
            people[who].__dict__.pop("_gt_grants", None)
        with CaptureQueriesContext(connection) as captured:
            reading.plan_sections(fresh, q2, Action.objects.all(), user=people["approver"])
            reading.at_a_glance(
                type(plan).objects.filter(pk=plan.pk), Action.objects.all(), user=people["reader"]
            )
        return len(captured)

    assert queries(2) == queries(18)


def test_the_home_page_takes_the_same_queries_for_more_items(client, round_open, people, q1):
    client.force_login(people["reader"])

    def home_queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("home"))
        return len(captured)

    few = home_queries()
    section = round_open.sections.first()
    for n in range(8):
        a = ActionFactory(section=section, ref=f"IP9{n}")
        _approved(a, q1, "G", people["admin"], people["admin"])
    assert home_queries() == few


@pytest.mark.parametrize("who", ROLES)
def test_the_action_page_never_shows_a_returned_update_as_its_status(
    client, round_open, people, who, q2
):
    client.force_login(people[who])
    action = round_open.actions.get(ref="IP40")
    works_on_it = who != "reader"  # IP40 concerns all partners: Havering's approver too
    page = client.get(action.get_absolute_url()).content.decode()
    assert ('data-testid="update-2019/20 Q2"' in page) is works_on_it  # the open round
    assert 'data-testid="update-2019/20 Q1"' in page
    PlanPeriod.objects.create(plan=round_open, period=q2, state="published")
    page = client.get(action.get_absolute_url()).content.decode()
    row = re.search(r'data-testid="update-2019/20 Q2">(.*?)</tr>', page, re.S).group(1)
    status = re.search(r'data-label="Status">(.*?)</td>', row, re.S).group(1)
    assert ">Returned<" in status and ">Green<" not in status
    assert ("Proposed: Green" in status) is works_on_it
    assert ("Returned text." in row) is works_on_it


@pytest.mark.parametrize("who", ROLES)
def test_the_change_history_keeps_the_round_from_readers(client, round_open, people, who):
    """The draft's text and the return's reason are not in a reader's change history."""
    client.force_login(people[who])
    action = round_open.actions.get(ref="IP40")
    page = client.get(action.get_absolute_url()).content.decode()
    works_on_it = who in DRAFT_READERS
    assert ("Returned text." in page) is works_on_it
    assert ("Give the evidence." in page) is works_on_it
    assert "Reported." in page  # the published quarter's history stays for everyone
