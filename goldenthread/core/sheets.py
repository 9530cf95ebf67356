"""The one spreadsheet reader: uploaded CSV and Excel files, row by row, within limits.

Every upload (a plan, actuals, comparator values, finance sheets) is read here, so one
set of limits guards the server:

- the file's size is counted while it is read, chunk by chunk;
- rows and columns are counted while they are read: reading stops at the first row or
  cell past the limit, whatever size the workbook says its sheet is (a sheet that
  declares ``A1:XFD1048576`` is read as the rows it really has, and refused at the
  first row past the limit, not padded out to a million);
- an Excel file's zip is checked before it is opened: not a zip, cut short, encrypted,
  too many parts or too large once unpacked (a zip bomb) are refused;
- a CSV must be UTF-8 (with or without a byte-order mark): a line that is not is named,
  never decoded by guessing;
- a formula is read as the value Excel saved with it; a formula saved without a value
  (as some programs write them) is refused, naming its cell, never read as empty.

Anything wrong raises :class:`SheetError`, whose message is written for the person who
uploaded the file and names the row, line or column where there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

Source = bytes | BinaryIO | UploadedFile
Row = tuple[int, list[object]]  # the row's own number in the sheet, and its cells

CHUNK_BYTES = 64 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
NOT_A_WORKBOOK = (
    "The file is not an Excel workbook (.xlsx). An older .xls workbook or one with a "
    "password cannot be read: open it in Excel, save it as “Excel Workbook (.xlsx)” "
    "without a password, and upload that."
)
DAMAGED = (
    "The workbook is damaged or incomplete: it may have been cut short while it was saved "
    "or uploaded. Open it in Excel, save it again, and upload it again."
)


class SheetError(ValueError):
    """The file cannot be read as a sheet; nothing was taken from it."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        self.message = message
        self.row = row
        self.column = column
        super().__init__(message)

    def __str__(self) -> str:
        where = [f"Row {self.row:,}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Limits:
    """The most an upload may hold; past any of these it is refused while it is read."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 5000
    max_columns: int = 100
    max_unpacked_bytes: int = 50 * 1024 * 1024
    max_parts: int = 1000  # files inside an .xlsx; a workbook has a few dozen

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.GT_UPLOAD_MAX_BYTES,
            max_rows=settings.GT_UPLOAD_MAX_ROWS,
            max_columns=settings.GT_UPLOAD_MAX_COLUMNS,
            max_unpacked_bytes=settings.GT_UPLOAD_MAX_UNPACKED_BYTES,
        )


def size_text(size: int) -> str:
    """A number of bytes as people read it: ``10 MB``, ``512 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} bytes"


def read_rows(name: str, source: Source, *, limits: Limits | None = None) -> list[Row]:
    """The non-empty rows of a CSV file or of an Excel workbook's first sheet.

    Each row comes with its own number in the sheet (as Excel numbers it) and its cells
    up to the last one that is not empty: text from a CSV; text, numbers, dates and
    booleans from Excel, with ``None`` for an empty cell.
    """
    return list(iter_rows(name, source, limits=limits))


def iter_rows(name: str, source: Source, *, limits: Limits | None = None) -> Iterator[Row]:
    """:func:`read_rows` one row at a time."""
    limits = limits or Limits.from_settings()
    lowered = name.lower()
    if lowered.endswith(".csv"):
        rows = _csv_rows(_chunks(source, limits.max_bytes))
    elif lowered.endswith(".xlsx"):
        rows = _xlsx_rows(b"".join(_chunks(source, limits.max_bytes)), limits)
    else:
        raise SheetError("Upload a .csv or .xlsx file.")
    for number, cells in rows:
        cells = _check(number, cells, limits)
        if cells:
            yield number, cells


def _check(number: int, cells: Sequence[object], limits: Limits) -> list[object]:
    """The row's cells up to its last that is not empty; refused past the row or column limit."""
    if number > limits.max_rows:
        raise SheetError(
            f"The sheet goes on past row {limits.max_rows:,}: a sheet may have at most "
            f"{limits.max_rows:,} rows. Delete anything below the table, or upload a "
            "smaller sheet."
        )
    kept = list(_within_columns(number, cells, limits))
    while kept and _is_empty(kept[-1]):
        kept.pop()
    return kept


def _within_columns(number: int, cells: Sequence[object], limits: Limits) -> Sequence[object]:
    """The cells up to the column limit; refused if one past it is not empty.

    A row of a workbook is as wide as its last cell, which may be empty: column XFD makes
    16,384 cells, so the empty ones are counted at C speed before any is looked at.
    """
    if len(cells) <= limits.max_columns:
        return cells
    beyond = cells[limits.max_columns :]
    if beyond.count(None) != len(beyond):
        for index, value in enumerate(beyond, start=limits.max_columns + 1):
            if not _is_empty(value):
                raise SheetError(
                    f"The sheet goes on past column {get_column_letter(limits.max_columns)}: "
                    f"a sheet may have at most {limits.max_columns:,} columns. Delete "
                    "anything to the right of the table.",
                    row=number,
                    column=get_column_letter(index),
                )
    return cells[: limits.max_columns]


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _chunks(source: Source, max_bytes: int) -> Iterator[bytes]:
    """The upload's bytes in chunks, refused as soon as there are more than ``max_bytes``."""
    too_large = SheetError(
        f"The file is larger than {size_text(max_bytes)}, the most an upload may be: "
        "upload a smaller file."
    )
    if isinstance(source, bytes | bytearray):
        if len(source) > max_bytes:
            raise too_large
        source = io.BytesIO(source)
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise too_large  # known before reading a byte (see BoundedUploadHandler)
    if isinstance(source, UploadedFile):
        pieces: Iterable[bytes] = source.chunks(CHUNK_BYTES)
    else:
        pieces = iter(lambda: source.read(CHUNK_BYTES), b"")
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > max_bytes:
            raise too_large
        yield piece


