"""The Best Value action plan's six-month report (seed 003): areas with their overall
delivery status, outcome measures and milestones, completed ones reported by exception."""

from __future__ import annotations

from goldenthread.core.models import Period
from goldenthread.documents.model import (
    Align,
    BulletList,
    Cell,
    Column,
    Heading,
    Paragraph,
    Row,
    RowKind,
    Section,
    Table,
    Tone,
)
from goldenthread.plans import rules
from goldenthread.plans.models import Plan
from goldenthread.plans.reading import SectionView
from goldenthread.plans.report_parts import (
    percent_complete,
    reported_cell,
    reported_text,
    status_chart,
    status_key,
    target_text,
)

OVERALL_TONES = {"GREEN": Tone.GREEN, "AMBER": Tone.AMBER, "RED": Tone.RED, "BLUE": Tone.BLUE}


def summary_text_blocks(text: str) -> list:
    """A progress summary as paragraphs, with ``- `` lines as bullet lists."""
    blocks: list = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith(("- ", "• ")) for line in lines):
            blocks.append(BulletList(tuple(line.lstrip()[2:].strip() for line in lines)))
        else:
            blocks.append(Paragraph("\n".join(lines)))
    return blocks


def completed_sentence(view: SectionView) -> str:
    done, shown = view.milestones_completed_not_shown, view.milestones_shown
    if done == 1:
        first = "1 milestone has already been completed and is not included"
    else:
        first = f"{done} milestones have already been completed and are not included"
    return f"{first}; the remaining {shown} {'is' if shown == 1 else 'are'} shown below."


BEST_VALUE_COLUMNS = (
    Column("Milestone", 2.3),
    Column("Lead", 1.1),
    Column("Deadline", 0.95),
    Column("Status", 1.0, Align.CENTRE),
    Column("% Comp", 0.6, Align.RIGHT),
    Column("Action to Date", 3.0),
    Column("Action planned and risks", 2.5),
)


def best_value_rows(view: SectionView) -> list[Row]:
    rows: list[Row] = []
    theme = None
    for action_view in view.actions:
        shown = action_view.shown_milestones
        if not shown:
            continue
        action = action_view.action
        if action.theme and action.theme != theme:
            theme = action.theme
            rows.append(Row((Cell(theme, colspan=7),), RowKind.GROUP))
        rows.append(
            Row(
                (
                    Cell(f"Action / Recommendation: {action.title}", colspan=5),
                    Cell(f"Lead: {action.lead}", colspan=2),
                ),
                RowKind.GROUP,
            )
        )
        for row in shown:
            milestone = row.item
            rows.append(
                Row(
                    (
                        Cell(milestone.title),
                        Cell(milestone.lead),
                        Cell(target_text(milestone.deadline_label or milestone.deadline_note, row)),
                        reported_cell(row),
                        Cell(percent_complete(row), align=Align.RIGHT),
                        Cell(reported_text(row, "progress")),
                        Cell(reported_text(row, "next_steps")),
                    )
                )
            )
    return rows


def best_value_summary(plan: Plan, views: list[SectionView]) -> Table:
    statuses = [*plan.scale.statuses, *rules.UNREPORTED]
    rows = []
    for view in views:
        overall = (view.section.overall_status or "").strip()
        rows.append(
            Row(
                (
                    Cell(view.section.title),
                    Cell(overall or "–", tone=OVERALL_TONES.get(overall.upper())),
                    Cell(str(view.milestones_completed_not_shown), align=Align.RIGHT),
                    Cell(str(view.milestones_shown), align=Align.RIGHT),
                    *(Cell(str(view.summary.count(s.code)), align=Align.RIGHT) for s in statuses),
                    Cell(str(view.summary.overdue), align=Align.RIGHT),
                    Cell(str(view.summary.stale), align=Align.RIGHT),
                )
            )
        )
    return Table(
        columns=(
            Column("Best Value area", 2.0),
            Column("Overall delivery status", 1.2, Align.CENTRE),
            Column("Completed, not shown", 1.0, Align.RIGHT),
            Column("Shown", 0.8, Align.RIGHT),
            *(Column(s.label, 1.0, Align.RIGHT) for s in statuses),
            Column("Overdue", 0.9, Align.RIGHT),
            Column("Stale", 0.9, Align.RIGHT),
        ),
        rows=tuple(rows),
        caption="Milestones by area and status",
        name="Summary",
    )


def outcome_measures(area) -> Table | None:
    """The area's outcome measures (Outcome | Date | Current status), grouped as printed."""
    measures = list(area.outcome_measures.all())
    if not measures:
        return None
    rows: list[Row] = []
    group = None
    for measure in measures:
        if measure.group and measure.group != group:
            group = measure.group
            rows.append(Row((Cell(group, colspan=3),), RowKind.GROUP))
        rows.append(
            Row((Cell(measure.outcome), Cell(measure.date_text), Cell(measure.current_status)))
        )
    return Table(
        columns=(Column("Outcome", 3.0), Column("Date", 0.8), Column("Current status", 4.0)),
        rows=tuple(rows),
        caption=f"{area.title}: outcome measures",
        name=f"{area.title} outcomes",
    )


def best_value(plan: Plan, period: Period, views: list[SectionView]) -> list[Section]:
    sections = [
        Section(
            (
                Heading("Best Value Action Plan: summary", 2),
                status_key(plan),
                best_value_summary(plan, views),
                status_chart(plan, views, noun="milestones shown"),
            ),
            title="Summary",
            landscape=True,
        )
    ]
    for view in views:
        area = view.section
        overall = (area.overall_status or "").strip()
        blocks: list = [
            Heading(f"Best Value Area: {area.title}", 2),
            Table(
                columns=(Column("Best Value Area", 3.0), Column("Overall Delivery Status", 1.0)),
                rows=(
                    Row(
                        (
                            Cell(area.title, bold=True),
                            Cell(overall or "Not stated", tone=OVERALL_TONES.get(overall.upper())),
                        )
                    ),
                ),
                caption=f"{area.title}: overall delivery status",
                name=f"{area.title} status",
            ),
        ]
        if area.summary:
            blocks.append(Heading("Progress Summary", 3))
            blocks.extend(summary_text_blocks(area.summary))
        measures = outcome_measures(area)
        if measures is not None:
            blocks.append(measures)
        blocks.append(Paragraph(completed_sentence(view), bold=True))
        rows = best_value_rows(view)
        if rows:
            blocks.append(
                Table(
                    columns=BEST_VALUE_COLUMNS,
                    rows=tuple(rows),
                    caption=f"Best Value: {area.title} Action Plan – {period.long_label}",
                    name=area.title,
                )
            )
        sections.append(Section(tuple(blocks), title=area.title, landscape=True))
    return sections
