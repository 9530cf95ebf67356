"""The shared savings report: seed 001's Tables 1-3, the potential savings, delivery,
and the split by contribution with the savings grossed up."""

from __future__ import annotations

from decimal import Decimal

from goldenthread.core.models import Organisation
from goldenthread.documents.model import (
    BulletList,
    Cell,
    Column,
    Document,
    Heading,
    KeyValues,
    Paragraph,
    ReportRequest,
    Row,
    RowKind,
    Section,
    Table,
    Tone,
)
from goldenthread.finance import reading, rules, tracker
from goldenthread.finance.models import SavingsItem
from goldenthread.finance.report_parts import (
    ReportError,
    document,
    gbp,
    num_column,
    pct,
    short_name,
    text,
    year_of,
)

ZERO = Decimal(0)


def _partner_headers(partners: list[Organisation]) -> list[Column]:
    return [num_column(f"{short_name(p)} £") for p in partners]


def table_1(year: tracker.SavingsYear, number: int = 1) -> Table:
    """Item by partner for one year, with the Total column, a TOTAL row and a % row."""
    partners = year.partners
    rows = []
    for item, amounts in year.items:
        cells = [gbp(amounts[p]) if p in amounts else text("") for p in partners]
        rows.append(Row((text(item.title), *cells, gbp(year.item_total(amounts)))))
    by_partner = year.by_partner
    rows.append(
        Row(
            (
                text("TOTAL", bold=True),
                *[gbp(by_partner[p], bold=True) for p in partners],
                gbp(year.total, bold=True),
            ),
            RowKind.TOTAL,
        )
    )
    shares = year.percentages
    rows.append(Row((text("%"), *[pct(shares[p]) for p in partners], text(""))))
    short = f"{year.year % 100:02d}/{(year.year + 1) % 100:02d}"
    return Table(
        (Column(f"{short} Savings", 3), *_partner_headers(partners), num_column("Total £")),
        tuple(rows),
        caption=f"Table {number}: Shared {year.label} savings per authority",
        name=f"Table {number}",
    )


def table_2(view: tracker.SavingsView, years: list[int], number: int = 2) -> Table:
    """Item by year, with the Total column and a TOTAL row."""
    rows = []
    for item in view.items:
        by_year = view.item_by_year(item)
        values = [by_year.get(y) for y in years]
        if all(v is None for v in values):
            continue
        rows.append(
            Row(
                (
                    text(item.title),
                    *[gbp(v) if v is not None else text("-") for v in values],
                    gbp(sum((v for v in values if v is not None), ZERO)),
                )
            )
        )
    totals = [view.year(y).total if view.year(y) else ZERO for y in years]
    rows.append(
        Row(
            (
                text("TOTAL", bold=True),
                *[gbp(t, bold=True) for t in totals],
                gbp(sum(totals, ZERO), bold=True),
            ),
            RowKind.TOTAL,
        )
    )
    heading = "Existing Future Years Savings" if view.status == "existing" else "Potential Savings"
    return Table(
        (
            Column(heading, 3),
            *[num_column(rules.year_label(y)) for y in years],
            num_column("Total £"),
        ),
        tuple(rows),
        caption=f"Table {number}: Future years' savings by item",
        name=f"Table {number}",
    )


def table_3(view: tracker.SavingsView, years: list[int], number: int = 3) -> Table:
    """Year by partner, with the Total column, a TOTAL row and a % row."""
    partners = view.partners
    rows = []
    for y in years:
        year = view.year(y)
        if year is None:
            continue
        by_partner = year.by_partner
        rows.append(
            Row(
                (
                    text(year.label),
                    *[gbp(by_partner[p]) if by_partner[p] else text("") for p in partners],
                    gbp(year.total),
                )
            )
        )
    totals = view.partner_totals(years)
    rows.append(
        Row(
            (
                text("TOTAL", bold=True),
                *[gbp(totals[p], bold=True) for p in partners],
                gbp(view.years_total(years), bold=True),
            ),
            RowKind.TOTAL,
        )
    )
    shares = rules.percentages(totals)
    rows.append(Row((text("%"), *[pct(shares[p]) for p in partners], text(""))))
    return Table(
        (Column("Year", 2), *_partner_headers(partners), num_column("Total £")),
        tuple(rows),
        caption=f"Table {number}: Future years' savings by authority",
        name=f"Table {number}",
    )


def potential_table(view: tracker.SavingsView) -> Table:
    partners = view.partners
    rows = []
    for year in view.years:
        for item, amounts in year.items:
            rows.append(
                Row(
                    (
                        text(item.title),
                        text(year.label),
                        *[gbp(amounts[p]) if p in amounts else text("") for p in partners],
                        gbp(year.item_total(amounts)),
                    )
                )
            )
    totals = view.partner_totals()
    rows.append(
        Row(
            (
                text("TOTAL", bold=True),
                text(""),
                *[gbp(totals[p], bold=True) for p in partners],
                gbp(view.years_total(), bold=True),
            ),
            RowKind.TOTAL,
        )
    )
    return Table(
        (
            Column("Saving", 3),
            Column("Year", 1),
            *_partner_headers(partners),
            num_column("Total £"),
        ),
        tuple(rows),
        caption="Additional potential future years' savings",
        name="Potential",
    )


def delivery_table(items: list[SavingsItem]) -> Table:
    rows = []
    for item in items:
        status = item.rag
        rows.append(
            Row(
                (
                    text(item.title),
                    text(item.get_status_display()),
                    Cell(status.label, tone=Tone(status.tone)),
                    text(item.delivery_plan),
                )
            )
        )
    return Table(
        (Column("Saving", 3), Column("Status", 1.5), Column("Delivery", 1), Column("Plan", 4)),
        tuple(rows),
        caption="Delivery of the savings",
        name="Delivery",
    )


