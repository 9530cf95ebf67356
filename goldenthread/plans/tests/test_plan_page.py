"""The plan page: filters, search, sort, pages and exports of the filtered view, per role."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from goldenthread.core.models import Period
from goldenthread.plans import access, changes, listing, listing_rules, periods, reading
from goldenthread.plans.models import Action
from tests.factories import ActionFactory, MilestoneFactory, PlanFactory, SectionFactory

Q2 = "2019/20 Q2"


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")


@pytest.fixture
def q2(db):
    return Period.objects.for_code(Q2)


def report(action, period, by, status, progress="x", *, approver=None, returned_by=None):
    update = changes.record_update(action, period, by=by, status=status, progress=progress)
    if approver is not None:
        changes.approve_update(update, by=approver)
    if returned_by is not None:
        changes.return_update(update, by=returned_by, reason="Say more.")
    return update


@pytest.fixture
def board(plan, people, partners, q1, q2):
    """Five actions in two services, Q1 published and Q2 open:

    IP40 Red (approved), IP41 (Havering) awaiting approval, IP50 (Bexley) returned and
    past its target, IP51 complete in Q1 with no Q2 update, IP52 never updated.
    """
    admin, lead = people["admin"], people["lead"]
    post = lead.posts.get()
    ict = SectionFactory(plan=plan, title="ICT", order=1)
    hr = SectionFactory(plan=plan, title="HR", order=2)
    a = {
        "IP40": ActionFactory(section=ict, ref="IP40", lead_posts=[post], order=1),
        "IP41": ActionFactory(
            section=ict, ref="IP41", partner_list=[partners["LBH"]], order=2, lead="Head of Data"
        ),
        "IP50": ActionFactory(
            section=hr,
            ref="IP50",
            partner_list=[partners["LBB"]],
            target_date=date(2019, 8, 1),
            order=3,
        ),
        "IP51": ActionFactory(section=hr, ref="IP51", target_date=date(2019, 6, 1), order=4),
        "IP52": ActionFactory(
            section=hr, ref="IP52", title="Move payroll to Oracle Fusion", order=5
        ),
    }
    periods.open_period(plan, q1, None, by=admin)
    for ref in ("IP40", "IP51"):
        report(a[ref], q1, lead, "G" if ref == "IP40" else "B", approver=admin)
    periods.publish_period(plan, q1, by=admin, confirmed=True)
    periods.open_period(plan, q2, None, by=admin)
    report(a["IP40"], q2, lead, "R", "Supplier delayed the network.", approver=admin)
    report(a["IP41"], q2, lead, "A", "Draft words of IP41.")
    report(a["IP50"], q2, lead, "G", returned_by=admin)
    return a


def page_of(client, plan, **params):
    response = client.get(plan.get_absolute_url(), {"period": Q2, **params})
    assert response.status_code == 200
    return response.content.decode()


def refs_on(page: str) -> list[str]:
    ids = [int(pk) for pk in re.findall(r'id="action-row-(\d+)"', page)]
    by_pk = dict(Action.objects.filter(pk__in=ids).values_list("pk", "ref"))
    return [by_pk[pk] for pk in ids]


def counts_on(page: str) -> dict[str, int]:
    """Whole-list status counts from the summary's last row."""
    return {k: int(v) for k, v in re.findall(r'data-whole="(\w+)"><strong>(\d+)</strong>', page)}


@pytest.mark.parametrize(
    "who, expected",
    [
        ("admin", ["IP40", "IP41", "IP50", "IP51", "IP52"]),
        ("lead", ["IP40", "IP41", "IP50", "IP51", "IP52"]),
        ("approver", ["IP40", "IP41", "IP51", "IP52"]),  # Havering: not Bexley's IP50
    ],
)
def test_each_role_sees_the_items_concerning_them(client, board, people, who, expected):
    client.force_login(people[who])
    assert refs_on(page_of(client, board["IP40"].plan)) == expected


def test_a_reader_sees_their_partners_items_in_the_published_period(client, board, people):
    client.force_login(people["reader"])  # Bexley
    plan = board["IP40"].plan
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Quarter 1" in page and "Draft" not in page
    assert refs_on(page) == ["IP40", "IP50", "IP51", "IP52"]  # not Havering's IP41
    assert "Supplier delayed" not in page  # Q2's words are not reported yet
    assert client.get(plan.get_absolute_url(), {"period": Q2}).status_code == 404


def test_the_draft_round_is_marked_for_those_who_work_on_it(client, board, people):
    client.force_login(people["admin"])
    assert "Draft – not yet reported" in page_of(client, board["IP40"].plan)


