"""Excel: one sheet per table, status cells filled with their colour and their word.

Counts and percentages printed right-aligned become numbers, so the sheets add
up; everything else stays text as printed in the committee paper.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from goldenthread.documents import ooxml
from goldenthread.documents.model import TONE_COLOURS, Align, Document, RowKind, Table

_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INTEGER = re.compile(r"^-?\d{1,12}$")
_PERCENT = re.compile(r"^-?\d{1,3}(\.\d+)?%$")
THIN = Side(style="thin", color="505A5F")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DEE0E2")
GROUP_FILL = PatternFill("solid", fgColor="F3F2F1")
WRAP = Alignment(wrap_text=True, vertical="top")
# Column widths in characters for a table 100 "relative units" wide.
SHEET_WIDTH = 180


def sheet_names(tables: list[Table]) -> list[str]:
    """A unique, valid (31 characters, no []:*?/\\) sheet name for each table."""
    names: list[str] = []
    for number, table in enumerate(tables, start=1):
        base = _BAD_SHEET_CHARACTERS.sub("-", table.name or table.caption or f"Table {number}")
        base = base.strip().strip("'")[:31] or f"Table {number}"
        name = base
        suffix = 2
        while name.lower() in (n.lower() for n in names):
            tail = f" ({suffix})"
            name = base[: 31 - len(tail)] + tail
            suffix += 1
        names.append(name)
    return names


def _value(text: str, align: Align):
    if align is Align.RIGHT:
        if _INTEGER.match(text):
            return int(text), "0"
        if _PERCENT.match(text):
            return float(text[:-1]) / 100, "0%"
    return _CONTROL.sub("", text), None


def _write_table(sheet, table: Table) -> None:
    columns = table.columns
    sheet.append([table.caption or table.name])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([c.title for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = WRAP
    for row_number, row in enumerate(table.rows, start=3):
        position = 1
        for cell in row.cells:
            align = cell.align if cell.align is not Align.LEFT else columns[position - 1].align
            value, number_format = _value(cell.text, align)
            target = sheet.cell(row=row_number, column=position, value=value)
            target.border = BORDER
            target.alignment = Alignment(
                wrap_text=True,
                vertical="top",
                horizontal="right" if align is Align.RIGHT else None,
            )
            if number_format:
                target.number_format = number_format
            bold = cell.bold or row.kind in (RowKind.GROUP, RowKind.TOTAL)
            if cell.tone is not None:
                fill, colour = TONE_COLOURS[cell.tone]
                target.fill = PatternFill("solid", fgColor=fill)
                target.font = Font(bold=True, color=colour)
                target.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
            elif row.kind is RowKind.GROUP:
                target.fill = GROUP_FILL
                target.font = Font(bold=True)
            elif bold:
                target.font = Font(bold=True)
            if cell.colspan > 1:
                sheet.merge_cells(
                    start_row=row_number,
                    start_column=position,
                    end_row=row_number,
                    end_column=position + cell.colspan - 1,
                )
            position += cell.colspan
    total = sum(c.width for c in columns) or 1
    for index, column in enumerate(columns, start=1):
        width = max(6.0, min(80.0, SHEET_WIDTH * column.width / total))
        sheet.column_dimensions[get_column_letter(index)].width = round(width, 1)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape" if len(columns) > 5 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def render_xlsx(document: Document) -> bytes:
    book = Workbook()
    first = book.active
    tables = document.tables
    if not tables:
        first.title = "Document"
        first.append([document.title])
        first.append([document.subtitle])
    for number, (table, name) in enumerate(zip(tables, sheet_names(tables), strict=True)):
        sheet = first if number == 0 else book.create_sheet()
        sheet.title = name
        _write_table(sheet, table)
    when = ooxml.stamp(document.document_date or document.meeting_date)
    properties = book.properties
    properties.title = document.title[:255]
    properties.subject = document.subtitle[:255]
    properties.creator = document.author or document.committee or "Golden Thread"
    properties.lastModifiedBy = properties.creator
    properties.keywords = document.committee
    properties.created = when
    properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    return ooxml.normalise(buffer.getvalue(), document.document_date or document.meeting_date)
