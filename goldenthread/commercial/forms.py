"""Forms of the commercial pages. They parse; :mod:`.changes` writes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from goldenthread.commercial import rules
from goldenthread.commercial.models import Opportunity
from goldenthread.core.forms import GovUKDateField
from goldenthread.core.models import Organisation, Service

YES_NO = [("yes", "Yes"), ("no", "No")]
LARGEST = Decimal("9999999999.99")


class MoneyField(forms.CharField):
    """Pounds and pence: ``12500``, ``£12,500.00``; never a float."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        widget = forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"})
        super().__init__(label=label, widget=widget, max_length=20, **kwargs)

    def clean(self, value: Any) -> Decimal:
        text = super().clean(value).replace("£", "").replace(",", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                f"Enter the {self.label.lower()} in pounds, like 12500.00."
            ) from None
        if not amount.is_finite() or amount < 0 or amount > LARGEST:
            raise forms.ValidationError(f"Enter the {self.label.lower()} as £0 or more.")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(f"Enter the {self.label.lower()} to the penny at most.")
        return amount.quantize(Decimal("0.01"))


class OpportunityForm(forms.Form):
    reference = forms.CharField(label="Reference", max_length=30, help_text="e.g. COM-2019-03")
    title = forms.CharField(label="Title", max_length=300)
    client = forms.CharField(label="Client", max_length=300)
    client_kind = forms.ChoiceField(
        label="Kind of client", choices=Opportunity.ClientKind.choices, widget=forms.RadioSelect
    )
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.all(), empty_label="Choose the service"
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partner councils whose service would do the work",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one partner council."},
    )
    description = forms.CharField(label="What the client asks for", widget=forms.Textarea)
    one_off = forms.TypedChoiceField(
        label='Is this a "one off" or ad hoc request?',
        help_text="One-off requests get a brief analysis instead of business cases.",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": 'Say whether this is a "one off" request.'},
    )
    estimated_income = MoneyField(label="Estimated income (£)")
    estimated_costs = MoneyField(label="Estimated costs (£)")
    actions = forms.ModelMultipleChoiceField(
        label="Linked plan actions",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, actions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class TestForm(forms.Form):
    __test__ = False  # not a pytest test class

    test = forms.ChoiceField(label="Test", choices=[(k, t.title) for k, t in rules.TESTS.items()])
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Say what the evidence is."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(
        choices=[(s.value, label) for s, label in rules.STAGE_LABELS.items()],
        widget=forms.HiddenInput,
    )
    decided_by = forms.CharField(
        label="Decided by",
        max_length=300,
        required=False,
        help_text="The post or body that decided, under the partner councils' schemes of "
        "delegation or the Joint Committee's delegated powers.",
    )
    decided_on = GovUKDateField(
        label="Decided on", required=False, help_text="For example, 12 7 2019. Empty: today."
    )
    note = forms.CharField(
        label="Decision and reference",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CaseForm(forms.Form):
    strategic = forms.CharField(label="Strategic case", widget=forms.Textarea(attrs={"rows": 6}))
    economic = forms.CharField(label="Economic case", widget=forms.Textarea(attrs={"rows": 6}))
    commercial = forms.CharField(label="Commercial case", widget=forms.Textarea(attrs={"rows": 6}))
    financial = forms.CharField(label="Financial case", widget=forms.Textarea(attrs={"rows": 6}))
    management = forms.CharField(label="Management case", widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, _heading, question in rules.FIVE_CASES:
            self.fields[name].help_text = question
            self.fields[name].error_messages["required"] = f"Write the {name} case."
