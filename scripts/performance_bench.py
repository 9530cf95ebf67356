"""How fast the indicator rules, the demo and the indicator pages are.

``.venv/bin/python scripts/performance_bench.py`` prints: RAG assessments per
second, the demo's load time, the time and query count of each indicator page
and report on the full demo (65 indicators, 752 actuals), and the exception
report in each format. Everything happens in a throwaway SQLite database in a
temporary directory; the demo database in data/ is never touched.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _setup(directory: Path) -> None:
    # The benchmark's own database: set before Django reads its settings.
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["GT_DATA_DIR"] = str(directory)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}")


def bench_rules() -> None:
    from goldenthread.performance import rules

    target = rules.parse_target(">90%", "percent").parts[0]
    tolerance = rules.Tolerance(rules.ToleranceKind.ABSOLUTE, Decimal(5))
    values = [Decimal(v) / 10 for v in range(600, 1000)]
    started = time.perf_counter()
    count = 0
    for _ in range(50):
        for value in values:
            rules.assess(value, target, polarity="higher", unit="percent", tolerance=tolerance)
            count += 1
    seconds = time.perf_counter() - started
    print("Rules")
    _line("RAG assessments per second", f"{count / seconds:,.0f}")
    started = time.perf_counter()
    for _ in range(2000):
        rules.parse_target("98.70% (LBH) 99.6% (LBN)", "percent")
    _line("targets read per second", f"{2000 / (time.perf_counter() - started):,.0f}")
    print()


def bench_demo():
    from django.contrib.auth import get_user_model

    from goldenthread.demo.loader import load_organisations, load_people
    from goldenthread.performance import demo
    from goldenthread.performance.models import Actual

    loader = get_user_model().objects.create(username="bench-loader")
    load_organisations(loader)
    load_people("bench-password-not-secret")
    print("Demo")
    started = time.perf_counter()
    demo.load(loader, lambda message: None)
    _line(
        "first load (65 indicators, actuals, sign-offs, benchmarks)",
        f"{time.perf_counter() - started:.2f} s",
    )
    started = time.perf_counter()
    demo.load(loader, lambda message: None)
    _line("second load (nothing new to generate)", f"{time.perf_counter() - started:.2f} s")
    _line("demonstration actuals", str(Actual.objects.filter(demonstration=True).count()))
    print()


def bench_pages() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    print("Pages on the full demo (median of 5 runs)")
    for username in ("performance", "cllr.bexley"):
        client.force_login(get_user_model().objects.get(username=username))
        for url in (
            "/indicators/?period=2019/20 Q2",
            "/indicators/exceptions/?period=2019/20 Q2",
            "/indicators/strategic/?year=2019/20",
            "/indicators/ET-06/?period=2019/20 Q2",
            "/indicators/services/ET/?period=2019/20 Q2&partner=LBH",
        ):
            client.get(url)
            timings = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    status = client.get(url).status_code
                    timings.append(time.perf_counter() - started)
            median = statistics.median(timings) * 1000
            _line(
                f"{username:<12} {url}"[:58],
                f"{status} {median:6.0f} ms {len(queries.captured_queries):3} queries",
            )
    print()


def bench_formats() -> None:
    from django.contrib.auth import get_user_model

    from goldenthread.documents.model import ReportRequest
    from goldenthread.documents.render import render
    from goldenthread.performance import reports

    user = get_user_model().objects.get(username="performance")
    request = ReportRequest(subject="S151", period="2019/20 Q2", user=user)
    print("Exception report 2019/20 Q2, every partner")
    started = time.perf_counter()
    document = reports.build_exception_report(request)
    _line("data → document", f"{time.perf_counter() - started:.3f} s")
    for fmt in ("html", "docx", "pdf", "xlsx"):
        started = time.perf_counter()
        size = len(render(document, fmt))
        _line(f"{fmt.upper()} file ({size:,} bytes)", f"{time.perf_counter() - started:.3f} s")


def main() -> None:
    logging.disable(logging.WARNING)  # the readers' expected 403s are not news
    with tempfile.TemporaryDirectory() as directory:
        _setup(Path(directory))
        bench_rules()
        bench_demo()
        bench_pages()
        bench_formats()


if __name__ == "__main__":
    main()
