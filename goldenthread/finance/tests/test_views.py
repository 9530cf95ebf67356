"""Every finance view as administrator, owning lead, another lead and another partner's reader."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goldenthread.core.models import AuditEntry
from goldenthread.finance import changes
from goldenthread.finance.models import Forecast, ReserveMovement, SavingsAmount

pytestmark = pytest.mark.django_db

PAGES = [
    ("finance:index", {}),
    ("finance:outturn", {"year": 2019}),
    ("finance:forecast", {"year": 2019}),
    ("finance:budget", {"year": 2019}),
    ("finance:savings", {}),
    ("finance:contribution", {}),
]


def edit_url(line, period="P3"):
    return reverse("finance:forecast_edit", args=[line.pk]) + f"?period={period}"


def test_it_requires_sign_in(client, money):
    response = client.get(reverse("finance:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["admin", "lead", "other_lead", "reader"])
@pytest.mark.parametrize("name, kwargs", PAGES)
def test_every_page_opens_for_every_role(client, money, people, who, name, kwargs):
    client.force_login(people[who])
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_the_outturn_page_shows_the_split_and_the_non_shared_lines(client, money, people):
    client.force_login(people["admin"])
    page = client.get(reverse("finance:outturn", kwargs={"year": 2019})).content.decode()
    # ICT (£0.100m) split 40/60, HROD £0.050m split 40/60, FP (£0.010m) split 40/40/20.
    assert "(£0.060m)" in page  # the shared total
    assert "(£0.024m)" in page and "(£0.034m)" in page  # Havering and Newham
    assert "(£0.002m)" in page  # Bexley's 20% of finance
    assert "Havering&#x27;s own commercial property income." in page


def test_a_reader_of_bexley_sees_shared_figures_but_not_havering_non_shared(client, money, people):
    client.force_login(people["reader"])
    page = client.get(reverse("finance:outturn", kwargs={"year": 2019})).content.decode()
    assert "(£0.060m)" in page
    assert "commercial property income" not in page
    assert "(£0.005m)" in page  # Bexley's own non-shared underspend


def test_a_reader_sees_only_their_partners_reserve(client, money, people):
    client.force_login(people["reader"])
    page = client.get(reverse("finance:reserves", kwargs={"year": 2019})).content.decode()
    assert "(£50,000)" in page and "(£100,000)" not in page


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 302), ("other_lead", 403), ("reader", 403)]
)
def test_only_the_areas_lead_and_administrators_may_update_a_forecast(
    client, money, people, who, expected
):
    client.force_login(people[who])
    line = money["lines"]["ict"]
    response = client.post(
        edit_url(line), {"forecast": "1,020,000", "commentary": "Printing.", "version": "1"}
    )
    assert response.status_code == expected
    saved = Forecast.objects.get(line=line, period__number=3).forecast
    assert (saved == 1_020_000) is (expected == 302)


def test_the_other_lead_updates_their_own_area(client, money, people):
    client.force_login(people["other_lead"])
    response = client.post(
        edit_url(money["lines"]["hrod"], "P4"), {"forecast": "£0.5m", "version": "0"}
    )
    assert response.status_code == 302
    assert Forecast.objects.get(line=money["lines"]["hrod"], period__number=4).forecast == 500_000


@pytest.mark.parametrize(
    "who, shown", [("admin", True), ("lead", True), ("other_lead", False), ("reader", False)]
)
def test_the_update_link_shows_only_to_those_who_may_update(client, money, people, who, shown):
    client.force_login(people[who])
    page = client.get(reverse("finance:forecast", kwargs={"year": 2019})).content.decode()
    assert (reverse("finance:forecast_edit", args=[money["lines"]["ict"].pk]) in page) is shown


def test_a_forecast_saved_meanwhile_by_someone_else_is_not_overwritten(client, money, people):
    line = money["lines"]["ict"]
    changes.record_forecast(line, 3, by=people["admin"], forecast=1_010_000)  # now version 2
    client.force_login(people["lead"])
    response = client.post(edit_url(line), {"forecast": "990,000", "version": "1"})
    assert response.status_code == 409
    assert Forecast.objects.get(line=line, period__number=3).forecast == 1_010_000


def test_a_bad_figure_is_refused_naming_the_field(client, money, people):
    client.force_login(people["lead"])
    response = client.post(edit_url(money["lines"]["ict"]), {"forecast": "lots", "version": "1"})
    assert response.status_code == 400
    assert "Forecast outturn (£) must be an amount" in response.content.decode()


def test_a_forecast_update_is_audited_with_who_made_it(client, money, people):
    client.force_login(people["lead"])
    client.post(edit_url(money["lines"]["ict"]), {"forecast": "1,020,000", "version": "1"})
    entry = AuditEntry.objects.filter(field="forecast outturn (£)").first()
    assert entry.by == people["lead"] and entry.new == "1020000.00"


@pytest.mark.parametrize(
    "who, expected", [("admin", 200), ("lead", 403), ("other_lead", 403), ("reader", 403)]
)
def test_only_administrators_may_upload(client, money, people, who, expected):
    client.force_login(people[who])
    assert client.get(reverse("finance:upload")).status_code == expected


TABLE_1 = (
    "19/20 Savings,Havering,Newham,Bexley,Total\n"
    "oneSource Reduction in oneSource support,-100000,-150000,,-250000\n"
    "oneSource General Efficiency,-125000,-125000,,-250001\n"
    "Sale of oneSource services,-64000,,,\n"
)


def upload(client, content: str, name: str = "savings.csv", kind: str = "savings"):
    sheet = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("finance:upload"), {"kind": kind, "sheet": sheet, "status": "existing"}
    )


def test_a_savings_sheet_whose_total_disagrees_is_refused_naming_the_row_and_difference(
    client, money, people
):
    client.force_login(people["admin"])
    before = SavingsAmount.objects.count()
    response = upload(client, TABLE_1)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 3 (oneSource General Efficiency), Total" in page
    assert "a difference of (£1)" in page
    assert SavingsAmount.objects.count() == before  # nothing saved


def test_a_good_savings_sheet_is_loaded_with_its_blank_totals_filled(client, money, people):
    client.force_login(people["admin"])
    response = upload(client, TABLE_1.replace("-250001", "-250000"))
    assert response.status_code == 302
    sale = SavingsAmount.objects.get(item__title="Sale of oneSource services")
    assert (sale.year, sale.partner.code, sale.amount) == (2019, "LBH", -64000)


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 403)]
)
def test_only_administrators_record_the_delivery_of_savings(client, money, people, who, expected):
    client.force_login(people[who])
    url = reverse("finance:delivery", args=[money["item"].pk])
    response = client.post(url, {"delivery_rag": "A", "delivery_plan": "Automation."})
    assert response.status_code == expected
    money["item"].refresh_from_db()
    assert (money["item"].delivery_rag == "A") is (expected == 302)


def test_the_delivery_status_is_shown_with_its_word(client, money, people):
    changes.set_delivery(money["item"], by=people["admin"], rag="R", plan="")
    client.force_login(people["reader"])
    page = client.get(reverse("finance:savings")).content.decode()
    assert 'govuk-tag--red" title="Not expected to be delivered as planned">Red<' in page


@pytest.mark.parametrize("who, expected", [("admin", 302), ("lead", 403), ("reader", 403)])
def test_only_administrators_transfer_the_outturn_to_reserves(client, money, people, who, expected):
    client.force_login(people[who])
    response = client.post(reverse("finance:transfer", kwargs={"year": 2019}))
    assert response.status_code == expected
    transfers = ReserveMovement.objects.filter(kind="outturn_transfer")
    # Havering (£24,000) and Newham (£34,000) move; Bexley's (£2,000) is below £5,000.
    expected_codes = {"LBH", "LBN"} if expected == 302 else set()
    assert {m.partner.code for m in transfers} == expected_codes


@pytest.mark.parametrize("who", ["admin", "reader"])
def test_the_outturn_report_downloads_in_word(client, money, people, who):
    client.force_login(people[who])
    url = reverse("finance:report", kwargs={"kind": "outturn", "year": 2019, "fmt": "docx"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    "kind, fmt", [("savings", "xlsx"), ("budget", "html"), ("forecast", "xlsx")]
)
def test_every_report_comes_in_every_format(client, money, people, kind, fmt):
    client.force_login(people["admin"])
    url = reverse("finance:report", kwargs={"kind": kind, "year": 2019, "fmt": fmt})
    response = client.get(url + "?date=2020-01-17")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'onesource-{kind}-2019-20.{fmt}"')


def test_an_unknown_report_is_not_found(client, money, people):
    client.force_login(people["admin"])
    url = reverse("finance:report", kwargs={"kind": "gossip", "year": 2019, "fmt": "pdf"})
    assert client.get(url).status_code == 404


def test_the_outturn_page_makes_as_many_queries_for_many_lines_as_for_few(client, money, people):
    client.force_login(people["admin"])
    url = reverse("finance:outturn", kwargs={"year": 2019})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    non_shared = money["areas"]["non_shared"]
    changes.save_line(2019, non_shared, None, by=people["admin"], budget=1, outturn=2)
    for code in ("ICT2", "ICT3", "ICT4"):
        area = type(non_shared).objects.create(code=code, name=code, kind="non_shared")
        changes.save_line(
            2019, area, money["lines"]["lbh_own"].partner, by=people["admin"], budget=5, outturn=4
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
