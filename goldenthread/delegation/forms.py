"""Forms of the delegation pages: a write-off request and an officer's decision."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.files.uploadedfile import UploadedFile

from goldenthread.core.sheets import Limits, SheetError, check_zip, size_text
from goldenthread.delegation import rules

# Evidence a debt cannot be recovered: papers, letters, statements and sheets.
EVIDENCE_TYPES = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".csv": b"",
    ".txt": b"",
}
_AMOUNT = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """``30000``, ``30,000.00`` or ``£30,000`` → ``Decimal('30000.00')``."""
    text = (text or "").strip()
    if not _AMOUNT.match(text):
        raise forms.ValidationError("Enter the amount in pounds and pence, like 30,000.00.")
    try:
        amount = Decimal(text.lstrip("£").strip().replace(",", ""))
        return rules.check_amount(amount.quantize(rules.PENNY))
    except (InvalidOperation, rules.AmountError) as exc:
        raise forms.ValidationError(str(exc) or "Enter the amount in pounds and pence.") from exc


def check_evidence(upload: UploadedFile) -> UploadedFile:
    """Refuse a file that is too big, of a kind we do not keep, or not what its name says."""
    limits = Limits.from_settings()
    name = upload.name or ""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise forms.ValidationError(
            "The evidence must be a PDF, Word, Excel, CSV, text, PNG or JPEG file."
        )
    if upload.size > limits.max_bytes:
        raise forms.ValidationError(
            f"The evidence file must be smaller than {size_text(limits.max_bytes)}."
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content:
        raise forms.ValidationError("The evidence file is empty.")
    if not content.startswith(EVIDENCE_TYPES[ext]):
        raise forms.ValidationError(f"The file is not the {ext} file its name says it is.")
    if ext in (".docx", ".xlsx"):
        try:
            check_zip(content, limits)
        except SheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
    if ext in (".csv", ".txt"):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("Save the text file as UTF-8 and upload it again.") from exc
    return upload


class RequestForm(forms.Form):
    council = forms.ChoiceField(
        label="Council owed the debt",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the council owed the debt."},
    )
    debt_type = forms.ChoiceField(
        label="Type of debt",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of debt."},
    )
    debtor = forms.CharField(
        label="Debtor",
        max_length=300,
        help_text="The person, business or organisation that owes the debt.",
        error_messages={"required": "Enter who owes the debt."},
    )
    account_reference = forms.CharField(
        label="Account reference",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the account reference."},
    )
    amount = forms.CharField(
        label="Amount to write off (£)",
        help_text="In pounds and pence, for example 30,000.00.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={"required": "Enter the amount to write off."},
    )
    reason = forms.CharField(
        label="Why the debt cannot be recovered",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say why the debt cannot be recovered."},
    )
    evidence = forms.FileField(label="Evidence file", required=False)
    evidence_note = forms.CharField(
        label="Evidence note",
        required=False,
        help_text="What the evidence shows, or where it is kept if you do not attach it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, councils, debt_types, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [(c.code, c.name) for c in councils]
        self.fields["debt_type"].choices = debt_types

    def clean_amount(self) -> Decimal:
        return parse_amount(self.cleaned_data["amount"])

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        return check_evidence(upload) if upload else None

    def clean(self) -> dict:
        data = super().clean()
        missing = not data.get("evidence") and not (data.get("evidence_note") or "").strip()
        if missing and "evidence_note" not in self.errors:
            self.add_error(
                "evidence_note", "Attach the evidence or describe it in the evidence note."
            )
        return data


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (rules.Event.WRITE_OFF.value, "Write the debt off"),
            (rules.Event.REFUSE.value, "Refuse: the debt is not written off"),
            (rules.Event.RETURN.value, "Return to the officer for more information"),
        ],
        error_messages={"required": "Choose your decision."},
    )
    note = forms.CharField(
        label="Reason or note",
        required=False,
        help_text="Needed when you refuse or return the request.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, consultees: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.consultees = consultees
        for number, consultee in enumerate(consultees, start=1):
            self.fields[f"response_{number}"] = forms.CharField(
                label=f"What the {consultee} said",
                required=False,
                help_text="Needed to write the debt off: their response and when it was given.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def response_fields(self) -> list:
        return [self[f"response_{n}"] for n in range(1, len(self.consultees) + 1)]

    def clean(self) -> dict:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == rules.Event.WRITE_OFF.value:
            for number in range(1, len(self.consultees) + 1):
                if not (data.get(f"response_{number}") or "").strip():
                    self.add_error(
                        f"response_{number}",
                        f"Record what the {self.consultees[number - 1]} said.",
                    )
        elif outcome and not (data.get("note") or "").strip():
            self.add_error("note", "Say why, for the officer who made the request.")
        return data

    def responses(self) -> list[str]:
        return [
            (self.cleaned_data.get(f"response_{n}") or "").strip()
            for n in range(1, len(self.consultees) + 1)
        ]


class CheckForm(forms.Form):
    """The scheme page's question: who decides this type and amount?"""

    debt_type = forms.ChoiceField(label="Type of debt", widget=forms.RadioSelect)
    amount = forms.CharField(
        label="Amount (£)",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )

    def __init__(self, *args, debt_types, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["debt_type"].choices = debt_types

    def clean_amount(self) -> Decimal:
        return parse_amount(self.cleaned_data["amount"])
