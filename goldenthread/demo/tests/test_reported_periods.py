"""The demo's plans open as the seeds report them: IP1920's 2019/20 Q1 and the Best Value
six-month report published, the next rounds open; a Bexley councillor's home page counts
the published quarter however the open round goes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from goldenthread.core.models import Period
from goldenthread.demo import loader
from goldenthread.plans import changes, reading
from goldenthread.plans.models import Action, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        by = get_user_model().objects.create(username="periods-test-loader")
        loader.load_organisations(by)
        for name, period in loader.PLAN_FILES.items():
            loader.load_plan(name, by, reporting_period=period)
        loader.load_people("pw-for-tests-0")
        yield
        transaction.set_rollback(True)


def states(code: str) -> dict[str, str]:
    return {p.period.code: p.state for p in reading.plan_periods(Plan.objects.get(code=code))}


def test_each_plan_opens_with_its_reported_period_published(demo):
    assert states("IP1920") == {"2019/20 Q1": "published", "2019/20 Q2": "open"}
    assert states("BVAP") == {"2015/16 Q3": "published", "2015/16 Q4": "open"}
    assert states("PP-CLGF") == {"2018/19 Q1": "open"}


def test_a_bexley_councillor_keeps_the_published_quarter_when_a_lead_saves_q2(demo):
    user = get_user_model()
    councillor = user.objects.get(username="cllr.bexley")
    plan = Plan.objects.get(code="IP1920")
    from goldenthread.plans import access

    def glance():
        (found,) = [
            g
            for g in reading.at_a_glance(
                access.visible_plans(councillor),
                access.visible_actions(councillor),
                user=councillor,
            )
            if g.plan.code == "IP1920"
        ]
        return found

    before = glance()
    assert before.period.code == "2019/20 Q1" and not before.draft
    assert before.summary.reported == before.summary.total > 0
    action = Action.objects.filter(plan=plan, all_partners=True).first()
    changes.record_update(
        action,
        Period.objects.for_code("2019/20 Q2"),
        by=user.objects.get(username="performance"),
        status="R",
        progress="A Q2 draft.",
    )
    councillor.__dict__.pop("_gt_grants", None)
    after = glance()
    assert after.period.code == "2019/20 Q1"
    assert after.summary == before.summary
    assert reading.default_period(Plan.objects.get(code="IP1920"), councillor).code == "2019/20 Q1"
