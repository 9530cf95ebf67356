"""Write-off requests: routing when made, one decision by the right post, audited."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from goldenthread.core.models import AuditEntry, Post
from goldenthread.delegation import changes, demo, rules
from goldenthread.delegation.admin import SchemeForm
from goldenthread.delegation.models import Adoption, Scheme, WriteOffRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CABINET = "Cabinet Member for Finance and Property"
S151 = "Section 151 officer (or officer nominated by her)"


def test_a_30000_business_debt_goes_to_a_director_with_two_consultees_in_order(make):
    request = make()
    assert request.authority == "director"
    assert request.authority_title == "Director (Tier 2)"
    assert request.band == "£25,001 - £100,000"
    assert request.source == "s.101 LGA 1972, s.9E LGA 2000"
    assert [(c.order, c.consultee) for c in request.consultations.all()] == [
        (1, CABINET),
        (2, S151),
    ]
    assert request.state == rules.State.SUBMITTED
    assert AuditEntry.objects.filter(object_id=request.pk, verb="created").exists()


def test_it_requires_evidence_or_a_note(make):
    with pytest.raises(ValidationError, match="evidence"):
        make(evidence_note="")


def test_it_refuses_an_officer_without_a_designated_post(partners, people, officers):
    with pytest.raises(PermissionDenied):
        changes.make_request(
            partners["LBH"],
            by=people["other_lead"],
            debt_type="business",
            debtor="X",
            account_reference="1",
            amount=Decimal("10"),
            reason="r",
            evidence_note="n",
        )


def test_a_council_without_a_scheme_takes_no_requests(partners, people, officers):
    with pytest.raises(PermissionDenied):
        changes.make_request(
            partners["LBN"],
            by=people["admin"],
            debt_type="business",
            debtor="X",
            account_reference="1",
            amount=Decimal("10"),
            reason="r",
            evidence_note="n",
        )


def test_the_director_writes_it_off_recording_each_consultee(make, officers):
    request = make()
    done = changes.decide(
        request,
        rules.Event.WRITE_OFF,
        by=officers["director"],
        responses=["Agreed by email, 4 June", "Agreed (nominee), 5 June"],
        expected_version=request.version,
    )
    assert done.state == rules.State.WRITTEN_OFF
    assert done.decided_by == officers["director"]
    assert done.decided_as == "Director (Tier 2)"
    assert done.version == request.version + 1
    assert [c.response for c in done.consultations.all()] == [
        "Agreed by email, 4 June",
        "Agreed (nominee), 5 June",
    ]
    assert AuditEntry.objects.filter(object_id=done.pk, verb="approved").count() == 1
    assert AuditEntry.objects.filter(object_id=done.pk, field="state").exists()


def test_writing_off_needs_every_consultees_response(make, officers):
    request = make()
    with pytest.raises(ValidationError, match="each consultee"):
        changes.decide(
            request, rules.Event.WRITE_OFF, by=officers["director"], responses=["Agreed", ""]
        )
    request.refresh_from_db()
    assert request.state == rules.State.SUBMITTED


@pytest.mark.parametrize("who", ["head", "requester"])
def test_a_less_senior_post_cannot_decide(make, officers, who):
    with pytest.raises(PermissionDenied):
        changes.decide(make(), rules.Event.REFUSE, by=officers[who], note="No")


def test_an_administrator_cannot_take_the_officers_decision(make, people):
    with pytest.raises(PermissionDenied):
        changes.decide(make(), rules.Event.REFUSE, by=people["admin"], note="No")


def test_the_head_of_service_decides_a_debt_in_their_band(make, officers):
    request = make(amount="25000.00")
    assert request.authority == "head_of_service"
    changes.decide(request, rules.Event.REFUSE, by=officers["head"], note="Recover it")
    request.refresh_from_db()
    assert request.state == rules.State.REFUSED


def test_a_stale_decision_is_refused_and_writes_nothing(make, officers):
    request = make()
    changes.decide(request, rules.Event.REFUSE, by=officers["director"], note="Pursue it")
    before = AuditEntry.objects.count()
    with pytest.raises(changes.StaleRequest):
        changes.decide(
            request,
            rules.Event.WRITE_OFF,
            by=officers["director"],
            responses=["a", "b"],
            expected_version=request.version,
        )
    assert AuditEntry.objects.count() == before
    request.refresh_from_db()
    assert request.state == rules.State.REFUSED


def test_a_request_is_decided_once(make, officers):
    request = make()
    changes.decide(request, rules.Event.REFUSE, by=officers["director"], note="Pursue it")
    with pytest.raises(changes.StaleRequest, match="refused"):
        changes.decide(request, rules.Event.REFUSE, by=officers["director"], note="Again")


def test_refusing_needs_a_reason(make, officers):
    with pytest.raises(ValidationError):
        changes.decide(make(), rules.Event.REFUSE, by=officers["director"], note=" ")


def test_a_returned_request_is_resubmitted_and_routed_again(make, officers):
    request = make()
    changes.decide(request, rules.Event.RETURN, by=officers["director"], note="Attach the letter")
    request.refresh_from_db()
    again = changes.resubmit(
        request,
        by=officers["requester"],
        debt_type="business",
        debtor=request.debtor,
        account_reference=request.account_reference,
        amount=Decimal("120000.00"),
        reason=request.reason,
        evidence_note="Letter attached to the revenues file",
        expected_version=request.version,
    )
    assert again.state == rules.State.SUBMITTED
    assert again.authority == "chief_operating_officer"
    assert [c.consultee for c in again.consultations.all()] == [CABINET]


def test_only_the_officer_who_asked_resubmits(make, officers):
    request = make()
    changes.decide(request, rules.Event.RETURN, by=officers["director"], note="More")
    with pytest.raises(PermissionDenied):
        changes.resubmit(
            request,
            by=officers["director"],
            debt_type="business",
            debtor="X",
            account_reference="1",
            amount=Decimal("10"),
            reason="r",
            evidence_note="n",
        )


def _version_two(scheme: Scheme, in_force_from) -> Scheme:
    """A second version: business debts of £25,001 - £100,000 go to the Head of Service."""
    definition = copy.deepcopy(scheme.definition)
    business = next(t for t in definition["debt_types"] if t["key"] == "business")
    band = next(b for b in business["bands"] if b["above"] == 25000)
    band["decides"] = "head_of_service"
    v2 = Scheme.objects.create(
        council=scheme.council,
        version=2,
        title=scheme.title,
        in_force_from=in_force_from,
        definition=definition,
    )
    Adoption.objects.create(scheme=v2, body="Leader", adopted_on=in_force_from)
    return v2


def test_a_change_of_scheme_applies_only_to_requests_made_after_its_adoption(
    scheme, make, officers
):
    today = timezone.localdate()
    before = make()
    v2 = _version_two(scheme, today + timedelta(days=1))
    not_yet = make()
    assert not_yet.scheme == scheme and not_yet.authority == "director"
    v2.in_force_from = today
    v2.save()
    after = make()
    assert after.scheme == v2 and after.authority == "head_of_service"
    before.refresh_from_db()
    assert before.scheme == scheme and before.authority == "director"
    # The earlier request is still decided under its own version.
    with pytest.raises(PermissionDenied):
        changes.decide(before, rules.Event.REFUSE, by=officers["head"], note="No")
    changes.decide(after, rules.Event.REFUSE, by=officers["head"], note="No")
    assert WriteOffRequest.objects.get(pk=after.pk).state == rules.State.REFUSED


def test_the_demo_loads_its_requests_once_under_the_2019_scheme(scheme, partners):
    for username in ("revenues.manager", "finance.director"):
        UserFactory(username=username)
    demo.load_schemes(None)

    users = get_user_model().objects
    Post.objects.get(title="Revenues Service Manager, Havering").holders.add(
        users.get(username="revenues.manager")
    )
    Post.objects.get(title="Director of Finance").holders.add(
        users.get(username="finance.director")
    )
    assert demo.load_requests() == 3
    assert demo.load_requests() == 0
    states = dict(WriteOffRequest.objects.values_list("account_reference", "state"))
    assert states == {
        "DEMO-NNDR-0001": "written_off",
        "DEMO-CT-0002": "written_off",
        "DEMO-SD-0003": "submitted",
    }
    first = WriteOffRequest.objects.get(account_reference="DEMO-NNDR-0001")
    assert first.scheme == scheme and first.decided_on.year == 2019


def test_the_admin_refuses_a_scheme_the_rules_cannot_use(scheme):
    broken = copy.deepcopy(scheme.definition)
    broken["debt_types"][0]["bands"][0]["decides"] = "mayor"
    form = SchemeForm(
        data={
            "council": scheme.council.pk,
            "version": 3,
            "title": "Broken",
            "in_force_from": "2030-01-01",
            "definition": json.dumps(broken),
        }
    )
    assert not form.is_valid()
    assert form.errors["definition"] == ["citizen, '£500,000 +': no post 'mayor'."]
