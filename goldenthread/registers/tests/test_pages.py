"""Register pages for each side of the rules: administrator, lead, a reader of another
partner, a reader of the council, and someone signed out; writes audited and versioned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from goldenthread.core.models import AuditEntry
from goldenthread.registers.models import Contract

pytestmark = pytest.mark.django_db


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _who(people, reader_lbh, name):
    return None if name == "anonymous" else {**people, "reader_lbh": reader_lbh}[name]


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/sign-in/" in response["Location"]


READ = {"admin": 200, "lead": 200, "reader": 404, "reader_lbh": 200, "anonymous": "login"}


@pytest.mark.parametrize(("who", "status"), READ.items())
@pytest.mark.parametrize("kind", ["contract", "waiver", "grant"])
def test_an_entry_is_read_only_within_scope(
    client, people, reader_lbh, lbh_waiver, lbh_grant, kind, who, status
):
    item = {"contract": lbh_waiver.contract, "waiver": lbh_waiver, "grant": lbh_grant}[kind]
    response = _as(client, _who(people, reader_lbh, who)).get(item.get_absolute_url())
    if status == "login":
        assert _login_redirect(response)
    else:
        assert response.status_code == status
        if status == 200:
            assert item.reference in response.text


@pytest.mark.parametrize("who", ["admin", "lead", "reader", "reader_lbh"])
def test_lists_show_only_the_councils_a_user_may_read(
    client, people, reader_lbh, lbh_contract, lbb_contract, who
):
    page = _as(client, _who(people, reader_lbh, who)).get(reverse("registers:contracts")).text
    sees_lbh = who in ("admin", "lead", "reader_lbh")
    sees_lbb = who in ("admin", "lead", "reader")  # "reader" reads Bexley
    assert (lbh_contract.reference in page) is sees_lbh
    assert (lbb_contract.reference in page) is sees_lbb


def test_signed_out_the_registers_ask_to_sign_in(client, lbh_contract):
    for name in ("registers:index", "registers:contracts", "registers:waivers", "registers:grants"):
        assert _login_redirect(client.get(reverse(name)))
    assert _login_redirect(client.get(reverse("registers:contracts_export", args=["csv"])))


def test_filters_narrow_the_list_and_a_bad_one_answers_404(
    client, people, lbh_contract, lbb_contract
):
    client.force_login(people["admin"])
    page = client.get(reverse("registers:contracts"), {"council": "LBB"}).text
    assert "B-001" in page and "C-001" not in page
    page = client.get(reverse("registers:contracts"), {"q": "cleaning"}).text
    assert "C-001" in page and "B-001" not in page
    assert client.get(reverse("registers:contracts"), {"route": "bribe"}).status_code == 404
    assert client.get(reverse("registers:contracts"), {"council": "XYZ"}).status_code == 404
    assert client.get(reverse("registers:contracts"), {"page": "99"}).status_code == 404


def test_a_reader_cannot_filter_to_another_council(client, people, lbh_contract):
    client.force_login(people["reader"])  # Bexley
    assert client.get(reverse("registers:contracts"), {"council": "LBH"}).status_code == 404


def _contract_post(contract: Contract, **changes) -> dict:
    data = {
        "council": contract.council.code,
        "reference": contract.reference,
        "title": contract.title,
        "department": contract.department,
        "description": contract.description,
        "supplier_name": contract.supplier_name,
        "supplier_company_number": contract.supplier_company_number,
        "supplier_charity_number": "",
        "sme": "yes" if contract.sme else "no",
        "vcse": "no",
        "value": str(contract.value),
        "irrecoverable_vat": "0",
        "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat() if contract.ends_on else "",
        "review_on": contract.review_on.isoformat() if contract.review_on else "",
        "route": contract.route,
        "redaction_reason": "",
        "version": contract.version,
    }
    data.update(changes)
    return data


EDIT = {"admin": 302, "lead": 403, "reader": 404, "reader_lbh": 403, "anonymous": "login"}
ADD = {**EDIT, "reader": 403}


@pytest.mark.parametrize(("who", "status"), EDIT.items())
def test_only_administrators_change_a_contract(
    client, people, reader_lbh, lbh_contract, who, status
):
    url = reverse("registers:contract_edit", args=[lbh_contract.pk])
    client = _as(client, _who(people, reader_lbh, who))
    get = client.get(url)
    response = client.post(url, _contract_post(lbh_contract, title="Cleaning, changed"))
    lbh_contract.refresh_from_db()
    if status == "login":
        assert _login_redirect(get) and _login_redirect(response)
    else:
        assert get.status_code == (200 if status == 302 else status)
        assert response.status_code == status
    assert (lbh_contract.title == "Cleaning, changed") is (status == 302)


@pytest.mark.parametrize(("who", "status"), ADD.items())
def test_only_administrators_add_entries(client, people, reader_lbh, councils, who, status):
    client = _as(client, _who(people, reader_lbh, who))
    for name in (
        "registers:contract_new",
        "registers:waiver_new",
        "registers:grant_new",
        "registers:contracts_import",
    ):
        response = client.get(reverse(name))
        if status == "login":
            assert _login_redirect(response)
        else:
            assert response.status_code == (200 if status == 302 else status)


def test_an_administrator_adds_a_contract_and_the_audit_records_it(client, people, councils):
    client.force_login(people["admin"])
    data = _contract_post(
        Contract(
            council=councils["LBN"],
            reference="N-9",
            title="Translation services",
            department="Communities",
            description="Interpreting",
            supplier_name="Words Ltd",
            supplier_company_number="",
            value=Decimal("6000.00"),
            starts_on=__import__("datetime").date(2019, 7, 1),
            route="quote",
        ),
        version="",
    )
    response = client.post(reverse("registers:contract_new"), data)
    assert response.status_code == 302
    made = Contract.objects.get(reference="N-9")
    assert made.value == Decimal("6000.00")
    assert AuditEntry.objects.filter(
        object_id=made.pk, verb=AuditEntry.Verb.CREATED, by=people["admin"]
    ).exists()


def test_a_change_is_audited_field_by_field(client, people, lbh_contract):
    client.force_login(people["admin"])
    url = reverse("registers:contract_edit", args=[lbh_contract.pk])
    client.post(url, _contract_post(lbh_contract, value="125000.00"))
    entry = AuditEntry.objects.get(object_id=lbh_contract.pk, verb=AuditEntry.Verb.CHANGED)
    assert (entry.field, entry.old, entry.new) == ("contract value (£)", "120000.00", "125000.00")
    lbh_contract.refresh_from_db()
    assert lbh_contract.version == 2


def test_a_stale_form_answers_409_and_saves_nothing(client, people, lbh_contract):
    client.force_login(people["admin"])
    url = reverse("registers:contract_edit", args=[lbh_contract.pk])
    first = _contract_post(lbh_contract, title="First")
    second = _contract_post(lbh_contract, title="Second")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    assert "Nothing was saved" in response.text
    lbh_contract.refresh_from_db()
    assert lbh_contract.title == "First"


def test_a_bad_form_answers_400_with_the_problem(client, people, lbh_contract):
    client.force_login(people["admin"])
    url = reverse("registers:contract_edit", args=[lbh_contract.pk])
    response = client.post(
        url, _contract_post(lbh_contract, value="lots", supplier_company_number="123")
    )
    assert response.status_code == 400
    assert "is not an amount in pounds" in response.text
    assert "eight letters or digits" in response.text


def test_a_redaction_needs_a_reason(client, people, lbh_contract):
    client.force_login(people["admin"])
    url = reverse("registers:contract_edit", args=[lbh_contract.pk])
    data = _contract_post(lbh_contract, redacted_fields=["supplier_name"])
    assert client.post(url, data).status_code == 400
    data["redaction_reason"] = "Personal data of a sole trader"
    assert client.post(url, data).status_code == 302
    lbh_contract.refresh_from_db()
    assert lbh_contract.redacted_fields == "supplier_name"


def test_a_waiver_links_only_to_a_contract_of_its_council(client, people, lbh_waiver, lbb_contract):
    client.force_login(people["admin"])
    url = reverse("registers:waiver_edit", args=[lbh_waiver.pk])
    data = {
        "council": "LBH",
        "reference": "W-001",
        "subject": "Urgent roof repair",
        "contract": lbb_contract.pk,
        "reason": "Urgent",
        "value": "30000",
        "approver": lbh_waiver.approver.pk,
        "approved_on": "2019-05-02",
        "version": lbh_waiver.version,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "same council" in response.text
    data["contract"] = lbh_waiver.contract.pk
    assert client.post(url, data).status_code == 302


def test_a_get_never_writes(client, people, lbh_contract):
    client.force_login(people["admin"])
    before = AuditEntry.objects.count()
    for url in (
        reverse("registers:contract_edit", args=[lbh_contract.pk]),
        reverse("registers:contracts_import"),
        reverse("registers:contracts"),
    ):
        client.get(url)
    assert AuditEntry.objects.count() == before


def test_list_pages_take_the_same_queries_for_many_entries(
    client, people, councils, django_assert_max_num_queries
):
    from goldenthread.registers import changes
    from goldenthread.registers.tests.conftest import contract_values

    client.force_login(people["admin"])
    for n in range(30):
        changes.save_contract(
            None, contract_values(councils["LBH"], reference=f"Q-{n}"), by=people["admin"]
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registers:contracts"))
    assert response.text.count("Q-") >= 30


WITHHELD = {"admin": True, "lead": True, "approver": True, "reader_lbh": False}


@pytest.mark.parametrize(("who", "sees"), WITHHELD.items())
def test_withheld_fields_are_shown_to_officers_not_to_readers(
    client, people, reader_lbh, councils, who, sees
):
    from goldenthread.registers import changes
    from goldenthread.registers.tests.conftest import contract_values

    made = changes.save_contract(
        None,
        contract_values(
            councils["LBH"],
            supplier_name="Jo Bloggs",
            redacted_fields="supplier_name",
            redaction_reason="Personal data of a sole trader",
        ),
        by=people["admin"],
    )
    client = _as(client, _who(people, reader_lbh, who))
    for url in (
        made.get_absolute_url(),
        reverse("registers:contracts"),
        reverse("registers:contracts_export", args=["csv"]),
    ):
        text = client.get(url).content.decode()
        assert ("Jo Bloggs" in text) is sees, url
    export = client.get(reverse("registers:contracts_export", args=["csv"])).content.decode()
    assert ("REDACTED" in export) is not sees


def test_a_change_without_the_version_read_is_refused(client, people, lbh_contract):
    client.force_login(people["admin"])
    url = reverse("registers:contract_edit", args=[lbh_contract.pk])
    response = client.post(url, _contract_post(lbh_contract, title="No version", version=""))
    assert response.status_code == 400
    lbh_contract.refresh_from_db()
    assert lbh_contract.title != "No version"


@pytest.mark.parametrize(("who", "status"), {**ADD, "admin": 302}.items())
def test_only_administrators_post_a_new_grant(client, people, reader_lbh, councils, who, status):
    from goldenthread.registers.models import Grant

    client = _as(client, _who(people, reader_lbh, who))
    response = client.post(
        reverse("registers:grant_new"),
        {
            "council": "LBH",
            "reference": "G-NEW",
            "recipient": "Romford Food Bank",
            "voluntary_body": "yes",
            "department": "Communities",
            "purpose": "Food parcels",
            "amount": "2500",
            "awarded_on": "2019-07-01",
            "starts_on": "2019-07-01",
            "redaction_reason": "",
            "version": "",
        },
    )
    if status == "login":
        assert _login_redirect(response)
    else:
        assert response.status_code == status
    assert Grant.objects.filter(reference="G-NEW").exists() is (status == 302)
