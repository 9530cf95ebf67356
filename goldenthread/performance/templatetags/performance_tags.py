"""Template helpers of the indicator pages: document cells and directions of travel."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from goldenthread.documents.model import Align, Cell

register = template.Library()


@register.simple_tag
def cell_content(cell: Cell) -> str:
    """A document cell's text; a status cell as a GOV.UK tag with its word."""
    if cell.tone is not None:
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>', cell.tone.value, cell.text
        )
    if cell.bold:
        return format_html("<strong>{}</strong>", cell.text)
    return cell.text


@register.filter
def numeric_class(cell_or_column) -> str:
    align = getattr(cell_or_column, "align", Align.LEFT)
    return " govuk-table__cell--numeric" if align == Align.RIGHT else ""


@register.simple_tag
def direction_tag(direction) -> str:
    """▲ Improved / ▼ Worse / ► No change, the arrow hidden from screen readers."""
    if not direction.symbol:
        return format_html('<span class="govuk-hint gt-small">{}</span>', direction.word)
    return format_html(
        '<span class="gt-direction gt-direction--{}"><span aria-hidden="true">{}</span> {}</span>',
        direction.code,
        direction.symbol,
        direction.word,
    )


@register.filter
def slice_at(values, index: int):
    """The item at ``index`` of a tuple or list (for chart figures)."""
    try:
        return values[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""
