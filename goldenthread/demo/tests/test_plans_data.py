"""The demo plans equal the seed papers where the papers are consistent."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from goldenthread.core.models import CorporatePriority, Organisation, Period
from goldenthread.demo import loader
from goldenthread.plans import reading
from goldenthread.plans.models import Action, Milestone, Plan, ProgressUpdate


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        by = get_user_model().objects.create(username="loader-for-tests")
        loader.load_organisations(by)
        for name, period in loader.PLAN_FILES.items():
            loader.load_plan(name, by, reporting_period=period)
        yield
        call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


def q1_summary_by_service(demo):
    plan = Plan.objects.get(code="IP1920")
    sections = reading.plan_sections(plan, Period.objects.for_code("2019/20 Q1"), Action.objects)
    return {v.section.title: v.summary for v in sections}


def test_the_partnership_is_loaded(demo):
    codes = dict(Organisation.objects.values_list("code", "gss_code"))
    assert codes["LBH"] == "E09000016" and codes["LBN"] == "E09000025"
    assert codes["LBB"] == "E09000004"
    bexley = Organisation.objects.get(code="LBB")
    assert not bexley.takes_all_services
    assert sorted(bexley.services.values_list("code", flat=True)) == ["ET", "FP"]
    assert CorporatePriority.objects.filter(organisation__code="LBN").count() == 6
    assert CorporatePriority.objects.filter(organisation__code="LBB").count() == 5
    assert CorporatePriority.objects.filter(organisation__code="LBH").count() == 4


def test_the_improvement_plan_has_its_45_actions_with_q1_updates(demo):
    actions = Action.objects.filter(plan__code="IP1920")
    assert actions.count() == 45
    assert [a.ref for a in actions.order_by("ref")] == [f"IP{n:02d}" for n in range(1, 46)]
    q1 = ProgressUpdate.objects.filter(
        action__plan__code="IP1920", period__year=2019, period__kind="quarter", period__number=1
    )
    assert q1.count() == 45


def test_the_q1_summary_matches_the_seeds_own_where_consistent(demo):
    summary = q1_summary_by_service(demo)
    all_services = summary["All Services"]
    assert (all_services.total, all_services.count("G")) == (13, 13)
    assert [r.percent for r in all_services.rows if r.status.code == "G"] == [100]
    assets = summary["Asset Management"]
    assert (assets.total, assets.count("G")) == (7, 7)
    finance = summary["Finance and Procurement"]
    assert (finance.total, finance.count("G"), finance.count("A")) == (8, 4, 4)
    assert [r.percent for r in finance.rows if r.status.code in "GA"] == [50, 50]
    ict = summary["ICT"]
    assert (ict.total, ict.count("G"), ict.count("A")) == (9, 6, 3)
    assert [r.percent for r in ict.rows if r.status.code in "GA"] == [67, 33]


def test_the_summary_counts_equal_the_rows_loaded(demo):
    for title, summary in q1_summary_by_service(demo).items():
        statuses = list(
            ProgressUpdate.objects.filter(
                action__section__title=title, action__plan__code="IP1920"
            ).values_list("status", flat=True)
        )
        for row in summary.rows:
            assert row.count == statuses.count(row.status.code), title


def test_partners_are_as_the_plan_says(demo):
    ip16 = Action.objects.get(plan__code="IP1920", ref="IP16")
    assert ip16.partner_label == "LBB"
    assert Action.objects.get(plan__code="IP1920", ref="IP14").partner_label == "LBH/LBN"
    assert Action.objects.get(plan__code="IP1920", ref="IP01").partner_label == "ALL"


@pytest.mark.parametrize(
    "area, shown, not_shown",
    [
        ("Procurement", 11, 15),
        ("Grants", 18, 17),
        ("Property", 13, 24),
        ("Communications", 7, 23),
        ("Organisational Culture", 6, 35),
    ],
)
def test_best_value_areas_count_as_the_paper_does(demo, area, shown, not_shown):
    plan = Plan.objects.get(code="BVAP")
    views = reading.plan_sections(plan, Period.objects.for_code("2015/16 Q3"), Action.objects)
    view = next(v for v in views if v.section.title == area)
    assert view.section.overall_status == "GREEN"
    assert (view.milestones_shown, view.milestones_completed_not_shown) == (shown, not_shown)


def test_revised_deadlines_print_with_the_original(demo):
    forum = Milestone.objects.get(title__startswith="Develop Mayor and cross-party consultation")
    assert forum.deadline_label == "Mar-16 (Oct-15)"
    assert forum.updates.get().status == "Revised Date Proposed"
    strategy = Milestone.objects.get(title__startswith="New three year Procurement Strategy")
    assert (strategy.deadline, strategy.original_deadline) == (
        date(2016, 4, 30),
        date(2015, 12, 31),
    )
    revision = strategy.revisions.get()
    assert (revision.board, revision.decided_on) == ("BV Programme Board", date(2015, 12, 16))


def test_the_programme_plan_is_grouped_by_workstream(demo):
    plan = Plan.objects.get(code="PP-CLGF")
    assert plan.sections.count() == 5
    assert plan.actions.count() == 45
    first = plan.actions.order_by("order").first()
    assert first.start_date == date(2018, 2, 1) and first.target_date == date(2018, 7, 31)
    assert first.lead == "CE"


def test_the_procurement_outcome_measures_are_held(demo):
    from goldenthread.plans.models import OutcomeMeasure

    measures = OutcomeMeasure.objects.filter(section__title="Procurement")
    assert measures.count() == 7
    assert measures.values("group").distinct().count() == 3
    assert measures.first().date_text == "April 16"


@pytest.mark.parametrize("code", ["IP1920", "BVAP", "PP-CLGF"])
@pytest.mark.parametrize("partner", [None, "LBB", "LBH"])
def test_the_home_pages_glance_counts_what_the_plan_page_counts(demo, code, partner):
    from django.db.models import Q

    plan = Plan.objects.get(code=code)
    period = reading.default_period(plan)
    actions = Action.objects.all()
    if partner:
        actions = actions.filter(Q(all_partners=True) | Q(partners__code=partner)).distinct()
    page = reading.plan_summary(plan, reading.plan_sections(plan, period, actions))
    glance = reading.glance_summary(plan, period, actions)
    assert glance == page
    assert glance.total > 0
