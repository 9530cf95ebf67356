"""Dates as people write them: the GOV.UK date input, or a whole date typed in one box."""

from __future__ import annotations

import contextlib
import io
import zipfile
from datetime import date

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.core.dates import (
    DateProblem,
    Problem,
    govuk_date,
    parse_parts,
    parse_text,
)
from goldenthread.core.forms import GovUKDateField
from goldenthread.plans import changes
from goldenthread.plans.models import DeadlineRevision
from tests.factories import MilestoneFactory, PlanFactory

days = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))

# --- Reading a date: pure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "31 March 2021",
        "31 Mar 2021",
        "31st March 2021",
        "Wednesday 31 March 2021",
        "March 31, 2021",
        "31/03/2021",
        "31/3/2021",
        "31-03-2021",
        "31.03.2021",
        "31 3 2021",
        "2021-03-31",
        "  31  MARCH  2021 ",
    ],
)
def test_it_reads_a_whole_date_as_people_type_it(text):
    assert parse_text(text) == date(2021, 3, 31)


@given(days)
def test_every_written_form_reads_back(day):
    for text in [govuk_date(day), f"{day:%d/%m/%Y}", day.isoformat(), f"{day.day} {day:%b %Y}"]:
        assert parse_text(text) == day, text


@given(days)
def test_the_three_boxes_read_back_with_the_month_as_a_number_or_a_name(day):
    assert parse_parts(str(day.day), str(day.month), str(day.year)) == day
    assert parse_parts(f"{day.day:02d}", f"{day:%B}", str(day.year)) == day


@given(days)
def test_a_whole_date_typed_in_any_one_box_is_read(day):
    text = govuk_date(day)
    assert parse_parts(text, "", "") == day
    assert parse_parts("", text, "") == day
    assert parse_parts("", "", f"{day:%d/%m/%Y}") == day


@given(st.text(max_size=40))
def test_any_text_gives_a_date_or_a_problem_never_a_crash(text):
    with contextlib.suppress(DateProblem):
        assert isinstance(parse_text(text), date)


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_any_boxes_give_a_date_or_a_problem_never_a_crash(day, month, year):
    with contextlib.suppress(DateProblem):
        assert isinstance(parse_parts(day, month, year), date)


@pytest.mark.parametrize(
    "boxes, problem, parts",
    [
        (("", "", ""), Problem.EMPTY, ("day", "month", "year")),
        (("31", "3", ""), Problem.INCOMPLETE, ("year",)),
        (("", "", "2021"), Problem.INCOMPLETE, ("day", "month")),
        (("31", "6", "2021"), Problem.NOT_REAL, ("day",)),
        (("29", "2", "2021"), Problem.NOT_REAL, ("day",)),
        (("1", "13", "2021"), Problem.NOT_REAL, ("month",)),
        (("1", "Smarch", "2021"), Problem.NOT_REAL, ("month",)),
        (("1", "3", "21"), Problem.YEAR_DIGITS, ("year",)),
    ],
)
def test_each_problem_names_the_boxes_at_fault(boxes, problem, parts):
    with pytest.raises(DateProblem) as caught:
        parse_parts(*boxes)
    assert (caught.value.problem, caught.value.parts) == (problem, parts)


def test_a_leap_day_is_real_in_a_leap_year():
    assert parse_parts("29", "2", "2024") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("31 March", Problem.INCOMPLETE),
        ("March 2021", Problem.INCOMPLETE),
        ("soon", Problem.NOT_REAL),
    ],
)
def test_a_whole_date_missing_a_part_says_so(text, problem):
    with pytest.raises(DateProblem) as caught:
        parse_text(text)
    assert caught.value.problem is problem


def test_dates_are_written_the_govuk_way():
    assert govuk_date(date(2021, 3, 1)) == "1 March 2021"


# --- The form field ---------------------------------------------------------------------------


