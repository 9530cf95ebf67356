"""Delegation pages for each side of the rules: administrator, deciding officer, another
lead, a reader of another partner (and of Havering); registers, exports and the report."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from goldenthread.delegation import changes, rules
from goldenthread.delegation.models import WriteOffRequest
from goldenthread.documents.model import ReportRequest
from goldenthread.governance.papers import report_kinds

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _who(people, officers, name):
    return {**people, **officers}[name]


@pytest.fixture
def written_off(make, officers):
    request = make()
    return changes.decide(
        request,
        rules.Event.WRITE_OFF,
        by=officers["director"],
        responses=["Agreed", "Agreed by nominee"],
    )


READ_STATUS = {"admin": 200, "director": 200, "other_lead": 404, "reader": 404, "reader_lbh": 200}


@pytest.mark.parametrize(("who", "status"), READ_STATUS.items())
def test_a_request_is_read_only_within_scope(client, people, officers, make, who, status):
    request = make()
    response = _client(client, _who(people, officers, who)).get(request.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Director (Tier 2)" in response.text


DECIDE_STATUS = {"admin": 403, "director": 302, "other_lead": 404, "reader": 404, "reader_lbh": 403}


@pytest.mark.parametrize(("who", "status"), DECIDE_STATUS.items())
def test_only_the_deciding_post_decides(client, people, officers, make, who, status):
    request = make()
    response = _client(client, _who(people, officers, who)).post(
        reverse("delegation:decide", args=[request.pk]),
        {
            "outcome": "write_off",
            "response_1": "Agreed",
            "response_2": "Agreed",
            "version": request.version,
        },
    )
    assert response.status_code == status
    request.refresh_from_db()
    expected = rules.State.WRITTEN_OFF if status == 302 else rules.State.SUBMITTED
    assert request.state == expected


def test_the_decision_form_shows_one_response_per_consultee_for_the_director(
    client, officers, make
):
    request = make()
    page = _client(client, officers["director"]).get(request.get_absolute_url()).text
    assert "What the Cabinet Member for Finance and Property said" in page
    assert "What the Section 151 officer (or officer nominated by her) said" in page
    head_page = _client(client, officers["head"]).get(request.get_absolute_url())
    assert head_page.status_code == 404  # not their band: another officer's request


def test_a_stale_decision_answers_409(client, officers, make):
    request = make()
    changes.decide(request, rules.Event.RETURN, by=officers["director"], note="More please")
    response = _client(client, officers["director"]).post(
        reverse("delegation:decide", args=[request.pk]),
        {"outcome": "refuse", "note": "No", "version": request.version},
    )
    assert response.status_code == 409
    assert "Nothing was recorded" in response.text


def test_a_decision_without_responses_answers_400(client, officers, make):
    request = make()
    response = _client(client, officers["director"]).post(
        reverse("delegation:decide", args=[request.pk]),
        {"outcome": "write_off", "response_1": "Agreed", "version": request.version},
    )
    assert response.status_code == 400
    assert "Record what the Section 151 officer" in response.text


def test_a_get_never_decides(client, officers, make):
    request = make()
    response = _client(client, officers["director"]).get(
        reverse("delegation:decide", args=[request.pk])
    )
    assert response.status_code == 405


RAISE_STATUS = {"admin": 302, "requester": 302, "other_lead": 403, "reader": 403}


@pytest.mark.parametrize(("who", "status"), RAISE_STATUS.items())
def test_requests_are_raised_by_designated_officers_and_administrators(
    client, people, officers, who, status
):
    response = _client(client, _who(people, officers, who)).post(
        reverse("delegation:new_request"),
        {
            "council": "LBH",
            "debt_type": "business",
            "debtor": "Acme Trading Ltd",
            "account_reference": "NNDR-1",
            "amount": "£30,000",
            "reason": "Dissolved",
            "evidence": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", "application/pdf"),
        },
    )
    assert response.status_code == status
    made = WriteOffRequest.objects.first()
    if status == 302:
        assert made.amount == Decimal("30000.00") and made.evidence
        assert made.authority == "director"
    else:
        assert made is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "more than £0"),
        ("amount", "12.345", "pounds and pence"),
        ("amount", "lots", "pounds and pence"),
        ("debt_type", "mortgage", "Select a valid choice"),
    ],
)
def test_a_bad_request_answers_400(client, officers, field, value, message):
    data = {
        "council": "LBH",
        "debt_type": "business",
        "debtor": "Acme",
        "account_reference": "1",
        "amount": "100",
        "reason": "Gone",
        "evidence_note": "File",
        field: value,
    }
    response = _client(client, officers["requester"]).post(reverse("delegation:new_request"), data)
    assert response.status_code == 400
    assert message in response.text
    assert not WriteOffRequest.objects.exists()


def test_evidence_that_is_not_what_it_says_is_refused(client, officers):
    response = _client(client, officers["requester"]).post(
        reverse("delegation:new_request"),
        {
            "council": "LBH",
            "debt_type": "citizen",
            "debtor": "A resident",
            "account_reference": "CT-1",
            "amount": "120",
            "reason": "Deceased, no estate",
            "evidence": SimpleUploadedFile("letter.pdf", b"MZ not a pdf"),
        },
    )
    assert response.status_code == 400
    assert "not the .pdf file" in response.text


EVIDENCE_STATUS = {"admin": 200, "director": 200, "other_lead": 404, "reader": 404}


@pytest.mark.parametrize(("who", "status"), EVIDENCE_STATUS.items())
def test_evidence_is_downloaded_within_scope(client, people, officers, make, who, status):
    request = make(evidence=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 x"))
    response = _client(client, _who(people, officers, who)).get(
        reverse("delegation:evidence", args=[request.pk])
    )
    assert response.status_code == status


REGISTER_STATUS = {
    "admin": 200,
    "director": 200,
    "other_lead": 404,
    "reader": 404,
    "reader_lbh": 200,
}


@pytest.mark.parametrize(("who", "status"), REGISTER_STATUS.items())
def test_the_register_is_read_within_scope(client, people, officers, written_off, who, status):
    user = _who(people, officers, who)
    for name in ("delegation:register", "delegation:register_export"):
        args = ["csv"] if name.endswith("export") else []
        response = _client(client, user).get(reverse(name, args=args), {"council": "LBH"})
        assert response.status_code == status


def test_the_scheme_page_is_read_within_scope(client, people, officers, scheme):
    url = scheme.get_absolute_url()
    assert _client(client, people["admin"]).get(url).status_code == 200
    assert _client(client, officers["reader_lbh"]).get(url).status_code == 200
    assert _client(client, people["reader"]).get(url).status_code == 404
    assert _client(client, people["other_lead"]).get(url).status_code == 404


def test_the_scheme_page_answers_who_decides(client, officers, scheme):
    response = _client(client, officers["reader_lbh"]).get(
        scheme.get_absolute_url(), {"debt_type": "business", "amount": "30,000"}
    )
    answer = response.text.split('id="answer"', 1)[1].split("</div>", 1)[0]
    assert "<strong>Director (Tier 2)</strong>" in answer
    assert "Cabinet Member for Finance and Property and Section 151 officer" in answer
    bad = _client(client, officers["reader_lbh"]).get(
        scheme.get_absolute_url(), {"debt_type": "business", "amount": "-1"}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("query", [{"council": "NOPE"}, {"year": "abc"}, {"year": "1900"}])
def test_a_bad_register_parameter_answers_404(client, people, scheme, query):
    response = _client(client, people["admin"]).get(reverse("delegation:register"), query)
    assert response.status_code == 404


def test_the_register_totals_by_band_type_and_quarter(client, people, make, officers, written_off):
    small = make(amount="500.00", debt_type="citizen", debtor="A resident")
    changes.decide(small, rules.Event.WRITE_OFF, by=officers["director"], responses=[])
    make(amount="900.00")  # awaiting a decision: not in the register
    response = _client(client, people["admin"]).get(
        reverse("delegation:register"), {"council": "LBH"}
    )
    assert "2 debts written off, totalling £30,500.00" in response.text
    assert "1 · £30,000.00" in response.text and "1 · £500.00" in response.text
    assert "2 · £30,500.00" in response.text


def test_the_register_page_keeps_its_queries_constant(client, people, make, officers):
    user = _client(client, people["admin"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = user.get(reverse("delegation:register"), {"council": "LBH"})
            assert response.status_code == 200
        return len(queries)

    count()  # the session's first page
    request = make()
    changes.decide(request, rules.Event.WRITE_OFF, by=officers["director"], responses=["a", "b"])
    one = count()
    for _ in range(4):
        more = make()
        changes.decide(more, rules.Event.WRITE_OFF, by=officers["director"], responses=["a", "b"])
    assert count() == one


def test_exports_never_hold_a_formula(client, people, make, officers):
    request = make(debtor='=HYPERLINK("http://evil.example","x")')
    changes.decide(request, rules.Event.WRITE_OFF, by=officers["director"], responses=["a", "b"])
    user = _client(client, people["admin"])
    data = user.get(reverse("delegation:register_export", args=["csv"]), {"council": "LBH"})
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8"))))
    assert rows[0][:3] == ["Reference", "Council", "Type of debt"]
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[1][5] == "30000.00"
    book = user.get(reverse("delegation:register_export", args=["xlsx"]), {"council": "LBH"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    cell = sheet.cell(row=2, column=4)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert (
        user.get(
            reverse("delegation:register_export", args=["exe"]), {"council": "LBH"}
        ).status_code
        == 404
    )


def _word_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_the_joint_committee_report_is_an_appendix_kind(people, written_off):
    kind = report_kinds()["delegation.writeoffs"]
    subjects = dict(kind.subjects(people["admin"]))
    subject = next(s for s in subjects if s.startswith("LBH "))
    document = kind.build(ReportRequest(subject=subject, user=people["admin"]))
    text = str(document)
    assert written_off.reference in text
    assert "Director (Tier 2)" in text
    assert kind.subjects(people["reader"]) == []
    with pytest.raises(Exception, match="no register"):
        kind.build(ReportRequest(subject=subject, user=people["reader"]))


@pytest.mark.parametrize(("fmt", "reader"), [("docx", _word_text), ("pdf", _pdf_text)])
def test_the_report_prints_in_word_and_pdf(client, people, written_off, fmt, reader):
    response = _client(client, people["admin"]).get(
        reverse("delegation:register_report", args=[fmt]), {"council": "LBH"}
    )
    assert response.status_code == 200
    text = reader(response.content)
    assert written_off.reference in text
    assert "£30,000.00" in text
    assert "Cabinet Member for Finance and Property" in text
    assert "Leader of the London Borough of Havering" in text


def test_the_report_is_refused_outside_scope(client, people, written_off):
    response = _client(client, people["reader"]).get(
        reverse("delegation:register_report", args=["pdf"]), {"council": "LBH"}
    )
    assert response.status_code == 404


def test_the_index_lists_what_awaits_the_director(client, officers, make):
    request = make()
    page = _client(client, officers["director"]).get(reverse("delegation:index")).text
    assert "Awaiting your decision" in page and request.reference in page
    page = _client(client, officers["head"]).get(reverse("delegation:index")).text
    assert request.reference not in page


RESUBMIT_STATUS = {"admin": 200, "requester": 200, "director": 403, "other_lead": 404}


@pytest.mark.parametrize(("who", "status"), RESUBMIT_STATUS.items())
def test_a_returned_request_is_changed_only_by_who_asked(
    client, people, officers, make, who, status
):
    request = make()
    changes.decide(request, rules.Event.RETURN, by=officers["director"], note="Attach the letter")
    url = reverse("delegation:resubmit", args=[request.pk])
    response = _client(client, _who(people, officers, who)).get(url)
    assert response.status_code == status
    if status == 200:
        assert "Attach the letter" in response.text


def test_resubmitting_routes_the_request_again(client, officers, make):
    request = make()
    changes.decide(request, rules.Event.RETURN, by=officers["director"], note="Check the sum")
    request.refresh_from_db()
    response = _client(client, officers["requester"]).post(
        reverse("delegation:resubmit", args=[request.pk]),
        {
            "council": "LBH",
            "debt_type": "business",
            "debtor": request.debtor,
            "account_reference": request.account_reference,
            "amount": "24,000.00",
            "reason": request.reason,
            "evidence_note": request.evidence_note,
            "version": request.version,
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.authority) == ("submitted", "head_of_service")
    again = _client(client, officers["requester"]).get(
        reverse("delegation:resubmit", args=[request.pk])
    )
    assert again.status_code == 404  # no longer returned
