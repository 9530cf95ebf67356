"""Plan progress reports in the layouts of the committee papers.

One builder per kind of plan turns :func:`goldenthread.plans.reading.plan_sections`
into the rendering model; the renderers in ``goldenthread.documents`` print
it as HTML, Word, PDF and Excel. Counts and percentages come from the same
summaries the plan page shows, so the paper and the page always agree.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404

from goldenthread.core.models import Period
from goldenthread.core.periods import PeriodError, month_label, parse_period, revised_date_label
from goldenthread.documents.model import (
    Align,
    Cell,
    Column,
    Completeness,
    Document,
    Heading,
    Paragraph,
    ReportKind,
    ReportRequest,
    Row,
    RowKind,
    Section,
    Table,
)
from goldenthread.plans import reading, rules
from goldenthread.plans.access import visible_actions, visible_plans
from goldenthread.plans.best_value_report import (
    best_value,
)
from goldenthread.plans.models import Action, Plan
from goldenthread.plans.reading import ActionView, SectionView
from goldenthread.plans.report_parts import (
    DRAFT,
    reported_cell,
    reported_text,
    status_cell,
    status_chart,
    status_key,
    target_text,
)

ON_TRACK = "Actions are progressing well, and are on track to be delivered"
NOT_APPLICABLE = "N/A"


class ReportError(Http404):
    """The request names no plan or period the user may report on."""


# -- what the request asks for ----------------------------------------------------------


def subjects(user) -> list[tuple[str, str]]:
    """The plans a user may report on, as (code, label) choices."""
    return [
        (p.code, f"{p.title} ({p.code})") for p in visible_plans(user).order_by("title", "code")
    ]


def _plans_for(user) -> QuerySet[Plan]:
    return visible_plans(user) if user is not None else Plan.objects.select_related("owner")


def _actions_for(user) -> QuerySet[Action]:
    return visible_actions(user) if user is not None else Action.objects.all()


def period_for(plan: Plan, code: str, user=None) -> Period:
    """The named period (never created by a read), or the plan's default period.

    A reader (``user`` who may not see drafts) gets published periods only.
    """
    if not code:
        period = reading.default_period(plan, user)
        if period is None:
            raise ReportError(f"{plan.title} has no published period yet.")
        return period
    try:
        key = parse_period(code)
    except PeriodError as exc:
        raise ReportError(str(exc)) from exc
    found = Period.objects.filter(year=key.year, kind=key.kind.value, number=key.number).first()
    period = found or Period(year=key.year, kind=key.kind.value, number=key.number)
    published = found is not None and not reading.is_draft(plan, found)
    if user is not None and not published and not reading.may_see_drafts(user, plan):
        raise ReportError(f"{key.code} of {plan.title} has not been published.")
    return period


def build_progress(request: ReportRequest) -> Document:
    """The plan progress report for ``request.subject`` (a plan code) and period."""
    plan = _plans_for(request.user).filter(code=request.subject).first()
    if plan is None:
        raise ReportError(f"There is no plan {request.subject!r} you may report on.")
    period = period_for(plan, request.period, request.user)
    views = reading.plan_sections(plan, period, _actions_for(request.user), user=request.user)
    builder = BUILDERS[plan.kind]
    subtitle = period.long_label
    if reading.is_draft(plan, period):
        subtitle += f" – {DRAFT}"
    return Document(
        title=f"{plan.title}: progress report",
        subtitle=subtitle,
        sections=tuple(builder(plan, period, views)),
        document_date=request.report_date or period.end,
        author=plan.owner.name,
        metadata={"report": "plans.progress", "plan": plan.code, "period": period.code},
    )


# -- improvement plans (seed 001, Appendix 3) ---------------------------------------------


def _commentary(status: rules.Status, rows: list[ActionView]) -> str:
    """The summary line's words: stock text when on track, the actions' own words otherwise."""
    if not rows:
        return NOT_APPLICABLE
    if status.tone is rules.Tone.GREEN and not status.complete:
        return ON_TRACK
    if status.complete:
        return "Delivered: " + ", ".join(a.action.ref for a in rows)
    if status is rules.NO_UPDATE:
        return "No update received: " + ", ".join(a.action.ref for a in rows)
    if status is rules.AWAITING_APPROVAL:
        return "Update awaiting approval: " + ", ".join(a.action.ref for a in rows)
    if status is rules.RETURNED:
        return "Update returned for changes: " + ", ".join(a.action.ref for a in rows)
    lines = []
    for view in rows:
        update = view.row.reported
        words = update.next_steps.strip() if update else ""
        if words in ("", "-", "–"):
            words = update.progress.strip() if update else ""
        lines.append(f"{view.action.ref}: {words}")
    return "\n".join(lines)


def summary_rows(plan: Plan, view: SectionView) -> list[Row]:
    """Per status: commentary, count, % and the status, as in "Improvement Plan Progress"."""
    rows = []
    for line in view.summary.rows:
        status = line.status
        matching = [a for a in view.actions if a.row.status.code == status.code]
        rows.append(
            Row(
                (
                    Cell(_commentary(status, matching)),
                    Cell(str(line.count), align=Align.RIGHT),
                    Cell(f"{line.percent}%", align=Align.RIGHT),
                    status_cell(status),
                )
            )
        )
    rows.append(
        Row(
            (
                Cell("Total"),
                Cell(str(view.summary.total), align=Align.RIGHT),
                Cell(""),
                Cell(""),
            ),
            RowKind.TOTAL,
        )
    )
    return rows


def improvement_summary(plan: Plan, period: Period, views: list[SectionView]) -> Table:
    rows: list[Row] = []
    for number, view in enumerate(views, start=1):
        lead = f" – Lead: {view.section.lead}" if view.section.lead else ""
        rows.append(Row((Cell(f"{number}. {view.section.title}{lead}", colspan=4),), RowKind.GROUP))
        rows.extend(summary_rows(plan, view))
    whole = reading.plan_summary(plan, views)
    rows.append(Row((Cell("Whole plan", colspan=4),), RowKind.GROUP))
    for line in whole.rows:
        rows.append(
            Row(
                (
                    Cell(line.status.label),
                    Cell(str(line.count), align=Align.RIGHT),
                    Cell(f"{line.percent}%", align=Align.RIGHT),
                    status_cell(line.status),
                )
            )
        )
    rows.append(
        Row(
            (Cell("Total"), Cell(str(whole.total), align=Align.RIGHT), Cell(""), Cell("")),
            RowKind.TOTAL,
        )
    )
    rows.extend(flag_rows(whole, noun="actions"))
    return Table(
        columns=(
            Column("Service and commentary", 6.0),
            Column("Actions", 1.0, Align.RIGHT),
            Column("%", 0.9, Align.RIGHT),
            Column("Status", 1.3, Align.CENTRE),
        ),
        rows=tuple(rows),
        caption=f"Improvement Plan progress by service: {period.long_label}",
        name="Summary",
    )


def flag_rows(summary: rules.StatusSummary, *, noun: str) -> list[Row]:
    """Overdue and stale counted apart from the statuses: never "red because nobody
    updated it"."""
    return [
        Row(
            (Cell(f"Flags, apart from status (of {summary.total} {noun})", colspan=4),),
            RowKind.GROUP,
        ),
        Row(
            (
                Cell("Overdue: target date passed, not complete"),
                Cell(str(summary.overdue), align=Align.RIGHT),
                Cell(f"{rules.percent(summary.overdue, summary.total)}%", align=Align.RIGHT),
                Cell("Overdue" if summary.overdue else "", align=Align.CENTRE),
            )
        ),
        Row(
            (
                Cell("Stale: no approved update for the period"),
                Cell(str(summary.stale), align=Align.RIGHT),
                Cell(f"{rules.percent(summary.stale, summary.total)}%", align=Align.RIGHT),
                Cell("Stale" if summary.stale else "", align=Align.CENTRE),
            )
        ),
    ]