class DecisionDateForm(forms.Form):
    decided_on = GovUKDateField(label="Decided on")


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"decided_on-day": "31", "decided_on-month": "6", "decided_on-year": "2021"},
            "Decided on must be a real date",
        ),
        (
            {"decided_on-day": "31", "decided_on-month": "3", "decided_on-year": ""},
            "Decided on must include a year",
        ),
        (
            {"decided_on-day": "", "decided_on-month": "", "decided_on-year": "2021"},
            "Decided on must include a day and month",
        ),
        (
            {"decided_on-day": "1", "decided_on-month": "3", "decided_on-year": "21"},
            "Decided on must include a year with 4 numbers, like 2021",
        ),
        ({}, "Enter decided on"),
    ],
)
def test_the_field_names_itself_in_each_error(data, message):
    form = DecisionDateForm(data)
    assert not form.is_valid()
    assert form.errors["decided_on"] == [message]


def test_the_field_takes_the_boxes_or_one_value():
    boxes = {"decided_on-day": "31", "decided_on-month": "March", "decided_on-year": "2021"}
    assert DecisionDateForm(boxes).is_valid()
    one = DecisionDateForm({"decided_on": "31/03/2021"})
    assert one.is_valid() and one.cleaned_data["decided_on"] == date(2021, 3, 31)


def test_the_boxes_keep_what_was_typed_and_mark_the_one_at_fault():
    form = DecisionDateForm(
        {"decided_on-day": "31", "decided_on-month": "3", "decided_on-year": ""}
    )
    form.is_valid()
    html = str(form["decided_on"])
    assert 'name="decided_on-day" type="text" value="31"' in html
    assert html.count("govuk-input--error") == 1
    assert form["decided_on"].id_for_label == "id_decided_on-year"  # the summary links there


# --- One view each ----------------------------------------------------------------------------


def test_a_revised_date_typed_as_words_is_accepted(client, action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2020, 10, 31))
    client.force_login(people["lead"])
    response = client.post(
        reverse("plans:revise", args=["milestone", milestone.pk]),
        {"proposed_date-day": "31 March 2021", "reason": "Awaiting the board."},
    )
    assert response.status_code == 302
    assert DeadlineRevision.objects.get().proposed_date == date(2021, 3, 31)


def test_a_revision_form_shows_the_govuk_date_input_and_its_error(client, action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2020, 10, 31))
    client.force_login(people["lead"])
    url = reverse("plans:revise", args=["milestone", milestone.pk])
    assert 'name="proposed_date-month"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "proposed_date-day": "31",
            "proposed_date-month": "6",
            "proposed_date-year": "2021",
            "reason": "Awaiting the board.",
        },
    )
    assert response.status_code == 400
    assert "Proposed new deadline must be a real date" in response.content.decode()
    assert not DeadlineRevision.objects.exists()


def test_a_decision_date_in_boxes_is_accepted(client, action, people):
    milestone = MilestoneFactory(action=action, deadline=date(2015, 10, 31))
    revision = changes.propose_revision(
        milestone, by=people["lead"], proposed_date=date(2016, 3, 31), reason="Awaiting O&S."
    )
    client.force_login(people["admin"])
    response = client.post(
        reverse("plans:decide", args=[revision.pk]),
        {
            "decision": "agreed",
            "board": "BV Programme Board",
            "decided_on-day": "16",
            "decided_on-month": "12",
            "decided_on-year": "2015",
            "version": revision.version,
        },
    )
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.decided_on == date(2015, 12, 16)


def test_a_due_date_typed_as_words_opens_the_period(client, action, people):
    plan = action.plan
    client.force_login(people["admin"])
    response = client.post(
        reverse("plans:open_period", args=[plan.code]),
        {"period": "2019/20 Q3", "updates_due_by-day": "15 January 2020"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.updates_due_by == date(2020, 1, 15)


def test_a_paper_dated_in_boxes_carries_the_date(client, people):
    PlanFactory(code="IP", title="Improvement Plan")
    client.force_login(people["admin"])
    url = reverse("governance:quick", args=["plans.progress"])
    query = {"subject": "IP", "period": "2019/20 Q2", "report_date-day": "12"}
    refused = client.get(url, {**query, "report_date-month": "7"})
    assert refused.status_code == 400
    assert "Report date must include a year" in refused.content.decode()
    dated = {**query, "report_date-month": "7", "report_date-year": "2019"}
    assert client.get(url, dated).status_code == 200
    word = client.get(url, {**dated, "format": "docx"})
    with zipfile.ZipFile(io.BytesIO(word.content)) as docx:
        assert "2019-07-12" in docx.read("docProps/core.xml").decode()  # the paper's own date
