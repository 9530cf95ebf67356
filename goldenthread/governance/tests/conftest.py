"""Governance fixtures: a committee on which Bexley sits, its meeting and a draft report."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from goldenthread.demo.loader import load_organisations, load_plan
from goldenthread.governance import changes
from goldenthread.governance.models import Committee, Meeting

NARRATIVE = {
    "subject_heading": "oneSource update for January 2018",
    "author": "Jane West",
    "author_contact": "Jane.west@onesource.co.uk\n020 3373 2703",
    "financial_summary": "This report provides an update of current activity across oneSource.",
    "key_decision": False,
    "summary": "The updates in this report include:-\n- Transition to Trading\n- Awards",
    "recommendations": "The Joint Committee is asked to note the report.",
    "report_detail": "## Transition to Trading\n\nIt has been decided to delay the activation.",
    "legal_implications": "None",
}


@pytest.fixture
def committee(db, partners):
    committee = Committee.objects.create(name="oneSource Joint Committee")
    committee.partners.set([partners["LBH"], partners["LBN"], partners["LBB"]])
    return committee


@pytest.fixture
def meeting(committee):
    return Meeting.objects.create(committee=committee, date=date(2018, 1, 19))


@pytest.fixture
def report(meeting, people):
    return changes.create_report(meeting, by=people["admin"], **NARRATIVE)


@pytest.fixture(scope="module")
def demo_plan(django_db_setup, django_db_blocker):
    """The demo's Improvement Plan (IP1920), loaded once per module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        loader = get_user_model().objects.create(username="governance-test-loader")
        load_organisations(loader)
        plan = load_plan("plan-improvement.yaml", loader)
        yield plan
        transaction.set_rollback(True)
