"""The demo's opportunities come from the Commercial Protocol, are marked as demonstration
content, load once, and reach their stages by the protocol's own rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from goldenthread.commercial import demo, rules
from goldenthread.commercial.models import Opportunity
from goldenthread.demo.loader import load_organisations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_through_the_protocol(client, people):
    loader = UserFactory(username="demo-loader")
    load_organisations(loader)
    assert demo.load_opportunities(loader) == 3
    assert demo.load_opportunities(loader) == 0
    stages = dict(Opportunity.objects.values_list("reference", "stage"))
    assert stages == {
        "COM-DEMO-01": rules.Stage.FINAL_APPROVAL,
        "COM-DEMO-02": rules.Stage.DRAFT_CASE,
        "COM-DEMO-03": rules.Stage.ARISES,
    }
    assert all(o.demonstration for o in Opportunity.objects.all())
    enforcement = Opportunity.objects.get(reference="COM-DEMO-01")
    assert {c.phase for c in enforcement.business_cases.all()} == {"outline", "full"}
    assert enforcement.stage_changes.count() == 3
    assert Opportunity.objects.get(reference="COM-DEMO-03").one_off
    client.force_login(people["admin"])
    page = client.get(reverse("commercial:index")).text
    assert page.count("Demonstration</strong>") == 3
