"""Every upload answers a bad file with a 400 naming the problem, never a 500, writing nothing.

The files are the ones a security probe sent (tests/fixtures/uploads) and the ones past
each limit. The endpoints: the plan import, actuals and comparator uploads, and finance
sheets. Good files still import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goldenthread.core import sheets
from goldenthread.core.models import AuditEntry, Organisation
from goldenthread.finance.models import BudgetLine, FundingShare, SavingsAmount
from goldenthread.finance.tests.factories import small_partnership
from goldenthread.performance.models import Actual, ComparatorValue
from goldenthread.performance.tests.factories import IndicatorFactory
from goldenthread.plans.models import Action, Plan
from tests.factories import ServiceFactory
from tests.fixtures import uploads

pytestmark = pytest.mark.django_db

PLAN_CSV = "Recommendation,Lead Officer,Timescale\nDevelop a narrative of place,CE,Mar-19\n"
ACTUALS_CSV = "Indicator ref,Partner,Period,Actual\nICT-02,,2019/20 Q1,95\n"
LG_INFORM_CSV = "Area code,Area name,Period,Value\nE09000016,Havering,2018/19,97.1\n"
BUDGET_CSV = "Year,Cost area,Partner,Budget,Outturn\n2020/21,ICT,,1250000,1200000.5\n"


@dataclass
class Endpoint:
    name: str
    who: str
    fixture: str  # what the endpoint needs in the database
    post: Callable  # (client, file) -> response
    good: tuple[str, str]  # a file it takes: name, text


def _plan(client, upload):
    owner = Organisation.objects.get(code="LBH")
    data = {"code": "PC2018", "title": "Peer challenge", "kind": "recommendations"}
    data |= {"owner": owner.pk, "status_scale": "rag", "file": upload}
    return client.post(reverse("plans:import"), data)


def _actuals(client, upload):
    return client.post(reverse("performance:upload"), {"year": "2019", "file": upload})


def _benchmarks(client, upload):
    return client.post(reverse("performance:benchmarks", args=["ICT-02"]), {"file": upload})


def _finance(client, upload):
    data = {"kind": "budget", "sheet": upload, "status": "existing"}
    return client.post(reverse("finance:upload"), data)


ENDPOINTS = [
    Endpoint("plan import", "admin", "partners", _plan, ("plan.csv", PLAN_CSV)),
    Endpoint("actuals", "lead", "availability", _actuals, ("actuals.csv", ACTUALS_CSV)),
    Endpoint("benchmarks", "lead", "availability", _benchmarks, ("lg.csv", LG_INFORM_CSV)),
    Endpoint("finance", "admin", "money", _finance, ("budget.csv", BUDGET_CSV)),
]
IDS = [e.name for e in ENDPOINTS]


@pytest.fixture
def availability(people):
    """ICT-02, whose actuals and comparators the "lead" user enters; >90%."""
    return IndicatorFactory(
        ref="ICT-02",
        service=ServiceFactory(code="ICT", name="ICT"),
        data_owner=people["lead"].posts.get(),
        target=">90%",
    )


@pytest.fixture
def money(partners, people):
    return small_partnership(partners, people["admin"])


@pytest.fixture(params=ENDPOINTS, ids=IDS)
def endpoint(request, client, people) -> Endpoint:
    request.getfixturevalue(request.param.fixture)
    client.force_login(people[request.param.who])
    return request.param


def written() -> tuple:
    """Everything an upload could write."""
    models = (Plan, Action, Actual, ComparatorValue, BudgetLine, FundingShare, SavingsAmount)
    return tuple(m.objects.count() for m in models) + (AuditEntry.objects.count(),)


def refused(endpoint: Endpoint, client, name: str, content: bytes) -> str:
    before = written()
    response = endpoint.post(client, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert written() == before  # nothing half-written
    return response.content.decode()


BAD_FILES = {
    "truncated": ("plan.xlsx", "truncated.xlsx", "The workbook is damaged or incomplete"),
    "not a zip": ("plan.xlsx", "not-a-zip.xlsx", "The file is not an Excel workbook (.xlsx)"),
    "not UTF-8": ("plan.csv", "cp1252.csv", "Line 2 is not UTF-8 text"),
    "unsaved formula": ("plan.xlsx", "reason-formula.xlsx", "This cell holds a formula"),
    "excel as csv": ("plan.csv", "reason-formula.xlsx", "an Excel workbook, not a CSV file"),
}


@pytest.mark.parametrize("bad", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_malformed_file_is_refused_naming_the_problem(endpoint, client, bad):
    name, fixture, message = bad
    assert message in refused(endpoint, client, name, uploads.read(fixture))


def test_the_dimension_bomb_is_refused_without_reading_a_million_rows(
    endpoint, client, monkeypatch
):
    rows_read = []
    check = sheets._check
    monkeypatch.setattr(sheets, "_check", lambda n, *a: rows_read.append(n) or check(n, *a))
    page = refused(endpoint, client, "bomb.xlsx", uploads.read("dimension-bomb.xlsx"))
    assert "The sheet goes on past row 5,000" in page
    assert max(rows_read) == 5001


def test_a_file_past_the_size_limit_is_refused(endpoint, client, settings):
    settings.GT_UPLOAD_MAX_BYTES = 1024
    content = (endpoint.good[1] + "\n" * 1024).encode()
    page = refused(endpoint, client, endpoint.good[0], content)
    assert "The file is larger than 1 KB, the most an upload may be" in page


def test_a_file_past_the_row_limit_is_refused(endpoint, client, settings):
    settings.GT_UPLOAD_MAX_ROWS = 5
    good_name, good_text = endpoint.good
    content = (good_text + good_text.splitlines()[1] + "\n") * 4
    page = refused(endpoint, client, good_name, content.encode())
    assert "The sheet goes on past row 5: a sheet may have at most 5 rows" in page


def test_a_file_past_the_column_limit_is_refused(endpoint, client, settings):
    settings.GT_UPLOAD_MAX_COLUMNS = 6
    good_name, good_text = endpoint.good
    page = refused(endpoint, client, good_name, (good_text + ",,,,,,,x\n").encode())
    assert "The sheet goes on past column F: a sheet may have at most 6 columns" in page


def test_a_zip_bomb_is_refused(endpoint, client, settings):
    settings.GT_UPLOAD_MAX_UNPACKED_BYTES = 64 * 1024
    page = refused(endpoint, client, "plan.xlsx", uploads.zip_bomb(1024 * 1024))
    assert "The workbook unpacks to 1.0" in page
    assert "MB, more than the 64 KB an upload may be" in page


def test_a_good_file_still_imports(endpoint, client):
    name, text = endpoint.good
    before = written()
    response = endpoint.post(client, SimpleUploadedFile(name, text.encode("utf-8-sig")))
    assert response.status_code == 302
    assert written() != before


def test_the_probes_20_mb_plan_is_refused_without_being_stored_whole(client, people):
    client.force_login(people["admin"])
    content = PLAN_CSV.encode() + b"Another recommendation,CE,Mar-19\n" * 700_000
    assert len(content) > 20 * 1024 * 1024
    page = refused(ENDPOINTS[0], client, "plan.csv", content)
    assert "The file is larger than 10 MB, the most an upload may be" in page


def test_a_plan_of_more_than_5000_rows_is_refused(client, people):
    client.force_login(people["admin"])
    content = PLAN_CSV + "".join(f"Recommendation {n},CE,Mar-19\n" for n in range(5000))
    page = refused(ENDPOINTS[0], client, "plan.csv", content.encode())
    assert "The sheet goes on past row 5,000" in page


def test_a_reason_typed_as_a_formula_in_a_csv_is_kept_as_its_text(client, people, availability):
    client.force_login(people["lead"])
    response = _actuals(client, SimpleUploadedFile("a.csv", uploads.read("reason-formula.csv")))
    assert response.status_code == 302
    assert Actual.objects.get().reason == uploads.HYPERLINK


def test_a_reason_typed_as_a_formula_in_excel_is_read_as_its_saved_value(
    client, people, availability
):
    client.force_login(people["lead"])
    upload = SimpleUploadedFile("a.xlsx", uploads.read("reason-formula-saved.xlsx"))
    assert _actuals(client, upload).status_code == 302
    actual = Actual.objects.get()
    assert (actual.value, actual.reason) == (Decimal(60), "Outage explained here")


def test_a_reason_formula_without_a_saved_value_names_its_cell(client, people, availability):
    client.force_login(people["lead"])
    page = refused(ENDPOINTS[1], client, "a.xlsx", uploads.read("reason-formula.xlsx"))
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page
    assert '<td class="govuk-table__cell">E</td>' in page


def test_a_missing_comparator_file_answers_400_naming_it(client, people, availability):
    client.force_login(people["lead"])
    response = client.post(reverse("performance:benchmarks", args=["ICT-02"]), {})
    assert response.status_code == 400
    assert "Choose a CSV file of comparator values." in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused(endpoint, client):
    page = refused(endpoint, client, "plan.pdf", b"%PDF-1.7")
    assert ".csv" in page and ".xlsx" in page
