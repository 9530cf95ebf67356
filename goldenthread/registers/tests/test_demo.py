"""The demo's registers: Tower Hamlets' procurement and grants from seed 003, marked as
demonstration values, loaded once however often the loader runs."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from goldenthread.registers import demo, rules
from goldenthread.registers.models import Contract, Grant, Waiver
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_says_it_is_demonstration(client):
    loader = UserFactory(username="demo-loader")
    first = demo.load_registers(loader)
    assert demo.load_registers(loader) == first == (5, 1, 3)
    assert all("Demonstration" in c.description for c in Contract.objects.all())
    waiver = Waiver.objects.get()
    assert waiver.contract.reference == "LBTH-C-2015-0420"
    assert waiver.approver.title == "Zamil Ahmed"
    assert Grant.objects.filter(voluntary_body=True).count() == 3

    text = client.get(reverse("open_data:contracts", args=["2015-16-Q3"])).content.decode()
    rows = {
        r[2]: dict(zip(rules.CONTRACT_COLUMNS, r, strict=True))
        for r in list(csv.reader(io.StringIO(text)))[1:]
    }
    # Running in October to December 2015 and worth over £5,000.
    assert set(rows) == {
        "LBTH-C-2015-0412",
        "LBTH-C-2015-0388",
        "LBTH-C-2015-0350",
        "LBTH-C-2015-0420",
    }
    assert rows["LBTH-C-2015-0420"]["Supplier name"] == "REDACTED"
    assert "J Smith" not in text