def contribution_table(view: tracker.ContributionView) -> Table:
    rows = [
        Row(
            (
                text(short_name(p)),
                pct(view.shares.get(p)),
                gbp(r.planned),
                gbp(r.by_contribution),
                gbp(r.gap),
                gbp(view.grossed_up_parts.get(p)),
            )
        )
        for p, r in view.rows.items()
    ]
    rows.append(
        Row(
            (
                text("Total", bold=True),
                text(""),
                gbp(view.planned_total, bold=True),
                gbp(sum((r.by_contribution for r in view.rows.values()), ZERO), bold=True),
                gbp(sum((r.gap for r in view.rows.values()), ZERO), bold=True),
                gbp(view.grossed_up, bold=True),
            ),
            RowKind.TOTAL,
        )
    )
    return Table(
        (
            Column("Partner", 1.5),
            num_column("Share of the budget"),
            num_column("Planned savings £"),
            num_column("If split by contribution £"),
            num_column("Difference £"),
            num_column("Grossed up £"),
        ),
        tuple(rows),
        caption=f"{view.title}: savings split by contribution",
        name="By contribution",
    )


def savingsdocument(first_year: int, request: ReportRequest) -> Document:
    existing = tracker.savings(SavingsItem.Status.EXISTING)
    potential = tracker.savings(SavingsItem.Status.POTENTIAL)
    this_year = existing.year(first_year)
    if this_year is None:
        raise ReportError(f"There are no savings for {rules.year_label(first_year)}.")
    future = [y.year for y in existing.years if y.year > first_year]
    potential_years = [y.year for y in potential.years if y.year > first_year]
    label = this_year.label
    summary = f"oneSource shared savings for {label} are {rules.pounds(-this_year.total)}."
    if future:
        span = f"{rules.year_label(future[0])} – {rules.year_label(future[-1])}"
        summary += (
            f" Existing future years savings across {span} are "
            f"{rules.pounds(-existing.years_total(future))}."
        )
    if potential_years:
        span = f"{rules.year_label(potential_years[0])} – {rules.year_label(potential_years[-1])}"
        summary += (
            f" Potential additional future years savings across {span} are "
            f"{rules.pounds(-potential.years_total(potential_years))}."
        )
    blocks: list = [KeyValues((("Financial summary", summary),))]
    blocks += [Heading(f"oneSource {label} Shared Savings"), table_1(this_year)]
    actions = [a for a in existing.actions if a.first_year == first_year and a.amount]
    if actions:
        blocks.append(
            Paragraph(f"oneSource plans to deliver the {label} savings via the following actions:")
        )
        blocks.append(BulletList(tuple(f"{a.title}: {rules.pounds(a.amount)}" for a in actions)))
    if future:
        blocks += [
            Heading("oneSource Existing Future Years Shared Savings"),
            table_2(existing, future),
            table_3(existing, future),
        ]
        streams = [a for a in existing.actions if a.first_year > first_year]
        if streams:
            blocks.append(
                Table(
                    (Column("Saving", 2), Column("Description", 5)),
                    tuple(Row((text(a.title), text(a.description))) for a in streams),
                    caption="Work streams for delivering the future years' savings",
                    name="Work streams",
                )
            )
    if potential.years:
        blocks += [
            Heading("oneSource additional future years shared savings"),
            potential_table(potential),
        ]
    blocks.append(delivery_table(existing.items + potential.items))
    problems = existing.problems + potential.problems
    if problems:
        blocks.append(BulletList(tuple(problems)))
    sections = [Section(tuple(blocks), title="Shared savings")]
    sections.append(
        Section(
            tuple(contribution_blocks(existing, potential, first_year)),
            title="Savings split by contribution",
        )
    )
    return document("oneSource shared savings", request, sections, year=label)


def contribution_blocks(
    existing: tracker.SavingsView, potential: tracker.SavingsView, first_year: int
) -> list:
    future = sorted({y.year for y in existing.years + potential.years if y.year > first_year})
    views = [
        tracker.contribution(rules.year_label(first_year), [existing], [first_year]),
        tracker.contribution("Future years, existing savings", [existing], future),
        tracker.contribution(
            "Future years, existing and potential savings", [existing, potential], future
        ),
    ]
    blocks: list = [
        Paragraph(
            "What each partner would save if the planned savings were split by the funding "
            "formula (each partner's share of the shared budget), the difference from the plan, "
            "and the savings grossed up so that no partner saves more than its share."
        )
    ]
    for view in views:
        if view.problem:
            blocks.append(Paragraph(f"{view.title}: {view.problem}"))
        elif view.rows and view.years:
            blocks.append(contribution_table(view))
    grossed = views[-1]
    if not grossed.problem and grossed.grossed_up is not None and future:
        blocks.append(
            Paragraph(
                "Grossing up the future years' savings across the partners so that each "
                "partner's savings are in line with its contribution would give total future "
                f"years' savings of {rules.pounds(-grossed.grossed_up)}."
            )
        )
        base = reading.finance_year(first_year).shared_controllable_budget
        if base is not None:
            left = base + grossed.planned_total
            blocks.append(
                Paragraph(
                    "Deducting the planned future savings of "
                    f"{rules.pounds(-grossed.planned_total)} from the "
                    f"{rules.year_label(first_year)} controllable budget of "
                    f"{rules.millions(base, places=1)} would leave a budget of "
                    f"{rules.millions(left, places=1)}."
                )
            )
    return blocks


def build_savings(request: ReportRequest) -> Document:
    return savingsdocument(year_of(request), request)
