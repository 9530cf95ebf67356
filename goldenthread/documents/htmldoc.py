"""HTML for a document: a fragment for the app's pages, a whole page for download and PDF.

The page carries its own print CSS (A4 pages, landscape pages for wide
sections, a running header with the committee and meeting date, "Page X of
Y"), so the browser's print, the HTML download and the WeasyPrint PDF are one
rendering.
"""

from __future__ import annotations

import base64
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from goldenthread.documents import charts
from goldenthread.documents.model import (
    Align,
    BulletList,
    Chart,
    Contents,
    Document,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    RowKind,
    Table,
)

CSS_PATH = Path(__file__).resolve().parent / "static" / "documents" / "document.css"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def long_date(day: date | None) -> str:
    """``12 July 2019``: the committee papers' date form."""
    return f"{day.day} {day:%B %Y}" if day else ""


def header_text(document: Document) -> str:
    """What the running header says: the committee and the meeting date (else the title)."""
    parts = [document.committee, long_date(document.meeting_date)]
    return " – ".join(p for p in parts if p) or document.title


def css_string(text: str) -> str:
    """A CSS string literal holding ``text`` (for ``content:`` in page margins)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3C ")  # never close the <style> element
    return f'"{escaped}"'


def _table(table: Table, number: int) -> dict:
    total = sum(c.width for c in table.columns) or 1
    columns = [
        {
            "title": c.title,
            "width": round(100 * c.width / total, 2),
            "numeric": c.align is Align.RIGHT,
        }
        for c in table.columns
    ]
    rows = []
    for row in table.rows:
        cells = []
        for index, cell in enumerate(row.cells):
            align = cell.align if cell.align is not Align.LEFT else table.columns[index].align
            classes = []
            if cell.tone is not None:
                classes.append(f"gt-tone gt-tone--{cell.tone.value}")
            if align is Align.RIGHT:
                classes.append("gt-num")
            elif align is Align.CENTRE:
                classes.append("gt-centre")
            if cell.bold:
                classes.append("gt-bold")
            cells.append(
                {
                    "text": cell.text,
                    "tone": cell.tone.value if cell.tone else "",
                    "colspan": cell.colspan,
                    "classes": " ".join(classes),
                }
            )
        rows.append({"kind": row.kind.value, "cells": cells, "group": row.kind is RowKind.GROUP})
    return {
        "type": "table",
        "id": f"table-{number}",
        "caption": table.caption,
        "columns": columns,
        "rows": rows,
        "wide": len(table.columns) > 5,
    }


def chart_data_uri(chart: Chart) -> str:
    encoded = base64.b64encode(charts.svg(chart).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _block(block, number: int) -> dict:
    if isinstance(block, Heading):
        return {"type": "heading", "level": min(max(block.level, 1), 6), "text": block.text}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "bold": block.bold, "small": block.small}
    if isinstance(block, BulletList):
        return {"type": "bullets", "items": block.items}
    if isinstance(block, Contents):
        return {"type": "bullets", "items": tuple(text for text, _ in block.entries)}
    if isinstance(block, KeyValues):
        return {"type": "keyvalues", "pairs": block.pairs}
    if isinstance(block, Table):
        return _table(block, number)
    if isinstance(block, Chart):
        return {
            "type": "chart",
            "title": block.title,
            "description": block.description,
            "src": chart_data_uri(block),
        }
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    raise TypeError(f"Cannot print a {type(block).__name__} block.")


def context(document: Document) -> dict:
    """What the templates print: plain dicts, decided here once."""
    sections = []
    number = 0
    for section in document.sections:
        blocks = []
        for block in section.blocks:
            number += 1
            blocks.append(_block(block, number))
        sections.append({"title": section.title, "landscape": section.landscape, "blocks": blocks})
    return {
        "document": document,
        "title": document.title,
        "subtitle": document.subtitle,
        "committee": document.committee,
        "meeting_date": long_date(document.meeting_date),
        "document_date": document.document_date,
        "sections": sections,
        "header": header_text(document),
    }


def fragment(document: Document, *, show_header: bool = True) -> SafeString:
    """The document as an ``<article>`` for an app page (link ``documents/document.css``)."""
    return mark_safe(  # noqa: S308 - rendered by an autoescaping template
        render_to_string(
            "documents/_document.html", {**context(document), "show_header": show_header}
        )
    )


def page(document: Document) -> str:
    """The whole HTML page: what is downloaded, printed, and turned into the PDF."""
    data = context(document)
    return render_to_string(
        "documents/document.html",
        {
            **data,
            "show_header": True,
            "css": mark_safe(stylesheet()),  # noqa: S308 - our own file
            "header_css": mark_safe(css_string(data["header"])),  # noqa: S308 - escaped above
            "title_css": mark_safe(css_string(document.title)),  # noqa: S308 - escaped above
        },
    )
