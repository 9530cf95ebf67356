"""Taking in a plan from a spreadsheet: all rows valid, or nothing saved."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from goldenthread.core.models import AuditEntry, Organisation
from goldenthread.plans import imports
from goldenthread.plans.models import Action, Plan

RESPONSE_CSV = (
    "Recommendation,Response / Action,Lead Officer(s),Timescale,Partners\n"
    '"Develop a clear narrative of place","- Draft narrative to Cabinet\n- Engage partners",'
    '"Chief Executive / Leader",November 2018,ALL\n'
    '"Strengthen scrutiny of shared services","- Review terms of reference",'
    "Monitoring Officer,Ongoing,LBH/LBN\n"
)


def form_data(upload, **extra):
    owner = Organisation.objects.get(code="LBH")
    return {
        "code": "PC2018",
        "title": "Peer challenge recommendations response",
        "kind": "recommendations",
        "owner": owner.pk,
        "status_scale": "rag",
        "file": upload,
        **extra,
    }


def test_an_administrator_imports_a_recommendations_response(client, people):
    client.force_login(people["admin"])
    upload = SimpleUploadedFile("response.csv", RESPONSE_CSV.encode())
    response = client.post(reverse("plans:import"), form_data(upload))
    assert response.status_code == 302
    plan = Plan.objects.get(code="PC2018")
    first, second = plan.actions.order_by("order")
    assert first.title == "Develop a clear narrative of place"
    assert first.outcome == "- Draft narrative to Cabinet\n- Engage partners"
    assert (first.lead, first.timeline, first.partner_label) == (
        "Chief Executive / Leader",
        "November 2018",
        "ALL",
    )
    assert sorted(p.title for p in first.lead_posts.all()) == ["Chief Executive", "Leader"]
    assert second.partner_label == "LBH/LBN"
    assert AuditEntry.objects.filter(verb="created", by=people["admin"]).count() == 4
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Develop a clear narrative of place" in page


def test_a_bad_row_is_named_and_nothing_is_saved(client, people):
    client.force_login(people["admin"])
    bad = RESPONSE_CSV + '"",Something,Someone,Soon,LBX\n"Third",x,y,z,ALL\n'
    bad += "Fourth,x,y,z,ALL\n"
    upload = SimpleUploadedFile("response.csv", bad.encode())
    response = client.post(reverse("plans:import"), form_data(upload))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Row 4, column &#x27;Recommendation&#x27;: this is empty." in page
    assert "Row 4, column &#x27;Partners&#x27;: LBX is not a partner code" in page
    assert not Plan.objects.exists() and not Action.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["lead", "reader", "approver"])
def test_only_administrators_import(client, people, who):
    client.force_login(people[who])
    upload = SimpleUploadedFile("response.csv", RESPONSE_CSV.encode())
    assert client.post(reverse("plans:import"), form_data(upload)).status_code == 403
    assert not Plan.objects.exists()


def test_it_reads_excel_with_dates_and_sections(people, partners):
    book = Workbook()
    sheet = book.active
    sheet.append(["Workstream", "Activity", "SRO", "Resource(s)", "Start date", "Target date"])
    sheet.append(["1. Governance", "Draft business case", "CE", "JW", "Nov-17", "Dec-17"])
    sheet.append(["1. Governance", "Agree shareholding", "CE", "", date(2017, 11, 1), "31/12/2017"])
    sheet.append(["2. Culture", "Values revisited", "SH", "MB", "Mar-18", "Jun-18"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = imports.read_table("plan.xlsx", buffer.getvalue())
    result = imports.import_plan(
        table,
        by=people["admin"],
        code="PP",
        title="Programme",
        kind="programme",
        owner=partners["LBH"],
        status_scale="rag",
    )
    assert result.errors == []
    plan = result.plan
    assert [s.title for s in plan.sections.order_by("order")] == ["1. Governance", "2. Culture"]
    first = plan.actions.get(ref="01")
    assert (first.start_date, first.target_date) == (date(2017, 11, 1), date(2017, 12, 31))
    assert plan.actions.get(ref="02").start_date == date(2017, 11, 1)


def test_it_refuses_a_target_before_the_start_and_unknown_columns(people, partners):
    table = [["Action", "Start", "Target date", "Colour"], ["Do it", "Mar-20", "Jan-20", "red"]]
    result = imports.import_plan(
        table,
        by=people["admin"],
        code="X",
        title="X",
        kind="improvement",
        owner=partners["LBH"],
        status_scale="rag",
    )
    assert result.plan is None
    assert result.errors[0].startswith("Row 1, column 'Colour': not a column we know")
    table = [["Action", "Start", "Target date"], ["Do it", "Mar-20", "Jan-20"]]
    result = imports.import_plan(
        table,
        by=people["admin"],
        code="X",
        title="X",
        kind="improvement",
        owner=partners["LBH"],
        status_scale="rag",
    )
    assert result.errors == ["Row 2, column 'Target date': the target date is before the start."]
    assert not Plan.objects.exists()


def _plan_rows(count: int) -> list[list[str]]:
    heading = ["Ref", "Section", "Action", "Lead", "Partner", "Start", "Target Date"]
    return [heading] + [
        [
            f"A{i}",
            f"Theme {i % 3}",
            f"Action {i}",
            "Director of ICT / Director of HROD",
            "LBH/LBN",
            "01/04/2019",
            "Mar-20",
        ]
        for i in range(count)
    ]


def test_a_large_import_takes_the_same_queries_as_a_small_one(people):
    """A whole plan goes in with a few inserts, so a large file holds the database briefly."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = Organisation.objects.get(code="LBH")

    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = imports.import_plan(
                _plan_rows(count),
                by=people["admin"],
                code=f"P{count}",
                title=f"Plan {count}",
                kind="improvement",
                owner=owner,
                status_scale="rag",
            )
        assert result.errors == [] and result.plan.actions.count() == count
        return len(captured)

    queries(3)  # the first import creates the lead posts
    assert queries(6) == queries(60)
    action = Action.objects.get(plan__code="P60", ref="A7")
    assert sorted(action.partners.values_list("code", flat=True)) == ["LBH", "LBN"]
    assert action.lead_posts.count() == 2
    entry = AuditEntry.objects.get(
        object_id=action.pk, verb="created", object_repr__startswith="A7"
    )
    assert "partners: " in entry.new and "Director of ICT" in entry.new
