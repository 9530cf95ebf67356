"""Every renderer prints the same document: tables, status words and colours, pages."""

from __future__ import annotations

import io
import zipfile

import pdfplumber
import pytest
from docx import Document as read_word
from docx.oxml.ns import qn
from openpyxl import load_workbook

from goldenthread.documents import charts, render
from goldenthread.documents.http import download, safe_stem
from goldenthread.documents.model import TONE_COLOURS, Tone
from goldenthread.documents.tests.sample import CHART, DOCUMENT, PAPER


@pytest.fixture(scope="module")
def files():
    return render.render_all(DOCUMENT, parallel=False)


@pytest.fixture(scope="module")
def word(files):
    return read_word(io.BytesIO(files["docx"]))


@pytest.fixture(scope="module")
def pdf_pages(files):
    with pdfplumber.open(io.BytesIO(files["pdf"])) as pdf:
        return [(page.width, page.height, page.extract_text()) for page in pdf.pages]


def test_it_names_formats_and_refuses_unknown_ones():
    assert render.extension("docx") == "docx"
    assert render.content_type("pdf") == "application/pdf"
    with pytest.raises(render.UnknownFormat, match="odt"):
        render.render(DOCUMENT, "odt")


def test_the_same_document_gives_the_same_bytes(files):
    again = render.render_all(DOCUMENT, parallel=False)
    for fmt in ("html", "docx", "xlsx", "pdf"):
        assert again[fmt] == files[fmt], fmt


def test_the_pdf_worker_process_makes_the_same_files(files):
    assert render.render_all(DOCUMENT, ("pdf", "docx")) == {
        "pdf": files["pdf"],
        "docx": files["docx"],
    }


# -- HTML ------------------------------------------------------------------------------------


def test_html_tables_are_accessible_and_statuses_carry_their_word(files):
    html = files["html"].decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'class="govuk-table__cell gt-tone gt-tone--yellow' in html
    assert ">Amber</td>" in html
    assert "Network &quot;bandwidth&quot; &lt;improved&gt; by 40%" in html
    assert f'alt="{CHART.description}"' in html
    assert "@page wide" in html and "Page &quot;" not in html


def test_html_uses_a_system_font_not_the_gds_typeface(files):
    html = files["html"].decode()
    assert 'font-family: Arial, "Liberation Sans"' in html
    assert "GDS Transport" not in html


# -- Word ------------------------------------------------------------------------------------


def _fill(cell) -> str:
    shading = cell._tc.tcPr.find(qn("w:shd"))
    return shading.get(qn("w:fill")) if shading is not None else ""


def test_word_has_real_tables_with_coloured_status_cells(word):
    table = word.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "P Ref",
        "Partner",
        "Delivery",
        "Target Date",
        "Status",
        "Progress Comments",
    ]
    row = table.rows[2].cells
    assert row[0].text == "IP40"
    assert row[2].text == "Support Oracle Fusion\nfor Havering & Newham"
    assert row[4].text == "Amber"
    assert _fill(row[4]) == TONE_COLOURS[Tone.AMBER][0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_word_puts_wide_sections_on_landscape_pages(word):
    first, wide = word.sections
    assert first.page_width < first.page_height
    assert wide.page_width > wide.page_height


def test_word_pages_carry_the_committee_and_page_numbers(word):
    header = word.sections[0].header.paragraphs[0].text
    assert header == "oneSource Joint Committee – 12 July 2019"
    footer = word.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_word_is_dated_from_the_document_not_the_clock(word, files):
    properties = word.core_properties
    assert properties.created.date().isoformat() == "2019-07-12"
    assert properties.modified.date().isoformat() == "2019-07-12"
    members = zipfile.ZipFile(io.BytesIO(files["docx"])).infolist()
    assert {m.date_time[:3] for m in members} == {(2019, 7, 12)}


def test_word_embeds_the_chart_with_its_description(word):
    assert len(word.inline_shapes) == 1
    assert word.inline_shapes[0]._inline.docPr.get("descr") == CHART.description


# -- Excel -----------------------------------------------------------------------------------


def test_excel_has_one_sheet_per_table_with_status_fills(files):
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == ["Summary", "ICT"]
    ict = book["ICT"]
    assert [c.value for c in ict[2]] == [
        "P Ref",
        "Partner",
        "Delivery",
        "Target Date",
        "Status",
        "Progress Comments",
    ]
    status = ict["E4"]
    assert status.value == "Amber"
    assert status.fill.fgColor.rgb.endswith(TONE_COLOURS[Tone.AMBER][0])
    summary = book["Summary"]
    assert summary["B3"].value == 6 and summary["C3"].value == pytest.approx(0.67)
    assert book.properties.modified.date().isoformat() == "2019-07-12"


def test_excel_of_a_document_without_a_front_sheet_has_only_its_tables(files):
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert "Report" not in book.sheetnames
    assert book["ICT"]["A1"].value == "ICT: actions"


@pytest.fixture(scope="module")
def paper_book():
    return load_workbook(io.BytesIO(render.render(PAPER, "xlsx")))


def _rows(sheet) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows(max_col=2)]


