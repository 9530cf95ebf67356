"""The delegation function, directly and with hypothesis, against the seed's tables."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.delegation import rules
from goldenthread.delegation.demo import DATA_FILE

SEED = Path(__file__).with_name("seed_001_writeoff_limits.txt")
DEBT_TYPES = ["citizen", "business", "negotiated"]


def _data() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


SCHEME_DATA = _data()["councils"][0]["schemes"][0]["definition"]
SCHEME = rules.parse_scheme(SCHEME_DATA)

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("10000000"), places=2, allow_nan=False
)
debt_types = st.sampled_from(DEBT_TYPES)
post_keys = st.sampled_from([p.key for p in SCHEME.posts])


def _words(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def seed_tables() -> tuple[list[tuple[str, str]], list[dict]]:
    """The seed's level table and its three write-off tables, as printed.

    A row starts with a value in its first column; the lines under it with an empty
    first column continue its delegation and source cells.
    """
    lines = SEED.read_text(encoding="utf-8").splitlines()
    levels: list[tuple[str, str]] = []
    tables: list[dict] = []
    heading = description = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("Designated Level of Authority"):
            i += 1
            while i < len(lines) and lines[i].strip():
                level, posts, *_ = lines[i].split("\t")
                levels.append((level.strip(), _words(posts)))
                i += 1
            continue
        if line.startswith("Debt Value"):
            rows: list[list[str]] = []
            i += 1
            while i < len(lines) and lines[i].strip():
                cells = (lines[i].split("\t") + ["", "", ""])[:3]
                if cells[0].strip():
                    rows.append([c.strip() for c in cells])
                else:
                    rows[-1][1] = f"{rows[-1][1]} {cells[1].strip()}"
                    rows[-1][2] = f"{rows[-1][2]} {cells[2].strip()}"
                i += 1
            tables.append(
                {
                    "heading": heading,
                    "description": description,
                    "rows": [tuple(_words(c) for c in row) for row in rows],
                }
            )
            heading = description = ""
            continue
        if line.strip() and "\t" not in line:
            if line.startswith("To agree"):
                description = _words(line)
            elif len(line.split()) <= 3:
                heading = line.strip()
        i += 1
    return levels, tables


def test_the_seed_tables_are_read_whole():
    levels, tables = seed_tables()
    assert len(levels) == 4
    assert [t["heading"] for t in tables] == [
        "Citizen Debts",
        "Business Debts",
        "Negotiated Settlements",
    ]
    assert all(len(t["rows"]) == 5 for t in tables)


def test_it_reprints_the_seeds_three_tables_from_the_data():
    levels, tables = seed_tables()
    assert rules.printed_levels(SCHEME) == levels
    for key, table in zip(DEBT_TYPES, tables, strict=True):
        kind = SCHEME.debt_type(key)
        assert kind.title.lower() == table["heading"].lower()
        assert _words(kind.description) == table["description"]
        assert rules.printed_table(SCHEME, key) == table["rows"], key


def test_the_negotiated_settlements_note_is_the_seeds_last_line():
    last = SEED.read_text(encoding="utf-8").strip().splitlines()[-1]
    assert SCHEME.debt_type("negotiated").note == last.strip()


def test_the_reprint_would_notice_a_changed_cell():
    changed = yaml.safe_load(yaml.safe_dump(SCHEME_DATA))
    changed["debt_types"][1]["bands"][2]["printed_delegation"] = "Director alone"
    _, tables = seed_tables()
    assert rules.printed_table(rules.parse_scheme(changed), "business") != tables[1]["rows"]


@given(amount=amounts, debt_type=debt_types)
def test_every_amount_is_in_exactly_one_band(amount, debt_type):
    bands = SCHEME.debt_type(debt_type).bands
    holding = [b for b in bands if b.holds(amount)]
    assert len(holding) == 1
    assert rules.band_for(SCHEME, debt_type, amount) == holding[0]


@given(amount=amounts, debt_type=debt_types, lower=post_keys, higher=post_keys)
def test_a_more_senior_level_may_decide_what_a_less_senior_one_may(
    amount, debt_type, lower, higher
):
    low, high = SCHEME.post(lower), SCHEME.post(higher)
    if high.level < low.level and rules.may_decide(SCHEME, debt_type, amount, lower):
        assert rules.may_decide(SCHEME, debt_type, amount, higher)


@given(amount=amounts, smaller=amounts, debt_type=debt_types, post=post_keys)
def test_a_post_that_may_decide_an_amount_may_decide_any_smaller_one(
    amount, smaller, debt_type, post
):
    if smaller <= amount and rules.may_decide(SCHEME, debt_type, amount, post):
        assert rules.may_decide(SCHEME, debt_type, smaller, post)


@given(amount=amounts, debt_type=debt_types)
def test_the_post_routed_to_may_decide_and_is_the_least_senior_that_may(amount, debt_type):
    routing = rules.route(SCHEME, debt_type, amount)
    assert routing.deciding_post in routing.may_decide
    assert routing.may_decide[-1] == routing.deciding_post
    assert routing.source_text == "s.101 LGA 1972, s.9E LGA 2000"


# The boundaries the issue names, and each printed band's own end points.
BOUNDARIES = [
    ("10000", "Up to £10,000"),
    ("10000.01", "£10,001 - £25,000"),
    ("10001", "£10,001 - £25,000"),
    ("25000", "£10,001 - £25,000"),
    ("25000.01", "£25,001 - £100,000"),
    ("25001", "£25,001 - £100,000"),
    ("100000", "£25,001 - £100,000"),
    ("100001", "£100,001 - £500,000"),
    ("500000", "£100,001 - £500,000"),
    ("500000.01", "£500,000 +"),
    ("0.01", "Up to £10,000"),
]


@pytest.mark.parametrize("debt_type", DEBT_TYPES)
@pytest.mark.parametrize(("amount", "label"), BOUNDARIES)
def test_boundary_amounts_go_where_the_printed_tables_say(debt_type, amount, label):
    assert rules.band_for(SCHEME, debt_type, Decimal(amount)).label == label


_POUNDS = re.compile(r"£([\d,]+)")


@pytest.mark.parametrize("debt_type", DEBT_TYPES)
def test_each_printed_range_holds_its_own_end_points(debt_type):
    for band in SCHEME.debt_type(debt_type).bands:
        figures = [Decimal(f.replace(",", "")) for f in _POUNDS.findall(band.printed_value)]
        if band.label.startswith("Up to"):
            assert band.holds(figures[0]) and not band.holds(figures[0] + rules.PENNY)
        elif band.label.endswith("+"):
            assert band.holds(figures[0] + rules.PENNY)
        else:
            low, high = figures
            assert band.holds(low) and band.holds(high)
            assert not band.holds(high + rules.PENNY)


def test_a_30000_business_debt_goes_to_a_director_consulting_two():
    routing = rules.route(SCHEME, "business", Decimal("30000.00"))
    assert routing.deciding_post.key == "director"
    assert routing.consultees == (
        "Cabinet Member for Finance and Property",
        "Section 151 officer (or officer nominated by her)",
    )
    assert [p.key for p in routing.may_decide] == [
        "chief_executive",
        "chief_operating_officer",
        "director",
    ]


def test_the_empty_citizen_band_falls_to_the_chief_executive_with_the_leader():
    routing = rules.route(SCHEME, "citizen", Decimal("200000"))
    assert routing.deciding_post.key == "chief_executive"
    assert routing.consultees == ("Leader of the Council",)
    assert routing.taken_from is not None and routing.taken_from.label == "£500,000 +"
    assert not routing.source_printed
    assert routing.source_text == "s.101 LGA 1972, s.9E LGA 2000"


def test_the_chief_operating_officer_decides_lower_citizen_debts_by_level_only():
    assert rules.may_decide(SCHEME, "citizen", Decimal("50000"), "chief_operating_officer")
    assert not rules.may_decide(SCHEME, "citizen", Decimal("200000"), "chief_operating_officer")
    assert not rules.may_decide(SCHEME, "business", Decimal("600000"), "chief_operating_officer")


def test_the_largest_business_debts_consult_three_in_order():
    routing = rules.route(SCHEME, "business", Decimal("750000"))
    assert routing.consultees == (
        "Leader of the Council",
        "Section 151 officer (or officer nominated by her)",
        "Monitoring Officer",
    )


def test_a_star_is_kept_as_printed_and_changes_nothing():
    marked = [b for k in SCHEME.debt_types for b in k.bands if b.marked]
    assert [b.printed_value for b in marked] == [
        "£25,001 - £100,000*",
        "£100,001 - £500,000*",
        "£25,001 - £100,000*",
    ]
    business = rules.route(SCHEME, "business", Decimal("50000"))
    citizen = rules.route(SCHEME, "citizen", Decimal("50000"))
    assert business.deciding_post == citizen.deciding_post
    assert business.consultees == citizen.consultees


@pytest.mark.parametrize("amount", ["0", "-5", "0.001", "99999999999"])
def test_it_refuses_amounts_that_cannot_be_written_off(amount):
    with pytest.raises(rules.AmountError):
        rules.band_for(SCHEME, "business", Decimal(amount))


def test_it_refuses_a_scheme_with_a_gap_between_bands():
    broken = yaml.safe_load(yaml.safe_dump(SCHEME_DATA))
    broken["debt_types"][0]["bands"][3]["above"] = 11000
    with pytest.raises(rules.SchemeError, match="does not follow on"):
        rules.parse_scheme(broken)


def test_it_refuses_a_band_naming_an_unknown_post():
    broken = yaml.safe_load(yaml.safe_dump(SCHEME_DATA))
    broken["debt_types"][0]["bands"][0]["decides"] = "mayor"
    with pytest.raises(rules.SchemeError, match="no post"):
        rules.parse_scheme(broken)


def test_the_version_in_force_is_the_latest_adopted_by_that_day():
    versions = [rules.Version(1, date(2019, 6, 3)), rules.Version(2, date(2020, 4, 1))]
    assert rules.in_force(versions, date(2019, 6, 2)) is None
    assert rules.in_force(versions, date(2019, 6, 3)).number == 1
    assert rules.in_force(versions, date(2020, 3, 31)).number == 1
    assert rules.in_force(versions, date(2020, 4, 1)).number == 2


def test_a_request_is_decided_once():
    state = rules.next_state("submitted", rules.Event.WRITE_OFF)
    assert state is rules.State.WRITTEN_OFF
    with pytest.raises(rules.TransitionRefused, match="written off"):
        rules.next_state(state, rules.Event.REFUSE)


def test_a_returned_request_is_resubmitted_and_decided_again():
    state = rules.next_state("submitted", rules.Event.RETURN)
    assert rules.next_state(state, rules.Event.RESUBMIT) is rules.State.SUBMITTED
    with pytest.raises(rules.TransitionRefused):
        rules.next_state(state, rules.Event.WRITE_OFF)
