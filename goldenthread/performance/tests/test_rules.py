"""The indicator rules: targets as written, RAG, direction of travel, year to date, quartiles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from goldenthread.core.periods import PeriodKey, PeriodKind, parse_period
from goldenthread.performance import rules
from goldenthread.performance.rules import (
    AMBER,
    GREEN,
    IMPROVED,
    NO_ACTUAL,
    NO_COMPARISON,
    NOT_RATED,
    RED,
    UNCHANGED,
    WORSENED,
    Comparator,
    Frequency,
    Polarity,
    Scheme,
    Tolerance,
    ToleranceKind,
    YtdRule,
    assess,
    direction,
    parse_target,
    quartile,
    year_to_date,
)
from goldenthread.performance.units import ActualError, Unit, format_value, parse_actual

D = Decimal

# ---------------------------------------------------------------------------
# Targets as the seed writes them


@pytest.mark.parametrize(
    "text, unit, comparator, value",
    [
        ("<£20,000", Unit.MONEY, Comparator.LT, D(20000)),
        ("<26 weeks", Unit.WEEKS, Comparator.LT, D(26)),
        (">90%", Unit.PERCENT, Comparator.GT, D(90)),
        (">80%", Unit.PERCENT, Comparator.GT, D(80)),
        ("<175", Unit.DAYS, Comparator.LT, D(175)),
        ("<6 months", Unit.MONTHS, Comparator.LT, D(6)),
        ("<5", Unit.COUNT, Comparator.LT, D(5)),
        ("99.50%", Unit.PERCENT, None, D("99.50")),
        ("5 days", Unit.DAYS, None, D(5)),
        ("£1.0m", Unit.MONEY, None, D(1_000_000)),
        ("6.3", Unit.RATING, None, D("6.3")),
        ("0%", Unit.PERCENT, None, D(0)),
        ("≥ 95%", Unit.PERCENT, Comparator.GE, D(95)),
        ("<=10 days", Unit.DAYS, Comparator.LE, D(10)),
    ],
)
def test_it_reads_comparator_value_and_unit(text, unit, comparator, value):
    target = parse_target(text, unit)
    (part,) = target.parts
    assert (part.comparator, part.value, part.partner) == (comparator, value, None)
    assert target.text == part.text == text


def test_it_reads_a_target_per_partner():
    target = parse_target("98.70% (LBH) 99.6% (LBN)", Unit.PERCENT)
    assert target.by_partner
    assert target.for_partner("LBH").value == D("98.70")
    assert target.for_partner("LBN").value == D("99.6")
    assert target.for_partner("LBB") is None  # no target written for Bexley
    assert target.text == "98.70% (LBH) 99.6% (LBN)"


def test_a_plain_target_applies_to_every_partner():
    target = parse_target("95.00%", Unit.PERCENT)
    assert target.for_partner("LBB").value == D(95)
    assert target.for_partner(None).value == D(95)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("TBD", "to be decided"),
        ("TBC", "to be confirmed"),
        ("Reactive", "reactive"),
        ("As much as possible during the year", "is not a number"),
        ("", "No target has been set"),
    ],
)
def test_a_target_that_is_not_a_number_is_kept_with_the_reason(text, reason):
    target = parse_target(text, Unit.MONEY)
    (part,) = target.parts
    assert part.value is None and part.text == text
    assert reason in part.no_rag_reason
    assessment = assess(D(5), part, polarity=Polarity.HIGHER)
    assert assessment.status is NOT_RATED
    assert reason in assessment.reason and "no RAG" in assessment.reason


def test_compliant_is_a_target_for_a_compliance_indicator():
    (part,) = parse_target("Compliant", Unit.YES_NO).parts
    assert part.compliance and part.value == 1
    assert assess(D(1), part, polarity=Polarity.COMPLIANT, unit=Unit.YES_NO).status is GREEN
    assert assess(D(0), part, polarity=Polarity.COMPLIANT, unit=Unit.YES_NO).status is RED


def test_a_fraction_for_a_percentage_is_read_as_a_percentage_with_a_note():
    (part,) = parse_target("0.9", Unit.PERCENT).parts
    assert part.value == 90
    assert part.note == "0.9 read as 90%"


def test_a_target_in_another_unit_gives_no_rag():
    (part,) = parse_target("<26 weeks", Unit.DAYS).parts
    assert part.value is None
    assert "in weeks, but the indicator is measured in days" in part.no_rag_reason


def test_a_comparator_that_contradicts_the_polarity_is_a_problem():
    problems = rules.check_target(parse_target("<5", Unit.COUNT), Polarity.HIGHER)
    assert problems and "lower is better" in problems[0]
    assert rules.check_target(parse_target(">90%", Unit.PERCENT), Polarity.HIGHER) == []


# ---------------------------------------------------------------------------
# RAG

FIVE_POINTS = Tolerance(ToleranceKind.ABSOLUTE, D(5))


def target(text: str, unit: Unit = Unit.PERCENT):
    return parse_target(text, unit).parts[0]


@pytest.mark.parametrize(
    "actual, text, polarity, expected",
    [
        (D(92), ">90%", Polarity.HIGHER, GREEN),
        (D(90), ">90%", Polarity.HIGHER, AMBER),  # strictly more than 90% was asked
        (D(86), ">90%", Polarity.HIGHER, AMBER),
        (D(85), ">90%", Polarity.HIGHER, AMBER),  # the tolerance's edge is still amber
        (D("84.9"), ">90%", Polarity.HIGHER, RED),
        (D("99.50"), "99.50%", Polarity.HIGHER, GREEN),  # no comparator: on target is green
        (D(4), "<5", Polarity.LOWER, GREEN),
        (D(5), "<5", Polarity.LOWER, AMBER),
        (D(11), "<5", Polarity.LOWER, RED),
        (D(5), "5 days", Polarity.LOWER, GREEN),
    ],
)
def test_rag_from_actual_target_tolerance_and_polarity(actual, text, polarity, expected):
    unit = Unit.DAYS if "days" in text else (Unit.COUNT if "%" not in text else Unit.PERCENT)
    part = target(text, unit)
    got = assess(actual, part, polarity=polarity, unit=unit, tolerance=FIVE_POINTS)
    assert got.status is expected


def test_the_reason_says_by_how_much_and_the_tolerance():
    got = assess(
        D(87), target(">90%"), polarity=Polarity.HIGHER, tolerance=FIVE_POINTS, unit=Unit.PERCENT
    )
    assert got.reason == (
        "87% misses the target >90% by 3 percentage points, within the tolerance (5)."
    )


def test_a_relative_tolerance_is_a_share_of_the_target():
    tolerance = Tolerance(ToleranceKind.RELATIVE, D(10))  # 10% of 20 days = 2 days
    part = target("20 days", Unit.DAYS)
    assert assess(D(22), part, polarity=Polarity.LOWER, tolerance=tolerance).status is AMBER
    assert assess(D("22.1"), part, polarity=Polarity.LOWER, tolerance=tolerance).status is RED


def test_without_a_tolerance_any_miss_is_red():
    assert assess(D("99.4"), target("99.50%"), polarity=Polarity.HIGHER).status is RED


def test_a_band_is_green_inside_amber_just_outside_red_beyond():
    part = target("50", Unit.COUNT)
    kwargs = {"polarity": Polarity.BAND, "band": D(2), "tolerance": FIVE_POINTS}
    assert assess(D(48), part, **kwargs).status is GREEN
    assert assess(D(52), part, **kwargs).status is GREEN
    assert assess(D(57), part, **kwargs).status is AMBER
    assert assess(D(43), part, **kwargs).status is AMBER
    assert assess(D("57.1"), part, **kwargs).status is RED


def test_no_actual_and_no_target_have_their_own_statuses():
    assert assess(None, target("95%"), polarity=Polarity.HIGHER).status is NO_ACTUAL
    got = assess(D(90), None, polarity=Polarity.HIGHER)
    assert got.status is NOT_RATED and "no target for this partner" in got.reason


def test_the_last_year_scheme_makes_amber_a_miss_better_than_last_year():
    part = target("97.00%")
    kwargs = {"polarity": Polarity.HIGHER, "scheme": Scheme.LAST_YEAR, "unit": Unit.PERCENT}
    better = assess(D(96), part, last_year=D(95), **kwargs)
    worse = assess(D(96), part, last_year=D("96.5"), **kwargs)
    assert better.status.code == "A" and "better than last year (95%)" in better.reason
    assert worse.status.code == "R"


def test_narrative_only_indicators_can_show_blue():
    got = assess(D(1), target("TBD"), polarity=Polarity.HIGHER, narrative_blue=True)
    assert (got.status.label, got.status.tone) == ("Narrative only", "blue")


def test_only_red_needs_a_reason_and_remedial_action():
    assert rules.needs_explanation(RED)
    assert not any(rules.needs_explanation(s) for s in (GREEN, AMBER, NOT_RATED, NO_ACTUAL))


# --- properties -------------------------------------------------------------

values = st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False)
amounts = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False)
directional = st.sampled_from([Polarity.HIGHER, Polarity.LOWER])
comparators = st.sampled_from([None, Comparator.LT, Comparator.LE, Comparator.GE, Comparator.GT])
tolerances = st.one_of(
    st.none(),
    st.builds(Tolerance, st.sampled_from(list(ToleranceKind)), amounts),
)


def _consistent(comparator, polarity):
    implied = rules.comparator_polarity(comparator)
    return implied is None or implied is polarity


@given(values, values, values, directional, comparators, tolerances)
def test_improving_an_actual_never_worsens_its_status(a, b, goal, polarity, comparator, tol):
    assume(_consistent(comparator, polarity))
    part = rules.TargetPart("t", comparator, goal)
    worse, better = sorted([a, b]) if polarity is Polarity.HIGHER else sorted([a, b], reverse=True)
    worse_status = assess(worse, part, polarity=polarity, tolerance=tol).status
    better_status = assess(better, part, polarity=polarity, tolerance=tol).status
    assert better_status.rank <= worse_status.rank


@given(values, values, values, amounts, tolerances)
def test_moving_towards_a_band_never_worsens_its_status(a, b, goal, band, tol):
    part = rules.TargetPart("t", Comparator.EQ, goal)
    near, far = sorted([a, b], key=lambda v: abs(v - goal))
    kwargs = {"polarity": Polarity.BAND, "band": band, "tolerance": tol}
    assert assess(near, part, **kwargs).status.rank <= assess(far, part, **kwargs).status.rank


@given(values, values, values, directional, st.sampled_from(list(Scheme)), tolerances)
def test_improving_never_worsens_under_either_scheme(a, b, last_year, polarity, scheme, tol):
    part = rules.TargetPart("t", None, D(50))
    worse, better = sorted([a, b]) if polarity is Polarity.HIGHER else sorted([a, b], reverse=True)
    kw = {"polarity": polarity, "tolerance": tol, "scheme": scheme, "last_year": last_year}
    assert assess(better, part, **kw).status.rank <= assess(worse, part, **kw).status.rank


@given(values, directional, tolerances)
def test_on_target_is_green(goal, polarity, tol):
    part = rules.TargetPart("t", None, goal)
    assert assess(goal, part, polarity=polarity, tolerance=tol).status is GREEN


@given(values, values, directional, amounts)
def test_within_tolerance_is_never_red_and_beyond_is_never_green(actual, goal, polarity, amount):
    tolerance = Tolerance(ToleranceKind.ABSOLUTE, amount)
    part = rules.TargetPart("t", None, goal)
    status = assess(actual, part, polarity=polarity, tolerance=tolerance).status
    miss = goal - actual if polarity is Polarity.HIGHER else actual - goal
    if miss <= 0:
        assert status is GREEN
    elif miss <= amount:
        assert status is AMBER
    else:
        assert status is RED


@given(values, values, directional)
def test_a_status_is_always_one_of_the_rated_three(actual, goal, polarity):
    status = assess(actual, rules.TargetPart("t", None, goal), polarity=polarity).status
    assert status.rated and status.label in ("Green", "Amber", "Red")


# ---------------------------------------------------------------------------
# Direction of travel


def test_direction_of_travel_follows_polarity_not_size():
    assert direction(D(95), D(90), Polarity.HIGHER) is IMPROVED
    assert direction(D(95), D(90), Polarity.LOWER) is WORSENED
    assert direction(D(18), D(20), Polarity.LOWER) is IMPROVED
    assert direction(D(20), D(20), Polarity.LOWER) is UNCHANGED
    assert direction(D(20), None, Polarity.LOWER) is NO_COMPARISON
    assert direction(D(49), D(45), Polarity.BAND, target=D(50)) is IMPROVED
    assert (IMPROVED.label, WORSENED.label, UNCHANGED.label) == (
        "▲ Improved",
        "▼ Worse",
        "► No change",
    )


@given(values, values, st.sampled_from(list(Polarity)), values)
def test_direction_is_antisymmetric(a, b, polarity, goal):
    there, back = direction(a, b, polarity, goal), direction(b, a, polarity, goal)
    pairs = {IMPROVED: WORSENED, WORSENED: IMPROVED, UNCHANGED: UNCHANGED}
    assert pairs[there] is back


# ---------------------------------------------------------------------------
# Year to date


def test_year_to_date_rules():
    q = [D(10), D(20), None, D(30)]
    assert year_to_date(q, YtdRule.SUM) == 60
    assert year_to_date(q, YtdRule.AVERAGE) == 20
    assert year_to_date(q, YtdRule.LATEST) == 30
    assert year_to_date([D(90), D(60)], YtdRule.WEIGHTED, [D(300), D(100)]) == D("82.5")
    assert year_to_date([None, None], YtdRule.SUM) is None
    assert year_to_date([D(1)], YtdRule.WEIGHTED, [D(0)]) is None


def test_a_weighted_year_to_date_needs_its_denominators():
    with pytest.raises(ValueError, match="denominator"):
        year_to_date([D(1), D(2)], YtdRule.WEIGHTED)


@given(st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=12))
def test_average_and_weighted_lie_between_the_smallest_and_largest(quarters):
    low, high = min(quarters), max(quarters)
    assert low <= year_to_date(quarters, YtdRule.AVERAGE) <= high
    weights = [D(1)] * len(quarters)
    assert year_to_date(quarters, YtdRule.WEIGHTED, weights) == year_to_date(
        quarters, YtdRule.AVERAGE
    )


# ---------------------------------------------------------------------------
# Quartiles among comparators


def test_quartile_bounds_match_excels_quartile_inc():
    assert rules.quartile_bounds([D(1), D(2), D(3), D(4), D(5)]) == (D(2), D(3), D(4))
    assert rules.quartile_bounds([D(1), D(2), D(3), D(4)]) == (D("1.75"), D("2.5"), D("3.25"))


def test_a_partner_falls_in_its_quartile():
    london = [D(v) for v in (95, 96, 96.5, 97, 97.5, 98, 98.5, 99)]
    assert quartile(D("99.2"), london, Polarity.HIGHER) == 1
    assert quartile(D("97.2"), london, Polarity.HIGHER) == 3
    assert quartile(D(94), london, Polarity.HIGHER) == 4
    assert quartile(D(94), london, Polarity.LOWER) == 1
    assert quartile(D(94), london, Polarity.BAND) is None


@given(values, values, st.lists(values, min_size=1, max_size=30), directional)
def test_a_better_value_never_has_a_worse_quartile(a, b, group, polarity):
    worse, better = sorted([a, b]) if polarity is Polarity.HIGHER else sorted([a, b], reverse=True)
    assert quartile(better, group, polarity) <= quartile(worse, group, polarity)


# ---------------------------------------------------------------------------
# Actuals as typed


@pytest.mark.parametrize(
    "text, unit, value",
    [
        ("95.5", Unit.PERCENT, D("95.5")),
        ("95.5%", Unit.PERCENT, D("95.5")),
        ("£1,200", Unit.MONEY, D(1200)),
        ("12 days", Unit.DAYS, D(12)),
        ("Yes", Unit.YES_NO, D(1)),
        ("Not compliant", Unit.YES_NO, D(0)),
        ("", Unit.COUNT, None),
        (7, Unit.COUNT, D(7)),
        (0.25, Unit.RATING, D("0.25")),
    ],
)
def test_it_reads_actuals_as_typed(text, unit, value):
    assert parse_actual(text, unit) == value


@pytest.mark.parametrize(
    "text, unit",
    [("ninety", Unit.PERCENT), ("maybe", Unit.YES_NO), ("NaN", Unit.COUNT), ("1e12", Unit.COUNT)],
)
def test_it_refuses_what_is_not_a_number(text, unit):
    with pytest.raises(ActualError):
        parse_actual(text, unit)


def test_values_print_as_the_papers_do():
    assert format_value(D("98.70"), Unit.PERCENT) == "98.7%"
    assert format_value(D(20000), Unit.MONEY) == "£20,000"
    assert format_value(D(1), Unit.DAYS) == "1 day"
    assert format_value(D(0), Unit.YES_NO) == "No"


def test_counts_by_status_keep_a_fixed_order():
    counts = rules.count_by_status([RED, GREEN, GREEN, NO_ACTUAL])
    assert [(c.status.label, c.count) for c in counts] == [
        ("Green", 2),
        ("Amber", 0),
        ("Red", 1),
        ("No RAG", 0),
        ("No actual", 1),
    ]


def test_an_annual_target_is_scaled_to_the_part_of_the_year_gone():
    part = target("97.00%")
    half = rules.pro_rata(part, 2, 4)
    assert half.value == D("48.5")
    assert half.shown == "48.5% (97.00% pro rata for 2 of 4 periods)"
    assert half.text == "97.00%"  # the target as written is kept
    assert rules.pro_rata(part, 4, 4) is part
    assert rules.pro_rata(target("TBD"), 1, 4).value is None


def test_a_cumulative_figure_runs_at_a_yearly_rate():
    assert rules.run_rate(D("24.25"), 1, 4) == D(97)
    assert rules.run_rate(None, 1, 4) is None


# ---------------------------------------------------------------------------
# Annual targets judged to date (income £1.0m a year: £250,000 due after Q1)


def test_an_annual_target_judges_the_year_to_date_pro_rata():
    income = target("£1.0m", Unit.MONEY)
    how = {
        "polarity": Polarity.HIGHER,
        "unit": Unit.MONEY,
        "tolerance": Tolerance(ToleranceKind.RELATIVE, D(10)),
    }
    q1 = rules.assess_to_date(D(240_000), income, done=1, of=4, **how)
    assert q1.status is AMBER  # £10,000 short of £250,000: within 10%
    assert "£250,000 (£1.0m pro rata for 1 of 4 periods)" in q1.reason
    # Q2 alone (£280,000) is what counts only as part of the year so far: £520,000 of £500,000.
    q2 = rules.assess_to_date(
        year_to_date([D(240_000), D(280_000)], YtdRule.SUM), income, done=2, of=4, **how
    )
    assert q2.status is GREEN
    # At the year end the whole target is due: £900,000 is 10% short, still amber; less is red.
    assert rules.assess_to_date(D(900_000), income, done=4, of=4, **how).status is AMBER
    assert rules.assess_to_date(D(899_999), income, done=4, of=4, **how).status is RED
    assert rules.assess_to_date(None, income, done=1, of=4, **how).status is NO_ACTUAL
    assert rules.assess_to_date(D(5), target("TBC"), done=1, of=4, **how).status is NOT_RATED


annual_targets = st.decimals(min_value=1, max_value=10_000, places=2, allow_nan=False)
shares = st.sampled_from([(k, n) for n in (1, 2, 4) for k in range(1, n + 1)])
relative = st.one_of(st.none(), st.builds(Tolerance, st.just(ToleranceKind.RELATIVE), amounts))


@given(annual_targets, st.lists(amounts, min_size=4, max_size=4), tolerances)
def test_a_year_on_pace_is_green_at_every_quarter(annual, extra, tolerance):
    """Quarters each bringing at least a quarter of the annual target are never off target."""
    quarters = [annual / 4 + e for e in extra]
    for done in range(1, 5):
        so_far = year_to_date(quarters[:done], YtdRule.SUM)
        judged = rules.assess_to_date(
            so_far,
            rules.TargetPart("annual", value=annual),
            done=done,
            of=4,
            polarity=Polarity.HIGHER,
            tolerance=tolerance,
        )
        assert judged.status is GREEN


@given(values, annual_targets, shares, directional, comparators, relative)
def test_judging_to_date_is_judging_the_run_rate_against_the_whole_year(
    so_far, annual, share, polarity, comparator, tolerance
):
    """With a relative tolerance, the year to date after k of n periods against k/n of the
    target gets the status its run rate (n/k times it) gets against the whole target."""
    assume(_consistent(comparator, polarity))
    done, of = share
    part = rules.TargetPart("annual", comparator, annual)
    how = {"polarity": polarity, "tolerance": tolerance}
    to_date = rules.assess_to_date(so_far, part, done=done, of=of, **how)
    # so_far * of against annual * done: the run rate scaled by done, exact in Decimal.
    scaled = assess(so_far * of, rules.TargetPart("annual", comparator, annual * done), **how)
    assert to_date.status == scaled.status


@given(annual_targets, st.sampled_from([1, 2, 4, 12]))
def test_the_target_to_date_grows_in_step_and_ends_at_the_whole_target(annual, of):
    part = rules.TargetPart("annual", value=annual)
    steps = [rules.pro_rata(part, done, of).value for done in range(1, of + 1)]
    assert steps[-1] == annual
    assert steps == sorted(steps)
    assert all(abs(step - annual * done / of) < D("1e-20") for done, step in enumerate(steps, 1))


# ---------------------------------------------------------------------------
# Reporting frequency


def key(code: str) -> PeriodKey:
    return parse_period(code)


@pytest.mark.parametrize(
    "frequency, due, not_due",
    [
        ("quarterly", ["Q1", "Q2", "Q3", "Q4", "H1", "H2", ""], ["P1", "P3", "P12"]),
        ("biannual", ["Q2", "Q4", "H1", "H2", ""], ["Q1", "Q3", "P6", "P12"]),
        ("annual", ["Q4", ""], ["Q1", "Q2", "Q3", "H1", "H2", "P12"]),
        ("monthly", ["P1", "P7", "P12", "Q1", "Q3", "H1", ""], []),
    ],
)
def test_a_period_fits_the_reporting_frequency(frequency, due, not_due):
    for code in due:
        assert rules.is_due(frequency, key(f"2019/20 {code}".strip())), code
    for code in not_due:
        assert not rules.is_due(frequency, key(f"2019/20 {code}")), code


def test_the_quarters_each_frequency_is_entered_in():
    assert rules.due_quarters("annual") == (4,)
    assert rules.due_quarters("biannual") == (2, 4)
    assert rules.due_quarters("quarterly") == (1, 2, 3, 4)
    assert rules.due_quarters("monthly") == (1, 2, 3, 4)


def test_a_period_not_due_is_explained_in_words():
    assert rules.not_due_reason("SI-3", "annual", key("2019/20 Q2")) == (
        "SI-3 is reported annually, so is not due for 2019/20 Q2: "
        "enter its actual for Q4 (the year end) or the whole year."
    )
    assert rules.due_in_words("biannual") == (
        "Reported twice a year: enter its actual for Q2 and Q4 (the half-year ends) or H1 and H2."
    )


def test_the_period_before_is_the_last_one_due():
    assert rules.previous_due("biannual", key("2019/20 Q4")) == key("2019/20 Q2")
    assert rules.previous_due("biannual", key("2019/20 Q2")) == key("2018/19 Q4")
    assert rules.previous_due("annual", key("2019/20 Q4")) == key("2018/19 Q4")
    assert rules.previous_due("quarterly", key("2019/20 Q1")) == key("2018/19 Q4")
    assert rules.previous_due("annual", key("2019/20")) == key("2018/19")


period_keys = st.one_of(
    st.builds(PeriodKey, st.just(2019), st.just(PeriodKind.YEAR), st.just(1)),
    st.builds(PeriodKey, st.just(2019), st.just(PeriodKind.HALF), st.integers(1, 2)),
    st.builds(PeriodKey, st.just(2019), st.just(PeriodKind.QUARTER), st.integers(1, 4)),
    st.builds(PeriodKey, st.just(2019), st.just(PeriodKind.MONTH), st.integers(1, 12)),
)
ORDER = [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.BIANNUAL, Frequency.ANNUAL]


@given(period_keys, st.integers(0, 2))
def test_more_frequent_reporting_takes_every_period_less_frequent_reporting_does(period, i):
    more, less = ORDER[i], ORDER[i + 1]
    if rules.is_due(less, period):
        assert rules.is_due(more, period)


@given(period_keys, st.sampled_from(ORDER))
def test_the_year_end_is_always_due_and_a_due_period_ends_on_a_reporting_date(period, frequency):
    assert rules.is_due(frequency, PeriodKey(2019, PeriodKind.QUARTER, 4))
    assert rules.is_due(frequency, PeriodKey(2019, PeriodKind.YEAR))
    months = {"monthly": 1, "quarterly": 3, "biannual": 6, "annual": 12}[frequency]
    if rules.is_due(frequency, period):
        assert (period.end.month - 3) % months == 0  # March is month 12 of the year
