"""Approvers act only within their organisation's scope.

A plan owned by another council (the Best Value plan, Tower Hamlets') is that council's
approvers' alone: Havering's and Bexley's approvers can neither see, approve nor decide
anything of it. On a shared-service plan an approver acts on what concerns their partner.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from goldenthread.core.models import Period
from goldenthread.plans import access, changes
from goldenthread.plans.models import DeadlineRevision, Plan, ProgressUpdate
from tests.factories import (
    ActionFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    SectionFactory,
    UserFactory,
    grant,
)


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


@pytest.fixture
def approvers(people, partners):
    """Havering's (from ``people``), Bexley's and Tower Hamlets' approvers."""
    lbth = OrganisationFactory(code="LBTH", name="Tower Hamlets")
    bexley = UserFactory(username="s151.bexley")
    grant(bexley, "approver", partners["LBB"])
    grant(bexley, "reader", partners["LBB"])
    towerhamlets = UserFactory(username="s151.towerhamlets")
    grant(towerhamlets, "approver", lbth)
    grant(towerhamlets, "reader", lbth)
    havering = people["approver"]
    grant(havering, "reader", partners["LBH"])
    return {"havering": havering, "bexley": bexley, "towerhamlets": towerhamlets, "lbth": lbth}


@pytest.fixture
def bvap(approvers, people, q2):
    """Tower Hamlets' Best Value plan: a milestone with a submitted update and a proposed date."""
    plan = PlanFactory(
        code="BVAP",
        title="Best Value Action Plan",
        kind=Plan.Kind.BEST_VALUE,
        status_scale=Plan.Scale.BEST_VALUE,
        owner=approvers["lbth"],
    )
    section = SectionFactory(plan=plan, title="Procurement")
    action = ActionFactory(section=section, ref="P1", lead_posts=[people["lead"].posts.get()])
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    update = changes.record_update(
        milestone, q2, by=people["lead"], status="On Target", progress="Tender out."
    )
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Awaiting O&S."
    )
    return {"plan": plan, "action": action, "update": update, "revision": revision}


def _decide(revision: DeadlineRevision) -> dict:
    return {
        "decision": "agreed",
        "board": "BV Programme Board",
        "decided_on": "16/12/2015",
        "version": revision.version,
    }


@pytest.mark.parametrize("who", ["havering", "bexley"])
def test_another_councils_approver_cannot_see_the_plan(client, approvers, bvap, who):
    client.force_login(approvers[who])
    assert client.get(bvap["plan"].get_absolute_url()).status_code == 404
    assert client.get(bvap["action"].get_absolute_url()).status_code == 404
    assert client.get(reverse("plans:decide", args=[bvap["revision"].pk])).status_code == 404


@pytest.mark.parametrize("who", ["havering", "bexley"])
def test_another_councils_approver_is_not_asked_to_decide(client, approvers, bvap, who):
    client.force_login(approvers[who])
    page = client.get(reverse("plans:approvals")).content.decode()
    assert "Tender out." not in page
    assert "Best Value Action Plan" not in page
    assert reverse("plans:decide", args=[bvap["revision"].pk]) not in page
    assert not access.updates_awaiting_approval(approvers[who]).exists()
    assert not access.revisions_awaiting_decision(approvers[who]).exists()


@pytest.mark.parametrize("who", ["havering", "bexley"])
def test_another_councils_approver_cannot_approve_or_return(client, approvers, bvap, who):
    update = bvap["update"]
    client.force_login(approvers[who])
    url = reverse("plans:approve", args=[update.pk])
    assert client.post(url, {"version": update.version}).status_code == 404
    assert (
        client.post(url, {"version": update.version, "return": "1", "reason": "No."}).status_code
        == 404
    )
    update.refresh_from_db()
    assert (update.state, update.approved_by) == (ProgressUpdate.State.SUBMITTED, None)


@pytest.mark.parametrize("who", ["havering", "bexley"])
def test_another_councils_approver_cannot_decide_a_date(client, approvers, bvap, who):
    revision = bvap["revision"]
    client.force_login(approvers[who])
    response = client.post(reverse("plans:decide", args=[revision.pk]), _decide(revision))
    assert response.status_code == 404
    revision.refresh_from_db()
    assert revision.decision == DeadlineRevision.Decision.PROPOSED


@pytest.mark.parametrize("who", ["havering", "bexley"])
def test_the_action_functions_refuse_them_too(approvers, bvap, who):
    with pytest.raises(PermissionDenied):
        changes.approve_update(bvap["update"], by=approvers[who], expected_version=1)
    with pytest.raises(PermissionDenied):
        changes.decide_revision(
            bvap["revision"],
            by=approvers[who],
            agreed=True,
            board="Board",
            decided_on=date(2015, 12, 16),
        )


