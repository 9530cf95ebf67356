"""The one spreadsheet reader (core.sheets): limits enforced while reading, every bad file named."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from goldenthread.core import sheets
from goldenthread.core.sheets import DAMAGED, NOT_A_WORKBOOK, Limits, SheetError, read_rows
from tests.fixtures import uploads

SMALL = Limits(max_bytes=16 * 1024, max_rows=10, max_columns=8, max_unpacked_bytes=64 * 1024)


class Stream(io.RawIOBase):
    """A file of ``count`` CSV lines made as they are read, counting the bytes read."""

    def __init__(self, line: bytes, count: int):
        self.line, self.left, self.consumed = line, count, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        lines = min(self.left, max(1, size // len(self.line)))
        self.left -= lines
        self.consumed += lines * len(self.line)
        return self.line * lines


def refusal(name: str, content, limits: Limits = SMALL) -> SheetError:
    with pytest.raises(SheetError) as refused:
        read_rows(name, content, limits=limits)
    return refused.value


# --- CSV ----------------------------------------------------------------------------------


def test_it_reads_csv_rows_with_their_own_numbers_leaving_out_empty_rows():
    content = b'Ref,Title,,\r\n,,\r\n\r\nA1,"Two\nlines",,\r\n'
    assert read_rows("plan.csv", content, limits=SMALL) == [
        (1, ["Ref", "Title"]),
        (4, ["A1", "Two\nlines"]),
    ]


def test_it_reads_a_csv_saved_as_utf8_with_a_byte_order_mark():
    content = "Ref,Title\nA1,Café £5\n".encode("utf-8-sig")
    assert read_rows("plan.csv", content, limits=SMALL) == [
        (1, ["Ref", "Title"]),
        (2, ["A1", "Café £5"]),
    ]


def test_it_refuses_a_csv_that_is_not_utf8_naming_the_line():
    error = refusal("actuals.csv", uploads.read("cp1252.csv"))
    assert str(error) == (
        "Line 2 is not UTF-8 text (after “ICT-02,,2019/20 Q1,60,Caf”): in Excel, save the "
        "file as “CSV UTF-8 (Comma delimited)” and upload it again."
    )


def test_it_refuses_an_excel_workbook_named_csv():
    error = refusal("actuals.csv", uploads.read("reason-formula.xlsx"))
    assert "an Excel workbook, not a CSV file" in str(error)


def test_it_keeps_a_formula_typed_in_a_csv_as_its_text():
    rows = read_rows("actuals.csv", uploads.read("reason-formula.csv"), limits=SMALL)
    assert rows[1][1][4] == uploads.HYPERLINK


def test_it_names_a_line_that_cannot_be_read_as_csv():
    content = b"Ref,Title\nA1," + b"x" * (csv.field_size_limit() + 1) + b"\n"
    error = refusal("plan.csv", content, Limits(max_bytes=1024 * 1024))
    assert str(error).startswith("Line 2 cannot be read as CSV: field larger than field limit")


@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\0\r")),
            max_size=5,
        ),
        max_size=10,
    )
)
def test_what_a_csv_writer_writes_it_reads_back(table):
    out = io.StringIO()
    csv.writer(out).writerows(table)
    rows = read_rows("t.csv", out.getvalue().encode(), limits=Limits(max_rows=20))
    trimmed = [
        row[: max((i + 1 for i, c in enumerate(row) if c.strip()), default=0)] for row in table
    ]
    assert rows == [(n, row) for n, row in enumerate(trimmed, start=1) if row]


# --- Limits -------------------------------------------------------------------------------


def test_a_file_past_the_size_limit_is_refused_while_it_is_read():
    stream = Stream(b"A1,Title\n", 1_000_000)  # 9 MB, made only as it is read
    error = refusal("plan.csv", stream)
    assert str(error) == (
        "The file is larger than 16 KB, the most an upload may be: upload a smaller file."
    )
    assert stream.consumed <= SMALL.max_bytes + sheets.CHUNK_BYTES


def test_an_upload_known_to_be_too_large_is_refused_before_it_is_read(monkeypatch):
    upload = SimpleUploadedFile("plan.csv", b"x" * 20_000)
    monkeypatch.setattr(upload, "chunks", lambda *a: pytest.fail("read"))
    assert "larger than 16 KB" in str(refusal("plan.csv", upload))
    assert "larger than 16 KB" in str(refusal("plan.csv", b"x" * 20_000))


def test_rows_past_the_limit_are_refused_while_they_are_read():
    stream = Stream(b"A1,Title\n", 1_000_000)
    error = refusal("plan.csv", stream, Limits(max_bytes=100 * 1024 * 1024, max_rows=10))
    assert str(error) == (
        "The sheet goes on past row 10: a sheet may have at most 10 rows. Delete anything "
        "below the table, or upload a smaller sheet."
    )
    assert stream.consumed < 200 * 1024  # a few chunks of a 9 MB file


def test_a_cell_past_the_column_limit_is_refused_naming_its_row_and_column():
    assert read_rows("t.csv", b"a,b,c,d,e,,,,,,,,\n", limits=SMALL) == [(1, list("abcde"))]
    error = refusal("t.csv", b"a,b\n1,2,,,,,,,x\n")
    assert (error.row, error.column) == (2, "I")
    assert str(error).startswith("Row 2, column I: The sheet goes on past column H")


def test_a_file_that_is_neither_csv_nor_excel_is_refused():
    assert str(refusal("plan.xls", b"x")) == "Upload a .csv or .xlsx file."


def test_limits_come_from_settings(settings):
    settings.GT_UPLOAD_MAX_ROWS = 3
    assert Limits.from_settings().max_rows == 3
    with pytest.raises(SheetError, match="past row 3"):
        read_rows("t.csv", b"a\nb\nc\nd\n")


# --- Excel --------------------------------------------------------------------------------


def test_it_reads_an_excel_sheets_values_dates_and_numbers():
    content = uploads.workbook(
        [["Ref", "Start", "Actual", None], [None], ["A1", datetime(2019, 4, 1), 93.25, None]]
    )
    assert read_rows("plan.xlsx", content, limits=SMALL) == [
        (1, ["Ref", "Start", "Actual"]),
        (3, ["A1", datetime(2019, 4, 1), 93.25]),
    ]


def test_the_dimension_bomb_is_refused_at_the_row_limit_without_reading_further(monkeypatch):
    checked = []
    check = sheets._check
    monkeypatch.setattr(sheets, "_check", lambda n, *a: checked.append(n) or check(n, *a))
    error = refusal("bomb.xlsx", uploads.read("dimension-bomb.xlsx"), Limits())
    assert "goes on past row 5,000" in str(error)
    assert len(checked) == Limits().max_rows + 1  # not 1,048,576 rows


def test_the_size_a_sheet_declares_is_ignored():
    content = uploads.rewrite_sheet(
        uploads.workbook([["Ref", "Title"], ["A1", "Narrative"]]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="C3:XFD1048576"/>', xml),
    )
    assert read_rows("plan.xlsx", content, limits=SMALL) == [
        (1, ["Ref", "Title"]),
        (2, ["A1", "Narrative"]),
    ]


def test_a_cut_short_workbook_is_refused_as_damaged():
    assert str(refusal("plan.xlsx", uploads.read("truncated.xlsx"))) == DAMAGED


def test_a_file_that_is_not_a_zip_is_refused_as_not_a_workbook():
    assert str(refusal("plan.xlsx", uploads.read("not-a-zip.xlsx"))) == NOT_A_WORKBOOK


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert str(refusal("plan.xlsx", out.getvalue())) == NOT_A_WORKBOOK


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    content = uploads.zip_bomb(100 * 1024)  # about 100 KB unpacked from a few KB
    assert len(content) < SMALL.max_bytes
    error = refusal("plan.xlsx", content)
    assert str(error).startswith("The workbook unpacks to ")
    assert "more than the 64 KB an upload may be" in str(error)


def test_a_workbook_of_too_many_parts_is_refused():
    out = io.BytesIO(uploads.workbook([["Ref"]]))
    with zipfile.ZipFile(out, "a") as archive:
        for number in range(1000):
            archive.writestr(f"xl/media/{number}.bin", b"")
    assert "more than a spreadsheet has" in str(refusal("plan.xlsx", out.getvalue(), Limits()))


def test_an_encrypted_workbook_is_refused():
    out = io.BytesIO(uploads.workbook([["Ref"]]))
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/secret.bin", b"")
    content = bytearray(out.getvalue())
    header = content.rindex(b"PK\x01\x02")  # the last part's entry in the zip's directory
    content[header + 8] |= 0x1  # "encrypted", as a password-protected zip marks its parts
    assert str(refusal("plan.xlsx", bytes(content))) == NOT_A_WORKBOOK


def test_a_formula_saved_without_a_value_is_refused_naming_its_cell():
    error = refusal("actuals.xlsx", uploads.read("reason-formula.xlsx"))
    assert (error.row, error.column) == (2, "E")
    assert str(error) == (
        'Row 2, column E: This cell holds a formula (=HYPERLINK("http://evil.example","Outag…) '
        "but no value was saved with it: type the value in, or open the file in Excel and "
        "save it, then upload it again."
    )


def test_a_formula_is_read_as_the_value_excel_saved_with_it():
    rows = read_rows("actuals.xlsx", uploads.read("reason-formula-saved.xlsx"), limits=SMALL)
    assert rows[1] == (
        2,
        ["ICT-02", None, "2019/20 Q1", 60, "Outage explained here", "Failover tested."],
    )


def test_text_that_starts_with_an_equals_sign_is_kept_as_text():
    book = Workbook()
    book.active["A1"] = "=1+1 is two"
    book.active["A1"].data_type = "s"  # typed as text, not a formula
    out = io.BytesIO()
    book.save(out)
    assert read_rows("t.xlsx", out.getvalue(), limits=SMALL) == [(1, ["=1+1 is two"])]


def test_a_cell_past_the_column_limit_of_a_workbook_is_named():
    content = uploads.workbook([["Ref"], [None] * 8 + ["x"]])
    error = refusal("t.xlsx", content)
    assert (error.row, error.column) == (2, "I")


# --- Receiving the upload -----------------------------------------------------------------


def test_a_large_upload_keeps_only_the_limit_on_disk_and_its_true_size(settings):
    settings.GT_UPLOAD_MAX_BYTES = 10
    handler = sheets.BoundedUploadHandler()
    handler.new_file("file", "plan.csv", "text/csv", 100)
    for start in range(0, 100, 25):
        assert handler.receive_data_chunk(b"y" * 25, start) is None
    upload = handler.file_complete(100)
    assert upload.size == 100
    assert len(upload.read()) == 11
    assert "larger than 10 bytes" in str(refusal("plan.csv", upload, Limits(max_bytes=10)))


@pytest.mark.parametrize(
    "xml, found",
    [
        (b'<c r="B2"><f>SUM(A1:A2)</f><v></v></c>', True),
        (b'<x:c r="B2"><x:f t="shared" ref="B2:B9" si="0"/></x:c>', True),
        (b'<c r="B2" t="inlineStr"><is><t>&lt;f&gt; is text</t></is></c><foo/>', False),
    ],
)
def test_a_workbook_is_read_a_second_time_only_when_a_sheet_holds_a_formula(xml, found):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + xml + b"</sheetData>")
    assert sheets._has_formulas(out.getvalue()) is found
