"""How long committee reports take: ``make bench``.

Prints the time to make the demo's Improvement Plan report (IP1920, 2019/20 Q1)
in each format, and the same for a generated plan of 2,000 actions with eight
quarters of updates. Everything happens in a throwaway SQLite database in a
temporary directory; the demo database in data/ is never touched.

Goal: the demo report in all four formats in under 2 seconds on a 2-core machine.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("html", "docx", "pdf", "xlsx")
GOAL_SECONDS = 2.0
RUNS = 3
GENERATED_ACTIONS = 2000
GENERATED_SECTIONS = 20
GENERATED_PERIODS = [
    f"{year}/{(year + 1) % 100:02d} Q{q}" for year in (2019, 2020) for q in (1, 2, 3, 4)
]
WORDS = [
    "review",
    "restructure",
    "procurement",
    "budget",
    "partner",
    "councils",
    "service",
    "plan",
    "delivery",
    "recruitment",
    "performance",
    "framework",
    "savings",
    "commissioning",
    "governance",
    "board",
    "oracle",
    "fusion",
    "programme",
    "implementation",
    "agreed",
    "timetable",
    "resources",
    "risk",
    "assessment",
    "milestone",
    "report",
    "committee",
]


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


def _seconds(started: float) -> float:
    return time.perf_counter() - started


Timing = tuple[float, float]  # (wall-clock seconds, CPU seconds of this process)


def _measure(work) -> tuple[object, Timing]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, (time.perf_counter() - wall, time.process_time() - cpu)


def _line(label: str, timing: Timing, note: str = "") -> None:
    wall, cpu = timing
    cpu_text = f"{cpu:7.3f} s" if cpu >= 0 else " " * 9
    print(f"  {label:<44} {wall:7.3f} s  {cpu_text}{('   ' + note) if note else ''}")


def _time_formats(build, *, runs: int, parallel: bool = True) -> dict[str, Timing]:
    """Median wall-clock and CPU seconds for building the document and for each format."""
    from goldenthread.documents import render

    timings: dict[str, list[Timing]] = {name: [] for name in ("build", *FORMATS, "parallel")}
    for _ in range(runs):
        document, timing = _measure(build)
        timings["build"].append(timing)
        for fmt in FORMATS:
            timings[fmt].append(_measure(partial(render.render, document, fmt))[1])
        if parallel:
            both = _measure(partial(render.render_all, document, FORMATS, parallel=True))[1]
            timings["parallel"].append((both[0], -1.0))  # the PDF's CPU is in the worker
    return {
        name: (
            statistics.median(t[0] for t in values),
            statistics.median(t[1] for t in values),
        )
        for name, values in timings.items()
        if values
    }


def _report(title: str, timings: dict[str, Timing], *, goal: bool) -> None:
    print(title)
    print(f"  {'':<44} {'elapsed':>9}  {'CPU':>9}")
    _line("data → document (queries and layout rules)", timings["build"])
    for fmt in FORMATS:
        _line(f"{fmt.upper():<4} file", timings[fmt])
    parts = ["build", *FORMATS]
    sequential = (sum(timings[p][0] for p in parts), sum(timings[p][1] for p in parts))
    _line("all four formats, one after another", sequential)
    if "parallel" in timings:
        both = (timings["build"][0] + timings["parallel"][0], -1.0)
        verdict = ""
        if goal:
            verdict = "meets the 2 s goal" if both[0] < GOAL_SECONDS else "MISSES the 2 s goal"
        _line("all four formats, PDF on the second core", both, verdict)
    print()


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"average {one:.1f} over 1 min, {five:.1f} over 5 min"


def _load_demo_plan():
    from django.contrib.auth import get_user_model

    from goldenthread.demo.loader import load_organisations, load_plan

    loader = get_user_model().objects.create(username="bench-loader")
    load_organisations(loader)
    return loader, load_plan("plan-improvement.yaml", loader)


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _generate_plan(loader):
    """2,000 actions in 20 services, each with an approved update in each of 8 quarters."""
    from django.db import transaction
    from django.utils import timezone

    from goldenthread.core.models import Organisation, Period
    from goldenthread.plans.models import Action, Plan, ProgressUpdate, Section

    rng = random.Random(2019)  # noqa: S311 - made-up benchmark text, not security
    now = timezone.now()
    with transaction.atomic():
        owner = Organisation.objects.get(code="ONESOURCE")
        plan = Plan.objects.create(
            code="GEN2000", title="Generated plan of 2,000 actions", kind="improvement", owner=owner
        )
        sections = Section.objects.bulk_create(
            Section(plan=plan, order=n, title=f"Service {n + 1:02d}", lead=f"Director {n + 1:02d}")
            for n in range(GENERATED_SECTIONS)
        )
        per_section = GENERATED_ACTIONS // GENERATED_SECTIONS
        actions = Action.objects.bulk_create(
            Action(
                plan=plan,
                section=sections[n // per_section],
                order=n,
                ref=f"G{n + 1:04d}",
                title=_sentence(rng, 25),
                outcome=_sentence(rng, 20),
                lead=f"Director {n // per_section + 1:02d}",
                target_date=date(2020 + n % 2, 1 + n % 12, 1),
            )
            for n in range(GENERATED_ACTIONS)
        )
        periods = [Period.objects.for_code(code) for code in GENERATED_PERIODS]
        statuses = ["G"] * 6 + ["A"] * 3 + ["R", "B"]
        ProgressUpdate.objects.bulk_create(
            (
                ProgressUpdate(
                    action=action,
                    period=period,
                    status=rng.choice(statuses),
                    progress=_sentence(rng, 40),
                    next_steps=_sentence(rng, 25),
                    state=ProgressUpdate.State.APPROVED,
                    submitted_by=loader,
                    submitted_on=now,
                )
                for action in actions
                for period in periods
            ),
            batch_size=2000,
        )
    return plan


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gt-bench-") as directory:
        started = time.perf_counter()
        _setup(Path(directory))
        from goldenthread.documents import render
        from goldenthread.documents.model import ReportRequest
        from goldenthread.plans.reports import build_progress

        loader, _ = _load_demo_plan()
        print(f"Golden Thread report benchmark ({os.cpu_count()} cores, load {_load()})")
        print("  CPU is this process's own time: it shows the work when other programs")
        print("  share the cores and stretch the elapsed times.")
        print(f"  set-up: throwaway database and demo plan in {_seconds(started):.1f} s\n")

        started = time.perf_counter()
        render.warm_up()  # start the PDF worker and load fonts, as a running server has
        demo_request = ReportRequest("IP1920", "2019/20 Q1", date(2019, 7, 12))
        first = build_progress(demo_request)
        cold = {fmt: render.render(first, fmt) for fmt in FORMATS}
        print(f"  first report after start (imports, fonts, templates): {_seconds(started):.1f} s")
        print(
            "  demo files: "
            + ", ".join(f"{fmt} {len(data) // 1024} KB" for fmt, data in cold.items())
            + "\n"
        )

        timings = _time_formats(partial(build_progress, demo_request), runs=RUNS)
        _report(
            f"Demo Improvement Plan report, IP1920 2019/20 Q1, 45 actions (median of {RUNS}):",
            timings,
            goal=True,
        )

        started = time.perf_counter()
        _generate_plan(loader)
        print(f"  generated 2,000 actions × 8 quarters of updates in {_seconds(started):.1f} s\n")
        generated_request = ReportRequest("GEN2000", GENERATED_PERIODS[-1], date(2021, 4, 30))
        timings = _time_formats(partial(build_progress, generated_request), runs=1, parallel=False)
        document = build_progress(generated_request)
        rows = sum(len(t.rows) for t in document.tables)
        _report(
            f"Generated plan, 2,000 actions, 8 periods of updates ({rows} table rows):",
            timings,
            goal=False,
        )
        _time_pages("GEN2000")
        _time_plan_page("GEN2000")


def _time_pages(plan_code: str) -> None:
    """The pages an officer opens most, over the generated plan, as an administrator."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from goldenthread.core.models import Period, Post, RoleGrant
    from goldenthread.plans.models import Action, Plan

    user, _ = get_user_model().objects.get_or_create(username="bench-administrator")
    RoleGrant.objects.get_or_create(user=user, role="administrator", partner=None)
    # A round under way: the quarter after the last updates is open, each service's
    # director holds the post that leads its actions.
    plan = Plan.objects.get(code=plan_code)
    plan.reporting_period = Period.objects.for_code("2021/22 Q1")
    plan.save()
    links = []
    for section in plan.sections.all():
        post = Post.objects.create(title=f"Bench {section.lead}")
        post.holders.add(
            get_user_model().objects.create(
                username=f"bench-{section.order}", email=f"lead{section.order}@example.org"
            )
        )
        links += [
            Action.lead_posts.through(action_id=pk, post_id=post.pk)
            for pk in section.actions.values_list("pk", flat=True)
        ]
    Action.lead_posts.through.objects.bulk_create(links)
    client = Client()
    client.force_login(user)
    print("Pages with the generated plan loaded (one request each, after one to warm up):")
    for label, url in [
        ("home: plans at a glance", "/"),
        ("plan page, latest period", f"/plans/{plan_code}/"),
        ("update round", f"/plans/{plan_code}/round/"),
    ]:
        client.get(url)
        response, timing = _measure(lambda url=url: client.get(url))
        _line(f"{label} ({response.status_code})", timing)
    print()


