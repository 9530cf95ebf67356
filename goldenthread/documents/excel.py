"""Excel: one sheet per table, status cells filled with their colour and their word.

Counts and percentages printed right-aligned become numbers, so the sheets add
up; everything else stays text as printed in the committee paper, stored as text
so that nothing a user typed runs as a formula (see :mod:`.cells`). A document
with a front sheet (a committee report) gets it as a first sheet: its heading
facts, narrative and list of appendices, each appendix with the sheets its
tables are on. Every sheet prints fitted to the page width, with the Word
file's header (committee and date) and page numbers.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from goldenthread.documents import cells, ooxml
from goldenthread.documents.htmldoc import header_text
from goldenthread.documents.model import (
    TONE_COLOURS,
    Align,
    BulletList,
    Chart,
    Contents,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    RowKind,
    Table,
)

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


# The front sheet: labels and headings in a narrow column, values and narrative in a wide one.
FRONT_WIDTHS = (34, 90)


def _sheet_name(text: str, fallback: str) -> str:
    return _BAD_SHEET_CHARACTERS.sub("-", text).strip().strip("'")[:31] or fallback


def sheet_names(tables: list[Table], reserved: tuple[str, ...] = ()) -> list[str]:
    """A unique, valid (31 characters, no []:*?/\\) sheet name for each table,
    none of them one of the ``reserved`` names (the front sheet's)."""
    names: list[str] = []
    taken = [n.lower() for n in reserved]
    for number, table in enumerate(tables, start=1):
        base = _sheet_name(table.name or table.caption or f"Table {number}", f"Table {number}")
        name = base
        suffix = 2
        while name.lower() in taken:
            tail = f" ({suffix})"
            name = base[: 31 - len(tail)] + tail
            suffix += 1
        names.append(name)
        taken.append(name.lower())
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
    cells.append(sheet, [table.caption or table.name])
    sheet["A1"].font = Font(bold=True, size=12)
    cells.append(sheet, [c.title for c in columns])
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
            target = cells.put(sheet, row_number, position, value)
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


def _header_footer(sheet: Worksheet, document: Document) -> None:
    """The Word file's running header (committee and date) and "Page X of Y"."""
    # "&" starts a header code in Excel: a literal ampersand is written twice.
    sheet.oddHeader.center.text = header_text(document).replace("&", "&&")
    sheet.oddHeader.center.size = 8
    sheet.oddFooter.right.text = "Page &P of &N"
    sheet.oddFooter.right.size = 8


Names = dict[tuple[int, int], str]  # (section, block) of each table: its sheet


def _table_positions(document: Document) -> list[tuple[int, int]]:
    return [
        (s, b)
        for s, section in enumerate(document.sections)
        for b, block in enumerate(section.blocks)
        if isinstance(block, Table)
    ]


def _part_sheets(document: Document, names: Names) -> dict[str, list[str]]:
    """The sheets holding each part's tables, in order."""
    sheets: dict[str, list[str]] = {}
    for (s, _), name in names.items():
        part = document.sections[s].part
        if part:
            sheets.setdefault(part, []).append(name)
    return sheets


class _FrontSheet:
    """The front sheet's text, one block a row or more, down two columns."""

    def __init__(self, sheet: Worksheet, names: Names, parts: dict[str, list[str]]):
        self.sheet = sheet
        self.names = names
        self.parts = parts
        self.at = 0  # the last row written

    def _put(self, column: int, text: str, font: Font | None, link: str = "") -> None:
        cell = cells.put(self.sheet, self.at, column, _CONTROL.sub("", text))
        cell.alignment = WRAP
        if link:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(link)}!A1")
            cell.font = Font(color="1D70B8", underline="single")
        elif font is not None:
            cell.font = font

    def row(self, label: str, value: str = "", *, font: Font | None = None, link: str = ""):
        """A label (or heading) on the left, its value on the right."""
        self.at += 1
        if label:
            self._put(1, label, font)
        if value:
            self._put(2, value, None, link)

    def text(self, value: str, *, font: Font | None = None) -> None:
        """Narrative: in the wide column, under its heading."""
        self.at += 1
        self._put(2, value, font)

    def block(self, block, position: tuple[int, int]) -> None:
        if isinstance(block, Heading):
            self.at += 1  # a blank row above each heading
            self.row(block.text, font=Font(bold=True, size=12 if block.level <= 2 else 11))
        elif isinstance(block, Paragraph):
            self.text(block.text, font=Font(bold=True) if block.bold else None)
        elif isinstance(block, BulletList):
            for item in block.items:
                self.text(f"• {item}")
        elif isinstance(block, KeyValues):
            for label, value in block.pairs:
                self.row(label, value, font=Font(bold=True))
        elif isinstance(block, Contents):
            self.text("Sheets with its tables", font=Font(bold=True))
            for text, part in block.entries:
                sheets = self.parts.get(part, [])
                where = ", ".join(sheets) if sheets else "No tables"
                self.row(text, where, link=sheets[0] if sheets else "")
        elif isinstance(block, Table):
            name = self.names[position]
            self.row(block.caption or name, f"Sheet {name}", link=name)
        elif isinstance(block, Chart):
            self.text(f"{block.title}: {block.description}")

    def write(self, document: Document) -> None:
        self.row(document.title, font=Font(bold=True, size=14))
        if document.subtitle:
            self.row(document.subtitle, font=Font(size=12))
        for s, section in enumerate(document.sections):
            if section.front_sheet:
                for b, block in enumerate(section.blocks):
                    self.block(block, (s, b))
        sheet = self.sheet
        for index, width in enumerate(FRONT_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True


def render_xlsx(document: Document) -> bytes:
    book = Workbook()
    first = book.active
    tables = document.tables
    fronts = [s for s in document.sections if s.front_sheet]
    front_name = _sheet_name(fronts[0].title, "Report") if fronts else ""
    names = sheet_names(tables, reserved=(front_name,) if front_name else ())
    by_position = dict(zip(_table_positions(document), names, strict=True))
    if fronts:
        first.title = front_name
        _FrontSheet(first, by_position, _part_sheets(document, by_position)).write(document)
        _header_footer(first, document)
    elif not tables:
        first.title = "Document"
        cells.append(first, [document.title])
        cells.append(first, [document.subtitle])
    for number, (table, name) in enumerate(zip(tables, names, strict=True)):
        sheet = first if number == 0 and not fronts else book.create_sheet()
        sheet.title = name
        _write_table(sheet, table)
        _header_footer(sheet, document)
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
