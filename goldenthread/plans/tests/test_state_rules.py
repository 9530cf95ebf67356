"""The pure state machine of an update and of a revised date, walked at random."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.plans import rules
from goldenthread.plans.rules import UpdateEvent

STATES = [rules.DRAFT_STATE, rules.SUBMITTED_STATE, rules.APPROVED_STATE, rules.RETURNED_STATE]
steps = st.lists(st.tuples(st.sampled_from(list(UpdateEvent)), st.booleans()), max_size=40)


def walk(events: list[tuple[UpdateEvent, bool]]) -> list[tuple[str, UpdateEvent, str | None]]:
    """(state before, event, state after or None when refused) for each step from draft."""
    state, seen = rules.DRAFT_STATE, []
    for event, locked in events:
        try:
            after = rules.next_update_state(state, event, locked=locked)
        except rules.TransitionRefused:
            seen.append((state, event, None))
            continue
        seen.append((state, event, after))
        state = after
    return seen


@given(steps)
def test_only_a_submitted_update_is_approved_or_returned(events):
    for before, event, after in walk(events):
        if event in (UpdateEvent.APPROVE, UpdateEvent.RETURN) and after is not None:
            assert before == rules.SUBMITTED_STATE


@given(steps)
def test_every_state_is_reached_only_as_the_table_says(events):
    for before, event, after in walk(events):
        if after is not None:
            assert rules.UPDATE_TRANSITIONS[(before, event)] == after
        assert after in (None, *STATES)


@given(steps)
def test_approval_happens_once_between_submissions(events):
    approvals = 0
    for _before, event, after in walk(events):
        if after is None:
            continue
        if event is UpdateEvent.SUBMIT:
            approvals = 0
        elif event is UpdateEvent.APPROVE:
            approvals += 1
        assert approvals <= 1


@given(st.sampled_from(STATES), st.sampled_from(list(UpdateEvent)))
def test_a_locked_approved_update_is_never_submitted_over(state, event):
    try:
        after = rules.next_update_state(state, event, locked=True)
    except rules.TransitionRefused:
        return
    assert not (state == rules.APPROVED_STATE and event is UpdateEvent.SUBMIT)
    assert after in STATES


def test_a_returned_update_must_be_resubmitted_before_approval():
    with pytest.raises(rules.TransitionRefused, match="resubmitted"):
        rules.next_update_state(rules.RETURNED_STATE, UpdateEvent.APPROVE)
    assert rules.next_update_state(rules.RETURNED_STATE, UpdateEvent.SUBMIT) == "submitted"


def test_the_locked_refusal_says_to_correct():
    with pytest.raises(rules.TransitionRefused, match="correction"):
        rules.next_update_state(rules.APPROVED_STATE, UpdateEvent.SUBMIT, locked=True)


@given(st.sampled_from(["proposed", "agreed", "rejected"]), st.booleans())
def test_a_revised_date_is_decided_only_from_proposed(decision, agreed):
    try:
        after = rules.next_revision_decision(decision, agreed=agreed)
    except rules.TransitionRefused:
        assert decision != "proposed"
        return
    assert decision == "proposed"
    assert after == ("agreed" if agreed else "rejected")


@given(st.text(), st.text())
def test_the_word_diff_rebuilds_both_texts(before, after):
    parts = rules.word_diff(before, after)
    kept = " ".join(p.text for p in parts if p.kind != "removed" and p.text)
    was = " ".join(p.text for p in parts if p.kind != "added" and p.text)
    assert kept.split() == after.split()
    assert was.split() == before.split()


def test_the_word_diff_marks_changed_words():
    parts = rules.word_diff("Recruiting two officers.", "Recruited two officers <now>.")
    assert [(p.kind, p.text) for p in parts] == [
        ("removed", "Recruiting"),
        ("added", "Recruited"),
        ("same", "two"),
        ("removed", "officers."),
        ("added", "officers <now>."),
    ]


def test_unchanged_means_status_percent_and_words_equal():
    assert rules.same_as_previous("G", 40, "On  track.\n", ("G", 40, "On track."))
    assert not rules.same_as_previous("G", 50, "On track.", ("G", 40, "On track."))
    assert not rules.same_as_previous("A", 40, "On track.", ("G", 40, "On track."))
    assert not rules.same_as_previous("G", 40, "On track.", None)
