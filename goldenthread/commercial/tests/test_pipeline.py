"""Done when: an opportunity moves through every stage of the protocol, each stage change
refused until its tests are recorded; its Five Case business case prints in Word and PDF."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from goldenthread.commercial import rules
from goldenthread.commercial.models import Opportunity, StageChange
from goldenthread.commercial.tests.conftest import FIVE, pdf_text, word_text
from goldenthread.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _version(opportunity) -> int:
    return Opportunity.objects.get(pk=opportunity.pk).version


def _move(client, opportunity, stage):
    return client.post(
        reverse("commercial:move_stage", args=[opportunity.pk]),
        {"to_stage": stage, "version": _version(opportunity), "decided_by": "", "note": ""},
    )


def _record(client, opportunity, key):
    return client.post(
        reverse("commercial:record_test", args=[opportunity.pk]),
        {"test": key, "evidence": f"Evidence for {key}.", "version": _version(opportunity)},
    )


def _write_case(client, opportunity, phase):
    return client.post(
        reverse("commercial:case_edit", args=[opportunity.pk, phase]), {**FIVE, "version": 0}
    )


@pytest.mark.parametrize("one_off", [False, True])
def test_an_opportunity_moves_through_every_stage_each_refused_until_its_tests_are_recorded(
    client, people, opportunity, one_off
):
    if one_off:
        opportunity.one_off = True
        opportunity.save(update_fields=["one_off"])
    client.force_login(people["lead"])
    route = rules.sequence(one_off)
    for stage, following in zip(route, route[1:], strict=False):
        tests = rules.tests_for(stage, one_off)
        # Refused with nothing recorded, naming every missing test.
        response = _move(client, opportunity, following)
        assert response.status_code == 400
        for key in tests:
            assert rules.TESTS[key].title in html.unescape(response.text)
        for key in tests[:-1]:
            assert _record(client, opportunity, key).status_code == 302
        # Still refused with one test to go; it names that one only.
        response = _move(client, opportunity, following)
        assert response.status_code == 400
        text = html.unescape(response.text)
        assert f"record the test: {rules.TESTS[tests[-1]].title}" in text
        assert _record(client, opportunity, tests[-1]).status_code == 302
        case = rules.case_for(stage, one_off)
        if case is not None:
            assert "write the" in _move(client, opportunity, following).text
            assert _write_case(client, opportunity, case.value).status_code == 302
        assert _move(client, opportunity, following).status_code == 302
        assert Opportunity.objects.get(pk=opportunity.pk).stage == following
    assert Opportunity.objects.get(pk=opportunity.pk).stage == rules.Stage.REVIEW
    assert StageChange.objects.filter(opportunity=opportunity).count() == len(route) - 1
    # Every move is in the audit trail, by the lead.
    moves = AuditEntry.objects.filter(object_id=opportunity.pk, field="stage")
    assert moves.count() == len(route) - 1
    assert set(moves.values_list("by", flat=True)) == {people["lead"].pk}
    page = html.unescape(client.get(opportunity.get_absolute_url()).text)
    assert "This is the protocol's last stage" in page


def test_a_stage_may_not_be_skipped(client, people, opportunity):
    client.force_login(people["admin"])
    for key in rules.tests_for(rules.Stage.ARISES, False):
        _record(client, opportunity, key)
    response = _move(client, opportunity, rules.Stage.FINAL_APPROVAL)
    assert response.status_code == 400
    assert "the next stage is Develop draft business case" in response.text
    assert Opportunity.objects.get(pk=opportunity.pk).stage == rules.Stage.ARISES


def test_a_test_of_another_stage_is_refused(client, people, opportunity):
    client.force_login(people["admin"])
    response = _record(client, opportunity, "risk_register")
    assert response.status_code == 400
    assert "is not a test of the stage Opportunity arises" in html.unescape(response.text)
    assert not opportunity.tests.exists()


def test_evidence_is_recorded_with_who_and_when_and_audited(client, people, opportunity):
    client.force_login(people["lead"])
    _record(client, opportunity, "legal_power")
    record = opportunity.tests.get()
    assert record.evidence == "Evidence for legal_power."
    assert record.recorded_by == people["lead"] and record.recorded_on is not None
    assert record.stage == rules.Stage.ARISES
    assert AuditEntry.objects.filter(object_id=record.pk, verb="created").exists()
    page = client.get(opportunity.get_absolute_url()).text
    assert "Evidence for legal_power." in page


def test_a_stale_version_answers_409_and_writes_nothing(client, people, opportunity):
    client.force_login(people["admin"])
    stale = opportunity.version
    _record(client, opportunity, "legal_power")
    response = client.post(
        reverse("commercial:record_test", args=[opportunity.pk]),
        {"test": "capacity", "evidence": "Late.", "version": stale},
    )
    assert response.status_code == 409
    assert not opportunity.tests.filter(test="capacity").exists()
    response = client.post(
        reverse("commercial:move_stage", args=[opportunity.pk]),
        {"to_stage": "draft_case", "version": stale},
    )
    assert response.status_code == 409


def test_a_business_case_change_from_a_stale_form_answers_409(client, people, opportunity):
    client.force_login(people["admin"])
    _write_case(client, opportunity, "outline")
    url = reverse("commercial:case_edit", args=[opportunity.pk, "outline"])
    assert client.post(url, {**FIVE, "strategic": "New.", "version": 1}).status_code == 302
    response = client.post(url, {**FIVE, "strategic": "Stale.", "version": 1})
    assert response.status_code == 409
    assert opportunity.business_cases.get().strategic == "New."


@pytest.mark.parametrize(("fmt", "reader"), [("docx", word_text), ("pdf", pdf_text)])
def test_the_five_case_business_case_prints_in_word_and_pdf(
    client, people, opportunity, fmt, reader
):
    client.force_login(people["lead"])
    _write_case(client, opportunity, "outline")
    response = client.get(
        reverse("commercial:case_document", args=[opportunity.pk, "outline", fmt])
    )
    assert response.status_code == 200
    text = reader(response.content)
    assert "Outline business case" in text
    positions = [
        text.index(heading) for heading in ("Strategic case", "Economic case", "Commercial case")
    ] + [text.index(h) for h in ("Financial case", "Management case")]
    assert positions == sorted(positions)  # the Five Case Model's order
    for words in FIVE.values():
        assert words in text.replace("\n", " ")
    assert "£240,000.00" in text and "£53,499.50" in text  # income and exact surplus


def test_a_one_off_has_no_business_case(client, people, one_off):
    client.force_login(people["admin"])
    assert _write_case(client, one_off, "outline").status_code == 404
    page = client.get(one_off.get_absolute_url()).text
    assert "One-off request: brief analysis, no business case" in page
    assert "Business cases" not in page


def test_bad_parameters_answer_404(client, people, opportunity):
    client.force_login(people["admin"])
    assert client.get(f"/commercial/{opportunity.pk}/cases/sideways/").status_code == 404
    assert client.get(f"/commercial/{opportunity.pk}/cases/outline.exe").status_code == 404
    assert client.get("/commercial/report.exe").status_code == 404
    assert client.get("/commercial/report.pdf", {"subject": "XYZ"}).status_code == 404
    assert client.get("/commercial/99999/").status_code == 404
    response = client.post(
        reverse("commercial:move_stage", args=[opportunity.pk]),
        {"to_stage": "nowhere", "version": "x"},
    )
    assert response.status_code == 400


def test_a_get_never_writes(client, people, opportunity):
    client.force_login(people["admin"])
    before = AuditEntry.objects.count()
    for url in (
        reverse("commercial:index"),
        opportunity.get_absolute_url(),
        reverse("commercial:move_stage", args=[opportunity.pk]),
        reverse("commercial:record_test", args=[opportunity.pk]),
    ):
        client.get(url)
    assert AuditEntry.objects.count() == before
    assert client.get(reverse("commercial:move_stage", args=[opportunity.pk])).status_code == 405
