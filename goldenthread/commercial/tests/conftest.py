"""An ongoing-provision opportunity for Havering and Newham, a one-off for Newham, and the
helpers the tests share."""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document as WordDocument

from goldenthread.commercial import changes, rules
from tests.factories import ServiceFactory

FIVE = {name: f"The {heading.lower()} of the opportunity." for name, heading, _ in rules.FIVE_CASES}


def opportunity_values(councils, **extra) -> dict:
    values = {
        "reference": "COM-001",
        "title": "Enforcement for a neighbouring council",
        "client": "Anytown Borough Council",
        "client_kind": "council",
        "service": ServiceFactory(code="ET", name="Exchequer & Transactional"),
        "partners": [councils["LBH"], councils["LBN"]],
        "description": "Three years of ethical enforcement.",
        "one_off": False,
        "estimated_income": Decimal("240000.00"),
        "estimated_costs": Decimal("186500.50"),
    }
    values.update(extra)
    return values


@pytest.fixture
def opportunity(people, partners):
    return changes.save_opportunity(None, opportunity_values(partners), by=people["admin"])


@pytest.fixture
def one_off(people, partners):
    return changes.save_opportunity(
        None,
        opportunity_values(
            partners,
            reference="COM-002",
            title="Advice on a lease",
            one_off=True,
            partners=[partners["LBN"]],
            estimated_income=Decimal("1500.00"),
            estimated_costs=Decimal("900.00"),
        ),
        by=people["admin"],
    )


def word_text(data: bytes) -> str:
    document = WordDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)
