"""Template helpers shared by every app: status tags and GOV.UK form fields."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_tag(status) -> str:
    """A GOV.UK tag with the status's word: colour is never the only signal."""
    if status is None:
        return format_html('<strong class="govuk-tag govuk-tag--grey">No update</strong>')
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}" title="{}">{}</strong>',
        status.tone,
        status.meaning,
        status.label,
    )


@register.inclusion_tag("core/_field.html")
def field(bound_field, classes: str = "") -> dict:
    widget = bound_field.field.widget.__class__.__name__
    return {"f": bound_field, "widget": widget, "classes": classes}


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*forms) -> dict:
    errors = []
    for form in forms:
        if form is None:
            continue
        for error in form.non_field_errors():
            errors.append({"href": "#main-content", "text": error})
        for bound in form:
            for error in bound.errors:
                errors.append({"href": f"#{bound.id_for_label or bound.auto_id}", "text": error})
    return {"errors": errors}


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