PAGE_RUNS = 7
PAGE_GOAL_SECONDS = 0.2


def _median_request(client, url: str, runs: int = PAGE_RUNS) -> tuple[int, Timing, int]:
    """Status, median wall-clock and CPU seconds, and the queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates compiled, the chart drawn once
    timings = []
    for _ in range(runs):
        response, timing = _measure(lambda: client.get(url))
        timings.append(timing)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    median = (
        statistics.median(t[0] for t in timings),
        statistics.median(t[1] for t in timings),
    )
    return response.status_code, median, len(queries)


def _time_plan_page(plan_code: str) -> None:
    """The plan page's first page of results and the dashboards, over the generated plan
    with its eight quarters published, as an administrator and as a partner's reader."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from goldenthread.core.models import Organisation, Period, RoleGrant
    from goldenthread.plans.models import Plan, PlanPeriod

    plan = Plan.objects.get(code=plan_code)
    PlanPeriod.objects.bulk_create(
        PlanPeriod(plan=plan, period=Period.objects.for_code(code), state="published")
        for code in GENERATED_PERIODS
    )
    admin = get_user_model().objects.get(username="bench-administrator")
    reader, _ = get_user_model().objects.get_or_create(username="bench-reader")
    partner = Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("code").first()
    RoleGrant.objects.get_or_create(user=reader, role="reader", partner=partner)
    shared = Organisation.objects.filter(kind=Organisation.Kind.SHARED_SERVICE).first()
    latest = GENERATED_PERIODS[-1].replace("/", "%2F").replace(" ", "+")
    base = f"/plans/{plan_code}/"
    pages = [
        ("admin", "plan page, first 50 of 2,000 (latest quarter)", f"{base}?period={latest}"),
        ("admin", "plan page, open round (no updates yet)", base),
        (
            "admin",
            "plan page, filtered: red, sorted by status",
            f"{base}?period={latest}&status=R&sort=status",
        ),
        ("admin", "plan page, search 'oracle fusion'", f"{base}?period={latest}&q=oracle+fusion"),
        ("admin", "plan page, page 30", f"{base}?period={latest}&page=30"),
        ("reader", f"plan page as a {partner.code} reader", base),
        ("admin", "plan export, CSV of red actions", f"{base}export.csv?period={latest}&status=R"),
        ("admin", f"dashboard, {shared.code}", f"/dashboards/{shared.code}/"),
        ("reader", f"dashboard, {partner.code}, as its reader", f"/dashboards/{partner.code}/"),
    ]
    clients = {"admin": Client(), "reader": Client()}
    clients["admin"].force_login(admin)
    clients["reader"].force_login(reader)
    print(
        f"Plan page and dashboards with the generated plan (median of {PAGE_RUNS}, after one "
        "to warm up;"
    )
    print(f"  goal: the plan page's first page in under {PAGE_GOAL_SECONDS * 1000:.0f} ms):")
    for who, label, url in pages:
        status, timing, queries = _median_request(clients[who], url)
        note = f"{queries} queries"
        if label.startswith("plan page, first 50"):
            goal = f"the {PAGE_GOAL_SECONDS * 1000:.0f} ms goal"
            if timing[0] <= PAGE_GOAL_SECONDS:
                note += f", meets {goal}"
            elif timing[1] <= PAGE_GOAL_SECONDS:
                note += f", meets {goal} in CPU time (elapsed stretched by load: {_load()})"
            else:
                note += f", MISSES {goal}"
        _line(f"{label} ({status})", timing, note)
    print()


if __name__ == "__main__":
    main()
