"""Form fields shared by every app: the GOV.UK date input.

:class:`GovUKDateField` shows three boxes (day, month, year) in a fieldset, the GOV.UK
date input pattern, and also takes a whole date typed in one box ("31 March 2021",
"31/03/2021", "2021-03-31") or posted as one value under the field's own name (as a
script or an older form would). Errors name the field the GOV.UK way: "Date of the
decision must be a real date", "… must include a year".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from goldenthread.core import dates

DateValue = str | tuple[str, str, str] | date | None


class GovUKDateInput(forms.Widget):
    """The GOV.UK date input: day, month and year boxes named ``<name>-day`` and so on."""

    template_name = "core/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        # The boxes at fault after validation; None when the whole date is wrong or unknown.
        self.problem_parts: tuple[str, ...] | None = None

    def value_from_datadict(self, data, files, name: str) -> DateValue:
        if data.get(name):
            return str(data[name])
        parts = tuple(str(data.get(f"{name}-{part}", "")) for part in dates.PARTS)
        return parts if any(parts) else None

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in dates.PARTS)

    def parts(self, value: DateValue) -> tuple[str, str, str]:
        """What each box shows: a saved date's numbers, or exactly what was typed."""
        if isinstance(value, date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, tuple | list):
            return tuple(value)  # type: ignore[return-value]
        if isinstance(value, str) and value:
            try:
                return self.parts(dates.parse_text(value))
            except dates.DateProblem:
                return value, "", ""
        return "", "", ""

    def format_value(self, value: DateValue) -> Any:
        return value

    def get_context(self, name: str, value: DateValue, attrs: dict[str, Any] | None) -> dict:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id") or f"id_{name}"
        invalid = widget["attrs"].get("aria-invalid") == "true"
        at_fault = set(self.problem_parts or dates.PARTS) if invalid else set()
        widths = {"day": 2, "month": 2, "year": 4}
        widget["boxes"] = [
            {
                "part": part,
                "label": part.capitalize(),
                "name": f"{name}-{part}",
                "id": f"{base_id}-{part}",
                "value": typed,
                "width": widths[part],
                "error": part in at_fault,
            }
            for part, typed in zip(dates.PARTS, self.parts(value), strict=True)
        ]
        widget["base_id"] = base_id
        return context

    def id_for_label(self, id_: str) -> str:
        """The first box at fault, so the error summary's link lands on it."""
        if not id_:
            return id_
        first = (self.problem_parts or dates.PARTS)[0]
        return f"{id_}-{first}"


class GovUKDateField(forms.Field):
    """A date from the GOV.UK date input or one typed whole; see :mod:`goldenthread.core.dates`."""

    widget = GovUKDateInput

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        messages = dict(kwargs.pop("error_messages", None) or {})
        messages.setdefault(
            "required",
            dates.describe_problem(dates.DateProblem(dates.Problem.EMPTY), label),
        )
        super().__init__(label=label, error_messages=messages, **kwargs)

    def to_python(self, value: DateValue) -> date | None:
        self.widget.problem_parts = None
        if value in self.empty_values or value == ("", "", ""):
            return None
        if isinstance(value, date):
            return value
        try:
            if isinstance(value, tuple | list):
                return dates.parse_parts(*value)
            return dates.parse_text(str(value))
        except dates.DateProblem as problem:
            if problem.problem is dates.Problem.EMPTY:
                return None
            self.widget.problem_parts = problem.parts
            raise forms.ValidationError(
                dates.describe_problem(problem, str(self.label)), code=problem.problem.value
            ) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True
