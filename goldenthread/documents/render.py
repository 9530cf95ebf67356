"""One entry point for every format: ``render(document, "docx")``.

The renderers print what the document says; no format holds business logic.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from goldenthread.documents.model import Document

FORMATS: dict[str, tuple[str, str, str]] = {
    # format: (file extension, content type, name shown to users)
    "html": ("html", "text/html; charset=utf-8", "Web page (HTML)"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "pdf": ("pdf", "application/pdf", "PDF"),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
    ),
}


class UnknownFormat(ValueError):
    pass


def _check(fmt: str) -> tuple[str, str, str]:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UnknownFormat(
            f"{fmt!r} is not a document format: use one of {', '.join(FORMATS)}."
        ) from None


def content_type(fmt: str) -> str:
    return _check(fmt)[1]


def extension(fmt: str) -> str:
    return _check(fmt)[0]


def label(fmt: str) -> str:
    return _check(fmt)[2]


def render(document: Document, fmt: str) -> bytes:
    """The document in one format, as the bytes of the file."""
    _check(fmt)
    if fmt == "html":
        from goldenthread.documents.htmldoc import page

        return page(document).encode("utf-8")
    if fmt == "docx":
        from goldenthread.documents.word import render_docx

        return render_docx(document)
    if fmt == "pdf":
        from goldenthread.documents.pdf import render_pdf

        return render_pdf(document)
    from goldenthread.documents.excel import render_xlsx

    return render_xlsx(document)


# -- every format at once, on two cores ------------------------------------------------------

_pool = None
_pool_lock = threading.Lock()


def _worker_pool():
    """One long-lived worker for PDF layout, forked from a clean forkserver."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from goldenthread.documents.pdf import exit_with

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["goldenthread.documents.pdf", "weasyprint"])
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=exit_with,
                initargs=(os.getpid(),),
            )
        return _pool


def warm_up() -> None:
    """Start the PDF worker and load its fonts (the first PDF otherwise pays for it)."""
    from goldenthread.documents.pdf import html_to_pdf

    _worker_pool().submit(html_to_pdf, "<p>warm</p>").result(timeout=120)


def render_all(
    document: Document,
    formats: tuple[str, ...] = tuple(FORMATS),
    *,
    parallel: bool = True,
    on_done: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """Every format of one document. With ``parallel`` the PDF is laid out in a worker
    process while this process writes the others, so a pack takes about as long as its PDF.
    The files are the same either way. ``on_done(fmt)`` is called as each format is ready."""

    def done(fmt: str) -> None:
        if on_done is not None:
            on_done(fmt)

    for fmt in formats:
        _check(fmt)
    results: dict[str, bytes] = {}
    pending = None
    if "pdf" in formats:
        from goldenthread.documents.htmldoc import page
        from goldenthread.documents.pdf import html_to_pdf

        html = page(document)
        if "html" in formats:
            results["html"] = html.encode("utf-8")
            done("html")
        if parallel:
            try:
                pending = _worker_pool().submit(html_to_pdf, html)
            except (OSError, RuntimeError, BrokenProcessPool):
                pending = None
        if pending is None:
            results["pdf"] = html_to_pdf(html)
            done("pdf")
    for fmt in formats:
        if fmt not in results and fmt != "pdf":
            results[fmt] = render(document, fmt)
            done(fmt)
    if pending is not None:
        try:
            results["pdf"] = pending.result(timeout=600)
        except BrokenProcessPool:
            _reset_pool()
            results["pdf"] = html_to_pdf(html)
        done("pdf")
    return {fmt: results[fmt] for fmt in formats}


def _reset_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
