"""Two councils' registers and a user for each side of the rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from goldenthread.core.models import Post
from goldenthread.registers import changes
from goldenthread.registers.models import Contract, Grant, Waiver
from tests.factories import UserFactory, grant


@pytest.fixture
def councils(partners):
    for code, gss in [("LBH", "E09000016"), ("LBN", "E09000025"), ("LBB", "E09000004")]:
        partners[code].gss_code = gss
        partners[code].save(update_fields=["gss_code"])
    return partners


@pytest.fixture
def reader_lbh(councils):
    user = UserFactory(username="reader_lbh")
    grant(user, "reader", councils["LBH"])
    return user


def contract_values(council, **extra) -> dict:
    values = {
        "council": council,
        "reference": "C-001",
        "title": "Cleaning of the town hall",
        "department": "Asset Management",
        "description": "Daily cleaning, with a deep clean each quarter.",
        "supplier_name": "Spotless Ltd",
        "supplier_company_number": "01234567",
        "supplier_charity_number": "",
        "sme": True,
        "vcse": False,
        "value": Decimal("120000.00"),
        "irrecoverable_vat": Decimal("0.00"),
        "starts_on": date(2019, 4, 1),
        "ends_on": date(2021, 3, 31),
        "review_on": date(2020, 4, 1),
        "route": "tender",
        "redacted_fields": "",
        "redaction_reason": "",
    }
    values.update(extra)
    return values


@pytest.fixture
def lbh_contract(councils, people):
    return changes.save_contract(None, contract_values(councils["LBH"]), by=people["admin"])


@pytest.fixture
def lbb_contract(councils, people):
    return changes.save_contract(
        None,
        contract_values(councils["LBB"], reference="B-001", title="Payroll bureau"),
        by=people["admin"],
    )


@pytest.fixture
def lbh_waiver(councils, people, lbh_contract):
    post, _ = Post.objects.get_or_create(title="Head of Procurement")
    return changes.save_waiver(
        None,
        {
            "council": councils["LBH"],
            "reference": "W-001",
            "subject": "Urgent roof repair",
            "contract": lbh_contract,
            "reason": "Only one contractor could start within the week.",
            "value": Decimal("30000.00"),
            "approver": post,
            "approved_on": date(2019, 5, 2),
        },
        by=people["admin"],
    )


@pytest.fixture
def lbh_grant(councils, people):
    return changes.save_grant(
        None,
        {
            "council": councils["LBH"],
            "reference": "G-001",
            "programme": "Community chest",
            "recipient": "Harold Hill Youth Club",
            "recipient_number": "1100001",
            "voluntary_body": True,
            "department": "Communities",
            "purpose": "Summer activities",
            "amount": Decimal("7500.00"),
            "awarded_on": date(2019, 8, 15),
            "starts_on": date(2019, 9, 1),
            "ends_on": date(2020, 8, 31),
            "redacted_fields": "",
            "redaction_reason": "",
        },
        by=people["admin"],
    )


__all__ = ["Contract", "Grant", "Waiver"]
