"""The protocol's rules: the stage sequence, the tests before each move, the proportionate
route for "one off" requests, and money to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.commercial import rules

ROUTES = st.booleans()
STAGES = st.sampled_from(list(rules.Stage))
KEYS = st.sets(st.sampled_from(list(rules.TESTS)))
CASES = st.sets(st.sampled_from([p.value for p in rules.CasePhase]))


def test_the_stages_are_the_protocols_in_its_order():
    assert [rules.STAGE_LABELS[s] for s in rules.SEQUENCE] == [
        "Opportunity arises",
        "Develop draft business case",
        "Approval to proceed to develop full business case",
        "Final approval",
        "Agreement with external and implementation",
        "Ongoing monitoring",
        "Review",
    ]


def test_every_test_named_at_a_stage_is_defined():
    for table in (rules.STAGE_TESTS, rules.ONE_OFF_STAGE_TESTS):
        for keys in table.values():
            assert set(keys) <= set(rules.TESTS)
            assert len(set(keys)) == len(keys)


def test_the_full_route_asks_every_test_the_protocol_names():
    asked = {k for keys in rules.STAGE_TESTS.values() for k in keys}
    assert {
        "legal_power",
        "capacity",
        "benefits",
        "partner_impact",
        "risk_register",
        "market_analysis",
        "no_externalisation",
    } <= asked


def test_a_one_off_gets_the_brief_analysis_and_no_business_case():
    assert rules.ONE_OFF_STAGE_TESTS[rules.Stage.ARISES] == (
        "legal_power",
        "capacity",
        "benefits",
        "partner_impact",
    )
    assert rules.Stage.DRAFT_CASE not in rules.ONE_OFF_SEQUENCE
    assert all(rules.case_for(s, True) is None for s in rules.ONE_OFF_SEQUENCE)


@given(ROUTES)
def test_each_route_starts_when_the_opportunity_arises_and_ends_in_review(one_off):
    route = rules.sequence(one_off)
    assert route[0] is rules.Stage.ARISES and route[-1] is rules.Stage.REVIEW
    # The one-off route keeps the protocol's order, only shorter.
    assert [s for s in rules.SEQUENCE if s in route] == list(route)
    assert rules.next_stage(rules.Stage.REVIEW, one_off) is None


@given(ROUTES, KEYS, CASES, STAGES)
def test_a_move_is_allowed_exactly_when_the_stage_is_complete(one_off, recorded, cases, target):
    route = rules.sequence(one_off)
    for stage in route[:-1]:
        reason = rules.refusal(stage, one_off, recorded, cases, target)
        complete = not rules.missing_tests(stage, one_off, recorded) and (
            rules.case_for(stage, one_off) is None or rules.case_for(stage, one_off).value in cases
        )
        allowed = complete and target == rules.next_stage(stage, one_off)
        assert (reason is None) is allowed
        if reason is not None and target == rules.next_stage(stage, one_off):
            # The refusal names every missing test.
            for key in rules.missing_tests(stage, one_off, recorded):
                assert rules.TESTS[key].title in reason


@given(ROUTES, KEYS)
def test_missing_tests_are_the_stages_tests_not_recorded(one_off, recorded):
    for stage in rules.sequence(one_off):
        missing = rules.missing_tests(stage, one_off, recorded)
        assert set(missing) == set(rules.tests_for(stage, one_off)) - recorded


def test_the_refusal_names_the_missing_tests_in_words():
    reason = rules.refusal(
        rules.Stage.ARISES, False, {"legal_power"}, set(), rules.Stage.DRAFT_CASE
    )
    assert reason == (
        "The opportunity cannot move to Develop draft business case yet: record the tests: "
        "Commissioners notified, Capacity, Source of income and OMT sense check."
    )
    reason = rules.refusal(
        rules.Stage.DRAFT_CASE, False, set(rules.TESTS), set(), rules.Stage.FULL_CASE_APPROVAL
    )
    assert reason.endswith("write the outline business case.")


def test_only_the_next_stage_may_follow():
    everything = set(rules.TESTS)
    reason = rules.refusal(rules.Stage.ARISES, False, everything, set(), rules.Stage.REVIEW)
    assert "the next stage is Develop draft business case, not Review" in reason
    assert "last stage" in rules.refusal(rules.Stage.REVIEW, False, everything, set(), "review")


def test_a_stage_not_on_the_route_is_refused():
    with pytest.raises(rules.StageRefused):
        rules.next_stage(rules.Stage.DRAFT_CASE, True)


MONEY = st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2)


@given(MONEY, MONEY)
def test_the_surplus_is_income_less_costs_to_the_penny(income, costs):
    surplus = rules.surplus(income, costs)
    assert surplus + costs == income
    assert surplus.as_tuple().exponent == -2
    assert rules.money(surplus).replace("-", "").startswith("£")
    assert rules.money(surplus).startswith("-") is (surplus < 0)