def test_the_plans_own_approver_sees_and_approves(client, approvers, bvap):
    client.force_login(approvers["towerhamlets"])
    assert client.get(bvap["action"].get_absolute_url()).status_code == 200
    page = client.get(reverse("plans:approvals")).content.decode()
    assert "Best Value Action Plan" in page and "Tender out." in page
    update = bvap["update"]
    response = client.post(reverse("plans:approve", args=[update.pk]), {"version": update.version})
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.state, update.approved_by) == ("approved", approvers["towerhamlets"])


def test_the_plans_own_approver_decides_a_date(client, approvers, bvap):
    revision = bvap["revision"]
    client.force_login(approvers["towerhamlets"])
    assert client.get(reverse("plans:decide", args=[revision.pk])).status_code == 200
    response = client.post(reverse("plans:decide", args=[revision.pk]), _decide(revision))
    assert response.status_code == 302
    revision.refresh_from_db()
    assert (revision.decision, revision.decided_by) == ("agreed", approvers["towerhamlets"])


def test_an_administrator_acts_on_any_plan(client, people, bvap):
    client.force_login(people["admin"])
    update = bvap["update"]
    response = client.post(reverse("plans:approve", args=[update.pk]), {"version": update.version})
    assert response.status_code == 302


def test_a_lead_sees_but_may_not_approve(client, people, bvap):
    client.force_login(people["other_lead"])
    update = bvap["update"]
    assert client.get(bvap["action"].get_absolute_url()).status_code == 200
    response = client.post(reverse("plans:approve", args=[update.pk]), {"version": update.version})
    assert response.status_code == 403
    revision = bvap["revision"]
    assert (
        client.post(reverse("plans:decide", args=[revision.pk]), _decide(revision)).status_code
        == 403
    )


def test_the_towerhamlets_approver_acts_on_nothing_of_the_shared_service(
    client, approvers, lbh_action, people, q2
):
    update = changes.record_update(lbh_action, q2, by=people["lead"], status="G", progress="x")
    client.force_login(approvers["towerhamlets"])
    response = client.post(reverse("plans:approve", args=[update.pk]), {"version": update.version})
    assert response.status_code == 404
    assert not access.updates_awaiting_approval(approvers["towerhamlets"]).exists()


def test_on_a_shared_plan_an_approver_acts_for_their_partner(
    client, approvers, action, lbh_action, people, q2
):
    for_all = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    for_lbh = changes.record_update(lbh_action, q2, by=people["lead"], status="G", progress="y")
    assert set(access.updates_awaiting_approval(approvers["bexley"])) == {for_all}
    assert set(access.updates_awaiting_approval(approvers["havering"])) == {for_all, for_lbh}
    client.force_login(approvers["bexley"])
    url = reverse("plans:approve", args=[for_lbh.pk])
    assert client.post(url, {"version": for_lbh.version}).status_code == 404
    url = reverse("plans:approve", args=[for_all.pk])
    assert client.post(url, {"version": for_all.version}).status_code == 302


def test_a_councils_own_plan_is_not_approved_by_partner_approvers_even_for_all(
    approvers, partners, people, q2
):
    """A plan Havering owns: Havering's approver acts on it; the Tower Hamlets one does not."""
    plan = PlanFactory(code="LBHP", owner=partners["LBH"])
    own = ActionFactory(section=SectionFactory(plan=plan), ref="H1")
    assert access.can_approve(approvers["havering"], own)
    assert not access.can_approve(approvers["bexley"], own)
    assert not access.can_approve(approvers["towerhamlets"], own)


def test_a_revised_date_goes_to_the_board_that_decided_the_plans_last(
    client, approvers, bvap, people
):
    """The decision form offers the board that decided this plan's previous revised date."""
    first = bvap["revision"]
    changes.decide_revision(
        first,
        by=approvers["towerhamlets"],
        agreed=False,
        board="BV Programme Board",
        decided_on=date(2015, 12, 16),
    )
    second = changes.propose_revision(
        first.milestone, by=people["lead"], proposed_date=date(2016, 5, 31), reason="Again."
    )
    client.force_login(approvers["towerhamlets"])
    page = client.get(reverse("plans:decide", args=[second.pk])).content.decode()
    assert 'value="BV Programme Board"' in page


def test_an_approver_for_every_partner_acts_on_the_shared_service_only(
    approvers, bvap, action, lbh_action
):
    everyone = UserFactory(username="approver_all")
    grant(everyone, "approver")
    assert access.can_approve(everyone, action) and access.can_approve(everyone, lbh_action)
    assert not access.can_approve(everyone, bvap["action"])
    assert not access.revisions_awaiting_decision(everyone).exists()
