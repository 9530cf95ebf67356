"""Writes to indicator data: audited, validated, refused when signed off or changed meanwhile."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goldenthread.core.models import AuditEntry, Period
from goldenthread.performance import changes, reading
from goldenthread.performance.models import Actual, RagScheme, SignOff
from goldenthread.performance.tests.factories import IndicatorFactory, actual

D = Decimal


def test_it_records_an_actual_with_who_and_when(availability, people, q1):
    saved = changes.record_actual(availability, q1, None, by=people["lead"], value=D("95.5"))
    assert (saved.value, saved.entered_by, saved.version) == (D("95.5"), people["lead"], 1)
    entry = AuditEntry.objects.get(object_id=saved.pk, verb="created")
    assert entry.by == people["lead"] and "95.5" in entry.new


def test_it_audits_each_changed_field_old_and_new(availability, people, q1):
    saved = changes.record_actual(availability, q1, None, by=people["lead"], value=D(95))
    changes.record_actual(
        availability, q1, None, by=people["admin"], value=D(96), expected_version=1
    )
    entry = AuditEntry.objects.get(object_id=saved.pk, field="actual")
    assert (entry.old, entry.new, entry.by) == ("95.0000", "96.0000", people["admin"])


def test_a_red_actual_needs_the_reason_and_the_remedial_action(availability, people, q1):
    with pytest.raises(ValidationError) as refused:
        changes.record_actual(availability, q1, None, by=people["lead"], value=D(70))
    assert set(refused.value.message_dict) == {"reason", "remedial_action"}
    assert "red" in refused.value.message_dict["reason"][0]
    assert not Actual.objects.exists() and not AuditEntry.objects.exists()
    saved = changes.record_actual(
        availability,
        q1,
        None,
        by=people["lead"],
        value=D(70),
        reason="Data centre outage.",
        remedial_action="Second site commissioned.",
    )
    assert saved.reason == "Data centre outage."


def test_an_amber_actual_needs_no_explanation(availability, people, q1):
    assert changes.record_actual(availability, q1, None, by=people["lead"], value=D(88)).pk


def test_the_partner_must_be_one_the_indicator_is_reported_for(
    nndr, availability, people, q1, partners
):
    with pytest.raises(ValidationError) as refused:
        changes.record_actual(nndr, q1, partners["LBB"], by=people["admin"], value=D(99))
    assert refused.value.message_dict["partner"] == ["ET-06 is reported for LBH/LBN, not LBB."]
    with pytest.raises(ValidationError) as whole:
        changes.record_actual(availability, q1, partners["LBH"], by=people["admin"], value=D(99))
    assert "whole shared service" in whole.value.message_dict["partner"][0]


def test_each_partner_is_assessed_against_its_own_target(nndr, people, q1, partners):
    changes.record_actual(nndr, q1, partners["LBH"], by=people["admin"], value=D("98.9"))
    changes.record_actual(nndr, q1, partners["LBN"], by=people["admin"], value=D("98.9"))
    lines = {line.partner_label: line for line in reading.lines([nndr], q1)}
    assert lines["LBH"].status.label == "Green" and lines["LBH"].target_text == "98.70%"
    assert lines["LBN"].status.label == "Amber" and lines["LBN"].target_text == "99.6%"


def test_a_second_editor_on_a_stale_version_is_refused(availability, people, q1):
    changes.record_actual(availability, q1, None, by=people["lead"], value=D(95))
    changes.record_actual(
        availability, q1, None, by=people["lead"], value=D(96), expected_version=1
    )
    with pytest.raises(changes.EditConflict, match="changed by someone else"):
        changes.record_actual(
            availability, q1, None, by=people["admin"], value=D(91), expected_version=1
        )
    assert Actual.objects.get().value == 96


def test_a_signed_off_period_is_fixed_until_reopened(availability, people, q1):
    changes.record_actual(availability, q1, None, by=people["lead"], value=D(95))
    done = changes.sign_off(q1, None, by=people["admin"])
    with pytest.raises(ValidationError) as refused:
        changes.record_actual(availability, q1, None, by=people["lead"], value=D(99))
    assert "signed off" in refused.value.message_dict["value"][0]
    assert AuditEntry.objects.filter(verb="approved", by=people["admin"]).exists()
    changes.reopen(done, by=people["admin"], reason="Figure corrected by the supplier.")
    assert not SignOff.objects.exists()
    assert AuditEntry.objects.get(field="reopened because").new == (
        "Figure corrected by the supplier."
    )
    assert changes.record_actual(availability, q1, None, by=people["lead"], value=D(99)).value == 99


def test_reopening_needs_a_reason(people, q1):
    done = changes.sign_off(q1, None, by=people["admin"])
    with pytest.raises(ValidationError):
        changes.reopen(done, by=people["admin"], reason="  ")
    assert SignOff.objects.filter(pk=done.pk).exists()


def test_an_annual_target_is_assessed_on_the_year_to_date_pro_rata(exchequer, people, partners):
    income = IndicatorFactory(
        ref="AM-19",
        unit="money",
        ytd_rule="sum",
        annual_target=True,
        tolerance_kind="relative",
        tolerance=10,
        target="£1.0m",
        partner_list=[partners["LBH"]],
        service=exchequer,
    )
    actual(income, "2019/20 Q1", 240_000, partners["LBH"])  # 250,000 due: within 10%
    q2 = Period.objects.for_code("2019/20 Q2")
    line = reading.lines([income], Period.objects.for_code("2019/20 Q1"))[0]
    assert line.status.label == "Amber"
    assert "£250,000 (£1.0m pro rata for 1 of 4 periods)" in line.assessment.reason
    # Q2 alone is short of a quarter, but the year so far (520,000 of 500,000) is on target.
    actual(income, "2019/20 Q2", 280_000, partners["LBH"])
    (q2_line,) = reading.lines([income], q2)
    assert (q2_line.year_to_date, q2_line.status.label) == (D(520_000), "Green")


def test_the_last_year_scheme_colours_by_last_years_figure(availability, people, partners):
    nndr_like = IndicatorFactory(
        ref="X-1", partner_list=[partners["LBB"]], target="97%", tolerance=None
    )
    RagScheme.objects.create(organisation=partners["LBB"], scheme="last_year")
    actual(nndr_like, "2018/19 Q1", 94, partners["LBB"])
    actual(nndr_like, "2019/20 Q1", 95, partners["LBB"])
    (line,) = reading.lines([nndr_like], Period.objects.for_code("2019/20 Q1"))
    assert line.status.label == "Amber" and "better than last year" in line.assessment.reason


def test_an_actual_is_refused_for_a_period_its_frequency_does_not_take(ict, people):
    annual = IndicatorFactory(ref="SI-9", service=ict, frequency="annual", target="80%")
    q2 = Period.objects.for_code("2019/20 Q2")
    with pytest.raises(ValidationError) as refused:
        changes.record_actual(annual, q2, None, by=people["admin"], value=D(85))
    assert refused.value.message_dict == {
        "period": [
            "SI-9 is reported annually, so is not due for 2019/20 Q2: "
            "enter its actual for Q4 (the year end) or the whole year."
        ]
    }
    assert not Actual.objects.exists()
    for code in ("2019/20 Q4", "2020/21"):
        changes.record_actual(
            annual, Period.objects.for_code(code), None, by=people["admin"], value=D(85)
        )
    assert Actual.objects.filter(indicator=annual).count() == 2


def test_a_biannual_indicator_takes_the_half_year_ends(ict, people):
    survey = IndicatorFactory(service=ict, frequency="biannual", target="80%")
    for code, taken in [("2019/20 Q1", False), ("2019/20 Q2", True), ("2019/20 Q3", False)]:
        period = Period.objects.for_code(code)
        if taken:
            changes.record_actual(survey, period, None, by=people["admin"], value=D(85))
        else:
            with pytest.raises(ValidationError, match="twice a year"):
                changes.record_actual(survey, period, None, by=people["admin"], value=D(85))
    assert [a.period.code for a in Actual.objects.all()] == ["2019/20 Q2"]
