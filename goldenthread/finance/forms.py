"""Forms of the finance pages: forecasts, delivery status and sheet uploads."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from goldenthread.finance import rules
from goldenthread.finance.imports import SheetKind
from goldenthread.finance.models import SavingsItem


class MoneyField(forms.CharField):
    """A figure as papers write it: ``1,250,000``, ``(£0.375m)``, ``-64,000``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        try:
            return rules.parse_amount(text)
        except ValueError as exc:
            raise forms.ValidationError(
                f"{self.label} must be an amount such as 1,250,000 or (£0.375m)."
            ) from exc


class ForecastForm(forms.Form):
    forecast = MoneyField(
        label="Forecast outturn (£)",
        help_text="What the line will have spent by the end of the year, net of income.",
    )
    stated_variance = MoneyField(
        label="Forecast over/(under) spend (£)",
        help_text="Only for lines without a budget. An underspend is negative or in brackets.",
    )
    commentary = forms.CharField(
        label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DeliveryForm(forms.Form):
    delivery_rag = forms.ChoiceField(
        label="Delivery status",
        choices=[("", "Not assessed")]
        + [(s.code, f"{s.label} – {s.meaning}") for s in rules.DELIVERY_RAG],
        required=False,
        widget=forms.RadioSelect,
    )
    delivery_plan = forms.CharField(
        label="How it will be delivered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the sheet holds",
        choices=[
            (SheetKind.BUDGET.value, "Budgets and outturn"),
            (SheetKind.FORECAST.value, "Forecasts for a period"),
            (SheetKind.FORMULA.value, "Funding formula shares"),
            (SheetKind.SAVINGS.value, "Savings (by partner, by year, or partners' savings)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the sheet holds."},
    )
    sheet = forms.FileField(
        label="Sheet (.xlsx or .csv)",
        error_messages={"required": "Choose a .xlsx or .csv file to upload."},
    )
    year = forms.CharField(
        label="Financial year",
        required=False,
        help_text="For sheets without a Year column, for example 2019/20.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    status = forms.ChoiceField(
        label="Savings status",
        choices=SavingsItem.Status.choices,
        initial=SavingsItem.Status.EXISTING,
        required=False,
        widget=forms.RadioSelect,
        help_text="For savings sheets without a Status column.",
    )

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if not sheet.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("The sheet must be a .xlsx or .csv file.")
        return sheet  # its size and contents are checked as it is read (core.sheets)

    def clean_year(self) -> int | None:
        text = (self.cleaned_data.get("year") or "").strip()
        if not text:
            return None
        try:
            return rules.parse_year(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{exc}.") from exc

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or SavingsItem.Status.EXISTING