# --- CSV ----------------------------------------------------------------------------------


def _csv_rows(chunks: Iterable[bytes]) -> Iterator[Row]:
    lines = _text_lines(chunks)
    reader = csv.reader(lines)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise SheetError(f"Line {reader.line_num:,} cannot be read as CSV: {exc}.") from exc


def _text_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """The file's lines as text, each decoded strictly as UTF-8 and named if it is not."""
    buffer = bytearray()
    number = 0
    for piece in chunks:
        buffer += piece
        start = 0
        while (end := buffer.find(b"\n", start)) != -1:
            number += 1
            yield _decode(bytes(buffer[start : end + 1]), number)
            start = end + 1
        del buffer[:start]
    if buffer:
        yield _decode(bytes(buffer), number + 1)


def _decode(line: bytes, number: int) -> str:
    if number == 1:
        if line.startswith(ZIP_SIGNATURE):
            raise SheetError(
                "The file is an Excel workbook, not a CSV file: upload it with a .xlsx name."
            )
        line = line.removeprefix(codecs.BOM_UTF8)
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = line[: exc.start].decode("utf-8", errors="ignore").strip()[-30:]
        after = f" (after “{before}”)" if before else ""
        raise SheetError(
            f"Line {number:,} is not UTF-8 text{after}: in Excel, save the file as "
            "“CSV UTF-8 (Comma delimited)” and upload it again."
        ) from exc


# --- Excel --------------------------------------------------------------------------------


def check_zip(content: bytes, limits: Limits) -> None:
    """Refuse a file that is not a zip, is cut short, encrypted, or a zip bomb."""
    if not content.startswith(ZIP_SIGNATURE):
        raise SheetError(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise SheetError(DAMAGED) from exc
    if len(parts) > limits.max_parts:
        raise SheetError(
            f"The workbook holds {len(parts):,} parts, more than a spreadsheet has: "
            "save the sheet as CSV and upload that."
        )
    if any(part.flag_bits & 0x1 for part in parts):
        raise SheetError(NOT_A_WORKBOOK)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise SheetError(
            f"The workbook unpacks to {size_text(unpacked)}, more than the "
            f"{size_text(limits.max_unpacked_bytes)} an upload may be: upload a smaller "
            "sheet, without pictures or other sheets, or save it as CSV."
        )


def _xlsx_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, Sequence[object]]]:
    check_zip(content, limits)
    books = []
    try:
        # As Excel last saved the values and, if there are formulas, as written, to see them.
        books.append(load_workbook(io.BytesIO(content), read_only=True, data_only=True))
        if _has_formulas(content):
            books.append(load_workbook(io.BytesIO(content), read_only=True, data_only=False))
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        for book in books:
            book.close()
        raise SheetError(NOT_A_WORKBOOK) from exc
    try:
        if not books[0].worksheets:
            raise SheetError("The workbook has no sheet of cells.")
        yield from _sheet_rows(limits, *(book.worksheets[0] for book in books))
    except SheetError:
        raise
    except Exception as exc:  # a damaged part is found only when it is read
        raise SheetError(DAMAGED) from exc
    finally:
        for book in books:
            book.close()


FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _has_formulas(content: bytes) -> bool:
    """Whether any sheet of the workbook holds a formula (``<f>``), read chunk by chunk."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for part in archive.infolist():
            if not part.filename.startswith("xl/worksheets/"):
                continue
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(CHUNK_BYTES):
                    if FORMULA_ELEMENT.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _sheet_rows(limits: Limits, saved, written=None) -> Iterator[tuple[int, Sequence[object]]]:
    """Rows as they are in the file, whatever dimension the sheet declares."""
    values = _rows_of(saved)
    if written is None:
        yield from enumerate(values, start=1)
        return
    formulas = _rows_of(written)
    for number, (cells, as_written) in enumerate(zip(values, formulas, strict=False), 1):
        for index, value in enumerate(_within_columns(number, as_written, limits)):
            if _is_formula(value) and (index >= len(cells) or cells[index] is None):
                raise SheetError(
                    f"This cell holds a formula ({_formula_text(value)}) but no value was "
                    "saved with it: type the value in, or open the file in Excel and save "
                    "it, then upload it again.",
                    row=number,
                    column=get_column_letter(index + 1),
                )
        yield number, cells


def _rows_of(sheet) -> Iterator[tuple]:
    sheet.reset_dimensions()  # never pad rows out to a declared size
    return sheet.iter_rows(min_row=1, min_col=1, values_only=True)


def _is_formula(value: object) -> bool:
    return isinstance(value, ArrayFormula | DataTableFormula) or (
        isinstance(value, str) and value.startswith("=")
    )


def _formula_text(value: object) -> str:
    text = value.text if isinstance(value, ArrayFormula) else str(value)
    text = text or "a formula"
    return text if len(text) <= 40 else text[:39] + "…"


# --- Receiving the upload -----------------------------------------------------------------


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Stores at most GT_UPLOAD_MAX_BYTES (and one byte more) of a large upload on disk.

    The rest is counted, not stored, so a file far past the limit is refused by the
    reader with its true size instead of filling the disk first.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.stored = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = settings.GT_UPLOAD_MAX_BYTES + 1 - self.stored
        if room > 0:
            self.file.write(raw_data[:room])
            self.stored += min(room, len(raw_data))
