"""Every indicator view as administrator, owning lead, another lead and a reader of another
partner; the approver's sign-off; no query grows with the number of indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from goldenthread.core.models import AuditEntry, Period
from goldenthread.performance.models import Actual, ComparatorValue, SignOff
from goldenthread.performance.tests.factories import ForumFactory, IndicatorFactory, actual

ROW = {
    "period": "2019/20 Q1",
    "partner": "oneSource",
    "value": "95",
    "reason": "",
    "remedial_action": "",
    "version": "0",
}
WHO = ["admin", "lead", "other_lead", "reader"]


def save_url(indicator) -> str:
    return reverse("performance:save_row", args=[indicator.ref])


def grid_url(service, **query) -> str:
    params = "&".join(f"{k}={v}" for k, v in {"period": "2019/20 Q1", **query}.items())
    return reverse("performance:grid", args=[service.code]) + "?" + params


def test_it_requires_sign_in(client, db):
    response = client.get(reverse("performance:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", WHO)
def test_everyone_reads_the_whole_service_indicators(client, people, availability, who):
    actual(availability, "2019/20 Q1", 95)
    client.force_login(people[who])
    page = client.get(reverse("performance:index") + "?period=2019/20 Q1").content.decode()
    assert "ICT-02" in page and "Green" in page


@pytest.mark.parametrize(
    "who, sees", [("admin", True), ("lead", True), ("other_lead", True), ("reader", False)]
)
def test_a_reader_of_another_partner_does_not_see_a_partners_indicator(
    client, people, nndr, who, sees
):
    client.force_login(people[who])
    page = client.get(reverse("performance:index") + "?period=2019/20 Q1").content.decode()
    assert ("ET-06" in page) is sees
    detail = client.get(nndr.get_absolute_url())
    assert detail.status_code == (200 if sees else 404)


@pytest.mark.parametrize(
    "who, expected", [("admin", 200), ("lead", 200), ("other_lead", 403), ("reader", 403)]
)
def test_only_the_services_leads_and_administrators_open_its_grid(
    client, people, availability, who, expected
):
    client.force_login(people[who])
    assert client.get(grid_url(availability.service)).status_code == expected


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 302), ("other_lead", 403), ("reader", 403)]
)
def test_only_the_owner_and_administrators_save_a_row(client, people, availability, who, expected):
    client.force_login(people[who])
    response = client.post(save_url(availability), ROW)
    assert response.status_code == expected
    assert Actual.objects.filter(indicator=availability).exists() == (expected == 302)


def test_saving_a_row_with_htmx_returns_the_row_with_its_status(client, people, availability):
    client.force_login(people["lead"])
    response = client.post(save_url(availability), {**ROW, "value": "87"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<tr class="govuk-table__row" id="row-ICT-02">')
    assert "Amber" in page and "Saved ICT-02" in page
    assert "87% misses the target &gt;90% by 3 percentage points" in page
    assert Actual.objects.get().entered_by == people["lead"]


def test_a_red_row_without_explanation_is_refused_in_place(client, people, availability):
    client.force_login(people["lead"])
    response = client.post(save_url(availability), {**ROW, "value": "60"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "The actual is red: give the reason" in page
    assert "The actual is red: give the remedial action" in page
    assert 'value="60"' in page  # the typed figure stays on the screen
    assert not Actual.objects.exists()


def test_text_in_the_actual_is_named_and_nothing_saved(client, people, availability):
    client.force_login(people["lead"])
    response = client.post(save_url(availability), {**ROW, "value": "about ninety"})
    assert response.status_code == 400
    assert "“about ninety” is not a number." in response.content.decode()
    assert not Actual.objects.exists()


def test_a_stale_row_is_refused_with_a_conflict(client, people, availability, q1):
    actual(availability, "2019/20 Q1", 95, entered_by=people["admin"])
    client.force_login(people["lead"])
    response = client.post(save_url(availability), {**ROW, "value": "91"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert Actual.objects.get().value == 95


def test_the_grid_shows_each_row_with_target_status_and_direction(client, people, availability):
    actual(availability, "2018/19 Q1", 93)
    actual(availability, "2019/20 Q1", 85, reason="Outage.", remedial_action="Failover.")
    client.force_login(people["lead"])
    page = client.get(grid_url(availability.service)).content.decode()
    assert 'id="row-ICT-02"' in page and "&gt;90%" in page
    assert "Amber" in page and "▼" in page and "Worse" in page
    assert "Outage." in page


def test_the_upload_page_refuses_a_bad_file_whole(client, people, availability):
    client.force_login(people["lead"])
    content = b"Indicator ref,Partner,Period,Actual\nICT-02,,2019/20 Q1,95\nICT-02,,2020/21 Q1,x\n"
    upload = _file("bad.csv", content)
    response = client.post(reverse("performance:upload"), {"year": "2019", "file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "nothing was saved" in page
    assert "C (Period)" in page and "D (Actual)" in page
    assert not Actual.objects.exists()


def test_the_upload_page_saves_a_good_file(client, people, availability):
    client.force_login(people["lead"])
    upload = _file("good.csv", b"Indicator ref,Partner,Period,Actual\nICT-02,,2019/20 Q1,95\n")
    response = client.post(reverse("performance:upload"), {"year": "2019", "file": upload})
    assert response.status_code == 302
    assert Actual.objects.get().value == 95


@pytest.mark.parametrize(
    "who, expected", [("admin", 200), ("lead", 200), ("other_lead", 200), ("reader", 403)]
)
def test_readers_may_not_upload(client, people, availability, who, expected):
    availability.service.lead = "Director of HROD"  # the other lead leads the service too
    availability.service.save()
    client.force_login(people[who])
    assert client.get(reverse("performance:upload")).status_code == expected


def test_the_approver_signs_off_their_partner_only(client, people, nndr, q1):
    client.force_login(people["approver"])
    ok = client.post(reverse("performance:sign_off"), {"period": "2019/20 Q1", "partner": "LBH"})
    assert ok.status_code == 302
    assert SignOff.objects.get().partner.code == "LBH"
    refused = client.post(
        reverse("performance:sign_off"), {"period": "2019/20 Q1", "partner": "LBN"}
    )
    assert refused.status_code == 403
    assert SignOff.objects.count() == 1


@pytest.mark.parametrize("who", ["lead", "other_lead", "reader"])
def test_leads_and_readers_may_not_sign_off(client, people, who, q1):
    client.force_login(people[who])
    response = client.post(
        reverse("performance:sign_off"), {"period": "2019/20 Q1", "partner": "oneSource"}
    )
    assert response.status_code == 403 and not SignOff.objects.exists()


def test_a_signed_off_period_cannot_be_changed_until_reopened(client, people, nndr, q1, partners):
    client.force_login(people["approver"])
    client.post(reverse("performance:sign_off"), {"period": "2019/20 Q1", "partner": "LBH"})
    client.force_login(people["admin"])
    row = {**ROW, "partner": "LBH", "value": "99"}
    refused = client.post(save_url(nndr), row)
    assert refused.status_code == 400 and "signed off" in refused.content.decode()
    done = SignOff.objects.get()
    client.force_login(people["approver"])
    client.post(reverse("performance:reopen", args=[done.pk]), {"reason": "Late adjustment."})
    assert not SignOff.objects.exists()
    client.force_login(people["admin"])
    assert client.post(save_url(nndr), row).status_code == 302


@pytest.mark.parametrize("who", WHO)
def test_the_exception_report_lists_the_off_target_lines_a_user_may_see(
    client, people, availability, nndr, partners, who
):
    actual(availability, "2019/20 Q1", 80, reason="Outage.", remedial_action="Failover.")
    actual(nndr, "2019/20 Q1", 97, partners["LBH"], reason="Appeals.", remedial_action="Chase.")
    actual(nndr, "2019/20 Q1", 99.7, partners["LBN"])
    client.force_login(people[who])
    page = client.get(reverse("performance:exceptions") + "?period=2019/20 Q1").content.decode()
    assert "ICT-02" in page and "Outage." in page
    assert ("Appeals." in page) is (who != "reader")
    assert "1 off target" in page if who == "reader" else "2 off target" in page


def test_the_exception_report_downloads_as_word(client, people, availability):
    actual(availability, "2019/20 Q1", 80, reason="Outage.", remedial_action="Failover.")
    client.force_login(people["admin"])
    response = client.get(reverse("performance:exceptions") + "?period=2019/20 Q1&format=docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "exception-report-S151-2019-20-Q1" in response["Content-Disposition"]


def test_the_strategic_report_shows_the_years_figure(client, people, nndr, partners):
    strategic = IndicatorFactory(
        ref="SI-3",
        level="strategic",
        ytd_rule="latest",
        tolerance=1,
        partner_list=[partners["LBH"]],
        target="97.00%",
        service=nndr.service,
    )
    strategic.forums.add(_forum("JC"))
    for number, value in enumerate([30, 56, 80, 96.5], start=1):
        actual(strategic, f"2019/20 Q{number}", value, partners["LBH"])
    client.force_login(people["admin"])
    page = client.get(reverse("performance:strategic") + "?year=2019/20").content.decode()
    assert "SI-3" in page and "96.5%" in page and "Amber" in page


def test_an_indicator_page_shows_targets_trend_and_quartile(client, people, nndr, partners):
    partners["LBH"].gss_code = "E09000016"
    partners["LBH"].save()
    for number, value in enumerate([30, 55, 80, 97.3], start=1):
        actual(nndr, f"2018/19 Q{number}", value, partners["LBH"])
    for code, value in [
        ("E09000002", "96.0"),
        ("E09000003", "97.5"),
        ("E09000005", "98.5"),
        ("E09000006", "99.0"),
    ]:
        ComparatorValue.objects.create(
            indicator=nndr, area_code=code, period="2018/19", value=Decimal(value)
        )
    client.force_login(people["admin"])
    page = client.get(nndr.get_absolute_url() + "?period=2019/20 Q1").content.decode()
    assert "98.70% (LBH) 99.6% (LBN)" in page
    assert '<svg class="gt-chart" role="img"' in page and "<desc" in page
    assert "Third quartile" in page  # 97.3%: above the lower quartile 97.125, below the median 98


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 302), ("other_lead", 403), ("reader", 404)]
)
def test_only_the_indicators_lead_imports_comparators(client, people, availability, who, expected):
    client.force_login(people[who])
    if who == "reader":
        availability.partners.set([people["approver"].role_grants.get().partner])  # LBH only
    upload = _file("lg.csv", b"Area code,Period,Value\nE09000016,2018/19,99.1\n")
    response = client.post(
        reverse("performance:benchmarks", args=[availability.ref]), {"file": upload}
    )
    assert response.status_code == expected
    assert ComparatorValue.objects.exists() == (expected == 302)


def test_the_index_and_report_queries_do_not_grow_with_indicators(
    client, people, ict, django_assert_max_num_queries
):
    client.force_login(people["admin"])
    for number in range(30):
        indicator = IndicatorFactory(ref=f"ICT-{number:02d}", service=ict, target="95%")
        actual(indicator, "2019/20 Q1", 90 + number % 8, reason="x", remedial_action="y")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("performance:index") + "?period=2019/20 Q1").status_code == 200
    with django_assert_max_num_queries(25):
        url = reverse("performance:exceptions") + "?period=2019/20 Q1"
        assert client.get(url).status_code == 200
    assert AuditEntry.objects.count() == 0  # reading writes nothing
    assert Period.objects.filter(year=2019).count() >= 1


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _forum(code: str):
    return ForumFactory(code=code, name="oneSource Joint Committee")


@pytest.mark.parametrize(
    "who, expected", [("admin", 302), ("lead", 403), ("other_lead", 403), ("reader", 403)]
)
def test_only_approvers_and_administrators_reopen_a_period(client, people, q1, who, expected):
    done = SignOff.objects.create(
        period=q1, partner=None, signed_by=people["admin"], signed_on=timezone.now()
    )
    client.force_login(people[who])
    response = client.post(reverse("performance:reopen", args=[done.pk]), {"reason": "Fix."})
    assert response.status_code == expected
    assert SignOff.objects.exists() == (expected != 302)


@pytest.mark.parametrize(
    "who, sees_havering", [("admin", True), ("lead", True), ("other_lead", True), ("reader", False)]
)
def test_the_strategic_report_shows_each_user_what_they_may_see(
    client, people, partners, exchequer, who, sees_havering
):
    jc = _forum("JC")
    for ref, partner in [("SI-1", None), ("SI-3", partners["LBH"])]:
        strategic = IndicatorFactory(
            ref=ref,
            level="strategic",
            service=exchequer,
            partner_list=[partner] if partner else None,
            target="97%",
            forums=[jc],
        )
        actual(strategic, "2019/20 Q4", 98, partner)
    client.force_login(people[who])
    page = client.get(reverse("performance:strategic") + "?year=2019/20").content.decode()
    assert "SI-1" in page
    assert ("SI-3" in page) is sees_havering


@pytest.mark.parametrize(
    "who, rows", [("admin", 3), ("lead", 1), ("other_lead", None), ("reader", None)]
)
def test_the_upload_template_lists_the_lines_a_user_may_enter(
    client, people, availability, nndr, who, rows
):
    client.force_login(people[who])
    response = client.get(reverse("performance:upload_template") + "?period=2019/20 Q1")
    if rows is None:  # nothing the user may enter
        assert response.status_code == 403
        return
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "Indicator ref,Partner,Period,Actual,Denominator,Reason,Remedial action"
    assert len(lines) - 1 == rows


@pytest.fixture
def yearly(availability, people):
    """SI-9: an annual indicator of the lead's service, entered for Q4 (the year end)."""
    return IndicatorFactory(
        ref="SI-9",
        service=availability.service,
        data_owner=people["lead"].posts.get(),
        frequency="annual",
        target="80%",
    )


