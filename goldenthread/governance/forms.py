"""Forms for committee reports: the narrative of the template, appendices, meetings."""

from __future__ import annotations

from django import forms

from goldenthread.core.forms import GovUKDateField
from goldenthread.governance.models import CommitteeReport, Meeting

NARRATIVE_HELP = (
    "Leave a blank line between paragraphs. Start a line with “- ” for a bullet "
    "or “## ” for a heading."
)
YES_NO = [("no", "No"), ("yes", "Yes")]


def _text(label: str, rows: int = 6, required: bool = False, help_text: str = NARRATIVE_HELP):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """The committee template's parts, in the order the paper prints them."""

    subject_heading = forms.CharField(
        label="Subject heading",
        max_length=300,
        error_messages={"required": "Enter the subject heading."},
    )
    author = forms.CharField(
        label="Report author",
        max_length=200,
        error_messages={"required": "Enter the report author."},
    )
    author_contact = _text(
        "Author's contact details", rows=3, help_text="Email address and telephone number."
    )
    financial_summary = _text("Financial summary", rows=3)
    key_decision = forms.TypedChoiceField(
        label="Is this a key decision?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is a key decision."},
    )
    summary = _text("Summary", rows=8)
    recommendations = _text("Recommendations", rows=5)
    report_detail = _text("Report detail", rows=20)
    financial_implications = _text("Financial implications and risks", rows=4)
    legal_implications = _text("Legal implications and risks", rows=4)
    hr_implications = _text("Human resources implications and risks", rows=4)
    equalities_implications = _text("Equalities implications and risks", rows=4)
    background_papers = _text("Background papers", rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    @classmethod
    def initial_for(cls, report: CommitteeReport) -> dict:
        initial = {name: getattr(report, name) for name in CommitteeReport.NARRATIVE_FIELDS}
        initial["key_decision"] = "yes" if report.key_decision else "no"
        initial["version"] = report.version
        return initial

    def narrative(self) -> dict:
        return {name: self.cleaned_data[name] for name in CommitteeReport.NARRATIVE_FIELDS}


class NewReportForm(ReportForm):
    meeting = forms.ModelChoiceField(
        label="Meeting",
        queryset=Meeting.objects.select_related("committee"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the meeting the report goes to."},
    )

    field_order = ["meeting"]


class AppendixKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of appendix",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a kind of appendix.",
            "invalid_choice": "Choose a kind of appendix from the list.",
        },
    )

    def __init__(self, *args, kinds: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, kind.title) for code, kind in kinds.items()]


class AppendixForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    subject = forms.ChoiceField(
        label="About",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the appendix is about.",
            "invalid_choice": "Choose what the appendix is about from the list.",
        },
    )
    period = forms.CharField(
        label="Period",
        required=False,
        max_length=20,
        help_text="For example, 2019/20 Q1 (a quarter), 2019/20 P3 (a month) or 2019/20.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=300,
        help_text="Leave empty to use the report's own title.",
    )

    def __init__(self, *args, subjects: list[tuple[str, str]], needs_period: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
        if not needs_period:
            del self.fields["period"]


class QuickReportForm(forms.Form):
    """Pick a kind, a subject and a period; get the paper."""

    subject = forms.ChoiceField(
        label="About",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the report is about.",
            "invalid_choice": "Choose what the report is about from the list.",
        },
    )
    period = forms.CharField(
        label="Period",
        required=False,
        max_length=20,
        help_text="For example, 2019/20 Q1. Leave empty for the latest period with updates.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    report_date = GovUKDateField(
        label="Report date",
        required=False,
        help_text="The date the paper carries, for example 12 7 2019. "
        "Leave empty to date it at the end of the period.",
    )

    def __init__(self, *args, subjects: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects


class CorrectionForm(forms.Form):
    """Why a published report is being corrected: printed beside the version it supersedes."""

    reason = forms.CharField(
        label="Why is the report being corrected?",
        max_length=2000,
        help_text="For example: the Finance appendix showed the Quarter 1 forecast, not the "
        "Quarter 2 one. Readers see this beside the version it replaces.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the report is being corrected.",
            "max_length": "Keep the reason to 2,000 characters or fewer.",
        },
    )
