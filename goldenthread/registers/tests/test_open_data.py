"""The public open data: the LGA column set, UTF-8, ISO dates, plain numbers, redactions,
quarters by date, a stable address per quarter and 404 for any other; never a formula."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.registers import changes, rules
from goldenthread.registers.tests.conftest import contract_values

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")  # strict: the file is UTF-8
    assert not text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _contracts(client, slug="2019-20-Q2"):
    return client.get(reverse("open_data:contracts", args=[slug]))


def test_anyone_signed_out_reads_the_index_and_the_files(client, lbh_contract, lbh_grant):
    index = client.get(reverse("open_data:index"))
    assert index.status_code == 200
    assert "contracts-2019-20-Q2.csv" in index.text
    assert _contracts(client).status_code == 200
    assert client.get(reverse("open_data:grants", args=["2019-20-Q2"])).status_code == 200


def test_the_contracts_header_is_the_lga_column_set(client, lbh_contract):
    rows = _rows(_contracts(client))
    assert rows[0] == rules.CONTRACT_COLUMNS


def test_a_contract_row_has_iso_dates_and_plain_numbers(client, lbh_contract):
    row = dict(zip(rules.CONTRACT_COLUMNS, _rows(_contracts(client))[1], strict=True))
    assert row["Organisation name"] == "Havering"
    assert row["Organisation GSS code"] == "E09000016"
    assert row["Contract value"] == "120000.00"
    assert row["Irrecoverable VAT"] == "0.00"
    assert row["Contract start date"] == "2019-04-01"
    assert row["End date"] == "2021-03-31"
    assert row["Review date"] == "2020-04-01"
    assert row["SME supplier"] == "Yes"
    assert row["Procurement route"] == "Published invitation to tender"


def test_the_grants_header_is_the_lga_column_set_and_lists_voluntary_bodies(
    client, lbh_grant, people
):
    changes.save_grant(
        None,
        {
            **{
                f: getattr(lbh_grant, f)
                for f in (
                    "council",
                    "programme",
                    "department",
                    "purpose",
                    "awarded_on",
                    "starts_on",
                    "ends_on",
                    "redacted_fields",
                    "redaction_reason",
                )
            },
            "reference": "G-002",
            "recipient": "A resident",
            "recipient_number": "",
            "voluntary_body": False,
            "amount": Decimal("300.00"),
        },
        by=people["admin"],
    )
    rows = _rows(client.get(reverse("open_data:grants", args=["2019-20-Q2"])))
    assert rows[0] == rules.GRANT_COLUMNS
    assert [r[2] for r in rows[1:]] == ["G-001"]
    row = dict(zip(rules.GRANT_COLUMNS, rows[1], strict=True))
    assert row["Date the grant was awarded"] == "2019-08-15"
    assert row["Amount"] == "7500.00"


def test_only_contracts_over_5000_are_published(client, councils, people):
    for reference, value in [("AT", "5000.00"), ("OVER", "5000.01")]:
        changes.save_contract(
            None,
            contract_values(councils["LBH"], reference=reference, value=Decimal(value)),
            by=people["admin"],
        )
    assert [r[2] for r in _rows(_contracts(client))[1:]] == ["OVER"]


def test_contracts_are_in_the_quarters_they_ran_in(client, councils, people):
    for reference, starts, ends in [
        ("ENDS-Q1", date(2019, 4, 1), date(2019, 6, 30)),
        ("STARTS-Q2-LAST-DAY", date(2019, 9, 30), None),
        ("STARTS-Q3", date(2019, 10, 1), date(2020, 3, 31)),
        ("SPANS", date(2019, 5, 1), date(2019, 12, 31)),
    ]:
        changes.save_contract(
            None,
            contract_values(
                councils["LBH"], reference=reference, starts_on=starts, ends_on=ends, review_on=None
            ),
            by=people["admin"],
        )

    def refs(slug):
        return {r[2] for r in _rows(_contracts(client, slug))[1:]}

    assert refs("2019-20-Q1") == {"ENDS-Q1", "SPANS"}
    assert refs("2019-20-Q2") == {"STARTS-Q2-LAST-DAY", "SPANS"}
    assert refs("2019-20-Q3") == {"STARTS-Q2-LAST-DAY", "STARTS-Q3", "SPANS"}


@pytest.mark.parametrize(
    "slug", ["2019-20-Q5", "2019-21-Q2", "2019-Q2", "2018-19-Q4", "2090-91-Q1", "x" * 300]
)
def test_a_bad_or_unpublished_quarter_answers_404(client, lbh_contract, slug):
    # 2018-19 Q4 is before anything was published; 2090-91 is in the future.
    assert _contracts(client, slug).status_code == 404
    assert client.get(reverse("open_data:grants", args=[slug])).status_code == 404


def test_a_quarter_keeps_its_address(client, lbh_contract):
    assert reverse("open_data:contracts", args=["2019-20-Q2"]) == (
        "/open-data/contracts/2019-20-Q2.csv"
    )


def test_a_withheld_field_says_redacted_and_why(client, councils, people):
    changes.save_contract(
        None,
        contract_values(
            councils["LBH"],
            supplier_name="J Smith",
            supplier_company_number="",
            redacted_fields="supplier_name",
            redaction_reason="Personal data of a sole trader",
        ),
        by=people["admin"],
    )
    row = dict(zip(rules.CONTRACT_COLUMNS, _rows(_contracts(client))[1], strict=True))
    assert row["Supplier name"] == "REDACTED"
    assert row["Redacted fields"] == "Supplier name"
    assert row["Redaction reason"] == "Personal data of a sole trader"
    assert "J Smith" not in _contracts(client).content.decode()


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_is_never_a_formula_in_the_file(client, councils, people, text):
    changes.save_contract(
        None,
        contract_values(councils["LBH"], title=text, description=text, department=text),
        by=people["admin"],
    )
    rows = _rows(_contracts(client))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    row = dict(zip(rules.CONTRACT_COLUMNS, rows[1], strict=True))
    assert row["Title of agreement"] == "'" + text


def test_the_index_is_public_but_the_registers_are_not(client, lbh_contract):
    assert client.get("/open-data/").status_code == 200
    response = client.get("/registers/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_files_are_written_on_reading_only(client, lbh_contract):
    assert client.post(reverse("open_data:contracts", args=["2019-20-Q2"])).status_code in (
        403,
        405,
    )


def test_the_index_takes_constant_queries(client, councils, people, django_assert_max_num_queries):
    for n in range(20):
        changes.save_contract(
            None, contract_values(councils["LBH"], reference=f"R{n}"), by=people["admin"]
        )
    with django_assert_max_num_queries(6):
        assert client.get(reverse("open_data:index")).status_code == 200


def test_a_quarter_with_no_rows_keeps_its_file_but_is_not_listed(client, lbh_contract):
    # The contract ended on 31 March 2021; 2022-23 Q1 lies between it and today.
    rows = _rows(_contracts(client, "2022-23-Q1"))
    assert rows == [rules.CONTRACT_COLUMNS]
    index = client.get(reverse("open_data:index")).text
    assert "contracts-2022-23-Q1.csv" not in index
    assert "contracts-2020-21-Q4.csv" in index
