"""Every plan view as administrator, owning lead, another lead and a reader of another partner."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from goldenthread.core.models import AuditEntry, Period
from goldenthread.plans import changes
from goldenthread.plans.models import PlanPeriod, ProgressUpdate
from tests.factories import ActionFactory, MilestoneFactory, SectionFactory

UPDATE = {"status": "A", "percent_complete": "40", "progress": "Recruiting.", "version": "0"}


def update_url(action):
    return reverse("plans:update", args=["action", action.pk])


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


def test_it_requires_sign_in(client, action):
    response = client.get(reverse("plans:plan", args=[action.plan.code]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 302), ("other_lead", 403), ("reader", 403)]
)
def test_only_the_lead_and_administrators_may_post_an_update(client, action, people, who, expected):
    client.force_login(people[who])
    response = client.post(update_url(action), UPDATE)
    assert response.status_code == expected
    assert ProgressUpdate.objects.filter(action=action).exists() == (expected == 302)


@pytest.mark.parametrize(
    "who, shown", [("admin", True), ("lead", True), ("other_lead", False), ("reader", False)]
)
def test_the_edit_control_shows_only_to_those_who_may_edit(client, action, people, who, shown):
    client.force_login(people[who])
    page = client.get(action.get_absolute_url()).content.decode()
    assert (update_url(action) in page) is shown


def test_a_reader_of_another_partner_cannot_see_a_partners_action(client, lbh_action, people):
    client.force_login(people["reader"])  # Bexley
    assert client.get(lbh_action.get_absolute_url()).status_code == 404
    plan_page = client.get(lbh_action.plan.get_absolute_url() + "?period=2019/20 Q2")
    assert lbh_action.ref not in plan_page.content.decode()


def test_a_reader_sees_actions_for_all_partners_and_their_own(client, action, people, partners):
    lbb_action = ActionFactory(section=action.section, ref="IP19", partner_list=[partners["LBB"]])
    PlanPeriod.objects.create(
        plan=action.plan, period=Period.objects.for_code("2019/20 Q1"), state="published"
    )
    client.force_login(people["reader"])
    page = client.get(action.plan.get_absolute_url()).content.decode()
    assert action.ref in page and lbb_action.ref in page


def test_the_golden_thread_of_another_council_is_forbidden(client, people, partners):
    client.force_login(people["reader"])
    assert client.get(reverse("plans:golden_thread", args=["LBH"])).status_code == 403
    assert client.get(reverse("plans:golden_thread", args=["LBB"])).status_code == 200


def test_a_lead_records_an_update_seen_on_the_plan_and_in_the_history(client, action, people):
    client.force_login(people["lead"])
    response = client.post(update_url(action), UPDATE)
    assert response.status_code == 302
    plan_page = client.get(action.plan.get_absolute_url() + "?period=2019/20 Q2").content.decode()
    assert "Recruiting." in plan_page and "Amber" in plan_page
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert "Recruiting." in action_page
    assert AuditEntry.objects.filter(by=people["lead"], verb="created").exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"percent_complete": "140"}, "percent_complete", "between 0 and 100, not 140"),
        ({"status": "On Target"}, "status", "is not a status on this plan"),
        ({"progress": ""}, "progress", "Enter the progress to date"),
        ({"status": ""}, "status", "Choose a status"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    client, action, people, change, field, message
):
    client.force_login(people["lead"])
    response = client.post(update_url(action), {**UPDATE, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}' in page  # the error summary links to the field
    assert not ProgressUpdate.objects.exists()


def test_a_concurrent_edit_is_refused_and_the_typed_text_stays(client, action, people, q2):
    changes.record_update(action, q2, by=people["admin"], status="G", progress="Admin's text.")
    client.force_login(people["lead"])
    # The lead opened the form before the administrator's save (version 0 = no update yet).
    response = client.post(update_url(action), {**UPDATE, "progress": "My careful words."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else" in page
    assert "My careful words." in page  # still on the screen
    assert "Admin&#x27;s text." in page  # theirs shown to compare
    assert ProgressUpdate.objects.get(action=action).progress == "Admin's text."


def test_last_periods_text_is_offered(client, action, people):
    changes.record_update(
        action,
        Period.objects.for_code("2019/20 Q1"),
        by=people["lead"],
        status="G",
        progress="Q1 words.",
    )
    client.force_login(people["lead"])
    page = client.get(update_url(action)).content.decode()
    assert "Q1 words." in page and "filled this in with your 2019/20 Q1 update" in page


def test_the_summary_counts_and_percentages(client, plan, people, q2):
    section = SectionFactory(plan=plan, title="Finance")
    for n, status in enumerate(["G", "G", "G", "A"]):
        a = ActionFactory(section=section, ref=f"F{n}")
        update = changes.record_update(a, q2, by=people["admin"], status=status, progress="x")
        changes.approve_update(update, by=people["admin"])
    client.force_login(people["admin"])
    page = client.get(plan.get_absolute_url() + "?period=2019/20 Q2").content.decode()
    cells = re.findall(r'data-status="(\w+)"[^>]*>(\d+) <span[^>]*>\((\d+)%\)', page)
    assert ("G", "3", "75") in cells and ("A", "1", "25") in cells and ("R", "0", "0") in cells


def test_the_plan_page_does_not_query_per_action(client, plan, people, q2):
    section = SectionFactory(plan=plan)

    def count_for(n):
        for i in range(n):
            a = ActionFactory(section=section, ref=f"Q{n}-{i}")
            MilestoneFactory(action=a)
            changes.record_update(a, q2, by=people["admin"], status="G", progress="x")
        client.force_login(people["admin"])
        with CaptureQueriesContext(connection) as queries:
            client.get(plan.get_absolute_url() + "?period=2019/20 Q2")
        return len(queries)

    assert count_for(2) == count_for(10)


def test_it_exports_csv_and_excel_with_the_latest_update(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="R", progress="Late.")
    changes.approve_update(update, by=people["admin"])
    client.force_login(people["admin"])
    base = reverse("plans:export", args=[action.plan.code, "csv"]) + "?period=2019/20 Q2"
    rows = list(csv.DictReader(io.StringIO(client.get(base).content.decode())))
    assert [(r["Ref"], r["Status"], r["Progress to date"]) for r in rows] == [
        ("IP40", "Red", "Late.")
    ]
    xlsx = client.get(base.replace("export.csv", "export.xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][1] == "IP40"
    assert "Red" in [c.value for c in sheet[2]]


def test_an_approver_of_the_partner_approves(client, lbh_action, people, q2):
    update = changes.record_update(lbh_action, q2, by=people["lead"], status="G", progress="x")
    client.force_login(people["reader"])  # Bexley: does not see a Havering-only action
    url = reverse("plans:approve", args=[update.pk])
    assert client.post(url, {"version": update.version}).status_code == 404
    client.force_login(people["approver"])  # Havering
    assert client.post(url, {"version": update.version}).status_code == 302
    update.refresh_from_db()
    assert (update.state, update.approved_by) == ("approved", people["approver"])


def test_my_updates_due_lists_what_the_lead_leads(client, action, lbh_action, people):
    client.force_login(people["lead"])
    page = client.get(reverse("home")).content.decode()
    assert "IP40" in page and "IP23" in page
    client.force_login(people["other_lead"])
    assert "IP40" not in client.get(reverse("home")).content.decode()


def glance(client, plan) -> dict[str, str]:
    """Status word → count from the home page's "Plans at a glance" row of the plan."""
    page = client.get(reverse("home")).content.decode()
    cell = re.search(rf'data-plan="{plan.code}">(.*?)</td>', page, re.S).group(1)
    return dict(re.findall(r'data-status="[^"]*">\s*<strong[^>]*>([^<]+)</strong>\s*(\d+)', cell))


