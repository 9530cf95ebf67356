"""PDF: WeasyPrint prints the same HTML page the browser shows.

Landscape sections, the running header and "Page X of Y" come from the page's
print CSS. :func:`html_to_pdf` needs no Django, so a worker process can lay
out the PDF while the web or job process writes the other formats.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import lru_cache

# WeasyPrint reports every CSS property it does not know (GOV.UK classes, -webkit-).
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _fetcher():
    """Fetch nothing from the network or the disk: documents carry their images inline."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=["data"], fail_on_errors=False)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a whole HTML page (its own CSS inline, no external resources)."""
    from weasyprint import HTML

    page = HTML(string=html, base_url=None, url_fetcher=_fetcher())
    return page.write_pdf(font_config=_font_config())


def exit_with(owner_pid: int, every: float = 2.0) -> None:
    """Worker initializer: end this worker when the process that started it has gone.

    A forkserver worker outlives a web process that is killed without clean-up;
    this keeps it from lingering.
    """

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(owner_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # alive, but another user's: not ours to judge
                continue

    threading.Thread(target=watch, name="pdf-worker-owner-watch", daemon=True).start()


def render_pdf(document) -> bytes:
    from goldenthread.documents.htmldoc import page

    return html_to_pdf(page(document))
