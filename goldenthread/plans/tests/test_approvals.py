"""The approver's cards, returned work shown to the lead, and pages of constant queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goldenthread.core.models import Period
from goldenthread.plans import changes
from goldenthread.plans.models import DeadlineRevision
from tests.factories import ActionFactory, MilestoneFactory, SectionFactory

LONG_TITLE = (
    "Develop and implement a shared approach to procurement across the partnership, "
    "including category management, contract registers and supplier relationship reviews"
)


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")


@pytest.fixture
def q2(db):
    return Period.objects.for_code("2019/20 Q2")


def in_q1(action, people, q1, q2, **values):
    """An approved Q1 update, recorded while Q1 was open; Q2 is open again afterwards."""
    plan = action.plan
    plan.reporting_period = q1
    plan.save()
    update = changes.record_update(action, q1, by=people["lead"], **values)
    changes.approve_update(update, by=people["admin"], expected_version=1)
    plan.reporting_period = q2
    plan.save()
    return update


def approvals_page(client) -> str:
    return client.get(reverse("plans:approvals")).content.decode()


def test_a_card_names_the_plan_links_the_item_and_shows_the_full_title(client, action, people, q2):
    action.title = LONG_TITLE
    action.save()
    changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    client.force_login(people["approver"])
    page = approvals_page(client)
    card = page[page.index('data-testid="update-card"') :]
    assert "Improvement Plan" in card[: card.index("</h3>")]
    assert f'href="{action.get_absolute_url()}"' in card
    assert LONG_TITLE in card


def test_a_card_shows_last_periods_status_and_text_with_the_changes_marked(
    client, action, people, q1, q2
):
    in_q1(action, people, q1, q2, status="G", progress="Recruiting two officers.")
    changes.record_update(
        action, q2, by=people["lead"], status="A", progress="Recruited one <em>officer</em>."
    )
    client.force_login(people["approver"])
    page = approvals_page(client)
    previous = re.search(r'data-testid="previous-status">(.*?)</dd>', page, re.S).group(1)
    assert "Green" in previous
    assert "Recruiting two officers." in page
    diff = re.search(r'data-testid="progress-diff">(.*?)</dd>', page, re.S).group(1)
    assert '<del class="gt-removed"><span class="govuk-visually-hidden">[removed] </span>' in diff
    assert "Recruiting two" in diff
    assert "one &lt;em&gt;officer&lt;/em&gt;." in diff  # the lead's text is escaped
    assert "<em>" not in diff
    assert 'data-testid="unchanged"' not in page


def test_an_update_unchanged_since_last_period_is_flagged(client, action, people, q1, q2):
    in_q1(action, people, q1, q2, status="G", percent_complete=40, progress="On track.")
    changes.record_update(
        action, q2, by=people["lead"], status="G", percent_complete=40, progress="On  track."
    )
    client.force_login(people["approver"])
    page = approvals_page(client)
    assert 'data-testid="unchanged"' in page
    assert "Unchanged since last period" in page


def test_a_revision_card_names_the_plan_and_the_item(client, action, people):
    milestone = MilestoneFactory(action=action, title=LONG_TITLE, deadline=date(2019, 10, 31))
    changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2020, 3, 31), reason="Late."
    )
    client.force_login(people["approver"])
    page = approvals_page(client)
    revisions = page[page.index('data-testid="revisions"') :]
    assert "Improvement Plan" in revisions and LONG_TITLE in revisions
    assert "31 October 2019 → 31 March 2020" in revisions


def test_the_return_shows_on_the_form_and_the_item_page_until_resubmitted(
    client, action, people, q2
):
    update = changes.record_update(action, q2, by=people["lead"], status="G", progress="x")
    changes.return_update(
        update, by=people["approver"], reason="Give the <b>dates</b>.", expected_version=1
    )
    update.refresh_from_db()
    client.force_login(people["lead"])
    form = client.get(reverse("plans:update", args=["action", action.pk])).content.decode()
    banner = form[form.index('id="returned"') : form.index('<span class="govuk-caption-l">')]
    assert "Give the &lt;b&gt;dates&lt;/b&gt;." in banner
    assert people["approver"].get_full_name() in banner
    assert f"{update.returned_on:%-d %B %Y}" in banner
    item = client.get(action.get_absolute_url()).content.decode()
    assert 'data-testid="returned"' in item and "Give the &lt;b&gt;dates&lt;/b&gt;." in item
    client.force_login(people["reader"])  # no banner for a reader: the work is not theirs
    assert 'data-testid="returned"' not in client.get(action.get_absolute_url()).content.decode()
    client.force_login(people["lead"])
    changes.record_update(
        action, q2, by=people["lead"], status="G", progress="Dates given.", expected_version=2
    )
    assert (
        'id="returned"'
        not in client.get(reverse("plans:update", args=["action", action.pk])).content.decode()
    )
    assert 'data-testid="returned"' not in client.get(action.get_absolute_url()).content.decode()


def test_a_free_text_target_date_can_be_revised_to_a_real_date(client, action, people):
    action.timeline = "This will be an ongoing programme over the next three years."
    action.save()
    client.force_login(people["lead"])
    page = client.get(action.get_absolute_url()).content.decode()
    revise = reverse("plans:revise", args=["action", action.pk])
    assert revise in page
    assert "ongoing programme" in client.get(revise).content.decode()
    response = client.post(revise, {"proposed_date": "31/03/2021", "reason": "Now planned."})
    assert response.status_code == 302
    revision = DeadlineRevision.objects.get(action=action)
    assert revision.previous_date is None
    assert revision.previous_text.startswith("This will be an ongoing programme")
    client.force_login(people["approver"])
    approvals = approvals_page(client)
    assert "This will be an ongoing programme" in approvals and "31 March 2021" in approvals
    decided = client.post(
        reverse("plans:decide", args=[revision.pk]),
        {"decision": "agreed", "board": "Board", "decided_on": "16/12/2019", "version": "1"},
    )
    assert decided.status_code == 302
    action.refresh_from_db()
    assert action.target_date == date(2021, 3, 31)
    item = client.get(action.get_absolute_url()).content.decode()
    assert "This will be an ongoing programme" in item  # the old words stay beside the date


def _queries(client, url: str) -> int:
    client.get(url)  # warm the caches (content types, session) so only the page counts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _approvals_queries(client, people, q1, q2, n: int) -> int:
    section = SectionFactory(title=f"Section {n}")
    for i in range(n):
        action = ActionFactory(section=section, ref=f"A{n}-{i}")
        milestone = MilestoneFactory(action=action, deadline=date(2019, 10, 31))
        approved = in_q1(action, people, q1, q2, status="G", progress="Before.")
        changes.propose_correction(
            approved, by=people["admin"], reason="Typo.", status="A", progress="Before!"
        )
        changes.record_update(action, q2, by=people["lead"], status="A", progress="After.")
        changes.record_update(milestone, q2, by=people["lead"], status="G", progress="M.")
        changes.propose_revision(
            milestone, by=people["lead"], proposed_date=date(2020, 3, 31), reason="Late."
        )
    client.force_login(people["approver"])
    return _queries(client, reverse("plans:approvals"))


def test_the_approvals_page_takes_the_same_queries_for_2_and_20_rows(client, people, q1, q2):
    few = _approvals_queries(client, people, q1, q2, 2)
    many = _approvals_queries(client, people, q1, q2, 18)  # 20 of each in all
    assert many == few
    page = approvals_page(client)
    assert page.count('data-testid="update-card"') == 40  # 20 actions and 20 milestones
    assert page.count('data-testid="correction-card"') == 20


def test_the_action_page_takes_the_same_queries_for_2_and_20_milestones(client, action, people, q2):
    def add_milestones(n: int) -> None:
        for i in range(n):
            milestone = MilestoneFactory(action=action, deadline=date(2019, 10, 31))
            update = changes.record_update(
                milestone, q2, by=people["lead"], status="G", progress=f"M{i}."
            )
            if i % 2:
                changes.return_update(update, by=people["approver"], reason="More.")
            changes.propose_revision(
                milestone, by=people["lead"], proposed_date=date(2020, 3, 31), reason="Late."
            )

    add_milestones(2)
    client.force_login(people["lead"])
    few = _queries(client, action.get_absolute_url())
    add_milestones(18)
    assert _queries(client, action.get_absolute_url()) == few
