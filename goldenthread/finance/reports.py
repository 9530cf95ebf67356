"""The finance committee reports in the seeds' layout, as rendering-model documents.

Outturn (shared by service with each partner's part, non-shared per partner,
the reserve statement), forecast against budget with a chart per service,
the base budget, and the shared savings (Tables 1-3 of seed 001, the
potential savings, delivery and the split by contribution). Figures are
formatted here: £m to three decimals, £ with thousands separators, under-
spends and savings in brackets.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from goldenthread.core.models import Organisation
from goldenthread.core.periods import PeriodKey, PeriodKind
from goldenthread.documents.model import (
    BulletList,
    Chart,
    Column,
    Document,
    Paragraph,
    ReportKind,
    ReportRequest,
    Row,
    RowKind,
    Section,
    Series,
    Table,
    Tone,
)
from goldenthread.finance import access, reading, rules, tracker
from goldenthread.finance.models import Forecast
from goldenthread.finance.report_parts import (
    COMMITTEE,
    ReportError,
    document,
    gbp,
    m,
    num_column,
    pct,
    short_name,
    text,
    viewer,
    year_of,
)
from goldenthread.finance.savings_report import build_savings

ZERO = Decimal(0)
__all__ = ["BUILDERS", "COMMITTEE", "REPORT_KINDS", "ReportError"]

# --- Outturn --------------------------------------------------------------------------------


def _partner_split_sentence(amounts: dict[Organisation, Decimal]) -> str:
    parts = [f"{rules.millions(v)} to {short_name(p)}" for p, v in amounts.items()]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def _direction(amount: Decimal | None) -> str:
    if amount is None or amount == 0:
        return "a nil variance"
    return "an underspend" if amount < 0 else "an overspend"


def shared_outturn_table(view: reading.OutturnView) -> Table:
    partners = view.shared.partners
    with_budget = any(r.budget is not None for r in view.shared.rows)
    columns = [Column("Service", 2.6)]
    if with_budget:
        columns += [num_column("Budget £m"), num_column("Outturn £m")]
    columns.append(num_column("Over/(under) spend £m"))
    columns += [num_column(f"{short_name(p)} £m") for p in partners]
    rows = []
    for row in view.shared.rows:
        cells = [text(row.name)]
        if with_budget:
            cells += [m(row.budget), m(row.actual)]
        cells.append(m(row.variance))
        cells += [m(row.part(p)) if p in row.parts else text("") for p in partners]
        rows.append(Row(tuple(cells)))
    block = view.shared
    total = [text("Total", bold=True)]
    if with_budget:
        total += [m(block.budget, bold=True), m(block.actual, bold=True)]
    total.append(m(block.variance, bold=True))
    total += [m(block.part_total(p), bold=True) for p in partners]
    rows.append(Row(tuple(total), RowKind.TOTAL))
    return Table(
        tuple(columns),
        tuple(rows),
        caption=f"Shared {view.label} outturn by service, split between the partners",
        name="Shared outturn",
    )


def transfer_table(view: reading.OutturnView) -> Table:
    moved = view.transferred
    rows = [
        Row(
            (
                text(short_name(p)),
                m(amount),
                text("Transferred" if p in moved else "Not material: not transferred"),
            )
        )
        for p, amount in view.shared.by_partner.items()
    ]
    rows.append(
        Row((text("Total", bold=True), m(view.shared.variance, bold=True), text("")), RowKind.TOTAL)
    )
    return Table(
        (Column("Partner", 2), num_column("Share of the shared outturn £m"), Column("Reserve", 2)),
        tuple(rows),
        caption=f"Each partner's share of the {view.label} shared outturn and its reserve",
        name="Shares",
    )


def non_shared_table(view: reading.OutturnView) -> Table:
    rows = []
    for row in view.non_shared.rows:
        who = short_name(row.line.partner) if row.line.partner else "All partners together"
        rows.append(Row((text(who), text(row.name), m(row.variance))))
    rows.append(
        Row(
            (text("Total", bold=True), text(""), m(view.non_shared.variance, bold=True)),
            RowKind.TOTAL,
        )
    )
    return Table(
        (Column("Partner", 1.5), Column("Area", 3), num_column("Over/(under) spend £m")),
        tuple(rows),
        caption=f"Non-shared {view.label} outturn per partner",
        name="Non-shared outturn",
    )


def reserve_table(view: reading.ReserveView) -> Table:
    partners = view.partners
    columns = (
        Column("", 3),
        *[num_column(f"{short_name(p)} £") for p in partners],
        num_column("Total £"),
    )
    end = PeriodKey(view.year, PeriodKind.YEAR).end

    def row(label: str, values: dict, kind: RowKind = RowKind.BODY) -> Row:
        bold = kind is RowKind.TOTAL
        cells = [gbp(values.get(p, ZERO), bold=bold) for p in partners]
        total = gbp(view.total({p: values.get(p, ZERO) for p in partners}), bold=bold)
        return Row((text(label, bold=bold), *cells, total), kind)

    rows = [row(f"Balance at 1 April {view.year}", view.brought_forward)]
    rows.append(row(f"Share of the {view.label} shared outturn transferred", view.transfers))
    if any(view.other.values()):
        rows.append(row("Other movements", view.other))
    rows.append(row(f"Closing balance as at {end:%-d %B %Y}", view.closing, RowKind.TOTAL))
    return Table(columns, tuple(rows), caption="oneSource reserve", name="Reserves")


def trend_chart(user, year: int) -> Chart | None:
    """Forecast (latest month) and outturn against budget for each shared service."""
    months, trend = reading.forecast_trend(user, year)
    if not trend:
        return None
    latest = months[-1] if months else None
    categories = tuple(row.area.label for row in trend)

    def as_m(value: Decimal | None) -> float:
        return float(((value or ZERO) / Decimal(1_000_000)).quantize(Decimal("0.001")))

    series = []
    if latest is not None:
        series.append(
            Series(
                f"Forecast at P{latest}",
                tuple(as_m(r.by_month.get(latest)) for r in trend),
                Tone.BLUE,
            )
        )
    series.append(Series("Outturn", tuple(as_m(r.outturn) for r in trend), Tone.GREY))

    def described(row: reading.TrendRow) -> str:
        said = []
        if latest is not None and row.by_month.get(latest) is not None:
            said.append(f"forecast at P{latest} {rules.millions(row.by_month[latest])}")
        if row.outturn is not None:
            said.append(f"outturn {rules.millions(row.outturn)}")
        return f"{row.area.name}: {', '.join(said) or 'no figures'}"

    words = "; ".join(described(r) for r in trend)
    return Chart(
        title=f"Forecast and outturn against budget by service, {rules.year_label(year)}",
        kind="bar",
        categories=categories,
        series=tuple(series),
        description=f"Over (+) or under (−) spend against budget in £m by shared service. {words}.",
        value_label="Over/(under) spend £m",
    )


def outturndocument(user, year: int, request: ReportRequest) -> Document:
    view = reading.outturn(user, year)
    if not view.shared.rows and not view.non_shared.rows:
        raise ReportError(f"There is no outturn for {rules.year_label(year)} yet.")
    blocks: list = []
    shares = view.shared.by_partner
    blocks.append(
        Paragraph(
            f"The overall oneSource shared {view.label} outturn position shows "
            f"{_direction(view.shared.variance)} of {rules.millions(view.shared.variance)}, "
            f"split between the partners as follows: {_partner_split_sentence(shares)}."
        )
    )
    if view.problems:
        blocks.append(BulletList(tuple(view.problems)))
    blocks.append(shared_outturn_table(view))
    for row in view.shared.rows:
        if row.commentary:
            blocks.append(Paragraph(f"{row.name} {rules.millions(row.variance)}: {row.commentary}"))
    moved = view.transferred
    kept = [p for p in shares if p not in moved and shares[p]]
    note = (
        f"Shares smaller than {rules.pounds(view.threshold)} are not material enough to "
        "transfer to a partner's oneSource reserve"
    )
    if kept:
        note += ": " + ", ".join(f"{short_name(p)}'s {rules.millions(shares[p])}" for p in kept)
    blocks += [transfer_table(view), Paragraph(note + ".", small=True)]
    sections = [Section(tuple(blocks), title="Shared", landscape=True)]
    if view.non_shared.rows:
        non_shared = [non_shared_table(view)]
        for row in view.non_shared.rows:
            if row.commentary:
                who = short_name(row.line.partner) if row.line.partner else "All partners"
                non_shared.append(
                    Paragraph(f"{who} {rules.millions(row.variance)}: {row.commentary}")
                )
        sections.append(Section(tuple(non_shared), title="Non-shared"))
    reserves = reading.reserves(user, year)
    if reserves.partners and any(reserves.closing.values()):
        sections.append(
            Section(
                (
                    Paragraph(
                        f"The oneSource reserve position after the contribution of the "
                        f"{view.label} outturn:"
                    ),
                    reserve_table(reserves),
                ),
                title="oneSource reserve",
            )
        )
    forecast_blocks = forecast_blocks_for(user, year)
    if forecast_blocks:
        sections.append(Section(tuple(forecast_blocks), title="Forecast against budget"))
    return document(f"oneSource {view.label} Outturn Position", request, sections, year=view.label)


def build_outturn(request: ReportRequest) -> Document:
    return outturndocument(viewer(request), year_of(request), request)


# --- Forecast -------------------------------------------------------------------------------


def forecast_table(view: reading.ForecastView) -> Table:
    partners = view.shared.partners
    columns = [
        Column("Area", 2.6),
        Column("Partner", 1.2),
        num_column("Budget £m"),
        num_column("Forecast £m"),
        num_column("Over/(under) spend £m"),
        *[num_column(f"{short_name(p)} £m") for p in partners],
    ]
    rows = []
    for block, label in ((view.shared, "Shared"), (view.non_shared, "Non-shared")):
        if not block.rows:
            continue
        rows.append(Row((text(label, bold=True, colspan=len(columns)),), RowKind.GROUP))
        for row in block.rows:
            who = short_name(row.line.partner) if row.line.partner else "All"
            parts = [m(row.part(p)) if p in row.parts else text("") for p in partners]
            rows.append(
                Row(
                    (
                        text(row.name),
                        text(who),
                        m(row.budget),
                        m(row.actual),
                        m(row.variance),
                        *parts,
                    )
                )
            )
        totals = [m(block.part_total(p), bold=True) for p in partners]
        rows.append(
            Row(
                (
                    text(f"{label} total", bold=True),
                    text(""),
                    m(block.budget, bold=True),
                    m(block.actual, bold=True),
                    m(block.variance, bold=True),
                    *totals,
                ),
                RowKind.TOTAL,
            )
        )
    return Table(
        tuple(columns),
        tuple(rows),
        caption=f"Forecast against budget, {view.label}",
        name="Forecast",
    )


def forecast_blocks_for(user, year: int, month: int | None = None) -> list:
    view = reading.forecast(user, year, month)
    blocks: list = []
    if view.month is not None:
        shared = view.shared
        blocks.append(
            Paragraph(
                f"The oneSource shared forecast for period {view.month} is "
                f"{_direction(shared.variance)} of {rules.millions(shared.variance)}; by partner: "
                f"{_partner_split_sentence(shared.by_partner)}."
            )
        )
        blocks.append(forecast_table(view))
    chart = trend_chart(user, year)
    if chart is not None:
        blocks.append(chart)
    return blocks


def build_forecast(request: ReportRequest) -> Document:
    user = viewer(request)
    year = year_of(request)
    month = rules.parse_month(request.period, year) if request.period else None
    blocks = forecast_blocks_for(user, year, month)
    if not blocks:
        raise ReportError(f"There are no forecasts for {rules.year_label(year)} yet.")
    label = rules.year_label(year)
    return document(
        f"oneSource forecast financial position {label}",
        request,
        [Section(tuple(blocks), title="Forecast against budget", landscape=True)],
        year=label,
    )


# --- Base budget ----------------------------------------------------------------------------


def budgetdocument(user, year: int, request: ReportRequest) -> Document:
    view = reading.budget(user, year)
    if not view.shared.rows and not view.non_shared.rows:
        raise ReportError(f"There is no budget for {view.label} yet.")
    partners = view.shared.partners
    columns = (
        Column("Cost area", 3),
        num_column("Budget £m"),
        *[num_column(f"{short_name(p)} £m") for p in partners],
    )
    rows = [
        Row(
            (
                text(r.name),
                m(r.budget),
                *[m(r.part(p)) if p in r.parts else text("") for p in partners],
            )
        )
        for r in view.shared.rows
    ]
    rows.append(
        Row(
            (
                text("Total shared", bold=True),
                m(view.shared.budget, bold=True),
                *[m(view.shared.part_total(p), bold=True) for p in partners],
            ),
            RowKind.TOTAL,
        )
    )
    blocks: list = [
        Paragraph(
            f"The base budget for oneSource shared services in {view.label} is "
            f"{rules.millions(view.shared.budget)} and for non-shared services "
            f"{rules.millions(view.non_shared.budget)}."
        ),
        Table(columns, tuple(rows), caption=f"Shared base budget {view.label}", name="Shared"),
    ]
    ns_rows = [
        Row(
            (
                text(short_name(r.line.partner) if r.line.partner else "All partners together"),
                text(r.name),
                m(r.budget),
            )
        )
        for r in view.non_shared.rows
    ]
    ns_rows.append(
        Row(
            (text("Total non-shared", bold=True), text(""), m(view.non_shared.budget, bold=True)),
            RowKind.TOTAL,
        )
    )
    blocks.append(
        Table(
            (Column("Partner", 2), Column("Area", 3), num_column("Budget £m")),
            tuple(ns_rows),
            caption=f"Non-shared base budget {view.label}",
            name="Non-shared",
        )
    )
    blocks += [r for r in [formula_table(year)] if r is not None]
    if view.problems:
        blocks.append(BulletList(tuple(view.problems)))
    return document(
        f"oneSource budget {view.label}",
        request,
        [Section(tuple(blocks), title="Base budget")],
        year=view.label,
    )


def formula_table(year: int) -> Table | None:
    view = reading.formula_view(year)
    if not view.rows:
        return None
    rows = [
        Row((text(area.name), *[pct(v) if v is not None else text("") for v in values]))
        for area, values in view.rows
    ]
    return Table(
        (Column("Shared cost area", 3), *[num_column(f"{short_name(p)} %") for p in view.partners]),
        tuple(rows),
        caption=f"Funding formula {rules.year_label(year)}: each partner's share",
        name="Funding formula",
    )


def build_budget(request: ReportRequest) -> Document:
    return budgetdocument(viewer(request), year_of(request), request)


# --- Report kinds ---------------------------------------------------------------------------


def _year_choices(years) -> list[tuple[str, str]]:
    return [(rules.year_label(y), rules.year_label(y)) for y in sorted(set(years), reverse=True)]


def outturn_subjects(user) -> list[tuple[str, str]]:
    lines = access.visible_lines(user).exclude(outturn__isnull=True, stated_variance__isnull=True)
    return _year_choices(lines.values_list("year", flat=True))


def forecast_subjects(user) -> list[tuple[str, str]]:
    lines = access.visible_lines(user)
    return _year_choices(
        Forecast.objects.filter(line__in=lines).values_list("line__year", flat=True)
    )


def budget_subjects(user) -> list[tuple[str, str]]:
    return _year_choices(
        access.visible_lines(user).exclude(budget__isnull=True).values_list("year", flat=True)
    )


def savings_subjects(user) -> list[tuple[str, str]]:
    return _year_choices(y.year for y in tracker.savings().years)


BUILDERS: dict[str, Callable[[ReportRequest], Document]] = {
    "outturn": build_outturn,
    "forecast": build_forecast,
    "budget": build_budget,
    "savings": build_savings,
}

REPORT_KINDS = [
    ReportKind(
        "finance.outturn", "Outturn position", outturn_subjects, build_outturn, needs_period=False
    ),
    ReportKind(
        "finance.forecast",
        "Forecast against budget",
        forecast_subjects,
        build_forecast,
        needs_period=False,
    ),
    ReportKind("finance.budget", "Base budget", budget_subjects, build_budget, needs_period=False),
    ReportKind(
        "finance.savings", "Shared savings", savings_subjects, build_savings, needs_period=False
    ),
]
