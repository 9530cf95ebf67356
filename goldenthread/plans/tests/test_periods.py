"""A plan's periods: open → closed → published, audited; publishing an incomplete period
lists what is missing and needs a confirmation; the update round's buttons per role."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goldenthread.core.models import AuditEntry, Period
from goldenthread.plans import changes, periods, reading
from goldenthread.plans.models import PlanPeriod
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


@pytest.fixture
def three(action, people, q2):
    """Three actions in Q2: one approved Green, one returned Green, one with no update."""
    returned = ActionFactory(section=action.section, ref="IP41")
    ActionFactory(section=action.section, ref="IP42")
    approved = changes.record_update(action, q2, by=people["lead"], status="G", progress="On.")
    changes.approve_update(approved, by=people["admin"])
    sent = changes.record_update(returned, q2, by=people["admin"], status="G", progress="Hm.")
    changes.return_update(sent, by=people["admin"], reason="Evidence, please.")
    return action.plan


def test_the_open_period_is_open_until_anything_records_it(plan, q2):
    (only,) = reading.plan_periods(plan)
    assert only.period == q2 and only.state == "open" and only.pk is None


def test_completeness_lists_what_has_no_approved_update(three, q2):
    found = periods.completeness(three, q2)
    assert (found.total, found.missing) == (3, 2)
    assert dict(found.groups) == {
        "No update": ("IP42 " + three.actions.get(ref="IP42").title,),
        "Returned": ("IP41 " + three.actions.get(ref="IP41").title,),
    }
    assert found.counts == "2 of 3 actions: 1 no update, 1 returned"


def test_publishing_an_incomplete_period_needs_a_confirmation(three, q2, people):
    with pytest.raises(periods.IncompletePeriod) as refused:
        periods.publish_period(three, q2, by=people["admin"])
    assert refused.value.completeness.missing == 2
    assert not PlanPeriod.objects.filter(plan=three, state="published").exists()

    row = periods.publish_period(three, q2, by=people["admin"], confirmed=True)
    assert row.state == "published" and row.published_by == people["admin"]
    three.refresh_from_db()
    assert three.reporting_period is None  # publishing closed the round
    entry = AuditEntry.objects.get(object_id=row.pk, field="published although incomplete")
    assert entry.by == people["admin"]
    assert "2 of 3 actions" in entry.new and "IP41" in entry.new and "IP42" in entry.new


def test_a_complete_period_publishes_without_asking(action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="A", progress="x")
    changes.approve_update(update, by=people["admin"])
    row = periods.publish_period(action.plan, q2, by=people["admin"])
    assert row.is_published
    assert not AuditEntry.objects.filter(field="published although incomplete").exists()


def test_closing_ends_the_round_and_readers_still_see_the_last_published(action, people, q1, q2):
    PlanPeriod.objects.create(plan=action.plan, period=q1, state="published")
    row = periods.close_period(action.plan, q2, by=people["admin"])
    assert row.state == "closed" and row.closed_by == people["admin"]
    action.plan.refresh_from_db()
    assert action.plan.reporting_period is None
    assert reading.default_period(action.plan, people["reader"]) == q1
    with pytest.raises(ValidationError):
        periods.close_period(action.plan, q2, by=people["admin"])  # closed already


def test_opening_the_next_period_closes_the_open_one(action, people, q2):
    q3 = Period.objects.for_code("2019/20 Q3")
    periods.open_period(action.plan, q3, None, by=people["admin"])
    states = {p.period.code: p.state for p in reading.plan_periods(action.plan)}
    assert states == {"2019/20 Q2": "closed", "2019/20 Q3": "open"}
    action.plan.refresh_from_db()
    assert action.plan.reporting_period == q3 and action.plan.updates_due_by is not None


def test_a_published_period_is_not_opened_or_published_again(action, people, q2):
    periods.publish_period(action.plan, q2, by=people["admin"], confirmed=True)
    with pytest.raises(ValidationError):
        periods.open_period(action.plan, q2, None, by=people["admin"])
    with pytest.raises(ValidationError):
        periods.publish_period(action.plan, q2, by=people["admin"], confirmed=True)


# -- the pages ------------------------------------------------------------------------------


def publish_url(plan, period="2019/20 Q2"):
    return reverse("plans:publish_period", args=[plan.code]) + f"?period={period}"


@pytest.mark.parametrize(
    "who, expected", [("admin", 200), ("lead", 403), ("other_lead", 403), ("reader", 403)]
)
def test_only_administrators_may_publish_or_close(client, three, people, who, expected):
    client.force_login(people[who])
    assert client.get(publish_url(three)).status_code == expected
    close = reverse("plans:close_period", args=[three.code])
    response = client.post(close, {"period": "2019/20 Q2"})
    assert response.status_code == (302 if expected == 200 else expected)
    published = client.post(publish_url(three), {"period": "2019/20 Q2", "confirm": "on"})
    assert published.status_code == (302 if expected == 200 else expected)
    assert PlanPeriod.objects.filter(state="published").exists() is (expected == 200)


def test_the_publish_page_lists_the_missing_and_refuses_without_the_tick(client, three, people):
    client.force_login(people["admin"])
    page = client.get(publish_url(three)).content.decode()
    assert "2 of 3 actions: 1 no update, 1 returned" in page
    assert "IP41" in page and "IP42" in page and "IP40" not in page
    refused = client.post(publish_url(three), {"period": "2019/20 Q2"})
    assert refused.status_code == 400
    assert "Confirm that you want to publish" in refused.content.decode()
    assert not PlanPeriod.objects.filter(state="published").exists()
    done = client.post(publish_url(three), {"period": "2019/20 Q2", "confirm": "on"})
    assert done.status_code == 302
    assert PlanPeriod.objects.get(plan=three).state == "published"


@pytest.mark.parametrize("period", ["2019/20 Q9", "nonsense", "2031/32 Q4"])
def test_a_bad_or_unopened_period_is_not_found(client, three, people, period):
    client.force_login(people["admin"])
    assert client.get(publish_url(three, period)).status_code == 404
    close = reverse("plans:close_period", args=[three.code])
    assert client.post(close, {"period": period}).status_code == 404


def test_the_round_page_shows_each_periods_state(client, action, people, q1):
    PlanPeriod.objects.create(plan=action.plan, period=q1, state="published")
    client.force_login(people["admin"])
    page = client.get(reverse("plans:round", args=[action.plan.code])).content.decode()
    assert 'data-period="2019/20 Q1"' in page and 'data-period="2019/20 Q2"' in page
    assert "Close 2019/20 Q2" in page and "Publish 2019/20 Q1" not in page


def test_a_get_never_publishes(client, three, people):
    client.force_login(people["admin"])
    client.get(publish_url(three) + "&confirm=on")
    assert not PlanPeriod.objects.filter(state="published").exists()
