"""A rendered document as a download."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpResponse

from goldenthread.documents import cells
from goldenthread.documents.model import Document
from goldenthread.documents.render import content_type, extension, render

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_stem(text: str) -> str:
    """A file name stem without spaces, slashes or quotes: ``IP1920-2019-20-Q1``."""
    return _UNSAFE.sub("-", text).strip("-.") or "document"


def file_response(data: bytes, fmt: str, filename_stem: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type(fmt))
    name = f"{safe_stem(filename_stem)}.{extension(fmt)}"
    disposition = "inline" if fmt in ("html", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(document: Document, fmt: str, filename_stem: str) -> HttpResponse:
    """Render ``document`` in ``fmt`` and return it as a file named ``<stem>.<ext>``."""
    return file_response(render(document, fmt), fmt, filename_stem)


def table_download(
    header: list[str],
    rows: Iterable[Iterable[Any]],
    fmt: str,
    filename_stem: str,
    *,
    sheet_title: str,
) -> HttpResponse:
    """A table as a CSV or Excel download, every cell through :mod:`cells`: never a formula."""
    if fmt == "csv":
        response = HttpResponse(
            cells.csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            cells.xlsx_bytes(header, rows, title=sheet_title), content_type=content_type("xlsx")
        )
    else:
        raise Http404("Tables download as csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{safe_stem(filename_stem)}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
