"""The reported position as pure rules: only an approved update counts with its status;
awaiting, returned and missing updates are counted apart; overdue and stale are flags."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.plans import rules
from goldenthread.plans.reading import position

Q1, Q2, Q3 = (PeriodKey(2019, PeriodKind.QUARTER, n) for n in (1, 2, 3))
STATES = ["approved", "submitted", "returned", None]


def test_a_returned_green_update_is_counted_as_returned_not_green():
    status = rules.reported_status("rag", "G", "returned")
    summary = rules.summarise("rag", [status, rules.reported_status("rag", "G", "approved")])
    assert summary.count("G") == 1
    assert summary.count("returned") == 1
    assert summary.reported == 1 and summary.unreported == 1


def test_a_submitted_update_awaits_approval():
    assert rules.reported_status("rag", "R", "submitted") is rules.AWAITING_APPROVAL


def test_the_summary_has_fixed_columns_with_the_unreported_apart_and_last():
    summary = rules.summarise("rag", ["G", "awaiting", None], overdue=2, stale=1)
    codes = [row.status.code for row in summary.columns]
    assert codes == ["G", "A", "R", "B", "awaiting", "returned", ""]
    assert (summary.overdue, summary.stale, summary.total) == (2, 1, 3)


def test_it_still_refuses_a_status_not_on_the_scale():
    try:
        rules.summarise("best_value", ["G"])
    except ValueError as exc:
        assert "Best Value" in str(exc)
    else:
        raise AssertionError("G is not a Best Value status")


@given(
    st.lists(
        st.tuples(st.sampled_from(["G", "A", "R", "B", ""]), st.sampled_from(STATES)),
        max_size=100,
    )
)
def test_only_approved_updates_are_ever_counted_with_a_status_of_the_scale(updates):
    summary = rules.summarise("rag", [rules.reported_status("rag", c, s) for c, s in updates])
    approved = sum(1 for code, state in updates if code and state == "approved")
    assert summary.reported == approved
    assert summary.total == len(updates) == sum(r.count for r in summary.columns)
    for code in "GARB":
        assert summary.count(code) == sum(1 for c, s in updates if c == code and s == "approved")


def test_the_last_reported_status_is_named_in_the_periods_own_words():
    green = rules.RAG.get("G")
    assert (
        rules.last_reported_label(rules.NO_UPDATE, ("2019/20 Q1", green), "2019/20 Q2")
        == "No update – last reported Q1: Green"
    )
    assert (
        rules.last_reported_label(rules.RETURNED, ("2018/19 Q4", green), "2019/20 Q1")
        == "Returned – last reported 2018/19 Q4: Green"
    )
    assert rules.last_reported_label(green, ("2019/20 Q1", green), "2019/20 Q2") == "Green"
    assert rules.last_reported_label(rules.NO_UPDATE, None, "2019/20 Q2") == "No update"


def test_overdue_is_judged_at_the_periods_end_or_today_while_it_runs():
    assert rules.as_of(date(2019, 9, 30), date(2026, 1, 1)) == date(2019, 9, 30)
    assert rules.as_of(date(2019, 9, 30), date(2019, 8, 1)) == date(2019, 8, 1)


def test_periods_without_an_approved_update_count_back_to_the_last_one():
    keys = {Q1, Q2, Q3}
    assert rules.periods_without_approved_update(keys, Q3, Q3) == 0
    assert rules.periods_without_approved_update(keys, Q3, Q1) == 2
    assert rules.periods_without_approved_update(keys, Q3, None) == 3
    assert rules.periods_without_approved_update(set(), Q2, None) == 1  # the period itself


def _position(code, state, *, earlier=(), target=None):
    return position(
        rules.RAG,
        code=code,
        state=state,
        earlier=list(earlier),
        reported=Q2,
        period_keys=frozenset({Q1, Q2}),
        target=target,
        as_of=date(2019, 9, 30),
    )


def test_a_missing_update_is_stale_and_says_what_was_last_reported():
    found = _position("", None, earlier=[(Q1, "G", "approved")])
    assert found.status is rules.NO_UPDATE
    assert found.stale and found.last_reported == ("2019/20 Q1", rules.RAG.get("G"))


def test_an_unapproved_earlier_update_is_not_the_last_reported():
    found = _position("G", "returned", earlier=[(Q1, "A", "submitted")])
    assert found.status is rules.RETURNED and found.last_reported is None and found.stale


def test_an_approved_update_is_neither_stale_nor_red_for_lateness():
    found = _position("G", "approved", target=date(2019, 6, 30))
    assert found.status.code == "G"
    assert found.overdue and not found.stale  # a flag beside Green, never a Red


def test_an_item_completed_before_stays_complete_and_is_never_overdue_or_stale():
    found = _position("", None, earlier=[(Q1, "B", "approved")], target=date(2019, 5, 1))
    assert found.status.complete
    assert not found.overdue and not found.stale


@given(
    code=st.sampled_from(["G", "A", "R", ""]),
    state=st.sampled_from(STATES),
    target=st.one_of(st.none(), st.dates(date(2018, 1, 1), date(2021, 1, 1))),
)
def test_flags_never_change_the_status(code, state, target):
    found = _position(code, state, target=target)
    assert found.status is rules.reported_status("rag", code, state)
    assert found.overdue == (target is not None and target < date(2019, 9, 30))
    assert found.stale == (not (code and state == "approved"))
