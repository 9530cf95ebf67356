"""Bad parameters answer 404 (or 400), never 500, and a GET never creates a row.

The findings of the probe, one by one: out-of-range periods on the indicator, grid,
update and quick-report pages, a year-zero period, a year-zero finance address, the
sign-in page pointing at itself, and a councillor's period GETs creating periods.
"""

from __future__ import annotations

import pytest

from goldenthread.core.models import Period, period_or_404
from goldenthread.core.periods import PeriodError, PeriodKey, PeriodKind, parse_period
from goldenthread.performance.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

BAD_PERIODS = ["9999/00 Q4", "0000/01 Q1", "1999/00 Q1", "2100/01", "2019/20 Q5", "nonsense"]


@pytest.fixture
def indicator(people):
    return IndicatorFactory()


def pages(indicator, action) -> list[str]:
    return [
        "/indicators/",
        f"/indicators/{indicator.ref}/",
        f"/indicators/services/{indicator.service.code}/",
        "/indicators/exceptions/",
        "/indicators/upload/template.csv",
        f"/plans/{action.plan.code}/",
        f"/plans/{action.plan.code}/export.csv",
        f"/action/{action.pk}/update/",
        "/reports/papers/plans.progress/",
    ]


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_a_bad_period_is_not_found_on_every_page(client, people, indicator, action, text):
    client.force_login(people["admin"])
    before = Period.objects.count()
    for url in pages(indicator, action):
        response = client.get(url, {"period": text, "subject": action.plan.code})
        assert response.status_code in (400, 404), (url, response.status_code)
    assert Period.objects.count() == before


@pytest.mark.parametrize("role", ["admin", "lead", "reader", "approver"])
def test_ten_period_gets_create_no_period(client, people, indicator, action, role):
    client.force_login(people[role])
    before = Period.objects.count()
    for year in range(2030, 2040):
        for url in ["/indicators/", f"/indicators/{indicator.ref}/", "/indicators/exceptions/"]:
            response = client.get(url, {"period": f"{year}/{(year + 1) % 100:02d} Q1"})
            assert response.status_code in (200, 403, 404), url
    assert Period.objects.count() == before


@pytest.mark.parametrize("year", ["0000-01", "9999-00", "1999-00", "2019-21"])
def test_a_finance_year_out_of_range_is_not_found(client, people, year):
    client.force_login(people["admin"])
    for page in ["outturn", "forecast", "budget", "reserves"]:
        assert client.get(f"/finance/{year}/{page}/").status_code == 404


def test_a_finance_report_year_out_of_range_is_not_found(client, people):
    client.force_login(people["admin"])
    assert client.get("/finance/reports/outturn/0000-01.xlsx").status_code == 404


@pytest.mark.parametrize("text", ["9999/00 Q4", "0000/01 Q1", "2100/01", "1999/00"])
def test_years_out_of_range_are_not_periods(text):
    with pytest.raises(PeriodError, match="not a financial year we keep"):
        parse_period(text)


def test_the_range_ends_are_periods():
    assert parse_period("2000/01 Q1").start.year == 2000
    assert parse_period("2099/00 Q4").end.year == 2100


def test_period_or_404_never_creates(db):
    from django.http import Http404

    with pytest.raises(Http404):
        period_or_404("9999/00 Q4")
    with pytest.raises(Http404):
        period_or_404("2019/20 Q1", stored=True)
    placeholder = period_or_404("2019/20 Q1")
    assert placeholder.code == "2019/20 Q1" and not placeholder.is_stored
    assert Period.objects.count() == 0
    stored = Period.objects.for_code("2019/20 Q1")
    assert period_or_404("2019/20 Q1", stored=True) == stored


def test_a_placeholder_period_finds_nothing_and_is_never_saved(db):
    key = PeriodKey(2030, PeriodKind.QUARTER, 1)
    placeholder = Period.objects.to_read(key)
    assert Period.objects.existing(key) is None
    assert not Period.objects.filter(pk=placeholder.pk).exists()
    with pytest.raises(ValueError, match="never saved"):
        placeholder.save()
    assert Period.objects.count() == 0


def test_a_period_out_of_range_is_never_stored(db):
    with pytest.raises(PeriodError):
        Period(year=0, kind="quarter", number=1).save()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/indicators/", {"service": "a\x00b"}),
        ("/plans/a%00b/", {}),
        ("/indicators/services/%00/", {}),
        ("/golden-thread/%00/", {}),
    ],
)
def test_a_nul_character_is_a_bad_request(client, people, url, params):
    client.force_login(people["admin"])
    assert client.get(url, params).status_code == 400
    assert client.post(url, {"period": "2019/20 Q1\x00"}).status_code == 400


def test_set_up_refuses_a_period_out_of_range(client, people):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/setup/core/period/add/", {"year": "9999", "kind": "quarter", "number": "1"}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "not a financial year we keep" in response.content.decode()
    assert not Period.objects.exists()
