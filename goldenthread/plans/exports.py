"""A plan as CSV or Excel: one row per action or milestone with its update for the period."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from goldenthread.core.models import Period
from goldenthread.documents import cells
from goldenthread.plans.models import Plan, ProgressUpdate
from goldenthread.plans.reading import ItemRow, SectionView

COLUMNS = [
    "Section",
    "Ref",
    "Type",
    "Item",
    "Partners",
    "Lead",
    "Target date / deadline",
    "Period",
    "Status",
    "% complete",
    "Progress to date",
    "Next steps",
    "Update state",
    "Overdue",
    "Stale",
]


def _cells(view: SectionView, ref: str, kind: str, row: ItemRow, partners: str, due: str):
    """One row: the reported status (never an unapproved one) and the update's words as
    the viewer may read them (readers: approved updates only)."""
    update = row.update
    return [
        view.section.title,
        ref,
        kind,
        row.item.title,
        partners,
        row.item.lead,
        due,
        row.period.code if row.period else "",
        row.status_label,
        "" if not update or update.percent_complete is None else update.percent_complete,
        update.progress if update else "",
        update.next_steps if update else "",
        _state(row),
        "Overdue" if row.overdue else "",
        "Stale" if row.stale else "",
    ]


def _state(row: ItemRow) -> str:
    if row.state is None:
        return "No update"
    return dict(ProgressUpdate.State.choices).get(row.state, row.state)


def rows(sections: list[SectionView]) -> list[list]:
    """The table every format writes: actions, each followed by its milestones."""
    table = []
    for view in sections:
        for action_view in view.actions:
            action = action_view.action
            partners = action.partner_label
            table.append(
                _cells(view, action.ref, "Action", action_view.row, partners, action.target_label)
            )
            for milestone in action_view.milestones:
                table.append(
                    _cells(
                        view,
                        action.ref,
                        "Milestone",
                        milestone,
                        partners,
                        milestone.item.deadline_label or milestone.item.deadline_note,
                    )
                )
    return table


def _filename(plan: Plan, period: Period, ext: str) -> str:
    return f"{plan.code}-{period.code.replace('/', '-').replace(' ', '-')}.{ext}"


def respond(plan: Plan, period: Period, sections: list[SectionView], fmt: str) -> HttpResponse:
    table = rows(sections)
    if fmt == "csv":
        response = HttpResponse(
            cells.csv_text(COLUMNS, table), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(plan, period, table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Plans export as csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, period, fmt)}"'
    return response


def xlsx_bytes(plan: Plan, period: Period, table: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = period.code.replace("/", "-")
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        cells.append(sheet, row)
    widths = [24, 10, 10, 60, 10, 24, 18, 10, 24, 10, 60, 60, 12, 10, 10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    book.properties.title = f"{plan.title} – {period.code}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
