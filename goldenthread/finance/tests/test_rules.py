"""The money rules, directly and as properties: every split adds up to its whole to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.finance import rules

D = Decimal
PENNY = D("0.01")

amounts = st.integers(min_value=-(10**12), max_value=10**12).map(lambda p: D(p) * PENNY)


@st.composite
def formulas(draw, min_partners: int = 1, max_partners: int = 6) -> dict[str, Decimal]:
    """Percentages to three decimals, some of them zero, adding up to exactly 100."""
    count = draw(st.integers(min_partners, max_partners))
    cuts = sorted(draw(st.lists(st.integers(0, 100_000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100_000]
    return {f"P{i}": D(bounds[i + 1] - bounds[i]) / 1000 for i in range(count)}


@given(amounts, formulas())
def test_every_split_adds_up_to_its_whole_to_the_penny(amount, shares):
    parts = rules.split(amount, shares)
    assert sum(parts.values()) == amount
    assert all(part == part.quantize(PENNY) for part in parts.values())


@given(amounts, formulas())
def test_every_part_is_within_a_penny_of_its_exact_share(amount, shares):
    parts = rules.split(amount, shares)
    for key, share in shares.items():
        assert abs(parts[key] - amount * share / 100) < PENNY


@given(amounts, formulas())
def test_no_part_has_the_opposite_sign_and_a_zero_share_gets_nothing(amount, shares):
    parts = rules.split(amount, shares)
    for key, share in shares.items():
        assert parts[key] * amount >= 0
        if share == 0:
            assert parts[key] == 0


@given(st.lists(st.tuples(amounts, formulas(3, 3)), min_size=1, max_size=8))
def test_several_figures_split_and_added_add_up_to_their_total(figures):
    # Every formula here has the same partners P0-P2, as a year's services do.
    totals = rules.split_many(figures)
    assert sum(totals.values()) == sum(amount for amount, _ in figures)


@given(st.integers(0, 10**9).map(lambda p: D(p) * 1000), formulas())
def test_whole_pound_splits_stay_in_whole_pounds(amount, shares):
    parts = rules.split(amount, shares, unit=D(1))
    assert sum(parts.values()) == amount
    assert all(part == part.to_integral_value() for part in parts.values())


@given(st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 10**9).map(D), min_size=1))
def test_percentage_shares_always_add_up_to_100(parts):
    shares = rules.percentages(parts)
    assert sum(shares.values()) == (100 if any(parts.values()) else 0)


def test_the_seeds_savings_shares_are_48_52_and_67_33():
    assert rules.percentages({"LBH": D(-456000), "LBN": D(-487000), "LBB": D(0)}) == {
        "LBH": 48,
        "LBN": 52,
        "LBB": 0,
    }
    assert rules.percentages({"LBH": D(-1645000), "LBN": D(-811000)}) == {"LBH": 67, "LBN": 33}


def test_largest_remainder_gives_the_odd_penny_to_the_largest_remainder():
    assert rules.split(D("0.10"), {"A": D("33.334"), "B": D("33.333"), "C": D("33.333")}) == {
        "A": D("0.04"),
        "B": D("0.03"),
        "C": D("0.03"),
    }


def test_ties_go_to_the_earlier_share():
    assert rules.split(D("0.01"), {"A": D(50), "B": D(50)}) == {"A": D("0.01"), "B": D("0.00")}


def test_it_refuses_shares_that_do_not_add_up_to_100():
    with pytest.raises(rules.SplitError, match="99"):
        rules.split(D(100), {"A": D(49), "B": D(50)})


def test_it_refuses_a_negative_share():
    with pytest.raises(rules.SplitError, match="negative"):
        rules.split(D(100), {"A": D(-10), "B": D(110)})


def test_it_refuses_fractions_of_a_penny():
    with pytest.raises(rules.SplitError):
        rules.split(D("0.005"), {"A": D(100)})


def test_variance_is_actual_less_budget():
    assert rules.variance(D(1000), D(900)) == D(-100)


def test_a_reported_variance_stands_only_where_the_figures_are_not_held():
    assert rules.variance(None, None, D(-727000)) == D(-727000)
    assert rules.variance(D(1000), None, D(50)) == D(50)


def test_a_reported_variance_that_disagrees_with_the_figures_is_refused():
    with pytest.raises(rules.VarianceMismatch, match="difference of £50"):
        rules.variance(D(1000), D(900), D(-50))


def test_shares_below_the_threshold_are_not_transferred_to_reserves():
    shares = {"LBH": D(-307000), "LBN": D(-417986), "LBB": D(-2014)}
    assert rules.transfers_to_reserve(shares, D(5000)) == {"LBH": D(-307000), "LBN": D(-417986)}


@pytest.mark.parametrize(
    "amount, text",
    [
        (D(-727000), "(£0.727m)"),
        (D(-2014), "(£0.002m)"),
        (D(165000), "£0.165m"),
        (D(-400), "£0.000m"),
        (D(33508000), "£33.508m"),
    ],
)
def test_millions_put_underspends_in_brackets(amount, text):
    assert rules.millions(amount) == text


def test_pounds_put_savings_in_brackets_with_thousands_separators():
    assert rules.pounds(D(-943000)) == "(£943,000)"
    assert rules.pounds(D(-1926034), symbol=False) == "(1,926,034)"
    assert rules.pounds(D("1234.5"), pence=True) == "£1,234.50"
    assert rules.pounds(None) == ""


@pytest.mark.parametrize(
    "text, value",
    [
        ("- 100,000", D(-100000)),
        ("(100,000)", D(-100000)),
        ("£1,058,000", D(1058000)),
        ("(£0.727m)", D(-727000)),
        ("£0.375m", D(375000)),
        ("-", None),
        ("", None),
        (1234, D(1234)),
        (12.5, D("12.5")),
    ],
)
def test_it_reads_figures_as_the_seeds_write_them(text, value):
    assert rules.parse_amount(text) == value


@pytest.mark.parametrize("text", ["abc", "(-5)", "1.005", "12,3x"])
def test_it_refuses_what_is_not_money(text):
    with pytest.raises(ValueError, match="not"):
        rules.parse_amount(text)


@given(st.integers(-(10**12), 10**12).map(lambda p: D(p) * PENNY))
def test_printed_pounds_read_back_to_the_same_figure(amount):
    assert rules.parse_amount(rules.pounds(amount, pence=True)) == amount


def test_a_stated_total_must_equal_the_parts():
    total, mismatch = rules.check_total(
        "Sale", "Total", D(-557000), [D(-64000), D(-279000), D(214000)]
    )
    assert total == D(-129000)
    assert mismatch.difference == D(-428000)
    assert "difference of (£428,000)" in str(mismatch)


def test_a_blank_total_is_filled_from_the_parts():
    assert rules.check_total("Sale", "Total", None, [D(-64000), None]) == (D(-64000), None)


def test_by_contribution_compares_the_plan_with_the_formula():
    rows = rules.by_contribution(
        {"LBH": D(-456000), "LBN": D(-487000), "LBB": D(0)},
        {"LBH": D("42.5"), "LBN": D(50), "LBB": D("7.5")},
    )
    assert rows["LBB"].by_contribution == D(-70725)
    assert rows["LBB"].gap == D(70725)
    assert sum(r.by_contribution for r in rows.values()) == D(-943000)


@given(
    st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(-(10**9), 0).map(D), min_size=1),
    formulas(3, 3).filter(lambda f: all(v > 0 for v in f.values())),
)
def test_grossing_up_covers_every_partners_plan(planned, shares):
    shares = dict(zip(["A", "B", "C"], shares.values(), strict=True))
    total = rules.grossed_up_total(planned, shares)
    for key, amount in planned.items():
        assert abs(total) * shares[key] / 100 >= abs(amount)


def test_grossing_up_refuses_a_plan_for_a_partner_without_a_share():
    with pytest.raises(rules.SplitError, match="no share"):
        rules.grossed_up_total({"LBB": D(-10)}, {"LBH": D(50), "LBN": D(50)})


def test_years_and_periods_read_as_the_papers_write_them():
    assert rules.parse_year("2019/20") == rules.parse_year("19/20") == 2019
    assert rules.parse_month("P11", 2018) == rules.parse_month("2018/19 P11", 2018) == 11
    with pytest.raises(ValueError, match="P1 to P12"):
        rules.parse_month("P13", 2018)
    with pytest.raises(ValueError, match="not in 2019/20"):
        rules.parse_month("2018/19 P11", 2019)


def test_a_delivery_status_always_has_its_word():
    assert rules.delivery_status("A").label == "Amber"
    assert rules.delivery_status("").label == "Not assessed"
    with pytest.raises(ValueError, match="not a delivery status"):
        rules.delivery_status("X")