@pytest.mark.parametrize("who, shown", [("admin", True), ("approver", True), ("lead", False)])
def test_unapproved_words_show_only_to_those_who_may_read_the_draft(
    client, board, people, who, shown
):
    """The lead leads IP40, not IP41; Havering's approver approves IP41."""
    client.force_login(people[who])
    page = page_of(client, board["IP40"].plan)
    assert ("Draft words of IP41." in page) is shown
    assert "Supplier delayed the network." in page  # approved: everyone who sees Q2


def test_only_approved_updates_count_with_their_status(client, board, people):
    client.force_login(people["admin"])
    page = page_of(client, board["IP40"].plan)
    assert counts_on(page) == {
        "G": 0,
        "A": 0,
        "R": 1,
        "B": 1,
        "awaiting": 1,
        "returned": 1,
        "none": 1,
    }


def test_the_counts_agree_with_the_reading_module(client, board, people, q2):
    """The database's counts are those of reading.plan_sections, row by row."""
    plan = board["IP40"].plan
    for who in ("admin", "reader", "approver"):
        user = people[who]
        visible = access.visible_actions(user)
        sections = reading.plan_sections(plan, q2, visible, user=user)
        expected = reading.plan_summary(plan, sections)
        found = listing.listing(
            plan,
            q2,
            visible,
            listing_rules.ListQuery(),
            today=date.today(),
            sections=list(plan.sections.all()),
            user=user,
        )
        assert [(r.status.code, r.count) for r in found.summary.whole.columns] == [
            (r.status.code, r.count) for r in expected.columns
        ], who
        assert (found.summary.overdue, found.summary.stale) == (expected.overdue, expected.stale)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "R"}, ["IP40"]),
        ({"status": ["awaiting", "returned"]}, ["IP41", "IP50"]),
        ({"status": "none"}, ["IP52"]),
        ({"status": "B"}, ["IP51"]),
        ({"overdue": "1"}, ["IP50"]),
        ({"stale": "1"}, ["IP41", "IP50", "IP52"]),
        ({"partner": "LBB"}, ["IP40", "IP50", "IP51", "IP52"]),
        ({"q": "oracle"}, ["IP52"]),
        ({"q": "supplier network"}, ["IP40"]),  # the period's update's words
        ({"q": "head of data"}, ["IP41"]),  # every word, anywhere in the item
        ({"q": "data payroll"}, []),  # not both in one item
        ({"q": '"Head of Data"'}, ["IP41"]),
    ],
)
def test_it_filters(client, board, people, params, expected):
    client.force_login(people["admin"])
    assert refs_on(page_of(client, board["IP40"].plan, **params)) == expected


def test_it_filters_by_section_and_lead(client, board, people):
    client.force_login(people["admin"])
    plan = board["IP40"].plan
    hr = board["IP50"].section
    assert refs_on(page_of(client, plan, section=hr.pk)) == ["IP50", "IP51", "IP52"]
    post = people["lead"].posts.get()
    assert refs_on(page_of(client, plan, lead=post.pk)) == ["IP40"]


def test_filters_combine_and_the_summary_counts_the_filtered_list(client, board, people):
    client.force_login(people["admin"])
    page = page_of(client, board["IP40"].plan, partner="LBB", stale="1")
    assert refs_on(page) == ["IP50", "IP52"]
    assert "2 actions match your filters" in page
    assert counts_on(page)["returned"] == 1 and counts_on(page)["none"] == 1


def test_it_sorts(client, board, people):
    client.force_login(people["admin"])
    plan = board["IP40"].plan
    assert refs_on(page_of(client, plan, sort="status")) == [
        "IP40",  # red
        "IP50",  # returned
        "IP41",  # awaiting approval
        "IP52",  # no update
        "IP51",  # complete
    ]
    assert refs_on(page_of(client, plan, sort="target"))[:2] == ["IP51", "IP50"]
    assert refs_on(page_of(client, plan, sort="-target"))[:2] == ["IP50", "IP51"]
    assert refs_on(page_of(client, plan, sort="title"))[-1] == "IP52"  # "Move payroll…"


def test_flags_and_the_last_reported_status_show_on_the_row(client, board, people):
    client.force_login(people["admin"])
    page = page_of(client, board["IP40"].plan)
    row = re.search(rf'id="action-row-{board["IP50"].pk}".*?</tr>', page, re.S).group(0)
    assert "Overdue" in row and "Stale" in row and "Returned" in row


def test_bad_filter_values_are_ignored_with_a_message(client, board, people):
    client.force_login(people["admin"])
    page = page_of(client, board["IP40"].plan, status="Purple", sort="price", page="x")
    assert "“Purple” is not a status of this plan" in page
    assert refs_on(page) == ["IP40", "IP41", "IP50", "IP51", "IP52"]


@pytest.mark.parametrize("period", ["2019/20 Q9", "nonsense", "2031/32 Q4"])
def test_a_bad_or_unseen_period_is_not_found(client, board, people, period):
    client.force_login(people["admin"])
    plan = board["IP40"].plan
    assert client.get(plan.get_absolute_url(), {"period": period}).status_code == 404


