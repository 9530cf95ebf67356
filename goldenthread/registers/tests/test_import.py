"""Importing the contracts register: the round trip, all or nothing, errors by row and
column, formula-looking text kept as text, and only administrators."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from goldenthread.core.audit import snapshot
from goldenthread.documents import cells
from goldenthread.registers import changes, imports, rules
from goldenthread.registers.models import Contract
from goldenthread.registers.tests.conftest import contract_values

pytestmark = pytest.mark.django_db

TRICKY = {
    "title": '=HYPERLINK("http://evil.example","Click")',
    "description": "+44 20 7946 0000; -old contract; @supplier; “quotes”, commas, and é",
    "supplier_name": "O'Brien & Sons, Ltd",
}


@pytest.fixture
def register(councils, people):
    made = [
        changes.save_contract(None, contract_values(councils["LBH"], **TRICKY), by=people["admin"]),
        changes.save_contract(
            None,
            contract_values(
                councils["LBB"],
                reference="B-7",
                supplier_company_number="",
                supplier_charity_number="1100001",
                vcse=True,
                sme=False,
                value=Decimal("5000.01"),
                irrecoverable_vat=Decimal("12.50"),
                ends_on=None,
                review_on=None,
                route="waiver",
                redacted_fields="supplier_name,description",
                redaction_reason="Personal data",
            ),
            by=people["admin"],
        ),
    ]
    return made


def _state() -> dict:
    return {
        (c.council.code, c.reference): snapshot(c)
        for c in Contract.objects.select_related("council")
    }


def _export(client, fmt: str) -> bytes:
    response = client.get(reverse("registers:contracts_export", args=[fmt]))
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_register_round_trips_through_its_export(client, people, register, fmt):
    client.force_login(people["admin"])
    before = _state()
    content = _export(client, fmt)
    Contract.objects.all().delete()
    result = imports.import_contracts(f"register.{fmt}", content, by=people["admin"])
    assert (result.rows, result.created, result.changed) == (2, 2, 0)
    assert _state() == before


def test_the_published_file_round_trips_through_the_import(client, people, councils):
    changes.save_contract(None, contract_values(councils["LBH"], **TRICKY), by=people["admin"])
    before = _state()
    published = client.get(reverse("open_data:contracts", args=["2019-20-Q1"])).content
    Contract.objects.all().delete()
    imports.import_contracts("contracts-2019-20-Q1.csv", published, by=people["admin"])
    assert _state() == before


def test_importing_the_same_file_again_changes_nothing(client, people, register):
    client.force_login(people["admin"])
    content = _export(client, "csv")
    result = imports.import_contracts("register.csv", content, by=people["admin"])
    assert (result.created, result.changed) == (0, 0)


def _csv(*rows: list[str]) -> bytes:
    return cells.csv_text(rules.CONTRACT_COLUMNS, rows).encode("utf-8")


def _good(**extra) -> list[str]:
    values = contract_values(None, **extra)
    row = dict.fromkeys(rules.CONTRACT_COLUMNS, "")
    row.update(
        {
            "Organisation GSS code": "E09000016",
            "Contract reference number": values["reference"],
            "Title of agreement": values["title"],
            "Department responsible": values["department"],
            "Description of goods and services": values["description"],
            "Supplier name": values["supplier_name"],
            "SME supplier": "Yes",
            "VCSE supplier": "No",
            "Contract value": str(values["value"]),
            "Contract start date": "2019-04-01",
            "Procurement route": "Invitation to quote",
        }
    )
    return [row[c] for c in rules.CONTRACT_COLUMNS]


def _set(row: list[str], column: str, value: str) -> list[str]:
    row = list(row)
    row[rules.CONTRACT_COLUMNS.index(column)] = value
    return row


def test_one_bad_row_and_nothing_is_imported_each_problem_by_row_and_column(people, councils):
    content = _csv(
        _good(reference="OK-1"),
        _set(_good(reference="BAD-1"), "Contract value", "a lot"),
        _set(
            _set(_good(reference="BAD-2"), "Contract start date", "31/02/2019"),
            "SME supplier",
            "Perhaps",
        ),
        _good(reference="OK-1"),  # the same reference twice
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_contracts("register.csv", content, by=people["admin"])
    found = {(p.row, p.column.split(" ")[0]) for p in refused.value.problems}
    assert found == {(3, "L"), (4, "N"), (4, "J"), (5, "C")}
    assert Contract.objects.count() == 0


def test_a_missing_or_unknown_column_is_named(people, councils):
    header = [c for c in rules.CONTRACT_COLUMNS if c != "Contract value"] + ["Colour"]
    content = cells.csv_text(header, []).encode()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_contracts("register.csv", content, by=people["admin"])
    messages = [str(p) for p in refused.value.problems]
    assert any("“Colour” is not a column" in m and "column S" in m for m in messages)
    assert any("“Contract value” is missing" in m for m in messages)


def test_a_published_redacted_cell_is_refused(people, councils):
    content = _csv(_set(_good(), "Supplier name", "REDACTED"))
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_contracts("register.csv", content, by=people["admin"])
    assert "withheld for publication" in str(refused.value.problems[0])


def test_a_council_outside_the_partnership_is_refused(people, councils):
    content = _csv(_set(_good(), "Organisation GSS code", "E09000999"))
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_contracts("register.csv", content, by=people["admin"])
    assert refused.value.problems[0].column.startswith("B")


def test_an_excel_sheet_with_real_dates_and_numbers_is_read(people, councils):
    book = Workbook()
    sheet = book.active
    sheet.append(rules.CONTRACT_COLUMNS)
    row = _good(reference="X-1")
    row[rules.CONTRACT_COLUMNS.index("Contract value")] = 25000.5
    row[rules.CONTRACT_COLUMNS.index("Contract start date")] = date(2019, 4, 1)
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    imports.import_contracts("register.xlsx", out.getvalue(), by=people["admin"])
    made = Contract.objects.get(reference="X-1")
    assert (made.value, made.starts_on) == (Decimal("25000.50"), date(2019, 4, 1))


def test_formula_looking_text_stays_text_in_the_excel_export(client, people, register):
    from openpyxl import load_workbook

    client.force_login(people["admin"])
    book = load_workbook(io.BytesIO(_export(client, "xlsx")))
    titles = [c for c in book.active["D"] if c.value == TRICKY["title"]]
    assert titles and all(c.data_type == "s" for c in titles)


IMPORT = {"admin": 200, "lead": 403, "reader": 403, "anonymous": "login"}


@pytest.mark.parametrize(("who", "status"), IMPORT.items())
def test_only_administrators_import(client, people, councils, who, status):
    if who != "anonymous":
        client.force_login(people[who])
    upload = SimpleUploadedFile("register.csv", _csv(_good(reference="UP-1")))
    response = client.post(reverse("registers:contracts_import"), {"sheet": upload})
    if status == "login":
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    else:
        assert response.status_code == status
    assert Contract.objects.filter(reference="UP-1").exists() is (status == 200)


def test_the_import_page_lists_the_problems_by_row_and_column(client, people, councils):
    client.force_login(people["admin"])
    upload = SimpleUploadedFile("register.csv", _csv(_set(_good(), "Contract value", "a lot")))
    response = client.post(reverse("registers:contracts_import"), {"sheet": upload})
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "L (Contract value)" in response.text


def test_a_reader_exports_only_their_councils_register(client, people, register):
    client.force_login(people["reader"])  # Bexley
    text = _export(client, "csv").decode()
    assert "B-7" in text and "C-001" not in text


def test_the_grants_register_round_trips_through_its_export(client, people, lbh_grant):
    from goldenthread.registers.models import Grant

    client.force_login(people["admin"])
    before = {g.reference: snapshot(g) for g in Grant.objects.all()}
    for fmt in ("csv", "xlsx"):
        content = client.get(reverse("registers:grants_export", args=[fmt])).content
        Grant.objects.all().delete()
        result = imports.import_grants(f"grants.{fmt}", content, by=people["admin"])
        assert result.created == 1
        assert {g.reference: snapshot(g) for g in Grant.objects.all()} == before


def test_a_bad_grants_sheet_imports_nothing_and_names_row_and_column(client, people, lbh_grant):
    from goldenthread.registers.models import Grant

    client.force_login(people["admin"])
    text = client.get(reverse("registers:grants_export", args=["csv"])).content.decode()
    bad = text.replace("7500.00", "seven thousand").replace("G-001", "G-NEW")
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_grants("grants.csv", bad.encode(), by=people["admin"])
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "K (Amount)")]
    assert not Grant.objects.filter(reference="G-NEW").exists()


@pytest.mark.parametrize(("who", "status"), IMPORT.items())
def test_only_administrators_import_grants(client, people, councils, who, status):
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get(reverse("registers:grants_import"))
    if status == "login":
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    else:
        assert response.status_code == status


def test_the_published_grants_file_imports_as_grants_to_voluntary_bodies(client, people, lbh_grant):
    from goldenthread.registers.models import Grant

    published = client.get(reverse("open_data:grants", args=["2019-20-Q2"])).content
    assert published.decode().splitlines()[0].split(",") == rules.GRANT_COLUMNS
    Grant.objects.all().delete()
    imports.import_grants("grants-2019-20-Q2.csv", published, by=people["admin"])
    made = Grant.objects.get()
    assert (made.reference, made.amount, made.voluntary_body) == ("G-001", Decimal("7500.00"), True)
