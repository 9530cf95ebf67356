"""Each side of the rules: administrators and leads of the shared service change the
pipeline; readers and approvers of a partner read its opportunities only; another partner's
reader is refused on GET and POST; signed out, everything asks to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.commercial import access, changes
from goldenthread.commercial.models import Opportunity
from goldenthread.commercial.tests.conftest import FIVE

pytestmark = pytest.mark.django_db

# The opportunity is Havering's and Newham's; "reader" reads Bexley, "approver" Havering.
READ = {"admin": 200, "lead": 200, "other_lead": 200, "reader": 404, "approver": 200}
WRITE = {"admin": 302, "lead": 302, "other_lead": 302, "reader": 404, "approver": 403}


@pytest.fixture
def written(opportunity, people):
    changes.save_case(opportunity, "outline", FIVE, by=people["admin"], expected_version=None)
    return opportunity


def _pages(o) -> list[str]:
    return [
        o.get_absolute_url(),
        reverse("commercial:case", args=[o.pk, "outline"]),
        reverse("commercial:case_document", args=[o.pk, "outline", "pdf"]),
    ]


@pytest.mark.parametrize(("who", "status"), READ.items())
def test_an_opportunity_is_read_only_within_scope(client, people, written, who, status):
    client.force_login(people[who])
    for url in _pages(written):
        assert client.get(url).status_code == status, url
    listing = client.get(reverse("commercial:index")).text
    assert (written.reference in listing) is (status == 200)


@pytest.mark.parametrize(("who", "status"), WRITE.items())
def test_recording_a_test_is_for_the_shared_services_editors(
    client, people, opportunity, who, status
):
    client.force_login(people[who])
    response = client.post(
        reverse("commercial:record_test", args=[opportunity.pk]),
        {"test": "legal_power", "evidence": "LA (Goods and Services) Act 1970", "version": 1},
    )
    assert response.status_code == status
    assert opportunity.tests.exists() is (status == 302)


@pytest.mark.parametrize(("who", "status"), WRITE.items())
def test_changing_a_stage_or_a_case_is_for_the_shared_services_editors(
    client, people, opportunity, who, status
):
    client.force_login(people[who])
    response = client.post(
        reverse("commercial:case_edit", args=[opportunity.pk, "outline"]), {**FIVE, "version": 0}
    )
    assert response.status_code == status
    response = client.post(
        reverse("commercial:move_stage", args=[opportunity.pk]),
        {"to_stage": "draft_case", "version": opportunity.version},
    )
    # Editors are refused by the protocol (no tests recorded), the others by the rules.
    assert response.status_code == (400 if status == 302 else status)
    edit = reverse("commercial:opportunity_edit", args=[opportunity.pk])
    assert client.get(edit).status_code == (200 if status == 302 else status)


@pytest.mark.parametrize("who", ["reader", "approver"])
def test_readers_and_approvers_cannot_add_opportunities(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("commercial:opportunity_new")).status_code == 403
    assert client.post(reverse("commercial:opportunity_new"), {}).status_code == 403


def test_a_lead_adds_and_changes_an_opportunity_audited_and_version_checked(
    client, people, partners, action
):
    client.force_login(people["lead"])
    service = Opportunity._meta.get_field("service").related_model.objects.create(
        code="LG", name="Legal & Governance"
    )
    form = {
        "reference": "COM-010",
        "title": "Ad hoc legal work",
        "client": "A school",
        "client_kind": "school",
        "service": service.pk,
        "partners": [partners["LBN"].pk],
        "description": "Advice on a lease.",
        "one_off": "yes",
        "estimated_income": "£1,500.00",
        "estimated_costs": "900",
        "actions": [action.pk],
    }
    response = client.post(reverse("commercial:opportunity_new"), form)
    assert response.status_code == 302
    created = Opportunity.objects.get(reference="COM-010")
    assert created.one_off and str(created.surplus) == "600.00"
    assert list(created.actions.all()) == [action]
    page = client.get(created.get_absolute_url()).text
    assert action.ref in page and "No update" in page  # its status as the plan reports it
    edit = reverse("commercial:opportunity_edit", args=[created.pk])
    assert client.post(edit, {**form, "title": "New", "version": 1}).status_code == 302
    response = client.post(edit, {**form, "title": "Stale", "version": 1})
    assert response.status_code == 409
    assert Opportunity.objects.get(pk=created.pk).title == "New"
    bad = client.post(
        reverse("commercial:opportunity_new"),
        {**form, "reference": "COM-011", "estimated_income": "lots"},
    )
    assert bad.status_code == 400 and "in pounds" in bad.text


def test_signed_out_everything_asks_to_sign_in(client, opportunity):
    for url in [reverse("commercial:index"), *_pages(opportunity)]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    response = client.post(reverse("commercial:record_test", args=[opportunity.pk]), {})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_visible_to_follows_partner_scope(people, opportunity):
    assert list(access.visible_to(people["approver"])) == [opportunity]
    assert list(access.visible_to(people["reader"])) == []
    assert access.can_edit(people["lead"]) and not access.can_edit(people["approver"])


def test_the_list_reads_in_a_fixed_number_of_queries(
    client, people, partners, opportunity, django_assert_max_num_queries
):
    from goldenthread.commercial.tests.conftest import opportunity_values

    for n in range(2, 8):
        changes.save_opportunity(
            None, opportunity_values(partners, reference=f"COM-1{n}"), by=people["admin"]
        )
    client.force_login(people["approver"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("commercial:index"))
    assert page.text.count("COM-1") == 6
