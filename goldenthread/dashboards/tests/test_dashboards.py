"""Dashboards per role: a partner's reader sees their own only; every number opens the
plan page's list behind it, which holds as many items."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from goldenthread.core.models import Period
from goldenthread.plans import changes, periods
from tests.factories import ActionFactory, OrganisationFactory, SectionFactory


@pytest.fixture
def reported(plan, people, partners):
    """Q1 published: IP40 (all) Green, IP41 (Havering) Red, IP51 (all) complete; IP50
    (Bexley) and IP52 (all, past its target) without an update. Q2 open: IP50 Green,
    approved but not yet published."""
    admin = people["admin"]
    q1, q2 = Period.objects.for_code("2019/20 Q1"), Period.objects.for_code("2019/20 Q2")
    section = SectionFactory(plan=plan, title="ICT")
    actions = {
        "IP40": ActionFactory(section=section, ref="IP40"),
        "IP41": ActionFactory(section=section, ref="IP41", partner_list=[partners["LBH"]]),
        "IP50": ActionFactory(section=section, ref="IP50", partner_list=[partners["LBB"]]),
        "IP51": ActionFactory(section=section, ref="IP51"),
        "IP52": ActionFactory(section=section, ref="IP52", target_date=date(2019, 5, 1)),
    }
    periods.open_period(plan, q1, None, by=admin)
    for ref, status in [("IP40", "G"), ("IP41", "R"), ("IP51", "B")]:
        update = changes.record_update(actions[ref], q1, by=admin, status=status, progress="x")
        changes.approve_update(update, by=admin)
    periods.publish_period(plan, q1, by=admin, confirmed=True)
    periods.open_period(plan, q2, None, by=admin)
    update = changes.record_update(actions["IP50"], q2, by=admin, status="G", progress="x")
    changes.approve_update(update, by=admin)
    return actions


def url(code: str) -> str:
    return reverse("dashboards:dashboard", args=[code])


def plan_row(page: str, plan) -> str:
    return re.search(rf'data-plan="{plan.code}">(.*?)</tr>', page, re.S).group(1)


def figures(row: str) -> dict[str, tuple[int, str]]:
    """Status code or flag → (number, link)."""
    found = {}
    for attrs, number in re.findall(r'<a ([^>]*data-status="[^"]+"[^>]*)>.*?</strong> (\d+)', row):
        code = re.search(r'data-status="([^"]+)"', attrs).group(1)
        found[code] = (int(number), html.unescape(re.search(r'href="([^"]+)"', attrs).group(1)))
    for attrs, number in re.findall(r"<a ([^>]*data-flag=\"\w+\"[^>]*)>(\d+)", row):
        flag = re.search(r'data-flag="(\w+)"', attrs).group(1)
        found[flag] = (int(number), html.unescape(re.search(r'href="([^"]+)"', attrs).group(1)))
    return found


def listed(client, link: str) -> int:
    page = client.get(link).content.decode()
    return len(re.findall(r'id="action-row-\d+"', page))


def test_it_requires_sign_in(client, partners):
    response = client.get(url("LBB"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "who, own, others",
    [
        ("admin", ["OS", "LBB", "LBH", "LBN"], []),
        ("lead", ["OS", "LBB", "LBH", "LBN"], []),
        ("reader", ["LBB"], ["LBH", "LBN", "OS"]),  # Bexley's reader
        ("approver", ["LBH"], ["LBB", "LBN", "OS"]),  # Havering's approver
    ],
)
def test_each_role_opens_only_its_own_dashboards(client, plan, people, who, own, others):
    OrganisationFactory(code="OS", kind="shared_service")
    client.force_login(people[who])
    index = client.get(reverse("dashboards:index")).content.decode()
    for code in own:
        assert client.get(url(code)).status_code == 200, code
        assert f'href="{url(code)}"' in index
    for code in others:
        assert client.get(url(code)).status_code == 404, code
        assert f'href="{url(code)}"' not in index


def test_an_unknown_dashboard_is_not_found(client, people):
    client.force_login(people["admin"])
    assert client.get(url("NOPE")).status_code == 404


def test_a_partners_dashboard_counts_the_published_position_of_its_items(client, reported, people):
    plan = reported["IP40"].plan
    for who in ("admin", "reader"):
        client.force_login(people[who])
        row = plan_row(client.get(url("LBB")).content.decode(), plan)
        assert "2019/20 Q1" in row  # the published period, not the open round
        found = figures(row)
        assert {code: n for code, (n, _) in found.items()} == {
            "G": 1,
            "B": 1,
            "none": 2,  # IP50 and IP52; Havering's IP41 is not Bexley's
            "total": 4,
            "overdue": 1,  # IP52
            "stale": 2,
        }, who


def test_every_number_opens_a_list_of_as_many_items(client, reported, people):
    client.force_login(people["reader"])
    row = plan_row(client.get(url("LBB")).content.decode(), reported["IP40"].plan)
    for code, (number, link) in figures(row).items():
        assert "partner=LBB" in link and "period=2019%2F20+Q1" in link
        assert listed(client, link) == number, code


def test_the_shared_services_dashboard_counts_every_item(client, reported, people):
    client.force_login(people["admin"])
    row = plan_row(client.get(url("OS")).content.decode(), reported["IP40"].plan)
    found = {code: n for code, (n, _) in figures(row).items()}
    assert (found["G"], found["R"], found["B"], found["none"], found["total"]) == (1, 1, 1, 2, 5)


def test_the_dashboard_names_indicators_and_finance_even_without_figures(client, reported, people):
    client.force_login(people["admin"])
    page = client.get(url("LBB")).content.decode()
    assert "No indicators." in page or "off target" in page
    assert "No finance figures yet." in page or "outturn" in page


def test_the_menu_offers_dashboards(client, people):
    client.force_login(people["reader"])
    assert f'href="{reverse("dashboards:index")}"' in client.get(reverse("home")).content.decode()


@pytest.fixture
def nndr(partners):
    """NNDR collection for Havering (on target) and Newham (amber) in 2019/20 Q2."""
    from goldenthread.performance.tests.factories import IndicatorFactory, actual
    from tests.factories import ServiceFactory

    indicator = IndicatorFactory(
        ref="ET-06",
        service=ServiceFactory(code="ET"),
        tolerance=1,
        ytd_rule="latest",
        partner_list=[partners["LBH"], partners["LBN"]],
        target="98.70% (LBH) 99.6% (LBN)",
    )
    actual(indicator, "2019/20 Q2", 99.0, partners["LBH"])
    actual(indicator, "2019/20 Q2", 99.0, partners["LBN"])
    return indicator


def off_target(page: str) -> tuple[str, str | None]:
    card = re.search(r'data-testid="off-target">(.*?)</div>', page, re.S).group(1)
    number = re.search(r'gt-card__number">(\d+)<', card).group(1)
    link = re.search(r'href="([^"]+)"', card)
    return number, html.unescape(link.group(1)) if link else None


def test_indicators_off_target_are_the_partners_own_with_the_exception_report(client, nndr, people):
    OrganisationFactory(code="OS", kind="shared_service")
    client.force_login(people["admin"])
    exceptions = reverse("performance:exceptions")
    assert off_target(client.get(url("LBN")).content.decode()) == (
        "1",
        f"{exceptions}?period=2019/20%20Q2&partner=LBN",
    )
    assert off_target(client.get(url("LBH")).content.decode()) == ("0", None)
    assert off_target(client.get(url("OS")).content.decode())[0] == "1"
    client.force_login(people["approver"])  # Havering's: its own line only
    assert off_target(client.get(url("LBH")).content.decode()) == ("0", None)


def test_a_round_not_yet_reported_is_marked_draft(client, plan, people):
    """Nothing published yet: the administrator sees the open round, marked as a draft;
    a reader sees that nothing is reported."""
    OrganisationFactory(code="OS", kind="shared_service")
    ActionFactory(section=SectionFactory(plan=plan), ref="IP40")
    client.force_login(people["admin"])
    assert "Draft – not yet reported" in plan_row(client.get(url("OS")).content.decode(), plan)
    client.force_login(people["reader"])
    row = plan_row(client.get(url("LBB")).content.decode(), plan)
    assert "Nothing reported yet" in row and "Draft" not in row
