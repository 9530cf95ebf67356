"""The parts every plan progress report shares: status cells, the overdue flag beside a
target date, the words reported (approved updates only), the status chart and key."""

from __future__ import annotations

from goldenthread.documents.model import Align, Cell, Chart, Column, Row, Series, Table, Tone
from goldenthread.plans import rules
from goldenthread.plans.models import Plan
from goldenthread.plans.reading import ItemRow, SectionView

DRAFT = "Draft – not yet reported"
OVERDUE = "Overdue"


def tone(status: rules.Status) -> Tone:
    """The plan status's colour in the rendering model (the two enums share values)."""
    return Tone(status.tone.value)


def status_cell(status: rules.Status) -> Cell:
    return Cell(status.label, tone=tone(status), align=Align.CENTRE)


def reported_cell(row: ItemRow) -> Cell:
    """The reported status: an approved update's, else what became of it, with the last
    status reported ("No update – last reported Q1: Green")."""
    return Cell(row.status_label, tone=tone(row.status), align=Align.CENTRE)


def target_text(label: str, row: ItemRow) -> str:
    """The target date, flagged "Overdue" when it has passed and the item is not complete:
    a flag apart from the status (stale items say so in their status: "No update – …")."""
    return f"{label}\n{OVERDUE}" if row.overdue and label else (OVERDUE if row.overdue else label)


def percent_complete(row: ItemRow) -> str:
    update = row.reported
    if update is None or update.percent_complete is None:
        return "–"
    return f"{update.percent_complete}%"


def reported_text(row: ItemRow, field: str) -> str:
    """Only an approved update's words are reported."""
    return getattr(row.reported, field) if row.reported else ""


def status_chart(plan: Plan, views: list[SectionView], *, noun: str) -> Chart:
    """Stacked bars: one per section, one segment per status (statuses in use only)."""
    statuses = [*plan.scale.statuses, *rules.UNREPORTED]
    used = [s for s in statuses if any(v.summary.count(s.code) for v in views)]
    categories = tuple(v.section.title for v in views)
    series = tuple(
        Series(s.label, tuple(float(v.summary.count(s.code)) for v in views), tone(s)) for s in used
    )
    described = []
    for view in views:
        counts = [
            f"{view.summary.count(s.code)} {s.label}" for s in used if view.summary.count(s.code)
        ]
        described.append(f"{view.section.title}: {', '.join(counts) or f'no {noun}'}")
    return Chart(
        title=f"{noun.capitalize()} by status and {section_noun(views)}",
        kind="stacked_bar",
        categories=categories,
        series=series,
        description=f"Stacked bar chart of {noun} by status. " + "; ".join(described) + ".",
        value_label=noun.capitalize(),
    )


def status_key(plan: Plan) -> Table:
    return Table(
        columns=(Column("Status", 1.0, Align.CENTRE), Column("Meaning", 4.0)),
        rows=tuple(Row((status_cell(s), Cell(s.meaning))) for s in plan.scale.statuses),
        caption="Status key",
        name="Status key",
    )


def section_noun(views: list[SectionView]) -> str:
    return views[0].section.get_kind_display().lower() if views else "section"