IMPROVEMENT_COLUMNS = (
    Column("P Ref", 0.6),
    Column("Partner", 0.7),
    Column("Delivery", 2.3),
    Column("Outcome", 2.1),
    Column("Target Date", 1.5),
    Column("Status", 0.8, Align.CENTRE),
    Column("Progress Comments", 2.9),
    Column("Next Steps", 2.3),
)


def improvement_row(view: ActionView) -> Row:
    action = view.action
    return Row(
        (
            Cell(action.ref),
            Cell(action.partner_label),
            Cell(action.title),
            Cell(action.outcome),
            Cell(target_text(action.target_label, view.row)),
            reported_cell(view.row),
            Cell(reported_text(view.row, "progress")),
            Cell(reported_text(view.row, "next_steps")),
        )
    )


def _quarter_words(period: Period) -> str:
    """``1st Quarter April - Jun 2019`` for quarters, the long label otherwise."""
    key = period.key
    if key.kind.value != "quarter":
        return period.long_label
    ordinal = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[key.number]
    return f"{ordinal} Quarter {key.start:%B} - {key.end:%b %Y}"


def improvement(plan: Plan, period: Period, views: list[SectionView]) -> list[Section]:
    first = Section(
        blocks=(
            Heading(f"Improvement Plan Progress {period.long_label.split(':')[0]}", 2),
            Paragraph(f"{plan.title} monitoring: {period.long_label}"),
            status_key(plan),
            improvement_summary(plan, period, views),
            status_chart(plan, views, noun="actions"),
        ),
        title="Summary",
    )
    sections = [first]
    for view in views:
        blocks: list = [
            Heading(f"{view.section.title.upper()} IMPROVEMENT PLAN UPDATE", 2),
            Paragraph(_quarter_words(period)),
        ]
        if view.section.lead:
            blocks.append(Paragraph(f"Lead: {view.section.lead}", bold=True))
        if view.actions:
            blocks.append(
                Table(
                    columns=IMPROVEMENT_COLUMNS,
                    rows=tuple(improvement_row(a) for a in view.actions),
                    caption=f"{view.section.title}: actions, {period.long_label}",
                    name=view.section.title,
                )
            )
        else:
            blocks.append(Paragraph("No actions of this service are shown."))
        sections.append(Section(tuple(blocks), title=view.section.title, landscape=True))
    return sections