def test_an_htmx_request_gets_the_results_only(client, board, people):
    client.force_login(people["admin"])
    response = client.get(
        board["IP40"].plan.get_absolute_url(), {"period": Q2, "status": "R"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page and 'id="plan-filters"' not in page
    assert refs_on(page) == ["IP40"]


@pytest.fixture
def long_plan(people, q2):
    plan = PlanFactory(code="LONG", title="Long plan")
    section = SectionFactory(plan=plan, title="Everything")
    for n in range(120):
        ActionFactory(section=section, ref=f"L{n:03d}", order=n)
    return plan


def test_it_pages_by_fifty(client, long_plan, people):
    client.force_login(people["admin"])
    first = page_of(client, long_plan)
    assert refs_on(first) == [f"L{n:03d}" for n in range(50)]
    assert "showing 1 to 50, page 1 of 3" in first
    assert 'aria-label="Page 3"' in first and 'rel="next"' in first
    last = page_of(client, long_plan, page="3")
    assert refs_on(last) == [f"L{n:03d}" for n in range(100, 120)]
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_a_page_past_the_end_shows_the_last(client, long_plan, people):
    client.force_login(people["admin"])
    page = page_of(client, long_plan, page="9")
    assert "There are only 3 pages: showing the last." in page
    assert refs_on(page)[0] == "L100"


def test_page_links_keep_the_filters(client, long_plan, people):
    client.force_login(people["admin"])
    page = page_of(client, long_plan, status="none", sort="title")
    assert "?period=2019%2F20+Q2&amp;status=none&amp;sort=title&amp;page=2" in page


def test_the_plan_page_runs_the_same_queries_for_2_and_20_actions(client, people, q2, q1):
    def count_for(n):
        plan = PlanFactory(code=f"Q{n}")
        section = SectionFactory(plan=plan)
        for i in range(n):
            action = ActionFactory(section=section, ref=f"Q{n}-{i}")
            report(action, q1, people["admin"], "G", approver=people["admin"])
            report(action, q2, people["admin"], "A", approver=people["admin"] if i % 2 else None)
        client.force_login(people["admin"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(plan.get_absolute_url(), {"period": Q2})
        assert response.status_code == 200
        return len(queries)

    assert count_for(2) == count_for(20)


def export(client, plan, fmt, **params):
    url = reverse("plans:export", args=[plan.code, fmt])
    return client.get(url, {"period": Q2, **params})


def test_the_csv_export_is_the_filtered_view(client, board, people):
    client.force_login(people["admin"])
    plan = board["IP40"].plan
    page = page_of(client, plan, stale="1", partner="LBB")
    link = re.search(r'href="(/plans/IP/export\.csv\?[^"]+)"', page).group(1)
    response = client.get(link.replace("&amp;", "&"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["Ref"], r["Status"]) for r in rows] == [("IP50", "Returned"), ("IP52", "No update")]


def test_the_excel_export_is_the_filtered_view(client, board, people):
    client.force_login(people["admin"])
    response = export(client, board["IP40"].plan, "xlsx", status="R")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1] for row in values] == ["IP40"]
    assert "Red" in values[0]


def test_a_readers_export_holds_only_their_items(client, board, people):
    client.force_login(people["reader"])
    url = reverse("plans:export", args=[board["IP40"].plan.code, "csv"])
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    assert sorted({r["Ref"] for r in rows}) == ["IP40", "IP50", "IP51", "IP52"]


def test_an_export_with_a_bad_filter_is_refused(client, board, people):
    client.force_login(people["admin"])
    response = export(client, board["IP40"].plan, "csv", status="Purple")
    assert response.status_code == 400
    assert export(client, board["IP40"].plan, "pdf").status_code == 404


def test_a_milestone_plan_lists_milestones_not_yet_complete(client, people, q1, q2):
    plan = PlanFactory(code="BV", kind="best_value", status_scale="best_value")
    section = SectionFactory(plan=plan, title="Procurement")
    action = ActionFactory(section=section, ref="BV1", title="Procure well")
    done = MilestoneFactory(action=action, title="Done already", order=1)
    going = MilestoneFactory(action=action, title="Still going", order=2)
    report(done, q1, people["admin"], "Complete", approver=people["admin"])
    report(going, q2, people["admin"], "On Target", approver=people["admin"])
    client.force_login(people["admin"])
    page = page_of(client, plan)
    assert f'id="milestone-row-{going.pk}"' in page
    assert f'id="milestone-row-{done.pk}"' not in page
    assert "1 milestone" in page
    filtered = page_of(client, plan, status="none")
    assert "No milestones match these filters" in filtered