def test_the_grid_says_not_due_instead_of_an_input(client, people, availability, yearly):
    client.force_login(people["lead"])
    page = client.get(grid_url(availability.service)).content.decode()
    assert 'id="value-ICT-02"' in page
    assert 'id="value-SI-9"' not in page and 'id="form-SI-9"' not in page
    row = page[page.index('id="row-SI-9"') :]
    row = row[: row.index("</tr>")]
    assert "Not due this period" in row and "Reported annually" in row
    assert "No actual" not in row
    q4 = client.get(grid_url(availability.service, period="2019/20 Q4")).content.decode()
    assert 'id="value-SI-9"' in q4


def test_a_row_for_a_period_not_due_is_refused(client, people, yearly):
    client.force_login(people["lead"])
    response = client.post(save_url(yearly), ROW)
    assert response.status_code == 400
    assert "is reported annually, so is not due for 2019/20 Q1" in response.content.decode()
    assert not Actual.objects.exists()
    response = client.post(save_url(yearly), {**ROW, "period": "2019/20 Q4"})
    assert response.status_code == 302 and Actual.objects.get().period.code == "2019/20 Q4"


def test_the_upload_template_lists_only_the_indicators_due(client, people, availability, yearly):
    client.force_login(people["lead"])
    for period, refs in [("2019/20 Q1", ["ICT-02"]), ("2019/20 Q4", ["ICT-02", "SI-9"])]:
        response = client.get(reverse("performance:upload_template") + f"?period={period}")
        lines = response.content.decode().strip().splitlines()[1:]
        assert [line.split(",")[0] for line in lines] == refs


def test_the_index_counts_not_due_apart_from_no_actual(client, people, availability, yearly):
    client.force_login(people["admin"])
    page = client.get(reverse("performance:index") + "?period=2019/20 Q1").content.decode()
    assert '<span data-status="Not due">1</span>' in page
    assert '<span data-status="No actual">1</span>' in page  # ICT-02 only
    assert "1 No actual, 1 not due this period" in page


def test_an_annual_target_is_drawn_to_date_on_the_indicator_page(client, people, nndr, partners):
    nndr.annual_target = True
    nndr.save()
    for number, value in enumerate(["24.5", "49.9"], start=1):
        actual(nndr, f"2019/20 Q{number}", value, partners["LBH"])
    client.force_login(people["admin"])
    page = client.get(nndr.get_absolute_url() + "?period=2019/20 Q2").content.decode()
    svg = page[page.index('<svg class="gt-chart"') :]
    svg = svg[: svg.index("</svg>")]
    assert "LBH year to date" in svg and "Target to date" in svg
    assert "2019/20 Q2 49.9% against 49.35%" in svg  # 98.70% for LBH, half of it by Q2
