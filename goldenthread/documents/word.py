"""Word: real Word tables, landscape sections for wide tables, coloured status cells.

Every page has a header with the committee and meeting date and a footer with
"Page X of Y" fields. Tables are written as WordprocessingML directly (one
parse per table), which keeps a 2,000-row plan to seconds rather than minutes.
The core properties are dated from the document's date, never from the clock.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from goldenthread.documents import charts, ooxml
from goldenthread.documents.htmldoc import header_text
from goldenthread.documents.model import (
    TONE_COLOURS,
    Align,
    BulletList,
    Cell,
    Chart,
    Column,
    Contents,
    Document,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    Row,
    RowKind,
    Table,
)

FONT = "Arial"
TEXT = "0B0C0C"
HEADER_FILL = "DEE0E2"
GROUP_FILL = "F3F2F1"
BORDER = "505A5F"
TABLE_SIZE = 17  # half-points: 8.5pt
PAGE = {False: (Mm(210), Mm(297), Mm(20)), True: (Mm(297), Mm(210), Mm(15))}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_JUSTIFY = {Align.LEFT: "left", Align.RIGHT: "right", Align.CENTRE: "center"}


def _runs(text: str, props: str) -> str:
    """Runs for ``text`` with line breaks kept."""
    lines = _CONTROL.sub("", text).split("\n")
    parts = []
    for index, line in enumerate(lines):
        br = "<w:br/>" if index else ""
        parts.append(f'<w:r>{props}{br}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(parts)


def _run_props(*, bold: bool = False, colour: str = TEXT, size: int = TABLE_SIZE) -> str:
    bold_xml = "<w:b/><w:bCs/>" if bold else ""
    return (
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>{bold_xml}'
        f'<w:color w:val="{colour}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


def _cell_xml(cell: Cell, width: int, align: Align, *, fill: str = "", bold: bool = False) -> str:
    colour = TEXT
    if cell.tone is not None:
        fill, colour = TONE_COLOURS[cell.tone]
        bold = True
        align = Align.CENTRE
    span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    props = _run_props(bold=bold or cell.bold, colour=colour)
    paragraph_props = (
        f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:jc w:val="{_JUSTIFY[cell.align if cell.align is not Align.LEFT else align]}"/></w:pPr>'
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{shading}</w:tcPr>'
        f"<w:p>{paragraph_props}{_runs(cell.text, props)}</w:p></w:tc>"
    )


def _widths(columns: tuple[Column, ...], available: int) -> list[int]:
    total = sum(c.width for c in columns) or 1
    return [max(int(available * c.width / total), 300) for c in columns]


def _row_xml(row: Row, columns: tuple[Column, ...], widths: list[int], *, header=False) -> str:
    cells = []
    position = 0
    for cell in row.cells:
        width = sum(widths[position : position + cell.colspan])
        align = columns[position].align
        if header:
            cells.append(_cell_xml(cell, width, align, fill=HEADER_FILL, bold=True))
        elif row.kind is RowKind.GROUP:
            cells.append(_cell_xml(cell, width, align, fill=GROUP_FILL, bold=True))
        elif row.kind is RowKind.TOTAL:
            cells.append(_cell_xml(cell, width, align, bold=True))
        else:
            cells.append(_cell_xml(cell, width, align))
        position += cell.colspan
    row_props = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header else ""
    if row.kind is RowKind.GROUP:
        row_props = "<w:trPr><w:cantSplit/></w:trPr>"
    return f"<w:tr>{row_props}{''.join(cells)}</w:tr>"


def table_xml(table: Table, available: int, *, with_header: bool = True) -> str:
    widths = _widths(table.columns, available)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{BORDER}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    rows = []
    if with_header:
        header = Row(tuple(Cell(c.title) for c in table.columns))
        rows.append(_row_xml(header, table.columns, widths, header=True))
    rows.extend(_row_xml(r, table.columns, widths) for r in table.rows)
    caption = escape(table.caption or table.name)
    return (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/>'
        f"</w:tblCellMar>"
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f'<w:tblCaption w:val="{caption}"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.word = new_word_document()
        self.landscape = False
        self._styles()

    def _styles(self) -> None:
        styles = self.word.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.font.color.rgb = RGBColor.from_string(TEXT)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(6)
        for level, size in ((1, 16), (2, 13), (3, 11), (4, 10), (5, 10), (6, 10)):
            style = styles[f"Heading {level}"]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor.from_string(TEXT)
            rfonts = style.element.rPr.rFonts
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attribute), None)
            rfonts.set(qn("w:eastAsia"), FONT)
            style.paragraph_format.space_before = Pt(10)
            style.paragraph_format.space_after = Pt(4)
        for name in ("Title", "Subtitle", "Header", "Footer", "List Bullet", "Caption"):
            style = styles[name]
            style.font.name = FONT
            style.font.color.rgb = RGBColor.from_string(TEXT)
            rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attribute), None)
        styles["Title"].font.size = Pt(20)
        styles["Subtitle"].font.size = Pt(12)
        styles["Subtitle"].font.italic = False
        styles["Header"].font.size = Pt(8)
        styles["Footer"].font.size = Pt(8)

    # -- page set-up ----------------------------------------------------------------

    def _page(self, section, landscape: bool) -> None:
        width, height, margin = PAGE[landscape]
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = width
        section.page_height = height
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = Mm(18)
        section.header_distance = section.footer_distance = Mm(8)
        self.landscape = landscape

    @property
    def available(self) -> int:
        """Text width of the current page in twentieths of a point."""
        width, _, margin = PAGE[self.landscape]
        return int((width - 2 * margin) / 635)

    def _header_footer(self, section) -> None:
        header = section.header.paragraphs[0]
        header.text = header_text(self.document)
        header.style = self.word.styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.style = self.word.styles["Footer"]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(self.document.title + "    Page ")
        footer._p.append(_field("PAGE"))
        footer.add_run(" of ")
        footer._p.append(_field("NUMPAGES"))

    # -- blocks -----------------------------------------------------------------------

    def _body_insert(self, xml: str) -> None:
        element = parse_xml(xml)
        self.word.element.body.sectPr.addprevious(element)

    def heading(self, block: Heading) -> None:
        self.word.add_heading(block.text, level=min(max(block.level, 1), 6))

    def paragraph(self, block: Paragraph) -> None:
        props = _run_props(bold=block.bold, size=17 if block.small else 20)
        self._body_insert(f"<w:p {nsdecls('w')}>{_runs(block.text, props)}</w:p>")

    def bullets(self, block: BulletList) -> None:
        for item in block.items:
            self.word.add_paragraph(_CONTROL.sub("", item), style="List Bullet")

    def key_values(self, block: KeyValues) -> None:
        table = Table(
            (Column("", 1.0), Column("", 2.2)),
            tuple(Row((Cell(k, bold=True), Cell(v))) for k, v in block.pairs),
        )
        xml = table_xml(table, self.available, with_header=False)
        self._body_insert(xml.replace(f'w:sz w:val="{TABLE_SIZE}"', 'w:sz w:val="20"'))
        self.word.add_paragraph()

    def table(self, block: Table) -> None:
        if block.caption:
            caption = self.word.add_paragraph(style="Caption")
            run = caption.add_run(block.caption)
            run.bold = True
            run.font.size = Pt(10)
            caption.paragraph_format.keep_with_next = True
        self._body_insert(table_xml(block, self.available))
        self.word.add_paragraph().paragraph_format.space_after = Pt(4)

    def chart(self, block: Chart) -> None:
        width = Mm(240) if self.landscape else Mm(170)
        paragraph = self.word.add_paragraph()
        shape = paragraph.add_run().add_picture(io.BytesIO(charts.png(block)), width=width)
        shape._inline.docPr.set("descr", block.description)
        shape._inline.docPr.set("title", block.title)

    def page_break(self) -> None:
        self.word.add_page_break()

    # -- the whole document -------------------------------------------------------------

    def write(self) -> bytes:
        document = self.document
        first = self.word.sections[0]
        landscape = bool(document.sections and document.sections[0].landscape)
        self._page(first, landscape)
        self._header_footer(first)
        self.word.add_paragraph(document.title, style="Title")
        if document.subtitle:
            self.word.add_paragraph(document.subtitle, style="Subtitle")
        for number, section in enumerate(document.sections):
            if number:
                new = self.word.add_section(WD_SECTION.NEW_PAGE)
                self._page(new, section.landscape)
            for block in section.blocks:
                self._block(block)
        self._properties()
        buffer = io.BytesIO()
        self.word.save(buffer)
        return ooxml.normalise(buffer.getvalue(), _date_of(document))

    def _block(self, block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, BulletList):
            self.bullets(block)
        elif isinstance(block, Contents):
            self.bullets(BulletList(tuple(text for text, _ in block.entries)))
        elif isinstance(block, KeyValues):
            self.key_values(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, PageBreak):
            self.page_break()
        else:
            raise TypeError(f"Cannot print a {type(block).__name__} block.")

    def _properties(self) -> None:
        document = self.document
        when = ooxml.stamp(_date_of(document))
        properties = self.word.core_properties
        properties.title = document.title[:255]
        properties.subject = document.subtitle[:255]
        properties.author = document.author or document.committee or "Golden Thread"
        properties.last_modified_by = properties.author
        properties.keywords = document.committee
        properties.comments = ""
        properties.category = document.metadata.get("kind", "")
        properties.created = when
        properties.modified = when
        properties.last_printed = when
        properties.revision = 1


def _date_of(document: Document):
    return document.document_date or document.meeting_date


def _field(instruction: str):
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )


def render_docx(document: Document) -> bytes:
    return _Writer(document).write()
