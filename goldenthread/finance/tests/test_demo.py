"""The demo's computed totals and shares equal seed 001's published ones, figure by figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from goldenthread.core.models import AuditEntry, Organisation
from goldenthread.demo import loader
from goldenthread.finance import demo, reading, rules, tracker
from goldenthread.finance.models import BudgetLine, SavingsItem


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The loader holds no role, as in ``manage.py load_demo``; the figures are read as an
        # administrator.
        by = get_user_model().objects.create(username="finance-loader-for-tests")
        reader = get_user_model().objects.create(username="finance-admin-for-tests")
        reader.role_grants.create(role="administrator")
        loader.load_organisations(by)
        demo.load(by, lambda message: None)
        yield {"by": by, "admin": reader}
        call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


def admin(seed):
    return seed["admin"]


def by_code(values: dict) -> dict[str, Decimal]:
    return {p.code: v for p, v in values.items()}


def existing():
    return tracker.savings(SavingsItem.Status.EXISTING)


def test_2019_20_savings_are_943000_split_456000_and_487000(seed):
    year = existing().year(2019)
    assert year.total == Decimal(-943000)
    assert by_code(year.by_partner) == {"LBH": -456000, "LBN": -487000, "LBB": 0}
    assert rules.pounds(year.total) == "(£943,000)"


def test_2019_20_savings_shares_are_48_and_52_percent(seed):
    assert by_code(existing().year(2019).percentages) == {"LBH": 48, "LBN": 52, "LBB": 0}


def test_table_1_fills_the_two_blank_totals_from_their_parts(seed):
    year = existing().year(2019)
    totals = {item.title: year.item_total(amounts) for item, amounts in year.items}
    assert totals["Sale of oneSource services"] == Decimal(-64000)
    assert totals["Enforcement Income"] == Decimal(-67000)


def test_future_savings_are_1058000_1092000_and_306000(seed):
    view = existing()
    assert [view.year(y).total for y in (2020, 2021, 2022)] == [-1058000, -1092000, -306000]
    assert view.years_total([2020, 2021, 2022]) == Decimal(-2456000)


def test_future_savings_by_item_keep_the_seeds_order_and_totals(seed):
    view = existing()
    future = [
        (item.title, view.item_total(item) - view.item_by_year(item).get(2019, 0))
        for item in view.items
    ]
    assert future[2] == ("oneSource include more services into model", Decimal(-400000))
    assert dict(future)["Sale of oneSource services"] == Decimal(-557000)


def test_future_savings_split_67_and_33_percent(seed):
    totals = existing().partner_totals([2020, 2021, 2022])
    assert by_code(totals) == {"LBH": -1645000, "LBN": -811000, "LBB": 0}
    assert by_code(rules.percentages(totals)) == {"LBH": 67, "LBN": 33, "LBB": 0}


def test_the_potential_savings_are_4m_of_which_newham_3_8m(seed):
    view = tracker.savings(SavingsItem.Status.POTENTIAL)
    assert view.years_total() == Decimal(-4000000)
    assert by_code(view.partner_totals())["LBN"] == Decimal(-3800000)


def test_the_2019_20_delivery_actions_add_up_to_the_years_savings(seed):
    actions = [a for a in existing().actions if a.first_year == 2019]
    assert sum(a.amount for a in actions) == existing().year(2019).total


def test_shared_2018_19_underspend_is_727k_split_307k_418k_and_2k(seed):
    view = reading.outturn(admin(seed), 2018)
    assert rules.millions(view.shared.variance) == "(£0.727m)"
    split = {p.code: rules.millions(v) for p, v in view.shared.by_partner.items()}
    assert split == {"LBH": "(£0.307m)", "LBN": "(£0.418m)", "LBB": "(£0.002m)"}
    assert sum(view.shared.by_partner.values()) == view.shared.variance
    assert view.problems == []


def test_bexleys_share_is_not_material_enough_to_transfer(seed):
    view = reading.outturn(admin(seed), 2018)
    assert {p.code for p in view.transferred} == {"LBH", "LBN"}


def test_non_shared_2018_19_outturn_per_partner(seed):
    view = reading.outturn(admin(seed), 2018)
    got = {p.code: rules.millions(view.non_shared_total(p)) for p in view.non_shared_partners}
    assert got == {"LBH": "(£0.835m)", "LBN": "(£1.193m)", "LBB": "(£0.445m)"}


def test_reserves_at_31_march_2019_total_1926034(seed):
    view = reading.reserves(admin(seed), 2018)
    assert by_code(view.closing) == {"LBB": -63112, "LBH": -867880, "LBN": -995042}
    assert rules.pounds(view.closing_total, symbol=False) == "(1,926,034)"


def test_the_period_11_forecast_is_375k_under_split_by_partner(seed):
    view = reading.forecast(admin(seed), 2018, 11)
    assert rules.millions(view.shared.variance) == "(£0.375m)"
    split = {p.code: rules.millions(v) for p, v in view.shared.by_partner.items()}
    assert split == {"LBH": "(£0.146m)", "LBN": "(£0.394m)", "LBB": "£0.165m"}
    non_shared = {r.line.partner.code: r.variance for r in view.non_shared.rows}
    assert non_shared == {"LBH": 56000, "LBN": -27000, "LBB": 0}


def test_the_2019_20_base_budget_is_33508m_shared_and_12942m_non_shared(seed):
    view = reading.budget(admin(seed), 2019)
    assert rules.millions(view.shared.budget) == "£33.508m"
    assert rules.millions(view.non_shared.budget) == "£12.942m"
    assert sum(view.shared.by_partner.values()) == view.shared.budget


def test_future_savings_grossed_up_come_in_the_region_of_10m(seed):
    views = [existing(), tracker.savings(SavingsItem.Status.POTENTIAL)]
    view = tracker.contribution("Future", views, [2020, 2021, 2022])
    assert Decimal(-10500000) < view.grossed_up < Decimal(-9000000)
    newham = Organisation.objects.get(code="LBN")
    assert view.grossed_up_parts[newham] <= view.rows[newham].planned  # Newham's plan is covered


def test_loading_twice_changes_nothing(seed):
    lines, entries = BudgetLine.objects.count(), AuditEntry.objects.count()
    demo.load(seed["by"], lambda message: None)
    assert (BudgetLine.objects.count(), AuditEntry.objects.count()) == (lines, entries)


def test_the_home_page_gives_the_seeds_headline_figures(seed, client):
    import re

    client.force_login(admin(seed))
    page = client.get("/").content.decode()
    panel = re.sub(r"\s+", " ", re.search(r'id="home-finance">(.*?)</ul>', page, re.S).group(1))
    assert "Shared outturn 2018/19</a>: (£0.727m) (Havering (£0.307m), Newham (£0.418m)," in panel
    assert "Shared savings 2019/20</a>: (£943,000) (Havering 48%, Newham 52%" in panel
