"""The demo holds every indicator of seed 001 Appendix 1 exactly as written, and its
generated actuals are the same on every run; the exception report of a demo quarter lists
exactly the indicators the RAG function calls red or amber."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from goldenthread.core.models import Period
from goldenthread.demo.loader import load_organisations
from goldenthread.documents.model import ReportRequest, RowKind
from goldenthread.performance import demo, reading, reports, rules
from goldenthread.performance.models import Actual, ComparatorValue, Indicator, SignOff

SEED = Path(__file__).with_name("seed_001_appendix1.txt")

# The seed's first column is a vertically merged service name that the extraction broke
# into stray letters; these rows of the operational table carry a legible piece of it.
SERVICE_LABELS = {
    2: ("ICT", "ICT"),
    6: ("НКОD", "HROD"),  # "HROD" extracted in Cyrillic look-alike letters
    13: ("Asset Management", "AM"),
    34: ("Exchequer and Transaction", "ET"),
    47: ("Strategic and Operational Finance", "FP"),
    56: ("Legal and Governance", "LG"),
}
# The rows each service spans (1-based, in the seed's order).
SERVICE_ROWS = {
    "ICT": (1, 3),
    "HROD": (4, 7),
    "AM": (8, 28),
    "ET": (29, 43),
    "FP": (44, 49),
    "LG": (50, 61),
}


def seed_tables() -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """(name, target) of the strategic table; (first column, area, name, target) of the
    operational table, read from the verbatim extract of the seed."""
    strategic, operational = [], []
    section = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("Strategic Indicators"):
            section = "strategic"
        elif line.startswith("Operational Indicators"):
            section = "operational"
        if "\t" not in line or "2019/20 Target" in line:
            continue
        cells = line.split("\t")
        if section == "strategic":
            strategic.append((cells[0].strip(), cells[1].strip()))
        else:
            operational.append(tuple(c.strip() for c in cells))
    return strategic, operational


@pytest.fixture
def loader_user(db):
    user = get_user_model().objects.create(username="demo-loader")
    load_organisations(user)
    return user


def test_the_seed_table_has_4_strategic_and_61_operational_rows():
    strategic, operational = seed_tables()
    assert len(strategic) == 4
    # The seed's prose says "There are 73 operational indicators"; its table lists 61.
    assert len(operational) == 61
    for number, (label, _code) in SERVICE_LABELS.items():
        assert label in operational[number - 1][0]


def test_the_demo_holds_every_indicator_as_the_seed_writes_it(loader_user):
    demo.load_indicators(loader_user)
    strategic, operational = seed_tables()
    loaded = Indicator.objects.prefetch_related("targets").select_related("service")
    got_strategic = [
        (i.name, i.targets.get(year=2019).text)
        for i in loaded.filter(level="strategic").order_by("order")
    ]
    assert got_strategic == strategic
    got = [
        (i.service.code, i.service_area, i.name, i.targets.get(year=2019).text)
        for i in loaded.filter(level="operational").order_by("order")
    ]
    expected = []
    for number, (_margin, area, name, target) in enumerate(operational, start=1):
        service = next(c for c, (first, last) in SERVICE_ROWS.items() if first <= number <= last)
        expected.append((service, area, name, target))
    assert got == expected
    assert Indicator.objects.count() == 4 + 61
    for number, (_label, code) in SERVICE_LABELS.items():
        assert got[number - 1][0] == code


def test_the_demo_targets_are_read_as_the_seed_means_them(loader_user):
    demo.load_indicators(loader_user)
    nndr = Indicator.objects.get(ref="ET-06").targets.get().parsed
    assert [(p.partner, str(p.value)) for p in nndr.parts] == [("LBH", "98.70"), ("LBN", "99.6")]
    unrated = Indicator.objects.filter(
        targets__text__in=["TBD", "TBC", "Reactive", "As much as possible during the year"]
    )
    assert unrated.count() == 14  # 10 TBD, 1 TBC, 1 Reactive, 2 as much as possible
    assert all(t.parsed.parts[0].value is None for i in unrated for t in i.targets.all())


def _fingerprint() -> str:
    """A digest of every generated actual, written the same on SQLite and PostgreSQL."""
    rows = Actual.objects.order_by(
        "indicator__ref", "partner__code", "period__year", "period__number"
    ).values_list(
        "indicator__ref",
        "partner__code",
        "period__year",
        "period__number",
        "value",
        "denominator",
        "reason",
        "remedial_action",
    )
    text = "\n".join(
        "|".join("" if v is None else f"{v:.4f}" if isinstance(v, Decimal) else str(v) for v in row)
        for row in rows
    )
    return hashlib.sha256(text.encode()).hexdigest()


def test_demo_actuals_are_generated_once_marked_and_the_same_every_run(loader_user):
    demo.load(loader_user, lambda message: None)
    first = _fingerprint()
    count = Actual.objects.count()
    # 61 quarterly lines' 8 quarters, the strategic ones only when due (SI-1 Q2 and Q4,
    # SI-2/3/4 Q4): 752 before frequencies were enforced, 28 fewer now.
    assert count == 724 and not Actual.objects.filter(demonstration=False).exists()
    assert demo.load_actuals(loader_user) == 0  # idempotent: nothing generated twice
    assert (Actual.objects.count(), _fingerprint()) == (count, first)
    assert first == EXPECTED_FINGERPRINT  # the same values on every run and machine
    assert SignOff.objects.count() == 16
    assert ComparatorValue.objects.filter(demonstration=True).count() == 65
    q1 = Period.objects.for_code("2019/20 Q1")
    red = [
        line
        for line in reading.lines(reading.with_lines(Indicator.objects.all()), q1)
        if line.status is rules.RED
    ]
    assert red and all(line.reason and line.remedial_action for line in red)


EXPECTED_FINGERPRINT = "574d0e2e5e1d0dfd9d86e03f8296381445f3c9004866e098c914a3ca3d423a6c"


def test_the_exception_report_lists_exactly_the_red_and_amber_lines(loader_user, people):
    demo.load_indicators(loader_user)
    demo.load_actuals(loader_user, periods=["2019/20 Q1", "2019/20 Q2"])
    period = Period.objects.for_code("2019/20 Q2")
    expected = set()
    not_due = 0
    for indicator in Indicator.objects.prefetch_related("partners", "targets"):
        if not rules.is_due(indicator.frequency, period.key):
            not_due += len(reading.lines_of(indicator))
            continue
        for partner in reading.lines_of(indicator):
            held = Actual.objects.get(indicator=indicator, period=period, partner=partner)
            card = reading.Scorecard([indicator], [2018, 2019])
            ytd = card.year_to_date(indicator, partner, period.key)
            status = card.assess(indicator, partner, period.key, held.value, year_to_date=ytd)
            if status.status.code in ("R", "A"):
                expected.add((indicator.ref, reading.partner_label(partner), status.status.label))
    document = reports.build_exception_report(
        ReportRequest(subject="S151", period="2019/20 Q2", user=people["admin"])
    )
    table = next(t for t in document.tables if t.name == "Exceptions")
    listed = {
        (row.cells[0].text, row.cells[2].text, row.cells[5].text)
        for row in table.rows
        if row.kind is RowKind.BODY
    }
    assert expected and listed == expected
    summary = next(t for t in document.tables if t.name == "Summary")
    total = summary.rows[-1].cells
    assert [c.text for c in total[2:4]] == [
        str(sum(1 for e in expected if e[2] == "Amber")),
        str(sum(1 for e in expected if e[2] == "Red")),
    ]
    # SI-2, SI-3 and SI-4 (4 lines) are annual: not due in Q2, so not "No actual" either.
    assert not_due == 4
    assert (total[5].text, total[6].text) == (
        "0",
        str(Actual.objects.filter(period=period).count()),
    )
    assert "4 more are not due this period" in document.sections[0].blocks[0].text


def test_the_demo_generates_actuals_only_for_periods_their_frequency_takes(loader_user):
    demo.load_indicators(loader_user)
    demo.load_actuals(loader_user)
    taken = {
        (a.indicator.ref, a.period.code)
        for a in Actual.objects.select_related("indicator", "period")
        if a.indicator.frequency != "quarterly"
    }
    assert {code for ref, code in taken if ref == "SI-1"} == {
        "2018/19 Q2",
        "2018/19 Q4",
        "2019/20 Q2",
        "2019/20 Q4",
    }
    assert {code for ref, code in taken if ref == "SI-3"} == {"2018/19 Q4", "2019/20 Q4"}
    assert all(
        rules.is_due(a.indicator.frequency, a.period.key)
        for a in Actual.objects.select_related("indicator", "period")
    )
