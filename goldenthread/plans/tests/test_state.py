"""One state machine for an update and a revised date: each walk-around refused.

draft → submitted → approved or returned → (returned) resubmitted → …
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goldenthread.core.models import AuditEntry, Period
from goldenthread.plans import changes
from goldenthread.plans.models import DeadlineRevision, ProgressUpdate
from tests.factories import MilestoneFactory, UserFactory, grant

UPDATE = {"status": "A", "percent_complete": "40", "progress": "Recruiting.", "version": "0"}


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


@pytest.fixture
def second_approver(partners):
    user = UserFactory(username="second_approver")
    grant(user, "approver", partners["LBH"])
    return user


def approve_url(update: ProgressUpdate) -> str:
    return reverse("plans:approve", args=[update.pk])


def update_url(action) -> str:
    return reverse("plans:update", args=["action", action.pk])


def test_a_returned_update_cannot_be_approved_until_resubmitted(
    client, action, people, second_approver, q2
):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    update = changes.return_update(update, by=people["approver"], reason="Say more.")
    client.force_login(second_approver)
    response = client.post(approve_url(update), {"version": update.version})
    assert response.status_code == 409
    assert "returned to its lead" in response.content.decode()
    update.refresh_from_db()
    assert (update.state, update.approved_by) == ("returned", None)


def test_approving_twice_is_refused_and_keeps_the_first_approver(
    client, action, people, second_approver, q2
):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    client.force_login(people["approver"])
    assert client.post(approve_url(update), {"version": update.version}).status_code == 302
    update.refresh_from_db()
    client.force_login(second_approver)
    response = client.post(approve_url(update), {"version": update.version})
    assert response.status_code == 409
    assert "already been approved" in response.content.decode()
    update.refresh_from_db()
    assert update.approved_by == people["approver"]


def test_returning_an_approved_update_is_refused(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    update = changes.approve_update(update, by=people["approver"], expected_version=1)
    client.force_login(people["approver"])
    response = client.post(
        approve_url(update), {"version": update.version, "return": "1", "reason": "Hmm."}
    )
    assert response.status_code == 409
    update.refresh_from_db()
    assert update.state == "approved"


def test_text_changed_after_the_approver_read_it_is_not_approved(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="Old.")
    read = update.version  # the approver opens the approvals page here
    changes.record_update(
        action, q2, by=people["lead"], status="R", progress="New <b>words</b>.", expected_version=1
    )
    client.force_login(people["approver"])
    response = client.post(approve_url(update), {"version": read})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed after you opened it" in page
    assert "New &lt;b&gt;words&lt;/b&gt;." in page  # the new text, shown and escaped
    update.refresh_from_db()
    assert update.state == "submitted"


def test_a_return_on_changed_text_is_refused_too(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="Old.")
    changes.record_update(
        action, q2, by=people["lead"], status="R", progress="New.", expected_version=1
    )
    client.force_login(people["approver"])
    response = client.post(approve_url(update), {"version": 1, "return": "1", "reason": "Why?"})
    assert response.status_code == 409
    update.refresh_from_db()
    assert (update.state, update.return_reason) == ("submitted", "")


def test_an_approval_without_the_version_read_is_a_bad_request(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    client.force_login(people["approver"])
    assert client.post(approve_url(update)).status_code == 400
    assert client.post(approve_url(update), {"version": "two"}).status_code == 400
    update.refresh_from_db()
    assert update.state == "submitted"


def test_a_returned_update_is_resubmitted_then_approved(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    update = changes.return_update(update, by=people["approver"], reason="Say more.")
    client.force_login(people["lead"])
    response = client.post(
        update_url(action), {**UPDATE, "progress": "More.", "version": update.version}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.state, update.return_reason, update.returned_by) == ("submitted", "", None)
    client.force_login(people["approver"])
    assert client.post(approve_url(update), {"version": update.version}).status_code == 302
    update.refresh_from_db()
    assert update.state == "approved"
    # The audit keeps the return and its reason after the resubmission.
    assert AuditEntry.objects.filter(
        object_id=update.pk, field="returned because", new="Say more."
    ).exists()


def test_an_approved_update_of_a_closed_period_cannot_be_saved_over(client, action, people, q1, q2):
    plan = action.plan
    plan.reporting_period = q1
    plan.save()
    update = changes.record_update(action, q1, by=people["lead"], status="G", progress="Q1.")
    changes.approve_update(update, by=people["approver"], expected_version=1)
    plan.reporting_period = q2  # Q1 closes; Q2 opens
    plan.save()
    client.force_login(people["lead"])
    response = client.post(
        update_url(action) + "?period=2019/20 Q1",
        {**UPDATE, "period": "2019/20 Q1", "version": "2"},
    )
    assert response.status_code == 404
    update.refresh_from_db()
    assert (update.state, update.progress) == ("approved", "Q1.")
    action.plan.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        changes.record_update(
            action, q1, by=people["lead"], status="R", progress="Rewritten.", expected_version=2
        )
    assert "correction" in refused.value.message_dict["period"][0]


def test_an_approved_update_of_the_open_period_goes_back_for_approval(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    changes.approve_update(update, by=people["approver"], expected_version=1)
    client.force_login(people["lead"])
    form = client.get(update_url(action)).content.decode()
    assert 'data-testid="approved-notice"' in form and "goes back for approval" in form
    update = changes.record_update(
        action, q2, by=people["lead"], status="A", progress="Slipping.", expected_version=2
    )
    assert (update.state, update.approved_by) == ("submitted", None)


@pytest.mark.parametrize("period", ["2001/02 Q1", "2031/32 Q4", "2019/20 Q1", "2019/20 Q3"])
def test_updates_are_accepted_only_for_the_open_period(client, action, people, period):
    client.force_login(people["lead"])
    assert client.get(update_url(action) + f"?period={period}").status_code == 404
    response = client.post(update_url(action), {**UPDATE, "period": period})
    assert response.status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_a_plan_with_no_open_period_takes_no_update(client, action, people):
    action.plan.reporting_period = None
    action.plan.save()
    client.force_login(people["lead"])
    assert client.post(update_url(action), UPDATE).status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_a_revised_date_is_decided_once(client, action, people, second_approver):
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Late."
    )
    url = reverse("plans:decide", args=[revision.pk])
    form = {"decision": "agreed", "board": "Board", "decided_on": "16/12/2015", "version": "1"}
    client.force_login(people["approver"])
    assert client.post(url, form).status_code == 302
    client.force_login(second_approver)
    response = client.post(url, {**form, "decision": "rejected"})
    assert response.status_code == 409
    assert "already been decided" in response.content.decode()
    revision.refresh_from_db()
    assert (revision.decision, revision.decided_by) == ("agreed", people["approver"])


def test_a_decision_on_a_stale_version_is_refused(action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Late."
    )
    with pytest.raises(changes.ApprovalConflict):
        changes.decide_revision(
            revision,
            by=people["approver"],
            agreed=True,
            board="Board",
            decided_on=date(2015, 12, 16),
            expected_version=7,
        )
    revision.refresh_from_db()
    assert revision.decision == DeadlineRevision.Decision.PROPOSED


@pytest.fixture
def approved_q1(action, people, q1, q2):
    """An approved Q1 update of ``action``, recorded while Q1 was open; Q2 is open now."""
    plan = action.plan
    plan.reporting_period = q1
    plan.save()
    update = changes.record_update(action, q1, by=people["lead"], status="G", progress="Q1 text.")
    update = changes.approve_update(update, by=people["approver"], expected_version=1)
    plan.reporting_period = q2
    plan.save()
    return update


def correct_url(update) -> str:
    return reverse("plans:correct", args=[update.pk])


CORRECTION = {"status": "A", "percent_complete": "", "progress": "Q1 text, corrected."}


def test_a_correction_needs_a_reason_and_leaves_the_approved_update_standing(
    client, action, people, approved_q1
):
    client.force_login(people["lead"])
    page = client.get(action.get_absolute_url()).content.decode()
    assert correct_url(approved_q1) in page
    assert client.post(correct_url(approved_q1), CORRECTION).status_code == 400
    response = client.post(correct_url(approved_q1), {**CORRECTION, "reason": "Typo in Q1."})
    assert response.status_code == 302
    approved_q1.refresh_from_db()
    assert (approved_q1.state, approved_q1.status, approved_q1.progress) == (
        "approved",
        "G",
        "Q1 text.",
    )
    assert approved_q1.corrected_on is None
    # One correction at a time.
    again = client.post(correct_url(approved_q1), {**CORRECTION, "reason": "Again."})
    assert again.status_code == 400
    assert "already awaiting approval" in again.content.decode()


def test_an_approved_correction_replaces_the_update_and_shows_as_corrected(
    client, action, people, approved_q1
):
    correction = changes.propose_correction(
        approved_q1, by=people["lead"], reason="Typo in Q1.", status="A", progress="Fixed."
    )
    client.force_login(people["approver"])
    page = client.get(reverse("plans:approvals")).content.decode()
    assert 'data-testid="correction-card"' in page and "Typo in Q1." in page
    url = reverse("plans:decide_correction", args=[correction.pk])
    assert client.post(url, {"version": correction.version}).status_code == 302
    approved_q1.refresh_from_db()
    assert (approved_q1.state, approved_q1.status, approved_q1.progress) == (
        "approved",
        "A",
        "Fixed.",
    )
    assert approved_q1.corrected_on is not None
    assert 'data-testid="corrected"' in client.get(action.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(field="corrected because", new="Typo in Q1.").exists()
    # Decided once.
    response = client.post(url, {"version": correction.version + 1})
    assert response.status_code == 409


def test_a_returned_correction_leaves_the_update_unchanged(client, people, approved_q1):
    correction = changes.propose_correction(
        approved_q1, by=people["lead"], reason="Typo.", status="R", progress="Worse."
    )
    client.force_login(people["approver"])
    url = reverse("plans:decide_correction", args=[correction.pk])
    response = client.post(url, {"version": 1, "return": "1", "reason": "It was right."})
    assert response.status_code == 302
    approved_q1.refresh_from_db()
    assert (approved_q1.status, approved_q1.progress, approved_q1.corrected_on) == (
        "G",
        "Q1 text.",
        None,
    )


def test_only_an_approver_in_scope_decides_a_correction(
    client, people, partners, lbh_action, q1, q2
):
    plan = lbh_action.plan
    plan.reporting_period = q1
    plan.save()
    update = changes.record_update(lbh_action, q1, by=people["lead"], status="G", progress="x")
    changes.approve_update(update, by=people["approver"], expected_version=1)
    plan.reporting_period = q2
    plan.save()
    correction = changes.propose_correction(
        update, by=people["lead"], reason="Typo.", status="A", progress="y"
    )
    bexley = UserFactory(username="bexley_approver")
    grant(bexley, "approver", partners["LBB"])
    url = reverse("plans:decide_correction", args=[correction.pk])
    client.force_login(bexley)
    assert client.post(url, {"version": 1}).status_code == 404
    client.force_login(people["other_lead"])
    assert client.post(url, {"version": 1}).status_code == 403
    client.force_login(people["reader"])
    assert client.post(url, {"version": 1}).status_code == 404
    correction.refresh_from_db()
    assert correction.state == "submitted"


def test_an_update_of_the_open_period_is_changed_not_corrected(client, action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    changes.approve_update(update, by=people["approver"], expected_version=1)
    client.force_login(people["lead"])
    assert client.get(correct_url(update)).status_code == 404
    client.force_login(people["other_lead"])
    assert client.get(correct_url(update)).status_code == 403
