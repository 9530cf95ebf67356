"""Change history in words: the audit trail read back with labels and display values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.core import audit
from goldenthread.core.history import Change, Kind, describe, split_created, value_words
from goldenthread.core.models import AuditEntry, Period
from goldenthread.performance.tests.factories import IndicatorFactory
from goldenthread.plans import changes
from goldenthread.plans.models import ProgressUpdate
from tests.factories import MilestoneFactory

# --- The pure part ----------------------------------------------------------------------------


def test_it_writes_a_date_the_govuk_way():
    assert value_words("2021-03-31", Kind.DATE) == "31 March 2021"
    assert value_words("2021-03-01", Kind.DATE) == "1 March 2021"


def test_it_writes_a_moment_in_local_time():
    summer = datetime(2019, 7, 12, 14, 5, tzinfo=UTC).isoformat(sep=" ")
    assert value_words(summer, Kind.DATETIME) == "12 July 2019 at 3:05pm"  # BST


def test_it_keeps_a_value_that_does_not_read_as_its_kind():
    assert value_words("Ongoing", Kind.DATE) == "Ongoing"
    assert value_words("n/a", Kind.NUMBER) == "n/a"


def test_it_writes_flags_numbers_people_and_codes_in_words():
    assert value_words("True", Kind.FLAG) == "Yes"
    assert value_words("False", Kind.FLAG) == "No"
    assert value_words("-50000.00", Kind.NUMBER) == "-50,000"
    assert value_words("99.1800", Kind.NUMBER) == "99.18"
    assert value_words("0.000", Kind.NUMBER) == "0"
    assert value_words("ict.director", Kind.PERSON, people={"ict.director": "Ade Okafor"}) == (
        "Ade Okafor"
    )
    assert value_words("G", labels={"G": "Green"}) == "Green"


def test_a_change_reads_as_old_to_new():
    assert Change("Status", "Green", "Amber").words == "Status: Green → Amber"
    assert Change("Target date", "", "31 March 2021").words == "Target date: 31 March 2021"
    assert Change("Board", "BV Board", "").words == "Board: BV Board removed"
    assert Change("Progress to date", "a" * 200, "b").words == "Progress to date: changed"


def test_a_creation_row_splits_on_field_names_only():
    text = "status: G; progress: Done; see note: 4; percent_complete: 60"
    assert split_created(text, ["status", "progress", "percent_complete"]) == [
        ("status", "G"),
        ("progress", "Done; see note: 4"),
        ("percent_complete", "60"),
    ]
    assert split_created("free text", ["status"]) == [("", "free text")]


names = st.sampled_from(["status", "progress", "next_steps", "percent_complete"])
values = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)


@given(st.lists(st.tuples(names, values), min_size=1, max_size=6))
def test_split_created_reads_back_what_audit_wrote(pairs):
    known = ["status", "progress", "next_steps", "percent_complete"]
    # A value that itself holds "; <field name>: " cannot be told apart; audit never splits it.
    pairs = [(n, v) for n, v in pairs if not any(f"; {k}: " in f"; {v}" for k in known)]
    text = "; ".join(f"{n}: {v}" for n, v in pairs)
    assert split_created(text, known) == pairs if pairs else split_created(text, known) == []


# --- Rows of the audit trail, and the pages that show them -------------------------------------


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


def test_one_save_reads_as_one_sentence_with_labels_and_status_words(action, people, q2):
    first = changes.record_update(
        action, q2, by=people["lead"], status="G", progress="Started.", percent_complete=40
    )
    changes.record_update(
        action,
        q2,
        by=people["lead"],
        status="A",
        progress="Started.",
        percent_complete=60,
        expected_version=first.version,
    )
    items = describe(AuditEntry.objects.all())
    changed = items[0]
    assert changed.verb == "Changed"
    assert changed.who == people["lead"].get_full_name()
    assert changed.summary.startswith("Status: Green → Amber; % complete: 40 → 60")
    created = items[-1]
    assert created.verb == "Created"
    assert "Status: Green" in created.summary
    assert "% complete: 40" in created.summary
    assert "percent_complete" not in created.summary
    assert f"Submitted by: {people['lead'].get_full_name()}" in created.summary


def test_a_revision_names_the_person_and_writes_dates_in_words(action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2021, 3, 31), reason="Awaiting O&S."
    )
    (item,) = describe(AuditEntry.objects.all())
    assert "Proposed deadline: 31 March 2021" in item.summary
    assert f"Proposed by: {people['lead'].get_full_name()}" in item.summary
    assert "2021-03-31" not in item.summary


def test_the_action_page_shows_the_history_in_words(client, action, people, q2):
    first = changes.record_update(
        action, q2, by=people["lead"], status="G", progress="Started.", percent_complete=40
    )
    changes.record_update(
        action,
        q2,
        by=people["lead"],
        status="A",
        progress="Started.",
        percent_complete=60,
        expected_version=first.version,
    )
    client.force_login(people["lead"])
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Status: Green → Amber; % complete: 40 → 60" in page
    assert "percent_complete" not in page
    assert "submitted_by" not in page


def test_the_indicator_page_shows_the_history_in_words(client, people):
    indicator = IndicatorFactory()
    audit.record_creation(indicator, by=people["admin"])
    client.force_login(people["admin"])
    response = client.get(reverse("performance:indicator", args=[indicator.ref]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Reference: {indicator.ref}; Indicator: {indicator.name}" in page
    assert "Polarity: Higher is better" in page
    assert "polarity:" not in page


def test_a_change_invisible_in_words_is_left_out(people):
    entry = AuditEntry(
        by=people["lead"],
        verb=AuditEntry.Verb.CHANGED,
        field="submitted on",
        old="2019-07-12 14:05:01+00:00",
        new="2019-07-12 14:05:40+00:00",
    )
    entry.content_type_id = ContentType.objects.get_for_model(ProgressUpdate).pk
    (item,) = describe([entry])
    assert item.changes == []
