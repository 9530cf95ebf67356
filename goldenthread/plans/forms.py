"""Forms of the leads' update journey."""

from __future__ import annotations

from django import forms
from django.conf import settings

from goldenthread.core.forms import GovUKDateField
from goldenthread.core.models import Organisation
from goldenthread.plans.models import Plan


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect)
    percent_complete = forms.IntegerField(
        label="% complete",
        required=False,
        help_text="A whole number from 0 to 100. Leave empty if it does not apply.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    progress = forms.CharField(
        label="Progress to date",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the progress to date."},
    )
    next_steps = forms.CharField(
        label="Next steps, action planned and risks",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s.code, f"{s.label} – {s.meaning}") for s in plan.scale.statuses
        ]
        self.fields["status"].error_messages["invalid_choice"] = (
            "%(value)s is not a status on this plan's scale."
        )
        self.fields["status"].error_messages["required"] = "Choose a status."

    def clean_percent_complete(self) -> int | None:
        value = self.cleaned_data.get("percent_complete")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(f"% complete must be between 0 and 100, not {value}.")
        return value


class RevisionForm(forms.Form):
    proposed_date = GovUKDateField(
        label="Proposed new deadline",
        help_text="For example, 31 3 2020",
        error_messages={"required": "Enter the proposed new deadline."},
    )
    reason = forms.CharField(
        label="Reason for the new date",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for the new date."},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("agreed", "Agreed"), ("rejected", "Not agreed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the board agreed the date."},
    )
    board = forms.CharField(
        label="Board that decided",
        max_length=200,
        help_text="For example, BV Programme Board",
        error_messages={"required": "Name the board that decided."},
    )
    decided_on = GovUKDateField(
        label="Date of the decision",
        help_text="For example, 16 12 2015",
        error_messages={"required": "Enter the date of the decision."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What should the lead change?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the lead should change."},
    )


class PlanImportForm(forms.Form):
    code = forms.SlugField(
        label="Short code", max_length=30, help_text="Letters, numbers and hyphens, e.g. PC2018"
    )
    title = forms.CharField(label="Title", max_length=300)
    kind = forms.ChoiceField(label="Kind of plan", choices=Plan.Kind.choices)
    owner = forms.ModelChoiceField(label="Owner", queryset=Organisation.objects.all())
    status_scale = forms.ChoiceField(label="Status scale", choices=Plan.Scale.choices)
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A .csv or .xlsx file with a header row, e.g. Recommendation | "
        "Response / Action | Lead Officer | Timescale.",
    )


class OpenPeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Period to open for updates",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the period to open for updates."},
    )
    updates_due_by = GovUKDateField(
        label="Updates due by",
        required=False,
        help_text=(
            "For example, 15 7 2019. Leave it empty for {days} working days after the "
            "period ends (bank holidays skipped). Leads see it and reminders quote it."
        ),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = choices
        due = self.fields["updates_due_by"]
        due.help_text = due.help_text.format(days=settings.GT_UPDATES_DUE_WORKING_DAYS)


class ReminderForm(forms.Form):
    leads = forms.TypedMultipleChoiceField(
        label="Leads to remind",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one lead to remind."},
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].choices = choices


class PublishPeriodForm(forms.Form):
    """Publishing a period with items missing needs the administrator's explicit yes."""

    confirm = forms.BooleanField(
        label="Publish although these items have no approved update",
        required=False,
        help_text="They will be reported as they stand: no update, awaiting approval or returned.",
    )

    def __init__(self, *args, needs_confirmation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation

    def clean_confirm(self) -> bool:
        confirmed = self.cleaned_data.get("confirm", False)
        if self.needs_confirmation and not confirmed:
            raise forms.ValidationError(
                "Confirm that you want to publish although some items have no approved update."
            )
        return confirmed


class CorrectionForm(UpdateForm):
    """An approved update of a closed period, changed with a reason; approved in turn."""

    reason = forms.CharField(
        label="Why does the approved update need correcting?",
        help_text="Readers see that the update was corrected, when and why.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the correction."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