def test_plans_at_a_glance_count_only_what_the_user_may_see(client, action, lbh_action, people, q2):
    for item, status in [(action, "G"), (lbh_action, "R")]:
        update = changes.record_update(item, q2, by=people["lead"], status=status, progress="x")
        changes.approve_update(update, by=people["admin"])
    PlanPeriod.objects.create(plan=action.plan, period=q2, state="published")
    client.force_login(people["admin"])
    assert glance(client, action.plan) == {"Green": "1", "Red": "1"}
    client.force_login(people["reader"])  # Bexley: the Havering-only action is not theirs
    assert glance(client, action.plan) == {"Green": "1"}


def test_a_revised_deadline_shows_with_the_original(client, action, people):
    from datetime import date

    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Awaiting O&S."
    )
    client.force_login(people["approver"])
    response = client.post(
        reverse("plans:decide", args=[revision.pk]),
        {
            "decision": "agreed",
            "board": "BV Programme Board",
            "decided_on": "16/12/2015",
            "version": revision.version,
        },
    )
    assert response.status_code == 302
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Mar-16 (Oct-15)" in page
    assert "BV Programme Board" in page


def test_save_and_next_walks_the_lead_through_their_due_updates(client, action, lbh_action, people):
    client.force_login(people["lead"])
    first = client.post(update_url(action), {**UPDATE, "and_next": "1"})
    assert first.status_code == 302
    assert first.url == update_url(lbh_action) + "?period=2019%2F20+Q2"
    last = client.post(update_url(lbh_action), {**UPDATE, "and_next": "1"}, follow=True)
    assert last.redirect_chain[-1][0] == reverse("home")
    assert "You have given all your Improvement Plan updates for 2019/20 Q2." in (
        last.content.decode()
    )
    assert ProgressUpdate.objects.filter(submitted_by=people["lead"]).count() == 2


def test_updates_due_take_the_same_queries_however_many_items(client, action, people):
    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        return len(queries)

    client.force_login(people["lead"])
    few = home_queries()
    for n in range(8):
        ActionFactory(
            section=action.section, ref=f"IP9{n}", lead_posts=[people["lead"].posts.get()]
        )
    assert home_queries() == few


def test_updates_due_leave_out_what_was_completed_and_flag_what_was_returned(
    client, action, lbh_action, people, q2
):
    q1 = Period.objects.for_code("2019/20 Q1")
    done = changes.record_update(lbh_action, q1, by=people["lead"], status="B", progress="Done.")
    changes.approve_update(done, by=people["admin"])  # only an approved completion counts
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    changes.return_update(update, by=people["admin"], reason="Say more.")
    client.force_login(people["lead"])
    page = client.get(reverse("home")).content.decode()
    due = page[page.index("Your updates due") : page.index("Plans at a glance")]
    assert "IP40" in due and "Returned" in due
    assert "IP23" not in due  # completed in Q1
