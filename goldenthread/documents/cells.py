"""Spreadsheet cells that are safe to open: text never becomes a formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some programs, a tab or carriage return) as a formula, so text a lead
typed as ``=HYPERLINK("http://evil.example", "x")`` would turn into a live link
or worse in an export (OWASP: CSV injection). Every CSV and Excel writer puts its
cells through this module:

* CSV: such text is prefixed with an apostrophe, which spreadsheets show as text;
* Excel: every text cell is stored as a string (``data_type = "s"``), never as a
  formula, and keeps its text unchanged.

Genuine numbers (``int``, ``float``, ``Decimal``, or text that is only a number
such as ``-0.727`` or ``-12%``) are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?%?$")


def is_risky(value: Any) -> bool:
    """True for text a spreadsheet could read as a formula."""
    if not isinstance(value, str) or not value.startswith(RISKY_STARTS):
        return False
    return not (any(c.isdigit() for c in value) and _NUMBER.match(value))


def csv_value(value: Any) -> Any:
    """One CSV field: risky text behind an apostrophe, anything else unchanged."""
    return f"'{value}" if is_risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row with every field made safe by :func:`csv_value`."""
    return [csv_value(v) for v in values]


def as_text(cell: Cell) -> Cell:
    """Store a cell holding text as a string, whatever it starts with."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one Excel cell; text is stored as text, never as a formula."""
    return as_text(sheet.cell(row=row, column=column, value=value))


def append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Add a row at the foot of the sheet, text stored as text."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        as_text(cell)


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A table as CSV text (CRLF lines, no byte-order mark), every field made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(header))
    writer.writerows(csv_row(row) for row in rows)
    return out.getvalue()


def xlsx_bytes(header: list[str], rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """A table as a one-sheet workbook, text stored as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    append(sheet, header)
    for row in rows:
        append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