def test_excel_of_a_paper_starts_with_its_front_sheet(paper_book):
    assert paper_book.sheetnames == ["Report", "Summary", "ICT"]
    rows = _rows(paper_book["Report"])
    assert rows[0] == ("oneSource update for July 2019", None)
    for pair in [
        ("Committee", "Audit & Governance Committee"),
        ("Date", "12 July 2019"),
        ("Subject heading", "oneSource update for July 2019"),
        ("Report author and contact details", "Jane West\n020 3373 2703"),
        ("Financial summary", "None"),
        ("Is this a Key Decision?", "No"),
    ]:
        assert pair in rows
    # Headings on the left, the narrative under them on the right, in the paper's order.
    summary = rows.index(("SUMMARY", None))
    assert rows[summary + 1 : summary + 4] == [
        (None, "The updates in this report include:-"),
        (None, "• Transition to Trading"),
        (None, "• Awards"),
    ]
    assert rows.index(("RECOMMENDATIONS", None)) > summary
    assert (None, "The Joint Committee is asked to note the report.") in rows


def test_excel_front_sheet_says_which_sheets_hold_each_appendix(paper_book):
    front = paper_book["Report"]
    rows = _rows(front)
    assert ("Appendix 1: Improvement Plan progress", "Summary, ICT") in rows
    assert ("Appendix 2: Staff survey", "No tables") in rows
    linked = [c for c in front["B"] if c.hyperlink is not None]
    assert [(c.value, c.hyperlink.location) for c in linked] == [("Summary, ICT", "'Summary'!A1")]


def test_excel_front_sheet_wraps_and_prints_to_the_page_width(paper_book):
    front = paper_book["Report"]
    assert all(c.alignment.wrap_text for row in front.iter_rows() for c in row if c.value)
    assert front.column_dimensions["A"].width >= 30 and front.column_dimensions["B"].width >= 80
    assert front.page_setup.fitToWidth == 1 and front.page_setup.fitToHeight == 0
    assert front.sheet_properties.pageSetUpPr.fitToPage is True
    assert front.page_setup.orientation == "portrait"
    # The Word file's header: committee and date (an ampersand kept as one).
    for sheet in paper_book.worksheets:
        assert sheet.oddHeader.center.text == "Audit && Governance Committee – 12 July 2019"
        assert sheet.oddFooter.right.text == "Page &P of &N"


def test_excel_of_a_paper_is_repeatable_and_dated_from_the_paper(paper_book):
    data = render.render(PAPER, "xlsx")
    assert render.render(PAPER, "xlsx") == data
    assert paper_book.properties.created.date().isoformat() == "2019-07-12"
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {m.date_time[:3] for m in members} == {(2019, 7, 12)}


def test_other_formats_print_the_appendix_list_as_a_list():
    word = read_word(io.BytesIO(render.render(PAPER, "docx")))
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert "Appendix 2: Staff survey" in bullets
    html = render.render(PAPER, "html").decode()
    assert "<li>Appendix 1: Improvement Plan progress</li>" in html


def test_excel_sheet_names_are_valid_and_unique():
    from goldenthread.documents.excel import sheet_names
    from goldenthread.documents.model import Column, Table

    tables = [Table((Column("a"),), (), caption="Finance [2019/20]: a very long caption here")] * 2
    names = sheet_names(tables)
    assert len(set(names)) == 2 and all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    # A table called "Report" does not take the front sheet's name.
    assert sheet_names([Table((Column("a"),), (), name="report")], ("Report",)) == ["report (2)"]


# -- PDF -------------------------------------------------------------------------------------


def test_pdf_holds_the_rows_and_the_words(pdf_pages):
    text = "\n".join(page[2] for page in pdf_pages)
    for expected in ("IP40", "LBH/LBN", "Mar-16 (Oct-15)", "Amber", "IP41", "Green", "67%"):
        assert expected in text


def test_pdf_pages_have_the_header_numbers_and_landscape(pdf_pages):
    count = len(pdf_pages)
    assert count >= 3
    width, height, text = pdf_pages[-1]
    assert width > height
    assert pdf_pages[0][0] < pdf_pages[0][1]
    assert "oneSource Joint Committee – 12 July 2019" in text
    assert f"Page {count} of {count}" in text


# -- charts and downloads ----------------------------------------------------------------------


def test_charts_are_repeatable_and_undated():
    svg = charts.svg(CHART)
    charts.svg.cache_clear()
    charts.png.cache_clear()
    assert charts.svg(CHART) == svg
    assert "<dc:date>" not in svg
    assert charts.png(CHART).startswith(b"\x89PNG")


def test_a_download_is_named_safely():
    response = download(DOCUMENT, "xlsx", "IP1920 2019/20 Q1")
    assert response["Content-Disposition"] == 'attachment; filename="IP1920-2019-20-Q1.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert safe_stem('../"x"') == "x"
