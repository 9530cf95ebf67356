from datetime import date

import pytest
from django.core.exceptions import ValidationError

from goldenthread.core.models import AuditEntry, Period
from goldenthread.plans import changes
from goldenthread.plans.models import DeadlineRevision, ProgressUpdate
from tests.factories import MilestoneFactory


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


def test_it_records_an_update_with_who_and_when(action, people, q2):
    update = changes.record_update(
        action, q2, by=people["lead"], status="A", progress="Recruiting.", percent_complete=40
    )
    assert update.submitted_by == people["lead"]
    assert update.state == ProgressUpdate.State.SUBMITTED
    entry = AuditEntry.objects.get(object_id=update.pk, verb="created")
    assert entry.by == people["lead"]
    assert "Recruiting." in entry.new


def test_it_audits_each_changed_field_old_and_new(action, people, q2):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="On track.")
    changes.record_update(
        action, q2, by=people["lead"], status="A", progress="On track.", expected_version=1
    )
    entry = AuditEntry.objects.get(object_id=update.pk, field="status")
    assert (entry.old, entry.new, entry.by) == ("G", "A", people["lead"])


def test_it_refuses_the_second_of_two_concurrent_edits(action, people, q2):
    changes.record_update(action, q2, by=people["lead"], status="G", progress="First.")
    # Both editors opened version 1; the first saves, the second is refused.
    changes.record_update(
        action, q2, by=people["lead"], status="A", progress="Mine.", expected_version=1
    )
    with pytest.raises(changes.EditConflict) as refused:
        changes.record_update(
            action, q2, by=people["admin"], status="R", progress="Theirs.", expected_version=1
        )
    assert "changed by someone else" in str(refused.value)
    assert ProgressUpdate.objects.get(action=action, period=q2).progress == "Mine."


def test_it_refuses_a_new_update_when_one_appeared_meanwhile(action, people, q2):
    changes.record_update(action, q2, by=people["lead"], status="G", progress="First.")
    with pytest.raises(changes.EditConflict):
        changes.record_update(action, q2, by=people["admin"], status="R", progress="Second.")


@pytest.mark.parametrize(
    "values, field",
    [
        ({"status": "G", "progress": "x", "percent_complete": 140}, "percent_complete"),
        ({"status": "On Target", "progress": "x"}, "status"),
        ({"status": "", "progress": "x"}, "status"),
        ({"status": "G", "progress": "   "}, "progress"),
    ],
)
def test_it_names_the_field_and_saves_nothing(action, people, q2, values, field):
    with pytest.raises(ValidationError) as refused:
        changes.record_update(action, q2, by=people["lead"], **values)
    assert field in refused.value.message_dict
    assert not ProgressUpdate.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_offers_last_periods_update_as_the_start(action, people, q2):
    q1 = Period.objects.for_code("2019/20 Q1")
    changes.record_update(action, q1, by=people["lead"], status="G", progress="Q1 text")
    assert changes.previous_update(action, q2).progress == "Q1 text"
    assert changes.previous_update(action, q1) is None


def test_an_agreed_revision_moves_the_deadline_and_keeps_the_original(action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Awaiting O&S."
    )
    milestone.refresh_from_db()
    assert milestone.deadline_label == "Oct-15"  # unchanged until agreed
    changes.decide_revision(
        revision,
        by=people["approver"],
        agreed=True,
        board="BV Programme Board",
        decided_on=date(2015, 12, 16),
    )
    milestone.refresh_from_db()
    assert milestone.deadline_label == "Mar-16 (Oct-15)"
    second = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 5, 31), reason="Again."
    )
    changes.decide_revision(
        second, by=people["approver"], agreed=True, board="Board", decided_on=date(2016, 3, 1)
    )
    milestone.refresh_from_db()
    assert milestone.deadline_label == "May-16 (Oct-15)"
    assert list(DeadlineRevision.objects.values_list("previous_date", flat=True)) == [
        date(2015, 10, 31),
        date(2016, 3, 31),
    ]
    assert AuditEntry.objects.filter(field="deadline", new="2016-05-31").exists()


def test_a_rejected_revision_leaves_the_deadline(action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Late."
    )
    changes.decide_revision(
        revision, by=people["approver"], agreed=False, board="Board", decided_on=date(2015, 12, 16)
    )
    milestone.refresh_from_db()
    assert milestone.deadline_label == "Oct-15"


def test_it_refuses_a_deadline_before_the_start(action, people):
    action.start_date = date(2019, 4, 1)
    action.target_date = date(2019, 12, 31)
    action.save()
    with pytest.raises(ValidationError) as refused:
        changes.propose_revision(
            action, by=people["lead"], proposed_date=date(2019, 1, 31), reason="Typo."
        )
    assert "before the start" in refused.value.message_dict["proposed_date"][0]
    assert not DeadlineRevision.objects.exists()
