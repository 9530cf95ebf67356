"""Forms of the indicator pages: a grid row, uploads, sign-off."""

from __future__ import annotations

from django import forms

from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.performance.models import Indicator
from goldenthread.performance.units import ActualError, parse_actual


class ActualForm(forms.Form):
    """One row of the data-entry grid: an indicator's actual for a period and partner."""

    value = forms.CharField(
        label="Actual",
        max_length=40,
        error_messages={"required": "Enter the actual."},
    )
    denominator = forms.CharField(label="Denominator", max_length=40, required=False)
    reason = forms.CharField(
        label="Reason for the level of performance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remedial_action = forms.CharField(
        label="Remedial action", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)

    def clean_value(self):
        try:
            value = parse_actual(self.cleaned_data["value"], self.indicator.unit)
        except ActualError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if value is None:
            raise forms.ValidationError("Enter the actual.")
        return value

    def clean_denominator(self):
        try:
            return parse_actual(self.cleaned_data.get("denominator"), "count")
        except ActualError as exc:
            raise forms.ValidationError(str(exc)) from exc


def year_choices(years: list[int]) -> list[tuple[int, str]]:
    return [(y, PeriodKey(y, PeriodKind.YEAR).financial_year) for y in years]


class UploadForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        help_text="Every row's period must fall in this year.",
        error_messages={"required": "Choose the financial year."},
    )
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=(
            "Columns: Indicator ref, Partner, Period, Actual, and Reason and Remedial action "
            "(required for a red actual); Denominator for weighted indicators. Partner is "
            "LBH, LBN, LBB, or empty for a whole-service figure; Period like 2019/20 Q1."
        ),
        error_messages={"required": "Choose a CSV or Excel file to upload."},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(years)

    def clean_file(self):
        upload = self.cleaned_data["file"]  # its size and contents: core.sheets
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a CSV (.csv) or Excel (.xlsx) file.")
        return upload


class BenchmarkForm(forms.Form):
    file = forms.FileField(
        label="Comparator values (CSV)",
        help_text="As LG Inform exports them: Area code, Area name, Period, Value.",
        error_messages={"required": "Choose a CSV file of comparator values."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]  # its size and contents: core.sheets
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a CSV (.csv) or Excel (.xlsx) file.")
        return upload


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen the period?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the period is reopened."},
    )
