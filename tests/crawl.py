"""A bounded crawler over the site with Django's test client.

From the home page it follows every same-site ``<a href>`` a signed-in user is shown,
GET only, breadth first, and records each answer. To stay fast on a demo with hundreds
of items it samples: at most ``per_pattern`` addresses of one shape (``/actions/N/``),
at most ``per_path`` query strings of one address (a plan page's filters and sorts),
and, unless ``all_formats``, one format of a download offered in several (the PDF, Word
and Excel of one report differ only in the renderer, which has tests of its own).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.test import Client

# Signing out would end the crawl's session; the set-up screens are Django's admin.
SKIPPED_PREFIXES = ("/sign-out/", "/setup/", "/static/")
DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx|csv|html)$")
FORMAT_PARAMETERS = {"format", "fmt"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str, base: str) -> list[str]:
    """The same-site addresses (path and query) of the page's ``<a href>`` links."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        absolute, _ = urldefrag(urljoin(f"http://testserver{base}", href))
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


# Cheapest first: of a download offered in several formats, the crawl fetches the first seen.
FORMAT_COST = {"html": 0, "csv": 1, "xlsx": 2, "docx": 3, "pdf": 4}


def format_cost(url: str) -> int:
    parts = urlsplit(url)
    ext = DOWNLOAD.search(parts.path)
    fmt = ext.group(1) if ext else dict(parse_qsl(parts.query)).get("format", "")
    return FORMAT_COST.get(fmt, 0)


def shape(path: str) -> str:
    """``/actions/12/`` → ``/actions/N/``, ``/indicators/ET-06/`` → ``/indicators/N/``:
    addresses of one kind of page (a part with a number in it names one item)."""
    return "/".join("N" if re.search(r"\d", part) else part for part in path.split("/"))


def download_key(url: str) -> tuple[str, tuple] | None:
    """The same for every format of one download; None for a page."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not DOWNLOAD.search(parts.path) and not any(k in FORMAT_PARAMETERS for k, _ in query):
        return None
    rest = tuple(sorted((k, v) for k, v in query if k not in FORMAT_PARAMETERS))
    return DOWNLOAD.sub("", parts.path), rest


@dataclass
class Crawl:
    """What a crawl fetched and what it found wrong: ``(address, status, linked from)``."""

    visited: dict[str, int] = field(default_factory=dict)
    broken: list[tuple[str, int, str]] = field(default_factory=list)
    forbidden: list[tuple[str, int, str]] = field(default_factory=list)


def crawl(
    client: Client,
    *,
    start: str = "/",
    limit: int = 300,
    per_pattern: int = 8,
    per_path: int = 2,
    all_formats: bool = False,
) -> Crawl:
    """Breadth-first from ``start``: same site, GET only, at most ``limit`` fetches."""
    result = Crawl()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    seen = {start}
    paths_of_shape: dict[str, set[str]] = {}
    queries_of_path: Counter[str] = Counter()
    downloads: set[tuple] = set()

    def wanted(url: str) -> bool:
        if url in seen or url.startswith(SKIPPED_PREFIXES):
            return False
        path, _, query = url.partition("?")
        paths = paths_of_shape.setdefault(shape(path), set())
        if path not in paths and len(paths) >= per_pattern:
            return False
        if query and queries_of_path[path] >= per_path:
            return False
        key = download_key(url)
        if key is not None and not all_formats:
            if key in downloads:
                return False
            downloads.add(key)
        paths.add(path)
        if query:
            queries_of_path[path] += 1
        return True

    while queue and len(result.visited) < limit:
        url, referrer = queue.popleft()
        response = client.get(url)
        status = response.status_code
        result.visited[url] = status
        if status == 404 or status == 400 or status >= 500:
            result.broken.append((url, status, referrer))
        elif status == 403:
            result.forbidden.append((url, status, referrer))
        if status != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        if response.get("Content-Disposition", "").startswith("attachment"):
            continue
        for link in sorted(links_in(response.content.decode(), url), key=format_cost):
            if wanted(link):
                seen.add(link)
                queue.append((link, url))
    return result
