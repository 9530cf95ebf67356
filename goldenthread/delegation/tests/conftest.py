"""Havering's scheme as the demo loads it, and an officer for each side of the rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from goldenthread.delegation import changes, demo
from goldenthread.delegation.models import Scheme
from tests.factories import PostFactory, UserFactory, grant


@pytest.fixture
def scheme(partners, people):
    demo.load_schemes(people["admin"])
    return Scheme.objects.get(council=partners["LBH"], version=1)


@pytest.fixture
def officers(scheme, people, partners):
    """director (decides £30,000 business debts), head (does not), requester (service
    manager who raises requests), reader_lbh (a Havering reader)."""
    director = UserFactory(username="director", first_name="Jane", last_name="West")
    grant(director, "lead")
    PostFactory(title="Director of Finance").holders.add(director)
    head = UserFactory(username="head", first_name="Dave", last_name="Gibbs")
    grant(head, "lead")
    PostFactory(title="Head of Revenues and Financial Transactional Services").holders.add(head)
    requester = UserFactory(username="requester", first_name="Rae", last_name="Quinn")
    grant(requester, "lead")
    PostFactory(title="Revenues Service Manager, Havering").holders.add(requester)
    reader_lbh = UserFactory(username="reader_lbh")
    grant(reader_lbh, "reader", partners["LBH"])
    return {
        "director": director,
        "head": head,
        "requester": requester,
        "reader_lbh": reader_lbh,
    }


@pytest.fixture
def make(partners, officers):
    def _make(amount="30000.00", debt_type="business", **extra):
        values = {
            "debtor": "Acme Trading Ltd",
            "account_reference": "NNDR-000123",
            "reason": "The company was dissolved; the liquidator reports no assets.",
            "evidence_note": "Liquidator's letter of 3 May, on the revenues file.",
            **extra,
        }
        return changes.make_request(
            partners["LBH"],
            by=officers["requester"],
            debt_type=debt_type,
            amount=Decimal(amount),
            **values,
        )

    return _make
