"""Shared fixtures: a small partnership and a user for each role of the access rules."""

from __future__ import annotations

import pytest

from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PlanFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
    grant,
)


@pytest.fixture
def partners(db):
    return {
        code: OrganisationFactory(code=code, name=name)
        for code, name in [("LBH", "Havering"), ("LBN", "Newham"), ("LBB", "Bexley")]
    }


@pytest.fixture
def people(db, partners):
    """administrator, owning lead, another lead, Bexley reader, Havering approver."""
    admin = UserFactory(username="admin")
    grant(admin, "administrator")
    lead = UserFactory(username="lead")
    grant(lead, "lead")
    PostFactory(title="Director of ICT").holders.add(lead)
    other_lead = UserFactory(username="other_lead")
    grant(other_lead, "lead")
    PostFactory(title="Director of HROD").holders.add(other_lead)
    reader = UserFactory(username="reader_lbb")
    grant(reader, "reader", partners["LBB"])
    approver = UserFactory(username="approver_lbh")
    grant(approver, "approver", partners["LBH"])
    return {
        "admin": admin,
        "lead": lead,
        "other_lead": other_lead,
        "reader": reader,
        "approver": approver,
    }


@pytest.fixture
def plan(db):
    return PlanFactory(code="IP", title="Improvement Plan")


@pytest.fixture
def action(plan, people):
    """An ICT action for ALL partners, led by the "lead" user's post."""
    section = SectionFactory(plan=plan, title="ICT")
    return ActionFactory(section=section, ref="IP40", lead_posts=[people["lead"].posts.get()])


@pytest.fixture
def lbh_action(plan, people, partners):
    """An action concerning Havering only."""
    section = SectionFactory(plan=plan, title="Asset Management")
    return ActionFactory(
        section=section,
        ref="IP23",
        lead_posts=[people["lead"].posts.get()],
        partner_list=[partners["LBH"]],
    )


def pytest_configure(config):
    from django.conf import settings

    # Fast hashing in tests only: the product keeps Django's default hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run as they are enqueued (after the commit that enqueues them), in the
    # test's own process; tests/test_worker.py runs the real worker against a real database.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