# -- programme plans (seed 000) --------------------------------------------------------------


def _has_updates(views: list[SectionView]) -> bool:
    return any(v.summary.total - v.summary.count("") for v in views)


def _month(day) -> str:
    return month_label(day) if day else ""


def programme(plan: Plan, period: Period, views: list[SectionView]) -> list[Section]:
    with_status = _has_updates(views)
    columns = [
        Column("Desired outcome", 2.0),
        Column("Workstream", 1.4),
        Column("Activity", 2.8),
        Column("SRO", 0.7),
        Column("Resources", 1.4),
        Column("Start", 0.65),
        Column("Target", 0.75),
    ]
    if with_status:
        columns.append(Column("Status", 0.9, Align.CENTRE))
    rows = []
    for view in views:
        for index, action_view in enumerate(view.actions):
            action = action_view.action
            target = (
                revised_date_label(action.target_date, action.original_target_date)
                if action.target_date
                else action.timeline
            )
            cells = [
                Cell(view.section.desired_outcome if index == 0 else ""),
                Cell(view.section.title if index == 0 else ""),
                Cell(action.title),
                Cell(action.lead),
                Cell(action.resources),
                Cell(_month(action.start_date)),
                Cell(target_text(target, action_view.row) if with_status else target),
            ]
            if with_status:
                cells.append(reported_cell(action_view.row))
            rows.append(Row(tuple(cells)))
    blocks: list = [Heading(plan.title, 2)]
    if plan.leads:
        blocks.append(Paragraph(f"Leads: {plan.leads}", bold=True))
    blocks.append(
        Table(
            columns=tuple(columns),
            rows=tuple(rows),
            caption=f"{plan.title}: programme plan",
            name="Programme plan",
        )
    )
    if with_status:
        blocks.append(status_chart(plan, views, noun="activities"))
    return [Section(tuple(blocks), title=plan.title, landscape=True)]


# -- recommendations responses (DOMAIN.md) ---------------------------------------------------


def recommendations(plan: Plan, period: Period, views: list[SectionView]) -> list[Section]:
    with_status = _has_updates(views)
    columns = [
        Column("Recommendation", 3.0),
        Column("Response / Action", 4.0),
        Column("Lead Officer", 1.3),
        Column("Timescale", 1.2),
    ]
    if with_status:
        columns.append(Column("Status", 0.9, Align.CENTRE))
    blocks: list = [Heading(plan.title, 2)]
    for view in views:
        rows = []
        for action_view in view.actions:
            action = action_view.action
            response = action.outcome or reported_text(action_view.row, "progress")
            timescale = action.timeline or action.target_label
            cells = [
                Cell(f"{action.ref} {action.title}".strip()),
                Cell(response),
                Cell(action.lead),
                Cell(target_text(timescale, action_view.row) if with_status else timescale),
            ]
            if with_status:
                cells.append(reported_cell(action_view.row))
            rows.append(Row(tuple(cells)))
        if rows:
            blocks.append(
                Table(
                    columns=tuple(columns),
                    rows=tuple(rows),
                    caption=view.section.title,
                    name=view.section.title,
                )
            )
    if with_status:
        blocks.append(status_chart(plan, views, noun="recommendations"))
    return [Section(tuple(blocks), title=plan.title, landscape=True)]


Builder = Callable[[Plan, Period, list[SectionView]], list[Section]]

BUILDERS: dict[str, Builder] = {
    Plan.Kind.IMPROVEMENT: improvement,
    Plan.Kind.BEST_VALUE: best_value,
    Plan.Kind.PROGRAMME: programme,
    Plan.Kind.RECOMMENDATIONS: recommendations,
}


def progress_completeness(subject: str, period: str, user) -> Completeness | None:
    """What the plan progress report of ``subject`` for ``period`` would be missing:
    items with no approved update, and a period not yet published."""
    from goldenthread.plans import periods

    plan = _plans_for(user).filter(code=subject).first()
    if plan is None:
        return None
    return periods.completeness(plan, period_for(plan, period, user), _actions_for(user))


REPORT_KINDS = [
    ReportKind(
        "plans.progress",
        "Plan progress report",
        subjects=subjects,
        build=build_progress,
        needs_period=True,
        completeness=progress_completeness,
    )
]
