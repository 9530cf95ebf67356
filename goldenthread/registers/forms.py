"""Forms of the register pages. They parse; :mod:`.changes` writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from goldenthread.core.forms import GovUKDateField
from goldenthread.core.models import Organisation, Post
from goldenthread.registers import rules
from goldenthread.registers.models import Contract

YES_NO = [("yes", "Yes"), ("no", "No")]
MONEY_WIDGET = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"})


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A Yes/No question; ``label`` is asked without its question mark."""
    return forms.TypedChoiceField(
        label=f"{label}?",
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Yes or No."},
    )


class _RegisterForm(forms.Form):
    council = forms.ModelChoiceField(
        label="Council",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the council."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, councils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils

    def _money(self, name: str, *, required: bool = True) -> Decimal | None:
        try:
            return rules.parse_money(self.cleaned_data.get(name), required=required)
        except rules.CellError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ContractForm(_RegisterForm):
    reference = forms.CharField(label="Contract reference number", max_length=50)
    title = forms.CharField(label="Title of agreement", max_length=300)
    department = forms.CharField(label="Department responsible", max_length=200)
    description = forms.CharField(
        label="Description of goods and services", widget=forms.Textarea(attrs={"rows": 4})
    )
    supplier_name = forms.CharField(label="Supplier name", max_length=300)
    supplier_company_number = forms.RegexField(
        label="Supplier's Companies House number",
        regex=r"^[A-Z0-9]{8}$",
        required=False,
        help_text="Eight characters, e.g. 01234567 or SC123456. Leave empty if it has none.",
        error_messages={"invalid": "A Companies House number has eight letters or digits."},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    supplier_charity_number = forms.RegexField(
        label="Supplier's registered charity number",
        regex=r"^[0-9]{6,8}(-[0-9]{1,2})?$|^SC[0-9]{6}$",
        required=False,
        help_text="e.g. 1123456. Leave empty if it is not a registered charity.",
        error_messages={"invalid": "A charity number is six to eight digits, like 1123456."},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    sme = _yes_no("Is the supplier a small or medium-sized enterprise")
    vcse = _yes_no("Is the supplier a voluntary, community or social enterprise")
    value = forms.CharField(
        label="Contract value (£)",
        help_text="The sum to be paid over the length of the contract, e.g. 125000.00.",
        widget=MONEY_WIDGET,
    )
    irrecoverable_vat = forms.CharField(
        label="Irrecoverable VAT (£)", required=False, widget=MONEY_WIDGET
    )
    starts_on = GovUKDateField(label="Start date")
    ends_on = GovUKDateField(label="End date", required=False)
    review_on = GovUKDateField(label="Review date", required=False)
    route = forms.ChoiceField(
        label="Procurement route",
        choices=rules.ROUTES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contract was procured."},
    )
    redacted_fields = forms.MultipleChoiceField(
        label="Withhold from the published open data",
        choices=list(rules.CONTRACT_REDACTABLE.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    redaction_reason = forms.CharField(
        label="Why they are withheld",
        required=False,
        max_length=300,
        help_text="As the Code allows: e.g. personal data of a sole trader.",
    )

    def clean_value(self) -> Decimal | None:
        return self._money("value")

    def clean_irrecoverable_vat(self) -> Decimal:
        return self._money("irrecoverable_vat", required=False) or Decimal("0.00")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        if data.get("redacted_fields") and not (data.get("redaction_reason") or "").strip():
            self.add_error("redaction_reason", "Say why the fields are withheld.")
        return data

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["redacted_fields"] = ",".join(data.get("redacted_fields") or [])
        if not data["redacted_fields"]:
            data["redaction_reason"] = ""
        return data


class WaiverForm(_RegisterForm):
    reference = forms.CharField(label="Waiver reference", max_length=50)
    subject = forms.CharField(label="What is bought", max_length=300)
    contract = forms.ModelChoiceField(
        label="Contract let under the waiver",
        queryset=Contract.objects.none(),
        required=False,
        help_text="Leave empty until the contract is in the register.",
    )
    reason = forms.CharField(
        label="Reason for the waiver", widget=forms.Textarea(attrs={"rows": 4})
    )
    value = forms.CharField(label="Value (£)", widget=MONEY_WIDGET)
    approver = forms.ModelChoiceField(
        label="Approved by (post)",
        queryset=Post.objects.all(),
        error_messages={"required": "Choose the post that approved the waiver."},
        help_text="The post that approved it under the council's procurement procedures.",
    )
    approved_on = GovUKDateField(label="Approved on")

    def __init__(self, *args, councils, contracts, **kwargs) -> None:
        super().__init__(*args, councils=councils, **kwargs)
        self.fields["contract"].queryset = contracts

    def clean_value(self) -> Decimal | None:
        return self._money("value")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        contract, council = data.get("contract"), data.get("council")
        if contract and council and contract.council_id != council.pk:
            self.add_error("contract", "Choose a contract of the same council.")
        return data


class GrantForm(_RegisterForm):
    reference = forms.CharField(label="Grant reference", max_length=50)
    programme = forms.CharField(label="Grant programme", max_length=200, required=False)
    recipient = forms.CharField(label="Recipient", max_length=300)
    recipient_number = forms.CharField(
        label="Recipient's registration number",
        max_length=20,
        required=False,
        help_text="Its charity or Companies House number, where it has one.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    voluntary_body = _yes_no(
        "Is the recipient a voluntary, community or social enterprise organisation",
        "Grants to these are published as open data.",
    )
    department = forms.CharField(label="Department awarding the grant", max_length=200)
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.CharField(label="Amount (£)", widget=MONEY_WIDGET)
    awarded_on = GovUKDateField(label="Awarded on")
    starts_on = GovUKDateField(label="Grant period starts")
    ends_on = GovUKDateField(label="Grant period ends", required=False)
    redacted_fields = forms.MultipleChoiceField(
        label="Withhold from the published open data",
        choices=list(rules.GRANT_REDACTABLE.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    redaction_reason = forms.CharField(
        label="Why they are withheld", required=False, max_length=300
    )

    def clean_amount(self) -> Decimal | None:
        return self._money("amount")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The grant period must end on or after it starts.")
        if data.get("redacted_fields") and not (data.get("redaction_reason") or "").strip():
            self.add_error("redaction_reason", "Say why the fields are withheld.")
        return data

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["redacted_fields"] = ",".join(data.get("redacted_fields") or [])
        if not data["redacted_fields"]:
            data["redaction_reason"] = ""
        return data


class ImportForm(forms.Form):
    sheet = forms.FileField(
        label="Contracts register (.xlsx or .csv)",
        error_messages={"required": "Choose the file to import."},
    )
